/**
 * House styles: the same patient written as a template table, a vendor export, terse notes, a
 * key=value dump, two-column LV|RV tables, narrative prose or a clinic letter, with varied labels,
 * units (mm or cm, imperial), decimal commas, reference ranges and values from other exams that
 * are never gold. Each style returns the text and the gold of what it stated.
 */
import { bp, label, P, type Printer, printer, type R, type StyleContext, val } from './printer.ts'

export type { StyleContext }

export interface Rendered {
  text: string
  /** Field -> canonical value, for stated fields only. */
  gold: Record<string, number>
  category: string | null
}

const diagnosis: Record<string, string[]> = {
  OTHER: [
    'Normal cardiac MRI.',
    'Structurally normal heart with normal biventricular function.',
    'No evidence of cardiomyopathy.',
    'Findings in keeping with athletic remodelling.',
  ],
  CAD: [
    'Ischaemic heart disease with a subendocardial infarct in the LAD territory.',
    'Prior myocardial infarction (circumflex territory) with impaired LV function.',
    'Coronary artery disease with inferior scar; viability preserved elsewhere.',
  ],
  DCM: [
    'Dilated cardiomyopathy with severely impaired LV systolic function.',
    'Non-ischaemic dilated cardiomyopathy.',
    'Appearances consistent with DCM.',
  ],
  HCM: [
    'Hypertrophic cardiomyopathy with asymmetric septal hypertrophy.',
    'Features of HCM, non-obstructive.',
    'Septal hypertrophy consistent with hypertrophic cardiomyopathy.',
  ],
  PAH: [
    'Pulmonary arterial hypertension with RV dilatation and dysfunction.',
    'Appearances consistent with pulmonary hypertension.',
    'Dilated, hypertrophied RV in keeping with PAH.',
  ],
  EBSTEIN: [
    'Ebstein anomaly of the tricuspid valve.',
    "Ebstein's anomaly with a dilated functional RV and right atrium.",
    'Apically displaced septal leaflet: Ebstein anomaly.',
  ],
}

function distractor(p: Printer, k: string, kind: 'prior' | 'echo'): string {
  const w = p.w[k] as number
  const other = Math.max(1, Math.round(w * (0.75 + p.r() * 0.2)))
  const what = k.startsWith('LV')
    ? P(p.r, ['LVEF', 'LV ejection fraction'])
    : P(p.r, ['RVEF', 'RV ejection fraction'])
  return kind === 'prior'
    ? P(p.r, [
        `Compared with the previous study (${what} ${other}%), function has changed.`,
        `${what} was ${other}% on the prior CMR two years ago.`,
      ])
    : P(p.r, [
        `A recent echocardiogram estimated ${what} at ${other}%.`,
        `Echo: ${what} ${other}%.`,
      ])
}

const sexWord = (s: string, r: R) =>
  s === 'male' ? P(r, ['male', 'man', 'M']) : P(r, ['female', 'woman', 'F'])
/** A diagnosis sentence for a category (the impression line). */
export const diagnosisLine = (r: R, category: string) => P(r, diagnosis[category] as string[])
const conclusion = (ctx: StyleContext) => diagnosisLine(ctx.r, ctx.patient.category)
const chance = (r: R, x: number) => r() < x

const lvFields = [
  'LVEDV',
  'LVEDVI',
  'LVESV',
  'LVESVI',
  'LVSV',
  'LVSVI',
  'LVEF',
  'LVCO',
  'LVCOI',
  'LVMASS',
  'LVMASSI',
]
const rvFields = [
  'RVEDV',
  'RVEDVI',
  'RVESV',
  'RVESVI',
  'RVSV',
  'RVSVI',
  'RVEF',
  'RVCO',
  'RVCOI',
  'RVMASS',
  'RVMASSI',
]
const dims = ['LVEDD', 'LVESD', 'LVAWT', 'LVIWT', 'RVEDD', 'RVESD']
const atria = [
  'LAV',
  'LAVI',
  'RAV',
  'RAVI',
  'LAA2CH',
  'LAA4CH',
  'RAA4CH',
  'LAL2CH',
  'LAL4CH',
  'RAL4CH',
]
const tissue = ['PRET1M', 'PRET1B', 'POSTT1M', 'POSTT1B', 'HCT', 'ECV']

