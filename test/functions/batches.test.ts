import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { AwsClient } from 'aws4fetch'
import { describe, expect, inject, it } from 'vitest'
import { batchSummarySchema } from '../../core/api.ts'
import { resultViewSchema } from '../../core/contracts.ts'
import worker from '../../functions/index.ts'
import { sweep } from '../../functions/queues/sweep.ts'
import {
  admin,
  api,
  completeReport,
  edge,
  expectProblem,
  ndjson,
  newSite,
  sendWorkerEvent,
  takeWork,
  until,
  type WorkMessage,
} from './api.ts'

const report = (id: string, text = `LVEF 58 %. LV end-diastolic volume 150 ml. Report ${id}.`) => ({
  id,
  text,
})

describe('auth', () => {
  it('refuses requests without a key, with an unknown key and with a revoked key', async () => {
    await expectProblem(await edge('/v1/batches/bat_x'), 401, /Bearer/)
    await expectProblem(
      await api(`rsk_${'0'.repeat(64)}`, 'GET', '/v1/batches/bat_x'),
      401,
      /unknown or revoked/,
    )
    const site = await newSite()
    expect((await api(site.key, 'GET', '/v1/batches/bat_x')).status).toBe(404)
    const revoke = await edge(`/admin/keys/${site.keyId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${env.ADMIN_TOKEN as string}` },
    })
    expect(revoke.status).toBe(204)
    await expectProblem(await api(site.key, 'GET', '/v1/batches/bat_x'), 401)
  })

  it('the admin API needs the admin token, not a site key', async () => {
    const site = await newSite()
    await expectProblem(await api(site.key, 'POST', '/admin/sites', { id: 'x1', name: 'x' }), 401)
  })
})

describe('a batch from upload to results', () => {
  it('accepts NDJSON, queues one SQS message per report, and counts each result once', async () => {
    const site = await newSite()
    const res = await api(
      site.key,
      'POST',
      '/v1/batches?task=cmr52',
      ndjson([report('a'), report('b')]),
    )
    const accepted = (await res.json()) as { batch: string; accepted: number; status: string }
    expect(res.status).toBe(202)
    expect(accepted).toMatchObject({ accepted: 2, rejected: 0, duplicates: 0 })
    const work = await takeWork(site.id, 2)
    expect(work.map((w) => w.report.text).sort()).toEqual(
      [report('a').text, report('b').text].sort(),
    )
    expect(work.every((w) => w.ref.batch === accepted.batch && w.task === 'cmr52')).toBe(true)

    const status = async () =>
      (await (await api(site.key, 'GET', accepted.status)).json()) as {
        counts: Record<string, number>
        completedAt: string | null
      }
    expect((await status()).counts).toMatchObject({ accepted: 2, queued: 2, done: 0 })

    const [first, second] = work as [(typeof work)[0], (typeof work)[0]]
    expect(await (await completeReport(first, ['LVEF'], { LVEF: 58 })).json()).toEqual({
      counted: true,
    })
    // the same result again (a re-delivered message) changes nothing
    expect(await (await completeReport(first, ['LVEF'], { LVEF: 58 })).json()).toEqual({
      counted: false,
    })
    await completeReport(second)
    const done = await status()
    expect(done.counts).toMatchObject({ queued: 0, done: 2, flagged: 1, failed: 0 })
    expect(done.completedAt).not.toBeNull()

    const page = (await (await api(site.key, 'GET', `${accepted.status}/results`)).json()) as {
      results: { id: string; status: string; result?: { values: Record<string, unknown> } }[]
    }
    expect(page.results.map((r) => r.id)).toEqual(['a', 'b'])
    const a = page.results.find(
      (r) => r.id === (work.find((w) => w.ref.report === first.ref.report) ? 'a' : 'b'),
    )
    expect(a?.status).toBe('done')

    const csv = await (await api(site.key, 'GET', `${accepted.status}/results?format=csv`)).text()
    const lines = csv.trim().split('\r\n')
    expect(lines[0]).toMatch(
      /^id,report,status,flagged_fields,reviewed_fields,report_coverage,coverage_reasons,HEIGHT,HEIGHT_confidence/,
    )
    expect(lines).toHaveLength(3)
    const nd = await (await api(site.key, 'GET', `${accepted.status}/results?format=ndjson`)).text()
    expect(
      nd
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).id),
    ).toEqual(['a', 'b'])

    const one = resultViewSchema.parse(
      await (await api(site.key, 'GET', `/v1/reports/${first.ref.report}`)).json(),
    )
    expect(one.status).toBe('done')
    expect(one.result?.values).toEqual(expect.objectContaining({}))
  })

  it('a failed result is counted as a failure with its reason', async () => {
    const site = await newSite()
    const res = await api(site.key, 'POST', '/v1/batches', {
      task: 'cmr52',
      reports: [report('f1')],
    })
    const { batch } = (await res.json()) as { batch: string }
    const [m] = await takeWork(site.id, 1)
    await sendWorkerEvent({
      type: 'result.failed',
      data: {
        key: `${m?.ref.site}/${m?.ref.batch}/${m?.ref.report}.json`,
        reason: 'model output malformed 3 times',
      },
    })
    const s = batchSummarySchema.parse(
      await (await api(site.key, 'GET', `/v1/batches/${batch}`)).json(),
    )
    expect(s.counts).toMatchObject({ failed: 1, done: 0, queued: 0 })
    expect(s.failures).toEqual([{ reason: 'model output malformed 3 times', reports: 1 }])
  })
})

