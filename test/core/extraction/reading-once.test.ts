/**
 * One reading per report: an extraction decodes each report once, scans it once, folds its text
 * once (in the scan) and reads its label mentions once, however many readers (the encoder's word
 * features, the settling rules, grounding, the No Finding rule) take them. The modules are
 * wrapped only to count the calls; the extraction runs the shipped cxr14 student in onnxruntime.
 */
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'

const calls = { decode: 0, scan: 0, foldReport: 0, mentions: new Set<object>() }

vi.mock('../../../core/decode/index.ts', async (original) => {
  const m = await original<typeof import('../../../core/decode/index.ts')>()
  return {
    ...m,
    decodeReport: (text: string) => {
      calls.decode++
      return m.decodeReport(text)
    },
  }
})
vi.mock('../../../core/text/scan.ts', async (original) => {
  const m = await original<typeof import('../../../core/text/scan.ts')>()
  return {
    ...m,
    scanText: (...a: Parameters<typeof m.scanText>) => {
      calls.scan++
      return m.scanText(...a)
    },
    // a reader outside the scan folding a whole report again (vocabulary phrases are short)
    foldText: (text: string) => {
      if (text.length > 150) calls.foldReport++
      return m.foldText(text)
    },
  }
})
vi.mock('../../../core/text/mentions.ts', async (original) => {
  const m = await original<typeof import('../../../core/text/mentions.ts')>()
  return {
    ...m,
    scopeMentions: (...a: Parameters<typeof m.scopeMentions>) => {
      const r = m.scopeMentions(...a)
      calls.mentions.add(r)
      return r
    },
  }
})

const { OnnxEncoderBackend } = await import('../../../adapters/backends/encoder.ts')
const { referenceModelsDir } = await import('../../../adapters/backends/reference-student.ts')
const { extractBatch } = await import('../../../core/extraction/pipeline.ts')
const { defaultSampling } = await import('../../../core/run-settings.ts')
const { sample, task } = await import('../../helpers.ts')

describe('one reading per report', () => {
  it('decodes, scans, folds and reads the mentions of each report once per extraction', async () => {
    const cxr = task('cxr14')
    const backend = await OnnxEncoderBackend.open({
      modelDir: join(referenceModelsDir, 'encoder-cxr14'),
      threads: 1,
    })
    const jobs = ['001', '002', '003'].map((id) => ({
      site: 's',
      batch: 'b',
      reportId: id,
      text: sample('cxr14', id).text,
    }))
    const results = await extractBatch(cxr, backend, jobs, defaultSampling)
    expect(results).toHaveLength(3)
    expect(calls.decode).toBe(3)
    expect(calls.scan).toBe(3)
    expect(calls.foldReport).toBe(0)
    expect(calls.mentions.size).toBe(3)
    await backend.close()
  })
})
