/**
 * Scoring throughput on one core (`npm run bench`): cmr52 records scored per second, with K = 3
 * samples each, without text (the edge's cheap checks) and with the report text (full scoring).
 */

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { readLayout } from '../core/layout/read.ts'
import { scoreColumns } from '../core/scoring/columns.ts'
import { scoreRecord } from '../core/scoring/index.ts'
import { screenReport } from '../core/screen/deid.ts'
import { scanText } from '../core/text/scan.ts'
import { composeReport } from '../distill/synth/compose.ts'
import { builtinTask, type TaskRecord } from '../schemas/index.ts'

const task = builtinTask('cmr52')
if (!task) throw new Error('cmr52 missing')
const dir = join(import.meta.dirname, '..', 'examples', 'samples', 'cmr52')
const reports = Array.from({ length: 24 }, (_, i) => {
  const id = String(i + 1).padStart(3, '0')
  const gold = JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) as TaskRecord
  // three samples: one agrees, one differs in a value, one drops a value
  const keys = Object.keys(gold)
  const k = keys[i % 52] as string
  const changed = typeof gold[k] === 'number' ? (gold[k] as number) + 1 : (gold[k] ?? null)
  const samples: TaskRecord[] = [
    gold,
    { ...gold, [k]: changed },
    { ...gold, [keys[(i + 7) % 52] as string]: null },
  ]
  const fields = task.fields.map((f) => f.key)
  const row = fields.map((f) => gold[f] ?? null)
  const sampleRows = samples.map((s) => fields.map((f) => s[f] ?? null))
  return { text: readFileSync(join(dir, `${id}.txt`), 'utf8'), gold, samples, row, sampleRows }
})

function measure(name: string, seconds: number, fn: (i: number) => void): number {
  for (let i = 0; i < 2000; i++) fn(i) // warm-up: let the JIT settle
  let n = 0
  const start = performance.now()
  const end = start + seconds * 1000
  while (performance.now() < end) {
    for (let j = 0; j < 100; j++) fn(n++)
  }
  const rate = n / ((performance.now() - start) / 1000)
  console.log(`${name.padEnd(58)} ${Math.round(rate).toLocaleString('en-US').padStart(10)} /s`)
  return rate
}

console.log(
  `radstruct bench: Node ${process.version}, one thread, cmr52 (53 fields, 22 formulas), K = 3\n`,
)
const scanned = reports.map((r) => scanText(task, r.text))
measure('value rows scored, no text (scoreColumns: arrays in and out)', 3, (i) => {
  const r = reports[i % 24] as (typeof reports)[number]
  scoreColumns(task, { values: r.row, samples: r.sampleRows, sex: 'male' })
})
measure('records scored, no text (distribution, stability, formulas)', 3, (i) => {
  const r = reports[i % 24] as (typeof reports)[number]
  scoreRecord(task, { values: r.gold, samples: r.samples, sex: 'male' })
})
measure('records scored with grounding (report scanned once)', 3, (i) => {
  const r = reports[i % 24] as (typeof reports)[number]
  scoreRecord(task, { values: r.gold, samples: r.samples, scanned: scanned[i % 24] })
})
measure('reports scanned (numbers, units, vocabulary)', 3, (i) => {
  scanText(task, (reports[i % 24] as (typeof reports)[number]).text)
})
const mem = process.memoryUsage()
console.log(
  `\nheap used ${(mem.heapUsed / 2 ** 20).toFixed(1)} MiB, rss ${(mem.rss / 2 ** 20).toFixed(1)} MiB`,
)

/** The sample reports end to end, cut at n characters: report text of any length. */
function samplesJoined(n: number): string {
  let joined = ''
  for (let i = 0; joined.length < n; i++)
    joined += `${(reports[i % reports.length] as (typeof reports)[number]).text}\n\n`
  return joined.slice(0, n)
}

