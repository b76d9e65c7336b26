import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { signEvent, verifyEvent } from '../../core/signing.ts'

describe('Standard Webhooks signatures', () => {
  it('signs id.timestamp.body with HMAC-SHA256 of the decoded whsec_ secret (checked against node:crypto)', async () => {
    const raw = Buffer.from('a 24-byte secret value!!')
    const h = await signEvent(
      `whsec_${raw.toString('base64')}`,
      'msg_1',
      1614265330,
      '{"test": 2432232314}',
    )
    const expected = createHmac('sha256', raw)
      .update('msg_1.1614265330.{"test": 2432232314}')
      .digest('base64')
    expect(h).toEqual({
      'webhook-id': 'msg_1',
      'webhook-timestamp': '1614265330',
      'webhook-signature': `v1,${expected}`,
    })
  })

  it('verifies its own signatures, and refuses a changed body, a wrong secret or an old timestamp', async () => {
    const h = await signEvent('s3cret', 'evt_1', 1000, '{"a":1}')
    const headers = {
      id: h['webhook-id'],
      timestamp: h['webhook-timestamp'],
      signature: h['webhook-signature'],
    }
    expect(await verifyEvent('s3cret', headers, '{"a":1}', 1010)).toBe(true)
    expect(await verifyEvent('s3cret', headers, '{"a":2}', 1010)).toBe(false)
    expect(await verifyEvent('other', headers, '{"a":1}', 1010)).toBe(false)
    expect(await verifyEvent('s3cret', headers, '{"a":1}', 2000)).toBe(false)
    expect(await verifyEvent('s3cret', { ...headers, signature: null }, '{"a":1}', 1010)).toBe(
      false,
    )
  })
})
