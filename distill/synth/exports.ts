/**
 * Layouts of real exports (post-processing packages, RIS templates) that the first corpus lacked:
 * - `chamberGrid`: rows are quantities, LV and RV are columns, interleaved with reference, prior and
 *   z-score columns; the unit in a column of its own, in the row label or in the cell; the indexed
 *   value on the next row with a blank label; framed by box-drawing, `+---+`, `.---.`, markdown
 *   pipes, tabs, or only by whitespace that lines up;
 * - `scoped`: headings that scope bare sub-labels ("Left atrium" then "Area (4ch):", "Volume:"),
 *   nested two or three levels, the same sub-labels again under the next chamber;
 * - `vertical`: label, value and unit on consecutive lines, or the unit wrapped onto the next line;
 * - `dotted`: dotted hierarchical keys (`LV.EDV.idx=78 mL/m2`), absolute and indexed in one cell
 *   (`lvedv 160/82`), blood pressure with spaces around the slash.
 * Every printed number that is gold is recorded by the printer; the others (references, priors,
 * z-scores) never are.
 */
import { fieldLabel, lexiconOf } from './languages.ts'
import { P, type R } from './printer.ts'

/** What a layout needs of a report being composed (compose.ts owns the rest). */
export interface LayoutRow {
  key: string
  label: string
  num: string
  unit: string
  ref?: string
  prior?: string
  companion?: LayoutRow
}
export interface LayoutCtx {
  r: R
  lang: Parameters<typeof lexiconOf>[0]
  p: { comma: boolean }
}
type Sections = [string, LayoutRow[]][]

const chance = (r: R, x: number) => r() < x
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - s.length))
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** Every row and its companion, flattened. */
const flat = (secs: Sections) =>
  secs.flatMap(([, rows]) => rows.flatMap((r) => (r.companion ? [r, r.companion] : [r])))

const ventricular = /^(LV|RV)(EDV|ESV|SV|EF|CO|MASS|EDD|ESD)(I?)$/

function zScore(r: R, comma: boolean): string {
  const z = (r() * 4 - 2).toFixed(1)
  const s = z.startsWith('-') ? z : P(r, ['', '+']) + z
  return comma ? s.replace('.', ',') : s
}

interface GridColumn {
  head: string
  cell: (row: GridRow, indexRow: boolean) => string
}
interface GridRow {
  q: string
  LV?: LayoutRow
  RV?: LayoutRow
  LVi?: LayoutRow
  RVi?: LayoutRow
}

type Frame = 'box' | 'ascii' | 'rounded' | 'markdown' | 'tab' | 'aligned'

/** Rows of cells drawn in a frame; `header` rows come first and are ruled off. */
export function drawGrid(r: R, frame: Frame, header: string[], body: string[][]): string[] {
  const all = [header, ...body]
  const w: number[] = []
  for (const row of all) for (const [i, s] of row.entries()) w[i] = Math.max(w[i] ?? 0, s.length)
  if (frame === 'tab') return all.map((row) => row.join('\t'))
  if (frame === 'aligned') {
    const gap = P(r, [2, 3, 4])
    return all.map((row) =>
      row
        .map((s, i) =>
          i > 0 && /^[\d+-]/.test(s) ? s.padStart(w[i] as number) : pad(s, w[i] as number),
        )
        .join(' '.repeat(gap))
        .trimEnd(),
    )
  }
  const bar = frame === 'box' ? '│' : '|'
  const line = (row: string[]) =>
    `${bar} ${row.map((s, i) => pad(s, w[i] as number)).join(` ${bar} `)} ${bar}`
  const rule = (l: string, m: string, rr: string, h: string) =>
    `${l}${w.map((x) => h.repeat(x + 2)).join(m)}${rr}`
  if (frame === 'markdown') return [line(header), rule('|', '|', '|', '-'), ...body.map(line)]
  if (frame === 'box')
    return [
      rule('┌', '┬', '┐', '─'),
      line(header),
      rule('├', '┼', '┤', '─'),
      ...body.map(line),
      rule('└', '┴', '┘', '─'),
    ]
  if (frame === 'rounded')
    return [
      rule('.', '.', '.', '-'),
      line(header),
      rule('|', '+', '|', '-'),
      ...body.map(line),
      rule("'", "'", "'", '-'),
    ]
  return [
    rule('+', '+', '+', '-'),
    line(header),
    rule('+', '+', '+', '-'),
    ...body.map(line),
    rule('+', '+', '+', '-'),
  ]
}

