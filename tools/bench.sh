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
#   BENCH_NOSIFT  "" leaves out the size table's row of the monolithic simplex
#                 without sifting (--no-sift; on by default)
#   BENCH_NOPSTART  "" leaves out the size table's row of the monolithic simplex
#                 without the period start (--no-period-start; on by default)
#   BENCH_DIR     work directory (default: a temporary one, removed at the end)
#   BENCH_SWEEP   sweep tasks of the warm-start table (default "0-3" of
#                 jobs/carbon-price.yaml on the bundled model; "" skips it)
#   BENCH_VARIANTS  model size of the decomposition-variant table (block layouts,
#                 smoothing; default 50k; "" skips it)
#   BENCH_MIP     investment MIPs of the MIP table (default "100k bundled"; "" skips
#                 it): 100k is `cnopt generate --target-vars 100k --expansions`,
#                 bundled models/china-2024/scenario-expansion.yaml; also "week" and
#                 "year": the bundled year model's first week or whole year with
#                 `--set expansion=true`, by the default solve on 2 ranks to
#                 `--mip-gap 1e-3` only (issue 14's year target; CBC and branch and
#                 bound are not run on 16.9M columns), limit BENCH_YEAR_LIMIT (the
#                 year takes about an hour, docs/benchmarks.md "Warm sifting")
#   BENCH_YEAR    representative-day counts of the year table (default "": off, the
#                 full year takes 1-3 hours; e.g. "12 24 48"): the bundled year
#                 (models/china-2024-year) solved at full resolution at the rank
#                 counts BENCH_YEAR_RANKS (default "2 1"), `cnopt aggregate --days N`
#                 of it solved on 2 ranks, and the error of each against the full
#                 year (docs/time.md); BENCH_YEAR_LIMIT seconds a run (default 14400);
#                 BENCH_YEAR_FULL=FILE.h5 takes the full year from an earlier run
#                 instead of solving it (the table says so); needs h5py (--report)
#   BENCH_CHAIN   rank counts of the chain table (default "1 2"; "" skips it): the
#                 bundled week (models/china-2024-year/scenario-week.yaml, 7 day
#                 blocks) by CLP's dual simplex on its MPS, and by the decomposition
#                 with every day's first solve cold (--chain 1) and with the default
#                 chains (docs/solver.md "Chains"), at each rank count; about 15 min;
#                 BENCH_CHAIN_SCENARIO=FILE.yaml another whole-day scenario
#   BENCH_SCALING   rank counts of the scaling table (default "1 2 4 8", on the
#                 size BENCH_SCALE_SIZE, default 50k; "" skips it); ranks past the
#                 cores are oversubscribed with OMPI_MCA_mpi_yield_when_idle=1
set -u
cd "$(dirname "$0")/.."
tools/setup-deps.sh --bench >/dev/null
sizes=${BENCH_SIZES-50k 500k 2M}
limit=${BENCH_LIMIT:-900}
ranks=${BENCH_RANKS:-1 2 4}
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
# a waiting rank yields its core (oversubscribed runs; docs/scaling.md)
export OMPI_MCA_mpi_yield_when_idle=1
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

# split LOG: rank 0's master seconds, the largest pricing seconds of any rank,
# and the sum over ranks of MiB sent, from the decomposition's end-of-run table
split() {
  awk '/time by rank/ {t = 1; next} t && $1 ~ /^[0-9]+$/ && NF == 6 {
         if ($1 == 0) m = $3; if ($2 > p) p = $2; b += $6; next } t && !/rank/ {t = 0}
       END { printf "%s %s %s\n", (m == "" ? "-" : m), (p == "" ? "-" : p), (b == "" ? "-" : b) }' "$1"
}

# gen SIZE: the generated model of that size (made once), its x and all columns
gen() {
  local m=$dir/gen-$1
  [ -f "$m/scenario.yaml" ] || $BIN generate --target-vars "$1" --seed 1 -o "$m" --force >/dev/null 2>&1
  echo "$m"
}

