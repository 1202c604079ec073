#!/usr/bin/env bash
# A signal inside the decomposition's master solve (docs/slurm.md, docs/solver.md
# "Checkpoints").  The master's simplex used to run to its end whatever the
# signal: a run given SIGTERM in a long master solve went on for the whole solve
# (seen: more than 40 minutes on a numerically hard master), past any grace a
# batch system gives before SIGKILL, and no checkpoint came of it.  Now the
# simplex stops at its next progress report, the iteration is given up, the
# checkpoint of the iteration before is written and every rank exits 75.
#   - the test hook CNOPT_TEST_SIGNAL_MASTER=3 makes rank 0 raise SIGTERM just
#     before iteration 3's master solve, so that the simplex itself sees it
#     (a small generated one-day model, site-period blocks, 2 ranks):
#     exit 75, "a signal stopped the master's simplex in iteration 3", the
#     checkpoint at iteration 2 written, no result file
#   - the same command again resumes from that checkpoint and reaches the
#     monolithic optimum; the spent checkpoint is removed
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

$BIN generate --regions 8 --sites 10 --periods 24 --seed 5 -o "$tmp/g" >"$tmp/gen.log" 2>&1
ok $? "generate a one-day model" "$tmp/gen.log"
S=$tmp/g/scenario.yaml
$BIN solve --method monolithic "$S" -o "$tmp/mono.h5" >"$tmp/mono.log" 2>&1
ok $? "monolithic solve" "$tmp/mono.log"

CNOPT_TEST_SIGNAL_MASTER=3 timeout 120 "${MPI[@]}" -np 2 $BIN solve --method dw "$S" -o "$tmp/dw.h5" \
  >"$tmp/sig.log" 2>&1
rc=$?
[ $rc = 75 ] && grep -q "a signal stopped the master's simplex in iteration 3" "$tmp/sig.log" &&
  grep -q "checkpoint at iteration 2 written" "$tmp/sig.log" && [ -f "$tmp/dw.h5.ckpt" ] && [ ! -e "$tmp/dw.h5" ]
ok $? "SIGTERM inside iteration 3's master solve: exit $rc (75), the checkpoint of iteration 2, no result" "$tmp/sig.log"

timeout 120 "${MPI[@]}" -np 2 $BIN solve --method dw "$S" -o "$tmp/dw.h5" >"$tmp/resume.log" 2>&1
rc=$?
[ $rc = 0 ] && grep -q "resum" "$tmp/resume.log" && grep -q "^status optimal" "$tmp/resume.log" &&
  [ ! -e "$tmp/dw.h5.ckpt" ]
ok $? "the same command resumes from it: exit $rc (0), optimal, the checkpoint removed" "$tmp/resume.log"
$PY $CHECK "$tmp/dw.h5" "$tmp/mono.h5" same >"$tmp/same.log" 2>&1
ok $? "the resumed result equals monolithic" "$tmp/same.log"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
