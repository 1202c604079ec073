/* solver/dw_block.c - the decomposition's blocks: coupling rows, each part's
 * pricing LP and its convexity groups, the generated columns an owner keeps,
 * and pricing (dw_int.h, docs/solver.md "Blocks"). */
#include "dw_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../base/signals.h"

/* Row r couples blocks: by its flag, or by its kind when there are none. */
static int is_coupling(const cn_lp *lp, const char *coup_row, int64_t r)
{
    if (coup_row)
        return coup_row[r] != 0;
    int k = lp->row_kind[r];
    return k == CN_ROW_DEMAND || k == CN_ROW_LINK || k == CN_ROW_CARBON || k == CN_ROW_HUBGREEN;
}

int dw_coupling_build(const cn_derived *d, const cn_lp *lp, const char *coup_row,
                      coupling *cp)
{
    const cn_model *m = d->m;
    int64_t n = 0, nd = 0;
    memset(cp, 0, sizeof *cp);
    for (int64_t i = 0; i < lp->nrows; i++)
        if (is_coupling(lp, coup_row, i)) {
            n++;
            nd += lp->row_kind[i] == CN_ROW_DEMAND;
        }
    cp->n = n;
    cp->nd = nd;
    cp->nlocal_demand = d->ndrows - nd;
    cp->of_row = cn_calloc((size_t)lp->nrows, sizeof *cp->of_row);
    cp->b = cn_calloc((size_t)n + 1, sizeof *cp->b);
    cp->sense = cn_calloc((size_t)n + 1, 1);
    cp->pen = cn_calloc((size_t)nd + 1, sizeof *cp->pen);
    cp->drow = cn_calloc((size_t)nd + 1, sizeof *cp->drow);
    if (!cp->of_row || !cp->b || !cp->sense || !cp->pen || !cp->drow)
        return CN_EOSERR;
    /* rows are laid out with demand first (lp.h), so coupling index c < nd is
     * a demand row, in drow order */
    int64_t c = 0;
    for (int64_t i = 0; i < lp->nrows; i++) {
        int k = lp->row_kind[i];
        if (is_coupling(lp, coup_row, i)) {
            cp->of_row[i] = (int32_t)c;
            cp->nkind[k == CN_ROW_DEMAND ? 0 : k == CN_ROW_LINK ? 1 : k == CN_ROW_CARBON ? 2 : 3]++;
            cp->sense[c] = k == CN_ROW_DEMAND ? 'E' : k == CN_ROW_HUBGREEN ? 'G' : 'L';
            cp->b[c] = k == CN_ROW_HUBGREEN ? lp->row_lo[i] : lp->row_hi[i];
            if (k == CN_ROW_DEMAND) {
                long dr = (long)(i - lp->r_demand0);
                cp->drow[c] = (int32_t)dr;  /* w(b) * period_hours * penalty (model 1.1) */
                cp->pen[c] = cn_model_weight(m, d->drows[dr].t0) * m->sc.period_hours *
                             m->classes[d->drows[dr].cls].penalty;
            }
            c++;
        } else {
            cp->of_row[i] = -1;
        }
    }
    return CN_OK;
}

void dw_coupling_free(coupling *cp)
{
    free(cp->of_row);
    free(cp->b);
    free(cp->sense);
    free(cp->pen);
    free(cp->drow);
}

void dw_block_free(block *b)
{
    int64_t ng = b->ngrp;
    free(b->site);
    free(b->grp_of);
    free(b->grp_ptr);
    free(b->grp_col);
    free(b->cols);
    cn_glpk_destroy(&b->g);
    free(b->loc_row);
    free(b->cptr);
    free(b->cidx);
    free(b->cval);
    free(b->obj_mod);
    if (b->store)
        for (int64_t g = 0; g < ng; g++) {
            free(b->store[g].ptr);
            free(b->store[g].master);
            free(b->store[g].idx);
            free(b->store[g].val);
        }
    free(b->store);
}

int64_t dw_part_ngroups(int mode, int nsite, long T)
{
    return mode == CN_DW_BLOCKS_SITE_PERIOD ? (int64_t)nsite * T
         : mode == CN_DW_BLOCKS_PART_PERIOD ? (int64_t)T : 1;
}

