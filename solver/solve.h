/* solver/solve.h - the solver paths behind `cnopt solve`. */
#ifndef CN_SOLVE_H
#define CN_SOLVE_H

#include <mpi.h>

#include "../core/derive.h"
#include "../core/result.h"
#include "lp.h"
#include "lp_glpk.h"

/* A simplex basis carried from one monolithic LP solve to the next (a sweep
 * range's warm start, docs/sweeps.md): used when it fits the next LP's rows
 * and columns, then replaced by that solve's final basis. */
typedef struct cn_basis {
    int64_t n;                 /* 0: none */
    unsigned char *stat;       /* [n] cn_glpk_basis_get */
    int used;                  /* the last solve started from it */
} cn_basis;
void cn_basis_free(cn_basis *b);

/* `cnopt solve --method` (docs/solver.md "Choosing the method"). */
enum cn_method { CN_METHOD_AUTO, CN_METHOD_DW, CN_METHOD_MONOLITHIC };
/* Below this many LP columns auto solves monolithic: GLPK's simplex on the
 * whole LP is then faster than the decomposition at any rank count
 * (docs/benchmarks.md, "Choosing the method"). */
#define CN_AUTO_DW_MIN_COLS 100000
/* "auto", "dw", "monolithic" -> enum value, or -1.  Not collective. */
int cn_method_parse(const char *name);
/* The path a solve takes: CN_METHOD_DW or CN_METHOD_MONOLITHIC.  auto takes
 * dw when a decomposition-only option was given (dw_opt != 0) or the LP has
 * at least CN_AUTO_DW_MIN_COLS columns.  Not collective (the same answer on
 * every rank, which all know ncols). */
int cn_method_choose(int method, int dw_opt, int64_t ncols);

typedef struct cn_solve_opts {
    cn_glpk_opts glpk;
    cn_basis *basis;           /* NULL, or warm-start basis (LP simplex only) */
    const char *write_mps;     /* export the model before solving (NULL: no) */
    const char *write_lp;
} cn_solve_opts;

void cn_solve_opts_init(cn_solve_opts *o);

/* Build and solve the whole model with GLPK on the calling rank (not
 * collective).  *out gets a full result (every site owned) on CN_OK. */
int cn_solve_monolithic(const cn_derived *d, const cn_solve_opts *o, cn_result **out);

/* What a solution's check against its LP found (cn_lp_verify). */
typedef struct cn_verify {
    double rel_violation;      /* largest violation of a row or bound, relative to its scale */
    int64_t worst_row;         /* the row of it, or -1 (a bound, or none) */
    double primal_objective;   /* c.x recomputed */
    double dual_objective;     /* of the duals given; NaN without duals */
    double dual_gap;           /* |primal - dual| / max(1, |primal|), with dual infeasibility
                                * added; NaN without duals */
} cn_verify;
/* Tolerances a solution must meet to be reported optimal (docs/solver.md). */
#define CN_VERIFY_REL_VIOLATION 1e-6
#define CN_VERIFY_DUAL_GAP 1e-6
/* Not collective.  Check sol (values, and duals when present) against lp:
 * primal feasibility relative to each row's scale (1 + its bound and the
 * size of its terms) and the duality gap of the duals.  CN_OK or CN_EOSERR. */
int cn_lp_verify(const cn_lp *lp, const cn_lp_solution *sol, cn_verify *v);

/* Everything one solve of a sweep range hands to the next: the
 * decomposition's columns and duals (every rank) and the monolithic simplex
 * basis (rank 0). */
typedef struct cn_warm {
    struct cn_dw_warm *dw;
    cn_basis basis;
} cn_warm;
#endif