const keep = (r: R, xs: string[], share: number) => xs.filter(() => chance(r, share))

/** Template with dot leaders, sections and reference ranges. */
function table(ctx: StyleContext): Rendered {
  const { r, patient } = ctx
  const p = printer(ctx, { mm: chance(r, 0.3), imperial: chance(r, 0.15) })
  const row = (k: string) => {
    const l = label(r, k)
    const ref =
      chance(r, 0.4) && /EDV|ESV|EF|MASS/.test(k)
        ? `   (ref ${Math.round((p.w[k] as number) * 0.7)}-${Math.round((p.w[k] as number) * 1.3)})`
        : ''
    return `  ${l} ${'.'.repeat(Math.max(2, 38 - l.length))} ${val(p, k)}${ref}`
  }
  const lines = [
    'CARDIAC MRI REPORT',
    `Patient: [REDACTED]   Sex: ${patient.sex === 'male' ? 'Male' : 'Female'}   Age: ${patient.age}`,
    '',
    'MEASUREMENTS',
  ]
  lines.push(' Vitals', ...keep(r, ['HEIGHT', 'WEIGHT', 'BSA', 'BHR'], 0.8).map(row))
  if (chance(r, 0.7)) lines.push(`  Blood pressure ${'.'.repeat(23)} ${bp(p)}`)
  lines.push(
    ' Left ventricle',
    ...keep(r, [...lvFields, 'LVEDD', 'LVESD', 'LVAWT', 'LVIWT'], 0.75).map(row),
  )
  lines.push(' Right ventricle', ...keep(r, [...rvFields, 'RVEDD'], 0.6).map(row))
  if (chance(r, 0.7)) lines.push(' Atria', ...keep(r, atria, 0.6).map(row))
  if (chance(r, 0.5)) lines.push(' Tissue characterisation', ...keep(r, tissue, 0.8).map(row))
  lines.push(
    '',
    `FINDINGS: ${chance(r, 0.5) ? distractor(p, 'LVEF', 'echo') : 'No pericardial effusion.'}`,
    '',
    `IMPRESSION: ${conclusion(ctx)}`,
  )
  return { text: lines.join('\n'), gold: p.gold, category: patient.category }
}

/** Vendor export: "Label [unit]: value" in sections, one decimal. */
function vendor(ctx: StyleContext): Rendered {
  const { r, patient } = ctx
  const p = printer(ctx, { volumeDecimals: 1, mm: chance(r, 0.6) })
  const row = (k: string) => {
    const [v, u] = val(p, k, 'spaced').split(/ (?=[^ ]+$)/) as [string, string]
    return `${label(r, k)} [${u ?? ''}]: ${v}`
  }
  const lines = [
    'Report Export',
    `Sex: ${patient.sex === 'male' ? 'M' : 'F'}   Age [y]: ${patient.age}`,
    '',
    '--- Patient ---',
    ...keep(r, ['HEIGHT', 'WEIGHT', 'BSA', 'BHR'], 0.9).map(row),
  ]
  if (chance(r, 0.6)) lines.push(`Blood pressure [mmHg]: ${bp(p).replace(' mmHg', '')}`)
  lines.push(
    '',
    '--- Short axis - LV ---',
    ...keep(r, lvFields, 0.85).map(row),
    `LV PFR [ml/s]: ${Math.round(300 + r() * 200)}`,
  )
  lines.push('', '--- Short axis - RV ---', ...keep(r, rvFields, 0.7).map(row))
  if (chance(r, 0.6)) lines.push('', '--- Dimensions ---', ...keep(r, dims, 0.7).map(row))
  if (chance(r, 0.5)) lines.push('', '--- T1 mapping ---', ...keep(r, tissue, 0.8).map(row))
  lines.push(
    '',
    'Conclusion:',
    `${conclusion(ctx)} ${chance(r, 0.4) ? distractor(p, 'LVEF', 'prior') : ''}`.trim(),
  )
  return { text: lines.join('\n'), gold: p.gold, category: patient.category }
}

