/** Helpers for the edge tests: requests to the Worker under test, sites and keys made through the
 * admin API, and the GPU worker's side of the protocol (read SQS, write a result to S3, send the
 * signed event) over HTTP to the local SQS/S3 server. */

import { env, exports } from 'cloudflare:workers'
import { AwsClient } from 'aws4fetch'
import { expect, inject } from 'vitest'
import type { ReportMessage } from '../../core/contracts.ts'
import { resultKey } from '../../core/report-ref.ts'
import { signEvent } from '../../core/signing.ts'

export const edge = (path: string, init?: RequestInit) =>
  exports.default.fetch(new Request(`http://edge${path}`, init))

export async function admin(method: string, path: string, body?: unknown): Promise<Response> {
  return edge(path, {
    method,
    headers: {
      authorization: `Bearer ${env.ADMIN_TOKEN as string}`,
      'content-type': 'application/json',
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
}

let siteCounter = 0
/** A fresh site with one API key. */
export async function newSite(
  deidPolicy: 'reject' | 'redact' = 'reject',
): Promise<{ id: string; key: string; keyId: string }> {
  const id = `site-${Date.now().toString(36)}-${++siteCounter}`
  expect((await admin('POST', '/admin/sites', { id, name: id, deidPolicy })).status).toBe(201)
  const k = (await (await admin('POST', `/admin/sites/${id}/keys`)).json()) as {
    id: string
    key: string
  }
  return { id, key: k.key, keyId: k.id }
}

export function api(
  key: string,
  method: string,
  path: string,
  body?: string | object,
  headers: Record<string, string> = {},
) {
  const isText = typeof body === 'string'
  return edge(path, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined
        ? {}
        : { 'content-type': isText ? 'application/x-ndjson' : 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: isText ? body : JSON.stringify(body) }),
  })
}

export const ndjson = (reports: object[]) => `${reports.map((r) => JSON.stringify(r)).join('\n')}\n`

export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 15_000,
): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await probe()
    if (v !== undefined) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

const aws = new AwsClient({ accessKeyId: 'test', secretAccessKey: 'test', region: 'us-east-1' })
const awsEndpoint = () => inject('awsEndpoint')

async function sqs(target: string, body: object): Promise<Record<string, unknown>> {
  const res = await aws.fetch(awsEndpoint(), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${target}`,
    },
    body: JSON.stringify({ QueueUrl: inject('queueUrl'), ...body }),
  })
  if (!res.ok) throw new Error(`SQS ${target}: ${res.status} ${await res.text()}`)
  return (await res.json()) as Record<string, unknown>
}

export type WorkMessage = ReportMessage

/** Receives (and deletes) the work messages of one site, as the GPU worker would take them. */
export async function takeWork(site: string, count: number): Promise<WorkMessage[]> {
  const got: WorkMessage[] = []
  await until(`${count} work message(s) for ${site}`, async () => {
    const r = (await sqs('ReceiveMessage', {
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
      VisibilityTimeout: 0,
    })) as {
      Messages?: { Body: string; ReceiptHandle: string }[]
    }
    for (const m of r.Messages ?? []) {
      const body = JSON.parse(m.Body) as WorkMessage
      if (body.ref.site !== site) continue
      got.push(body)
      await sqs('DeleteMessage', { ReceiptHandle: m.ReceiptHandle })
    }
    return got.length >= count ? true : undefined
  })
  return got
}

/** The worker's side of a finished report: the result object in S3, then the signed event. */
export async function completeReport(
  m: WorkMessage,
  flagged: string[] = [],
  values: Record<string, unknown> = {},
) {
  const key = resultKey(m.ref)
  const result = {
    version: 1,
    task: m.task,
    site: m.ref.site,
    batch: m.ref.batch,
    reportId: m.ref.report,
    siteReportId: m.ref.siteReportId,
    values,
    confidence: {},
    flagged,
  }
  const put = await aws.fetch(`${awsEndpoint()}/radstruct-results/${key}`, {
    method: 'PUT',
    body: JSON.stringify(result),
  })
  expect(put.ok).toBe(true)
  return sendWorkerEvent({
    type: 'result.stored',
    data: { key, task: m.task, flagged: flagged.length },
  })
}

export async function sendWorkerEvent(
  event: object,
  secret = env.EVENTS_SECRET as string,
): Promise<Response> {
  const body = JSON.stringify(event)
  const headers = await signEvent(secret, `evt_${crypto.randomUUID()}`, Date.now() / 1000, body)
  return edge('/v1/events', {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body,
  })
}

export async function expectProblem(
  res: Response,
  status: number,
  detail?: RegExp,
): Promise<Record<string, unknown>> {
  const body = (await res.json()) as Record<string, unknown>
  expect(res.status, JSON.stringify(body)).toBe(status)
  expect(res.headers.get('content-type')).toBe('application/problem+json')
  expect(body).toMatchObject({
    status,
    type: expect.stringMatching(/^https:\/\//),
    title: expect.any(String),
  })
  if (detail) expect(body.detail).toMatch(detail)
  return body
}