/* Group of a column of site position pos (within the part) and period t. */
static int64_t group_of(int mode, int pos, long t, long T)
{
    return mode == CN_DW_BLOCKS_SITE_PERIOD ? (int64_t)pos * T + t
         : mode == CN_DW_BLOCKS_PART_PERIOD ? (int64_t)t : 0;
}

/* Group the block's columns: every group is a convexity block of the
 * master.  No local row spans sites or periods, so any union of (site,
 * period) cells is a valid group. */
static int block_groups(const cn_lp *lp, long T, int mode, block *b)
{
    int smax = -1;
    for (int64_t k = 0; k < b->ncols; k++)
        if (lp->col_site[b->cols[k]] > smax)
            smax = lp->col_site[b->cols[k]];
    int *pos = cn_calloc((size_t)smax + 2, sizeof *pos);
    if (!pos)
        return CN_EOSERR;
    for (int s = 0; s <= smax; s++)
        pos[s] = -1;
    for (int64_t k = 0; k < b->ncols; k++)
        if (lp->col_site[b->cols[k]] >= 0)   /* u columns (time blocks) have none */
            pos[lp->col_site[b->cols[k]]] = 0;
    for (int s = 0; s <= smax; s++)
        if (pos[s] == 0)
            pos[s] = b->nsite++;
    b->site = cn_calloc((size_t)b->nsite + 1, sizeof *b->site);
    int64_t ng = dw_part_ngroups(mode, b->nsite, T);
    b->ngrp = ng;
    b->grp_of = cn_calloc((size_t)b->ncols + 1, sizeof *b->grp_of);
    b->grp_ptr = cn_calloc((size_t)ng + 1, sizeof *b->grp_ptr);
    b->grp_col = cn_calloc((size_t)b->ncols + 1, sizeof *b->grp_col);
    b->store = cn_calloc((size_t)ng + 1, sizeof *b->store);
    if (!b->site || !b->grp_of || !b->grp_ptr || !b->grp_col || !b->store) {
        free(pos);
        return CN_EOSERR;
    }
    for (int s = 0; s <= smax; s++)
        if (pos[s] >= 0)
            b->site[pos[s]] = s;
    for (int64_t k = 0; k < b->ncols; k++) {
        int site = lp->col_site[b->cols[k]];
        int64_t g = site < 0 ? 0 : group_of(mode, pos[site], lp->col_t[b->cols[k]], T);
        b->grp_of[k] = g;
        b->grp_ptr[g + 1]++;
    }
    for (int64_t g = 0; g < ng; g++)
        b->grp_ptr[g + 1] += b->grp_ptr[g];
    int64_t *fill = cn_calloc((size_t)ng + 1, sizeof *fill);
    if (!fill) {
        free(pos);
        return CN_EOSERR;
    }
    for (int64_t k = 0; k < b->ncols; k++) {
        int64_t g = b->grp_of[k];
        b->grp_col[b->grp_ptr[g] + fill[g]++] = k;
    }
    free(fill);
    free(pos);
    return CN_OK;
}

