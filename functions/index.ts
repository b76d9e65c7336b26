/** Worker entry: the edge API, and the consumers of its two Cloudflare Queues. */
import { createApp } from './app.ts'
import type { Bindings, DeliveryMessage, DispatchMessage } from './env.ts'
import { deliver } from './queues/deliver.ts'
import { dispatchBatch } from './queues/dispatch.ts'
import { expireIdempotencyKeys, sweep } from './queues/sweep.ts'
import { countLostDispatch } from './store/lifecycle.ts'

const app = createApp()

export default {
  fetch: app.fetch,
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(
      Promise.all([
        sweep(env).then((counts) => console.log(JSON.stringify({ level: 'info', sweep: counts }))),
        expireIdempotencyKeys(env),
      ]),
    )
  },
  async queue(batch, env) {
    // dead letters: nothing dies silently. A lost dispatch counts against its reports' attempts
    // (the sweeper dispatches them again, and fails them after MAX_DISPATCHES); a webhook delivery
    // that used up its retries stays visible in the event's deliveries.
    if (batch.queue.endsWith('-dlq')) {
      for (const message of batch.messages) {
        const body = message.body
        if (body.kind === 'dispatch') await countLostDispatch(env.DB, body.batchId)
        console.error(
          JSON.stringify({
            level: 'error',
            queue: batch.queue,
            kind: body.kind,
            ...(body.kind === 'dispatch' ? { batch: body.batchId } : { event: body.eventId }),
            error: 'dead-lettered after the last retry',
          }),
        )
        message.ack()
      }
      return
    }
    for (const message of batch.messages) {
      const body = message.body
      try {
        if (body.kind === 'dispatch') {
          await dispatchBatch(env, body)
          message.ack()
        } else {
          const outcome = await deliver(env, body, message.attempts)
          if (outcome.ok) message.ack()
          else message.retry({ delaySeconds: outcome.retryAfterSeconds })
        }
      } catch (e) {
        console.error(
          JSON.stringify({
            level: 'error',
            queue: batch.queue,
            kind: body.kind,
            error: (e as Error).message,
          }),
        )
        message.retry({ delaySeconds: Math.min(300, 5 * 2 ** message.attempts) })
      }
    }
  },
} satisfies ExportedHandler<Bindings, DispatchMessage | DeliveryMessage>
