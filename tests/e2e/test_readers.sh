#!/usr/bin/env bash
# tests/e2e/test_readers.sh - result files as every netCDF-4 reader sees them
# (docs/hdf5-schema.md): the bundled model's result and small generated ones
# (a decomposition with an iteration log and duals; a MIP with expansion) are
# read whole by
#   - ncdump (netCDF-C's own tool: the whole file, data included, not -h),
#   - netCDF4-python and xarray with the netcdf4 and h5netcdf engines: every
#     variable of every group, compared with h5py's reading (readers_check.py),
#     and every dimension of every group has a coordinate with the labels,
#   - R's ncdf4 (Rscript): every variable by name; pg_mw's sum against h5py's,
#   - Octave's netcdf package: ncread of a variable by name against h5py,
# and the docs' xarray/pandas examples (the ```python blocks of
# docs/hdf5-schema.md and docs/export.md) are run on the bundled result.
#
# Needs the --report packages of tools/setup-deps.sh (netcdf-bin,
# python3-netcdf4, python3-xarray, python3-h5netcdf, r-cran-ncdf4, octave,
# octave-netcdf); a missing reader is a failure, not a skip.
# Environment: CNOPT (default ./cnopt).  Prints "ok"/"not ok" lines and a
# final "N passed, N failed"; exits 0 when nothing failed.
set -u
cd "$(dirname "$0")/../.."
BIN=${CNOPT:-./cnopt}
PY=/usr/bin/python3
CHECK=tests/e2e/readers_check.py
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cnopt-readers-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
notok() { echo "not ok - $1"; fail=$((fail + 1)); }
check() {
  local name=$1; shift
  if "$@" >"$tmp/out" 2>&1; then ok "$name"; else notok "$name"; sed 's/^/    /' "$tmp/out" | tail -20; fi
}
finish() { echo "$pass passed, $fail failed"; [ "$fail" = 0 ]; exit $?; }

# the files
"$BIN" -q generate -o "$tmp/gen" --regions 5 --sites 8 --periods 6 --seed 7 >/dev/null 2>&1 &&
  "$BIN" -q solve "$tmp/gen/scenario.yaml" -o "$tmp/dw.h5" >"$tmp/solve.log" 2>&1
[ -f "$tmp/dw.h5" ] && ok "solve a generated model (decomposition)" || notok "solve a generated model"
"$BIN" -q generate -o "$tmp/mip" --regions 4 --sites 5 --periods 4 --seed 2 --expansions >/dev/null 2>&1 &&
  "$BIN" -q solve "$tmp/mip/scenario.yaml" --method monolithic -o "$tmp/mip.h5" >>"$tmp/solve.log" 2>&1
[ -f "$tmp/mip.h5" ] && ok "solve a generated MIP (expansion)" || notok "solve a generated MIP"
"$BIN" -q solve models/china-2024/scenario.yaml -o "$tmp/bundled.h5" >>"$tmp/solve.log" 2>&1
[ -f "$tmp/bundled.h5" ] && ok "solve the bundled model" || notok "solve the bundled model"
[ "$fail" = 0 ] || { sed 's/^/    /' "$tmp/solve.log" | tail -20; finish; }

for f in dw mip bundled; do
  F=$tmp/$f.h5
  # ncdump: the whole file, data included
  if ncdump "$F" >"$tmp/$f.cdl" 2>"$tmp/$f.err" && grep -q "^group: solution" "$tmp/$f.cdl" &&
     grep -q "pg_mw =" "$tmp/$f.cdl" && grep -q ':Conventions = "CF-1.8"' "$tmp/$f.cdl"; then
    ok "$f: ncdump of the whole file ($(wc -l <"$tmp/$f.cdl") lines)"
  else
    notok "$f: ncdump of the whole file"; tail -5 "$tmp/$f.err" | sed 's/^/    /'
  fi
  for how in netcdf4 xarray-netcdf4 xarray-h5netcdf; do
    check "$f: $how reads every variable of every group as h5py does" "$PY" "$CHECK" "$F" "$how"
  done
  want=$("$PY" -c 'import h5py,sys; print("%.10e" % h5py.File(sys.argv[1])["solution/pg_mw"][()].sum())' "$F")
  # R's ncdf4: every variable by name
  cat >"$tmp/read.R" <<'REOF'
library(ncdf4)
args <- commandArgs(trailingOnly = TRUE)
nc <- nc_open(args[1])
n <- 0
for (v in names(nc$var)) { x <- ncvar_get(nc, v); n <- n + 1 }
site <- ncvar_get(nc, "solution/site")
pg <- ncvar_get(nc, "solution/pg_mw")
stopifnot(length(site) == dim(pg)[2] || length(site) == 1)
cat(sprintf("%d %.10e %s\n", n, sum(pg), site[1]))
nc_close(nc)
REOF
  got=$(Rscript "$tmp/read.R" "$F" 2>"$tmp/r.err")
  set -- $got
  site0=$("$PY" -c 'import h5py,sys; print(h5py.File(sys.argv[1])["site"][0].decode())' "$F")
  if [ "${1:-0}" -ge 40 ] && [ "${2:-}" = "$want" ] && [ "${3:-}" = "$site0" ]; then
    ok "$f: R ncdf4 reads all $1 variables; sum(pg_mw) $2 and site[1] $3 as h5py"
  else
    notok "$f: R ncdf4 (got '$got', want sum $want, site $site0)"; tail -5 "$tmp/r.err" | sed 's/^/    /'
  fi
  # Octave's netcdf package: a variable by name
  got=$(octave --no-gui --no-window-system -q --eval \
    "pkg load netcdf; x = ncread('$F', '/solution/pg_mw'); printf('%.10e\n', sum(x(:)))" 2>"$tmp/o.err")
  if [ "$got" = "$want" ]; then ok "$f: Octave ncread('/solution/pg_mw') sums to $got as h5py"
  else notok "$f: Octave ncread (got '$got', want $want)"; tail -5 "$tmp/o.err" | sed 's/^/    /'; fi
done

# the docs' examples, on the bundled result (paths as the docs write them)
mkdir -p "$tmp/docs/results"
cp "$tmp/bundled.h5" "$tmp/docs/results/china-2024.h5"
"$BIN" -q export "$tmp/docs/results/china-2024.h5" --csv "$tmp/docs/results/china-2024-csv" ||
  notok "cnopt export for the docs' pandas examples"
nblocks=0
for doc in docs/hdf5-schema.md docs/export.md; do
  "$PY" - "$doc" "$tmp/docs" <<'PYEOF'
import os, re, sys
doc, out = sys.argv[1], sys.argv[2]
blocks = re.findall(r"```python\n(.*?)```", open(doc).read(), re.S)
for i, b in enumerate(blocks):
    open(os.path.join(out, "%s-%d.py" % (os.path.basename(doc), i)), "w").write(b)
PYEOF
done
for ex in "$tmp"/docs/*.md-*.py; do
  [ -f "$ex" ] || continue
  nblocks=$((nblocks + 1))
  check "docs example $(basename "$ex" .py) runs" env -C "$tmp/docs" "$PY" "$ex"
done
[ "$nblocks" -ge 3 ] && ok "the docs hold $nblocks python examples" || notok "docs python examples found: $nblocks (expected >= 3)"
finish
