#!/usr/bin/env bash
# Failure paths of `cnopt solve` end to end (issue 6, item 4; docs/robustness.md).
#   a. an unreadable input on one rank (test hook CNOPT_TEST_UNREADABLE_RANK):
#      every rank ends within seconds, one message, exit 66
#   b. allocations failing on one rank while it solves (test hook
#      CNOPT_TEST_ENOMEM_RANK: RLIMIT_DATA on that rank): exit 71, one message
#   c. a GLPK fatal error on one rank (test hook CNOPT_TEST_GLPK_FAIL=RANK[:N]):
#      exit 70, GLPK's message and ours, no hang (on the monolithic path too,
#      in rank 1's share of the period start)
#   d. SIGKILL at several moments (0.2 s, 1 s, 3 s; of the only rank, of mpirun,
#      of one of 2 ranks) and at chosen points of the HDF5 write (an LD_PRELOAD
#      shim built here: mid parallel write on either rank, at the serial phase,
#      just before the final link/rename): never a file at the output path, an
#      existing result replaced with --force keeps its sha256, and the only
#      leftovers are temporary files named .OUT.h5.tmp.HOST.PID (or .cnopt-probe-*)
#   e. an output directory that cannot take a file (mode 0555 for an
#      unprivileged user; a read-only mount for root): exit 73 before solving
# Uses the release build (CNOPT, default ./cnopt).  Each run is under timeout.
set -u
cd "$(dirname "$0")/../.." || exit 1
BIN=${CNOPT:-./cnopt}
case "$BIN" in /*) ;; *) BIN=$PWD/$BIN ;; esac
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
MPI=(mpirun --oversubscribe)
# After a rank exits non-zero (or is killed) mpirun sends the others SIGTERM,
# which cnopt turns into "checkpoint at the next iteration", and SIGKILL 1-2 s
# later.  That grace is mpirun's, not cnopt's: parts d and e and the TODO case
# of c, which time something else, skip it.
QUICK=(--mca odls_base_sigkill_timeout 0)
tmp=$(mktemp -d)
chmod 755 "$tmp"
cleanup() {
  local p
  for p in $(pgrep -f -- "$tmp/" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
n=0 pass=0 fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then pass=$((pass+1)); echo "ok $n - $2"; else fail=$((fail+1)); echo "not ok $n - $2"; fi; }
skip() { n=$((n+1)); pass=$((pass+1)); echo "ok $n - # SKIP $1"; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" = 0 ]; exit $?; }
now_ms() { date +%s%3N; }
# processes still running with this path in their command line
alive() { pgrep -f -- "$1" | grep -cvx "$$"; }
# names in directory $1 not matching the extended regex $2
others() { find "$1" -mindepth 1 -maxdepth 1 -printf '%f\n' | grep -vE "$2" | tr '\n' ' '; }
ntemp() { find "$1" -mindepth 1 -maxdepth 1 -name '*.tmp.*' | wc -l; }
# wait until no process has $1 in its command line (at most $2 s); 0 if none is left
wait_gone() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do [ "$(alive "$1")" = 0 ] && return 0; sleep 0.1; done
  return 1
}
if [ ! -x "$BIN" ]; then ok 1 "$BIN is missing (make)"; finish; fi

# models: G solves in about 1 s at 2 ranks, G16 in 3-6 s, GK (110k columns) in well
# over 10 s: only its first 3 s are run, so a kill at 3 s always finds it running
G=$tmp/gen
"$BIN" generate --regions 8 --sites 10 --periods 24 --seed 3 -o "$G" >/dev/null 2>&1
G16=$tmp/gen16
"$BIN" generate --regions 16 --sites 30 --periods 24 --seed 5 -o "$G16" >/dev/null 2>&1
GK=$tmp/genk
"$BIN" generate --regions 28 --sites 80 --periods 24 --seed 5 -o "$GK" >/dev/null 2>&1
[ -f "$G/scenario.yaml" ] && [ -f "$G16/scenario.yaml" ] && [ -f "$GK/scenario.yaml" ]; ok $? "generate the test models"

# One failing run: name, expected code, message pattern, ranks, env assignments...
# (then --, cnopt solve arguments).  Checks exit code, exactly one message,
# no output file, every process gone, within 20 s.
fail_run() {
  local name=$1 want=$2 pat=$3 np=$4; shift 4
  local envs=()
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  local out=$tmp/$name.h5 start rc nmsg el
  start=$(now_ms)
  timeout 30 "${MPI[@]}" -np "$np" env "${envs[@]}" "$BIN" -q solve --method dw "$@" -o "$out" >"$tmp/$name.log" 2>&1
  rc=$?
  el=$(( $(now_ms) - start ))
  wait_gone "$out" 5
  local left; left=$(alive "$out")
  nmsg=$(grep -cE "$pat" "$tmp/$name.log")
  [ "$rc" = "$want" ] && [ "$nmsg" = 1 ] && [ ! -e "$out" ] && [ "$left" = 0 ] && [ "$el" -lt 20000 ]
  ok $? "$name: exit $rc (want $want), $nmsg message matching '$pat', no output, $left processes left, $el ms"
  if [ "$rc" != "$want" ] || [ "$nmsg" != 1 ]; then grep -v '^ *[0-9]*  master' "$tmp/$name.log" | head -12 | sed 's/^/#   /'; fi
}

# ---- a. unreadable input on one rank
fail_run unreadable_r0 66 'cannot open scenario file: Permission denied' 2 CNOPT_TEST_UNREADABLE_RANK=0 -- "$G/scenario.yaml"
fail_run unreadable_r2of3 66 'cannot open scenario file: Permission denied' 3 CNOPT_TEST_UNREADABLE_RANK=2 -- "$G/scenario.yaml"
grep -q '^cnopt\[rank 2 on .*\]: rank 0 read the input, this rank could not' "$tmp/unreadable_r2of3.log" &&
  grep -q "^$G/scenario.yaml: cannot open" "$tmp/unreadable_r2of3.log"
ok $? "the message names the rank that failed and the file ($(head -2 "$tmp/unreadable_r2of3.log" | tr '\n' ' '))"

# ---- b. out of memory on one rank while solving
fail_run enomem_dw_r0 71 'error: out of memory' 2 CNOPT_TEST_ENOMEM_RANK=0 -- "$G/scenario.yaml"
fail_run enomem_dw_r1 71 'error: out of memory' 2 CNOPT_TEST_ENOMEM_RANK=1 -- "$G/scenario.yaml"
fail_run enomem_mono_r0 71 'error: out of memory' 2 CNOPT_TEST_ENOMEM_RANK=0 -- --method monolithic "$G/scenario.yaml"

# ---- c. a GLPK fatal error
# GLPK's own message comes first, on the failing rank's 'error:' line or above it
GPAT='GLPK failed with a fatal error'
fail_run glpk_r0_first 70 "$GPAT" 2 CNOPT_TEST_GLPK_FAIL=0 -- "$G/scenario.yaml"
fail_run glpk_r1_mid 70 "$GPAT" 2 CNOPT_TEST_GLPK_FAIL=1:10 -- "$G/scenario.yaml"
fail_run glpk_mono 70 "$GPAT" 2 CNOPT_TEST_GLPK_FAIL=0 -- --method monolithic "$G/scenario.yaml"
# rank 1's first GLPK solve on the monolithic path is one of its periods of
# the period start (docs/solver.md "The period start"), before the gather
fail_run glpk_mono_start_r1 70 "$GPAT" 2 CNOPT_TEST_GLPK_FAIL=1 -- --method monolithic "$G/scenario.yaml"
# rank 1 holds 12 of G's 24 periods: its 13th solve is the first of the second
# pass, after the multipliers' reduction
fail_run glpk_mono_pass2_r1 70 "$GPAT" 2 CNOPT_TEST_GLPK_FAIL=1:13 -- --method monolithic "$G/scenario.yaml"
fail_run enomem_mono_r1 71 'error: out of memory' 2 CNOPT_TEST_ENOMEM_RANK=1 -- --method monolithic "$G/scenario.yaml"
grep -q 'column number out of range' "$tmp/glpk_mono.log"; ok $? "GLPK's own message is shown too"
# The last GLPK solve of rank 1 is in the final assembly of the decomposition
# (solver/dw.c assemble()): a failure there must not leave rank 0 in the
# reductions that follow (it did, until assemble() agreed on the error first;
# found by this test).  CNOPT_TEST_GLPK_FAIL=1:0 counts rank 1's solves: fail
# the last one
nsol=$(timeout 30 "${MPI[@]}" -np 2 env CNOPT_TEST_GLPK_FAIL=1:0 "$BIN" -q solve --method dw "$G/scenario.yaml" -o "$tmp/count.h5" 2>&1 | grep -c '^test hook CNOPT_TEST_GLPK_FAIL: GLPK solve #')
start=$(now_ms)
timeout 5 "${MPI[@]}" "${QUICK[@]}" -np 2 env CNOPT_TEST_GLPK_FAIL="1:$nsol" "$BIN" -q solve --method dw "$G/scenario.yaml" -o "$tmp/glpk_last.h5" >"$tmp/glpk_last.log" 2>&1
rc=$?
wait_gone "$tmp/glpk_last.h5" 5 || pkill -9 -f -- "$tmp/glpk_last.h5"
[ $rc = 70 ] && [ "$nsol" -gt 1 ] && [ ! -e "$tmp/glpk_last.h5" ]
ok $? "GLPK failure in rank 1's last solve (#$nsol, the final assembly): exit $rc in $(( $(now_ms) - start )) ms (124 = hung, killed after 5 s)"

# ---- d. SIGKILL
# d1. at fixed delays: the only rank; mpirun of 2 ranks; rank 1 of 2
kill_at() { # name, delay, mode (single|mpirun|rank1)
  local name=$1 delay=$2 mode=$3 out=$tmp/kill/$1.h5 pid p
  mkdir -p "$tmp/kill"
  if [ "$mode" = single ]; then
    "$BIN" -q solve --method dw "$GK/scenario.yaml" -o "$out" >"$tmp/$name.log" 2>&1 &
  else
    "${MPI[@]}" -np 2 "$BIN" -q solve --method dw "$GK/scenario.yaml" -o "$out" >"$tmp/$name.log" 2>&1 &
  fi
  pid=$!
  sleep "$delay"
  local target=$pid
  if [ "$mode" = rank1 ]; then
    target=''
    for p in $(pgrep -f -- "-o $out"); do
      tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx 'OMPI_COMM_WORLD_RANK=1' && target=$p
    done
  fi
  local was_running=0
  [ -n "$target" ] && kill -0 "$target" 2>/dev/null && was_running=1
  [ -n "$target" ] && kill -9 "$target" 2>/dev/null
  wait "$pid" 2>/dev/null
  local gone=0
  wait_gone "$out" 10 || { gone=1; pkill -9 -f -- "$out"; }
  local stray
  stray=$(others "$tmp/kill" "^\.$name\.h5\.tmp\.[A-Za-z0-9-]+\.[0-9]+$|^\.cnopt-probe-")
  [ "$was_running" = 1 ] && [ ! -e "$out" ] && [ "$gone" = 0 ] && [ -z "$stray" ]
  ok $? "SIGKILL to $mode at ${delay} s: was running $was_running, no $name.h5, all processes ended ($gone), other files: '${stray}'; temp files: $(ntemp "$tmp/kill")"
  rm -rf "$tmp/kill"
}
kill_at single_0.2 0.2 single
kill_at single_1 1 single
kill_at single_3 3 single
kill_at mpirun_1 1 mpirun
kill_at mpirun_3 3 mpirun
kill_at rank1_2 2 rank1

# d2. at points of the HDF5 write, through an LD_PRELOAD shim: the Nth call of
# a function on one rank sends SIGKILL to that rank first
cat >"$tmp/killpoint.c" <<'EOF'
/* CN_KILLPOINT=FUNC:N:RANK: SIGKILL at the Nth call of FUNC on MPI rank RANK
 * (OMPI_COMM_WORLD_RANK, 0 for a singleton), before the call runs.  Calls of
 * the path functions count only for paths containing ".tmp.". */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void maybe_kill(const char *fn, const char *path)
{
    static long count;
    const char *spec = getenv("CN_KILLPOINT"), *r = getenv("OMPI_COMM_WORLD_RANK");
    char name[64];
    long n = 1, rank = 0;
    if (!spec || sscanf(spec, "%63[^:]:%ld:%ld", name, &n, &rank) < 1 || strcmp(name, fn) != 0)
        return;
    if ((r ? atol(r) : 0) != rank || (path && !strstr(path, ".tmp.")) || ++count != n)
        return;
    char msg[600];
    int len = snprintf(msg, sizeof msg, "killpoint: SIGKILL at %s #%ld on rank %ld %s\n", fn, n,
                       rank, path ? path : "");
    if (write(2, msg, (size_t)len) < 0)
        len = 0;
    raise(SIGKILL);
}

