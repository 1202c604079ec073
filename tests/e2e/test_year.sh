#!/usr/bin/env bash
# End-to-end checks of the bundled year models/china-2024-year (model 1.1):
#   - the committed script writes it deterministically (same bytes twice)
#   - `cnopt validate` accepts it and reports 8760 periods and the LP size
#   - it is the network of models/china-2024 (same regions, hubs, links,
#     classes, capacity; sites the same but for their coordinates)
#   - seasons: Sichuan hydro higher in July than in January, northern wind
#     stronger in spring than in summer, solar stronger in June than in
#     December in the north, holidays and weekends lower business demand
#   - its first day (scenario-week.yaml cut to 24 periods, weighted 365)
#     solves to optimality (the week itself takes minutes on a busy machine)
# The full year is not solved here (too large for a test).
set -u
cd "$(dirname "$0")/../.."
BIN=${CNOPT:-./cnopt}
PY=/usr/bin/python3
Y=models/china-2024-year
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 pass=0 fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then pass=$((pass+1)); echo "ok $n - $2"; else fail=$((fail+1)); echo "not ok $n - $2"; fi; }

# the tables: written by `make`; write them here if absent
[ -f "$Y/demand.csv" ] || $PY tools/make-china-year.py >/dev/null
$PY tools/make-china-year.py --out "$tmp/y" >/dev/null
ok $? "tools/make-china-year.py runs"
same=0
for f in "$tmp"/y/*.csv; do cmp -s "$f" "$Y/$(basename "$f")" || { same=1; echo "# differs: $(basename "$f")"; }; done
ok $same "the script is deterministic (its output equals the tables in $Y)"

$BIN validate "$Y/scenario.yaml" >"$tmp/v.txt" 2>&1
ok $? "the year validates"
grep -q "periods 8760," "$tmp/v.txt"; ok $? "validate reports 8760 periods"
grep -q "^coords   32 of 32 sites have lat, lon" "$tmp/v.txt"; ok $? "every site has coordinates"
grep -q "^LP  *16887090 variables" "$tmp/v.txt"; ok $? "validate reports the year's LP size (16887090 variables)"
sed 's/^/# /' "$tmp/v.txt"

$PY - "$Y" models/china-2024 <<'EOF'
import csv, sys
y, d = sys.argv[1], sys.argv[2]
rd = lambda p: list(csv.reader(open(p, encoding="utf-8")))
bad = []
for t in ("types", "regions", "hubs", "capacity", "links", "classes", "expansions"):
    if rd("%s/%s.csv" % (y, t)) != rd("%s/%s.csv" % (d, t)):
        bad.append(t)
ys, ds = rd(y + "/sites.csv"), rd(d + "/sites.csv")
if ys != ds or ys[0][12:] != ["lat", "lon"]:  # both carry the same coordinates
    bad.append("sites")
print("differs:", bad)
sys.exit(1 if bad else 0)
EOF
ok $? "the year has the network of models/china-2024 (the same sites, both with lat, lon)"

$PY - "$Y" <<'EOF'
import csv, sys, datetime
y = sys.argv[1]
def month_of(t):
    return (datetime.date(2024, 1, 1) + datetime.timedelta(days=t // 24)).month
avail = {}
for r in csv.DictReader(open(y + "/profiles.csv")):
    s, t = r["site"], int(r["period"])
    a = avail.setdefault(s, {})
    a.setdefault(month_of(t), []).append(float(r["green_avail"]))
mean = lambda s, m: sum(avail[s][m]) / len(avail[s][m])
checks = [
    ("Sichuan hydro (tianfu): July > 1.5 x January", mean("tianfu", 7) > 1.5 * mean("tianfu", 1)),
    ("Guizhou (guian): August > January", mean("guian", 8) > mean("guian", 1)),
    ("northern wind (horinger): March > August", mean("horinger", 3) > mean("horinger", 8)),
    ("northern solar (zhongwei): June > December", mean("zhongwei", 6) > mean("zhongwei", 12)),
    ("every site has 8760 hours", all(sum(len(v) for v in a.values()) == 8760 for a in avail.values())),
    ("32 sites", len(avail) == 32),
]
# business inference: a Wednesday against the Spring Festival and a Sunday
day = {}
for r in csv.DictReader(open(y + "/demand.csv")):
    if r["class"] == "inference":
        t = int(r["period"])
        day[t // 24] = day.get(t // 24, 0) + float(r["pflops"])
doy = lambda m, d: (datetime.date(2024, m, d) - datetime.date(2024, 1, 1)).days
checks += [
    ("inference demand: Spring Festival (12 Feb) < a Wednesday (7 Feb)", day[doy(2, 12)] < day[doy(2, 7)]),
    ("inference demand: Sunday 3 March < Wednesday 6 March", day[doy(3, 3)] < day[doy(3, 6)]),
    ("inference demand: make-up workday Sunday 4 Feb = workday level", abs(day[doy(2, 4)] / day[doy(2, 5)] - 1) < 0.01),
    ("inference demand: 365 days", len(day) == 365),
]
for what, good in checks:
    print(("ok" if good else "FAIL"), what)
sys.exit(0 if all(g for _, g in checks) else 1)
EOF
ok $? "seasons, holidays and weekends as documented in $Y/SOURCES.md"

$BIN -q solve "$Y/scenario-week.yaml" --set periods=24 --set period_weight=365 --method monolithic \
  -o "$tmp/week.h5" >"$tmp/week.txt" 2>&1
ok $? "the first day of the year solves"
$PY - "$tmp/week.h5" <<'EOF'
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    st = f.attrs["status"]; st = st.decode() if isinstance(st, bytes) else str(st)
    w = f["model"]["period_weight"][:]
    print(st, float(f.attrs["objective"]), len(w), w[0])
    sys.exit(0 if st == "optimal" and len(w) == 24 and w[0] == 365 else 1)
EOF
ok $? "first-day result: optimal, 24 periods weighted 365"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
