#!/usr/bin/env bash
# End-to-end checks of `cnopt aggregate` (representative days, docs/time.md):
#   - both methods write a directory that `cnopt validate` accepts, with
#     24 N periods whose weights sum to the source horizon and are equal
#     within each day; period-free tables are copied byte for byte and the
#     demand rows are the medoid days' rows, renumbered
#   - a weighted source (periods.csv) keeps its weighted horizon
#   - determinism: two runs give byte-identical directories
#   - errors: not whole days (65), a class window not dividing 24 (65, at
#     classes.csv:LINE:COLUMN), N > days and N < 1 (64), DIR not empty
#     without --force (73), DIR = the source model directory (64)
#   - the bundled year aggregates to 12 days that validate (when make wrote it)
#   - N = number of days reproduces the full objective to 1e-6 (both methods)
set -u
cd "$(dirname "$0")/../.."
BIN=${CNOPT:-./cnopt}
PY=/usr/bin/python3
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 pass=0 fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then pass=$((pass+1)); echo "ok $n - $2"; else fail=$((fail+1)); echo "not ok $n - $2"; fi; }

# a 4-day model (96 periods, default classes: windows 1, 24, 8, 6) and its weighted twin
G=$tmp/gen
W=$tmp/genw
$BIN -q generate --regions 4 --sites 5 --periods 96 --seed 3 -o "$G"
ok $? "generate a 4-day model"
$BIN -q generate --regions 4 --sites 5 --periods 96 --seed 3 --weights -o "$W"
ok $? "generate its weighted twin (periods.csv)"

