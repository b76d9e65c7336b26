import { describe, expect, it } from 'vitest'
import { progressGroup } from '../../cli/progress.ts'

describe('progress off a terminal', () => {
  it('prints a line with done/total, rate and ETA every interval, and a last line at the end', async () => {
    process.env.RADSTRUCT_PROGRESS_SECONDS = '0.05'
    const lines: string[] = []
    const stream = {
      write: (s: string) => lines.push(s),
      isTTY: false,
    } as unknown as NodeJS.WriteStream
    const bars = progressGroup(stream, false)
    const p = bars.create('extract', 10)
    p.increment(3, '1 flagged')
    await new Promise((r) => setTimeout(r, 120))
    p.increment(7, '2 flagged')
    bars.stop()
    delete process.env.RADSTRUCT_PROGRESS_SECONDS
    expect(lines[0]).toMatch(
      /^extract: 3\/10 reports \(30 %\), [\d.]+\/s ETA \d+ s \| 1 flagged\n$/,
    )
    expect(lines.at(-1)).toMatch(/^extract: 10\/10 reports \(100 %\), [\d.]+\/s \| 2 flagged\n$/)
    // no line repeats while nothing moves
    expect(new Set(lines).size).toBe(lines.length)
  })
})
