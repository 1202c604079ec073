#!/usr/bin/env bash
# tests/e2e/test_planner.sh - issue 15 items 3 and 5: the tables a planner uses and
# messages for people.
#   - `cnopt info`'s savings per site, per hub and per backbone link over the weighted
#     horizon, checked by tests/e2e/planner_check.py against the HDF5 file read with
#     h5py (a hub's value is the sum of its sites'; a site's is -sum_t of its duals),
#     for a horizon of a year and for one that is not ("over the horizon of ...");
#   - the report shows the same numbers (figures.json "planner");
#   - a --set run gets a derived name and description, which info and the report's
#     comparison title show (not "X vs X");
#   - errors of a bad input and of an existing output (exit 73) name the file and
#     show no internal function name or source line unless -v;
#   - every exit code in a command's --help is in the README's table.
# Environment: CNOPT (default ./cnopt).  About 10 s.
set -u
cd "$(dirname "$0")/../.." || exit 1
BIN=${CNOPT:-./cnopt}
PY=/usr/bin/python3
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cnopt-planner-XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
notok() { echo "not ok - $1"; fail=$((fail + 1)); }
finish() { echo "$pass passed, $fail failed"; [ "$fail" = 0 ]; exit $?; }
check() {
  local name=$1; shift
  if "$@" >"$tmp/out" 2>&1; then ok "$name"; else notok "$name"; sed 's/^/    /' "$tmp/out" | tail -30; fi
}
pycheck() { # count planner_check.py's ok / not ok lines
  "$PY" tests/e2e/planner_check.py "$@" >"$tmp/py.out" 2>&1
  local rc=$? p q
  sed 's/^/  /' "$tmp/py.out"
  p=$(grep -c '^ok - ' "$tmp/py.out"); q=$(grep -c '^not ok - ' "$tmp/py.out")
  pass=$((pass + p)); fail=$((fail + q))
  if [ "$rc" != 0 ] && [ "$q" = 0 ]; then notok "planner_check.py $1 ran (exit $rc)"; fi
}
# no_frames NAME FILE: no traceback frame, function name or source line in FILE
no_frames() {
  if grep -Eq '^    in [A-Za-z_]|\([a-z]+/[a-z_0-9]+\.c:[0-9]+\)' "$2"; then
    notok "$1: no internal function names"; sed 's/^/    /' "$2"
  else ok "$1: no internal function names"; fi
}

if [ ! -x "$BIN" ]; then notok "program $BIN exists (build it with make)"; finish; fi
G=$tmp/gen
check "generate a 10-region, 12-site, 24-hour model (weighted to a year)" \
  "$BIN" generate --regions 10 --sites 12 --periods 24 --seed 2 -o "$G"
name=$(sed -n 's/^name: *//p' "$G/scenario.yaml")
check "solve A" "$BIN" solve "$G/scenario.yaml" --method monolithic -q -o "$tmp/a.h5"
check "solve B: --set carbon_price=300" \
  "$BIN" solve "$G/scenario.yaml" --method monolithic -q --set carbon_price=300 -o "$tmp/b.h5"
check "solve C: --set period_weight=1 (a horizon of 24 h)" \
  "$BIN" solve "$G/scenario.yaml" --method monolithic -q --set period_weight=1 -o "$tmp/c.h5"
[ -f "$tmp/a.h5" ] && [ -f "$tmp/b.h5" ] && [ -f "$tmp/c.h5" ] || finish

# 1. info's tables against the file
for r in a c; do
  if "$BIN" info "$tmp/$r.h5" >"$tmp/$r.info" 2>&1; then ok "cnopt info $r.h5"; else notok "cnopt info $r.h5"; fi
  pycheck "$tmp/$r.h5" "$tmp/$r.info"
done
if grep -q "yuan over the horizon of 24 periods of 1 h x weight 1 (24 h)" "$tmp/c.info"; then
  ok "C: the horizon in words (24 periods of 1 h x weight 1)"
else notok "C: the horizon in words"; grep -n "horizon" "$tmp/c.info" | sed 's/^/    /'; fi
# one format: every amount of the planner's tables is one word with k/M/bn or none
if awk '/^per site/,0' "$tmp/a.info" | grep -Eq '(^| )[-0-9.]+e[+-][0-9]|(^| )-?[0-9]{5,}'; then
  notok "one number format: no exponent or long digit strings in the tables"
else ok "one number format: no exponent or long digit strings in the tables"; fi

# 2. the report shows the same numbers
check "cnopt-report A" tools/cnopt-report "$tmp/a.h5" -o "$tmp/rep" -q
check "report: the planner's numbers equal info's sentences" "$PY" - "$tmp/rep/figures.json" "$tmp/a.info" <<'PYEOF'
import json, sys
p = json.load(open(sys.argv[1]))["planner"]
info = [l.strip() for l in open(sys.argv[2])]
i = info.index("largest, in words")
got = [l for l in info[i + 1:] if l.startswith("+1 ")]
print(p["sentences"], got)
sys.exit(0 if p["sentences"] == got and got else 1)
PYEOF

