import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { scoreRecord } from '../../core/scoring/index.ts'
import gold from '../../examples/samples/cmr52/001.json' with { type: 'json' }
import { builtinTask } from '../../schemas/index.ts'

// These tests run inside workerd: the shared core must work there unchanged (no Node APIs).
describe('the shared core in workerd', () => {
  it('scores a record with its report exactly as in Node', () => {
    const task = builtinTask('cmr52')
    if (!task) throw new Error('no cmr52')
    const text =
      'Sex: Female\nLV end-diastolic volume 124 mL, LV end-systolic volume 44 mL, LV stroke volume 80 mL, LV ejection fraction 65 %.'
    const r = scoreRecord(task, { values: { ...gold, LVEDV: 124 }, text })
    expect(r.signals.LVEDV?.grounding).toBeGreaterThan(0.8)
    expect(r.report.sex).toBe('female')
    expect(r.flagged).toContain('HEIGHT') // stated in the record, absent from this text
  })
})

describe('edge routes', () => {
  it('GET /healthz answers', async () => {
    const res = await exports.default.fetch('http://edge/healthz')
    expect(await res.json()).toEqual({ ok: true })
  })

  it('GET /v1/tasks lists the shipped tasks', async () => {
    const res = await exports.default.fetch('http://edge/v1/tasks')
    const body = (await res.json()) as { tasks: { id: string; fields: number }[] }
    expect(body.tasks.map((t) => t.id).sort()).toEqual(['bonemets3', 'cmr52', 'cxr14'])
    expect(body.tasks.find((t) => t.id === 'cmr52')?.fields).toBe(53)
  })

  it('an unknown task is a 404 problem+json naming the tasks', async () => {
    const res = await exports.default.fetch('http://edge/v1/tasks/cmr99/schema')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(((await res.json()) as { detail: string }).detail).toContain("no task 'cmr99'")
  })
})

describe('the OpenAPI document', () => {
  it('is made from the routes: every route the app registers is in it, and nothing else', async () => {
    const { createApp } = await import('../../functions/app.ts')
    const res = await exports.default.fetch('http://edge/openapi.json')
    expect(res.status).toBe(200)
    const paths = ((await res.json()) as { paths: Record<string, Record<string, unknown>> }).paths
    const routes = createApp()
      .routes.filter((r) => r.method !== 'ALL')
      .map(
        (r) =>
          `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}').replace(/(.)\/$/, '$1')}`,
      )
    const served = [...new Set(routes)].sort()
    expect(served.length).toBeGreaterThan(30)
    const documented = Object.entries(paths)
      .flatMap(([p, ms]) => Object.keys(ms).map((m) => `${m} ${p}`))
      .sort()
    expect(documented).toEqual(served)
    // the doc carries what the route declared beside its handler, problem types included
    expect(paths['/v1/batches']?.post).toMatchObject({
      security: [{ siteKey: [] }],
      responses: { 202: { description: 'OK' }, 413: { $ref: '#/components/responses/Problem' } },
    })
  })
})
