#!/usr/bin/env bash
# tests/e2e/test_invest.sh - the investment figures (docs/model.md section 10) of
# `cnopt info`, the report and sweep --collect, on a MIP worked out by hand.
#
# The model (tests/e2e/models/invest): one region r, one class c (cpu, window 1,
# penalty 10000 yuan/(PFLOPS*h)), 2 periods of 1 h, weight 10, so one PFLOPS for one
# period costs 10 x grid price x 1 MW/PFLOPS (pue 1, no green power, no carbon):
#   s1 Cheap  100 yuan/MWh -> 1000 yuan/PFLOPS-period, 10 PFLOPS, no power cap
#   s2 Dear   500          -> 5000,                   100 PFLOPS, no power cap
#   s3 Capped 200          -> 2000,                    20 PFLOPS, power cap 8 MW
# demand 40 PFLOPS in period 0 and 36 in period 1 (unserving costs 100000 > 5000).
# Expansions (module PFLOPS, MW, cost, max):
#   s1 cpu  5, 1,  25000, 3    s2 cpu 10, 1, 5000, 1    s3 cpu 10, 2, 100000, 2
# Optimum: s3 gives its 8 MW (8 PFLOPS) both periods, s1 its capacity, s2 the rest.
#   - an s1 module moves 5 PFLOPS from s2 to s1 in each period: saves 5 x 4000 x 2 =
#     40000 > 25000 for each of the 3 (s2 still serves 40-25-8 = 7 and 36-25-8 = 3):
#     y_s1 = 3, 75000 yuan.  At the fixed-y LP the s1 capacity price is -4000 per
#     PFLOPS-period in both periods: value = -(5 x -8000) = 40000, net 15000.
#   - an s2 module adds capacity where none binds: value 0, net -5000, not built.
#   - an s3 module adds 2 MW of power cap (its 10 PFLOPS are not the limit): 2 MW x
#     3000 (s2 - s3) x 2 periods = 12000 < 100000: not built; the power-cap price is
#     -3000 per MW-period: value = -(2 x -6000) = 12000, net -88000.
#   objective = energy (25+8+7) + (25+8+3) ... = 76000 + 56000 + 75000 = 207000 yuan.
# The LP is non-degenerate there (s2 strictly between 0 and its capacity in both
# periods, no unserved demand), so a finite difference of one module equals the value:
#   - s1 with max_modules 2: operating cost + 40000 (one module fewer);
#   - s3's first module as inputs (capacity 20 -> 30, power cap 8 -> 10): - 12000;
#   - s2's module as inputs (capacity 100 -> 110): 0.
# The sweep (tests/e2e/models/invest/sweep.yaml) scales the grid price by 0.1, 1, 10:
#   0.1: an s1 module saves 4000 < 25000: nothing built (plan 0, 0, 0);
#   1:   as above (3, 0, 0);
#   10:  s1 saves 400000 (3 built); the first s3 module saves 2 MW x 30000 x 2 =
#        120000 > 100000, the second only 60000 + 30000 (period 1 needs 1 more PFLOPS
#        from s2): plan (3, 0, 1), s3 value 120000, net 20000.
# Environment: CNOPT (default ./cnopt).  About 10 s.
set -u
cd "$(dirname "$0")/../.." || exit 1
BIN=${CNOPT:-./cnopt}
PY=/usr/bin/python3
CHECK=tests/e2e/invest_check.py
M=tests/e2e/models/invest
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cnopt-invest-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
notok() { echo "not ok - $1"; fail=$((fail + 1)); }
finish() { echo "$pass passed, $fail failed"; [ "$fail" = 0 ]; exit $?; }
check() {
  local name=$1; shift
  if "$@" >"$tmp/out" 2>&1; then ok "$name"; else notok "$name"; sed 's/^/    /' "$tmp/out" | tail -20; fi
}
pycheck() {
  "$PY" "$CHECK" "$@" >"$tmp/py.out" 2>&1
  local rc=$? p q
  cat "$tmp/py.out"
  p=$(grep -c '^ok - ' "$tmp/py.out"); q=$(grep -c '^not ok - ' "$tmp/py.out")
  pass=$((pass + p)); fail=$((fail + q))
  if [ "$rc" != 0 ] && [ "$q" = 0 ]; then notok "invest_check.py $1 ran (exit $rc)"; fi
}
# variant NAME SED-ON-FILE FILE: a copy of the model with one table edited
variant() {
  rm -rf "$tmp/$1"; cp -r "$M" "$tmp/$1" && sed -i "$2" "$tmp/$1/$3"
}

if [ ! -x "$BIN" ]; then notok "program $BIN exists (build it with make)"; finish; fi

# 1. cnopt info of the MIP: exactly the hand-worked figures
check "solve the investment MIP" "$BIN" solve "$M/scenario.yaml" -q -o "$tmp/base.h5"
[ -f "$tmp/base.h5" ] || finish
"$BIN" info "$tmp/base.h5" >"$tmp/info.txt" 2>&1
sed -n '/^investment (/,/^  total/p' "$tmp/info.txt" | awk 'NR > 5 { $1 = $1; print }' >"$tmp/got.txt"
cat >"$tmp/want.txt" <<'EOF'
s1 cpu 3/3 15 3 75k 40k 15k
s2 cpu 0/1 0 0 0 0 -5k
s3 cpu 0/2 0 0 0 12k -88k
total 3/6 15 3 75k
EOF
if cmp -s "$tmp/got.txt" "$tmp/want.txt"; then ok "cnopt info: investment rows built first, figures as worked out"
else notok "cnopt info: investment rows"; diff "$tmp/want.txt" "$tmp/got.txt" | sed 's/^/    /'; fi
grep -q "objective  207k yuan (207000.00;" "$tmp/info.txt" && ok "objective 207000 yuan" ||
  notok "objective 207000 yuan: $(grep '^objective' "$tmp/info.txt")"
