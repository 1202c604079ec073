#!/usr/bin/env bash
# tests/e2e/test_report.sh - tools/cnopt-report (docs/report.md) on real results.
#
# A small generated model (10 regions, 12 sites with coordinates, 3 weighted days) is
# solved three times (carbon price 0 and 300, half the bandwidth), and a 90-day one aggregated to 3
# representative days once; the report of the first, the --compare report of the two, a report
# of a copy without /duals and the report of a sweep summary written by
# tests/e2e/report_sweep_fixture.py are checked by tests/e2e/report_check.py, which
# recomputes every expected number from the HDF5 files with h5py (it does not import
# the report's code) and compares it with figures.json, the counts and sums the report
# took from the artists it drew:
#   - every PNG: signature and IEND, > 8 kB, >= 400x250 pixels, >= 16 colours, not blank;
#   - report.html embeds every PNG byte for byte as a data: URI and references nothing else;
#   - map: flow lines = region-site pairs with positive placement; east-to-west lines =
#     such pairs from an east-zone region to a west-zone hub site, and their colour is
#     found in the PNG's pixels; backbone links, site and region markers;
#   - capacity price heat maps: one per type with capacity rows, shape (sites, periods),
#     sum = -sum of /duals/capacity; demand price heat map shape (regions, classes);
#   - power panels sum to /objective's grid and green MWh; hub utilisation averages
#     equal `cnopt info`'s (an independent C implementation); unserved per class;
#     the cost table equals /objective;
#   - --compare: B - A of objective and emissions, the one input difference named;
#   - sweep: curves and points per parameter value, missing/failed tasks named;
#   - map: outline rings of the installed province file, hub-to-hub lines and their
#     weighted volumes, link peak utilisation, binding power caps;
#   - seasons (per day/week/month: east-to-west flow, green share and utilisation by hub),
#     the days x hours heat map of binding rows, cnopt info's seasons table, and the
#     representative days of the aggregated model against the days they stand for;
#   - headless Chromium screenshots of report.html (kept in $CN_TEST_ARTIFACTS/report,
#     default build/test-artifacts/report) are not blank;
#   - exit codes 64 (usage), 65 (not HDF5, incomplete), 66 (missing), 73 (output dir).
# Environment: CNOPT (default ./cnopt), CN_TEST_ARTIFACTS.  About 60 s.
set -u
cd "$(dirname "$0")/../.." || exit 1
BIN=${CNOPT:-./cnopt}
PY=/usr/bin/python3
REPORT=tools/cnopt-report
CHECK=tests/e2e/report_check.py
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cnopt-report-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
notok() { echo "not ok - $1"; fail=$((fail + 1)); }
finish() { echo "$pass passed, $fail failed"; [ "$fail" = 0 ]; exit $?; }
# check NAME CMD...: ok when CMD exits 0 (its output shown otherwise)
check() {
  local name=$1; shift
  if "$@" >"$tmp/out" 2>&1; then ok "$name"; else notok "$name"; sed 's/^/    /' "$tmp/out" | tail -30; fi
}
# pycheck CMD...: run report_check.py, count its ok/not ok lines
pycheck() {
  "$PY" "$CHECK" "$@" >"$tmp/py.out" 2>&1
  local rc=$? p q
  cat "$tmp/py.out"
  p=$(grep -c '^ok - ' "$tmp/py.out"); q=$(grep -c '^not ok - ' "$tmp/py.out")
  pass=$((pass + p)); fail=$((fail + q))
  if [ "$rc" != 0 ] && [ "$q" = 0 ]; then notok "report_check.py $1 ran (exit $rc)"; fi
}
# expect_rc NAME CODE PATTERN CMD...
expect_rc() {
  local name=$1 want=$2 pat=$3; shift 3
  "$@" >"$tmp/out" 2>&1
  local rc=$?
  if [ "$rc" = "$want" ] && grep -q -- "$pat" "$tmp/out"; then ok "$name"
  else notok "$name (exit $rc, expected $want and '$pat')"; sed 's/^/    /' "$tmp/out" | tail -20; fi
}

