/* solver/lp_split.c - see lp_split.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "lp_glpk.h"
#include "lp_split.h"

void cn_lp_split_destroy(cn_lp_split **ps)
{
    if (!ps || !*ps)
        return;
    cn_lp_split *s = *ps;
    cn_lp_destroy(&s->lp);
    free(s->row_t);
    free(s->col_t);
    free(s->win_row);
    free(s->win_u);
    free(s->win_first);
    free(s);
    *ps = NULL;
}

/* An LP of nrows rows and ncols columns with room for nnz entries (the
 * solver's fields only). */
static cn_lp *lp_alloc(int64_t nrows, int64_t ncols, int64_t nnz)
{
    cn_lp *lp = cn_calloc(1, sizeof *lp);
    if (!lp)
        return NULL;
    lp->nrows = nrows;
    lp->ncols = ncols;
    lp->nnz = nnz;
    lp->obj = cn_calloc((size_t)ncols + 1, sizeof *lp->obj);
    lp->lb = cn_calloc((size_t)ncols + 1, sizeof *lp->lb);
    lp->ub = cn_calloc((size_t)ncols + 1, sizeof *lp->ub);
    lp->is_int = cn_calloc((size_t)ncols + 1, 1);
    lp->row_lo = cn_calloc((size_t)nrows + 1, sizeof *lp->row_lo);
    lp->row_hi = cn_calloc((size_t)nrows + 1, sizeof *lp->row_hi);
    lp->row_kind = cn_calloc((size_t)nrows + 1, 1);
    lp->colptr = cn_calloc((size_t)ncols + 1, sizeof *lp->colptr);
    lp->rowind = cn_calloc((size_t)nnz + 1, sizeof *lp->rowind);
    lp->val = cn_calloc((size_t)nnz + 1, sizeof *lp->val);
    if (!lp->obj || !lp->lb || !lp->ub || !lp->is_int || !lp->row_lo || !lp->row_hi ||
        !lp->row_kind || !lp->colptr || !lp->rowind || !lp->val)
        cn_lp_destroy(&lp);
    return lp;
}

/* The period of each row: that of all its columns with a period (x, pg,
 * pgr), -1 when they differ or none has one. */
static void row_periods(const cn_lp *lp, int32_t *rt)
{
    for (int64_t i = 0; i < lp->nrows; i++)
        rt[i] = -2;
    for (int64_t j = 0; j < lp->ncols; j++) {
        int32_t t = lp->col_t[j];
        if (t < 0)
            continue;
        for (int64_t p = lp->colptr[j]; p < lp->colptr[j + 1]; p++) {
            int32_t i = lp->rowind[p];
            rt[i] = rt[i] == -2 || rt[i] == t ? t : -1;
        }
    }
    for (int64_t i = 0; i < lp->nrows; i++)
        if (rt[i] == -2)
            rt[i] = -1;
}

