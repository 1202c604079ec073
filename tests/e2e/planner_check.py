#!/usr/bin/python3
"""tests/e2e/planner_check.py RESULT.h5 INFO.txt - check `cnopt info`'s planner tables
against the file, read with h5py (no code of cnopt or of the report is imported).

Expected, from docs/model.md section 8: one more unit sustained over every period
saves -sum_t dual[., t] (the duals already include w(t) * period_hours); a hub's
value is the sum of its sites' values.  Printed amounts have 3 significant digits
with k/M/bn, so a value matches when it agrees to 0.5% (plus half a unit of the
last digit).  Prints "ok - ..." / "not ok - ..." lines."""
import sys

import h5py
import numpy as np

f = h5py.File(sys.argv[1], "r")
lines = open(sys.argv[2]).read().splitlines()
fails = 0


def check(cond, msg):
    global fails
    print(("ok - " if cond else "not ok - ") + msg)
    fails += 0 if cond else 1


def parse(word):
    if word == "-":
        return 0.0
    for sfx, k in (("bn", 1e9), ("M", 1e6), ("k", 1e3)):
        if word.endswith(sfx):
            return float(word[:-len(sfx)]) * k
    return float(word)


def near(printed, want):
    return abs(printed - want) <= 0.005 * abs(want) + (0.005 if abs(want) < 1 else 0) or \
        (printed == 0 and abs(want) < 0.005)


def strs(ds):
    return [x.decode() if isinstance(x, bytes) else str(x) for x in ds[()]]


site, hub, typ, region = strs(f["site"]), strs(f["hub"]), strs(f["type"]), strs(f["region"])
S, C, H, T = len(site), len(typ), len(hub), f["period"].shape[0]
d = f["duals"]
cap = -d["capacity"][()].reshape(S, C, T).sum(axis=2)
res = np.stack([-d[k][()].reshape(S, T).sum(axis=1) for k in ("power_cap", "green", "access")], axis=1)
vals = np.concatenate([cap, res], axis=1)            # [S, C + 3]: the table's columns
sh = f["model/site_hub"][()]
w = f["model/period_weight"][()]
hours = float(w.sum() * f["provenance/scenario"].attrs["period_hours"])


def table(title):
    """rows {id: [words]} of the table under the line starting with title"""
    i0 = next((i for i, l in enumerate(lines) if l.startswith(title)), None)
    if i0 is None:
        return {}
    rows = {}
    for l in lines[i0 + 4:]:
        if not l.strip() or (l.startswith("  (") and l[3:4].isdigit()):
            break
        wd = l.replace("(no hub)", "(no-hub)").split()
        rows[wd[0]] = wd[2:]
    return rows


# the horizon in words
head = next((l for l in lines if l.startswith("what one more unit")), "")
if abs(hours - 8760) < 1e-6:
    check(head.endswith("yuan a year"), "the weighted horizon is 8,760 h and info says 'a year': %r" % head)
else:
    check("over the horizon" in head or "weighted horizon" in head,
          "the horizon (%g h) is said in words: %r" % (hours, head))

# per site
rows = table("per site")
binding = [s for s in range(S) if (np.abs(vals[s]) >= 0.005).any()]
check(sorted(rows) == sorted(site[s] for s in binding),
      "per site: the %d sites listed are those where a limit binds (%d)" % (len(rows), len(binding)))
bad = [(site[s], j, rows[site[s]][j], vals[s, j]) for s in binding if site[s] in rows
       for j in range(C + 3) if not near(parse(rows[site[s]][j]), vals[s, j])]
check(not bad and rows, "per site: every value = -sum over periods of its dual (%d sites x %d columns)%s"
      % (len(rows), C + 3, "; differs: %s" % bad[:3] if bad else ""))

# per hub: the sum of its sites' values
rows = table("per hub")
bad, n = [], 0
for h in range(H):
    want = vals[sh == h].sum(axis=0)
    got = rows.get(hub[h])
    if got is None:
        bad.append((hub[h], "missing"))
        continue
    n += 1
    for j in range(C + 3):
        if not near(parse(got[j]), want[j]):
            bad.append((hub[h], j, got[j], want[j]))
check(not bad and n == H, "per hub: each of the %d hubs' values = the sum of its sites' values%s"
      % (n, "; differs: %s" % bad[:3] if bad else ""))
if (sh < 0).any():
    got = rows.get("(no-hub)")
    want = vals[sh < 0].sum(axis=0)
    check(got is not None and all(near(parse(got[j]), want[j]) for j in range(C + 3)),
          "per hub: the row '(no hub)' sums the %d sites outside every hub" % int((sh < 0).sum()))

# backbone links
L = f["link"].shape[0]
lk = -d["link_bandwidth"][()].reshape(L, T).sum(axis=1)
lf, lt = f["model/link_from"][()], f["model/link_to"][()]
i0 = next(i for i, l in enumerate(lines) if l.startswith("backbone fibre"))
got = {}
for l in lines[i0 + 2:]:
    if not l.strip():
        break
    wd = l.split()
    got[wd[0]] = parse(wd[1])
want = {"%s-%s" % (region[lf[l]], region[lt[l]]): lk[l] for l in range(L) if abs(lk[l]) >= 0.005}
check(sorted(got) == sorted(want) and all(near(got[k], want[k]) for k in want),
      "backbone fibre: %d binding links, each -sum over periods of /duals/link_bandwidth" % len(want))

# the largest, in words: the top entry
allv = [(vals[s, j], s, j) for s in range(S) for j in range(C + 3)] + [(lk[l], -1, l) for l in range(L)]
top = max(allv, key=lambda x: abs(x[0]))
i0 = next(i for i, l in enumerate(lines) if l.startswith("largest, in words"))
first = lines[i0 + 1] if i0 + 1 < len(lines) else ""
who = site[top[1]] if top[1] >= 0 else "%s-%s" % (region[lf[top[2]]], region[lt[top[2]]])
check(first.startswith("  +1 ") and (" at %s " % who in first or " on %s " % who in first)
      and ("a year" in first or "horizon" in first),
      "in words, the largest first: %r names %s" % (first.strip(), who))
sys.exit(1 if fails else 0)
