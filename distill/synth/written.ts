/**
 * The values as a report writes them: rounded to the report's precision, with derived values
 * computed from the rounded ones (as scanner software does), so that every formula holds within
 * display rounding. Canonical units; styles convert to mm or imperial when they print.
 */
import { indexedOf, type Patient } from './patient.ts'

export interface Precision {
  /** Decimals of volumes and masses (0 in most templates, 1 in vendor exports). */
  volume: number
  /** Decimals of EF and ECV. */
  percent: number
}

const round = (x: number, d: number) => Number(x.toFixed(d))

/** Diameters, wall thicknesses and atrial lengths: cm in the gold, often mm in reports. */
export const lengthFields = [
  'LVEDD',
  'LVESD',
  'RVEDD',
  'RVESD',
  'LVAWT',
  'LVIWT',
  'LAL2CH',
  'LAL4CH',
  'RAL2CH',
  'RAL4CH',
]

export function writtenValues(p: Patient, prec: Precision): Record<string, number> {
  const v = p.v
  const w: Record<string, number> = {}
  w.HEIGHT = Math.round(v.HEIGHT as number)
  w.WEIGHT = Math.round(v.WEIGHT as number)
  w.BSA = round(Math.sqrt((w.HEIGHT * w.WEIGHT) / 3600), 2)
  w.BHR = Math.round(v.BHR as number)
  w.SBP = Math.round(v.SBP as number)
  w.DBP = Math.round(v.DBP as number)
  for (const side of ['LV', 'RV']) {
    const edv = round(v[`${side}EDV`] as number, prec.volume)
    const esv = round(v[`${side}ESV`] as number, prec.volume)
    const sv = round(edv - esv, prec.volume)
    w[`${side}EDV`] = edv
    w[`${side}ESV`] = esv
    w[`${side}SV`] = sv
    w[`${side}EF`] = round((sv / edv) * 100, prec.percent)
    w[`${side}CO`] = round((sv * w.BHR) / 1000, 2)
    w[`${side}MASS`] = round(v[`${side}MASS`] as number, prec.volume)
  }
  for (const k of lengthFields) {
    w[k] = round(v[k] as number, 1)
  }
  for (const k of ['LAA2CH', 'LAA4CH', 'RAA2CH', 'RAA4CH'])
    w[k] = round(v[k] as number, prec.volume === 0 ? 0 : 1)
  w.LAV = round(v.LAV as number, prec.volume)
  w.RAV = round(v.RAV as number, prec.volume)
  for (const [idx, abs] of Object.entries(indexedOf)) {
    const decimals = abs.endsWith('CO') ? 2 : prec.volume === 0 ? 0 : 1
    w[idx] = round((w[abs] as number) / w.BSA, decimals)
  }
  w.PRET1M = Math.round(v.PRET1M as number)
  w.PRET1B = Math.round(v.PRET1B as number)
  w.POSTT1M = Math.round(v.POSTT1M as number)
  w.POSTT1B = Math.round(v.POSTT1B as number)
  w.HCT = round(v.HCT as number, 1)
  const ecv = ((100 - w.HCT) * (1 / w.POSTT1M - 1 / w.PRET1M)) / (1 / w.POSTT1B - 1 / w.PRET1B)
  w.ECV = round(ecv, prec.percent)
  return w
}
