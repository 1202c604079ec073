#!/usr/bin/env bash
# The investment MIP by Benders decomposition (docs/solver.md "Investment:
# Benders decomposition", issue 14 item 3).  The hand-worked cases are in
# tests/unit/test_solve.c (test_benders_hand_worked); here real ranks and files:
#   - a generated 10-site model with 5 expansion rows and doubled demand, so
#     that modules pay (7.73e9 yuan with 9 modules; GLPK's branch and bound is
#     the reference): Benders with monolithic subproblems (the default at one
#     rank) and with the decomposition at 1-4 ranks reach the same optimum
#     within the MIP gap, with whole modules, and each file passes the
#     independent check (tools/check-solution.py: feasibility from the tables,
#     parts summing to the objective, bound and gap consistent with the status)
#   - a 24-site model on which GLPK solved the unscaled master wrong: the same
#     optimum as branch and bound
#   - the decomposition's --gap 0.05 with --mip-gap 1e-9: a point the master
#     proposes again is solved again to a tenth of the MIP gap; the optimum
#   - --mip-gap 1e-2 stops early: status optimal, gap <= 1e-2, within 1e-2 of
#     the optimum, and the check holds
#   - a time limit that falls inside the first subproblem: no incumbent, status
#     no_solution, honest NaN objective, within the limit
#   - checkpoint and resume: CNOPT_TEST_STOP_AFTER=2 (of 4 subproblems) exits 75 with the cuts in
#     OUT.ckpt and no result; the same command resumes from them and reaches the
#     optimum; the spent checkpoint is removed; the same at 2 ranks (dw)
#   - a sweep range of MIP tasks starts each task from the previous build plan
#     and reaches the same optima as cold solves
#   - a checkpoint of other inputs, a decomposition's checkpoint, and a forged
#     one (a NaN cut) are refused, exit 65, and leave an existing result as it was;
#     at the default path, --force discards a checkpoint of other inputs
#   - a master that GLPK stopped at its relative gap (the year's 4 cuts) counts
#     as solved: the run goes on to the next subproblem
set -u
cd "$(dirname "$0")/../.."
BIN=${CNOPT:-./cnopt}
PY=/usr/bin/python3
CHECK=tests/e2e/solve_check.py
CHK=tools/check-solution.py
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
export OMPI_MCA_mpi_yield_when_idle=1
MPI=(mpirun --oversubscribe)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 pass=0 fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then pass=$((pass+1)); echo "ok $n - $2"; else fail=$((fail+1)); echo "not ok $n - $2"; tail -5 "$tmp/log" | sed 's/^/    /'; fi; }
run() { "$@" >>"$tmp/log" 2>&1; }
attr() { $PY -c 'import h5py,sys; v=h5py.File(sys.argv[1])["/"].attrs[sys.argv[2]]; print(v.decode() if isinstance(v, bytes) else v)' "$1" "$2" 2>>"$tmp/log"; }
method() { $PY -c 'import h5py,sys; v=h5py.File(sys.argv[1])["/solver"].attrs["method"]; print(v.decode() if isinstance(v, bytes) else v)' "$1" 2>>"$tmp/log"; }
# whole modules, and at least one built (the model is made so that they pay)
modules() { $PY - "$1" <<'PYEOF' 2>>"$tmp/log"
import sys, h5py, numpy as np
y = h5py.File(sys.argv[1])["solution"]["expansion_modules"][:]
sys.exit(0 if np.all(np.abs(y - np.round(y)) <= 1e-9) and y.sum() >= 1 else 1)
PYEOF
}

G=$tmp/gen
$BIN generate --regions 8 --sites 10 --periods 6 --seed 3 --expansions -o "$G" >/dev/null
ok $? "generate a 10-site model with expansion rows"
S=$G/scenario2.yaml
{ cat "$G/scenario.yaml"; printf 'scale:\n  demand: 2\n'; } >"$S"
SET=()
run $BIN -q solve "$S" "${SET[@]}" --method monolithic -o "$tmp/bb.h5"
ok $? "GLPK branch and bound (the reference)"

