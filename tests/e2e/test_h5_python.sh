#!/usr/bin/env bash
# tests/e2e/test_h5_python.sh - result files as downstream tools see them
# (docs/hdf5-schema.md), and the parallel writer against the serial one.
#
# The files come from the unit test program (tests/unit/test_h5out.c): with
# CN_KEEP_H5=PATH its test_keep writes the 5-site test model to PATH, sites
# owned in runs of two per rank ((s/2) % size, so at 2 and 3 ranks each rank
# owns non-contiguous rows and rows it does not own hold NaN in its memory).
# The MPI runs use that same cmocka program under mpirun: every test makes its
# collective calls first and asserts after them, and the ranks agree on the
# verdict (MPI_Allreduce of the failure count), so no CMOCKA_TEST_ABORT is needed.
#
# Checks: h5dump -H; with /usr/bin/python3 + h5py: schema_version, complete,
# units on every numeric dataset, long_name on every dataset, variable-length UTF-8
# string datasets only; xarray (engine h5netcdf) opens every group with named dimensions
# and no phony_dim; 1-rank, 2-rank and 3-rank files hold the same data
# (placement compared as a set: it is concatenated in rank order); h5diff on
# /duals and /model; `cnopt info` on a good file, a missing one, a non-HDF5
# one, an incomplete one and one of schema 3.0; HDF5_USE_FILE_LOCKING=FALSE.
#
# Environment: CN_BUILD (default build/release) holds tests/test_h5out;
# CN_BIN (default ./cnopt) is the program.  Prints "ok"/"not ok" lines and a
# final "N passed, N failed"; exits 0 when nothing failed.
set -u
cd "$(dirname "$0")/../.."
BUILD=${CN_BUILD:-build/release}
BIN=${CN_BIN:-./cnopt}
TEST=$BUILD/tests/test_h5out
PY=/usr/bin/python3
if [ "$(id -u)" = 0 ]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
export CMOCKA_MESSAGE_OUTPUT=stdout
pass=0 fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cnopt-h5e2e-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok - $1"; pass=$((pass + 1)); }
notok() { echo "not ok - $1"; fail=$((fail + 1)); }
# check NAME CMD...: ok when CMD exits 0; its output is shown when it fails
check() {
  local name=$1; shift
  if "$@" >"$tmp/out" 2>&1; then ok "$name"; else notok "$name"; sed 's/^/    /' "$tmp/out" | tail -30; fi
}
# expect_rc NAME CODE PATTERN CMD...: exit code CODE and PATTERN in the output
expect_rc() {
  local name=$1 want=$2 pat=$3; shift 3
  "$@" >"$tmp/out" 2>&1
  local rc=$?
  if [ "$rc" = "$want" ] && grep -q -- "$pat" "$tmp/out"; then ok "$name"
  else notok "$name (exit $rc, expected $want and '$pat')"; sed 's/^/    /' "$tmp/out" | tail -20; fi
}
finish() { echo "$pass passed, $fail failed"; [ "$fail" = 0 ]; exit $?; }

if [ ! -x "$TEST" ]; then
  make --no-print-directory BUILD="$BUILD" "$TEST" >"$tmp/make.out" 2>&1 || true
fi
if [ ! -x "$TEST" ]; then
  notok "test program $TEST exists (build it: make BUILD=$BUILD $TEST)"
  finish
fi

# 1. the files: 1, 2 and 3 ranks
check "1-rank write (test_h5out with CN_KEEP_H5)" env CN_KEEP_H5="$tmp/one.h5" "$TEST"
check "2-rank parallel write under mpirun" \
  env CN_KEEP_H5="$tmp/two.h5" mpirun -np 2 --oversubscribe "$TEST"
check "3-rank parallel write under mpirun" \
  env CN_KEEP_H5="$tmp/three.h5" mpirun -np 3 --oversubscribe "$TEST"
check "writes with HDF5_USE_FILE_LOCKING=FALSE" \
  env HDF5_USE_FILE_LOCKING=FALSE CN_KEEP_H5="$tmp/nolock.h5" "$TEST"
if [ ! -f "$tmp/one.h5" ]; then notok "one.h5 written"; finish; fi
if ls -A "$tmp" | grep -q '^\.'; then notok "no temporary file left beside the results"
else ok "no temporary file left beside the results"; fi

# 2. HDF5 tools
check "h5dump -H reads the file" h5dump -H "$tmp/one.h5"

# 3. h5py: attributes and types
cat >"$tmp/attrs.py" <<'EOF'
import sys
import h5py
import numpy as np

f = h5py.File(sys.argv[1], "r")
bad = []
if f.attrs.get("schema_version") != "2.0":
    bad.append("schema_version is %r, expected str '2.0'" % f.attrs.get("schema_version"))
if f.attrs.get("Conventions") != "CF-1.8":
    bad.append("Conventions is %r, expected 'CF-1.8'" % f.attrs.get("Conventions"))
if int(f.attrs.get("complete", 0)) != 1:
    bad.append("complete is not 1")
