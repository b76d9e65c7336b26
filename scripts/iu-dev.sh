#!/usr/bin/env bash
# cxr14 on the real Open-i development quarter (../shared/real/iu-dev, beside the clone; never in
# the repository): extracts every report with the shipped student and the mention reader, then
# scores against both golds (MeSH, NegBio) with `radstruct eval-real`. Absent data is no failure:
# it says so and exits 0. Usage: scripts/iu-dev.sh [OUT] [extra eval-real flags, e.g. --json]
set -euo pipefail
cd "$(dirname "$0")/.."
data=${IU_DEV:-../shared/real/iu-dev}
if [ ! -f "$data/reports.ndjson" ]; then
  echo "iu-dev: no real reports at $data (set IU_DEV or place ../shared beside the clone); skipped"
  exit 0
fi
out=${1:-.cache/iu-dev}
shift || true
rm -rf "$out" && mkdir -p "$out"
# the progress bar stays out of the figures; a failure shows its message
if ! node bin/radstruct.mjs extract --task cxr14 --in "$data/reports.ndjson" --out "$out" \
  >/dev/null 2>"$out/extract.log"; then
  cat "$out/extract.log" >&2
  exit 1
fi
node bin/radstruct.mjs eval-real --task cxr14 --reports "$data/reports.ndjson" --pred "$out" \
  --mesh "$data/gold.mesh.json" --negbio "$data/gold.negbio14.csv" "$@"
