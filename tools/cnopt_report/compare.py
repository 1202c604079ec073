"""Two results side by side: a table of headline numbers, the input differences,
and a difference figure (B - A)."""

import os

import numpy as np

from .data import COST_PARTS
from .figures import GREEN_COLOUR, GRID_COLOUR, PART_COLOUR, plt, save

SCENARIO_SKIP = {"path", "name", "description", "model_dir"}


def metric_rows(a, b):
    rows = []
    for (lab, va, unit), (_, vb, _) in zip(a.metrics(), b.metrics()):
        d = vb - va
        rel = d / abs(va) if va not in (0.0,) and np.isfinite(va) else np.nan
        rows.append({"label": lab, "unit": unit, "a": va, "b": vb, "diff": d,
                     "rel": rel if unit != "1" else np.nan})
    return rows


def _num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def input_differences(a, b):
    """What differs in the inputs, in words (scenario parameters, links, site columns)."""
    out = []
    for k in sorted(set(a.scenario) | set(b.scenario)):
        if k in SCENARIO_SKIP:
            continue
        va, vb = a.scenario.get(k), b.scenario.get(k)
        fa, fb = _num(va), _num(vb)
        same = (fa is not None and fb is not None and (fa == fb or (np.isnan(fa) and np.isnan(fb))))
        if not same and va != vb:
            out.append("scenario %s: %s -> %s" % (k, va, vb))

    def links(r):
        d = {}
        for i, (f, t) in enumerate(zip(r.link_from, r.link_to)):
            key = tuple(sorted((r.region[f], r.region[t])))
            d[key] = (r.link_rtt[i], r.link_gbps[i], r.model["link_cost"][i])
        return d
    la, lb = links(a), links(b)
    for key in sorted(set(lb) - set(la)):
        out.append("link added: %s - %s (rtt %.4g ms, %.4g Gbps, cost %.4g yuan/(Gbps*h))"
                   % (key + lb[key]))
    for key in sorted(set(la) - set(lb)):
        out.append("link removed: %s - %s" % key)
    for key in sorted(set(la) & set(lb)):
        if not np.array_equal(np.array(la[key]), np.array(lb[key]), equal_nan=True):
            out.append("link %s - %s: (rtt, Gbps, cost) %s -> %s" % (key + (la[key], lb[key])))
    sa, sb = {s: i for i, s in enumerate(a.site)}, {s: i for i, s in enumerate(b.site)}
    for s in [s for s in b.site if s not in sa]:
        out.append("site added: %s" % s)
    for s in [s for s in a.site if s not in sb]:
        out.append("site removed: %s" % s)
    for col in sorted(a.model):
        if not col.startswith("site_") or col in ("site_name",) or col not in b.model:
            continue
        va, vb = np.asarray(a.model[col]), np.asarray(b.model[col])
        if va.dtype.kind not in "fiu" or vb.dtype.kind not in "fiu":
            continue
        for s in a.site:
            if s in sb:
                xa, xb = va[sa[s]], vb[sb[s]]
                if not np.array_equal(np.asarray(xa, float), np.asarray(xb, float), equal_nan=True):
                    out.append("%s of site %s: %s -> %s"
                               % (col[5:], s, np.round(xa, 6).tolist(), np.round(xb, 6).tolist()))
    for dim in ("region", "hub", "type", "cls"):
        if getattr(a, dim) != getattr(b, dim):
            out.append("the %s tables differ (%d vs %d rows)"
                       % (dim.replace("cls", "class"), len(getattr(a, dim)), len(getattr(b, dim))))
    if a.nper != b.nper:
        out.append("periods: %d -> %d" % (a.nper, b.nper))
    return out