/** Terse notes: one line per chamber, abbreviations, units glued to numbers. */
function terse(ctx: StyleContext): Rendered {
  const { r, patient } = ctx
  const p = printer(ctx, { mm: chance(r, 0.5) })
  const short = (k: string) =>
    k
      .replace(/^(LV|RV|LA|RA)/, '')
      .replace('MASSI', 'mass index')
      .replace('MASS', 'mass')
  const part = (k: string) => `${short(k)} ${val(p, k, 'tight')}`
  const head = `CMR. ${patient.age}${patient.sex === 'male' ? 'M' : 'F'}. ${keep(
    r,
    ['HEIGHT', 'WEIGHT', 'BSA'],
    0.8,
  )
    .map((k) => `${label(r, k)} ${val(p, k, 'tight')}`)
    .join(' ')}. HR ${val(p, 'BHR', 'tight')}.`
  const lines = [
    head,
    `LV: ${keep(r, lvFields, 0.7).map(part).join(', ')}.`,
    `RV: ${keep(r, rvFields, 0.6).map(part).join(', ')}.`,
  ]
  if (chance(r, 0.5))
    lines.push(
      `LA vol ${val(p, 'LAV', 'tight')}${chance(r, 0.5) ? `, RA vol ${val(p, 'RAV', 'tight')}` : ''}.`,
    )
  if (chance(r, 0.5))
    lines.push(`${chance(r, 0.5) ? 'Septum' : 'IVS'} ${val(p, 'LVAWT', 'tight')}.`)
  if (chance(r, 0.4)) lines.push(distractor(p, 'LVEF', 'prior'))
  lines.push(`Imp: ${conclusion(ctx)}`)
  return { text: lines.join('\n'), gold: p.gold, category: patient.category }
}

/** A key=value dump with snake-case keys, units in the key, often decimal commas. */
function keyValue(ctx: StyleContext): Rendered {
  const { r, patient } = ctx
  const p = printer(ctx, { volumeDecimals: 1, comma: chance(r, 0.5) })
  const key = (k: string) => {
    const m = /^(LV|RV|LA|RA)(.+)$/.exec(k)
    return m ? `${m[1]}_${m[2]}` : k
  }
  const lines = [`SEX=${patient.sex === 'male' ? 'M' : 'F'}`, `AGE=${patient.age}`]
  for (const k of keep(
    r,
    ['HEIGHT', 'WEIGHT', 'BSA', 'BHR', ...lvFields, ...rvFields, 'LAV', ...tissue],
    0.7,
  )) {
    const [v, u] = val(p, k, 'spaced').split(/ (?=[^ ]+$)/) as [string, string]
    lines.push(
      `${key(k)}_${(u ?? '').replace('²', '2').replace(/\//g, '_').replace('%', 'PCT').toUpperCase()}=${v}`,
    )
  }
  lines.push(`IMPRESSION=${conclusion(ctx)}`)
  return { text: lines.join('\n'), gold: p.gold, category: patient.category }
}

/** Two columns, LV and RV, under one header row. */
function columns(ctx: StyleContext): Rendered {
  const { r, patient } = ctx
  const p = printer(ctx, {})
  const lines = [
    `Cardiac MR volumetry. ${sexWord(patient.sex, r)}, ${patient.age} years. BSA ${val(p, 'BSA')}.`,
    '',
    `${' '.repeat(20)}LV        RV`,
  ]
  const rows: [string, string, string][] = [
    ['EDV (mL)', 'LVEDV', 'RVEDV'],
    ['ESV (mL)', 'LVESV', 'RVESV'],
    ['SV (mL)', 'LVSV', 'RVSV'],
    ['EF (%)', 'LVEF', 'RVEF'],
    ['Mass (g)', 'LVMASS', 'RVMASS'],
  ]
  for (const [name, a, b] of rows) {
    if (!chance(r, 0.8)) continue
    p.gold[a] = p.w[a] as number
    p.gold[b] = p.w[b] as number
    lines.push(
      `${name.padEnd(20)}${String(p.w[a]).padStart(3)}       ${String(p.w[b]).padStart(3)}`,
    )
  }
  lines.push('', `Conclusion: ${conclusion(ctx)}`)
  return { text: lines.join('\n'), gold: p.gold, category: patient.category }
}