describe('the sweeper', () => {
  it('a result stored without its event is found by the cron and counted once', async () => {
    const site = await newSite()
    const { batch } = (await (
      await api(site.key, 'POST', '/v1/batches?task=cmr52', ndjson([report('lost')]))
    ).json()) as { batch: string }
    const [m] = await takeWork(site.id, 1)
    await until('queued', async () =>
      (
        await env.DB.prepare('SELECT status FROM reports WHERE id = ?')
          .bind(m?.ref.report)
          .first<{ status: string }>()
      )?.status === 'queued'
        ? true
        : undefined,
    )
    const aws = new AwsClient({ accessKeyId: 'test', secretAccessKey: 'test', region: 'us-east-1' })
    const key = `${m?.ref.site}/${m?.ref.batch}/${m?.ref.report}.json`
    await aws.fetch(`${inject('awsEndpoint')}/radstruct-results/${key}`, {
      method: 'PUT',
      body: JSON.stringify({
        version: 1,
        task: 'cmr52',
        site: m?.ref.site,
        batch: m?.ref.batch,
        reportId: m?.ref.report,
        flagged: ['LVEF'],
        values: {},
        confidence: {},
      }),
    })
    const first = await sweep(env)
    expect(first.found).toBeGreaterThanOrEqual(1)
    const s = (await (await api(site.key, 'GET', `/v1/batches/${batch}`)).json()) as {
      counts: Record<string, number>
    }
    expect(s.counts).toMatchObject({ done: 1, flagged: 1, queued: 0 })
    // the event arriving late changes nothing
    expect(await (await completeReport(m as NonNullable<typeof m>, ['LVEF'])).json()).toEqual({
      counted: false,
    })
  })
})

const statusOf = async (id: string | undefined) =>
  (await env.DB.prepare('SELECT status, attempts, failure FROM reports WHERE id = ?')
    .bind(id)
    .first<{ status: string; attempts: number; failure: string | null }>()) ?? undefined

const queuedNow = (id: string | undefined) =>
  until('queued', async () => ((await statusOf(id))?.status === 'queued' ? true : undefined))

const minutes = (n: number) => Date.now() + n * 60_000
const results = new AwsClient({ accessKeyId: 'test', secretAccessKey: 'test', region: 'us-east-1' })
const putObject = (key: string, body: object) =>
  results.fetch(`${inject('awsEndpoint')}/radstruct-results/${key}`, {
    method: 'PUT',
    body: JSON.stringify(body),
  })

