/** `radstruct fields`: a task's field glossary (what LVAWT or PRET1M means, its unit and ranges). */
import type { Field, Reference } from '../../schemas/task.ts'
import { loadTask } from '../io.ts'

export const fieldsUsage = `radstruct fields --task TASK [--json]

Every field of the task: its key, kind, what it is, its unit and the units converted from, the
reference range (mean +- 2 SD, by sex where the task gives it), the hard limits and the words
reports use for it. Statuses for labels, values for categories.`

const num = (x: number) => String(Number(x.toFixed(3)))

function range(r: Reference | undefined): string {
  if (!r) return ''
  const one = (k: string, v: { mean: number; sd: number } | undefined) =>
    v ? `${k}${num(v.mean - 2 * v.sd)}-${num(v.mean + 2 * v.sd)}` : ''
  return [one('M ', r.male), one('F ', r.female), one('', r.any)].filter(Boolean).join(', ')
}

function describe(f: Field): Record<string, string> {
  const base = { key: f.key, kind: f.kind, name: f.label, description: f.description ?? '' }
  if (f.kind === 'number')
    return {
      ...base,
      unit: f.conversions.length
        ? `${f.unit} (converted from ${f.conversions.map((c) => c.unit).join(', ')})`
        : f.unit,
      reference: range(f.reference),
      limits: `${num(f.limits[0])}-${num(f.limits[1])}`,
      aliases: f.aliases.join(', '),
    }
  if (f.kind === 'category') return { ...base, values: f.values.join(', ') }
  if (f.kind === 'label')
    return {
      ...base,
      values: 'positive, negative, uncertain, null (not mentioned)',
      aliases: f.aliases.join(', '),
      ...(f.positiveWhenNone
        ? {
            rule: `positive when none of ${f.positiveWhenNone.of.length} labels is ${f.positiveWhenNone.are.join(' or ')}`,
          }
        : {}),
    }
  return base
}

export function runFields(opts: Record<string, string | boolean | undefined>): string {
  const task = loadTask(opts.task as string | undefined)
  const rows = task.fields.map(describe)
  if (opts.json) return JSON.stringify(rows, null, 2)
  const lines = [`${task.id}: ${task.title} (${task.fields.length} fields)`, '']
  for (const r of rows) {
    lines.push(`${r.key}  (${r.kind}) ${r.name}${r.description ? `: ${r.description}` : ''}`)
    for (const k of ['unit', 'reference', 'limits', 'values', 'rule', 'aliases'])
      if (r[k]) lines.push(`    ${k.padEnd(10)} ${r[k]}`)
  }
  return lines.join('\n')
}
