import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

// One project per runtime: pure code and the CLI in Node; the edge (and core as the edge runs it) in workerd.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/functions/**'],
          environment: 'node',
          globalSetup: ['test/system-parts.setup.ts'],
        },
      },
      {
        plugins: [
          cloudflareTest(async ({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations('migrations'),
                SQS_QUEUE_URL: inject('queueUrl'),
                SQS_ENDPOINT: inject('awsEndpoint'),
                RESULTS_ENDPOINT: inject('awsEndpoint'),
                RESULTS_BUCKET: 'radstruct-results',
                AWS_ACCESS_KEY_ID: 'test',
                AWS_SECRET_ACCESS_KEY: 'test',
                EVENTS_SECRET: 'test-events-secret-0123456789',
                ADMIN_TOKEN: 'test-admin-token-0123456789',
                ALLOW_HTTP_WEBHOOKS: 'true',
                WEBHOOK_BACKOFF_SECONDS: '1',
                RECONCILE_AFTER_SECONDS: '0',
                RECEIVER_URL: inject('receiverUrl'),
                // this test deployment has no bonemets3 model: its uploads are refused
                SERVED_TASKS: 'cmr52,cxr14',
              },
            },
          })),
        ],
        test: {
          name: 'workerd',
          include: ['test/functions/**/*.test.ts'],
          globalSetup: ['test/functions/global-setup.ts'],
          setupFiles: ['test/functions/apply-migrations.ts'],
        },
      },
    ],
  },
})