if [ ! -x "$BIN" ]; then notok "program $BIN exists (build it with make)"; finish; fi
if ! "$PY" -c 'import h5py, numpy, matplotlib' 2>/dev/null; then
  notok "/usr/bin/python3 imports h5py, numpy and matplotlib (tools/setup-deps.sh --report)"; finish
fi
G=$tmp/gen
check "generate a 10-region, 12-site, 3-day model with site coordinates and weights" \
  "$BIN" generate --regions 10 --sites 12 --periods 72 --coords --weights --seed 2 -o "$G"
check "solve it (A: carbon price 0)" "$BIN" solve "$G/scenario.yaml" --method monolithic -q -o "$tmp/a.h5"
check "solve it again (B: --set carbon_price=300)" \
  "$BIN" solve "$G/scenario.yaml" --method monolithic -q --set carbon_price=300 -o "$tmp/b.h5"
if [ ! -f "$tmp/a.h5" ] || [ ! -f "$tmp/b.h5" ]; then finish; fi
"$BIN" info "$tmp/a.h5" >"$tmp/info.txt" 2>&1

# 1. one result
start=$SECONDS
check "cnopt-report A -o DIR" "$REPORT" "$tmp/a.h5" -o "$tmp/rep"
echo "    ($((SECONDS - start)) s)"
pycheck result "$tmp/a.h5" "$tmp/rep" "$tmp/info.txt"
pycheck seasons "$tmp/a.h5" "$tmp/rep" "$tmp/info.txt"

# 1b. an aggregated model: 90 days (a season: the report's calendar is then months)
# -> 3 representative days
check "generate a 90-day model and aggregate it to 3 representative days" \
  sh -c '"$1" generate --regions 10 --sites 12 --periods 2160 --coords --weights --seed 2 -o "$2/g90" &&
         "$1" aggregate "$2/g90/scenario.yaml" --days 3 -o "$2/agg3"' sh "$BIN" "$tmp"
check "solve the aggregated model" "$BIN" solve "$tmp/agg3/scenario.yaml" --method monolithic -q -o "$tmp/agg.h5"
check "cnopt-report on the aggregated result" "$REPORT" "$tmp/agg.h5" -o "$tmp/repagg" -q
pycheck seasons-agg "$tmp/agg.h5" "$tmp/repagg" "$tmp/agg3/scenario.yaml"

# 1c. look at it: headless Chromium screenshots of report.html, kept for a person to
# inspect (the map, the seasons) under $ART
ART=${CN_TEST_ARTIFACTS:-build/test-artifacts}/report
mkdir -p "$ART"
shot() { # HTML PNG
  local prof; prof=$(mktemp -d "$tmp/chrome-XXXXXX")
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$prof" --hide-scrollbars --screenshot="$2" --window-size=1400,"$3" \
    "file://$(readlink -f "$1")" >"$tmp/chrome.out" 2>&1
}
if command -v chromium >/dev/null 2>&1; then
  shot "$tmp/rep/report.html" "$ART/report-top.png" 1000 && shot "$tmp/rep/report.html" "$ART/report-full.png" 9000 &&
    shot "$tmp/repagg/report.html" "$ART/report-aggregated.png" 9000
  cp "$tmp/rep/map.png" "$tmp/rep/seasons.png" "$tmp/rep/binds.png" "$tmp/repagg/rep_days.png" "$ART/" 2>/dev/null
  for p in report-top report-full report-aggregated; do pycheck screenshot "$ART/$p.png"; done
  echo "    screenshots and figures in $ART"
else
  notok "chromium is installed (tools/setup-deps.sh --report) for the report's screenshots"
fi

# 2. --compare
check "cnopt-report A --compare B -o DIR" "$REPORT" "$tmp/a.h5" --compare "$tmp/b.h5" -o "$tmp/cmp" -q
pycheck compare "$tmp/a.h5" "$tmp/b.h5" "$tmp/cmp"

# 2b. N scenarios: A, B and C (--set scale.bandwidth=0.5)
check "solve it a third time (C: --set scale.bandwidth=0.5)" \
  "$BIN" solve "$G/scenario.yaml" --method monolithic -q --set scale.bandwidth=0.5 -o "$tmp/c.h5"
