/** The tasks that ship with radstruct, validated once at import (works in Node and workerd: no fs). */

import { parseTask, type Task } from './task.ts'
import bonemets3 from './tasks/bonemets3.json' with { type: 'json' }
import cmr52 from './tasks/cmr52.json' with { type: 'json' }
import cxr14 from './tasks/cxr14.json' with { type: 'json' }

export * from './formula.ts'
export * from './record.ts'
export * from './task.ts'

const builtin: Record<string, unknown> = { cmr52, cxr14, bonemets3 }
const cache = new Map<string, Task>()

export const builtinTaskIds = Object.keys(builtin)

/** A shipped task by id, or undefined. Parsed on first use. */
export function builtinTask(id: string): Task | undefined {
  const cached = cache.get(id)
  if (cached) return cached
  // own keys only: "__proto__" or "constructor" name no task
  if (!Object.hasOwn(builtin, id)) return undefined
  const data = builtin[id]
  const task = parseTask(data, `schemas/tasks/${id}.json`)
  cache.set(id, task)
  return task
}

/** Why an id names no task: the one wording of that error, wherever a task is looked up. */
export function unknownTask(id: string): string {
  return `no task '${id}'; tasks: ${builtinTaskIds.join(', ')}`
}

/** A shipped task by id; an id that names none is an error (`unknownTask`). */
export function requireTask(id: string): Task {
  const task = builtinTask(id)
  if (!task) throw new UnknownTaskError(unknownTask(id))
  return task
}

export class UnknownTaskError extends Error {}
