/**
 * The supervised fine-tuning set: one chat example per labelled report, with the exact prompt the
 * worker sends and the record as the grammar lets the student write it, split into train and
 * validation by a hash of the report id (stable as the corpus grows).
 */
import { formatRecord, studentPrompt } from '../core/prompt.ts'
import type { TaskRecord } from '../schemas/record.ts'
import type { Task } from '../schemas/task.ts'

export interface LabelledText {
  id: string
  text: string
  record: TaskRecord
}

export interface ChatExample {
  id: string
  messages: { role: 'user' | 'assistant'; content: string }[]
}

/** FNV-1a of the id with murmur3's final mix (ids differ in one digit), as a fraction in [0, 1). */
export function idFraction(id: string): number {
  let h = 0x811c9dc5
  for (const ch of id) {
    h ^= ch.codePointAt(0) as number
    h = Math.imul(h, 0x01000193) >>> 0
  }
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b) >>> 0
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35) >>> 0
  h ^= h >>> 16
  return (h >>> 0) / 2 ** 32
}

export function toChatExample(task: Task, item: LabelledText): ChatExample {
  return {
    id: item.id,
    messages: [
      { role: 'user', content: studentPrompt(task, item.text) },
      { role: 'assistant', content: formatRecord(task, item.record) },
    ],
  }
}

export function splitExamples(
  task: Task,
  items: readonly LabelledText[],
  validationShare: number,
): { train: ChatExample[]; validation: ChatExample[] } {
  const train: ChatExample[] = []
  const validation: ChatExample[] = []
  for (const item of items)
    (idFraction(item.id) < validationShare ? validation : train).push(toChatExample(task, item))
  return { train, validation }
}