$BIN validate "$S" 2>&1 | grep -q "the default solve is Benders over the 5 expansion rows (docs/solver.md), its subproblems by monolithic GLPK: about [0-9]* MiB on rank 0"
ok $? "validate names the default solve of a MIP: Benders, monolithic subproblems, their memory"

# the default at one rank: Benders, monolithic subproblems (the LP is small)
run $BIN solve "$S" "${SET[@]}" -o "$tmp/b1.h5"
[ "$(method "$tmp/b1.h5")" = benders-glpk ] && grep -q "method auto: Benders" "$tmp/log"
ok $? "the default for a MIP is Benders (method benders-glpk)"
$PY $CHECK "$tmp/b1.h5" "$tmp/bb.h5" same >>"$tmp/log" && modules "$tmp/b1.h5" &&
  $PY $CHK "$S" "$tmp/b1.h5" >>"$tmp/log" 2>&1
ok $? "Benders (monolithic subproblems) = branch and bound, whole modules, independent check"
# from the second subproblem on, every pricing LP starts from its own last
# basis (docs/solver.md "Investment"): the log says "K of K pricing LPs"
for np in 1 2 3 4; do
  "${MPI[@]}" -np $np $BIN -v solve --method dw "$S" "${SET[@]}" -o "$tmp/d$np.h5" >"$tmp/d$np.log" 2>&1
  grep -E "^(status|benders|warm start|cnopt)" "$tmp/d$np.log" >>"$tmp/log"
  [ "$(method "$tmp/d$np.h5")" = benders-dw ] && [ "$(attr "$tmp/d$np.h5" status)" = optimal ] &&
    $PY $CHECK "$tmp/d$np.h5" "$tmp/bb.h5" same >>"$tmp/log" && modules "$tmp/d$np.h5" &&
    $PY $CHK "$S" "$tmp/d$np.h5" >>"$tmp/log" 2>&1 &&
    grep -Eq '; ([1-9][0-9]*) of \1 pricing LPs start from their last basis' "$tmp/d$np.log"
  ok $? "Benders with the decomposition at $np rank(s) = branch and bound, independent check, pricing LPs warm from their bases"
done

# a 24-site model on which GLPK's branch and bound solved the unscaled master
# wrong (a bound of 1.3702e10 above the optimum 1.3169e10, reported optimal at
# 1.3682e10); the master's rows are scaled now (solver/benders.c BD_MASTER_SCALE)
G24=$tmp/g24
$BIN generate --regions 12 --sites 24 --periods 24 --seed 1 --expansions -o "$G24" >/dev/null
{ cat "$G24/scenario.yaml"; printf 'scale:\n  demand: 2\n'; } >"$G24/s2.yaml"
run $BIN -q solve "$G24/s2.yaml" --method monolithic -o "$tmp/bb24.h5"
run $BIN -q solve "$G24/s2.yaml" -o "$tmp/b24.h5"
$PY $CHECK "$tmp/b24.h5" "$tmp/bb24.h5" same >>"$tmp/log" && $PY $CHK "$G24/s2.yaml" "$tmp/b24.h5" >>"$tmp/log" 2>&1
ok $? "a 24-site model whose unscaled master GLPK got wrong: Benders = branch and bound"

# the decomposition's --gap far above --mip-gap: its cuts are loose by up to
# 5 %, so the master proposes points evaluated before; each is solved again
# to a tenth of --mip-gap, warm, and the run still reaches the optimum (before
# this rule the same command re-evaluated repeated points at --gap, 113
# subproblems; the master integer from the start and this rule: 10)
"${MPI[@]}" -np 2 $BIN solve --method dw "$S" "${SET[@]}" --gap 0.05 --mip-gap 1e-9 \
  -o "$tmp/lg.h5" >"$tmp/lg.txt" 2>&1
