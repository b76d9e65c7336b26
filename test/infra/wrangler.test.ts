/** wrangler.toml declares dev (top level), staging and production, each with every binding the
 * edge needs (wrangler does not inherit bindings into environments). Read with wrangler's parser. */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { unstable_readConfig } from 'wrangler'
import { root } from '../helpers.ts'

interface Config {
  d1_databases: { binding: string; migrations_dir?: string }[]
  r2_buckets: { binding: string; bucket_name?: string }[]
  queues: {
    producers?: { binding: string }[]
    consumers?: { queue: string; dead_letter_queue?: string }[]
  }
  triggers: { crons?: string[] }
  vars: Record<string, unknown>
}

describe('wrangler.toml environments', () => {
  for (const env of [undefined, 'staging', 'production'] as const) {
    it(`${env ?? 'dev'}: D1, R2, both queues with dead-letter queues, the sweeper's cron`, () => {
      const c = unstable_readConfig({
        config: join(root, 'wrangler.toml'),
        ...(env ? { env } : {}),
      }) as unknown as Config
      const suffix = env ? `-${env}` : ''
      expect(c.d1_databases.map((d) => [d.binding, d.migrations_dir])).toEqual([
        ['DB', 'migrations'],
      ])
      expect(c.r2_buckets.map((b) => [b.binding, b.bucket_name])).toEqual([
        ['RAW', `radstruct-raw${suffix}`],
      ])
      expect(c.queues.producers?.map((p) => p.binding).sort()).toEqual(['DISPATCH', 'WEBHOOKS'])
      expect(c.queues.consumers?.map((q) => [q.queue, q.dead_letter_queue])).toEqual([
        [`radstruct-dispatch${suffix}`, `radstruct-dispatch${suffix}-dlq`],
        [`radstruct-webhooks${suffix}`, `radstruct-webhooks${suffix}-dlq`],
        [`radstruct-dispatch${suffix}-dlq`, undefined],
        [`radstruct-webhooks${suffix}-dlq`, undefined],
      ])
      expect(c.triggers.crons).toEqual(['*/5 * * * *'])
      expect(Object.keys(c.vars)).toEqual(expect.arrayContaining(['AWS_REGION', 'RESULTS_BUCKET']))
    })
  }
})