check "cnopt-report A --compare B C -o DIR" "$REPORT" "$tmp/a.h5" --compare "$tmp/b.h5" "$tmp/c.h5" -o "$tmp/n3" -q
pycheck scenarios "$tmp/n3" "$tmp/a.h5" "$tmp/b.h5" "$tmp/c.h5"

# 3. a result without shadow prices (as a MIP without the re-solve would be)
cp "$tmp/a.h5" "$tmp/nod.h5"
"$PY" -c 'import h5py,sys; f=h5py.File(sys.argv[1],"r+"); del f["duals"]; f.attrs["has_duals"]=0; f.close()' "$tmp/nod.h5"
check "cnopt-report on a file without /duals" "$REPORT" "$tmp/nod.h5" -o "$tmp/nod" -q
pycheck noduals "$tmp/nod"

# 4. a sweep summary
check "write a sweep summary (report_sweep_fixture.py)" "$PY" tests/e2e/report_sweep_fixture.py "$tmp/sweep.h5"
check "cnopt-report SUMMARY -o DIR" "$REPORT" "$tmp/sweep.h5" -o "$tmp/sw" -q
pycheck sweep "$tmp/sweep.h5" "$tmp/sw"

# 4b. a real summary of `cnopt sweep --collect` (jobs/test-tiny.yaml), once sweeps exist
W=$tmp/real
mkdir -p "$W"
if [ -f jobs/test-tiny.yaml ] && "$BIN" generate --regions 6 --sites 6 --periods 4 --seed 5 -o "$W/gen" >/dev/null 2>&1 &&
   cp jobs/test-tiny.yaml "$W/" && "$BIN" sweep "$W/test-tiny.yaml" --list >"$W/list.txt" 2>&1; then
  check "cnopt sweep test-tiny.yaml: every task" "$BIN" sweep "$W/test-tiny.yaml" --task 0-3 -q
  "$BIN" sweep "$W/test-tiny.yaml" --collect -q >"$W/collect.txt" 2>&1
  sum=$(find "$W/results" -name "*-summary.h5" 2>/dev/null | head -1)
  if [ -n "$sum" ]; then
    check "cnopt-report on the summary of cnopt sweep --collect" "$REPORT" "$sum" -o "$W/rep" -q
    pycheck sweep "$sum" "$W/rep"
  else
    notok "cnopt sweep --collect wrote a summary under $W/results"; sed 's/^/    /' "$W/collect.txt"
  fi
else
  echo "ok - # SKIP a real sweep summary: cnopt sweep --list does not work yet ($(head -1 "$W/list.txt" 2>/dev/null))"
fi

# 5. failures and exit codes
expect_rc "no arguments -> 64" 64 "usage" "$REPORT"
expect_rc "no -o -> 64" 64 "required" "$REPORT" "$tmp/a.h5"
expect_rc "missing input -> 66" 66 "nope.h5: no such file" "$REPORT" "$tmp/nope.h5" -o "$tmp/x"
echo "plain text" >"$tmp/text.h5"
expect_rc "not HDF5 -> 65" 65 "not an HDF5 file" "$REPORT" "$tmp/text.h5" -o "$tmp/x"
cp "$tmp/a.h5" "$tmp/inc.h5"
"$PY" -c 'import h5py,sys; f=h5py.File(sys.argv[1],"r+"); f.attrs["complete"]=0; f.close()' "$tmp/inc.h5"
expect_rc "incomplete result -> 65" 65 "incomplete result file" "$REPORT" "$tmp/inc.h5" -o "$tmp/x"
expect_rc "--compare with a sweep summary -> 64" 64 "sweep summary" \
  "$REPORT" "$tmp/sweep.h5" --compare "$tmp/a.h5" -o "$tmp/x"
expect_rc "--compare OTHER missing -> 66" 66 "no such file" \
  "$REPORT" "$tmp/a.h5" --compare "$tmp/nope.h5" -o "$tmp/x"
expect_rc "output directory under a file -> 73" 73 "cannot create" \
  "$REPORT" "$tmp/a.h5" -o "$tmp/text.h5/sub"
finish
