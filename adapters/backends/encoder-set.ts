/**
 * Several encoder students behind one backend, one per task (the shipped set: cmr52, cxr14,
 * bonemets3). Each model declares its task in encoder.json; a model's sessions open on the first
 * report of its task, so a deployment that only sees cmr52 never loads the others.
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type {
  EncoderBackend,
  ModelInfo,
  Reading,
  ReadRequest,
} from '../../core/ports/model-backend.ts'
import { OnnxEncoderBackend, readEncoderMeta } from './encoder.ts'

/** The encoder folders at `path`: itself if it holds encoder.json, else its subfolders that do. */
export function encoderDirs(path: string): string[] {
  if (existsSync(join(path, 'encoder.json'))) return [path]
  if (!existsSync(path)) return []
  return readdirSync(path, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(path, d.name, 'encoder.json')))
    .map((d) => join(path, d.name))
    .sort()
}

export interface EncoderSetOptions {
  dirs: readonly string[]
  threads?: number
  gpu?: boolean
}

export class EncoderSet implements EncoderBackend {
  readonly kind = 'encoder'
  readonly info: ModelInfo
  readonly tasks: readonly string[]
  private readonly dirOf = new Map<string, string>()
  private readonly open = new Map<string, Promise<OnnxEncoderBackend>>()
  private readonly opts: EncoderSetOptions

  constructor(opts: EncoderSetOptions) {
    this.opts = opts
    const digests: string[] = []
    for (const dir of opts.dirs) {
      const meta = readEncoderMeta(dir)
      if (this.dirOf.has(meta.task))
        throw new Error(
          `encoder models: both ${this.dirOf.get(meta.task)} and ${dir} serve ${meta.task}`,
        )
      this.dirOf.set(meta.task, dir)
      digests.push(`${meta.task}:${meta.digest.slice(0, 12)}`)
    }
    this.tasks = [...this.dirOf.keys()]
    this.info = { backend: 'encoder', name: 'encoder-set', digest: digests.join(',') }
  }

  private model(task: string): Promise<OnnxEncoderBackend> {
    let m = this.open.get(task)
    if (!m) {
      const dir = this.dirOf.get(task)
      if (!dir)
        throw new Error(
          `no model serves task ${task} (the encoders serve ${this.tasks.join(', ')})`,
        )
      m = OnnxEncoderBackend.open({
        modelDir: dir,
        ...(this.opts.threads ? { threads: this.opts.threads } : {}),
        ...(this.opts.gpu ? { gpu: true } : {}),
      })
      this.open.set(task, m)
    }
    return m
  }

  async read(req: ReadRequest): Promise<Reading[]> {
    const model = await this.model(req.task.id)
    return (await model.read(req)).map((r) => ({ ...r, model: model.info }))
  }

  async close(): Promise<void> {
    await Promise.all([...this.open.values()].map(async (m) => (await m).close()))
  }
}

/** The tasks the encoder folder(s) at `path` serve, from their encoder.json (no session opened). */
export function encoderTasks(path: string): string[] {
  return encoderDirs(path).map((dir) => readEncoderMeta(dir).task)
}
