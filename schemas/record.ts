/**
 * A record of a task: one value (or null) per field. Builds the zod schema that validates it and the
 * JSON Schema derived from it for constrained decoding and OpenAPI.
 */
import { z } from 'zod'
import { type Field, formatPath, labelStatuses, suggest, type Task } from './task.ts'

export type FieldValue = number | string | null
/** Field key -> value in the field's canonical unit (numbers), category value, label status or text. */
export type TaskRecord = Record<string, FieldValue>

function valueSchema(field: Field): z.ZodType {
  switch (field.kind) {
    case 'number':
      return z
        .number()
        .finite()
        .nullable()
        .describe(`${field.label}, in ${field.unit}; null if not stated`)
    case 'category': {
      const literals = field.values.map((v) => z.literal(v))
      const union = literals.length === 1 ? (literals[0] as z.ZodType) : z.union(literals as never)
      return (field.nullable ? union.nullable() : union).describe(field.label)
    }
    case 'label':
      return z
        .enum(labelStatuses)
        .nullable()
        .describe(`${field.label}: status, null if not mentioned`)
    case 'text':
      return z.string().nullable().describe(field.label)
  }
}

const schemaCache = new WeakMap<Task, z.ZodObject>()

/** The zod schema of a complete record of this task (every key present, no others). */
export function recordSchema(task: Task): z.ZodObject {
  let s = schemaCache.get(task)
  if (!s) {
    s = z.object(Object.fromEntries(task.fields.map((f) => [f.key, valueSchema(f)]))).strict()
    schemaCache.set(task, s)
  }
  return s
}

/** JSON Schema (draft 2020-12) of a record, for constrained decoding and the OpenAPI document. */
export function recordJsonSchema(task: Task): Record<string, unknown> {
  return z.toJSONSchema(recordSchema(task), { target: 'draft-2020-12' }) as Record<string, unknown>
}

export interface RecordIssue {
  /** The field key, or '' for the record as a whole. */
  field: string
  message: string
}

export type RecordCheck = { ok: true; record: TaskRecord } | { ok: false; issues: RecordIssue[] }

/**
 * Validates a record against its task. With `partial`, missing keys read as null (the record states
 * only what it has); unknown keys are always an error, with the nearest field named.
 */
export function validateRecord(
  task: Task,
  data: unknown,
  opts: { partial?: boolean } = {},
): RecordCheck {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return {
      ok: false,
      issues: [
        {
          field: '',
          message: `expected a JSON object of field -> value, got ${describeValue(data)}`,
        },
      ],
    }
  }
  const input = { ...(data as Record<string, unknown>) }
  const keys = task.fields.map((f) => f.key)
  const issues: RecordIssue[] = []
  for (const k of Object.keys(input)) {
    if (!keys.includes(k))
      issues.push({ field: k, message: `unknown field for task ${task.id}${suggest(k, keys)}` })
  }
  if (opts.partial) for (const k of keys) if (!(k in input)) input[k] = null
  const parsed = recordSchema(task).safeParse(input)
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      if (i.code === 'unrecognized_keys') continue
      const field = formatPath(i.path)
      const f = task.fields.find((x) => x.key === field)
      issues.push({ field, message: `${expectation(f)}, got ${describeValue(input[field])}` })
    }
  }
  return issues.length ? { ok: false, issues } : { ok: true, record: parsed.data as TaskRecord }
}

function expectation(f: Field | undefined): string {
  if (!f) return 'invalid value'
  switch (f.kind) {
    case 'number':
      return `expected a number in ${f.unit} or null`
    case 'category':
      return `expected one of ${f.values.map((v) => JSON.stringify(v)).join(', ')}${f.nullable ? ' or null' : ''}`
    case 'label':
      return `expected one of ${labelStatuses.map((s) => `"${s}"`).join(', ')} or null`
    case 'text':
      return 'expected a string or null'
  }
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing (the key is missing)'
  if (Array.isArray(v)) return 'an array'
  if (typeof v === 'string')
    return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`
  return `${typeof v} ${JSON.stringify(v)}`
}
