/**
 * Runs in Node before the workerd tests: a local SQS/S3 server (fauxqs, over HTTP as AWS would be)
 * and a webhook receiver that checks every delivery with the `standardwebhooks` reference library.
 * The tests inside workerd reach both over HTTP; their addresses are provided to the pool config.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { startFauxqs } from 'fauxqs'
import { Webhook } from 'standardwebhooks'
import type { TestProject } from 'vitest/node'

export const WEBHOOK_SECRETS_PATH = '/_secrets'

export default async function setup(project: TestProject) {
  const aws = await startFauxqs({ port: 0, logger: false })
  aws.createBucket('radstruct-results')
  const queue = aws.createQueue('radstruct-work')

  // deliveries by path: /hook/<name>; the test registers the secret for a name first
  const secrets = new Map<string, string>()
  const received = new Map<
    string,
    { verified: boolean; headers: Record<string, string>; body: string }[]
  >()
  const failNext = new Map<string, number>()
  const receiver = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => {
      body += c
    })
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x')
      const name = url.pathname.split('/')[2] ?? ''
      if (url.pathname.startsWith('/secret/') && req.method === 'PUT') {
        secrets.set(name, body)
        res.writeHead(204).end()
        return
      }
      if (url.pathname.startsWith('/fail/') && req.method === 'PUT') {
        failNext.set(name, Number(body))
        res.writeHead(204).end()
        return
      }
      if (url.pathname.startsWith('/received/')) {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(received.get(name) ?? []))
        return
      }
      if (url.pathname.startsWith('/hook/')) {
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [
            k,
            Array.isArray(v) ? v.join(',') : String(v),
          ]),
        )
        let verified = false
        const secret = secrets.get(name)
        if (secret)
          try {
            new Webhook(secret).verify(body, headers)
            verified = true
          } catch {
            verified = false
          }
        received.set(name, [...(received.get(name) ?? []), { verified, headers, body }])
        const fails = failNext.get(name) ?? 0
        if (fails > 0) {
          failNext.set(name, fails - 1)
          res.writeHead(503).end()
          return
        }
        res.writeHead(200).end()
        return
      }
      res.writeHead(404).end()
    })
  })
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
  const port = (receiver.address() as AddressInfo).port

  project.provide('awsEndpoint', aws.address)
  project.provide('queueUrl', queue.queueUrl)
  project.provide('receiverUrl', `http://127.0.0.1:${port}`)
  return async () => {
    receiver.close()
    await aws.stop()
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    awsEndpoint: string
    queueUrl: string
    receiverUrl: string
  }
}
