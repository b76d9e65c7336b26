/**
 * Handles one queue message: a report from the edge, or the files of an S3 drop-folder event.
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
import { type ReportInput, splitReports } from '../core/reports/split.ts'
import { resultKey } from '../core/result-key.ts'
import type { SamplingSettings } from '../core/run-settings.ts'
import { screenIntake } from '../core/screen/deid.ts'
import { signEvent } from '../core/signing.ts'
import { builtinTask, requireTask, type Task, unknownTask } from '../schemas/index.ts'
import { dropOrigin, parseWorkMessage, withheldName } from './messages.ts'
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
  /** Reads a dropped object's text. */
  fetchObject: (bucket: string, key: string) => Promise<string>
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
        const { task: taskId, site, batch, report } = message.message
        const task = builtinTask(taskId)
        if (!task) {
          const reason = unknownTask(taskId)
          await this.recordFailure(
            resultKey({ site, batch, reportId: report.id }),
            reason,
            meta,
            true,
          )
          throw new PermanentFailure(reason)
        }
        await this.process(task, site, batch, report, meta)
        return
      }
      case 'objects':
        for (const o of message.objects) await this.processDrop(o.bucket, o.key, meta)
        return
    }
  }

  private async processDrop(bucket: string, key: string, meta: MessageMeta): Promise<void> {
    const origin = dropOrigin(key, this.deps.dropPrefix)
    if (!origin) {
      this.deps.log.info({ ref: logRef(key) }, 'object outside the drop folder ignored')
      return
    }
    const task = requireTask(this.deps.defaultTask)
    const text = await this.deps.fetchObject(bucket, key)
    const split = splitReports(key, text)
    if (split.errors.length) {
      // one record for the file, listing every line it could not take (kind and place, no text)
      const problems = split.errors.map((e) => `${e.where ? `${e.where}: ` : ''}${e.message}`)
      await this.recordFailure(
        `${origin.site}/${origin.batch}/_file.json`,
        `${origin.file}: ${problems.join('; ')}`,
        meta,
      )
    }
    const accepted: ReportInput[] = []
    const refused: { id: string; key: string; reason: string }[] = []
    for (const report of split.reports) {
      // the drop folder has no redact policy: a report with identifiers is refused, not retried
      // (the same file would be refused again); an id that holds one is shown as its digest
      const verdict = screenIntake(report, 'reject')
      if (verdict.refused) {
        const id = verdict.refused === 'id' ? withheldName(report.id) : report.id
        refused.push({ id, key: resultKey({ ...origin, reportId: id }), reason: verdict.detail })
      } else accepted.push(report)
    }
    // the edge learns of the batch before any result, so that it shows in the API and counts them
    const registered = await this.registerDrop(
      origin.file,
      task,
      origin,
      accepted,
      refused,
      split.errors,
    )
    if (!registered) {
      await this.recordFailure(
        `${origin.site}/${origin.batch}/_file.json`,
        `${origin.file}: the edge knows no site '${origin.site}'`,
        meta,
      )
      throw new PermanentFailure(`unknown site '${origin.site}'`)
    }
    for (const r of refused) {
      await this.recordFailure(r.key, r.reason, meta)
      this.deps.metrics.reports.inc({ outcome: 'refused', task: task.id })
    }
    for (const report of accepted) await this.process(task, origin.site, origin.batch, report, meta)
  }

  /** Tells the edge about a dropped file's batch (signed `batch.dropped`); false if the edge knows
   * no such site. Throws while the edge is unreachable, so the message comes back later. */
  private async registerDrop(
    file: string,
    task: Task,
    origin: { site: string; batch: string },
    accepted: ReportInput[],
    refused: { id: string; key: string; reason: string }[],
    errors: { where?: string; message: string }[],
  ): Promise<boolean> {
    const events = this.deps.events
    if (!events) return true
    const body = JSON.stringify({
      type: 'batch.dropped',
      data: {
        site: origin.site,
        batch: origin.batch,
        task: task.id,
        file,
        reports: accepted.map((r) => ({ id: r.id, key: resultKey({ ...origin, reportId: r.id }) })),
        refused,
        errors: errors.map((e) => `${e.where ? `${e.where}: ` : ''}${e.message}`),
      },
    } satisfies WorkerEvent)
    const id = `evt_batch.dropped_${file.replace(/[^A-Za-z0-9]/g, '_')}`
    const headers = await signEvent(events.secret, id, Date.now() / 1000, body)
    const res = await fetch(events.url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
    })
    if (res.status === 404) return false
    if (!res.ok) throw new Error(`the edge refused the drop registration: HTTP ${res.status}`)
    return true
  }

  private async process(
    task: Task,
    site: string,
    batch: string,
    report: ReportInput,
    meta: MessageMeta,
  ): Promise<void> {
    const { backend, sink, sampling, log, metrics } = this.deps
    const job: ReportJob = {
      site,
      batch,
      reportId: report.id,
      text: report.text,
      ...(report.sex ? { sex: report.sex } : {}),
    }
    const key = resultKey(job)
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
