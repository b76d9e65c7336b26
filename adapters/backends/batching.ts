/**
 * Coalesces concurrent reads into one encoder call: the worker handles the messages of one queue
 * receive concurrently, each asking for one report; waiting a few milliseconds lets their reports
 * share one session run (one base pass over all windows, one top pass per stability sample).
 */
import type { EncoderBackend, Reading, ReadRequest } from '../../core/ports/model-backend.ts'

interface Pending {
  req: ReadRequest
  resolve: (r: Reading[]) => void
  reject: (e: unknown) => void
}

export interface BatchingOptions {
  /** How long the first request of a batch waits for others. */
  windowMs: number
  /** Reports per session call at most. */
  maxReports: number
  /** A call closes once its reports hold this much text (long reports gain nothing by company). */
  maxChars: number
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
    for (const members of byKey.values()) {
      const first = members[0] as Pending
      inner
        .read({
          task: first.req.task,
          passes: first.req.passes,
          reports: members.flatMap((m) => m.req.reports),
          seeds: members.flatMap((m) => m.req.seeds),
        })
        .then((readings) => {
          let at = 0
          for (const m of members) {
            m.resolve(readings.slice(at, at + m.req.reports.length))
            at += m.req.reports.length
          }
        })
        .catch((e) => {
          for (const m of members) m.reject(e)
        })
    }
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
