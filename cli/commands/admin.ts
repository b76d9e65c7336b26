/** `radstruct admin site|key ...`: the operator's side of the edge API (sites, API keys), over HTTPS. */
import { CliError } from '../errors.ts'

export const adminSiteUsage = `radstruct admin site --url EDGE_URL --id SITE --name NAME [--deid-policy reject|redact]

Creates (or updates) a site on the edge API. The admin token comes from RADSTRUCT_ADMIN_TOKEN.`

export const adminKeyUsage = `radstruct admin key --url EDGE_URL (--site SITE | --revoke KEY_ID)

Creates an API key for a site and prints it once (only its hash is stored), or revokes a key.
The admin token comes from RADSTRUCT_ADMIN_TOKEN.`

type Options = Record<string, string | boolean | undefined>

async function call(opts: Options, method: string, path: string, body?: unknown): Promise<unknown> {
  if (typeof opts.url !== 'string')
    throw new CliError('missing --url', 'the edge API, e.g. http://127.0.0.1:8787')
  const token = process.env.RADSTRUCT_ADMIN_TOKEN
  if (!token) throw new CliError('RADSTRUCT_ADMIN_TOKEN is not set', "the deployment's ADMIN_TOKEN")
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
    throw new CliError(`${opts.url}: ${(e as Error).message}`)
  }
  const text = await res.text()
  if (!res.ok) {
    const detail = (() => {
      try {
        return (JSON.parse(text) as { detail?: string }).detail ?? text
      } catch {
        return text
      }
    })()
    throw new CliError(`${method} ${path}: HTTP ${res.status}: ${detail}`)
  }
  return text ? JSON.parse(text) : undefined
}

export async function runAdminSite(opts: Options): Promise<string> {
  if (typeof opts.id !== 'string' || typeof opts.name !== 'string')
    throw new CliError('missing --id or --name')
  const site = await call(opts, 'POST', '/admin/sites', {
    id: opts.id,
    name: opts.name,
    ...(typeof opts['deid-policy'] === 'string' ? { deidPolicy: opts['deid-policy'] } : {}),
  })
  return JSON.stringify(site)
}

export async function runAdminKey(opts: Options): Promise<string> {
  if (typeof opts.revoke === 'string') {
    await call(opts, 'DELETE', `/admin/keys/${encodeURIComponent(opts.revoke)}`)
    return `revoked ${opts.revoke}`
  }
  if (typeof opts.site !== 'string') throw new CliError('missing --site (or --revoke KEY_ID)')
  const k = (await call(opts, 'POST', `/admin/sites/${encodeURIComponent(opts.site)}/keys`)) as {
    id: string
    key: string
  }
  return `key ${k.id} for ${opts.site} (shown once, keep it secret):\n${k.key}`
}
