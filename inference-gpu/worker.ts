/**
 * Handles one queue message: a report from the edge, or the files of an S3 drop-folder event
 * (relayed to the edge, whose intake takes them).
 * A report whose result is already stored is skipped (a redelivery counts once). A failure is
 * recorded under failures/ with its reason and thrown, so the message returns to the queue and,
 * after the queue's maxReceiveCount, moves to the dead-letter queue with the reason on record.
 */
import { createHash } from 'node:crypto'
import type { Logger } from 'pino'
import type { FailureRecord, WorkerEvent } from '../core/contracts.ts'
import { extractReport, type ReportJob } from '../core/extraction/pipeline.ts'
import type { ModelBackend } from '../core/ports/model-backend.ts'
import type { ResultSink } from '../core/ports/result-sink.ts'
import { type ReportRef, resultKey } from '../core/report-ref.ts'
import type { ReportInput } from '../core/reports/split.ts'
import type { SamplingSettings } from '../core/run-settings.ts'
import { signEvent } from '../core/signing.ts'
import { builtinTask, requireTask, type Task, unknownTask } from '../schemas/index.ts'
import { dropOrigin, parseWorkMessage } from './messages.ts'
import type { Metrics } from './metrics.ts'

/**
 * What the logs call a report or a file: a digest of its key, never the key. Report ids and
 * drop-file names are the site's own and may carry identifiers (an MRN as an id); the key itself
 * stays in the consortium's own bucket (results, failure records), where the digest finds it.
 */
export function logRef(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12)
}

/** A failure reason as the logs may show it: file keys as their digests, report ids left out. */
function loggable(reason: string, key: string): string {
  return reason
    .replaceAll(key, logRef(key))
    .replace(/\(report [^)]*\)/g, '(report ·)')
    .replace(/^[^\s:]+\.(ndjson|jsonl|json|txt): /, '')
}

export interface WorkerDeps {
  backend: ModelBackend
  sink: ResultSink
  sampling: SamplingSettings
  defaultTask: string
  log: Logger
  metrics: Metrics
  dropPrefix: string
  events?: { url: string; secret: string }
  /** The work queue's maxReceiveCount: a failure on that receive is final (the edge is told). */
  maxReceives?: number
}

export interface MessageMeta {
  messageId: string
  receiveCount: number
  /** Enqueue time, ms since the epoch. */
  sentAt?: number
}

/** A failure that retrying cannot mend (an invalid message): recorded and dead-lettered. */
export class PermanentFailure extends Error {}

export class Worker {
  private readonly deps: WorkerDeps
  inFlight = 0

  constructor(deps: WorkerDeps) {
    this.deps = deps
  }

  async handle(body: string | undefined, meta: MessageMeta): Promise<void> {
    const { log, metrics } = this.deps
    if (meta.sentAt) metrics.queueLag.observe(Math.max(0, Date.now() - meta.sentAt) / 1000)
    const message = parseWorkMessage(body)
    switch (message.kind) {
      case 'ignore':
        log.info({ messageId: meta.messageId, why: message.why }, 'message ignored')
        return
      case 'invalid':
        await this.recordFailure(`messages/${meta.messageId}.json`, message.reason, meta, true)
        throw new PermanentFailure(message.reason)
      case 'report': {
        const { task: taskId, ref, report } = message.message
        const task = builtinTask(taskId)
        if (!task) {
          const reason = unknownTask(taskId)
          await this.recordFailure(resultKey(ref), reason, meta, true)
          throw new PermanentFailure(reason)
        }
        await this.process(task, ref, report, meta)
        return
      }
      case 'objects':
        for (const o of message.objects) await this.relayDrop(o.bucket, o.key, meta)
        return
    }
  }

