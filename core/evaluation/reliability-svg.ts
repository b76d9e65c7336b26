/** A reliability diagram as a standalone SVG: accuracy per confidence bin against the diagonal. */
import type { ReliabilityBin } from './metrics.ts'

export function reliabilitySvg(bins: readonly ReliabilityBin[], title: string): string {
  const w = 360
  const h = 360
  const pad = 44
  const x = (v: number) => pad + v * (w - 2 * pad)
  const y = (v: number) => h - pad - v * (h - 2 * pad)
  const total = bins.reduce((s, b) => s + b.count, 0) || 1
  const bars = bins
    .filter((b) => b.count > 0)
    .map((b) => {
      const top = y(b.accuracy)
      const opacity = (0.35 + 0.65 * Math.sqrt(b.count / total)).toFixed(2)
      const mid = (x(b.lo) + x(b.hi)) / 2
      return `<rect x="${x(b.lo) + 1}" y="${top}" width="${x(b.hi) - x(b.lo) - 2}" height="${y(0) - top}" fill="#3b6ea5" fill-opacity="${opacity}"><title>${b.count} values, confidence ${b.meanConfidence.toFixed(3)}, accuracy ${b.accuracy.toFixed(3)}</title></rect><text x="${mid}" y="${top - 3}" text-anchor="middle" font-size="9">${b.count}</text>`
    })
    .join('')
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (t) =>
        `<text x="${x(t)}" y="${h - pad + 16}" text-anchor="middle">${t}</text><text x="${pad - 6}" y="${y(t) + 4}" text-anchor="end">${t}</text>`,
    )
    .join('')
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="11">
<title>${esc(title)}</title>
<rect width="${w}" height="${h}" fill="white"/>
<text x="${w / 2}" y="18" text-anchor="middle" font-size="13">${esc(title)}</text>
<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#999" stroke-dasharray="4 3"/>
<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(0)}" stroke="#333"/><line x1="${x(0)}" y1="${y(0)}" x2="${x(0)}" y2="${y(1)}" stroke="#333"/>
${bars}${ticks}
<text x="${w / 2}" y="${h - 6}" text-anchor="middle">confidence</text>
<text x="12" y="${h / 2}" text-anchor="middle" transform="rotate(-90 12 ${h / 2})">accuracy</text>
</svg>
`
}
