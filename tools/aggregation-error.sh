#!/usr/bin/env bash
# The aggregation error of representative days (docs/time.md "Aggregation
# error"): solve a whole-day model at full resolution, aggregate it to a few
# days with each method of `cnopt aggregate`, solve those, and print one
# markdown table of objective, emissions, green share and east-to-west flow
# with the error of each against the full solve.
#
# usage: tools/aggregation-error.sh [SCENARIO.yaml] [DAYS...]
#   SCENARIO.yaml  default: a generated model, `cnopt generate --regions 6
#                  --sites 8 --periods 336 --seed 3` (14 days, solves in ~10 s)
#   DAYS           default: 1 2 4 7
# Environment: CNOPT (binary, default ./cnopt), KEEP=dir (keep the files there).
# Solves use --method monolithic on one rank under `nice -n 10`.
set -eu
cd "$(dirname "$0")/.."
BIN=${CNOPT:-./cnopt}
PY=/usr/bin/python3
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
if [ -n "${KEEP:-}" ]; then tmp=$KEEP; mkdir -p "$tmp"; else tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT; fi

sc=${1:-}
[ $# -gt 0 ] && shift
days=${*:-1 2 4 7}
if [ -z "$sc" ]; then
  "$BIN" -q generate --regions 6 --sites 8 --periods 336 --seed 3 -o "$tmp/model" --force
  sc=$tmp/model/scenario.yaml
fi
solve() { nice -n 10 "$BIN" -q solve --method monolithic "$1" -o "$2" --force; }

echo "# full resolution: $sc" >&2
solve "$sc" "$tmp/full.h5"
rows=()
for n in $days; do
  for m in kmedoids hierarchical; do
    echo "# $n days, $m" >&2
    "$BIN" -q aggregate "$sc" --days "$n" --method "$m" -o "$tmp/agg-$m-$n" --force >"$tmp/agg-$m-$n.txt"
    solve "$tmp/agg-$m-$n/scenario.yaml" "$tmp/agg-$m-$n.h5"
    rows+=("$n:$m=$tmp/agg-$m-$n.h5")
  done
done
echo "model: $(grep -m1 '^name:' "$sc" | cut -d' ' -f2-) ($sc)"
$PY tools/aggregation_metrics.py --table "$tmp/full.h5" "${rows[@]}"
