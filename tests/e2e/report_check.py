#!/usr/bin/python3
"""Checks of tools/cnopt-report's output against an independent h5py computation
(used by tests/e2e/test_report.sh).  Prints "ok - ..." / "not ok - ..." lines.

  report_check.py result  RESULT.h5 DIR INFO.txt   one result's report
  report_check.py compare A.h5 B.h5 DIR            the --compare report
  report_check.py noduals DIR                      a report of a file without /duals
  report_check.py sweep   SUMMARY.h5 DIR           a sweep summary's report
  report_check.py scenarios DIR A.h5 B.h5 C.h5...  the N-scenario comparison
  report_check.py seasons RESULT.h5 DIR INFO.txt   seasons of a multi-day result
  report_check.py seasons-agg RESULT.h5 DIR SCENARIO.yaml   ... of an aggregated model
  report_check.py screenshot PNG                   a Chromium screenshot is not blank

Nothing here imports tools/cnopt_report: every expected number is recomputed from
the HDF5 file with h5py and numpy, following docs/hdf5-schema.md."""

import base64
import json
import os
import re
import sys

import h5py
import numpy as np

RESULTS = []


def check(cond, msg, detail=""):
    RESULTS.append(bool(cond))
    print(("ok - " if cond else "not ok - ") + msg)
    if not cond and detail:
        for line in str(detail).splitlines():
            print("    " + line)


def close(a, b, rel=1e-6, abs_=1e-6):
    return abs(a - b) <= max(abs_, rel * max(abs(a), abs(b)))


def load_facts(d):
    with open(os.path.join(d, "figures.json")) as fh:
        return json.load(fh)


def png_checks(d, names):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.image as mpimg
    images = {}
    for n in names:
        p = os.path.join(d, n)
        if not os.path.isfile(p):
            check(False, "%s exists" % n)
            continue
        raw = open(p, "rb").read()
        valid = raw[:8] == b"\x89PNG\r\n\x1a\n" and raw[-12:-4] == b"\x00\x00\x00\x00IEND"
        check(valid and len(raw) > 8000, "%s is a PNG (signature and IEND) of more than 8 kB (%d bytes)"
              % (n, len(raw)))
        try:
            img = mpimg.imread(p)
        except Exception as e:  # noqa: BLE001
            check(False, "%s decodes" % n, e)
            continue
        h, w = img.shape[:2]
        rgb = (np.round(img[..., :3] * 255)).astype(np.int32)
        codes = np.unique(rgb.reshape(-1, 3) @ np.array([65536, 256, 1]))
        nonwhite = float((rgb.sum(axis=2) < 3 * 250).mean())
        check(h >= 250 and w >= 400 and len(codes) >= 16 and nonwhite > 0.02,
              "%s: %dx%d pixels, %d colours, %.1f%% not white (not trivial)"
              % (n, w, h, len(codes), 100 * nonwhite))
        images[n] = rgb
    return images


def html_checks(d, facts):
    html = open(os.path.join(d, "report.html"), encoding="utf-8").read()
    pngs = sorted(f for f in os.listdir(d) if f.endswith(".png"))
    for n in pngs:
        b64 = base64.b64encode(open(os.path.join(d, n), "rb").read()).decode()
        check(("data:image/png;base64," + b64) in html, "report.html embeds %s byte for byte" % n)
    srcs = re.findall(r'\b(?:src|href)\s*=\s*"([^"]*)"', html)
    check(len(srcs) == len(pngs) and all(s.startswith("data:image/png;base64,") for s in srcs),
          "report.html is self-contained: %d references, all data: URIs of the %d PNGs"
          % (len(srcs), len(pngs)), [s[:60] for s in srcs])
    check(sorted(facts["files"]) == sorted(pngs + ["report.html"]),
          "figures.json lists exactly the files written", (facts["files"], pngs))
    ncap = html.count("<figcaption>")
    check(ncap == len(pngs), "every figure has a caption (%d)" % ncap)
    return html


def strs(ds):
    return [x.decode() for x in ds[()]]


