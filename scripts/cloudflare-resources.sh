#!/usr/bin/env bash
# Creates the Cloudflare resources of one environment (dev, staging or production): the D1
# database, the R2 bucket and the four queues. wrangler creates D1 and R2 on deploy when asked, but
# never queues, so this script makes all of them, idempotently (an existing one is left as it is).
# Then it applies the D1 migrations. Put the printed database_id into wrangler.toml.
set -euo pipefail
env="${1:-dev}"
case "$env" in dev) suffix="" ; flag=() ;; staging|production) suffix="-$env" ; flag=(--env "$env") ;;
  *) echo "usage: $0 dev|staging|production" >&2; exit 2 ;; esac
wrangler() { npx wrangler "$@"; }
exists() { "$@" >/dev/null 2>&1; }

db="radstruct$suffix"
if ! exists wrangler d1 info "$db"; then wrangler d1 create "$db"; fi
wrangler d1 info "$db" | grep -i -E "uuid|database_id" || true

bucket="radstruct-raw$suffix"
exists wrangler r2 bucket info "$bucket" || wrangler r2 bucket create "$bucket"

for q in "radstruct-dispatch$suffix" "radstruct-webhooks$suffix" "radstruct-dispatch$suffix-dlq" "radstruct-webhooks$suffix-dlq"; do
  exists wrangler queues info "$q" || wrangler queues create "$q"
done

wrangler d1 migrations apply "$db" --remote "${flag[@]}"
echo "done: $env (database $db, bucket $bucket, queues radstruct-{dispatch,webhooks}$suffix[-dlq])"
