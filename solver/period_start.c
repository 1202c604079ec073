/* solver/period_start.c - see period_start.h. */
#include "period_start.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../base/log.h"
#include "../base/mpiutil.h"

/* One period's LP on the rank that solves it, kept between passes. */
typedef struct period {
    cn_lp *lp;
    int64_t *rows, *cols, nsift;
    cn_glpk *g;           /* NULL: nothing to solve */
    cn_lp_solution sol;
} period;

static void period_free(period *p)
{
    cn_lp_solution_free(&p->sol);
    cn_glpk_destroy(&p->g);
    cn_lp_destroy(&p->lp);
    free(p->rows);
    free(p->cols);
    memset(p, 0, sizeof *p);
}

/* Not collective.  Period t's LP built (pass 0) or its costs priced by the
 * multipliers mu of the rows over the horizon (row[k], later passes:
 * c_j - sum_k mu_k a_kj), then solved (warm after pass 0).  *optimal: it
 * has an optimum. */
static int solve_period(const cn_lp_split *s, int32_t t, const cn_glpk_opts *go, int pass,
                        const int64_t *crow_of, const double *mu, period *p, long *pivots,
                        int *optimal)
{
    int rc = CN_OK;
    *optimal = 1;
    if (pass == 0) {
        rc = cn_lp_split_period(s, t, &p->lp, &p->rows, &p->cols, &p->nsift);
        if (rc == CN_OK && p->lp->nrows > 0 && p->lp->ncols > 0)
            rc = cn_glpk_create(p->lp, &p->g);
    } else if (p->g) {
        const cn_lp *q = s->lp;
        for (int64_t k = 0; k < p->lp->ncols; k++) {
            int64_t j = p->cols[k];
            double c = q->obj[j]; /* its cost in the LP */
            for (int64_t e = q->colptr[j]; e < q->colptr[j + 1]; e++)
                if (crow_of[q->rowind[e]] >= 0)
                    c -= mu[crow_of[q->rowind[e]]] * q->val[e];
            p->lp->obj[k] = c;
        }
        rc = cn_glpk_set_obj(p->g, p->lp->obj, p->lp->ncols);
    }
    if (rc != CN_OK || !p->g)
        return rc; /* nothing to solve: its columns rest at a bound (the caller) */
    cn_glpk_opts o = *go;
    o.sift_cols = p->nsift;
    o.sift_warm = 1; /* a re-solve at new costs: its basis is still feasible */
    o.want_duals = 0;
    o.progress = 0;
    o.verbose = 0;
    cn_lp_solution_free(&p->sol);
    rc = cn_glpk_solve(p->g, &o, &p->sol);
    *optimal = rc == CN_OK && p->sol.status == CN_STATUS_OPTIMAL;
    if (*optimal)
        *pivots += p->sol.iterations;
    return rc;
}

/* Not collective.  A multiplier's next value by a bisection in log scale
 * between the largest value seen violated (lo) and the smallest seen met
 * (hi), growing 4-fold from scale0 while none is met. */
static double next_mu(int violated, double *mu, double *lo, double *hi, double scale0)
{
    if (violated) {
        *lo = *mu;
        *mu = isinf(*hi) ? (*mu > 0 ? 4.0 * *mu : scale0) : sqrt((*lo > 0 ? *lo : *hi / 16.0) * *hi);
    } else if (*mu > 0) {
        *hi = *mu;
        *mu = *lo > 0 ? sqrt(*lo * *hi) : *mu / 4.0;
    }
    return *mu;
}

/* Passes of the periods when rows over the horizon are missed: the first,
 * four of the multipliers' search, and one at the smallest multipliers seen
 * to meet them (docs/benchmarks.md "The period start") */
#define PASSES 6