def check_result(h5, d, info):
    facts = load_facts(d)
    fig = facts["figures"]
    f = h5py.File(h5, "r")
    m, s = f["model"], f["solution"]
    R, S, C, K = len(f["region"]), len(f["site"]), len(f["type"]), len(f["class"])
    T = len(f["period"])
    want = ["map.png", "costs.png", "utilisation.png", "power.png", "unserved.png",
            "prices_capacity.png", "prices_demand.png"]
    check(facts["kind"] == "result" and all(w in fig for w in want),
          "figures.json has all 7 figures of a result", sorted(fig))
    images = png_checks(d, want)
    html_checks(d, facts)

    # map (docs/report.md, "Map"): nodes = hubs with sites, then sites outside hubs;
    # a region starts at the hub with most of its sites, else the nearest hub node of
    # its zone (Albers km); one line per pair of distinct nodes with flow
    import pyproj
    tr = pyproj.Transformer.from_crs("EPSG:4326", "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 "
                                     "+lon_0=105 +ellps=WGS84 +units=km", always_xy=True)
    xr, xs, xp, xt = s["x_region"][()], s["x_site"][()], s["x_pflops"][()], s["x_period"][()]
    rz, hz, sh = m["region_zone"][()], m["hub_zone"][()], m["site_hub"][()]
    sreg, szone = m["site_region"][()], m["site_zone"][()]
    slat, slon = m["site_lat"][()], m["site_lon"][()]
    own = np.isfinite(slat) & np.isfinite(slon)
    rlat, rlon = m["region_lat"][()], m["region_lon"][()]
    px, py = tr.transform(np.where(own, slon, rlon[sreg]), np.where(own, slat, rlat[sreg]))
    qx, qy = tr.transform(rlon, rlat)
    H = len(f["hub"])
    node_of_site, nodes, nzone, nxy = {}, [], [], []
    for h in range(H):
        ss = [i for i in range(S) if sh[i] == h]
        if ss:
            for i in ss:
                node_of_site[i] = len(nodes)
            nodes.append(h); nzone.append(hz[h]); nxy.append((np.mean(px[ss]), np.mean(py[ss])))
    for i in range(S):
        if sh[i] < 0:
            node_of_site[i] = len(nodes); nodes.append(-1 - i); nzone.append(szone[i])
            nxy.append((px[i], py[i]))
    node_of_region = {}
    for r in range(R):
        cnt = [sum(1 for i in range(S) if sreg[i] == r and sh[i] == h) for h in range(H)]
        if cnt and max(cnt) > 0:
            node_of_region[r] = nodes.index(int(np.argmax(cnt)))
            continue
        cand = [j for j in range(len(nodes)) if nodes[j] >= 0 and nzone[j] == rz[r]] or \
            [j for j in range(len(nodes)) if nodes[j] >= 0]
        node_of_region[r] = min(cand, key=lambda j: (nxy[j][0] - qx[r]) ** 2 + (nxy[j][1] - qy[r]) ** 2)
    w = m["period_weight"][()]
    lines, lines_e = {}, set()
    within = 0.0
    for r, st, v, t in zip(xr, xs, xp, xt):
        a_, b_ = node_of_region[int(r)], node_of_site[int(st)]
        val = float(v) * w[t] / w.sum()
        if a_ == b_:
            within += val
            continue
        lines[(a_, b_)] = lines.get((a_, b_), 0.0) + val
        if rz[r] == 0 and sh[st] >= 0 and hz[sh[st]] == 1:
            lines_e.add((a_, b_))
    lines = {k: v for k, v in lines.items() if v > 0}
    mp = fig.get("map.png", {})
    check(mp.get("flow_lines") == len(lines) and len(lines) > 0,
          "map: %s hub-to-hub lines drawn = %d pairs of distinct nodes with flow"
          % (mp.get("flow_lines"), len(lines)))
    check(mp.get("flow_lines_east_to_west") == len(lines_e & set(lines)),
          "map: %s east-to-west lines = %d node pairs carrying east-zone demand to west-zone hubs"
          % (mp.get("flow_lines_east_to_west"), len(lines_e & set(lines))))
    tot_line = sum(lines.values())
    check(close(mp.get("flow_avg_pflops", -1), tot_line) and
          close(mp.get("flow_avg_pflops_within_nodes", -1), within),
          "map: %.6g average PFLOPS between nodes, %.6g within them (weighted by w(t))"
          % (tot_line, within))
    check(close(max(mp.get("width_scale_pflops", [0])), max(lines.values())),
          "map: the width legend's largest line is the largest flow, %.6g PFLOPS" % max(lines.values()))
    check(mp.get("sites_at_own_coordinates") == int(own.sum()) and mp.get("site_markers") == S,
          "map: %d site markers, %d at their own site_lat/site_lon" % (S, own.sum()))
    import json as _json
    mapfile = os.path.join(os.environ.get("CNOPT_MAP_DIR", "/usr/local/share/cnopt/map"), "china.json")
    js = _json.load(open(mapfile, encoding="utf-8"))
    nring = sum(len(p) for ft in js["features"] for p in
                (ft["geometry"]["coordinates"] if ft["geometry"]["type"] == "MultiPolygon"
                 else [ft["geometry"]["coordinates"]]))
    check(mp.get("outline_polygons") == nring and len(js["features"]) >= 34,
          "map: %s outline rings drawn = the %d rings of %d provinces in %s"
          % (mp.get("outline_polygons"), nring, len(js["features"]), mapfile))
    capg = m["link_gbps"][()] * float(f["provenance/scenario"].attrs.get("scale_bandwidth", 1.0))
    load = s["link_load_gbps"][()].reshape(len(capg), T)
    want_u = [float(load[l].max() / capg[l]) if np.isfinite(capg[l]) and capg[l] > 0 else None
              for l in range(len(capg))]
    got_u = mp.get("link_peak_utilisation", [])
    check(len(got_u) == len(want_u) and all((a_ is None and b_ is None) or
                                            (a_ is not None and b_ is not None and close(a_, b_))
                                            for a_, b_ in zip(got_u, want_u))
          and mp.get("backbone_links") == len(capg),
          "map: %d links coloured by peak utilisation = max over periods of load / (Gbps x scale)"
          % len(capg))
    pcd = -f["duals/power_cap"][()].reshape(S, T).sum(axis=1)
    sid = strs(f["site"])
    want_caps = [sid[i] for i in range(S) if pcd[i] >= 0.005]
    check(mp.get("power_cap_binding_sites") == want_caps and mp.get("power_cap_rings") == len(want_caps),
          "map: power cap rings at the %d sites where -sum of /duals/power_cap >= 0.005 yuan: %s"
          % (len(want_caps), want_caps))
    if "map.png" in images:
        for key, n_ in (("east_to_west_colour", len(lines_e)),):
            col = mp.get(key, "#000000").lstrip("#")
            target = np.array([int(col[i:i + 2], 16) for i in (0, 2, 4)])
            npx = int((np.abs(images["map.png"] - target).max(axis=2) <= 3).sum())
            check((npx > 200) == (n_ > 0),
                  "map.png: %d pixels of the east-to-west colour #%s (%d such lines)" % (npx, col, n_))
        # the outline's fill colour covers a good part of the picture
        fill = np.array([0xf3, 0xf1, 0xea])
        share = float((np.abs(images["map.png"] - fill).max(axis=2) <= 2).mean())
        check(share > 0.15, "map.png: %.0f%% of the pixels are the provinces' fill" % (100 * share))

    # capacity shadow prices: one (site x period) panel per type with capacity rows
    cap = m["site_capacity_pflops"][()]
    expansion = int(f["provenance/scenario"].attrs.get("expansion", 0))
    rows = cap > 0
    if expansion:
        for st, c in zip(m["expansion_site"][()], m["expansion_type"][()]):
            rows[st, c] = True
    types = [c for c in range(C) if rows[:, c].any()]
    pc = fig.get("prices_capacity.png", {}).get("panels", [])
    tid = strs(f["type"])
    check([p["type"] for p in pc] == [tid[c] for c in types],
          "capacity heat maps: one panel per type with capacity rows %s" % [tid[c] for c in types])
    dual = f["duals/capacity"][()]
    for p, c in zip(pc, types):
        check(p["shape"] == [S, T], "capacity heat map of %s has shape %s = (sites %d, periods %d)"
              % (tid[c], p["shape"], S, T))
        exp_sum = float(-dual[:, c, :][rows[:, c]].sum())
        check(close(p["sum"], exp_sum, 1e-9, 1e-6),
              "capacity heat map of %s sums to %.8g = -sum of /duals/capacity" % (tid[c], exp_sum))
    # demand shadow prices: region x class, blank where no demand
    pd = fig.get("prices_demand.png", {})
    dem = s["demand_pflops"][()].sum(axis=2)
    check(pd.get("shape") == [R, K] and pd.get("cells_without_demand") == int((dem <= 0).sum()),
          "demand heat map shape %s = (regions %d, classes %d), %s blank cells = pairs without demand"
          % (pd.get("shape"), R, K, pd.get("cells_without_demand")))

    # power: the panels cover every site once; totals are the file's energy figures
    pw = fig.get("power.png", {})
    o = f["objective"]
    grid = float(o["energy_mwh"][()] - o["green_mwh"][()])
    check(close(pw.get("grid_mwh", -1), grid) and close(pw.get("green_mwh", -1), float(o["green_mwh"][()])),
          "power panels sum to /objective: grid %.8g MWh, green %.8g MWh" % (grid, o["green_mwh"][()]))
    hubs_with_sites = len(set(int(h) for h in sh if h >= 0)) + (1 if (sh < 0).any() else 0)
    check(len(pw.get("panels", [])) == hubs_with_sites,
          "power: %d panels = hubs with sites (+ the sites outside hubs)" % hubs_with_sites)

    # utilisation: per-hub average (all types) equals cnopt info's, a C implementation
    info_avg = {}
    lines = open(info).read().splitlines()
    try:
        i0 = next(i for i, l in enumerate(lines) if l.startswith("hub utilisation"))
        for l in lines[i0 + 2:]:
            if not l.strip():
                break
            w = l.split()
            if w[4].endswith("%"):
                info_avg[w[0]] = float(w[4][:-1])
    except StopIteration:
        pass
    ut = {p["group"]: p for p in fig.get("utilisation.png", {}).get("panels", [])}
    hid = strs(f["hub"])
    n = 0
    for h, v in info_avg.items():
        if h in hid:
            n += 1
            got = 100 * ut.get(h, {}).get("avg_all_types", -1)
            check(abs(got - v) <= 0.051, "utilisation of hub %s: average %.2f%% = cnopt info's %.1f%%"
                  % (h, got, v))
    check(n > 0 and n == len([g for g in ut if g != "-"]),
          "utilisation: %d hub panels, as many as cnopt info averages" % n)
    peak = max((p["peak_all_types"] for p in ut.values()), default=0)
    check(peak <= 1 + 1e-6, "no utilisation above 1 (peak %.6f)" % peak)

    # unserved and costs
    un = fig.get("unserved.png", {})
    u = s["u_pflops"][()]
    uc = s["u_class"][()]
    cid = strs(f["class"])
    check(close(un.get("unserved_total", -1), float(u.sum())) and all(
        close(un["unserved_by_class"][cid[k]], float(u[uc == k].sum())) for k in range(K)),
        "unserved: total %.6g and per class = /solution/u_pflops" % u.sum())
    co = fig.get("costs.png", {})
    parts = ("energy", "carbon", "green", "transfer", "unserved", "expansion")
    check(all(close(co["parts"][p], float(o[p + "_yuan"][()])) for p in parts)
          and close(co["total"], float(o["total_yuan"][()])),
          "cost table: the six parts and the total = /objective")
    html = open(os.path.join(d, "report.html"), encoding="utf-8").read()
    tot = "{:,.0f}".format(float(o["total_yuan"][()]))
    em = "{:,.0f}".format(float(o["emissions_tco2"][()]))
    check(tot in html and em in html, "report.html shows the objective %s yuan and emissions %s tCO2"
          % (tot, em))
    # investment (docs/report.md): a MIP's rows = /solution/expansion_modules; an LP says so
    # (the hand-worked MIP's figures: tests/e2e/test_invest.sh)
    if int(f.attrs.get("is_mip", 0)):
        inv = facts.get("investment") or {"rows": []}
        y = f["solution/expansion_modules"][()]
        check(sorted(r["built"] for r in inv["rows"]) == sorted(float(v) for v in y),
              "investment: the report's modules built = /solution/expansion_modules %s" % y.tolist())
    else:
        check(facts.get("investment") is None and "Expansion off: an LP" in html,
              "investment: an LP's report says expansion is off")


