/**
 * The worker's model files: an s3:// model (an encoder's three files, or a GGUF file) is fetched
 * once into the cache folder and reused while its checksum holds; a local path is used as it is.
 */
import { createHash } from 'node:crypto'
import { createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdir, rename } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import type { Logger } from 'pino'
import { encoderFiles } from '../adapters/backends/encoder.ts'
import { referenceModelsDir } from '../adapters/backends/reference-student.ts'
import { parseS3Uri, type WorkerConfig } from './config.ts'

/** Where the configured model is on this machine: fetched first when it is an s3:// one;
 * undefined for a server backend, whose model is only a name. */
export async function localModel(
  config: WorkerConfig,
  s3: S3Client,
  log: Logger,
): Promise<string | undefined> {
  if (config.run.backend === 'server') return undefined
  return config.run.backend === 'encoder'
    ? resolveEncoder(config, s3, log)
    : resolveModel(config, s3, log)
}

/** An encoder folder: an s3:// prefix's three files are fetched once each (checksums kept). */
async function resolveEncoder(config: WorkerConfig, s3: S3Client, log: Logger): Promise<string> {
  const model = config.run.model ?? referenceModelsDir
  if (!model.startsWith('s3://')) return model
  const { prefix } = parseS3Uri(model)
  const dir = join(config.MODEL_CACHE_DIR, basename(prefix.replace(/\/$/, '')) || 'encoder')
  for (const file of encoderFiles)
    await fetchObject(s3, `${model.replace(/\/?$/, '/')}${file}`, join(dir, file), log)
  return dir
}

/** A local path for a GGUF model: an s3:// URI is downloaded once and reused while its checksum holds. */
async function resolveModel(config: WorkerConfig, s3: S3Client, log: Logger): Promise<string> {
  const model = config.run.model as string
  if (!model.startsWith('s3://')) return model
  const { prefix } = parseS3Uri(model)
  return fetchObject(
    s3,
    model,
    join(config.MODEL_CACHE_DIR, basename(prefix.replace(/\/$/, ''))),
    log,
  )
}

async function fetchObject(s3: S3Client, uri: string, path: string, log: Logger): Promise<string> {
  const { bucket, prefix } = parseS3Uri(uri)
  const key = prefix.replace(/\/$/, '')
  const sumPath = `${path}.sha256`
  if (existsSync(path) && existsSync(sumPath)) {
    const hash = createHash('sha256').update(readFileSync(path)).digest('hex')
    if (hash === readFileSync(sumPath, 'utf8').trim()) return path
    log.warn({ path }, 'cached model does not match its checksum: fetching again')
  }
  await mkdir(dirname(path), { recursive: true })
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
  const tmp = `${path}.download`
  const hash = createHash('sha256')
  const body = object.Body as Readable
  body.on('data', (chunk: Buffer) => hash.update(chunk))
  await pipeline(body, createWriteStream(tmp))
  await rename(tmp, path)
  writeFileSync(sumPath, `${hash.digest('hex')}\n`)
  log.info({ path }, 'model fetched')
  return path
}
