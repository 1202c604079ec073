"""The seasons of a multi-day result (docs/report.md, "Seasons"): east-to-west flow,
green share and utilisation by hub per month (week, day when the horizon is short),
a days x hours heat map of the limits that bind, and for an aggregated model (`cnopt
aggregate --days N`) the representative days against the days they stand for."""

import os
import re

import numpy as np

from .figures import E2W_COLOUR, fmt, plt, save

MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
TIGHT = 1e-6    # yuan: a row binds in a period when |its dual| is at least this

_HDR = re.compile(r"^#\s+day (\d+) \(periods (\d+)-(\d+)\) = source day (\d+) .*weight ([0-9.eE+-]+), "
                  r"for days ([0-9,\- ]+)$")
_SRC = re.compile(r"\((\d+) periods = (\d+) days\)")


def _days_list(text):
    out = []
    for part in text.replace(" ", ",").split(","):
        if not part:
            continue
        a, _, b = part.partition("-")
        out.extend(range(int(a), int(b or a) + 1))
    return out


def representative_days(res):
    """The header `cnopt aggregate` writes into its scenario.yaml (docs/time.md):
    {"source_days": D, "rep": [(day, source_day, weight, [days it stands for])]}, or
    None when the scenario is not an aggregate (or its file is gone)."""
    path = str(res.scenario.get("path", ""))
    if not path or not os.path.isfile(path):
        return None
    rep, nsrc = [], None
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                break
            m = _SRC.search(line)
            if m and nsrc is None:
                nsrc = int(m.group(2))
            m = _HDR.match(line.rstrip("\n"))
            if m:
                rep.append((int(m.group(1)), int(m.group(4)), float(m.group(5)), _days_list(m.group(6))))
    if not rep or nsrc is None or len(rep) * 24 != res.nper:
        return None
    return {"source_days": nsrc, "rep": rep}


def applies(res):
    """None when the seasons can be drawn, else why not."""
    if res.period_hours != 1:
        return "periods are not hours"
    if res.nper % 24 or res.nper < 48:
        return "the horizon is not at least two whole days"
    return None


