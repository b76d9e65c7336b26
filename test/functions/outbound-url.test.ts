import { describe, expect, it } from 'vitest'
import { outboundProblem } from '../../functions/webhook-url.ts'

/** Every spelling of an IPv4 address that URL parsers accept. */
function spellings(a: number[]): string[] {
  const n =
    (((a[0] as number) << 24) |
      ((a[1] as number) << 16) |
      ((a[2] as number) << 8) |
      (a[3] as number)) >>>
    0
  const hex = (x: number) => `0x${x.toString(16)}`
  const oct = (x: number) => `0${x.toString(8)}`
  const dotted = a.join('.')
  const v6 = `${((a[0] as number) * 256 + (a[1] as number)).toString(16)}:${((a[2] as number) * 256 + (a[3] as number)).toString(16)}`
  return [
    dotted,
    String(n),
    hex(n),
    a.map(hex).join('.'),
    a.map(oct).join('.'),
    `${a[0]}.${(((a[1] as number) << 16) | ((a[2] as number) << 8) | (a[3] as number)) >>> 0}`,
    `[::ffff:${dotted}]`,
    `[::ffff:${v6}]`,
    `[64:ff9b::${dotted}]`,
  ]
}

const privateAddresses = [
  [127, 0, 0, 1],
  [127, 1, 2, 3],
  [10, 0, 0, 1],
  [10, 255, 255, 254],
  [172, 16, 0, 1],
  [172, 31, 255, 1],
  [192, 168, 0, 1],
  [192, 168, 255, 255],
  [169, 254, 169, 254],
  [169, 254, 0, 1],
  [100, 64, 0, 1],
  [100, 127, 255, 1],
  [0, 0, 0, 0],
  [0, 1, 2, 3],
  [224, 0, 0, 1],
  [255, 255, 255, 255],
  [198, 18, 0, 1],
]

const forbidden = [
  ...privateAddresses.flatMap((a) => spellings(a)).map((h) => `https://${h}/hook`),
  ...[
    '[::1]',
    '[::]',
    '[fe80::1]',
    '[fd00:ec2::254]',
    '[fc00::1]',
    '[ff02::1]',
    '[0:0:0:0:0:0:0:1]',
  ].map((h) => `https://${h}/hook`),
  ...[
    'localhost',
    'LOCALHOST',
    'app.localhost',
    'metadata.google.internal',
    'printer.local',
    'intranet',
    'db.internal',
  ].map((h) => `https://${h}/hook`),
  'https://user:secret@hooks.example.com/x',
  'https://token@hooks.example.com/x',
  'http://hooks.example.com/x',
  'ftp://hooks.example.com/x',
  'javascript:alert(1)',
  'not a url',
]

describe('outbound URLs (webhooks, callbacks)', () => {
  it(`refuses every one of ${forbidden.length} forbidden URLs: private, loopback, metadata, CGNAT in every spelling, credentials, http`, () => {
    const let_through = forbidden.filter((u) => outboundProblem(u, false) === undefined)
    expect(let_through).toEqual([])
    expect(forbidden.length).toBeGreaterThan(150)
  })

  it('accepts public https URLs, by name or address', () => {
    for (const u of [
      'https://hooks.example.com/radstruct',
      'https://8.8.8.8/x',
      'https://[2606:4700::1111]/x',
      'https://site-a.example.org:8443/p?q=1',
    ])
      expect(outboundProblem(u, false), u).toBeUndefined()
  })

  it('local development allows http and local receivers, never credentials', () => {
    expect(outboundProblem('http://127.0.0.1:9000/hook', true)).toBeUndefined()
    expect(outboundProblem('http://u:p@127.0.0.1:9000/hook', true)).toMatch(/credentials/)
  })
})

describe('host names are normalised before the rule', () => {
  it.each([
    ['https://localhost./hook', 'trailing dot'],
    ['https://localhost../hook', 'two trailing dots'],
    ['https://metadata.google.internal./computeMetadata', 'metadata host with a final dot'],
    ['https://api.localhost./x', 'a subdomain of localhost with a final dot'],
    ['https://instance-data./latest', 'the EC2 metadata name with a final dot'],
    ['https://LOCALHOST/hook', 'capitals'],
    ['https://%6c%6fcalhost/hook', 'percent-encoded letters'],
    ['https://ｌｏｃａｌｈｏｓｔ/hook', 'full-width letters (IDNA maps them)'],
    ['https://127.0.0.1./hook', 'an IPv4 address with a final dot'],
    ['https://0x7f.1./hook', 'a hex IPv4 address with a final dot'],
    ['https://metadata./x', 'a single-label name with a final dot'],
  ])('%s (%s) is refused', (url) => {
    expect(outboundProblem(url, false)).toBeDefined()
  })

  it('a public name with a final dot is still allowed', () => {
    expect(outboundProblem('https://hooks.example.org./in', false)).toBeUndefined()
  })
})
