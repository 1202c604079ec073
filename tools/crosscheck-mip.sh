#!/usr/bin/env bash
# tools/crosscheck-mip.sh [N]: every MIP path against CBC on N generated models
# (default 40; docs/benchmarks.md "The investment MIP").  Not a test (minutes, and
# it needs CBC: tools/setup-deps.sh --bench).  Model i: 4 + i%9 regions, 6 + i%15
# sites, 8, 16 or 24 periods, seed 100 + i, --expansions, demand scaled by
# 1 + (i%4)/2.  Each is solved by Benders with monolithic subproblems (the default
# at one rank), Benders with the decomposition at 2 ranks (--method dw), GLPK's
# branch and bound (--method monolithic, which also exports the MPS) and CBC; a
# line per model, "ok" when all three objectives are within 2e-6 of CBC's.
# Exit 0 when every model agrees.
set -u
cd "$(dirname "$0")/.."
N=${1:-40}
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
export OMPI_MCA_mpi_yield_when_idle=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# a copy: a rebuild of ./cnopt during the run must not change the binary under test
BIN=$tmp/cnopt
cp "$PWD/cnopt" "$BIN" || exit 2
bad=0
for i in $(seq 1 "$N"); do
  d=$tmp/m$i
  $BIN generate --regions $((4 + i % 9)) --sites $((6 + i % 15)) --periods $(( (i % 3 + 1) * 8 )) \
       --seed $((100 + i)) --expansions -o "$d" >/dev/null 2>&1 || { echo "$i generate failed"; bad=1; continue; }
  sd=$(echo "1 + ($i % 4) * 0.5" | bc)
  { cat "$d/scenario.yaml"; printf 'scale:\n  demand: %s\n' "$sd"; } >"$d/s.yaml"
  $BIN -q solve "$d/s.yaml" --method monolithic -o "$d/bb.h5" --write-mps "$d/m.mps" >/dev/null 2>&1
  $BIN -q solve "$d/s.yaml" -o "$d/bd.h5" >/dev/null 2>&1
  mpirun -np 2 --oversubscribe "$BIN" -q solve --method dw "$d/s.yaml" -o "$d/bdw.h5" >/dev/null 2>&1
  cbc "$d/m.mps" -solve -quit >"$d/cbc.log" 2>&1
  /usr/bin/python3 - "$d" "$i" "$sd" <<'PY' || bad=1
import re, sys
import h5py
d, i, sd = sys.argv[1:4]
def res(p):
    try:
        with h5py.File(p, "r") as f:
            st = f["/"].attrs["status"]
            return (float(f["/"].attrs["objective"]), st.decode() if isinstance(st, bytes) else st,
                    float(f["solution"]["expansion_modules"][:].sum()))
    except (OSError, KeyError):
        return float("nan"), "no file", -1.0
log = open(d + "/cbc.log").read()
m = re.search(r"^Objective value:\s+(\S+)", log, re.M) or re.search(r"^Optimal objective (\S+)", log, re.M)
cbc = float(m.group(1)) if m else float("nan")
paths = {"benders": res(d + "/bd.h5"), "benders-dw-2": res(d + "/bdw.h5"), "bb": res(d + "/bb.h5")}
off = [n for n, v in paths.items() if not abs(v[0] - cbc) <= 2e-6 * max(1.0, abs(cbc))]
print("%s demand x%s: CBC %.10g; %s; modules %g: %s" % (
    i, sd, cbc, ", ".join("%s %.10g %s" % (n, v[0], v[1]) for n, v in paths.items()),
    paths["benders"][2], "MISMATCH " + ",".join(off) if off else "ok"))
sys.exit(1 if off else 0)
PY
done
exit $bad
