import { describe, expect, it } from 'vitest'
import { textOfBytes } from '../../../core/text/charset.ts'

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0))

describe('report bytes as text', () => {
  it('UTF-8, with or without a BOM', () => {
    const r = textOfBytes(new TextEncoder().encode('\uFEFFLVEF 55 %, Größe 172 cm'))
    expect(r).toEqual({ ok: true, text: 'LVEF 55 %, Größe 172 cm', charset: 'utf-8' })
  })

  it('an HL7 message in ISO-8859-1 that says so in MSH-18', () => {
    const msg =
      'MSH|^~\\&|A|B|C|D|202401011200||ORU^R01|1|P|2.4|||AL|NE|DEU|8859/1\rOBX|1|NM|KG^K\xf6rpergewicht^L||84|kg|||||F\r'
    const r = textOfBytes(latin1(msg))
    expect(r.ok && r.text).toContain('Körpergewicht^L||84|kg')
  })

  it('XML and HTML that declare their charset; windows-1252 bytes read as Windows-1252', () => {
    const xml = textOfBytes(
      latin1('<?xml version="1.0" encoding="ISO-8859-1"?><r><m n="Kammerl\xe4nge" v="62"/></r>'),
    )
    expect(xml.ok && xml.text).toContain('Kammerlänge')
    const html = textOfBytes(
      latin1(
        '<html><head><meta charset="windows-1252"></head><body>Co\xfbt 20\x80 \x96 EF 55 %</body></html>',
      ),
    )
    expect(html.ok && html.text).toContain('Coût 20€ – EF 55 %')
  })

  it('other charsets the runtime has: Windows-1250 and Shift_JIS, as declared', () => {
    const cz = textOfBytes(
      latin1('<?xml version="1.0" encoding="windows-1250"?><m n="Objem p\xf8ed" v="88"/>'),
    )
    expect(cz.ok && cz.text).toContain('Objem před')
    const ja = textOfBytes(latin1('<?xml version="1.0" encoding="Shift_JIS"?><r>\x82\xa0</r>'))
    expect(ja.ok && ja.text).toContain('<r>あ</r>')
  })

  it('UTF-16 with its BOM', () => {
    const bytes = Uint8Array.from([
      0xff,
      0xfe,
      ...Array.from('EF 60 %', (c) => [c.charCodeAt(0), 0]).flat(),
    ])
    expect(textOfBytes(bytes)).toEqual({ ok: true, text: 'EF 60 %', charset: 'utf-16le' })
  })

  it('bytes that are not UTF-8 and declare nothing, or a charset it does not read, are refused', () => {
    const plain = textOfBytes(latin1('R\xe9sum\xe9: FEVG 55 %'))
    expect(plain.ok).toBe(false)
    expect(!plain.ok && plain.reason).toMatch(/not UTF-8 text and declares no charset/)
    const unknown = textOfBytes(
      latin1('<?xml version="1.0" encoding="x-vendor-7"?><r>\x82\xa0</r>'),
    )
    expect(!unknown.ok && unknown.reason).toMatch(/declares charset x-vendor-7/)
    // a declaration the bytes break is no licence to guess
    const broken = textOfBytes(latin1('<?xml version="1.0" encoding="UTF-8"?><r>\xff\xfe</r>'))
    expect(broken.ok).toBe(false)
  })
})
