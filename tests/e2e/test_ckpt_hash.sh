#!/usr/bin/env bash
# The checkpoint's input hash covers every scenario key (docs/robustness.md
# "What the input hash covers"): a decomposition checkpoint is made once, then
# each scenario key is changed in turn (--set KEY=VALUE, table below) and the
# run must refuse to resume from a copy of it (exit 65, "made from other
# inputs"); expansion: true solves the MIP by Benders, which refuses a
# decomposition checkpoint as not its own (exit 65, "not a checkpoint of a
# Benders run").  --set also records an override in the name and
# description: both are set back to the file's (verbatim overrides), so the
# key's own value is the only difference.  Controls: the same inputs resume, and so does the
# same model reached through another directory holding identical files.
# At the default checkpoint path, --force (without --restart) discards a
# checkpoint of other inputs instead (docs/slurm.md).
# The table must name every key of docs/input-format.md section 4 (the
# restatement of spec section 3): a key added there without a row here fails.
set -u
cd "$(dirname "$0")/../.."
BIN=${CNOPT:-./cnopt}
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
MPI=(mpirun --oversubscribe)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 pass=0 fail=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then pass=$((pass+1)); echo "ok $n - $2"; else fail=$((fail+1)); echo "not ok $n - $2"; fi; }

G=$tmp/gen
$BIN generate --regions 8 --sites 10 --periods 6 --seed 3 -o "$G" >/dev/null
ok $? "generate a small model"
# another model directory: one site's grid price changed
cp -r "$G" "$tmp/other"
awk -F, -v OFS=, 'NR == 2 { $7 = $7 + 1 } { print }' "$G/sites.csv" >"$tmp/other/sites.csv"
cmp -s "$G/sites.csv" "$tmp/other/sites.csv"; [ $? = 1 ]; ok $? "a model directory with one grid price changed"
cp -r "$G" "$tmp/same"

# the scenario's own name and description, to undo what --set records
name0=$(sed -n 's/^name: //p' "$G/scenario.yaml")
desc0=$(sed -n 's/^description: "\(.*\)"$/\1/p' "$G/scenario.yaml")
[ -n "$name0" ] && [ -n "$desc0" ]; ok $? "the scenario's name ($name0) and description"
keep=(--set "name=$name0" --set "description=$desc0")

# scenario key -> a value other than the generated scenario's
declare -A change=(
  [name]=another-name
  [description]=another-description
  [model]=$tmp/other
  [periods]=5
  [period_hours]=2
  [period_weight]=365
  [carbon_price]=12345
  [carbon_cap]=1e12
  [expansion]=true
  [scale.demand]=1.5
  [scale.bandwidth]=2
  [scale.green]=0.5
  [scale.grid_price]=1.1
)

