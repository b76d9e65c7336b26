import { describe, expect, it } from 'vitest'
import { loadTask } from '../../../cli/io.ts'
import { encoderInputs } from '../../../core/encoder/inputs.ts'
import { labelFeatureCount, tokenFeatureCount, wordFeatures } from '../../../core/encoder/labels.ts'
import { tokenize } from '../../../core/encoder/tokens.ts'
import { scanText } from '../../../core/text/scan.ts'
import { readableText, sectionAt, sections } from '../../../core/text/sections.ts'

const cxr = loadTask('cxr14')
const labelKeys = cxr.fields.filter((f) => f.kind === 'label').map((f) => f.key)

/** The token features of each word of `text`, by the word. */
function features(text: string) {
  const scan = scanText(cxr, text)
  const tokens = tokenize(scan)
  const w = wordFeatures(cxr, text, tokens)
  const S = tokenFeatureCount
  const L = labelKeys.length
  return (word: string, nth = 0) => {
    const i = tokens
      .map((t, j) => [text.slice(t.start, t.end), j] as const)
      .filter(([s]) => s === word)[nth]?.[1]
    if (i === undefined) throw new Error(`no token ${word}`)
    const f = Array.from(w.token.subarray(i * S, (i + 1) * S))
    const at = (label: string) => (i * L + labelKeys.indexOf(label)) * labelFeatureCount
    const alias = (label: string) => w.label[at(label)]
    /** The scoped status the label's mention states at this token, or undefined. */
    const status = (label: string) =>
      (['positive', 'negative', 'uncertain'] as const).find(
        (_, k) => w.label[at(label) + 2 + k] === 1,
      )
    return {
      question: f[0],
      findings: f[1],
      conclusion: f[2],
      negBefore: f[3],
      uncBefore: f[4],
      negAfter: f[5],
      uncAfter: f[6],
      alias,
      status,
      clause: w.clause[i],
    }
  }
}

describe('negation and hedging scope', () => {
  it('carries "no" over a list of findings in its clause', () => {
    const f = features('No pleural effusion or pneumothorax.')
    expect(f('effusion').negBefore).toBe(1)
    expect(f('pneumothorax').negBefore).toBe(1)
  })

  it('does not carry a negation backwards or past the end of its sentence', () => {
    const f = features('Small effusion without pneumothorax. Cardiomegaly is present.')
    expect(f('effusion').negBefore).toBe(0)
    expect(f('pneumothorax').negBefore).toBe(1)
    expect(f('Cardiomegaly').negBefore).toBe(0)
  })

  it('stops at a semicolon and at "but"', () => {
    const f = features(
      'No effusion; small pneumothorax. No consolidation but atelectasis at the base.',
    )
    expect(f('pneumothorax').negBefore).toBe(0)
    expect(f('atelectasis').negBefore).toBe(0)
    expect(f('consolidation').negBefore).toBe(1)
  })

  it('marks findings before an after-cue ("cannot be excluded", "is not widened")', () => {
    const f = features('Early pneumonia cannot be excluded. The mediastinum is not widened.')
    expect(f('pneumonia').uncAfter).toBe(1)
    expect(f('mediastinum').negAfter).toBe(1)
    expect(f('pneumonia').negAfter).toBe(0)
  })

  it('matches aliases to their labels, multi-word ones on every token', () => {
    const f = features('Right pleural effusion. Endotracheal tube in place.')
    expect(f('pleural').alias('Pleural Effusion')).toBe(1)
    expect(f('effusion').alias('Pleural Effusion')).toBe(1)
    expect(f('tube').alias('Support Devices')).toBe(1)
    expect(f('effusion').alias('Pneumothorax')).toBe(0)
  })
})

describe('scoped mention status', () => {
  it('marks each token of a mention with the status its scope gives', () => {
    const f = features(
      'Heart size is mildly enlarged. No pneumothorax. Effusion cannot be excluded.',
    )
    expect(f('Heart').status('Cardiomegaly')).toBe('positive')
    expect(f('enlarged').status('Cardiomegaly')).toBe('positive')
    expect(f('pneumothorax').status('Pneumothorax')).toBe('negative')
    expect(f('Effusion').status('Pleural Effusion')).toBe('uncertain')
    expect(f('Effusion').status('Pneumothorax')).toBeUndefined()
  })

  it('a question states nothing: the alias is marked, no status', () => {
    const f = features('INDICATION: Evaluate for pneumonia.\nFINDINGS: Clear lungs.')
    expect(f('pneumonia').alias('Pneumonia')).toBe(1)
    expect(f('pneumonia').status('Pneumonia')).toBeUndefined()
  })
})

describe('sections', () => {
  const report = `EXAMINATION: Chest radiograph.
INDICATION: Evaluate for pneumonia.
FINDINGS:
No effusion.
IMPRESSION: Normal chest.`

  it('finds headings inline and on their own line', () => {
    const kinds = sections(report).map((s) => s.kind)
    expect(kinds).toEqual(['question', 'question', 'findings', 'conclusion'])
  })

  it('marks each token with its section', () => {
    const f = features(report)
    expect(f('pneumonia').question).toBe(1)
    expect(f('effusion').findings).toBe(1)
    expect(f('Normal').conclusion).toBe(1)
    expect(sectionAt(sections(report), 0)).toBe('question')
  })

  it('reads only the task sections, keeping offsets, and the whole report without them', () => {
    const kept = readableText(report, ['conclusion'])
    expect(kept.length).toBe(report.length)
    expect(kept).toContain('IMPRESSION: Normal chest.')
    expect(kept).not.toContain('pneumonia')
    expect(kept.split('\n').length).toBe(report.split('\n').length)
    expect(readableText('No effusion.', ['conclusion'])).toBe('No effusion.')
  })
})

describe('word task inputs', () => {
  it('packs token and label features per window for a label task, none for cmr52', () => {
    const text = 'No effusion. XXXX was notified. Possible pneumonia.'
    const inputs = encoderInputs(cxr, scanText(cxr, text))
    expect(inputs.labels.map((l) => l.key)).toEqual(labelKeys)
    expect(inputs.tokenFeatures.length).toBe(inputs.batch * inputs.length * tokenFeatureCount)
    expect(inputs.labelFeatures.length).toBe(
      inputs.batch * inputs.length * labelKeys.length * labelFeatureCount,
    )
    const cmr = loadTask('cmr52')
    expect(encoderInputs(cmr, scanText(cmr, 'LVEF 55 %')).tokenFeatures.length).toBe(0)
  })
})
