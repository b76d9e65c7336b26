#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so the bin works without a build step (and on Node 20 too).
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
