/* core/derive.h - derived data of spec section 4 (docs/model.md section 4):
 * backbone routes, RTT, transfer cost, windows, window demand, and the
 * enumeration of the variables of section 5.
 *
 * Everything here is a pure function of a cn_model; it is computed once and
 * shared by validate, the LP builder and the decomposition. */
#ifndef CN_DERIVE_H
#define CN_DERIVE_H

#include <stdint.h>

#include "model.h"

/* RTT tolerance, ms (docs/model.md sections 4-5): path sums within it tie, and
 * site s is in reach of region r for class k when RTT(r, s) <= max_rtt_ms + it. */
#define CN_RTT_TOL 1e-9

/* The routing rule (docs/model.md section 4), the one implementation of it:
 * demand of region r reaches a site in region d over the backbone route from
 * r to d, the path of least total rtt, ties (within 1e-9 ms) to fewer links,
 * then to the lexicographically smallest sequence of region indices from r.
 * rtt_ms and cost are sums of the links' values in path order from r.  The
 * generator (io/generate.c) and validate --routes use it; the Python model
 * builder's copy is checked against it (tests/e2e/test_routes.sh). */
typedef struct cn_routes {
    int n;              /* regions */
    double *rtt_ms;     /* [r][d]; INFINITY when unreachable */
    double *cost;       /* [r][d] transfer cost, yuan per Gbps-hour */
    int *next;          /* [r][d] next region on the route from r to d; -1 none/same */
    int *next_link;     /* [r][d] link index of that step; -1 none */
} cn_routes;

/* Routes between all pairs of nregions regions over the undirected links
 * (from, to, rtt_ms, cost of each are read; from != to, rtt_ms > 0).  Cost
 * O(R * (R * F + L)), F the largest Dijkstra frontier.  Returns CN_OK or
 * CN_EOSERR; *out is set only on CN_OK.  Not collective. */
int cn_routes_create(int nregions, const cn_link *links, int nlinks, cn_routes **out);
void cn_routes_destroy(cn_routes **rt);
/* The regions of the route from r to d, r first and d last, into path
 * (room for rt->n entries).  Returns the count, 1 when r == d, 0 when d is
 * unreachable from r. */
int cn_routes_path(const cn_routes *rt, int r, int d, int *path);

/* One demand row of constraint 1: (r, k, b) with D(r,k,b) > 0. */
typedef struct cn_drow {
    int region, cls;
    long window;        /* b */
    long t0, t1;        /* periods t0..t1-1 of the window */
    double demand;      /* D(r,k,b), PFLOPS-periods, scaled */
    int64_t arc0, arc1; /* its eligible sites: arcs[arc0..arc1-1] */
} cn_drow;

/* Sizes of the LP/MIP of spec sections 5-6 and a memory estimate. */
typedef struct cn_size {
    int64_t nx, nu, npower, ny;   /* columns by kind (npower = 2 * S * T) */
    int64_t ncols, nrows, nnz;
    int64_t rows_demand, rows_cap, rows_power, rows_powercap, rows_green,
            rows_link, rows_access, rows_carbon, rows_hubgreen;
    double mem_bytes;             /* estimated peak of a monolithic solve */
} cn_size;

typedef struct cn_derived {
    const cn_model *m;            /* not owned */
    cn_routes *routes;
    long *nwin;                   /* [class] number of windows */
    long ndrows;
    cn_drow *drows;               /* ordered by (region, class, window) */
    int64_t narcs;
    int32_t *arc_site;            /* eligible site of each arc, ascending per drow */
    double *cap;                  /* [site][type] right-hand side of constraint 2, PFLOPS
                                   * (0 when none; plus the fixed modules, see below) */
    int *has_cap;                 /* [site][type] capacity row or expansion exists */
    double *power_cap;            /* [site] right-hand side of constraint 4, MW (0 when no
                                   * cap; plus the fixed modules) */
    double *y_fixed;              /* NULL, or [nexps] modules fixed by
                                   * cn_derived_fix_expansion */
    cn_size size;
} cn_derived;

/* Compute everything above.  Cost is O(R^2 log R + R*S + demand rows * S).
 * Returns CN_OK or CN_EOSERR. */
int cn_derived_create(const cn_model *m, cn_derived **out);
void cn_derived_destroy(cn_derived **d);

/* The LP of model m with the expansion decisions fixed at y[e] modules
 * (expansion: true only): the right-hand sides of constraints 2 and 4 become
 * cap(s,c) + sum module_pflops(e) y[e] and power_cap_mw(s) + sum module_mw(e)
 * y[e], and y is no column (size.ny = 0), so every LP path solves it.  Its
 * objective leaves out the modules' cost sum module_cost(e) y[e], a constant.
 * Called again with other y it replaces them (Benders' subproblem,
 * docs/solver.md "Investment: Benders decomposition").  y NULL restores the
 * MIP.  Not collective.  CN_OK, CN_EOSERR, or CN_ESOFTWARE without
 * expansion. */
int cn_derived_fix_expansion(cn_derived *d, const double *y);

/* RTT(r, s) in ms (INFINITY when unreachable). */
double cn_route_rtt(const cn_derived *d, int region, int site);

/* Memory estimate (bytes) of a solve before reading the big tables: from
 * counts only, used to refuse impossible runs up front. */
double cn_mem_estimate(const cn_size *size);

/* Number of demand windows of class k: ceil(periods / window) (docs/model.md,
 * "Windows"), without overflow for any window >= 1 (a window may be LONG_MAX).
 * Not collective. */
long cn_class_nwindows(const cn_model *m, int k);

#endif
