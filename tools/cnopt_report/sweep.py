"""Trade-off curves of a sweep summary (format: docs/report.md)."""

import numpy as np

from .figures import fmt, plt, save

CARBON_KEY = "carbon_price"
BANDWIDTH_KEY = "scale.bandwidth"


def _groups(sw, key, ok):
    """Tasks with finite `key` split by the values of the other sweep keys:
    [(label, task indices sorted by key)]."""
    others = [k for k in sw.keys if k != key]
    x = sw.params[key]
    idx = [i for i in range(sw.n) if ok[i] and np.isfinite(x[i])]
    groups = {}
    for i in idx:
        g = tuple(sw.params[k][i] for k in others)
        groups.setdefault(g, []).append(i)
    out = []
    for g in sorted(groups, key=lambda t: tuple(str(v) for v in t)):
        lab = ", ".join("%s=%s" % (k, _v(v)) for k, v in zip(others, g)) or "all tasks"
        out.append((lab, sorted(groups[g], key=lambda i: x[i])))
    return out


def _v(v):
    if isinstance(v, float):
        return "%g" % v
    return str(v)


def _usable(sw, key):
    if key not in sw.params or sw.params[key].dtype == object:
        return "the sweep has no numeric parameter %s" % key
    ok = sw.ok()
    vals = set(sw.params[key][ok & np.isfinite(sw.params[key])].tolist())
    if len(vals) < 2:
        return "fewer than two solved tasks with different %s" % key
    return None


def fig_cost_emissions(sw, outdir, dpi):
    why = _usable(sw, CARBON_KEY)
    if why:
        return None, why
    ok = sw.ok()
    v = sw.values
    cost = v["objective"] - np.nan_to_num(v["carbon_yuan"])
    fig, ax = plt.subplots(figsize=(8.5, 6))
    curves, points = 0, 0
    for lab, idx in _groups(sw, CARBON_KEY, ok):
        e = v["emissions_tco2"][idx] / 1e6
        c = cost[idx] / 1e9
        ax.plot(e, c, marker="o", lw=1.5, label=lab)
        for i, xx, yy in zip(idx, e, c):
            ax.annotate("%g" % sw.params[CARBON_KEY][i], (xx, yy), xytext=(4, 4),
                        textcoords="offset points", fontsize=7)
        curves += 1
        points += len(idx)
    ax.set_xlabel("emissions (million tCO2 over the weighted horizon)")
    ax.set_ylabel("cost without the carbon charge (billion yuan)")
    ax.set_title("Cost versus emissions across carbon prices (labels: yuan/tCO2)")
    ax.grid(True, color="#eeeeee")
    ax.legend(fontsize=8)
    fig.tight_layout()
    name = save(fig, outdir, "sweep_cost_emissions.png", dpi)
    return {"file": name, "title": "Cost versus emissions",
            "caption": ("One point per solved task, labelled with its carbon price; cost is the "
                        "objective minus the carbon charge (carbon_yuan), i.e. what energy, green "
                        "power, transfer, unserved penalties and expansion cost, so the curve shows "
                        "what each tonne avoided costs. One curve per combination of the other "
                        "sweep parameters."),
            "facts": {"curves": curves, "points": points}}, None


def fig_unserved_bandwidth(sw, outdir, dpi):
    why = _usable(sw, BANDWIDTH_KEY)
    if why:
        return None, why
    ok = sw.ok()
    fig, ax = plt.subplots(figsize=(8.5, 6))
    curves, points = 0, 0
    for lab, idx in _groups(sw, BANDWIDTH_KEY, ok):
        ax.plot(sw.params[BANDWIDTH_KEY][idx], 100 * sw.values["unserved_share"][idx],
                marker="o", lw=1.5, label=lab)
        curves += 1
        points += len(idx)
    ax.set_xlabel("bandwidth scale (scale.bandwidth: factor on every link and access bandwidth)")
    ax.set_ylabel("unserved share of demand (%)")
    ax.set_title("Unserved demand versus bandwidth")
    ax.set_ylim(bottom=0)
    ax.grid(True, color="#eeeeee")
    ax.legend(fontsize=8)
    fig.tight_layout()
    name = save(fig, outdir, "sweep_unserved_bandwidth.png", dpi)
    return {"file": name, "title": "Unserved share versus bandwidth",
            "caption": ("Unserved demand as a share of all demand (PFLOPS-periods) for each solved "
                        "task, against its bandwidth scale; one curve per combination of the other "
                        "sweep parameters."),
            "facts": {"curves": curves, "points": points}}, None


def task_rows(sw):
    rows = []
    for i in range(sw.n):
        r = {"task": int(sw.index[i]), "status": sw.status[i]}
        for k in sw.keys:
            r[k] = _v(sw.params[k][i])
        v = sw.values
        r["objective (yuan)"] = fmt(v["objective"][i])
        r["emissions (tCO2)"] = fmt(v["emissions_tco2"][i])
        r["unserved share"] = fmt(v["unserved_share"][i], "1")
        r["gap"] = "%.2g" % v["gap"][i] if np.isfinite(v["gap"][i]) else "-"
        rows.append(r)
    return rows