[ -n "$sizes" ] && printf '| model | x vars | columns | solver | ranks | wall s | vs GLPK | vs CLP | iterations | status | master %% of wall | peak MiB/rank |\n'
[ -n "$sizes" ] && printf '|---|---|---|---|---|---|---|---|---|---|---|---|\n'
for size in $sizes; do
  m=$(gen "$size")
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
  row() { # solver ranks secs status its mem [log]
    local vs_glpk vs_clp mpct=-
    vs_glpk=$(echo "scale=2; $mono_s / $3" | bc 2>/dev/null)
    vs_clp=$(echo "scale=2; $clp_s / $3" | bc 2>/dev/null)
    [ "$mono_st" = optimal ] || vs_glpk=">$vs_glpk"
    if [ -n "${7:-}" ]; then
      read -r ms _ _ < <(split "$7")
      [ "$ms" = - ] || mpct=$(echo "scale=0; 100 * $ms / $3" | bc)
    fi
    printf '| %s | %s | %s | %s | %s | %.1f | %s | %s | %s | %s | %s | %s |\n' \
      "$size" "$nx" "$nc" "$1" "$2" "$3" "${vs_glpk}x" "${vs_clp}x" "$5" "$4" "$mpct" "$6"
  }
  printf '| %s | %s | %s | %s | %s | %.1f | %s | %s | %s | %s | %s | %s |\n' \
    "$size" "$nx" "$nc" "CLP dual simplex" 1 "$clp_s" "-" "1x" "-" "$clp_st" "-" "$clp_mem"
  row "GLPK simplex (monolithic, sifting from the period start: the default)" 1 "$mono_s" "$mono_st" "$mono_it" "$mono_mem"
  if [ -n "${BENCH_NOSIFT-1}" ]; then
    read -r s st it mem < <(measure "nosift-$size" $BIN solve "$m/scenario.yaml" \
        --method monolithic --no-sift --time-limit "$limit" -o "$dir/nosift-$size.h5" --force)
    row "GLPK simplex (monolithic, --no-sift)" 1 "$s" "$st" "$it" "$mem"
  fi
  if [ -n "${BENCH_NOPSTART-1}" ]; then
    read -r s st it mem < <(measure "nopstart-$size" $BIN solve "$m/scenario.yaml" \
        --method monolithic --no-period-start --time-limit "$limit" -o "$dir/nopstart-$size.h5" --force)
    row "GLPK simplex (monolithic, sifting, --no-period-start)" 1 "$s" "$st" "$it" "$mem"
  fi
  for np in $ranks; do
    read -r s st it mem < <(measure "dw$np-$size" mpirun -np "$np" --oversubscribe $BIN solve \
        --method dw "$m/scenario.yaml" --time-limit "$limit" -o "$dir/dw$np-$size.h5" --force)
    row "decomposition (dw)" "$np" "$s" "$st" "$it" "$mem" "$dir/dw$np-$size.log"
  done
  # the default (--method auto) on 2 ranks: the issue's target row
  read -r s st it mem < <(measure "auto2-$size" mpirun -np 2 --oversubscribe $BIN solve \
      "$m/scenario.yaml" --time-limit "$limit" -o "$dir/auto2-$size.h5" --force)
  how=$(sed -n 's/.*method auto: \([a-z]*\) .*/\1/p' "$dir/auto2-$size.log" | head -1)
  row "default (auto: ${how:-?})" 2 "$s" "$st" "$it" "$mem" "$dir/auto2-$size.log"
done
[ -n "$sizes" ] && echo
[ -n "$sizes" ] && echo "wall s: elapsed time of the whole command (read, build, solve, write); vs GLPK/CLP: their"
[ -n "$sizes" ] && echo "time divided by this row's (>1 = faster); a '>' marks a GLPK run stopped at the limit" &&
  echo "(${limit} s), whose ratio is a lower bound.  CLP: 'clp MODEL.mps -dualsimplex' on the" &&
  echo "exported model (solve only)."
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end."