/** Narrative paragraphs. */
function prose(ctx: StyleContext): Rendered {
  const { r, patient } = ctx
  const p = printer(ctx, { mm: chance(r, 0.5), imperial: chance(r, 0.2) })
  const who = `This ${patient.age}-year-old ${patient.sex === 'male' ? 'man' : 'woman'} was referred for cardiac MRI.`
  const body = chance(r, 0.6)
    ? ` Height ${val(p, 'HEIGHT')}, weight ${val(p, 'WEIGHT')}${chance(r, 0.6) ? `, BSA ${val(p, 'BSA')}` : ''}.`
    : ''
  const vit = chance(r, 0.6) ? ` Blood pressure was ${bp(p)} and heart rate ${val(p, 'BHR')}.` : ''
  const lv = `The left ventricle has an end-diastolic volume of ${val(p, 'LVEDV')}${chance(r, 0.5) ? ` (${val(p, 'LVEDVI')})` : ''} and an end-systolic volume of ${val(p, 'LVESV')}, giving an ejection fraction of ${val(p, 'LVEF')}.${chance(r, 0.6) ? ` LV mass is ${val(p, 'LVMASS')}.` : ''}`
  const rv = chance(r, 0.8)
    ? ` The right ventricle measures ${val(p, 'RVEDV')} at end diastole${chance(r, 0.5) ? ` and ${val(p, 'RVESV')} at end systole` : ''}, with an ejection fraction of ${val(p, 'RVEF')}.`
    : ''
  const wall = chance(r, 0.5) ? ` The basal anteroseptum measures ${val(p, 'LVAWT')}.` : ''
  const la = chance(r, 0.5) ? ` The left atrial volume is ${val(p, 'LAV')}.` : ''
  const d = chance(r, 0.5)
    ? ` ${distractor(p, chance(r, 0.5) ? 'LVEF' : 'RVEF', chance(r, 0.5) ? 'prior' : 'echo')}`
    : ''
  const text = `CARDIAC MRI\n\n${who}${body}${vit}\n\n${lv}${rv}${wall}${la}${d}\n\nImpression: ${conclusion(ctx)}`
  return { text, gold: p.gold, category: patient.category }
}

/** A short clinic letter with a handful of values. */
function letter(ctx: StyleContext): Rendered {
  const { r, patient } = ctx
  const p = printer(ctx, { imperial: chance(r, 0.3) })
  const lines = [
    'Cardiology Clinic',
    'Date: [REDACTED]',
    '',
    'Dear Dr [REDACTED],',
    '',
    `Re: [REDACTED], ${patient.age}-year-old ${patient.sex === 'male' ? 'man' : 'woman'}`,
    '',
  ]
  const parts = [`The MRI shows an LV ejection fraction of ${val(p, 'LVEF')}`]
  if (chance(r, 0.6)) parts.push(`an end-diastolic volume of ${val(p, 'LVEDV')}`)
  if (chance(r, 0.5)) parts.push(`an RV ejection fraction of ${val(p, 'RVEF')}`)
  lines.push(`${parts.join(', ')}.${chance(r, 0.6) ? ` ${distractor(p, 'LVEF', 'echo')}` : ''}`)
  if (chance(r, 0.4))
    lines.push(`${patient.sex === 'male' ? 'He' : 'She'} weighs ${val(p, 'WEIGHT')}.`)
  lines.push('', `In summary: ${conclusion(ctx)}`, '', 'Yours sincerely,', '[REDACTED]')
  return { text: lines.join('\n'), gold: p.gold, category: patient.category }
}

export const styles = { table, vendor, terse, keyValue, columns, prose, letter } as const
export type StyleName = keyof typeof styles
