/**
 * Standard Webhooks signatures (webhook-id, webhook-timestamp, webhook-signature: "v1,<base64
 * HMAC-SHA256 of id.timestamp.body>"), with WebCrypto so that the worker signs and the edge
 * verifies with the same code.
 */
const encoder = new TextEncoder()

function toBase64(bytes: ArrayBuffer): string {
  let s = ''
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b)
  return btoa(s)
}

/** A "whsec_<base64>" secret is its decoded bytes (the Standard Webhooks form); any other string its UTF-8. */
function secretBytes(secret: string): Uint8Array {
  if (!secret.startsWith('whsec_')) return encoder.encode(secret)
  return Uint8Array.from(atob(secret.slice(6)), (c) => c.charCodeAt(0))
}

async function hmac(secret: string, content: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    secretBytes(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  return toBase64(await crypto.subtle.sign('HMAC', key, encoder.encode(content)))
}

export interface SignedHeaders {
  'webhook-id': string
  'webhook-timestamp': string
  'webhook-signature': string
}

export async function signEvent(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): Promise<SignedHeaders> {
  const ts = String(Math.floor(timestampSeconds))
  return {
    'webhook-id': id,
    'webhook-timestamp': ts,
    'webhook-signature': `v1,${await hmac(secret, `${id}.${ts}.${body}`)}`,
  }
}

/** True when one of the signatures matches and the timestamp is within `toleranceSeconds` of now. */
export async function verifyEvent(
  secret: string,
  headers: { id: string | null; timestamp: string | null; signature: string | null },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): Promise<boolean> {
  const { id, timestamp, signature } = headers
  if (!id || !timestamp || !signature || !/^\d+$/.test(timestamp)) return false
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false
  const expected = await hmac(secret, `${id}.${timestamp}.${body}`)
  return signature
    .split(' ')
    .some((s) => s.startsWith('v1,') && timingSafeEqual(s.slice(3), expected))
}

function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}
