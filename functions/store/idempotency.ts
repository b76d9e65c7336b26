/** Idempotency keys per site: claimed while a request runs, then holding its stored response. */

export interface KeyRecord {
  state: 'running' | 'done'
  fingerprint: string
  status: number
  response: string
}

/** True when this call claimed the key; false when it was already there (running or done). */
export async function claimKey(
  db: D1Database,
  site: string,
  key: string,
  at: string,
): Promise<boolean> {
  const r = await db
    .prepare(
      `INSERT INTO idempotency_keys (site_id, key, state, created_at) VALUES (?, ?, 'running', ?)
       ON CONFLICT (site_id, key) DO NOTHING`,
    )
    .bind(site, key, at)
    .run()
  return r.meta.changes > 0
}

export async function keyRecord(
  db: D1Database,
  site: string,
  key: string,
): Promise<KeyRecord | undefined> {
  const row = await db
    .prepare(
      'SELECT state, fingerprint, status, response FROM idempotency_keys WHERE site_id = ? AND key = ?',
    )
    .bind(site, key)
    .first<KeyRecord>()
  return row ?? undefined
}

export async function finishKey(
  db: D1Database,
  site: string,
  key: string,
  reply: { fingerprint: string; status: number; response: string },
): Promise<void> {
  await db
    .prepare(
      "UPDATE idempotency_keys SET state = 'done', fingerprint = ?, status = ?, response = ? WHERE site_id = ? AND key = ?",
    )
    .bind(reply.fingerprint, reply.status, reply.response, site, key)
    .run()
}

export async function freeKey(db: D1Database, site: string, key: string): Promise<void> {
  await db
    .prepare('DELETE FROM idempotency_keys WHERE site_id = ? AND key = ?')
    .bind(site, key)
    .run()
}

/** Deletes keys created before `doneBefore`, and running ones created before `runningBefore`. */
export async function expireKeys(
  db: D1Database,
  doneBefore: string,
  runningBefore: string,
): Promise<number> {
  const r = await db
    .prepare(
      "DELETE FROM idempotency_keys WHERE created_at < ? OR (state = 'running' AND created_at < ?)",
    )
    .bind(doneBefore, runningBefore)
    .run()
  return r.meta.changes
}
