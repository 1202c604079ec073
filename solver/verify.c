/* solver/verify.c - check a solution against the LP it claims to solve
 * (solve.h, docs/solver.md "Verification"). */
#include "solve.h"

#include <math.h>
#include <stdlib.h>

#include "../base/err.h"

double cn_lp_row_scale(double lo, double hi, double terms)
{
    double s = 1.0 + terms;
    if (isfinite(lo))
        s = fmax(s, 1.0 + fabs(lo));
    if (isfinite(hi))
        s = fmax(s, 1.0 + fabs(hi));
    return s;
}

double cn_lp_bound_scale(double x, double ub)
{
    return 1.0 + fmax(fabs(x), isfinite(ub) ? fabs(ub) : 0.0);
}

int cn_lp_verify(const cn_lp *lp, const cn_lp_solution *sol, cn_verify *v)
{
    v->rel_violation = 0.0;
    v->worst_row = -1;
    v->dual_gap = NAN;
    v->dual_objective = NAN;
    double *act = cn_calloc((size_t)lp->nrows + 1, sizeof *act);
    double *mag = cn_calloc((size_t)lp->nrows + 1, sizeof *mag);
    if (!act || !mag) {
        free(act);
        free(mag);
        return cn_err_frame(CN_EOSERR, __func__, __FILE__, __LINE__);
    }
    const double *x = sol->col_value;
    double primal = 0.0;
    for (int64_t j = 0; j < lp->ncols; j++) {
        primal += lp->obj[j] * x[j];
        /* bounds, relative to the bound's size */
        double b = fmax(lp->lb[j] - x[j], x[j] - lp->ub[j]);
        double s = cn_lp_bound_scale(x[j], lp->ub[j]);
        if (b / s > v->rel_violation)
            v->rel_violation = b / s;
        for (int64_t p = lp->colptr[j]; p < lp->colptr[j + 1]; p++) {
            act[lp->rowind[p]] += lp->val[p] * x[j];
            mag[lp->rowind[p]] += fabs(lp->val[p] * x[j]);
        }
    }
    /* rows, relative to the row's scale (cn_lp_row_scale) */
    for (int64_t i = 0; i < lp->nrows; i++) {
        double b = fmax(lp->row_lo[i] - act[i], act[i] - lp->row_hi[i]);
        double s = cn_lp_row_scale(lp->row_lo[i], lp->row_hi[i], mag[i]);
        if (b / s > v->rel_violation) {
            v->rel_violation = b / s;
            v->worst_row = i;
        }
    }
    v->primal_objective = primal;
    /* the dual objective of the duals given (minimisation, GLPK's signs: a
     * row dual > 0 prices the lower bound, < 0 the upper; likewise the
     * reduced costs and the column bounds).  A dual that prices an infinite
     * bound is dual infeasible: its size, against the objective's terms, is
     * the gap it leaves. */
    if (sol->row_dual && sol->col_dual) {
        double dual = 0.0, inf = 0.0;
        for (int64_t i = 0; i < lp->nrows; i++) {
            double y = sol->row_dual[i];
            double b = y > 0 ? lp->row_lo[i] : lp->row_hi[i];
            if (y == 0.0)
                continue;
            if (isfinite(b))
                dual += y * b;
            else
                inf = fmax(inf, fabs(y) * (1.0 + mag[i]));
        }
        for (int64_t j = 0; j < lp->ncols; j++) {
            double d = sol->col_dual[j];
            double b = d > 0 ? lp->lb[j] : lp->ub[j];
            if (d == 0.0)
                continue;
            if (isfinite(b))
                dual += d * b;
            else
                inf = fmax(inf, fabs(d) * (1.0 + fabs(x[j])));
        }
        v->dual_objective = dual;
        v->dual_gap = (fabs(primal - dual) + inf) / fmax(1.0, fabs(primal));
    }
    free(act);
    free(mag);
    return CN_OK;
}
