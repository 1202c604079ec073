#!/usr/bin/env bash
# Replay of the fuzzing corpus through the libFuzzer harnesses (docs/fuzzing.md;
# issue 6, item 2): no mutation, every input run once under ASan, UBSan and
# LeakSanitizer, and each harness's own checks (fuzz/fuzz_util.h).
#   - tools/fuzz.sh build: the harnesses build, with no compiler warning
#   - fuzz/corpus/<harness>/*: every committed input exits cleanly (tables,
#     scenario, and the HDF5 readers: result, ckpt)
#   - the CSV files of tests/bad/*/ and tests/hostile/*/ through fuzz_tables
#     as the table they are named after (CN_FUZZ_TABLE), one check per table
#   - their scenario.yaml files through fuzz_scenario
#   - the harnesses leave no scratch directory behind
# Prints "N passed, N failed"; exits 1 on a failure.  Needs clang with
# libFuzzer's runtime (tools/setup-deps.sh --robust, run by `make test`).
set -u
cd "$(dirname "$0")/../.." || exit 1
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { echo "ok - $1"; pass=$((pass + 1)); }
not_ok() { # name, log
  echo "not ok - $1"
  if [ -n "${2:-}" ]; then
    # the input that failed, then the report
    grep '^Running: ' "$2" | tail -1 | sed 's/^/    /'
    if ! grep -E -A14 '^==[0-9]+==ERROR|runtime error|fuzz harness:|^fuzz_[a-z]+:|ALARM' \
      "$2" | head -30 | sed 's/^/    /'; then
      tail -10 "$2" | sed 's/^/    /'
    fi
  fi
  fail=$((fail + 1))
}
finish() { echo "$pass passed, $fail failed"; [ "$fail" = 0 ]; exit; }

# the harnesses' scratch model directories go here; no MPI, so no suppressions
scratch=$tmp/scratch
mkdir -p "$scratch"
export TMPDIR=$scratch
# allocator_may_return_null=1: a malloc of a size HDF5 took from a file gets
# NULL as it would without ASan; cnopt's own allocations still fail the
# harnesses (CN_EOSERR is not an allowed outcome)
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# HDF5's own leaks on corrupted files (fuzz/lsan-hdf5.supp); no MPI
export LSAN_OPTIONS=suppressions=$PWD/fuzz/lsan-hdf5.supp:print_suppressions=0

if tools/fuzz.sh build >"$tmp/build.log" 2>&1; then
  if grep -q 'warning:' "$tmp/build.log"; then
    not_ok "harnesses build without warnings"
    grep -A3 'warning:' "$tmp/build.log" | head -20 | sed 's/^/    /'
  else
    ok "harnesses build without warnings"
  fi
else
  not_ok "harnesses build (tools/fuzz.sh build)"
  tail -20 "$tmp/build.log" | sed 's/^/    /'
  finish
fi

# name, expected number of inputs, command... : a clean exit, every input run
replay() {
  local name=$1 n=$2; shift 2
  local log
  log=$tmp/$(echo "$name" | tr -c 'A-Za-z0-9_.-' _).log
  if timeout 120 "$@" -timeout=10 >"$log" 2>&1; then
    local ran
    ran=$(grep -c '^Executed ' "$log")
    if [ "$ran" = "$n" ]; then
      ok "$name ($n inputs)"
    else
      not_ok "$name: $ran of $n inputs ran" "$log"
    fi
  else
    not_ok "$name (exit $?)" "$log"
  fi
}

for h in tables scenario result ckpt; do
  mapfile -t files < <(find "fuzz/corpus/$h" -type f | sort)
  if [ ${#files[@]} = 0 ]; then
    not_ok "fuzz/corpus/$h is empty"
    continue
  fi
  replay "fuzz_$h replays fuzz/corpus/$h" ${#files[@]} "build/fuzz/fuzz_$h" "${files[@]}"
done

for t in types regions hubs sites capacity links classes demand profiles expansions; do
  mapfile -t files < <(find tests/bad tests/hostile -mindepth 2 -maxdepth 2 -type f \
    -name "$t.csv" | sort)
  [ ${#files[@]} -gt 0 ] || continue
  replay "fuzz_tables runs tests/{bad,hostile}/*/$t.csv" ${#files[@]} \
    env CN_FUZZ_TABLE="$t.csv" build/fuzz/fuzz_tables "${files[@]}"
done

mapfile -t files < <(find tests/bad tests/hostile -mindepth 2 -maxdepth 2 -type f \
  \( -name '*.yaml' -o -name '*.yml' \) | sort)
replay "fuzz_scenario runs tests/{bad,hostile}/*/*.yaml" ${#files[@]} \
  build/fuzz/fuzz_scenario "${files[@]}"

left=$(find "$scratch" -mindepth 1 -maxdepth 1 | head -3)
if [ -z "$left" ]; then
  ok "no scratch directory left behind"
else
  not_ok "scratch left behind: $left"
fi
finish
