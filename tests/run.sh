#!/usr/bin/env bash
# Run every test of `make test` and print one closing line "N passed, N failed".
#   cmocka unit tests, release and sanitizer builds (build/*/tests/test_*)
#   end-to-end scripts tests/e2e/*.sh and tests/slurm/*.sh (each prints its
#   own "N passed, N failed" line, which is added to the totals)
# Environment: CN_TEST_ONLY=pattern runs only matching tests.
set -u
cd "$(dirname "$0")/.."
export CMOCKA_MESSAGE_OUTPUT=stdout
if [ "$(id -u)" = 0 ]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
export OMPI_MCA_rmaps_base_oversubscribe=1
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
# fast_unwind_on_malloc=0 lets the suppressions match Open MPI stacks;
# intercept_tls_get_addr=0 avoids an LSan crash at exit under Open MPI
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:fast_unwind_on_malloc=0:intercept_tls_get_addr=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
pass=0 fail=0 failed=()
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

count() { # name, exit code, output file
  local name=$1 rc=$2 f=$3 p q
  # cmocka: "[  PASSED  ] N test(s)." / "[  FAILED  ] N test(s)"
  p=$(grep -Eo '^\[  PASSED  \] [0-9]+' "$f" | awk '{s+=$NF} END{print s+0}')
  q=$(grep -Eo '^\[  FAILED  \] [0-9]+' "$f" | awk '{s+=$NF} END{print s+0}')
  if [ "$p" = 0 ] && [ "$q" = 0 ]; then
    p=$(grep -Eo '^[0-9]+ passed, [0-9]+ failed' "$f" | tail -1 | awk '{print $1}')
    q=$(grep -Eo '^[0-9]+ passed, [0-9]+ failed' "$f" | tail -1 | awk '{print $3}')
    p=${p:-0} q=${q:-0}
  fi
  if [ "$rc" != 0 ] && [ "$q" = 0 ]; then q=1; fi
  pass=$((pass + p)); fail=$((fail + q))
  if [ "$rc" != 0 ] || [ "$q" != 0 ]; then
    failed+=("$name"); echo "FAIL $name (exit $rc)"; tail -40 "$f" | sed 's/^/    /'
  else
    echo "ok   $name ($p passed)"
  fi
}

run() { # name, command...
  local name=$1; shift
  if [ -n "${CN_TEST_ONLY:-}" ] && [[ "$name" != *$CN_TEST_ONLY* ]]; then return; fi
  local f="$log/$(echo "$name" | tr '/ ' '__').out" start=$SECONDS
  "$@" >"$f" 2>&1
  local rc=$?
  count "$name" "$rc" "$f"
  echo "     ($((SECONDS - start)) s)"
}

for b in build/release/tests/test_*; do
  [ -x "$b" ] && run "unit/$(basename "$b")" "$b"
done
for b in build/debug/tests/test_*; do
  [ -x "$b" ] && run "asan/$(basename "$b")" "$b"
done
for s in tests/e2e/*.sh; do
  [ -f "$s" ] && run "e2e/$(basename "$s" .sh)" bash "$s"
done
for s in tests/slurm/*.sh; do
  [ -f "$s" ] && run "slurm/$(basename "$s" .sh)" bash "$s"
done

echo
if [ ${#failed[@]} -gt 0 ]; then echo "failed: ${failed[*]}"; fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
