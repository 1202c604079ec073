"""N results side by side (docs/report.md, "N scenarios"): `--compare B.h5 C.h5 ...`
with two or more others, and the solved tasks of a sweep summary whose result files
are beside it.  A table of the headline numbers of every scenario and one figure."""

import re

import numpy as np

from .data import COST_PARTS
from .figures import E2W_COLOUR, GREEN_COLOUR, PART_COLOUR, plt, save

_DIFF = re.compile(r"^scenario (\S+): (.*) -> (.*)$")


def label_of(base, r, diffs):
    """A short label: what differs from the first scenario (key=value, ...), else the name."""
    kv = []
    for d in diffs:
        m = _DIFF.match(d)
        if m:
            kv.append("%s=%s" % (m.group(1), m.group(3)))
        else:
            kv.append(d.split(":")[0])
    if r is base:
        return "%s (base)" % base.name
    return ", ".join(kv[:3]) + (", ..." if len(kv) > 3 else "") if kv else r.name


def numbers(r):
    """Headline numbers of one result (the same definitions as data.Result.metrics)."""
    d = float(r.demand.sum())
    F = r.flows()
    e2w = float(F[r.east_to_west()].sum())
    east = float(F[r.region_zone == 0, :].sum())
    wsum = float(r.w.sum()) or 1.0
    sel = r.east_to_west()[r.x_region, r.x_site]
    e2w_avg = float((r.x_pflops[sel] * r.w[r.x_period[sel]]).sum() / wsum)
    return {"objective_yuan": r.obj["total"],
            "parts_yuan": {p: r.obj[p] for p in COST_PARTS},
            "emissions_tco2": r.emissions,
            "green_share": r.green_mwh / r.energy_mwh if r.energy_mwh else float("nan"),
            "unserved_share": float(r.unserved.sum()) / d if d else float("nan"),
            "e2w_avg_pflops": e2w_avg,
            "e2w_share": e2w / east if east else float("nan")}


def fig_scenarios(results, labels, outdir, dpi):
    n = len(results)
    nums = [numbers(r) for r in results]
    x = np.arange(n)
    fig, axes = plt.subplots(2, 2, figsize=(max(11, 0.7 * n + 6), 8.5), sharex=True)
    (a1, a2), (a3, a4) = axes
    scale = 1e9 if max(abs(v["objective_yuan"]) for v in nums) >= 1e9 else 1e6
    unit = "billion yuan" if scale == 1e9 else "million yuan"
    bottom = np.zeros(n)
    for p in COST_PARTS:
        v = np.array([u["parts_yuan"][p] for u in nums]) / scale
        a1.bar(x, v, bottom=bottom, color=PART_COLOUR[p], label=p)
        bottom += v
    a1.set_ylabel(unit)
    a1.set_title("Objective by part")
    a1.legend(fontsize=7, ncol=3)
    a2.bar(x, [u["emissions_tco2"] / 1e6 for u in nums], color="#636363")
    a2.set_ylabel("million tCO2")
    a2.set_title("Emissions over the weighted horizon")
    a3.plot(x, [100 * u["green_share"] for u in nums], "o-", color=GREEN_COLOUR, label="green share of energy")
    a3.plot(x, [100 * u["unserved_share"] for u in nums], "s-", color="#de2d26", label="unserved share of demand")
    a3.set_ylabel("%")
    a3.set_title("Green share and unserved share")
    a3.legend(fontsize=7)
    a4.bar(x, [u["e2w_avg_pflops"] for u in nums], color=E2W_COLOUR)
    a4.set_ylabel("average PFLOPS")
    a4.set_title("East-to-west flow")
    for ax in (a3, a4):
        ax.set_xticks(x)
        ax.set_xticklabels(labels, rotation=35 if n > 3 else 0, ha="right" if n > 3 else "center",
                           fontsize=7)
    for ax in (a1, a2, a3, a4):
        ax.grid(True, axis="y", color="#eeeeee")
    fig.tight_layout()
    name = save(fig, outdir, "scenarios.png", dpi)
    return {"file": name, "title": "%d scenarios side by side" % n,
            "caption": ("The objective by part, emissions, green share of energy, unserved share of "
                        "demand and east-to-west flow (average PFLOPS over the weighted horizon) of "
                        "each scenario; labels say what differs from the first."),
            "facts": {"labels": labels, "paths": [r.path for r in results], "numbers": nums}}


def add_to_page(page, results, outdir, dpi, input_differences, fnum):
    """The N-scenario section; returns the figure record."""
    base = results[0]
    diffs = [input_differences(base, r) for r in results]
    labels = [label_of(base, r, d) for r, d in zip(results, diffs)]
    page.h2("%d scenarios" % len(results))
    nums = [numbers(r) for r in results]
    rows = []
    for lab, key, unit in (("objective", "objective_yuan", "yuan"), ("emissions", "emissions_tco2", "tCO2"),
                           ("green share of energy", "green_share", "1"),
                           ("unserved share", "unserved_share", "1"),
                           ("east-to-west flow (average PFLOPS)", "e2w_avg_pflops", "PFLOPS"),
                           ("east-to-west share of east-region placements", "e2w_share", "1")):
        rows.append([lab] + [fnum(u[key], unit) for u in nums])
    page.table([""] + labels, rows)
    from .invest import plan_table
    plan = plan_table(page, results, labels)
    page.p("What differs from the first (%s, %s):" % (base.name, base.path))
    page.ul(["%s: %s" % (lab, "; ".join(d) if d else "nothing") for lab, d in zip(labels[1:], diffs[1:])])
    fig = fig_scenarios(results, labels, outdir, dpi)
    fig["facts"]["input_differences"] = diffs
    fig["facts"]["build_plan"] = plan
    page.figure(outdir, fig)
    return fig
