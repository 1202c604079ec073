"""The figures of one result.  Every function draws one PNG and returns
{"file", "title", "caption", "facts"}: "facts" are counts and sums taken from the
artists actually drawn (written to figures.json; tests/e2e/test_report.sh compares
them with its own h5py computation)."""

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.colors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from .data import COST_PARTS  # noqa: E402

# colours (hex, no transparency for the east-to-west flows: the test finds them by pixel)
E2W_COLOUR = "#e6550d"       # flows from east-zone regions to west-zone hub sites
FLOW_COLOUR = "#3182bd"      # every other served flow
ZONE_COLOUR = {0: "#756bb1", 1: "#31a354"}    # east, west
LINK_COLOUR = "#c8c8c8"
GRID_COLOUR, GREEN_COLOUR = "#969696", "#41ab5d"
PART_COLOUR = {"energy": "#6baed6", "carbon": "#636363", "green": "#74c476",
               "transfer": "#fd8d3c", "unserved": "#de2d26", "expansion": "#9e9ac8"}

plt.rcParams.update({"axes.axisbelow": True, "font.size": 9, "axes.titlesize": 10, "figure.dpi": 100,
                     "savefig.facecolor": "white", "axes.facecolor": "white"})


def save(fig, outdir, name, dpi):
    path = os.path.join(outdir, name)
    fig.savefig(path, dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return name


def hour_label(res):
    return "hour" if res.period_hours == 1 else "period"


def fmt(v, unit=""):
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return "-"
    a = abs(v)
    if unit == "1":
        return "%.1f%%" % (100 * v)
    if a >= 1e9:
        s = "%.4g billion" % (v / 1e9)
    elif a >= 1e6:
        s = "%.4g million" % (v / 1e6)
    elif a >= 1e3 or a == 0:
        s = "%.0f" % v
    else:
        s = "%.4g" % v
    return s + (" " + unit if unit else "")


def site_positions(res):
    """Sites have no coordinates in the file: each is drawn on a small ring around
    its region's point (radius 3% of the map's span), in site order."""
    lon, lat = res.region_lon, res.region_lat
    span = max(float(np.ptp(lon)) if res.R else 1.0, float(np.ptp(lat)) if res.R else 1.0, 1.0)
    rad = 0.03 * span
    pos = np.zeros((res.S, 2))
    for r in range(res.R):
        ss = np.flatnonzero(res.site_region == r)
        coslat = max(np.cos(np.radians(lat[r])), 0.2)
        for j, s in enumerate(ss):
            ang = np.radians(45) + 2 * np.pi * j / len(ss)
            pos[s] = lon[r] + rad * np.cos(ang) / coslat, lat[r] + rad * np.sin(ang)
    return pos, rad


def fig_map(res, outdir, dpi):
    lon, lat = res.region_lon, res.region_lat
    F = res.flows()
    e2w = res.east_to_west()
    pos, rad = site_positions(res)
    fig, ax = plt.subplots(figsize=(11, 8.5))
    meanlat = float(np.mean(lat)) if res.R else 30.0
    ax.set_aspect(1.0 / max(np.cos(np.radians(meanlat)), 0.2))

    links = [[(lon[a], lat[a]), (lon[b], lat[b])] for a, b in zip(res.link_from, res.link_to)]
    lc_links = LineCollection(links, colors=LINK_COLOUR, linewidths=0.8, linestyles="--", zorder=1)
    ax.add_collection(lc_links)

    pairs = np.argwhere(F > 0)
    vmax = float(F.max()) if F.size and F.max() > 0 else 1.0
    seg_o, lw_o, seg_e, lw_e, vol_e, vol_o = [], [], [], [], 0.0, 0.0
    for r, s in pairs:
        seg = [(lon[r], lat[r]), tuple(pos[s])]
        lw = 1.5 + 7.0 * F[r, s] / vmax
        if e2w[r, s]:
            seg_e.append(seg); lw_e.append(lw); vol_e += F[r, s]
        else:
            seg_o.append(seg); lw_o.append(lw); vol_o += F[r, s]
    lc_o = LineCollection(seg_o, colors=FLOW_COLOUR, linewidths=lw_o, alpha=0.55, zorder=2,
                          capstyle="round")
    lc_e = LineCollection(seg_e, colors=E2W_COLOUR, linewidths=lw_e, zorder=3, capstyle="round")
    ax.add_collection(lc_o)
    ax.add_collection(lc_e)

    cap = res.capacity_total().sum(axis=1)
    cmax = float(cap.max()) if cap.size and cap.max() > 0 else 1.0
    sizes = 15 + 400 * cap / cmax
    sc_sites = ax.scatter(pos[:, 0], pos[:, 1], s=sizes, marker="s",
                          c=[ZONE_COLOUR.get(int(z), "#999999") for z in res.site_zone],
                          edgecolors="black", linewidths=0.6, alpha=0.85, zorder=4)
    sc_regions = ax.scatter(lon, lat, s=28, marker="o",
                            c=[ZONE_COLOUR.get(int(z), "#999999") for z in res.region_zone],
                            edgecolors="black", linewidths=0.8, zorder=5)
    for r in range(res.R):
        ax.annotate(res.region_name[r], (lon[r], lat[r]), xytext=(4, -9), textcoords="offset points",
                    fontsize=7, zorder=6, color="#222222")
    if res.R:
        ax.set_xlim(lon.min() - 3 * rad - 1, lon.max() + 3 * rad + 2)
        ax.set_ylim(lat.min() - 3 * rad - 1, lat.max() + 3 * rad + 1)
    ax.set_xlabel("longitude (degrees east)")
    ax.set_ylabel("latitude (degrees north)")
    ax.grid(True, color="#eeeeee", linewidth=0.5, zorder=0)
    ax.set_title("Served demand, region -> site, over the horizon (line width ~ PFLOPS-periods; "
                 "max %s)" % fmt(vmax))
    handles = [
        Line2D([], [], color=E2W_COLOUR, lw=3, label="east-zone region -> west-zone hub site"),
        Line2D([], [], color=FLOW_COLOUR, lw=3, alpha=0.55, label="other served flow"),
        Line2D([], [], color=LINK_COLOUR, lw=1, ls="--", label="backbone link"),
        Line2D([], [], marker="o", ls="", color=ZONE_COLOUR[0], mec="black", label="region, east zone"),
        Line2D([], [], marker="o", ls="", color=ZONE_COLOUR[1], mec="black", label="region, west zone"),
        Line2D([], [], marker="s", ls="", color="#dddddd", mec="black", ms=np.sqrt(15 + 400) / 1.0 * 0.6,
               label="site (area ~ capacity, max %s PFLOPS)" % fmt(cmax)),
    ]
    ax.legend(handles=handles, loc="lower right", fontsize=8, framealpha=0.9)
    name = save(fig, outdir, "map.png", dpi)
    n_e, n_o = len(lc_e.get_segments()), len(lc_o.get_segments())
    return {
        "file": name, "title": "Where demand is served",
        "caption": ("Regions (circles, coloured by zone) at their coordinates from the file; "
                    "sites (squares, area proportional to installed capacity plus modules built) "
                    "on a small ring around their region's point, since the file has no site "
                    "coordinates; backbone links dashed. Each line joins a demand region to a site "
                    "that served it (all classes and periods), width proportional to the volume. "
                    "Orange: east-to-west flows, i.e. from an east-zone region to a site of a "
                    "west-zone hub (the definition of cnopt info). %d flow lines, %d of them "
                    "east-to-west (%s of %s PFLOPS-periods)."
                    % (n_e + n_o, n_e, fmt(vol_e), fmt(vol_e + vol_o))),
        "facts": {"flow_lines": n_e + n_o, "flow_lines_east_to_west": n_e,
                  "flow_volume": vol_e + vol_o, "flow_volume_east_to_west": vol_e,
                  "backbone_links": len(lc_links.get_segments()),
                  "region_points": len(sc_regions.get_offsets()),
                  "site_markers": len(sc_sites.get_offsets()),
                  "east_to_west_colour": E2W_COLOUR},
    }


def _grid(n, w=4.0, h=2.7, ncols=4):
    ncols = max(1, min(ncols, n))
    nrows = max(1, (n + ncols - 1) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(w * ncols, h * nrows), squeeze=False,
                             sharex=True)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat)


