#!/usr/bin/env bash
# libFuzzer sessions of the readers (docs/fuzzing.md; issue 6, item 2).
#
# Usage: tools/fuzz.sh [run]              build, then fuzz each harness FUZZ_SECONDS
#        tools/fuzz.sh build              build build/fuzz/fuzz_<harness> only
#        tools/fuzz.sh minimize H FILE    shrink a crashing input of harness H
#        tools/fuzz.sh add H FILE         copy an input into fuzz/corpus/H/ (after a fix)
#        tools/fuzz.sh coverage [H DIR]   line coverage of the readers by fuzz/corpus/*
#                                         (or by DIR for harness H): llvm-cov report
#
# Harnesses (fuzz/fuzz_<harness>.c):
#   tables    one CSV model table through cn_model_read (parsing + validation)
#   scenario  a scenario YAML file through cn_scenario_read
#   result    a result file through cn_h5_read_summary and cn_h5_read_vars
#   ckpt      a checkpoint file through cn_ckpt_read
# They are built with clang -fsanitize=fuzzer,address,undefined from the
# reader sources only (no MPI calls, no GLPK): see FUZZ_LIB_SRC and
# FUZZ_H5_SRC below.  HDF5 itself is Debian's build (not instrumented).
#
# `run` fuzzes one harness at a time, one process (-jobs is never used), on a
# scratch copy of fuzz/corpus/<harness>/ in build/fuzz/work/<harness>/, so the
# committed corpus never changes by itself.  A crash, sanitizer report, leak,
# timeout or out-of-memory is written to build/fuzz/work/<harness>/artifacts/
# and reported with the commands to reproduce, minimise and add it.
#
# Environment:
#   FUZZ_SECONDS=60        time per harness (-max_total_time)
#   FUZZ_HARNESSES="tables scenario result ckpt"
#   FUZZ_MAX_LEN=16384     longest input libFuzzer makes (-max_len; result: at
#                          least 131072, the size of its seeds)
#   FUZZ_ARGS=...          more libFuzzer options (e.g. -seed=1 -only_ascii=1)
#   FUZZ_CC=clang          the compiler (needs libclang-rt-14-dev: make deps --robust)
#   V=1                    print the compile commands
set -euo pipefail
caller=$PWD
cd "$(dirname "$0")/.."
root=$PWD
# A file named on the command line, as the caller meant it.
abspath() { case "$1" in /*) echo "$1" ;; *) echo "$caller/$1" ;; esac; }

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_HARNESSES=${FUZZ_HARNESSES:-tables scenario result ckpt}
FUZZ_MAX_LEN=${FUZZ_MAX_LEN:-16384}
FUZZ_CC=${FUZZ_CC:-clang}
out=build/fuzz

# What the readers need, and nothing that pulls in MPI, HDF5 or GLPK.
FUZZ_LIB_SRC=(base/err.c base/sha256.c base/infile.c base/signals.c core/model.c core/idindex.c
              io/csv_table.c io/yaml_util.c io/parse_util.c io/tables.c io/scenario.c
              fuzz/fuzz_util.c)
# The HDF5 readers (harnesses result and ckpt): HDF5's serial API, no MPI call.
FUZZ_H5_SRC=(base/err.c base/infile.c base/log.c core/invest.c io/h5check.c io/h5read.c io/h5ckpt.c io/h5file.c
             fuzz/fuzz_h5util.c)
is_h5() { case "$1" in result|ckpt) return 0 ;; *) return 1 ;; esac; }
SAN=("-fsanitize=address,undefined" -fno-sanitize-recover=undefined)
CFLAGS=(-std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic -g -O1
        -fno-omit-frame-pointer)
read -r -a YAML_CFLAGS <<<"$(pkg-config --cflags yaml-0.1 2>/dev/null || true)"
read -r -a H5_CFLAGS <<<"$(pkg-config --cflags hdf5-openmpi 2>/dev/null || true)"
read -r -a H5_LIBS <<<"$(pkg-config --libs hdf5-openmpi 2>/dev/null || true)"
YAML_CFLAGS+=("${H5_CFLAGS[@]}")
LIBS=(-lyaml -lcsv -lcrypto -lm)
H5_LIBS+=(-lhdf5_hl -lm)

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 64; }

# Compile when the source, a header of the reader directories or this script
# (the flags) is newer than the object.
compile() { # src obj flags...
  local src=$1 obj=$2; shift 2
  if [ -f "$obj" ] && [ -z "$(find "$src" tools/fuzz.sh base core io fuzz -maxdepth 1 \
        \( -name '*.h' -o -path "$src" -o -path tools/fuzz.sh \) -newer "$obj" -print -quit)" ]; then
    return 0
  fi
  mkdir -p "$(dirname "$obj")"
  [ "${V:-}" = 1 ] && echo "$FUZZ_CC $* -c -o $obj $src"
  echo "  CC      $src"
  "$FUZZ_CC" "$@" -c -o "$obj.tmp" "$src" && mv "$obj.tmp" "$obj"
}

build() {
  if ! command -v "$FUZZ_CC" >/dev/null; then
    echo "fuzz: $FUZZ_CC not found (tools/setup-deps.sh --robust installs clang)" >&2
    return 69
  fi
  mkdir -p "$out/obj"
  # one build at a time: `make test` and `make fuzz` may share build/fuzz
  exec 9>"$out/.lock"
  flock 9
  local objs=() h5objs=() src obj h
  for src in "${FUZZ_LIB_SRC[@]}"; do
    obj=$out/obj/${src%.c}.o
    compile "$src" "$obj" "${CFLAGS[@]}" "${YAML_CFLAGS[@]}" "${SAN[@]}" \
      -fsanitize=fuzzer-no-link
    objs+=("$obj")
  done
  for src in "${FUZZ_H5_SRC[@]}"; do
    obj=$out/obj/${src%.c}.o
    compile "$src" "$obj" "${CFLAGS[@]}" "${YAML_CFLAGS[@]}" "${SAN[@]}" \
      -fsanitize=fuzzer-no-link
    h5objs+=("$obj")
  done
  for h in $FUZZ_HARNESSES; do
    local hobjs=("${objs[@]}") hlibs=("${LIBS[@]}")
    if is_h5 "$h"; then hobjs=("${h5objs[@]}"); hlibs=("${H5_LIBS[@]}"); fi
    src=fuzz/fuzz_$h.c
    [ -f "$src" ] || { echo "fuzz: no harness $src" >&2; return 64; }
    obj=$out/obj/fuzz/fuzz_$h.o
    compile "$src" "$obj" "${CFLAGS[@]}" "${YAML_CFLAGS[@]}" "${SAN[@]}" \
      -fsanitize=fuzzer-no-link
    local bin=$out/fuzz_$h newer=1
    if [ -x "$bin" ]; then
      newer=0
      for o in "$obj" "${hobjs[@]}"; do [ "$o" -nt "$bin" ] && newer=1; done
    fi
    if [ "$newer" = 1 ]; then
      echo "  LD      $bin"
      "$FUZZ_CC" "${SAN[@]}" -fsanitize=fuzzer -o "$bin.tmp" "$obj" "${hobjs[@]}" "${hlibs[@]}"
      mv "$bin.tmp" "$bin"
    fi
  done
  flock -u 9
}

# The harnesses' scratch model directory ($TMPDIR): in memory when /dev/shm is
# there (four times the executions per second of a disk), removed at exit.
scratch=''
cleanup() { if [ -n "$scratch" ]; then rm -rf "$scratch"; fi; }
trap cleanup EXIT
# ASan/UBSan report and stop at the first problem; LSan suppressions only for
# HDF5's own leaks.
fuzz_env() {
  if [ -z "$scratch" ]; then
    if [ -d /dev/shm ] && [ -w /dev/shm ]; then
      scratch=$(mktemp -d /dev/shm/cnopt-fuzz.XXXXXX)
    else
      mkdir -p "$out/work"
      scratch=$(mktemp -d "$root/$out/work/tmp.XXXXXX")
    fi
  fi
  export TMPDIR=$scratch
  export ASAN_OPTIONS=${FUZZ_ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:allocator_may_return_null=0}
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  # leaks inside HDF5 itself on corrupted files (fuzz/lsan-hdf5.supp); no MPI
  export LSAN_OPTIONS=suppressions=$root/fuzz/lsan-hdf5.supp:print_suppressions=0
}

dict_args() { # harness
  if [ -f "fuzz/$1.dict" ]; then echo "-dict=fuzz/$1.dict"; fi
}

run() {
  build
  fuzz_env
  local h failed=() summary=()
  for h in $FUZZ_HARNESSES; do
    local w=$out/work/$h
    rm -rf "$w"
    mkdir -p "$w/corpus" "$w/artifacts"
    cp fuzz/corpus/"$h"/* "$w/corpus/"
    local nseed
    nseed=$(find "$w/corpus" -type f | wc -l)
    echo "== fuzz_$h: $FUZZ_SECONDS s on a copy of fuzz/corpus/$h ($nseed inputs), log $w/fuzz.log"
    local rc=0 extra=()
    read -r -a extra <<<"${FUZZ_ARGS:-}"
    # shellcheck disable=SC2046 # dict_args is one word or none
    # HDF5 harnesses: a malloc of a size HDF5 took from the file gets NULL, as
    # it would without ASan (HDF5 then fails cleanly); cnopt's own allocations
    # still fail the harness (CN_EOSERR is not an allowed outcome)
    local asan=$ASAN_OPTIONS
    if is_h5 "$h"; then asan=${ASAN_OPTIONS/allocator_may_return_null=0/allocator_may_return_null=1}; fi
    local maxlen=$FUZZ_MAX_LEN
    if [ "$h" = result ] && [ "$maxlen" -lt 131072 ]; then maxlen=131072; fi
    ASAN_OPTIONS=$asan "$out/fuzz_$h" -max_total_time="$FUZZ_SECONDS" -timeout=10 \
      -max_len="$maxlen" -print_final_stats=1 -artifact_prefix="$w/artifacts/" \
      $(dict_args "$h") "${extra[@]}" "$w/corpus" >"$w/fuzz.log" 2>&1 || rc=$?
    local last execs secs
    last=$(grep -E '^#[0-9]+' "$w/fuzz.log" | tail -1 || true)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$w/fuzz.log")
    secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$w/fuzz.log")
    echo "   last status: ${last:-none}"
    echo "   executions: ${execs:-?}${secs:+ in $secs s}, corpus now $(find "$w/corpus" -type f | wc -l) inputs"
    summary+=("fuzz_$h: exit $rc, ${execs:-?} executions, cov: ${last#*cov: }")
    local arts
    arts=$(find "$w/artifacts" -type f | sort)
    if [ "$rc" != 0 ] || [ -n "$arts" ]; then
      failed+=("$h")
      echo "   FAILED (exit $rc); the report:"
      grep -E -A12 '^==[0-9]+==ERROR|runtime error|^fuzz_harness|^fuzz_[a-z]+:|fuzz harness:|ALARM|out-of-memory|SUMMARY' \
        "$w/fuzz.log" | head -40 | sed 's/^/     /'
      local a
      for a in $arts; do
        echo "   reproducing input: $a"
        echo "     reproduce:  $out/fuzz_$h $a"
        echo "     minimise:   tools/fuzz.sh minimize $h $a"
        echo "     after the fix, add it to the corpus: tools/fuzz.sh add $h $a"
      done
    else
      echo "   ok: no crash, leak, timeout or sanitizer report"
      echo "   to keep the new inputs that reach new code (edges, not hit counts):"
      echo "     $out/fuzz_$h -merge=1 -use_counters=0 fuzz/corpus/$h $w/corpus"
    fi
  done
  echo
  printf '%s\n' "${summary[@]}"
  if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: problems found by: ${failed[*]} (see above)"
    return 1
  fi
  echo "fuzz: no problem found"
}

minimize() { # harness file
  [ $# = 2 ] || usage
  FUZZ_HARNESSES=$1 build
  fuzz_env
  local dir=. min
  case "$2" in */*) dir=${2%/*} ;; esac
  min=$dir/minimized-${2##*/}
  "$out/fuzz_$1" -minimize_crash=1 -max_total_time=60 \
    -exact_artifact_path="$min" "$2" || true
  if [ -f "$min" ]; then
    echo "minimised: $min ($(wc -c <"$min") bytes, was $(wc -c <"$2"))"
    echo "after the fix: tools/fuzz.sh add $1 $min"
  else
    echo "fuzz: $2 does not crash fuzz_$1: nothing to minimise" >&2
    return 1
  fi
}

