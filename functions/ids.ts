/** Opaque ids, random tokens and hashes for the edge, all as lower-case hex. */
export function toHex(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += b.toString(16).padStart(2, '0')
  return s
}

/** `bytes` random bytes as hex. */
export const randomHex = (bytes: number) => toHex(crypto.getRandomValues(new Uint8Array(bytes)))

/** Opaque, sortable, unguessable ids: prefix, time in base36, 80 random bits. */
export const newId = (prefix: string) => `${prefix}_${Date.now().toString(36)}${randomHex(10)}`

export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)))
}

export const now = () => new Date().toISOString()
