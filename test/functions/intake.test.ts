import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { expireIdempotencyKeys } from '../../functions/queues/sweep.ts'
import { api, completeReport, edge, expectProblem, ndjson, newSite, takeWork } from './api.ts'

const report = (id: string, text = `LVEF 61 %. RV ejection fraction 55 %. Report ${id}.`) => ({
  id,
  text,
})

describe('tenant isolation', () => {
  it("another site's key gets 404 for a batch, its results, a report and a webhook, never the data", async () => {
    const a = await newSite()
    const b = await newSite()
    const { batch } = (await (
      await api(a.key, 'POST', '/v1/batches?task=cmr52', ndjson([report('iso')]))
    ).json()) as { batch: string }
    const [m] = await takeWork(a.id, 1)
    const hook = (await (
      await api(a.key, 'POST', '/v1/webhooks', { url: 'https://example.org/hook' })
    ).json()) as { id: string }
    for (const path of [
      `/v1/batches/${batch}`,
      `/v1/batches/${batch}/results`,
      `/v1/reports/${m?.ref.report}`,
      `/v1/webhooks/${hook.id}/attempts`,
    ])
      await expectProblem(await api(b.key, 'GET', path), 404)
    await expectProblem(await api(b.key, 'DELETE', `/v1/webhooks/${hook.id}`), 404)
    expect((await api(a.key, 'GET', `/v1/batches/${batch}`)).status).toBe(200)
  })
})

describe('idempotency (IETF Idempotency-Key draft)', () => {
  it('replays the stored response for the same key and payload, creating nothing', async () => {
    const site = await newSite()
    const body = ndjson([report('i1'), report('i2')])
    const headers = { 'idempotency-key': 'upload-2026-11-23' }
    const first = await api(site.key, 'POST', '/v1/batches?task=cmr52', body, headers)
    const again = await api(site.key, 'POST', '/v1/batches?task=cmr52', body, headers)
    expect(first.status).toBe(202)
    expect(again.status).toBe(202)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(await again.json()).toEqual(await first.json())
    const batches = await env.DB.prepare('SELECT count(*) AS n FROM batches WHERE site_id = ?')
      .bind(site.id)
      .first<{ n: number }>()
    expect(batches?.n).toBe(1)
    await takeWork(site.id, 2)
  })

  it('the same key with another payload is 422; a repeat while the first runs is 409', async () => {
    const site = await newSite()
    const headers = { 'idempotency-key': 'k-1' }
    expect(
      (await api(site.key, 'POST', '/v1/batches?task=cmr52', ndjson([report('x1')]), headers))
        .status,
    ).toBe(202)
    await expectProblem(
      await api(site.key, 'POST', '/v1/batches?task=cmr52', ndjson([report('x2')]), headers),
      422,
      /another payload/,
    )
    // the same key and body to another query is another request, not a replay
    await expectProblem(
      await api(site.key, 'POST', '/v1/batches?task=cxr14', ndjson([report('x1')]), headers),
      422,
      /another payload, route or query/,
    )
    // and the same request again replays the first answer
    const again = await api(
      site.key,
      'POST',
      '/v1/batches?task=cmr52',
      ndjson([report('x1')]),
      headers,
    )
    expect(again.status).toBe(202)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    await env.DB.prepare(
      "INSERT INTO idempotency_keys (site_id, key, state, created_at) VALUES (?, 'k-running', 'running', '')",
    )
      .bind(site.id)
      .run()
    await expectProblem(
      await api(site.key, 'POST', '/v1/batches?task=cmr52', ndjson([report('x3')]), {
        'idempotency-key': 'k-running',
      }),
      409,
      /still running/,
    )
    // keys are per site: another site may use the same key
    const other = await newSite()
    expect(
      (await api(other.key, 'POST', '/v1/batches?task=cmr52', ndjson([report('x1')]), headers))
        .status,
    ).toBe(202)
    await takeWork(site.id, 1)
    await takeWork(other.id, 1)
  })

  it('keys expire after a day, and a request that died while running frees its key after an hour', async () => {
    const site = await newSite()
    const old = new Date(Date.now() - 25 * 3600_000).toISOString()
    const stale = new Date(Date.now() - 2 * 3600_000).toISOString()
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO idempotency_keys (site_id, key, state, created_at) VALUES (?, 'old', 'done', ?)",
      ).bind(site.id, old),
      env.DB.prepare(
        "INSERT INTO idempotency_keys (site_id, key, state, created_at) VALUES (?, 'dead', 'running', ?)",
      ).bind(site.id, stale),
      env.DB.prepare(
        "INSERT INTO idempotency_keys (site_id, key, state, created_at) VALUES (?, 'fresh', 'running', ?)",
      ).bind(site.id, new Date().toISOString()),
    ])
    await expireIdempotencyKeys(env)
    const left = await env.DB.prepare('SELECT key FROM idempotency_keys WHERE site_id = ?')
      .bind(site.id)
      .all<{ key: string }>()
    expect(left.results.map((r) => r.key)).toEqual(['fresh'])
    expect(
      (
        await api(site.key, 'POST', '/v1/batches?task=cmr52', ndjson([report('d')]), {
          'idempotency-key': 'dead',
        })
      ).status,
    ).toBe(202)
    await takeWork(site.id, 1)
  })

  it('a request that fails frees its key for a retry', async () => {
    const site = await newSite()
    const headers = { 'idempotency-key': 'k-retry' }
    await expectProblem(
      await api(site.key, 'POST', '/v1/batches?task=nope', ndjson([report('r1')]), headers),
      422,
    )
    expect(
      (await api(site.key, 'POST', '/v1/batches?task=cmr52', ndjson([report('r1')]), headers))
        .status,
    ).toBe(202)
    await takeWork(site.id, 1)
  })
})

