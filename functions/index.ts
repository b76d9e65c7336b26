/** Worker entry: the edge API, and the consumers of its two Cloudflare Queues. */
import { createApp } from './app.ts'
import type { Bindings, DeliveryMessage, DispatchMessage } from './env.ts'
import { deliver } from './queues/deliver.ts'
import { dispatchBatch } from './queues/dispatch.ts'
import { expireIdempotencyKeys, reconcile } from './queues/reconcile.ts'

const app = createApp()

export default {
  fetch: app.fetch,
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(Promise.all([reconcile(env), expireIdempotencyKeys(env)]))
  },
  async queue(batch, env) {
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
