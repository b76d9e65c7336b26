/**
 * A batch request body as intake items: NDJSON (one report per line, streamed; `?task=` names the
 * task) or JSON ({"task", "reports": [...]}, read whole, so kept to MAX_JSON_BYTES).
 */
import { builtinTask, builtinTaskIds, unknownTask } from '../../schemas/index.ts'
import type { Task } from '../../schemas/task.ts'
import type { Settings } from '../env.ts'
import type { Fingerprint } from '../idempotency.ts'
import { ApiError } from '../problem.ts'
import { ndjsonItems, readLines } from './lines.ts'
import type { IntakeItem } from './prepare.ts'

export const MAX_JSON_BYTES = 10 * 1024 * 1024
const MAX_LINE_BYTES = 1024 * 1024

export function taskOrThrow(id: unknown): Task {
  if (typeof id !== 'string' || id === '')
    throw new ApiError(422, 'validation', `task: expected one of ${builtinTaskIds.join(', ')}`, {
      field: 'task',
    })
  const task = builtinTask(id)
  if (!task)
    throw new ApiError(422, 'unknown-task', `task: ${unknownTask(id)}`, {
      field: 'task',
    })
  return task
}

/** A task this deployment extracts: known, and served by the worker's models. */
export function servedTaskOrThrow(id: unknown, s: Pick<Settings, 'SERVED_TASKS'>): Task {
  const task = taskOrThrow(id)
  if (s.SERVED_TASKS && !s.SERVED_TASKS.includes(task.id))
    throw new ApiError(
      422,
      'unserved-task',
      `task: no model serves task ${task.id} at this deployment (served: ${s.SERVED_TASKS.join(', ') || 'none'})`,
      { field: 'task' },
    )
  return task
}

export interface BatchBody {
  task: Task
  items: AsyncIterable<IntakeItem>
  /** Extra top-level fields of a JSON body (e.g. /v1/extract's callbackUrl). */
  extra: Record<string, unknown>
}

export async function readBatchBody(
  req: Request,
  fp: Fingerprint,
  s: Pick<Settings, 'MAX_BATCH_BYTES' | 'SERVED_TASKS'>,
  opts: { maxJsonBytes?: number } = {},
): Promise<BatchBody> {
  const type = (req.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase()
  const length = Number(req.headers.get('content-length') ?? Number.NaN)
  const url = new URL(req.url)
  if (type === 'application/x-ndjson' || type === 'application/jsonl') {
    if (length > s.MAX_BATCH_BYTES)
      throw new ApiError(
        413,
        'batch-too-large',
        `the batch is over ${s.MAX_BATCH_BYTES} bytes: split it`,
      )
    const task = servedTaskOrThrow(url.searchParams.get('task'), s)
    if (!req.body) throw new ApiError(422, 'no-reports-accepted', 'the batch holds no reports')
    const lines = readLines(req.body, {
      maxBytes: s.MAX_BATCH_BYTES,
      maxLineBytes: MAX_LINE_BYTES,
      onChunk: (c) => fp.add(c),
    })
    return { task, items: ndjsonItems(lines), extra: {} }
  }
  if (type === 'application/json') {
    const max = opts.maxJsonBytes ?? MAX_JSON_BYTES
    if (length > max)
      throw new ApiError(
        413,
        'body-too-large',
        `a JSON body takes at most ${max} bytes: send larger batches as NDJSON (Content-Type: application/x-ndjson)`,
      )
    const chunks: Uint8Array[] = []
    let total = 0
    if (req.body)
      for await (const chunk of req.body) {
        total += chunk.byteLength
        if (total > max)
          throw new ApiError(
            413,
            'body-too-large',
            `a JSON body takes at most ${max} bytes: send NDJSON`,
          )
        fp.add(chunk)
        chunks.push(chunk)
      }
    const bytes = concatChunks(chunks, total)
    let data: unknown
    try {
      data = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes))
    } catch (e) {
      throw new ApiError(
        400,
        'malformed-json',
        `the body is not valid UTF-8 JSON: ${(e as Error).message.slice(0, 120)}`,
      )
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data))
      throw new ApiError(422, 'validation', 'expected an object {"task": ..., "reports": [...]}')
    const { task: taskId, reports, ...extra } = data as Record<string, unknown>
    const task = servedTaskOrThrow(taskId ?? url.searchParams.get('task'), s)
    if (!Array.isArray(reports))
      throw new ApiError(422, 'validation', 'reports: expected an array of reports', {
        field: 'reports',
      })
    return { task, items: arrayItems(reports), extra }
  }
  throw new ApiError(
    415,
    'unsupported-media-type',
    `Content-Type '${type || '(none)'}': send application/json or application/x-ndjson`,
  )
}

async function* arrayItems(reports: unknown[]): AsyncGenerator<IntakeItem> {
  for (let i = 0; i < reports.length; i++) yield { line: i + 1, data: reports[i] }
}

/** The chunks of a body read whole, as one array of `total` bytes. */
export function concatChunks(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const bytes = new Uint8Array(total)
  let at = 0
  for (const c of chunks) {
    bytes.set(c, at)
    at += c.byteLength
  }
  return bytes
}
