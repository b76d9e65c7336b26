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

export class ApiError extends Error {
  readonly problem: Problem
  constructor(
    status: number,
    slug: string,
    title: string,
    detail: string,
    extra: Partial<Problem> = {},
  ) {
    super(detail)
    this.problem = {
      type: `https://radstruct.dev/problems/${slug}`,
      title,
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
  new ApiError(404, 'not-found', 'Not found', `no ${what} here for this site`)
