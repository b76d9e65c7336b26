/** Reviewer accounts: a token ("rvw_" + 32 random bytes) per person, stored hashed, with a role;
 * separate from the sites' upload keys. */
import { createMiddleware } from 'hono/factory'
import type { AppEnv, Reviewer } from '../env.ts'
import { newId, now, randomHex, sha256Hex } from '../ids.ts'
import { ApiError } from '../problem.ts'
import { insertReviewer, reviewerOfToken } from '../store/access.ts'

export const reviewerAuth = createMiddleware<AppEnv>(async (c, next) => {
  const m = /^Bearer\s+(rvw_[0-9a-f]{64})$/i.exec(c.req.header('authorization') ?? '')
  if (!m?.[1])
    throw new ApiError(
      401,
      'unauthorized',
      'send a reviewer token as "Authorization: Bearer rvw_..."',
    )
  const reviewer = await reviewerOfToken(c.env.DB, await sha256Hex(m[1]))
  if (!reviewer) throw new ApiError(401, 'unauthorized', 'unknown or disabled reviewer token')
  c.set('reviewer', reviewer)
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
  await insertReviewer(db, { id, siteId, name, role, tokenHash: await sha256Hex(token), at: now() })
  return { id, token }
}
