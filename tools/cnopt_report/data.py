"""Reading cnopt result files (docs/hdf5-schema.md) and sweep summaries
(docs/report.md) into plain numpy arrays.  Nothing here draws."""

import os

# The project's readers turn HDF5 file locking off (docs/hdf5-schema.md, "File
# locking"): a finished result is never written again, and locking fails on some
# file systems.  Must be set before h5py opens anything.
os.environ.setdefault("HDF5_USE_FILE_LOCKING", "FALSE")

import h5py  # noqa: E402
import numpy as np  # noqa: E402

# exit codes, as cnopt's (README "Exit codes")
EX_USAGE, EX_DATAERR, EX_NOINPUT, EX_SOFTWARE, EX_CANTCREAT, EX_IOERR = 64, 65, 66, 70, 73, 74

SWEEP_KIND = "cnopt-sweep-summary"
SWEEP_MAJORS = (1, 2)   # 2.0: variable-length strings
COST_PARTS = ("energy", "carbon", "green", "transfer", "unserved", "expansion")
OK_STATUS = ("optimal", "feasible")


class ReportError(Exception):
    """A failure with the exit code the program ends with."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def astr(v):
    """An HDF5 string (attribute: str; dataset element: bytes) as str."""
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, np.ndarray) and v.shape == ():
        return astr(v[()])
    return str(v)


def strings(ds):
    return [astr(x) for x in ds[()]] if ds.shape != () else [astr(ds[()])]


def open_file(path):
    """Open PATH read-only and say what it is: ("result" | "sweep", h5py.File)."""
    if not os.path.exists(path):
        raise ReportError(EX_NOINPUT, "%s: no such file" % path)
    if not os.path.isfile(path) or not os.access(path, os.R_OK):
        raise ReportError(EX_NOINPUT, "%s: not a readable file" % path)
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise ReportError(EX_DATAERR, "%s: not an HDF5 file (%s)" % (path, e)) from None
    kind = astr(f.attrs.get("kind", ""))
    if kind == SWEEP_KIND:
        ver = astr(f.attrs.get("schema_version", ""))
        problem = None
        if ver.split(".")[0] not in [str(m) for m in SWEEP_MAJORS]:
            problem = "sweep summary schema_version %r, this report reads majors 1 and 2" % ver
        elif int(f.attrs.get("complete", 0)) != 1:
            problem = "incomplete sweep summary (complete != 1)"
        elif "tasks" not in f:
            problem = "sweep summary without a /tasks group"
        if problem:
            f.close()
            raise ReportError(EX_DATAERR, "%s: %s" % (path, problem))
        return "sweep", f
    if "schema_version" not in f.attrs:
        f.close()
        raise ReportError(EX_DATAERR, "%s: neither a cnopt result (no schema_version) nor a "
                          "sweep summary (no kind = %s)" % (path, SWEEP_KIND))
    ver = astr(f.attrs["schema_version"])
    if ver.split(".")[0] not in ("1", "2"):
        f.close()
        raise ReportError(EX_DATAERR, "%s: schema_version %s, this report reads majors 1 and 2" % (path, ver))
    if int(f.attrs.get("complete", 0)) != 1:
        f.close()
        raise ReportError(EX_DATAERR, "%s: incomplete result file (complete != 1)" % path)
    return "result", f


def _arr(f, name, dtype=float):
    return np.asarray(f[name][()], dtype=dtype)


class Result:
    """One solve's result file, as arrays named after the schema."""

    def __init__(self, path, f):
        self.path = path
        a = f.attrs
        self.status = astr(a.get("status", "?"))
        self.objective = float(a.get("objective", np.nan))
        self.bound = float(a.get("bound", np.nan))
        self.gap = float(a.get("gap", np.nan))
        self.is_mip = int(a.get("is_mip", 0))
        self.has_duals = int(a.get("has_duals", 0)) == 1 and "duals" in f
        self.title = astr(a.get("title", ""))
        sa = f["solver"].attrs if "solver" in f else {}
        self.method = astr(sa.get("method", "?"))
        self.iterations = int(sa.get("iterations", 0))
        self.solve_seconds = float(sa.get("solve_seconds", np.nan))
        self.ranks = int(sa.get("ranks", 1))
        sc = f["provenance/scenario"].attrs if "provenance/scenario" in f else {}
        self.scenario = {k: (astr(v) if isinstance(v, (str, bytes)) else v.item()
                             if hasattr(v, "item") else v) for k, v in sc.items()}
        self.name = str(self.scenario.get("name", os.path.basename(path)))
        self.period_hours = float(self.scenario.get("period_hours", 1.0))
        self.period_weight = float(self.scenario.get("period_weight", 1.0))
        self.weight = self.period_hours * self.period_weight   # MW * weight = MWh
        pv = f["provenance"].attrs if "provenance" in f else {}
        self.created = astr(pv.get("created_utc", ""))
        self.command_line = astr(pv.get("command_line", ""))

        # coordinates
        self.region = strings(f["region"])
        self.hub = strings(f["hub"])
        self.site = strings(f["site"])
        self.type = strings(f["type"])
        self.cls = strings(f["class"])
        self.nper = int(f["period"].shape[0])
        R, H, S, C, K = len(self.region), len(self.hub), len(self.site), len(self.type), len(self.cls)
        self.R, self.H, self.S, self.C, self.K = R, H, S, C, K

        m = "model/"
        self.region_name = strings(f[m + "region_name"])
        self.region_lat = _arr(f, m + "region_lat")
        self.region_lon = _arr(f, m + "region_lon")
        self.region_zone = _arr(f, m + "region_zone", int)
        self.hub_name = strings(f[m + "hub_name"])
        self.hub_zone = _arr(f, m + "hub_zone", int)
        self.site_name = strings(f[m + "site_name"])
        self.site_region = _arr(f, m + "site_region", int)
        self.site_hub = _arr(f, m + "site_hub", int)
        self.site_zone = _arr(f, m + "site_zone", int)
        self.site_green_cap_mw = _arr(f, m + "site_green_cap_mw")
        self.site_capacity = _arr(f, m + "site_capacity_pflops").reshape(S, C)
        # model 1.1 coordinates (NaN where sites.csv has none; absent before schema 2)
        self.site_lat = _arr(f, m + "site_lat") if m + "site_lat" in f else np.full(S, np.nan)
        self.site_lon = _arr(f, m + "site_lon") if m + "site_lon" in f else np.full(S, np.nan)
        self.class_name = strings(f[m + "class_name"])
        self.class_type = _arr(f, m + "class_type", int)
        self.link_from = _arr(f, m + "link_from", int)
        self.link_to = _arr(f, m + "link_to", int)
        self.link_gbps = _arr(f, m + "link_gbps")
        self.link_rtt = _arr(f, m + "link_rtt_ms")
        self.exp_site = _arr(f, m + "expansion_site", int)
        self.exp_type = _arr(f, m + "expansion_type", int)
        self.exp_pflops = _arr(f, m + "expansion_module_pflops")
        # every input table column as read, for the comparison of two results
        self.model = {k: (strings(f[m + k]) if f[m + k].dtype.kind == "S" else f[m + k][()])
                      for k in f["model"]}

        s = "solution/"
        self.x_region = _arr(f, s + "x_region", int)
        self.x_site = _arr(f, s + "x_site", int)
        self.x_class = _arr(f, s + "x_class", int)
        self.x_period = _arr(f, s + "x_period", int)
        self.x_pflops = _arr(f, s + "x_pflops")
        self.demand = _arr(f, s + "demand_pflops").reshape(R, K, -1)
        self.unserved = _arr(f, s + "unserved_pflops").reshape(R, K, -1)
        self.pg = _arr(f, s + "pg_mw").reshape(S, self.nper)
        self.pgr = _arr(f, s + "pgr_mw").reshape(S, self.nper)
        self.site_load = _arr(f, s + "site_load_pflops").reshape(S, C, self.nper)
        self.link_load = _arr(f, s + "link_load_gbps").reshape(len(self.link_from), self.nper)
        self.exp_modules = _arr(f, s + "expansion_modules")
        # w(t) of every period (model 1.1; period_weight before it)
        self.w = (_arr(f, m + "period_weight") if m + "period_weight" in f
                  else np.full(self.nper, self.period_weight))

        self.dual_capacity = self.dual_demand = None
        self.dual_power_cap = self.dual_green = self.dual_link = self.dual_access = None
        if self.has_duals:
            self.dual_capacity = _arr(f, "duals/capacity").reshape(S, C, self.nper)
            self.dual_demand = _arr(f, "duals/demand_dense").reshape(R, K, -1)
            d = f["duals"]
            if "power_cap" in d:
                self.dual_power_cap = _arr(f, "duals/power_cap").reshape(S, self.nper)
            if "access" in d:
                self.dual_access = _arr(f, "duals/access").reshape(S, self.nper)
            if "green" in d:
                self.dual_green = _arr(f, "duals/green").reshape(S, self.nper)
            if "link_bandwidth" in d:
                self.dual_link = _arr(f, "duals/link_bandwidth").reshape(len(self.link_from), self.nper)

        self.obj = {}
        for p in COST_PARTS:
            self.obj[p] = float(f["objective/%s_yuan" % p][()])
        self.obj["total"] = float(f["objective/total_yuan"][()])
        self.emissions = float(f["objective/emissions_tco2"][()])
        self.energy_mwh = float(f["objective/energy_mwh"][()])
        self.green_mwh = float(f["objective/green_mwh"][()])

    # ---- derived ------------------------------------------------------------------
    def capacity_total(self):
        """[site, type] installed capacity plus the modules built (PFLOPS)."""
        cap = self.site_capacity.copy()
        for e in range(len(self.exp_site)):
            cap[self.exp_site[e], self.exp_type[e]] += self.exp_pflops[e] * self.exp_modules[e]
        return cap

    def capacity_row_exists(self):
        """[site, type] True where constraint 2 has rows (docs/model.md section 6)."""
        ok = self.site_capacity > 0
        if int(self.scenario.get("expansion", 0)):
            for e in range(len(self.exp_site)):
                ok[self.exp_site[e], self.exp_type[e]] = True
        return ok

    def flows(self):
        """[region, site] placement summed over classes and periods (PFLOPS-periods)."""
        F = np.zeros((self.R, self.S))
        np.add.at(F, (self.x_region, self.x_site), self.x_pflops)
        return F

    def east_to_west(self):
        """[region, site] True for an east-zone region and a site of a west-zone hub:
        the definition of `cnopt info` (docs/hdf5-schema.md, Zones)."""
        site_west_hub = np.array([h >= 0 and self.hub_zone[h] == 1 for h in self.site_hub], bool)
        return (self.region_zone == 0)[:, None] & site_west_hub[None, :]

    def groups(self):
        """(label, site indices) per hub that has sites, then the sites outside hubs."""
        out = []
        for h in range(self.H):
            ss = np.flatnonzero(self.site_hub == h)
            if len(ss):
                zone = "west" if self.hub_zone[h] == 1 else "east"
                out.append(("%s (%s)" % (self.hub_name[h], zone), ss, self.hub[h]))
        ss = np.flatnonzero(self.site_hub < 0)
        if len(ss):
            out.append(("outside the national hubs", ss, "-"))
        return out

    def metrics(self):
        """Headline numbers, in the order of the tables (label, value, unit)."""
        d = float(self.demand.sum())
        u = float(self.unserved.sum())
        F = self.flows()
        e2w = float(F[self.east_to_west()].sum())
        east_all = float(F[self.region_zone == 0, :].sum())
        rows = [("objective", self.obj["total"], "yuan")]
        rows += [("cost: " + p, self.obj[p], "yuan") for p in COST_PARTS]
        rows += [
            ("emissions", self.emissions, "tCO2"),
            ("energy", self.energy_mwh, "MWh"),
            ("green energy", self.green_mwh, "MWh"),
            ("green share of energy", self.green_mwh / self.energy_mwh if self.energy_mwh else np.nan, "1"),
            ("demand", d, "PFLOPS*period"),
            ("unserved demand", u, "PFLOPS*period"),
            ("unserved share", u / d if d else np.nan, "1"),
            ("east-to-west flow", e2w, "PFLOPS*period"),
            ("east-to-west share of east-region placements", e2w / east_all if east_all else np.nan, "1"),
        ]
        return rows


