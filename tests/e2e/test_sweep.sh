#!/usr/bin/env bash
# End-to-end checks of `cnopt sweep` without Slurm (docs/sweeps.md), on the
# 4-task job jobs/test-tiny.yaml copied next to a small generated model:
#   - --list: the tasks and their order (keys in file order, last fastest)
#   - --task I, --task A-B, $SLURM_ARRAY_TASK_ID; an existing result is kept
#     unless --force; no task and no SLURM_ARRAY_TASK_ID is 64
#   - --collect: the summary's rows equal each task's own result file (h5py)
#   - a missing task is named by --collect (exit 65, row status "missing")
#   - bad job files: exit 65 with FILE:LINE:COLUMN at the offending value
#   - a decomposition task stopped in a range exits 75 with a checkpoint, and
#     the same command resumes it
#   - in a range, tasks 1.. start warm from the previous task and reach the
#     optima of cold starts (1 and 2 ranks); --no-warm-start starts them cold;
#     columns infeasible in the next task's blocks are dropped; monolithic
#     tasks start from the previous simplex basis
# Prints "ok N - what" / "not ok N - what" and "P passed, F failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
BIN=${CNOPT:-./cnopt}
case "$BIN" in /*) ;; *) BIN=$PWD/$BIN ;; esac
PY=/usr/bin/python3
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
MPI=(mpirun --oversubscribe)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 pass=0 fail=0
ok() {
  n=$((n + 1))
  if [ "$1" = 0 ]; then pass=$((pass + 1)); echo "ok $n - $2"; else
    fail=$((fail + 1)); echo "not ok $n - $2"
    [ -s "$tmp/out" ] && tail -n 15 "$tmp/out" | sed 's/^/#   | /'
  fi
}
# same_objectives A1 B1 [A2 B2 ...]: each result file Ai has the objective of
# Bi within 1e-6 relative (h5py; prints both)
same_objectives() {
  $PY - "$@" >"$tmp/out" 2>&1 <<'EOF'
import sys, h5py
f = sys.argv[1:]
bad = 0
for a, b in zip(f[0::2], f[1::2]):
    x = float(h5py.File(a, "r").attrs["objective"])
    y = float(h5py.File(b, "r").attrs["objective"])
    print(a, x, b, y)
    bad += abs(x - y) > 1e-6 * max(1.0, abs(y))
sys.exit(1 if bad else 0)
EOF
}
t0=$SECONDS

$BIN generate --regions 6 --sites 6 --periods 4 --seed 5 -o "$tmp/gen" >"$tmp/out" 2>&1
ok $? "generate a 6-region model"
cp jobs/test-tiny.yaml "$tmp/tiny.yaml"
J=$tmp/tiny.yaml
R=$tmp/results/tiny

# ---- --list
$BIN sweep "$J" --list >"$tmp/list" 2>"$tmp/out"
ok $? "--list runs"
grep -v '^#' "$tmp/list" >"$tmp/list.rows"
printf '%s\n' "0	carbon_price=0 scale.bandwidth=0.5" "1	carbon_price=0 scale.bandwidth=1.0" \
  "2	carbon_price=200 scale.bandwidth=0.5" "3	carbon_price=200 scale.bandwidth=1.0" >"$tmp/list.want"
cmp -s "$tmp/list.rows" "$tmp/list.want"
ok $? "--list prints 4 tasks, keys in file order, the last key varying fastest"
grep -qx "# tasks: 4" "$tmp/list" && grep -qx "# outdir: $R" "$tmp/list"
ok $? "--list header: task count and the default outdir beside the job file (results/NAME)"

# ---- which task
(unset SLURM_ARRAY_TASK_ID; $BIN sweep "$J" >"$tmp/out" 2>&1)
[ $? = 64 ] && grep -q "SLURM_ARRAY_TASK_ID is not set" "$tmp/out"
ok $? "no --task and no SLURM_ARRAY_TASK_ID: exit 64"
$BIN sweep "$J" --task 4 >"$tmp/out" 2>&1
[ $? = 64 ] && grep -q "outside the job's tasks 0-3" "$tmp/out"
ok $? "--task beyond the last task: exit 64"

# ---- --task 0, then kept, then the range 1-3
$BIN sweep "$J" --task 0 >"$tmp/out" 2>&1
[ $? = 0 ] && [ -f "$R/tiny-0.h5" ]
ok $? "--task 0 writes OUTDIR/tiny-0.h5"
sum0=$(sha256sum <"$R/tiny-0.h5")
$BIN sweep "$J" --task 0 >"$tmp/out" 2>&1
[ $? = 0 ] && grep -q "tiny-0.h5 exists, kept" "$tmp/out" && [ "$(sha256sum <"$R/tiny-0.h5")" = "$sum0" ]
ok $? "--task 0 again keeps the existing result (exit 0, file unchanged)"
t=$SECONDS
$BIN sweep "$J" --task 1-3 >"$tmp/out" 2>&1
[ $? = 0 ] && [ -f "$R/tiny-1.h5" ] && [ -f "$R/tiny-2.h5" ] && [ -f "$R/tiny-3.h5" ]
ok $? "--task 1-3 solves three tasks in one process ($((SECONDS - t)) s)"
SLURM_ARRAY_TASK_ID=2 $BIN sweep "$J" --force >"$tmp/out" 2>&1
[ $? = 0 ] && grep -q "task 2 of 0-3 (carbon_price=200 scale.bandwidth=0.5)" "$tmp/out"
ok $? "SLURM_ARRAY_TASK_ID=2 with --force solves task 2 again"

# ---- --collect
$BIN sweep "$J" --collect >"$tmp/collect" 2>"$tmp/out"
ok $? "--collect with every task done: exit 0"
cat >"$tmp/check.py" <<'EOF'
import math, sys
import h5py
summary, outdir, want_missing = sys.argv[1], sys.argv[2], sys.argv[3]
want_missing = set(int(x) for x in want_missing.split(",") if x)
params = {"carbon_price": [0, 0, 200, 200], "scale.bandwidth": [0.5, 1.0, 0.5, 1.0]}
parts = ["energy_yuan", "carbon_yuan", "green_yuan", "transfer_yuan", "unserved_yuan", "expansion_yuan"]
bad = []
with h5py.File(summary, "r") as f:
    a = f.attrs
    if a["kind"] != "cnopt-sweep-summary" or a["schema_version"] != "2.1" or a["job"] != "tiny":
        bad.append("root attributes %r" % dict(a))
    if int(a["ntasks"]) != 4 or int(a["complete"]) != 1 or list(a["sweep_keys"]) != list(params):
        bad.append("ntasks/complete/sweep_keys")
    t = f["tasks"]
    for name in ["task", "objective", "bound", "gap", "status", "emissions_tco2", "energy_mwh",
                 "unserved_share"] + parts + list(params):
        if name not in t or t[name].shape != (4,):
            bad.append("dataset /tasks/%s missing or not of length 4" % name)
    if bad:
        print("\n".join(bad)); sys.exit(1)
    if list(t["task"][:]) != [0, 1, 2, 3]:
        bad.append("task column %r" % list(t["task"][:]))
    if t["task"].attrs.get("CLASS") != b"DIMENSION_SCALE" or "DIMENSION_LIST" not in t["objective"].attrs:
        bad.append("/tasks/task is not the dimension scale of the columns")
    for k, v in params.items():
        if list(t[k][:]) != v:
            bad.append("%s column %r, expected %r" % (k, list(t[k][:]), v))
    for i in range(4):
        st = t["status"][i].decode()
        if i in want_missing:
            if st != "missing" or not math.isnan(t["objective"][i]):
                bad.append("row %d: status %s, objective %r; expected missing and NaN" % (i, st, t["objective"][i]))
            if b"tiny-%d.h5" % i not in t["note"][i]:
                bad.append("row %d: note %r does not name the missing file" % (i, t["note"][i]))
            continue
        with h5py.File("%s/tiny-%d.h5" % (outdir, i), "r") as r:
            obj = float(r.attrs["objective"])
            if st != r.attrs["status"] or st != "optimal":
                bad.append("row %d: status %s, its result %s" % (i, st, r.attrs["status"]))
            if t["objective"][i] != obj:
                bad.append("row %d: objective %.17g differs from its result file's %.17g" % (i, t["objective"][i], obj))
            for p in parts:
                if t[p][i] != float(r["objective"][p][()]):
                    bad.append("row %d: %s differs from the result file" % (i, p))
            if t["emissions_tco2"][i] != float(r["objective"]["emissions_tco2"][()]):
                bad.append("row %d: emissions differ" % i)
            u = r["solution"]["u_pflops"][:].sum() / r["solution"]["u_demand_pflops"][:].sum()
            if abs(t["unserved_share"][i] - u) > 1e-12:
                bad.append("row %d: unserved_share %r, from the result %r" % (i, t["unserved_share"][i], u))
            psum = sum(t[p][i] for p in parts)
            if abs(psum - obj) > 1e-9 * max(1.0, abs(obj)):
                bad.append("row %d: parts sum to %.17g, objective %.17g" % (i, psum, obj))
    # the sweep changed something: carbon cost is 0 at price 0, > 0 at 200
    if not (t["carbon_yuan"][0] == 0 and t["carbon_yuan"][3] > 0):
        bad.append("carbon cost does not follow the carbon price")
print("\n".join(bad) if bad else "summary ok")
sys.exit(1 if bad else 0)
EOF
$PY "$tmp/check.py" "$R/tiny-summary.h5" "$R" "" >"$tmp/out" 2>&1
ok $? "summary: one row per task; parameters, objective, parts, emissions, unserved share and status equal each task's own result"
[ -z "$(find "$R" -name '.*tmp*')" ]
ok $? "no temporary file left beside the summary"
if $PY -c "import xarray, h5netcdf" 2>/dev/null; then
  $PY -c "
import sys, xarray as xr
d = xr.open_dataset('$R/tiny-summary.h5', engine='h5netcdf', group='tasks')
sys.exit(0 if d.objective.dims == ('task',) and list(d.status.values) == ['optimal'] * 4 else 1)" >"$tmp/out" 2>&1
  ok $? "xarray opens the summary with a named task dimension"
else
  n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - # SKIP xarray/h5netcdf not installed"
fi

# ---- a missing task is named, the summary still written
rm -f "$R/tiny-2.h5" "$R/tiny-summary.h5"
$BIN sweep "$J" --collect >"$tmp/collect" 2>"$tmp/out"
rc=$?
[ $rc = 65 ] && grep -q "task 2 (carbon_price=200 scale.bandwidth=0.5) missing" "$tmp/out" && [ -f "$R/tiny-summary.h5" ]
ok $? "--collect with task 2 missing: exit 65 ($rc), task 2 named, summary written"
$PY "$tmp/check.py" "$R/tiny-summary.h5" "$R" "2" >"$tmp/out" 2>&1
ok $? "summary row 2 has status missing and NaN numbers; the other rows are intact"

# ---- bad job files
cat >"$tmp/bad.yaml" <<'EOF'
name: bad
scenario: gen/scenario.yaml
sweep:
  carbon_price: [0, -5]
  scale.bandwith: [1, 2]
  expansion: [maybe]
colour: blue
EOF
$BIN sweep "$tmp/bad.yaml" --list >"$tmp/out" 2>&1
rc=$?
[ $rc = 65 ] && grep -q "^$tmp/bad.yaml:4:21: carbon_price must be >= 0, got -5" "$tmp/out"
ok $? "a bad value: exit 65 ($rc) with FILE:LINE:COLUMN of the value"
grep -q "^$tmp/bad.yaml:5:3: sweep key: unknown scenario key 'scale.bandwith'" "$tmp/out" &&
  grep -q "^$tmp/bad.yaml:6:15: expansion must be true or false, got maybe" "$tmp/out" &&
  grep -q "^$tmp/bad.yaml:7:1: unknown key 'colour'" "$tmp/out"
ok $? "every problem is reported: unknown sweep key, bad boolean, unknown job key"
printf 'name: x\nscenario: gen/scenario.yaml\nsweep:\n  carbon_price: [1, 2\n' >"$tmp/syntax.yaml"
$BIN sweep "$tmp/syntax.yaml" --list >"$tmp/out" 2>&1
[ $? = 65 ] && grep -q "^$tmp/syntax.yaml:[0-9]*:[0-9]*: YAML syntax error" "$tmp/out"
ok $? "a YAML syntax error: exit 65 with FILE:LINE:COLUMN"
printf 'name: x\nscenario: gen/scenario.yaml\nsweep: {carbon_price: [1]}\nsolve_args: [-o, x.h5]\n' >"$tmp/args.yaml"
$BIN sweep "$tmp/args.yaml" --list >"$tmp/out" 2>&1
[ $? = 65 ] && grep -q "^$tmp/args.yaml:4:14: solve_args must not contain '-o'" "$tmp/out"
ok $? "solve_args naming an output: exit 65 at the option"
printf 'name: x\nscenario: nowhere/scenario.yaml\nsweep: {carbon_price: [1]}\n' >"$tmp/noscen.yaml"
$BIN sweep "$tmp/noscen.yaml" --list >"$tmp/out" 2>&1
[ $? = 65 ] && grep -q "^$tmp/noscen.yaml:2:11: scenario '$tmp/nowhere/scenario.yaml' not found" "$tmp/out"
ok $? "a missing base scenario is reported at the scenario line"
$BIN sweep "$tmp/none.yaml" --list >"$tmp/out" 2>&1
[ $? = 66 ]
ok $? "a missing job file: exit 66"

# ---- decomposition tasks at 2 ranks: a stop inside a range checkpoints (75)
# and the same command resumes; the results equal the monolithic ones
sed -e 's/^name: tiny/name: tdw/' -e 's/^solve_args:.*/solve_args: [--method, dw]/' "$J" >"$tmp/tdw.yaml"
"${MPI[@]}" -np 2 env CNOPT_TEST_STOP_AFTER=2 $BIN sweep "$tmp/tdw.yaml" --task 0-1 >"$tmp/out" 2>&1
rc=$?
[ $rc = 75 ] && [ -f "$tmp/results/tdw/tdw-0.h5.ckpt" ] && [ ! -e "$tmp/results/tdw/tdw-0.h5" ] &&
  [ ! -e "$tmp/results/tdw/tdw-1.h5" ]
