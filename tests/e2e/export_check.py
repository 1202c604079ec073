"""Check a `cnopt export` directory against its HDF5 result read with h5py:
every dataset of every group (coordinates aside) is a column of exactly one
CSV; every cell equals the dataset's element (ids for index datasets, empty
for NaN and for -1 indices); headers carry units (docs/export.md).

usage: export_check.py FILE.h5 DIR"""
import csv
import math
import os
import sys

import h5py
import numpy as np

path, d = sys.argv[1], sys.argv[2]
f = h5py.File(path, "r")
bad = []
ID_DIMS = ("region", "hub", "site", "type", "class")


def s(x):
    return x.decode() if isinstance(x, bytes) else str(x)


def dims_of(ds):
    if h5py.h5ds.is_scale(ds.id):
        return [ds.name.rsplit("/", 1)[1]]
    return [ds.dims[j][0].name.rsplit("/", 1)[1] for j in range(ds.ndim)]


def target(name):
    if name in ("link_from", "link_to"):
        return "region"
    for t in ID_DIMS:
        if name.endswith("_" + t):
            return t
    return None


def header(name, units):
    if not units or units == "1" or name.lower().endswith("_" + units.lower()):
        return name
    return "%s [%s]" % (name, units)


tables = {}   # file name -> (group, dims, [datasets])
for gname, g in [("", f)] + [(k, v) for k, v in f.items() if isinstance(v, h5py.Group)]:
    if not gname:
        continue
    for name, ds in g.items():
        if not isinstance(ds, h5py.Dataset) or h5py.h5ds.is_scale(ds.id):
            continue
        dims = dims_of(ds)
        fn = "_".join([gname] + dims) + ".csv"
        tables.setdefault(fn, (gname, dims, []))[2].append(name)
files = sorted(x for x in os.listdir(d) if x.endswith(".csv"))
if sorted(tables) != files:
    bad.append("files %s, expected %s" % (files, sorted(tables)))
ncells = 0
for fn, (gname, dims, names) in sorted(tables.items()):
    if fn not in files:
        continue
    rows = list(csv.reader(open(os.path.join(d, fn), newline="")))
    head, body = rows[0], rows[1:]
    g = f[gname]
    shape = g[names[0]].shape
    n = int(np.prod(shape)) if shape else 1
    if len(body) != n:
        bad.append("%s: %d rows, expected %d" % (fn, len(body), n))
        continue
    if head[:len(dims)] != dims:
        bad.append("%s: first columns %s, expected the dimensions %s" % (fn, head[:len(dims)], dims))
    # coordinate columns: the group's labels
    idx = np.array(list(np.ndindex(*shape))) if shape else np.zeros((1, 0), int)
    for j, dim in enumerate(dims):
        c = g[dim][()] if dim in g else f[dim][()]
        want = [s(c[i]) for i in idx[:, j]]
        got = [r[j] for r in body]
        if got != want:
            bad.append("%s: coordinate column %s differs" % (fn, dim))
    for name in names:
        ds = g[name]
        h = header(name, s(ds.attrs.get("units", "")))
        if h not in head:
            bad.append("%s: no column %r (columns %s)" % (fn, h, head))
            continue
        col = [r[head.index(h)] for r in body]
        vals = np.ravel(ds[()])
        tg = target(name) if ds.dtype.kind in "iu" else None
        for i, (cell, v) in enumerate(zip(col, vals)):
            ncells += 1
            if tg:
                ids = g[tg][()] if tg in g else f[tg][()]
                want = "" if v == -1 else s(ids[v])
                ok = cell == want
            elif ds.dtype.kind == "f":
                ok = (cell == "" and math.isnan(v)) or (cell != "" and float(cell) == v)
            elif ds.dtype.kind in "iu":
                ok = int(cell) == v
            else:
                ok = cell == s(v)
            if not ok:
                bad.append("%s: %s row %d is %r, the file has %r" % (fn, h, i, cell, v))
                break
for b in bad[:30]:
    print(b)
print("%d tables, %d cells checked" % (len(files), ncells))
sys.exit(1 if bad or len(files) < 15 else 0)
