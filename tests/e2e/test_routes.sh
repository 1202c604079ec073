#!/usr/bin/env bash
# The routing rule lives in core/derive.c (cn_routes_create); the Python model
# builder tools/make-china-model.py keeps a copy because it chooses the regions
# of its "reachable" classes by RTT before any cnopt exists.  This test holds
# the copy to the rule: the builder's routes (--routes) and cnopt's
# (`cnopt validate --routes`) must name the same path for every ordered pair of
# regions, with RTT and cost equal within 1e-9, on the bundled model and on the
# year model (the same backbone).  Release build, a few seconds.
set -u
cd "$(dirname "$0")/../.."
BIN=$PWD/cnopt
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 pass=0 fail=0
ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1"; }

# compare A B: prints the differences, exit 1 when there are any
cat >"$tmp/compare.py" <<'PYEOF'
import csv, math, sys
def load(p):
    with open(p, newline="") as f:
        return {(r["from"], r["to"]): r for r in csv.DictReader(f)}
a, b = load(sys.argv[1]), load(sys.argv[2])
bad = []
if set(a) != set(b):
    bad.append("pairs differ: %d only in the builder, %d only in cnopt"
               % (len(set(a) - set(b)), len(set(b) - set(a))))
for k in sorted(set(a) & set(b)):
    x, y = a[k], b[k]
    if x["path"] != y["path"]:
        bad.append("%s -> %s: builder path %s, cnopt path %s" % (k + (x["path"], y["path"])))
        continue
    for col in ("rtt_ms", "cost_yuan_per_gbps_h"):
        if x[col] == y[col]:
            continue
        u, v = float(x[col] or "nan"), float(y[col] or "nan")
        if not (abs(u - v) <= 1e-9):
            bad.append("%s -> %s: %s %s (builder) differs from %s (cnopt) by %g"
                       % (k + (col, x[col], y[col], abs(u - v))))
for line in bad[:10]:
    print("#   " + line)
print("# %d pairs compared, %d differences" % (len(a), len(bad)))
sys.exit(1 if bad or not a else 0)
PYEOF

if $PY tools/make-china-model.py --routes >"$tmp/py.csv" 2>"$tmp/py.err"; then
  ok "make-china-model.py --routes ($(($(wc -l <"$tmp/py.csv") - 1)) pairs)"
else
  no "make-china-model.py --routes failed: $(head -3 "$tmp/py.err")"
fi
for scen in models/china-2024/scenario.yaml models/china-2024-year/scenario.yaml; do
  if [ ! -f "$(dirname "$scen")/demand.csv" ]; then
    no "$scen: tables missing (run make)"; continue
  fi
  if "$BIN" validate --routes "$scen" >"$tmp/c.csv" 2>"$tmp/c.err"; then
    ok "cnopt validate --routes $scen"
  else
    no "cnopt validate --routes $scen: exit $?, $(head -3 "$tmp/c.err")"; continue
  fi
  if $PY "$tmp/compare.py" "$tmp/py.csv" "$tmp/c.csv" >"$tmp/cmp.out"; then
    ok "builder routes equal cnopt's on $scen"
  else
    no "builder routes differ from cnopt's on $scen"
  fi
  cat "$tmp/cmp.out"
done

# the comparison itself can fail: one path changed must be caught
awk -F, 'NR == 2 { $6 = $6 ">x" } 1' OFS=, "$tmp/py.csv" >"$tmp/py-bad.csv"
if ! $PY "$tmp/compare.py" "$tmp/py-bad.csv" "$tmp/c.csv" >/dev/null; then
  ok "a changed path is reported"
else
  no "a changed path went unnoticed"
fi

# --routes is an option of validate: usage and bad input as documented
"$BIN" validate --routes >/dev/null 2>&1; rc=$?
[ "$rc" = 64 ] && ok "validate --routes without a scenario: exit 64" || no "validate --routes without a scenario: exit $rc"
"$BIN" validate --routes "$tmp/none.yaml" >/dev/null 2>&1; rc=$?
[ "$rc" = 66 ] && ok "validate --routes on a missing scenario: exit 66" || no "validate --routes on a missing scenario: exit $rc"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
