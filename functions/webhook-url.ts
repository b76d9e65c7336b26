/**
 * Where radstruct may POST (webhooks, extraction callbacks): https only, no credentials in the URL,
 * and never an address inside the deployment's own network: loopback, private, link-local (cloud
 * metadata), CGNAT, unspecified, multicast or reserved ranges, whichever way the address is
 * spelt (the WHATWG parser turns decimal, octal and hex IPv4 into dotted form; IPv4-mapped and
 * NAT64 IPv6 are unwrapped here). Local development (ALLOW_HTTP_WEBHOOKS) allows http and
 * private addresses, since its receivers run on the same machine. A name that resolves to a
 * private address is the DNS layer's concern: Workers' fetch does not reach private networks.
 */
import { z } from 'zod'

type Range = [number, number] // IPv4 as 32-bit start and prefix length

const v4Blocked: Range[] = [
  [ip4('0.0.0.0'), 8], // "this network"
  [ip4('10.0.0.0'), 8],
  [ip4('100.64.0.0'), 10], // CGNAT
  [ip4('127.0.0.0'), 8],
  [ip4('169.254.0.0'), 16], // link-local, cloud metadata
  [ip4('172.16.0.0'), 12],
  [ip4('192.0.0.0'), 24],
  [ip4('192.0.2.0'), 24],
  [ip4('192.168.0.0'), 16],
  [ip4('198.18.0.0'), 15],
  [ip4('198.51.100.0'), 24],
  [ip4('203.0.113.0'), 24],
  [ip4('224.0.0.0'), 4], // multicast
  [ip4('240.0.0.0'), 4], // reserved, broadcast
]

function ip4(s: string): number {
  return s.split('.').reduce((a, o) => a * 256 + Number(o), 0)
}

function v4Forbidden(addr: number): boolean {
  return v4Blocked.some(
    ([start, bits]) => Math.floor(addr / 2 ** (32 - bits)) === Math.floor(start / 2 ** (32 - bits)),
  )
}

/** The 8 groups of an IPv6 literal (no brackets), or undefined if it is not one. */
function ip6Groups(s: string): number[] | undefined {
  let text = s.toLowerCase()
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (v4) {
    const n = ip4(v4[1] as string)
    text = `${text.slice(0, v4.index)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`
  }
  const [head, tail] = text.split('::')
  const part = (x: string | undefined) => (x ? x.split(':').map((g) => Number.parseInt(g, 16)) : [])
  const h = part(head)
  const t = part(tail)
  if (text.includes('::')) return [...h, ...new Array(8 - h.length - t.length).fill(0), ...t]
  return h.length === 8 ? h : undefined
}

function v6Forbidden(g: number[]): boolean {
  const [a = 0, b = 0, , , , f = 0, gg = 0, h = 0] = g
  const v4 = (gg * 65536 + h) >>> 0
  if (g.every((x) => x === 0)) return true // ::
  if (g.slice(0, 7).every((x) => x === 0) && h === 1) return true // ::1
  if (g.slice(0, 5).every((x) => x === 0) && (f === 0xffff || f === 0))
    return v4Forbidden(v4) || f === 0 // ::ffff:a.b.c.d, ::a.b.c.d
  if (a === 0x64 && b === 0xff9b) return v4Forbidden(v4) // NAT64
  if ((a & 0xfe00) === 0xfc00) return true // unique local fc00::/7 (AWS metadata fd00:ec2::254)
  if ((a & 0xffc0) === 0xfe80) return true // link-local
  if ((a & 0xff00) === 0xff00) return true // multicast
  if (a === 0x2001 && b === 0xdb8) return true // documentation
  return false
}

const blockedNames =
  /^(localhost|.*\.localhost|.*\.local|.*\.internal|metadata|metadata\.google\.internal|instance-data)$/i

/** Why radstruct must not send to this URL, or undefined when it may. */
export function outboundProblem(raw: string, allowLocal: boolean): string | undefined {
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    return 'not a URL'
  }
  if (u.protocol !== 'https:' && !(allowLocal && u.protocol === 'http:'))
    return allowLocal ? 'an http(s) URL' : 'an https URL'
  if (u.username || u.password)
    return 'credentials in the URL are not allowed (use the signing secret)'
  if (allowLocal) return undefined
  // the parser has lower-cased, percent-decoded and IDNA-mapped the name ("ＬＯＣＡＬＨＯＳＴ",
  // "%6c%6fcalhost"); a name's final dots are the same host ("localhost.", "metadata.google.internal.")
  const host = u.hostname.replace(/^\[|\]$/g, '').replace(/\.+$/, '')
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host))
    return v4Forbidden(ip4(host)) ? `a private, loopback or reserved address (${host})` : undefined
  if (host.includes(':')) {
    const g = ip6Groups(host)
    if (!g || v6Forbidden(g)) return `a private, loopback or reserved address (${host})`
    return undefined
  }
  if (blockedNames.test(host) || !host.includes('.')) return `an internal host name (${host})`
  return undefined
}

export const webhookUrl = (allowLocal: boolean) =>
  z
    .string()
    .max(2048)
    .superRefine((u, ctx) => {
      const problem = outboundProblem(u, allowLocal)
      if (problem)
        ctx.addIssue({
          code: 'custom',
          message: `expected ${problem.startsWith('an ') ? problem : `a public https URL: ${problem}`}`,
        })
    })

/** A Standard Webhooks secret: "whsec_" + base64 of 24 random bytes. */
export function newWebhookSecret(): string {
  let s = ''
  for (const b of crypto.getRandomValues(new Uint8Array(24))) s += String.fromCharCode(b)
  return `whsec_${btoa(s)}`
}
