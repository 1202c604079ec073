#!/usr/bin/env bash
# Options, output/checkpoint paths and signals while reading (issue 16 items
# 3-5; docs/robustness.md "Hardened options and paths").  Release build, tiny
# model tests/bad/base, about 15 s.  Each case asserts the exit code, the
# message, and that nothing is lost (no result written, files kept).
set -u
cd "$(dirname "$0")/../.."
root=$PWD
BIN=$root/cnopt
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
export OMPI_MCA_ess_singleton_isolated=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -R tests/bad/base "$tmp/m"
cd "$tmp"
n=0 pass=0 fail=0
ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1"; sed 's/^/#   /' err | head -5; }
# expect CODE MESSAGE-SUBSTRING NAME -- command...
expect() {
  local code=$1 msg=$2 name=$3; shift 4
  timeout -k 5 60 "$@" >outp 2>err; local rc=$?
  if [ "$rc" != "$code" ]; then no "$name: exit $rc, expected $code"
  elif ! grep -qF -- "$msg" err; then no "$name: no '$msg'"
  else ok "$name (exit $rc)"; fi
}
S=m/scenario.yaml
# item 5: one strict parser
expect 64 "--output needs a file name, got ''" "-o ''" -- "$BIN" solve -o '' $S
[ ! -e bad-base.h5 ] && ok "-o '' wrote nothing" || no "-o '' wrote bad-base.h5"
expect 64 "--max-iter must be an integer" "--max-iter 1e308" -- "$BIN" solve --max-iter 1e308 $S -o a.h5
expect 64 "--max-iter must be a decimal number" "--max-iter 0x10" -- "$BIN" solve --max-iter 0x10 $S -o a.h5
expect 64 "--parts must not have leading or trailing spaces" "--parts ' 5'" -- "$BIN" solve --parts ' 5' $S -o a.h5
expect 64 "--time-limit is out of range" "--time-limit 1e400" -- "$BIN" solve --time-limit 1e400 $S -o a.h5
expect 64 "--gap must be a number in" "--gap -1" -- "$BIN" solve --gap -1 $S -o a.h5
[ ! -e a.h5 ] && ok "no result after usage errors" || no "a.h5 written"
expect 0 "--mip-gap applies to a MIP" "--mip-gap on an LP warns" -- "$BIN" solve --mip-gap 0.1 $S -o a.h5
rm -f a.h5
expect 0 "--lp is an option of the monolithic solve" "--lp with dw warns" -- "$BIN" solve --method dw --lp interior $S -o a.h5
rm -f a.h5
expect 0 "--parts is a decomposition option" "--parts with monolithic warns" -- "$BIN" solve --method monolithic --parts 2 $S -o a.h5
rm -f a.h5
# item 4: outputs and checkpoints before the solve
ln -s "$tmp/nowhere/x.h5" dl.h5
expect 73 "it is a symbolic link to" "dangling symlink output" -- "$BIN" solve $S -o dl.h5
mkdir -p p
long=p/$(printf 'a%.0s' $(seq 1 240)).h5
expect 73 "the path is too long" "output path over Open MPI's limit" -- "$BIN" solve $S -o "$tmp/$long"
[ -z "$(ls -A p)" ] && ok "long path: nothing left" || no "long path left files"
expect 73 "cannot write in its directory" "checkpoint directory not writable" -- "$BIN" solve --method dw $S -o b.h5 --checkpoint /proc/cn.ckpt
mkdir ckdir
expect 73 "it is a directory" "checkpoint is a directory" -- "$BIN" solve --method dw $S -o b.h5 --checkpoint ckdir
CNOPT_TEST_STOP_AFTER=1 "$BIN" -q solve --method dw $S -o b.h5 2>/dev/null; mv b.h5.ckpt A.ckpt
echo precious >precious.txt
expect 73 "is not the --restart file" "--restart A --checkpoint precious" -- "$BIN" solve --method dw $S -o b.h5 --restart A.ckpt --checkpoint precious.txt
[ "$(cat precious.txt)" = precious ] && [ -f A.ckpt ] && ok "precious.txt and A.ckpt kept" || no "a file was lost"
mkfifo ff.ckpt
expect 66 "not a regular file (a FIFO" "--restart FIFO" -- "$BIN" solve --method dw $S -o b.h5 --restart ff.ckpt
expect 66 "cannot open partition file: not a regular file" "--partition /dev/zero" -- "$BIN" solve --method dw --partition /dev/zero $S -o b.h5
[ ! -e b.h5 ] && ok "no result after refused paths" || no "b.h5 written"
# item 5: solve_args through solve's own parser
for sa in '[--outp, x.h5]' '[-qo, x.h5]' '[--forc]' '[--ou=x.h5]' '[--max-iter, 0x10]'; do
  printf 'name: j\nscenario: m/scenario.yaml\noutdir: out\nsweep:\n  carbon_price: [0, 40]\nsolve_args: %s\n' "$sa" >job.yaml
  expect 65 "job.yaml:6:14: solve_args:" "solve_args $sa refused" -- "$BIN" sweep job.yaml --task 0-1
done
[ ! -e x.h5 ] && [ -z "$(ls out 2>/dev/null)" ] && ok "no task ran" || no "a task wrote a result"
# item 3: a signal while reading ends the run within seconds (exit 75)
/usr/bin/python3 -c "
import sys
sys.stdout.write(open('m/demand.csv').readline())
row = 'r1,batch,0,1\n' * 12000000
sys.stdout.write(row)" >big.csv 2>/dev/null
cp -R m big; cp big.csv big/demand.csv
"$BIN" solve big/scenario.yaml -o big.h5 >outp 2>err & pid=$!
sleep 0.8; t0=$SECONDS; kill -TERM $pid; wait $pid; rc=$?
if [ "$rc" = 75 ] && [ $((SECONDS - t0)) -le 3 ] && grep -q "interrupted by SIGTERM while reading" err && [ ! -e big.h5 ]; then
  ok "SIGTERM while reading a 170 MB table: exit 75 in $((SECONDS - t0)) s, nothing written"
else no "SIGTERM while reading: exit $rc after $((SECONDS - t0)) s"; fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
