/**
 * The raw reports of a batch as accepted (after redaction), one NDJSON object in R2, written while
 * the upload streams in: fixed 5 MiB multipart parts (R2 wants equal parts), so memory stays flat.
 * Each report's byte range is kept in D1; the dispatcher reads reports back by range.
 */
const PART_BYTES = 5 * 1024 * 1024
const encoder = new TextEncoder()

export class RawWriter {
  private readonly bucket: R2Bucket
  readonly key: string
  private buffer = new Uint8Array(PART_BYTES)
  private filled = 0
  private written = 0
  private upload: R2MultipartUpload | undefined
  private readonly parts: R2UploadedPart[] = []

  constructor(bucket: R2Bucket, key: string) {
    this.bucket = bucket
    this.key = key
  }

  /** Appends one record (its JSON text) as a line; returns where it lies in the object. */
  async append(json: string): Promise<{ offset: number; length: number }> {
    const bytes = encoder.encode(`${json}\n`)
    const offset = this.written + this.filled
    let from = 0
    while (from < bytes.length) {
      const n = Math.min(bytes.length - from, PART_BYTES - this.filled)
      this.buffer.set(bytes.subarray(from, from + n), this.filled)
      this.filled += n
      from += n
      if (this.filled === PART_BYTES) await this.flushPart()
    }
    return { offset, length: bytes.length }
  }

  private async flushPart(): Promise<void> {
    this.upload ??= await this.bucket.createMultipartUpload(this.key, {
      httpMetadata: { contentType: 'application/x-ndjson' },
    })
    this.parts.push(
      await this.upload.uploadPart(this.parts.length + 1, this.buffer.slice(0, this.filled)),
    )
    this.written += this.filled
    this.filled = 0
  }

  async finish(): Promise<void> {
    if (!this.upload) {
      await this.bucket.put(this.key, this.buffer.slice(0, this.filled), {
        httpMetadata: { contentType: 'application/x-ndjson' },
      })
      return
    }
    if (this.filled > 0) await this.flushPart()
    await this.upload.complete(this.parts)
  }

  async abort(): Promise<void> {
    await this.upload?.abort().catch(() => undefined)
  }
}

/** Reads the records stored at the given ranges of one raw object with a single ranged read. */
export async function readRecords<T>(
  bucket: R2Bucket,
  key: string,
  ranges: readonly { offset: number; length: number }[],
): Promise<T[]> {
  if (ranges.length === 0) return []
  const start = Math.min(...ranges.map((r) => r.offset))
  const end = Math.max(...ranges.map((r) => r.offset + r.length))
  const obj = await bucket.get(key, { range: { offset: start, length: end - start } })
  if (!obj) throw new Error(`raw object ${key} is missing`)
  const bytes = new Uint8Array(await obj.arrayBuffer())
  const decoder = new TextDecoder()
  return ranges.map(
    (r) =>
      JSON.parse(
        decoder.decode(bytes.subarray(r.offset - start, r.offset - start + r.length)),
      ) as T,
  )
}
