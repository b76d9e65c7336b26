/**
 * Results in S3 (or R2, or a local server speaking S3) under prefix + key. A refused write is
 * retried with backoff; if the store stays down, the error reaches the caller, which leaves the
 * message on the queue: nothing is lost.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import type { ResultSink } from '../../core/ports/result-sink.ts'

export class S3Sink implements ResultSink {
  private readonly client: S3Client
  private readonly bucket: string
  private readonly prefix: string
  private readonly attempts: number
  private readonly backoffMs: number

  constructor(
    client: S3Client,
    bucket: string,
    prefix: string,
    opts: { attempts?: number; backoffMs?: number } = {},
  ) {
    this.client = client
    this.bucket = bucket
    this.prefix = prefix
    this.attempts = opts.attempts ?? 5
    this.backoffMs = opts.backoffMs ?? 200
  }

  private async retry<T>(op: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await op()
      } catch (e) {
        if (attempt >= this.attempts) throw e
        await new Promise((r) => setTimeout(r, this.backoffMs * 2 ** (attempt - 1)))
      }
    }
  }

  put(key: string, body: string): Promise<void> {
    return this.retry(async () => {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.prefix + key,
          Body: body,
          ContentType: 'application/json',
        }),
      )
    })
  }

  get(key: string): Promise<string | undefined> {
    return this.retry(async () => {
      try {
        const o = await this.client.send(
          new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }),
        )
        return (await o.Body?.transformToString('utf-8')) ?? ''
      } catch (e) {
        if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
          return undefined
        throw e
      }
    })
  }
}