def _bins(ndays):
    """Calendar bins as docs/report.md "Seasons" defines them (months from 1 January
    from 90 days, weeks from 14, else days)."""
    if ndays >= 90:
        md = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] * 11
        out = []
        for i, n in enumerate(md):
            out += [i] * n
        return np.array(out[:ndays])
    return np.arange(ndays) // (7 if ndays >= 14 else 1)


def check_seasons(h5, d, info, agg_days=None):
    """seasons.png, binds.png (and rep_days.png for an aggregated model, whose
    representative day c stands for the source days agg_days[c]) against h5py, and
    cnopt info's seasons table against the same numbers."""
    facts = load_facts(d)
    fig = facts["figures"]
    f = h5py.File(h5, "r")
    m, s = f["model"], f["solution"]
    R, S, T, H = len(f["region"]), len(f["site"]), len(f["period"]), len(f["hub"])
    D = T // 24
    w = m["period_weight"][()]
    rz, hz, sh = m["region_zone"][()], m["hub_zone"][()], m["site_hub"][()]
    xr, xs, xt, xp = s["x_region"][()], s["x_site"][()], s["x_period"][()], s["x_pflops"][()]
    e2w_t = np.zeros(T)
    for r, st, t, v in zip(xr, xs, xt, xp):
        if rz[r] == 0 and sh[st] >= 0 and hz[sh[st]] == 1:
            e2w_t[t] += v
    if agg_days is None:
        rday = np.arange(D)
        wd = w.reshape(D, 24).mean(axis=1)
    else:
        nsrc = sum(len(x) for x in agg_days)
        rday, wd = np.zeros(nsrc, int), np.zeros(nsrc)
        for c, days in enumerate(agg_days):
            rday[days] = c
            wd[days] = w[24 * c] / len(days)
    b = _bins(len(rday))
    nb = int(b.max()) + 1
    e2w_d = e2w_t.reshape(D, 24).mean(axis=1)
    want = [sum(wd[i] * e2w_d[rday[i]] for i in range(len(rday)) if b[i] == k) /
            sum(wd[i] for i in range(len(rday)) if b[i] == k) for k in range(nb)]
    se = fig.get("seasons.png", {})
    got = se.get("e2w_avg_pflops", [])
    check(len(got) == nb and all(close(a, b_) for a, b_ in zip(got, want)),
          "seasons: east-to-west flow per %s %s = h5py %s" % (se.get("kind"), np.round(got, 1).tolist(),
                                                             np.round(want, 1).tolist()))
    cap = m["site_capacity_pflops"][()].sum(axis=1)
    load = s["site_load_pflops"][()].reshape(S, -1, T).sum(axis=1)
    pgr, pg = s["pgr_mw"][()].reshape(S, T), s["pg_mw"][()].reshape(S, T)
    hid = strs(f["hub"])
    bad = []
    for h in range(H):
        ss = sh == h
        if not ss.any() or cap[ss].sum() <= 0:
            continue
        ld = load[ss].sum(axis=0).reshape(D, 24).sum(axis=1)
        gr = pgr[ss].sum(axis=0).reshape(D, 24).sum(axis=1)
        en = (pgr[ss] + pg[ss]).sum(axis=0).reshape(D, 24).sum(axis=1)
        for k in range(nb):
            sel = [i for i in range(len(rday)) if b[i] == k]
            u = sum(wd[i] * ld[rday[i]] for i in sel) / sum(wd[i] * cap[ss].sum() * 24 for i in sel)
            g = sum(wd[i] * gr[rday[i]] for i in sel) / sum(wd[i] * en[rday[i]] for i in sel)
            if not close(se.get("utilisation", {}).get(hid[h], [np.nan] * nb)[k], u) or \
                    not close(se.get("green_share", {}).get(hid[h], [np.nan] * nb)[k], g):
                bad.append((hid[h], k))
    check(not bad and se.get("utilisation"), "seasons: utilisation and green share of every hub "
          "per %s = h5py" % se.get("kind"), bad)
    # binds: fraction of binding rows per (day, hour)
    bd = fig.get("binds.png", {})
    pcap = m["site_power_cap_mw"][()]
    dual = f["duals/power_cap"][()].reshape(S, T)[np.isfinite(pcap)]
    want_sum = float((np.abs(dual) >= 1e-6).mean(axis=0).sum()) if dual.size else 0.0
    check(bd.get("shape") == [D, 24] and close(bd.get("sum", {}).get("power cap", -1), want_sum),
          "binds: heat map (%d days x 24 h); power-cap fractions sum to %.6g = h5py" % (D, want_sum))
    # cnopt info: the seasons table's east-to-west column (a C implementation); only for
    # a calendar of the result's own days
    if agg_days is None and info:
        lines = open(info).read().splitlines()
        try:
            i0 = next(i for i, l in enumerate(lines) if l.startswith("seasons ("))
            rows = [l.split() for l in lines[i0 + 4:i0 + 4 + nb]]
            uhub = lines[i0 + 2].split()[4:]
            ok_ = len(rows) == nb
            for k, r in enumerate(rows):
                # label is one word (month) or two (week N / day N)
                off = 1 if r[0] in ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
                                    "Oct", "Nov", "Dec") else 2
                e = r[off + 1]
                mult = {"k": 1e3, "M": 1e6, "bn": 1e9}
                num = float(e.rstrip("kMbn")) * next((v for k_, v in mult.items() if e.endswith(k_)), 1)
                ok_ &= abs(num - want[k]) <= 0.005 * max(1.0, want[k])
                for j, hh in enumerate(uhub):
                    cell = r[off + 3 + j]
                    if cell != "-":
                        ok_ &= abs(float(cell[:-1]) - 100 * se["utilisation"][hh][k]) <= 0.051
            check(ok_, "cnopt info's seasons table: %d rows, east-to-west and hub utilisation = "
                  "the report's" % nb, "\n".join(lines[i0:i0 + 4 + nb]))
        except StopIteration:
            check(False, "cnopt info prints a seasons table")
    if agg_days is not None:
        rd = fig.get("rep_days.png", {})
        check(rd.get("source_days") == sum(len(x) for x in agg_days) and
              [r["days"] for r in rd.get("rep", [])] == [len(x) for x in agg_days] and
              all(close(r["weight"], w[24 * c]) for c, r in enumerate(rd.get("rep", []))),
              "rep_days: %d representative days standing for %s days, weights = /model/period_weight"
              % (len(agg_days), [len(x) for x in agg_days]), rd)
        png_checks(d, ["rep_days.png"])
    png_checks(d, ["seasons.png", "binds.png"])


