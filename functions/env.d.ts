// Types `exports` from "cloudflare:workers" as this Worker's module (what `wrangler types` would generate).
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import('./index.ts')
  }
}
