#!/usr/bin/env bash
# The period start of the monolithic simplex (docs/solver.md "The period
# start"): the LP's demand windows split by period, its periods solved apart
# on the ranks, the whole split LP sifted from their bases on rank 0.
#  1. the bundled model at 1, 2 and 3 ranks (3 oversubscribed) and with
#     --no-period-start: the same objective (relative 1e-9); the log names
#     the start and its rank count; 1, 2 and 3 ranks give the same pivots
#     and objective to the last printed digit (each period's LP is solved
#     the same way whichever rank holds it);
#  2. a generated model with hub green shares and a carbon cap, at 2 ranks,
#     with and without the start: the periods alone miss rows over the
#     horizon and the passes that price them in miss fewer (-v's "period
#     start: pass N" lines); the same objective; the independent
#     evaluator (tools/check-solution.py) holds on both results, which
#     checks the point and the duals the split LP's back map produced;
#  3. the same model without hub shares or a cap (a feasible start): the
#     sifting from it solves its working set (2 rounds or more, pivots > 0),
#     the same objective as --no-period-start;
#  4. one period (nothing to split): no start, the plain sifting.
set -u
cd "$(dirname "$0")/../.."
. tests/e2e/lib/solve.sh
its() { sed -n 's/.*objective [-0-9.e+]* yuan, gap [-0-9.e+]*, \([0-9]*\) iterations.*/\1/p' "$1" | tail -1; }
MPI=(mpirun --oversubscribe)

B=models/china-2024/scenario.yaml
for np in 1 2 3; do
  "${MPI[@]}" -np $np $BIN -v solve "$B" --method monolithic -o "$tmp/b$np.h5" >"$tmp/b$np.log" 2>&1
  echo $? >"$tmp/b$np.rc"
done
$BIN -v solve "$B" --method monolithic --no-period-start -o "$tmp/b0.h5" >"$tmp/b0.log" 2>&1
r0=$?
a0=$(obj "$tmp/b0.log") a1=$(obj "$tmp/b1.log") a2=$(obj "$tmp/b2.log") a3=$(obj "$tmp/b3.log")
i1=$(its "$tmp/b1.log") i2=$(its "$tmp/b2.log") i3=$(its "$tmp/b3.log")
if [ $r0 = 0 ] && [ "$(cat "$tmp"/b[123].rc | tr -d '\n')" = 000 ] && [ -n "$a0" ] && [ -n "$a1" ] &&
   same "$a0" "$a1" && ! grep -q 'period start' "$tmp/b0.log" &&
   grep -q 'period start: 24 periods solved apart on 1 rank,' "$tmp/b1.log" &&
   grep -q 'period start: 24 periods solved apart on 2 ranks,' "$tmp/b2.log" &&
   grep -q 'period start: 24 periods solved apart on 3 ranks,' "$tmp/b3.log"; then
  ok "bundled: the period start at 1-3 ranks and --no-period-start reach the same optimum ($a1, $a0)"
else
  no "bundled: the period start" "exit $r0 $(cat "$tmp"/b[123].rc | tr '\n' ' '), objectives '$a0' '$a1' '$a2' '$a3'" \
     "$(grep -h 'period start\|error' "$tmp"/b[0123].log | head -4)"
fi
if [ -n "$i1" ] && [ "$a1" = "$a2" ] && [ "$a1" = "$a3" ] && [ "$i1" = "$i2" ] && [ "$i1" = "$i3" ]; then
  ok "bundled: 1, 2 and 3 ranks take the same path ($i1 pivots, objective $a1 each)"
else
  no "bundled: the rank count changed the path" "objectives '$a1' '$a2' '$a3', pivots '$i1' '$i2' '$i3'"
fi

