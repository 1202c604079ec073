#!/usr/bin/env bash
# Elastic columns of the decomposition's master (docs/solver.md "Elastic
# rows"): a hub green share whose dual is far above every column's cost.
#
# The model (tests/e2e/models/elastic): one site in hub h (share 0.5), one cpu
# class of window 1 (so two time blocks of one period), demand 10 PFLOPS in
# each of 2 periods, 1 MW per PFLOPS at PUE 1, green 4 MW at 100 yuan/MWh, grid
# 200 yuan/MWh, penalty 1e6 yuan per PFLOPS-hour, weight 365.  Worked by hand:
#   the share row is 0.5 green - 0.5 grid >= 0 over both periods, so grid <=
#   green <= 8 MWh: at most 16 of the 20 PFLOPS-hours are served, 4 unserved:
#   objective = 365 * (8 * 100 + 8 * 200 + 4 * 1e6) = 1,460,876,000 yuan;
#   one more unit of the row lets 2 MWh of grid serve 2 more PFLOPS-hours:
#   its dual = 2 * 365 * (1e6 - 200) = 729,854,000.
# The first elastic cost is 10 x the dearest |c/a| = 10 * 365 * 200 / 0.5 =
# 1.46e6, so the decomposition must raise it three times (to 1.46e9) before
# the penalised master is exact.  Checked:
#   - monolithic and dw at 1 and 2 ranks reach the hand-worked objective and
#     dual; dw logs the three raises;
#   - stopped by --max-iter while the master still uses an elastic column,
#     the run reports no_solution (its point violates the share), never
#     feasible or optimal.
set -u
cd "$(dirname "$0")/../.."
BIN=${CNOPT:-./cnopt}
PY=/usr/bin/python3
S=tests/e2e/models/elastic/scenario.yaml
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
export OMPI_MCA_mpi_yield_when_idle=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 pass=0 fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then pass=$((pass+1)); echo "ok $n - $2"; else fail=$((fail+1)); echo "not ok $n - $2"; tail -5 "$tmp/log" | sed 's/^/    /'; fi; }
check() { # FILE STATUS OBJ DUAL(or -)
  $PY - "$@" >>"$tmp/log" 2>&1 <<'PYEOF'
import sys, h5py
path, status, obj, dual = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
f = h5py.File(path, "r")
st = f.attrs["status"]
st = st.decode() if isinstance(st, bytes) else str(st)
good = st == status
if status == "optimal":
    o = float(f.attrs["objective"])
    good &= abs(o - obj) <= 1e-6 * abs(obj)
    if dual != "-":
        d = f["/duals/hub_green"][:]
        good &= abs(float(d[0]) - float(dual)) <= 1e-6 * float(dual)
print(path, st, f.attrs["objective"], good)
sys.exit(0 if good else 1)
PYEOF
}
$BIN -q solve "$S" --method monolithic -o "$tmp/mono.h5" >>"$tmp/log" 2>&1
check "$tmp/mono.h5" optimal 1460876000 729854000
ok $? "monolithic: objective 1,460,876,000 and share dual 729,854,000 (worked by hand)"
$BIN solve "$S" --method dw -o "$tmp/dw1.h5" >"$tmp/dw1.log" 2>&1
check "$tmp/dw1.h5" optimal 1460876000 729854000
ok $? "dw, 1 rank: the same objective and dual"
[ "$(grep -c 'raising it tenfold' "$tmp/dw1.log")" = 3 ]
ok $? "dw raised the elastic cost three times (1.46e6 -> 1.46e9)"
mpirun --oversubscribe -np 2 $BIN -q solve "$S" --method dw -o "$tmp/dw2.h5" >>"$tmp/log" 2>&1
check "$tmp/dw2.h5" optimal 1460876000 729854000
ok $? "dw, 2 ranks (a time block each): the same objective and dual"
$BIN -q solve "$S" --method dw --max-iter 2 -o "$tmp/it2.h5" >>"$tmp/log" 2>&1
check "$tmp/it2.h5" no_solution 0 -
ok $? "stopped at --max-iter 2 while the master leans on an elastic column: no_solution"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