# the keys of docs/input-format.md section 4: `key` rows, and scale's keys
keys=$(awk '/^## 4\. Scenario file/ {on = 1; next} /^## / {on = 0}
  on && /^\| `[a-z_]+` \|/ {
    k = $2; gsub(/[` ]/, "", k)
    if (k == "scale") {
      s = $0; while (match(s, /`[a-z_]+`/)) {
        v = substr(s, RSTART + 1, RLENGTH - 2); s = substr(s, RSTART + RLENGTH)
        if (v != "scale") print "scale." v }
    } else print k }' docs/input-format.md)
nkeys=$(echo "$keys" | grep -c .)
[ "$nkeys" -ge 13 ]; ok $? "docs/input-format.md lists $nkeys scenario keys"
missing=""
for k in $keys; do [ -n "${change[$k]+x}" ] || missing="$missing $k"; done
[ -z "$missing" ]; ok $? "every documented scenario key has a row in the table (missing:${missing:- none})"
extra=""
for k in "${!change[@]}"; do echo "$keys" | grep -qx -- "$k" || extra="$extra $k"; done
[ -z "$extra" ]; ok $? "every row of the table is a documented key (extra:${extra:- none})"

# the checkpoint: a stop after iteration 3 (test hook), at 2 ranks
"${MPI[@]}" -np 2 env CNOPT_TEST_STOP_AFTER=3 $BIN -q solve --method dw "$G/scenario.yaml" \
  -o "$tmp/base.h5" >"$tmp/base.log" 2>&1
rc=$?; [ $rc = 75 ] && [ -f "$tmp/base.h5.ckpt" ]; ok $? "a checkpoint is written (exit $rc)"

# resume from a fresh copy of it with extra arguments; prints the exit code
try() {
  local tag=$1; shift
  cp "$tmp/base.h5.ckpt" "$tmp/$tag.ckpt"
  $BIN solve --method dw "$G/scenario.yaml" --restart "$tmp/$tag.ckpt" \
    --checkpoint "$tmp/$tag.ckpt" -o "$tmp/$tag.h5" "$@" >"$tmp/$tag.log" 2>&1
  echo $?
}

rc=$(try same)
[ "$rc" = 0 ] && grep -q "resumed from $tmp/same.ckpt" "$tmp/same.log"; ok $? "control: the same inputs resume (exit $rc)"
rc=$(try samedir --set model="$tmp/same" "${keep[@]}")
[ "$rc" = 0 ] && grep -q "resumed from" "$tmp/samedir.log"; ok $? "control: identical files in another model directory resume (exit $rc)"

i=0
for k in $keys; do
  i=$((i + 1))
  case $k in
    name) rc=$(try "k$i" --set "name=${change[$k]}") ;;
    description) rc=$(try "k$i" --set "description=${change[$k]}") ;;
    *) rc=$(try "k$i" --set "$k=${change[$k]}" "${keep[@]}") ;;
  esac
  if [ "$k" = expansion ]; then
    [ "$rc" = 65 ] && grep -q "not a checkpoint of a Benders run" "$tmp/k$i.log" &&
      ! grep -q "resumed from" "$tmp/k$i.log"
    ok $? "$k changed to ${change[$k]}: the MIP by Benders refuses the decomposition's checkpoint (exit $rc, 65 expected)"
  else
    [ "$rc" = 65 ] && grep -q "made from other inputs" "$tmp/k$i.log"
    ok $? "$k changed to ${change[$k]}: the checkpoint is refused (exit $rc, 65 expected)"
  fi
done

# at the default path (OUTPUT.ckpt, no --restart): refused as above without
# --force; with --force the stale checkpoint is discarded with a warning, the
# run starts afresh (no "resumed from"), reaches the optimum of a fresh solve of
# those inputs, and leaves no checkpoint behind
stale() { # $1: tag; rest: extra arguments; prints the exit code
  local tag=$1; shift
  cp "$tmp/base.h5.ckpt" "$tmp/$tag.h5.ckpt"
  $BIN solve --method dw "$G/scenario.yaml" --set scale.demand=1.5 "${keep[@]}" \
    -o "$tmp/$tag.h5" "$@" >"$tmp/$tag.log" 2>&1
  echo $?
}
rc=$(stale st0)
[ "$rc" = 65 ] && grep -q "made from other inputs" "$tmp/st0.log" && [ -f "$tmp/st0.h5.ckpt" ]
ok $? "a stale checkpoint at the default path without --force: refused (exit $rc), kept"
rc=$(stale st1 --force)
[ "$rc" = 0 ] && grep -q -- "--force discards it" "$tmp/st1.log" && ! grep -q "resumed from" "$tmp/st1.log" &&
  [ ! -e "$tmp/st1.h5.ckpt" ]
ok $? "... with --force: discarded with a warning, a fresh start (exit $rc), no checkpoint left"
$BIN -q solve --method monolithic "$G/scenario.yaml" --set scale.demand=1.5 "${keep[@]}" \
  -o "$tmp/st-mono.h5" >>"$tmp/st-mono.log" 2>&1
o1=$(h5dump -m %.17g -a /objective "$tmp/st1.h5" 2>/dev/null | sed -n 's/.*(0): \(.*\)/\1/p')
o2=$(h5dump -m %.17g -a /objective "$tmp/st-mono.h5" 2>/dev/null | sed -n 's/.*(0): \(.*\)/\1/p')
awk -v a="$o1" -v b="$o2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && d <= 1e-6 * (1 + (b < 0 ? -b : b))) }'
ok $? "... and reaches the optimum of those inputs ($o1 against monolithic $o2)"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
