/**
 * The one encoder batcher, for the worker and the CLI alike. Reads that arrive together (the
 * messages of one queue receive, handled concurrently) wait a few milliseconds and share a
 * session run (one base pass over all windows, one top pass per stability sample); a read of
 * many reports (the CLI's) is sorted by length and cut into calls of a size that pays, so short
 * reports batch with short ones and a long one is not padded by its neighbours.
 */
import type { EncoderBackend, Reading, ReadRequest } from '../../core/ports/model-backend.ts'
import type { ScannedText } from '../../core/text/scan.ts'

/**
 * How much text one encoder call should take: measured on 2 CPU cores, batching short reports
 * pays (150 words: 69 -> 102 reports/s at 8 per call) while long ones only pad one another
 * (600 words: 25 -> 13), so a call closes at about this many characters of report text.
 */
export const encoderBatchChars = 3000

export interface BatchingOptions {
  /** How long the first request of a batch waits for others (0: only reads made together). */
  windowMs: number
  /** Reports per session call at most. */
  maxReports: number
  /** A call closes once its reports hold this much text (long reports gain nothing by company). */
  maxChars: number
}

/** Consecutive groups of at most `max` items, each closed once its text reaches `chars`. */
export function chunkByText<T extends { text: string }>(
  items: readonly T[],
  chars: number,
  max: number,
): T[][] {
  const out: T[][] = []
  let group: T[] = []
  let size = 0
  for (const item of items) {
    group.push(item)
    size += item.text.length
    if (group.length >= max || size >= chars) {
      out.push(group)
      group = []
      size = 0
    }
  }
  if (group.length) out.push(group)
  return out
}

interface Pending {
  req: ReadRequest
  resolve: (r: Reading[]) => void
  reject: (e: unknown) => void
}

/** One report of a pending read, with where its reading goes back to. */
interface Slot {
  text: string
  report: ScannedText
  seed: number
  owner: number
  /** Its place in the owner's request. */
  index: number
}

/** Reads the pending requests of one task and pass count, in calls cut by `chunkByText`. */
async function readTogether(
  inner: EncoderBackend,
  members: Pending[],
  opts: BatchingOptions,
): Promise<void> {
  const first = members[0] as Pending
  // bucketed by length: short reports share calls, long ones are not padded by company
  const slots: Slot[] = members
    .flatMap((m, owner) =>
      m.req.reports.map((report, index) => ({
        text: report.text,
        report,
        seed: m.req.seeds[index] as number,
        owner,
        index,
      })),
    )
    .sort((a, b) => a.text.length - b.text.length)
  const out: Reading[][] = members.map(() => [])
  try {
    // calls run one after another: two at once would only share the same cores
    for (const call of chunkByText(slots, opts.maxChars, opts.maxReports)) {
      const readings = await inner.read({
        task: first.req.task,
        passes: first.req.passes,
        reports: call.map((s) => s.report),
        seeds: call.map((s) => s.seed),
      })
      for (const [i, s] of call.entries())
        (out[s.owner] as Reading[])[s.index] = readings[i] as Reading
    }
  } catch (e) {
    for (const m of members) m.reject(e)
    return
  }
  for (const [i, m] of members.entries()) m.resolve(out[i] as Reading[])
}

export function batchingEncoder(inner: EncoderBackend, opts: BatchingOptions): EncoderBackend {
  let pending: Pending[] = []
  let timer: ReturnType<typeof setTimeout> | undefined
  const flush = () => {
    timer = undefined
    const group = pending
    pending = []
    // one call per task and pass count: the graphs are per task, passes are per call
    const byKey = new Map<string, Pending[]>()
    for (const p of group) {
      const k = `${p.req.task.id}\u0000${p.req.passes}`
      byKey.set(k, [...(byKey.get(k) ?? []), p])
    }
    for (const members of byKey.values()) void readTogether(inner, members, opts)
  }
  return {
    kind: 'encoder',
    info: inner.info,
    tasks: inner.tasks,
    read(req) {
      return new Promise<Reading[]>((resolve, reject) => {
        pending.push({ req, resolve, reject })
        const queued = pending.reduce((s, p) => s + p.req.reports.length, 0)
        const chars = pending.reduce(
          (s, p) => s + p.req.reports.reduce((t, r) => t + r.text.length, 0),
          0,
        )
        if (queued >= opts.maxReports || chars >= opts.maxChars) {
          if (timer) clearTimeout(timer)
          flush()
        } else timer ??= setTimeout(flush, opts.windowMs)
      })
    },
    close: () => inner.close(),
  }
}
