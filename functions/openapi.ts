/** The OpenAPI 3.1 document, generated from the routes themselves (each declares its doc beside
 * its handler, with the zod schemas it validates with), and a plain reference page rendered from
 * it (no build step, no external scripts). */
import { z } from 'zod'
import { problemSchema } from '../core/api.ts'
import { type ProblemType, problemTypes, problemUri } from './problem.ts'
import { docOf, jsonOut, type RouteDoc } from './route-doc.ts'

// the wire shape, with the type narrowed to the catalogue's (functions/problem.ts)
const problem = problemSchema.extend({
  type: z.enum(
    Object.keys(problemTypes).map((t) => problemUri(t as ProblemType)) as [string, ...string[]],
  ),
})
/** A documented route: its method and path as the router has them, and its doc. */
export interface DocumentedRoute extends RouteDoc {
  method: 'get' | 'post' | 'delete'
  /** OpenAPI form: /v1/batches/{id}. */
  path: string
}

/** The routes of the app that carry a doc (route-doc.ts), in the order they were declared. */
export function documentedRoutes(
  routes: readonly { method: string; path: string; handler: unknown }[],
): DocumentedRoute[] {
  const out: DocumentedRoute[] = []
  for (const r of routes) {
    const d = docOf(r.handler)
    if (!d) continue
    out.push({
      ...d,
      method: r.method.toLowerCase() as DocumentedRoute['method'],
      path: r.path.replace(/:(\w+)/g, '{$1}').replace(/(.)\/$/, '$1'),
    })
  }
  return out
}

export function openApiDocument(ops: readonly DocumentedRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const op of ops) {
    const params = [
      ...[...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      })),
      ...(op.query ?? []).map((q) => ({
        name: q.name,
        in: 'query',
        required: q.required ?? false,
        description: q.description,
        schema: { type: 'string' },
      })),
      ...(op.method === 'post' && op.auth === 'site'
        ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } }]
        : []),
    ]
    paths[op.path] ??= {}
    ;(paths[op.path] as Record<string, unknown>)[op.method] = {
      summary: op.summary,
      ...(op.auth === 'site'
        ? { security: [{ siteKey: [] }] }
        : op.auth === 'admin'
          ? { security: [{ adminToken: [] }] }
          : op.auth === 'reviewer'
            ? { security: [{ reviewerToken: [] }] }
            : { security: [] }),
      ...(params.length ? { parameters: params } : {}),
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: Object.fromEntries(
                Object.entries(op.body).map(([t, s]) => [t, { schema: s }]),
              ),
            },
          }
        : {}),
      responses: {
        [op.ok]: {
          description: 'OK',
          ...(op.response
            ? { content: { 'application/json': { schema: jsonOut(op.response) } } }
            : {}),
        },
        ...Object.fromEntries(
          op.errors.map((s) => [s, { $ref: '#/components/responses/Problem' }]),
        ),
      },
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'radstruct edge API',
      version: '1.0.0',
      description: 'Free-text radiology reports to structured data with per-field confidence.',
    },
    paths,
    components: {
      securitySchemes: {
        siteKey: { type: 'http', scheme: 'bearer', description: 'a site API key, rsk_...' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'the deployment ADMIN_TOKEN' },
        reviewerToken: { type: 'http', scheme: 'bearer', description: 'a reviewer token, rvw_...' },
      },
      responses: {
        Problem: {
          description: 'RFC 9457 problem details',
          content: { 'application/problem+json': { schema: jsonOut(problem) } },
        },
      },
    },
  }
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

export function referencePage(ops: readonly DocumentedRoute[]): string {
  const rows = ops
    .map(
      (op) =>
        `<section><h2><code>${op.method.toUpperCase()} ${esc(op.path)}</code></h2><p>${esc(op.summary)}</p><p>Auth: ${op.auth}. Answers ${op.ok}${op.errors.length ? `; problems ${op.errors.join(', ')}` : ''}.</p>${
          op.body
            ? `<details><summary>Request body</summary><pre>${esc(JSON.stringify(op.body, null, 2))}</pre></details>`
            : ''
        }</section>`,
    )
    .join('\n')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>radstruct API reference</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}h2{font-size:1.05rem}pre{background:#f4f4f4;padding:.5rem;overflow:auto;font-size:12px}</style>
</head><body><h1>radstruct API reference</h1><p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Errors are <code>application/problem+json</code>.</p>
${rows}</body></html>`
}