G=$tmp/gen
$BIN generate --regions 10 --sites 20 --periods 24 --seed 5 -o "$G" >/dev/null 2>&1
# the generator gives hubs green shares (hubs.csv); a cap below the 1.65M
# tCO2 this model emits without one binds
printf 'carbon_cap: %s\n' 1.5e6 >>"$G/scenario.yaml"
"${MPI[@]}" -np 2 $BIN -v solve "$G/scenario.yaml" --method monolithic -o "$tmp/g.h5" >"$tmp/g.log" 2>&1
r1=$?
"${MPI[@]}" -np 2 $BIN -v solve "$G/scenario.yaml" --method monolithic --no-period-start -o "$tmp/g0.h5" >"$tmp/g0.log" 2>&1
r2=$?
a=$(obj "$tmp/g.log") b=$(obj "$tmp/g0.log")
# the periods alone miss rows over the horizon; priced in, the last pass
# misses fewer (this model: 7 of 8, then 0)
m1=$(sed -n 's/^period start: pass 1: \([0-9]*\) of.*/\1/p' "$tmp/g.log")
m6=$(sed -n 's/^period start: pass 6: \([0-9]*\) of.*/\1/p' "$tmp/g.log")
if [ "${m1:-0}" -ge 1 ] && [ -n "$m6" ] && [ "$m6" -lt "$m1" ]; then
  ok "generated: the periods missed $m1 rows over the horizon, priced in $m6 after 6 passes"
else
  no "generated: the multipliers of the rows over the horizon" "$(grep '^period start' "$tmp/g.log")"
fi
if [ $r1 = 0 ] && [ $r2 = 0 ] && [ -n "$a" ] && [ -n "$b" ] && same "$a" "$b" &&
   grep -q 'period start: 24 periods solved apart on 2 ranks' "$tmp/g.log" &&
   $PY $CHK "$G/scenario.yaml" "$tmp/g.h5" >"$tmp/chk.log" 2>&1 &&
   $PY $CHK "$G/scenario.yaml" "$tmp/g0.h5" >"$tmp/chk0.log" 2>&1; then
  ok "generated, hub shares and a carbon cap, 2 ranks: with and without the start the same optimum ($a, $b); the evaluator holds on both"
else
  no "generated, 2 ranks: the period start" "exit $r1 $r2, objectives '$a' '$b'" \
     "$(tail -3 "$tmp/chk.log" 2>/dev/null)" "$(grep -h 'period start\|error' "$tmp/g.log" | head -3)"
fi

# without hub shares or a cap the start is primal feasible: the sifting must
# still solve its working set before it stops (it once priced, found no x to
# add, and left the whole LP to a simplex over all its columns: the shift
# columns, always in the set, were never improved; 500k 188 s instead of 25)
N=$tmp/nogreen
cp -r "$G" "$N"
sed -i '/^carbon_cap/d' "$N/scenario.yaml"
$PY - "$N/hubs.csv" <<'PYEOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
i = rows[0].index("min_green_share")
for r in rows[1:]:
    r[i] = ""
csv.writer(open(sys.argv[1], "w", newline=""), lineterminator="\n").writerows(rows)
PYEOF
$BIN -v solve "$N/scenario.yaml" --method monolithic -o "$tmp/n.h5" >"$tmp/n.log" 2>&1
r1=$?
$BIN -v solve "$N/scenario.yaml" --method monolithic --no-period-start -o "$tmp/n0.h5" >"$tmp/n0.log" 2>&1
r2=$?
a=$(obj "$tmp/n.log") b=$(obj "$tmp/n0.log")
warm=$(grep '^sifting (warm)' "$tmp/n.log")
wr=$(echo "$warm" | sed -n 's/.*: \([0-9]*\) rounds, \([0-9]*\) pivots.*/\1 \2/p')
if [ $r1 = 0 ] && [ $r2 = 0 ] && [ -n "$a" ] && [ -n "$b" ] && same "$a" "$b" &&
   [ "${wr%% *}" -ge 2 ] 2>/dev/null && [ "${wr##* }" -gt 0 ]; then
  ok "no hub shares, no cap (a feasible start): the start's sifting solves its working set ($warm), the same optimum ($a, $b)"
else
  no "no hub shares, no cap: the start's sifting" "exit $r1 $r2, objectives '$a' '$b'" "$warm"
fi

O=$tmp/one
$BIN generate --regions 6 --sites 8 --periods 1 --seed 2 -o "$O" >/dev/null 2>&1
$BIN -v solve "$O/scenario.yaml" --method monolithic -o "$tmp/o.h5" >"$tmp/o.log" 2>&1
r=$?
if [ $r = 0 ] && ! grep -q 'period start' "$tmp/o.log" && grep -q '^sifting: ' "$tmp/o.log"; then
  ok "one period: no period start, the plain sifting"
else
  no "one period" "exit $r" "$(grep -h 'period start\|sifting:\|error' "$tmp/o.log" | head -3)"
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
