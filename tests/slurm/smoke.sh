#!/usr/bin/env bash
# Smoke test of the private Slurm test cluster (slurm/cluster.sh): a batch job, a
# 2-rank PMIx MPI step, a 4-rank step on the declared CPUs, a throttled job array,
# the USR1 -> `scontrol requeue` -> rerun mechanism cnopt's job scripts use, and a
# start whose munged dies once (cluster.sh starts it again).
# Prints "ok N - what" / "not ok N - what" and ends with "P passed, F failed".
# Exit 0 only if every check passed. Every wait is bounded; about 30 s in total.
# The temporary directory is removed on success and kept (with logs) on failure.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd -P)
cluster=$root/slurm/cluster.sh

pass=0 fail=0 n=0
ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $1"; }
not_ok() {
  n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1"
  shift
  local l
  for l in "$@"; do echo "#   $l"; done
}
# show a file indented under a failed check
show() { [ -f "$1" ] && sed 's/^/#   | /' "$1"; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/cnslurm.XXXXXX") || { echo "mktemp failed"; exit 1; }
cleanup() {
  "$cluster" stop "$dir"
  if [ "$fail" = 0 ] && [ "$pass" -gt 0 ]; then
    rm -rf "$dir"
  else
    echo "# cluster directory kept for debugging: $dir"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

t_start=$SECONDS
if ! "$cluster" start "$dir"; then
  for what in "sbatch --wait batch job" "srun --mpi=pmix -n 2 MPI program" \
    "srun -n 4 MPI program (4 declared CPUs)" "job array 1-2%1 runs one task at a time" \
    "USR1 -> scontrol requeue -> rerun with SLURM_RESTART_COUNT=1"; do
    not_ok "$what" "cluster did not start"
  done
  echo "$pass passed, $fail failed"
  exit 1
fi
# shellcheck disable=SC1091
. "$dir/env.sh"
echo "# cluster started in $((SECONDS - t_start)) s in $dir"
if [ "$(id -u)" = 0 ]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
w=$dir/work
mkdir -p "$w"
cd "$w" || exit 1

# ---- 1. a trivial batch job with sbatch --wait
t=$SECONDS
cat >"$w/a.sh" <<'EOF'
#!/bin/bash
echo "hello from batch job $SLURM_JOB_ID on $(hostname -s)"
EOF
if timeout 60 sbatch --wait -t 1 -o "$w/a.out" "$w/a.sh" >"$w/a.sbatch" 2>&1 &&
  grep -q '^hello from batch job [0-9]' "$w/a.out"; then
  ok "sbatch --wait batch job ($((SECONDS - t)) s)"
else
  not_ok "sbatch --wait batch job" "sbatch:"; show "$w/a.sbatch"; show "$w/a.out"
fi

# ---- 2. and 3. MPI program under srun --mpi=pmix
cat >"$w/hello.c" <<'EOF'
#include <mpi.h>
#include <stdio.h>
int main(int argc, char **argv) {
  int rank, size;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  printf("rank %d of %d\n", rank, size);
  MPI_Finalize();
  return 0;
}
EOF
if ! mpicc -o "$w/hello" "$w/hello.c" >"$w/mpicc.out" 2>&1; then
  show "$w/mpicc.out"
fi
ranks_ok() { # file, size: every rank 0..size-1 printed exactly once
  local r
  for r in $(seq 0 $(($2 - 1))); do
    [ "$(grep -cx "rank $r of $2" "$1")" = 1 ] || return 1
  done
  [ "$(grep -c '^rank ' "$1")" = "$2" ]
}
t=$SECONDS
if [ -x "$w/hello" ] &&
  timeout 60 srun --mpi=pmix -n 2 -t 1 "$w/hello" >"$w/b.out" 2>"$w/b.err" &&
  ranks_ok "$w/b.out" 2; then
  ok "srun --mpi=pmix -n 2 MPI program ($((SECONDS - t)) s)"
else
  not_ok "srun --mpi=pmix -n 2 MPI program"; show "$w/b.out"; show "$w/b.err"
fi
t=$SECONDS
if [ -x "$w/hello" ] &&
  timeout 60 srun --mpi=pmix -n 4 -t 1 "$w/hello" >"$w/b4.out" 2>"$w/b4.err" &&
  ranks_ok "$w/b4.out" 4; then
  ok "srun -n 4 MPI program on the $CNOPT_SLURM_CPUS declared CPUs ($((SECONDS - t)) s)"
else
  not_ok "srun -n 4 MPI program (4 declared CPUs)"; show "$w/b4.out"; show "$w/b4.err"
fi

# ---- 4. a 2-task job array throttled to one task at a time
t=$SECONDS
cat >"$w/c.sh" <<'EOF'
#!/bin/bash
echo "start $SLURM_ARRAY_TASK_ID $(date +%s.%N)"
sleep 2
echo "end $SLURM_ARRAY_TASK_ID $(date +%s.%N)"
EOF
c_ok=0
# poll squeue rather than sbatch --wait, whose growing sleeps add several seconds
cjid=$(sbatch --parsable -t 1 --array=1-2%1 -o "$w/c_%a.out" "$w/c.sh" 2>"$w/c.sbatch")
cjid=${cjid%%;*}
c_done=0
if [ -n "$cjid" ]; then
  for _ in $(seq 1 120); do # at most 60 s
    left=$(squeue -h -j "$cjid" -o "%i" 2>>"$w/c.sbatch") || left=
    [ -z "$left" ] && { c_done=1; break; }
    sleep 0.5
  done
fi
if [ "$c_done" = 1 ]; then
  s2=$(awk '$1 == "start" {print $3}' "$w/c_2.out" 2>/dev/null)
  e1=$(awk '$1 == "end" {print $3}' "$w/c_1.out" 2>/dev/null)
  s1=$(awk '$1 == "start" {print $3}' "$w/c_1.out" 2>/dev/null)
  e2=$(awk '$1 == "end" {print $3}' "$w/c_2.out" 2>/dev/null)
  # both ran to the end and did not overlap (whichever ran first)
  if [ -n "$s1" ] && [ -n "$e1" ] && [ -n "$s2" ] && [ -n "$e2" ] &&
    awk -v s1="$s1" -v e1="$e1" -v s2="$s2" -v e2="$e2" \
      'BEGIN { exit !(s2 >= e1 || s1 >= e2) }'; then
    c_ok=1
  fi
fi
if [ "$c_ok" = 1 ]; then
  ok "job array 1-2%1 runs one task at a time ($((SECONDS - t)) s)"
else
  not_ok "job array 1-2%1 runs one task at a time" "sbatch:"
  show "$w/c.sbatch"; show "$w/c_1.out"; show "$w/c_2.out"
fi

# ---- 5. requeue on USR1: trap first, child in the background + wait
t=$SECONDS
cat >"$w/d.sh" <<'EOF'
#!/bin/bash
got_usr1=0
trap 'got_usr1=1' USR1
restart=${SLURM_RESTART_COUNT:-0}
if [ "$restart" -ge 1 ]; then
  echo "rerun job=$SLURM_JOB_ID SLURM_RESTART_COUNT=$restart"
  echo "completed"
  exit 0
fi
sleep 100 &
child=$!
echo "ready job=$SLURM_JOB_ID SLURM_RESTART_COUNT=$restart"
wait "$child"
if [ "$got_usr1" = 1 ]; then
  kill "$child" 2>/dev/null
  wait "$child" 2>/dev/null
  echo "USR1 received, requeueing"
  scontrol requeue "$SLURM_JOB_ID" && exit 0
  echo "scontrol requeue failed"
  exit 1
fi
echo "child ended without USR1"
exit 1
EOF
d_ok=0 d_why=
jid=$(sbatch --parsable -t 2 --open-mode=append -o "$w/d.out" "$w/d.sh" 2>"$w/d.sbatch")
jid=${jid%%;*}
if [ -z "$jid" ]; then
  d_why="sbatch failed"
else
  # wait (at most 30 s) for the script to have its trap and child in place
  for _ in $(seq 1 150); do
    grep -q '^ready ' "$w/d.out" 2>/dev/null && break
    sleep 0.2
  done
  if ! grep -q '^ready ' "$w/d.out" 2>/dev/null; then
    d_why="job $jid did not start within 30 s"
  elif ! scancel --batch --signal=USR1 "$jid" 2>"$w/d.scancel"; then
    d_why="scancel --batch --signal=USR1 failed: $(cat "$w/d.scancel")"
  else
    # the rerun starts about 12 s after the requeue (cred_expire=10,
    # sched_interval=2); wait at most 60 s for it to complete
    state='' restarts=''
    for _ in $(seq 1 120); do
      info=$(scontrol -o show job "$jid" 2>/dev/null)
      state=$(echo "$info" | tr ' ' '\n' | sed -n 's/^JobState=//p')
      restarts=$(echo "$info" | tr ' ' '\n' | sed -n 's/^Restarts=//p')
      [ "$state" = COMPLETED ] && break
      case "$state" in FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY) break ;; esac
      sleep 0.5
    done
    if [ "$state" != COMPLETED ]; then
      d_why="job $jid ended in state '${state:-unknown}' (Restarts=${restarts:-?})"
    elif [ "$restarts" != 1 ]; then
      d_why="job $jid completed with Restarts=$restarts, expected 1"
    elif ! grep -q '^USR1 received, requeueing' "$w/d.out" ||
      ! grep -q "^rerun job=$jid SLURM_RESTART_COUNT=1\$" "$w/d.out" ||
      ! grep -q '^completed' "$w/d.out"; then
      d_why="job output lacks the first run's requeue or the rerun's completion"
    else
      d_ok=1
    fi
  fi
fi
if [ "$d_ok" = 1 ]; then
  ok "USR1 -> scontrol requeue -> rerun with SLURM_RESTART_COUNT=1 ($((SECONDS - t)) s)"
else
  not_ok "USR1 -> scontrol requeue -> rerun with SLURM_RESTART_COUNT=1" "$d_why"
  show "$w/d.sbatch"; show "$w/d.out"
fi

# ---- 6. a daemon that dies during start-up is started once more
# munged is replaced (first on PATH) by a wrapper that exits 3 the first time and
# execs the real munged after that; `start` must print the first failure, retry,
# and leave a working cluster (a second cluster, on other ports, in its own DIR).
t=$SECONDS
r=$dir/retry
mkdir -p "$r/bin"
real_munged=$(command -v munged)
{
  echo '#!/bin/bash'
  echo "if [ ! -e '$r/failed-once' ]; then : >'$r/failed-once'; echo 'planted failure' >&2; exit 3; fi"
  echo "exec '$real_munged' \"\$@\""
} >"$r/bin/munged"
chmod +x "$r/bin/munged"
if PATH=$r/bin:$PATH "$cluster" start "$r/c" >"$r/start.out" 2>&1 &&
  grep -q 'munged exited (pid [0-9]*, exit code 3)' "$r/start.out" &&
  grep -q 'planted failure' "$r/start.out" &&
  grep -q 'starting again' "$r/start.out" &&
  (. "$r/c/env.sh" && timeout 30 srun -n 1 true) >"$r/srun.out" 2>&1; then
  ok "a daemon that exits during start-up is started again ($((SECONDS - t)) s)"
else
  not_ok "a daemon that exits during start-up is started again" "start output:"
  show "$r/start.out"; show "$r/srun.out"
fi
"$cluster" stop "$r/c" >/dev/null 2>&1 || true

echo "# total $((SECONDS - t_start)) s (without stopping the cluster)"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
