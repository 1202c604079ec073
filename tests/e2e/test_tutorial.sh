#!/usr/bin/env bash
# tests/e2e/test_tutorial.sh - run every command of docs/tutorial.md, so it cannot rot.
#
# 1. Copies the working tree (tracked and untracked-but-not-ignored files, with their
#    times) to a temporary directory, plus build/release and ./cnopt when they exist so
#    that the tutorial's `make` has little or nothing to do.
# 2. tests/e2e/report_tutorial.py extracts every fenced ```sh block, in order; a
#    fence in another shell language or without a language fails the test (output
#    belongs in ```text blocks), so no command escapes.
# 3. Runs each block with `bash -e -o pipefail` at the top of the copy: a block passes
#    when every command in it succeeds.  Blocks do not share shell variables.
#    Markers (an HTML comment on the line before the fence):
#      <!-- test: skip-if-no-sweep -->  skipped, with the reason, while
#                                       `cnopt sweep JOB --list` does not work;
#      <!-- test: skip-if-no-slurm -->  also needs Slurm (slurmctld, slurmd, munged,
#                                       sbatch) and every slurm/ file the block names;
#                                       then runs on a private single-node cluster
#                                       (slurm/cluster.sh, stopped at the end).
# 4. Checks what the prose claims (numbers of section 6, input differences, reports)
#    against the files the commands wrote (report_tutorial.py claims).
# About 90 s (four solves of the bundled model, monolithic) plus the sweep when it runs.
set -u
cd "$(dirname "$0")/../.." || exit 1
PY=/usr/bin/python3
HELPER=$PWD/tests/e2e/report_tutorial.py
TUTORIAL=docs/tutorial.md
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
export OMPI_MCA_rmaps_base_oversubscribe=1
# a short directory: Slurm's Unix sockets live under it (docs/slurm-cluster.md)
tmp=$(mktemp -d /tmp/cnopt-tut-XXXXXX)
chmod 0755 "$tmp"   # munged needs o+x on every parent of its socket
R=$tmp/repo
CL=$tmp/c
cluster_up=0
cleanup() {
  if [ "$cluster_up" = 1 ]; then "$R/slurm/cluster.sh" stop "$CL" >/dev/null 2>&1; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
pass=0 fail=0 skip=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
notok() { echo "not ok - $1"; fail=$((fail + 1)); }
skipped() { echo "ok - # SKIP $1"; skip=$((skip + 1)); }
finish() { echo "# $skip skipped"; echo "$pass passed, $fail failed"; [ "$fail" = 0 ]; exit $?; }

# 1. the copy
mkdir -p "$R"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z -c -o --exclude-standard | while IFS= read -r -d '' f; do
    [ -e "$f" ] && printf '%s\0' "$f"
  done | tar --null -T - -cf - | tar -xf - -C "$R"
else  # an unpacked release: everything but build output and results
  tar --exclude=./build --exclude=./results --exclude=./cnopt -cf - . | tar -xf - -C "$R"
fi
if [ -f "$R/$TUTORIAL" ] && [ -f "$R/Makefile" ]; then ok "copy of the working tree in $R"
else notok "copy of the working tree (no $TUTORIAL or Makefile in it)"; finish; fi
[ -d build/release ] && mkdir -p "$R/build" && cp -a build/release "$R/build/"
[ -f cnopt ] && cp -a cnopt "$R/"

# 2. the blocks
if "$PY" "$HELPER" blocks "$R/$TUTORIAL" "$tmp/blocks" >"$tmp/extract.out" 2>&1; then
  ok "extract the sh blocks of $TUTORIAL ($(wc -l <"$tmp/blocks/blocks.tsv") blocks; every fence is sh or text)"
else
  notok "extract the sh blocks of $TUTORIAL"; sed 's/^/    /' "$tmp/extract.out"; finish
fi

sweep_state='' # '', ok, or the reason it does not work
sweep_works() {
  if [ -z "$sweep_state" ]; then
    cat >"$tmp/probe.yaml" <<EOF
name: probe
scenario: $R/models/china-2024/scenario.yaml
sweep:
  carbon_price: [0, 80]
EOF
    if (cd "$R" && ./cnopt sweep "$tmp/probe.yaml" --list) >"$tmp/probe.out" 2>&1; then sweep_state=ok
    else sweep_state="cnopt sweep --list does not work yet: $(head -1 "$tmp/probe.out")"; fi
  fi
  [ "$sweep_state" = ok ]
}
slurm_why() { # block file: prints why it cannot run on Slurm, nothing when it can
  local b=$1 p
  sweep_works || { echo "$sweep_state"; return; }
  for p in slurmctld slurmd munged sbatch scontrol; do
    command -v "$p" >/dev/null 2>&1 || { echo "Slurm is not installed ($p missing; tools/setup-deps.sh --slurm)"; return; }
  done
  [ -x "$R/slurm/cluster.sh" ] || { echo "slurm/cluster.sh missing"; return; }
  for p in $(grep -o 'slurm/[A-Za-z0-9_.-]*' "$b" | sort -u); do
    [ -e "$R/$p" ] || { echo "$p does not exist (yet)"; return; }
  done
}

# 3. run them
while IFS=$'\t' read -r n line marker first; do
  b=$tmp/blocks/$n.sh
  name="tutorial line $line: $first"
  pre=''
  case "$marker" in
    skip-if-no-sweep)
      if ! sweep_works; then skipped "$name ($sweep_state)"; continue; fi ;;
    skip-if-no-slurm)
      why=$(slurm_why "$b")
      if [ -n "$why" ]; then skipped "$name ($why)"; continue; fi
      if [ "$cluster_up" = 0 ]; then
        if "$R/slurm/cluster.sh" start "$CL" >"$tmp/cluster.out" 2>&1; then cluster_up=1
        else notok "start a private Slurm cluster for $name"; tail -30 "$tmp/cluster.out" | sed 's/^/    /'; continue; fi
      fi
      pre=". '$CL/env.sh'" ;;
  esac
  start=$SECONDS
  if (cd "$R" && timeout 900 bash -e -o pipefail -c "$pre
. '$b'") >"$tmp/run.out" 2>&1; then
    ok "$name ($((SECONDS - start)) s)"
  else
    notok "$name (exit $?, $((SECONDS - start)) s)"
    echo "    block:"; sed 's/^/      /' "$b"
    echo "    output (last 30 lines):"; tail -30 "$tmp/run.out" | sed 's/^/      /'
  fi
done <"$tmp/blocks/blocks.tsv"
if [ "$cluster_up" = 1 ]; then
  "$R/slurm/cluster.sh" stop "$CL" >/dev/null 2>&1 && cluster_up=0
fi

# 4. what the prose says
"$PY" "$HELPER" claims "$R" >"$tmp/claims.out" 2>&1
rc=$?
cat "$tmp/claims.out"
pass=$((pass + $(grep -c '^ok - ' "$tmp/claims.out"))); fail=$((fail + $(grep -c '^not ok - ' "$tmp/claims.out")))
if [ "$rc" != 0 ] && ! grep -q '^not ok - ' "$tmp/claims.out"; then notok "report_tutorial.py claims ran (exit $rc)"; fi
finish