def check_scenarios(paths, d):
    """scenarios.png of N results: one column per result, its numbers = h5py's."""
    facts = load_facts(d)
    sc = facts["figures"].get("scenarios.png", {})
    check([os.path.abspath(p) for p in sc.get("paths", [])] == [os.path.abspath(p) for p in paths],
          "scenarios: the %d results, in order" % len(paths), sc.get("paths"))
    bad = []
    for i, p in enumerate(paths):
        f = h5py.File(p, "r")
        o, m, s = f["objective"], f["model"], f["solution"]
        w = m["period_weight"][()]
        rz, hz, sh = m["region_zone"][()], m["hub_zone"][()], m["site_hub"][()]
        xr, xs, xt, xp = s["x_region"][()], s["x_site"][()], s["x_period"][()], s["x_pflops"][()]
        sel = (rz[xr] == 0) & (sh[xs] >= 0) & (hz[np.maximum(sh[xs], 0)] == 1)
        want = {"objective_yuan": float(o["total_yuan"][()]), "emissions_tco2": float(o["emissions_tco2"][()]),
                "green_share": float(o["green_mwh"][()] / o["energy_mwh"][()]),
                "e2w_avg_pflops": float((xp[sel] * w[xt[sel]]).sum() / w.sum())}
        got = sc.get("numbers", [{}] * len(paths))[i] if i < len(sc.get("numbers", [])) else {}
        for k, v in want.items():
            if not close(got.get(k, np.nan), v):
                bad.append((i, k, got.get(k), v))
    check(not bad and len(paths) >= 2, "scenarios: objective, emissions, green share and east-to-west "
          "flow of each of the %d = h5py" % len(paths), bad)
    png_checks(d, ["scenarios.png"])


