/** `radstruct schema`: prints the JSON Schema of a task's record (for constrained decoding and OpenAPI). */
import { recordJsonSchema } from '../../schemas/index.ts'
import { loadTask } from '../io.ts'

export const schemaUsage =
  'radstruct schema --task TASK\n\nPrints the JSON Schema (draft 2020-12) of one record of the task.'

export function runSchema(opts: Record<string, string | boolean | undefined>): string {
  return JSON.stringify(recordJsonSchema(loadTask(opts.task as string | undefined)), null, 2)
}
