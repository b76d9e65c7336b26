/**
 * The compositional CMR corpus: each report draws, independently, a layout (prose, bullets,
 * key: value, key=value, pipe / box / tab / space-aligned tables, LV | RV columns, vendor export),
 * a language for labels and headings, number formats (decimal commas, thousands separators, units
 * on the next line, mm or cm, imperial), distractors (prior and echo values, reference ranges,
 * thresholds, catheter pressures, aorta and PA sizes) and content (missing sections, values only
 * in words or ranges). Layout families and languages can be held out whole to measure how far a
 * student generalises to styles it never saw.
 */
import { rng } from '../../core/random.ts'
import type { TaskRecord } from '../../schemas/record.ts'
import type { Task } from '../../schemas/task.ts'
import { chamberGrid, dotted, scoped, vertical } from './exports.ts'
import { pickFamilies } from './families.ts'
import { fieldLabel, type Language, languages, lexiconOf } from './languages.ts'
import { categories, drawPatient, indexedOf } from './patient.ts'
import { P, type Printer, printer, type R, val } from './printer.ts'
import { diagnosisLine } from './styles.ts'

export const layouts = [
  'prose',
  'bullets',
  'keyValue',
  'keyEquals',
  'pipeTable',
  'boxTable',
  'tabTable',
  'alignedTable',
  'columns',
  'vendor',
  'chamberGrid',
  'scoped',
  'vertical',
  'dotted',
] as const
export type Layout = (typeof layouts)[number]

/** Layouts grouped into the families held out together. */
export const layoutFamily: Record<Layout, string> = {
  prose: 'prose',
  bullets: 'lists',
  keyValue: 'lists',
  keyEquals: 'lists',
  pipeTable: 'grid',
  boxTable: 'grid',
  tabTable: 'plain',
  alignedTable: 'plain',
  columns: 'columns',
  vendor: 'vendor',
  chamberGrid: 'chambergrid',
  scoped: 'scoped',
  vertical: 'vertical',
  dotted: 'dotted',
}

export interface ComposedReport {
  id: string
  layout: Layout
  language: Language
  /** The families this report belongs to: its layout family and `lang:<language>`. */
  families: string[]
  text: string
  gold: TaskRecord
}

export interface ComposeOptions {
  count: number
  seed: number
  /** Families to leave out (e.g. ['grid', 'lang:it']). */
  exclude?: readonly string[]
  /** Only these families (e.g. ['grid'] to test on it). */
  only?: readonly string[]
}

const sections = {
  patient: ['HEIGHT', 'WEIGHT', 'BSA', 'BHR'],
  lv: [
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
    'LVEDD',
    'LVESD',
    'LVAWT',
    'LVIWT',
  ],
  rv: [
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
    'RVEDD',
    'RVESD',
  ],
  atria: [
    'LAV',
    'LAVI',
    'RAV',
    'RAVI',
    'LAA2CH',
    'LAA4CH',
    'RAA2CH',
    'RAA4CH',
    'LAL2CH',
    'LAL4CH',
    'RAL2CH',
    'RAL4CH',
  ],
  tissue: ['PRET1M', 'PRET1B', 'POSTT1M', 'POSTT1B', 'HCT', 'ECV'],
} as const
type SectionName = keyof typeof sections

interface Row {
  key: string
  label: string
  num: string
  unit: string
  /** Reference range and prior value, printed by layouts that have such columns. */
  ref?: string
  prior?: string
  /** An indexed value printed under or beside this one without a label of its own. */
  companion?: Row
}

interface Ctx {
  r: R
  lang: Language
  p: Printer
  unitBreak: boolean
  thousands: boolean
}

const chance = (r: R, x: number) => r() < x
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(1, n - s.length))

function split(text: string): [string, string] {
  const i = text.lastIndexOf(' ')
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)]
}

function fmtNum(c: Ctx, s: string): string {
  // "1,150 ms": thousands separators only where a comma cannot read as a decimal
  if (c.thousands && !c.p.comma && /^\d{4}$/.test(s)) return `${s[0]},${s.slice(1)}`
  return s
}