def check_compare(a_h5, b_h5, d):
    facts = load_facts(d)
    fig = facts["figures"]
    check("compare.png" in fig and facts.get("compare"), "figures.json has compare.png")
    png_checks(d, ["compare.png"])
    html = html_checks(d, facts)
    a, b = h5py.File(a_h5, "r"), h5py.File(b_h5, "r")
    c = fig.get("compare.png", {})
    dobj = float(b["objective/total_yuan"][()] - a["objective/total_yuan"][()])
    dem = float(b["objective/emissions_tco2"][()] - a["objective/emissions_tco2"][()])
    check(close(c.get("delta_objective", 1e300), dobj) and close(c.get("delta_emissions", 1e300), dem),
          "compare: objective %+.6g yuan and emissions %+.6g tCO2 = B - A" % (dobj, dem))
    cpa = a["provenance/scenario"].attrs["carbon_price"]
    cpb = b["provenance/scenario"].attrs["carbon_price"]
    want = "scenario carbon_price: %s -> %s" % (float(cpa), float(cpb))
    check(c.get("input_differences") == [want], "compare names the one input difference: %s" % want,
          c.get("input_differences"))
    check("A versus B" in html and "{:,.0f}".format(float(b["objective/total_yuan"][()])) in html,
          "report.html has the side-by-side table with B's objective")