def _bins(ndays):
    """(kind, bin of each day, labels) for a calendar of ndays days from 1 January."""
    if ndays >= 90:
        md = list(MONTH_DAYS)
        if ndays == 366:
            md[1] = 29
        b, lab, d = [], [], 0
        for i, n in enumerate(md * (ndays // 365 + 1)):
            if d >= ndays:
                break
            b.extend([len(lab)] * min(n, ndays - d))
            lab.append(MONTHS[i % 12])
            d += n
        return "month", np.array(b), lab
    if ndays >= 14:
        b = np.arange(ndays) // 7
        return "week", b, ["week %d" % (i + 1) for i in range(b.max() + 1)]
    return "day", np.arange(ndays), ["day %d" % (i + 1) for i in range(ndays)]


def daily(res):
    """Per day of the result (24 periods each): e2w [D] (mean PFLOPS), and per hub
    group green [G, D], energy [G, D] (MWh per day, unweighted), load [G, D] and
    capacity-hours [G, D]; groups as res.groups()."""
    D = res.nper // 24
    e2w_mask = res.east_to_west()
    sel = e2w_mask[res.x_region, res.x_site]
    per_t = np.zeros(res.nper)
    np.add.at(per_t, res.x_period[sel], res.x_pflops[sel])
    e2w = per_t.reshape(D, 24).mean(axis=1)
    groups = res.groups()
    cap = res.capacity_total()
    G = len(groups)
    green, energy = np.zeros((G, D)), np.zeros((G, D))
    load, caph = np.zeros((G, D)), np.zeros((G, D))
    for g, (_, ss, _) in enumerate(groups):
        r = res.pgr[ss].sum(axis=0).reshape(D, 24).sum(axis=1)
        p = res.pg[ss].sum(axis=0).reshape(D, 24).sum(axis=1)
        green[g], energy[g] = r, r + p
        load[g] = res.site_load[ss].sum(axis=(0, 1)).reshape(D, 24).sum(axis=1)
        caph[g] = cap[ss].sum() * 24
    return {"e2w": e2w, "green": green, "energy": energy, "load": load, "caph": caph,
            "groups": groups}


def calendar(res, rep):
    """(kind, labels, bin of each calendar day, result day of each calendar day,
    weight of each calendar day).  Without aggregation the calendar is the result's
    own days; with it, the source days, each taking its representative day's values."""
    if rep is None:
        D = res.nper // 24
        wd = res.w.reshape(D, 24).mean(axis=1)
        kind, b, lab = _bins(D)
        return kind, lab, b, np.arange(D), wd
    nsrc = rep["source_days"]
    rday = np.full(nsrc, -1)
    wd = np.zeros(nsrc)
    for c, _, wgt, days in rep["rep"]:
        for d in days:
            if 0 <= d < nsrc:
                rday[d] = c
                wd[d] = wgt / len(days)
    kind, b, lab = _bins(nsrc)
    return kind, lab, b, rday, wd


def fig_seasons(res, outdir, dpi):
    why = applies(res)
    if why:
        return None, why
    rep = representative_days(res)
    dd = daily(res)
    kind, lab, b, rday, wd = calendar(res, rep)
    ok = rday >= 0
    nb = len(lab)
    wsum = np.zeros(nb)
    np.add.at(wsum, b[ok], wd[ok])
    wsum_ = np.where(wsum > 0, wsum, np.nan)

    def per_bin(x):   # x [D] of the result's days -> weighted sum per bin
        out = np.zeros(nb)
        np.add.at(out, b[ok], wd[ok] * x[rday[ok]])
        return out
    e2w = per_bin(dd["e2w"]) / wsum_
    G = len(dd["groups"])
    with np.errstate(invalid="ignore", divide="ignore"):
        gshare = np.array([per_bin(dd["green"][g]) / per_bin(dd["energy"][g]) for g in range(G)])
        util = np.array([per_bin(dd["load"][g]) / per_bin(dd["caph"][g]) for g in range(G)])
    fig, (a1, a2, a3) = plt.subplots(3, 1, figsize=(12, 10), sharex=True)
    x = np.arange(nb)
    a1.bar(x, e2w, color=E2W_COLOUR)
    a1.set_ylabel("average PFLOPS")
    a1.set_title("East-to-west flow (east-zone demand served at west-zone hub sites), per %s" % kind)
    cm = plt.get_cmap("tab10")
    for g, (glab, _, gid) in enumerate(dd["groups"]):
        a2.plot(x, 100 * gshare[g], marker="o", ms=3, color=cm(g % 10),
                label=gid if gid != "-" else "outside the hubs")
        a3.plot(x, 100 * util[g], marker="o", ms=3, color=cm(g % 10), label=gid)
    a2.set_ylabel("green share of energy (%)")
    a2.set_title("Green share by hub")
    a3.set_ylabel("utilisation (%)")
    a3.set_title("Utilisation by hub (served load / capacity, all types)")
    a3.set_xticks(x)
    a3.set_xticklabels(lab, rotation=0 if nb <= 14 else 60, fontsize=8)
    for ax in (a1, a2, a3):
        ax.grid(True, color="#eeeeee")
    a2.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), title="hub", title_fontsize=7)
    a2.set_ylim(-2, 102)
    a3.set_ylim(-2, 102)
    fig.tight_layout()
    name = save(fig, outdir, "seasons.png", dpi)
    src = ("the %d source days, each taking the values of its representative day" % len(rday)
           if rep else "the result's %d days" % len(rday))
    return {"file": name, "title": "The seasons: per %s" % kind,
            "caption": ("Per %s of %s, weighted by each day's period weight: east-to-west flow "
                        "(average PFLOPS over the %s), green share of the energy of each hub's "
                        "sites, and utilisation of each hub (served load / capacity incl. modules "
                        "built). The calendar starts on 1 January." % (kind, src, kind)),
            "facts": {"kind": kind, "labels": lab, "aggregated": rep is not None,
                      "e2w_avg_pflops": [float(v) for v in e2w],
                      "green_share": {gid: [float(v) for v in gshare[g]]
                                      for g, (_, _, gid) in enumerate(dd["groups"])},
                      "utilisation": {gid: [float(v) for v in util[g]]
                                      for g, (_, _, gid) in enumerate(dd["groups"])}}}, None


