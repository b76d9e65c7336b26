import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import {
  batchAcceptedSchema,
  webhookAttemptsSchema,
  webhookCreatedSchema,
  webhookListSchema,
} from '../../core/api.ts'
import { api, completeReport, expectProblem, ndjson, newSite, takeWork, until } from './api.ts'

const receiver = () => env.RECEIVER_URL
interface Delivery {
  verified: boolean
  headers: Record<string, string>
  body: string
}
const received = async (name: string) =>
  (await (await fetch(`${receiver()}/received/${name}`)).json()) as Delivery[]
const expectDeliveries = (name: string, n: number) =>
  until(`${n} deliveries to ${name}`, async () => {
    const got = await received(name)
    return got.length >= n ? got : undefined
  })

describe('webhooks (Standard Webhooks, verified with the reference library)', () => {
  it('delivers report.flagged and batch.completed, signed, and retries a refused delivery with every attempt recorded', async () => {
    const site = await newSite()
    const name = `hook-${site.id}`
    // the answers as the API publishes them (core/api.ts)
    const hook = webhookCreatedSchema.parse(
      await (
        await api(site.key, 'POST', '/v1/webhooks', { url: `${receiver()}/hook/${name}` })
      ).json(),
    )
    const listed = webhookListSchema.parse(
      await (await api(site.key, 'GET', '/v1/webhooks')).json(),
    )
    expect(listed.webhooks.map((w) => w.id)).toEqual([hook.id])
    expect(hook.secret).toMatch(/^whsec_/)
    expect(hook.events).toEqual(['batch.completed', 'report.flagged'])
    await fetch(`${receiver()}/secret/${name}`, { method: 'PUT', body: hook.secret })
    await fetch(`${receiver()}/fail/${name}`, { method: 'PUT', body: '1' })

    const { batch } = batchAcceptedSchema.parse(
      await (
        await api(
          site.key,
          'POST',
          '/v1/batches?task=cmr52',
          ndjson([{ id: 'w1', text: 'LVEF 20 %' }]),
        )
      ).json(),
    )
    const [m] = await takeWork(site.id, 1)
    if (!m) throw new Error('no work')
    await completeReport(m, ['LVEF'])
    // two events, one refused once: three deliveries
    const got = await expectDeliveries(name, 3)
    expect(got.every((d) => d.verified)).toBe(true)
    const types = got.map((d) => JSON.parse(d.body).type)
    expect(
      types.filter((t) => t === 'batch.completed').length +
        types.filter((t) => t === 'report.flagged').length,
    ).toBe(3)
    const completed = got.find((d) => JSON.parse(d.body).type === 'batch.completed')
    expect(JSON.parse(completed?.body ?? '{}').data).toMatchObject({
      id: batch,
      counts: { done: 1, flagged: 1 },
    })
    const attempts = await until('attempts recorded', async () => {
      const a = webhookAttemptsSchema.parse(
        await (await api(site.key, 'GET', `/v1/webhooks/${hook.id}/attempts`)).json(),
      )
      return a.attempts.length >= 3 ? a.attempts : undefined
    })
    expect(attempts.map((a) => a.status).sort()).toEqual([200, 200, 503])
    // a re-delivered result emits nothing new
    await completeReport(m, ['LVEF'])
    await new Promise((r) => setTimeout(r, 1500))
    expect(await received(name)).toHaveLength(3)
  }, 30_000)

  it('refuses a webhook URL that is not http(s), and an unknown event type', async () => {
    const site = await newSite()
    await expectProblem(
      await api(site.key, 'POST', '/v1/webhooks', { url: 'ftp://x.org/h' }),
      422,
      /url/,
    )
    await expectProblem(
      await api(site.key, 'POST', '/v1/webhooks', {
        url: 'https://x.org/h',
        events: ['batch.deleted'],
      }),
      422,
      /events/,
    )
  })
})

describe('POST /v1/extract', () => {
  it('delivers the results, signed with the secret it returned, to the callback URL', async () => {
    const site = await newSite()
    const name = `cb-${site.id}`
    const res = await api(site.key, 'POST', '/v1/extract', {
      task: 'cmr52',
      reports: [{ id: 'e1', text: 'LV ejection fraction 62 %.' }],
      callbackUrl: `${receiver()}/hook/${name}`,
    })
    const body = (await res.json()) as { batch: string; callbackSecret: string }
    expect(res.status).toBe(202)
    await fetch(`${receiver()}/secret/${name}`, { method: 'PUT', body: body.callbackSecret })
    const [m] = await takeWork(site.id, 1)
    if (!m) throw new Error('no work')
    await completeReport(m, [], { LVEF: 62 })
    const [d] = await expectDeliveries(name, 1)
    expect(d?.verified).toBe(true)
    const payload = JSON.parse(d?.body ?? '{}')
    expect(payload.type).toBe('extract.completed')
    expect(payload.data.results).toEqual([
      expect.objectContaining({
        id: 'e1',
        status: 'done',
        result: expect.objectContaining({ values: { LVEF: 62 } }),
      }),
    ])
  }, 30_000)

  it('needs a callback URL and takes a few reports only', async () => {
    const site = await newSite()
    await expectProblem(
      await api(site.key, 'POST', '/v1/extract', {
        task: 'cmr52',
        reports: [{ id: 'a', text: 'x' }],
      }),
      422,
      /callbackUrl/,
    )
    const many = Array.from({ length: 21 }, (_, i) => ({ id: `r${i}`, text: 'LVEF 50 %' }))
    await expectProblem(
      await api(site.key, 'POST', '/v1/extract', {
        task: 'cmr52',
        reports: many,
        callbackUrl: 'https://x.org/cb',
      }),
      413,
      /at most 20/,
    )
  })
})

describe('worker events', () => {
  it('refuses an event signed with another secret', async () => {
    const { sendWorkerEvent } = await import('./api.ts')
    await expectProblem(
      await sendWorkerEvent(
        { type: 'result.stored', data: { key: 'a/b/c.json', task: 'cmr52', flagged: 0 } },
        'wrong-secret-0123456789',
      ),
      401,
    )
  })
})