def check_noduals(d):
    facts = load_facts(d)
    check(set(facts["skipped"]) == {"prices_capacity", "prices_demand", "binds", "rep_days"}
          and "map.png" in facts["figures"] and "seasons.png" in facts["figures"],
          "without /duals: the price heat maps and the binds heat map are skipped (rep_days: not "
          "aggregated), the rest drawn", facts["skipped"])
    html = open(os.path.join(d, "report.html"), encoding="utf-8").read()
    check(html.count("Not drawn: prices_") == 2 and "Not drawn: binds" in html,
          "report.html says which figures were not drawn")


def check_sweep(h5, d):
    facts = load_facts(d)
    f = h5py.File(h5, "r")
    st = strs(f["tasks/status"])
    obj = f["tasks/objective"][()]
    ok = np.array([s in ("optimal", "feasible") for s in st]) & np.isfinite(obj)
    keys = [k if isinstance(k, str) else k.decode() for k in f.attrs["sweep_keys"]]
    check(keys == facts["params"], "sweep: parameters %s = the root attribute sweep_keys" % keys,
          facts["params"])
    cp = f["tasks/carbon_price"][()]
    bw = f["tasks/scale.bandwidth"][()]
    check(facts["kind"] == "sweep" and facts["tasks"] == len(st) and facts["solved"] == int(ok.sum()),
          "sweep: %d tasks, %d solved" % (len(st), ok.sum()))
    bad = sorted(int(i) for i in f["tasks/task"][()][~ok])
    check(sorted(x["task"] for x in facts["not_solved"]) == bad,
          "sweep: the tasks without a result are named: %s" % bad)
    ce = facts["figures"].get("sweep_cost_emissions.png", {})
    ub = facts["figures"].get("sweep_unserved_bandwidth.png", {})
    check(ce.get("curves") == len(set(bw[ok])) and ce.get("points") == int(ok.sum()),
          "cost vs emissions: one curve per bandwidth scale (%d), one point per solved task (%d)"
          % (len(set(bw[ok])), ok.sum()), ce)
    check(ub.get("curves") == len(set(cp[ok])) and ub.get("points") == int(ok.sum()),
          "unserved vs bandwidth: one curve per carbon price (%d), one point per solved task"
          % len(set(cp[ok])), ub)
    png_checks(d, ["sweep_cost_emissions.png", "sweep_unserved_bandwidth.png"])
    html = html_checks(d, facts)
    res = [os.path.join(os.path.dirname(os.path.abspath(h5)), r) for r in strs(f["tasks/result"])] \
        if "result" in f["tasks"] else []
    res = [r for r, o in zip(res, ok) if o and os.path.isfile(r)]
    if len(res) >= 2:
        check_scenarios(res, d)
    else:
        check("scenarios" in facts["skipped"], "sweep without result files: no scenarios figure")
    check(all(("task %d: " % i) in html for i in bad), "report.html lists the missing/failed tasks")
    # the build plan across the sweep (docs/sweeps.md): the summary's [task, expansion] table
    t = f["tasks"]
    if "expansion_modules" in t:
        m = t["expansion_modules"][()]
        bp = facts.get("build_plan") or {}
        same = bp.get("expansion") == strs(t["expansion"]) and np.array_equal(
            np.array([[np.nan if v is None else v for v in row] for row in bp.get("modules", [])], float)
            .reshape(m.shape), m, equal_nan=True)
        check(same and "Build plan across the sweep" in html,
              "sweep: the build plan table = /tasks/expansion_modules (%d tasks x %d rows)" % m.shape)
    else:
        check(facts.get("build_plan") is None and "Build plan across the sweep" not in html,
              "sweep: no build plan per expansion row in the summary, none on the page")