function other(c: Ctx, k: string): string {
  const w = c.p.w[k] as number
  const x = w * (0.75 + c.r() * 0.5)
  const s = Number.isInteger(w) ? String(Math.round(x)) : x.toFixed(1)
  return c.p.comma ? s.replace('.', ',') : s
}

function makeRow(c: Ctx, k: string, withCompanion: boolean): Row {
  const [num, unit] = split(val(c.p, k, 'spaced'))
  const row: Row = { key: k, label: fieldLabel(c.r, c.lang, k), num: fmtNum(c, num), unit }
  const w = c.p.w[k] as number
  if (chance(c.r, 0.6)) {
    const lo = Math.round(w * (0.55 + c.r() * 0.2))
    const hi = Math.round(w * (1.1 + c.r() * 0.3))
    row.ref = `${lo}-${hi}`
  }
  row.prior = other(c, k)
  if (withCompanion) {
    const idx = Object.entries(indexedOf).find(([, abs]) => abs === k)?.[0]
    if (idx) {
      const [inum, iunit] = split(val(c.p, idx, 'spaced'))
      row.companion = {
        key: idx,
        label: fieldLabel(c.r, c.lang, idx),
        num: fmtNum(c, inum),
        unit: iunit,
      }
    }
  }
  return row
}

/** The rows of each section the report states (some sections missing, some fields dropped). */
function content(c: Ctx, companions: boolean): [SectionName, Row[]][] {
  const out: [SectionName, Row[]][] = []
  const used = new Set<string>()
  for (const name of Object.keys(sections) as SectionName[]) {
    const keep = name === 'lv' ? 0.95 : name === 'tissue' ? 0.5 : 0.75
    if (!chance(c.r, keep)) continue
    const share = 0.5 + c.r() * 0.5
    const rows: Row[] = []
    for (const k of sections[name]) {
      if (used.has(k) || !chance(c.r, share)) continue
      const row = makeRow(c, k, companions && chance(c.r, 0.6))
      used.add(k)
      if (row.companion) {
        if (used.has(row.companion.key)) delete row.companion
        else used.add(row.companion.key)
      }
      rows.push(row)
    }
    if (rows.length) out.push([name, rows])
  }
  return out
}

const unitText = (c: Ctx, row: Row) =>
  row.unit ? (c.unitBreak && chance(c.r, 0.15) ? `\n${row.unit}` : ` ${row.unit}`) : ''

function inline(c: Ctx, row: Row): string {
  const main = `${row.num}${unitText(c, row)}`
  return row.companion ? `${main} (${row.companion.num} ${row.companion.unit})` : main
}

function heading(c: Ctx, name: SectionName | 'findings' | 'impression'): string {
  const h = P(c.r, lexiconOf(c.lang).sections[name])
  return P(c.r, [`${h}:`, h.toUpperCase(), `--- ${h} ---`, `${h}`, `[${h}]`])
}

