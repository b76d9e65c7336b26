/** Opaque, sortable, unguessable ids: prefix, time in base36, 80 random bits. */
export function newId(prefix: string): string {
  const rand = crypto.getRandomValues(new Uint8Array(10))
  let r = ''
  for (const b of rand) r += b.toString(16).padStart(2, '0')
  return `${prefix}_${Date.now().toString(36)}${r}`
}

export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
  const d = await crypto.subtle.digest('SHA-256', bytes)
  let s = ''
  for (const b of new Uint8Array(d)) s += b.toString(16).padStart(2, '0')
  return s
}

export const now = () => new Date().toISOString()
