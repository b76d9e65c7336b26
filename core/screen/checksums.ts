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

const luhn = (d: number[]): boolean => {
  let sum = 0
  for (let i = 0; i < d.length; i++) {
    let x = d[d.length - 1 - i] ?? 0
    if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2
    sum += x
  }
  return sum % 10 === 0
}

const validDay = (month: number, day: number) => month >= 1 && month <= 12 && day >= 1 && day <= 31

/** Swedish personnummer: (CC)YYMMDD-NNNN (or + for the over-100s); Luhn over the last ten digits;
 * a coordination number adds 60 to the day. */
export function isPersonnummer(s: string): boolean {
  const m = /^(?:\d{2})?(\d{2})(\d{2})(\d{2})[-+ ]?(\d{4})$/.exec(s)
  if (!m) return false
  const day = Number(m[3])
  if (!validDay(Number(m[2]), day > 60 ? day - 60 : day)) return false
  return luhn(digitsOf(`${m[1]}${m[2]}${m[3]}${m[4]}`))
}

/** Polish PESEL: 11 digits, YYMMDD with the century in the month (+20 for 2000s), weights
 * 1 3 7 9 repeating, and a check digit. */
export function isPesel(s: string): boolean {
  const d = digitsOf(s)
  if (d.length !== 11 || d.every((x) => x === d[0])) return false
  const month = ((d[2] ?? 0) * 10 + (d[3] ?? 0)) % 20
  if (!validDay(month, (d[4] ?? 0) * 10 + (d[5] ?? 0))) return false
  const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]
  const sum = w.reduce((a, x, i) => a + x * (d[i] ?? 0), 0)
  return (10 - (sum % 10)) % 10 === d[10]
}

/** Brazilian CPF: 11 digits with two mod-11 check digits. */
export function isCpf(s: string): boolean {
  const d = digitsOf(s)
  if (d.length !== 11 || d.every((x) => x === d[0])) return false
  const check = (n: number) => {
    const sum = d.slice(0, n).reduce((a, x, i) => a + x * (n + 1 - i), 0)
    const r = (sum * 10) % 11
    return r === 10 ? 0 : r
  }
  return check(9) === d[9] && check(10) === d[10]
}

/** French NIR (numéro de sécurité sociale): 13 characters (Corsica's 2A/2B counted as 19/18)
 * and a two-digit key, 97 - (number mod 97). */
export function isNir(s: string): boolean {
  const c = s.replace(/\s/g, '').toUpperCase()
  const m = /^([12]\d{4})(\d{2}|2A|2B)(\d{6})(\d{2})$/.exec(c)
  if (!m) return false
  const dept = m[2] === '2A' ? '19' : m[2] === '2B' ? '18' : m[2]
  return 97 - mod97(`${m[1]}${dept}${m[3]}`) === Number(m[4])
}

/** Spanish DNI (8 digits) and NIE (X, Y or Z and 7 digits): the letter is the number mod 23. */
export function isDniOrNie(s: string): boolean {
  const c = s.replace(/[\s-]/g, '').toUpperCase()
  const m = /^([XYZ]\d{7}|\d{8})([A-Z])$/.exec(c)
  if (!m?.[1]) return false
  const n = Number(m[1].replace(/^X/, '0').replace(/^Y/, '1').replace(/^Z/, '2'))
  return 'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23] === m[2]
}

/** IBAN: country, two check digits, then the account; mod 97 of the rearranged number is 1. */
export function isIban(s: string): boolean {
  const c = s.replace(/\s/g, '').toUpperCase()
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(c)) return false
  const moved = `${c.slice(4)}${c.slice(0, 4)}`.replace(/[A-Z]/g, (ch) =>
    String(ch.charCodeAt(0) - 55),
  )
  return mod97(moved) === 1
}

/** A long decimal string mod 97, digit by digit (no BigInt). */
function mod97(digits: string): number {
  let r = 0
  for (const ch of digits) r = (r * 10 + Number(ch)) % 97
  return r
}