ok $? "a decomposition task stopped in --task 0-1: exit 75 ($rc), checkpoint written, range stopped"
"${MPI[@]}" -np 2 $BIN sweep "$tmp/tdw.yaml" --task 0-1 >"$tmp/out" 2>&1
rc=$?
[ $rc = 0 ] && grep -q "resumed from $tmp/results/tdw/tdw-0.h5.ckpt" "$tmp/out" &&
  [ -f "$tmp/results/tdw/tdw-0.h5" ] && [ -f "$tmp/results/tdw/tdw-1.h5" ] && [ ! -e "$tmp/results/tdw/tdw-0.h5.ckpt" ]
ok $? "the same command resumes task 0 from its checkpoint and solves task 1 (exit $rc)"
same_objectives "$tmp/results/tdw/tdw-0.h5" "$R/tiny-0.h5" "$tmp/results/tdw/tdw-1.h5" "$R/tiny-1.h5"
ok $? "decomposition tasks (one resumed) reach the monolithic objectives within 1e-6"

# ---- warm start in a range (docs/sweeps.md "Warm start"): every task after
# the first starts from the previous task's columns and duals and reaches the
# optimum of a cold start; --no-warm-start starts each task cold
sed -e 's/^name: tiny/name: tc/' -e 's/^solve_args:.*/solve_args: [--method, dw]/' "$J" >"$tmp/tc.yaml"
$BIN sweep "$tmp/tc.yaml" --task 0-3 --no-warm-start >"$tmp/out" 2>&1
rc=$?
[ $rc = 0 ] && ! grep -q "warm start" "$tmp/out"
ok $? "--no-warm-start: every task of 0-3 starts cold (exit $rc)"
sed -e 's/^name: tiny/name: tw/' -e 's/^solve_args:.*/solve_args: [--method, dw]/' "$J" >"$tmp/tw.yaml"
for np in 1 2; do
  "${MPI[@]}" -np $np $BIN sweep "$tmp/tw.yaml" --task 0-3 --force >"$tmp/out" 2>&1
  rc=$?
  nw=$(grep -c "warm start: [0-9]* of the [0-9]* columns of the previous solution are feasible here and taken" "$tmp/out")
  [ $rc = 0 ] && [ "$nw" = 3 ]
  ok $? "--task 0-3 at $np rank(s): tasks 1-3 start warm (exit $rc, $nw warm starts)"
  # shellcheck disable=SC2046
  same_objectives $(for i in 0 1 2 3; do echo "$tmp/results/tw/tw-$i.h5 $tmp/results/tc/tc-$i.h5"; done)
  ok $? "warm-started tasks at $np rank(s) reach the cold objectives within 1e-6"