def main():
    mode = sys.argv[1]
    if mode == "result":
        check_result(*sys.argv[2:5])
    elif mode == "compare":
        check_compare(*sys.argv[2:5])
    elif mode == "noduals":
        check_noduals(sys.argv[2])
    elif mode == "sweep":
        check_sweep(*sys.argv[2:4])
    elif mode == "scenarios":
        check_scenarios(sys.argv[3:], sys.argv[2])
    elif mode == "seasons":
        check_seasons(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
    elif mode == "seasons-agg":
        # SCENARIO.yaml header of cnopt aggregate: which source days each day stands for
        days = []
        for line in open(sys.argv[4]):
            mm = re.match(r"^#\s+day \d+ .* for days ([0-9,\-]+)$", line.rstrip())
            if mm:
                ds = []
                for part in mm.group(1).split(","):
                    a_, _, b_ = part.partition("-")
                    ds += list(range(int(a_), int(b_ or a_) + 1))
                days.append(ds)
        check_seasons(sys.argv[2], sys.argv[3], None, days)
    elif mode == "screenshot":
        png = sys.argv[2]
        imgs = png_checks(os.path.dirname(png), [os.path.basename(png)])
        if imgs:
            # tiles of 1500 rows a person can look at one by one (blank tail left out)
            import matplotlib.image as mpimg
            rgb = list(imgs.values())[0]
            n = 0
            for i in range(0, rgb.shape[0], 1500):
                tile = rgb[i:i + 1500]
                if (tile.sum(axis=2) < 3 * 250).mean() > 0.005:
                    mpimg.imsave("%s-tile%02d.png" % (png[:-4], i // 1500), tile.astype(np.uint8))
                    n += 1
            check(n >= 1, "%s: %d tiles with content written beside it" % (os.path.basename(png), n))
    else:
        raise SystemExit("unknown mode " + mode)
    sys.exit(0 if all(RESULTS) else 1)


if __name__ == "__main__":
    main()
