#!/usr/bin/env bash
# Sifting (docs/solver.md "Monolithic"): the monolithic simplex's default.
#  1-2. a generated one-day model and the bundled model: the sifted solve from
#       GLPK's advanced basis (--no-period-start; the period start is
#       test_period_start.sh's) and `--no-sift` reach the same objective
#       (relative 1e-9); the sifted one priced columns in (at least 2 rounds,
#       -v), --no-sift did not sift;
#  3.   the independent evaluator (tools/check-solution.py) holds on the sifted
#       result of the generated model;
#  4.   a time limit that stops the sifting early (the 100k model, 1 s): a
#       feasible or optimal status, and the written point passes the evaluator
#       (the columns left out are at 0, which the model allows);
#  5.   warm sifting in the decomposition (docs/solver.md "Sifting"): a 4-day
#       generated model by time blocks on 2 ranks, the default and --no-sift,
#       reach the same objective; the default's pricing re-solves sifted (-v
#       "sifting (warm)"), --no-sift's did not; the evaluator holds on the
#       default's result.
set -u
cd "$(dirname "$0")/../.."
. tests/e2e/lib/solve.sh

G=$tmp/gen
$BIN generate --regions 10 --sites 20 --periods 24 --seed 5 -o "$G" >/dev/null 2>&1
for m in gen bundled; do
  sc=$G/scenario.yaml
  [ $m = bundled ] && sc=models/china-2024/scenario.yaml
  $BIN -v solve "$sc" --method monolithic --no-period-start -o "$tmp/$m-sift.h5" >"$tmp/$m-sift.log" 2>&1
  r1=$?
  $BIN -v solve "$sc" --method monolithic --no-sift -o "$tmp/$m-plain.h5" >"$tmp/$m-plain.log" 2>&1
  r2=$?
  a=$(obj "$tmp/$m-sift.log") b=$(obj "$tmp/$m-plain.log")
  rounds=$(sed -n 's/.*sifting: \([0-9]*\) rounds.*/\1/p' "$tmp/$m-sift.log")
  if [ $r1 = 0 ] && [ $r2 = 0 ] && [ -n "$a" ] && [ -n "$b" ] && same "$a" "$b" &&
     [ "${rounds:-0}" -ge 2 ] && ! grep -q 'sifting' "$tmp/$m-plain.log"; then
    ok "$m: sifted ($rounds rounds) and --no-sift reach the same optimum ($a, $b)"
  else
    no "$m: sifted and --no-sift differ or did not run as asked" "exit $r1 $r2, objectives '$a' '$b', rounds '$rounds'"
  fi
done
if $PY $CHK "$G/scenario.yaml" "$tmp/gen-sift.h5" >"$tmp/chk.log" 2>&1; then
  ok "the independent evaluator holds on the sifted result"
else
  no "the independent evaluator fails on the sifted result" "$(tail -3 "$tmp/chk.log")"
fi

# a time limit inside the sifting
X=$tmp/100k
$BIN generate --target-vars 100k --seed 1 -o "$X" >/dev/null 2>&1
$BIN -v solve "$X/scenario.yaml" --method monolithic --time-limit 1 -o "$tmp/tl.h5" >"$tmp/tl.log" 2>&1
rc=$?
st=$(sed -n 's/.*status \([a-z_]*\), objective.*/\1/p' "$tmp/tl.log" | tail -1)
if [ $rc = 0 ] && { [ "$st" = feasible ] || [ "$st" = optimal ]; } &&
   $PY $CHK "$X/scenario.yaml" "$tmp/tl.h5" >"$tmp/chk2.log" 2>&1; then
  ok "a 1 s limit inside the sifting: status $st ($(grep -c 'sifting round' "$tmp/tl.log") rounds done), the point passes the evaluator"
else
  no "a 1 s limit inside the sifting" "exit $rc, status '$st'" "$(tail -3 "$tmp/chk2.log" 2>/dev/null)"
fi
# warm sifting in the decomposition's pricing re-solves
D=$tmp/days
$BIN generate --regions 8 --sites 10 --periods 96 --seed 5 --weights -o "$D" >/dev/null 2>&1
MPI=(mpirun --oversubscribe -np 2)
"${MPI[@]}" $BIN -v solve "$D/scenario.yaml" --method dw -o "$tmp/dw.h5" >"$tmp/dw.log" 2>&1
r1=$?
"${MPI[@]}" $BIN -v solve "$D/scenario.yaml" --method dw --no-sift -o "$tmp/dw-plain.h5" >"$tmp/dw-plain.log" 2>&1
r2=$?
a=$(obj "$tmp/dw.log") b=$(obj "$tmp/dw-plain.log")
warm=$(grep -c 'sifting (warm)' "$tmp/dw.log")
if [ $r1 = 0 ] && [ $r2 = 0 ] && [ -n "$a" ] && [ -n "$b" ] && same "$a" "$b" &&
   [ "$warm" -ge 1 ] && ! grep -q 'sifting' "$tmp/dw-plain.log" &&
   $PY $CHK "$D/scenario.yaml" "$tmp/dw.h5" >"$tmp/chk3.log" 2>&1; then
  ok "decomposition, 2 ranks: $warm warm-sifted pricing re-solves and --no-sift reach the same optimum ($a, $b); the evaluator holds"
else
  no "decomposition with and without warm sifting" "exit $r1 $r2, objectives '$a' '$b', warm sifts '$warm'" "$(tail -3 "$tmp/chk3.log" 2>/dev/null)"
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
