#!/usr/bin/python3
"""tests/e2e/invest_check.py MODE ... - the investment figures (docs/model.md section 10)
checked against the HDF5 files with h5py, independently of cnopt's C code and of the
report's Python (neither is imported).  Prints "ok - ..." / "not ok - ..." lines.

  result RESULT.h5 INFO.txt        value per module from /duals = the hand-worked values,
                                   and cnopt info's investment rows = the file's figures
  fd BASE.h5 OTHER.h5 SITE SIGN    finite difference: SIGN * (operating cost of OTHER -
                                   operating cost of BASE) = value of SITE's row in BASE
  report RESULT.h5 REPORT_DIR      figures.json's investment rows = the file's figures
  sweep SUMMARY.h5 REPORT_DIR      the summary's build plan = each task's own result
"""

import json
import os
import sys

import h5py
import numpy as np

fails = 0


def check(cond, msg):
    global fails
    print("%s - %s" % ("ok" if cond else "not ok", msg))
    if not cond:
        fails += 1


def strs(ds):
    return [x.decode() if isinstance(x, bytes) else str(x) for x in ds[()]]


def figures(path):
    """Per expansion row (file order): site, type, built, max, PFLOPS, MW, cost, value, net."""
    with h5py.File(path, "r") as f:
        site, typ = strs(f["site"]), strs(f["type"])
        m = f["model"]
        es, et = m["expansion_site"][()], m["expansion_type"][()]
        pf, mw = m["expansion_module_pflops"][()], m["expansion_module_mw"][()]
        cost, most = m["expansion_module_cost"][()], m["expansion_max_modules"][()]
        pcap = m["site_power_cap_mw"][()]
        y = f["solution/expansion_modules"][()]
        S, C, T = len(site), len(typ), f["period"].shape[0]
        cd = f["duals/capacity"][()].reshape(S, C, T) if "duals" in f else None
        pd = f["duals/power_cap"][()].reshape(S, T) if "duals" in f else None
        op = float(f.attrs["objective"]) - float(f["objective/expansion_yuan"][()])
    rows = []
    for e in range(len(es)):
        s, c = int(es[e]), int(et[e])
        v = float("nan")
        if cd is not None:
            v = -(pf[e] * cd[s, c].sum() + (mw[e] * pd[s].sum() if np.isfinite(pcap[s]) else 0.0))
        rows.append({"site": site[s], "type": typ[c], "built": float(y[e]), "max": float(most[e]),
                     "pflops": float(pf[e] * y[e]), "mw": float(mw[e] * y[e]), "cost": float(cost[e] * y[e]),
                     "value": float(v), "net": float(v - cost[e])})
    return rows, op


def eng(v):
    """cnopt info's amounts: 3 significant digits, k / M / bn (cli/cmd_info.c eng())."""
    if v != v:
        return "-"
    a = abs(v)
    if a < 0.5e-3:
        return "0"
    for f, sfx in ((1e9, "bn"), (1e6, "M"), (1e3, "k"), (1.0, "")):
        if a >= f * 0.9995 or f == 1.0:
            return "%.3g%s" % (v / f, sfx)


def info_rows(info):
    lines = open(info).read().splitlines()
    try:
        i = next(k for k, ln in enumerate(lines) if ln.startswith("investment ("))
    except StopIteration:
        return None, None
    while not lines[i].split()[:2] == ["site", "type"]:
        i += 1
    rows, total = [], None
    for ln in lines[i + 1:]:
        w = ln.split()
        if not w:
            break
        if w[0] == "total":
            total = w
            break
        rows.append(w)
    return rows, total


def mode_result(h5, info):
    rows, _ = figures(h5)
    # the hand-worked values of tests/e2e/test_invest.sh
    want = {"s1": (3, 40000.0, 15000.0), "s2": (0, 0.0, -5000.0), "s3": (0, 12000.0, -88000.0)}
    for r in rows:
        b, v, n = want[r["site"]]
        check(r["built"] == b and abs(r["value"] - v) <= 1e-6 * max(1, abs(v)) and abs(r["net"] - n) <= 1e-6 * max(1, abs(n)),
              "from /duals: %s built %g (expected %d), value %.6f (expected %g), net %.6f (expected %g)"
              % (r["site"], r["built"], b, r["value"], v, r["net"], n))
    got, total = info_rows(info)
    check(got is not None, "cnopt info prints an investment section")
    if got is None:
        return
    order = sorted(range(len(rows)), key=lambda i: (rows[i]["built"] < 0.5, -rows[i]["net"], i))
    exp = [[rows[i]["site"], rows[i]["type"], "%.0f/%.0f" % (rows[i]["built"], rows[i]["max"]),
            eng(rows[i]["pflops"]), eng(rows[i]["mw"]), eng(rows[i]["cost"]), eng(rows[i]["value"]),
            eng(rows[i]["net"])] for i in order]
    check(got == exp, "cnopt info's rows, built first then by net: %s (expected %s)" % (got, exp))
    tb = sum(r["built"] for r in rows)
    tm = sum(r["max"] for r in rows)
    texp = ["total", "%.0f/%.0f" % (tb, tm), eng(sum(r["pflops"] for r in rows)),
            eng(sum(r["mw"] for r in rows)), eng(sum(r["cost"] for r in rows))]
    check(total == texp, "cnopt info's total: %s (expected %s)" % (total, texp))