int cn_lp_split_build(const cn_lp *lp, cn_lp_split **out)
{
    *out = NULL;
    int rc = CN_EOSERR;
    int64_t m0 = lp->nrows, n0 = lp->ncols;
    cn_lp_split *s = cn_calloc(1, sizeof *s);
    int32_t *rt = cn_calloc((size_t)m0 + 1, sizeof *rt);
    int64_t *win_of = cn_calloc((size_t)m0 + 1, sizeof *win_of); /* row -> window + 1 */
    int32_t *tlo = NULL;
    if (!s || !rt || !win_of)
        goto fail;
    s->nrows0 = m0;
    s->ncols0 = n0;
    row_periods(lp, rt);
    /* windows: demand rows over columns of more than one period (a demand
     * row of its u only is no window: it stays as it is) */
    int32_t *rlo = cn_calloc((size_t)m0 + 1, sizeof *rlo), *rhi = cn_calloc((size_t)m0 + 1, sizeof *rhi);
    if (!rlo || !rhi) {
        free(rlo);
        free(rhi);
        goto fail;
    }
    for (int64_t i = 0; i < m0; i++) {
        rlo[i] = INT32_MAX;
        rhi[i] = -1;
    }
    for (int64_t j = 0; j < n0; j++)
        for (int64_t p = lp->colptr[j]; p < lp->colptr[j + 1] && lp->col_t[j] >= 0; p++) {
            int32_t i = lp->rowind[p];
            if (lp->col_t[j] < rlo[i])
                rlo[i] = lp->col_t[j];
            if (lp->col_t[j] > rhi[i])
                rhi[i] = lp->col_t[j];
        }
    for (int64_t i = 0; i < m0; i++)
        if (lp->row_kind[i] == CN_ROW_DEMAND && rt[i] == -1 && rhi[i] > rlo[i])
            win_of[i] = ++s->nwin;
    tlo = cn_calloc((size_t)s->nwin + 1, sizeof *tlo);
    s->win_row = cn_calloc((size_t)s->nwin + 1, sizeof *s->win_row);
    s->win_u = cn_calloc((size_t)s->nwin + 1, sizeof *s->win_u);
    s->win_first = cn_calloc((size_t)s->nwin + 2, sizeof *s->win_first);
    if (!tlo || !s->win_row || !s->win_u || !s->win_first) {
        free(rlo);
        free(rhi);
        goto fail;
    }
    for (int64_t i = 0; i < m0; i++)
        if (win_of[i]) {
            int64_t w = win_of[i] - 1;
            s->win_row[w] = i;
            s->win_u[w] = -1;
            tlo[w] = rlo[i];
            s->win_first[w + 1] = s->win_first[w] + (rhi[i] - rlo[i] + 1);
        }
    free(rlo);
    free(rhi);
    for (int64_t j = 0; j < n0; j++) /* a window's u: its column of no period */
        for (int64_t p = lp->colptr[j]; p < lp->colptr[j + 1] && lp->col_t[j] < 0; p++)
            if (win_of[lp->rowind[p]])
                s->win_u[win_of[lp->rowind[p]] - 1] = j;
    int64_t nsplit = s->win_first[s->nwin];
    int64_t m = m0 + nsplit, n = n0 + 2 * nsplit, nnz = lp->nnz + 3 * nsplit;
    cn_lp *q = s->lp = lp_alloc(m, n, nnz);
    s->row_t = cn_calloc((size_t)m + 1, sizeof *s->row_t);
    s->col_t = cn_calloc((size_t)n + 1, sizeof *s->col_t);
    if (!q || !s->row_t || !s->col_t)
        goto fail;
    /* rows: the LP's, a window's with bounds [0, 0]; then the split rows,
     * each with the window's bounds over L */
    for (int64_t i = 0; i < m0; i++) {
        q->row_lo[i] = win_of[i] ? 0.0 : lp->row_lo[i];
        q->row_hi[i] = win_of[i] ? 0.0 : lp->row_hi[i];
        q->row_kind[i] = lp->row_kind[i];
        s->row_t[i] = rt[i];
    }
    for (int64_t w = 0; w < s->nwin; w++) {
        int64_t i0 = s->win_row[w], L = s->win_first[w + 1] - s->win_first[w];
        for (int64_t k = s->win_first[w]; k < s->win_first[w + 1]; k++) {
            q->row_lo[m0 + k] = lp->row_lo[i0] / (double)L;
            q->row_hi[m0 + k] = lp->row_hi[i0] / (double)L;
            q->row_kind[m0 + k] = CN_ROW_DEMAND;
            s->row_t[m0 + k] = tlo[w] + (int32_t)(k - s->win_first[w]);
        }
    }
    /* the LP's columns: an x entry in a window row moves to its period's
     * split row; a window's u stays there, fixed at 0 */
    int64_t nz = 0;
    for (int64_t j = 0; j < n0; j++) {
        q->obj[j] = lp->obj[j];
        q->lb[j] = lp->lb[j];
        q->ub[j] = lp->ub[j];
        q->is_int[j] = lp->is_int[j];
        s->col_t[j] = lp->col_t[j];
        q->colptr[j] = nz;
        for (int64_t p = lp->colptr[j]; p < lp->colptr[j + 1]; p++) {
            int64_t i = lp->rowind[p], w = win_of[i] - 1;
            if (w >= 0 && lp->col_t[j] >= 0)
                i = m0 + s->win_first[w] + (lp->col_t[j] - tlo[w]);
            q->rowind[nz] = (int32_t)i;
            q->val[nz++] = lp->val[p];
        }
    }
    /* a u column: the period of its row (-1 for a window's) */
    for (int64_t j = 0; j < n0; j++)
        if (lp->col_t[j] < 0 && lp->colptr[j + 1] - lp->colptr[j] == 1 &&
            lp->row_kind[lp->rowind[lp->colptr[j]]] == CN_ROW_DEMAND)
            s->col_t[j] = rt[lp->rowind[lp->colptr[j]]];
    for (int64_t w = 0; w < s->nwin; w++) {
        int64_t i0 = s->win_row[w], u = s->win_u[w];
        double au = 1.0;
        if (u >= 0) {
            au = lp->val[lp->colptr[u]];
            q->lb[u] = q->ub[u] = 0.0;
        }
        for (int64_t k = s->win_first[w]; k < s->win_first[w + 1]; k++) {
            int64_t js = n0 + 2 * k, ju = js + 1;
            int32_t t = tlo[w] + (int32_t)(k - s->win_first[w]);
            q->colptr[js] = nz; /* s_t: free, -1 in its split row, +1 in the window's */
            q->lb[js] = -INFINITY;
            q->ub[js] = INFINITY;
            s->col_t[js] = -1;
            q->rowind[nz] = (int32_t)(m0 + k);
            q->val[nz++] = -1.0;
            q->rowind[nz] = (int32_t)i0;
            q->val[nz++] = 1.0;
            q->colptr[ju] = nz; /* u_t: the window's u in its split row */
            q->obj[ju] = u >= 0 ? lp->obj[u] : 0.0;
            q->lb[ju] = 0.0;
            q->ub[ju] = u >= 0 ? lp->ub[u] : 0.0;
            s->col_t[ju] = t;
            q->rowind[nz] = (int32_t)(m0 + k);
            q->val[nz++] = au;
        }
    }
    q->colptr[n] = nz;
    q->nnz = nz;
    q->x0 = lp->x0;
    q->u0 = lp->u0;
    q->full = 0;
    rc = CN_OK;
    *out = s;
    s = NULL;
fail:
    cn_lp_split_destroy(&s);
    free(rt);
    free(win_of);
    free(tlo);
    return rc;
}

