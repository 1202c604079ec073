/* solver/dw_master.c - the master LP on rank 0: coupling rows, convexity
 * rows, u columns, generated columns with ageing (dw_int.h, docs/solver.md
 * "Master"). */
#include "dw_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"

/* Make room for the map of ncols + more columns. */
static int master_reserve(master *ms, int64_t more)
{
    if (ms->ncols + more <= ms->cap)
        return CN_OK;
    int64_t n = (ms->ncols + more) * 2 + 1024;
    int64_t *lo = cn_realloc(ms->logical_of, (size_t)n, sizeof *lo);
    if (!lo)
        return CN_EOSERR;
    ms->logical_of = lo;
    int *ag = cn_realloc(ms->age, (size_t)n, sizeof *ag);
    if (!ag)
        return CN_EOSERR;
    ms->age = ag;
    ms->cap = n;
    return CN_OK;
}

int dw_master_add(master *ms, int64_t n, const double *obj, const double *lb,
                  const double *ub, const int64_t *colptr, const int32_t *rowind,
                  const double *val)
{
    int rc = master_reserve(ms, n);
    if (rc == CN_OK)
        rc = cn_glpk_add_cols(ms->g, n, obj, lb, ub, colptr, rowind, val);
    if (rc != CN_OK)
        return rc;
    for (int64_t j = 0; j < n; j++) {
        ms->logical_of[ms->ncols + j] = ms->nlogical++;
        ms->age[ms->ncols + j] = 0;
    }
    ms->ncols += n;
    ms->nlambda += n;
    return CN_OK;
}

int dw_master_age(master *ms, int age_max)
{
    if (age_max <= 0)
        return CN_OK;
    int64_t ndel = 0;
    int64_t *del = cn_calloc((size_t)(ms->ncols - ms->first_gen) + 1, sizeof *del);
    if (!del)
        return CN_EOSERR;
    for (int64_t j = ms->first_gen; j < ms->ncols; j++) {
        if (ms->x[j] == 0.0 && ms->rc[j] > 0.0)
            ms->age[j]++;
        else
            ms->age[j] = 0;
        if (ms->age[j] >= age_max)
            del[ndel++] = j;
    }
    int rc = cn_glpk_del_cols(ms->g, ndel, del);
    if (rc == CN_OK && ndel > 0) {
        int64_t k = 0, d = 0;
        for (int64_t j = 0; j < ms->ncols; j++) {
            if (d < ndel && del[d] == j) {
                d++;
                continue;
            }
            ms->logical_of[k] = ms->logical_of[j];
            ms->age[k] = ms->age[j];
            ms->x[k] = ms->x[j];
            ms->rc[k] = ms->rc[j];
            k++;
        }
        ms->ncols = k;
        ms->nsol = k; /* x and rc were solved for every column, and compacted alike */
    }
    free(del);
    return rc;
}