describe('deduplication by site, report id and content', () => {
  it('a report sent again joins the new batch without a second message or result', async () => {
    const site = await newSite()
    const first = (await (
      await api(site.key, 'POST', '/v1/batches?task=cmr52', ndjson([report('d1'), report('d2')]))
    ).json()) as { batch: string }
    const work = await takeWork(site.id, 2)
    for (const m of work) await completeReport(m)
    const second = await api(
      site.key,
      'POST',
      '/v1/batches?task=cmr52',
      ndjson([report('d1'), report('d2', 'changed text LVEF 40 %')]),
    )
    const body = (await second.json()) as { batch: string; accepted: number; duplicates: number }
    expect(body).toMatchObject({ accepted: 2, duplicates: 1 })
    const more = await takeWork(site.id, 1)
    expect(more[0]?.report.text).toBe('changed text LVEF 40 %')
    const s = (await (await api(site.key, 'GET', `/v1/batches/${body.batch}`)).json()) as {
      counts: Record<string, number>
    }
    expect(s.counts).toMatchObject({ accepted: 2, done: 1, queued: 1 })
    expect(first.batch).not.toBe(body.batch)
  })
})

describe('the de-identification screen', () => {
  it('rejects a report with identifiers, naming kind and line and never the identifier', async () => {
    const site = await newSite('reject')
    const res = await api(
      site.key,
      'POST',
      '/v1/batches?task=cmr52',
      ndjson([
        report('ok'),
        { id: 'phi', text: 'CARDIAC MRI\nPatient: Jane Roe\nMRN: 12345678\nLVEF 55 %' },
      ]),
    )
    const text = await res.text()
    expect(res.status).toBe(202)
    expect(text).not.toContain('Jane')
    expect(text).not.toContain('12345678')
    const body = JSON.parse(text) as {
      accepted: number
      rejections: { line: number; report: string; detail: string }[]
    }
    expect(body.accepted).toBe(1)
    expect(body.rejections).toEqual([
      {
        line: 2,
        report: 'phi',
        detail: expect.stringMatching(/name on line 2, record number on line 3/),
      },
    ])
    await takeWork(site.id, 1)
  })

  it('refuses an id that holds an identifier, under either policy, without echoing it', async () => {
    for (const policy of ['reject', 'redact'] as const) {
      const site = await newSite(policy)
      const res = await api(
        site.key,
        'POST',
        '/v1/batches?task=cmr52',
        ndjson([report('ok'), { id: 'SMITH_JOHN_1950', text: 'LVEF 55 %' }]),
      )
      const text = await res.text()
      expect(text).not.toContain('SMITH')
      expect(JSON.parse(text)).toMatchObject({
        accepted: 1,
        rejections: [{ line: 2, detail: 'id: holds an identifier (name); use an opaque id' }],
      })
      await takeWork(site.id, 1)
    }
  })

  it('with the redact policy, replaces the identifier, keeps the rest of its line and queues the report', async () => {
    const site = await newSite('redact')
    const res = await api(
      site.key,
      'POST',
      '/v1/batches?task=cmr52',
      ndjson([{ id: 'phi', text: 'Patient: Jane Roe  LVEF 55 %\nLVEDV 150 mL' }]),
    )
    expect(await res.json()).toMatchObject({ accepted: 1, redacted: 1 })
    const [m] = await takeWork(site.id, 1)
    expect(m?.report.text).toBe('Patient: [name removed]  LVEF 55 %\nLVEDV 150 mL')
    const view = (await (await api(site.key, 'GET', `/v1/reports/${m?.ref.report}`)).json()) as {
      redacted: string[]
    }
    expect(view.redacted).toEqual(['name'])
  })
})

describe('every refusal is a problem+json that says what to fix', () => {
  it('413 for a batch over the size limit, 415 for other media types and bad UTF-8, 400 for broken JSON, 422 for bad fields', async () => {
    const site = await newSite()
    await expectProblem(
      await api(site.key, 'POST', '/v1/batches', {
        task: 'cmr52',
        reports: [{ id: 'big', text: 'x'.repeat(11 * 1024 * 1024) }],
      }),
      413,
      /NDJSON/,
    )
    await expectProblem(
      await api(site.key, 'POST', '/v1/batches', undefined, { 'content-type': 'text/plain' }),
      415,
    )
    const badUtf8 = await edge('/v1/batches?task=cmr52', {
      method: 'POST',
      headers: { authorization: `Bearer ${site.key}`, 'content-type': 'application/x-ndjson' },
      body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x0a]),
    })
    await expectProblem(badUtf8, 415, /UTF-8/)
    await expectProblem(
      await api(site.key, 'POST', '/v1/batches', '{"task": "cmr52", ', {
        'content-type': 'application/json',
      }),
      400,
      /JSON/,
    )
    await expectProblem(
      await api(site.key, 'POST', '/v1/batches', { task: 'cmr99', reports: [] }),
      422,
      /no task 'cmr99'/,
    )
    await expectProblem(
      await api(site.key, 'POST', '/v1/batches', { task: 'cmr52' }),
      422,
      /reports/,
    )
    const none = await expectProblem(
      await api(
        site.key,
        'POST',
        '/v1/batches?task=cmr52',
        `${JSON.stringify({ id: 'e', text: '' })}\nnot json\n`,
      ),
      422,
      /none of the 2/,
    )
    expect(none.errors).toEqual([
      { line: 1, report: 'e', detail: 'text: the report text is empty' },
      { line: 2, detail: 'line 2: not a JSON object' },
    ])
    await expectProblem(
      await api(site.key, 'GET', '/v1/batches/x/results?limit=1000'),
      400,
      /limit/,
    )
  })
})
