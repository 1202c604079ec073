/* solver/dw_recover.c - primal recovery on the owners: the solution as
 * combinations of their points, local duals, violations, and the sums to
 * rank 0 (dw_int.h, docs/solver.md "Primal recovery"). */
#include "dw_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../base/mpiutil.h"

int dw_assemble(dw *w, const double *lambda, cn_result *res, double *viol)
{
    const cn_derived *d = w->d;
    const cn_lp *lp = w->lp;
    int rc = CN_OK;
    cn_lp_solution sol;
    memset(&sol, 0, sizeof sol);
    double *coup = NULL;
    sol.col_value = cn_calloc((size_t)lp->ncols + 1, sizeof *sol.col_value);
    sol.row_dual = cn_calloc((size_t)lp->nrows + 1, sizeof *sol.row_dual);
    sol.col_dual = cn_calloc((size_t)lp->ncols + 1, sizeof *sol.col_dual);
    coup = cn_calloc((size_t)w->cp.n + 1, sizeof *coup);
    double worst = 0.0;
    if (!sol.col_value || !sol.row_dual || !sol.col_dual || !coup) {
        rc = CN_EOSERR;
        goto agree;
    }
    for (int p = w->p0; p < w->p1; p++) {
        block *b = &w->blocks[p - w->p0];
        for (int64_t gi = 0; gi < b->ngrp; gi++) {
            colstore *st = &b->store[gi];
            for (int64_t q = 0; q < st->n; q++) {
                double lam = lambda[st->master[q]];
                if (lam == 0.0)
                    continue;
                for (int64_t e = st->ptr[q]; e < st->ptr[q + 1]; e++)
                    sol.col_value[b->cols[st->idx[e]]] += lam * st->val[e];
            }
        }
    }
    /* local duals: price once more at the duals of the best bound */
    double *buf = NULL;
    int64_t len = 0;
    rc = dw_price_blocks(w, w->pi_center, &buf, &len, 0, &sol);
    free(buf);
    if (rc != CN_OK)
        goto agree;
    /* coupling duals (rank 0 writes them to the file) */
    for (int64_t i = 0; i < lp->nrows; i++)
        if (w->cp.of_row[i] >= 0)
            sol.row_dual[i] = w->pi_center[w->cp.of_row[i]];
    sol.status = CN_STATUS_OPTIMAL;
    rc = cn_lp_extract(d, lp, &sol, res);
    if (rc != CN_OK)
        goto agree;
    /* violations: local rows and bounds here; coupling rows on rank 0 */
    double *act = cn_calloc((size_t)lp->nrows + 1, sizeof *act);
    if (!act) {
        rc = CN_EOSERR;
        goto agree;
    }
    for (int64_t j = 0; j < lp->ncols; j++) {
        double x = sol.col_value[j];
        worst = fmax(worst, fmax(lp->lb[j] - x, x - lp->ub[j]));
        for (int64_t q = lp->colptr[j]; q < lp->colptr[j + 1]; q++) {
            int32_t r = lp->rowind[q];
            if (w->cp.of_row[r] >= 0)
                coup[w->cp.of_row[r]] += lp->val[q] * x;
            else
                act[r] += lp->val[q] * x;
        }
    }
    for (int64_t i = 0; i < lp->nrows; i++)
        if (w->cp.of_row[i] < 0 && w->row_map[i] >= 0)
            worst = fmax(worst, fmax(lp->row_lo[i] - act[i], act[i] - lp->row_hi[i]));
    free(act);
agree:
    /* a rank that failed above must not leave the others in the reductions */
    rc = cn_mpi_agree(w->comm, rc);
    if (rc != CN_OK)
        goto cleanup;
    MPI_Reduce(w->rank == 0 ? MPI_IN_PLACE : coup, coup, (int)w->cp.n, MPI_DOUBLE, MPI_SUM, 0,
               w->comm);
    if (w->rank == 0)
        for (int64_t i = 0; i < w->cp.n; i++) {
            double a = coup[i] + (i < w->cp.nd ? w->ms.x[i] : 0.0);
            double bnd = w->cp.b[i];
            double v = w->cp.sense[i] == 'E' ? fabs(a - bnd)
                     : w->cp.sense[i] == 'L' ? a - bnd : bnd - a;
            worst = fmax(worst, v);
        }
    MPI_Allreduce(MPI_IN_PLACE, &worst, 1, MPI_DOUBLE, MPI_MAX, w->comm);
    *viol = worst;
cleanup:
    free(coup);
    cn_lp_solution_free(&sol);
    return rc;
}

void dw_reduce_result(dw *w, cn_result *res)
{
    const cn_model *m = w->d->m;
    double s[7] = {res->cost_energy, res->cost_carbon, res->cost_green, res->cost_transfer,
                   res->emissions_t, res->energy_mwh, res->green_mwh};
    MPI_Reduce(w->rank == 0 ? MPI_IN_PLACE : s, s, 7, MPI_DOUBLE, MPI_SUM, 0, w->comm);
    int n = m->nlinks * (int)w->T;
    MPI_Reduce(w->rank == 0 ? MPI_IN_PLACE : res->link_load_gbps, res->link_load_gbps, n,
               MPI_DOUBLE, MPI_SUM, 0, w->comm);
    if (w->rank == 0) {
        res->cost_energy = s[0];
        res->cost_carbon = s[1];
        res->cost_green = s[2];
        res->cost_transfer = s[3];
        res->emissions_t = s[4];
        res->energy_mwh = s[5];
        res->green_mwh = s[6];
    }
}
