// Each test file starts from the migrated schema (D1 in workerd, as wrangler would apply it).
import { applyD1Migrations } from 'cloudflare:test'
import { env } from 'cloudflare:workers'

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS)
