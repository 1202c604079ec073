#!/usr/bin/env bash
# The sanitizer build end to end (issue 6, item 3; docs/robustness.md).
#
# build/debug/cnopt (ASan + UBSan + LeakSanitizer, `make DEBUG=1`) solves at 2
# ranks under mpirun, with the narrow suppressions of tests/lsan.supp:
#   - tests/lsan.supp holds only Open MPI/PMIx/hwloc/libevent/UCX patterns, none
#     of which matches a function or source file of cnopt (or GLPK/HDF5);
#   - a small generated model and the bundled model: exit 0, no sanitizer
#     report, and a complete result file equal to the release build's;
#   - a leak planted in cnopt's own code (test hook CNOPT_TEST_LEAK=1,
#     cli/cmd_solve.c cn_test_planted_leak) is still reported by LeakSanitizer
#     on each rank, naming that function, with the same suppressions.
# Environment: CNOPT_DEBUG_BIN (default build/debug/cnopt), CNOPT (release
# binary for the reference results, default ./cnopt).
set -u
cd "$(dirname "$0")/../.."
root=$PWD
DBG=${CNOPT_DEBUG_BIN:-build/debug/cnopt}
REL=${CNOPT:-./cnopt}
PY=/usr/bin/python3
CHECK=tests/e2e/solve_check.py
SUPP=$root/tests/lsan.supp
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
# the same settings as tests/run.sh, set here too so the script runs on its own
export LSAN_OPTIONS="suppressions=$SUPP:print_suppressions=0"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:fast_unwind_on_malloc=0:intercept_tls_get_addr=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
MPI=(mpirun --oversubscribe -np 2)
SANRE='ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|UndefinedBehaviorSanitizer|SUMMARY: (Address|Undefined|Leak)'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 pass=0 fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then pass=$((pass+1)); echo "ok $n - $2"; else fail=$((fail+1)); echo "not ok $n - $2"; fi; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" = 0 ]; exit $?; }
show() { grep -E -A14 "$SANRE" "$1" | head -40 | sed 's/^/#   /'; }

for b in "$DBG" "$REL"; do
  if [ ! -x "$b" ]; then ok 1 "$b is missing (make && make DEBUG=1)"; finish; fi
done

# 1. the suppression file is narrow: only leak: lines whose pattern names an
# Open MPI, PMIx, hwloc, libevent or UCX library or an Open MPI component
# (mca_*), and no pattern is part of a function or source file name of ours
bad=$(grep -Ev '^[[:space:]]*(#|$)' "$SUPP" |
      grep -Ev '^leak:(libmpi\.so|libopen-(rte|pal)\.so|libpmix\.so|libhwloc\.so|libevent|libuc[pstm]\.so|mca_[a-z0-9]+_)$')
[ -z "$bad" ]; ok $? "tests/lsan.supp has only Open MPI/PMIx/hwloc/libevent/UCX patterns${bad:+ (not: ${bad//$'\n'/ })}"
# our symbols, our source files, and the GLPK/HDF5/libyaml/libcsv libraries
{ nm --defined-only "$DBG" | awk '{print $3}'; find base core io solver cli -name '*.[ch]'
  ldd "$DBG" | awk '/glpk|hdf5|yaml|csv|metis/ {print $1}'; } >"$tmp/ours"