/** LV and RV as columns of a grid, with the extra columns real packages print. */
export function chamberGrid(c: LayoutCtx, secs: Sections): string[] {
  const { r } = c
  const L = lexiconOf(c.lang)
  const rows = new Map<string, GridRow>()
  const rest: LayoutRow[] = []
  for (const row of flat(secs)) {
    const m = ventricular.exec(row.key)
    if (!m) {
      rest.push(row)
      continue
    }
    const q = m[2] as string
    const g = rows.get(q) ?? { q }
    const side = m[1] as 'LV' | 'RV'
    g[m[3] ? (`${side}i` as const) : side] = row
    rows.set(q, g)
  }
  const frame = P<Frame>(r, ['box', 'ascii', 'rounded', 'markdown', 'tab', 'aligned'])
  const unitWhere = P(r, ['column', 'columnLast', 'label', 'cell'] as const)
  const refs = chance(r, 0.5)
  const priors = chance(r, 0.3)
  const z = chance(r, 0.3)
  const blankIndexLabel = chance(r, 0.7)
  const lv = P(r, [...L.chamber.LV.slice(0, 1), 'LV', L.chamber.LV.at(-1) as string])
  const rv = P(r, [...L.chamber.RV.slice(0, 1), 'RV', L.chamber.RV.at(-1) as string])
  const refHead = P(r, L.table.normal)
  const priorHead = P(r, L.table.prior)
  const unitOf = (g: GridRow, idx: boolean) => (idx ? (g.LVi ?? g.RVi) : (g.LV ?? g.RV))?.unit ?? ''
  const value = (row: LayoutRow | undefined) =>
    row ? (unitWhere === 'cell' ? `${row.num} ${row.unit}` : row.num) : P(r, ['-', '', 'n/a'])
  const cols: GridColumn[] = []
  const side = (s: 'LV' | 'RV', head: string) => {
    cols.push({ head, cell: (g, idx) => value(idx ? g[`${s}i`] : g[s]) })
    if (refs)
      cols.push({
        head: `${refHead}${P(r, ['', ` ${s}`])}`,
        cell: (g, idx) => (idx ? g[`${s}i`] : g[s])?.ref ?? '',
      })
    if (z)
      cols.push({
        head: P(r, ['z-score', 'Z', 'z']),
        cell: (g, idx) => ((idx ? g[`${s}i`] : g[s]) ? zScore(r, c.p.comma) : ''),
      })
    if (priors)
      cols.push({
        head: `${priorHead}${P(r, ['', ` ${s}`])}`,
        cell: (g, idx) => (idx ? g[`${s}i`] : g[s])?.prior ?? '',
      })
  }
  const unitCol: GridColumn = { head: P(r, L.table.unit), cell: (g, idx) => unitOf(g, idx) }
  if (unitWhere === 'column') cols.push(unitCol)
  side('LV', lv)
  side('RV', rv)
  if (unitWhere === 'columnLast') cols.push(unitCol)
  const names = (g: GridRow, idx: boolean) => {
    const qq = g.q === 'CO' && idx ? 'CI' : g.q
    const word = P(r, (L.quantity[qq] as string[]) ?? [qq])
    const base = idx && qq !== 'CI' ? `${cap(word)} ${P(r, L.index)}` : cap(word)
    return unitWhere === 'label' ? `${base} (${unitOf(g, idx)})` : base
  }
  const body: string[][] = []
  for (const g of rows.values()) {
    if (g.LV || g.RV) body.push([names(g, false), ...cols.map((col) => col.cell(g, false))])
    if (g.LVi || g.RVi) {
      // the indexed row: a blank label continues the row above, its unit says "indexed"
      const label = blankIndexLabel && (g.LV || g.RV) && unitWhere !== 'label' ? '' : names(g, true)
      body.push([label, ...cols.map((col) => col.cell(g, true))])
    }
  }
  const header = [P(r, ['', ...L.table.parameter]), ...cols.map((col) => col.head)]
  const out: string[] = []
  if (chance(r, 0.6))
    out.push(P(r, [L.sections.lv[0] as string, 'Ventricular volumes', 'Volumetry', 'Function']))
  out.push(...drawGrid(r, frame, header, body), '')
  for (const row of rest) out.push(`${row.label}: ${row.num} ${row.unit}`.trimEnd())
  return out
}

