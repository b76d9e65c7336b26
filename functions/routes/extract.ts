/**
 * POST /v1/extract: webhook-triggered extraction of one report or a small batch. The reports go
 * through the same intake as a batch; when the last result is in, the results are POSTed to the
 * callback URL, signed (Standard Webhooks) with the secret this response returns.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { siteAuth } from '../auth.ts'
import { type AppEnv, settings } from '../env.ts'
import { idempotent } from '../idempotency.ts'
import { acceptBatch } from '../intake/accept.ts'
import { readBatchBody } from '../intake/body.ts'
import { ApiError } from '../problem.ts'
import { doc, json } from '../route-doc.ts'
import { deidPolicy } from '../store/sites.ts'
import { newWebhookSecret, webhookUrl } from '../webhook-url.ts'
import { batchJson } from './batches.ts'

const extractJson = batchJson.extend({ callbackUrl: z.string().url() })

export const extract = new Hono<AppEnv>()
extract.use('*', siteAuth)

extract.post(
  '/',
  doc({
    summary: 'Extract a few reports; the results are POSTed, signed, to callbackUrl.',
    auth: 'site',
    body: { 'application/json': json(extractJson) },
    ok: 202,
    errors: [400, 401, 409, 413, 415, 422],
  }),
  (c) =>
    idempotent(c, async (fp) => {
      const s = settings(c.env)
      if ((c.req.header('content-type') ?? '').split(';')[0]?.trim() !== 'application/json')
        throw new ApiError(
          415,
          'unsupported-media-type',
          'send application/json: {"task", "reports", "callbackUrl"}',
        )
      const body = await readBatchBody(c.req.raw, fp, s, { maxJsonBytes: 4 * 1024 * 1024 })
      const url = webhookUrl(s.ALLOW_HTTP_WEBHOOKS).safeParse(body.extra.callbackUrl)
      if (!url.success)
        throw new ApiError(
          422,
          'validation',
          `callbackUrl: expected ${url.error.issues[0]?.message ?? 'a URL'}`,
          {
            field: 'callbackUrl',
          },
        )
      const unknown = Object.keys(body.extra).filter((k) => k !== 'callbackUrl')
      if (unknown.length)
        throw new ApiError(422, 'validation', `unknown field(s): ${unknown.join(', ')}`, {
          field: unknown[0],
        })
      const secret = newWebhookSecret()
      const accepted = await acceptBatch(c.env, body.items, {
        siteId: c.get('siteId'),
        task: body.task,
        deidPolicy: await deidPolicy(c.env.DB, c.get('siteId')),
        maxReports: s.MAX_EXTRACT_REPORTS,
        callback: { url: url.data, secret },
      })
      return {
        status: 202,
        body: {
          batch: accepted.batchId,
          task: body.task.id,
          accepted: accepted.accepted,
          rejected: accepted.rejected,
          rejections: accepted.rejections,
          callbackUrl: url.data,
          callbackSecret: secret,
          status: `/v1/batches/${accepted.batchId}`,
        },
      }
    }),
)
