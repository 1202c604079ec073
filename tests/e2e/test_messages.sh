#!/usr/bin/env bash
# Messages for people (issue 15 item 5; docs/errors.md):
#  1. no error message names an internal function unless -v: the failure
#     cases below (a sample of tests/bad/, and the failures of each
#     command: missing and unreadable files, existing outputs, bad options,
#     memory refusals, bad job files, checkpoints of other inputs) are run, and
#     their stderr must contain neither a traceback frame ("in FUNC (FILE:LINE)")
#     nor the name of any function of the cnopt binary (nm); with -v the
#     traceback is there;
#  2. every exit code a command can return is in README's exit-code table:
#     the codes of base/err.h, of each command's --help, of slurm/submit and the
#     Slurm batch scripts, and of tools/cnopt-report;
#  3. a monolithic solve shows progress on a terminal (script(1) gives it one),
#     only after the delay, and never when stderr is a file.
# Release build; about 40 failure cases, each a cnopt run.
set -u
cd "$(dirname "$0")/../.."
root=$PWD
BIN=$root/cnopt
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
export OMPI_MCA_ess_singleton_isolated=1
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
n=0 pass=0 fail=0
ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1"; }

# ---- 1. no function names ----
# function symbols of our code with an underscore (words like "solve" or
# "main" could be ordinary words in a message)
nm --defined-only "$BIN" | awk '$2 ~ /^[tT]$/ && $3 ~ /^[a-z][a-z0-9]*_[a-z0-9_]*$/ {print $3}' \
  | sed 's/\..*//' | sort -u >"$tmp/funcs"
nf=$(wc -l <"$tmp/funcs")
[ "$nf" -gt 200 ] && ok "$nf function names from nm" || no "only $nf function names from nm"

cd "$tmp"
cp -R "$root/tests/bad/base" m
"$BIN" -q solve m/scenario.yaml -o done.h5 >/dev/null 2>&1
echo garbage >garbage.h5
head -c 3000 done.h5 >truncated.h5
mkdir full && echo x >full/file
printf 'name: j\nscenario: m/scenario.yaml\nsweep:\n  carbon_price: [1, x]\n' >badjob.yaml
printf 'not a checkpoint\n' >bad.ckpt