describe('the sweeper: every accepted report ends as a result or a visible failure', () => {
  it('a final failure record in the store, whose event was lost, counts as the failure', async () => {
    const site = await newSite()
    await api(site.key, 'POST', '/v1/batches?task=cmr52', ndjson([report('f1')]))
    const [m] = await takeWork(site.id, 1)
    await queuedNow(m?.ref.report)
    const key = `${m?.ref.site}/${m?.ref.batch}/${m?.ref.report}.json`
    await putObject(`failures/${key}`, {
      key,
      reason: 'model failed: out of memory',
      attempt: 5,
      messageId: 'm1',
      at: new Date().toISOString(),
      final: true,
    })
    await sweep(env)
    expect(await statusOf(m?.ref.report)).toMatchObject({
      status: 'failed',
      failure: 'model failed: out of memory',
    })
  })

  it('a lost work message is dispatched again past the queue lifetime, and fails after MAX_DISPATCHES', async () => {
    const site = await newSite()
    await api(site.key, 'POST', '/v1/batches?task=cmr52', ndjson([report('lost-msg')]))
    // the worker took it and vanished: no result, no failure record
    const [m] = await takeWork(site.id, 1)
    await queuedNow(m?.ref.report)
    // inside the lifetime nothing happens
    await sweep(env, minutes(10))
    expect(await statusOf(m?.ref.report)).toMatchObject({ status: 'queued', attempts: 1 })
    for (const attempt of [2, 3]) {
      const counts = await sweep(env, minutes(7 * 60))
      expect(counts.requeued).toBeGreaterThanOrEqual(1)
      const [again] = await takeWork(site.id, 1)
      expect(again?.ref.report).toBe(m?.ref.report)
      await until('dispatched again', async () =>
        (await statusOf(m?.ref.report))?.attempts === attempt ? true : undefined,
      )
    }
    await sweep(env, minutes(7 * 60))
    expect(await statusOf(m?.ref.report)).toMatchObject({
      status: 'failed',
      failure: 'no result after 3 dispatches',
    })
  })

  it('reports left pending (a lost dispatch) are dispatched again', async () => {
    const site = await newSite()
    await api(site.key, 'POST', '/v1/batches?task=cmr52', ndjson([report('p1'), report('p2')]))
    const first = await takeWork(site.id, 2)
    // as if the dispatch had never happened
    for (const m of first)
      await env.DB.prepare("UPDATE reports SET status = 'pending' WHERE id = ?")
        .bind(m.ref.report)
        .run()
    const counts = await sweep(env, minutes(3))
    expect(counts.redispatched).toBeGreaterThanOrEqual(1)
    const again = await takeWork(site.id, 2)
    expect(again.map((m) => m.ref.report).sort()).toEqual(first.map((m) => m.ref.report).sort())
  })

  it('walks a backlog with a cursor: a result behind more than a page of result-less reports is found', async () => {
    const site = await newSite()
    const ids = ['c1', 'c2', 'c3', 'c4', 'c5']
    await api(site.key, 'POST', '/v1/batches?task=cmr52', ndjson(ids.map((id) => report(id))))
    const ms = await takeWork(site.id, 5)
    for (const m of ms) await queuedNow(m.ref.report)
    // only the newest has a result; the rest stay result-less (inside the lifetime)
    const rows = await env.DB.prepare(
      'SELECT id, result_key FROM reports WHERE site_id = ? ORDER BY updated_at DESC, id DESC',
    )
      .bind(site.id)
      .all<{ id: string; result_key: string }>()
    const newest = rows.results[0] as { id: string; result_key: string }
    await putObject(newest.result_key, {
      version: 1,
      task: 'cmr52',
      site: site.id,
      batch: 'b',
      reportId: newest.id,
      values: {},
      confidence: {},
      flagged: [],
    })
    // a page of 2 (a fresh env object: settings are read per env)
    const small = { ...env, SWEEP_LIMIT: '2' }
    await env.DB.prepare('DELETE FROM sweep_cursors').run()
    let found = 0
    for (let run = 0; run < 40 && found === 0; run++) found += (await sweep(small)).found
    expect(found).toBe(1)
    expect(await statusOf(newest.id)).toMatchObject({ status: 'done' })
  })

  it('a dead-lettered dispatch counts against its pending reports, which then fail after MAX_DISPATCHES', async () => {
    const site = await newSite()
    const { batch } = (await (
      await api(site.key, 'POST', '/v1/batches?task=cmr52', ndjson([report('dl1')]))
    ).json()) as { batch: string }
    const [m] = await takeWork(site.id, 1)
    await env.DB.prepare("UPDATE reports SET status = 'pending', attempts = 0 WHERE id = ?")
      .bind(m?.ref.report)
      .run()
    for (let i = 0; i < 3; i++) {
      const dead = createMessageBatch('radstruct-dispatch-dlq', [
        {
          id: `dl-${i}`,
          timestamp: Date.now(),
          attempts: 1,
          body: { kind: 'dispatch', batchId: batch },
        },
      ])
      const ctx = createExecutionContext()
      await worker.queue?.(dead as never, env as never)
      expect((await getQueueResult(dead, ctx)).explicitAcks).toEqual([`dl-${i}`])
    }
    expect(await statusOf(m?.ref.report)).toMatchObject({ status: 'pending', attempts: 3 })
    await sweep(env, minutes(3))
    expect(await statusOf(m?.ref.report)).toMatchObject({
      status: 'failed',
      failure: 'not queued after 3 dispatches: the work queue refused or lost it',
    })
    const s = (await (await api(site.key, 'GET', `/v1/batches/${batch}`)).json()) as {
      counts: Record<string, number>
      completedAt: string | null
    }
    expect(s.counts).toMatchObject({ accepted: 1, failed: 1 })
  })
})