/** Sub-label of a row under a heading that already names its chamber. */
function subLabel(c: LayoutCtx, row: LayoutRow): string {
  const { r } = c
  const L = lexiconOf(c.lang)
  const a = /^(LA|RA)(A|L)(2CH|4CH)$/.exec(row.key)
  if (a) {
    const view =
      a[3] === '2CH' ? P(r, ['2ch', '2CH', '2-chamber']) : P(r, ['4ch', '4CH', '4-chamber'])
    const word = cap(P(r, L.quantity[a[2] as string] as string[]))
    return P(r, [`${word} (${view})`, `${word} ${view}`])
  }
  if (/^(LA|RA)VI?$/.test(row.key)) {
    const word = cap(P(r, L.quantity.V as string[]))
    return row.key.endsWith('I') ? `${word} ${P(r, L.index)}` : word
  }
  if (ventricular.test(row.key)) return cap(fieldLabel(r, c.lang, row.key, { noChamber: true }))
  return row.label
}

function headingLine(r: R, text: string, level: number, indent: string): string {
  const styles =
    level === 1
      ? [text.toUpperCase(), `${text.toUpperCase()}:`, `## ${text}`, `=== ${text} ===`]
      : [
          `${text}:`,
          `${text}`,
          `### ${text}`,
          `${text} (${P(r, ['SSFP', 'cine', 'biplane', 'short axis'])})`,
        ]
  return indent + P(r, styles)
}

