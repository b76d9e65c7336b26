/**
 * Reads a request body as lines without holding it: NDJSON batches of 50 MB pass through in
 * bounded memory. Counts bytes against the batch limit and feeds every chunk to `onChunk` (the
 * idempotency fingerprint) as it goes.
 */
import { ApiError } from '../problem.ts'
import type { IntakeItem } from './prepare.ts'

export interface Line {
  /** 1-based line number. */
  number: number
  text: string
}

/** The body's lines, a chunk's worth at a time (one await per chunk, not per line: a 1,000-report
 * batch paid more for awaiting its lines one by one than for parsing them). */
export async function* readLines(
  body: ReadableStream<Uint8Array>,
  opts: { maxBytes: number; maxLineBytes: number; onChunk?: (chunk: Uint8Array) => void },
): AsyncGenerator<Line[]> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })
  const reader = body.getReader()
  let total = 0
  let pending = ''
  let number = 0
  const decode = (chunk: Uint8Array | undefined, stream: boolean) => {
    try {
      return decoder.decode(chunk, { stream })
    } catch {
      throw new ApiError(
        415,
        'bad-encoding',
        `the body is not valid UTF-8 near line ${number + 1}: send reports as UTF-8 text`,
        { line: number + 1 },
      )
    }
  }
  for (;;) {
    const { done, value } = await reader.read()
    if (value) {
      total += value.byteLength
      if (total > opts.maxBytes)
        throw new ApiError(
          413,
          'batch-too-large',
          `the batch is over ${opts.maxBytes} bytes: split it into smaller batches`,
        )
      opts.onChunk?.(value)
    }
    pending += decode(value, !done)
    const lines: Line[] = []
    let from = 0
    let nl = pending.indexOf('\n')
    while (nl >= 0) {
      number++
      lines.push({ number, text: pending.slice(from, nl).replace(/\r$/, '') })
      from = nl + 1
      nl = pending.indexOf('\n', from)
    }
    pending = pending.slice(from)
    if (lines.length) yield lines
    if (pending.length > opts.maxLineBytes)
      throw new ApiError(
        413,
        'line-too-long',
        `line ${number + 1} is over ${opts.maxLineBytes} bytes (one report per line, text at most 200,000 characters)`,
        { line: number + 1 },
      )
    if (done) break
  }
  if (pending.trim()) yield [{ number: number + 1, text: pending }]
}

/** NDJSON lines as intake items; blank lines are skipped, a line that is not JSON becomes a rejection. */
export async function* ndjsonItems(lines: AsyncIterable<Line[]>): AsyncGenerator<IntakeItem> {
  for await (const chunk of lines)
    for (const l of chunk) {
      if (!l.text.trim()) continue
      let item: IntakeItem
      try {
        item = { line: l.number, data: JSON.parse(l.text) }
      } catch {
        item = { line: l.number, parseError: `line ${l.number}: not a JSON object` }
      }
      yield item
    }
}
