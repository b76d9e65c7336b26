/** /admin: sites and their API keys, for the deployment's operator (ADMIN_TOKEN). */

import { Hono } from 'hono'
import { z } from 'zod'
import {
  keyCreatedSchema,
  reviewerCreatedSchema,
  reviewerListSchema,
  type Site,
  siteSchema,
} from '../../core/api.ts'
import { adminAuth, createApiKey } from '../auth.ts'
import type { AppEnv } from '../env.ts'
import { now } from '../ids.ts'
import { ApiError, notFound } from '../problem.ts'
import { createReviewer } from '../review/auth.ts'
import { doc, json } from '../route-doc.ts'
import { disableReviewer, listReviewers, revokeKey } from '../store/access.ts'
import { siteExists, upsertSite } from '../store/sites.ts'
import { parseJsonBody } from './json-body.ts'
import { reviewerRequestSchema } from './review.ts'

export const siteRequestSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and -, 2 to 63'),
    name: z.string().min(1).max(200),
    /** A new site defaults to reject; an update without it keeps the site's policy. */
    deidPolicy: z.enum(['reject', 'redact']).optional(),
  })
  .strict()

export const admin = new Hono<AppEnv>()
admin.use('*', adminAuth)

admin.post(
  '/sites',
  doc({
    summary: 'Create or update a site (de-identification policy reject | redact).',
    auth: 'admin',
    body: { 'application/json': json(siteRequestSchema) },
    ok: 201,
    response: siteSchema,
    errors: [401, 415, 422],
  }),
  async (c) => {
    const body = await parseJsonBody(c.req.raw, siteRequestSchema, 16 * 1024)
    const existed = await siteExists(c.env.DB, body.id)
    const site = await upsertSite(c.env.DB, body, now())
    return c.json(
      { id: site.id, name: site.name, deidPolicy: site.deidPolicy } satisfies Site,
      existed ? 200 : 201,
    )
  },
)

admin.post(
  '/sites/:site/keys',
  doc({
    summary: 'Create an API key for a site; the key is shown once.',
    auth: 'admin',
    ok: 201,
    response: keyCreatedSchema,
    errors: [401, 404],
  }),
  async (c) => {
    if (!(await siteExists(c.env.DB, c.req.param('site')))) throw notFound('site')
    return c.json(await createApiKey(c.env.DB, c.req.param('site')), 201)
  },
)

admin.post(
  '/sites/:site/reviewers',
  doc({
    summary: 'Create a reviewer for a site; the sign-in token is shown once.',
    auth: 'admin',
    body: { 'application/json': json(reviewerRequestSchema) },
    ok: 201,
    response: reviewerCreatedSchema,
    errors: [401, 404, 415, 422],
  }),
  async (c) => {
    if (!(await siteExists(c.env.DB, c.req.param('site')))) throw notFound('site')
    const body = await parseJsonBody(c.req.raw, reviewerRequestSchema, 4096)
    return c.json(await createReviewer(c.env.DB, c.req.param('site'), body.name, body.role), 201)
  },
)

admin.get(
  '/sites/:site/reviewers',
  doc({
    summary: "A site's reviewers (id, name, role, created, revoked).",
    auth: 'admin',
    ok: 200,
    response: reviewerListSchema,
    errors: [401],
  }),
  async (c) => c.json({ reviewers: await listReviewers(c.env.DB, c.req.param('site')) }),
)

admin.delete(
  '/reviewers/:id',
  doc({
    summary: 'Revoke a reviewer: their token stops working.',
    auth: 'admin',
    ok: 204,
    errors: [401, 404],
  }),
  async (c) => {
    if (!(await disableReviewer(c.env.DB, c.req.param('id'), now())))
      throw new ApiError(404, 'not-found', `no active reviewer '${c.req.param('id')}'`)
    return c.body(null, 204)
  },
)

admin.delete(
  '/keys/:id',
  doc({
    summary: 'Revoke an API key.',
    auth: 'admin',
    ok: 204,
    errors: [401, 404],
  }),
  async (c) => {
    if (!(await revokeKey(c.env.DB, c.req.param('id'), now())))
      throw new ApiError(404, 'not-found', `no active key '${c.req.param('id')}'`)
    return c.body(null, 204)
  },
)
