/**
 * Combines the per-field signals into one confidence by logistic pooling:
 *
 *   confidence = sigmoid(b + sum_s w_s * logit(clamp(s)))
 *
 * over the signals that apply to the field (a missing signal adds nothing, it is not counted as
 * agreement). b is one intercept for stated values and another for nulls, since an omission and a
 * wrong value leave different traces. The weights are fitted by logistic regression on labelled
 * data (`radstruct calibrate`) and stored in the task file; docs/confidence.md has the derivation.
 */
import type { ConfidenceModel } from '../../schemas/task.ts'
import { clamp, logit, sigmoid } from '../numbers.ts'

/** `model`: an encoder's own probability for its choice (absent for generative students).
 * `coverage`: how much of the report the reading covered, for this field (coverage.ts). */
export const signalNames = [
  'distribution',
  'stability',
  'consistency',
  'grounding',
  'model',
  'coverage',
] as const
export type SignalName = (typeof signalNames)[number]
export type Signals = Partial<Record<SignalName, number>>

/** Signals are clamped to [eps, 1 - eps] so that one signal cannot decide alone with infinite weight. */
export const signalEps = 0.01

/** Used when a task file has no fitted model: every signal counts as a calibrated probability. */
export const defaultConfidenceModel: ConfidenceModel = {
  intercept: 2,
  interceptNull: 2,
  weights: { distribution: 1, stability: 1, consistency: 1, grounding: 1 },
}

/** The signal as the model's input feature: its log-odds. */
export function signalFeature(s: number): number {
  // most signals are exactly 1 (fully plausible, consistent, agreeing): skip the log for them
  return s >= 1 - signalEps ? maxFeature : logit(clamp(s, signalEps, 1 - signalEps))
}

const maxFeature = logit(1 - signalEps)

/**
 * Coverage enters as a discount, ln(coverage): 0 when the reading covered the report, so that a
 * report read in full keeps the calibration its other signals were fitted with; only a shortfall
 * speaks (full coverage is no evidence that a value is right, a gap is evidence it may be wrong).
 */
export function coverageFeature(c: number): number {
  return c >= 1 ? 0 : Math.log(Math.max(c, signalEps))
}

/** A signal's feature in the pool: its log-odds, or for coverage its log. */
export function featureOf(name: SignalName, s: number): number {
  return name === 'coverage' ? coverageFeature(s) : signalFeature(s)
}

/** The pool that applies: the one fitted with the model's probability when the value has one. */
function poolFor(model: ConfidenceModel, hasModelProbability: boolean) {
  return hasModelProbability && model.withModel ? model.withModel : model
}

export function combine(task: ConfidenceModel, signals: Signals, isNull: boolean): number {
  const model = poolFor(task, signals.model !== undefined)
  let z = isNull ? model.interceptNull : model.intercept
  for (const name of signalNames) {
    const s = signals[name]
    if (s !== undefined) z += (model.weights[name] ?? 0) * featureOf(name, s)
  }
  return sigmoid(z)
}

/** combine() over NaN-for-absent numbers, for the columnar hot path. */
export function combineFeatures(
  model: ConfidenceModel,
  distribution: number,
  stability: number,
  consistency: number,
  grounding: number,
  modelProbability: number,
  coverage: number,
  isNull: boolean,
): number {
  const pool = poolFor(model, !Number.isNaN(modelProbability))
  const w = pool.weights
  let z = isNull ? pool.interceptNull : pool.intercept
  if (!Number.isNaN(distribution)) z += w.distribution * signalFeature(distribution)
  if (!Number.isNaN(stability)) z += w.stability * signalFeature(stability)
  if (!Number.isNaN(consistency)) z += w.consistency * signalFeature(consistency)
  if (!Number.isNaN(grounding)) z += w.grounding * signalFeature(grounding)
  if (!Number.isNaN(modelProbability) && w.model) z += w.model * signalFeature(modelProbability)
  if (!Number.isNaN(coverage) && w.coverage) z += w.coverage * coverageFeature(coverage)
  return sigmoid(z)
}
