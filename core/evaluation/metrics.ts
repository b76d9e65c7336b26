/** Metrics of confidence against correctness: triage table, calibration (ECE), AUROC. */

export interface Scored {
  confidence: number
  correct: boolean
}

export interface TriageTable {
  threshold: number
  /** Values at or above the threshold (accepted without review). */
  above: { count: number; errors: number; errorRate: number }
  /** Values below it (sent to review). */
  below: { count: number; errors: number; errorRate: number }
  /** Share of wrong values that are flagged (recall of review). */
  errorsFlagged: number
  /** Share of right values that are flagged (review burden). */
  correctFlagged: number
}

export function triageTable(xs: readonly Scored[], threshold: number): TriageTable {
  const above = xs.filter((x) => x.confidence >= threshold)
  const below = xs.filter((x) => x.confidence < threshold)
  const errs = (a: readonly Scored[]) => a.filter((x) => !x.correct).length
  const rate = (n: number, d: number) => (d ? n / d : 0)
  const totalErrors = errs(xs)
  const totalCorrect = xs.length - totalErrors
  return {
    threshold,
    above: { count: above.length, errors: errs(above), errorRate: rate(errs(above), above.length) },
    below: { count: below.length, errors: errs(below), errorRate: rate(errs(below), below.length) },
    errorsFlagged: rate(errs(below), totalErrors),
    correctFlagged: rate(below.length - errs(below), totalCorrect),
  }
}

export interface ReliabilityBin {
  lo: number
  hi: number
  count: number
  meanConfidence: number
  accuracy: number
}

/** Equal-width bins of confidence with the accuracy inside each. */
export function reliabilityBins(xs: readonly Scored[], bins = 10): ReliabilityBin[] {
  const out: ReliabilityBin[] = Array.from({ length: bins }, (_, i) => ({
    lo: i / bins,
    hi: (i + 1) / bins,
    count: 0,
    meanConfidence: 0,
    accuracy: 0,
  }))
  for (const x of xs) {
    const b = out[Math.min(bins - 1, Math.floor(x.confidence * bins))] as ReliabilityBin
    b.count++
    b.meanConfidence += x.confidence
    b.accuracy += x.correct ? 1 : 0
  }
  for (const b of out) {
    if (b.count) {
      b.meanConfidence /= b.count
      b.accuracy /= b.count
    }
  }
  return out
}

/** Expected calibration error: the count-weighted gap between confidence and accuracy per bin. */
export function expectedCalibrationError(xs: readonly Scored[], bins = 10): number {
  if (xs.length === 0) return 0
  return reliabilityBins(xs, bins).reduce(
    (s, b) => s + (b.count / xs.length) * Math.abs(b.meanConfidence - b.accuracy),
    0,
  )
}

/**
 * AUROC of (1 - confidence) as a detector of wrong values: the chance that a random wrong value has
 * lower confidence than a random right one (ties count half). NaN if either class is empty.
 */
export function aurocForErrors(xs: readonly Scored[]): number {
  const sorted = [...xs].sort((a, b) => a.confidence - b.confidence)
  let errors = 0
  let rankSum = 0
  let i = 0
  while (i < sorted.length) {
    let j = i
    while (
      j < sorted.length &&
      (sorted[j] as Scored).confidence === (sorted[i] as Scored).confidence
    )
      j++
    const avgRank = (i + j + 1) / 2
    for (let k = i; k < j; k++) {
      if (!(sorted[k] as Scored).correct) {
        errors++
        rankSum += avgRank
      }
    }
    i = j
  }
  const right = sorted.length - errors
  if (errors === 0 || right === 0) return Number.NaN
  // Mann-Whitney U of the errors ranked from the lowest confidence up
  const u = rankSum - (errors * (errors + 1)) / 2
  return 1 - u / (errors * right)
}

/**
 * The reviewer load: the share of values a reviewer must open, lowest confidence first, until the
 * values as corrected reach `target` accuracy (an opened value counts as right afterwards). Ties in
 * confidence are opened together, wrong values last, so equal confidence earns no credit.
 * 0 when the values are already that good; 1 when only opening everything gets there.
 */
export function reviewerLoad(xs: readonly Scored[], target = 0.995): number {
  if (xs.length === 0) return 0
  const allowed = Math.floor(xs.length * (1 - target) + 1e-9)
  let wrong = xs.filter((x) => !x.correct).length
  if (wrong <= allowed) return 0
  const sorted = [...xs].sort((a, b) => a.confidence - b.confidence)
  // values of equal confidence, in ascending order (a reviewer cannot choose among equals)
  const ties = new Map<number, { right: number; wrong: number }>()
  for (const x of sorted) {
    const t = ties.get(x.confidence) ?? { right: 0, wrong: 0 }
    if (x.correct) t.right++
    else t.wrong++
    ties.set(x.confidence, t)
  }
  let opened = 0
  for (const t of ties.values()) {
    if (wrong - t.wrong > allowed) {
      opened += t.right + t.wrong
      wrong -= t.wrong
      continue
    }
    // inside this tie: right values come first, then wrong ones until the target is met
    opened += t.right + (wrong - allowed)
    return opened / xs.length
  }
  return opened / xs.length
}

export interface ConfidenceSummary {
  triage: TriageTable
  ece: number
  auroc: number
  reliability: ReliabilityBin[]
  /** Share of values opened, lowest confidence first, to reach 99.5 % accuracy (`reviewerLoad`). */
  reviewerLoad: number
}

/** Everything radstruct reports about confidence against correctness, at one threshold. */
export function confidenceSummary(xs: readonly Scored[], threshold: number): ConfidenceSummary {
  return {
    triage: triageTable(xs, threshold),
    ece: expectedCalibrationError(xs),
    auroc: aurocForErrors(xs),
    reliability: reliabilityBins(xs),
    reviewerLoad: reviewerLoad(xs),
  }
}