int cn_lp_split_period(const cn_lp_split *s, int32_t t, cn_lp **out, int64_t **rows,
                       int64_t **cols, int64_t *nsift)
{
    const cn_lp *q = s->lp;
    *out = NULL;
    *rows = *cols = NULL;
    int64_t *rmap = cn_calloc((size_t)q->nrows + 1, sizeof *rmap); /* row -> period row + 1 */
    int64_t m = 0, n = 0, nnz = 0;
    if (!rmap)
        return CN_EOSERR;
    for (int64_t i = 0; i < q->nrows; i++)
        if (s->row_t[i] == t)
            rmap[i] = ++m;
    for (int64_t j = 0; j < q->ncols; j++)
        if (s->col_t[j] == t) {
            n++;
            for (int64_t p = q->colptr[j]; p < q->colptr[j + 1]; p++)
                nnz += rmap[q->rowind[p]] > 0;
        }
    cn_lp *lp = lp_alloc(m, n, nnz);
    int64_t *r = cn_calloc((size_t)m + 1, sizeof *r), *c = cn_calloc((size_t)n + 1, sizeof *c);
    if (!lp || !r || !c) {
        cn_lp_destroy(&lp);
        free(r);
        free(c);
        free(rmap);
        return CN_EOSERR;
    }
    for (int64_t i = 0; i < q->nrows; i++)
        if (rmap[i]) {
            int64_t k = rmap[i] - 1;
            r[k] = i;
            lp->row_lo[k] = q->row_lo[i];
            lp->row_hi[k] = q->row_hi[i];
            lp->row_kind[k] = q->row_kind[i];
        }
    int64_t k = 0, nz = 0;
    *nsift = 0;
    for (int64_t j = 0; j < q->ncols; j++) {
        if (s->col_t[j] != t)
            continue;
        c[k] = j;
        *nsift += j >= q->x0 && j < q->u0;
        lp->obj[k] = q->obj[j];
        lp->lb[k] = q->lb[j];
        lp->ub[k] = q->ub[j];
        lp->colptr[k] = nz;
        for (int64_t p = q->colptr[j]; p < q->colptr[j + 1]; p++)
            if (rmap[q->rowind[p]]) {
                lp->rowind[nz] = (int32_t)(rmap[q->rowind[p]] - 1);
                lp->val[nz++] = q->val[p];
            }
        k++;
    }
    lp->colptr[n] = nz;
    free(rmap);
    *out = lp;
    *rows = r;
    *cols = c;
    return CN_OK;
}

int cn_lp_split_solution(const cn_lp_split *s, const cn_lp_solution *ss, cn_lp_solution *sol)
{
    memset(sol, 0, sizeof *sol);
    int64_t m0 = s->nrows0, n0 = s->ncols0;
    sol->status = ss->status;
    sol->objective = ss->objective;
    sol->bound = ss->bound;
    sol->iterations = ss->iterations;
    sol->col_value = cn_calloc((size_t)n0 + 1, sizeof *sol->col_value);
    if (ss->row_dual) {
        sol->row_dual = cn_calloc((size_t)m0 + 1, sizeof *sol->row_dual);
        sol->col_dual = cn_calloc((size_t)n0 + 1, sizeof *sol->col_dual);
    }
    if (!sol->col_value || (ss->row_dual && (!sol->row_dual || !sol->col_dual))) {
        cn_lp_solution_free(sol);
        return CN_EOSERR;
    }
    memcpy(sol->col_value, ss->col_value, (size_t)n0 * sizeof *sol->col_value);
    if (ss->row_dual) {
        memcpy(sol->row_dual, ss->row_dual, (size_t)m0 * sizeof *sol->row_dual);
        memcpy(sol->col_dual, ss->col_dual, (size_t)n0 * sizeof *sol->col_dual);
    }
    for (int64_t w = 0; w < s->nwin; w++) /* u = sum_t u_t */
        if (s->win_u[w] >= 0) {
            double u = 0.0;
            for (int64_t k = s->win_first[w]; k < s->win_first[w + 1]; k++)
                u += ss->col_value[n0 + 2 * k + 1];
            sol->col_value[s->win_u[w]] = u;
        }
    return CN_OK;
}
