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


BINDS = 0.005   # yuan over the horizon: a smaller total shadow price is round-off
CONGESTION_CMAP = "YlOrRd"
CAP_BINDS_COLOUR = "#d7301f"


def site_lonlat(res):
    """(lon, lat, own) of every site: model 1.1 coordinates where the file has them,
    else its region's point (own = False)."""
    own = np.isfinite(res.site_lat) & np.isfinite(res.site_lon)
    lon = np.where(own, res.site_lon, res.region_lon[res.site_region])
    lat = np.where(own, res.site_lat, res.region_lat[res.site_region])
    return lon, lat, own


def map_nodes(res, sx, sy, rx, ry):
    """The nodes flows are aggregated to (docs/report.md, "Map"): one per hub with sites
    (at the mean position of its sites) and one per site outside the hubs.  Returns
    (labels, x, y, zone, site_node[S], region_node[R]): a demand region starts at the
    hub with most of its sites, else at the nearest hub node of its own zone (nearest
    node of any zone when its zone has none), so a line is east-to-west exactly when
    cnopt info counts its flow so."""
    labels, nx, ny, nz = [], [], [], []
    site_node = np.full(res.S, -1)
    for h in range(res.H):
        ss = np.flatnonzero(res.site_hub == h)
        if len(ss):
            site_node[ss] = len(labels)
            labels.append(res.hub[h]); nx.append(sx[ss].mean()); ny.append(sy[ss].mean())
            nz.append(int(res.hub_zone[h]))
    for s in np.flatnonzero(res.site_hub < 0):
        site_node[s] = len(labels)
        labels.append(res.site[s]); nx.append(sx[s]); ny.append(sy[s]); nz.append(int(res.site_zone[s]))
    nx, ny, nz = np.array(nx), np.array(ny), np.array(nz, int)
    hub_of_node = {labels[i]: i for i in range(len(labels))}
    region_node = np.full(res.R, -1)
    is_hub_node = np.array([lab in set(res.hub) for lab in labels], bool)
    for r in range(res.R):
        counts = np.bincount(res.site_hub[(res.site_region == r) & (res.site_hub >= 0)],
                             minlength=res.H) if res.H else np.zeros(0, int)
        if counts.size and counts.max() > 0:
            region_node[r] = hub_of_node[res.hub[int(np.argmax(counts))]]
            continue
        cand = np.flatnonzero(is_hub_node & (nz == res.region_zone[r]))
        if not len(cand):
            cand = np.flatnonzero(is_hub_node) if is_hub_node.any() else np.arange(len(labels))
        if len(cand):
            d = (nx[cand] - rx[r]) ** 2 + (ny[cand] - ry[r]) ** 2
            region_node[r] = cand[int(np.argmin(d))]
    return labels, nx, ny, nz, site_node, region_node