def load_result(path):
    kind, f = open_file(path)
    if kind != "result":
        f.close()
        raise ReportError(EX_USAGE, "%s is a sweep summary, not a result file" % path)
    try:
        return Result(path, f)
    except KeyError as e:
        raise ReportError(EX_DATAERR, "%s: not a complete cnopt result: %s" % (path, e)) from None
    finally:
        f.close()


class Sweep:
    """A `cnopt sweep JOB.yaml --collect` summary (format: docs/report.md,
    "Sweep summary file")."""

    NUMERIC = ("objective", "bound", "gap") + tuple("%s_yuan" % p for p in COST_PARTS) + (
        "emissions_tco2", "energy_mwh", "green_mwh", "demand_pflops", "unserved_pflops",
        "unserved_share", "modules_built")

    def __init__(self, path, f):
        self.path = path
        a = f.attrs
        self.name = astr(a.get("job", os.path.basename(path)))
        self.job = astr(a.get("job_file", ""))
        self.scenario = astr(a.get("base_scenario", ""))
        self.description = astr(a.get("description", ""))
        t = f["tasks"]
        for need in ("status", "objective"):
            if need not in t:
                raise ReportError(EX_DATAERR, "%s: /tasks/%s missing" % (path, need))
        self.status = strings(t["status"])
        n = len(self.status)
        self.n = n

        def column(name):
            ds = t[name]
            if ds.shape != (n,):
                raise ReportError(EX_DATAERR, "%s: /tasks/%s has shape %s, /tasks/status (%d,)"
                                  % (path, name, ds.shape, n))
            return ds
        self.index = np.asarray(column("task")[()], int) if "task" in t else np.arange(n)
        self.result = strings(column("result")) if "result" in t else [""] * n
        self.note = strings(column("note")) if "note" in t else [""] * n
        self.values = {}
        for k in self.NUMERIC:   # absent optional columns read as NaN
            self.values[k] = (np.asarray(column(k)[()], float) if k in t else np.full(n, np.nan))
        # the build plan (docs/sweeps.md): [task, expansion], absent in older summaries
        self.modules_built = self.values["modules_built"] if "modules_built" in t else None
        self.expansion = self.exp_modules = self.exp_value = self.exp_net = None
        if "expansion" in t and "expansion_modules" in t:
            self.expansion = strings(t["expansion"])
            E = len(self.expansion)
            plan = {}
            for k in ("expansion_modules", "expansion_value_yuan", "expansion_net_yuan"):
                if k not in t:
                    plan[k] = np.full((n, E), np.nan)
                    continue
                if t[k].shape != (n, E):
                    raise ReportError(EX_DATAERR, "%s: /tasks/%s has shape %s, expected (%d, %d) "
                                      "(tasks, expansion rows)" % (path, k, t[k].shape, n, E))
                plan[k] = np.asarray(t[k][()], float)
            self.exp_modules = plan["expansion_modules"]
            self.exp_value = plan["expansion_value_yuan"]
            self.exp_net = plan["expansion_net_yuan"]
        keys = a.get("sweep_keys")
        keys = [] if keys is None else [astr(x) for x in np.atleast_1d(keys)]
        self.keys, self.params = [], {}
        for k in keys:
            if k not in t:
                raise ReportError(EX_DATAERR, "%s: sweep key %s has no dataset /tasks/%s"
                                  % (path, k, k))
            ds = column(k)
            self.params[k] = (np.asarray(ds[()], float) if ds.dtype.kind in "fiu"
                              else np.array(strings(ds), object))
            self.keys.append(k)

    def ok(self):
        return np.array([s in OK_STATUS for s in self.status], bool) & np.isfinite(
            self.values["objective"])


def load_sweep(path):
    kind, f = open_file(path)
    try:
        if kind != "sweep":
            raise ReportError(EX_USAGE, "%s is a result file, not a sweep summary" % path)
        return Sweep(path, f)
    finally:
        f.close()
