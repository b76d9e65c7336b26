/**
 * The IETF Idempotency-Key draft for POSTs that create things: the first request with a key runs
 * and its response is stored; the same key with the same payload replays it, with another payload
 * is 422, and while the first is still running is 409. Keys live per site under D1's primary key
 * (site, key), so two racing requests cannot both run.
 */
import type { Context } from 'hono'
import type { AppEnv } from './env.ts'
import { now, toHex } from './ids.ts'
import { ApiError } from './problem.ts'
import { claimKey, finishKey, freeKey, keyRecord } from './store/idempotency.ts'

/** SHA-256 of a body as it streams past (workerd's DigestStream), hex. */
export class Fingerprint {
  private readonly stream = new crypto.DigestStream('SHA-256')
  private readonly writer = this.stream.getWriter()
  private chain: Promise<void> = Promise.resolve()

  add(chunk: Uint8Array): void {
    const copy = chunk.slice()
    this.chain = this.chain.then(() => this.writer.write(copy))
  }

  async hex(): Promise<string> {
    await this.chain
    await this.writer.close()
    return toHex(new Uint8Array(await this.stream.digest))
  }
}

async function fingerprintOf(
  head: Uint8Array,
  body: ReadableStream<Uint8Array> | null,
): Promise<string> {
  const fp = new Fingerprint()
  fp.add(head)
  if (body) for await (const chunk of body) fp.add(chunk)
  return fp.hex()
}

/** The request line in the fingerprint: the same key and body to another route or query
 * (`?task=cxr14` instead of `?task=cmr52`) is another request, not a replay. */
function requestLine(c: Context<AppEnv>): Uint8Array {
  const url = new URL(c.req.url)
  return new TextEncoder().encode(`${c.req.method} ${url.pathname}${url.search}\n`)
}

/**
 * Runs `handler` at most once per site and Idempotency-Key. The handler reads the body itself and
 * reports each chunk to the fingerprint it is given.
 */
export async function idempotent(
  c: Context<AppEnv>,
  handler: (fp: Fingerprint) => Promise<{ status: number; body: unknown }>,
): Promise<Response> {
  const key = c.req.header('idempotency-key')
  const respond = (r: { status: number; body: unknown }, replayed = false) =>
    new Response(JSON.stringify(r.body), {
      status: r.status,
      headers: {
        'content-type': 'application/json',
        ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
      },
    })
  if (key === undefined) return respond(await handler(new Fingerprint()))
  if (!/^[\x21-\x7e]{1,255}$/.test(key) && !/^"[\x20-\x7e]{1,253}"$/.test(key))
    throw new ApiError(
      400,
      'bad-idempotency-key',
      'Idempotency-Key: 1 to 255 printable ASCII characters',
    )
  const db = c.env.DB
  const site = c.get('siteId')
  if (!(await claimKey(db, site, key, now()))) {
    const row = await keyRecord(db, site, key)
    if (!row || row.state === 'running')
      throw new ApiError(
        409,
        'request-in-progress',
        `a request with Idempotency-Key '${key}' is still running: retry later`,
      )
    const fp = await fingerprintOf(requestLine(c), c.req.raw.body)
    if (fp !== row.fingerprint)
      throw new ApiError(
        422,
        'idempotency-key-reused',
        `Idempotency-Key '${key}' was used with another payload, route or query`,
      )
    return respond({ status: row.status, body: JSON.parse(row.response) }, true)
  }
  const fp = new Fingerprint()
  fp.add(requestLine(c))
  try {
    const result = await handler(fp)
    await finishKey(db, site, key, {
      fingerprint: await fp.hex(),
      status: result.status,
      response: JSON.stringify(result.body),
    })
    return respond(result)
  } catch (e) {
    // nothing was created: free the key so that the client can retry
    await freeKey(db, site, key)
    throw e
  }
}
