#!/usr/bin/python3
"""Independent check of a cnopt result file against the model contract.

usage: tools/check-solution.py [--tol REL] [--obj-tol REL] SCENARIO.yaml RESULT.h5

Rebuilds the model of the model contract (model-v1.md, docs/model.md) (+ v1.1 weighted periods) from
the scenario and its CSV tables alone -- its own CSV reading, its own Dijkstra
with the spec's tie rules, RTT eligibility, windows, D(r,k,b) with the scale
factors, price, green availability, period weights -- and evaluates the solution
written in RESULT.h5 (x, u, pg, pgr, expansion_modules, objective parts, bound,
gap, status) row by row.  It never reads cnopt's LP, and of the file's /model
group it reads nothing: ids are matched by name from the root coordinates.

Prints one line per check ("ok   ..." or "FAIL ..."), then a verdict line.  A
failing check names its first failing row (kind, ids, values).  Exit 0 when every
check holds, 1 when one fails, 2 on a usage or input problem.

Tolerances: a row holds when its violation is <= REL * max(1, sum of |terms| of
the row, |rhs|) (REL = --tol, default 1e-6); the recomputed objective and each
cost part must match the written ones within --obj-tol (default 1e-7) relative to
max(1, |objective|).  The status `optimal` needs gap <= the run's gap tolerance:
`--mip-gap` (MIP) or `--gap` (decomposition) read from the file's
/provenance command_line, else 1e-6.
"""
import csv
import math
import os
import re
import shlex
import sys

import h5py
import numpy as np

try:
    import yaml
except ImportError:  # python3-yaml (tools/setup-deps.sh --report)
    yaml = None

RTT_EPS = 1e-9      # spec 4 and 5: ties of path sums and the RTT test
INT_EPS = 1e-9      # modules must be whole numbers to this absolute tolerance


class InputError(Exception):
    pass


# --------------------------------------------------------------------------
# scenario and tables

def num(v, what):
    if isinstance(v, bool):
        raise InputError(f"{what}: expected a number, got {v!r}")
    try:
        x = float(v)
    except (TypeError, ValueError):
        raise InputError(f"{what}: expected a number, got {v!r}") from None
    if not math.isfinite(x):
        raise InputError(f"{what}: not finite: {v!r}")
    return x


def read_scenario(path):
    if yaml is None:
        raise InputError("python3-yaml is not installed (tools/setup-deps.sh --report)")
    with open(path, encoding="utf-8-sig") as fp:
        doc = yaml.safe_load(fp)
    if not isinstance(doc, dict):
        raise InputError(f"{path}: top level is not a mapping")
    known = {"name", "description", "model", "periods", "period_hours", "period_weight",
             "carbon_price", "carbon_cap", "expansion", "scale"}
    for k in doc:
        if k not in known:
            raise InputError(f"{path}: unknown key {k!r}")
    sc = {"name": str(doc["name"]), "periods": int(doc["periods"])}
    sc["model"] = os.path.join(os.path.dirname(os.path.abspath(path)), str(doc.get("model", ".") or "."))
    sc["period_hours"] = num(doc.get("period_hours", 1), "period_hours")
    sc["period_weight"] = num(doc.get("period_weight", 1), "period_weight")
    sc["carbon_price"] = num(doc.get("carbon_price", 0), "carbon_price")
    cap = doc.get("carbon_cap")
    sc["carbon_cap"] = None if cap is None else num(cap, "carbon_cap")
    exp = doc.get("expansion", False)
    if not isinstance(exp, bool):
        raise InputError(f"{path}: expansion must be true or false, got {exp!r}")
    sc["expansion"] = exp
    scale = doc.get("scale") or {}
    for k in scale:
        if k not in ("demand", "bandwidth", "green", "grid_price"):
            raise InputError(f"{path}: unknown key scale.{k}")
    sc["scale"] = {k: num(scale.get(k, 1), "scale." + k)
                   for k in ("demand", "bandwidth", "green", "grid_price")}
    return sc


