#!/usr/bin/env bash
# make bench: wall time, iterations and peak memory per rank of the solver
# paths on generated models, measured side by side in one run, with ratios
# to the monolithic GLPK simplex and CLP's dual simplex on the exported MPS
# as an outside reference.  Not a test: it asserts nothing.
#
# Environment:
#   BENCH_SIZES   target variable counts (default "50k 500k 2M")
#   BENCH_LIMIT   seconds allowed per run (default 900); a run that hits it is
#                 reported as "> LIMIT" with its status
#   BENCH_RANKS   decomposition rank counts (default "1 2 4")
#   BENCH_DIR     work directory (default: a temporary one, removed at the end)
set -u
cd "$(dirname "$0")/.."
tools/setup-deps.sh --bench >/dev/null
sizes=${BENCH_SIZES:-50k 500k 2M}
limit=${BENCH_LIMIT:-900}
ranks=${BENCH_RANKS:-1 2 4}
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
dir=${BENCH_DIR:-$(mktemp -d)}
[ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir"
BIN=$PWD/cnopt

now() { date +%s.%N; }

# run NAME CMD...: time it, keep its log; prints "seconds status iterations peakMiB"
measure() {
  local name=$1; shift
  local t0 t1 rc
  t0=$(now)
  timeout --signal=KILL $((limit + 60)) "$@" >"$dir/$name.log" 2>&1
  rc=$?
  t1=$(now)
  local secs st it mem
  secs=$(echo "$t1 - $t0" | bc)
  st=$(sed -n 's/.*status \([a-z_]*\),.*/\1/p' "$dir/$name.log" | tail -1)
  it=$(sed -n 's/.*, \([0-9]*\) iterations,.*/\1/p' "$dir/$name.log" | tail -1)
  mem=$(sed -n 's/.*peak memory: \([0-9]*\) MiB.*/\1/p' "$dir/$name.log" | tail -1)
  [ $rc = 137 ] && st=killed
  echo "${secs:-nan} ${st:-failed} ${it:--} ${mem:--}"
}

printf '| model | x vars | columns | solver | ranks | wall s | vs GLPK | vs CLP | iterations | status | peak MiB/rank |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
for size in $sizes; do
  m=$dir/gen-$size
  $BIN generate --target-vars "$size" --seed 1 -o "$m" --force >/dev/null 2>&1
  nx=$($BIN validate "$m/scenario.yaml" | sed -n 's/^LP *\([0-9]*\) variables (x \([0-9]*\).*/\2/p')
  nc=$($BIN validate "$m/scenario.yaml" | sed -n 's/^LP *\([0-9]*\) variables.*/\1/p')
  # CLP on the exact exported model (export with a zero time limit: no solve)
  $BIN -q solve "$m/scenario.yaml" --method monolithic --write-mps "$m/model.mps" \
       --time-limit 0.001 -o "$dir/x.h5" --force >/dev/null 2>&1
  t0=$(now)
  timeout --signal=KILL "$limit" clp "$m/model.mps" -dualsimplex -solu "$dir/clp-$size.txt" >"$dir/clp-$size.log" 2>&1
  crc=$?
  clp_s=$(echo "$(now) - $t0" | bc)
  clp_obj=$(sed -n 's/^Optimal - objective value \(.*\)/\1/p' "$dir/clp-$size.log" | head -1)
  clp_st=$([ -n "$clp_obj" ] && echo optimal || { [ $crc = 137 ] && echo killed || echo failed; })
  clp_mem=-
  read -r mono_s mono_st mono_it mono_mem < <(measure "mono-$size" $BIN solve "$m/scenario.yaml" \
      --method monolithic --time-limit "$limit" -o "$dir/mono-$size.h5" --force)
  row() { # solver ranks secs status its mem
    local vs_glpk vs_clp
    vs_glpk=$(echo "scale=2; $mono_s / $3" | bc 2>/dev/null)
    vs_clp=$(echo "scale=2; $clp_s / $3" | bc 2>/dev/null)
    [ "$mono_st" = optimal ] || vs_glpk=">$vs_glpk"
    printf '| %s | %s | %s | %s | %s | %.1f | %s | %s | %s | %s | %s |\n' \
      "$size" "$nx" "$nc" "$1" "$2" "$3" "${vs_glpk}x" "${vs_clp}x" "$5" "$4" "$6"
  }
  printf '| %s | %s | %s | %s | %s | %.1f | %s | %s | %s | %s | %s |\n' \
    "$size" "$nx" "$nc" "CLP dual simplex" 1 "$clp_s" "-" "1x" "-" "$clp_st" "$clp_mem"
  row "GLPK simplex (monolithic)" 1 "$mono_s" "$mono_st" "$mono_it" "$mono_mem"
  for np in $ranks; do
    read -r s st it mem < <(measure "dw$np-$size" mpirun -np "$np" --oversubscribe $BIN solve \
        "$m/scenario.yaml" --time-limit "$limit" -o "$dir/dw$np-$size.h5" --force)
    row "decomposition (dw)" "$np" "$s" "$st" "$it" "$mem"
  done
done
echo
echo "wall s: elapsed time of the whole command (read, build, solve, write); vs GLPK/CLP: their"
echo "time divided by this row's (>1 = faster); a '>' marks a GLPK run stopped at the limit"
echo "(${limit} s), whose ratio is a lower bound.  CLP: 'clp MODEL.mps -dualsimplex' on the"
echo "exported model (solve only).  Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB."