int dw_master_build(const coupling *cp, int64_t nconv, const double *c0, double e_cost,
                    master *ms)
{
    int rc = CN_OK;
    cn_lp lp;
    memset(&lp, 0, sizeof lp);
    memset(ms, 0, sizeof *ms);
    ms->nrows = cp->n + nconv;
    ms->nu = cp->nd;
    ms->e0 = cp->nd + nconv;
    if (e_cost > 0.0)
        for (int64_t i = cp->nd; i < cp->n; i++)
            ms->ne += cp->sense[i] == 'G';
    ms->e_cost = e_cost;
    lp.nrows = ms->nrows;
    lp.ncols = ms->e0 + ms->ne; /* u, a base column per block, elastic columns */
    lp.nnz = lp.ncols;
    lp.obj = cn_calloc((size_t)lp.ncols, sizeof *lp.obj);
    lp.lb = cn_calloc((size_t)lp.ncols, sizeof *lp.lb);
    lp.ub = cn_calloc((size_t)lp.ncols, sizeof *lp.ub);
    lp.is_int = cn_calloc((size_t)lp.ncols, 1);
    lp.colptr = cn_calloc((size_t)lp.ncols + 1, sizeof *lp.colptr);
    lp.rowind = cn_calloc((size_t)lp.nnz, sizeof *lp.rowind);
    lp.val = cn_calloc((size_t)lp.nnz, sizeof *lp.val);
    lp.row_lo = cn_calloc((size_t)lp.nrows, sizeof *lp.row_lo);
    lp.row_hi = cn_calloc((size_t)lp.nrows, sizeof *lp.row_hi);
    if (!lp.obj || !lp.lb || !lp.ub || !lp.is_int || !lp.colptr || !lp.rowind || !lp.val ||
        !lp.row_lo || !lp.row_hi) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    for (int64_t i = 0; i < cp->n; i++) {
        lp.row_lo[i] = cp->sense[i] == 'L' ? -INFINITY : cp->b[i];
        lp.row_hi[i] = cp->sense[i] == 'G' ? INFINITY : cp->b[i];
    }
    for (int64_t i = cp->n; i < lp.nrows; i++)
        lp.row_lo[i] = lp.row_hi[i] = 1.0;
    int64_t erow = cp->nd;
    for (int64_t j = 0; j < lp.ncols; j++) {
        lp.ub[j] = INFINITY;
        lp.colptr[j + 1] = j + 1;
        lp.val[j] = 1.0;
        if (j < cp->nd) {
            lp.obj[j] = cp->pen[j];
            lp.rowind[j] = (int32_t)j;                 /* u in its demand row */
        } else if (j < ms->e0) {
            lp.rowind[j] = (int32_t)(cp->n + (j - cp->nd)); /* base column: convexity */
            lp.obj[j] = c0 ? c0[j - cp->nd] : 0.0;
        } else {
            while (cp->sense[erow] != 'G')
                erow++;
            lp.rowind[j] = (int32_t)erow++;             /* elastic: its G row */
            lp.obj[j] = e_cost;
        }
    }
    rc = cn_glpk_create(&lp, &ms->g);
    ms->ncols = 0;
    ms->first_gen = lp.ncols;
    ms->nlogical = lp.ncols;
    if (rc == CN_OK)
        rc = master_reserve(ms, lp.ncols);
    if (rc == CN_OK) {
        ms->cost0 = lp.obj; /* kept for dw_master_raise_elastic */
        lp.obj = NULL;
        for (int64_t j = 0; j < lp.ncols; j++) {
            ms->logical_of[j] = j; /* u, base and elastic columns: never deleted */
            ms->age[j] = 0;
        }
    }
    ms->ncols = lp.ncols;
cleanup:
    free(lp.obj); free(lp.lb); free(lp.ub); free(lp.is_int); free(lp.colptr);
    free(lp.rowind); free(lp.val); free(lp.row_lo); free(lp.row_hi);
    return rc;
}

int dw_master_raise_elastic(master *ms, double factor)
{
    ms->e_cost *= factor;
    for (int64_t j = ms->e0; j < ms->e0 + ms->ne; j++)
        ms->cost0[j] = ms->e_cost;
    return cn_glpk_set_obj(ms->g, ms->cost0, ms->first_gen);
}

int dw_master_solve(master *ms, int first, double time_left_s)
{
    /* new columns arrive unscaled (coefficients in PFLOPS next to costs of
     * 1e9 yuan): rescale, which halves the master's time on the bundled model */
    if (!first)
        cn_glpk_rescale(ms->g);
    cn_glpk_opts o;
    cn_glpk_opts_init(&o);
    o.presolve = first;
    o.time_limit_s = time_left_s;
    /* a signal stops the simplex (a master solve can take minutes, longer
     * than a batch system waits between SIGTERM and SIGKILL); GLPK's state
     * on this rank is lost, the caller writes the checkpoint from the
     * owners' columns (dw_int.h) */
    o.interruptible = 1;
    cn_lp_solution sol;
    int rc = cn_glpk_solve(ms->g, &o, &sol);
    if (rc != CN_OK)
        return rc;
    ms->stopped = time_left_s > 0 && sol.status == CN_STATUS_FEASIBLE;
    if (time_left_s > 0 && !first && ms->x && sol.status == CN_STATUS_NO_SOLUTION) {
        /* stopped at the limit before a feasible point (GLPK's warm start
         * may lose primal feasibility after the rescale): the previous
         * solution stays a feasible point of this master, with the new
         * columns at 0 */
        cn_lp_solution_free(&sol);
        double *x = cn_realloc(ms->x, (size_t)ms->ncols + 1, sizeof *x);
        if (x)
            ms->x = x;
        double *r = x ? cn_realloc(ms->rc, (size_t)ms->ncols + 1, sizeof *r) : NULL;
        if (r)
            ms->rc = r;
        if (!x || !r)
            return cn_err_frame(CN_EOSERR, __func__, __FILE__, __LINE__);
        for (int64_t j = ms->nsol; j < ms->ncols; j++)
            ms->x[j] = ms->rc[j] = 0.0;
        ms->stopped = 1;
        return CN_OK;
    }
    if (sol.status != CN_STATUS_OPTIMAL && !ms->stopped) {
        rc = CN_ERR(CN_ESOFTWARE, "the DW master LP ended with status %s",
                    cn_status_name(sol.status));
        cn_lp_solution_free(&sol);
        return rc;
    }
    free(ms->dual);
    free(ms->x);
    free(ms->rc);
    ms->dual = sol.row_dual;
    ms->x = sol.col_value;
    ms->rc = sol.col_dual;
    ms->obj = sol.objective;
    ms->nsol = ms->ncols;
    /* elastic values whose cost is not negligible against the objective
     * (GLPK leaves basic ones at rounding level, ~1e-12 relative) */
    ms->e_sum = 0.0;
    for (int64_t j = ms->e0; j < ms->e0 + ms->ne; j++)
        ms->e_sum += ms->x[j];
    ms->e_short = ms->e_cost * ms->e_sum > 1e-9 * fmax(1.0, fabs(ms->obj));
    return CN_OK;
}