# structure of an aggregated directory: OUT SOURCE_DIR N
check_dir() {
  $PY - "$1" "$2" "$3" <<'PYEOF'
import csv, re, sys, os
out, src, N = sys.argv[1], sys.argv[2], int(sys.argv[3])
def rows(p):
    with open(p, encoding="utf-8") as f:
        return list(csv.DictReader(f))
def scen(p):
    d = {}
    for line in open(p, encoding="utf-8"):
        m = re.match(r"^(\w+): *(.*)$", line)
        if m: d[m.group(1)] = m.group(2)
    return d
so, ss = scen(out + "/scenario.yaml"), scen(src + "/scenario.yaml")
T, Tsrc = int(so["periods"]), int(ss["periods"])
bad = []
if T != 24 * N: bad.append("periods %d != 24*%d" % (T, N))
w = {int(r["period"]): float(r["weight"]) for r in rows(out + "/periods.csv")}
if sorted(w) != list(range(T)): bad.append("periods.csv does not cover 0..%d" % (T - 1))
for d in range(N):
    if len({w[24 * d + h] for h in range(24)}) != 1: bad.append("day %d mixes weights" % d)
pw = float(ss.get("period_weight", "1"))
wsrc = {t: pw for t in range(Tsrc)}
if os.path.exists(src + "/periods.csv"):
    for r in rows(src + "/periods.csv"):
        if int(r["period"]) < Tsrc: wsrc[int(r["period"])] = float(r["weight"])
H, Hsrc = sum(w.values()), sum(wsrc.values())
if abs(H - Hsrc) > 1e-9 * Hsrc: bad.append("weights sum to %.17g, source %.17g" % (H, Hsrc))
# medoids from the header comment: "day c (periods ..) = source day D"
med = [int(m.group(1)) for m in re.finditer(r"= source day (\d+)", open(out + "/scenario.yaml").read())]
if len(med) != N: bad.append("%d medoids in scenario.yaml comment" % len(med))
key = lambda r: (r["region"], r["class"], int(r["period"]))
sd = {key(r): r["pflops"] for r in rows(src + "/demand.csv")}
od = rows(out + "/demand.csv")
want = sum(1 for k in sd if k[2] < Tsrc and k[2] // 24 in med)
if len(od) != want: bad.append("demand rows %d, expected %d" % (len(od), want))
for r in od:
    p = int(r["period"])
    k = (r["region"], r["class"], med[p // 24] * 24 + p % 24)
    if sd.get(k) is None or float(sd[k]) != float(r["pflops"]):
        bad.append("demand row %s differs from source %s" % (r, k)); break
print("periods %d, horizon %.10g (source %.10g), medoids %s" % (T, H, Hsrc, med))
for b in bad: print("#", b)
sys.exit(1 if bad else 0)
PYEOF
}

for m in kmedoids hierarchical; do
  O=$tmp/agg-$m
  $BIN aggregate "$G/scenario.yaml" --days 2 --method $m -o "$O" >"$tmp/agg-$m.txt" 2>&1
  ok $? "aggregate 4 days to 2 ($m)"
  grep -q "^aggregate .*4 days -> 2 representative days ($m)" "$tmp/agg-$m.txt"; ok $? "it says what it did ($m)"
  $BIN validate "$O/scenario.yaml" >"$tmp/v-$m.txt" 2>&1
  ok $? "the aggregated directory validates ($m)"
  grep -q "periods 48," "$tmp/v-$m.txt"; ok $? "validate reports 48 periods ($m)"
  check_dir "$O" "$G" 2 | sed 's/^/# /'; ok "${PIPESTATUS[0]}" "48 periods, weights per day, horizon kept, demand rows of the medoid days ($m)"
  same=0
  for f in types regions hubs sites capacity links classes expansions; do cmp -s "$G/$f.csv" "$O/$f.csv" || same=1; done
  ok $same "period-free tables are copied byte for byte ($m)"
  $BIN -q aggregate "$G/scenario.yaml" --days 2 --method $m -o "$O-again" >/dev/null 2>&1
  diff -r "$O" "$O-again" >/dev/null; ok $? "deterministic: a second run gives the same bytes ($m)"
done
grep -A3 "^  day" "$tmp/agg-kmedoids.txt" | sed 's/^/# /'

for m in kmedoids hierarchical; do
  $BIN -q aggregate "$W/scenario.yaml" --days 3 --method $m -o "$tmp/aggw-$m" >/dev/null 2>&1
  ok $? "aggregate the weighted model to 3 days ($m)"
  check_dir "$tmp/aggw-$m" "$W" 3 | sed 's/^/# /'; ok "${PIPESTATUS[0]}" "its weights still sum to the weighted horizon of periods.csv ($m)"
done

# errors
$BIN aggregate "$G/scenario.yaml" --days 1 --set periods=30 -o "$tmp/e1" >"$tmp/e1.txt" 2>&1
rc=$?; [ $rc = 65 ] && grep -q "scenario.yaml: periods 30 is not a whole number of days" "$tmp/e1.txt"
ok $? "not whole days: exit 65 with FILE: message (got $rc: $(head -1 "$tmp/e1.txt"))"
cp -r "$G" "$tmp/bw"
sed -i 's/^\(hpc,.*\),8,\([^,]*\)$/\1,5,\2/' "$tmp/bw/classes.csv"
$BIN aggregate "$tmp/bw/scenario.yaml" --days 2 -o "$tmp/e2" >"$tmp/e2.txt" 2>&1
rc=$?; [ $rc = 65 ] && grep -Eq "classes.csv:[0-9]+:6: window 5 of class 'hpc' does not divide 24" "$tmp/e2.txt"
ok $? "a window not dividing 24: exit 65 at classes.csv:LINE:COLUMN (got $rc: $(head -1 "$tmp/e2.txt"))"
$BIN aggregate "$G/scenario.yaml" --days 5 -o "$tmp/e3" >"$tmp/e3.txt" 2>&1
rc=$?; [ $rc = 64 ] && grep -q "expected 1..4" "$tmp/e3.txt" && [ ! -e "$tmp/e3" ]
ok $? "N > days: exit 64, nothing written (got $rc: $(head -1 "$tmp/e3.txt"))"
$BIN aggregate "$G/scenario.yaml" --days 0 -o "$tmp/e4" >/dev/null 2>&1
rc=$?; [ $rc = 64 ] && [ ! -e "$tmp/e4" ]; ok $? "N < 1: exit 64 (got $rc)"
$BIN aggregate "$G/scenario.yaml" --days 2 -o "$tmp/agg-kmedoids" >"$tmp/e5.txt" 2>&1
rc=$?; [ $rc = 73 ]; ok $? "existing DIR without --force: exit 73 (got $rc)"
$BIN -q aggregate "$G/scenario.yaml" --days 3 -o "$tmp/agg-kmedoids" --force >/dev/null 2>&1
rc=$?; [ $rc = 0 ] && grep -q "^periods: 72" "$tmp/agg-kmedoids/scenario.yaml"; ok $? "with --force it is replaced (got $rc)"
cp "$G/scenario.yaml" "$tmp/src-scenario.yaml"
$BIN aggregate "$G/scenario.yaml" --days 2 -o "$G/" --force >/dev/null 2>&1
rc=$?; [ $rc = 64 ] && cmp -s "$G/scenario.yaml" "$tmp/src-scenario.yaml"
ok $? "DIR = the source model directory: exit 64, the source untouched (got $rc)"
$BIN aggregate "$G/scenario.yaml" --days 2 -o "$tmp/e6" --method ward >/dev/null 2>&1
rc=$?; [ $rc = 64 ]; ok $? "unknown method: exit 64 (got $rc)"
ls "$tmp" | grep -q "tmp-" ; [ $? = 1 ]; ok $? "no temporary directory left behind"

# the bundled year (tables written by `make`): 365 days to 12, both methods
Y=models/china-2024-year
if [ -f "$Y/demand.csv" ]; then
  for m in kmedoids hierarchical; do
    $BIN aggregate "$Y/scenario.yaml" --days 12 --method $m -o "$tmp/year-$m" >"$tmp/year-$m.txt" 2>&1
    ok $? "the year aggregates to 12 days ($m)"
    grep -q "365 days -> 12 representative days" "$tmp/year-$m.txt" &&
      $BIN validate "$tmp/year-$m/scenario.yaml" >"$tmp/vy.txt" 2>&1 &&
      grep -q "weighted horizon 8760 h" "$tmp/vy.txt" && grep -q "periods 288," "$tmp/vy.txt"
    ok $? "it validates with 288 periods weighing 8760 h ($m)"
  done
  $BIN -q aggregate "$Y/scenario.yaml" --set periods=336 --days 3 -o "$tmp/year-slice" >/dev/null 2>&1 &&
    grep -q "^periods: 72" "$tmp/year-slice/scenario.yaml"
  ok $? "a 14-day slice of the year (--set periods=336) aggregates to 3 days"
else
  echo "# $Y/demand.csv absent (run make): year checks skipped"
fi

# N = number of days: the same model, so the same optimum
obj() { $PY tools/aggregation_metrics.py "$1" | awk '{print $2}'; }
nice -n 10 $BIN -q solve --method monolithic "$G/scenario.yaml" -o "$tmp/full.h5"
ok $? "solve the 4-day model"
for m in kmedoids hierarchical; do
  $BIN -q aggregate "$G/scenario.yaml" --days 4 --method $m -o "$tmp/all-$m" >/dev/null 2>&1
  nice -n 10 $BIN -q solve --method monolithic "$tmp/all-$m/scenario.yaml" -o "$tmp/all-$m.h5"
  a=$(obj "$tmp/full.h5") b=$(obj "$tmp/all-$m.h5")
  $PY -c "import sys; a,b=float('$a'),float('$b'); sys.exit(abs(a-b)>1e-6*abs(a))"
  ok $? "N = 4 days reproduces the full objective to 1e-6 ($m: $b vs $a)"
done
nice -n 10 $BIN -q solve --method monolithic "$tmp/agg-hierarchical/scenario.yaml" -o "$tmp/two.h5"
ok $? "the 2-day model solves"
$PY tools/aggregation_metrics.py "$tmp/full.h5" "$tmp/two.h5" | sed 's/^/# 2 days (hierarchical) vs full: /'

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
