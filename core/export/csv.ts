/** RFC 4180 CSV cells and lines (CRLF), as spreadsheets and REDCap's import read them. */

/** A cell: empty for null or undefined, quoted when it holds a quote, comma or line break. */
export function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export const csvLine = (cells: readonly unknown[]) => `${cells.map(csvCell).join(',')}\r\n`
