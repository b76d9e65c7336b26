/**
 * Report sections from their headings ("INDICATION:", "Befund:", "IMPRESSION" on its own line), in
 * the languages the corpora cover. Only the kind matters downstream: a question (indication,
 * history, comparison, technique) states no finding; a conclusion (impression, diagnosis) is the
 * radiologist's summary. Offsets are UTF-16 code units into the original text.
 */

export type SectionKind = 'question' | 'findings' | 'conclusion' | 'other'

export interface Section {
  kind: SectionKind
  /** Start of the heading; the section runs to the next heading. */
  start: number
  end: number
  /** End of the heading (its colon included): the body starts here. */
  bodyStart: number
}

const headings: Record<Exclude<SectionKind, 'other'>, string[]> = {
  question: [
    'indication',
    'indications',
    'clinical indication',
    'history',
    'clinical history',
    'clinical information',
    'clinical details',
    'clinical data',
    'reason for exam',
    'reason for examination',
    'reason for study',
    'reason',
    'request',
    'referral',
    'comparison',
    'comparisons',
    'prior',
    'priors',
    'technique',
    'examination',
    'exam',
    'procedure',
    'fragestellung',
    'indikation',
    'klinische angaben',
    'anamnese',
    'voraufnahme',
    'voraufnahmen',
    'voruntersuchung',
    'vergleich',
    'technik',
    'untersuchung',
    'renseignements cliniques',
    'comparaison',
    'motif',
    'indicación',
    'motivo',
    'comparación',
    'técnica',
    'historia clínica',
    'indicazione',
    'quesito',
    'quesito clinico',
    'vraagstelling',
    'indicatie',
    'vergelijking',
    'klinische gegevens',
    'confronto',
    'precedenti',
    'vooronderzoek',
    'indicação',
    'indicação clínica',
    'comparação',
    'história clínica',
    'esame',
    'onderzoek',
    'exame',
    'examen',
    'exploración',
  ],
  findings: [
    'findings',
    'finding',
    'report',
    'description',
    'befund',
    'befunde',
    'résultats',
    'résultat',
    'hallazgos',
    'reperto',
    'bevindingen',
    'verslag',
    'achados',
    'relatório',
  ],
  conclusion: [
    'impression',
    'impressions',
    'conclusion',
    'conclusions',
    'diagnosis',
    'diagnoses',
    'summary',
    'opinion',
    'assessment',
    'beurteilung',
    'zusammenfassung',
    'conclusión',
    'impresión',
    'diagnóstico',
    'conclusione',
    'conclusie',
    'diagnose',
    'impressione',
    'conclusioni',
    'impressão',
    'conclusão',
  ],
}

const kindOf = new Map<string, SectionKind>()
for (const [k, words] of Object.entries(headings))
  for (const w of words) kindOf.set(w, k as SectionKind)

// a heading opens a line: words, then a colon (text may follow) or the end of the line
const headingRe =
  /^[ \t]*(?:\d+[.)]\s*|[-*#]+\s*)?([\p{L}][\p{L} /&'-]{0,40}?)[ \t]*(?::|：|\n|$)/gmu

export function sections(text: string): Section[] {
  const found: { kind: SectionKind; start: number; bodyStart: number }[] = []
  headingRe.lastIndex = 0
  for (const m of text.matchAll(headingRe)) {
    const words = (m[1] as string).toLowerCase().trim().replace(/\s+/g, ' ')
    const kind = kindOf.get(words)
    if (!kind) continue
    const colon = m[0].endsWith(':') || m[0].endsWith('：')
    // a bare line needs to look like a heading: short, nothing else on it
    if (!colon && words.split(' ').length > 3) continue
    found.push({ kind, start: m.index, bodyStart: m.index + m[0].length })
  }
  return found.map((s, i) => ({ ...s, end: found[i + 1]?.start ?? text.length }))
}

/** The section kind at each offset range's start, for many offsets in ascending order. */
export function sectionAt(list: readonly Section[], offset: number): SectionKind {
  let kind: SectionKind = 'other'
  for (const s of list) {
    if (s.start > offset) break
    kind = s.kind
  }
  return kind
}

/**
 * The report as the task reads it: with `input.sections` set, every other section blanked to
 * spaces (line breaks kept, so offsets and evidence spans stay those of the original). A report
 * with none of the sections, or no headings at all, is read whole.
 */
export function readableText(text: string, kinds: readonly SectionKind[] | undefined): string {
  if (!kinds?.length) return text
  const list = sections(text)
  const keep = list.filter((s) => kinds.includes(s.kind))
  if (keep.length === 0) return text
  let out = ''
  let at = 0
  for (const s of keep) {
    out += text.slice(at, s.start).replace(/[^\n]/g, ' ') + text.slice(s.start, s.end)
    at = s.end
  }
  return out + text.slice(at).replace(/[^\n]/g, ' ')
}