int dw_block_build(const cn_lp *lp, const coupling *cp, const int32_t *col_unit, int p,
                   int32_t *row_map, long T, int mode, block *b)
{
    int rc = CN_OK;
    cn_lp loc;
    memset(&loc, 0, sizeof loc);
    memset(b, 0, sizeof *b);
    b->part = p;
    for (int64_t j = 0; j < lp->ncols; j++)
        b->ncols += col_unit[j] == p;
    b->cols = cn_calloc((size_t)b->ncols, sizeof *b->cols);
    b->cptr = cn_calloc((size_t)b->ncols + 1, sizeof *b->cptr);
    b->obj_mod = cn_calloc((size_t)b->ncols, sizeof *b->obj_mod);
    if (!b->cols || !b->cptr || !b->obj_mod)
        return CN_EOSERR;
    int64_t k = 0, ncoup = 0, nlocnz = 0;
    for (int64_t j = 0; j < lp->ncols; j++)
        if (col_unit[j] == p) {
            b->cols[k++] = j;
            for (int64_t q = lp->colptr[j]; q < lp->colptr[j + 1]; q++) {
                int32_t r = lp->rowind[q];
                if (cp->of_row[r] >= 0) {
                    ncoup++;
                } else {
                    nlocnz++;
                    if (row_map[r] < 0)
                        row_map[r] = (int32_t)b->nloc++;
                }
            }
        }
    b->loc_row = cn_calloc((size_t)b->nloc, sizeof *b->loc_row);
    b->cidx = cn_calloc((size_t)ncoup, sizeof *b->cidx);
    b->cval = cn_calloc((size_t)ncoup, sizeof *b->cval);
    loc.ncols = b->ncols;
    loc.nrows = b->nloc;
    loc.obj = cn_calloc((size_t)b->ncols, sizeof *loc.obj);
    loc.lb = cn_calloc((size_t)b->ncols, sizeof *loc.lb);
    loc.ub = cn_calloc((size_t)b->ncols, sizeof *loc.ub);
    loc.is_int = cn_calloc((size_t)b->ncols, 1);
    loc.colptr = cn_calloc((size_t)b->ncols + 1, sizeof *loc.colptr);
    loc.rowind = cn_calloc((size_t)nlocnz, sizeof *loc.rowind);
    loc.val = cn_calloc((size_t)nlocnz, sizeof *loc.val);
    loc.row_lo = cn_calloc((size_t)b->nloc, sizeof *loc.row_lo);
    loc.row_hi = cn_calloc((size_t)b->nloc, sizeof *loc.row_hi);
    if (!b->loc_row || !b->cidx || !b->cval || !loc.obj || !loc.lb || !loc.ub || !loc.is_int ||
        !loc.colptr || !loc.rowind || !loc.val || !loc.row_lo || !loc.row_hi) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    int64_t nc = 0, nl = 0;
    for (k = 0; k < b->ncols; k++) {
        int64_t j = b->cols[k];
        loc.obj[k] = lp->obj[j];
        loc.lb[k] = lp->lb[j];
        loc.ub[k] = lp->ub[j];
        for (int64_t q = lp->colptr[j]; q < lp->colptr[j + 1]; q++) {
            int32_t r = lp->rowind[q];
            if (cp->of_row[r] >= 0) {
                b->cidx[nc] = cp->of_row[r];
                b->cval[nc++] = lp->val[q];
            } else {
                int32_t lr = row_map[r];
                b->loc_row[lr] = r;
                loc.row_lo[lr] = lp->row_lo[r];
                loc.row_hi[lr] = lp->row_hi[r];
                loc.rowind[nl] = lr;
                loc.val[nl++] = lp->val[q];
            }
        }
        b->cptr[k + 1] = nc;
        loc.colptr[k + 1] = nl;
    }
    loc.nnz = nl;
    rc = cn_glpk_create(&loc, &b->g);
    if (rc != CN_OK)
        goto cleanup;
    rc = block_groups(lp, T, mode, b);
cleanup:
    free(loc.obj); free(loc.lb); free(loc.ub); free(loc.is_int); free(loc.colptr);
    free(loc.rowind); free(loc.val); free(loc.row_lo); free(loc.row_hi);
    return rc;
}

int dw_store_begin(colstore *st)
{
    if ((st->n & (st->n + 1)) == 0 || st->ptr == NULL) {
        size_t n = (size_t)(st->n + 2) * 2;
        int64_t *p = cn_realloc(st->ptr, n, sizeof *p);
        if (!p) return CN_EOSERR;
        st->ptr = p;
        int64_t *mc = cn_realloc(st->master, n, sizeof *mc);
        if (!mc) return CN_EOSERR;
        st->master = mc;
    }
    st->ptr[st->n] = st->nnz;
    st->tentative = st->n;
    return CN_OK;
}

int dw_store_put(colstore *st, int32_t idx, double v)
{
    if (st->nnz == st->cap) {
        int64_t n = st->cap * 2 + 256;
        int32_t *i = cn_realloc(st->idx, (size_t)n, sizeof *i);
        if (!i) return CN_EOSERR;
        st->idx = i;
        double *x = cn_realloc(st->val, (size_t)n, sizeof *x);
        if (!x) return CN_EOSERR;
        st->val = x;
        st->cap = n;
    }
    st->idx[st->nnz] = idx;
    st->val[st->nnz++] = v;
    return CN_OK;
}