/** Chamber headings scoping bare sub-labels, nested up to three levels. */
export function scoped(c: LayoutCtx, secs: Sections): string[] {
  const { r } = c
  const L = lexiconOf(c.lang)
  const out: string[] = []
  const indentStep = P(r, ['', '  ', '    ', '\t'])
  const sep = P(r, [': ', ':  ', ':\t', ' = '])
  const top = chance(r, 0.5)
  const chamberOf = (k: string) =>
    /^(LV|RV|LA|RA)/.exec(k)?.[1] as 'LV' | 'RV' | 'LA' | 'RA' | undefined
  const groups = new Map<string, LayoutRow[]>()
  for (const row of flat(secs)) {
    const ch = /^(LV|RV)(AWT|IWT)$/.test(row.key) ? 'LV' : (chamberOf(row.key) ?? 'other')
    const tissue = /T1|HCT|ECV/.test(row.key) ? 'tissue' : ch
    const g = groups.get(tissue) ?? []
    g.push(row)
    groups.set(tissue, g)
  }
  const i1 = top ? indentStep : ''
  const i2 = top ? indentStep + indentStep : indentStep
  for (const [name, rows] of groups) {
    if (name === 'other') {
      for (const row of rows) out.push(`${row.label}${sep}${row.num} ${row.unit}`.trimEnd())
      out.push('')
      continue
    }
    if (name === 'tissue') {
      if (top) out.push(headingLine(r, P(r, L.sections.tissue), 1, ''))
      else out.push(headingLine(r, P(r, L.sections.tissue), 2, ''))
      // three levels: the phase, then the tissue
      const native = rows.filter((x) => x.key.startsWith('PRET1'))
      const post = rows.filter((x) => x.key.startsWith('POSTT1'))
      const phaseBlock = (list: LayoutRow[], phase: string) => {
        if (!list.length) return
        out.push(`${i1}${phase}${P(r, [':', ''])}`)
        for (const row of list) {
          const t = row.key.endsWith('M')
            ? P(r, ['Myocardium', 'Myo', 'Septal myocardium'])
            : P(r, ['Blood pool', 'Blood', 'LV cavity'])
          out.push(`${i2}${t}${sep}${row.num} ${row.unit}`)
        }
      }
      phaseBlock(native, P(r, ['Native T1', 'T1 native', 'Pre-contrast T1']))
      phaseBlock(post, P(r, ['Post-contrast T1', 'T1 post contrast', 'T1 post']))
      for (const row of rows.filter((x) => /HCT|ECV/.test(x.key)))
        out.push(`${i1}${row.label}${sep}${row.num} ${row.unit}`)
      out.push('')
      continue
    }
    const ch = name as 'LV' | 'RV' | 'LA' | 'RA'
    const title = P(r, L.chamber[ch].filter((w) => w.length > 3).concat(L.chamber[ch].slice(-1)))
    out.push(headingLine(r, cap(title), 2, top ? '' : ''))
    for (const row of rows)
      out.push(`${i1}${subLabel(c, row)}${sep}${row.num} ${row.unit}`.trimEnd())
    out.push('')
  }
  return out
}

/** Label, value and unit on consecutive lines, or a value whose unit wrapped onto the next line. */
export function vertical(c: LayoutCtx, secs: Sections): string[] {
  const { r } = c
  const out: string[] = []
  const mode = P(r, ['threeLines', 'twoLines', 'wrapped'] as const)
  for (const [, rows] of secs) {
    for (const row of rows.flatMap((x) => (x.companion ? [x, x.companion] : [x]))) {
      if (mode === 'threeLines') out.push(row.label, row.num, row.unit)
      else if (mode === 'twoLines') out.push(row.label, `${row.num} ${row.unit}`.trimEnd())
      else out.push(`${row.label} ${row.num}`, row.unit)
      if (chance(r, 0.3)) out.push('')
    }
    out.push('')
  }
  return out
}

const dottedKey: Record<string, string> = {
  EDV: 'EDV',
  ESV: 'ESV',
  SV: 'SV',
  EF: 'EF',
  CO: 'CO',
  MASS: 'Mass',
  EDD: 'EDD',
  ESD: 'ESD',
}

/** Dotted keys and pair cells, as key=value exports write them. */
export function dotted(c: LayoutCtx, secs: Sections): string[] {
  const { r } = c
  const out: string[] = []
  const pairCells = chance(r, 0.5)
  const eq = P(r, ['=', ' = ', ': '])
  const lower = chance(r, 0.3)
  for (const [, rows] of secs) {
    for (const row of rows) {
      const m = ventricular.exec(row.key)
      const comp = row.companion
      if (m && pairCells && comp) {
        // absolute and indexed in one cell: "lvedv 160/82"
        const key = `${m[1]}${m[2]}`
        out.push(`${lower ? key.toLowerCase() : key} ${row.num}/${comp.num}`)
        continue
      }
      for (const x of comp ? [row, comp] : [row]) {
        const mm = ventricular.exec(x.key)
        const key = mm
          ? `${mm[1]}.${dottedKey[mm[2] as string]}${mm[3] ? `.${P(r, ['idx', 'index', 'i', 'BSA'])}` : ''}`
          : x.label.replace(/\s+/g, '.')
        out.push(`${lower ? key.toLowerCase() : key}${eq}${x.num} ${x.unit}`.trimEnd())
      }
    }
  }
  return out
}