pycheck result "$tmp/base.h5" "$tmp/info.txt"

# 2. finite differences (non-degenerate LP)
"$PY" - "$tmp/base.h5" >"$tmp/nd.txt" 2>&1 <<'EOF'
import h5py, sys
f = h5py.File(sys.argv[1], "r")
load = f["solution/site_load_pflops"][()].reshape(3, 2)
u = f["solution/u_pflops"][()]
ok = all(0 < load[1, t] < 100 for t in range(2)) and abs(u).max() < 1e-9
print("s2 load %s, unserved %s" % (load[1].tolist(), u.tolist()))
sys.exit(0 if ok else 1)
EOF
if [ $? = 0 ]; then ok "non-degenerate: s2 strictly inside its capacity, no unserved ($(cat "$tmp/nd.txt"))"
else notok "non-degenerate base: $(cat "$tmp/nd.txt")"; fi
variant s1max '2s/,3$/,2/' expansions.csv
check "solve with s1's max_modules 2" "$BIN" solve "$tmp/s1max/scenario.yaml" -q -o "$tmp/s1max.h5"
[ -f "$tmp/s1max.h5" ] && pycheck fd "$tmp/base.h5" "$tmp/s1max.h5" s1 1
variant s3mod 's/^s3,cpu,20$/s3,cpu,30/' capacity.csv && sed -i 's/^s3,Capped,h,r,1.0,8,/s3,Capped,h,r,1.0,10,/' "$tmp/s3mod/sites.csv"
check "solve with s3's first module as inputs (capacity 30, power cap 10)" \
  "$BIN" solve "$tmp/s3mod/scenario.yaml" -q -o "$tmp/s3mod.h5"
[ -f "$tmp/s3mod.h5" ] && pycheck fd "$tmp/base.h5" "$tmp/s3mod.h5" s3 -1
variant s2mod 's/^s2,cpu,100$/s2,cpu,110/' capacity.csv
check "solve with s2's module as inputs (capacity 110)" "$BIN" solve "$tmp/s2mod/scenario.yaml" -q -o "$tmp/s2mod.h5"
[ -f "$tmp/s2mod.h5" ] && pycheck fd "$tmp/base.h5" "$tmp/s2mod.h5" s2 -1

# 3. an LP: one line
check "solve it as an LP (--set expansion=false)" "$BIN" solve "$M/scenario.yaml" -q --set expansion=false -o "$tmp/lp.h5"
"$BIN" info "$tmp/lp.h5" >"$tmp/info-lp.txt" 2>&1
[ "$(grep -c '^investment' "$tmp/info-lp.txt")" = 1 ] && grep -q '^investment  expansion off' "$tmp/info-lp.txt" &&
  ok "cnopt info of an LP: one line, expansion off" || notok "cnopt info of an LP: $(grep '^investment' "$tmp/info-lp.txt")"

# 4. the report
if "$PY" -c 'import h5py, numpy, matplotlib' 2>/dev/null; then
  check "cnopt-report of the MIP" tools/cnopt-report "$tmp/base.h5" -o "$tmp/rep" -q
  pycheck report "$tmp/base.h5" "$tmp/rep"
  check "cnopt-report of the LP" tools/cnopt-report "$tmp/lp.h5" -o "$tmp/replp" -q
  grep -q "Expansion off: an LP" "$tmp/replp/report.html" && ok "the LP's report says expansion is off" ||
    notok "the LP's report says expansion is off"
  check "cnopt-report MIP --compare s1max" tools/cnopt-report "$tmp/base.h5" --compare "$tmp/s1max.h5" -o "$tmp/cmp" -q
  "$PY" -c 'import json,sys; c=json.load(open(sys.argv[1]))["investment"]["compare"]; sys.exit(c["modules"] != [[3,0,0],[2,0,0]])' \
    "$tmp/cmp/figures.json" && ok "--compare: the build plans side by side (3,0,0) and (2,0,0)" ||
    notok "--compare: build plans side by side"
else
  notok "/usr/bin/python3 imports h5py, numpy and matplotlib (tools/setup-deps.sh --report)"
fi

# 5. a sweep whose build plan changes
cp -r "$M" "$tmp/sw"
check "cnopt sweep sweep.yaml --task 0-2" "$BIN" sweep "$tmp/sw/sweep.yaml" --task 0-2 -q
check "cnopt sweep sweep.yaml --collect" "$BIN" sweep "$tmp/sw/sweep.yaml" --collect -q
S=$tmp/sw/results/invest/invest-summary.h5
if [ -f "$S" ]; then
  check "cnopt-report of the summary" tools/cnopt-report "$S" -o "$tmp/repsw" -q
  pycheck sweep "$S" "$tmp/repsw"
fi
"$BIN" info "$tmp/sw/results/invest/invest-2.h5" 2>&1 | grep -E '^  s3 +cpu' | awk '{ $1 = $1; print }' >"$tmp/s3.txt"
[ "$(cat "$tmp/s3.txt")" = "s3 cpu 1/2 10 2 100k 120k 20k" ] && ok "cnopt info of task 2: s3 built 1/2, value 120k, net 20k" ||
  notok "cnopt info of task 2: '$(cat "$tmp/s3.txt")'"
finish
