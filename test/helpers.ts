/** Shared test fixtures: the shipped tasks and the sample reports under examples/. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { builtinTask, type Task, type TaskRecord } from '../schemas/index.ts'

export const root = join(import.meta.dirname, '..')

export function task(id: string): Task {
  const t = builtinTask(id)
  if (!t) throw new Error(`no task ${id}`)
  return t
}

export function sample(taskId: string, id: string): { text: string; gold: TaskRecord } {
  const dir = join(root, 'examples', 'samples', taskId)
  return {
    text: readFileSync(join(dir, `${id}.txt`), 'utf8'),
    gold: JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')),
  }
}

export const ids = (n: number) =>
  Array.from({ length: n }, (_, i) => String(i + 1).padStart(3, '0'))
