import { describe, expect, it } from 'vitest'
import { checkFormulas } from '../../core/scoring/consistency.ts'
import { scoreRecord } from '../../core/scoring/index.ts'
import { generateCorpus } from '../../distill/synth/index.ts'
import { styles } from '../../distill/synth/styles.ts'
import { validateRecord } from '../../schemas/index.ts'
import { task } from '../helpers.ts'

const cmr = task('cmr52')
const corpus = generateCorpus(cmr, { count: 210, seed: 42 })

describe('synthetic CMR corpus', () => {
  it('is reproducible from its seed', () => {
    expect(generateCorpus(cmr, { count: 5, seed: 42 })).toEqual(corpus.slice(0, 5))
    expect(generateCorpus(cmr, { count: 5, seed: 43 })[0]?.text).not.toBe(corpus[0]?.text)
  })

  it('uses every style and every diagnosis', () => {
    expect(new Set(corpus.map((c) => c.style))).toEqual(new Set(Object.keys(styles)))
    expect(new Set(corpus.map((c) => c.gold.CATEGORY))).toEqual(
      new Set(['OTHER', 'CAD', 'DCM', 'HCM', 'PAH', 'EBSTEIN']),
    )
  })

  it('every gold record is a valid cmr52 record and no formula is broken beyond rounding', () => {
    for (const c of corpus) {
      expect(validateRecord(cmr, c.gold).ok, c.id).toBe(true)
      for (const check of checkFormulas(cmr, c.gold))
        expect(check.score, `${c.id} ${cmr.equations[check.index]?.source}`).toBeGreaterThan(0.5)
    }
  })

  it('the gold is in the text: the engine flags under 3 % of gold values', () => {
    let flagged = 0
    let stated = 0
    for (const c of corpus) {
      const r = scoreRecord(cmr, { values: c.gold, text: c.text })
      flagged += r.flagged.length
      stated += Object.values(c.gold).filter((v) => v !== null).length
    }
    expect(flagged / (corpus.length * 53)).toBeLessThan(0.03)
    expect(stated / corpus.length).toBeGreaterThan(10)
  })

  it('keeps identifiers out of the text', () => {
    for (const c of corpus) expect(c.text).not.toMatch(/Patient:\s+(?!\[REDACTED\])/)
  })
})
