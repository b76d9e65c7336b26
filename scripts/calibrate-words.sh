#!/usr/bin/env bash
# npm run calibrate:words: fits the `withModel` confidence pool of cxr14 and bonemets3 on results
# of students that never saw the family they read (the leave-one-family-out runs of
# models/encoder/lofo-words.ts, under .cache/lofo-<task>/), and measures it on the samples read by
# the shipped students. Run the LOFO runs first (models/README.md). Only layout families enter the
# fit (FIT_FAMILIES, default "lists unsectioned"): a student that never saw a language cannot read
# it at all (docs/encoder-lofo-*.md), and the shipped students were trained on every corpus
# language, so those runs would teach the pool a failure the shipped model does not have there.
set -euo pipefail
cd "$(dirname "$0")/.."
for task in cxr14 bonemets3; do
  fit=".cache/lofo-$task/fit"
  rm -rf "$fit" && mkdir -p "$fit/pred" "$fit/gold"
  for d in .cache/lofo-"$task"/*/; do
    [ -f "$d/eval.json" ] || continue
    case "$d" in *-control/) continue ;; esac  # a control saw its family: not held out
    fam=$(basename "$d")
    case " ${FIT_FAMILIES:-lists unsectioned} " in *" $fam "*) ;; *) continue ;; esac
    for f in "$d"pred/*.json; do cp "$f" "$fit/pred/$fam-$(basename "$f")"; done
    for f in "$d"test/*.json; do cp "$f" "$fit/gold/$fam-$(basename "$f")"; done
  done
  node bin/radstruct.mjs extract --task "$task" --in "examples/samples/$task" --out "out/encoder-$task" >/dev/null
  node bin/radstruct.mjs calibrate --task "$task" --fit-from "$fit/pred" --gold "$fit/gold" \
    --test-from "out/encoder-$task" --test-gold "examples/samples/$task" \
    --write "schemas/tasks/$task.json" --plot "docs/reliability-$task-encoder.svg"
done