def read_table(mdir, name, required=True):
    p = os.path.join(mdir, name + ".csv")
    if not os.path.exists(p):
        if required:
            raise InputError(f"{p}: missing")
        return None
    with open(p, encoding="utf-8-sig", newline="") as fp:
        return [row for row in csv.DictReader(fp)]


def fopt(row, key, default):
    """A number that may be empty (or its column absent): default then."""
    v = row.get(key)
    if v is None or v == "":
        return default
    return num(v, key)


class Model:
    """The model built from the tables (spec sections 2-5)."""

    def __init__(self, sc):
        self.sc = sc
        m = sc["model"]
        T = self.T = sc["periods"]
        types = read_table(m, "types")
        regions = read_table(m, "regions")
        hubs = read_table(m, "hubs")
        sites = read_table(m, "sites")
        capacity = read_table(m, "capacity")
        links = read_table(m, "links")
        classes = read_table(m, "classes")
        demand = read_table(m, "demand")
        profiles = read_table(m, "profiles", False) or []
        expansions = read_table(m, "expansions", False) or []
        periods = read_table(m, "periods", False)

        self.type_ids = [r["id"] for r in types]
        ti = {v: i for i, v in enumerate(self.type_ids)}
        self.mw_per_pflops = np.array([num(r["mw_per_pflops"], "mw_per_pflops") for r in types])
        self.region_ids = [r["id"] for r in regions]
        ri = self.ri = {v: i for i, v in enumerate(self.region_ids)}
        self.hub_ids = [r["id"] for r in hubs]
        hi = {v: i for i, v in enumerate(self.hub_ids)}
        self.hub_share = [fopt(r, "min_green_share", None) for r in hubs]
        self.site_ids = [r["id"] for r in sites]
        si = self.si = {v: i for i, v in enumerate(self.site_ids)}
        S = self.S = len(sites)
        self.site_hub = [hi[r["hub"]] if r.get("hub") else -1 for r in sites]
        self.site_region = [ri[r["region"]] for r in sites]
        self.pue = np.array([num(r["pue"], "pue") for r in sites])
        self.power_cap = [fopt(r, "power_cap_mw", None) for r in sites]
        self.grid_price = np.array([num(r["grid_price"], "grid_price") for r in sites])
        self.green_price = np.array([num(r["green_price"], "green_price") for r in sites])
        self.green_cap = np.array([num(r["green_cap_mw"], "green_cap_mw") for r in sites])
        self.grid_co2 = np.array([num(r["grid_co2"], "grid_co2") for r in sites])
        self.access_rtt = np.array([num(r["access_rtt_ms"], "access_rtt_ms") for r in sites])
        self.access_gbps = [fopt(r, "access_gbps", None) for r in sites]
        C = len(types)
        self.cap = np.zeros((S, C))
        self.has_cap = np.zeros((S, C), dtype=bool)
        for r in capacity:
            s, c = si[r["site"]], ti[r["type"]]
            self.cap[s, c] = num(r["pflops"], "pflops")
            self.has_cap[s, c] = True
        self.link_ends = [(ri[r["from"]], ri[r["to"]]) for r in links]
        self.link_ids = [f"{r['from']}:{r['to']}" for r in links]
        self.link_rtt = [num(r["rtt_ms"], "rtt_ms") for r in links]
        self.link_gbps = [fopt(r, "gbps", None) for r in links]
        self.link_cost = [fopt(r, "cost", 0.0) for r in links]
        self.class_ids = [r["id"] for r in classes]
        ki = {v: i for i, v in enumerate(self.class_ids)}
        self.class_type = [ti[r["type"]] for r in classes]
        self.max_rtt = [num(r["max_rtt_ms"], "max_rtt_ms") for r in classes]
        self.gpp = np.array([num(r["gbps_per_pflops"], "gbps_per_pflops") for r in classes])
        self.window = [int(r["window"]) for r in classes]
        self.penalty = np.array([num(r["penalty"], "penalty") for r in classes])

        # periods, weights w(t) (v1.1)
        self.w = np.full(T, sc["period_weight"])
        for r in periods or []:
            t = int(r["period"])
            if t < T:
                self.w[t] = num(r["weight"], "weight")
        self.hours = sc["period_hours"]

        # profiles: price(s,t), G(s,t)
        avail = np.ones((S, T))
        factor = np.ones((S, T))
        for r in profiles:
            t = int(r["period"])
            if t >= T:
                continue
            s = si[r["site"]]
            avail[s, t] = fopt(r, "green_avail", 1.0)
            factor[s, t] = fopt(r, "price_factor", 1.0)
        scale = sc["scale"]
        self.price = self.grid_price[:, None] * factor * scale["grid_price"]
        self.G = self.green_cap[:, None] * avail * scale["green"]

        # demand D(r,k,b)
        self.D = {}
        for r in demand:
            t = int(r["period"])
            if t >= T:
                continue
            k = ki[r["class"]]
            key = (ri[r["region"]], k, t // self.window[k])
            self.D[key] = self.D.get(key, 0.0) + num(r["pflops"], "pflops")
        self.D = {key: scale["demand"] * v for key, v in self.D.items() if scale["demand"] * v > 0}

        # expansions (decisions only with expansion: true)
        self.exp = []
        for r in expansions:
            self.exp.append({"site": si[r["site"]], "type": ti[r["type"]],
                             "pflops": num(r["module_pflops"], "module_pflops"),
                             "mw": num(r["module_mw"], "module_mw"),
                             "cost": num(r["module_cost"], "module_cost"),
                             "max": int(r["max_modules"]),
                             "id": f"{r['site']}:{r['type']}"})
        self.has_row = self.has_cap.copy()
        if sc["expansion"]:
            for e in self.exp:
                self.has_row[e["site"], e["type"]] = True

        self.routes()

    def routes(self):
        """Least-rtt backbone paths, ties: fewer links, then the lexicographically
        smallest sequence of region indices from the source (spec 4).  A label
        (rtt, hops, path) per region, label-setting from each source: the order is
        preserved by appending a region, so Dijkstra's argument applies."""
        R = len(self.region_ids)
        adj = [[] for _ in range(R)]
        for l, (a, b) in enumerate(self.link_ends):
            adj[a].append((b, l))
            adj[b].append((a, l))

        def better(p, q):  # label p strictly before label q
            if q is None:
                return True
            if p[0] < q[0] - RTT_EPS:
                return True
            if p[0] > q[0] + RTT_EPS:
                return False
            if p[1] != q[1]:
                return p[1] < q[1]
            return p[2] < q[2]

        self.path_links = {}   # (r, region) -> list of link indices, r first
        self.path_rtt = {}
        self.path_cost = {}
        for src in range(R):
            lab = [None] * R
            lab[src] = (0.0, 0, (src,), ())
            done = [False] * R
            while True:
                u = None
                for v in range(R):
                    if not done[v] and lab[v] is not None and (u is None or better(lab[v], lab[u])):
                        u = v
                if u is None:
                    break
                done[u] = True
                d, h, path, lk = lab[u]
                for v, l in adj[u]:
                    if done[v]:
                        continue
                    cand = (d + self.link_rtt[l], h + 1, path + (v,), lk + (l,))
                    if better(cand, lab[v]):
                        lab[v] = cand
            for v in range(R):
                if lab[v] is not None:
                    lk = lab[v][3]
                    self.path_links[(src, v)] = list(lk)
                    # sums in path order from the source
                    rt = 0.0
                    co = 0.0
                    for l in lk:
                        rt += self.link_rtt[l]
                        co += self.link_cost[l]
                    self.path_rtt[(src, v)] = rt
                    self.path_cost[(src, v)] = co

    def eligible(self, r, s, k, t):
        """Why x[r,s,k,t] may not exist ('' when it may)."""
        key = (r, self.site_region[s])
        if key not in self.path_rtt:
            return "no route"
        rtt = self.path_rtt[key] + self.access_rtt[s]
        if rtt > self.max_rtt[k] + RTT_EPS:
            return f"RTT {rtt:.6g} ms > max_rtt_ms {self.max_rtt[k]:.6g}"
        if not self.has_row[s, self.class_type[k]]:
            return f"site has no capacity{' or expansion' if self.sc['expansion'] else ''} of type {self.type_ids[self.class_type[k]]}"
        if (r, k, t // self.window[k]) not in self.D:
            return "D(r,k,b) = 0"
        return ""


# --------------------------------------------------------------------------
# the checks

class Checker:
    def __init__(self, tol, obj_tol):
        self.tol = tol
        self.obj_tol = obj_tol
        self.failed = []
        self.lines = 0

    def report(self, name, nrows, worst, first_bad, nbind=None, extra=""):
        ok = first_bad is None
        bind = "" if nbind is None else f", {nbind} binding"
        detail = f"{nrows} rows, worst relative violation {worst:.3g}{bind}{extra}"
        if ok:
            print(f"ok   {name}: {detail}")
        else:
            print(f"FAIL {name}: {detail}; first failing row: {first_bad}")
            self.failed.append(f"{name}: {first_bad}")

    def rows(self, name, rows, kind):
        """rows: iterable of (ids, lhs, rhs, scale); kind '<=', '>=', '='.
        The violation of a row is lhs - rhs (<=), rhs - lhs (>=), |lhs - rhs| (=),
        relative to max(1, scale, |rhs|)."""
        n = 0
        worst = 0.0
        first = None
        nbind = 0
        for ids, lhs, rhs, sc in rows:
            n += 1
            den = max(1.0, abs(sc), abs(rhs))
            if kind == "<=":
                v = lhs - rhs
            elif kind == ">=":
                v = rhs - lhs
            else:
                v = abs(lhs - rhs)
            rel = v / den
            if kind != "=" and abs(lhs - rhs) / den <= self.tol:
                nbind += 1
            worst = max(worst, rel)
            if rel > self.tol and first is None:
                first = f"{ids}: lhs {lhs:.12g} {kind} rhs {rhs:.12g} (violation {v:.3g}, relative {rel:.3g})"
        self.report(name, n, worst, first, None if kind == "=" else nbind)

    def simple(self, name, ok, detail):
        if ok:
            print(f"ok   {name}: {detail}")
        else:
            print(f"FAIL {name}: {detail}")
            self.failed.append(f"{name}: {detail}")


def sattr(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def labels(ds):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in ds[()]]


def run_tolerance(f, is_mip):
    """The gap tolerance of the run: --mip-gap (MIP) or --gap (dw) on the command
    line recorded in /provenance, else the default 1e-6."""
    cl = ""
    if "provenance" in f and "command_line" in f["provenance"].attrs:
        cl = sattr(f["provenance"].attrs["command_line"])
    try:
        argv = shlex.split(cl)
    except ValueError:
        argv = cl.split()
    want = "--mip-gap" if is_mip else "--gap"
    tol = 1e-6
    src = "default"
    for i, a in enumerate(argv):
        if a == want and i + 1 < len(argv):
            tol, src = float(argv[i + 1]), want
        elif a.startswith(want + "="):
            tol, src = float(a.split("=", 1)[1]), want
    return tol, src


def check(scenario, result, tol, obj_tol):
    sc = read_scenario(scenario)
    m = Model(sc)
    ck = Checker(tol, obj_tol)
    T, S = m.T, m.S
    w, h = m.w, m.hours

    f = h5py.File(result, "r")
    ck.simple("file is a complete result", int(f.attrs.get("complete", 0)) == 1
              and sattr(f.attrs.get("schema_version", "")).split(".")[0] in ("1", "2"),
              f"complete={f.attrs.get('complete')}, schema_version={sattr(f.attrs.get('schema_version', ''))}")
    status = sattr(f.attrs["status"])
    if status not in ("optimal", "feasible"):
        ck.simple("a solution is written", False, f"status {status}")
        return ck

    # the scenario is the one that was solved (the file's provenance)
    if "provenance" in f and "scenario" in f["provenance"]:
        pa = f["provenance/scenario"].attrs
        mism = []
        for key, mine in (("periods", sc["periods"]), ("period_hours", sc["period_hours"]),
                          ("period_weight", sc["period_weight"]), ("carbon_price", sc["carbon_price"]),
                          ("expansion", int(sc["expansion"])),
                          ("scale_demand", sc["scale"]["demand"]), ("scale_bandwidth", sc["scale"]["bandwidth"]),
                          ("scale_green", sc["scale"]["green"]), ("scale_grid_price", sc["scale"]["grid_price"])):
            if key in pa and float(pa[key]) != float(mine):
                mism.append(f"{key} file {pa[key]} vs scenario {mine}")
        if "has_carbon_cap" in pa:
            fc = float(pa["carbon_cap"]) if int(pa["has_carbon_cap"]) else None
            if fc != sc["carbon_cap"]:
                mism.append(f"carbon_cap file {fc} vs scenario {sc['carbon_cap']}")
        ck.simple("scenario matches the file's provenance", not mism,
                  "; ".join(mism) if mism else f"{sc['name']}: T={T}, expansion={sc['expansion']}")

    # ids of the file's dimensions, matched to the tables by name
    fr, fs, fk = labels(f["region"]), labels(f["site"]), labels(f["class"])
    ck.simple("dimensions match the tables", fr == m.region_ids and fs == m.site_ids
              and fk == m.class_ids and int(f["period"].shape[0]) == T,
              f"{len(fr)} regions, {len(fs)} sites, {len(fk)} classes, {f['period'].shape[0]} periods")
    if ck.failed:
        return ck

    sol = f["solution"]
    xr_, xs_, xk_, xt_ = (sol[k][:].astype(int) for k in ("x_region", "x_site", "x_class", "x_period"))
    xv = sol["x_pflops"][:].astype(float)
    pg = sol["pg_mw"][:].astype(float)
    pgr = sol["pgr_mw"][:].astype(float)
    ur, uk, uw = (sol[k][:].astype(int) for k in ("u_region", "u_class", "u_window"))
    uD, uv = sol["u_demand_pflops"][:].astype(float), sol["u_pflops"][:].astype(float)
    E = len(m.exp)
    y = sol["expansion_modules"][:].astype(float) if "expansion_modules" in sol else np.zeros(E)
    is_mip = int(f.attrs.get("is_mip", 0))

    # --- x: eligible arcs, >= 0, no entry twice
    first = None
    seen = set()
    for i in range(len(xv)):
        r, s, k, t = xr_[i], xs_[i], xk_[i], xt_[i]
        ids = f"x[{m.region_ids[r] if 0 <= r < len(m.region_ids) else r},{m.site_ids[s] if 0 <= s < S else s},{m.class_ids[k] if 0 <= k < len(m.class_ids) else k},{t}] = {xv[i]:.12g}"
        if not (0 <= r < len(m.region_ids) and 0 <= s < S and 0 <= k < len(m.class_ids) and 0 <= t < T):
            why = "index out of range"
        elif not math.isfinite(xv[i]) or xv[i] < 0:
            why = "negative or not finite"
        elif (r, s, k, t) in seen:
            why = "written twice"
        else:
            why = m.eligible(r, s, k, t)
        seen.add((r, s, k, t))
        if why and first is None:
            first = f"{ids}: {why}"
    ck.report("placement x on eligible arcs, x >= 0 (spec 5)", len(xv), 0.0, first)
    if first is not None:
        # later sums index by these coordinates: keep only the sane entries
        keep = [(0 <= xr_[i] < len(m.region_ids) and 0 <= xs_[i] < S and 0 <= xk_[i] < len(m.class_ids)
                 and 0 <= xt_[i] < T) for i in range(len(xv))]
        keep = np.array(keep, dtype=bool)
        xr_, xs_, xk_, xt_, xv = xr_[keep], xs_[keep], xk_[keep], xt_[keep], xv[keep]

    # --- other variables' bounds
    rows = []
    for s in range(S):
        for t in range(T):
            rows.append((f"pg[{m.site_ids[s]},{t}]", pg[s, t], 0.0, pg[s, t]))
            rows.append((f"pgr[{m.site_ids[s]},{t}]", pgr[s, t], 0.0, pgr[s, t]))
    rows += [(f"u[{m.region_ids[ur[i]]},{m.class_ids[uk[i]]},{uw[i]}]", uv[i], 0.0, uv[i]) for i in range(len(uv))]
    ck.rows("pg, pgr, u >= 0 (spec 5)", rows, ">=")

    # --- modules
    first = None
    for e, ex in enumerate(m.exp):
        ye = y[e] if e < len(y) else float("nan")
        hi = ex["max"] if sc["expansion"] else 0
        if not (math.isfinite(ye) and abs(ye - round(ye)) <= INT_EPS and -INT_EPS <= ye <= hi + INT_EPS):
            first = f"y[{ex['id']}] = {ye!r}: not a whole number in 0..{hi}"
            break
    if len(y) != E and first is None:
        first = f"expansion_modules has {len(y)} entries, expansions.csv {E} rows"
    ck.report("modules y whole numbers in 0..max_modules (0 without expansion)", E, 0.0, first)
    y = np.round(y[:E]) if first is None else np.nan_to_num(y[:E])

    # --- demand rows (constraint 1); the file's demand rows are exactly D > 0
    first = None
    frows = {}
    for i in range(len(uv)):
        key = (ur[i], uk[i], uw[i])
        frows[key] = i
    for key, d in m.D.items():
        r, k, b = key
        ids = f"demand[{m.region_ids[r]},{m.class_ids[k]},window {b}]"
        if key not in frows:
            first = first or f"{ids}: D = {d:.12g} but the file has no such row"
        elif abs(uD[frows[key]] - d) > 1e-9 * max(1.0, d):
            first = first or f"{ids}: D = {d:.12g} recomputed, file u_demand_pflops {uD[frows[key]]:.12g}"
    for key, i in frows.items():
        if key not in m.D:
            first = first or f"demand[{key}]: file row with D = {uD[i]:.12g}, tables give 0"
    ck.report("demand rows D(r,k,b) as the tables give them", len(m.D), 0.0, first)
    served = {}
    sabs = {}
    for i in range(len(xv)):
        key = (xr_[i], xk_[i], xt_[i] // m.window[xk_[i]])
        served[key] = served.get(key, 0.0) + xv[i]
        sabs[key] = sabs.get(key, 0.0) + abs(xv[i])
    rows = []
    for key, d in m.D.items():
        r, k, b = key
        u = uv[frows[key]] if key in frows else 0.0
        lhs = served.get(key, 0.0) + u
        rows.append((f"demand[{m.region_ids[r]},{m.class_ids[k]},window {b}] (x {served.get(key, 0.0):.12g} + u {u:.12g})",
                     lhs, d, sabs.get(key, 0.0) + abs(u)))
    ck.rows("(1) demand: sum x + u = D", rows, "=")

    # --- per-site sums of x
    C = len(m.type_ids)
    load = np.zeros((S, C, T))
    power = np.zeros((S, T))          # pue * sum mw_per_pflops * x
    acc = np.zeros((S, T))            # access traffic
    L = len(m.link_ends)
    lload = np.zeros((L, T))
    for i in range(len(xv)):
        r, s, k, t, v = xr_[i], xs_[i], xk_[i], xt_[i], xv[i]
        c = m.class_type[k]
        load[s, c, t] += v
        power[s, t] += m.pue[s] * m.mw_per_pflops[c] * v
        acc[s, t] += m.gpp[k] * v
        for l in m.path_links.get((r, m.site_region[s]), []):
            lload[l, t] += m.gpp[k] * v

    ymods = np.zeros((S, C))
    ymw = np.zeros(S)
    for e, ex in enumerate(m.exp):
        ymods[ex["site"], ex["type"]] += ex["pflops"] * y[e]
        ymw[ex["site"]] += ex["mw"] * y[e]

    rows = []
    for s in range(S):
        for c in range(C):
            if not m.has_row[s, c]:
                continue
            for t in range(T):
                rhs = m.cap[s, c] + ymods[s, c]
                rows.append((f"capacity[{m.site_ids[s]},{m.type_ids[c]},{t}]", load[s, c, t], rhs, load[s, c, t]))
    ck.rows("(2) capacity with the written modules", rows, "<=")

    rows = [(f"power_balance[{m.site_ids[s]},{t}] (pg {pg[s, t]:.12g} + pgr {pgr[s, t]:.12g})",
             pg[s, t] + pgr[s, t], power[s, t], abs(pg[s, t]) + abs(pgr[s, t]))
            for s in range(S) for t in range(T)]
    ck.rows("(3) power balance: pg + pgr = pue * sum mw * x", rows, "=")

    rows = [(f"power_cap[{m.site_ids[s]},{t}]", pg[s, t] + pgr[s, t], m.power_cap[s] + ymw[s],
             abs(pg[s, t]) + abs(pgr[s, t]))
            for s in range(S) if m.power_cap[s] is not None for t in range(T)]
    ck.rows("(4) power cap with the written modules", rows, "<=")

    rows = [(f"green[{m.site_ids[s]},{t}]", pgr[s, t], m.G[s, t], pgr[s, t]) for s in range(S) for t in range(T)]
    ck.rows("(5) green availability: pgr <= G", rows, "<=")

    bw = sc["scale"]["bandwidth"]
    rows = [(f"link[{m.link_ids[l]},{t}]", lload[l, t], m.link_gbps[l] * bw, lload[l, t])
            for l in range(L) if m.link_gbps[l] is not None for t in range(T)]
    ck.rows("(6) backbone bandwidth on the routed paths", rows, "<=")

    rows = [(f"access[{m.site_ids[s]},{t}]", acc[s, t], m.access_gbps[s] * bw, acc[s, t])
            for s in range(S) if m.access_gbps[s] is not None for t in range(T)]
    ck.rows("(7) access bandwidth", rows, "<=")

    emis = float(h * np.sum(w[None, :] * m.grid_co2[:, None] * pg))
    if sc["carbon_cap"] is not None:
        ck.rows("(8) carbon cap", [("carbon", emis, sc["carbon_cap"], emis)], "<=")
    else:
        print("ok   (8) carbon cap: no cap in the scenario")

    rows = []
    for hb, share in enumerate(m.hub_share):
        if share is None:
            continue
        ss = [s for s in range(S) if m.site_hub[s] == hb]
        green = float(sum(np.sum(w * pgr[s]) for s in ss))
        tot = float(sum(np.sum(w * (pg[s] + pgr[s])) for s in ss))
        rows.append((f"hub_green[{m.hub_ids[hb]}] (green {green:.12g} of {tot:.12g}, share {share})",
                     green, share * tot, tot))
    ck.rows("(9) hub green share", rows, ">=")

    # --- objective from the tables
    wh = w * h
    parts = {
        "energy_yuan": float(np.sum(wh[None, :] * m.price * pg)),
        "carbon_yuan": float(np.sum(wh[None, :] * sc["carbon_price"] * m.grid_co2[:, None] * pg)),
        "green_yuan": float(np.sum(wh[None, :] * m.green_price[:, None] * pgr)),
        "transfer_yuan": float(sum(wh[xt_[i]] * m.path_cost.get((xr_[i], m.site_region[xs_[i]]), 0.0)
                                   * m.gpp[xk_[i]] * xv[i] for i in range(len(xv)))),
        "unserved_yuan": float(sum(w[uw[i] * m.window[uk[i]]] * h * m.penalty[uk[i]] * uv[i]
                                   for i in range(len(uv)))),
        "expansion_yuan": float(sum(ex["cost"] * y[e] for e, ex in enumerate(m.exp))),
    }
    total = sum(parts.values())
    obj = float(f.attrs["objective"])
    den = max(1.0, abs(obj))
    ob = f["objective"]
    wparts = {k: float(ob[k][()]) for k in parts if k in ob}
    wtotal = float(ob["total_yuan"][()]) if "total_yuan" in ob else float("nan")
    rel = abs(total - obj) / den
    ck.simple("objective recomputed from the tables equals the written objective",
              rel <= obj_tol, f"recomputed {total:.12g}, written {obj:.12g}, relative difference {rel:.3g}")
    first = None
    worst = 0.0
    for k, v in parts.items():
        if k not in wparts:
            first = first or f"/objective/{k} missing"
            continue
        d = abs(v - wparts[k]) / den
        worst = max(worst, d)
        if d > obj_tol and first is None:
            first = f"/objective/{k}: written {wparts[k]:.12g}, recomputed {v:.12g} (relative {d:.3g})"
    ck.report("each written cost part equals its recomputed value", len(parts), worst, first)
    ssum = sum(wparts.values())
    rel = abs(ssum - obj) / den
    ck.simple("written cost parts sum to the written objective",
              rel <= obj_tol and abs(wtotal - obj) <= obj_tol * den,
              f"sum {ssum:.12g}, objective {obj:.12g}, total_yuan {wtotal:.12g}, relative {rel:.3g}")
    if "emissions_tco2" in ob:
        we = float(ob["emissions_tco2"][()])
        rel = abs(we - emis) / max(1.0, abs(emis))
        ck.simple("written emissions equal the recomputed ones", rel <= obj_tol,
                  f"recomputed {emis:.12g} tCO2, written {we:.12g}")

    # --- bound, gap, status
    bound = float(f.attrs["bound"])
    gap = float(f.attrs["gap"])
    ck.simple("bound <= objective", bound <= obj + tol * den, f"bound {bound:.12g}, objective {obj:.12g}")
    mygap = (obj - bound) / den
    # no bound (-inf: a feasible point stopped by a limit) makes both gaps inf
    same_gap = (math.isinf(gap) and math.isinf(mygap)) or \
        abs(gap - abs(mygap)) <= 1e-9 + 1e-6 * abs(mygap)
    ck.simple("written gap = (objective - bound) / max(1, |objective|)", same_gap,
              f"written {gap:.6g}, recomputed {mygap:.6g}")
    gtol, src = run_tolerance(f, is_mip)
    ok = status != "optimal" or mygap <= gtol * (1 + 1e-9) + 1e-15
    ck.simple("status optimal only within the run's gap tolerance", ok,
              f"status {status}, gap {mygap:.3g}, tolerance {gtol:g} ({src})")
    ck.simple("is_mip matches the scenario", is_mip == int(sc["expansion"]),
              f"is_mip {is_mip}, expansion {sc['expansion']}")
    return ck


def main(argv):
    tol, obj_tol = 1e-6, 1e-7
    args = []
    it = iter(argv[1:])
    for a in it:
        if a == "--tol":
            tol = float(next(it))
        elif a == "--obj-tol":
            obj_tol = float(next(it))
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            args.append(a)
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        ck = check(args[0], args[1], tol, obj_tol)
    except (InputError, OSError, KeyError, ValueError) as e:
        print(f"check-solution: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    if ck.failed:
        print(f"check-solution: {len(ck.failed)} check(s) failed; first: {ck.failed[0]}")
        return 1
    print(f"check-solution: every check holds ({args[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
