/** A site's webhook endpoints and their delivery attempts. */
import type { WebhookAttempt, WebhookEndpoint } from '../../core/api.ts'
import { now } from '../ids.ts'

export async function addWebhook(
  db: D1Database,
  w: { id: string; siteId: string; url: string; secret: string; events: readonly string[] },
): Promise<void> {
  await db
    .prepare(
      'INSERT INTO webhook_endpoints (id, site_id, url, secret, events, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .bind(w.id, w.siteId, w.url, w.secret, w.events.join(','), now())
    .run()
}

/** The site's active endpoints, oldest first. */
export async function listWebhooks(db: D1Database, siteId: string): Promise<WebhookEndpoint[]> {
  const rows = await db
    .prepare(
      'SELECT id, url, events, created_at FROM webhook_endpoints WHERE site_id = ? AND disabled_at IS NULL ORDER BY created_at',
    )
    .bind(siteId)
    .all<{ id: string; url: string; events: string; created_at: string }>()
  return rows.results.map((r) => ({
    id: r.id,
    url: r.url,
    events: r.events.split(','),
    createdAt: r.created_at,
  }))
}

/** Disables an active endpoint of the site; false when it has none by that id. */
export async function disableWebhook(db: D1Database, siteId: string, id: string): Promise<boolean> {
  const r = await db
    .prepare(
      'UPDATE webhook_endpoints SET disabled_at = ? WHERE id = ? AND site_id = ? AND disabled_at IS NULL',
    )
    .bind(now(), id, siteId)
    .run()
  return r.meta.changes > 0
}

/** The last 100 delivery attempts to one of the site's endpoints; undefined when it is not the
 * site's. */
export async function webhookAttempts(
  db: D1Database,
  siteId: string,
  id: string,
): Promise<WebhookAttempt[] | undefined> {
  const owned = await db
    .prepare('SELECT id FROM webhook_endpoints WHERE id = ? AND site_id = ?')
    .bind(id, siteId)
    .first()
  if (!owned) return undefined
  const rows = await db
    .prepare(
      `SELECT a.event_id, e.type, a.attempt, a.status, a.error, a.at FROM webhook_attempts a JOIN events e ON e.id = a.event_id
       WHERE a.target = ? ORDER BY a.at DESC LIMIT 100`,
    )
    .bind(id)
    .all<WebhookAttempt>()
  return rows.results
}

export interface StoredEvent {
  id: string
  site_id: string
  subject: string
  payload: string
}

export async function eventById(db: D1Database, id: string): Promise<StoredEvent | undefined> {
  const row = await db
    .prepare('SELECT id, site_id, subject, payload FROM events WHERE id = ?')
    .bind(id)
    .first<StoredEvent>()
  return row ?? undefined
}

/** Where an event goes: its batch's callback, or an active endpoint of its site. Undefined when
 * the target has gone (endpoint removed, callback without a URL). */
export async function deliveryTarget(
  db: D1Database,
  target: string,
  event: StoredEvent,
): Promise<{ url: string; secret: string } | undefined> {
  const row =
    target === 'callback'
      ? await db
          .prepare(
            'SELECT callback_url AS url, callback_secret AS secret FROM batches WHERE id = ? AND site_id = ?',
          )
          .bind(event.subject, event.site_id)
          .first<{ url: string | null; secret: string | null }>()
      : await db
          .prepare(
            'SELECT url, secret FROM webhook_endpoints WHERE id = ? AND site_id = ? AND disabled_at IS NULL',
          )
          .bind(target, event.site_id)
          .first<{ url: string; secret: string }>()
  return row?.url && row.secret ? { url: row.url, secret: row.secret } : undefined
}

export async function recordAttempt(
  db: D1Database,
  a: {
    eventId: string
    target: string
    attempt: number
    status: number | null
    error: string | null
  },
): Promise<void> {
  await db
    .prepare(
      'INSERT OR REPLACE INTO webhook_attempts (event_id, target, attempt, status, error, at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .bind(a.eventId, a.target, a.attempt, a.status, a.error, now())
    .run()
}
