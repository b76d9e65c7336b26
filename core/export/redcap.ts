/**
 * Results for REDCap: a data dictionary for the task (one instrument; per field its value, its
 * confidence, whether it was flagged and whether a reviewer set it), and import rows that match
 * it, one record per report. Units go in the field notes, the task's hard limits become the
 * validation range, categories and statuses become choices. Pure: the edge and the CLI share it.
 */
import type { Field, Task } from '../../schemas/index.ts'
import { csvLine } from './csv.ts'
import type { ExportRecord } from './record.ts'

/** The columns of a REDCap data dictionary, in REDCap's order. */
export const dictionaryColumns = [
  'Variable / Field Name',
  'Form Name',
  'Section Header',
  'Field Type',
  'Field Label',
  'Choices, Calculations, OR Slider Labels',
  'Field Note',
  'Text Validation Type OR Show Slider Number',
  'Text Validation Min',
  'Text Validation Max',
  'Identifier?',
  'Branching Logic (Show field only if...)',
  'Required Field?',
  'Custom Alignment',
  'Question Number (surveys only)',
  'Matrix Group Name',
  'Matrix Ranking?',
  'Field Annotation',
] as const

/** A REDCap variable name: lower case letters, digits and underscores, starting with a letter. */
export function redcapName(key: string): string {
  const n = key
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
  return /^[a-z]/.test(n) ? n : `f_${n}`
}

interface Variable {
  name: string
  type: 'text' | 'dropdown' | 'yesno' | 'radio' | 'notes'
  label: string
  choices?: [code: string, label: string][]
  note?: string
  validation?: 'number' | 'integer'
  min?: number
  max?: number
  section?: string
  /** The import cell for a record. */
  cell: (r: ExportRecord) => string
}

const statusCodes: [string, string][] = [
  ['1', 'positive'],
  ['0', 'negative'],
  ['2', 'uncertain'],
]

function fieldVariables(field: Field, used: Set<string>): Variable[] {
  // two keys can map to one name ("LV-EF", "LV EF"): the later one gets a number
  const stem = redcapName(field.key)
  let base = stem
  for (let k = 2; used.has(base); k++) base = `${stem}_${k}`
  used.add(base)
  const get = (r: ExportRecord) => r.fields[field.key]
  const main: Variable =
    field.kind === 'number'
      ? {
          name: base,
          type: 'text',
          label: field.label,
          note: field.unit,
          validation: 'number',
          min: field.limits[0],
          max: field.limits[1],
          cell: (r) => (typeof get(r)?.value === 'number' ? String(get(r)?.value) : ''),
        }
      : field.kind === 'category'
        ? {
            name: base,
            type: 'dropdown',
            label: field.label,
            choices: field.values.map((v, i) => [String(i + 1), String(v)] as [string, string]),
            cell: (r) => {
              const i = field.values.findIndex((v) => String(v) === String(get(r)?.value))
              return i >= 0 ? String(i + 1) : ''
            },
          }
        : field.kind === 'label'
          ? {
              name: base,
              type: 'dropdown',
              label: field.label,
              choices: statusCodes,
              note: 'not mentioned: empty',
              cell: (r) => statusCodes.find(([, s]) => s === get(r)?.value)?.[0] ?? '',
            }
          : {
              name: base,
              type: 'notes',
              label: field.label,
              cell: (r) => String(get(r)?.value ?? ''),
            }
  return [
    { ...main, section: `${field.label}${field.kind === 'number' ? ` (${field.unit})` : ''}` },
    {
      name: `${base}_conf`,
      type: 'text',
      label: `${field.label}: confidence`,
      validation: 'number',
      min: 0,
      max: 1,
      note: 'radstruct confidence, 0 to 1; under the task threshold goes to review',
      cell: (r) =>
        get(r)?.confidence === null || get(r) === undefined
          ? ''
          : String(Math.round((get(r)?.confidence ?? 0) * 1e4) / 1e4),
    },
    {
      name: `${base}_flag`,
      type: 'yesno',
      label: `${field.label}: flagged for review`,
      cell: (r) => (get(r) ? (get(r)?.flagged ? '1' : '0') : ''),
    },
    {
      name: `${base}_src`,
      type: 'radio',
      label: `${field.label}: set by`,
      choices: [
        ['1', 'model'],
        ['2', 'reviewer'],
      ],
      cell: (r) => (get(r) ? (get(r)?.source === 'reviewer' ? '2' : '1') : ''),
    },
  ]
}

const variablesOf = new WeakMap<Task, Variable[]>()

/** Every variable of the task's instrument, the record id first. */
export function redcapVariables(task: Task): Variable[] {
  const hit = variablesOf.get(task)
  if (hit) return hit
  const vars = instrument(task)
  variablesOf.set(task, vars)
  return vars
}

function instrument(task: Task): Variable[] {
  const used = new Set([
    'record_id',
    'rs_batch',
    'rs_status',
    'rs_model',
    'rs_cover',
    'rs_cover_why',
  ])
  return [
    { name: 'record_id', type: 'text', label: 'Report id', cell: (r) => r.id },
    { name: 'rs_batch', type: 'text', label: 'radstruct batch', cell: (r) => r.batch ?? '' },
    {
      name: 'rs_status',
      type: 'dropdown',
      label: 'Extraction status',
      choices: [
        ['1', 'done'],
        ['2', 'failed'],
        ['3', 'queued'],
      ],
      cell: (r) => ({ done: '1', failed: '2', queued: '3' })[r.status],
    },
    {
      name: 'rs_model',
      type: 'text',
      label: 'Model (name@digest)',
      cell: (r) => (r.model ? `${r.model.name}@${r.model.digest}` : ''),
    },
    {
      name: 'rs_cover',
      type: 'text',
      label: 'Report coverage (how much of the report was read)',
      validation: 'number',
      min: 0,
      max: 1,
      note: 'under 0.5: the report was flagged as a whole',
      cell: (r) => (r.coverage ? String(r.coverage.confidence) : ''),
    },
    {
      name: 'rs_cover_why',
      type: 'notes',
      label: 'Report coverage: reasons',
      cell: (r) => r.coverage?.reasons.join('; ') ?? '',
    },
    ...task.fields.flatMap((f) => fieldVariables(f, used)),
  ]
}

/** The data dictionary CSV (Project Setup -> Data Dictionary -> upload). */
export function redcapDictionary(task: Task): string {
  const form = redcapName(task.id)
  let out = csvLine(dictionaryColumns)
  let section = ''
  for (const v of redcapVariables(task)) {
    const header = v.section && v.section !== section ? v.section : ''
    if (v.section) section = v.section
    out += csvLine([
      v.name,
      form,
      header,
      v.type,
      v.label,
      v.choices ? v.choices.map(([c, l]) => `${c}, ${l}`).join(' | ') : '',
      v.note ?? '',
      v.validation ?? '',
      v.min === undefined ? '' : String(v.min),
      v.max === undefined ? '' : String(v.max),
      '',
      '',
      v.name === 'record_id' ? 'y' : '',
      '',
      '',
      '',
      '',
      '',
    ])
  }
  return out
}

/** The import CSV header (Data Import Tool, records in rows), and one row per report. */
export const redcapImport = {
  header: (task: Task) => csvLine(redcapVariables(task).map((v) => v.name)),
  row: (task: Task, r: ExportRecord) => csvLine(redcapVariables(task).map((v) => v.cell(r))),
}