void dw_master_free(master *ms)
{
    cn_glpk_destroy(&ms->g);
    free(ms->dual);
    free(ms->x);
    free(ms->rc);
    free(ms->logical_of);
    free(ms->age);
    free(ms->cost0);
}

int dw_master_take(dw *w, const double *pi, const double *all, int64_t len, char *flags,
                   double *lagr, long *added, double *subgrad)
{
    const coupling *cp = &w->cp;
    master *ms = &w->ms;
    int64_t nblk = w->nblk;
    /* L(pi) = pi.b + sum v; valid only when pi_demand <= penalty */
    double L = 0.0;
    int valid = 1;
    for (int64_t i = 0; i < cp->n; i++)
        L += pi[i] * cp->b[i];
    for (int64_t i = 0; i < cp->nd; i++)
        if (pi[i] > cp->pen[i] * (1 + 1e-12))
            valid = 0;
    int64_t pos = 0;
    int64_t nnew = 0, nnz = 0;
    int64_t *colptr = cn_calloc((size_t)nblk + 1, sizeof *colptr);
    int64_t maxnz = len + nblk;
    int32_t *rowind = cn_calloc((size_t)maxnz + 1, sizeof *rowind);
    double *val = cn_calloc((size_t)maxnz + 1, sizeof *val);
    double *obj = cn_calloc((size_t)nblk + 1, sizeof *obj);
    double *lb = cn_calloc((size_t)nblk + 1, sizeof *lb);
    double *ub = cn_calloc((size_t)nblk + 1, sizeof *ub);
    if (!colptr || !rowind || !val || !obj || !lb || !ub) {
        free(colptr); free(rowind); free(val); free(obj); free(lb); free(ub);
        return CN_EOSERR;
    }
    for (int64_t blk = 0; blk < nblk; blk++) {
        double v = all[pos], c = all[pos + 1];
        int64_t nt = (int64_t)all[pos + 2];
        const double *idx = all + pos + 3, *a = all + pos + 3 + nt;
        pos += 3 + 2 * nt;
        L += v;
        for (int64_t q = 0; q < nt; q++)
            subgrad[(int64_t)idx[q]] -= a[q];
        /* reduced cost against the master's own duals; it must be negative
         * beyond the rounding of its terms (with duals near a penalty of
         * 1e12 a column "prices out" by rounding alone, re-enters unused,
         * and the master stalls) */
        double rc = c - ms->dual[cp->n + blk];
        double size = fabs(c) + fabs(ms->dual[cp->n + blk]);
        for (int64_t q = 0; q < nt; q++) {
            rc -= ms->dual[(int64_t)idx[q]] * a[q];
            size += fabs(ms->dual[(int64_t)idx[q]] * a[q]);
        }
        flags[blk] = 0;
        /* a column with no coupling entry is worth a place only when it is
         * cheaper than the block's base point */
        int bare = nt == 0 && !(c < (w->c0 ? w->c0[blk] : 0.0) - 1e-9 * fmax(1.0, fabs(c)));
        if (!(rc < -1e-9 * fmax(1.0, size)) || bare)
            continue;
        flags[blk] = 1;
        for (int64_t q = 0; q < nt; q++) {
            rowind[nnz] = (int32_t)idx[q];
            val[nnz++] = a[q];
        }
        rowind[nnz] = (int32_t)(cp->n + blk);
        val[nnz++] = 1.0;
        obj[nnew] = c;
        ub[nnew] = INFINITY;
        colptr[++nnew] = nnz;
    }
    int rc = dw_master_add(ms, nnew, obj, lb, ub, colptr, rowind, val);
    free(colptr); free(rowind); free(val); free(obj); free(lb); free(ub);
    *lagr = valid ? L : -INFINITY;
    *added = (long)nnew;
    return rc;
}
