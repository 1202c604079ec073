/* solver/lp_glpk.h - the GLPK adapter: the only module that includes <glpk.h>
 * (with its scaling, solver/lp_scale.c).
 *
 * A cn_glpk holds one GLPK problem loaded from a cn_lp and solves it again
 * and again (the decomposition changes objective coefficients and adds
 * columns; GLPK then warm-starts from the previous basis).  GLPK's fatal
 * errors are caught by an error hook and turned into CN_ESOFTWARE: the
 * process never aborts inside GLPK.  Not collective. */
#ifndef CN_LP_GLPK_H
#define CN_LP_GLPK_H

#include "lp.h"

const char *cn_glpk_version(void);

enum cn_lp_method { CN_LP_SIMPLEX = 0, CN_LP_INTERIOR = 1 };

typedef struct cn_glpk_opts {
    int method;          /* enum cn_lp_method (LPs; MIPs use branch and bound) */
    int dual_simplex;    /* 1: dual simplex, 0: primal (default) */
    int presolve;        /* 1: GLPK presolver on the first solve (default) */
    double mip_gap;      /* relative MIP gap (default 1e-6) */
    double time_limit_s; /* <= 0: none */
    int verbose;         /* 1: GLPK's own progress output */
    int progress;        /* 1: a status line on a terminal (base/log.h cn_progress)
                          * from GLPK's progress reports, unless verbose */
    int want_duals;      /* 1: fill row_dual/col_dual (MIP: re-solve with y fixed) */
    /* 1: a signal (base/signals.h) stops the solve within about a second,
     * inside GLPK: cn_glpk_solve returns CN_ETEMPFAIL and, as after a fatal
     * GLPK error, every GLPK problem of this rank is lost (the monolithic
     * solve, which has nothing to save; the decomposition stops at its
     * iteration boundaries instead).  0 (default): GLPK runs to its end. */
    int interruptible;
    /* 1 (LPs, simplex): solve in exact rational arithmetic (glp_exact) from
     * the problem's current basis, e.g. a double-precision optimum that
     * failed its check (docs/solver.md "Verification"); the solution is
     * rounded to doubles.  time_limit_s bounds it. */
    int exact;
    /* > 0 (LPs, a cold primal simplex without the presolver, or a warm one
     * with sift_warm): sifting
     * (lp_glpk.c run_sifting): columns [0, sift_cols) with a finite lower
     * bound may be left out of the simplex's working set until priced in;
     * the LP's x columns (lp.h), far more than its rows.  0: off. */
    int64_t sift_cols;
    int sift;            /* 1 (default): sift when sift_cols > 0; 0: never */
    /* 1 (with sift and sift_cols > 0): a warm primal re-solve whose basis is
     * still primal feasible sifts too: columns [0, sift_cols) nonbasic at a
     * finite lower bound wait outside the working set until priced in (the
     * decomposition's pricing re-solves, docs/solver.md "Sifting").  0
     * (default): a warm re-solve runs on all columns */
    int sift_warm;
    /* 1 (with sift and sift_cols > 0): the basis set before the solve
     * (cn_glpk_basis_set) is a start to sift from even when it is primal
     * infeasible (the period start, solver/period_start.h): the working set
     * is its basic columns and the columns that are always in; the simplex
     * runs on it first, then the pricing.  0 (default) */
    int sift_start;
    /* 1 (default; LPs): a warm re-solve whose basis is primal infeasible but
     * still dual feasible (bounds changed, costs not: Benders' next
     * monolithic subproblem, a sweep task) runs the dual simplex from it.
     * 0: the primal simplex (the decomposition's pricing LPs, where it
     * measured slower, docs/benchmarks.md "Dual simplex after a bound
     * change") */
    int dual_warm;
} cn_glpk_opts;

void cn_glpk_opts_init(cn_glpk_opts *o);

typedef struct cn_glpk cn_glpk;

/* A basis's statuses (cn_glpk_basis_get/set): basic, nonbasic at the lower
 * bound, at the upper, free nonbasic, fixed (GLPK's codes). */
enum cn_basis_stat { CN_BASIS_BS = 1, CN_BASIS_NL, CN_BASIS_NU, CN_BASIS_NF, CN_BASIS_NS };

/* Load lp into a new GLPK problem.  Returns CN_OK, CN_EOSERR or CN_ESOFTWARE. */
int cn_glpk_create(const cn_lp *lp, cn_glpk **out);
void cn_glpk_destroy(cn_glpk **g);

/* Solve (LP, or MIP when lp has integer columns).  sol's arrays are
 * allocated here (cn_lp_solution_free).  A time limit, infeasibility etc.
 * are statuses in sol->status, not errors. */
int cn_glpk_solve(cn_glpk *g, const cn_glpk_opts *o, cn_lp_solution *sol);

/* Replace objective coefficients of columns [0, n) (warm start kept). */
int cn_glpk_set_obj(cn_glpk *g, const double *obj, int64_t n);
/* Append columns (CSC over the existing rows) with objective and bounds. */
int cn_glpk_add_cols(cn_glpk *g, int64_t ncols, const double *obj, const double *lb,
                     const double *ub, const int64_t *colptr, const int32_t *rowind,
                     const double *val);
int64_t cn_glpk_ncols(const cn_glpk *g);
/* Sifting rounds of the last solve (cn_glpk_opts.sift_cols; 0: it did not sift). */
int cn_glpk_sift_rounds(const cn_glpk *g);
/* Columns the last solve's sifting rounds dropped from the working set
 * (counted each time one leaves). */
int cn_glpk_sift_dropped(const cn_glpk *g);
/* Delete columns (0-based, ascending, distinct); the basis stays valid when
 * they are nonbasic, so the next solve still warm-starts.  The remaining
 * columns are renumbered in order. */
int cn_glpk_del_cols(cn_glpk *g, int64_t n, const int64_t *cols);
/* Recompute GLPK's row/column scaling (after columns were added); the basis
 * statuses stay, so the next solve still warm-starts. */
void cn_glpk_rescale(cn_glpk *g);
/* Not collective.  The scale factors the problem holds: r[nrows] of its
 * rows, s[ncols] of its columns (1 where unscaled; all 1 if g is dead). */
void cn_glpk_scale_get(const cn_glpk *g, double *r, double *s);

/* The simplex basis after a solve: nrows row statuses then ncols column
 * statuses (enum cn_basis_stat), in *basis (malloc'd, the caller frees), *n set.
 * CN_EUSAGE when no simplex solve has run.  Not collective. */
int cn_glpk_basis_get(const cn_glpk *g, unsigned char **basis, int64_t *n);
/* Start the next simplex from a basis taken from a problem of the same rows
 * and columns (a sweep's previous task): the presolver is skipped for it; a
 * basis that is singular is replaced by GLPK's advanced basis.  Returns
 * CN_EUSAGE (and changes nothing) when n is not nrows + ncols. */
int cn_glpk_basis_set(cn_glpk *g, const unsigned char *basis, int64_t n);
/* Write the exact model as free MPS and/or CPLEX LP (either path may be
 * NULL), with names from the model (cn_lp_col_name/cn_lp_row_name). */
int cn_glpk_write(const cn_derived *d, const cn_lp *lp, const char *mps_path,
                  const char *lp_path);

void cn_lp_solution_free(cn_lp_solution *sol);

/* Ask a running solve to stop at its next check (signal-safe flag). */
void cn_glpk_request_stop(void);

#endif
