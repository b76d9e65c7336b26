/**
 * Report bytes as text. UTF-8 (a BOM dropped) and UTF-16 with its BOM are read as they are; other
 * bytes only where the report declares its charset, as the format's spec says it does: HL7 v2 in
 * MSH-18 ("8859/1"), XML in its declaration (encoding="ISO-8859-1"), HTML in a meta tag. Bytes
 * that are not UTF-8 and declare nothing are refused: guessing a charset is not decoding.
 * Windows-1252 (which WHATWG reads for every ISO-8859-1 label) is decoded here, so the edge
 * runtime needs no table for it; other declared charsets (ISO-8859-2, Windows-1250, Shift_JIS)
 * are read where the runtime's TextDecoder has them, and refused with that reason where not.
 */

export type DecodedBytes =
  | { ok: true; text: string; charset: string }
  | { ok: false; reason: string }

/** Windows-1252's 0x80-0x9F; every other byte is its own code point (ISO-8859-1). */
const cp1252High =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178'

function decodeCp1252(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = bytes.subarray(i, i + 8192)
    out += String.fromCharCode(
      ...Array.from(chunk, (b) => (b >= 0x80 && b <= 0x9f ? cp1252High.charCodeAt(b - 0x80) : b)),
    )
  }
  return out
}

/** The charset a report declares in its own format, lower case, or undefined. */
export function declaredCharset(head: string): string | undefined {
  const msh = /^\s*MSH(.)/.exec(head)
  if (msh) {
    const segment = head.slice(head.indexOf('MSH')).split(/[\r\n]/)[0] as string
    // MSH-1 is the separator itself: MSH-n is field n - 1 of the split
    const declared = segment.split(msh[1] as string)[17]?.trim()
    if (declared) return declared.toLowerCase()
  }
  const xml = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)
  if (xml) return (xml[1] as string).toLowerCase()
  const meta = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)
  return meta ? (meta[1] as string).toLowerCase() : undefined
}

/** The WHATWG label of a declared charset (HL7 table 0211 names too: "8859/2" is ISO-8859-2). */
function charsetOf(declared: string): string {
  if (/^(?:unicode utf-8|utf-?8|unicode)$/.test(declared)) return 'utf-8'
  if (
    /^(?:8859\/1|iso[-_ ]?8859-1|iso_8859-1(?::1987)?|latin-?1|l1|windows-1252|cp1252|ascii|us-ascii)$/.test(
      declared,
    )
  )
    return 'cp1252'
  const hl7 = /^8859\/(\d{1,2})$/.exec(declared)
  return hl7 ? `iso-8859-${hl7[1]}` : declared
}

/** Bytes in a charset other than UTF-8 and Windows-1252, where the runtime has its table. */
function decodeOther(bytes: Uint8Array, label: string): string | undefined {
  try {
    return new TextDecoder(label, { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    return undefined
  }
}

export function textOfBytes(bytes: Uint8Array): DecodedBytes {
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return {
      ok: true,
      text: new TextDecoder('utf-16le').decode(bytes.subarray(2)),
      charset: 'utf-16le',
    }
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return {
      ok: true,
      text: new TextDecoder('utf-16be').decode(bytes.subarray(2)),
      charset: 'utf-16be',
    }
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
    return { ok: true, text: text.replace(/^\uFEFF/, ''), charset: 'utf-8' }
  } catch {
    // not UTF-8: read the declaration in the first bytes (ASCII in every charset read here)
    const declared = declaredCharset(decodeCp1252(bytes.subarray(0, 4096)))
    const charset = declared ? charsetOf(declared) : undefined
    if (charset === 'cp1252')
      return { ok: true, text: decodeCp1252(bytes), charset: declared as string }
    const other = charset && charset !== 'utf-8' ? decodeOther(bytes, charset) : undefined
    if (other !== undefined) return { ok: true, text: other, charset: declared as string }
    return {
      ok: false,
      reason: declared
        ? `declares charset ${declared}, which this runtime cannot read or the bytes do not follow: save it as UTF-8`
        : 'not UTF-8 text and declares no charset (save it as UTF-8, or declare it: HL7 MSH-18, an XML declaration, an HTML meta tag)',
    }
  }
}
