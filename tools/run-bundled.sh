#!/usr/bin/env bash
# make run: solve a scenario (default: the bundled national one) and print the
# summary a planner wants first.  Usage: tools/run-bundled.sh SCENARIO OUT NP
set -euo pipefail
scenario=${1:-models/china-2024/scenario.yaml}
out=${2:-results/china-2024.h5}
np=${3:-1}
mkdir -p "$(dirname "$out")"
./cnopt validate "$scenario"
echo
if [ "$np" -gt 1 ]; then
  [ "$(id -u)" = 0 ] && export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  mpirun -np "$np" --oversubscribe ./cnopt solve "$scenario" -o "$out" --force
else
  ./cnopt solve "$scenario" -o "$out" --force
fi
echo
./cnopt info "$out"
echo
echo "result: $out  (cnopt info $out; h5dump -H $out; docs/hdf5-schema.md)"
