import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import {
  admin,
  api,
  completeReport,
  edge,
  expectProblem,
  ndjson,
  newSite,
  takeWork,
} from './api.ts'

async function reviewer(
  site: string,
  role: 'reviewer' | 'site_admin' = 'reviewer',
  name = `R ${role}`,
) {
  const r = await admin('POST', `/admin/sites/${site}/reviewers`, { name, role })
  expect(r.status).toBe(201)
  return ((await r.json()) as { token: string }).token
}
const rv = (token: string, method: string, path: string, body?: object) =>
  edge(path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })

/** A site with one finished report whose result flagged LVEF and RVEF. */
async function flaggedReport() {
  const site = await newSite()
  const { batch } = (await (
    await api(
      site.key,
      'POST',
      '/v1/batches?task=cmr52',
      ndjson([{ id: 'r1', text: 'LVEF 58 %. RVEF 45 %.' }]),
    )
  ).json()) as { batch: string }
  const [m] = await takeWork(site.id, 1)
  if (!m) throw new Error('no work')
  await completeReport(m, ['LVEF', 'RVEF'], { LVEF: 85, RVEF: 45 })
  return { site, batch, report: m.ref.report }
}

describe('the review queue', () => {
  it('lists flagged fields, lets a claimed report be decided, keeps the audit trail and shows final values', async () => {
    const { site, batch, report } = await flaggedReport()
    const alice = await reviewer(site.id, 'reviewer', 'Alice')
    const q = (await (await rv(alice, 'GET', `/v1/review/queue?batch=${batch}`)).json()) as {
      reports: { report: string; id: string; fields: { field: string }[] }[]
    }
    expect(q.reports).toHaveLength(1)
    expect(q.reports[0]?.fields.map((f) => f.field).sort()).toEqual(['LVEF', 'RVEF'])

    // deciding needs a claim
    await expectProblem(
      await rv(alice, 'POST', `/v1/review/reports/${report}/decisions`, {
        field: 'LVEF',
        action: 'accept',
      }),
      409,
      /claim/,
    )
    expect((await rv(alice, 'POST', `/v1/review/reports/${report}/claim`)).status).toBe(200)
    const page = (await (await rv(alice, 'GET', `/v1/review/reports/${report}`)).json()) as {
      text: string
      result: { values: Record<string, unknown> }
    }
    expect(page.text).toBe('LVEF 58 %. RVEF 45 %.')
    // a correction outside the field's hard limits is refused, naming them
    await expectProblem(
      await rv(alice, 'POST', `/v1/review/reports/${report}/decisions`, {
        field: 'LVEF',
        action: 'correct',
        value: 580,
      }),
      422,
      /LVEF: 580 % is outside the field's limits/,
    )
    const fix = await rv(alice, 'POST', `/v1/review/reports/${report}/decisions`, {
      field: 'LVEF',
      action: 'correct',
      value: 58,
      reason: 'read 58 in the text',
    })
    expect(fix.status).toBe(201)
    expect(await fix.json()).toMatchObject({
      field: 'LVEF',
      action: 'correct',
      oldValue: 85,
      newValue: 58,
      reviewer: expect.any(String),
    })
    await rv(alice, 'POST', `/v1/review/reports/${report}/decisions`, {
      field: 'RVEF',
      action: 'accept',
    })
    // a second correction of the same field is a new entry, the first stays
    await rv(alice, 'POST', `/v1/review/reports/${report}/decisions`, {
      field: 'LVEF',
      action: 'correct',
      value: 57,
    })
    const after = (await (await rv(alice, 'GET', `/v1/review/reports/${report}`)).json()) as {
      decisions: { field: string; oldValue: unknown; newValue: unknown; reviewer: string }[]
      final: Record<string, { value: unknown; source: string }>
    }
    expect(after.decisions.map((d) => [d.field, d.oldValue, d.newValue, d.reviewer])).toEqual([
      ['LVEF', 85, 58, 'Alice'],
      ['RVEF', 45, 45, 'Alice'],
      ['LVEF', 58, 57, 'Alice'],
    ])
    expect(after.final.LVEF).toMatchObject({ value: 57, source: 'reviewer', reviewer: 'Alice' })
    expect(after.final.RVEF).toEqual({ value: 45, source: 'model' })
    // the queue is clear; results and exports show the final value and its source
    expect(
      (
        (await (await rv(alice, 'GET', `/v1/review/queue?batch=${batch}`)).json()) as {
          reports: unknown[]
        }
      ).reports,
    ).toEqual([])
    const results = (await (await api(site.key, 'GET', `/v1/batches/${batch}/results`)).json()) as {
      results: { final: Record<string, { value: unknown; source: string }> }[]
    }
    expect(results.results[0]?.final.LVEF).toMatchObject({
      value: 57,
      source: 'reviewer',
      reviewer: 'Alice',
      at: expect.stringMatching(/^\d{4}-/),
    })
    // the FHIR export carries the decision: the value amended, a Provenance naming the reviewer
    const bundle = (await (
      await api(site.key, 'GET', `/v1/batches/${batch}/results?format=fhir`)
    ).json()) as { entry: { resource: Record<string, unknown> }[] }
    const lvef = bundle.entry
      .map((e) => e.resource)
      .find((r) => JSON.stringify(r.code ?? '').includes('"LVEF"'))
    expect(lvef).toMatchObject({ status: 'amended', valueQuantity: { value: 57 } })
    expect(
      bundle.entry.map((e) => e.resource).find((r) => r.resourceType === 'Provenance'),
    ).toMatchObject({
      agent: [{ who: { display: 'Alice' } }],
      target: [{ reference: `urn:uuid:${lvef?.id}` }],
    })
    const csv = await (await api(site.key, 'GET', `/v1/batches/${batch}/results?format=csv`)).text()
    expect(csv.split('\r\n')[1], csv.split('\r\n')[1]).toMatch(/^r1,rpt_\w+,done,LVEF RVEF,LVEF,/)
    const overview = await (await rv(alice, 'GET', `/v1/review/batches/${batch}`)).json()
    expect(overview).toEqual({ batch, flaggedFields: 2, reviewed: 2, corrected: 1 })
    // corrections in the format `radstruct distill review` reads
    const corrections = (
      await (await rv(alice, 'GET', `/v1/review/corrections?batch=${batch}`)).text()
    )
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(corrections).toEqual([
      {
        reportId: 'r1',
        field: 'LVEF',
        value: 58,
        reviewer: 'Alice',
        reason: 'read 58 in the text',
      },
      { reportId: 'r1', field: 'LVEF', value: 57, reviewer: 'Alice', reason: 'correct' },
    ])
  })

  it('the audit trail cannot be changed or deleted, even with direct database access', async () => {
    const { site, report } = await flaggedReport()
    const alice = await reviewer(site.id)
    await rv(alice, 'POST', `/v1/review/reports/${report}/claim`)
    await rv(alice, 'POST', `/v1/review/reports/${report}/decisions`, {
      field: 'LVEF',
      action: 'not_stated',
    })
    await expect(
      env.DB.prepare("UPDATE decisions SET new_value = '99' WHERE report_id = ?")
        .bind(report)
        .run(),
    ).rejects.toThrow(/audit trail/)
    await expect(
      env.DB.prepare('DELETE FROM decisions WHERE report_id = ?').bind(report).run(),
    ).rejects.toThrow(/audit trail/)
  })

  it('claims: a second reviewer gets 409 until the claim expires', async () => {
    const { site, report } = await flaggedReport()
    const alice = await reviewer(site.id, 'reviewer', 'Alice')
    const bob = await reviewer(site.id, 'reviewer', 'Bob')
    expect((await rv(alice, 'POST', `/v1/review/reports/${report}/claim`)).status).toBe(200)
    await expectProblem(
      await rv(bob, 'POST', `/v1/review/reports/${report}/claim`),
      409,
      /someone else/,
    )
    // claimed by Alice: not in Bob's queue
    expect(
      ((await (await rv(bob, 'GET', '/v1/review/queue')).json()) as { reports: unknown[] }).reports,
    ).toEqual([])
    await env.DB.prepare(
      "UPDATE claims SET expires_at = '2000-01-01T00:00:00.000Z' WHERE report_id = ?",
    )
      .bind(report)
      .run()
    expect((await rv(bob, 'POST', `/v1/review/reports/${report}/claim`)).status).toBe(200)
    await expectProblem(
      await rv(alice, 'POST', `/v1/review/reports/${report}/decisions`, {
        field: 'LVEF',
        action: 'accept',
      }),
      409,
    )
  })

  it('permissions: a reviewer of site A sees nothing of site B; only a site admin adds reviewers', async () => {
    const a = await flaggedReport()
    const b = await newSite()
    const bReviewer = await reviewer(b.id)
    expect(
      ((await (await rv(bReviewer, 'GET', '/v1/review/queue')).json()) as { reports: unknown[] })
        .reports,
    ).toEqual([])
    await expectProblem(await rv(bReviewer, 'GET', `/v1/review/reports/${a.report}`), 404)
    await expectProblem(await rv(bReviewer, 'POST', `/v1/review/reports/${a.report}/claim`), 404)
    await expectProblem(await rv(bReviewer, 'GET', `/v1/review/batches/${a.batch}`), 404)
    await expectProblem(await rv(bReviewer, 'POST', '/v1/review/reviewers', { name: 'Eve' }), 403)
    const lead = await reviewer(b.id, 'site_admin')
    expect((await rv(lead, 'POST', '/v1/review/reviewers', { name: 'Dan' })).status).toBe(201)
    // an upload key is not a reviewer token, and the other way round
    await expectProblem(await rv(a.site.key, 'GET', '/v1/review/queue'), 401)
    await expectProblem(await api(bReviewer, 'GET', `/v1/batches/${a.batch}`), 401)
  })

  it('refuses a correction that does not fit the field', async () => {
    const { site, report } = await flaggedReport()
    const alice = await reviewer(site.id)
    await rv(alice, 'POST', `/v1/review/reports/${report}/claim`)
    await expectProblem(
      await rv(alice, 'POST', `/v1/review/reports/${report}/decisions`, {
        field: 'LVEF',
        action: 'correct',
        value: 'high',
      }),
      422,
      /LVEF/,
    )
    await expectProblem(
      await rv(alice, 'POST', `/v1/review/reports/${report}/decisions`, {
        field: 'NOPE',
        action: 'accept',
      }),
      422,
      /NOPE/,
    )
  })
})