def fig_compare(a, b, outdir, dpi):
    fig, axes = plt.subplots(2, 2, figsize=(13, 9))
    (ax1, ax2), (ax3, ax4) = axes
    # 1. cost parts
    parts = list(COST_PARTS) + ["total"]
    d = np.array([b.obj[p] - a.obj[p] for p in parts])
    scale, unit = (1e9, "billion yuan") if np.abs(d).max() >= 1e9 else (1e6, "million yuan")
    ax1.barh(np.arange(len(parts)), d / scale, color=[PART_COLOUR.get(p, "black") for p in parts])
    ax1.set_yticks(np.arange(len(parts)))
    ax1.set_yticklabels(parts)
    ax1.invert_yaxis()
    ax1.axvline(0, color="black", lw=0.8)
    ax1.set_xlabel("B - A (%s)" % unit)
    ax1.set_title("Objective parts: B - A\nemissions %+.4g tCO2 (%+.2f%%)"
                  % (b.emissions - a.emissions,
                     100 * (b.emissions - a.emissions) / a.emissions if a.emissions else 0.0))
    ax1.grid(True, axis="x", color="#eeeeee")
    # 2. grid and green energy per hub (matched by hub id)
    ga = {gid: ss for _, ss, gid in a.groups()}
    gb = {gid: ss for _, ss, gid in b.groups()}
    gids = [g for g in ga if g in gb]
    lab = [("%s" % g) if g != "-" else "no hub" for g in gids]
    def mwh(r, p, ss):   # MWh over the weighted horizon (w(t) * period_hours)
        return float((p[ss].sum(axis=0) * r.w).sum() * r.period_hours)
    dg = np.array([mwh(b, b.pg, gb[g]) - mwh(a, a.pg, ga[g]) for g in gids])
    dr = np.array([mwh(b, b.pgr, gb[g]) - mwh(a, a.pgr, ga[g]) for g in gids])
    x = np.arange(len(gids))
    ax2.bar(x - 0.2, dg, 0.4, color=GRID_COLOUR, label="grid")
    ax2.bar(x + 0.2, dr, 0.4, color=GREEN_COLOUR, label="green")
    ax2.set_xticks(x)
    ax2.set_xticklabels(lab, rotation=40, ha="right", fontsize=7)
    ax2.axhline(0, color="black", lw=0.8)
    ax2.set_ylabel("B - A (MWh over the weighted horizon)")
    ax2.set_title("Energy by hub: B - A")
    ax2.legend(fontsize=8)
    ax2.grid(True, axis="y", color="#eeeeee")
    # 3. served load per site (matched by site id): the 20 largest changes
    ia = {s: i for i, s in enumerate(a.site)}
    ib = {s: i for i, s in enumerate(b.site)}
    common = [s for s in a.site if s in ib]
    la = a.site_load.sum(axis=(1, 2))
    lb = b.site_load.sum(axis=(1, 2))
    ds = np.array([lb[ib[s]] - la[ia[s]] for s in common])
    order = np.argsort(-np.abs(ds))[:20] if len(ds) else np.array([], int)
    order = [i for i in order if abs(ds[i]) > 1e-9 * max(1.0, float(np.abs(la).max()))]
    ax3.barh(np.arange(len(order)), ds[order] if order else [],
             color=["#31a354" if ds[i] > 0 else "#de2d26" for i in order])
    ax3.set_yticks(np.arange(len(order)))
    ax3.set_yticklabels([common[i] for i in order], fontsize=7)
    ax3.invert_yaxis()
    ax3.axvline(0, color="black", lw=0.8)
    ax3.set_xlabel("B - A (PFLOPS-periods served)")
    ax3.set_title("Served load by site: the %d largest changes" % len(order))
    if not order:
        ax3.text(0.5, 0.5, "no site's load changed", transform=ax3.transAxes, ha="center")
    ax3.grid(True, axis="x", color="#eeeeee")
    # 4. unserved by class (matched by class id)
    ka = {k: i for i, k in enumerate(a.cls)}
    kb = {k: i for i, k in enumerate(b.cls)}
    ks = [k for k in a.cls if k in kb]
    ua = a.unserved.sum(axis=(0, 2))
    ub = b.unserved.sum(axis=(0, 2))
    x = np.arange(len(ks))
    ax4.bar(x - 0.2, [ua[ka[k]] for k in ks], 0.4, color="#9ecae1", label="A")
    ax4.bar(x + 0.2, [ub[kb[k]] for k in ks], 0.4, color="#de2d26", label="B")
    ax4.set_xticks(x)
    ax4.set_xticklabels(ks, rotation=30, ha="right")
    ax4.set_ylabel("unserved (PFLOPS-periods)")
    ax4.set_title("Unserved demand by class")
    ax4.legend(fontsize=8)
    ax4.grid(True, axis="y", color="#eeeeee")
    fig.suptitle("B - A, with A = %s (%s) and B = %s (%s)"
                 % (a.name, os.path.basename(a.path), b.name, os.path.basename(b.path)))
    fig.tight_layout()
    name = save(fig, outdir, "compare.png", dpi)
    return {"file": name, "title": "Differences, B - A",
            "caption": ("Top left: change of each objective part (yuan). Top right: grid and green "
                        "energy per hub (MWh over the weighted horizon). Bottom left: the sites "
                        "whose served load changed most (green: more, red: less). Bottom right: "
                        "unserved demand per class in A and in B."),
            "facts": {"delta_objective": b.obj["total"] - a.obj["total"],
                      "delta_parts": {p: float(v) for p, v in zip(parts, d)},
                      "delta_emissions": b.emissions - a.emissions,
                      "hubs_compared": len(gids), "sites_compared": len(common),
                      "site_bars": len(order)}}
