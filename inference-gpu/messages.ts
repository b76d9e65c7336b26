/**
 * What arrives on the work queue: a report sent by the edge, or an S3 object-created notification
 * for a file put in the drop folder (drop/<site>/.../<file>).
 */
import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { ReportMessage } from '../core/contracts.ts'
import { reportMessageSchema } from '../core/contracts.ts'
import { type IdentifierKind, screenName } from '../core/screen/deid.ts'

export type { ReportMessage }

const s3EventSchema = z.object({
  Records: z
    .array(
      z.object({
        eventName: z.string(),
        s3: z.object({
          bucket: z.object({ name: z.string() }),
          object: z.object({ key: z.string() }),
        }),
      }),
    )
    .min(1),
})

export type WorkMessage =
  | { kind: 'report'; message: ReportMessage }
  | { kind: 'objects'; objects: { bucket: string; key: string }[] }
  | { kind: 'ignore'; why: string }
  | { kind: 'invalid'; reason: string }

/** Classifies a queue message body; never throws. */
export function parseWorkMessage(body: string | undefined): WorkMessage {
  let data: unknown
  try {
    data = JSON.parse(body ?? '')
  } catch {
    return { kind: 'invalid', reason: 'message body is not JSON' }
  }
  if (
    typeof data === 'object' &&
    data !== null &&
    (data as { Event?: unknown }).Event === 's3:TestEvent'
  ) {
    return { kind: 'ignore', why: 's3 test event' }
  }
  const report = reportMessageSchema.safeParse(data)
  if (report.success) return { kind: 'report', message: report.data }
  const s3 = s3EventSchema.safeParse(data)
  if (s3.success) {
    const objects = s3.data.Records.filter((r) => r.eventName.startsWith('ObjectCreated')).map(
      (r) => ({
        bucket: r.s3.bucket.name,
        // S3 notifications URL-encode keys, with + for spaces
        key: decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')),
      }),
    )
    return objects.length
      ? { kind: 'objects', objects }
      : { kind: 'ignore', why: 'no object-created record' }
  }
  const issue = report.error.issues[0]
  return {
    kind: 'invalid',
    reason: `not a report message: ${issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'unknown shape'}`,
  }
}

/** A name for something the site named that may not be stored or shown: a digest. */
export function withheldName(name: string): string {
  return `withheld-${createHash('sha256').update(name).digest('hex').slice(0, 16)}`
}

export interface DropOrigin {
  site: string
  batch: string
  /** What the batch shows as its file: the key, or its digest when the name holds an identifier. */
  file: string
  /** Kinds of identifier found in the file's name ("SMITH_JOHN_mrn1234567.ndjson"). */
  withheld?: IdentifierKind[]
}

/** drop/<site>/<path>/<file>.ndjson -> site and a batch id from the rest of the key. A name that
 * holds an identifier is never stored or shown: the batch and the file go by a digest of it. */
export function dropOrigin(key: string, dropPrefix: string): DropOrigin | undefined {
  if (!key.startsWith(dropPrefix)) return undefined
  const [site, ...rest] = key.slice(dropPrefix.length).split('/')
  if (!site || rest.length === 0) return undefined
  // the path without its extension names the batch, and is what the screen reads
  const stem = rest.join('/').replace(/\.[^./]*$/, '')
  const withheld = screenName(stem.replace(/[/]/g, ' '))
  if (withheld.length > 0) {
    const name = withheldName(key)
    return { site, batch: name, file: `${dropPrefix}${site}/${name}`, withheld }
  }
  return {
    site,
    batch: stem.replace(/[^A-Za-z0-9._-]/g, '_'),
    file: key,
  }
}
