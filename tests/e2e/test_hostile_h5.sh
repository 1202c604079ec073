#!/usr/bin/env bash
# Hostile HDF5 files through the whole program (issue 16, item 2;
# tests/hostile/README.md, "HDF5 files"; docs/robustness.md).
#
# Every case of tests/hostile/h5/*/ is a result file or checkpoint made from
# a real one (tests/hostile/h5/lib.sh) and given to `cnopt info`, `cnopt
# export`, `cnopt sweep --collect` or `cnopt solve --restart`, with the
# release build (./cnopt) and the sanitizer build (build/debug/cnopt: ASan,
# UBSan, LeakSanitizer with tests/lsan.supp).  Each must
#   - exit with the expected code within CASE_LIMIT s (60; the slowest case
#     takes about 3 s under ASan on a loaded 2-core machine),
#   - print the expected message on its first line (for --collect: the line
#     naming the task), which names the file,
#   - print no sanitizer report.
# Environment: CN_HOSTILE_ONLY=pattern (run matching cases only).
set -u
cd "$(dirname "$0")/../.."
root=$PWD
. tests/hostile/h5/lib.sh
if [ "$(id -u)" = 0 ]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
export OMPI_MCA_ess_singleton_isolated=1
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/lsan.supp:print_suppressions=0}
# allocator_may_return_null=1: a malloc of a size HDF5 took from the file gets
# NULL, as without ASan (HDF5 then fails cleanly)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:fast_unwind_on_malloc=0:intercept_tls_get_addr=0:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
CASE_LIMIT=${CN_HOSTILE_LIMIT:-60}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 pass=0 fail=0
ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1"; [ -n "${2:-}" ] && head -n 5 "$2" | cut -c1-240 | sed 's/^/#   /'; }

bins=()
for b in ./cnopt build/debug/cnopt; do
  if [ -x "$b" ]; then bins+=("$root/${b#./}"); else not_ok "$b is missing (make; make DEBUG=1)"; fi
done
[ ${#bins[@]} -gt 0 ] || { echo "$pass passed, $fail failed"; exit 1; }
mkdir -p "$tmp/base"
if h5_bases "${bins[0]}" "$tmp/base"; then ok "base result and checkpoint files made"; else
  not_ok "cannot make the base files"; echo "$pass passed, $fail failed"; exit 1; fi

for cdir in tests/hostile/h5/*/; do
  cdir=${cdir%/}
  name=$(basename "$cdir")
  [ -f "$cdir/expect" ] || continue
  if [ -n "${CN_HOSTILE_ONLY:-}" ] && [[ "$name" != *$CN_HOSTILE_ONLY* ]]; then continue; fi
  cmd=$(h5_key "$cdir" cmd)
  line=$(grep -E '^[0-9]+( |$)' "$cdir/expect" | head -1)
  code=${line%% *} msg=${line#* }
  [ "$msg" = "$line" ] && msg=''
  for bin in "${bins[@]}"; do
    kind=release
    [[ "$bin" == */build/debug/* ]] && kind=asan
    w=$tmp/w/$name-$kind
    mkdir -p "$w/out"
    file=$w/$name.h5
    [ "$cmd" = restart ] && file=$w/$name.ckpt
    [ "$cmd" = collect ] && { mkdir -p "$w/results/h5"; file=$w/results/h5/h5-0.h5; }
    if ! h5_case "$cdir" "$tmp/base" "$file" >"$w/make.log" 2>&1; then
      not_ok "$name: cannot make the file" "$w/make.log"; continue; fi
    case "$cmd" in
      info) args=(info "$file") ;;
      export) args=(export "$file" --csv "$w/out/csv") ;;
      restart) args=(-q solve --method dw tests/bad/base/scenario.yaml -o "$w/out/r.h5" --restart "$file") ;;
      collect)
        printf 'name: h5\nscenario: %s/tests/bad/base/scenario.yaml\nsweep:\n  carbon_price: [0]\n' \
          "$root" >"$w/job.yaml"
        args=(sweep "$w/job.yaml" --collect) ;;
      *) not_ok "$name: unknown cmd '$cmd'"; continue ;;
    esac
    start=$SECONDS
    timeout -k 5 "$CASE_LIMIT" "$bin" "${args[@]}" >"$w/stdout" 2>"$w/stderr"
    rc=$?
    err=$w/stderr first=""
    if [ "$cmd" = collect ]; then first=$(grep -m1 'task 0' "$err"); else first=$(head -n 1 "$err"); fi
    why=''
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then why="timed out after $CASE_LIMIT s"
    elif [ "$rc" != "$code" ]; then why="exit $rc, expected $code"
    elif grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer' "$err"; then
      why="sanitizer report"
    elif [ -n "$msg" ] && [[ "$first" != *"$msg"* ]]; then why="first line '${first:0:200}' lacks '$msg'"
    elif [ "$code" != 0 ] && [[ "$first" != *"$(basename "$file")"* ]]; then why="first line '${first:0:200}' does not name the file"
    fi
    if [ -z "$why" ]; then ok "$name ($kind: exit $rc, $((SECONDS - start)) s)"
    else not_ok "$name ($kind): $why" "$err"; fi
  done
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
