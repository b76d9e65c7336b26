/** Results as files under a folder: written to a temporary name and renamed, so a crash never leaves half a result. */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join, resolve, sep } from 'node:path'
import type { ResultSink } from '../../core/ports/result-sink.ts'

export class FileSink implements ResultSink {
  readonly root: string
  constructor(root: string) {
    this.root = resolve(root)
  }

  private path(key: string): string {
    const p = resolve(join(this.root, key))
    if (!p.startsWith(this.root + sep))
      throw new Error(`result key '${key}' leaves the output folder`)
    return p
  }

  async put(key: string, body: string): Promise<void> {
    const path = this.path(key)
    await mkdir(dirname(path), { recursive: true })
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`
    await writeFile(tmp, body)
    await rename(tmp, path)
  }

  async get(key: string): Promise<string | undefined> {
    return readFile(this.path(key), 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined
      throw e
    })
  }
}
