#!/usr/bin/python3
"""Write a small sweep summary in the format of docs/report.md ("Sweep summary
file"), the file `cnopt sweep JOB.yaml --collect` writes: 4 carbon prices x 3
bandwidth scales = 12 tasks in the job's order (first key slowest), task 5 missing
and task 9 failed.  The numbers are made up but shaped like the bundled model's
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
status[9] = "failed"
message = [""] * n
message[5] = "no result file sweeps/carbon-bw-5.h5"
message[9] = "exit 70: solver failure"

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
    f.attrs["summary_version"] = "1.0"
    f.attrs["name"] = "carbon-bw"
    f.attrs["job"] = "jobs/carbon-bw.yaml"
    f.attrs["scenario"] = "models/china-2024/scenario.yaml"
    f.attrs["ntasks"] = np.int32(n)
    f.attrs["param_order"] = ["carbon_price", "scale.bandwidth"]
    f.attrs["created_utc"] = "2024-05-01T12:00:00Z"
    task = f.create_dataset("task", data=np.arange(n, dtype=np.int32))
    task.make_scale("task")
    t = f.create_group("tasks")
    p = f.create_group("params")

    def put(g, name, data, units, long_name):
        ds = g.create_dataset(name, data=data)
        ds.attrs["units"] = units
        ds.attrs["long_name"] = long_name
        ds.dims[0].attach_scale(task)

    put(t, "index", np.arange(n, dtype=np.int32), "1", "task index")
    sdt = h5py.string_dtype("utf-8", max(len(s) for s in status) + 1)
    put(t, "status", np.array(status, dtype=sdt), "1", "solver status, or missing/failed")
    mdt = h5py.string_dtype("utf-8", max(len(s) for s in message) + 1)
    put(t, "message", np.array(message, dtype=mdt), "1", "why a task has no result")
    odt = h5py.string_dtype("utf-8", 32)
    put(t, "output", np.array(["sweeps/carbon-bw-%d.h5" % i for i in range(n)], dtype=odt),
        "1", "result file")

    def num(name, v, units, ln):
        v = np.where(missing, np.nan, v).astype(np.float64)
        put(t, name, v, units, ln)

    num("objective", objective, "yuan", "objective")
    num("bound", objective, "yuan", "best bound")
    num("gap", np.zeros(n), "1", "relative gap")
    num("energy_yuan", energy, "yuan", "grid energy cost")
    num("carbon_yuan", carbon, "yuan", "carbon cost")
    num("green_yuan", green, "yuan", "green power cost")
    num("transfer_yuan", transfer, "yuan", "transfer cost")
    num("unserved_yuan", unserved_yuan, "yuan", "unserved penalty")
    num("expansion_yuan", np.zeros(n), "yuan", "expansion cost")
    num("emissions_tco2", emis, "tCO2", "emissions")
    num("energy_mwh", np.full(n, 3.9e7), "MWh", "energy")
    num("green_mwh", np.full(n, 8.3e6), "MWh", "green energy")
    num("demand_pflops", demand, "PFLOPS*period", "demand")
    num("unserved_pflops", unserved, "PFLOPS*period", "unserved demand")
    num("unserved_share", share, "1", "unserved share of demand")
    put(p, "carbon_price", cp, "yuan/tCO2", "sweep parameter carbon_price")
    put(p, "scale.bandwidth", bw, "1", "sweep parameter scale.bandwidth")
