/**
 * How a synthetic report prints a value: its label (varied wording), its unit (mL or ml, mm or cm,
 * imperial), decimal commas and trailing zeros, while recording the gold of everything it prints.
 */
import { pick } from '../../core/random.ts'
import type { Patient } from './patient.ts'
import { lengthFields, writtenValues } from './written.ts'

export type R = () => number
export const P = <T>(r: R, xs: readonly T[]) => pick(r, xs) as T

export interface Printer {
  r: R
  /** Decimals of volumes, masses and areas as printed (reports keep trailing zeros: "5.0 cm"). */
  volumeDecimals: number
  comma: boolean
  mm: boolean
  imperial: boolean
  gold: Record<string, number>
  w: Record<string, number>
}

const mmFields = new Set(lengthFields)

function num(p: Printer, x: number, decimals?: number): string {
  const s = decimals === undefined ? String(x) : x.toFixed(decimals)
  return p.comma ? s.replace('.', ',') : s
}

const unitOf: Record<string, string[]> = {
  vol: ['mL', 'ml', 'mL'],
  voli: ['mL/m²', 'ml/m2', 'mL/m2'],
  mass: ['g'],
  massi: ['g/m²', 'g/m2'],
  pct: ['%'],
  co: ['L/min', 'l/min'],
  coi: ['L/min/m²', 'l/min/m2'],
  area: ['cm²', 'cm2'],
  ms: ['ms'],
}

function unitKind(k: string): string {
  if (/^(LV|RV)(EDV|ESV|SV)$|^(LA|RA)V$/.test(k)) return 'vol'
  if (/^(LV|RV)(EDV|ESV|SV)I$|^(LA|RA)VI$/.test(k)) return 'voli'
  if (/MASSI$/.test(k)) return 'massi'
  if (/MASS$/.test(k)) return 'mass'
  if (/EF$|^HCT$|^ECV$/.test(k)) return 'pct'
  if (/COI$/.test(k)) return 'coi'
  if (/CO$/.test(k)) return 'co'
  if (/^(LA|RA)A/.test(k)) return 'area'
  if (/T1/.test(k)) return 'ms'
  return 'len'
}

/**
 * Writes a field's value with its unit, records its gold, and returns the text: `tight` glues the
 * unit to the number ("182ml"), `spaced` always separates them, `natural` varies as reports do.
 */
export function val(
  p: Printer,
  k: string,
  mode: 'tight' | 'spaced' | 'natural' = 'natural',
): string {
  const w = p.w[k] as number
  const tight = mode === 'tight'
  const sp = tight ? '' : ' '
  if (k === 'HEIGHT' && p.imperial) {
    const inches = Math.round(w / 2.54)
    p.gold[k] = Number((inches * 2.54).toFixed(2))
    return `${inches}${sp}in`
  }
  if (k === 'WEIGHT' && p.imperial) {
    const lb = Math.round(w / 0.45359237)
    p.gold[k] = Number((lb * 0.45359237).toFixed(2))
    return `${lb}${sp}lb`
  }
  p.gold[k] = w
  if (k === 'HEIGHT') return `${num(p, w)}${sp}cm`
  if (k === 'WEIGHT') return `${num(p, w)}${sp}kg`
  if (k === 'BSA') return `${num(p, w, 2)}${sp}${P(p.r, ['m²', 'm2'])}`
  if (k === 'BHR') return `${w}${sp}${P(p.r, ['bpm', 'beats/min', '/min'])}`
  const kind = unitKind(k)
  if (kind === 'len')
    return p.mm && mmFields.has(k) ? `${Math.round(w * 10)}${sp}mm` : `${num(p, w, 1)}${sp}cm`
  const decimals =
    kind === 'co' || kind === 'coi' ? 2 : kind === 'ms' ? 0 : k === 'HCT' ? 1 : p.volumeDecimals
  const pctSpace = mode === 'natural' ? P(p.r, ['', ' ']) : sp
  return `${num(p, w, decimals)}${kind === 'pct' ? pctSpace : sp}${P(p.r, unitOf[kind] as string[])}`
}

export const bp = (p: Printer) => {
  p.gold.SBP = p.w.SBP as number
  p.gold.DBP = p.w.DBP as number
  return `${p.w.SBP}/${p.w.DBP} mmHg`
}

