/**
 * Fits the confidence model's weights by L2-regularised logistic regression (Newton's method) on
 * labelled signals: y = 1 when the value is right.
 */
import type { ConfidenceModel } from '../../schemas/task.ts'
import { featureOf, type SignalName, type Signals, signalNames } from '../scoring/combine.ts'

export interface LabelledSignals {
  signals: Signals
  isNull: boolean
  correct: boolean
}

/** Signals whose weight is fitted; the others keep the given weight (stability has no labelled samples yet). */
export interface FitOptions {
  fitted: readonly SignalName[]
  fixed: Partial<Record<SignalName, number>>
  l2: number
  /** Weight of each wrong value relative to a right one, so rare errors are not drowned out. */
  errorWeight: number
  /** Intercepts held near a fitted model's (a refit of one new signal on data of another kind
   * must not undo the calibration the old data gave); default: a light pull towards 2. */
  interceptPrior?: { stated: number; null: number; l2: number }
}

/**
 * Fitting on a student's own results (calibrate --fit-from): every signal is real there, the
 * model's probability included, and errors count once each, so that confidence is calibrated.
 */
export const resultsFitOptions: FitOptions = {
  fitted: ['distribution', 'stability', 'consistency', 'grounding', 'model', 'coverage'],
  fixed: {},
  l2: 1,
  errorWeight: 1,
}

export const defaultFitOptions: FitOptions = {
  fitted: ['distribution', 'consistency', 'grounding'],
  fixed: { stability: 1 },
  l2: 1,
  errorWeight: 4,
}

function solve(a: number[][], b: number[]): number[] {
  const n = b.length
  const m = a.map((row, i) => [...row, b[i] as number])
  for (let c = 0; c < n; c++) {
    let p = c
    for (let r = c + 1; r < n; r++)
      if (Math.abs(m[r]?.[c] as number) > Math.abs(m[p]?.[c] as number)) p = r
    ;[m[c], m[p]] = [m[p] as number[], m[c] as number[]]
    const pivot = (m[c] as number[])[c] as number
    for (let r = 0; r < n; r++) {
      if (r === c) continue
      const f = ((m[r] as number[])[c] as number) / pivot
      for (let k = c; k <= n; k++)
        (m[r] as number[])[k] =
          ((m[r] as number[])[k] as number) - f * ((m[c] as number[])[k] as number)
    }
  }
  return m.map((row, i) => (row[n] as number) / (row[i] as number))
}

const interceptL2 = 0.01
const maxStep = 2

export function fitConfidenceModel(
  data: readonly LabelledSignals[],
  opts: FitOptions = defaultFitOptions,
): ConfidenceModel {
  // parameters: [interceptStated, interceptNull, ...weights of fitted signals]
  const p = 2 + opts.fitted.length
  const theta = new Array<number>(p).fill(0)
  const prior = opts.interceptPrior ?? { stated: 2, null: 2, l2: interceptL2 }
  theta[0] = prior.stated
  theta[1] = prior.null
  const rows = data.map((d) => {
    const x = new Array<number>(p).fill(0)
    x[d.isNull ? 1 : 0] = 1
    let offset = 0
    opts.fitted.forEach((s, j) => {
      const v = d.signals[s]
      if (v !== undefined) x[2 + j] = featureOf(s, v)
    })
    for (const [s, w] of Object.entries(opts.fixed)) {
      const v = d.signals[s as SignalName]
      if (v !== undefined) offset += (w as number) * featureOf(s as SignalName, v)
    }
    return { x, offset, y: d.correct ? 1 : 0, w: d.correct ? 1 : opts.errorWeight }
  })
  for (let iter = 0; iter < 100; iter++) {
    const grad = new Array<number>(p).fill(0)
    const hess = Array.from({ length: p }, () => new Array<number>(p).fill(0))
    for (const r of rows) {
      let z = r.offset
      for (let j = 0; j < p; j++) z += (theta[j] as number) * (r.x[j] as number)
      const mu = 1 / (1 + Math.exp(-z))
      for (let j = 0; j < p; j++) {
        grad[j] = (grad[j] as number) + r.w * (r.y - mu) * (r.x[j] as number)
        for (let k = 0; k < p; k++) {
          const row = hess[j] as number[]
          row[k] =
            (row[k] as number) + r.w * mu * (1 - mu) * (r.x[j] as number) * (r.x[k] as number)
        }
      }
    }
    // ridge on the weights; a light one on the intercepts, so that a class with no errors
    // (nulls that are all right, say) cannot push its intercept to infinity
    for (let j = 0; j < p; j++) {
      const l2 = j < 2 ? prior.l2 : opts.l2
      const centre = j === 0 ? prior.stated : j === 1 ? prior.null : 0
      grad[j] = (grad[j] as number) - l2 * ((theta[j] as number) - centre)
      ;(hess[j] as number[])[j] = ((hess[j] as number[])[j] as number) + l2
    }
    const step = solve(hess, grad)
    let size = 0
    for (let j = 0; j < p; j++) size = Math.max(size, Math.abs(step[j] as number))
    // damped Newton: no parameter moves by more than maxStep at once
    const damp = size > maxStep ? maxStep / size : 1
    for (let j = 0; j < p; j++) theta[j] = (theta[j] as number) + damp * (step[j] as number)
    if (size < 1e-8) break
  }
  const weights: ConfidenceModel['weights'] = {
    distribution: 1,
    stability: 1,
    consistency: 1,
    grounding: 1,
  }
  for (const s of signalNames) if (opts.fixed[s] !== undefined) weights[s] = opts.fixed[s] as number
  opts.fitted.forEach((s, j) => {
    weights[s] = Number((theta[2 + j] as number).toFixed(4))
  })
  return {
    intercept: Number((theta[0] as number).toFixed(4)),
    interceptNull: Number((theta[1] as number).toFixed(4)),
    weights,
  }
}

/**
 * The fit with every weight at least 0: a signal whose fitted weight comes out negative (more
 * disagreement read as more confidence, noise on a small set) is held at 0 and the rest refitted.
 */
export function fitNonNegative(
  data: readonly LabelledSignals[],
  opts: FitOptions = resultsFitOptions,
): ConfidenceModel {
  let o = opts
  for (;;) {
    const m = fitConfidenceModel(data, o)
    const negative = o.fitted.filter((s) => (m.weights[s] ?? 0) < 0)
    if (negative.length === 0) return m
    o = {
      ...o,
      fitted: o.fitted.filter((s) => !negative.includes(s)),
      fixed: { ...o.fixed, ...Object.fromEntries(negative.map((s) => [s, 0])) },
    }
  }
}