function prose(c: Ctx, secs: [SectionName, Row[]][]): string[] {
  const verbs = c.lang === 'en' ? ['is', 'measures', 'of', 'was', ':'] : [':', '', '=']
  const out: string[] = []
  for (const [name, rows] of secs) {
    // a paragraph about one ventricle names it once, then its values by quantity alone
    // ("The left ventricle is dilated, with an end-diastolic volume of 268 mL and ...")
    const narrative = (name === 'lv' || name === 'rv') && chance(c.r, 0.4)
    if (narrative) {
      const side = name === 'lv' ? 'LV' : 'RV'
      const L = lexiconOf(c.lang)
      const ch = (L.chamber[side] as string[]).slice(1)
      const lead =
        c.lang === 'en'
          ? `The ${P(c.r, ch).toLowerCase()} is ${P(c.r, ['normal in size', 'dilated', 'mildly dilated', 'hypertrophied', 'of normal size and thickness'])}, with`
          : `${P(c.r, ch)}:`
      const parts = rows.map((row) => {
        const own = row.key.startsWith(side) && !/^(LV|RV)(AWT|IWT)$/.test(row.key)
        const label = own ? fieldLabel(c.r, c.lang, row.key, { noChamber: true }) : row.label
        const of = c.lang === 'en' ? P(c.r, [' of', '', ' of about']) : ''
        return `${c.lang === 'en' && own ? P(c.r, ['an ', 'a ', '']) : ''}${label}${of} ${inline(c, row)}`
      })
      out.push(`${lead} ${parts.join(P(c.r, [', ', ' and ', '; ']))}.`)
      continue
    }
    const parts = rows.map((row) => {
      const v = P(c.r, verbs)
      return `${row.label}${v === ':' ? ':' : v ? ` ${v}` : ''} ${inline(c, row)}`
    })
    const sentences: string[] = []
    for (let i = 0; i < parts.length; ) {
      const step = 1 + Math.floor(c.r() * 3)
      sentences.push(`${parts.slice(i, i + step).join(', ')}.`)
      i += step
    }
    out.push(chance(c.r, 0.5) ? `${heading(c, name)} ${sentences.join(' ')}` : sentences.join(' '))
  }
  return out
}

function lines(
  c: Ctx,
  secs: [SectionName, Row[]][],
  kind: 'bullets' | 'keyValue' | 'keyEquals',
): string[] {
  const out: string[] = []
  const bullet = P(c.r, ['- ', '• ', '* ', '  '])
  const sep = kind === 'keyEquals' ? P(c.r, ['=', ' = ']) : P(c.r, [': ', ':  ', ' ', ' - '])
  const keyOf = (row: Row) => (kind === 'keyEquals' && chance(c.r, 0.5) ? row.key : row.label)
  for (const [name, rows] of secs) {
    out.push(heading(c, name))
    for (const row of rows) {
      const comp = row.companion
      const text =
        kind === 'keyEquals' && chance(c.r, 0.5)
          ? `${row.num}${row.unit}${comp ? ` (${comp.num}${comp.unit})` : ''}`
          : inline(c, row)
      out.push(`${kind === 'bullets' ? bullet : ''}${keyOf(row)}${sep}${text}`)
    }
    out.push('')
  }
  return out
}

interface Columns {
  unit: boolean
  ref: boolean
  prior: boolean
}

function tableCells(rows: Row[], cols: Columns, unlabelledIndex: boolean): string[][] {
  const out: string[][] = []
  for (const row of rows) {
    const cells = [row.label, cols.unit ? row.num : `${row.num} ${row.unit}`.trim()]
    if (cols.unit) cells.push(row.unit)
    if (cols.ref) cells.push(row.ref ?? '')
    if (cols.prior) cells.push(row.prior ?? '')
    out.push(cells)
    const comp = row.companion
    if (comp) {
      const label = unlabelledIndex ? '' : comp.label
      const cc = [label, cols.unit ? comp.num : `${comp.num} ${comp.unit}`]
      if (cols.unit) cc.push(comp.unit)
      if (cols.ref) cc.push('')
      if (cols.prior) cc.push('')
      out.push(cc)
    }
  }
  return out
}

function headerCells(c: Ctx, cols: Columns): string[] {
  const t = lexiconOf(c.lang).table
  const h = [P(c.r, t.parameter), P(c.r, t.value)]
  if (cols.unit) h.push(P(c.r, t.unit))
  if (cols.ref) h.push(P(c.r, t.normal))
  if (cols.prior) h.push(P(c.r, t.prior))
  return h
}

function widths(all: string[][]): number[] {
  const w: number[] = []
  for (const r of all) for (const [i, s] of r.entries()) w[i] = Math.max(w[i] ?? 0, s.length)
  return w
}

