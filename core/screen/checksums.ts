/** Check digits of national numbers, so a bare 10- or 9-digit number is called an identifier
 * only when its check digit says it is one. */

const digitsOf = (s: string): number[] => [...s.replace(/\D/g, '')].map(Number)

/** NHS number (England, Wales): 10 digits, modulus 11 over weights 10..2. */
export function isNhsNumber(s: string): boolean {
  const d = digitsOf(s)
  if (d.length !== 10 || d.every((x) => x === d[0])) return false
  const sum = d.slice(0, 9).reduce((a, x, i) => a + x * (10 - i), 0)
  const check = 11 - (sum % 11)
  if (check === 10) return false
  return (check === 11 ? 0 : check) === d[9]
}

/** Dutch BSN: 9 digits, the "elfproef" (weights 9..2, then -1 for the last digit). */
export function isBsn(s: string): boolean {
  const d = digitsOf(s)
  if (d.length !== 9 || d.every((x) => x === d[0])) return false
  const sum = d.slice(0, 8).reduce((a, x, i) => a + x * (9 - i), 0) - (d[8] ?? 0)
  return sum % 11 === 0
}

/** US SSN: AAA-GG-SSSS with no all-zero group, and no 000, 666 or 9xx area. */
export function isSsn(s: string): boolean {
  const m = /^(\d{3})-?(\d{2})-?(\d{4})$/.exec(s)
  if (!m) return false
  const [, a, g, n] = m
  return a !== '000' && a !== '666' && !a?.startsWith('9') && g !== '00' && n !== '0000'
}
