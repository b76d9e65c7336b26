/** Sites and their settings. */
export async function deidPolicy(db: D1Database, siteId: string): Promise<'reject' | 'redact'> {
  const row = await db
    .prepare('SELECT deid_policy FROM sites WHERE id = ?')
    .bind(siteId)
    .first<{ deid_policy: string }>()
  return row?.deid_policy === 'redact' ? 'redact' : 'reject'
}
