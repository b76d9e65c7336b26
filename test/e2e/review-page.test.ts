/**
 * The review page in a real browser (Debian's chromium through playwright-core) against the local
 * stack: a reviewer signs in, clears a report's flagged fields with the keyboard alone (one
 * correction, the rest accepted), and the correction lands in the results and the audit trail.
 * Also takes the README's screenshot (UPDATE_SCREENSHOTS=1 writes it to docs/).
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Stack, startStack } from '../../local/stack.ts'
import { root } from '../helpers.ts'
import { systemParts } from '../system-parts.ts'

const browserPath = systemParts.chromium.find()
let stack: Stack

beforeAll(async () => {
  if (!browserPath) return
  stack = await startStack({
    awsPort: 0,
    edgePort: 0,
    workerPort: 0,
    stateDir: mkdtempSync(join(tmpdir(), 'radstruct-review-')),
    samples: 2,
    log: () => {},
  })
}, 120_000)
afterAll(async () => {
  await stack?.stop()
})

const json = async (path: string, init: RequestInit & { token?: string } = {}) => {
  const res = await fetch(`${stack.edgeUrl}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${init.token ?? stack.site.key}`,
      'content-type': 'application/json',
      ...(init.headers as Record<string, string>),
    },
  })
  return (await res.json()) as Record<string, unknown>
}

describe.runIf(browserPath)('the review page in chromium', () => {
  it('a reviewer clears a report with the keyboard; the correction reaches results and the audit trail', async () => {
    // a terse report: volumes without units, atrial areas without a view, LVEF stated twice,
    // differently: values for a person to settle
    const text =
      'CARDIAC MRI\nLV: EDV 182, ESV 95, SV 87, EF 48 %, mass 131 g; RV: EDV 150, EF 51 %.\nLA 31 cm2, RA 24 cm2. T1 1050.\nConclusion: LV ejection fraction 55 %.'
    const up = await json('/v1/batches', {
      method: 'POST',
      body: JSON.stringify({ task: 'cmr52', reports: [{ id: 'rev-1', text }] }),
    })
    const batch = up.batch as string
    for (let i = 0; i < 600; i++) {
      const s = await json(`/v1/batches/${batch}`)
      if ((s.counts as { done: number }).done === 1) break
      await new Promise((r) => setTimeout(r, 500))
    }
    const { token } = (await json('/admin/sites/local/reviewers', {
      method: 'POST',
      token: stack.adminToken,
      body: JSON.stringify({ name: 'Dr Keyboard', role: 'reviewer' }),
    })) as { token: string }
    const queue = (await json(`/v1/review/queue?batch=${batch}`, { token })).reports as {
      report: string
      fields: { field: string }[]
    }[]
    const flagged = queue[0]?.fields.map((f) => f.field) ?? []
    expect(flagged.length, 'the result has fields to review').toBeGreaterThan(0)

    const first = flagged[0] as string
    const browser = await chromium.launch({
      executablePath: browserPath as string,
      args: ['--no-sandbox'],
    })
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
      await page.goto(`${stack.edgeUrl}/review?batch=${batch}`)
      // before sign-in only the sign-in form shows, not an empty work area
      expect(await page.locator('#work').isVisible()).toBe(false)
      await page.locator('#token').fill(token)
      await page.keyboard.press('Enter')
      await page.locator('#fields tr.current').waitFor()
      expect(await page.locator('#fields tr').count()).toBe(flagged.length)
      expect(await page.locator('#text').textContent()).toContain('LV: EDV 182, ESV 95')
      // the README's screenshot is refreshed on request only: npm test leaves tracked files alone
      await page.screenshot({
        path: process.env.UPDATE_SCREENSHOTS
          ? join(root, 'docs', 'review-page.png')
          : join(mkdtempSync(join(tmpdir(), 'radstruct-shot-')), 'review-page.png'),
      })
      // first field: edit, type the right value, Enter; every other field: accept
      await page.keyboard.press('e')
      await page.locator('#edit').waitFor()
      await page.keyboard.press('Control+A')
      await page.keyboard.type('48')
      await page.keyboard.press('Enter')
      for (let i = 1; i < flagged.length; i++) {
        await page
          .locator('#fields tr.done')
          .nth(i - 1)
          .waitFor()
        // the keyboard, and the buttons for those who do not use it
        if (i % 2) await page.keyboard.press('a')
        else await page.locator('#b-accept').click()
      }
      await page.locator('#status', { hasText: 'Queue clear' }).waitFor()
    } finally {
      await browser.close()
    }
    const reportId = queue[0]?.report
    const view = (await json(`/v1/review/reports/${reportId}`, { token })) as {
      decisions: { field: string; action: string; newValue: unknown; reviewer: string }[]
      final: Record<string, { value: unknown; source: string }>
    }
    expect(view.decisions).toHaveLength(flagged.length)
    expect(view.decisions[0]).toMatchObject({
      field: first,
      action: 'correct',
      newValue: 48,
      reviewer: 'Dr Keyboard',
    })
    expect(view.decisions.slice(1).every((d) => d.action === 'accept')).toBe(true)
    const results = (await json(`/v1/batches/${batch}/results`)).results as {
      final: Record<string, { value: unknown; source: string }>
    }[]
    expect(results[0]?.final[first]).toMatchObject({ value: 48, source: 'reviewer' })
  }, 600_000)
})
