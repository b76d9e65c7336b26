/**
 * A file put in the drop folder, taken in as an upload is: the worker relays the notification
 * (signed `batch.dropped`), the edge reads the file from the bucket, and the same intake
 * (acceptBatch: validation, the screen under the site's policy, deduplication, the raw object,
 * dispatch) takes its reports. The batch id comes from the site and the file's name, so the same
 * file announced again is the same batch, taken once.
 */
import { getObject } from '../../adapters/aws/fetch-clients.ts'
import { dropBatchId } from '../../core/report-ref.ts'
import { idFromFileName } from '../../core/reports/split.ts'
import { textOfBytes } from '../../core/text/charset.ts'
import { type Bindings, settings } from '../env.ts'
import { ApiError } from '../problem.ts'
import { batchExists } from '../store/intake.ts'
import { deidPolicy, siteExists } from '../store/sites.ts'
import { acceptBatch } from './accept.ts'
import { concatChunks, MAX_JSON_BYTES, servedTaskOrThrow } from './body.ts'
import { ndjsonItems, readLines } from './lines.ts'
import type { IntakeItem } from './prepare.ts'

export interface Drop {
  site: string
  task: string
  bucket: string
  key: string
  /** The batch's name: the file's path under the site, or its digest. */
  name: string
}

/** The edge's batch for a dropped file, taken in once. */
export async function acceptDrop(
  env: Bindings,
  d: Drop,
): Promise<{ batch: string; fresh: boolean }> {
  const s = settings(env)
  if (!(await siteExists(env.DB, d.site)))
    throw new ApiError(
      404,
      'unknown-site',
      `no site '${d.site}': create it before dropping files for it`,
    )
  const task = servedTaskOrThrow(d.task, s)
  const batchId = dropBatchId(d.site, d.name)
  if (await batchExists(env.DB, batchId)) return { batch: batchId, fresh: false }
  const body = await getObject(s, d.bucket, d.key)
  if (!body)
    throw new ApiError(404, 'not-found', 'the dropped file is not in the bucket (deleted since?)')
  await acceptBatch(env, dropItems(d.key, body, s.MAX_BATCH_BYTES), {
    siteId: d.site,
    task,
    deidPolicy: await deidPolicy(env.DB, d.site),
    maxReports: s.MAX_REPORTS_PER_BATCH,
    batchId,
    keepEmpty: true,
  })
  return { batch: batchId, fresh: true }
}

/** A dropped file's reports as intake items, by its kind: NDJSON a line at a time (the reader an
 * upload goes through), JSON one report or an array, any other file one report named by the file. */
async function* dropItems(
  key: string,
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
): AsyncGenerator<IntakeItem> {
  const lower = key.toLowerCase()
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) {
    yield* ndjsonItems(readLines(body, { maxBytes, maxLineBytes: 1024 * 1024 }))
    return
  }
  const text = await readText(body, lower.endsWith('.json') ? MAX_JSON_BYTES : maxBytes)
  if (!lower.endsWith('.json')) {
    yield { line: 1, data: { id: idFromFileName(key), text } }
    return
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    yield { line: 1, parseError: 'the file is not valid JSON' }
    return
  }
  const reports = Array.isArray(data) ? data : [data]
  for (const [i, r] of reports.entries()) yield { line: i + 1, data: r }
}

/** The dropped file as text: UTF-8, or the charset its format declares (core/text/charset.ts);
 * anything else is a visible failure, never text with replacement characters. */
async function readText(body: ReadableStream<Uint8Array>, max: number): Promise<string> {
  const chunks: Uint8Array[] = []
  let total = 0
  for await (const chunk of body) {
    total += chunk.byteLength
    if (total > max)
      throw new ApiError(413, 'batch-too-large', `the dropped file is over ${max} bytes: split it`)
    chunks.push(chunk)
  }
  const decoded = textOfBytes(concatChunks(chunks, total))
  if (!decoded.ok) throw new ApiError(415, 'bad-encoding', `the dropped file: ${decoded.reason}`)
  return decoded.text
}