rc=$?
cat "$tmp/lg.txt" >>"$tmp/log"
[ $rc = 0 ] && grep -q "next point was evaluated at gap 5.0e-02; solving it again to 1.0e-10" \
  "$tmp/lg.txt" && [ "$(attr "$tmp/lg.h5" status)" = optimal ] &&
  $PY $CHECK "$tmp/lg.h5" "$tmp/bb.h5" same >>"$tmp/log" && $PY $CHK "$S" "$tmp/lg.h5" >>"$tmp/log" 2>&1
ok $? "dw --gap 0.05, --mip-gap 1e-9 at 2 ranks: repeated points solved again to 1e-10, = branch and bound"

# a looser gap: stops earlier, honestly
run $BIN -q solve "$S" "${SET[@]}" --mip-gap 1e-2 -o "$tmp/g2.h5"
$PY - "$tmp/g2.h5" "$tmp/bb.h5" <<'PYEOF' >>"$tmp/log" 2>&1 && $PY $CHK "$S" "$tmp/g2.h5" >>"$tmp/log" 2>&1
import sys, h5py
a, b = (h5py.File(p)["/"].attrs for p in sys.argv[1:3])
st = a["status"].decode() if isinstance(a["status"], bytes) else a["status"]
assert st == "optimal" and a["gap"] <= 1e-2 and a["bound"] <= a["objective"], (st, a["gap"])
assert abs(a["objective"] - b["objective"]) <= 1e-2 * abs(b["objective"])
PYEOF
ok $? "--mip-gap 1e-2: optimal within 1e-2, bound below the objective, independent check"

# a time limit inside the first subproblem (the bundled day: its first LP takes
# seconds): no incumbent, said so, within the limit
run $BIN -q solve models/china-2024/scenario-expansion.yaml --time-limit 2 -o "$tmp/tl.h5"
$PY - "$tmp/tl.h5" <<'PYEOF' >>"$tmp/log" 2>&1
import math, sys, h5py
f = h5py.File(sys.argv[1])
a = f["/"].attrs
st = a["status"].decode() if isinstance(a["status"], bytes) else a["status"]
assert st == "no_solution" and math.isnan(a["objective"]), (st, a["objective"])
assert f["/solver"].attrs["solve_seconds"] <= 2 + 5, f["/solver"].attrs["solve_seconds"]
PYEOF
ok $? "--time-limit 2 inside the first subproblem: no_solution, NaN objective, within the limit"

# checkpoint and resume
rm -f "$tmp/r.h5" "$tmp/r.h5.ckpt"
CNOPT_TEST_STOP_AFTER=2 $BIN -q solve "$S" "${SET[@]}" -o "$tmp/r.h5" >>"$tmp/log" 2>&1
rc=$?
[ $rc = 75 ] && [ -f "$tmp/r.h5.ckpt" ] && [ ! -e "$tmp/r.h5" ]
ok $? "stopped after 2 subproblems (of 4): exit 75 (got $rc), the cuts in r.h5.ckpt, no result"
cp "$tmp/r.h5.ckpt" "$tmp/saved.ckpt"
$BIN solve "$S" "${SET[@]}" -o "$tmp/r.h5" >"$tmp/resume.txt" 2>&1
rc=$?
cat "$tmp/resume.txt" >>"$tmp/log"
[ $rc = 0 ] && grep -q "resumed from .*r.h5.ckpt at iteration 2 with its 2 cuts" "$tmp/resume.txt" &&
  $PY $CHECK "$tmp/r.h5" "$tmp/bb.h5" same >>"$tmp/log" && $PY $CHK "$S" "$tmp/r.h5" >>"$tmp/log" 2>&1 &&
  [ ! -e "$tmp/r.h5.ckpt" ]
ok $? "the same command resumes from the 2 cuts, reaches the optimum, removes the spent checkpoint"
rm -f "$tmp/r2.h5" "$tmp/r2.h5.ckpt"
"${MPI[@]}" -np 2 env CNOPT_TEST_STOP_AFTER=3 $BIN -q solve --method dw "$S" "${SET[@]}" -o "$tmp/r2.h5" >>"$tmp/log" 2>&1
rc=$?
run "${MPI[@]}" -np 2 $BIN solve --method dw "$S" "${SET[@]}" -o "$tmp/r2.h5"
[ $rc = 75 ] && $PY $CHECK "$tmp/r2.h5" "$tmp/bb.h5" same >>"$tmp/log" && $PY $CHK "$S" "$tmp/r2.h5" >>"$tmp/log" 2>&1
ok $? "2 ranks (dw subproblems): stopped (exit $rc), resumed, the optimum"

