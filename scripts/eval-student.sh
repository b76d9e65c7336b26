#!/usr/bin/env bash
# npm run eval:student: every shipped encoder on its samples (and cmr52 on the held-out styles),
# K = 3 stochastic passes, then `radstruct eval` against the gold. The gold never trains a model.
set -euo pipefail
cd "$(dirname "$0")/.."
r() { node bin/radstruct.mjs "$@"; }
run() { # task, input folder, output folder
  r extract --task "$1" --in "$2" --out "$3" >/dev/null
  echo "== $1: $2"
  r eval --task "$1" --pred "$3" --gold "$2"
  echo
}
run cmr52 examples/samples/cmr52 out/student-cmr52
run cmr52 test/fixtures/cmr52-styles out/student-cmr52-styles
run cxr14 examples/samples/cxr14 out/student-cxr14
run bonemets3 examples/samples/bonemets3 out/student-bonemets3