hits=''
while read -r pat; do
  pat=${pat#leak:}
  if grep -qF -- "$pat" "$tmp/ours"; then hits="$hits $pat($(grep -F -m1 -- "$pat" "$tmp/ours"))"; fi
done < <(grep -E '^leak:' "$SUPP")
[ -z "$hits" ]; ok $? "no suppression pattern matches a symbol or source file of cnopt, or GLPK/HDF5/libyaml/libcsv/METIS${hits:+:$hits}"

# 2. a small generated model, 2 ranks, against the release build
G=$tmp/gen
$REL generate --regions 8 --sites 10 --periods 6 --seed 3 -o "$G" >/dev/null 2>&1
$REL -q solve "$G/scenario.yaml" -o "$tmp/ref.h5" >/dev/null 2>&1
start=$SECONDS
timeout 60 "${MPI[@]}" "$DBG" solve --method dw "$G/scenario.yaml" -o "$tmp/small.h5" >"$tmp/small.log" 2>&1
rc=$?
[ $rc = 0 ]; ok $? "small model, 2 ranks, sanitizer build: exit $rc ($((SECONDS - start)) s)"
! grep -qE "$SANRE" "$tmp/small.log"; r=$?; ok $r "small model: no sanitizer report"; [ $r = 0 ] || show "$tmp/small.log"
$PY - "$tmp/small.h5" <<'PYEOF' >>"$tmp/py.log" 2>&1
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    st = f.attrs["status"]; st = st.decode() if isinstance(st, bytes) else st
    sys.exit(0 if int(f.attrs["complete"]) == 1 and st == "optimal" and int(f["provenance"].attrs["ranks"]) == 2 else 1)
PYEOF
ok $? "small model: the result file is complete, optimal, from 2 ranks"
$PY $CHECK "$tmp/small.h5" "$tmp/ref.h5" same >>"$tmp/py.log" 2>&1; ok $? "small model: same objective as the release build"
$PY $CHECK "$tmp/small.h5" demand >>"$tmp/py.log" 2>&1; ok $? "small model: demand rows balance in the file"

# 3. the bundled model (about 13 s at 2 ranks with the sanitizers; the release
# reference is the monolithic optimum of test_solve.sh, here the release dw run).
# The limit only catches a hang: 80 s were measured with tests/run.sh's lanes
# beside another full test run on the 2 cores
start=$SECONDS
timeout 300 "${MPI[@]}" "$DBG" -q solve --method dw models/china-2024/scenario.yaml -o "$tmp/bundled.h5" >"$tmp/bundled.log" 2>&1
rc=$?
[ $rc = 0 ]; ok $? "bundled model, 2 ranks, sanitizer build: exit $rc ($((SECONDS - start)) s)"
! grep -qE "$SANRE" "$tmp/bundled.log"; r=$?; ok $r "bundled model: no sanitizer report"; [ $r = 0 ] || show "$tmp/bundled.log"
$PY - "$tmp/bundled.h5" <<'PYEOF' >>"$tmp/py.log" 2>&1
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    st = f.attrs["status"]; st = st.decode() if isinstance(st, bytes) else st
    obj = float(f.attrs["objective"])
    print("bundled", st, obj)
    # docs/tutorial.md: the bundled optimum is 2.0119e10 yuan
    sys.exit(0 if int(f.attrs["complete"]) == 1 and st == "optimal" and abs(obj - 2.0119471e10) < 1e-5 * obj else 1)
PYEOF
ok $? "bundled model: complete, optimal, objective 2.0119471e10 yuan"

# 3b. the numerical-honesty paths (tests/e2e/test_numeric.sh): a penalty of
# 1e15 on tests/bad/base, where the double simplex is refuted and glp_exact
# runs (exit 0), and where the decomposition stalls at 2 ranks and says
# numerical_failure (exit 70): no sanitizer report on either
cp -r tests/bad/base "$tmp/bpen"; sed -i '2s/,5000$/,1e15/' "$tmp/bpen/classes.csv"
timeout 60 "$DBG" solve --method monolithic "$tmp/bpen/scenario.yaml" -o "$tmp/bpen.h5" >"$tmp/bpen.log" 2>&1
rc=$?
[ $rc = 0 ] && grep -q "exact arithmetic: optimal" "$tmp/bpen.log" && ! grep -qE "$SANRE" "$tmp/bpen.log"
r=$?; ok $r "penalty 1e15, monolithic, sanitizer build: the exact path, exit $rc, no sanitizer report"; [ $r = 0 ] || show "$tmp/bpen.log"
timeout 120 "${MPI[@]}" "$DBG" solve --method dw "$tmp/bpen/scenario.yaml" -o "$tmp/bpen-dw.h5" >"$tmp/bpen-dw.log" 2>&1
rc=$?
[ $rc = 70 ] && grep -q "numerical_failure" "$tmp/bpen-dw.log" && ! grep -qE "$SANRE" "$tmp/bpen-dw.log"
r=$?; ok $r "penalty 1e15, dw at 2 ranks, sanitizer build: numerical_failure, exit $rc (70), no sanitizer report"; [ $r = 0 ] || show "$tmp/bpen-dw.log"

# 3c. the MIP by Benders (tests/e2e/test_benders.sh): demand doubled so that
# modules pay, subproblems by the decomposition at 2 ranks, a stop after 3
# subproblems (checkpoint of the cuts) and the resume: no sanitizer report,
# the optimum of the release build's branch and bound
GX=$tmp/genx
$REL generate --regions 8 --sites 10 --periods 6 --seed 3 --expansions -o "$GX" >/dev/null 2>&1
{ cat "$GX/scenario.yaml"; printf 'scale:\n  demand: 2\n'; } >"$GX/s2.yaml"
$REL -q solve "$GX/s2.yaml" --method monolithic -o "$tmp/mipref.h5" >/dev/null 2>&1
timeout 120 "${MPI[@]}" env CNOPT_TEST_STOP_AFTER=3 "$DBG" solve --method dw "$GX/s2.yaml" -o "$tmp/mip.h5" >"$tmp/mip.log" 2>&1
rc1=$?
timeout 120 "${MPI[@]}" "$DBG" solve --method dw "$GX/s2.yaml" -o "$tmp/mip.h5" >>"$tmp/mip.log" 2>&1
rc2=$?
[ $rc1 = 75 ] && [ $rc2 = 0 ] && grep -q "benders: resumed from" "$tmp/mip.log" && ! grep -qE "$SANRE" "$tmp/mip.log" &&
  $PY $CHECK "$tmp/mip.h5" "$tmp/mipref.h5" same >>"$tmp/py.log" 2>&1
r=$?; ok $r "MIP by Benders, dw subproblems at 2 ranks, stop and resume, sanitizer build: exits $rc1 (75) and $rc2, the optimum, no sanitizer report"; [ $r = 0 ] || show "$tmp/mip.log"

# 4. a leak planted in our own code is still reported, naming its function.
# LeakSanitizer makes a rank exit 1; mpirun then aborts the job by default and
# could kill the other rank before its own report (1 report instead of 2 on a
# loaded machine: a CI run beside another full test run), so mpirun waits for both
# here, and each rank's exit code is printed by a wrapper (mpirun's own is then 0)
timeout 60 "${MPI[@]}" --mca orte_abort_on_non_zero_status 0 env CNOPT_TEST_LEAK=1 \
  sh -c '"$0" "$@"; rc=$?; echo "leak test: rank exit $rc"; exit $rc' \
  "$DBG" -q solve --method dw "$G/scenario.yaml" -o "$tmp/leak.h5" >"$tmp/leak.log" 2>&1
rc=$?
nbad=$(grep -cE '^leak test: rank exit [1-9][0-9]*$' "$tmp/leak.log")
nrep=$(grep -c 'ERROR: LeakSanitizer: detected memory leaks' "$tmp/leak.log")
nfun=$(grep -cE '#[0-9]+ 0x[0-9a-f]+ in cn_test_planted_leak ' "$tmp/leak.log")
[ $rc != 124 ] && [ "$nbad" = 2 ] && [ "$nrep" = 2 ] && [ "$nfun" = 2 ]
ok $? "planted leak (CNOPT_TEST_LEAK=1) at 2 ranks: $nbad ranks exit non-zero (mpirun $rc), $nrep LeakSanitizer reports, $nfun name cn_test_planted_leak"
grep -q 'Direct leak of 12345 byte' "$tmp/leak.log"; ok $? "the planted leak is reported as a direct leak of its 12345 bytes"

if [ "$fail" != 0 ]; then echo "--- leak log"; head -30 "$tmp/leak.log"; echo "--- py"; tail -5 "$tmp/py.log"; fi
finish
