#!/usr/bin/python3
"""Checks of tools/cnopt-report's output against an independent h5py computation
(used by tests/e2e/test_report.sh).  Prints "ok - ..." / "not ok - ..." lines.

  report_check.py result  RESULT.h5 DIR INFO.txt   one result's report
  report_check.py compare A.h5 B.h5 DIR            the --compare report
  report_check.py noduals DIR                      a report of a file without /duals
  report_check.py sweep   SUMMARY.h5 DIR           a sweep summary's report

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

    # map: one line per (region, site) pair with positive placement
    xr, xs, xp = s["x_region"][()], s["x_site"][()], s["x_pflops"][()]
    pairs = {}
    for r, st, v in zip(xr, xs, xp):
        pairs[(int(r), int(st))] = pairs.get((int(r), int(st)), 0.0) + float(v)
    pos = {k for k, v in pairs.items() if v > 0}
    rz, hz, sh = m["region_zone"][()], m["hub_zone"][()], m["site_hub"][()]
    e2w = {(r, st) for r, st in pos if rz[r] == 0 and sh[st] >= 0 and hz[sh[st]] == 1}
    mp = fig.get("map.png", {})
    check(mp.get("flow_lines") == len(pos) and len(pos) > 0,
          "map: %s flow lines drawn = %d region-site pairs with positive flow"
          % (mp.get("flow_lines"), len(pos)))
    check(mp.get("flow_lines_east_to_west") == len(e2w),
          "map: %s east-to-west lines = %d pairs east-zone region -> west-zone hub site"
          % (mp.get("flow_lines_east_to_west"), len(e2w)))
    vol = sum(pairs[k] for k in e2w)
    check(close(mp.get("flow_volume_east_to_west", -1), vol) and close(mp.get("flow_volume", -1), xp.sum()),
          "map: east-to-west volume %.6g and total %.6g PFLOPS-periods" % (vol, xp.sum()))
    check(mp.get("backbone_links") == len(f["link"]) and mp.get("site_markers") == S
          and mp.get("region_points") == R,
          "map: %d backbone links, %d site markers, %d region points" % (len(f["link"]), S, R))
    if "map.png" in images:
        col = mp.get("east_to_west_colour", "#000000").lstrip("#")
        target = np.array([int(col[i:i + 2], 16) for i in (0, 2, 4)])
        npx = int((np.abs(images["map.png"] - target).max(axis=2) <= 3).sum())
        check((npx > 200) == (len(e2w) > 0),
              "map.png: %d pixels of the east-to-west colour #%s (%d such flows)" % (npx, col, len(e2w)))

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
    check(set(facts["skipped"]) == {"prices_capacity", "prices_demand"}
          and "map.png" in facts["figures"],
          "without /duals: the two price heat maps are skipped, the rest drawn", facts["skipped"])
    html = open(os.path.join(d, "report.html"), encoding="utf-8").read()
    check(html.count("Not drawn: prices_") == 2, "report.html says which figures were not drawn")


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
    check(all(("task %d: " % i) in html for i in bad), "report.html lists the missing/failed tasks")


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
    else:
        raise SystemExit("unknown mode " + mode)
    sys.exit(0 if all(RESULTS) else 1)


if __name__ == "__main__":
    main()
