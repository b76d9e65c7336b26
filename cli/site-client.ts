/** The site side of the edge API: where it is, the key, and requests whose refusals become one
 * clear message (the problem's detail, report and line). */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { z } from 'zod'
import { problemSchema } from '../core/api.ts'
import { CliError } from './errors.ts'
import { localStateDir } from './local-state.ts'

const localState = join(localStateDir, 'site.json')

export interface SiteClient {
  url: string
  /** A digest of the deployment's origin and the key: upload state is kept per deployment and site. */
  identity: string
  request(
    method: string,
    path: string,
    init?: { body?: string; headers?: Record<string, string> },
  ): Promise<Response>
  /** A request whose JSON answer is parsed with its core/api.ts schema. */
  json<S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    init?: { body?: string; headers?: Record<string, string> },
  ): Promise<z.infer<S>>
}

/** The edge's answer read with the API's schema: a mismatch names the field, not a crash later. */
export async function answerOf<S extends z.ZodType>(
  res: Response,
  schema: S,
  what: string,
): Promise<z.infer<S>> {
  const text = await res.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new CliError(`${what}: the edge answered with something other than JSON`)
  }
  const parsed = schema.safeParse(body)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  throw new CliError(
    `${what}: the edge's answer does not match the API (${issue?.path.join('.') || 'body'}: ${issue?.message})`,
    'is this CLI the same version as the edge?',
  )
}

/** --url / RADSTRUCT_URL (default: the local stack), --key / RADSTRUCT_KEY (default: the local stack's site key). */
export function siteClient(opts: Record<string, string | boolean | undefined>): SiteClient {
  const url =
    (typeof opts.url === 'string' ? opts.url : process.env.RADSTRUCT_URL) ?? 'http://127.0.0.1:8787'
  let key = typeof opts.key === 'string' ? opts.key : process.env.RADSTRUCT_KEY
  if (!key && existsSync(localState))
    key = (JSON.parse(readFileSync(localState, 'utf8')) as { key: string }).key
  if (!key)
    throw new CliError(
      'no API key',
      'pass --key rsk_... or set RADSTRUCT_KEY (npm start makes one for the local stack)',
    )
  const client: SiteClient = {
    url,
    // which deployment and site: the key itself never leaves this process
    identity: createHash('sha256')
      .update(`${new URL(url).origin}\n${key}`)
      .digest('hex')
      .slice(0, 16),
    async request(method, path, init = {}) {
      let res: Response
      try {
        res = await fetch(new URL(path, url), {
          method,
          headers: { authorization: `Bearer ${key}`, ...init.headers },
          ...(init.body === undefined ? {} : { body: init.body }),
        })
      } catch (e) {
        throw new CliError(
          `${url}: ${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}`,
          'is the edge running? (npm start)',
        )
      }
      if (res.status === 401)
        throw new CliError(
          `${url}: the API key was refused (401)`,
          'check --key or RADSTRUCT_KEY: a site key (rsk_...) from the deployment admin, or the one npm start prints',
        )
      if (res.status >= 400) throw new CliError(await problemMessage(res, `${method} ${path}`))
      return res
    },
    async json(schema, method, path, init) {
      return answerOf(await client.request(method, path, init), schema, `${method} ${path}`)
    },
  }
  return client
}

export async function problemMessage(res: Response, what: string): Promise<string> {
  const text = await res.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  const parsed = problemSchema.partial().safeParse(body)
  if (parsed.success && body !== undefined) {
    const p = parsed.data
    const where = [p.report ? `report ${p.report}` : '', p.line ? `line ${p.line}` : '']
      .filter(Boolean)
      .join(', ')
    const more = (p.errors ?? [])
      .slice(0, 20)
      .map(
        (e) =>
          `\n  - ${e.line ? `line ${e.line}` : ''}${e.report ? ` (${e.report})` : ''}: ${e.detail}`,
      )
    return `${what}: HTTP ${res.status}: ${p.detail ?? text}${where ? ` (${where})` : ''}${more.join('')}`
  }
  return `${what}: HTTP ${res.status}: ${text.slice(0, 300)}`
}
