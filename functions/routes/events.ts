/**
 * POST /v1/events: result events from the GPU worker, signed with the shared EVENTS_SECRET
 * (Standard Webhooks). A result is counted once however often its event arrives.
 */
import { Hono } from 'hono'
import { getResult } from '../../adapters/aws/fetch-clients.ts'
import { workerEventSchema } from '../../core/contracts.ts'
import { verifyEvent } from '../../core/signing.ts'
import { type AppEnv, settings } from '../env.ts'
import { acceptDrop } from '../intake/drop.ts'
import { ApiError } from '../problem.ts'
import { doc, json } from '../route-doc.ts'
import { recordOutcome, storedOutcome } from '../store/progress.ts'

export const events = new Hono<AppEnv>()

events.post(
  '/',
  doc({
    summary: 'Result events from the GPU worker (Standard Webhooks signature with EVENTS_SECRET).',
    auth: 'signature',
    body: { 'application/json': json(workerEventSchema) },
    ok: 200,
    errors: [400, 401, 422],
  }),
  async (c) => {
    const body = await c.req.text()
    const ok = await verifyEvent(
      settings(c.env).EVENTS_SECRET,
      {
        id: c.req.header('webhook-id') ?? null,
        timestamp: c.req.header('webhook-timestamp') ?? null,
        signature: c.req.header('webhook-signature') ?? null,
      },
      body,
      Date.now() / 1000,
    )
    if (!ok)
      throw new ApiError(
        401,
        'bad-signature',
        'the event is not signed with the events secret, or is too old',
      )
    let data: unknown
    try {
      data = JSON.parse(body)
    } catch {
      throw new ApiError(400, 'malformed-json', 'the event is not JSON')
    }
    const event = workerEventSchema.safeParse(data)
    if (!event.success)
      throw new ApiError(422, 'validation', event.error.issues[0]?.message ?? 'invalid')
    const e = event.data
    if (e.type === 'batch.dropped') return c.json(await acceptDrop(c.env, e.data))
    if (e.type === 'result.failed') {
      const fresh = await recordOutcome(c.env, e.data.key, {
        status: 'failed',
        reason: e.data.reason,
      })
      return c.json({ counted: fresh })
    }
    // a stored result counts only when the object is there; its flagged fields come from it, not
    // from the event
    const text = await getResult(settings(c.env), e.data.key)
    if (text === undefined)
      throw new ApiError(
        409,
        'result-missing',
        'no result object under the event key: not counted (the sweeper counts it once it is there)',
      )
    const outcome = storedOutcome(text)
    if (outcome.status === 'failed') throw new ApiError(422, 'result-unreadable', outcome.reason)
    const fresh = await recordOutcome(c.env, e.data.key, outcome)
    return c.json({ counted: fresh })
  },
)
