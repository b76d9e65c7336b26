/**
 * A GBNF grammar for one record of a task, for llama.cpp's constrained decoding. Keys come in task
 * order and are forced, so the model only chooses values; numbers are plain decimals of bounded
 * length (JSON Schema's `number` lets a sampler write 1e83007); no whitespace, to save tokens.
 */
import type { Field, Task } from './task.ts'

const quote = (s: string) => JSON.stringify(JSON.stringify(s)) // a GBNF literal of a JSON string

/** Field key -> the only numbers the field may take (grounded decoding); absent: any number. */
export type AllowedNumbers = ReadonlyMap<string, readonly number[]>

function valueRule(f: Field, allowed?: AllowedNumbers): string {
  switch (f.kind) {
    case 'number': {
      const only = allowed?.get(f.key)
      if (!only) return 'num | "null"'
      return [...only.map((v) => JSON.stringify(String(v))), '"null"'].join(' | ')
    }
    case 'category': {
      const alts = f.values.map((v) =>
        typeof v === 'number' ? JSON.stringify(String(v)) : quote(v),
      )
      return [...alts, ...(f.nullable ? ['"null"'] : [])].join(' | ')
    }
    case 'label':
      return `${['positive', 'negative', 'uncertain'].map(quote).join(' | ')} | "null"`
    case 'text':
      return 'str | "null"'
  }
}

const valueRules = [
  // no leading zeros (JSON), at most 5 integer and 3 decimal digits
  'num ::= "-"? ("0" | [1-9] [0-9]{0,4}) ("." [0-9]{1,3})?',
  'str ::= "\\"" [^"\\\\\\x00-\\x1f]{0,200} "\\""',
]

/**
 * GBNF for `{"KEY":value,...}` with every field of the task, in order. With `allowed`, number
 * fields take only the listed values or null (core/text/stated-values.ts lists what a report states).
 */
export function recordGrammar(task: Task, allowed?: AllowedNumbers): string {
  const fields = task.fields.map(
    (f, i) => `f${i} ::= ${quote(f.key).slice(0, -1)}:" (${valueRule(f, allowed)})`,
  )
  const root = `root ::= "{" ${task.fields.map((_, i) => `f${i}`).join(' "," ')} "}"`
  return [root, ...fields, ...valueRules].join('\n')
}

/** GBNF for one field's value alone (the teacher answers one field per question). */
export function fieldGrammar(field: Field): string {
  return [`root ::= ${valueRule(field)}`, ...valueRules].join('\n')
}
