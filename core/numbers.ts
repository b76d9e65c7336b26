/** Number helpers shared by the signals: decimals as written, and equality up to rounding. */

/** Decimals in the shortest form of a number (2.10 -> 1, 124 -> 0, 1e-7 -> 7). */
export function decimals(v: number): number {
  if (Number.isInteger(v)) return 0
  const a = Math.abs(v)
  // the usual case, 1-3 decimals: the double of the short decimal is exactly this number
  for (let d = 1, p = 10; d <= 3; d++, p *= 10) if (Math.round(a * p) / p === a) return d
  const s = String(a)
  const e = s.indexOf('e-')
  if (e >= 0)
    return Number(s.slice(e + 2)) + Math.max(0, s.indexOf('.') >= 0 ? e - s.indexOf('.') - 1 : 0)
  const dot = s.indexOf('.')
  return dot < 0 ? 0 : s.length - dot - 1
}

/**
 * Half a unit in the last written place: the rounding a displayed value may carry. JSON drops
 * trailing zeros, so a small whole number (BSA 3, from "3.0") is taken to have had one decimal.
 */
export function halfUlp(v: number): number {
  const d = decimals(v)
  if (d === 0 && Math.abs(v) < 10) return 0.05
  return 0.5 * 10 ** -Math.min(d, 6)
}

/** Same value as written (124 and 124.0 agree; 5.1 and 5.12 do not). */
export function sameValue(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x))
}

export function logit(p: number): number {
  return Math.log(p / (1 - p))
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z))
}