# a sweep range of MIP tasks: each task after the first starts from the previous
# build plan (warm start), and reaches the optimum of a cold solve of the task
printf 'name: mipcp\nscenario: %s\noutdir: %s\nsweep:\n  carbon_price: [0, 300, 1000]\n' \
  "$S" "$tmp/sw" >"$tmp/job.yaml"
sed -e 's/^name: mipcp/name: mipcpc/' -e "s|^outdir: .*|outdir: $tmp/swc|" "$tmp/job.yaml" >"$tmp/jobc.yaml"
$BIN sweep "$tmp/job.yaml" --task 0-2 >"$tmp/sw.txt" 2>&1
rc1=$?
run $BIN -q sweep "$tmp/jobc.yaml" --task 0-2 --no-warm-start
rc2=$?
cat "$tmp/sw.txt" >>"$tmp/log"
warm=$(grep -c "warm start: Benders starts from the previous solve's build plan" "$tmp/sw.txt")
same=0
for i in 0 1 2; do
  $PY $CHECK "$tmp/sw/mipcp-$i.h5" "$tmp/swc/mipcpc-$i.h5" same >>"$tmp/log" || same=1
done
[ $rc1 = 0 ] && [ $rc2 = 0 ] && [ "$warm" = 2 ] && [ $same = 0 ]
ok $? "a MIP sweep range: tasks 2 and 3 start from the previous build plan ($warm), each = its cold solve"

# refusals: each leaves the existing result r.h5 as it was
sum0=$(sha256sum "$tmp/r.h5" | cut -d' ' -f1)
refused() { # $1: what; rest: the command; exit 65 and r.h5 untouched
  local what=$1; shift
  "$@" >"$tmp/ref.txt" 2>&1
  local rc=$?
  cat "$tmp/ref.txt" >>"$tmp/log"
  [ $rc = 65 ] && [ "$(sha256sum "$tmp/r.h5" | cut -d' ' -f1)" = "$sum0" ]
  ok $? "$what: exit 65 (got $rc), the result untouched"
}
refused "a checkpoint of other inputs" $BIN -q solve "$S" --set scale.demand=3 -o "$tmp/r.h5" \
  --force --restart "$tmp/saved.ckpt"
grep -q "was made from other inputs or options" "$tmp/ref.txt"
ok $? "... and says so"
CNOPT_TEST_STOP_AFTER=1 $BIN -q solve --method dw --set expansion=false "$G/scenario.yaml" -o "$tmp/lp.h5" >>"$tmp/log" 2>&1
refused "a decomposition's checkpoint" $BIN -q solve "$S" "${SET[@]}" -o "$tmp/r.h5" --force \
  --restart "$tmp/lp.h5.ckpt"
grep -q "not a checkpoint of a Benders run" "$tmp/ref.txt"
ok $? "... and says so"
cp "$tmp/saved.ckpt" "$tmp/forged.ckpt"
$PY - "$tmp/forged.ckpt" <<'PYEOF' >>"$tmp/log" 2>&1
import sys, h5py
with h5py.File(sys.argv[1], "r+") as f:
    f["cut_f"][1] = float("nan")
PYEOF
refused "a forged checkpoint (a NaN cut)" $BIN -q solve "$S" "${SET[@]}" -o "$tmp/r.h5" --force \
  --restart "$tmp/forged.ckpt"
grep -q "cut_f" "$tmp/ref.txt"
ok $? "... and names the dataset"