add() { # harness file
  [ $# = 2 ] || usage
  [ -d "fuzz/corpus/$1" ] || { echo "fuzz: no corpus fuzz/corpus/$1" >&2; return 64; }
  local name
  name=crash-$(sha1sum "$2" | cut -c1-16)
  cp "$2" "fuzz/corpus/$1/$name"
  FUZZ_HARNESSES=$1 build
  fuzz_env
  if "$out/fuzz_$1" "fuzz/corpus/$1/$name" >/dev/null 2>&1; then
    echo "added fuzz/corpus/$1/$name (it runs cleanly now); commit it with the fix:"
    echo "  git add fuzz/corpus/$1/$name"
  else
    echo "added fuzz/corpus/$1/$name, but it still fails: fix the reader first" >&2
    echo "  reproduce: $out/fuzz_$1 fuzz/corpus/$1/$name" >&2
    return 1
  fi
}

# Source-based coverage (clang -fprofile-instr-generate, no sanitizer) of the
# reader sources, from running each corpus once (-runs=0).
coverage() { # [harness dir]
  local hs=$FUZZ_HARNESSES dir=''
  if [ $# = 2 ]; then hs=$1 dir=$2; elif [ $# != 0 ]; then usage; fi
  local cov=$out/cov h srcs=() s
  for s in "${FUZZ_LIB_SRC[@]}"; do
    case "$s" in fuzz/*) ;; *) srcs+=("$s") ;; esac
  done
  mkdir -p "$cov"
  fuzz_env
  for h in $hs; do
    echo "  LD      $cov/fuzz_$h (coverage)"
    "$FUZZ_CC" "${CFLAGS[@]}" "${YAML_CFLAGS[@]}" -fprofile-instr-generate -fcoverage-mapping \
      -fsanitize=fuzzer -o "$cov/fuzz_$h" "fuzz/fuzz_$h.c" "${FUZZ_LIB_SRC[@]}" "${LIBS[@]}"
    rm -f "$cov/$h.profraw"
    LLVM_PROFILE_FILE=$cov/$h.profraw "$cov/fuzz_$h" -runs=0 -max_len="$FUZZ_MAX_LEN" \
      "${dir:-fuzz/corpus/$h}" >"$cov/$h.log" 2>&1
    llvm-profdata merge -o "$cov/$h.profdata" "$cov/$h.profraw"
    echo "== fuzz_$h on ${dir:-fuzz/corpus/$h} ($(find "${dir:-fuzz/corpus/$h}" -type f | wc -l) inputs)"
    llvm-cov report "$cov/fuzz_$h" -instr-profile="$cov/$h.profdata" "${srcs[@]}" \
      | sed 's/^/   /'
  done
  echo "per line: llvm-cov show $cov/fuzz_H -instr-profile=$cov/H.profdata io/tables.c"
}

cmd=${1:-run}
[ $# -gt 0 ] && shift
case "$cmd" in
  run) [ $# = 0 ] || usage; run ;;
  build) [ $# = 0 ] || usage; build ;;
  minimize|minimise) [ $# = 2 ] || usage; minimize "$1" "$(abspath "$2")" ;;
  add) [ $# = 2 ] || usage; add "$1" "$(abspath "$2")" ;;
  coverage) if [ $# = 2 ]; then coverage "$1" "$(abspath "$2")"; else coverage "$@"; fi ;;
  -h|--help|help) usage ;;
  *) usage ;;
esac
