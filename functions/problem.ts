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
}

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
  return new Response(JSON.stringify(p), {
    status: p.status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  })
}

export const notFound = (what: string) =>
  new ApiError(404, 'not-found', 'Not found', `no ${what} here for this site`)
