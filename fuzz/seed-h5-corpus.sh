#!/usr/bin/env bash
# Regenerate the seed inputs (seed-*) of fuzz/corpus/result/ and
# fuzz/corpus/ckpt/ from real files: tests/bad/base solved by ./cnopt (simplex
# and decomposition: base, dw), a decomposition stopped after iteration 3
# (its checkpoint), and the hostile files of tests/hostile/h5/*/ made from them
# (tests/hostile/h5/lib.sh; FIFO cases skipped).  Results are about 110 kB
# each, so only the hostile result cases of RESULT_CASES are kept; every
# checkpoint case is (9 kB each).  Other files of the corpus (crash-*, inputs
# merged from fuzzing) are kept.  Needs ./cnopt (make) and /usr/bin/python3
# with h5py.  Run from anywhere; commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
RESULT_CASES="objective-string-4096 heap-index-missing heap-free-size-0 heap-collection-huge classes-1e8 external-link"
. tests/hostile/h5/lib.sh
cr=fuzz/corpus/result cc=fuzz/corpus/ckpt
mkdir -p "$cr" "$cc"
rm -f "$cr"/seed-* "$cc"/seed-*
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
h5_bases ./cnopt "$tmp"
cp "$tmp/base.h5" "$cr/seed-base"
cp "$tmp/dw.h5" "$cr/seed-dw"
cp "$tmp/base.ckpt" "$cc/seed-base"
for d in tests/hostile/h5/*/; do
  d=${d%/}
  name=$(basename "$d")
  [ -f "$d/expect" ] || continue
  grep -q '^sh .*mkfifo' "$d/expect" && continue
  case "$name" in fuzz-*) continue ;; esac   # already in the corpus as crash-*
  if [ "$(h5_key "$d" file)" = ckpt ]; then
    h5_case "$d" "$tmp" "$cc/seed-hostile-$name"
  elif [[ " $RESULT_CASES " == *" $name "* ]]; then
    h5_case "$d" "$tmp" "$cr/seed-hostile-$name"
  fi
done
chmod 644 "$cr"/seed-* "$cc"/seed-*
echo "result: $(find "$cr" -name 'seed-*' | wc -l) seeds, ckpt: $(find "$cc" -name 'seed-*' | wc -l) seeds," \
  "$(cat "$cr"/* "$cc"/* | wc -c) bytes in fuzz/corpus/{result,ckpt}"