done

# monolithic tasks (the tiny job's solve_args) start from the previous basis
sed -e 's/^name: tiny/name: tm/' "$J" >"$tmp/tm.yaml"
$BIN sweep "$tmp/tm.yaml" --task 0-3 >"$tmp/out" 2>&1
rc=$?
nw=$(grep -c "warm start: the simplex starts from the previous solve's basis" "$tmp/out")
[ $rc = 0 ] && [ "$nw" = 3 ]
ok $? "monolithic --task 0-3: tasks 1-3 start from the previous basis (exit $rc, $nw)"
# shellcheck disable=SC2046
same_objectives $(for i in 0 1 2 3; do echo "$tmp/results/tm/tm-$i.h5 $tmp/results/tc/tc-$i.h5"; done)
ok $? "warm-started monolithic tasks reach the cold objectives within 1e-6"

# columns that the next task's blocks cannot hold are dropped: halving the
# bandwidth (access rows are block rows) makes some infeasible; the warm task
# still reaches the cold optimum with a feasible point
$BIN generate --regions 12 --sites 40 --periods 24 --seed 3 -o "$tmp/gen40" >"$tmp/out" 2>&1
printf '%s\n' "name: bw" "scenario: gen40/scenario.yaml" "outdir: bw" "sweep:" \
  "  scale.bandwidth: [1.0, 0.5]" "solve_args: [--method, dw]" >"$tmp/bw.yaml"
