#!/usr/bin/env bash
# cnopt on a real Slurm cluster: a private single-node cluster (slurm/cluster.sh,
# stopped on exit even on failure) and jobs submitted with slurm/submit from the
# templates slurm/solve.sbatch.in and slurm/sweep.sbatch.in (docs/slurm.md):
#   (a) a 2-rank solve of the bundled model through `srun --mpi=pmix`
#   (b) the 4-task sweep array of jobs/test-tiny.yaml with a %2 throttle, then
#       `cnopt sweep --collect` as a dependent job; all four rows checked
#   (c) a 2-rank solve interrupted with `scancel --batch --signal=USR1`: cnopt
#       checkpoints (exit 75), the job requeues itself and finishes with
#       SLURM_RESTART_COUNT=1 and the objective of the uninterrupted run (a)
# Prints "ok N - what" / "not ok N - what" and "P passed, F failed".  About 2-3
# minutes, most of it the two solves of the bundled model.  The temporary
# directory is removed on success and kept (path printed) on failure.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd -P)
cd "$root" || exit 1
BIN=${CNOPT:-$root/cnopt}
case "$BIN" in /*) ;; *) BIN=$root/$BIN ;; esac
PY=/usr/bin/python3
cluster=$root/slurm/cluster.sh
submit=$root/slurm/submit
BUNDLED=models/china-2024/scenario.yaml

pass=0 fail=0 n=0
ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $1"; }
not_ok() {
  n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1"
  shift
  local l
  for l in "$@"; do echo "#   $l"; done
}
check() { # status, what, [file to show on failure]
  if [ "$1" = 0 ]; then ok "$2"; else not_ok "$2"; [ -n "${3:-}" ] && show "$3"; fi
}
show() { [ -f "$1" ] && tail -n 25 "$1" | sed 's/^/#   | /'; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cnst.XXXXXX") || { echo "mktemp failed"; exit 1; }
chmod 0755 "$tmp" # munged needs o+x on every parent of its socket
dir=$tmp/c # short: slurmd's Unix sockets live below it
cleanup() {
  "$cluster" stop "$dir" >/dev/null 2>&1
  if [ "$fail" = 0 ] && [ "$pass" -gt 0 ]; then rm -rf "$tmp"; else echo "# kept for debugging: $tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
t_start=$SECONDS

if [ ! -x "$BIN" ]; then
  not_ok "cnopt binary $BIN exists (run make)"
  echo "$pass passed, $fail failed"
  exit 1
fi
if ! "$cluster" start "$dir" >"$tmp/start.log" 2>&1; then
  not_ok "start the private Slurm cluster" "$(tail -n 5 "$tmp/start.log")"
  echo "$pass passed, $fail failed"
  exit 1
fi
ok "private Slurm cluster started ($((SECONDS - t_start)) s)"
# shellcheck disable=SC1091
. "$dir/env.sh"
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
w=$tmp/w
mkdir -p "$w"

# seconds a job may take before we give up on it
JOB_TIMEOUT=${CNOPT_SLURM_JOB_TIMEOUT:-300}

# wait until job $1 (or array) has left the queue (it stays there while pending
# again after a requeue); then print its final JobState (scontrol keeps a record
# for MinJobAge=16 s).  Returns 1 on time-out.
wait_gone() {
  local jid=$1 limit=$((SECONDS + ${2:-$JOB_TIMEOUT})) left
  while [ $SECONDS -lt $limit ]; do
    left=$(squeue -h -j "$jid" -o %i 2>/dev/null) || left=x
    [ -z "$left" ] && break
    sleep 0.5
  done
  [ -z "${left:-}" ] || return 1
  scontrol -o show job "$jid" 2>/dev/null | tr ' ' '\n' | sed -n 's/^JobState=//p' | sort -u | tr '\n' ' '
}
field() { scontrol -o show job "$1" 2>/dev/null | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1; }
h5attr() { $PY -c "import h5py,sys; print(h5py.File(sys.argv[1],'r')[sys.argv[2]].attrs[sys.argv[3]])" "$@" 2>/dev/null; }

# ---------------------------------------------------------------- (a)
t=$SECONDS
ajid=$("$submit" solve --cnopt "$BIN" -n 2 -t 10:00 "$BUNDLED" -o "$w/a/a.h5" 2>"$w/a.submit")
check $? "(a) slurm/submit solve -n 2 submits the bundled model (job ${ajid:-none})" "$w/a.submit"
grep -q -- '^#SBATCH --mem=[0-9]*M$' "$w/a/logs/"*.sbatch && grep -q 'srun --mpi=pmix ' "$w/a/logs/"*.sbatch &&
  grep -q -- '^#SBATCH --signal=B:USR1@120$' "$w/a/logs/"*.sbatch && grep -q -- '^#SBATCH --requeue$' "$w/a/logs/"*.sbatch
check $? "(a) the filled script has --mem from cnopt validate, --signal=B:USR1@120, --requeue, srun --mpi=pmix"
alog=$w/a/logs/china-2024-base-$ajid.out
state=$(wait_gone "$ajid") || state="still queued after ${JOB_TIMEOUT} s"
aobj=$(h5attr "$w/a/a.h5" / objective)
[ -n "$ajid" ] && [ "$state" = "COMPLETED " ] && [ "$(h5attr "$w/a/a.h5" / status)" = optimal ] &&
  [ "$(h5attr "$w/a/a.h5" solver ranks)" = 2 ] && [ "$(h5attr "$w/a/a.h5" provenance slurm_job_id)" = "$ajid" ]
check $? "(a) 2-rank solve completed ($state$((SECONDS - t)) s): result optimal, 2 ranks, slurm_job_id $ajid, objective $aobj" "$alog"

# ---------------------------------------------------------------- (b)
t=$SECONDS
"$BIN" generate --regions 6 --sites 6 --periods 4 --seed 5 -o "$w/gen" >"$w/gen.log" 2>&1
cp jobs/test-tiny.yaml "$w/tiny.yaml"
out=$("$submit" sweep --cnopt "$BIN" --throttle 2 -t 5:00 --collect "$w/tiny.yaml" 2>"$w/b.submit")
check $? "(b) slurm/submit sweep --throttle 2 --collect submits the array and the collect job" "$w/b.submit"
bjid=$(echo "$out" | sed -n 1p) cjid=$(echo "$out" | sed -n 2p)
grep -q -- '^#SBATCH --array=0-3%2$' "$w/results/tiny/logs/tiny.sbatch" &&
  [ "$(field "$bjid" ArrayTaskThrottle)" = 2 ]
check $? "(b) array 0-3%2: Slurm records ArrayTaskThrottle=2"
bstate=$(wait_gone "$bjid") || bstate="still queued"
cstate=$(wait_gone "$cjid" 120) || cstate="still queued"
nok=0
for i in 0 1 2 3; do
  [ "$(h5attr "$w/results/tiny/tiny-$i.h5" / status)" = optimal ] && nok=$((nok + 1))
done
[ "$bstate" = "COMPLETED " ] && [ "$nok" = 4 ]
check $? "(b) all four array tasks completed with an optimal result ($bstate$nok/4, $((SECONDS - t)) s)" \
  "$(ls "$w/results/tiny/logs/"tiny-*_3.out 2>/dev/null | head -n 1)"
cat >"$w/check.py" <<'EOF'
import sys, h5py
d = sys.argv[1]
with h5py.File(d + "/tiny-summary.h5", "r") as f:
    t = f["tasks"]
    assert f.attrs["kind"] == "cnopt-sweep-summary" and int(f.attrs["ntasks"]) == 4
    assert list(t["carbon_price"][:]) == [0, 0, 200, 200], t["carbon_price"][:]
    assert list(t["scale.bandwidth"][:]) == [0.5, 1.0, 0.5, 1.0], t["scale.bandwidth"][:]
    for i in range(4):
        with h5py.File("%s/tiny-%d.h5" % (d, i), "r") as r:
            assert t["status"][i].decode() == "optimal", (i, t["status"][i])
            assert t["objective"][i] == r.attrs["objective"], (i, t["objective"][i], r.attrs["objective"])
            assert t["emissions_tco2"][i] == r["objective"]["emissions_tco2"][()], i
print("four rows ok")
EOF
[ "$cstate" = "COMPLETED " ] && $PY "$w/check.py" "$w/results/tiny" >"$w/b.check" 2>&1
rc=$?
check $rc "(b) the dependent --collect job ($cstate) wrote the summary: four rows, each equal to its task's result" \
  "$(ls "$w/results/tiny/logs/"tiny-collect-*.out 2>/dev/null | head -n 1)"
[ $rc = 0 ] || show "$w/b.check"

# ---------------------------------------------------------------- (c)
# checkpoint/requeue: needs `cnopt solve --checkpoint-every` (issue 5 item 3)
test_checkpoint_requeue() {
  if ! "$BIN" solve --help 2>&1 | grep -q -- '--checkpoint-every'; then
    n=$((n + 1)); pass=$((pass + 1))
    echo "ok $n - # SKIP checkpoint/requeue: not implemented yet"
    return
  fi
  local t=$SECONDS jid log state restarts cobj
  jid=$("$submit" solve --cnopt "$BIN" -n 2 -t 10:00 "$BUNDLED" -o "$w/c/c.h5" 2>"$w/c.submit")
  check $? "(c) submit a second 2-rank solve of the bundled model (job ${jid:-none})" "$w/c.submit"
  log=$w/c/logs/china-2024-base-$jid.out
  # interrupt it inside the decomposition: after its third iteration
  local limit=$((SECONDS + JOB_TIMEOUT))
  while [ $SECONDS -lt $limit ] && ! grep -q '^ *3  master' "$log" 2>/dev/null; do sleep 0.2; done
  if ! grep -q '^ *3  master' "$log" 2>/dev/null; then
    not_ok "(c) the solve reached its third iteration" ; show "$log"
    return
  fi
  scancel --batch --signal=USR1 "$jid"
  check $? "(c) scancel --batch --signal=USR1 $jid at iteration 3+ ($((SECONDS - t)) s)"
  state=$(wait_gone "$jid") || state="still queued"
  restarts=$(field "$jid" Restarts)
  grep -q '^checkpoint at iteration [0-9]* written to' "$log" && grep -q '^cnopt-slurm: cnopt exited 75$' "$log" &&
    grep -q "^cnopt-slurm: checkpointed: requeued job $jid" "$log"
  check $? "(c) the batch shell passed USR1 on; cnopt checkpointed and exited 75; the job requeued itself" "$log"
  cobj=$(h5attr "$w/c/c.h5" / objective)
  [ "$state" = "COMPLETED " ] && [ "$restarts" = 1 ] && grep -q "^cnopt-slurm: job $jid .*, restart 1," "$log" &&
    grep -q "^resumed from $w/c/c.h5.ckpt at iteration" "$log" && [ ! -e "$w/c/c.h5.ckpt" ]
  check $? "(c) the rerun (SLURM_RESTART_COUNT=1, Restarts=$restarts, $state) resumed from the checkpoint and completed ($((SECONDS - t)) s)" "$log"
  [ -n "$cobj" ] && [ -n "$aobj" ] && [ "$(h5attr "$w/c/c.h5" / status)" = optimal ] &&
    $PY -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(abs(a - b) > 1e-6 * max(1, abs(a)))" "$aobj" "$cobj"
  check $? "(c) same objective as the uninterrupted run (a) within 1e-6: $cobj vs $aobj"
}
test_checkpoint_requeue

echo "# total $((SECONDS - t_start)) s (without stopping the cluster)"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