def bind_fractions(res):
    """{kind: [D, 24] fraction of its rows that bind} for power_cap (sites with a finite
    cap), green (sites with green capacity) and fibre (backbone links with a finite
    bandwidth and sites with a finite access bandwidth)."""
    D = res.nper // 24
    out, rows = {}, {}
    m = res.model
    cap = np.asarray(m.get("site_power_cap_mw", np.full(res.S, np.nan)), float)
    gcap = np.asarray(m.get("site_green_cap_mw", np.zeros(res.S)), float)
    acc = np.asarray(m.get("site_access_gbps", np.full(res.S, np.nan)), float)
    spec = [("power cap", res.dual_power_cap, np.isfinite(cap)),
            ("green power", res.dual_green, gcap > 0)]
    fib = []
    if res.dual_link is not None:
        fib.append((res.dual_link, np.isfinite(res.link_gbps)))
    if res.dual_access is not None:
        fib.append((res.dual_access, np.isfinite(acc)))
    for name, dual, keep in spec:
        if dual is None or not keep.any():
            continue
        out[name] = (np.abs(dual[keep]) >= TIGHT).mean(axis=0).reshape(D, 24)
        rows[name] = int(keep.sum())
    if fib:
        dd = np.vstack([d[k] for d, k in fib if k.any()]) if any(k.any() for _, k in fib) else None
        if dd is not None:
            out["fibre"] = (np.abs(dd) >= TIGHT).mean(axis=0).reshape(D, 24)
            rows["fibre"] = int(dd.shape[0])
    return out, rows


def fig_binds(res, outdir, dpi):
    why = applies(res)
    if why:
        return None, why
    if not res.has_duals:
        return None, "no shadow prices in this file (has_duals = 0)"
    fr, rows = bind_fractions(res)
    if not fr:
        return None, "no power cap, green or fibre rows"
    rep = representative_days(res)
    D = res.nper // 24
    n = len(fr)
    fig, axes = plt.subplots(1, n, figsize=(4.2 * n + 1.5, max(3.5, min(11, 0.03 * D + 3))),
                             squeeze=False)
    ylab = ["rep %d (x%g)" % (c, w) for c, _, w, _ in rep["rep"]] if rep else None
    for ax, (name, M) in zip(axes[0], fr.items()):
        im = ax.imshow(M, aspect="auto", interpolation="nearest", cmap="viridis", vmin=0, vmax=1,
                       extent=(-0.5, 23.5, D - 0.5, -0.5))
        ax.set_title("%s (%d rows)" % (name, rows[name]))
        ax.set_xlabel("hour of the day")
        ax.set_xticks([0, 6, 12, 18, 23])
        if ylab and D <= 60:
            ax.set_yticks(np.arange(D))
            ax.set_yticklabels(ylab, fontsize=7)
        else:
            from matplotlib.ticker import FuncFormatter, MaxNLocator
            ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=12))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: "day %d" % (v + 1)))
    axes[0][0].set_ylabel("representative day" if rep else "day of the horizon")
    fig.colorbar(im, ax=list(axes[0]), shrink=0.8, label="fraction of the rows that bind")
    name = save(fig, outdir, "binds.png", dpi)
    return {"file": name, "title": "What binds, day by hour",
            "caption": ("For each day (rows) and hour (columns), the fraction of the rows of each "
                        "kind whose shadow price is not 0 (|dual| >= %g yuan): the power caps of "
                        "sites with a cap, the green-power rows of sites with green capacity, and "
                        "the fibre rows (backbone links and site access with a finite bandwidth)."
                        % TIGHT),
            "facts": {"shape": [D, 24], "rows": rows,
                      "sum": {k: float(v.sum()) for k, v in fr.items()}}}, None


