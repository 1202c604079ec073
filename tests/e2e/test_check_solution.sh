#!/usr/bin/env bash
# The independent evaluator (tools/check-solution.py, issue 14 item 1) on the
# written result of every solver path: it rebuilds the model from the CSV tables
# alone and checks feasibility, whole modules, the objective and its parts, and
# bound, gap and status.  A tampered result must fail it.
set -u
cd "$(dirname "$0")/../.."
BIN=${CNOPT:-./cnopt}
PY=/usr/bin/python3
CHK=tools/check-solution.py
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
export OMPI_MCA_mpi_yield_when_idle=1
MPI=(mpirun --oversubscribe)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { if [ "$1" = 0 ]; then pass=$((pass+1)); echo "ok - $2"; else fail=$((fail+1)); echo "not ok - $2"; tail -5 "$tmp/log" | sed 's/^/    /'; fi; }
check() { # name scenario result
  $PY $CHK "$2" "$3" >"$tmp/log" 2>&1; ok $? "$1: the independent check holds"
}
G=$tmp/gen
$BIN generate --regions 8 --sites 12 --periods 24 --seed 4 -o "$G" >/dev/null 2>&1
$BIN -q solve "$G/scenario.yaml" --method monolithic -o "$tmp/mono.h5" && check "monolithic LP" "$G/scenario.yaml" "$tmp/mono.h5"
for np in 1 2 3; do
  "${MPI[@]}" -np $np $BIN -q solve --method dw "$G/scenario.yaml" -o "$tmp/dw$np.h5" &&
    check "decomposition at $np rank(s)" "$G/scenario.yaml" "$tmp/dw$np.h5"
done
GW=$tmp/genw
$BIN generate --regions 8 --sites 10 --periods 48 --seed 3 --weights --coords -o "$GW" >/dev/null 2>&1
$BIN -q solve "$GW/scenario.yaml" -o "$tmp/w.h5" && check "weighted periods" "$GW/scenario.yaml" "$tmp/w.h5"
# a MIP whose modules are binary (max_modules 1) and integer
GX=$tmp/genx
cp -r "$G" "$GX"
printf 'site,type,module_pflops,module_mw,module_cost,max_modules\n' >"$GX/expansions.csv"
s1=$(sed -n 2p "$G/capacity.csv" | cut -d, -f1,2); s2=$(sed -n 3p "$G/capacity.csv" | cut -d, -f1,2)
printf '%s,50,5,200000,1\n%s,20,2,90000,3\n' "$s1" "$s2" >>"$GX/expansions.csv"
sed -i 's/^expansion:.*//' "$GX/scenario.yaml"; echo "expansion: true" >>"$GX/scenario.yaml"
$BIN -q solve "$GX/scenario.yaml" -o "$tmp/mip.h5" && check "MIP with binary and integer modules" "$GX/scenario.yaml" "$tmp/mip.h5"
$BIN -q solve models/china-2024/scenario.yaml -o "$tmp/bundled.h5" &&
  check "the bundled model" models/china-2024/scenario.yaml "$tmp/bundled.h5"
# the checker can fail: one cost part changed, and one placement value changed
cp "$tmp/mono.h5" "$tmp/bad1.h5"
$PY -c 'import h5py,sys
d = h5py.File(sys.argv[1], "r+")["objective"]["energy_yuan"]; d[...] = d[()] * 1.01 + 1' "$tmp/bad1.h5"
$PY $CHK "$G/scenario.yaml" "$tmp/bad1.h5" >"$tmp/log" 2>&1; [ $? = 1 ]; ok $? "a changed cost part fails the check (exit 1)"
cp "$tmp/mono.h5" "$tmp/bad2.h5"
$PY -c 'import h5py,sys,numpy as np
f = h5py.File(sys.argv[1], "r+"); x = f["solution"]["x_pflops"]; v = x[()]; i = int(np.argmax(v)); v[i] *= 1.5; x[...] = v' "$tmp/bad2.h5"
$PY $CHK "$G/scenario.yaml" "$tmp/bad2.h5" >"$tmp/log" 2>&1; [ $? = 1 ]; ok $? "a changed placement fails the check (exit 1)"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
