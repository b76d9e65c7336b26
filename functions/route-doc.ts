/**
 * A route's documentation, declared where the route is: `doc({...})` goes in the route's handler
 * chain (it only passes the request on) and carries what the OpenAPI document says of it. The
 * document (openapi.ts) walks the app's routes, so its paths and methods are the router's own and
 * an undocumented route cannot hide.
 */
import type { MiddlewareHandler } from 'hono'
import { z } from 'zod'

export interface RouteDoc {
  summary: string
  auth: 'site' | 'admin' | 'reviewer' | 'signature' | 'none'
  /** Content type -> JSON Schema of the request body. */
  body?: Record<string, unknown>
  query?: { name: string; description: string; required?: boolean }[]
  ok: number
  /** The JSON body of the ok answer (core/api.ts), when it is JSON. */
  response?: z.ZodType
  errors: number[]
}

const docKey = Symbol('route-doc')
type Documented = MiddlewareHandler & { [docKey]: RouteDoc }

export function doc(d: RouteDoc): MiddlewareHandler {
  const pass: MiddlewareHandler = async (_c, next) => {
    await next()
  }
  return Object.assign(pass, { [docKey]: d }) as Documented
}

/** The doc a handler carries, if it is one. */
export function docOf(handler: unknown): RouteDoc | undefined {
  return typeof handler === 'function' && docKey in handler
    ? (handler as Documented)[docKey]
    : undefined
}

/** A zod schema as the JSON Schema of a request body (what a client sends). */
export const json = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' })

/** A zod schema as the JSON Schema of an answer (what the edge sends). */
export const jsonOut = (s: z.ZodType) => z.toJSONSchema(s, { io: 'output', unrepresentable: 'any' })