for k in ("status", "objective", "bound", "gap"):
    if k not in f.attrs:
        bad.append("root attribute %s missing" % k)
n = 0
def visit(name, obj):
    global n
    if not isinstance(obj, h5py.Dataset):
        return
    n += 1
    a = obj.attrs
    if "long_name" not in a:
        bad.append("/%s has no long_name" % name)
    if obj.dtype.kind in "SOU":
        sd = h5py.check_string_dtype(obj.dtype)
        if sd is None or sd.length is not None or sd.encoding != "utf-8":
            bad.append("/%s is not a variable-length UTF-8 string dataset" % name)
        return
    # every numeric dataset with >= 1 dims has units (indices, counts: "1"),
    # and so do the scalars
    u = a.get("units")
    if not isinstance(u, str) or not u:
        bad.append("/%s (%s, shape %s) has no units attribute" % (name, obj.dtype, obj.shape))
    if obj.ndim >= 1 and a.get("CLASS") != b"DIMENSION_SCALE" and "DIMENSION_LIST" not in a:
        bad.append("/%s has no dimension scales attached" % name)
f.visititems(visit)
for want in ("solution/pg_mw", "solution/site_load_pflops", "solution/x_pflops",
             "solution/unserved_pflops", "duals/capacity", "duals/link_bandwidth",
             "duals/hub_green", "model/site_capacity_pflops", "model/region_zone",
             "objective/total_yuan", "solver/master_obj", "provenance/input_sha256"):
    if want not in f:
        bad.append("/%s missing" % want)
checks = {"solution/pg_mw": "MW", "solution/x_pflops": "PFLOPS", "solution/link_load_gbps": "Gbps",
          "duals/capacity": "yuan/(PFLOPS*period)", "objective/emissions_tco2": "tCO2",
          "objective/energy_mwh": "MWh", "model/site_access_rtt_ms": "ms",
          "model/region_lat": "degrees_north", "objective/total_yuan": "yuan"}
for k, u in checks.items():
    if f[k].attrs.get("units") != u:
        bad.append("/%s units %r, expected %r" % (k, f[k].attrs.get("units"), u))
p = f["provenance"].attrs
for k in ("cnopt_version", "git_commit", "command_line", "hdf5_version", "mpi_version",
          "ranks", "created_utc"):
    if k not in p:
        bad.append("provenance attribute %s missing" % k)
sc = f["provenance/scenario"].attrs
for k in ("name", "periods", "period_hours", "period_weight", "carbon_price", "carbon_cap",
          "scale_demand", "scale_bandwidth", "scale_green", "scale_grid_price", "expansion"):
    if k not in sc:
        bad.append("scenario attribute %s missing" % k)
for b in bad:
    print(b)
print("%d datasets checked" % n)
sys.exit(1 if bad or n < 50 else 0)
EOF
check "h5py: schema_version, complete, units/long_name on every dataset, variable-length UTF-8 strings" \
  "$PY" "$tmp/attrs.py" "$tmp/one.h5"

# 4. xarray through h5netcdf: named dimensions, no phony_dim, units
cat >"$tmp/xr.py" <<'EOF'
import sys
import xarray as xr

path = sys.argv[1]
bad = []
expect = {
    None: {"region", "hub", "site", "type", "class", "period", "window", "link",
           "expansion", "placement", "demand_row", "input_file", "iteration"},
    "model": {"region", "hub", "site", "type", "class", "period", "link", "expansion"},
    "solution": {"region", "site", "type", "class", "period", "window", "link",
                 "expansion", "placement", "demand_row"},
    "duals": {"region", "hub", "site", "type", "class", "period", "window", "link", "demand_row"},
    "objective": set(),
    "solver": {"iteration"},
    "provenance": {"input_file"},
}
for group, dims in expect.items():
    try:
        ds = xr.open_dataset(path, engine="h5netcdf", group=group)
    except Exception as e:  # noqa: BLE001 - report any failure
        bad.append("group %s: open_dataset failed: %s" % (group, e))
        continue
    names = set(ds.sizes)
    if any(d.startswith("phony_dim") for d in names):
        bad.append("group %s has phony dims: %s" % (group, sorted(names)))
    if names != dims:
        bad.append("group %s dims %s, expected %s" % (group, sorted(names), sorted(dims)))
    for v in ds.data_vars.values():
        if v.dtype.kind in "fiu" and "units" not in v.attrs:
            bad.append("group %s: %s has no units" % (group, v.name))
    ds.close()
root = xr.open_dataset(path, engine="h5netcdf")
if list(root.site.values[:2]) != ["s0", "s1"]:
    bad.append("site coordinate decodes to %r, expected str ids" % list(root.site.values))
sol = xr.open_dataset(path, engine="h5netcdf", group="solution")
pg = sol.pg_mw   # the group's own coordinates (schema 2.0)
if pg.dims != ("site", "period") or abs(float(pg.sel(site="s3")[1]) - 31.5) > 1e-12:
    bad.append("pg_mw.sel(site='s3') is %s" % pg.sel(site="s3").values)