$BIN sweep "$tmp/bw.yaml" --task 0-1 --no-warm-start >"$tmp/out" 2>&1 &&
  mv "$tmp/bw/bw-1.h5" "$tmp/bw-1-cold.h5" &&
  $BIN sweep "$tmp/bw.yaml" --task 0-1 --force >"$tmp/out" 2>&1
rc=$?
line=$(grep -o "warm start: [0-9]* of the [0-9]* columns" "$tmp/out")
read -r kept offered < <(echo "$line" | awk '{print $3, $6}')
[ $rc = 0 ] && [ -n "$kept" ] && [ "$kept" -lt "$offered" ] && [ "$kept" -gt 0 ]
ok $? "bandwidth 1.0 -> 0.5: the warm start drops infeasible columns ($line)"
$PY - "$tmp/bw/bw-1.h5" "$tmp/bw-1-cold.h5" >"$tmp/out" 2>&1 <<'EOF2'
import sys, h5py
w, c = (h5py.File(p, "r") for p in sys.argv[1:3])
x, y = float(w.attrs["objective"]), float(c.attrs["objective"])
v = float(w["solver"].attrs["max_violation"])
print(x, y, v)
sys.exit(0 if abs(x - y) <= 1e-6 * max(1.0, abs(y)) and v < 1e-6 else 1)
EOF2
ok $? "the warm task after dropping reaches the cold objective within 1e-6, max violation < 1e-6"

echo "# total $((SECONDS - t0)) s"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
