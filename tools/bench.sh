#!/usr/bin/env bash
# make bench: wall time, iterations and peak memory per rank of the solver
# paths on generated models, measured side by side in one run, with ratios
# to the monolithic GLPK simplex and CLP's dual simplex on the exported MPS
# as an outside reference.  Not a test: it asserts nothing.
#
# Environment:
#   BENCH_SIZES   target variable counts (default "50k 500k 2M"; "" skips the table)
#   BENCH_LIMIT   seconds allowed per run (default 900); a run that hits it is
#                 reported as "> LIMIT" with its status
#   BENCH_RANKS   decomposition rank counts (default "1 2 4")
#   BENCH_DIR     work directory (default: a temporary one, removed at the end)
#   BENCH_SWEEP   sweep tasks of the warm-start table (default "0-3" of
#                 jobs/carbon-price.yaml on the bundled model; "" skips it)
set -u
cd "$(dirname "$0")/.."
tools/setup-deps.sh --bench >/dev/null
sizes=${BENCH_SIZES-50k 500k 2M}
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

[ -n "$sizes" ] && printf '| model | x vars | columns | solver | ranks | wall s | vs GLPK | vs CLP | iterations | status | peak MiB/rank |\n'
[ -n "$sizes" ] && printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
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
[ -n "$sizes" ] && echo
[ -n "$sizes" ] && echo "wall s: elapsed time of the whole command (read, build, solve, write); vs GLPK/CLP: their"
[ -n "$sizes" ] && echo "time divided by this row's (>1 = faster); a '>' marks a GLPK run stopped at the limit" &&
  echo "(${limit} s), whose ratio is a lower bound.  CLP: 'clp MODEL.mps -dualsimplex' on the" &&
  echo "exported model (solve only)."
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB."

# ---- warm start across the tasks of a sweep range (docs/sweeps.md)
swp=${BENCH_SWEEP-0-3}
if [ -n "$swp" ]; then
  sed -e "s|^scenario: .*|scenario: $PWD/models/china-2024/scenario.yaml|" \
      -e '/^outdir:/d' -e '/^solve_args:/d' jobs/carbon-price.yaml >"$dir/cp-dw.yaml"
  echo "outdir: $dir/sweep" >>"$dir/cp-dw.yaml"
  sed -e 's/^name: carbon-price/name: cpm/' "$dir/cp-dw.yaml" >"$dir/cp-mono.yaml"
  echo "solve_args: [--method, monolithic]" >>"$dir/cp-mono.yaml"
  for meth in dw mono; do
    for mode in cold warm; do
      flag=; [ $mode = cold ] && flag=--no-warm-start
      t0=$(now)
      $BIN sweep "$dir/cp-$meth.yaml" --task "$swp" --force $flag >"$dir/sweep-$meth-$mode.log" 2>&1
      echo "$(echo "$(now) - $t0" | bc)" >"$dir/sweep-$meth-$mode.s"
    done
  done
  echo
  echo "Sweep warm start: jobs/carbon-price.yaml tasks $swp on the bundled model, 1 rank"
  /usr/bin/python3 - "$dir" <<'PYEOF'
import re, sys
d = sys.argv[1]
def tasks(meth, mode):
    out, cur = [], None
    for line in open("%s/sweep-%s-%s.log" % (d, meth, mode)):
        m = re.search(r"task (\d+) of", line)
        if m:
            cur = {"task": int(m.group(1)), "reuse": "-"}
            out.append(cur)
        m = re.search(r"warm start: (\d+) of the (\d+) columns", line)
        if m and cur:
            cur["reuse"] = "%s of %s columns" % m.groups()
        if "starts from the previous solve's basis" in line and cur:
            cur["reuse"] = "basis"
        m = re.search(r"objective ([0-9.e+]+) yuan, gap \S+, (\d+) iterations, ([0-9.]+) s", line)
        if m and cur:
            cur["obj"], cur["it"], cur["s"] = float(m.group(1)), int(m.group(2)), float(m.group(3))
    return out
for meth, title in (("dw", "decomposition (iterations: DW rounds)"),
                    ("mono", "monolithic GLPK simplex (iterations: simplex pivots)")):
    c, w = tasks(meth, "cold"), tasks(meth, "warm")
    print()
    print("%s:" % title)
    print()
    print("| task | cold iterations | cold solve s | warm iterations | warm solve s | reused | objective rel. diff |")
    print("|---|---|---|---|---|---|---|")
    tc = tw = ic = iw = 0
    for a, b in zip(c, w):
        diff = abs(a["obj"] - b["obj"]) / max(1.0, abs(a["obj"]))
        print("| %d | %d | %.1f | %d | %.1f | %s | %.1e |" % (a["task"], a["it"], a["s"], b["it"], b["s"], b["reuse"], diff))
        tc += a["s"]; tw += b["s"]; ic += a["it"]; iw += b["it"]
    print("| all | %d | %.1f | %d | %.1f | | |" % (ic, tc, iw, tw))
    print()
    print("warm/cold: solve time %.2f, iterations %.2f (wall of the whole range: cold %.1f s, warm %.1f s)" % (
        tw / tc, iw / ic, float(open("%s/sweep-%s-cold.s" % (d, meth)).read()),
        float(open("%s/sweep-%s-warm.s" % (d, meth)).read())))
PYEOF
fi
