/** Where radstruct may POST: https only (http with ALLOW_HTTP_WEBHOOKS for local development). */
import { z } from 'zod'

export const webhookUrl = (allowHttp: boolean) =>
  z
    .string()
    .max(2048)
    .url()
    .refine(
      (u) => {
        const p = new URL(u).protocol
        return p === 'https:' || (allowHttp && p === 'http:')
      },
      allowHttp ? 'an http(s) URL' : 'an https URL',
    )

/** A Standard Webhooks secret: "whsec_" + base64 of 24 random bytes. */
export function newWebhookSecret(): string {
  let s = ''
  for (const b of crypto.getRandomValues(new Uint8Array(24))) s += String.fromCharCode(b)
  return `whsec_${btoa(s)}`
}
