import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import gold from '../../examples/samples/cmr52/001.json' with { type: 'json' }
import { identifierCorpus } from '../fixtures/identifiers.ts'
import { api, edge, expectProblem, newSite } from './api.ts'

describe('POST /v1/checks', () => {
  it('scores a structured record without text, and grounds it when the text is given', async () => {
    const site = await newSite()
    const res = await api(site.key, 'POST', '/v1/checks', {
      task: 'cmr52',
      id: 'r-9',
      record: { ...gold, LVEDV: 1240 },
      sex: 'female',
    })
    const body = (await res.json()) as {
      id: string
      confidence: Record<string, number>
      flagged: string[]
      signals: Record<string, Record<string, number>>
    }
    expect(res.status).toBe(200)
    expect(body.id).toBe('r-9')
    // a mm->cm style slip: implausible and inconsistent with ESV + SV
    expect(body.flagged).toContain('LVEDV')
    expect(body.signals.LVEDV?.grounding).toBeUndefined()
    const grounded = (await (
      await api(site.key, 'POST', '/v1/checks', {
        task: 'cmr52',
        record: { LVEF: 58 },
        text: 'LV ejection fraction 58 %.',
      })
    ).json()) as { signals: Record<string, Record<string, number>> }
    expect(grounded.signals.LVEF?.grounding).toBeGreaterThan(0.8)
  })

  it('names the field of an invalid record and the report it came with', async () => {
    const site = await newSite()
    const p = await expectProblem(
      await api(site.key, 'POST', '/v1/checks', {
        task: 'cmr52',
        id: 'r-1',
        record: { LVEF: 'high' },
      }),
      422,
    )
    expect(p).toMatchObject({ report: 'r-1', field: 'LVEF' })
    await expectProblem(
      await api(site.key, 'POST', '/v1/checks', { task: 'cmr52', record: {}, extra: 1 }),
      422,
      /extra/,
    )
  })
})

describe('OpenAPI', () => {
  it('documents every route with the request schemas the routes validate with', async () => {
    const doc = (await (await edge('/openapi.json')).json()) as {
      openapi: string
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: {
              content: Record<string, { schema: { properties?: Record<string, unknown> } }>
            }
          }
        >
      >
    }
    expect(doc.openapi).toBe('3.1.0')
    for (const p of [
      '/v1/batches',
      '/v1/batches/{id}',
      '/v1/batches/{id}/results',
      '/v1/reports/{id}',
      '/v1/checks',
      '/v1/extract',
      '/v1/webhooks',
      '/v1/events',
    ])
      expect(doc.paths[p], p).toBeDefined()
    const batchBody =
      doc.paths['/v1/batches']?.post?.requestBody?.content['application/json']?.schema
    expect(Object.keys(batchBody?.properties ?? {})).toEqual(['task', 'reports'])
    const page = await edge('/docs')
    expect(page.headers.get('content-type')).toMatch(/text\/html/)
    expect(await page.text()).toContain('POST /v1/batches')
  })
})

describe('malformed bodies on every route', () => {
  const routes: [string, string][] = [
    ['POST', '/v1/batches'],
    ['POST', '/v1/batches?task=cmr52'],
    ['POST', '/v1/checks'],
    ['POST', '/v1/extract'],
    ['POST', '/v1/webhooks'],
    ['POST', '/v1/events'],
    ['POST', '/admin/sites'],
    ['POST', '/v1/batches?task=__proto__'],
    ['POST', '/v1/batches?task=constructor'],
    ['POST', '/v1/batches?task=cmr52&callback=http://169.254.169.254/'],
  ]
  // prototype names wherever a name is looked up, and ids and texts full of identifiers
  const protoNames = [
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'valueOf',
  ]
  const leaky = identifierCorpus(1, 3)
  const report = fc.record({
    id: fc.oneof(
      fc.string(),
      fc.constantFrom(
        ...protoNames,
        'SMITH_JOHN',
        'mrn1234567',
        'dob-1950-02-07',
        '9434765919',
        'a'.repeat(129),
      ),
    ),
    text: fc.oneof(fc.string(), fc.constantFrom(...leaky.map((l) => l.text))),
  })
  it('answer a 4xx problem+json, never a 5xx', async () => {
    const site = await newSite()
    const body = fc.oneof(
      fc.string(),
      fc.json(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .record({
          task: fc.oneof(fc.string(), fc.constant('cmr52'), fc.constantFrom(...protoNames)),
          reports: fc.array(fc.oneof(fc.jsonValue(), report), { maxLength: 3 }),
        })
        .map((v) => JSON.stringify(v)),
      fc
        .array(report, { minLength: 1, maxLength: 4 })
        .map((a) => a.map((v) => JSON.stringify(v)).join('\n')),
      fc
        .record({
          task: fc.constantFrom(...protoNames),
          record: fc.dictionary(fc.constantFrom(...protoNames), fc.jsonValue()),
        })
        .map((v) => JSON.stringify(v)),
      fc
        .array(fc.jsonValue(), { maxLength: 3 })
        .map((a) => a.map((v) => JSON.stringify(v)).join('\n')),
      fc.uint8Array({ maxLength: 64 }),
    )
    const type = fc.constantFrom('application/json', 'application/x-ndjson', 'text/plain', '')
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), body, type, async ([method, path], b, t) => {
        const res = await edge(path, {
          method,
          headers: { authorization: `Bearer ${site.key}`, ...(t ? { 'content-type': t } : {}) },
          body: b,
        })
        const text = await res.text()
        if (res.status < 300) return // a random body can be a valid request (e.g. an empty-ish check)
        expect(res.status, text).toBeGreaterThanOrEqual(400)
        expect(res.status, text).toBeLessThan(500)
        expect(res.headers.get('content-type')).toBe('application/problem+json')
      }),
      { numRuns: 250 },
    )
  }, 60_000)
})