if sol.site_load_pflops.attrs.get("units") != "PFLOPS":
    bad.append("site_load_pflops units %r" % sol.site_load_pflops.attrs.get("units"))
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
EOF
check "xarray.open_dataset(engine=h5netcdf): named dimensions in every group, no phony_dim" \
  "$PY" "$tmp/xr.py" "$tmp/one.h5"

# 5. parallel files hold the serial file's data
cat >"$tmp/same.py" <<'EOF'
import sys
import h5py
import numpy as np

a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
bad = []
XS = ["x_region", "x_site", "x_class", "x_period", "x_pflops"]
def rows(f):
    s = f["solution"]
    return sorted(zip(*[s[k][:].tolist() for k in XS]))
if rows(a) != rows(b):
    bad.append("placement entries differ (as sets)")
n = 0
def cmp(name, obj):
    global n
    if not isinstance(obj, h5py.Dataset):
        return
    top = name.split("/")[0]
    if top == "provenance" or name in ("placement",) or name.split("/")[-1] in XS:
        return
    if name not in b:
        bad.append("/%s missing in %s" % (name, sys.argv[2]))
        return
    x, y = obj[()], b[name][()]
    n += 1
    if obj.dtype.kind in "fiu":
        if np.shape(x) != np.shape(y) or not np.array_equal(x, y, equal_nan=True):
            bad.append("/%s differs: %s vs %s" % (name, x, y))
        elif obj.dtype.kind == "f" and np.isnan(x).any() and "model/" not in name:
            bad.append("/%s holds NaN (a row nobody owns was written?)" % name)
    elif not np.array_equal(x, y):
        bad.append("/%s differs" % name)
a.visititems(cmp)
for k in ("status", "objective", "bound", "gap", "complete", "schema_version"):
    if a.attrs[k] != b.attrs[k]:
        bad.append("root attribute %s differs" % k)
if b["provenance"].attrs["ranks"] != int(sys.argv[3]):
    bad.append("provenance ranks %s, expected %s" % (b["provenance"].attrs["ranks"], sys.argv[3]))
for x in bad:
    print(x)
print("%d datasets compared" % n)
sys.exit(1 if bad or n < 50 else 0)
EOF
for f in two three; do
  np=2; [ $f = three ] && np=3
  if [ -f "$tmp/$f.h5" ]; then
    check "$np-rank file equals the 1-rank file (h5py, placement as a set)" \
      "$PY" "$tmp/same.py" "$tmp/one.h5" "$tmp/$f.h5" "$np"
  else
    notok "$np-rank file written"
  fi
done
if [ -f "$tmp/two.h5" ]; then
  check "h5diff /duals 1-rank vs 2-rank" h5diff "$tmp/one.h5" "$tmp/two.h5" /duals /duals
  check "h5diff /model 1-rank vs 2-rank" h5diff "$tmp/one.h5" "$tmp/two.h5" /model /model
fi

# 6. cnopt info
if [ -x "$BIN" ]; then
  expect_rc "cnopt info: summary of a good file" 0 "+1 PFLOPS of cpu compute at s1 saves 500 yuan over the horizon of 3 periods" "$BIN" info "$tmp/one.h5"
  "$BIN" info "$tmp/one.h5" >"$tmp/info.out" 2>&1
  for pat in "status     optimal" "energy .*51.3%" "east-to-west flow" "hub utilisation" \
             "gansu .*west" "rt .*98.6%"; do
    if grep -q -- "$pat" "$tmp/info.out"; then ok "cnopt info prints '$pat'"
    else notok "cnopt info prints '$pat'"; sed 's/^/    /' "$tmp/info.out"; fi
  done
  expect_rc "cnopt info: missing file -> 66" 66 "nope.h5" "$BIN" info "$tmp/nope.h5"
  echo "plain text" >"$tmp/text.h5"
  expect_rc "cnopt info: not HDF5 -> 65" 65 "not an HDF5 file" "$BIN" info "$tmp/text.h5"
  cp "$tmp/one.h5" "$tmp/incomplete.h5"
  "$PY" -c 'import h5py,sys; f=h5py.File(sys.argv[1],"r+"); f.attrs["complete"]=0; f.close()' "$tmp/incomplete.h5"
  expect_rc "cnopt info: complete = 0 -> 65 incomplete result file" 65 "incomplete result file" \
    "$BIN" info "$tmp/incomplete.h5"
  cp "$tmp/one.h5" "$tmp/v2.h5"
  "$PY" -c 'import h5py,sys; f=h5py.File(sys.argv[1],"r+"); f.attrs["schema_version"]="3.0"; f.close()' "$tmp/v2.h5"
  expect_rc "cnopt info: schema_version 3.0 -> 65" 65 "schema_version 3.0" "$BIN" info "$tmp/v2.h5"
  expect_rc "cnopt info: HDF5_USE_FILE_LOCKING=FALSE" 0 "status" \
    env HDF5_USE_FILE_LOCKING=FALSE "$BIN" info "$tmp/one.h5"
else
  notok "program $BIN exists (cnopt info checks)"
fi
finish