def fig_map(res, outdir, dpi):
    from matplotlib.collections import PolyCollection
    from matplotlib.patches import FancyArrowPatch
    import matplotlib.patheffects as pe
    from . import geo
    halo = [pe.withStroke(linewidth=2.5, foreground="white")]
    provinces, outline_why = None, None
    try:
        provinces = geo.load_provinces()
    except (OSError, ValueError, KeyError) as e:
        outline_why = "%s: %s (tools/setup-deps.sh --report installs it)" % (geo.map_path(), e)
    slon, slat, own = site_lonlat(res)
    sx, sy = geo.project(slon, slat)
    rx, ry = geo.project(res.region_lon, res.region_lat)
    labels, nx, ny, nz, site_node, region_node = map_nodes(res, sx, sy, rx, ry)
    N = len(labels)
    e2w = res.east_to_west()
    # average PFLOPS over the weighted horizon: sum_t w(t) x(t) / sum_t w(t)
    wsum = float(res.w.sum()) if res.w.sum() > 0 else 1.0
    per_pair = np.zeros((res.R, res.S))
    np.add.at(per_pair, (res.x_region, res.x_site), res.x_pflops * res.w[res.x_period] / wsum)
    flow = np.zeros((N, N))
    flow_e2w = np.zeros((N, N), bool)
    for r, s in np.argwhere(per_pair > 0):
        a, b = region_node[r], site_node[s]
        flow[a, b] += per_pair[r, s]
        flow_e2w[a, b] |= bool(e2w[r, s])

    fig, ax = plt.subplots(figsize=(12, 9.6))
    ax.set_aspect("equal")
    npoly = 0
    if provinces:
        polys = []
        for _, _, rings in provinces:
            for ring in rings:
                px, py = geo.project(ring[:, 0], ring[:, 1])
                polys.append(np.column_stack([px, py]))
        pc = PolyCollection(polys, facecolors="#f3f1ea", edgecolors="#9a9a9a", linewidths=0.5,
                            zorder=0)
        ax.add_collection(pc)
        npoly = len(polys)

    # backbone links between region capitals, coloured by peak utilisation of the fibre
    L = len(res.link_from)
    scale_bw = float(res.scenario.get("scale_bandwidth", 1.0) or 1.0)
    capg = res.link_gbps * scale_bw
    with np.errstate(invalid="ignore", divide="ignore"):
        util = np.where(np.isfinite(capg) & (capg > 0),
                        res.link_load.max(axis=1) / np.where(capg > 0, capg, 1), np.nan) if L else np.zeros(0)
    link_binds = np.zeros(L, bool)
    if res.dual_link is not None and L:
        link_binds = -res.dual_link.sum(axis=1) >= BINDS
    cmap = plt.get_cmap(CONGESTION_CMAP)
    norm = matplotlib.colors.Normalize(0, 1)
    segs = [[(rx[a], ry[a]), (rx[b], ry[b])] for a, b in zip(res.link_from, res.link_to)]
    cols = [cmap(norm(min(u, 1.0))) if np.isfinite(u) else (0.75, 0.75, 0.75, 1) for u in util]
    lws = [2.2 if link_binds[i] else 1.2 for i in range(L)]
    lss = [(0, (3, 1.5)) if link_binds[i] else "solid" for i in range(L)]
    lc_links = LineCollection(segs, colors=cols, linewidths=lws, linestyles=lss, zorder=1)
    ax.add_collection(lc_links)
    ax.scatter(rx, ry, s=6, color="#555555", zorder=1.5)
    sm = matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap)
    cax = ax.inset_axes([1.02, 0.55, 0.025, 0.43])
    cb = fig.colorbar(sm, cax=cax)
    cb.set_label("backbone link: peak utilisation\n(load / Gbps in its busiest %s)" % hour_label(res),
                 fontsize=8)

    # hub-to-hub flows
    vmax = float(flow[~np.eye(N, dtype=bool)].max()) if N > 1 and flow.size else 0.0
    vmax = vmax if vmax > 0 else 1.0

    def width(v):
        return 1.0 + 11.0 * v / vmax
    arrows, n_e, vol, vol_e, vol_in = [], 0, 0.0, 0.0, 0.0
    for a, b in sorted(zip(*np.nonzero(flow)), key=lambda ab: -flow[ab]):
        v = float(flow[a, b])
        if a == b:
            vol_in += v
            continue
        e = bool(flow_e2w[a, b])
        arr = FancyArrowPatch((nx[a], ny[a]), (nx[b], ny[b]), connectionstyle="arc3,rad=0.18",
                              arrowstyle="-|>,head_length=%.1f,head_width=%.1f"
                              % (5 + 0.9 * width(v), 2.5 + 0.6 * width(v)), mutation_scale=1,
                              lw=width(v), color=E2W_COLOUR if e else FLOW_COLOUR,
                              alpha=1.0 if e else 0.6, zorder=3 if e else 2,
                              shrinkA=6, shrinkB=8)
        ax.add_patch(arr)
        arrows.append(arr)
        vol += v
        if e:
            n_e += 1; vol_e += v

    # sites: squares at their coordinates, area ~ capacity; binding power caps ringed
    cap = res.capacity_total().sum(axis=1)
    cmax = float(cap.max()) if cap.size and cap.max() > 0 else 1.0
    sizes = 12 + 260 * cap / cmax
    pcap_binds = np.zeros(res.S, bool)
    pcap_value = np.zeros(res.S)
    if res.dual_power_cap is not None:
        pcap_value = -res.dual_power_cap.sum(axis=1)
        pcap_binds = pcap_value >= BINDS
    sc_sites = ax.scatter(sx, sy, s=sizes, marker="s",
                          c=[ZONE_COLOUR.get(int(z), "#999999") for z in res.site_zone],
                          edgecolors="black", linewidths=0.5, alpha=0.85, zorder=4)
    sc_caps = ax.scatter(sx[pcap_binds], sy[pcap_binds], s=sizes[pcap_binds] + 160, marker="o",
                         facecolors="none", edgecolors=CAP_BINDS_COLOUR, linewidths=2.0, zorder=5)
    # hub labels, nudged apart when two are closer than the label height
    placed = []
    for i in range(N):
        if labels[i] not in set(res.hub):
            continue
        name = res.hub_name[res.hub.index(labels[i])]
        tx, ty = nx[i] + 40, ny[i] + 40
        for px_, py_ in placed:
            if abs(tx - px_) < 700 and abs(ty - py_) < 90:
                ty = py_ - 110
        placed.append((tx, ty))
        ax.text(tx, ty, name, fontsize=8, fontweight="bold", zorder=7, path_effects=halo)

    # extent: the outline (without the far-south islands) or the points
    xs = np.concatenate([sx, rx]); ys = np.concatenate([sy, ry])
    if provinces:
        ex, ey = geo.project(np.array([73.0, 135.5, 105.0, 105.0]), np.array([40.0, 45.0, 17.5, 54.0]))
        x0, x1 = min(ex[0], xs.min()) - 50, max(ex[1], xs.max()) + 50
        y0, y1 = min(ey[2], ys.min()) - 50, max(ey[3], ys.max()) + 30
    else:
        pad = 0.08 * max(float(np.ptp(xs)), float(np.ptp(ys)), 100.0)
        x0, x1, y0, y1 = xs.min() - pad, xs.max() + pad, ys.min() - pad, ys.max() + pad
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xticks([]); ax.set_yticks([])
    # scale bar: 500 km (Albers: true along 25N and 47N, within 1-2% between them)
    bx, by = x0 + 0.04 * (x1 - x0), y0 + 0.05 * (y1 - y0)
    ax.plot([bx, bx + 500], [by, by], color="black", lw=3, solid_capstyle="butt", zorder=8)
    ax.text(bx + 250, by + 0.012 * (y1 - y0), "500 km", ha="center", fontsize=8, zorder=8)
    ax.set_title("Where demand is served: hub-to-hub flows (average PFLOPS over the weighted "
                 "horizon), fibre congestion, binding power caps")
    ref = [vmax, vmax / 2, vmax / 10]
    handles = [Line2D([], [], color=E2W_COLOUR, lw=width(v), label="%s PFLOPS" % fmt(v))
               for v in ref]
    handles += [
        Line2D([], [], color=E2W_COLOUR, lw=3, label="east-zone demand -> west-zone hub"),
        Line2D([], [], marker="o", ls="", color="#555555", ms=3, label="region point (links join them)"),
        Line2D([], [], color=FLOW_COLOUR, lw=3, alpha=0.6, label="other flow between nodes"),
        Line2D([], [], color=cmap(0.9), lw=2.2, ls=(0, (3, 1.5)), label="link whose bandwidth binds"),
        Line2D([], [], marker="s", ls="", color=ZONE_COLOUR[0], mec="black", label="site, east zone"),
        Line2D([], [], marker="s", ls="", color=ZONE_COLOUR[1], mec="black", label="site, west zone"),
        Line2D([], [], marker="o", ls="", mfc="none", mec=CAP_BINDS_COLOUR, mew=2, ms=11,
               label="power cap binds"),
    ]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(1.01, 0.0), fontsize=7.5,
              framealpha=0.92, title="width: average PFLOPS", title_fontsize=7.5)
    if outline_why:
        ax.text(0.01, 0.99, "no province outline: " + outline_why, transform=ax.transAxes,
                va="top", fontsize=7, color="#aa0000")
    name = save(fig, outdir, "map.png", dpi)
    n_own = int(own.sum())
    return {
        "file": name, "title": "Where demand is served",
        "caption": ("Province outlines: %s; Albers equal-area projection (25N, 47N, 105E). "
                    "Sites (squares, area ~ capacity) at their coordinates (%d of %d from the "
                    "file's site_lat/site_lon, the others at their region's point). Flows are "
                    "summed from each demand region's hub (the hub with most sites in the region, "
                    "else the nearest hub of its zone) to the serving site's hub (sites outside "
                    "the hubs are nodes of their own); width ~ average PFLOPS over the weighted "
                    "horizon (%s in %d lines between nodes, %s of them east-to-west in orange; %s "
                    "served within the node it starts from, not drawn). Backbone links join the "
                    "regions' points, coloured by their peak utilisation (load / bandwidth after "
                    "scale.bandwidth), dashed where the bandwidth binds (its shadow price is not 0). Red rings: the power cap "
                    "binds at %d site(s)."
                    % (geo.MAP_SOURCE if provinces else "not available", n_own, res.S, fmt(vol),
                       len(arrows), fmt(vol_e), fmt(vol_in), int(pcap_binds.sum()))),
        "facts": {"outline_polygons": npoly, "outline_source": geo.MAP_SOURCE if provinces else None,
                  "outline_missing": outline_why,
                  "projection": geo.PROJ,
                  "nodes": labels, "sites_at_own_coordinates": n_own,
                  "flow_lines": len(arrows), "flow_lines_east_to_west": n_e,
                  "flow_avg_pflops": vol, "flow_avg_pflops_east_to_west": vol_e,
                  "flow_avg_pflops_within_nodes": vol_in,
                  "flow_lines_pairs": [[labels[a], labels[b], float(flow[a, b])]
                                       for a, b in zip(*np.nonzero(flow)) if a != b],
                  "width_scale_pflops": ref,
                  "backbone_links": len(lc_links.get_segments()),
                  "link_peak_utilisation": [None if not np.isfinite(u) else float(u) for u in util],
                  "links_binding": int(link_binds.sum()),
                  "site_markers": len(sc_sites.get_offsets()),
                  "power_cap_binding_sites": [res.site[s] for s in np.flatnonzero(pcap_binds)],
                  "power_cap_rings": len(sc_caps.get_offsets()),
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
        # MWh over the weighted horizon: every period weighs w(t) * period_hours
        gm = float((g * res.w).sum() * res.period_hours)
        rm = float((r * res.w).sum() * res.period_hours)
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
