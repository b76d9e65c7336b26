#!/usr/bin/env bash
# The held-out validation of a word student (cxr14, bonemets3) and the fit of its label
# confidence, after two full-budget training runs (models/README.md): RUN/main trained on every
# family, RUN/ho on a corpus without the HELD_OUT families. Exports both, fits the confidence pool
# on the held-out run's results for reports of its held-out families (a student reading families
# it never saw, the errors a new house style brings), tests that fit on other such reports, then
# prints the per-family tables: the held-out run on its held-out families, the shipped student on
# every family. Usage: scripts/heldout-words.sh cxr14 .cache/w2/cxr unsectioned,lang:pt
# A task whose category reading decides (bonemets3) was fitted with `decides` set to never for the
# fit: with the reading deciding, the held-out results hold no error for the pool to learn from.
set -euo pipefail
cd "$(dirname "$0")/.."
task=$1 run=$2 held=$3
r() { node bin/radstruct.mjs "$@"; }
node models/encoder/parity-inputs.ts "$run-parity.jsonl" "$task"
/usr/bin/python3 models/encoder/export.py --checkpoint "$run-main/checkpoint.pt" \
  --task "schemas/tasks/$task.json" --out "models/encoder-$task" --parity "$run-parity.jsonl"
/usr/bin/python3 models/encoder/export.py --checkpoint "$run-ho/checkpoint.pt" \
  --task "schemas/tasks/$task.json" --out "$run-ho-model"
for part in fit:71 test:72; do
  name=${part%%:*} seed=${part##*:}
  rm -rf "$run-$name" "$run-$name-pred"
  node models/encoder/heldout-set.ts --task "$task" --out "$run-$name" --count 300 --seed "$seed" --only "$held"
  r extract --task "$task" --in "$run-$name" --out "$run-$name-pred" --model "$run-ho-model" >/dev/null
done
r calibrate --task "$task" --fit-from "$run-fit-pred" --gold "$run-fit" \
  --test-from "$run-test-pred" --test-gold "$run-test" \
  --write "schemas/tasks/$task.json" --plot "docs/reliability-$task-encoder.svg"
echo "== held-out run ($run-ho-model) on its held-out families"
node models/encoder/words-families.ts --task "$task" --model "$run-ho-model" --families "$held" \
  --json "$run-ho-families.json"
echo "== shipped student on every family"
node models/encoder/words-families.ts --task "$task" --json "$run-main-families.json"
