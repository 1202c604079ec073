#!/usr/bin/python3
"""Write a small sweep summary in the format of docs/report.md ("Sweep summary
file"), the file `cnopt sweep JOB.yaml --collect` writes: 4 carbon prices x 3
bandwidth scales = 12 tasks in the job's order (first key slowest), task 5 missing
and task 9 unreadable.  The numbers are made up but shaped like the bundled model's
(emissions fall and cost rises with the carbon price; unserved share falls with
bandwidth).  Used by tests/e2e/test_report.sh.

  report_sweep_fixture.py OUT.h5"""

import itertools
import sys

import h5py
import numpy as np

out = sys.argv[1]
prices = [0.0, 80.0, 200.0, 400.0]
scales = [0.5, 1.0, 2.0]
tasks = list(itertools.product(prices, scales))
n = len(tasks)
status = ["optimal"] * n
status[5] = "missing"
status[9] = "unreadable"
message = [""] * n
message[5] = "no result results/carbon-bw/carbon-bw-5.h5"
message[9] = "incomplete result file"

cp = np.array([t[0] for t in tasks])
bw = np.array([t[1] for t in tasks])
emis = 2.3e7 * (1 - 0.25 * cp / (cp + 150)) * (1 + 0.02 / bw)
energy = 1.3e10 * (1 + 0.1 * cp / 400) * (1 + 0.05 / bw)
carbon = cp * emis
green = 2.5e9 * (1 + 0.3 * cp / 400)
transfer = 2.2e8 * bw ** 0.3
share = 0.06 / bw * (1 + 0.1 * cp / 400)
demand = np.full(n, 4.0e7)
unserved = share * demand
unserved_yuan = unserved * 150 * 365 / 24
objective = energy + carbon + green + transfer + unserved_yuan
missing = np.array([s not in ("optimal", "feasible") for s in status])

with h5py.File(out, "w") as f:
    f.attrs["kind"] = "cnopt-sweep-summary"
    f.attrs["schema_version"] = "1.0"
    f.attrs["job"] = "carbon-bw"
    f.attrs["job_file"] = "jobs/carbon-bw.yaml"
    f.attrs["base_scenario"] = "models/china-2024/scenario.yaml"
    f.attrs["description"] = "carbon price x bandwidth (test fixture)"
    f.attrs["order"] = "cartesian product, keys in job-file order, last key varies fastest"
    f.attrs["created_utc"] = "2024-05-01T12:00:00Z"
    f.attrs["ntasks"] = np.int64(n)
    f.attrs["nproblems"] = np.int64(int(missing.sum()))
    f.attrs["sweep_keys"] = ["carbon_price", "scale.bandwidth"]
    t = f.create_group("tasks")
    task = t.create_dataset("task", data=np.arange(n, dtype=np.int32))
    task.attrs["units"] = "1"
    task.attrs["long_name"] = "task index"
    task.make_scale("task")

    def put(name, data, units, long_name):
        ds = t.create_dataset(name, data=data)
        if units is not None:
            ds.attrs["units"] = units
        ds.attrs["long_name"] = long_name
        ds.dims[0].attach_scale(task)

    def text(name, values, long_name):
        dt = h5py.string_dtype("utf-8", max(len(v) for v in values) + 1)
        put(name, np.array(values, dtype=dt), None, long_name)

    def num(name, v, units, ln):
        put(name, np.where(missing, np.nan, v).astype(np.float64), units, ln)

    put("carbon_price", cp, "yuan/tCO2", "sweep parameter carbon_price")
    put("scale.bandwidth", bw, "1", "sweep parameter scale.bandwidth")
    num("objective", objective, "yuan", "objective (total cost)")
    num("bound", objective, "yuan", "best proven lower bound")
    num("gap", np.zeros(n), "1", "relative gap")
    text("status", status, "solver status, or missing/unreadable")
    num("energy_yuan", energy, "yuan", "grid energy cost")
    num("carbon_yuan", carbon, "yuan", "carbon cost")
    num("green_yuan", green, "yuan", "green energy cost")
    num("transfer_yuan", transfer, "yuan", "backbone transfer cost")
    num("unserved_yuan", unserved_yuan, "yuan", "unserved demand penalty")
    num("expansion_yuan", np.zeros(n), "yuan", "expansion cost")
    num("emissions_tco2", emis, "tCO2", "grid emissions over the weighted horizon")
    num("energy_mwh", np.full(n, 3.9e7), "MWh", "grid and green energy over the weighted horizon")
    num("unserved_share", share, "1", "unserved share of demand (PFLOPS-periods)")
    text("result", ["carbon-bw-%d.h5" % i for i in range(n)], "result file of the task")
    text("note", message, "why the task has no usable result")
    f.attrs["complete"] = np.int32(1)
