/**
 * Webhook deliveries (Cloudflare Queue consumer): one event to one target, signed per the Standard
 * Webhooks spec (webhook-id, webhook-timestamp, webhook-signature), every attempt recorded. A
 * refused or failed attempt is retried with exponential backoff; after the queue's last retry the
 * message goes to the dead-letter queue and the attempts stay visible.
 */
import { signEvent } from '../../core/signing.ts'
import { type Bindings, type DeliveryMessage, settings } from '../env.ts'
import { reportView } from '../results.ts'
import { batchReports } from '../store/batches.ts'
import { deliveryTarget, eventById, recordAttempt } from '../store/webhooks.ts'

export type DeliveryOutcome = { ok: true } | { ok: false; retryAfterSeconds: number }

/** Backoff for attempt n (1-based): base, 2 x base, 4 x base ... at most an hour. */
export const backoffSeconds = (attempt: number, base: number) =>
  Math.min(3600, base * 2 ** (attempt - 1))

export async function deliver(
  env: Bindings,
  msg: DeliveryMessage,
  attempt: number,
): Promise<DeliveryOutcome> {
  const event = await eventById(env.DB, msg.eventId)
  if (!event) return { ok: true } // nothing to deliver
  const target = await deliveryTarget(env.DB, msg.target, event)
  if (!target) return { ok: true } // endpoint removed since
  const payload = msg.target === 'callback' ? await callbackPayload(env, event) : event.payload
  const headers = await signEvent(target.secret, event.id, Date.now() / 1000, payload)
  let status: number | null = null
  let error: string | null = null
  try {
    const res = await fetch(target.url, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        'user-agent': 'radstruct-webhooks/1',
      },
      body: payload,
      redirect: 'manual',
    })
    status = res.status
    await res.body?.cancel()
  } catch (e) {
    error = (e as Error).message.slice(0, 300)
  }
  await recordAttempt(env.DB, { eventId: event.id, target: msg.target, attempt, status, error })
  return status !== null && status >= 200 && status < 300
    ? { ok: true }
    : {
        ok: false,
        retryAfterSeconds: backoffSeconds(attempt, settings(env).WEBHOOK_BACKOFF_SECONDS),
      }
}

/** What a /v1/extract caller gets: the batch's status and every report's result (at most
 * MAX_EXTRACT_REPORTS, so one page). */
async function callbackPayload(
  env: Bindings,
  event: { subject: string; payload: string },
): Promise<string> {
  const { timestamp, data } = JSON.parse(event.payload) as { timestamp: string; data: unknown }
  const s = settings(env)
  const rows = await batchReports(env.DB, event.subject, 0, s.MAX_EXTRACT_REPORTS)
  const results = await Promise.all(rows.map((r) => reportView(s, env.DB, r)))
  return JSON.stringify({
    type: 'extract.completed',
    timestamp,
    data: { ...(data as object), results },
  })
}