static void *next(const char *f) { return dlsym(RTLD_NEXT, f); }
typedef int64_t hid;
int H5Dwrite(hid d, hid t, hid m, hid f, hid x, const void *buf)
{
    int (*real)(hid, hid, hid, hid, hid, const void *);
    void *p = next("H5Dwrite");
    memcpy(&real, &p, sizeof p);
    maybe_kill("H5Dwrite", NULL);
    return real(d, t, m, f, x, buf);
}
hid H5Fopen(const char *path, unsigned flags, hid fapl)
{
    hid (*real)(const char *, unsigned, hid);
    void *p = next("H5Fopen");
    memcpy(&real, &p, sizeof p);
    maybe_kill("H5Fopen", path);
    return real(path, flags, fapl);
}
int link(const char *a, const char *b)
{
    int (*real)(const char *, const char *);
    void *p = next("link");
    memcpy(&real, &p, sizeof p);
    maybe_kill("link", a);
    return real(a, b);
}
int rename(const char *a, const char *b)
{
    int (*real)(const char *, const char *);
    void *p = next("rename");
    memcpy(&real, &p, sizeof p);
    maybe_kill("rename", a);
    return real(a, b);
}
EOF
SHIM=$tmp/killpoint.so
gcc -std=c11 -Wall -Wextra -Wpedantic -O1 -shared -fPIC -o "$SHIM" "$tmp/killpoint.c" -ldl >"$tmp/shim.log" 2>&1
ok $? "build the kill-point shim ($(head -c 200 "$tmp/shim.log"))"
# an existing result to be replaced with --force
"$BIN" -q solve "$G/scenario.yaml" -o "$tmp/prev.h5" >/dev/null 2>&1
prev_sum=$(sha256sum <"$tmp/prev.h5")
killpoint() { # name, CN_KILLPOINT, force (0|1)
  local name=$1 kp=$2 force=$3 d=$tmp/kp/$1 rc
  mkdir -p "$d"
  local args=()
  if [ "$force" = 1 ]; then cp "$tmp/prev.h5" "$d/out.h5"; args=(--force); fi
  timeout 30 "${MPI[@]}" "${QUICK[@]}" -np 2 -x LD_PRELOAD="$SHIM" -x CN_KILLPOINT="$kp" \
    "$BIN" -q solve "${args[@]}" "$G/scenario.yaml" -o "$d/out.h5" >"$tmp/$name.log" 2>&1
  rc=$?
  wait_gone "$d/out.h5" 10 || pkill -9 -f -- "$d/out.h5"
  local hit stray ok_out
  hit=$(grep -c "^killpoint: SIGKILL at ${kp%%:*}" "$tmp/$name.log")
  stray=$(others "$d" '^\.out\.h5\.tmp\.[A-Za-z0-9-]+\.[0-9]+$|^\.cnopt-probe-|^out\.h5$')
  if [ "$force" = 1 ]; then
    [ -f "$d/out.h5" ] && [ "$(sha256sum <"$d/out.h5")" = "$prev_sum" ]; ok_out=$?
  else
    [ ! -e "$d/out.h5" ]; ok_out=$?
  fi
  [ "$hit" = 1 ] && [ "$rc" != 0 ] && [ "$rc" != 124 ] && [ "$ok_out" = 0 ] && [ -z "$stray" ]
  ok $? "SIGKILL at $kp$([ "$force" = 1 ] && echo ' with --force over a result'): killed $hit, exit $rc, output $([ "$force" = 1 ] && echo "unchanged" || echo "absent") ($ok_out), temp files $(ntemp "$d"), other files '$stray'"
}
killpoint write_r0 H5Dwrite:5:0 0
killpoint write_r1_force H5Dwrite:12:1 1
killpoint serial_force H5Fopen:1:0 1
killpoint rename_force rename:1:0 1
killpoint link_r0 link:1:0 0
# a later run to the same path writes its result and removes the stale
# temporary file of the killed run (same host, process gone); a temporary
# file of a live process is left alone
sleep 1000 & live=$!
touch "$tmp/kp/link_r0/.out.h5.tmp.$(hostname | tr -c 'A-Za-z0-9\n-' '-').$live"
[ "$(ntemp "$tmp/kp/link_r0")" = 2 ] &&
  "$BIN" -q solve "$G/scenario.yaml" -o "$tmp/kp/link_r0/out.h5" >/dev/null 2>&1 &&
  "$BIN" info "$tmp/kp/link_r0/out.h5" >/dev/null 2>&1 && [ "$(ntemp "$tmp/kp/link_r0")" = 1 ] &&
  [ -e "$tmp/kp/link_r0/.out.h5.tmp.$(hostname | tr -c 'A-Za-z0-9\n-' '-').$live" ]
