/* solver/dw_recover.c - primal recovery on the owners: the solution as
 * combinations of their points, local duals, violations, and the sums to
 * rank 0 (dw_int.h, docs/solver.md "Primal recovery"). */
#include "dw_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../base/mpiutil.h"

int dw_assemble(dw *w, const double *lambda, cn_result *res, double *viol, double *rel)
{
    const cn_derived *d = w->d;
    const cn_lp *lp = w->lp;
    int rc = CN_OK;
    cn_lp_solution sol;
    memset(&sol, 0, sizeof sol);
    double *coup = NULL, *cmag = NULL;
    sol.col_value = cn_calloc((size_t)lp->ncols + 1, sizeof *sol.col_value);
    sol.row_dual = cn_calloc((size_t)lp->nrows + 1, sizeof *sol.row_dual);
    sol.col_dual = cn_calloc((size_t)lp->ncols + 1, sizeof *sol.col_dual);
    /* coupling rows' activities and the size of their terms, in one array
     * [2 n] so that one reduction sums both */
    coup = cn_calloc(2 * (size_t)w->cp.n + 1, sizeof *coup);
    cmag = coup ? coup + w->cp.n : NULL;
    double worst = 0.0, worst_rel = 0.0;
    if (!sol.col_value || !sol.row_dual || !sol.col_dual || !coup) {
        rc = CN_EOSERR;
        goto agree;
    }
    for (int p = w->p0; p < w->p1; p++) {
        block *b = &w->blocks[p - w->p0];
        int64_t b0 = dw_part_block0(w, p);
        for (int64_t gi = 0; gi < b->ngrp; gi++) {
            colstore *st = &b->store[gi];
            for (int64_t q = 0; q < st->n; q++) {
                double lam = lambda[st->master[q]];
                if (lam == 0.0)
                    continue;
                for (int64_t e = st->ptr[q]; e < st->ptr[q + 1]; e++)
                    sol.col_value[b->cols[st->idx[e]]] += lam * st->val[e];
            }
            /* the base column (logical id nu + block): u = D on the group's
             * own demand rows (time blocks; none otherwise) */
            double lam0 = lambda[w->cp.nd + b0 + gi];
            for (int64_t e = b->grp_ptr[gi]; lam0 != 0.0 && e < b->grp_ptr[gi + 1]; e++) {
                int64_t j = b->cols[b->grp_col[e]];
                if (j >= lp->u0 && j < lp->pg0)
                    sol.col_value[j] += lam0 * d->drows[lp->u_drow[j - lp->u0]].demand;
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
    /* coupling duals (rank 0 writes them to the file; with time blocks the
     * ranks' results are summed on rank 0, so only rank 0 holds them) */
    for (int64_t i = 0; i < lp->nrows && (!w->tmode || w->rank == 0); i++)
        if (w->cp.of_row[i] >= 0)
            sol.row_dual[i] = w->pi_center[w->cp.of_row[i]];
    sol.status = CN_STATUS_OPTIMAL;
    rc = cn_lp_extract(d, lp, &sol, res);
    if (rc != CN_OK)
        goto agree;
    /* unserved and demand duals by demand row: the blocks' own rows here,
     * the master's on rank 0; summed on rank 0 below */
    w->u_full = cn_calloc((size_t)d->ndrows + 1, sizeof *w->u_full);
    w->udual_full = cn_calloc((size_t)d->ndrows + 1, sizeof *w->udual_full);
    if (!w->u_full || !w->udual_full) {
        rc = CN_EOSERR;
        goto agree;
    }
    for (int64_t j = lp->u0; j < lp->pg0; j++) {
        int32_t i = lp->u_drow[j - lp->u0];
        w->u_full[i] = sol.col_value[j];
        w->udual_full[i] = sol.row_dual[lp->r_demand0 + i];
    }
    if (w->rank == 0)
        for (int64_t c = 0; c < w->cp.nd; c++) {
            w->u_full[w->cp.drow[c]] = w->ms.x[c];
            w->udual_full[w->cp.drow[c]] = w->pi_center[c];
        }
    /* violations: local rows and bounds here; coupling rows on rank 0 */
    /* (absolute, and relative to the scales of cn_lp_verify: lp.h) */
    double *act = cn_calloc(2 * (size_t)lp->nrows + 1, sizeof *act);
    if (!act) {
        rc = CN_EOSERR;
        goto agree;
    }
    double *mag = act + lp->nrows;
    for (int64_t j = 0; j < lp->ncols; j++) {
        double x = sol.col_value[j];
        double bv = fmax(lp->lb[j] - x, x - lp->ub[j]);
        worst = fmax(worst, bv);
        worst_rel = fmax(worst_rel, bv / cn_lp_bound_scale(x, lp->ub[j]));
        for (int64_t q = lp->colptr[j]; q < lp->colptr[j + 1]; q++) {
            int32_t r = lp->rowind[q];
            if (w->cp.of_row[r] >= 0) {
                coup[w->cp.of_row[r]] += lp->val[q] * x;
                cmag[w->cp.of_row[r]] += fabs(lp->val[q] * x);
            } else {
                act[r] += lp->val[q] * x;
                mag[r] += fabs(lp->val[q] * x);
            }
        }
    }
    for (int64_t i = 0; i < lp->nrows; i++)
        if (w->cp.of_row[i] < 0 && w->row_map[i] >= 0) {
            double v = fmax(lp->row_lo[i] - act[i], act[i] - lp->row_hi[i]);
            worst = fmax(worst, v);
            worst_rel = fmax(worst_rel, v / cn_lp_row_scale(lp->row_lo[i], lp->row_hi[i], mag[i]));
        }
    free(act);
agree:
    /* a rank that failed above must not leave the others in the reductions */
    rc = cn_mpi_agree(w->comm, rc);
    if (rc != CN_OK)
        goto cleanup;
    MPI_Reduce(w->rank == 0 ? MPI_IN_PLACE : coup, coup, 2 * (int)w->cp.n, MPI_DOUBLE, MPI_SUM,
               0, w->comm);
    if (w->rank == 0)
        for (int64_t i = 0; i < w->cp.n; i++) {
            double u = i < w->cp.nd ? w->ms.x[i] : 0.0;
            double a = coup[i] + u;
            double bnd = w->cp.b[i];
            double v = w->cp.sense[i] == 'E' ? fabs(a - bnd)
                     : w->cp.sense[i] == 'L' ? a - bnd : bnd - a;
            worst = fmax(worst, v);
            worst_rel = fmax(worst_rel, v / cn_lp_row_scale(bnd, bnd, cmag[i] + fabs(u)));
        }
    double wv[2] = {worst, worst_rel};
    MPI_Allreduce(MPI_IN_PLACE, wv, 2, MPI_DOUBLE, MPI_MAX, w->comm);
    *viol = wv[0];
    *rel = wv[1];
    int nd = (int)d->ndrows;
    MPI_Reduce(w->rank == 0 ? MPI_IN_PLACE : w->u_full, w->u_full, nd, MPI_DOUBLE, MPI_SUM, 0,
               w->comm);
    MPI_Reduce(w->rank == 0 ? MPI_IN_PLACE : w->udual_full, w->udual_full, nd, MPI_DOUBLE,
               MPI_SUM, 0, w->comm);
cleanup:
    free(coup);
    cn_lp_solution_free(&sol);
    return rc;
}

/* Sum an array of n doubles onto rank 0.  Collective over w->comm. */
static void sum_to_root(dw *w, double *a, int64_t n)
{
    MPI_Reduce(w->rank == 0 ? MPI_IN_PLACE : a, a, (int)n, MPI_DOUBLE, MPI_SUM, 0, w->comm);
}

int dw_reduce_cells(dw *w, cn_result *res)
{
    const cn_model *m = w->d->m;
    int64_t S = m->nsites, T = w->T, C = m->ntypes;
    sum_to_root(w, res->pg_mw, S * T);
    sum_to_root(w, res->pgr_mw, S * T);
    sum_to_root(w, res->site_load_pflops, S * C * T);
    sum_to_root(w, res->access_load_gbps, S * T);
    sum_to_root(w, res->cap_dual, S * C * T);
    sum_to_root(w, res->access_dual, S * T);
    sum_to_root(w, res->power_cap_dual, S * T);
    sum_to_root(w, res->green_dual, S * T);
    sum_to_root(w, res->link_dual, (int64_t)m->nlinks * T);
    sum_to_root(w, res->hub_green_dual, m->nhubs);
    sum_to_root(w, &res->carbon_dual, 1);
    /* placements: every rank's list, in rank (= time) order, onto rank 0 by
     * the decomposition's own gather, five values an entry (the indices are
     * exact as doubles) */
    int64_t n = res->nx;
    double *buf = cn_calloc((size_t)(5 * n) + 1, sizeof *buf), *all = NULL;
    int64_t len = 0;
    int rc = cn_mpi_agree(w->comm, buf ? CN_OK : CN_EOSERR);
    if (rc == CN_OK) {
        for (int64_t e = 0; e < n; e++) {
            double *v = buf + 5 * e;
            v[0] = res->x_region[e];
            v[1] = res->x_site[e];
            v[2] = res->x_class[e];
            v[3] = res->x_period[e];
            v[4] = res->x_pflops[e];
        }
        rc = dw_gather(w, buf, 5 * n, &all, &len, 0);
    }
    free(buf);
    int lrc = CN_OK;
    res->nx = 0;
    if (rc == CN_OK && w->rank == 0) {
        free(res->x_region); free(res->x_site); free(res->x_class); free(res->x_period);
        free(res->x_pflops);
        res->x_region = res->x_site = res->x_class = res->x_period = NULL;
        res->x_pflops = NULL;
        lrc = cn_result_alloc_x(res, len / 5);
        for (int64_t e = 0; lrc == CN_OK && e < len / 5; e++) {
            const double *v = all + 5 * e;
            res->x_region[e] = (int32_t)v[0];
            res->x_site[e] = (int32_t)v[1];
            res->x_class[e] = (int32_t)v[2];
            res->x_period[e] = (int32_t)v[3];
            res->x_pflops[e] = v[4];
        }
        if (lrc == CN_OK)
            res->nx = len / 5;
    }
    free(all);
    return rc == CN_OK ? cn_mpi_agree(w->comm, lrc) : rc;
}

void dw_reduce_result(dw *w, cn_result *res)
{
    const cn_model *m = w->d->m;
    double s[7] = {res->cost_energy, res->cost_carbon, res->cost_green, res->cost_transfer,
                   res->emissions_t, res->energy_mwh, res->green_mwh};
    sum_to_root(w, s, 7);
    sum_to_root(w, res->link_load_gbps, (int64_t)m->nlinks * w->T);
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