void dw_store_settle(colstore *st, int64_t master)
{
    if (st->tentative < 0)
        return;
    if (master >= 0) {
        st->master[st->n] = master;
        st->n++;
        st->ptr[st->n] = st->nnz;
    } else {
        st->nnz = st->ptr[st->n];
    }
    st->tentative = -1;
}

int dw_price_blocks(dw *w, const double *pi, double **buf, int64_t *len, int keep,
                    cn_lp_solution *final)
{
    const cn_lp *lp = w->lp;
    int64_t cap = 0, n = 0;
    double *out = NULL;
    int rc = CN_OK;
    for (int p = w->p0; p < w->p1; p++) {
        block *b = &w->blocks[p - w->p0];
        if (keep && cn_signals_pending()) {
            rc = CN_ETEMPFAIL; /* a unit's solve is seconds, the year's iteration minutes */
            goto cleanup;
        }
        /* A unit's first solve starts from the optimal basis of the unit
         * before it in its chain (same part, same shape: the days of a year
         * differ in data, not in structure), the first unit of a chain cold
         * (sifting; with --no-sift the presolver); later solves, and a first
         * solve whose basis a warm start restored, from the unit's own basis.
         * Ranks hold
         * whole chains, so the unit before is always solved here first and
         * the vertex each solve ends at does not depend on the rank count
         * (docs/solver.md "Chains"). */
        int cold = !b->priced;
        if (!b->priced && w->chain > 1 && p > w->p0 && (p % w->ntb) % w->chain != 0) {
            const block *a = &w->blocks[p - 1 - w->p0];
            if (a->priced && a->ncols == b->ncols && a->nloc == b->nloc) {
                unsigned char *basis = NULL;
                int64_t nb = 0;
                int brc = cn_glpk_basis_get(a->g, &basis, &nb);
                if (brc == CN_OK)
                    brc = cn_glpk_basis_set(b->g, basis, nb); /* CN_EUSAGE: start cold */
                cold = brc != CN_OK;
                free(basis);
                if (brc == CN_EOSERR) {
                    rc = brc;
                    goto cleanup;
                }
            }
        }
        for (int64_t k = 0; k < b->ncols; k++) {
            double c = lp->obj[b->cols[k]];
            for (int64_t q = b->cptr[k]; q < b->cptr[k + 1]; q++)
                c -= pi[b->cidx[q]] * b->cval[q];
            b->obj_mod[k] = c;
        }
        CN_TRY(cn_glpk_set_obj(b->g, b->obj_mod, b->ncols));
        cn_glpk_opts go;
        cn_glpk_opts_init(&go);
        go.want_duals = final != NULL;
        /* a re-solve at new duals (and a chain's first solve from the basis
         * of the block before, when it is primal feasible) sifts over all the
         * block's columns: every column may wait outside.  A cold first solve
         * sifts like the monolithic LP, without the presolver, over the
         * block's x columns (its first ones: b->cols ascends), so that the
         * first working set is feasible (docs/benchmarks.md "Warm sifting") */
        go.sift = w->o->sift;
        go.sift_warm = 1;
        /* after a new y (Benders) a restored basis meets new bounds: the
         * primal simplex still, since the year's first iteration after one
         * took 665 s by the dual simplex against 273 s from cold */
        go.dual_warm = 0;
        go.sift_cols = b->ncols;
        if (cold && go.sift) {
            go.presolve = 0;
            int64_t nx = 0;
            while (nx < b->ncols && b->cols[nx] < lp->u0)
                nx++;
            go.sift_cols = nx;
        }
        cn_lp_solution sol;
        CN_TRY(cn_glpk_solve(b->g, &go, &sol));
        b->priced = 1;
        if (sol.status != CN_STATUS_OPTIMAL) {
            rc = CN_ERR(CN_ESOFTWARE, "pricing LP of part %d ended with status %s", p,
                        cn_status_name(sol.status));
            cn_lp_solution_free(&sol);
            goto cleanup;
        }
        if (final) {
            /* local duals into the rank-level solution (global row ids) */
            for (int64_t r = 0; r < b->nloc; r++)
                final->row_dual[b->loc_row[r]] = sol.row_dual[r];
            for (int64_t k = 0; k < b->ncols; k++)
                final->col_dual[b->cols[k]] = sol.col_dual[k];
            cn_lp_solution_free(&sol);
            continue;
        }
        /* one column per convexity group */
        for (int64_t gi = 0; gi < b->ngrp; gi++) {
            colstore *st = &b->store[gi];
            if (keep)
                CN_TRY(dw_store_begin(st));
            double v = 0.0, c = 0.0;
            int64_t nt = 0;
            for (int64_t e = b->grp_ptr[gi]; e < b->grp_ptr[gi + 1]; e++) {
                int64_t k = b->grp_col[e];
                double z = sol.col_value[k];
                if (z == 0.0)
                    continue;
                v += b->obj_mod[k] * z;
                c += lp->obj[b->cols[k]] * z;
                if (keep)
                    CN_TRY(dw_store_put(st, (int32_t)k, z));
                dw_coup_add(w, b, k, z, &nt);
            }
            if (n + 3 + 2 * nt > cap) {
                cap = (n + 3 + 2 * nt) * 2 + 1024;
                double *o2 = cn_realloc(out, (size_t)cap, sizeof *o2);
                if (!o2) {
                    for (int64_t q = 0; q < nt; q++)
                        w->scratch[w->touched[q]] = w->scratch_abs[w->touched[q]] = 0.0;
                    rc = CN_EOSERR;
                    goto cleanup;
                }
                out = o2;
            }
            out[n++] = v;
            out[n++] = c;
            n += dw_coup_pack(w, nt, out + n);
        }
        cn_lp_solution_free(&sol);
    }
cleanup:
    *buf = out;
    *len = n;
    return rc;
}

