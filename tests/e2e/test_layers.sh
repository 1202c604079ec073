#!/usr/bin/env bash
# The layers and the module graph (README "Layout", /work/shared house rules):
#  1. #include "..." lines point one way: base -> core -> io -> solver -> cli
#     (a file includes only headers of its own layer or a lower one);
#  2. no cycle among the modules of one layer, neither in the #include graph
#     (module = directory/name of NAME.c and NAME.h) nor in the call graph
#     (object X uses a symbol that object Y defines: nm of the release build's
#     objects), checked for base/, core/ and io/ (solver/'s decomposition
#     modules share one internal header, dw_int.h, by design);
#  3. the call graph also points one way between layers;
#  4. each third-party library is included in its one module (glpk, metis,
#     libcsv, libyaml, OpenSSL), HDF5/netCDF only in io/, and MPI_COMM_WORLD
#     appears only in cli/main.c.
# Needs the release objects (make); about one second.
set -u
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
n=0 pass=0 fail=0
ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1"; }

# check.py ROOT OBJDIR: one line per finding "FAIL|OK <rule>: text"
check=$(mktemp)
trap 'rm -f "$check"' EXIT
cat >"$check" <<'PYEOF'
import os, re, subprocess, sys
root, objdir = sys.argv[1], sys.argv[2]
LAYERS = ["base", "core", "io", "solver", "cli"]
CYCLE_FREE = {"base", "core", "io"}
rank = {l: i for i, l in enumerate(LAYERS)}
files = sorted(os.path.join(l, f) for l in LAYERS for f in os.listdir(os.path.join(root, l))
               if f.endswith((".c", ".h")))
def module(path):            # "io/scenario.c" -> "io/scenario"
    return os.path.splitext(path)[0]
inc_re = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]')
out = []
def report(rule, bad, good):
    if bad:
        for b in bad[:20]:
            out.append("FAIL %s: %s" % (rule, b))
    else:
        out.append("OK %s: %s" % (rule, good))

# 1. layering of #include "..." and the include graph
inc_edges, layer_bad, sys_incs = {}, [], []
for f in files:
    src = open(os.path.join(root, f), encoding="utf-8", errors="replace").read()
    for ln, line in enumerate(src.split("\n"), 1):
        m = inc_re.match(line)
        if not m:
            continue
        if m.group(1) == "<":
            sys_incs.append((f, ln, m.group(2)))
            continue
        tgt = os.path.normpath(os.path.join(os.path.dirname(f), m.group(2)))
        tl = tgt.split(os.sep)[0]
        if tl not in rank:
            layer_bad.append("%s:%d includes %s, outside the layers" % (f, ln, m.group(2)))
            continue
        if rank[tl] > rank[f.split("/")[0]]:
            layer_bad.append("%s:%d includes %s: %s is above %s" % (f, ln, tgt, tl, f.split("/")[0]))
        a, b = module(f), module(tgt)
        if a != b:
            inc_edges.setdefault(a, set()).add(b)
report("include layers", layer_bad, "%d files, every #include points down or across" % len(files))