# --force without --restart: the same checkpoint of other inputs at the
# default path (OUTPUT.ckpt) is discarded with a warning; a fresh start
# reaches branch and bound's optimum of those inputs (the generated scenario,
# demand unscaled) and leaves no checkpoint
run $BIN -q solve "$G/scenario.yaml" --method monolithic -o "$tmp/bb0.h5"
cp "$tmp/saved.ckpt" "$tmp/st.h5.ckpt"
$BIN solve "$G/scenario.yaml" -o "$tmp/st.h5" --force >"$tmp/st.txt" 2>&1
rc=$?
cat "$tmp/st.txt" >>"$tmp/log"
[ $rc = 0 ] && grep -q -- "--force discards it" "$tmp/st.txt" && ! grep -q "resumed from" "$tmp/st.txt" &&
  [ ! -e "$tmp/st.h5.ckpt" ] && $PY $CHECK "$tmp/st.h5" "$tmp/bb0.h5" same >>"$tmp/log" &&
  $PY $CHK "$G/scenario.yaml" "$tmp/st.h5" >>"$tmp/log" 2>&1
ok $? "--force discards a checkpoint of other inputs at the default path (exit $rc), = branch and bound"

# the master stopped by GLPK at the relative gap asked for (GLP_EMIPGAP: a
# feasible MIP with a proven bound) is a solved master.  The year with
# expansions ended at its 4th subproblem, gap 8.3e-3 > --mip-gap 1e-3, with
# no word, when that status was taken for a time limit.  Its 4 cuts (from
# that run's checkpoint; the bundled day has the same 6 expansion rows) put
# into a checkpoint of the bundled day: the resumed run must evaluate the
# master's next point, y = (0 0 0 3 0 4) as on the year, not stop.
B=models/china-2024/scenario-expansion.yaml
CNOPT_TEST_STOP_AFTER=1 $BIN -q solve "$B" --mip-gap 1e-3 -o "$tmp/em.h5" >>"$tmp/log" 2>&1
rc1=$?
$PY - "$tmp/em.h5.ckpt" <<'PYEOF' >>"$tmp/log" 2>&1
import sys, h5py, numpy as np
cuts = {
    "cut_f": [21075986618.886814, 20817244317.084129, 19834636588.038132, 19775836060.13662],
    "cut_g": [1516498170.2925107, 1307752714.1237431, 1453222771.1204398, -527157620.25648677,
              -518762346.51414859, -264186562.63236368, 1519268555.9770386, 1300418001.1054201,
              1463148902.8668392, 206132646.56661558, 208218393.25478864, 98883538.657764941,
              1516244446.7693615, 1306897357.5651972, 1452610869.5064418, -111900327.77987683,
              -106841542.91735876, -58218577.983883768, 1517325412.6074965, 1304721954.658648,
              1453785923.7683804, 39744224.570456117, 42411353.552278221, 16325442.884646773],
    "cut_y": [0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 5, 4, 0, 0, 0, 2, 0, 4, 0, 0, 0, 4, 0, 4]}
with h5py.File(sys.argv[1], "r+") as f:
    for k, v in cuts.items():
        del f[k]
        f.create_dataset(k, data=np.array(v, dtype="f8"))
    f.attrs["iteration"] = np.int64(4)
PYEOF
rc2=$?
# (the year's cuts are not the day's, so what the run ends with says nothing;
# before the fix it ended "feasible after 4 subproblems" at once)
$BIN -v solve "$B" --mip-gap 1e-3 -o "$tmp/em.h5" >"$tmp/em.txt" 2>&1
rc3=$?
cat "$tmp/em.txt" >>"$tmp/log"
[ $rc1 = 75 ] && [ $rc2 = 0 ] && [ $rc3 = 0 ] && grep -q "resumed from .* at iteration 4 with its 4 cuts" "$tmp/em.txt" &&
  grep -q "benders: subproblem 5 at y = (0 0 0 3 0 4)" "$tmp/em.txt" &&
  ! grep -q "after 4 subproblems" "$tmp/em.txt"
ok $? "the year's 4 cuts: the master stopped at its gap is solved, subproblem 5 evaluated (exits $rc1 $rc2 $rc3)"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