def mode_fd(base, other, site, sign):
    rows, op0 = figures(base)
    _, op1 = figures(other)
    v = next(r["value"] for r in rows if r["site"] == site)
    fd = float(sign) * (op1 - op0)
    check(abs(fd - v) <= 1e-6 * max(1.0, abs(v)),
          "finite difference at %s: %.6f yuan of operating cost, value per module from the duals "
          "%.6f (differs by %.3g)" % (site, fd, v, fd - v))


def mode_report(h5, d):
    rows, _ = figures(h5)
    facts = json.load(open(os.path.join(d, "figures.json")))
    inv = facts.get("investment")
    check(inv is not None and len(inv["rows"]) == len(rows), "figures.json has the %d investment rows" % len(rows))
    if not inv:
        return
    by = {(r["site"], r["type"]): r for r in inv["rows"]}
    for r in rows:
        g = by.get((r["site"], r["type"]))
        ok = g is not None and all(abs(g[a] - r[b]) <= 1e-6 * max(1, abs(r[b])) for a, b in (
            ("built", "built"), ("max_modules", "max"), ("pflops_added", "pflops"), ("mw_added", "mw"),
            ("cost_yuan", "cost"), ("value_yuan", "value"), ("net_yuan", "net")))
        check(ok, "report's investment row %s:%s = the file's (built %g, cost %g, value %g, net %g)"
              % (r["site"], r["type"], r["built"], r["cost"], r["value"], r["net"]))
    html = open(os.path.join(d, "report.html")).read()
    check("<h2>Investment</h2>" in html and "value / module (yuan)" in html,
          "report.html has the investment table")


def mode_sweep(h5, d):
    base = os.path.dirname(os.path.abspath(h5))
    with h5py.File(h5, "r") as f:
        t = f["tasks"]
        exp = strs(t["expansion"])
        mod = t["expansion_modules"][()]
        val = t["expansion_value_yuan"][()]
        net = t["expansion_net_yuan"][()]
        built = t["modules_built"][()]
        res = strs(t["result"])
        dims = [t[k].dims[j][0].name.split("/")[-1] for k in ("expansion_modules",) for j in range(2)]
    check(dims == ["task", "expansion"], "expansion_modules has dimension scales task, expansion (%s)" % dims)
    # the hand-worked plans of tests/e2e/test_invest.sh (grid price 0.1, 1, 10)
    want = [[0, 0, 0], [3, 0, 0], [3, 0, 1]]
    check(exp == ["s1:cpu", "s2:cpu", "s3:cpu"] and mod.tolist() == want,
          "build plan across the sweep %s (expected %s)" % (mod.tolist(), want))
    check(built.tolist() == [0, 3, 4], "modules_built %s (expected [0, 3, 4])" % built.tolist())
    for i, name in enumerate(res):
        rows, _ = figures(os.path.join(base, name))
        ok = all(abs(val[i, e] - r["value"]) <= 1e-6 * max(1, abs(r["value"])) and
                 abs(net[i, e] - r["net"]) <= 1e-6 * max(1, abs(r["net"])) and mod[i, e] == r["built"]
                 for e, r in enumerate(rows))
        check(ok, "task %d: the summary's modules, value and net = its result's (%s)" % (i, val[i].tolist()))
    check(abs(val[2, 2] - 120000) < 1e-6 and abs(net[2, 2] - 20000) < 1e-6,
          "task 2: the s3 module saves 120000 yuan, net 20000 (got %g, %g)" % (val[2, 2], net[2, 2]))
    facts = json.load(open(os.path.join(d, "figures.json")))
    bp = facts.get("build_plan")
    check(bp is not None and bp["expansion"] == exp and bp["modules"] == mod.tolist(),
          "the sweep report's build plan = the summary's (%s)" % (bp and bp["modules"]))
    html = open(os.path.join(d, "report.html")).read()
    check("<h2>Build plan across the sweep</h2>" in html, "the sweep report has the build-plan table")


def main():
    mode = sys.argv[1]
    {"result": mode_result, "fd": mode_fd, "report": mode_report, "sweep": mode_sweep}[mode](*sys.argv[2:])
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