cases=0 leaks=0
# run CODE NAME -- command...: the exit code, and stderr free of function names
run() {
  local code=$1 name=$2; shift 3
  cases=$((cases + 1))
  timeout -k 5 120 "$@" >out 2>err </dev/null; local rc=$?
  if [ "$rc" != "$code" ]; then no "$name: exit $rc, expected $code"; sed 's/^/#   /' err | head -3; return; fi
  local hit
  hit=$(grep -nE '^[[:space:]]+in [A-Za-z_][A-Za-z0-9_]*( \(|$)' err | head -1)
  [ -z "$hit" ] && hit=$(grep -owFf "$tmp/funcs" err | head -1)
  if [ -n "$hit" ]; then
    leaks=$((leaks + 1)); no "$name: stderr names an internal function ($hit)"; sed 's/^/#   /' err | head -5
  fi
}
# bad-input cases of the corpus through validate: every missing-input case
# (66) and every sixth bad-data case (65; their messages are diagnostics
# FILE:LINE:COLUMN, which test_reader checks case by case; each run here
# starts MPI, so the corpus is sampled)
i=0
for d in "$root"/tests/bad/*/; do
  c=$(basename "$d"); [ "$c" = base ] && continue; [ -f "$d/expect" ] || continue
  want=$(grep -E '^[0-9]+ ' "$d/expect" | head -1 | cut -d' ' -f1)
  [ -n "$want" ] || continue
  i=$((i + 1)); [ "$want" = 66 ] || [ $((i % 6)) = 0 ] || continue
  rm -rf case && cp -R "$root/tests/bad/base" case
  for f in "$d"/*; do rm -rf "case/$(basename "$f")"; cp -R "$f" case/; done
  rm -f case/expect
  for f in $(awk '$1 == "remove" {print $2}' "$d/expect"); do rm -rf "case/$f"; done
  run "$want" "bad/$c" -- "$BIN" validate case/scenario.yaml
done
run 66 "validate: no such scenario" -- "$BIN" validate none.yaml
run 64 "unknown command" -- "$BIN" frobnicate
run 64 "solve: unknown option" -- "$BIN" solve --bogus m/scenario.yaml
run 64 "solve: bad number" -- "$BIN" solve --max-iter 0x10 m/scenario.yaml -o a.h5
run 73 "solve: output exists" -- "$BIN" solve m/scenario.yaml -o done.h5
run 73 "solve: output directory missing" -- "$BIN" solve m/scenario.yaml -o /nonexistent/dir/a.h5
run 71 "solve: estimated memory above --mem-limit" -- "$BIN" solve m/scenario.yaml --mem-limit 1M -o a.h5
run 65 "solve: checkpoint that is not one" -- "$BIN" solve m/scenario.yaml --method dw --restart bad.ckpt -o a.h5
run 66 "solve: checkpoint missing" -- "$BIN" solve m/scenario.yaml --method dw --restart none.ckpt -o a.h5
run 65 "info: not an HDF5 file" -- "$BIN" info garbage.h5
run 65 "info: truncated file" -- "$BIN" info truncated.h5
run 66 "info: no such file" -- "$BIN" info none.h5
run 65 "export: not an HDF5 file" -- "$BIN" export garbage.h5 --csv csv1
run 73 "export: directory not empty" -- "$BIN" export done.h5 --csv full
run 64 "generate: regions out of range" -- "$BIN" generate --regions 0 -o g
run 73 "generate: directory not empty" -- "$BIN" generate -o full
run 65 "aggregate: not whole days" -- "$BIN" aggregate m/scenario.yaml --days 1 -o agg
run 66 "sweep: no such job file" -- "$BIN" sweep none.yaml --list
run 65 "sweep: bad job file" -- "$BIN" sweep badjob.yaml --list
[ "$leaks" = 0 ] && ok "$cases failure cases: no message names an internal function" \
                  || no "$leaks of $cases failure cases name an internal function"
# -v keeps the traceback (the frames name functions and source lines)
"$BIN" -v info garbage.h5 >out 2>err
if grep -qE '^[[:space:]]+in [A-Za-z_][A-Za-z0-9_]* \([a-z]+/[a-z0-9_]+\.c:[0-9]+\)' err; then
  ok "-v shows the traceback ($(grep -cE '^[[:space:]]+in ' err) frames)"
else
  no "-v shows no traceback"; sed 's/^/#   /' err | head -5
fi
cd "$root"

# ---- 2. exit codes in README's table ----
table=$(awk '/^### Exit codes/ {on = 1; next} on && /^#/ {on = 0} on && /^\| [0-9]+ \|/ {print $2}' README.md | sort -un)
[ -n "$table" ] && ok "README's table: $(echo $table)" || no "README has no exit-code table"
codes() { # SOURCE: one code a line
  case $1 in
    err.h) grep -oE '= [0-9]+' base/err.h | grep -oE '[0-9]+' ;;
    help) for c in "" solve validate info export generate aggregate sweep; do
            "$BIN" $c --help | sed -n '/^exit codes/,/^$/p' | grep -oE '\b[0-9]{1,3}\b'
          done ;;
    submit) grep -oE '(exit|die "[^"]*") [0-9]+' slurm/submit | grep -oE '[0-9]+$'
            grep -oE '^exit codes:.*' -A3 slurm/submit | grep -oE '\b[0-9]{2}\b' ;;
    sbatch) grep -ohE 'exit [0-9]+' slurm/*.sbatch.in | grep -oE '[0-9]+' ;;
    report) grep -ohE 'EX_[A-Z]+(, EX_[A-Z]+)* = [0-9, ]+' tools/cnopt_report/*.py | sed 's/.*= //' | tr ', ' '\n\n' | grep -E '^[0-9]+$' ;;
  esac
}
for src in err.h help submit sbatch report; do
  got=$(codes $src | sort -un | tr '\n' ' ')
  missing=""
  for c in $got; do grep -qx "$c" <<<"$table" || missing="$missing $c"; done
  if [ -z "$got" ]; then no "$src: no exit codes found"
  elif [ -z "$missing" ]; then ok "$src codes ($got) are in the table"
  else no "$src returns codes missing from README's table:$missing"; fi
done

# ---- 3. progress on a terminal ----
cd "$tmp"
# CN_PROGRESS_DELAY_S=0: the status line from the first GLPK report on
CN_PROGRESS_DELAY_S=0 script -qec "$BIN solve m/scenario.yaml --method monolithic -o p1.h5" /dev/null >tty1 2>&1
if grep -qaE $'\rsimplex: iteration [0-9]+, objective [-0-9.e+]+, infeasibility [-0-9.e+]+, [0-9]+ s\e\[K' tty1 &&
   grep -qa $'\r\e\[Kstatus optimal' tty1; then
  ok "a terminal gets the simplex status line, erased before the next message"
else
  no "no status line on a terminal"; cat -A tty1 | sed 's/^/#   /' | head -5
fi
# the default delay: a solve of a fraction of a second shows none
script -qec "$BIN solve m/scenario.yaml --method monolithic -o p2.h5" /dev/null >tty2 2>&1
if grep -qa 'status optimal' tty2 && ! grep -qa 'simplex: iteration' tty2; then
  ok "a short solve on a terminal shows no status line (delay ${CN_PROGRESS_DELAY_S:-3} s)"
else
  no "a short solve shows a status line or did not run"; cat -A tty2 | sed 's/^/#   /' | head -5
fi
# not a terminal, or -q: nothing, whatever the delay
CN_PROGRESS_DELAY_S=0 "$BIN" solve m/scenario.yaml --method monolithic -o p3.h5 >log3 2>&1
CN_PROGRESS_DELAY_S=0 script -qec "$BIN -q solve m/scenario.yaml --method monolithic -o p4.h5" /dev/null >tty4 2>&1
if grep -qa 'status optimal' log3 && ! grep -qa 'simplex:' log3 && ! grep -qa $'\r' log3 && ! grep -qa 'simplex:' tty4; then
  ok "no status line in a log file or under -q"
else
  no "a status line reached a log file or -q"
fi
cd "$root"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
