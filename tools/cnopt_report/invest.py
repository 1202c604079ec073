"""The build plan of a MIP result (docs/model.md section 10, "Investment"): per expansion
row the modules built, the PFLOPS and MW they add, their cost, and what one module saves
at the LP with the modules fixed -- the same figures as `cnopt info`'s investment section.

value per module = -(module_pflops * sum over t of the capacity price of (site, type)
                     + module_mw * sum over t of the power-cap price of the site)
(the power-cap term only where the site has a cap); net = value - module cost.
The shadow prices already include w(t) * period_hours (docs/model.md section 8)."""

import math

import numpy as np

from .planner import eng


def rows(a):
    """Every expansion row of result a (data.Result) as a dict, in file order."""
    m = a.model
    E = len(a.exp_site)
    mw = np.asarray(m.get("expansion_module_mw", np.zeros(E)), float)
    cost = np.asarray(m.get("expansion_module_cost", np.zeros(E)), float)
    most = np.asarray(m.get("expansion_max_modules", np.zeros(E)), float)
    pcap = np.asarray(m.get("site_power_cap_mw", np.full(a.S, np.nan)), float)
    out = []
    for e in range(E):
        s, c = int(a.exp_site[e]), int(a.exp_type[e])
        y = float(a.exp_modules[e])
        value = float("nan")
        if a.is_mip and a.has_duals and a.dual_capacity is not None:   # as cnopt info: none for an LP
            d = a.exp_pflops[e] * float(np.nansum(a.dual_capacity[s, c, :]))
            if np.isfinite(pcap[s]) and a.dual_power_cap is not None:
                d += mw[e] * float(np.nansum(a.dual_power_cap[s, :]))
            value = -d if d != 0 else 0.0
        out.append({"expansion": "%s:%s" % (a.site[s], a.type[c]), "site": a.site[s], "type": a.type[c],
                    "built": y, "max_modules": float(most[e]), "pflops_added": float(a.exp_pflops[e]) * y,
                    "mw_added": float(mw[e]) * y, "cost_yuan": float(cost[e]) * y,
                    "module_cost_yuan": float(cost[e]), "value_yuan": value,
                    "net_yuan": value - float(cost[e]) if value == value else float("nan")})
    return out


def order(rs):
    """Built rows first, then net per module, largest first (NaN last), then file order:
    the order of `cnopt info` (core/invest.c)."""
    def key(i):
        r = rs[i]
        n = r["net_yuan"]
        return (0 if r["built"] >= 0.5 else 1, 1 if math.isnan(n) else 0, -n if n == n else 0.0, i)
    return sorted(range(len(rs)), key=key)


def totals(rs):
    return {k: float(sum(r[k] for r in rs))
            for k in ("built", "max_modules", "cost_yuan", "pflops_added", "mw_added")}


def _mods(built, most):
    return "%.0f/%.0f" % (built, most)


def add_to_page(page, a):
    """The investment section of one result; returns its facts for figures.json
    (None for an LP)."""
    page.h2("Investment")
    if not a.is_mip:
        page.p("Expansion off: an LP, no modules decided.", "note")
        return None
    rs = rows(a)
    if not rs:
        page.p("Expansion on, but the model has no expansion rows.", "note")
        return {"rows": [], "totals": totals(rs)}
    page.p("Modules built by the MIP per expansion row, and what one module saves at the LP with "
           "the modules fixed: minus module PFLOPS x the capacity price and module MW x the "
           "power-cap price, each summed over the periods; net = value - module cost. For a built "
           "row the value is what the last module saves, for an unbuilt one what the first would "
           "(a marginal value: docs/model.md section 10). Yuan over the weighted horizon, three "
           "significant digits%s." % ("" if a.has_duals else "; - = no shadow prices in this file"))
    t = totals(rs)
    body = [[r["site"], r["type"], _mods(r["built"], r["max_modules"]), eng(r["pflops_added"]),
             eng(r["mw_added"]), eng(r["cost_yuan"]), eng(r["value_yuan"]), eng(r["net_yuan"])]
            for r in (rs[i] for i in order(rs))]
    body.append(["total", "", _mods(t["built"], t["max_modules"]), eng(t["pflops_added"]),
                 eng(t["mw_added"]), eng(t["cost_yuan"]), "", ""])
    page.table(["site", "type", "built", "PFLOPS", "MW", "cost (yuan)", "value / module (yuan)",
                "net / module (yuan)"], body)
    return {"rows": [rs[i] for i in order(rs)], "totals": t}


def plan_table(page, results, labels):
    """The build plan of several results side by side (modules built / max per expansion
    row, matched by SITE:TYPE); nothing when none of them is a MIP.  Returns the facts."""
    if not any(r.is_mip for r in results):
        return None
    per = [{x["expansion"]: x for x in rows(r)} for r in results]
    keys = []
    for p in per:
        keys += [k for k in p if k not in keys]
    body = []
    for k in keys:
        body.append([k] + [_mods(p[k]["built"], p[k]["max_modules"]) if k in p else "-" for p in per])
    tot = [totals(list(p.values())) for p in per]
    body.append(["modules built"] + ["%.0f" % t["built"] for t in tot])
    body.append(["cost of the modules (yuan)"] + [eng(t["cost_yuan"]) for t in tot])
    page.p("Build plan (modules built / most that can be built, per expansion row SITE:TYPE):")
    page.table(["expansion"] + list(labels), body)
    return {"expansion": keys,
            "modules": [[p[k]["built"] if k in p else None for k in keys] for p in per],
            "cost_yuan": [t["cost_yuan"] for t in tot]}


def sweep_table(page, sw):
    """The build plan across a sweep (docs/sweeps.md): one row per task.  Returns facts,
    or None when the summary has no build plan per expansion row."""
    if sw.expansion is None:
        if sw.modules_built is not None:
            page.p("Build plan: modules built per task only (the summary has no plan per "
                   "expansion row).", "note")
        return None
    page.h2("Build plan across the sweep")
    page.p("Modules built per expansion row (SITE:TYPE) in each task; value = what one more "
           "module of that row saves at the task's LP with its modules fixed, in yuan "
           "(docs/model.md section 10).")
    body = []
    for i in range(sw.n):
        r = [str(int(sw.index[i]))] + [("%g" % sw.params[k][i]) if isinstance(sw.params[k][i], float)
                                       else str(sw.params[k][i]) for k in sw.keys]
        m = sw.exp_modules[i]
        r += ["-" if m[e] != m[e] else "%.0f" % m[e] for e in range(len(sw.expansion))]
        r.append(eng(sw.values["expansion_yuan"][i]))
        body.append(r)
    page.table(["task"] + list(sw.keys) + list(sw.expansion) + ["expansion cost (yuan)"], body)
    body = []
    for i in range(sw.n):
        r = [str(int(sw.index[i]))] + [("%g" % sw.params[k][i]) if isinstance(sw.params[k][i], float)
                                       else str(sw.params[k][i]) for k in sw.keys]
        r += [eng(v) for v in sw.exp_value[i]]
        body.append(r)
    page.p("Value per module (yuan):")
    page.table(["task"] + list(sw.keys) + list(sw.expansion), body)
    return {"expansion": list(sw.expansion),
            "modules": [[None if v != v else float(v) for v in row] for row in sw.exp_modules],
            "value_yuan": [[None if v != v else float(v) for v in row] for row in sw.exp_value]}