function table(
  c: Ctx,
  secs: [SectionName, Row[]][],
  kind: 'pipeTable' | 'boxTable' | 'tabTable' | 'alignedTable',
): string[] {
  const cols: Columns = { unit: chance(c.r, 0.5), ref: chance(c.r, 0.4), prior: chance(c.r, 0.3) }
  const unlabelled = chance(c.r, 0.6)
  const out: string[] = []
  const unicode = chance(c.r, 0.4)
  for (const [name, rows] of secs) {
    out.push(heading(c, name))
    const header = headerCells(c, cols)
    const body = tableCells(rows, cols, unlabelled)
    const w = widths([header, ...body])
    const all = chance(c.r, 0.7) ? [header, ...body] : body
    if (kind === 'tabTable') for (const r of all) out.push(r.join('\t'))
    else if (kind === 'alignedTable')
      for (const r of all)
        out.push(
          r
            .map((s, i) => pad(s, (w[i] as number) + 2))
            .join('')
            .trimEnd(),
        )
    else {
      const v = kind === 'boxTable' && unicode ? '│' : '|'
      const line = (r: string[]) =>
        `${v} ${r.map((s, i) => pad(s, w[i] as number)).join(` ${v} `)} ${v}`
      const rule =
        kind === 'boxTable'
          ? unicode
            ? `├${w.map((x) => '─'.repeat(x + 2)).join('┼')}┤`
            : `+${w.map((x) => '-'.repeat(x + 2)).join('+')}+`
          : `|${w.map((x) => '-'.repeat(x + 2)).join('|')}|`
      if (kind === 'boxTable') out.push(rule)
      for (const [i, r] of all.entries()) {
        out.push(line(r))
        if (i === 0 && all[0] === header) out.push(rule)
      }
      if (kind === 'boxTable') out.push(rule)
    }
    out.push('')
  }
  return out
}

/** LV | RV side by side: one row per quantity, the chamber in the column header. */
function columns(c: Ctx, secs: [SectionName, Row[]][]): string[] {
  const L = lexiconOf(c.lang)
  const lv = P(c.r, L.chamber.LV.slice(0, 1).concat(['LV']))
  const rv = P(c.r, L.chamber.RV.slice(0, 1).concat(['RV']))
  const out: string[] = []
  const rows = new Map<string, { LV?: string; RV?: string; unit: string; q: string }>()
  const rest: Row[] = []
  for (const [, rs] of secs)
    for (const row of rs)
      for (const r of row.companion ? [row, row.companion] : [row]) {
        const m = /^(LV|RV)(EDV|ESV|SV|EF|CO|MASS|EDD|ESD)(I?)$/.exec(r.key)
        if (!m) {
          rest.push({ ...r, companion: undefined } as Row)
          continue
        }
        const q = `${m[2]}${m[3]}`
        const e = rows.get(q) ?? { unit: r.unit, q }
        e[m[1] as 'LV' | 'RV'] = r.num
        rows.set(q, e)
      }
  const names: Record<string, string> = {}
  for (const q of rows.keys()) {
    const base = q.replace(/I$/, '')
    const qq = base === 'CO' && q.endsWith('I') ? 'CI' : base
    const word = P(c.r, (L.quantity[qq] as string[]) ?? [qq])
    names[q] = q.endsWith('I') && qq !== 'CI' ? `${word} ${P(c.r, L.index)}` : word
  }
  const unitInLabel = chance(c.r, 0.5)
  const label = (q: string, unit: string) =>
    unitInLabel ? `${names[q]} (${unit})` : (names[q] as string)
  const w = Math.max(...[...rows.values()].map((e) => label(e.q, e.unit).length), 10) + 3
  const sep = chance(c.r, 0.5) ? ' | ' : '   '
  out.push(`${pad('', w)}${pad(lv, 8)}${sep}${pad(rv, 8)}${unitInLabel ? '' : `${sep}`}`.trimEnd())
  for (const e of rows.values()) {
    const cells = `${pad(label(e.q, e.unit), w)}${pad(e.LV ?? '-', 8)}${sep}${pad(e.RV ?? '-', 8)}${unitInLabel ? '' : `${sep}${e.unit}`}`
    out.push(cells.trimEnd())
  }
  out.push('')
  for (const r of rest) out.push(`${r.label}: ${r.num} ${r.unit}`.trimEnd())
  return out
}

