/** `radstruct admin site|key ...`: the operator's side of the edge API (sites, API keys), over HTTPS. */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { z } from 'zod'
import {
  keyCreatedSchema,
  reviewerCreatedSchema,
  reviewerListSchema,
  siteSchema,
} from '../../core/api.ts'
import { CliError } from '../errors.ts'
import { localStateDir } from '../local-state.ts'
import { answerOf, problemMessage } from '../site-client.ts'

const tokenNote = `The edge is --url (or RADSTRUCT_URL; default the local stack, http://127.0.0.1:8787); the admin
token is RADSTRUCT_ADMIN_TOKEN, or for the local stack the one \`npm start\` made
(.wrangler/radstruct-local/secrets.json).`

export const adminSiteUsage = `radstruct admin site [--url EDGE_URL] --id SITE --name NAME [--deid-policy reject|redact]

Creates (or updates) a site on the edge API. ${tokenNote}`

export const adminKeyUsage = `radstruct admin key [--url EDGE_URL] (--site SITE | --revoke KEY_ID)

Creates an API key for a site and prints it once (only its hash is stored), or revokes a key.
${tokenNote}`

export const adminReviewerUsage = `radstruct admin reviewer [--url EDGE_URL] --site SITE (--name NAME [--role reviewer|site_admin] | --list | --revoke REVIEWER_ID)

Creates a reviewer for a site and prints their sign-in token once (for the review page, /review),
lists a site's reviewers, or revokes one (their token stops working at once). ${tokenNote}`

type Options = Record<string, string | boolean | undefined>

const localDefault = 'http://127.0.0.1:8787'
const localSecrets = join(localStateDir, 'secrets.json')

function adminToken(url: string): string | undefined {
  if (process.env.RADSTRUCT_ADMIN_TOKEN) return process.env.RADSTRUCT_ADMIN_TOKEN
  // the local stack's own token, made per checkout by npm start
  if (new URL(url).hostname === '127.0.0.1' && existsSync(localSecrets))
    return (JSON.parse(readFileSync(localSecrets, 'utf8')) as { adminToken?: string }).adminToken
  return undefined
}

/** An admin request; a refusal becomes one message (the problem's detail). */
async function send(
  opts: Options,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  const url = typeof opts.url === 'string' ? opts.url : (process.env.RADSTRUCT_URL ?? localDefault)
  opts.url = url
  const token = adminToken(url)
  if (!token)
    throw new CliError(
      'RADSTRUCT_ADMIN_TOKEN is not set',
      "the deployment's ADMIN_TOKEN (the local stack's is found by itself once npm start has run)",
    )
  let res: Response
  try {
    res = await fetch(new URL(path, opts.url), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
  } catch (e) {
    throw new CliError(`${opts.url}: ${(e as Error).message}`, 'is the edge running? (npm start)')
  }
  if (!res.ok) throw new CliError(await problemMessage(res, `${method} ${path}`))
  return res
}

/** An admin request whose JSON answer is parsed with its core/api.ts schema. */
async function call<S extends z.ZodType>(
  opts: Options,
  schema: S,
  method: string,
  path: string,
  body?: unknown,
): Promise<z.infer<S>> {
  return answerOf(await send(opts, method, path, body), schema, `${method} ${path}`)
}

export async function runAdminSite(opts: Options): Promise<string> {
  if (typeof opts.id !== 'string' || typeof opts.name !== 'string')
    throw new CliError('missing --id or --name')
  const site = await call(opts, siteSchema, 'POST', '/admin/sites', {
    id: opts.id,
    name: opts.name,
    ...(typeof opts['deid-policy'] === 'string' ? { deidPolicy: opts['deid-policy'] } : {}),
  })
  return JSON.stringify(site)
}

export async function runAdminKey(opts: Options): Promise<string> {
  if (typeof opts.revoke === 'string') {
    await (
      await send(opts, 'DELETE', `/admin/keys/${encodeURIComponent(opts.revoke)}`)
    ).body?.cancel()
    return `revoked ${opts.revoke}`
  }
  if (typeof opts.site !== 'string') throw new CliError('missing --site (or --revoke KEY_ID)')
  const k = await call(
    opts,
    keyCreatedSchema,
    'POST',
    `/admin/sites/${encodeURIComponent(opts.site)}/keys`,
  )
  return `key ${k.id} for ${opts.site} (shown once, keep it secret):\n${k.key}`
}

export async function runAdminReviewer(opts: Options): Promise<string> {
  if (typeof opts.revoke === 'string') {
    await (
      await send(opts, 'DELETE', `/admin/reviewers/${encodeURIComponent(opts.revoke)}`)
    ).body?.cancel()
    return `revoked ${opts.revoke}`
  }
  if (typeof opts.site !== 'string') throw new CliError('missing --site (or --revoke REVIEWER_ID)')
  const site = encodeURIComponent(opts.site)
  if (opts.list) {
    const r = await call(opts, reviewerListSchema, 'GET', `/admin/sites/${site}/reviewers`)
    if (r.reviewers.length === 0) return `no reviewers for ${opts.site}`
    return r.reviewers
      .map(
        (v) =>
          `${v.id}  ${v.role.padEnd(10)}  ${v.revokedAt ? `revoked ${v.revokedAt}` : 'active'}  ${v.name}`,
      )
      .join('\n')
  }
  if (typeof opts.name !== 'string') throw new CliError('missing --name (or --list, --revoke)')
  const role = opts.role ?? 'reviewer'
  if (role !== 'reviewer' && role !== 'site_admin')
    throw new CliError(`--role: expected reviewer or site_admin, got '${String(role)}'`)
  const r = await call(opts, reviewerCreatedSchema, 'POST', `/admin/sites/${site}/reviewers`, {
    name: opts.name,
    role,
  })
  return `reviewer ${r.id} for ${opts.site} (token shown once; sign in at ${opts.url}/review):\n${r.token}`
}
