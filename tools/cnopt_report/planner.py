"""Tables a planner uses: what one more unit of each limit saves over the weighted
horizon, per site, per hub and per backbone link (the same numbers as `cnopt info`).

Shadow prices are per unit per period and already include w(t) * period_hours
(docs/model.md section 8); a binding limit's price is <= 0.  One more unit
sustained over every period saves minus the sum over the periods of the price."""

import numpy as np

BINDS = 0.005   # yuan: half a fen over the horizon; smaller sums are round-off
RESOURCES = [("power_cap", "power cap", "MW"), ("green", "green power", "MW"),
             ("access", "access fibre", "Gbps")]


def eng(v):
    """3 significant digits with k / M / bn, as cnopt info prints amounts."""
    if v != v:
        return "-"
    a = abs(v)
    if a < 0.5e-3:
        return "0"
    for f, sfx in ((1e9, "bn"), (1e6, "M"), (1e3, "k"), (1.0, "")):
        if a >= f * 0.9995 or f == 1.0:
            x = v / f
            return ("%.0f%s" % (x, sfx)) if f == 1e9 and abs(x) >= 999.5 else ("%.3g%s" % (x, sfx))


def cell(v):
    return eng(v) if abs(v) >= BINDS else "-"


def horizon(f, nper, period_hours, period_weight):
    """(hours, words): the weighted horizon and how to say it."""
    w = np.asarray(f["model/period_weight"][()], float) if "model/period_weight" in f \
        else np.full(nper, period_weight)
    hours = float(w.sum() * period_hours)
    if abs(hours - 8760.0) < 1e-6:
        return hours, "a year"
    if len(w) and np.all(w == w[0]):
        return hours, ("over the horizon of %d periods of %g h x weight %g (%g h)"
                       % (nper, period_hours, w[0], hours))
    return hours, ("over the weighted horizon of %d periods of %g h (weights of periods.csv: %g h)"
                   % (nper, period_hours, hours))


def tables(a, f):
    """The per-site, per-hub and per-link savings of result a (data.Result) with
    its open file f, as plain numbers (for figures.json) and table rows."""
    S, C, T, H = a.S, a.C, a.nper, a.H
    d = f["duals"]
    cap = -np.asarray(d["capacity"][()], float).reshape(S, C, T).sum(axis=2)
    res = np.stack([-np.asarray(d[k][()], float).reshape(S, T).sum(axis=1) for k, _, _ in RESOURCES],
                   axis=1)
    L = len(a.link_from)
    link = -np.asarray(d["link_bandwidth"][()], float).reshape(L, T).sum(axis=1) if L else np.zeros(0)
    hours, words = horizon(f, T, a.period_hours, a.period_weight)
    cols = ["compute %s (/PFLOPS)" % t for t in a.type] + \
           ["%s (/%s)" % (lab, u) for _, lab, u in RESOURCES]
    site_rows, hub_rows = [], []
    for s in range(S):
        vals = list(cap[s]) + list(res[s])
        if any(abs(v) >= BINDS for v in vals):
            h = int(a.site_hub[s])
            site_rows.append([a.site[s], a.hub[h] if 0 <= h < H else "-"] + [cell(v) for v in vals])
    hub_vals = {}
    for h in list(range(H)) + [-1]:
        ss = [s for s in range(S) if (int(a.site_hub[s]) == h if h >= 0 else not 0 <= int(a.site_hub[s]) < H)]
        if h < 0 and not ss:
            continue
        vals = [float(cap[ss, c].sum()) for c in range(C)] + [float(res[ss, r].sum())
                                                            for r in range(len(RESOURCES))]
        name = a.hub[h] if h >= 0 else "(no hub)"
        hub_vals[name] = vals
        hub_rows.append([name, str(len(ss))] + [cell(v) for v in vals])
    lk = []
    for l in np.argsort(-np.abs(link)):
        if abs(link[l]) >= BINDS:
            lk.append(["%s-%s" % (a.region[a.link_from[l]], a.region[a.link_to[l]]), cell(link[l])])
    words_list = []
    for s in range(S):
        for c in range(C):
            words_list.append((cap[s, c], "PFLOPS of %s compute at %s" % (a.type[c], a.site[s])))
        for r, (_, lab, u) in enumerate(RESOURCES):
            what = {"power_cap": "MW of power cap", "green": "MW of green power available",
                    "access": "Gbps of access fibre"}[RESOURCES[r][0]]
            words_list.append((res[s, r], "%s at %s" % (what, a.site[s])))
    for l in range(L):
        words_list.append((link[l], "Gbps of backbone fibre on %s-%s"
                           % (a.region[a.link_from[l]], a.region[a.link_to[l]])))
    words_list = sorted([w for w in words_list if abs(w[0]) >= BINDS], key=lambda w: -abs(w[0]))[:8]
    sentences = ["+1 %s %s %s yuan %s" % (t, "saves" if v > 0 else "costs", eng(abs(v)), words)
                 for v, t in words_list]
    facts = {"horizon_hours": hours, "horizon": words, "columns": cols,
             "site": {a.site[s]: [float(x) for x in list(cap[s]) + list(res[s])] for s in range(S)},
             "hub": hub_vals, "link": {"%s-%s" % (a.region[a.link_from[l]], a.region[a.link_to[l]]):
                                       float(link[l]) for l in range(L)},
             "sentences": sentences}
    return {"cols": cols, "site_rows": site_rows, "hub_rows": hub_rows, "link_rows": lk,
            "sentences": sentences, "words": words, "facts": facts}


def add_to_page(page, a):
    """The planner's section of the page; returns the facts for figures.json (None
    without duals)."""
    import h5py
    if not a.has_duals:
        page.h2("What one more unit is worth")
        page.p("Not shown: the file has no shadow prices (has_duals = 0).", "note")
        return None
    with h5py.File(a.path, "r") as f:
        t = tables(a, f)
    page.h2("What one more unit is worth (yuan %s)" % t["words"])
    page.p("What one more unit of each limit, sustained over every period, saves: minus the sum "
           "over the periods of its shadow price, which already includes each period's weight "
           "(docs/model.md section 8). Amounts in yuan %s, three significant digits, k = thousand, "
           "M = million, bn = billion; - = the limit does not bind." % t["words"])
    page.ul(t["sentences"] if t["sentences"] else ["no limit binds"])
    page.p("Per site (sites where a limit binds):")
    page.table(["site", "hub"] + t["cols"], t["site_rows"])
    page.p("Per hub (the sum over its sites: one more unit at each of them):")
    page.table(["hub", "sites"] + t["cols"], t["hub_rows"])
    page.p("Backbone fibre (links where the bandwidth binds), per Gbps on the link:")
    page.table(["link", "yuan / Gbps"], t["link_rows"] if t["link_rows"] else [["none binds", "-"]])
    return t["facts"]