// How the cost of the cheap checks with text (POST /v1/checks: scan + score) grows with the
// report's length: the samples joined end to end, and a worst case of one long line of numbers.
console.log(
  '\n/v1/checks work (scan + score) by text length    samples joined   one line of numbers',
)
for (const n of [25_000, 50_000, 100_000, 200_000]) {
  const joined = samplesJoined(n)
  const dense = '12 34 5.6 '.repeat(Math.ceil(n / 10)).slice(0, n)
  const time = (text: string) => {
    const runs = 3
    const start = performance.now()
    for (let k = 0; k < runs; k++) scoreRecord(task, { values: reports[1]?.gold ?? {}, text })
    return (performance.now() - start) / runs
  }
  time(joined.slice(0, 1000))
  console.log(
    `  ${n.toLocaleString('en-US').padStart(8)} characters ${`${time(joined).toFixed(0)} ms`.padStart(24)} ${`${time(dense).toFixed(0)} ms`.padStart(20)}`,
  )
}

// The de-identification screen runs on every report at intake (edge) and on every dropped file
// (worker): its cost by length, on clean text and on text that defeats simple patterns.
console.log(
  '\nde-identification screen by text length (best of 5)   samples joined   one run of letters   identifiers',
)
screenReport(samplesJoined(200_000)) // warm-up: the first call compiles the scan
for (const n of [25_000, 50_000, 100_000, 200_000]) {
  const joined = samplesJoined(n)
  const letters = 'a'.repeat(n)
  const leaky = 'Patient: SMITH, John  MRN 12345678  DOB 01.02.1950  Tel 020 7946 0958\n'
    .repeat(Math.ceil(n / 70))
    .slice(0, n)
  const time = (text: string) => {
    let best = Number.POSITIVE_INFINITY
    for (let k = 0; k < 5; k++) {
      const start = performance.now()
      screenReport(text)
      best = Math.min(best, performance.now() - start)
    }
    return best
  }
  time(joined.slice(0, 1000))
  const cell = (ms: number, width: number) =>
    `${ms.toFixed(1)} ms (${(n / 1e3 / ms).toFixed(0)} MB/s)`.padStart(width)
  console.log(
    `  ${n.toLocaleString('en-US').padStart(8)} characters ${cell(time(joined), 30)} ${cell(time(letters), 22)} ${cell(time(leaky), 22)}`,
  )
}

// The layout stage (tables, headings, keys) reads every report once before anything else: its
// cost by length in words (600 words is a long CMR report), on the samples and on a boxed grid.
console.log('\nlayout stage (readLayout) by text length     samples joined   boxed LV|RV grid')
const grid = composeReport(task, 5, 0, { layouts: ['chamberGrid'], langs: ['en'] }).text
const wordsIn = (s: string) => s.split(/\s+/).filter(Boolean).length
/** `s` repeated, cut after n words (the cut keeps the text's own whitespace and lines). */
const cutWords = (s: string, n: number) => {
  let t = ''
  while (wordsIn(t) < n) t += `${s}\n\n`
  const parts = t.split(/(\s+)/)
  let seen = 0
  let end = 0
  for (; end < parts.length && seen < n; end++) if (parts[end]?.trim()) seen++
  return parts.slice(0, end).join('')
}
for (const n of [150, 600, 2400, 9600]) {
  const texts = [cutWords(samplesJoined(4000 * Math.ceil(n / 600)), n), cutWords(grid, n)]
  const ms = texts.map((text) => {
    const numbers = scanText(task, text).numbers
    const runs = Math.max(3, Math.round(20_000 / n))
    readLayout(text, numbers)
    const start = performance.now()
    for (let k = 0; k < runs; k++) readLayout(text, numbers)
    return (performance.now() - start) / runs
  })
  console.log(
    `  ${n.toLocaleString('en-US').padStart(6)} words ${`${(ms[0] as number).toFixed(2)} ms`.padStart(28)} ${`${(ms[1] as number).toFixed(2)} ms`.padStart(18)}`,
  )
}
