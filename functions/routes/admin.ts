/** /admin: sites and their API keys, for the deployment's operator (ADMIN_TOKEN). */
import { Hono } from 'hono'
import { z } from 'zod'
import { adminAuth, createApiKey } from '../auth.ts'
import type { AppEnv } from '../env.ts'
import { now } from '../ids.ts'
import { ApiError, notFound } from '../problem.ts'
import { createReviewer } from '../review/auth.ts'
import { parseJsonBody } from './json-body.ts'
import { reviewerRequestSchema } from './review.ts'

export const siteRequestSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and -, 2 to 63'),
    name: z.string().min(1).max(200),
    /** A new site defaults to reject; an update without it keeps the site's policy. */
    deidPolicy: z.enum(['reject', 'redact']).optional(),
  })
  .strict()

export const admin = new Hono<AppEnv>()
admin.use('*', adminAuth)

admin.post('/sites', async (c) => {
  const body = await parseJsonBody(c.req.raw, siteRequestSchema, 16 * 1024)
  const existed = await c.env.DB.prepare('SELECT 1 FROM sites WHERE id = ?').bind(body.id).first()
  await c.env.DB.prepare(
    `INSERT INTO sites (id, name, deid_policy, created_at) VALUES (?, ?, COALESCE(?, 'reject'), ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, deid_policy = COALESCE(?, sites.deid_policy)`,
  )
    .bind(body.id, body.name, body.deidPolicy ?? null, now(), body.deidPolicy ?? null)
    .run()
  const site = await c.env.DB.prepare('SELECT id, name, deid_policy FROM sites WHERE id = ?')
    .bind(body.id)
    .first<{ id: string; name: string; deid_policy: string }>()
  return c.json(
    { id: site?.id, name: site?.name, deidPolicy: site?.deid_policy },
    existed ? 200 : 201,
  )
})

admin.post('/sites/:site/keys', async (c) => {
  const site = await c.env.DB.prepare('SELECT id FROM sites WHERE id = ?')
    .bind(c.req.param('site'))
    .first()
  if (!site) throw notFound('site')
  return c.json(await createApiKey(c.env.DB, c.req.param('site')), 201)
})

admin.post('/sites/:site/reviewers', async (c) => {
  const site = await c.env.DB.prepare('SELECT id FROM sites WHERE id = ?')
    .bind(c.req.param('site'))
    .first()
  if (!site) throw notFound('site')
  const body = await parseJsonBody(c.req.raw, reviewerRequestSchema, 4096)
  return c.json(await createReviewer(c.env.DB, c.req.param('site'), body.name, body.role), 201)
})

admin.get('/sites/:site/reviewers', async (c) => {
  const rows = await c.env.DB.prepare(
    'SELECT id, name, role, created_at, disabled_at FROM reviewers WHERE site_id = ? ORDER BY created_at',
  )
    .bind(c.req.param('site'))
    .all<{
      id: string
      name: string
      role: string
      created_at: string
      disabled_at: string | null
    }>()
  return c.json({
    reviewers: rows.results.map((r) => ({
      id: r.id,
      name: r.name,
      role: r.role,
      createdAt: r.created_at,
      revokedAt: r.disabled_at,
    })),
  })
})

admin.delete('/reviewers/:id', async (c) => {
  const r = await c.env.DB.prepare(
    'UPDATE reviewers SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL',
  )
    .bind(now(), c.req.param('id'))
    .run()
  if (r.meta.changes === 0)
    throw new ApiError(404, 'not-found', `no active reviewer '${c.req.param('id')}'`)
  return c.body(null, 204)
})

admin.delete('/keys/:id', async (c) => {
  const r = await c.env.DB.prepare(
    'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
  )
    .bind(now(), c.req.param('id'))
    .run()
  if (r.meta.changes === 0)
    throw new ApiError(404, 'not-found', `no active key '${c.req.param('id')}'`)
  return c.body(null, 204)
})
