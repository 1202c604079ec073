#!/usr/bin/env bash
# Regenerate the seed inputs (seed-*) of fuzz/corpus/ from the test inputs:
# tests/bad/base (valid), the CSV and YAML files of tests/bad/*/ and
# tests/hostile/*/, and models/china-2024 (its big tables cut to 40 lines).
# Other files of the corpus (crash-*, inputs merged from fuzzing) are kept.
# Identical inputs are stored once.  Run from anywhere; commit the result.
#
# fuzz/corpus/tables/: byte 0 selects the table (fuzz/fuzz_tables.c), then the
# CSV bytes; fuzz/corpus/scenario/: the YAML file as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
tables=(types regions hubs sites capacity links classes demand profiles expansions)
ct=fuzz/corpus/tables cs=fuzz/corpus/scenario
mkdir -p "$ct" "$cs"
rm -f "$ct"/seed-* "$cs"/seed-*
declare -A seen=()

put() { # dir name selector-byte (or "") file [head-lines]
  local dir=$1 name=$2 sel=$3 f=$4 lines=${5:-} tmp sum
  tmp=$(mktemp)
  {
    if [ -n "$sel" ]; then printf '%b' "\\$(printf '%03o' "$sel")"; fi
    if [ -n "$lines" ]; then head -n "$lines" "$f"; else cat "$f"; fi
  } >"$tmp"
  sum=$(sha1sum "$tmp" | cut -c1-40)
  if [ -n "${seen[$dir/$sum]:-}" ]; then rm -f "$tmp"; return; fi
  seen[$dir/$sum]=1
  mv "$tmp" "$dir/seed-$name"
  chmod 644 "$dir/seed-$name"
}

index_of() { # table file name -> selector, or nothing
  local i
  for i in "${!tables[@]}"; do
    if [ "${tables[$i]}.csv" = "$1" ]; then echo "$i"; return; fi
  done
}

for t in "${!tables[@]}"; do
  put "$ct" "base-${tables[$t]}" "$t" "tests/bad/base/${tables[$t]}.csv"
done
# the base demand with 1 period, profiles with 9 (byte0 / 10 % 4 picks 4, 1, 2, 9)
put "$ct" base-demand-periods1 17 tests/bad/base/demand.csv
put "$ct" base-profiles-periods9 38 tests/bad/base/profiles.csv
for d in tests/bad/*/ tests/hostile/*/; do
  case=$(basename "$d") src=$(basename "$(dirname "$d")")
  [ "$case" = base ] && continue
  for f in "$d"*.csv; do
    [ -f "$f" ] || continue
    i=$(index_of "$(basename "$f")")
    [ -n "$i" ] || continue
    put "$ct" "$src-$case-$(basename "$f" .csv)" "$i" "$f"
  done
  if [ -f "$d/scenario.yaml" ]; then put "$cs" "$src-$case" "" "$d/scenario.yaml"; fi
done
# line ends across the reader's 64 KiB block boundary (byte0 >= 240: padding)
put "$ct" hostile-crlf-multiline-padded 243 tests/hostile/csv-crlf-quoted-multiline/sites.csv
put "$ct" hostile-mixed-line-ends-padded 240 tests/hostile/csv-mixed-line-ends/types.csv
for t in "${!tables[@]}"; do
  f=models/china-2024/${tables[$t]}.csv
  [ -f "$f" ] && put "$ct" "china-${tables[$t]}" "$t" "$f" 40
done
put "$cs" base "" tests/bad/base/scenario.yaml
for f in models/china-2024/scenario*.yaml; do
  put "$cs" "china-$(basename "$f" .yaml)" "" "$f"
done
echo "tables: $(find "$ct" -name 'seed-*' | wc -l) seeds, scenario: $(find "$cs" -name 'seed-*' | wc -l) seeds," \
  "$(find fuzz/corpus -type f -printf '%s\n' | awk '{s += $1} END {print s}') bytes in fuzz/corpus"
