/**
 * Site API keys: "rsk_" + 32 random bytes, shown once at creation, stored as a SHA-256 hash. Every
 * /v1 request carries one as a bearer token; the key decides the site, and the site every row a
 * request can see. /admin takes the deployment's ADMIN_TOKEN instead.
 */
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from './env.ts'
import { settings } from './env.ts'
import { newId, now, randomHex, sha256Hex } from './ids.ts'
import { ApiError } from './problem.ts'
import { insertApiKey, siteOfKey } from './store/access.ts'

const unauthorized = (detail: string) => new ApiError(401, 'unauthorized', detail)

function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '')
  return m?.[1]
}

export const siteAuth = createMiddleware<AppEnv>(async (c, next) => {
  const key = bearer(c.req.header('authorization'))
  if (!key) throw unauthorized('send the site API key as "Authorization: Bearer rsk_..."')
  if (!/^rsk_[0-9a-f]{64}$/.test(key)) throw unauthorized('not a radstruct API key')
  const siteId = await siteOfKey(c.env.DB, await sha256Hex(key))
  if (!siteId) throw unauthorized('unknown or revoked API key')
  c.set('siteId', siteId)
  await next()
})

function sameText(a: string, b: string): boolean {
  const ea = new TextEncoder().encode(a)
  const eb = new TextEncoder().encode(b)
  return ea.length === eb.length && crypto.subtle.timingSafeEqual(ea, eb)
}

export const adminAuth = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearer(c.req.header('authorization'))
  if (!token || !sameText(token, settings(c.env).ADMIN_TOKEN))
    throw unauthorized('the admin API takes the deployment ADMIN_TOKEN as a bearer token')
  await next()
})

/** A new key for a site: the caller gets the key once; the database keeps its hash. */
export async function createApiKey(
  db: D1Database,
  siteId: string,
): Promise<{ id: string; key: string }> {
  const key = `rsk_${randomHex(32)}`
  const id = newId('key')
  await insertApiKey(db, { id, siteId, keyHash: await sha256Hex(key), at: now() })
  return { id, key }
}