# ---- the investment MIP: CBC and GLPK's branch and bound against Benders
mips=${BENCH_MIP-100k bundled}
if [ -n "$mips" ]; then
  echo
  echo "Investment MIP (expansion: true; docs/benchmarks.md \"The investment MIP\")"
  echo
  echo "| model | columns | integers | solver | ranks | wall s | vs CBC | vs GLPK B&B | objective | modules built | status | iterations |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  for mm in $mips; do
    if [ "$mm" = week ] || [ "$mm" = year ]; then
      sc=$PWD/models/china-2024-year/scenario.yaml
      [ "$mm" = week ] && sc=$PWD/models/china-2024-year/scenario-week.yaml
      ylim=${BENCH_YEAR_LIMIT:-14400}
      read -r s st it _ < <(limit=$ylim measure "bd2-$mm" mpirun -np 2 --oversubscribe $BIN solve "$sc" \
          --set expansion=true --mip-gap 1e-3 --time-limit "$ylim" -o "$dir/bd2-$mm.h5" --force)
      nc=$(sed -n 's/.*(\([0-9]*\) LP columns.*/\1/p' "$dir/bd2-$mm.log" | head -1)
      ni=$(sed -n 's/^benders: \([0-9]*\) expansion rows.*/\1/p' "$dir/bd2-$mm.log" | head -1)
      gap=$(sed -n 's/.*status [a-z_]*, objective .*, gap \([0-9.e+-]*\),.*/\1/p' "$dir/bd2-$mm.log" | tail -1)
      read -r obj built < <(/usr/bin/python3 -c 'import sys, h5py
f = h5py.File(sys.argv[1])
print("%.10g %g" % (f["/"].attrs["objective"], f["solution"]["expansion_modules"][:].sum()))' "$dir/bd2-$mm.h5" 2>/dev/null)
      printf '| %s | %s | %s | %s | 2 | %.1f | - | - | %s | %s | %s (gap %s) | %s |\n' "$mm" "$nc" "$ni" \
        "default: Benders to --mip-gap 1e-3 (CBC, B&B not run)" "$s" "${obj:--}" "${built:--}" "$st" "${gap:--}" "$it"
      continue
    fi
    if [ "$mm" = bundled ]; then
      sc=$PWD/models/china-2024/scenario-expansion.yaml
    else
      mdir=$dir/mip-$mm
      [ -f "$mdir/scenario.yaml" ] || $BIN generate --target-vars "$mm" --expansions -o "$mdir" --force >/dev/null 2>&1
      sc=$mdir/scenario.yaml
    fi
    nc=$($BIN validate "$sc" | sed -n 's/^LP *\([0-9]*\) variables.*/\1/p')
    ni=$($BIN validate "$sc" | sed -n 's/^LP .*integer \([0-9]*\)).*/\1/p')
    $BIN -q solve "$sc" --method monolithic --write-mps "$dir/mip-$mm.mps" --time-limit 0.001 \
         -o "$dir/x.h5" --force >/dev/null 2>&1
    t0=$(now)
    timeout --signal=KILL "$limit" cbc "$dir/mip-$mm.mps" -solve -quit >"$dir/cbc-$mm.log" 2>&1
    cbc_s=$(echo "$(now) - $t0" | bc)
    cbc_obj=$(sed -n 's/^Objective value: *\([0-9.e+-]*\).*/\1/p' "$dir/cbc-$mm.log" | head -1)
    cbc_st=$(grep -q "^Result - Optimal" "$dir/cbc-$mm.log" && echo optimal || echo "$(sed -n 's/^Result - //p' "$dir/cbc-$mm.log" | head -1)")
    read -r bb_s bb_st bb_it _ < <(measure "bb-$mm" $BIN solve "$sc" --method monolithic \
        --time-limit "$limit" -o "$dir/bb-$mm.h5" --force)
    mrow() { # solver ranks secs status its h5
      local obj built
      read -r obj built < <(/usr/bin/python3 -c 'import sys, h5py
f = h5py.File(sys.argv[1])
print("%.10g %g" % (f["/"].attrs["objective"], f["solution"]["expansion_modules"][:].sum()))' "$6" 2>/dev/null)
      printf '| %s | %s | %s | %s | %s | %.1f | %sx | %sx | %s | %s | %s | %s |\n' "$mm" "$nc" "$ni" "$1" "$2" "$3" \
        "$(echo "scale=2; $cbc_s / $3" | bc)" "$(echo "scale=2; $bb_s / $3" | bc)" "${obj:--}" "${built:--}" "$4" "$5"
    }
    printf '| %s | %s | %s | %s | %s | %.1f | 1x | %sx | %s | - | %s | - |\n' "$mm" "$nc" "$ni" "CBC" 1 "$cbc_s" \
      "$(echo "scale=2; $bb_s / $cbc_s" | bc)" "${cbc_obj:--}" "${cbc_st:-failed}"
    mrow "GLPK branch and bound (--method monolithic)" 1 "$bb_s" "$bb_st" "$bb_it" "$dir/bb-$mm.h5"
    for np in 1 2; do
      read -r s st it _ < <(measure "bd$np-$mm" mpirun -np "$np" --oversubscribe $BIN solve "$sc" \
          --time-limit "$limit" -o "$dir/bd$np-$mm.h5" --force)
      how=$(sed -n 's/.*its subproblems by \([a-z]*\).*/\1/p' "$dir/bd$np-$mm.log" | head -1)
      mrow "default: Benders, subproblems $how" "$np" "$s" "$st" "$it" "$dir/bd$np-$mm.h5"
    done
    read -r s st it _ < <(measure "bdw2-$mm" mpirun -np 2 --oversubscribe $BIN solve "$sc" --method dw \
        --time-limit "$limit" -o "$dir/bdw2-$mm.h5" --force)
    mrow "Benders, subproblems by the decomposition (--method dw)" 2 "$s" "$st" "$it" "$dir/bdw2-$mm.h5"
  done
  echo
  echo "wall s: the whole command (CBC: 'cbc MODEL.mps -solve -quit' on the exported model, reading"
  echo "included); vs CBC / vs GLPK B&B: their time divided by this row's (>1 = faster); iterations:"
  echo "Benders' subproblems, or GLPK's simplex pivots for branch and bound."
fi

# ---- decomposition variants on one model: block layouts and smoothing
vsize=${BENCH_VARIANTS-50k}
if [ -n "$vsize" ]; then
  m=$(gen "$vsize")
  echo
  echo "Decomposition variants, $vsize model, 1 rank (docs/benchmarks.md \"Block layouts\")"
  echo
  echo "| variant | options | wall s | iterations | status | master s | pricing s |"
  echo "|---|---|---|---|---|---|---|"
  while IFS='|' read -r label opts; do
    # shellcheck disable=SC2086
    read -r s st it _ < <(measure "var-$label" $BIN solve --method dw $opts "$m/scenario.yaml" \
        --time-limit "$limit" -o "$dir/var.h5" --force)
    read -r ms ps _ < <(split "$dir/var-$label.log")
    printf '| %s | `%s` | %.1f | %s | %s | %s | %s |\n' "$label" "${opts:-(defaults)}" "$s" "$it" "$st" "$ms" "$ps"
  done <<'EOV'
site-period blocks, fixed smoothing 0.5|
part-period blocks|--blocks part-period
part blocks (whole horizon)|--blocks part
self-adjusting smoothing|--smoothing auto
no smoothing|--smoothing 0
EOV
fi

# ---- scaling: per-rank work at 1, 2, 4, 8 ranks (docs/scaling.md)
scal=${BENCH_SCALING-1 2 4 8}
if [ -n "$scal" ]; then
  ssize=${BENCH_SCALE_SIZE:-50k}
  m=$(gen "$ssize")
  parts=$(( $($BIN validate "$m/scenario.yaml" | sed -n 's/^counts .* sites \([0-9]*\),.*/\1/p') / 8 ))
  [ "$parts" -ge 8 ] || parts=8
  echo
  echo "Scaling, $ssize model, --parts $parts at every rank count (the same iterations)"
  echo
  echo "| ranks | wall s | iterations | objective | master s (rank 0) | pricing s (slowest rank) | MiB sent (all ranks) |"
  echo "|---|---|---|---|---|---|---|"
  for np in $scal; do
    read -r s st it _ < <(measure "scal$np" mpirun -np "$np" --oversubscribe $BIN solve --method dw \
        --parts "$parts" "$m/scenario.yaml" --time-limit "$limit" -o "$dir/scal$np.h5" --force)
    read -r ms ps mib < <(split "$dir/scal$np.log")
    obj=$(sed -n 's/.*objective \([0-9.e+]*\) yuan.*/\1/p' "$dir/scal$np.log" | tail -1)
    printf '| %s | %.1f | %s | %s | %s | %s | %s |\n' "$np" "$s" "$it" "$obj" "$ms" "$ps" "$mib"
  done
  echo
  echo "Per-rank rows of the largest run:"
  sed -n '/time by rank/,/^status/p' "$dir/scal${scal##* }.log" | grep -v '^status'
fi

# ---- warm start across the tasks of a sweep range (docs/sweeps.md)
swp=${BENCH_SWEEP-0-3}
if [ -n "$swp" ]; then
  sed -e "s|^scenario: .*|scenario: $PWD/models/china-2024/scenario.yaml|" \
      -e '/^outdir:/d' -e '/^solve_args:/d' jobs/carbon-price.yaml >"$dir/cp-base.yaml"
  echo "outdir: $dir/sweep" >>"$dir/cp-base.yaml"
  { cat "$dir/cp-base.yaml"; echo "solve_args: [--method, dw]"; } >"$dir/cp-dw.yaml"
  sed -e 's/^name: carbon-price/name: cpm/' "$dir/cp-base.yaml" >"$dir/cp-mono.yaml"
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

# ---- chains: a day's first pricing solve from the day before's basis (the week)
chranks=${BENCH_CHAIN-1 2}
if [ -n "$chranks" ]; then
  wsc=${BENCH_CHAIN_SCENARIO:-$PWD/models/china-2024-year/scenario-week.yaml}
  $BIN -q solve "$wsc" --method monolithic --write-mps "$dir/week.mps" --time-limit 0.001 \
       -o "$dir/x.h5" --force >/dev/null 2>&1
  t0=$(now)
  timeout --signal=KILL "$limit" clp "$dir/week.mps" -dualsimplex >"$dir/clp-week.log" 2>&1
  wclp_s=$(echo "$(now) - $t0" | bc)
  wclp_obj=$(sed -n 's/^Optimal - objective value \(.*\)/\1/p' "$dir/clp-week.log" | head -1)
  echo
  echo "Chains on ${wsc#$PWD/} (docs/solver.md \"Chains\")"
  echo
  echo "| solver | ranks | chain | wall s | vs CLP | iteration 1 s | iterations | status | objective | peak MiB/rank |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  printf '| CLP dual simplex | 1 | - | %.1f | 1x | - | - | %s | %s | - |\n' "$wclp_s" \
    "$([ -n "$wclp_obj" ] && echo optimal || echo failed)" "${wclp_obj:--}"
  for np in $chranks; do
    for ch in 1 default; do
      opt=(); [ "$ch" = default ] || opt=(--chain "$ch")
      read -r s st it mem < <(measure "chain$ch-$np" mpirun -np "$np" --oversubscribe $BIN solve \
          --method dw "${opt[@]}" -v "$wsc" --time-limit "$limit" -o "$dir/chain$ch-$np.h5" --force)
      lg=$dir/chain$ch-$np.log
      used=$(sed -n 's/.*chains of \([0-9]*\) time blocks.*/\1/p' "$lg" | head -1)
      it1=$(awk '$1 == 1 && $2 == "master" { print $(NF - 1); exit }' "$lg")
      obj=$(sed -n 's/.*objective \([0-9.e+]*\) yuan.*/\1/p' "$lg" | tail -1)
      printf '| decomposition (dw)%s | %s | %s | %.1f | %sx | %s | %s | %s | %s | %s |\n' \
        "$([ "$ch" = 1 ] && echo ", every first solve cold" || echo ", default chains")" "$np" \
        "${used:-1}" "$s" "$(echo "scale=2; $wclp_s / $s" | bc)" "${it1:--}" "$it" "$st" "${obj:--}" "$mem"
    done
  done
  echo
  echo "chain: the time blocks of a chain (1: every day's first pricing solve cold); iteration 1 s:"
  echo "elapsed at the end of the first iteration (from -v); CLP: 'clp week.mps -dualsimplex' (read and solve)."
fi

# ---- the year at full resolution against representative days (docs/time.md)
ydays=${BENCH_YEAR-}
if [ -n "$ydays" ]; then
  ysc=$PWD/models/china-2024-year/scenario.yaml
  yranks=${BENCH_YEAR_RANKS-2 1}
  ylimit=${BENCH_YEAR_LIMIT:-14400}
  rows=()  # label|ranks|measured|H5|wall s|peak MiB a rank
  full=${BENCH_YEAR_FULL:-}
  [ -z "$full" ] || rows+=("full year|-|earlier run|$full|-|-")
  for np in $yranks; do
    read -r s _ _ mem < <(limit=$ylimit measure "year$np" mpirun -np "$np" --oversubscribe $BIN \
        solve "$ysc" --time-limit "$ylimit" -o "$dir/year$np.h5" --force)
    [ -n "$full" ] || full=$dir/year$np.h5
    rows+=("full year|$np|this run|$dir/year$np.h5|$s|$mem")
  done
  for n in $ydays; do
    $BIN -q aggregate "$ysc" --days "$n" -o "$dir/year-$n" --force >"$dir/year-$n.txt"
    read -r s _ _ mem < <(limit=$ylimit measure "yagg$n" mpirun -np 2 --oversubscribe $BIN \
        solve "$dir/year-$n/scenario.yaml" --time-limit "$ylimit" -o "$dir/yagg$n.h5" --force)
    rows+=("$n days (k-medoids)|2|this run|$dir/yagg$n.h5|$s|$mem")
  done
  echo
  echo "The year against representative days: models/china-2024-year, default method; errors"
  echo "against the full year of the first row (docs/time.md \"Aggregation error\")"
  echo
  /usr/bin/python3 - "$full" "${rows[@]}" <<'PYEOF'
import sys
sys.path.insert(0, "tools")
from aggregation_metrics import figures, rel
full = figures(sys.argv[1])
print("| model | periods | ranks | wall s | peak MiB/rank | status | objective (yuan) | error"
      " | emissions error | green share error (pp) | east-to-west error | measured |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for a in sys.argv[2:]:
    label, ranks, origin, h5, wall, mem = a.split("|")
    g = figures(h5)
    if wall == "-":  # an earlier run: its solve seconds, from the file
        wall = "%.0f (solve)" % g["solve_seconds"]
    else:
        wall = "%.0f" % float(wall)
    print("| %s | %d | %s | %s | %s | %s | %.10g | %+.3f%% | %+.3f%% | %+.3f | %+.3f%% | %s |" % (
        label, g["periods"], ranks, wall, mem, g["status"], g["objective_yuan"],
        rel(g["objective_yuan"], full["objective_yuan"]),
        rel(g["emissions_tco2"], full["emissions_tco2"]),
        100 * (g["green_share"] - full["green_share"]),
        rel(g["e2w_pflops_h"], full["e2w_pflops_h"]), origin))
PYEOF
  echo
  echo "wall s: the whole command; peak MiB/rank: the largest rank's peak resident memory, as"
  echo "cnopt prints it; an earlier run's row has only its solve seconds (from the file)."
fi