  /**
   * A file put in the drop folder goes to the edge, which reads it from the bucket and takes it
   * in as it takes an upload (validation, the screen, deduplication, one reference per report);
   * its reports then come back on this queue as any others do. Throws while the edge cannot be
   * reached, so the notification comes back later; the edge takes the same file once.
   */
  private async relayDrop(bucket: string, key: string, meta: MessageMeta): Promise<void> {
    const origin = dropOrigin(key, this.deps.dropPrefix)
    if (!origin) {
      this.deps.log.info({ ref: logRef(key) }, 'object outside the drop folder ignored')
      return
    }
    const fileKey = `${origin.site}/${origin.batch}/_file.json`
    const events = this.deps.events
    if (!events) {
      await this.recordFailure(
        fileKey,
        `${origin.file}: the drop folder needs the edge (set EVENTS_URL and EVENTS_SECRET)`,
        meta,
      )
      throw new PermanentFailure('no edge to take the dropped file')
    }
    const body = JSON.stringify({
      type: 'batch.dropped',
      data: {
        site: origin.site,
        task: requireTask(this.deps.defaultTask).id,
        bucket,
        key,
        name: origin.batch,
      },
    } satisfies WorkerEvent)
    const id = `evt_batch.dropped_${logRef(`${bucket}/${key}`)}`
    const headers = await signEvent(events.secret, id, Date.now() / 1000, body)
    const res = await fetch(events.url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
    })
    if (res.ok) {
      this.deps.log.info({ ref: logRef(key) }, 'dropped file taken in by the edge')
      return
    }
    // the edge's answer names what is wrong with the file (kind and place, never text)
    const detail = await res
      .json()
      .then((p) => String((p as { detail?: unknown }).detail ?? ''))
      .catch(() => '')
    if (res.status >= 500 || res.status === 429)
      throw new Error(`the edge could not take the dropped file now: HTTP ${res.status}`)
    await this.recordFailure(fileKey, `${origin.file}: ${detail || `HTTP ${res.status}`}`, meta)
    throw new PermanentFailure(`the edge refused the dropped file: HTTP ${res.status}`)
  }

  private async process(
    task: Task,
    ref: ReportRef,
    report: ReportInput,
    meta: MessageMeta,
  ): Promise<void> {
    const { backend, sink, sampling, log, metrics } = this.deps
    const job: ReportJob = {
      site: ref.site,
      batch: ref.batch,
      reportId: ref.report,
      siteReportId: ref.siteReportId,
      text: report.text,
      ...(report.sex ? { sex: report.sex } : {}),
    }
    const key = resultKey(ref)
    const stored = await sink.get(key)
    if (stored !== undefined) {
      log.info({ ref: logRef(key) }, 'result already stored: redelivery skipped')
      metrics.reports.inc({ outcome: 'duplicate', task: task.id })
      // announce it again: the first event may not have reached the edge (it counts once)
      await this.sendEvent({ type: 'result.stored', data: { key, task: task.id } })
      return
    }
    if (backend.kind === 'encoder' && !backend.tasks.includes(task.id)) {
      // refused, never guessed: no retry can help, so the failure is final at once
      metrics.reports.inc({ outcome: 'refused', task: task.id })
      await this.recordFailure(
        key,
        `no model serves task ${task.id} at this deployment (the encoder serves ${backend.tasks.join(', ')})`,
        meta,
        true,
      )
      return
    }
    this.inFlight++
    metrics.inFlight.inc()
    try {
      const result = await extractReport(task, backend, job, sampling)
      const body = `${JSON.stringify(result)}\n`
      await sink.put(key, body)
      metrics.reports.inc({ outcome: 'done', task: task.id })
      metrics.flagged.inc({ task: task.id }, result.flagged.length)
      metrics.latency.observe({ task: task.id }, result.timings.totalMs / 1000)
      metrics.modelLatency.observe({ task: task.id }, result.timings.modelMs / 1000)
      log.info(
        {
          ref: logRef(key),
          flagged: result.flagged.length,
          ms: Math.round(result.timings.totalMs),
          malformed: result.outputs.malformed.length,
        },
        'report done',
      )
      await this.sendEvent({
        type: 'result.stored',
        data: { key, task: task.id },
      })
    } catch (e) {
      metrics.reports.inc({ outcome: 'failed', task: task.id })
      const final = meta.receiveCount >= (this.deps.maxReceives ?? Number.POSITIVE_INFINITY)
      await this.recordFailure(key, (e as Error).message, meta, final).catch(() => undefined)
      throw e
    } finally {
      this.inFlight--
      metrics.inFlight.dec()
    }
  }

  /** `final`: no retry follows (permanent, or the last receive before the dead-letter queue). */
  private async recordFailure(
    key: string,
    reason: string,
    meta: MessageMeta,
    final = false,
  ): Promise<void> {
    this.deps.log.warn(
      {
        ref: logRef(key),
        reason: loggable(reason, key),
        attempt: meta.receiveCount,
        messageId: meta.messageId,
      },
      'report failed',
    )
    const record: FailureRecord = {
      key,
      reason,
      attempt: meta.receiveCount,
      messageId: meta.messageId,
      at: new Date().toISOString(),
      final,
    }
    await this.deps.sink.put(`failures/${key}`, `${JSON.stringify(record)}\n`)
    if (final && !key.startsWith('messages/'))
      await this.sendEvent({ type: 'result.failed', data: { key, reason } })
  }

  /** A signed event to the edge (result.stored or result.failed); a failed delivery is logged, not
   * retried here: the message's own retry or a redelivery sends it again, and the edge counts once. */
  private async sendEvent(
    event: Extract<WorkerEvent, { type: 'result.stored' | 'result.failed' }>,
  ): Promise<void> {
    const events = this.deps.events
    if (!events) return
    const key = event.data.key
    const body = JSON.stringify(event)
    const id = `evt_${event.type}_${key.replace(/[^A-Za-z0-9]/g, '_')}`
    try {
      const headers = await signEvent(events.secret, id, Date.now() / 1000, body)
      const res = await fetch(events.url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body,
      })
      if (!res.ok)
        this.deps.log.warn({ ref: logRef(key), status: res.status }, 'result event refused')
    } catch (e) {
      this.deps.log.warn(
        { ref: logRef(key), error: (e as Error).message },
        'result event not delivered',
      )
    }
  }
}