# 3. the derived name and description of a --set run
check "B's name is $name+carbon_price=300 and its description says what changed" "$PY" - "$tmp/b.h5" "$name" <<'PYEOF'
import h5py, sys
a = h5py.File(sys.argv[1], "r")["provenance/scenario"].attrs
n, d = a["name"], a["description"]
print(n, "|", d)
sys.exit(0 if n == sys.argv[2] + "+carbon_price=300" and "changed by --set: carbon_price=300 (was " in d
         and a["carbon_price"] == 300 else 1)
PYEOF
if grep -q "^scenario   $name+carbon_price=300 " <("$BIN" info "$tmp/b.h5"); then ok "info shows B's derived name"
else notok "info shows B's derived name"; fi
check "cnopt-report A --compare B" tools/cnopt-report "$tmp/a.h5" --compare "$tmp/b.h5" -o "$tmp/cmp" -q
t=$(grep -o '<title>[^<]*</title>' "$tmp/cmp/report.html")
if [[ "$t" == *"$name vs $name+carbon_price=300"* ]]; then ok "comparison title says what differs: $t"
else notok "comparison title says what differs: $t"; fi
cp "$tmp/b.h5" "$tmp/b-same.h5"
"$PY" -c 'import h5py,sys; f=h5py.File(sys.argv[1],"r+"); f["provenance/scenario"].attrs["name"]=sys.argv[2]' "$tmp/b-same.h5" "$name"
tools/cnopt-report "$tmp/a.h5" --compare "$tmp/b-same.h5" -o "$tmp/cmp2" -q
t=$(grep -o '<title>[^<]*</title>' "$tmp/cmp2/report.html")
if [[ "$t" == *"carbon_price"* ]] && [[ "$t" == *"a.h5"* ]]; then ok "same names: the title names the files and the difference: $t"
else notok "same names: the title names the files and the difference: $t"; fi

# 4. messages for people
"$BIN" solve "$G/scenario.yaml" --method monolithic -o "$tmp/a.h5" >"$tmp/e73" 2>&1
rc=$?
if [ "$rc" = 73 ] && grep -q "$tmp/a.h5 exists (use --force" "$tmp/e73"; then ok "existing output: exit 73 names the file"
else notok "existing output: exit 73 names the file (exit $rc)"; sed 's/^/    /' "$tmp/e73"; fi
no_frames "existing output" "$tmp/e73"
"$BIN" -v solve "$G/scenario.yaml" --method monolithic -o "$tmp/a.h5" >"$tmp/e73v" 2>&1
if grep -q "^    in [a-z_]" "$tmp/e73v"; then ok "existing output with -v: the traceback is shown"
else notok "existing output with -v: the traceback is shown"; sed 's/^/    /' "$tmp/e73v"; fi
echo "plain text" >"$tmp/text.h5"
"$BIN" info "$tmp/text.h5" >"$tmp/e65" 2>&1
rc=$?
if [ "$rc" = 65 ] && grep -q "$tmp/text.h5 is not an HDF5 file" "$tmp/e65"; then ok "info on a bad input: exit 65 names the file"
else notok "info on a bad input: exit 65 names the file (exit $rc)"; sed 's/^/    /' "$tmp/e65"; fi
no_frames "info on a bad input" "$tmp/e65"
cp "$tmp/a.h5" "$tmp/nosite.h5"
"$PY" -c 'import h5py,sys; f=h5py.File(sys.argv[1],"r+"); del f["model/site_hub"]' "$tmp/nosite.h5"
"$BIN" info "$tmp/nosite.h5" >"$tmp/e65b" 2>&1
rc=$?
if [ "$rc" = 65 ] && grep -q "nosite.h5" "$tmp/e65b"; then ok "info on a result missing a dataset: exit 65 names the file"
else notok "info on a result missing a dataset: exit 65 names the file (exit $rc)"; sed 's/^/    /' "$tmp/e65b"; fi
no_frames "info on a result missing a dataset" "$tmp/e65b"
cp -r "$G" "$tmp/bad"
sed -i '2s/,[0-9.]*\(,[^,]*\)$/,abc\1/' "$tmp/bad/sites.csv"
"$BIN" solve "$tmp/bad/scenario.yaml" -o "$tmp/bad.h5" >"$tmp/ebad" 2>&1
rc=$?
if [ "$rc" = 65 ] && grep -q "sites.csv:2:" "$tmp/ebad"; then ok "a bad model table: exit 65, FILE:LINE:COLUMN"
else notok "a bad model table: exit 65, FILE:LINE:COLUMN (exit $rc)"; sed 's/^/    /' "$tmp/ebad"; fi
no_frames "a bad model table" "$tmp/ebad"

# 5. every exit code a command documents is in the README's table
codes=$( { "$BIN" --help; for c in solve info export validate generate sweep; do "$BIN" "$c" --help; done
           slurm/submit --help; cat docs/report.md; } 2>&1 |
         awk '/exit codes|Exit codes/ {on = 1} on && /^$/ {on = 0} on' | grep -Eo '\b(6[4-9]|7[0-9])\b' | sort -u)
missing=''
for c in $codes; do grep -q "^| $c |" README.md || missing="$missing $c"; done
if [ -z "$missing" ] && [ -n "$codes" ]; then ok "README's exit-code table has every documented code ($(echo $codes))"
else notok "README's exit-code table lacks:$missing"; fi
finish