def fig_utilisation(res, outdir, dpi):
    cap = res.capacity_total()
    groups = [(lab, ss, gid) for lab, ss, gid in res.groups() if cap[ss].sum() > 0]
    T = np.arange(res.nper)
    facts = {"panels": [], "lines": 0}
    if not groups:
        return None
    fig, axes = _grid(len(groups))
    colours = plt.get_cmap("tab10")
    for ax, (lab, ss, gid) in zip(axes, groups):
        load = res.site_load[ss].sum(axis=0)          # [type, period]
        c_g = cap[ss].sum(axis=0)                     # [type]
        nlines = 0
        for c in range(res.C):
            if c_g[c] > 0:
                ax.plot(T, load[c] / c_g[c], color=colours(c % 10), lw=1.5, label=res.type[c])
                nlines += 1
        allu = load.sum(axis=0) / c_g.sum()
        ax.plot(T, allu, color="black", lw=1, ls="--", label="all types")
        ax.set_ylim(0, max(1.05, float(allu.max()) * 1.05 if allu.size else 1.05))
        ax.set_title(lab, fontsize=9)
        ax.grid(True, color="#eeeeee")
        facts["panels"].append({"group": gid, "label": lab, "sites": len(ss), "type_lines": nlines,
                                "avg_all_types": float(allu.mean()) if allu.size else 0.0,
                                "peak_all_types": float(allu.max()) if allu.size else 0.0})
        facts["lines"] += nlines
    for ax in axes[:len(groups)]:
        ax.set_xlabel(hour_label(res))
    axes[0].set_ylabel("utilisation (load / capacity)")
    h, l = [], []
    for ax in axes[:len(groups)]:
        for hh, ll in zip(*ax.get_legend_handles_labels()):
            if ll not in l:
                h.append(hh); l.append(ll)
    fig.legend(h, l, loc="upper center", ncol=len(l), bbox_to_anchor=(0.5, 1.02))
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    name = save(fig, outdir, "utilisation.png", dpi)
    return {"file": name, "title": "Utilisation of each hub by %s and compute type" % hour_label(res),
            "caption": ("Served load divided by capacity (installed plus modules built) of the hub's "
                        "sites, per compute type that the hub has; dashed: all types together "
                        "(its average over %ss is the 'average' column of cnopt info). Hubs "
                        "without capacity are left out." % hour_label(res)),
            "facts": facts}