function vendor(c: Ctx, secs: [SectionName, Row[]][]): string[] {
  const out: string[] = [
    P(c.r, ['Report Export', 'CVI42 export', 'Measurements export', 'SUITE HEART RESULTS']),
  ]
  const bracket = chance(c.r, 0.5)
  for (const [name, rows] of secs) {
    out.push('', heading(c, name))
    for (const row of rows)
      for (const r of row.companion ? [row, row.companion] : [row])
        out.push(
          bracket
            ? `${r.label} [${r.unit}]: ${r.num}`
            : `${r.label} (${r.unit})${P(c.r, ['\t', '  ', ' = '])}${r.num}`,
        )
  }
  return out
}

/** Sentences with numbers that are never gold: other exams, thresholds, pressures, vessels. */
function distractors(c: Ctx): string[] {
  const L = lexiconOf(c.lang)
  const out: string[] = []
  if (chance(c.r, 0.4))
    out.push(`${fieldLabel(c.r, c.lang, 'LVEF')} ${other(c, 'LVEF')}% ${P(c.r, L.prior)}.`)
  if (chance(c.r, 0.3))
    out.push(`${fieldLabel(c.r, c.lang, 'LVEF')} ${other(c, 'LVEF')}% ${P(c.r, L.echo)}.`)
  if (chance(c.r, 0.3)) out.push(`${P(c.r, L.aorta)} ${Math.round(25 + c.r() * 15)} mm.`)
  if (chance(c.r, 0.2))
    out.push(`${fieldLabel(c.r, c.lang, 'LVEF')} (normal > ${P(c.r, ['50', '55', '57'])}%).`)
  if (chance(c.r, 0.2))
    out.push(
      `Catheter: PA pressure ${Math.round(30 + c.r() * 30)}/${Math.round(10 + c.r() * 15)} mmHg.`,
    )
  return out
}

/**
 * The impression: a written diagnosis, or a phrase built from the task's own category keywords,
 * sometimes with another category denied ("No evidence of infarction"), which must not count.
 */
function impression(r: R, task: Task, category: string): string {
  const field = task.fields.find((f) => f.kind === 'category')
  const keywords = field?.kind === 'category' ? field.keywords : {}
  const others = Object.keys(keywords).filter((k) => k !== category)
  const deny = () => {
    const other = P(r, others)
    return other
      ? ` ${P(r, ['No evidence of', 'No features of', 'No'])} ${P(r, keywords[other] ?? [other])}.`
      : ''
  }
  const own = keywords[category]
  let line: string
  if (!own || chance(r, 0.4)) line = diagnosisLine(r, category)
  else
    line =
      `${P(r, ['Findings consistent with', 'In keeping with', 'Features of', 'Appearances suggest', 'Known', ''])} ${P(r, own)}.`.trim()
  line = line.charAt(0).toUpperCase() + line.slice(1)
  return chance(r, 0.3) ? `${line}${deny()}` : line
}

export function composeReport(
  task: Task,
  seed: number,
  index: number,
  pickFrom: { layouts: Layout[]; langs: Language[] },
): ComposedReport {
  const r = rng(seed * 1_000_003 + index)
  const category = P(r, categories)
  const patient = drawPatient(r, category)
  const layout = P(r, pickFrom.layouts)
  const lang = P(r, pickFrom.langs)
  const p = printer(
    { r, patient },
    {
      volumeDecimals: layout === 'vendor' || chance(r, 0.15) ? 1 : 0,
      comma: lang !== 'en' ? chance(r, 0.6) : chance(r, 0.1),
      mm: chance(r, 0.5),
      imperial: lang === 'en' && chance(r, 0.15),
    },
  )
  const c: Ctx = {
    r,
    lang,
    p,
    unitBreak: layout === 'prose' || chance(r, 0.2),
    thousands: chance(r, 0.3),
  }
  const secs = content(c, layout !== 'vendor')
  statedInWords(c, secs)
  const head = headLines(c, patient)
  const body = layoutBody(c, secs, layout)
  const tail = [
    '',
    `${heading(c, 'findings')} ${distractors(c).join(' ')}`.trimEnd(),
    '',
    `${heading(c, 'impression')} ${impression(r, task, category)}`,
  ]
  const text = [...head, '', ...body, ...tail].join('\n').replace(/\n{3,}/g, '\n\n')
  const gold: TaskRecord = {}
  for (const f of task.fields) gold[f.key] = p.gold[f.key] ?? null
  if ('CATEGORY' in gold) gold.CATEGORY = category
  return {
    id: `cmp-${seed}-${String(index).padStart(5, '0')}`,
    layout,
    language: lang,
    families: [layoutFamily[layout], `lang:${lang}`],
    text,
    gold,
  }
}

