import { readdirSync, readFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EmbeddedBackend } from '../../../adapters/backends/embedded.ts'
import { FileSink } from '../../../adapters/sinks/file.ts'
import { extractReport, reportSeed } from '../../../core/extraction/pipeline.ts'
import { resultKey } from '../../../core/report-ref.ts'
import { root, task } from '../../helpers.ts'

const modelPath = join(root, 'models', 'tiny-random.gguf')
const cxr = task('cxr14')
const job = {
  site: 'site-a',
  batch: 'b1',
  reportId: 'r1',
  text: 'PA chest. No pneumothorax. Small left pleural effusion.',
}
const sampling = { samples: 2, temperature: 0.3, maxTokens: 600, decoding: 'free' as const }
let constrained: EmbeddedBackend
let unconstrained: EmbeddedBackend

beforeAll(async () => {
  constrained = await EmbeddedBackend.open({ modelPath, sequences: 3, contextSize: 1024 })
  unconstrained = await EmbeddedBackend.open({
    modelPath,
    sequences: 3,
    contextSize: 1024,
    constrained: false,
  })
}, 60_000)
afterAll(async () => {
  await constrained?.close()
  await unconstrained?.close()
})

describe('extractReport', () => {
  it('returns the scored result with model, sampling, outputs and timings', async () => {
    const r = await extractReport(cxr, constrained, job, sampling)
    expect(r).toMatchObject({
      task: 'cxr14',
      site: 'site-a',
      batch: 'b1',
      reportId: 'r1',
      report: { samples: 2 },
    })
    expect(r.model.digest).toMatch(/^sha256:/)
    expect(r.sampling).toEqual({ ...sampling, seed: reportSeed(cxr, job), prompt: 'compact' })
    expect(r.outputs).toEqual({ chosen: 'greedy', malformed: [] })
    expect(Object.keys(r.confidence)).toHaveLength(14)
    expect(r.timings.modelMs).toBeGreaterThan(0)
    expect(r.timings.generatedTokens).toBeGreaterThan(0)
  }, 60_000)

  it('is reproducible: a rerun of the same report gives the same values and samples', async () => {
    const a = await extractReport(cxr, constrained, job, sampling)
    const b = await extractReport(cxr, constrained, job, sampling)
    expect(b.values).toEqual(a.values)
    expect(b.signals).toEqual(a.signals)
  }, 60_000)

  it('a model that emits garbage is recorded and scored low, never a crash', async () => {
    const r = await extractReport(cxr, unconstrained, job, sampling)
    expect(r.outputs.malformed.length).toBeGreaterThan(0)
    expect(r.outputs.malformed[0]).toEqual({ output: 'greedy', reason: expect.any(String) })
    if (r.outputs.chosen === 'none') {
      // no output parsed: an all-null record; what the report does state is flagged
      expect(Object.values(r.values).every((v) => v === null)).toBe(true)
      expect(r.flagged).toEqual(expect.arrayContaining(['Pneumothorax', 'Pleural Effusion']))
      expect(r.report.confidence).toBeLessThan(0.1)
    }
    // nothing of the model's text is kept in the result
    for (const m of r.outputs.malformed) expect(m.reason.length).toBeLessThan(200)
  }, 60_000)
})

describe('grounded decoding', () => {
  it('a random model can only write numbers the report states (converted to the field unit) or null', async () => {
    const cmr = task('cmr52')
    const text =
      'LVEF 57 %. LV end-diastolic diameter 52 mm. Normal range 54-74 %. Height 170 cm, weight 70 kg.'
    const r = await extractReport(
      cmr,
      constrained,
      { ...job, text },
      {
        ...sampling,
        decoding: 'grounded',
        maxTokens: 1200,
      },
    )
    expect(r.outputs.malformed).toEqual([])
    const written = [57, 52, 170, 70]
    const stated = (v: number) =>
      written.some((n) =>
        [1, 10, 0.1, 100, 0.01, 1000, 0.001].some((f) => Math.abs(n * f - v) < 1e-9),
      )
    for (const [key, v] of Object.entries(r.values))
      if (typeof v === 'number') expect(stated(v), `${key} = ${v}`).toBe(true)
    // without grounding the same model writes numbers that are nowhere in the text
    const free = await extractReport(
      cmr,
      constrained,
      { ...job, text },
      {
        ...sampling,
        maxTokens: 1200,
      },
    )
    const numbers = Object.values(free.values).filter((v) => typeof v === 'number')
    expect(numbers.some((v) => !stated(v as number))).toBe(true)
  }, 120_000)
})

describe('results under a deterministic key', () => {
  it('site/batch/report.json, with unsafe characters replaced', () => {
    expect(resultKey({ site: 'a', batch: 'b/../c', report: 'r 1' })).toBe('a/b_.._c/r_1.json')
  })

  it('writing the same result twice leaves one file with the last content', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'radstruct-sink-'))
    const sink = new FileSink(dir)
    await sink.put('a/b/r.json', '{"n":1}')
    await sink.put('a/b/r.json', '{"n":2}')
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['r.json'])
    expect(readFileSync(join(dir, 'a', 'b', 'r.json'), 'utf8')).toBe('{"n":2}')
    expect(await sink.get('a/b/r.json')).toBeDefined()
    expect(await sink.get('a/b/none.json')).toBeUndefined()
    await expect(sink.put('../escape.json', '{}')).rejects.toThrow('leaves the output folder')
  })
})
