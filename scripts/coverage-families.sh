#!/usr/bin/env bash
# The coverage check (docs/coverage.md): labelled cmr52 families the reader reads, renderings made
# to be unread, and machine formats written by another hand, each extracted by the shipped
# student and scored per family. The fit set (samples and three unread kinds of them) and the
# test set share no rendering kind and no report.
#   bash scripts/coverage-families.sh [OUT]             extract and print the per-family tables
#   bash scripts/coverage-families.sh OUT --fit         also refit the coverage weight on the fit set
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.cache/coverage}
fit_kinds=invented-words,detached-values,unlabelled-numbers
test_kinds=invented-markup,unknown-delimiters,scrambled-sections
rs() { node bin/radstruct.mjs "$@"; }
rm -rf "$out" && mkdir -p "$out/fit/gold" "$out/test/gold" "$out/work"

# in-distribution families: the samples (fit), held-out house styles and the compositional corpus
# (test; the student trained on its families, never on these reports)
node models/encoder/heldout-set.ts --out "$out/work/synth" --count 200 --seed 977 \
  --only prose,lists,grid,plain,columns,vendor,chambergrid,scoped,vertical,dotted >/dev/null
ln -s "$PWD/examples/samples/cmr52" "$out/fit/gold/samples"
ln -s "$PWD/test/fixtures/cmr52-styles" "$out/test/gold/styles"
ln -s "$PWD/$out/work/synth" "$out/test/gold/synth"
for f in test/fixtures/cmr52-formats/*/; do ln -s "$PWD/$f" "$out/test/gold/format-$(basename "$f")"; done

rs distill unread --in examples/samples/cmr52 --out "$out/work/u-samples" --kinds "$fit_kinds,$test_kinds" >/dev/null
rs distill unread --in test/fixtures/cmr52-styles --out "$out/work/u-styles" >/dev/null
rs distill unread --in "$out/work/synth" --out "$out/work/u-synth" --kinds "$test_kinds" --seed 2 >/dev/null
for k in ${fit_kinds//,/ }; do ln -s "$PWD/$out/work/u-samples/$k" "$out/fit/gold/unread-$k"; done
for k in ${test_kinds//,/ }; do
  ln -s "$PWD/$out/work/u-samples/$k" "$out/test/gold/unread-$k-samples"
  ln -s "$PWD/$out/work/u-synth/$k" "$out/test/gold/unread-$k-synth"
done
for k in $(ls "$out/work/u-styles"); do ln -s "$PWD/$out/work/u-styles/$k" "$out/test/gold/unread-$k-styles"; done

extract_all() {
  for g in "$1"/gold/*; do
    rs extract --task cmr52 --in "$g/" --out "$1/pred/$(basename "$g")" >/dev/null 2>&1
  done
}
extract_all "$out/fit"
if [ "${2:-}" = "--fit" ]; then
  pairs_pred=$(ls -d "$out"/fit/pred/* | paste -sd,)
  pairs_gold=$(for p in ${pairs_pred//,/ }; do echo "$out/fit/gold/$(basename "$p")"; done | paste -sd,)
  rs calibrate --task cmr52 --fit-from "$pairs_pred" --gold "$pairs_gold" --refit coverage \
    --write schemas/tasks/cmr52.json
  extract_all "$out/fit"
fi
extract_all "$out/test"
echo "== fit set"
rs eval --task cmr52 --pred "$out/fit/pred" --gold "$out/fit/gold"
echo "== test set"
rs eval --task cmr52 --pred "$out/test/pred" --gold "$out/test/gold"
