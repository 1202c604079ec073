"""Read every variable of every group of a cnopt result file with a netCDF
reader and compare it with h5py's reading of the same dataset.

usage: readers_check.py FILE netcdf4|xarray-netcdf4|xarray-h5netcdf
Prints one line per problem and a count; exits 1 on any problem."""
import sys

import h5py
import numpy as np

path, how = sys.argv[1], sys.argv[2]
bad = []


def h5values(f, name):
    d = f[name]
    if h5py.check_string_dtype(d.dtype) is not None:
        return np.array([x.decode("utf-8") if isinstance(x, bytes) else x for x in np.ravel(d[()])],
                        dtype=object).reshape(d.shape)
    return d[()]


def same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    if a.dtype.kind in "OUS" or b.dtype.kind in "OUS":
        return [str(x) for x in a.ravel()] == [str(x) for x in b.ravel()]
    return np.array_equal(a.astype(float), b.astype(float), equal_nan=True)


f = h5py.File(path, "r")
groups = {"": f}
f.visititems(lambda n, o: groups.__setitem__(n, o) if isinstance(o, h5py.Group) else None)
nvars = 0
if how == "netcdf4":
    import netCDF4
    nc = netCDF4.Dataset(path)
    if nc.getncattr("Conventions") != "CF-1.8":
        bad.append("Conventions %r" % nc.getncattr("Conventions"))

    def walk(g, prefix):
        global nvars
        for name, v in g.variables.items():
            nvars += 1
            full = prefix + name
            got = v[:]
            if np.ma.isMaskedArray(got):
                got = got.filled(np.nan) if got.dtype.kind == "f" else got.data
            if not same(got, h5values(f, full)):
                bad.append("netCDF4 %s differs from h5py" % full)
            if v.dtype != str and "units" not in v.ncattrs():
                bad.append("netCDF4 %s has no units" % full)
            if "long_name" not in v.ncattrs():
                bad.append("netCDF4 %s has no long_name" % full)
        for name, sg in g.groups.items():
            walk(sg, prefix + name + "/")
    walk(nc, "")
    nc.close()
else:
    import xarray as xr
    engine = how.split("-", 1)[1]
    for gname, g in groups.items():
        if not any(isinstance(o, h5py.Dataset) for o in g.values()):
            continue
        ds = xr.open_dataset(path, engine=engine, group=gname or None)
        ds.load()
        for name, v in ds.variables.items():
            nvars += 1
            full = (gname + "/" if gname else "") + name
            if not same(v.values, h5values(f, full)):
                bad.append("xarray(%s) %s differs from h5py" % (engine, full))
        # every dimension of the group has a coordinate with its labels
        for dim in ds.dims:
            if dim not in ds.coords:
                bad.append("xarray(%s) group %s: dimension %s has no coordinate" % (engine, gname, dim))
            elif not same(ds[dim].values, h5values(f, dim)):
                bad.append("xarray(%s) group %s: coordinate %s differs from the root's" % (engine, gname, dim))
        ds.close()
    sol = xr.open_dataset(path, engine=engine, group="solution")
    site = str(sol.site.values[-1])
    want = f["solution/pg_mw"][-1, :]
    if not np.array_equal(sol.pg_mw.sel(site=site).values, want):
        bad.append("xarray(%s) pg_mw.sel(site=%r) differs" % (engine, site))
for b in bad:
    print(b)
print("%s: %d variables read and compared" % (how, nvars))
sys.exit(1 if bad or nvars < 40 else 0)
