/**
 * SQS and S3 over fetch with aws4fetch (SigV4), for the edge: the AWS SDK v3 does not run in
 * workerd (DOMParser is not defined, aws-sdk-js-v3 #7375) and weighs ~40x more. It reads only the
 * settings below, so it depends on no part of the edge.
 */
import { AwsClient } from 'aws4fetch'

/** What the clients need: credentials, the work queue, where results are stored. */
export interface AwsSettings {
  AWS_ACCESS_KEY_ID: string
  AWS_SECRET_ACCESS_KEY: string
  AWS_REGION: string
  SQS_QUEUE_URL: string
  /** A local SQS server's origin (fauxqs); unset for AWS. */
  SQS_ENDPOINT?: string | undefined
  RESULTS_ENDPOINT: string
  RESULTS_BUCKET: string
  RESULTS_PREFIX?: string | undefined
}
type Settings = AwsSettings

const clients = new WeakMap<Settings, { sqs: AwsClient; s3: AwsClient }>()

function aws(s: Settings) {
  let c = clients.get(s)
  if (!c) {
    const creds = {
      accessKeyId: s.AWS_ACCESS_KEY_ID,
      secretAccessKey: s.AWS_SECRET_ACCESS_KEY,
      region: s.AWS_REGION,
    }
    c = {
      sqs: new AwsClient({ ...creds, service: 'sqs' }),
      s3: new AwsClient({ ...creds, service: 's3' }),
    }
    clients.set(s, c)
  }
  return c
}

/** SendMessageBatch (at most 10 entries) over SQS's JSON protocol; returns the ids that failed. */
export async function sendMessages(
  s: Settings,
  entries: { id: string; body: string }[],
): Promise<{ failed: { id: string; reason: string }[] }> {
  const res = await aws(s).sqs.fetch(s.SQS_ENDPOINT ?? new URL(s.SQS_QUEUE_URL).origin, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'AmazonSQS.SendMessageBatch',
    },
    body: JSON.stringify({
      QueueUrl: s.SQS_QUEUE_URL,
      Entries: entries.map((e) => ({ Id: e.id, MessageBody: e.body })),
    }),
  })
  if (!res.ok)
    throw new Error(`SQS SendMessageBatch: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`)
  const out = (await res.json()) as { Failed?: { Id: string; Message?: string; Code?: string }[] }
  return {
    failed: (out.Failed ?? []).map((f) => ({ id: f.Id, reason: f.Message ?? f.Code ?? 'failed' })),
  }
}

/** A result object's text, or undefined if it is not there (yet). */
export async function getResult(s: Settings, key: string): Promise<string | undefined> {
  const path = `${s.RESULTS_PREFIX ? `${s.RESULTS_PREFIX.replace(/\/$/, '')}/` : ''}${key}`
  const url = `${s.RESULTS_ENDPOINT.replace(/\/$/, '')}/${s.RESULTS_BUCKET}/${path.split('/').map(encodeURIComponent).join('/')}`
  const res = await aws(s).s3.fetch(url)
  if (res.status === 404) return undefined
  if (!res.ok) throw new Error(`S3 GetObject ${key}: HTTP ${res.status}`)
  return res.text()
}

/** An object of another bucket on the same S3 endpoint (a dropped file), streamed; undefined if
 * it is not there. */
export async function getObject(
  s: Settings,
  bucket: string,
  key: string,
): Promise<ReadableStream<Uint8Array> | undefined> {
  const url = `${s.RESULTS_ENDPOINT.replace(/\/$/, '')}/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`
  const res = await aws(s).s3.fetch(url)
  if (res.status === 404) return undefined
  if (!res.ok) throw new Error(`S3 GetObject (a dropped file): HTTP ${res.status}`)
  return res.body ?? new ReadableStream({ start: (c) => c.close() })
}