describe('a task no model serves', () => {
  it('is refused at upload with 422, naming the task, in NDJSON, JSON and /v1/extract alike', async () => {
    const site = await newSite()
    const body = await expectProblem(
      await api(site.key, 'POST', '/v1/batches?task=bonemets3', ndjson([report('b1')])),
      422,
      /no model serves task bonemets3 at this deployment/,
    )
    expect(body.type).toMatch(/unserved-task/)
    await expectProblem(
      await api(site.key, 'POST', '/v1/batches', { task: 'bonemets3', reports: [report('b2')] }),
      422,
      /no model serves task bonemets3/,
    )
    await expectProblem(
      await api(site.key, 'POST', '/v1/extract', { task: 'bonemets3', reports: [report('b3')] }),
      422,
      /no model serves task bonemets3/,
    )
    // nothing was queued for it
    const listed = (await (await api(site.key, 'GET', '/v1/batches')).json()) as {
      batches: unknown[]
    }
    expect(listed.batches).toHaveLength(0)
  })

  it('accepts a served task, and refuses object-prototype names as unknown tasks, not with a 500', async () => {
    const site = await newSite()
    const ok = await api(
      site.key,
      'POST',
      '/v1/batches?task=cxr14',
      ndjson([report('c1', 'No effusion.')]),
    )
    expect(ok.status).toBe(202)
    for (const id of ['__proto__', 'constructor', 'toString'])
      await expectProblem(
        await api(site.key, 'POST', `/v1/batches?task=${id}`, ndjson([report('p1')])),
        422,
        /no task/,
      )
  })
})

