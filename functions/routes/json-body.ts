/** A small JSON request body, size-limited and validated, with errors that name the field. */
import type { z } from 'zod'
import { ApiError } from '../problem.ts'

export async function parseJsonBody<T extends z.ZodType>(
  req: Request,
  schema: T,
  maxBytes: number,
): Promise<z.infer<T>> {
  const type = (req.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase()
  if (type !== 'application/json')
    throw new ApiError(415, 'unsupported-media-type', 'send application/json')
  const text = await req.text()
  if (text.length > maxBytes)
    throw new ApiError(413, 'body-too-large', `the body takes at most ${maxBytes} bytes`)
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (e) {
    throw new ApiError(
      400,
      'malformed-json',
      `the body is not valid JSON: ${(e as Error).message.slice(0, 120)}`,
    )
  }
  const parsed = schema.safeParse(data)
  if (parsed.success) return parsed.data
  const issues = parsed.error.issues
  const field = issues[0]?.path.join('.') ?? ''
  throw new ApiError(422, 'validation', `${field || 'body'}: ${issues[0]?.message}`, {
    field,
    errors: issues.slice(0, 50).map((i) => ({ field: i.path.join('.'), detail: i.message })),
  })
}