def fig_power(res, outdir, dpi):
    groups = res.groups()
    if not groups:
        return None
    T = np.arange(res.nper)
    fig, axes = _grid(len(groups))
    facts = {"panels": [], "grid_mwh": 0.0, "green_mwh": 0.0}
    for ax, (lab, ss, gid) in zip(axes, groups):
        g = res.pg[ss].sum(axis=0)
        r = res.pgr[ss].sum(axis=0)
        ax.stackplot(T, g, r, colors=[GRID_COLOUR, GREEN_COLOUR], labels=["grid", "green"],
                     step=None, alpha=0.9)
        tot = g.sum() + r.sum()
        share = r.sum() / tot if tot > 0 else np.nan
        ax.set_title("%s\ngreen %s" % (lab, fmt(share, "1")), fontsize=9)
        ax.grid(True, color="#eeeeee")
        gm, rm = float(g.sum() * res.weight), float(r.sum() * res.weight)
        facts["panels"].append({"group": gid, "grid_mwh": gm, "green_mwh": rm})
        facts["grid_mwh"] += gm
        facts["green_mwh"] += rm
    for ax in axes[:len(groups)]:
        ax.set_xlabel(hour_label(res))
    axes[0].set_ylabel("power drawn (MW)")
    h, l = axes[0].get_legend_handles_labels()
    fig.legend(h, l, loc="upper center", ncol=2, bbox_to_anchor=(0.5, 1.02))
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    name = save(fig, outdir, "power.png", dpi)
    return {"file": name, "title": "Grid and green power by %s, per hub" % hour_label(res),
            "caption": ("Power drawn by the hub's sites (MW, stacked): grid (grey) and green (green). "
                        "Over the weighted horizon: %s MWh grid, %s MWh green."
                        % (fmt(facts["grid_mwh"]), fmt(facts["green_mwh"]))),
            "facts": facts}