int cn_period_start(const cn_lp_split *s, const cn_glpk_opts *go, MPI_Comm comm,
                    unsigned char **basis, long *pivots)
{
    int rank = 0, size = 1;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    *basis = NULL;
    *pivots = 0;
    const cn_lp *q = s->lp;
    int64_t n = q->nrows + q->ncols;
    int32_t T = 0;
    for (int64_t j = 0; j < q->ncols; j++)
        if (s->col_t[j] + 1 > T)
            T = s->col_t[j] + 1;
    int np = T > rank ? (T - rank + size - 1) / size : 0; /* periods rank, rank + size, ... */
    int rc = CN_OK, optimal = 1, all_optimal = 0;
    if (n > INT_MAX)
        rc = CN_ERR(CN_ESOFTWARE, "the split LP has %lld rows and columns, more than one MPI "
                    "message holds", (long long)n);
    /* the rows over the horizon with one finite bound (hub green shares, the
     * carbon cap; the windows' rows, [0, 0], are not): crow_of[row], their
     * index or -1 */
    int64_t *crow_of = cn_calloc((size_t)q->nrows + 1, sizeof *crow_of), nc = 0;
    period *per = cn_calloc((size_t)np + 1, sizeof *per);
    if (rc == CN_OK && (!crow_of || !per))
        rc = CN_EOSERR;
    for (int64_t i = 0; rc == CN_OK && i < q->nrows; i++)
        crow_of[i] = s->row_t[i] < 0 && isfinite(q->row_lo[i]) != isfinite(q->row_hi[i]) ? nc++ : -1;
    double *lam = cn_calloc((size_t)nc + 1, sizeof *lam), *mu = cn_calloc((size_t)nc + 1, sizeof *mu);
    double *lo = cn_calloc((size_t)nc + 1, sizeof *lo), *hi = cn_calloc((size_t)nc + 1, sizeof *hi);
    double *act = cn_calloc((size_t)nc + 1, sizeof *act), *all_act = cn_calloc((size_t)nc + 1, sizeof *all_act);
    double *scale0 = cn_calloc((size_t)nc + 1, sizeof *scale0), *cnt = cn_calloc((size_t)nc + 1, sizeof *cnt);
    if (rc == CN_OK && (!lam || !mu || !lo || !hi || !act || !all_act || !scale0 || !cnt))
        rc = CN_EOSERR;
    /* each row's starting multiplier: the geometric mean of |c_j / a_ij| over
     * its priced columns (a cost per unit of the row) */
    for (int64_t j = 0; rc == CN_OK && j < q->ncols; j++)
        for (int64_t e = q->colptr[j]; e < q->colptr[j + 1]; e++) {
            int64_t c = crow_of[q->rowind[e]];
            if (c >= 0 && q->obj[j] != 0 && q->val[e] != 0) {
                scale0[c] += log(fabs(q->obj[j] / q->val[e]));
                cnt[c] += 1;
            }
        }
    for (int64_t c = 0; rc == CN_OK && c < nc; c++) {
        scale0[c] = cnt[c] > 0 ? exp(scale0[c] / cnt[c]) : 1.0;
        hi[c] = INFINITY;
    }
    long piv = 0;
    for (int pass = 0; pass < PASSES; pass++) {
        for (int k = 0; rc == CN_OK && optimal && k < np; k++)
            rc = solve_period(s, rank + k * size, go, pass, crow_of, mu, &per[k], &piv, &optimal);
        rc = cn_mpi_agree(comm, rc);
        if (rc != CN_OK)
            break;
        MPI_Allreduce(&optimal, &all_optimal, 1, MPI_INT, MPI_MIN, comm);
        if (!all_optimal || nc == 0)
            break;
        /* the rows' activities at the periods' optima, summed over the ranks */
        memset(act, 0, (size_t)nc * sizeof *act);
        for (int k = 0; k < np; k++)
            for (int64_t kk = 0; per[k].g && kk < per[k].lp->ncols; kk++) {
                int64_t j = per[k].cols[kk];
                for (int64_t e = q->colptr[j]; e < q->colptr[j + 1]; e++)
                    if (crow_of[q->rowind[e]] >= 0)
                        act[crow_of[q->rowind[e]]] += q->val[e] * per[k].sol.col_value[kk];
            }
        MPI_Allreduce(act, all_act, (int)nc, MPI_DOUBLE, MPI_SUM, comm);
        int missed = 0;
        for (int64_t i = 0; i < q->nrows; i++) {
            int64_t c = crow_of[i];
            if (c < 0)
                continue;
            int ge = isfinite(q->row_lo[i]); /* a >= row: rewarded; a <= row: charged */
            double b = ge ? q->row_lo[i] : q->row_hi[i], tol = 1e-9 * fmax(1.0, fabs(b));
            int viol = ge ? all_act[c] < b - tol : all_act[c] > b + tol;
            missed += viol;
            if (pass + 1 == PASSES)
                continue; /* the last: only counted */
            if (pass + 2 < PASSES)
                next_mu(viol, &lam[c], &lo[c], &hi[c], scale0[c]);
            else if (isfinite(hi[c]))
                lam[c] = hi[c]; /* the last pass: the smallest seen to meet it */
            mu[c] = ge ? lam[c] : -lam[c];
        }
        if (rank == 0)
            cn_log(CN_LOG_DEBUG, "period start: pass %d: %d of %lld rows over the horizon missed",
                   pass + 1, missed, (long long)nc);
        if ((pass == 0 && !missed) || pass + 1 == PASSES)
            break; /* the periods meet them as they are, or the passes are done */
    }
    unsigned char *st = rc == CN_OK && all_optimal ? cn_calloc((size_t)n, 1) : NULL;
    unsigned char *all = rank == 0 && st ? cn_calloc((size_t)n, 1) : NULL;
    if (rc == CN_OK && all_optimal && (!st || (rank == 0 && !all)))
        rc = CN_EOSERR;
    for (int k = 0; rc == CN_OK && all_optimal && k < np; k++) {
        unsigned char *b = NULL;
        int64_t nb = 0;
        if (!per[k].g)
            continue;
        rc = cn_glpk_basis_get(per[k].g, &b, &nb);
        for (int64_t i = 0; rc == CN_OK && i < per[k].lp->nrows; i++)
            st[per[k].rows[i]] = b[i];
        for (int64_t j = 0; rc == CN_OK && j < per[k].lp->ncols; j++)
            st[q->nrows + per[k].cols[j]] = b[per[k].lp->nrows + j];
        free(b);
    }
    for (int k = 0; per && k < np; k++)
        period_free(&per[k]);
    rc = cn_mpi_agree(comm, rc);
    if (rc == CN_OK) {
        MPI_Reduce(&piv, pivots, 1, MPI_LONG, MPI_SUM, 0, comm);
        if (all_optimal) /* the periods' statuses are disjoint: 0 elsewhere */
            MPI_Reduce(st, all, (int)n, MPI_UNSIGNED_CHAR, MPI_MAX, 0, comm);
    }
    if (rc == CN_OK && all_optimal && rank == 0) {
        for (int64_t i = 0; i < q->nrows; i++)
            if (s->row_t[i] < 0)
                all[i] = CN_BASIS_BS;
        for (int64_t j = 0; j < q->ncols; j++) {
            unsigned char *c = &all[q->nrows + j];
            if (s->col_t[j] >= 0 && *c)
                continue;
            double l = q->lb[j], h = q->ub[j];
            *c = l == h ? CN_BASIS_NS : isfinite(l) ? CN_BASIS_NL : isfinite(h) ? CN_BASIS_NU : CN_BASIS_NF;
        }
        *basis = all;
        all = NULL;
    }
    free(per);
    free(crow_of);
    free(lam);
    free(mu);
    free(lo);
    free(hi);
    free(act);
    free(all_act);
    free(scale0);
    free(cnt);
    free(st);
    free(all);
    return rc;
}