def cycles(edges, nodes):
    """Strongly connected components of more than one node (Tarjan)."""
    index, low, st, on, res, cnt = {}, {}, [], set(), [], [0]
    def visit(v):
        index[v] = low[v] = cnt[0]; cnt[0] += 1
        st.append(v); on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in nodes:
                continue
            if w not in index:
                visit(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = st.pop(); on.discard(w); comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                res.append(sorted(comp))
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return res

def path_in(edges, comp):
    """One cycle through comp, as text: a -> b -> ... -> a."""
    start = comp[0]; seen = {start: None}; todo = [start]
    while todo:
        v = todo.pop(0)
        for w in sorted(edges.get(v, ())):
            if w == start:
                p = [v]
                while seen[p[-1]] is not None:
                    p.append(seen[p[-1]])
                return " -> ".join(list(reversed(p)) + [start])
            if w in comp and w not in seen:
                seen[w] = v; todo.append(w)
    return ", ".join(comp)

for l in sorted(CYCLE_FREE, key=rank.get):
    nodes = {module(f) for f in files if f.startswith(l + "/")}
    cyc = cycles(inc_edges, nodes)
    report("%s/ include graph" % l, ["cycle " + path_in(inc_edges, c) for c in cyc],
           "%d modules, no cycle" % len(nodes))

# 2-3. the call graph from the objects
def nm(obj, flags):
    r = subprocess.run(["nm"] + flags + [obj], capture_output=True, text=True, check=True)
    return r.stdout.split("\n")
objs = [f[:-2] for f in files if f.endswith(".c")]
missing = [o + ".o" for o in objs if not os.path.exists(os.path.join(objdir, o + ".o"))]
if missing:
    out.append("FAIL call graph: objects missing (run make): " + ", ".join(missing[:5]))
else:
    defs, uses = {}, {}
    for o in objs:
        p = os.path.join(objdir, o + ".o")
        for line in nm(p, ["-g", "--defined-only"]):
            parts = line.split()
            if len(parts) == 3:
                defs.setdefault(parts[2], o)
        uses[o] = {line.split()[-1] for line in nm(p, ["-u"]) if line.strip()}
    call = {o: {defs[s] for s in uses[o] if s in defs and defs[s] != o} for o in objs}
    bad = []
    for o in objs:
        for t in sorted(call[o]):
            if rank[t.split("/")[0]] > rank[o.split("/")[0]]:
                syms = sorted(s for s in uses[o] if defs.get(s) == t)
                bad.append("%s calls %s (%s): %s is above %s"
                           % (o, t, ", ".join(syms[:3]), t.split("/")[0], o.split("/")[0]))
    report("call layers", bad, "%d objects, every call points down or across" % len(objs))
    for l in sorted(CYCLE_FREE, key=rank.get):
        nodes = {o for o in objs if o.startswith(l + "/")}
        cyc = cycles(call, nodes)
        report("%s/ call graph" % l, ["cycle " + path_in(call, c) for c in cyc],
               "%d objects, no cycle" % len(nodes))

# 4. third-party libraries behind their modules
OWN = {"glpk.h": ["solver/lp_glpk.c"], "metis.h": ["solver/partition.c"],
       "csv.h": ["io/csv_table.c"], "yaml.h": ["io/yaml_util.h"],
       "openssl/evp.h": ["base/sha256.c"]}
bad = []
for f, ln, h in sys_incs:
    if h in OWN and f not in OWN[h]:
        bad.append("%s:%d includes <%s>, which belongs to %s" % (f, ln, h, " ".join(OWN[h])))
    if (h.startswith("hdf5") or h.startswith("netcdf")) and not f.startswith("io/"):
        bad.append("%s:%d includes <%s> outside io/" % (f, ln, h))
for f in files:
    if f == "cli/main.c":
        continue
    for ln, line in enumerate(open(os.path.join(root, f), encoding="utf-8",
                                   errors="replace").read().split("\n"), 1):
        code = line.split("//")[0]
        if "MPI_COMM_WORLD" in code and not code.lstrip().startswith(("*", "/*")):
            bad.append("%s:%d uses MPI_COMM_WORLD (only cli/main.c may)" % (f, ln))
report("libraries", bad, "each library in its module, MPI_COMM_WORLD only in cli/main.c")
print("\n".join(out))
PYEOF

# run.sh: ROOT OBJDIR, prints ok/not ok lines
run_check() {
  local root=$1 obj=$2 line
  while IFS= read -r line; do
    case $line in
      OK*) ok "${line#OK }" ;;
      FAIL*) no "${line#FAIL }" ;;
      *) echo "# $line" ;;
    esac
  done < <($PY "$check" "$root" "$obj" 2>&1)
}
run_check . build/release

# The checks can fail: a copy of the tree with a planted cycle in io/ (the
# table reader calling the scenario reader again) and a planted layer breach
# (core/ including an io/ header) must be caught.
plant=$(mktemp -d)
trap 'rm -f "$check"; rm -rf "$plant"' EXIT
cp -R base core io solver cli "$plant/"
printf '#include "scenario.h"\n' >>"$plant/io/tables.c"
printf '#include "tables.h"\n' >>"$plant/io/scenario.h"
printf '#include "../io/reader.h"\n' >>"$plant/core/model.c"
got=$($PY "$check" "$plant" build/release 2>&1)
if grep -q '^FAIL io/ include graph: cycle' <<<"$got"; then
  ok "a planted include cycle in io/ is caught ($(grep -m1 '^FAIL io/ include graph' <<<"$got" | sed 's/^FAIL io\/ include graph: //'))"
else
  no "a planted include cycle in io/ went unnoticed"
fi
if grep -q '^FAIL include layers: core/model.c' <<<"$got"; then
  ok "a planted layer breach (core/ including io/) is caught"
else
  no "a planted layer breach went unnoticed"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