describe('a dropped file', () => {
  const drop = async (site: string, key: string, lines: string) => {
    await results.fetch(`${inject('awsEndpoint')}/radstruct-results/${key}`, {
      method: 'PUT',
      body: lines,
    })
    return sendWorkerEvent({
      type: 'batch.dropped',
      data: { site, task: 'cmr52', bucket: 'radstruct-results', key, name: 'ward-7' },
    })
  }

  it('goes through the intake an upload goes through: the same references, refusals and dispatch, once', async () => {
    const site = await newSite()
    const key = `drop/${site.id}/ward-7.ndjson`
    const lines = ndjson([
      report('ok1'),
      { id: 'id1', text: 'Patient: John Smith. LVEF 60 %.' },
      report('ok2'),
    ])
    const res = await drop(site.id, key, lines)
    expect(res.status).toBe(200)
    const { batch } = (await res.json()) as { batch: string }
    expect(batch).toMatch(/^drp_/)
    const s = (await (await api(site.key, 'GET', `/v1/batches/${batch}`)).json()) as {
      counts: Record<string, number>
      rejections: { line: number; report?: string; detail: string }[]
    }
    expect(s.counts).toMatchObject({ accepted: 2, rejected: 1, failed: 0 })
    expect(s.rejections[0]).toMatchObject({ line: 2, report: 'id1' })
    expect(s.rejections[0]?.detail).toContain('identifiers found')
    // its reports come to the worker as an upload's do: the edge's ids, the site's own kept
    const work = await takeWork(site.id, 2)
    expect(work.map((w) => w.ref.siteReportId).sort()).toEqual(['ok1', 'ok2'])
    for (const w of work) {
      expect(w.ref).toMatchObject({ site: site.id, batch, report: expect.stringMatching(/^rpt_/) })
      expect(w.report.id).toBe(w.ref.siteReportId)
    }
    // the same file announced again is the same batch, taken once
    const again = await drop(site.id, key, lines)
    expect(await again.json()).toEqual({ batch, fresh: false })
    const list = (await (await api(site.key, 'GET', '/v1/batches')).json()) as {
      batches: { id: string }[]
    }
    expect(list.batches.filter((b) => b.id === batch)).toHaveLength(1)
    for (const w of work) await completeReport(w)
    await until('the dropped batch completes', async () => {
      const done = (await (await api(site.key, 'GET', `/v1/batches/${batch}`)).json()) as {
        counts: Record<string, number>
      }
      return done.counts.done === 2 ? true : undefined
    })
  })

  it('a file of an unknown site, or one no longer there, is refused by name', async () => {
    await expectProblem(
      await drop('no-such-site', 'drop/no-such-site/a.ndjson', ''),
      404,
      /no site 'no-such-site'/,
    )
    const site = await newSite()
    const gone = await sendWorkerEvent({
      type: 'batch.dropped',
      data: {
        site: site.id,
        task: 'cmr52',
        bucket: 'radstruct-results',
        key: 'drop/x/none.ndjson',
        name: 'none',
      },
    })
    await expectProblem(gone, 404, /not in the bucket/)
  })
})

describe('admin', () => {
  it('an update of a site without a policy keeps its de-identification policy', async () => {
    const site = await newSite('redact')
    const res = await admin('POST', '/admin/sites', { id: site.id, name: 'Renamed' })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ id: site.id, name: 'Renamed', deidPolicy: 'redact' })
    const again = await admin('POST', '/admin/sites', {
      id: site.id,
      name: 'Renamed',
      deidPolicy: 'reject',
    })
    expect(await again.json()).toMatchObject({ deidPolicy: 'reject' })
  })
})

describe('a repeated id in one batch', () => {
  it('takes the first line and refuses the later ones by line, so the counts add up and the batch completes', async () => {
    const site = await newSite()
    const res = await api(
      site.key,
      'POST',
      '/v1/batches?task=cmr52',
      ndjson([report('same'), report('same', 'LVEF 40 %.'), report('other'), report('same')]),
    )
    expect(res.status).toBe(202)
    const body = (await res.json()) as {
      batch: string
      accepted: number
      rejected: number
      rejections: { line: number; report: string; detail: string }[]
    }
    expect(body).toMatchObject({ accepted: 2, rejected: 2 })
    expect(body.rejections.map((r) => [r.line, r.report])).toEqual([
      [2, 'same'],
      [4, 'same'],
    ])
    expect(body.rejections[0]?.detail).toContain('repeats line 1')
    const work = await takeWork(site.id, 2)
    for (const w of work) await completeReport(w)
    await until('the batch completes', async () => {
      const s = (await (await api(site.key, 'GET', `/v1/batches/${body.batch}`)).json()) as {
        counts: Record<string, number>
        completedAt: string | null
      }
      return s.completedAt && s.counts.done === 2 ? s : undefined
    })
  })
})

describe('a problem with many errors', () => {
  it('lists the first 20 and says how many there were', async () => {
    const site = await newSite()
    const bad = Array.from({ length: 50 }, (_, i) => ({
      id: `p${i}`,
      text: `Patient: John Smith\nLVEF ${40 + (i % 10)} %`,
    }))
    const body = await expectProblem(
      await api(site.key, 'POST', '/v1/batches?task=cmr52', ndjson(bad)),
      422,
    )
    expect(body.errors).toHaveLength(20)
    expect(body.errorCount).toBe(50)
    expect((body.errors as { line: number }[])[0]?.line).toBe(1)
  })
})

