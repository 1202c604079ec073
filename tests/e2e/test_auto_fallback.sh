#!/usr/bin/env bash
# --method auto falls back to monolithic GLPK when the decomposition it chose
# ends numerical_failure (docs/solver.md "Choosing the method").
#
# The model: tests/bad/base with a penalty of 1e15 on its first class, where the
# decomposition stalls (its duals are the size of the penalty; numerical_failure,
# exit 70) and the monolithic path's double simplex is refuted by its check and
# solved again in exact arithmetic: the optimum is 15,357,813 yuan
# (tests/e2e/test_numeric.sh, test_asan_e2e.sh).  auto takes the decomposition
# only from 100,000 columns; the test hook CNOPT_TEST_AUTO_DW_MIN_COLS=1 makes
# it take it here.
#   - auto at 2 ranks: warns, solves monolithic, exit 0, status optimal, the
#     same result as --method monolithic; the file's method is glpk-exact and
#     it holds no decomposition layout
#   - --method dw (asked for): no fallback, numerical_failure, exit 70
#   - auto with a decomposition option (--gap): no fallback either, exit 70
set -u
cd "$(dirname "$0")/../.."
BIN=${CNOPT:-./cnopt}
PY=/usr/bin/python3
CHECK=tests/e2e/solve_check.py
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
export OMPI_MCA_mpi_yield_when_idle=1
MPI=(mpirun --oversubscribe)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 pass=0 fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then pass=$((pass+1)); echo "ok $n - $2"; else fail=$((fail+1)); echo "not ok $n - $2"; tail -8 "$3" | sed 's/^/    /'; fi; }

cp -r tests/bad/base "$tmp/m"
sed -i '2s/,5000$/,1e15/' "$tmp/m/classes.csv"
grep -q ',1e15$' "$tmp/m/classes.csv"
ok $? "a penalty of 1e15 on the first class" "$tmp/m/classes.csv"
S=$tmp/m/scenario.yaml

timeout 120 $BIN solve --method monolithic "$S" -o "$tmp/mono.h5" >"$tmp/mono.log" 2>&1
rc=$?
[ $rc = 0 ] && grep -q "objective 15357813 yuan" "$tmp/mono.log"
ok $? "monolithic: exit $rc, the exact optimum 15357813" "$tmp/mono.log"

CNOPT_TEST_AUTO_DW_MIN_COLS=1 timeout 180 "${MPI[@]}" -np 2 $BIN solve "$S" -o "$tmp/auto.h5" \
  >"$tmp/auto.log" 2>&1
rc=$?
[ $rc = 0 ] && grep -q "method auto: decomposition" "$tmp/auto.log" &&
  grep -q "the decomposition ended numerical_failure; solving the whole LP by monolithic" "$tmp/auto.log" &&
  grep -q "^status optimal, objective 15357813 yuan" "$tmp/auto.log"
ok $? "auto took the decomposition at 2 ranks, it ended numerical_failure, the fallback solved it: exit $rc (0)" "$tmp/auto.log"
$PY $CHECK "$tmp/auto.h5" "$tmp/mono.h5" same >"$tmp/same.log" 2>&1
ok $? "the fallback's file equals --method monolithic's" "$tmp/same.log"
$PY - "$tmp/auto.h5" >"$tmp/attrs.log" 2>&1 <<'PYEOF'
# the file is the monolithic solve's: status optimal, method glpk-exact (the
# refuted simplex solved again exactly), no decomposition layout
import sys, h5py
f = h5py.File(sys.argv[1], "r")
dec = lambda v: v.decode() if isinstance(v, bytes) else str(v)
st, meth = dec(f.attrs["status"]), dec(f["solver"].attrs["method"])
dw = [k for k in f["solver"].attrs if k.startswith("dw_")]
print("status", st, "method", meth, "dw attributes", dw)
sys.exit(0 if st == "optimal" and meth == "glpk-exact" and not dw else 1)
PYEOF
ok $? "the file says optimal, method glpk-exact, no decomposition layout" "$tmp/attrs.log"

CNOPT_TEST_AUTO_DW_MIN_COLS=1 timeout 120 $BIN solve --method dw "$S" -o "$tmp/dw.h5" >"$tmp/dw.log" 2>&1
rc=$?
[ $rc = 70 ] && grep -q "numerical_failure" "$tmp/dw.log" && ! grep -q "solving the whole LP" "$tmp/dw.log"
ok $? "--method dw asked for: no fallback, numerical_failure, exit $rc (70)" "$tmp/dw.log"

CNOPT_TEST_AUTO_DW_MIN_COLS=1 timeout 120 $BIN solve --gap 1e-6 "$S" -o "$tmp/opt.h5" >"$tmp/opt.log" 2>&1
rc=$?
[ $rc = 70 ] && grep -q "numerical_failure" "$tmp/opt.log" && ! grep -q "solving the whole LP" "$tmp/opt.log"
ok $? "auto with a decomposition option (--gap): no fallback, exit $rc (70)" "$tmp/opt.log"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
