#!/usr/bin/python3
"""The four figures of an aggregation-error table, from cnopt result files.

usage: aggregation_metrics.py OUT.h5            -- print one line of the figures
       aggregation_metrics.py FULL.h5 AGG.h5    -- print the errors of AGG against FULL
       aggregation_metrics.py --table FULL.h5 LABEL=AGG.h5 ...
                                               -- a markdown table (docs/time.md)

Figures (all over the weighted horizon, docs/time.md "Aggregation error"):
  objective_yuan   root attribute objective
  emissions_tco2   /objective/emissions_tco2
  green_share      /objective/green_mwh / /objective/energy_mwh
  e2w_pflops_h     east-to-west flow: sum of w(t) * period_hours * x_pflops over
                   placements of east-zone regions at sites of west-zone hubs
                   (the placement `cnopt info` counts, here weighted so that a
                   representative day counts as many times as it recurs)
Needs h5py (Debian python3-h5py; run with /usr/bin/python3).
"""
import sys

import h5py
import numpy as np


def figures(path):
    with h5py.File(path, "r") as f:
        o, m, s = f["objective"], f["model"], f["solution"]
        ph = float(f["provenance/scenario"].attrs["period_hours"])
        w = m["period_weight"][:]
        rz, hub, hz = m["region_zone"][:], m["site_hub"][:], m["hub_zone"][:]
        xr, xs, xt, xv = (s[k][:] for k in ("x_region", "x_site", "x_period", "x_pflops"))
        west_hub = np.array([h >= 0 and hz[h] == 1 for h in hub], dtype=bool)
        sel = (rz[xr] == 0) & west_hub[xs] if len(xv) else np.zeros(0, dtype=bool)
        e2w = float(np.sum(w[xt[sel]] * ph * xv[sel]))
        energy = float(o["energy_mwh"][()])
        return {
            "objective_yuan": float(f.attrs["objective"]),
            "emissions_tco2": float(o["emissions_tco2"][()]),
            "green_share": float(o["green_mwh"][()]) / energy if energy else 0.0,
            "e2w_pflops_h": e2w,
            "periods": len(w),
            "solve_seconds": float(f["solver"].attrs["solve_seconds"]),
            "status": f.attrs["status"].decode() if isinstance(f.attrs["status"], bytes)
            else str(f.attrs["status"]),
        }


def rel(a, b):
    return 100.0 * (a - b) / abs(b) if b else 0.0


def main(argv):
    if len(argv) == 2:
        g = figures(argv[1])
        print("objective_yuan %.17g emissions_tco2 %.17g green_share %.17g e2w_pflops_h %.17g "
              "periods %d solve_seconds %.3f status %s" % (
                  g["objective_yuan"], g["emissions_tco2"], g["green_share"], g["e2w_pflops_h"],
                  g["periods"], g["solve_seconds"], g["status"]))
        return 0
    if len(argv) == 3:
        full, agg = figures(argv[1]), figures(argv[2])
        print("objective %+.3f%% emissions %+.3f%% green_share %+.3f pp e2w %+.3f%%" % (
            rel(agg["objective_yuan"], full["objective_yuan"]),
            rel(agg["emissions_tco2"], full["emissions_tco2"]),
            100.0 * (agg["green_share"] - full["green_share"]),
            rel(agg["e2w_pflops_h"], full["e2w_pflops_h"])))
        return 0
    if len(argv) >= 3 and argv[1] == "--table":
        full = figures(argv[2])
        print("| days | method | periods | solve s | objective (yuan) | error | emissions (tCO2)"
              " | error | green share | error (pp) | east-to-west (PFLOPS-h) | error |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|")
        rows = [("full", "-", full)] + [
            tuple(a.split("=", 1)[0].split(":", 1)) + (figures(a.split("=", 1)[1]),)
            for a in argv[3:]]
        for days, meth, g in rows:
            print("| %s | %s | %d | %.1f | %.6g | %+.2f%% | %.6g | %+.2f%% | %.2f%% | %+.2f | %.6g"
                  " | %+.2f%% |" % (
                      days, meth, g["periods"], g["solve_seconds"], g["objective_yuan"],
                      rel(g["objective_yuan"], full["objective_yuan"]), g["emissions_tco2"],
                      rel(g["emissions_tco2"], full["emissions_tco2"]), 100 * g["green_share"],
                      100 * (g["green_share"] - full["green_share"]), g["e2w_pflops_h"],
                      rel(g["e2w_pflops_h"], full["e2w_pflops_h"])))
        return 0
    sys.stderr.write(__doc__)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv))
