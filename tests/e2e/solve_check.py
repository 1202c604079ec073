#!/usr/bin/python3
"""Independent checks of a cnopt result file (used by test_solve.sh).

usage: solve_check.py OUT.h5 demand   -- sum of x over each demand row + u = D
       solve_check.py OUT.h5 obj      -- print the root objective (%.17g)
       solve_check.py A.h5 B.h5 same  -- objectives equal within 1e-6 relative
       solve_check.py A.h5 B.h5 samelog -- identical iteration logs
       solve_check.py OUT.h5 bound    -- lower bound never above the objective
"""
import sys

import h5py
import numpy as np


def demand(path):
    with h5py.File(path, "r") as f:
        s = f["solution"]
        win = f["model"]["class_window"][:]
        xr, xk, xt, xv = (s[k][:] for k in ("x_region", "x_class", "x_period", "x_pflops"))
        ur, uk, uw = s["u_region"][:], s["u_class"][:], s["u_window"][:]
        D, U = s["u_demand_pflops"][:], s["u_pflops"][:]
        served = {}
        for r, k, t, v in zip(xr, xk, xt, xv):
            key = (int(r), int(k), int(t) // int(win[k]))
            served[key] = served.get(key, 0.0) + float(v)
        worst = 0.0
        for r, k, w, d, u in zip(ur, uk, uw, D, U):
            got = served.get((int(r), int(k), int(w)), 0.0) + u
            worst = max(worst, abs(got - d) / max(1.0, abs(d)))
        print(f"demand rows {len(D)}, worst relative residual {worst:.3g}")
        return worst <= 1e-7


def obj(path):
    with h5py.File(path, "r") as f:
        return float(f.attrs["objective"])


def main(argv):
    if argv[-1] == "demand":
        return demand(argv[1])
    if argv[-1] == "obj":
        print("%.17g" % obj(argv[1]))
        return True
    if argv[-1] == "same":
        a, b = obj(argv[1]), obj(argv[2])
        rel = abs(a - b) / max(1.0, abs(a))
        print(f"objectives {a:.12g} and {b:.12g}, relative difference {rel:.3g}")
        return rel <= 1e-6
    if argv[-1] == "samelog":
        with h5py.File(argv[1], "r") as f, h5py.File(argv[2], "r") as g:
            ok = True
            for k in ("master_obj", "lower_bound", "gap", "columns_added"):
                x, y = f["solver"][k][:], g["solver"][k][:]
                same = x.shape == y.shape and np.array_equal(x, y)
                print(f"{k}: {x.shape[0]} vs {y.shape[0]} rows, identical {same}")
                ok = ok and same
            return ok
    if argv[-1] == "bound":
        with h5py.File(argv[1], "r") as f:
            lb = f["solver"]["lower_bound"][:]
            o = float(f.attrs["objective"])
            worst = float(np.max(lb - o))
            print(f"{lb.shape[0]} iterations, max(bound - objective) = {worst:.3g}")
            return worst <= 1e-9 * max(1.0, abs(o))
    print(__doc__)
    return False


if __name__ == "__main__":
    sys.exit(0 if main(sys.argv) else 1)