const chamber: Record<string, string[]> = {
  LV: ['LV', 'Left ventricular', 'Left ventricle'],
  RV: ['RV', 'Right ventricular', 'Right ventricle'],
}
const quantity: Record<string, string[]> = {
  EDV: ['end-diastolic volume', 'EDV', 'end diastolic volume'],
  ESV: ['end-systolic volume', 'ESV', 'end systolic volume'],
  SV: ['stroke volume', 'SV'],
  EF: ['ejection fraction', 'EF'],
  CO: ['cardiac output', 'CO'],
  MASS: ['mass', 'myocardial mass'],
  EDD: ['end-diastolic diameter', 'EDD', 'diastolic diameter'],
  ESD: ['end-systolic diameter', 'ESD', 'systolic diameter'],
}
const indexWord = ['index', 'indexed', '/BSA']

export function label(r: R, k: string): string {
  const m = /^(LV|RV)(EDV|ESV|SV|EF|CO|MASS|EDD|ESD)(I?)$/.exec(k)
  if (m) {
    const [, side, q, idx] = m as unknown as [string, string, string, string]
    if (q === 'CO' && idx)
      return `${P(r, chamber[side] as string[])} ${P(r, ['cardiac index', 'CI'])}`
    const base = `${P(r, chamber[side] as string[])} ${P(r, quantity[q] as string[])}`
    if (!idx) return base
    const iw = P(r, indexWord)
    return iw === '/BSA' ? `${base}/BSA` : `${base} ${iw}`
  }
  const fixed: Record<string, string[]> = {
    HEIGHT: ['Height', 'Ht'],
    WEIGHT: ['Weight', 'Wt', 'Body weight'],
    BSA: ['Body surface area', 'BSA'],
    BHR: ['Heart rate', 'HR'],
    LVAWT: [
      'Anteroseptal wall thickness',
      'Septal thickness',
      'IVS thickness',
      'Basal anteroseptum',
    ],
    LVIWT: ['Inferolateral wall thickness', 'Posterior wall thickness', 'Inferolateral wall'],
    LAV: ['LA volume', 'Left atrial volume', 'LA vol'],
    LAVI: ['LA volume index', 'Left atrial volume index', 'LA vol/BSA'],
    RAV: ['RA volume', 'Right atrial volume'],
    RAVI: ['RA volume index', 'Right atrial volume index'],
    PRET1M: ['Native T1 myocardium', 'Native myocardial T1', 'T1 native (myocardium)'],
    PRET1B: ['Native T1 blood pool', 'Native blood T1', 'T1 native (blood)'],
    POSTT1M: ['Post-contrast T1 myocardium', 'Post-contrast myocardial T1'],
    POSTT1B: ['Post-contrast T1 blood pool', 'Post-contrast blood T1'],
    HCT: ['Haematocrit', 'Hematocrit', 'Hct'],
    ECV: ['Extracellular volume', 'ECV', 'Extracellular volume fraction'],
  }
  if (fixed[k]) return P(r, fixed[k] as string[])
  const a = /^(LA|RA)(A|L)(2CH|4CH)$/.exec(k)
  if (a) {
    const [, side, q, view] = a as unknown as [string, string, string, string]
    const v =
      view === '2CH'
        ? P(r, ['2-chamber', 'two-chamber', '2CH'])
        : P(r, ['4-chamber', 'four-chamber', '4CH'])
    return `${side} ${q === 'A' ? 'area' : 'length'} ${v}`
  }
  return k
}

export interface StyleContext {
  r: R
  patient: Patient
}

export function printer(
  ctx: StyleContext,
  opts: Partial<Printer> & { volumeDecimals?: number },
): Printer {
  const w = writtenValues(ctx.patient, {
    volume: opts.volumeDecimals ?? 0,
    percent: opts.volumeDecimals ? 1 : 0,
  })
  const volumeDecimals = opts.volumeDecimals ?? 0
  return {
    r: ctx.r,
    volumeDecimals,
    comma: opts.comma ?? false,
    mm: opts.mm ?? false,
    imperial: opts.imperial ?? false,
    gold: {},
    w,
  }
}
