/** RFC 9457 problem details: every error the API returns, naming the report and field where they apply. */
export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  /** The report (site-local id) and field the problem is about, when it is about one. */
  report?: string
  field?: string
  line?: number
  errors?: { line?: number; report?: string; field?: string; detail: string }[]
  /** How many errors there were in all, when `errors` lists only the first ones. */
  errorCount?: number
}

/** A problem lists at most this many errors, then says how many there were. */
export const maxListedErrors = 20

/** Every problem type the API returns, with its one title (RFC 9457: a type's title does not
 * change from one occurrence to the next; the detail says what happened). */
export const problemTypes = {
  'bad-encoding': 'Body is not UTF-8',
  'bad-idempotency-key': 'Bad Idempotency-Key',
  'bad-query': 'Bad query parameter',
  'bad-signature': 'Bad signature',
  'batch-too-large': 'Batch too large',
  'body-too-large': 'Body too large',
  claimed: 'Claimed by another reviewer',
  forbidden: 'Forbidden',
  'idempotency-key-reused': 'Idempotency-Key reused',
  internal: 'Internal error',
  'invalid-record': 'Invalid record',
  'invalid-value': 'Invalid value',
  'line-too-long': 'Line too long',
  'malformed-json': 'Malformed JSON',
  'no-reports-accepted': 'No report accepted',
  'not-claimed': 'Claim the report first',
  'not-found': 'Not found',
  'request-in-progress': 'Request in progress',
  'result-missing': 'Result not stored',
  'result-unreadable': 'Result unreadable',
  'too-many-reports': 'Too many reports',
  unauthorized: 'Unauthorized',
  'unknown-field': 'Unknown field',
  'unknown-site': 'Unknown site',
  'unknown-task': 'Unknown task',
  'unserved-task': 'No model for this task',
  'unsupported-media-type': 'Unsupported media type',
  validation: 'Invalid request',
} as const
export type ProblemType = keyof typeof problemTypes
export const problemUri = (type: ProblemType) => `https://radstruct.dev/problems/${type}`

export class ApiError extends Error {
  readonly problem: Problem
  constructor(status: number, type: ProblemType, detail: string, extra: Partial<Problem> = {}) {
    super(detail)
    this.problem = {
      type: problemUri(type),
      title: problemTypes[type],
      status,
      detail,
      ...extra,
    }
  }
}

export function problemResponse(p: Problem, headers: Record<string, string> = {}): Response {
  // a body of thousands of errors helps nobody: the first ones, and the count
  const body =
    p.errors && p.errors.length > maxListedErrors
      ? {
          ...p,
          errors: p.errors.slice(0, maxListedErrors),
          errorCount: p.errorCount ?? p.errors.length,
        }
      : p
  return new Response(JSON.stringify(body), {
    status: p.status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  })
}

export const notFound = (what: string) =>
  new ApiError(404, 'not-found', `no ${what} here for this site`)
