/**
 * System programs some end-to-end tests drive as a user would (Debian's chromium, the AWS CLI).
 * A test that needs a missing one is skipped, and the run says so in one line per part with the
 * command that installs it (the global setup prints them); `.ci/run` fails on any skipped test.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

export interface SystemPart {
  what: string
  install: string
  find: () => string | undefined
}

export const systemParts = {
  chromium: {
    what: 'the review page in a browser (test/e2e/review-page.test.ts)',
    install: 'apt-get install chromium',
    find: () => ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)),
  },
  awsCli: {
    what: 'the S3 drop folder through the AWS CLI (test/e2e/stack.test.ts, test/e2e/readme.test.ts)',
    install: 'apt-get install awscli',
    find: () => (spawnSync('aws', ['--version']).status === 0 ? 'aws' : undefined),
  },
} satisfies Record<string, SystemPart>

/** The lines to print for the parts this machine lacks. */
export function missingPartLines(): string[] {
  return Object.values(systemParts)
    .filter((p) => p.find() === undefined)
    .map((p) => `skipped: ${p.what}: not installed (${p.install})`)
}