describe('worker events are checked against the store', () => {
  it('a result.stored event without its object is refused and counts nothing; flagged comes from the object', async () => {
    const site = await newSite()
    const res = await api(
      site.key,
      'POST',
      '/v1/batches?task=cmr52',
      ndjson([report('e1'), report('e2')]),
    )
    const { batch } = (await res.json()) as { batch: string }
    const work = await takeWork(site.id, 2)
    const [first, second] = work as [WorkMessage, WorkMessage]
    // an event for a result that was never stored
    const lie = await sendWorkerEvent({
      type: 'result.stored',
      data: {
        key: `${first.ref.site}/${first.ref.batch}/${first.ref.report}.json`,
        task: 'cmr52',
        flagged: 0,
      },
    })
    expect(lie.status).toBe(409)
    const counts = async () =>
      (
        (await (await api(site.key, 'GET', `/v1/batches/${batch}`)).json()) as {
          counts: Record<string, number>
        }
      ).counts
    expect((await counts()).done).toBe(0)
    // stored with two flagged fields: the count follows the object, whatever the event says
    await completeReport(first, ['LVEF', 'LVEDV'])
    await completeReport(second)
    expect(await counts()).toMatchObject({ done: 2, flagged: 1 })
  })
})

describe('exports from the API', () => {
  it('streams a batch and the site history as a FHIR bundle and a REDCap import', async () => {
    const site = await newSite()
    const { batch } = (await (
      await api(site.key, 'POST', '/v1/batches?task=cmr52', ndjson([report('x1'), report('x2')]))
    ).json()) as { batch: string }
    for (const m of await takeWork(site.id, 2))
      await completeReport(m, ['LVEF'], { LVEF: 58, LVEDV: 150, CATEGORY: 'OTHER' })
    await until('done', async () => {
      const s = (await (await api(site.key, 'GET', `/v1/batches/${batch}`)).json()) as {
        counts: { done: number }
      }
      return s.counts.done === 2 ? true : undefined
    })
    const fhir = await api(site.key, 'GET', `/v1/batches/${batch}/results?format=fhir`)
    expect(fhir.headers.get('content-type')).toBe('application/fhir+json')
    const bundle = (await fhir.json()) as {
      type: string
      entry: {
        resource: { resourceType: string; valueQuantity?: { value: number; code: string } }
      }[]
    }
    expect(bundle.type).toBe('collection')
    const kinds = bundle.entry.map((e) => e.resource.resourceType)
    expect(kinds.filter((k) => k === 'DiagnosticReport')).toHaveLength(2)
    // LVEF, LVEDV and CATEGORY per report
    expect(kinds.filter((k) => k === 'Observation')).toHaveLength(6)
    expect(bundle.entry.map((e) => e.resource.valueQuantity?.code)).toContain('mL')

    const tx = (await (
      await api(site.key, 'GET', `/v1/results?task=cmr52&format=fhir-transaction`)
    ).json()) as { type: string; entry: { request: { method: string } }[] }
    expect(tx.type).toBe('transaction')
    expect(tx.entry.length).toBe(8)
    expect(tx.entry.every((e) => e.request.method === 'PUT')).toBe(true)

    const redcap = await (
      await api(site.key, 'GET', `/v1/batches/${batch}/results?format=redcap`)
    ).text()
    const lines = redcap.trim().split('\r\n')
    expect(
      lines[0]?.startsWith('record_id,rs_batch,rs_status,rs_model,rs_cover,rs_cover_why,height,'),
    ).toBe(true)
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual(['x1', 'x2'])

    // the date filter, and a task that is not one
    const none = await (
      await api(site.key, 'GET', '/v1/results?task=cmr52&since=2999-01-01')
    ).text()
    expect(none).toBe('')
    const all = await (await api(site.key, 'GET', '/v1/results?task=cmr52')).text()
    expect(all.trim().split('\n')).toHaveLength(2)
    await expectProblem(await api(site.key, 'GET', '/v1/results?task=nope'), 422, /no task 'nope'/)
    await expectProblem(await api(site.key, 'GET', '/v1/results?task=cmr52&since=yesterday'), 400)
  })
})
