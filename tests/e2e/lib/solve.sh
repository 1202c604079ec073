# tests/e2e/lib/solve.sh - the prelude of the e2e scripts that compare solves
# by their printed objective (sourced from the repository root, after `cd`):
# the binary, Python and the evaluator, MPI as root, a temporary directory,
# TAP-like ok/no counters and two readers of a solve's log.
BIN=${CNOPT:-./cnopt}
PY=/usr/bin/python3
CHK=tools/check-solution.py
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
export OMPI_MCA_mpi_yield_when_idle=1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "not ok - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
# the objective a solve's log ends with
obj() { sed -n 's/.*status [a-z_]*, objective \([-0-9.e+]*\) yuan.*/\1/p' "$1" | tail -1; }
# two objectives equal to a relative 1e-9
same() { $PY -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(abs(a - b) > 1e-9 * max(1.0, abs(a)))" "$1" "$2"; }