void dw_coup_add(dw *w, const block *b, int64_t k, double z, int64_t *nt)
{
    for (int64_t q = b->cptr[k]; q < b->cptr[k + 1]; q++) {
        int32_t i = b->cidx[q];
        double t = b->cval[q] * z;
        if (w->scratch_abs[i] == 0.0)
            w->touched[(*nt)++] = i;
        w->scratch[i] += t;
        w->scratch_abs[i] += fabs(t) + 1e-300; /* nonzero: marks the row touched */
    }
}

/* An entry of the accumulator that is not rounding (dw_int.h). */
static int coup_kept(const dw *w, int32_t i, double big)
{
    double v = fabs(w->scratch[i]);
    return v > 1e-12 * w->scratch_abs[i] && v > 1e-12 * big;
}

int64_t dw_coup_pack(dw *w, int64_t nt, double *out)
{
    double big = 0.0;
    for (int64_t q = 0; q < nt; q++)
        big = fmax(big, fabs(w->scratch[w->touched[q]]));
    int64_t m = 0;
    for (int64_t q = 0; q < nt; q++)
        m += coup_kept(w, w->touched[q], big);
    int64_t j = 0;
    for (int64_t q = 0; q < nt; q++) {
        int32_t i = w->touched[q];
        if (coup_kept(w, i, big)) {
            out[1 + j] = (double)i;
            out[1 + m + j++] = w->scratch[i];
        }
    }
    for (int64_t q = 0; q < nt; q++)
        w->scratch[w->touched[q]] = w->scratch_abs[w->touched[q]] = 0.0;
    out[0] = (double)m;
    return 1 + 2 * m;
}

void dw_store_drop_all(dw *w)
{
    for (int p = w->p0; p < w->p1; p++)
        for (int64_t gi = 0; gi < w->part_ngrp[p]; gi++) {
            colstore *st = &w->blocks[p - w->p0].store[gi];
            if (st->ptr) /* begun at least once */
                dw_store_settle(st, -1);
        }
}

int64_t dw_part_block0(const dw *w, int p)
{
    return w->blk0[p];
}

int dw_part_of_block(const dw *w, int64_t blk)
{
    if (blk < 0 || blk >= w->nblk)
        return -1;
    int lo = 0, hi = w->nunits - 1;  /* the last unit whose first block is <= blk */
    while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2;
        if (w->blk0[mid] <= blk)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}