def fig_unserved(res, outdir, dpi):
    U = res.unserved.sum(axis=2)      # [region, class]
    D = res.demand.sum(axis=2)
    rows = np.flatnonzero(D.sum(axis=1) > 0)
    total = float(U.sum())
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(13, max(4.0, 0.22 * len(rows) + 1.5)),
                                  gridspec_kw={"width_ratios": [2.2, 1]})
    colours = plt.get_cmap("tab10")
    y = np.arange(len(rows))
    left = np.zeros(len(rows))
    nbars = 0
    for k in range(res.K):
        v = U[rows, k]
        if v.sum() > 0:
            ax.barh(y, v, left=left, color=colours(k % 10), label=res.cls[k])
            left += v
            nbars += int((v > 0).sum())
    ax.set_yticks(y)
    ax.set_yticklabels([res.region_name[r] for r in rows], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("unserved demand (PFLOPS-periods)")
    ax.grid(True, axis="x", color="#eeeeee")
    if total > 0:
        ax.legend(fontsize=8, loc="lower right")
        ax.set_title("Unserved demand by region and class")
    else:
        ax.set_title("Unserved demand by region and class: none")
        ax.text(0.5, 0.5, "all demand is served", transform=ax.transAxes, ha="center", fontsize=12)
    dk = D.sum(axis=0)
    share = np.where(dk > 0, U.sum(axis=0) / np.where(dk > 0, dk, 1), 0.0)
    ax2.bar(np.arange(res.K), 100 * share, color=[colours(k % 10) for k in range(res.K)])
    ax2.set_xticks(np.arange(res.K))
    ax2.set_xticklabels(res.cls, rotation=45, ha="right")
    ax2.set_ylabel("unserved share of the class's demand (%)")
    ax2.set_title("Unserved share by class")
    ax2.grid(True, axis="y", color="#eeeeee")
    fig.tight_layout()
    name = save(fig, outdir, "unserved.png", dpi)
    return {"file": name, "title": "Unserved demand",
            "caption": ("Left: unserved demand per region (regions with any demand), stacked by "
                        "workload class, summed over windows. Right: unserved share of each class's "
                        "demand. Total unserved: %s of %s PFLOPS-periods."
                        % (fmt(total), fmt(float(D.sum())))),
            "facts": {"unserved_total": total, "regions": len(rows), "bar_segments": nbars,
                      "unserved_by_class": {res.cls[k]: float(U[:, k].sum()) for k in range(res.K)}}}


def fig_prices_capacity(res, outdir, dpi):
    if not res.has_duals:
        return None
    exists = res.capacity_row_exists()
    types = [c for c in range(res.C) if exists[:, c].any()]
    if not types:
        return None
    n = len(types)
    h = max(4.0, 0.17 * res.S + 1.8)
    fig, axes = plt.subplots(1, n, figsize=(4.6 * n + 1, h), squeeze=False)
    cmap = plt.get_cmap("viridis").copy()
    cmap.set_bad("#e0e0e0")
    panels = []
    for ax, c in zip(axes[0], types):
        v = -res.dual_capacity[:, c, :]            # saving per extra PFLOPS-period, >= 0
        data = np.ma.masked_array(v, mask=np.repeat(~exists[:, c][:, None], res.nper, axis=1))
        im = ax.imshow(data, aspect="auto", interpolation="nearest", cmap=cmap,
                       vmin=0, vmax=max(float(data.max()) if data.count() else 0.0, 1e-9))
        ax.set_title("capacity of type %s" % res.type[c])
        ax.set_xlabel(hour_label(res))
        step = max(1, res.S // 45)
        ax.set_yticks(np.arange(0, res.S, step))
        ax.set_yticklabels(res.site[::step], fontsize=6)
        fig.colorbar(im, ax=ax, shrink=0.8, label="yuan per PFLOPS-period")
        arr = im.get_array()
        panels.append({"type": res.type[c], "shape": list(arr.shape),
                       "sum": float(np.ma.sum(arr)) if arr.count() else 0.0,
                       "masked_rows": int((~exists[:, c]).sum()),
                       "binding_cells": int((np.ma.filled(arr, 0) > 1e-9).sum())})
    fig.tight_layout()
    name = save(fig, outdir, "prices_capacity.png", dpi)
    return {"file": name, "title": "Shadow prices of capacity (site x %s)" % hour_label(res),
            "caption": ("What one more PFLOPS of capacity at a site in one %s would save (yuan per "
                        "PFLOPS-period over the weighted horizon: minus the dual of constraint 2, "
                        "docs/model.md section 8); one panel per compute type; grey: the site has "
                        "no capacity row of that type. Bright cells are where building pays."
                        % hour_label(res)),
            "facts": {"panels": panels}}


def fig_prices_demand(res, outdir, dpi):
    if not res.has_duals or res.K == 0:
        return None
    D = res.demand
    with np.errstate(invalid="ignore", divide="ignore"):
        M = (res.dual_demand * D).sum(axis=2) / D.sum(axis=2)
    M[D.sum(axis=2) <= 0] = np.nan
    data = np.ma.masked_invalid(M)
    cmap = plt.get_cmap("magma_r").copy()
    cmap.set_bad("#e0e0e0")
    fig, ax = plt.subplots(figsize=(1.1 * res.K + 4, max(4.0, 0.24 * res.R + 1.5)))
    # logarithmic colours: penalties and serving costs of classes differ by orders of
    # magnitude; a price of 0 (possible where the row is degenerate) shows at the bottom
    pos = data[data > 0] if data.count() else data
    lo = float(pos.min()) if np.ma.count(pos) else 1.0
    hi = max(float(pos.max()) if np.ma.count(pos) else 1.0, lo * 1.0001)
    norm = matplotlib.colors.LogNorm(vmin=lo, vmax=hi, clip=True)
    im = ax.imshow(np.ma.masked_array(np.maximum(data, lo), mask=np.ma.getmaskarray(data)),
                   aspect="auto", interpolation="nearest", cmap=cmap, norm=norm)
    ax.set_xticks(np.arange(res.K))
    ax.set_xticklabels(res.cls, rotation=30, ha="right")
    ax.set_yticks(np.arange(res.R))
    ax.set_yticklabels(res.region_name, fontsize=7)
    if res.R * res.K <= 400 and data.count():
        for r in range(res.R):
            for k in range(res.K):
                if not np.ma.is_masked(data[r, k]):
                    light = norm(max(float(data[r, k]), lo)) > 0.6
                    ax.text(k, r, "%.3g" % data[r, k], ha="center", va="center", fontsize=6,
                            color="white" if light else "black")
    fig.colorbar(im, ax=ax, label="yuan per PFLOPS-period (log scale)")
    ax.set_title("Marginal cost of one more PFLOPS-period of demand")
    fig.tight_layout()
    name = save(fig, outdir, "prices_demand.png", dpi)
    arr = im.get_array()
    return {"file": name, "title": "Shadow prices of demand (region x class)",
            "caption": ("Dual of the demand rows (constraint 1): the cost of serving one more "
                        "PFLOPS-period of the class's demand in the region, averaged over the "
                        "class's windows weighted by demand. It equals the class's penalty where "
                        "demand is left unserved. Grey: no demand."),
            "facts": {"shape": list(arr.shape), "cells_without_demand": int(np.ma.count_masked(arr))}}


def fig_costs(res, outdir, dpi):
    parts = list(COST_PARTS)
    vals = np.array([res.obj[p] for p in parts])
    scale, unit = (1e9, "billion yuan") if abs(res.obj["total"]) >= 1e9 else (1e6, "million yuan")
    fig, ax = plt.subplots(figsize=(8, 3.2))
    y = np.arange(len(parts))
    ax.barh(y, vals / scale, color=[PART_COLOUR[p] for p in parts])
    ax.set_yticks(y)
    ax.set_yticklabels(parts)
    ax.invert_yaxis()
    tot = res.obj["total"]
    for i, v in enumerate(vals):
        ax.text(v / scale, i, "  %.3g (%s)" % (v / scale, fmt(v / tot if tot else np.nan, "1")),
                va="center", fontsize=8)
    ax.set_xlim(0, max(vals.max() / scale * 1.35, 1e-9))
    ax.set_xlabel(unit)
    ax.set_title("Objective %.4g %s; emissions %s tCO2" % (tot / scale, unit, fmt(res.emissions)))
    ax.grid(True, axis="x", color="#eeeeee")
    fig.tight_layout()
    name = save(fig, outdir, "costs.png", dpi)
    return {"file": name, "title": "Cost parts",
            "caption": "The six parts of the objective (they sum to it), over the weighted horizon.",
            "facts": {"parts": {p: res.obj[p] for p in parts}, "total": tot,
                      "emissions_tco2": res.emissions}}


ALL = (fig_map, fig_costs, fig_utilisation, fig_power, fig_unserved, fig_prices_capacity,
       fig_prices_demand)

SKIPPED_WHY = {
    "fig_prices_capacity": "no shadow prices in this file (has_duals = 0) or no capacity rows",
    "fig_prices_demand": "no shadow prices in this file (has_duals = 0) or no classes",
    "fig_utilisation": "no hub has capacity",
    "fig_power": "the model has no sites",
}