/** Sometimes the LVEF only in words or as a range: stated, but not as one number, so never gold. */
function statedInWords(c: Ctx, secs: ReturnType<typeof content>): void {
  const { r, p } = c
  if (chance(r, 0.15)) {
    const lv = secs.find(([n]) => n === 'lv')?.[1]
    const ef = lv?.find((row) => row.key === 'LVEF')
    if (ef) {
      const w = Math.round(p.w.LVEF as number)
      ef.num = chance(r, 0.5)
        ? `${w - 3}-${w + 2}`
        : P(r, ['about sixty', 'roughly normal', 'mildly reduced'])
      ef.unit = ef.num.includes('-') ? '%' : ''
      delete p.gold.LVEF
    }
  }
}

/** The report's head: its title, sex and age, blood pressure. */
function headLines(c: Ctx, patient: ReturnType<typeof drawPatient>): string[] {
  const { r, p, lang } = c
  const head: string[] = []
  head.push(
    P(r, [
      'CARDIAC MRI',
      'CMR REPORT',
      'Cardiac magnetic resonance',
      'MRT Herz',
      'IRM cardiaque',
      'RM cardiaca',
      'CMR',
    ]),
  )
  if (chance(r, 0.7))
    head.push(
      `${P(r, ['Sex', 'Gender', 'Geschlecht', 'Sexe', 'Sesso', 'Sexo'])}: ${patient.sex === 'male' ? P(r, ['M', 'Male', 'male']) : P(r, ['F', 'Female', 'female'])}   ${P(r, ['Age', 'Alter', 'Âge', 'Età', 'Edad', 'Idade'])}: ${patient.age}`,
    )
  if (chance(r, 0.6)) {
    p.gold.SBP = p.w.SBP as number
    p.gold.DBP = p.w.DBP as number
    // "124 / 80": word-wrapped and templated exports space the slash
    head.push(
      `${fieldLabel(r, lang, 'BP')}: ${p.w.SBP}${P(r, ['/', '/', ' / ', '/ '])}${p.w.DBP} mmHg`,
    )
  }
  return head
}

function layoutBody(c: Ctx, secs: ReturnType<typeof content>, layout: Layout): string[] {
  switch (layout) {
    case 'prose':
      return prose(c, secs)
    case 'bullets':
    case 'keyValue':
    case 'keyEquals':
      return lines(c, secs, layout)
    case 'columns':
      return columns(c, secs)
    case 'vendor':
      return vendor(c, secs)
    case 'chamberGrid':
      return chamberGrid(c, secs)
    case 'scoped':
      return scoped(c, secs)
    case 'vertical':
      return vertical(c, secs)
    case 'dotted':
      return dotted(c, secs)
    default:
      return table(c, secs, layout)
  }
}

export function composeCorpus(task: Task, opts: ComposeOptions): ComposedReport[] {
  const { layouts: ls, languages: gs } = pickFamilies(layouts, layoutFamily, languages, opts)
  const out: ComposedReport[] = []
  for (let i = 0; i < opts.count; i++)
    out.push(composeReport(task, opts.seed, i, { layouts: ls, langs: gs }))
  return out
}
