#!/usr/bin/env bash
# tools/memcheck.sh - `make memcheck`: small end-to-end runs of ./cnopt under
# valgrind (memcheck), 1 rank (issue 6, item 3; docs/robustness.md).
#
# A tiny generated model is validated, solved with the decomposition, with the
# monolithic method and as a MIP (expansion: true), its result summarised
# (`cnopt info`), and three failure paths run (bad input data: 65; existing
# output without --force: 73; a GLPK fatal error, CNOPT_TEST_GLPK_FAIL: 70), each as
#   valgrind --leak-check=full --errors-for-leak-kinds=definite
#            --suppressions=tools/valgrind.supp ./cnopt ...
# `solve` runs as an MPI singleton without mpirun (OMPI_MCA_ess_singleton_isolated=1:
# no orted is started, so valgrind sees one process).  tools/valgrind.supp holds
# Open MPI/PMIx/hwloc/libevent leaks only.  A run fails when
#   - cnopt's exit code is not the expected one, or
#   - valgrind reports any error (invalid access, uninitialised value, bad
#     free, definite leak, ...) whose stack has a frame of cnopt itself;
# other unsuppressed errors (in a library alone) are listed as notes.  Last, a
# leak planted in cnopt (CNOPT_TEST_LEAK=1) must be reported, naming
# cn_test_planted_leak: proof that the suppressions do not hide our leaks.
# Prints "ok/not ok" lines and "N passed, N failed"; exits 1 on a failure.
# Environment: CNOPT (binary, default ./cnopt), MEMCHECK_KEEP=1 keeps the logs.
set -u
cd "$(dirname "$0")/.." || exit 1
BIN=${CNOPT:-./cnopt}
SUPP=tools/valgrind.supp
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
export OMPI_MCA_ess_singleton_isolated=1
n=0 pass=0 fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then pass=$((pass+1)); echo "ok $n - $2"; else fail=$((fail+1)); echo "not ok $n - $2"; fi; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" = 0 ]; exit $?; }

if ! command -v valgrind >/dev/null; then
  ok 1 "valgrind is not installed (tools/setup-deps.sh --robust)"; finish
fi
if [ ! -x "$BIN" ]; then ok 1 "$BIN is missing (make)"; finish; fi
tmp=$(mktemp -d)
if [ "${MEMCHECK_KEEP:-0}" = 1 ]; then echo "# logs in $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi
binpath=$(readlink -f "$BIN")

# Summarise valgrind's XML: prints "ERRORS OURS" then one line per error
# (kind, first frames); "ours" = a frame in the cnopt binary.
cat >"$tmp/vgsum.py" <<'PYEOF'
import sys
import xml.etree.ElementTree as ET
xmlf, binpath = sys.argv[1], sys.argv[2]
root = ET.parse(xmlf).getroot()
lines, nerr, nours = [], 0, 0
for e in root.findall("error"):
    nerr += 1
    kind = e.findtext("kind", "")
    what = e.findtext("what") or e.findtext("xwhat/text") or ""
    frames = e.find("stack").findall("frame") if e.find("stack") is not None else []
    ours = any(f.findtext("obj", "") == binpath for f in frames)
    nours += ours
    where = " < ".join(
        "%s%s" % (f.findtext("fn", "???"),
                  " (%s:%s)" % (f.findtext("file"), f.findtext("line")) if f.findtext("file") else "")
        for f in frames[:6])
    lines.append("%s %s: %s\n      at %s" % ("OURS" if ours else "lib ", kind, what, where))
print(nerr, nours)
print("\n".join(lines))
PYEOF

# One run: name, expected exit code, extra environment ("-" for none), cnopt args...
# Sets $errs, $ours and leaves $tmp/NAME.sum.
vg() {
  local name=$1 want=$2 envs=$3; shift 3
  local e=()
  [ "$envs" != - ] && e=("$envs")
  env "${e[@]}" valgrind --leak-check=full --errors-for-leak-kinds=definite \
    --show-leak-kinds=definite --num-callers=40 --suppressions="$SUPP" \
    --xml=yes --xml-file="$tmp/$name.xml" --log-file="$tmp/$name.vg" \
    "$BIN" "$@" >"$tmp/$name.out" 2>&1
  local rc=$?
  if ! "$PY" "$tmp/vgsum.py" "$tmp/$name.xml" "$binpath" >"$tmp/$name.sum" 2>"$tmp/$name.pyerr"; then
    errs=-1 ours=-1
    ok 1 "$name: cannot read valgrind's XML output ($(head -c 200 "$tmp/$name.pyerr"))"
    return
  fi
  read -r errs ours <"$tmp/$name.sum"
  [ "$rc" = "$want" ]; ok $? "$name: exit $rc (expected $want)"
}
report() { # name, description: fail on an error of ours; list the others
  local name=$1 what=$2
  [ "$ours" = 0 ]; ok $? "$what: $ours valgrind errors in cnopt's code ($errs unsuppressed in all)"
  if [ "$errs" != 0 ]; then tail -n +2 "$tmp/$name.sum" | head -40 | sed 's/^/#   /'; fi
}

G=$tmp/gen
"$BIN" generate --regions 4 --sites 5 --periods 4 --seed 1 -o "$G" >/dev/null 2>&1
GX=$tmp/genx
"$BIN" generate --regions 4 --sites 5 --periods 4 --seed 1 --expansions -o "$GX" >/dev/null 2>&1
[ -f "$G/scenario.yaml" ] && [ -f "$GX/scenario.yaml" ]; ok $? "generate two tiny models"

vg validate 0 - validate "$G/scenario.yaml";                        report validate "validate"
vg solve_dw 0 - solve --method dw "$G/scenario.yaml" -o "$tmp/dw.h5";          report solve_dw "solve (decomposition)"
vg solve_mono 0 - solve --method monolithic "$G/scenario.yaml" -o "$tmp/mono.h5"
report solve_mono "solve --method monolithic"
vg solve_mip 0 - solve "$GX/scenario.yaml" -o "$tmp/mip.h5";       report solve_mip "solve a MIP (expansion: true)"
vg info 0 - info "$tmp/dw.h5";                                     report info "info"
cp -R "$G" "$tmp/bad"
sed -i '2s/^\([^,]*\),\([^,]*\),\([^,]*\),\([^,]*\),[^,]*,/\1,\2,\3,\4,0.93,/' "$tmp/bad/sites.csv"
vg bad_data 65 - solve "$tmp/bad/scenario.yaml" -o "$tmp/bad.h5";  report bad_data "solve with bad data (exit 65)"
vg exists 73 - solve "$G/scenario.yaml" -o "$tmp/dw.h5";           report exists "solve onto an existing output (exit 73)"
vg glpk_fail 70 CNOPT_TEST_GLPK_FAIL=0:3 solve "$G/scenario.yaml" -o "$tmp/gf.h5"
report glpk_fail "solve with a GLPK fatal error in its 3rd LP solve (exit 70)"

# the planted leak is found, in our code, naming its function
vg planted 0 CNOPT_TEST_LEAK=1 solve "$G/scenario.yaml" -o "$tmp/leak.h5"
grep -q 'Leak_DefinitelyLost.*12,345 bytes' "$tmp/planted.sum" && [ "$ours" -ge 1 ] &&
  grep -q 'cn_test_planted_leak' "$tmp/planted.sum"
ok $? "a planted leak (CNOPT_TEST_LEAK=1) is reported in cnopt's code, naming cn_test_planted_leak"
finish
