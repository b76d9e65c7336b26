/** Where `npm start` keeps the local stack's state (D1, R2, queues, the site key, secrets): the
 * CLI reads the local key and admin token from here when none is given. */
import { join } from 'node:path'

export const localStateDir = join(import.meta.dirname, '..', '.wrangler', 'radstruct-local')
