/** Webhook endpoints of a site: register (the secret is shown once), list, remove, and read attempts. */
import { Hono } from 'hono'
import { z } from 'zod'
import { siteAuth } from '../auth.ts'
import { type AppEnv, settings } from '../env.ts'
import { newId, now } from '../ids.ts'
import { notFound } from '../problem.ts'
import { newWebhookSecret, webhookUrl } from '../webhook-url.ts'
import { parseJsonBody } from './json-body.ts'

export const eventTypes = ['batch.completed', 'report.flagged'] as const

export const webhookRequestSchema = (allowHttp: boolean) =>
  z
    .object({
      url: webhookUrl(allowHttp),
      events: z
        .array(z.enum(eventTypes))
        .min(1)
        .default([...eventTypes]),
    })
    .strict()

export const webhooks = new Hono<AppEnv>()
webhooks.use('*', siteAuth)

webhooks.post('/', async (c) => {
  const body = await parseJsonBody(
    c.req.raw,
    webhookRequestSchema(settings(c.env).ALLOW_HTTP_WEBHOOKS),
    16 * 1024,
  )
  const id = newId('whk')
  const secret = newWebhookSecret()
  const events = [...new Set(body.events)]
  await c.env.DB.prepare(
    'INSERT INTO webhook_endpoints (id, site_id, url, secret, events, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  )
    .bind(id, c.get('siteId'), body.url, secret, events.join(','), now())
    .run()
  return c.json({ id, url: body.url, events, secret }, 201)
})

webhooks.get('/', async (c) => {
  const rows = await c.env.DB.prepare(
    'SELECT id, url, events, created_at FROM webhook_endpoints WHERE site_id = ? AND disabled_at IS NULL ORDER BY created_at',
  )
    .bind(c.get('siteId'))
    .all<{ id: string; url: string; events: string; created_at: string }>()
  return c.json({
    webhooks: rows.results.map((r) => ({
      id: r.id,
      url: r.url,
      events: r.events.split(','),
      createdAt: r.created_at,
    })),
  })
})

webhooks.delete('/:id', async (c) => {
  const r = await c.env.DB.prepare(
    'UPDATE webhook_endpoints SET disabled_at = ? WHERE id = ? AND site_id = ? AND disabled_at IS NULL',
  )
    .bind(now(), c.req.param('id'), c.get('siteId'))
    .run()
  if (r.meta.changes === 0) throw notFound('webhook')
  return c.body(null, 204)
})

webhooks.get('/:id/attempts', async (c) => {
  const owned = await c.env.DB.prepare(
    'SELECT id FROM webhook_endpoints WHERE id = ? AND site_id = ?',
  )
    .bind(c.req.param('id'), c.get('siteId'))
    .first()
  if (!owned) throw notFound('webhook')
  const rows = await c.env.DB.prepare(
    `SELECT a.event_id, e.type, a.attempt, a.status, a.error, a.at FROM webhook_attempts a JOIN events e ON e.id = a.event_id
     WHERE a.target = ? ORDER BY a.at DESC LIMIT 100`,
  )
    .bind(c.req.param('id'))
    .all()
  return c.json({ attempts: rows.results })
})
