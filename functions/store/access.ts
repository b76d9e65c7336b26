/** Who may act for a site: its reviewers and its API keys (revoked, never deleted). */

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
