/* solver/lp.h - the LP/MIP of docs/model.md sections 5-7 in a solver-neutral
 * column-wise form, and the map from its columns/rows back to the model.
 *
 * Column order: x (by demand row, eligible site, period), u (by demand row),
 * pg[s][t], pgr[s][t], y[e].  Row order: demand (1), capacity (2), power
 * balance (3), power cap (4), link (6), access (7), carbon (8), hub share (9).
 * Constraint 5 is the upper bound of pgr.  All indices are 0-based. */
#ifndef CN_LP_H
#define CN_LP_H

#include <stddef.h>
#include <stdint.h>

#include "../core/derive.h"
#include "../core/model.h"
#include "../core/result.h"

enum cn_row_kind {
    CN_ROW_DEMAND = 1, CN_ROW_CAP = 2, CN_ROW_BALANCE = 3, CN_ROW_POWERCAP = 4,
    CN_ROW_LINK = 6, CN_ROW_ACCESS = 7, CN_ROW_CARBON = 8, CN_ROW_HUBGREEN = 9
};

typedef struct cn_lp {
    int64_t ncols, nrows, nnz;
    double *obj;               /* [col] yuan per unit */
    double *lb, *ub;           /* [col]; ub = INFINITY when unbounded */
    char *is_int;              /* [col] */
    double *row_lo, *row_hi;   /* [row]; -INFINITY / INFINITY when free */
    char *row_kind;            /* [row] enum cn_row_kind */
    int64_t *colptr;           /* [ncols + 1] CSC */
    int32_t *rowind;           /* [nnz] */
    double *val;               /* [nnz] */
    /* map */
    int32_t *col_site;         /* [col] site of x, pg, pgr, y columns; -1 for u */
    int32_t *col_t;            /* [col] period of x, pg, pgr columns; -1 for u, y */
    int64_t x0, u0, pg0, pgr0, y0;   /* first column of each kind */
    int full;                  /* 1: the whole model (cn_lp_build) */
    int32_t *u_drow;           /* [pg0 - u0] demand row of each u column */
    int64_t *x_of_arc;         /* [narcs] column of (arc, t0 of its window); -1 masked */
    int64_t r_demand0;         /* demand row i = r_demand0 + drow index */
    int64_t *r_cap;            /* [(s*C + c)*T + t] row or -1 */
    int64_t r_balance0;        /* balance row of (s,t) = r_balance0 + s*T + t */
    int64_t *r_powercap;       /* [s*T + t] row or -1 */
    int64_t *r_link;           /* [l*T + t] row or -1 */
    int64_t *r_access;         /* [s*T + t] row or -1 */
    int64_t r_carbon;          /* -1 when none */
    int64_t *r_hubgreen;       /* [hub] row or -1 */
} cn_lp;

/* Build the full model.  Linear in the model's size (arcs x periods plus
 * path lengths).  Returns CN_OK or CN_EOSERR. */
int cn_lp_build(const cn_derived *d, cn_lp **out);
/* The columns of the sites with mask[s] != 0 only (x, pg, pgr, y; no u),
 * over the full row layout (rows of other sites stay empty).  The
 * decomposition builds each part's block with it. */
int cn_lp_build_part(const cn_derived *d, const char *mask, cn_lp **out);
/* The columns of the cells (s, t) with cells[s*T + t] != 0 (x, pg, pgr; no y)
 * and the u columns of the demand rows with umask[i] != 0 (umask may be
 * NULL: none), over the full row layout.  A demand window must lie wholly
 * inside or outside the cells of each eligible site (CN_ESOFTWARE otherwise).
 * The decomposition's time blocks (docs/solver.md "Time blocks") use it. */
int cn_lp_build_cells(const cn_derived *d, const char *cells, const char *umask, cn_lp **out);
void cn_lp_destroy(cn_lp **lp);

/* Largest violation of rows and column bounds by the point x (absolute). */
double cn_lp_max_violation(const cn_lp *lp, const double *x);

/* Primal/dual values of the LP, as a solver returns them. */
typedef struct cn_lp_solution {
    int status;                /* enum cn_status */
    double objective, bound;
    double *col_value;         /* [ncols] */
    double *row_dual;          /* [nrows] d obj / d rhs; NULL when no duals */
    double *col_dual;          /* [ncols] reduced costs; NULL when no duals */
    long iterations;
} cn_lp_solution;

/* Allocate the placement lists of res for n entries (res->nx is the
 * caller's to set).  Not collective. */
int cn_result_alloc_x(cn_result *res, int64_t n);

/* Unserved list of the result from u values and demand-row duals (NULL: 0),
 * both indexed by demand row. */
int cn_result_set_unserved(const cn_derived *d, const double *u, const double *dual,
                           cn_result *res);

/* Fill a result (created for d->m) from an LP solution: sparse x, u, power,
 * loads, parts, emissions, duals (when present), max_violation.  For one
 * rank's part (cn_lp_build_part) it fills that rank's sites only and leaves
 * u, cost_unserved and max_violation to the caller. */
int cn_lp_extract(const cn_derived *d, const cn_lp *lp, const cn_lp_solution *sol,
                  cn_result *res);

/* Names for exported models: "x(beijing,zhangjiakou,training,3)" etc. */
void cn_lp_col_name(const cn_derived *d, const cn_lp *lp, int64_t j, char *buf, size_t n);
/* Calls fn once for every row with its name, in a pass over the row maps. */
void cn_lp_row_names(const cn_derived *d, const cn_lp *lp,
                     void (*fn)(void *ctx, int64_t row, const char *name), void *ctx);

/* Tolerances a solution must meet to be reported optimal, on every path
 * (docs/solver.md "Verification"; cn_lp_verify in solve.h, the
 * decomposition's own check in dw_recover.c). */
#define CN_VERIFY_REL_VIOLATION 1e-6
#define CN_VERIFY_DUAL_GAP 1e-6
/* The scales a violation is measured against (solver/verify.c); not
 * collective.  A row: 1 + the size of its terms, or 1 + a finite bound's size
 * when larger (a row of terms of 1e6 balanced to 1e-3 is not violated by
 * rounding).  A column bound: 1 + the larger of the value and a finite upper
 * bound. */
double cn_lp_row_scale(double lo, double hi, double terms);
double cn_lp_bound_scale(double x, double ub);

#endif
