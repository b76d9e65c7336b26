/** A task by its shipped id, or read from a task file (Node only: the edge knows shipped ids). */
import { existsSync, readFileSync } from 'node:fs'
import { builtinTask, UnknownTaskError, unknownTask } from './index.ts'
import { parseTask, type Task } from './task.ts'

/** `readJson` reads the file (the CLI passes its own, whose errors name the file for a user). */
export function loadTask(
  idOrPath: string,
  readJson: (path: string) => unknown = (path) => JSON.parse(readFileSync(path, 'utf8')),
): Task {
  const builtin = builtinTask(idOrPath)
  if (builtin) return builtin
  if (!existsSync(idOrPath)) throw new UnknownTaskError(unknownTask(idOrPath))
  return parseTask(readJson(idOrPath), idOrPath)
}
