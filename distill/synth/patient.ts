/**
 * A synthetic cardiac MRI patient: sex, body size, vitals and every cmr52 measurement, drawn for a
 * diagnosis and derived from each other the way a scanner's software does (SV = EDV - ESV, EF,
 * CO = SV x HR, indices = value / BSA, ECV from T1 and haematocrit), so the gold is coherent.
 */
import { gauss } from '../../core/random.ts'

export const categories = ['OTHER', 'CAD', 'DCM', 'HCM', 'PAH', 'EBSTEIN'] as const
export type Category = (typeof categories)[number]

export interface Patient {
  sex: 'male' | 'female'
  age: number
  category: Category
  /** Exact (unrounded) values in canonical units; styles round them as they write them. */
  v: Record<string, number>
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x))

interface Profile {
  lvedvi: [number, number]
  lvef: [number, number]
  rvedvi: [number, number]
  rvef: [number, number]
  lvmassi: [number, number]
  rvmassi: [number, number]
  lvedd: [number, number]
  esdRatio: number
  rvedd: [number, number]
  awt: [number, number]
  iwt: [number, number]
  lav: [number, number]
  rav: [number, number]
  t1: [number, number]
}

const normal: Profile = {
  lvedvi: [72, 10],
  lvef: [64, 5],
  rvedvi: [78, 11],
  rvef: [59, 5],
  lvmassi: [50, 7],
  rvmassi: [17, 3],
  lvedd: [4.9, 0.35],
  esdRatio: 0.64,
  rvedd: [4.1, 0.4],
  awt: [0.85, 0.12],
  iwt: [0.75, 0.1],
  lav: [62, 12],
  rav: [65, 14],
  t1: [985, 25],
}

const profiles: Record<Category, Profile> = {
  OTHER: normal,
  CAD: {
    ...normal,
    lvedvi: [98, 18],
    lvef: [41, 9],
    lvmassi: [64, 9],
    lvedd: [5.7, 0.5],
    esdRatio: 0.78,
    lav: [85, 18],
    t1: [1010, 30],
  },
  DCM: {
    ...normal,
    lvedvi: [138, 24],
    lvef: [27, 7],
    rvef: [45, 9],
    lvmassi: [78, 12],
    lvedd: [6.8, 0.5],
    esdRatio: 0.86,
    awt: [0.8, 0.12],
    lav: [105, 22],
    t1: [1060, 35],
  },
  HCM: {
    ...normal,
    lvedvi: [64, 9],
    lvef: [72, 5],
    lvmassi: [105, 20],
    lvedd: [4.4, 0.4],
    esdRatio: 0.5,
    awt: [2.1, 0.35],
    iwt: [1.0, 0.15],
    lav: [98, 20],
    t1: [1050, 40],
  },
  PAH: {
    ...normal,
    lvedvi: [58, 8],
    lvef: [62, 5],
    rvedvi: [132, 22],
    rvef: [31, 7],
    rvmassi: [34, 7],
    rvedd: [5.5, 0.4],
    rav: [140, 35],
  },
  EBSTEIN: { ...normal, rvedvi: [148, 28], rvef: [43, 8], rvedd: [5.8, 0.5], rav: [175, 40] },
}

export function drawPatient(r: () => number, category: Category): Patient {
  const sex = r() < 0.5 ? 'male' : 'female'
  const m = sex === 'male'
  const p = profiles[category]
  const g = (x: [number, number], lo: number, hi: number) => clamp(gauss(r, x[0], x[1]), lo, hi)
  const v: Record<string, number> = {}
  v.HEIGHT = clamp(gauss(r, m ? 176 : 163, m ? 7 : 6), 145, 205)
  v.WEIGHT = clamp(gauss(r, m ? 84 : 69, m ? 13 : 12), 45, 150)
  v.BSA = Math.sqrt((v.HEIGHT * v.WEIGHT) / 3600)
  v.BHR = clamp(gauss(r, category === 'DCM' || category === 'PAH' ? 82 : 68, 11), 45, 120)
  v.SBP = clamp(gauss(r, 127, 15), 90, 185)
  v.DBP = clamp(gauss(r, 77, 9), 50, 110)
  const sexScale = m ? 1 : 0.9
  for (const [side, edvi, ef, massi] of [
    ['LV', p.lvedvi, p.lvef, p.lvmassi],
    ['RV', p.rvedvi, p.rvef, p.rvmassi],
  ] as const) {
    const EDV = g(edvi, 35, 300) * sexScale * v.BSA
    const EF = g(ef, 10, 82)
    const ESV = EDV * (1 - EF / 100)
    const SV = EDV - ESV
    v[`${side}EDV`] = EDV
    v[`${side}ESV`] = ESV
    v[`${side}SV`] = SV
    v[`${side}EF`] = EF
    v[`${side}CO`] = (SV * v.BHR) / 1000
    v[`${side}MASS`] = g(massi, 5, 200) * sexScale * v.BSA
  }
  v.LVEDD = g(p.lvedd, 3, 8.5)
  v.LVESD = v.LVEDD * clamp(gauss(r, p.esdRatio, 0.04), 0.4, 0.95)
  v.RVEDD = g(p.rvedd, 2.8, 7.5)
  v.RVESD = v.RVEDD * clamp(gauss(r, 0.75, 0.05), 0.5, 0.95)
  v.LVAWT = g(p.awt, 0.5, 3.3) * (m ? 1 : 0.9)
  v.LVIWT = g(p.iwt, 0.45, 1.6) * (m ? 1 : 0.9)
  v.LAV = g(p.lav, 25, 250)
  v.RAV = g(p.rav, 25, 320)
  v.LAA2CH = clamp(gauss(r, 14 + v.LAV / 8, 2), 9, 45)
  v.LAA4CH = clamp(gauss(r, 14 + v.LAV / 8, 2), 9, 45)
  v.RAA2CH = clamp(gauss(r, 13 + v.RAV / 9, 2), 9, 50)
  v.RAA4CH = clamp(gauss(r, 13 + v.RAV / 9, 2), 9, 50)
  v.LAL2CH = clamp(gauss(r, 4 + v.LAV / 90, 0.3), 3, 8.5)
  v.LAL4CH = clamp(gauss(r, 4.4 + v.LAV / 90, 0.3), 3, 8.5)
  v.RAL2CH = clamp(gauss(r, 4.2 + v.RAV / 100, 0.3), 3, 8.5)
  v.RAL4CH = clamp(gauss(r, 4 + v.RAV / 100, 0.3), 3, 8.5)
  v.PRET1M = g(p.t1, 880, 1250)
  v.PRET1B = clamp(gauss(r, 1560, 60), 1350, 1800)
  v.POSTT1M = clamp(gauss(r, 460, 35), 320, 620)
  v.POSTT1B = clamp(gauss(r, 285, 25), 200, 380)
  v.HCT = clamp(gauss(r, m ? 43 : 39.5, 2.5), 30, 52)
  return { sex, age: Math.round(clamp(gauss(r, 55, 15), 18, 88)), category, v }
}

/** Fields whose value is another field divided by BSA. */
export const indexedOf: Record<string, string> = {
  LVEDVI: 'LVEDV',
  RVEDVI: 'RVEDV',
  LVESVI: 'LVESV',
  RVESVI: 'RVESV',
  LVCOI: 'LVCO',
  RVCOI: 'RVCO',
  LVMASSI: 'LVMASS',
  RVMASSI: 'RVMASS',
  LVSVI: 'LVSV',
  RVSVI: 'RVSV',
  LAVI: 'LAV',
  RAVI: 'RAV',
}