ok $? "a rerun after the kill writes a complete result and removes the killed run's .out.h5.tmp.HOST.PID, not a live one's"
kill "$live" 2>/dev/null

# ---- e. an output directory that cannot take a file: exit 73 before solving
# (G16 takes about 6 s to solve at 2 ranks; the refusal must come in < 3 s)
E=$tmp/e
mkdir -p "$E/ro"
cp "$BIN" "$E/cnopt"
cp -R "$G16" "$E/model"
chmod -R a+rX "$E"
chmod 555 "$E/ro"
if command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
  asuser=(setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$E" TMPDIR=/tmp)
  for np in 1 2; do
    start=$(now_ms)
    timeout 60 "${asuser[@]}" mpirun --oversubscribe "${QUICK[@]}" -np $np "$E/cnopt" solve "$E/model/scenario.yaml" -o "$E/ro/out.h5" >"$tmp/e_user$np.log" 2>&1
    rc=$?; el=$(( $(now_ms) - start ))
    [ $rc = 73 ] && [ "$el" -lt 3000 ] && [ "$(grep -c 'is not writable' "$tmp/e_user$np.log")" = 1 ] && [ -z "$(ls -A "$E/ro")" ]
    ok $? "unprivileged user, mode 0555 directory, $np rank(s): exit $rc in $el ms, one message ($(grep -m1 'error:' "$tmp/e_user$np.log"))"
  done
else
  skip "setpriv cannot switch to uid 65534 here: the mode-0555 directory case needs an unprivileged user"
fi
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
  mkdir -p "$E/rom"
  start=$(now_ms)
  unshare -m sh -c "mount -t tmpfs -o ro tmpfs '$E/rom' && exec mpirun --oversubscribe ${QUICK[*]} -np 2 '$E/cnopt' solve '$E/model/scenario.yaml' -o '$E/rom/out.h5'" >"$tmp/e_ro.log" 2>&1
  rc=$?; el=$(( $(now_ms) - start ))
  if grep -q 'mount:' "$tmp/e_ro.log"; then
    skip "a read-only tmpfs cannot be mounted here ($(head -1 "$tmp/e_ro.log"))"
  else
    [ $rc = 73 ] && [ "$el" -lt 3000 ] && [ "$(grep -c 'Read-only file system' "$tmp/e_ro.log")" = 1 ]
    ok $? "root, read-only mount, 2 ranks: exit $rc in $el ms, one message ($(grep -m1 'error:' "$tmp/e_ro.log"))"
  fi
else
  skip "unshare -m is not available (needs root and mount namespaces): no read-only mount case"
fi

finish
