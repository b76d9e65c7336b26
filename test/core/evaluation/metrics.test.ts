import { describe, expect, it } from 'vitest'
import { evaluate } from '../../../core/evaluation/compare.ts'
import {
  aurocForErrors,
  expectedCalibrationError,
  triageTable,
} from '../../../core/evaluation/metrics.ts'
import { reliabilitySvg } from '../../../core/evaluation/reliability-svg.ts'
import { sample, task } from '../../helpers.ts'

describe('metrics', () => {
  it('AUROC is 1 when every wrong value has lower confidence, 0.5 for ties, 0 reversed', () => {
    const good = [
      { confidence: 0.1, correct: false },
      { confidence: 0.9, correct: true },
      { confidence: 0.8, correct: true },
    ]
    expect(aurocForErrors(good)).toBe(1)
    expect(
      aurocForErrors([
        { confidence: 0.5, correct: false },
        { confidence: 0.5, correct: true },
      ]),
    ).toBe(0.5)
    expect(
      aurocForErrors([
        { confidence: 0.9, correct: false },
        { confidence: 0.1, correct: true },
      ]),
    ).toBe(0)
    expect(aurocForErrors([{ confidence: 0.9, correct: true }])).toBeNaN()
  })

  it('ECE is the weighted gap between confidence and accuracy', () => {
    expect(
      expectedCalibrationError([
        { confidence: 0.95, correct: true },
        { confidence: 0.95, correct: false },
      ]),
    ).toBeCloseTo(0.45)
    expect(expectedCalibrationError([])).toBe(0)
  })

  it('triage table splits at the threshold', () => {
    const t = triageTable(
      [
        { confidence: 0.2, correct: false },
        { confidence: 0.6, correct: true },
        { confidence: 0.9, correct: true },
        { confidence: 0.95, correct: false },
      ],
      0.7,
    )
    expect(t).toMatchObject({
      above: { count: 2, errors: 1, errorRate: 0.5 },
      below: { count: 2, errors: 1 },
      errorsFlagged: 0.5,
      correctFlagged: 0.5,
    })
  })

  it('the reliability plot is an SVG with one bar per non-empty bin', () => {
    const svg = reliabilitySvg(
      [{ lo: 0.9, hi: 1, count: 3, meanConfidence: 0.95, accuracy: 1 }],
      'x < y',
    )
    expect(svg).toMatch(/^<svg/)
    expect(svg.match(/<rect x=/g)).toHaveLength(1)
    expect(svg).toContain('x &lt; y')
  })
})

describe('evaluate', () => {
  const cmr = task('cmr52')
  const { gold } = sample('cmr52', '001')

  it('counts omissions, hallucinations and wrong values; nulls count as values', () => {
    const pred = { ...gold, LVEDV: null, RVMASS: 30, LVEF: 66 }
    const e = evaluate(cmr, [
      { id: '001', pred, gold },
      { id: '001b', pred: gold, gold },
    ])
    expect(e.errors).toEqual({ omission: 1, hallucination: 1, wrong_value: 1 })
    expect(e.variableAccuracy).toBeCloseTo((106 - 3) / 106)
    expect(e.exactMatch).toBe(0.5)
    expect(e.confidence).toBeUndefined()
  })

  it('adds triage and calibration when predictions carry confidence', () => {
    const confidence = Object.fromEntries(
      cmr.fields.map((f) => [f.key, f.key === 'LVEF' ? 0.2 : 0.99]),
    )
    const e = evaluate(cmr, [{ id: '001', pred: { ...gold, LVEF: 66 }, gold, confidence }])
    expect(e.confidence?.triage.errorsFlagged).toBe(1)
    expect(e.confidence?.auroc).toBe(1)
  })
})
