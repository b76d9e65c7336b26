/** Who may act for a site: its reviewers and its API keys (revoked, never deleted). */
import type { Reviewer } from '../env.ts'

export interface ReviewerRow {
  id: string
  name: string
  role: string
  createdAt: string
  revokedAt: string | null
}

export async function listReviewers(db: D1Database, siteId: string): Promise<ReviewerRow[]> {
  const rows = await db
    .prepare(
      'SELECT id, name, role, created_at, disabled_at FROM reviewers WHERE site_id = ? ORDER BY created_at',
    )
    .bind(siteId)
    .all<{
      id: string
      name: string
      role: string
      created_at: string
      disabled_at: string | null
    }>()
  return rows.results.map((r) => ({
    id: r.id,
    name: r.name,
    role: r.role,
    createdAt: r.created_at,
    revokedAt: r.disabled_at,
  }))
}

/** False when no active reviewer has that id. */
export async function disableReviewer(db: D1Database, id: string, at: string): Promise<boolean> {
  const r = await db
    .prepare('UPDATE reviewers SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL')
    .bind(at, id)
    .run()
  return r.meta.changes > 0
}

/** False when no active key has that id. */
export async function revokeKey(db: D1Database, id: string, at: string): Promise<boolean> {
  const r = await db
    .prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
    .bind(at, id)
    .run()
  return r.meta.changes > 0
}

/** The site an active API key (by its hash) acts for; undefined for unknown or revoked keys. */
export async function siteOfKey(db: D1Database, keyHash: string): Promise<string | undefined> {
  const row = await db
    .prepare('SELECT site_id FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL')
    .bind(keyHash)
    .first<{ site_id: string }>()
  return row?.site_id
}

export async function insertApiKey(
  db: D1Database,
  key: { id: string; siteId: string; keyHash: string; at: string },
): Promise<void> {
  await db
    .prepare('INSERT INTO api_keys (id, site_id, key_hash, created_at) VALUES (?, ?, ?, ?)')
    .bind(key.id, key.siteId, key.keyHash, key.at)
    .run()
}

/** The active reviewer a token (by its hash) belongs to; undefined for unknown or disabled ones. */
export async function reviewerOfToken(
  db: D1Database,
  tokenHash: string,
): Promise<Reviewer | undefined> {
  const row = await db
    .prepare(
      'SELECT id, site_id, name, role FROM reviewers WHERE token_hash = ? AND disabled_at IS NULL',
    )
    .bind(tokenHash)
    .first<{ id: string; site_id: string; name: string; role: Reviewer['role'] }>()
  return row ? { id: row.id, siteId: row.site_id, name: row.name, role: row.role } : undefined
}

export async function insertReviewer(
  db: D1Database,
  r: Reviewer & { tokenHash: string; at: string },
): Promise<void> {
  await db
    .prepare(
      'INSERT INTO reviewers (id, site_id, name, role, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .bind(r.id, r.siteId, r.name, r.role, r.tokenHash, r.at)
    .run()
}
