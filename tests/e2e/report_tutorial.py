#!/usr/bin/python3
"""Helper of tests/e2e/test_tutorial.sh.

  report_tutorial.py blocks TUTORIAL.md OUTDIR
      Writes every fenced ```sh block of TUTORIAL.md to OUTDIR/NN.sh and a manifest
      OUTDIR/blocks.tsv: NN <tab> line <tab> marker <tab> first command.  A marker is
      an HTML comment `<!-- test: WORD -->` on the last non-blank line before the
      fence; WORD is skip-if-no-sweep or skip-if-no-slurm.  Refuses (exit 1) fences
      in other shell languages (bash, shell, console, zsh) or without a language, and
      unknown markers, so that no command of the tutorial escapes the test.
  report_tutorial.py claims REPO
      Checks the numbers and facts the tutorial's prose states against the files its
      commands wrote under REPO/results (ok / not ok lines)."""

import json
import os
import re
import sys

MARKERS = {"skip-if-no-sweep", "skip-if-no-slurm"}
RUN_LANG = "sh"
TEXT_LANGS = {"text", "yaml", "csv"}


def blocks(md, outdir):
    lines = open(md, encoding="utf-8").read().splitlines()
    os.makedirs(outdir, exist_ok=True)
    problems, out = [], []
    i, prev = 0, ""
    while i < len(lines):
        m = re.match(r"^```\s*([A-Za-z0-9_+-]*)\s*$", lines[i])
        if not m:
            if lines[i].strip():
                prev = lines[i].strip()
            i += 1
            continue
        lang, start = m.group(1).lower(), i + 1
        j = i + 1
        while j < len(lines) and not re.match(r"^```\s*$", lines[j]):
            j += 1
        if j == len(lines):
            problems.append("line %d: fence never closed" % start)
            break
        body = lines[i + 1:j]
        mk = re.match(r"^<!--\s*test:\s*(\S+)\s*-->$", prev)
        marker = mk.group(1) if mk else "-"
        if marker != "-" and marker not in MARKERS:
            problems.append("line %d: unknown marker %r (known: %s)" % (start, marker, sorted(MARKERS)))
        if lang == RUN_LANG:
            n = len(out) + 1
            path = os.path.join(outdir, "%02d.sh" % n)
            with open(path, "w") as fh:
                fh.write("\n".join(body) + "\n")
            first = next((l.strip() for l in body if l.strip() and not l.strip().startswith("#")), "")
            out.append((n, start, marker, first))
        elif lang in TEXT_LANGS:
            if marker != "-":
                problems.append("line %d: a marker before a %s block, which is not run" % (start, lang))
        else:
            problems.append("line %d: fence language %r: put commands in ```sh blocks (run by the "
                            "test) and output in ```text blocks" % (start, lang or "(none)"))
        prev = ""
        i = j + 1
    with open(os.path.join(outdir, "blocks.tsv"), "w") as fh:
        for n, start, marker, first in out:
            fh.write("%02d\t%d\t%s\t%s\n" % (n, start, marker, first.replace("\t", " ")[:100]))
    for p in problems:
        print("%s:%s" % (md, p))
    if not out:
        print("%s: no ```sh block" % md)
    return 1 if problems or not out else 0


RESULTS = []


def check(cond, msg, detail=""):
    RESULTS.append(bool(cond))
    print(("ok - " if cond else "not ok - ") + msg)
    if not cond and detail:
        print("    %s" % (detail,))


def claims(repo):
    import h5py
    r = os.path.join(repo, "results")

    def val(name, path):
        with h5py.File(os.path.join(r, name), "r") as f:
            return float(f[path][()])

    def facts(d):
        with open(os.path.join(r, d, "figures.json")) as fh:
            return json.load(fh)

    def near(got, want, rel):
        return abs(got - want) <= rel * abs(want)

    base = val("base.h5", "objective/total_yuan")
    check(near(base, 20.12e9, 2e-3), "section 3: the base objective is about 20.1 billion yuan (%.6g)" % base)
    e0 = val("base.h5", "objective/emissions_tco2")
    check(near(e0, 21.8e6, 5e-3), "section 3: emissions about 21.8 million t (%.6g)" % e0)

    c = facts("compare-carbon300")["figures"]["compare.png"]
    check(c["input_differences"] == ["scenario carbon_price: 80.0 -> 300.0"],
          "carbon300: the only input difference is the carbon price", c["input_differences"])
    check(near(c["delta_objective"], 4.67e9, 0.01), "carbon300: cost +4.67 billion (%.6g)" % c["delta_objective"])
    check(near(c["delta_emissions"], -1.1e6, 0.1), "carbon300: emissions -1.1 million t (%.6g)"
          % c["delta_emissions"])
    share = val("carbon300.h5", "objective/green_mwh") / val("carbon300.h5", "objective/energy_mwh")
    check(abs(share - 0.256) < 0.002, "carbon300: green share about 25.6%% (%.2f%%)" % (100 * share))

    lk = facts("compare-link")["figures"]["compare.png"]
    check(len(lk["input_differences"]) == 1 and lk["input_differences"][0].startswith(
        "link added: guangdong - ningxia (rtt 28.5 ms, 2000 Gbps"),
        "link: the only input difference is the new Guangdong-Ningxia link", lk["input_differences"])
    check(-1e5 < lk["delta_objective"] <= 0, "link: saves about 20,000 yuan (%.6g)" % lk["delta_objective"])

    g = facts("compare-ningxia-green")["figures"]["compare.png"]
    check(g["input_differences"] == ["green_cap_mw of site zhongwei: 400.0 -> 1200.0"],
          "ningxia-green: the only input difference is Zhongwei's green_cap_mw", g["input_differences"])
    check(near(g["delta_objective"], -212e6, 0.02), "ningxia-green: cost -212 million (%.6g)"
          % g["delta_objective"])
    check(near(g["delta_emissions"], -0.52e6, 0.1), "ningxia-green: emissions -0.52 million t (%.6g)"
          % g["delta_emissions"])

    for d, n in (("base-report", 7), ("compare-carbon300", 8), ("compare-link", 8),
                 ("compare-ningxia-green", 8)):
        p = os.path.join(r, d, "report.html")
        k = open(p).read().count('src="data:image/png;base64,') if os.path.exists(p) else 0
        check(k == n, "%s/report.html embeds %d figures (%d)" % (d, n, k))

    summ = os.path.join(r, "sweep-carbon", "carbon-sweep-summary.h5")
    if os.path.exists(os.path.join(r, "sweep-report", "figures.json")):
        s = facts("sweep-report")
        pts = s["figures"].get("sweep_cost_emissions.png", {}).get("points")
        check(s["tasks"] == 3 and s["solved"] == 3 and pts == 3,
              "sweep: 3 tasks solved, 3 points on the cost-emissions curve", s)
    elif os.path.exists(summ):
        check(False, "sweep: the summary exists but the sweep report was not written")
    return 0 if all(RESULTS) else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "blocks":
        sys.exit(blocks(sys.argv[2], sys.argv[3]))
    if len(sys.argv) == 3 and sys.argv[1] == "claims":
        sys.exit(claims(sys.argv[2]))
    sys.exit(__doc__)
