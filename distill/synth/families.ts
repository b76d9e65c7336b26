/**
 * Families of a compositional corpus: layouts grouped into layout families, and languages as
 * `lang:<code>`. `exclude` holds families out of a corpus, `only` keeps one family (for testing on
 * it): the rule every corpus (cmr52, cxr14, bonemets3) uses, so held-out runs mean the same thing.
 */
export interface FamilyOptions {
  exclude?: readonly string[]
  only?: readonly string[]
}

export function pickFamilies<L extends string, G extends string>(
  layouts: readonly L[],
  familyOf: Record<L, string>,
  languages: readonly G[],
  opts: FamilyOptions,
): { layouts: L[]; languages: G[] } {
  const ex = new Set(opts.exclude ?? [])
  const only = opts.only ? new Set(opts.only) : undefined
  let ls = layouts.filter((l) => !ex.has(familyOf[l]))
  let gs = languages.filter((g) => !ex.has(`lang:${g}`))
  if (only) {
    const ol = ls.filter((l) => only.has(familyOf[l]))
    const og = gs.filter((g) => only.has(`lang:${g}`))
    if (ol.length) ls = ol
    if (og.length) gs = og
  }
  return { layouts: ls, languages: gs }
}
