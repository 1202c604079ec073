#!/usr/bin/env bash
# tests/e2e/test_export.sh - `cnopt export FILE.h5 --csv DIR` (docs/export.md):
# results of generated models (a decomposition with an iteration log and duals;
# a MIP with expansion and no-hub sites) exported, and every cell of every CSV
# compared with the HDF5 file read independently with h5py (export_check.py:
# ids for index datasets, units in the headers, empty cells for NaN and -1);
# a pandas read; exit codes 64 (usage), 65 (not a result file: "FILE: ..."),
# 66 (missing), 73 (DIR not empty without --force, DIR a file), --force.
# Environment: CNOPT (default ./cnopt).  Prints "ok"/"not ok" lines and a final
# "N passed, N failed"; exits 0 when nothing failed.
set -u
cd "$(dirname "$0")/../.."
BIN=${CNOPT:-./cnopt}
PY=/usr/bin/python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cnopt-export-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
notok() { echo "not ok - $1"; fail=$((fail + 1)); }
check() {
  local name=$1; shift
  if "$@" >"$tmp/out" 2>&1; then ok "$name"; else notok "$name"; sed 's/^/    /' "$tmp/out" | tail -20; fi
}
expect_rc() {
  local name=$1 want=$2 pat=$3; shift 3
  "$@" >"$tmp/out" 2>&1
  local rc=$?
  if [ "$rc" = "$want" ] && grep -q -- "$pat" "$tmp/out"; then ok "$name"
  else notok "$name (exit $rc, expected $want and '$pat')"; sed 's/^/    /' "$tmp/out" | tail -10; fi
}
finish() { echo "$pass passed, $fail failed"; [ "$fail" = 0 ]; exit $?; }

"$BIN" -q generate -o "$tmp/gen" --regions 5 --sites 8 --periods 6 --seed 7 >/dev/null 2>&1 &&
  "$BIN" -q solve "$tmp/gen/scenario.yaml" -o "$tmp/dw.h5" >"$tmp/solve.log" 2>&1
check "solve a generated model" test -f "$tmp/dw.h5"
"$BIN" -q generate -o "$tmp/mip" --regions 4 --sites 5 --periods 4 --seed 2 --expansions >/dev/null 2>&1 &&
  "$BIN" -q solve "$tmp/mip/scenario.yaml" --method monolithic -o "$tmp/mip.h5" >>"$tmp/solve.log" 2>&1
check "solve a generated MIP" test -f "$tmp/mip.h5"

for f in dw mip; do
  check "$f: export writes the tables" "$BIN" export "$tmp/$f.h5" --csv "$tmp/$f-csv"
  check "$f: every cell equals the HDF5 file read with h5py" "$PY" tests/e2e/export_check.py "$tmp/$f.h5" "$tmp/$f-csv"
done
check "pandas reads solution_site_period.csv with site ids and pg_mw" "$PY" -c '
import sys, h5py, pandas as pd
d = pd.read_csv(sys.argv[1] + "/solution_site_period.csv")
f = h5py.File(sys.argv[2])
site = f["site"][0].decode()
want = f["solution/pg_mw"][0, :]
got = d[d.site == site].sort_values("period").pg_mw.to_numpy()
sys.exit(0 if list(d.columns[:2]) == ["site", "period"] and (got == want).all() else 1)' "$tmp/dw-csv" "$tmp/dw.h5"
grep -q '^site,period,access \[yuan/(Gbps\*period)\],green \[yuan/(MW\*period)\],power_cap \[yuan/(MW\*period)\]$' \
  "$tmp/dw-csv/duals_site_period.csv" && ok "duals_site_period.csv header carries units" ||
  notok "duals_site_period.csv header: $(head -1 "$tmp/dw-csv/duals_site_period.csv")"

# exit codes
expect_rc "existing DIR with files -> 73" 73 "dw-csv: directory is not empty (use --force" \
  "$BIN" export "$tmp/dw.h5" --csv "$tmp/dw-csv"
echo keep >"$tmp/dw-csv/mine.txt"
check "--force writes into it" "$BIN" -q export "$tmp/dw.h5" --csv "$tmp/dw-csv" --force
check "--force leaves other files" test -f "$tmp/dw-csv/mine.txt"
mkdir "$tmp/empty"
check "an existing empty DIR is used" "$BIN" -q export "$tmp/dw.h5" --csv "$tmp/empty"
expect_rc "DIR is a file -> 73" 73 "exists and is not a directory" "$BIN" export "$tmp/dw.h5" --csv "$tmp/dw.h5"
echo "not hdf5" >"$tmp/bad.h5"
expect_rc "not HDF5 -> 65 'FILE: ...'" 65 "bad.h5 is not an HDF5 file" "$BIN" export "$tmp/bad.h5" --csv "$tmp/x1"
"$PY" -c 'import h5py,sys; h5py.File(sys.argv[1], "w").attrs["x"] = 1' "$tmp/other.h5"
expect_rc "HDF5 but not a result -> 65" 65 "other.h5 is not a cnopt result file" "$BIN" export "$tmp/other.h5" --csv "$tmp/x2"
cp "$tmp/dw.h5" "$tmp/inc.h5"
"$PY" -c 'import h5py,sys; h5py.File(sys.argv[1], "r+").attrs["complete"] = 0' "$tmp/inc.h5"
expect_rc "incomplete result -> 65" 65 "inc.h5: incomplete result file" "$BIN" export "$tmp/inc.h5" --csv "$tmp/x3"
check "no directory left behind for a bad file" test ! -e "$tmp/x1" -a ! -e "$tmp/x3"
expect_rc "missing file -> 66" 66 "nope.h5" "$BIN" export "$tmp/nope.h5" --csv "$tmp/x4"
expect_rc "no --csv -> 64" 64 "usage: cnopt export" "$BIN" export "$tmp/dw.h5"
if grep -q "in cn_h5_read\|h5read.c" "$tmp/out"; then notok "messages name no internal function"; else ok "messages name no internal function"; fi
finish