def fig_rep_days(res, outdir, dpi):
    rep = representative_days(res)
    if rep is None:
        return None, "not an aggregated model (no cnopt aggregate header in its scenario)"
    nsrc = rep["source_days"]
    dd = daily(res)
    col = np.full(nsrc, -1)
    for c, _, _, days in rep["rep"]:
        col[[d for d in days if 0 <= d < nsrc]] = c
    k = len(rep["rep"])
    cm = plt.get_cmap("tab20" if k > 10 else "tab10")
    fig, (a1, a2) = plt.subplots(2, 1, figsize=(12, 5.5), gridspec_kw={"height_ratios": [1, 2]})
    for c in range(k):
        dsel = np.flatnonzero(col == c)
        a1.bar(dsel, np.ones(len(dsel)), width=1.0, color=cm(c % cm.N), label="rep %d" % c)
    for c, src, _, _ in rep["rep"]:
        a1.plot([src], [1.08], marker="v", color=cm(c % cm.N), mec="black")
    a1.set_xlim(-0.5, nsrc - 0.5)
    a1.set_ylim(0, 1.2)
    a1.set_yticks([])
    a1.set_title("Which representative day stands for each of the %d days (triangle: the day "
                 "itself)" % nsrc)
    if nsrc >= 90:
        starts = np.cumsum((0,) + MONTH_DAYS[:-1])
        a1.set_xticks(starts[starts < nsrc])
        a1.set_xticklabels(list(MONTHS)[:int((starts < nsrc).sum())], fontsize=8)
    else:
        a1.set_xlabel("day of the source horizon")
    weights = [w for _, _, w, _ in rep["rep"]]
    x = np.arange(k)
    a2.bar(x, weights, 0.5, color=[cm(c % cm.N) for c in range(k)], edgecolor="black",
           label="weight (sum of the weights of its days)")
    a2.set_ylabel("weight")
    a2b = a2.twinx()
    a2b.plot(x, dd["e2w"], "o-", color=E2W_COLOUR, label="east-to-west flow (avg PFLOPS)")
    a2b.set_ylabel("east-to-west flow (average PFLOPS)")
    a2.set_xticks(x)
    a2.set_xticklabels(["rep %d\n(day %d)" % (c, s) for c, s, _, _ in rep["rep"]], fontsize=8)
    a2.set_title("Weight of each representative day and its east-to-west flow")
    h1, l1 = a2.get_legend_handles_labels()
    h2, l2 = a2b.get_legend_handles_labels()
    a2.legend(h1 + h2, l1 + l2, fontsize=8, loc="upper left", bbox_to_anchor=(1.07, 1.0))
    fig.tight_layout()
    name = save(fig, outdir, "rep_days.png", dpi)
    return {"file": name, "title": "Representative days against the year",
            "caption": ("Top: the days of the source horizon coloured by the representative day that "
                        "stands for them (from the header cnopt aggregate writes into the scenario; "
                        "docs/time.md). Bottom: each representative day's weight (the sum of the "
                        "weights of its days, %s in all) and its east-to-west flow."
                        % fmt(float(sum(weights)))),
            "facts": {"source_days": nsrc,
                      "rep": [{"day": c, "source_day": s, "weight": w, "days": len(ds)}
                              for c, s, w, ds in rep["rep"]],
                      "days_covered": int((col >= 0).sum())}}, None


ALL = (fig_seasons, fig_binds, fig_rep_days)
