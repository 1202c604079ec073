/* solver/period_start.c - see period_start.h. */
#include "period_start.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../base/log.h"
#include "../base/mpiutil.h"

/* Not collective.  Period t's LP solved; its statuses into st (the split
 * LP's rows then columns).  *optimal: it has an optimum. */
static int solve_period(const cn_lp_split *s, int32_t t, const cn_glpk_opts *go,
                        unsigned char *st, long *pivots, int *optimal)
{
    cn_lp *lp = NULL;
    int64_t *rows = NULL, *cols = NULL, nsift = 0, nb = 0;
    cn_glpk *g = NULL;
    unsigned char *b = NULL;
    cn_lp_solution sol;
    memset(&sol, 0, sizeof sol);
    int rc = cn_lp_split_period(s, t, &lp, &rows, &cols, &nsift);
    *optimal = 1;
    if (rc == CN_OK && (lp->nrows == 0 || lp->ncols == 0))
        goto done; /* nothing to solve: its columns rest at a bound (the caller) */
    if (rc == CN_OK)
        rc = cn_glpk_create(lp, &g);
    cn_glpk_opts o = *go;
    o.sift_cols = nsift;
    o.want_duals = 0;
    o.progress = 0;
    o.verbose = 0;
    if (rc == CN_OK)
        rc = cn_glpk_solve(g, &o, &sol);
    *optimal = rc == CN_OK && sol.status == CN_STATUS_OPTIMAL;
    if (*optimal)
        rc = cn_glpk_basis_get(g, &b, &nb);
    if (rc == CN_OK && *optimal) {
        for (int64_t i = 0; i < lp->nrows; i++)
            st[rows[i]] = b[i];
        for (int64_t j = 0; j < lp->ncols; j++)
            st[s->lp->nrows + cols[j]] = b[lp->nrows + j];
        *pivots += sol.iterations;
    }
done:
    free(b);
    cn_lp_solution_free(&sol);
    cn_glpk_destroy(&g);
    cn_lp_destroy(&lp);
    free(rows);
    free(cols);
    return rc;
}

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
    int rc = CN_OK, optimal = 1;
    if (n > INT_MAX)
        rc = CN_ERR(CN_ESOFTWARE, "the split LP has %lld rows and columns, more than one MPI "
                    "message holds", (long long)n);
    unsigned char *st = rc == CN_OK ? cn_calloc((size_t)n, 1) : NULL;
    unsigned char *all = rank == 0 && rc == CN_OK ? cn_calloc((size_t)n, 1) : NULL;
    if (rc == CN_OK && (!st || (rank == 0 && !all)))
        rc = CN_EOSERR;
    long piv = 0;
    for (int32_t t = rank; rc == CN_OK && optimal && t < T; t += size)
        rc = solve_period(s, t, go, st, &piv, &optimal);
    rc = cn_mpi_agree(comm, rc);
    int all_optimal = 0;
    if (rc == CN_OK) {
        MPI_Allreduce(&optimal, &all_optimal, 1, MPI_INT, MPI_MIN, comm);
        MPI_Reduce(&piv, pivots, 1, MPI_LONG, MPI_SUM, 0, comm);
    }
    if (rc == CN_OK && all_optimal) /* the periods' statuses are disjoint: 0 elsewhere */
        MPI_Reduce(st, all, (int)n, MPI_UNSIGNED_CHAR, MPI_MAX, 0, comm);
    if (rc == CN_OK && all_optimal && rank == 0) {
        for (int64_t i = 0; i < q->nrows; i++)
            if (s->row_t[i] < 0)
                all[i] = CN_BASIS_BS;
        for (int64_t j = 0; j < q->ncols; j++) {
            unsigned char *c = &all[q->nrows + j];
            if (s->col_t[j] >= 0 && *c)
                continue;
            double lo = q->lb[j], hi = q->ub[j];
            *c = lo == hi                ? CN_BASIS_NS
                 : isfinite(lo)          ? CN_BASIS_NL
                 : isfinite(hi)          ? CN_BASIS_NU
                                         : CN_BASIS_NF;
        }
        *basis = all;
        all = NULL;
    }
    free(st);
    free(all);
    return rc;
}
