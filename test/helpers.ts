/** Shared test fixtures: the shipped tasks and the sample reports under examples/. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { main } from '../cli/main.ts'
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

/** Runs the CLI in-process, collecting what it prints. */
export async function runCli(
  ...argv: string[]
): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(
    argv,
    (s) => {
      out += `${s}\n`
    },
    (s) => {
      err += `${s}\n`
    },
  )
  return { code, out, err }
}
