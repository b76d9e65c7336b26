/**
 * LOCAL STAND-IN for S3 event notifications. No local S3 server delivers object-created
 * notifications to SQS (fauxqs accepts the configuration and sends nothing), so for the local
 * stack this polls the drop bucket and, for each new object under the drop prefix, sends the
 * exact message S3 sends to SQS (event version 2.1, URL-encoded key). In AWS the bucket's real
 * notification (infra/) replaces it and the worker cannot tell the difference.
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3'
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs'

export interface DropNotifierOptions {
  s3: S3Client
  sqs: SQSClient
  bucket: string
  prefix: string
  queueUrl: string
  region: string
  /** Objects already announced (key + ETag), e.g. kept across restarts. */
  seen?: Set<string>
  intervalMs?: number
  onNotify?: (key: string) => void
}

/** The S3 event notification for one created object, as AWS writes it. */
export function objectCreatedEvent(o: {
  bucket: string
  key: string
  size: number
  eTag: string
  region: string
  at: Date
}) {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: o.region,
        eventTime: o.at.toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'local' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': 'local', 'x-amz-id-2': 'local' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'radstruct-drop',
          bucket: {
            name: o.bucket,
            ownerIdentity: { principalId: 'local' },
            arn: `arn:aws:s3:::${o.bucket}`,
          },
          object: {
            // S3 URL-encodes keys in notifications, with + for spaces
            key: encodeURIComponent(o.key).replace(/%20/g, '+').replace(/%2F/g, '/'),
            size: o.size,
            eTag: o.eTag.replace(/"/g, ''),
            sequencer: o.at.getTime().toString(16).toUpperCase().padStart(16, '0'),
          },
        },
      },
    ],
  }
}

export function startDropNotifier(opts: DropNotifierOptions): {
  stop: () => Promise<void>
  seen: Set<string>
} {
  const seen = opts.seen ?? new Set<string>()
  let stopped = false
  let running: Promise<void> = Promise.resolve()
  const poll = async () => {
    let token: string | undefined
    do {
      const page = await opts.s3.send(
        new ListObjectsV2Command({
          Bucket: opts.bucket,
          Prefix: opts.prefix,
          ContinuationToken: token,
        }),
      )
      for (const o of page.Contents ?? []) {
        if (!o.Key || o.Key.endsWith('/')) continue
        const id = `${o.Key} ${o.ETag ?? ''}`
        if (seen.has(id)) continue
        const event = objectCreatedEvent({
          bucket: opts.bucket,
          key: o.Key,
          size: o.Size ?? 0,
          eTag: o.ETag ?? '',
          region: opts.region,
          at: o.LastModified ?? new Date(),
        })
        await opts.sqs.send(
          new SendMessageCommand({ QueueUrl: opts.queueUrl, MessageBody: JSON.stringify(event) }),
        )
        seen.add(id)
        opts.onNotify?.(o.Key)
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined
    } while (token)
  }
  const timer = setInterval(() => {
    if (stopped) return
    running = running.then(poll).catch(() => undefined)
  }, opts.intervalMs ?? 1000)
  return {
    seen,
    stop: async () => {
      stopped = true
      clearInterval(timer)
      await running
    },
  }
}
