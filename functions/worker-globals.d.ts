// What `wrangler types` would generate: the main module's exports (for `exports` from
// "cloudflare:workers") and the bindings (for `env`), plus what the tests add.
type RadstructBindings = import('./env.ts').Bindings

declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import('./index.ts')
  }
  interface Env extends RadstructBindings {
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[]
    RECEIVER_URL: string
  }
}
