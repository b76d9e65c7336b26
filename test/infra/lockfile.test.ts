/**
 * `npm ci` refuses a lockfile that lacks any package the dependency tree names, on any platform
 * (npm records other platforms' optional binaries only when it can fetch them). The same check
 * here, offline: every dependency of every locked package has an entry, and package.json's pins
 * are the lockfile's.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { root } from '../helpers.ts'

interface Locked {
  version?: string
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  peerDependenciesMeta?: Record<string, { optional?: boolean }>
  devDependencies?: Record<string, string>
}
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, Locked>
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Locked

/** Where node would find `name` from the package at `path`: its own node_modules, then up. */
function resolves(path: string, name: string): boolean {
  let dir = path
  for (;;) {
    if (lock.packages[`${dir ? `${dir}/` : ''}node_modules/${name}`]) return true
    if (!dir) return false
    const i = dir.lastIndexOf('/node_modules/')
    dir = i < 0 ? '' : dir.slice(0, i)
  }
}

describe('package-lock.json', () => {
  it('names an entry for every dependency of every locked package, optional ones included', () => {
    const missing: string[] = []
    for (const [path, p] of Object.entries(lock.packages)) {
      const wanted = { ...p.dependencies, ...p.optionalDependencies }
      if (path === '') Object.assign(wanted, p.devDependencies)
      for (const name of Object.keys(wanted))
        if (!resolves(path, name)) missing.push(`${path || '(root)'} -> ${name}`)
    }
    expect(missing).toEqual([])
  })

  it('pins what package.json pins', () => {
    const rootEntry = lock.packages[''] as Locked
    expect(rootEntry.dependencies).toEqual(pkg.dependencies)
    expect(rootEntry.devDependencies).toEqual(pkg.devDependencies)
    for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }))
      expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(version)
  })
})
