/**
 * The shipped word-task students (cxr14: a status per CheXpert label; bonemets3: the metastasis
 * group) in their real runtime: parity with PyTorch, negation and hedging scope, a report where
 * every label is negated, an empty Findings section, de-identification placeholders, questions in
 * the indication, and the bone-metastasis traps (metastases elsewhere, benign bone lesions, new
 * lesions beside stable ones, a flare).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OnnxEncoderBackend } from '../../adapters/backends/encoder.ts'
import { extractBatch } from '../../core/extraction/pipeline.ts'
import { defaultSampling } from '../../core/run-settings.ts'
import { scanText } from '../../core/text/scan.ts'
import { readableText } from '../../core/text/sections.ts'
import { probeAnswer, realLanguageProbes } from '../../models/encoder/read-labelled.ts'
import type { TaskRecord } from '../../schemas/record.ts'
import { root, task } from '../helpers.ts'

const cxr = task('cxr14')
const bone = task('bonemets3')
const dir = (t: string) => join(root, 'models', `encoder-${t}`)
let cxrModel: OnnxEncoderBackend
let boneModel: OnnxEncoderBackend

beforeAll(async () => {
  ;[cxrModel, boneModel] = await Promise.all([
    OnnxEncoderBackend.open({ modelDir: dir('cxr14') }),
    OnnxEncoderBackend.open({ modelDir: dir('bonemets3') }),
  ])
})
afterAll(async () => {
  await Promise.all([cxrModel.close(), boneModel.close()])
})

const read = async (model: OnnxEncoderBackend, t = cxr, ...texts: string[]) =>
  extractBatch(
    t,
    model,
    texts.map((text, i) => ({ site: 's', batch: 'b', reportId: `r${i}`, text })),
    defaultSampling,
  )
const labels = async (text: string): Promise<TaskRecord> =>
  ((await read(cxrModel, cxr, text))[0] as { values: TaskRecord }).values

describe('parity', () => {
  for (const t of ['cxr14', 'bonemets3'])
    it(`${t}: onnxruntime reproduces the PyTorch outputs stored at export`, async () => {
      const model = t === 'cxr14' ? cxrModel : boneModel
      const tk = t === 'cxr14' ? cxr : bone
      const parity = JSON.parse(readFileSync(join(dir(t), 'parity.json'), 'utf8')) as {
        text: string
        labelLogits?: number[]
        categoryLogits?: number[]
      }[]
      expect(parity.length).toBe(3)
      for (const p of parity) {
        // the text as the task reads it (bonemets3: indication and diagnosis), as at export
        const text = readableText(p.text, tk.input.sections)
        const out = await model.forward([model.inputs(tk, scanText(tk, text))], 0, [1])
        const s = out.slice(out.greedy, 0)
        for (const [name, want] of [
          ['label', p.labelLogits],
          ['category', p.categoryLogits],
        ] as const) {
          if (!want) continue
          const got = s[name] as Float32Array
          expect(got.length).toBe(want.length)
          for (const [i, v] of want.entries())
            expect(Math.abs((got[i] as number) - v) / Math.max(1, Math.abs(v))).toBeLessThan(1e-2)
        }
      }
    })
})

describe('cxr14: negation and uncertainty scope', () => {
  it('carries one negation over a list of findings', async () => {
    const v = await labels('FINDINGS: No pleural effusion, pneumothorax or consolidation.')
    expect(v).toMatchObject({
      'Pleural Effusion': 'negative',
      Pneumothorax: 'negative',
      Consolidation: 'negative',
    })
  })

  it('keeps a negation to what follows it: an effusion without pneumothorax', async () => {
    const v = await labels('FINDINGS: Small right pleural effusion without pneumothorax.')
    expect(v).toMatchObject({ 'Pleural Effusion': 'positive', Pneumothorax: 'negative' })
    expect(v['No Finding']).toBe(null)
  })

  it('reads hedges as uncertain, and a hedge on the cause leaves the finding positive', async () => {
    const a = await labels('IMPRESSION: Early pneumonia cannot be excluded.')
    expect(a.Pneumonia).toBe('uncertain')
    const b = await labels('FINDINGS: Left basilar opacity, which may represent atelectasis.')
    expect(b).toMatchObject({ 'Lung Opacity': 'positive', Atelectasis: 'uncertain' })
  })

  it('reads change words: resolved is negative, unchanged is positive', async () => {
    const v = await labels(
      'FINDINGS: The previously seen pneumothorax has resolved. Unchanged small left pleural effusion.',
    )
    expect(v).toMatchObject({ Pneumothorax: 'negative', 'Pleural Effusion': 'positive' })
  })

  it('sets nothing from a question in the indication', async () => {
    const v = await labels(
      'INDICATION: Fever. Evaluate for pneumonia.\nFINDINGS: The lungs are clear.\nIMPRESSION: No acute cardiopulmonary process.',
    )
    expect(v.Pneumonia).toBe(null)
    expect(v['No Finding']).toBe('positive')
  })
})

describe('cxr14: whole reports', () => {
  it('a report where every label is negated: all negative, and No Finding positive', async () => {
    const v = await labels(`FINDINGS:
The heart size is normal. The mediastinum is not widened. No focal opacity, nodule or mass.
No pulmonary edema. No consolidation. No pneumonia. No atelectasis. No pneumothorax. No pleural
effusion. No pleural thickening. No fracture. No lines or tubes.
IMPRESSION: Normal chest radiograph.`)
    const negated = cxr.fields.map((f) => f.key).filter((k) => k !== 'No Finding')
    const wrong = negated.filter((k) => v[k] !== 'negative')
    expect(wrong.length).toBeLessThanOrEqual(1)
    expect(v['No Finding']).toBe('positive')
  })

  it('an empty Findings section: nothing set but No Finding, no evidence invented', async () => {
    const [r] = await read(
      cxrModel,
      cxr,
      'EXAMINATION: Chest radiograph.\nFINDINGS:\n\nIMPRESSION:\n',
    )
    const values = (r as { values: TaskRecord }).values
    const set = Object.entries(values).filter(([k, s]) => s !== null && k !== 'No Finding')
    expect(set).toEqual([])
  })

  it('reads through de-identification placeholders', async () => {
    const v = await labels(
      'COMPARISON: XXXX.\nFINDINGS: XXXX right pleural effusion is again seen. There is no pneumothorax. Dr. XXXX was notified at XXXX.\nIMPRESSION: [REDACTED] Right effusion.',
    )
    expect(v).toMatchObject({ 'Pleural Effusion': 'positive', Pneumothorax: 'negative' })
  })

  it('gives each stated status the clause that decided it as evidence, with per-label confidence', async () => {
    const text = 'FINDINGS: Moderate cardiomegaly. No pneumothorax.'
    const [r] = await read(cxrModel, cxr, text)
    const res = r as {
      values: TaskRecord
      evidence: Record<string, { start: number; end: number } | null>
      confidence: Record<string, number>
    }
    expect(res.values.Cardiomegaly).toBe('positive')
    const ev = res.evidence.Cardiomegaly as { start: number; end: number }
    expect(text.slice(ev.start, ev.end)).toContain('cardiomegaly')
    for (const c of Object.values(res.confidence)) expect(c).toBeGreaterThan(0)
  })

  it('a batch reads each report as it reads it alone', async () => {
    const texts = ['No pneumothorax.', 'FINDINGS: Large left pleural effusion. Possible pneumonia.']
    const together = await read(cxrModel, cxr, ...texts)
    for (const [i, t] of texts.entries()) {
      const [alone] = await read(cxrModel, cxr, t)
      expect((together[i] as { values: TaskRecord }).values).toEqual(
        (alone as { values: TaskRecord }).values,
      )
    }
  })
})

describe('bonemets3', () => {
  const group = async (text: string) =>
    ((await read(boneModel, bone, text))[0] as { values: TaskRecord }).values.group

  it('is not fooled by metastases elsewhere or benign bone findings', async () => {
    expect(
      await group(`CLINICAL INDICATION: Colon cancer, restaging.
FINDINGS: Several new liver metastases, the largest 3 cm. Vertebral haemangioma in L2, unchanged.
DIAGNOSIS: Progression of liver metastases. No bone metastasis.`),
    ).toBe(0)
  })

  it('progression wins: a new lesion beside known stable ones', async () => {
    expect(
      await group(`CLINICAL INDICATION: Prostate cancer with known bone metastases.
FINDINGS: The known sclerotic metastases in L3 and the pelvis are unchanged. A new sclerotic lesion in T9.
DIAGNOSIS: New bone metastasis in T9; the other bone metastases are stable.`),
    ).toBe(1)
  })

  it('stable or decreased, including a flare without new lesions', async () => {
    expect(
      await group(`CLINICAL INDICATION: Breast cancer with bone metastases, on treatment.
FINDINGS: Increased uptake in the known lesions, no new lesions; increased sclerosis on CT.
DIAGNOSIS: Flare phenomenon of the known bone metastases, not progression.`),
    ).toBe(2)
  })
})

describe('real report language (test/fixtures/real-language)', () => {
  it.each([
    ['cxr14', () => cxrModel, cxr],
    ['bonemets3', () => boneModel, bone],
  ] as const)(
    '%s: the shipped student gets nearly every probe, and flags what it misses',
    async (_, model, t) => {
      const probes = realLanguageProbes(t)
      const results = await read(model(), t, ...probes.map((p) => p.text))
      let n = 0
      let right = 0
      for (const [i, p] of probes.entries()) {
        const res = results[i] as (typeof results)[number]
        for (const [k, want] of p.expected) {
          n++
          if (probeAnswer(t, k, res.values[k]) === want) right++
          else expect(res.confidence[k], `${k} in ${JSON.stringify(p.text)}`).toBeLessThan(0.7)
        }
      }
      expect(right / n).toBeGreaterThanOrEqual(0.97)
    },
  )
})
