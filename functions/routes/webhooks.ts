/** Webhook endpoints of a site: register (the secret is shown once), list, remove, and read attempts. */

import { Hono } from 'hono'
import { z } from 'zod'
import { webhookAttemptsSchema, webhookCreatedSchema, webhookListSchema } from '../../core/api.ts'
import { siteAuth } from '../auth.ts'
import { type AppEnv, settings } from '../env.ts'
import { newId } from '../ids.ts'
import { notFound } from '../problem.ts'
import { doc, json } from '../route-doc.ts'
import { addWebhook, disableWebhook, listWebhooks, webhookAttempts } from '../store/webhooks.ts'
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

webhooks.post(
  '/',
  doc({
    summary:
      'Register a webhook endpoint (events batch.completed, report.flagged); returns its secret once.',
    auth: 'site',
    body: { 'application/json': json(webhookRequestSchema(false)) },
    ok: 201,
    response: webhookCreatedSchema,
    errors: [400, 401, 415, 422],
  }),
  async (c) => {
    const body = await parseJsonBody(
      c.req.raw,
      webhookRequestSchema(settings(c.env).ALLOW_HTTP_WEBHOOKS),
      16 * 1024,
    )
    const id = newId('whk')
    const secret = newWebhookSecret()
    const events = [...new Set(body.events)]
    await addWebhook(c.env.DB, { id, siteId: c.get('siteId'), url: body.url, secret, events })
    return c.json({ id, url: body.url, events, secret }, 201)
  },
)

webhooks.get(
  '/',
  doc({
    summary: 'List webhook endpoints.',
    auth: 'site',
    ok: 200,
    response: webhookListSchema,
    errors: [401],
  }),
  async (c) => c.json({ webhooks: await listWebhooks(c.env.DB, c.get('siteId')) }),
)

webhooks.delete(
  '/:id',
  doc({
    summary: 'Remove a webhook endpoint.',
    auth: 'site',
    ok: 204,
    errors: [401, 404],
  }),
  async (c) => {
    if (!(await disableWebhook(c.env.DB, c.get('siteId'), c.req.param('id'))))
      throw notFound('webhook')
    return c.body(null, 204)
  },
)

webhooks.get(
  '/:id/attempts',
  doc({
    summary: 'Delivery attempts of an endpoint, newest first.',
    auth: 'site',
    ok: 200,
    response: webhookAttemptsSchema,
    errors: [401, 404],
  }),
  async (c) => {
    const attempts = await webhookAttempts(c.env.DB, c.get('siteId'), c.req.param('id'))
    if (!attempts) throw notFound('webhook')
    return c.json({ attempts })
  },
)
