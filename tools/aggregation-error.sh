#!/usr/bin/env bash
# The aggregation error of representative days (docs/time.md "Aggregation
# error"): solve a whole-day model at full resolution, aggregate it to a few
# days with each method of `cnopt aggregate`, solve those, and print one
# markdown table of objective, emissions, green share and east-to-west flow
# with the error of each against the full solve.
#
# usage: tools/aggregation-error.sh [SCENARIO.yaml [DAYS...]]
#   SCENARIO.yaml  default: the two generated 14-day models of docs/time.md,
#                  `cnopt generate --regions 6 --sites 8 --periods 336` with
#                  --seed 3 (uniform weights) and --seed 5 --weights (each
#                  full solve ~10 s on one core)
#   DAYS           default: 1 2 4 7
# Environment: CNOPT (binary, default ./cnopt), KEEP=dir (keep the files there).
# Solves use --method monolithic on one rank under `nice -n 10`.
set -eu
cd "$(dirname "$0")/.."
BIN=${CNOPT:-./cnopt}
PY=/usr/bin/python3
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
if [ -n "${KEEP:-}" ]; then tmp=$KEEP; mkdir -p "$tmp"; else tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT; fi

solve() { nice -n 10 "$BIN" -q solve --method monolithic "$1" -o "$2" --force; }

table() { # scenario, tag, days...
  local sc=$1 tag=$2; shift 2
  echo "# $tag: full resolution" >&2
  solve "$sc" "$tmp/$tag-full.h5"
  local rows=() n m
  for n in "$@"; do
    for m in kmedoids hierarchical; do
      echo "# $tag: $n days, $m" >&2
      "$BIN" -q aggregate "$sc" --days "$n" --method "$m" -o "$tmp/$tag-$m-$n" --force \
        >"$tmp/$tag-$m-$n.txt"
      solve "$tmp/$tag-$m-$n/scenario.yaml" "$tmp/$tag-$m-$n.h5"
      rows+=("$n:$m=$tmp/$tag-$m-$n.h5")
    done
  done
  echo
  echo "model: $(grep -m1 '^name:' "$sc" | cut -d' ' -f2-)"
  echo
  $PY tools/aggregation_metrics.py --table "$tmp/$tag-full.h5" "${rows[@]}"
}

if [ $# -gt 0 ]; then
  sc=$1; shift
  [ $# -gt 0 ] || set -- 1 2 4 7
  table "$sc" model "$@"
else
  "$BIN" -q generate --regions 6 --sites 8 --periods 336 --seed 3 -o "$tmp/seed3" --force
  "$BIN" -q generate --regions 6 --sites 8 --periods 336 --seed 5 --weights -o "$tmp/seed5w" --force
  table "$tmp/seed3/scenario.yaml" seed3 1 2 4 7
  table "$tmp/seed5w/scenario.yaml" seed5w 1 2 4 7
fi
