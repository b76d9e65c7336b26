/** Sites and their settings. */
import type { Site } from '../../core/api.ts'

export async function deidPolicy(db: D1Database, siteId: string): Promise<'reject' | 'redact'> {
  const row = await db
    .prepare('SELECT deid_policy FROM sites WHERE id = ?')
    .bind(siteId)
    .first<{ deid_policy: string }>()
  return row?.deid_policy === 'redact' ? 'redact' : 'reject'
}

export async function siteExists(db: D1Database, siteId: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 FROM sites WHERE id = ?').bind(siteId).first()) !== null
}

/** Creates the site, or renames it; a policy left out keeps the site's (a new site: reject). */
export async function upsertSite(
  db: D1Database,
  s: { id: string; name: string; deidPolicy?: 'reject' | 'redact' | undefined },
  at: string,
): Promise<Site> {
  // the upsert's RETURNING row is the site as stored (a kept policy included)
  const row = await db
    .prepare(
      `INSERT INTO sites (id, name, deid_policy, created_at) VALUES (?, ?, COALESCE(?, 'reject'), ?)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, deid_policy = COALESCE(?, sites.deid_policy)
       RETURNING id, name, deid_policy`,
    )
    .bind(s.id, s.name, s.deidPolicy ?? null, at, s.deidPolicy ?? null)
    .first<{ id: string; name: string; deid_policy: Site['deidPolicy'] }>()
  if (!row) throw new Error('the site upsert returned no row')
  return { id: row.id, name: row.name, deidPolicy: row.deid_policy }
}
