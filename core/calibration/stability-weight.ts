/**
 * Fits the stability signal's weight on a student's real outputs: planted errors come without
 * samples, so the other weights are fitted there and this one here, on results the student wrote
 * for labelled reports (`radstruct extract` with K samples, then gold). A grid search over the one
 * weight, minimising the error-weighted log loss that fit.ts minimises, the other weights held.
 */
import type { ConfidenceModel } from '../../schemas/task.ts'
import { combine, type Signals } from '../scoring/combine.ts'

export interface StabilityObservation {
  signals: Signals
  isNull: boolean
  correct: boolean
}

export interface StabilityFit {
  weight: number
  /** Per candidate weight: log loss, and the share of errors and of right values below the threshold. */
  grid: { weight: number; logLoss: number; errorsFlagged: number; rightFlagged: number }[]
}

export function fitStabilityWeight(
  model: ConfidenceModel,
  obs: readonly StabilityObservation[],
  threshold: number,
  errorWeight = 4,
): StabilityFit {
  const grid: StabilityFit['grid'] = []
  const errors = obs.filter((o) => !o.correct).length
  const right = obs.length - errors
  for (let i = 0; i <= 40; i++) {
    const weight = i * 0.05
    const m = { ...model, weights: { ...model.weights, stability: weight } }
    let loss = 0
    let total = 0
    let errorsFlagged = 0
    let rightFlagged = 0
    for (const o of obs) {
      const p = Math.min(1 - 1e-9, Math.max(1e-9, combine(m, o.signals, o.isNull)))
      const w = o.correct ? 1 : errorWeight
      loss -= w * Math.log(o.correct ? p : 1 - p)
      total += w
      if (p < threshold) {
        if (o.correct) rightFlagged++
        else errorsFlagged++
      }
    }
    grid.push({
      weight: Number(weight.toFixed(2)),
      logLoss: loss / Math.max(total, 1),
      errorsFlagged: errors ? errorsFlagged / errors : 0,
      rightFlagged: right ? rightFlagged / right : 0,
    })
  }
  const best = grid.reduce((a, b) => (b.logLoss < a.logLoss ? b : a))
  return { weight: best.weight, grid }
}
