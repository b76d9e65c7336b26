/** Reviewer accounts: a token ("rvw_" + 32 random bytes) per person, stored hashed, with a role;
 * separate from the sites' upload keys. */
import { createMiddleware } from 'hono/factory'
import type { AppEnv, Reviewer } from '../env.ts'
import { newId, now, randomHex, sha256Hex } from '../ids.ts'
import { ApiError } from '../problem.ts'

export const reviewerAuth = createMiddleware<AppEnv>(async (c, next) => {
  const m = /^Bearer\s+(rvw_[0-9a-f]{64})$/i.exec(c.req.header('authorization') ?? '')
  if (!m?.[1])
    throw new ApiError(
      401,
      'unauthorized',
      'send a reviewer token as "Authorization: Bearer rvw_..."',
    )
  const row = await c.env.DB.prepare(
    'SELECT id, site_id, name, role FROM reviewers WHERE token_hash = ? AND disabled_at IS NULL',
  )
    .bind(await sha256Hex(m[1]))
    .first<{ id: string; site_id: string; name: string; role: Reviewer['role'] }>()
  if (!row) throw new ApiError(401, 'unauthorized', 'unknown or disabled reviewer token')
  c.set('reviewer', { id: row.id, siteId: row.site_id, name: row.name, role: row.role })
  await next()
})

export async function createReviewer(
  db: D1Database,
  siteId: string,
  name: string,
  role: Reviewer['role'],
): Promise<{ id: string; token: string }> {
  const token = `rvw_${randomHex(32)}`
  const id = newId('rvr')
  await db
    .prepare(
      'INSERT INTO reviewers (id, site_id, name, role, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .bind(id, siteId, name, role, await sha256Hex(token), now())
    .run()
  return { id, token }
}
