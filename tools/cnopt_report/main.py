"""cnopt-report: figures and a self-contained report.html from a cnopt result file
or a sweep summary.  docs/report.md describes every figure and the summary format."""

import argparse
import json
import os
import sys
import time

from .data import (COST_PARTS, EX_CANTCREAT, EX_IOERR, EX_SOFTWARE, EX_USAGE, ReportError,
                   load_result, load_sweep, open_file)

USAGE_EPILOG = """\
The input is either a result file of `cnopt solve` (docs/hdf5-schema.md) or a sweep
summary of `cnopt sweep JOB.yaml --collect` (root attribute kind = "cnopt-sweep-summary",
format in docs/report.md); the report drawn depends on which.

Writes into DIR (created if missing): one PNG per figure, report.html (every figure
embedded, nothing external), figures.json (counts and sums of what was drawn).

exit codes: 0 written, 64 usage, 65 not a result or summary (or incomplete),
  66 input missing, 70 internal failure, 73 DIR cannot be created, 74 write error
"""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        sys.stderr.write("cnopt-report: %s\n" % message)
        sys.exit(EX_USAGE)


def parse(argv):
    p = Parser(prog="cnopt-report", description="Figures and an HTML report of a cnopt result.",
               epilog=USAGE_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input", metavar="FILE.h5", help="result file or sweep summary")
    p.add_argument("-o", "--output", metavar="DIR", required=True, help="output directory")
    p.add_argument("--compare", metavar="OTHER.h5", nargs="+",
                   help="one result (B) to set beside FILE.h5 (A): table and difference figure; "
                        "two or more: the N scenarios side by side")
    p.add_argument("--dpi", type=int, default=100, help="resolution of the PNGs (default 100)")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    a = p.parse_args(argv)
    if not 30 <= a.dpi <= 600:
        p.error("--dpi must be within 30..600")
    return a


def make_outdir(d):
    try:
        os.makedirs(d, exist_ok=True)
    except OSError as e:
        raise ReportError(EX_CANTCREAT, "cannot create %s: %s" % (d, e)) from None
    if not os.access(d, os.W_OK | os.X_OK):
        raise ReportError(EX_CANTCREAT, "cannot write into %s" % d)


def fnum(v, unit):
    if v != v:   # NaN
        return "-"
    if unit == "1":
        return "%.2f%%" % (100 * v)
    if abs(v) >= 100:
        return "{:,.0f}".format(v)
    return "%.6g" % v


def periods_text(r):
    """The horizon: uniform weight, or the range of the weights of periods.csv."""
    lo, hi = float(r.w.min()), float(r.w.max())
    if lo == hi:
        return "%d x %g h, weight %g" % (r.nper, r.period_hours, lo)
    return "%d x %g h, weights %.6g to %.6g (periods.csv), %.6g h in all" % (
        r.nper, r.period_hours, lo, hi, float(r.w.sum()) * r.period_hours)


def result_report(args, page_cls, log):
    from . import figures as F
    a = load_result(args.input)
    others = [load_result(p) for p in (args.compare or [])]
    b = others[0] if len(others) == 1 else None
    out = args.output
    diffs = None
    if b:
        from . import compare as CMP
        diffs = CMP.input_differences(a, b)
        if a.name == b.name:   # say what differs, not "base vs base"
            a.name = "%s [%s]" % (a.name, os.path.basename(a.path))
            b.name = "%s [%s]" % (b.name, os.path.basename(b.path))
    title = "cnopt report: %s" % a.name
    if b:
        title += " vs %s" % b.name
        if diffs and a.name.split(" [")[0] == b.name.split(" [")[0]:
            title += " (%s%s)" % (diffs[0], ", ..." if len(diffs) > 1 else "")
    page = page_cls(title)
    page.h1(title)
    sc = a.scenario
    page.table(["", "A" if b else "value"] + (["B"] if b else []), [
        [k, va] + ([vb] if b else []) for k, va, vb in (
            ("file", a.path, b.path if b else ""),
            ("scenario", a.name, b.name if b else ""),
            ("description", sc.get("description", ""), b.scenario.get("description", "") if b else ""),
            ("status", a.status, b.status if b else ""),
            ("solver", "%s, %d iterations, %.1f s, %d rank(s)" % (a.method, a.iterations,
                                                                 a.solve_seconds, a.ranks),
             "%s, %d iterations, %.1f s, %d rank(s)" % (b.method, b.iterations, b.solve_seconds,
                                                        b.ranks) if b else ""),
            ("gap", "%.3g" % a.gap, "%.3g" % b.gap if b else ""),
            ("periods", periods_text(a), periods_text(b) if b else ""),
            ("carbon price (yuan/tCO2)", sc.get("carbon_price", ""),
             b.scenario.get("carbon_price", "") if b else ""),
            ("written", a.created, b.created if b else ""),
        )])
    figs, skipped = [], {}

    page.h2("Cost parts and emissions" + (" (A: %s)" % a.name if b else ""))
    tot = a.obj["total"]
    rows = [["objective", fnum(tot, "yuan"), "yuan", "100.00%"]]
    for p in COST_PARTS:
        rows.append(["  " + p, fnum(a.obj[p], "yuan"), "yuan", fnum(a.obj[p] / tot if tot else
                                                                       float("nan"), "1")])
    for lab, v, unit in a.metrics()[1 + len(COST_PARTS):]:
        rows.append([lab, fnum(v, unit), "" if unit == "1" else unit, ""])
    page.table(["", "value", "unit", "share of objective"], rows)

    if b:
        from . import compare as CMP
        page.h2("A versus B")
        page.p("A = %s (%s); B = %s (%s)." % (a.name, a.path, b.name, b.path))
        rows = [[r["label"], fnum(r["a"], r["unit"]), fnum(r["b"], r["unit"]),
                 (fnum(r["diff"], r["unit"]) if r["unit"] != "1" else "%+.2f points" % (100 * r["diff"])
                  if r["diff"] == r["diff"] else "-"),
                 "%+.2f%%" % (100 * r["rel"]) if r["rel"] == r["rel"] else "",
                 "" if r["unit"] == "1" else r["unit"]]
                for r in CMP.metric_rows(a, b)]
        page.table(["", "A", "B", "B - A", "change", "unit"], rows)
        page.p("What differs in the inputs:")
        page.ul(diffs if diffs else ["nothing: the same scenario parameters and model tables"])
        fig = CMP.fig_compare(a, b, out, args.dpi)
        fig["facts"]["input_differences"] = diffs
        figs.append(fig)
        page.figure(out, fig)
        log("wrote %s" % fig["file"])
    if len(others) > 1:
        from . import compare as CMP
        from . import scenarios as SC
        fig = SC.add_to_page(page, [a] + others, out, args.dpi, CMP.input_differences, fnum)
        figs.append(fig)
        log("wrote %s" % fig["file"])
    from . import invest as INV
    invest_facts = INV.add_to_page(page, a)
    if b:
        plan = INV.plan_table(page, [a, b], ["A: %s" % a.name, "B: %s" % b.name])
        if plan and invest_facts is not None:
            invest_facts["compare"] = plan
    from . import planner as PL
    planner_facts = PL.add_to_page(page, a)
    if b:
        page.h2("Figures of A: %s" % a.name)
    else:
        page.h2("Figures")

    for fn in F.ALL:
        t0 = time.time()
        fig = fn(a, out, args.dpi)
        if fig is None:
            skipped[fn.__name__[4:]] = F.SKIPPED_WHY.get(fn.__name__, "nothing to draw")
            page.p("Not drawn: %s (%s)." % (fn.__name__[4:], skipped[fn.__name__[4:]]), "note")
            continue
        figs.append(fig)
        page.figure(out, fig)
        log("wrote %s (%.1f s)" % (fig["file"], time.time() - t0))
    from . import seasons as SE
    if SE.applies(a) is None:
        page.h2("The seasons")
    for fn in SE.ALL:
        fig, why = fn(a, out, args.dpi)
        if fig is None:
            skipped[fn.__name__[4:]] = why
            if SE.applies(a) is None:
                page.p("Not drawn: %s (%s)." % (fn.__name__[4:], why), "note")
            continue
        figs.append(fig)
        page.figure(out, fig)
        log("wrote %s" % fig["file"])
    page.p("Made by tools/cnopt-report from %s%s. Definitions: docs/report.md, "
           "docs/hdf5-schema.md, docs/model.md." % (a.path, " and " + b.path if b else ""), "note")
    return page, {"kind": "result", "input": a.path,
                  "compare": b.path if b else ([o.path for o in others] if others else None),
                  "scenario": a.name, "sizes": {"regions": a.R, "hubs": a.H, "sites": a.S,
                                                "types": a.C, "classes": a.K, "periods": a.nper},
                  "figures": {f["file"]: f["facts"] for f in figs}, "skipped": skipped,
                  "planner": planner_facts, "investment": invest_facts}


def sweep_report(args, page_cls, log):
    from . import sweep as SW
    sw = load_sweep(args.input)
    out = args.output
    page = page_cls("cnopt sweep report: %s" % sw.name)
    page.h1("cnopt sweep report: %s" % sw.name)
    ok = sw.ok()
    page.p("Summary %s (job %s, base scenario %s): %d tasks, %d solved, sweep parameters: %s."
           % (sw.path, sw.job or sw.name, sw.scenario or "-", sw.n, int(ok.sum()),
              ", ".join(sw.keys) or "none"))
    if sw.description:
        page.p(sw.description)
    bad = [(int(sw.index[i]), sw.status[i], sw.note[i]) for i in range(sw.n) if not ok[i]]
    if bad:
        page.p("Tasks without a usable result (left out of the curves):")
        page.ul(["task %d: %s%s" % (i, s, (" - " + m) if m else "") for i, s, m in bad])
    figs, skipped = [], {}
    for fn in (SW.fig_cost_emissions, SW.fig_unserved_bandwidth):
        fig, why = fn(sw, out, args.dpi)
        name = fn.__name__[4:]
        if fig is None:
            skipped[name] = why
            page.p("Not drawn: %s (%s)." % (name, why), "note")
            continue
        figs.append(fig)
        page.figure(out, fig)
        log("wrote %s" % fig["file"])
    # the solved tasks whose result files are beside the summary: N scenarios side by side
    paths = [os.path.join(os.path.dirname(os.path.abspath(sw.path)), sw.result[i])
             for i in range(sw.n) if ok[i] and sw.result[i]]
    paths = [p for p in paths if os.path.isfile(p)]
    if len(paths) >= 2:
        from . import compare as CMP
        from . import scenarios as SC
        try:
            results = [load_result(p) for p in paths]
        except ReportError as e:
            page.p("Not drawn: scenarios (%s)." % e, "note")
            skipped["scenarios"] = str(e)
        else:
            fig = SC.add_to_page(page, results, out, args.dpi, CMP.input_differences, fnum)
            figs.append(fig)
            log("wrote %s" % fig["file"])
    else:
        skipped["scenarios"] = "fewer than two solved tasks with their result files beside the summary"
    from . import invest as INV
    plan = INV.sweep_table(page, sw)
    page.h2("Tasks")
    rows = SW.task_rows(sw)
    if rows:
        hdr = list(rows[0].keys())
        page.table(hdr, [[r[h] for h in hdr] for r in rows])
    return page, {"kind": "sweep", "input": sw.path, "tasks": sw.n, "solved": int(ok.sum()),
                  "params": sw.keys,
                  "not_solved": [{"task": i, "status": s} for i, s, _ in bad],
                  "build_plan": plan,
                  "figures": {f["file"]: f["facts"] for f in figs}, "skipped": skipped}


def run(argv):
    args = parse(argv)

    def log(msg):
        if not args.quiet:
            print("cnopt-report: " + msg, flush=True)
    kind, f = open_file(args.input)
    f.close()
    if kind == "sweep" and args.compare:
        raise ReportError(EX_USAGE, "--compare takes two result files, %s is a sweep summary"
                          % args.input)
    make_outdir(args.output)
    from .page import Page
    if kind == "sweep":
        page, facts = sweep_report(args, Page, log)
    else:
        page, facts = result_report(args, Page, log)
    try:
        page.write(os.path.join(args.output, "report.html"))
        facts["files"] = sorted(list(facts["figures"]) + ["report.html"])
        tmp = os.path.join(args.output, "figures.json.tmp")
        with open(tmp, "w") as fh:
            json.dump(facts, fh, indent=1, sort_keys=True, default=float)
        os.replace(tmp, os.path.join(args.output, "figures.json"))
    except OSError as e:
        raise ReportError(EX_IOERR, "writing into %s: %s" % (args.output, e)) from None
    log("wrote %s (%d figures)" % (os.path.join(args.output, "report.html"), len(facts["figures"])))
    return 0


def main(argv=None):
    try:
        return run(sys.argv[1:] if argv is None else argv)
    except ReportError as e:
        sys.stderr.write("cnopt-report: %s\n" % e)
        return e.code
    except OSError as e:
        sys.stderr.write("cnopt-report: %s\n" % e)
        return EX_IOERR
    except Exception:  # noqa: BLE001 - an internal failure: traceback and exit 70
        import traceback
        traceback.print_exc()
        return EX_SOFTWARE
