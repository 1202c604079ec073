/* solver/dw.c - Dantzig-Wolfe decomposition (see dw.h, docs/solver.md).
 *
 * Notation: coupling rows i (demand, link, carbon, hub share) with duals pi;
 * blocks (p, t) = (part, period) with convexity duals mu.  A block column q
 * is an extreme point z_q of the block's polytope; the master holds only its
 * cost c_q = c.z_q and its coupling coefficients A_q = A z_q.  For duals pi,
 *   L(pi) = pi.b + sum_(p,t) min_z (c - pi A) z
 * is a lower bound on the optimum (u's term is 0 because pi_demand <= its
 * penalty), and the master objective an upper bound.  Collective throughout;
 * every rank takes part in the same sequence of collectives. */
#include "dw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../base/log.h"
#include "../base/mpiutil.h"
#include "../base/signals.h"
#include "../io/h5ckpt.h"
#include "partition.h"

const char *cn_dw_blocks_name(int blocks)
{
    return blocks == CN_DW_BLOCKS_SITE_PERIOD ? "site-period"
         : blocks == CN_DW_BLOCKS_PART_PERIOD ? "part-period" : "part";
}

int cn_dw_blocks_parse(const char *name)
{
    for (int b = CN_DW_BLOCKS_SITE_PERIOD; b <= CN_DW_BLOCKS_PART; b++)
        if (!strcmp(name, cn_dw_blocks_name(b)))
            return b;
    return -1;
}

void cn_dw_opts_init(cn_dw_opts *o)
{
    memset(o, 0, sizeof *o);
    o->gap = 1e-6;
    o->max_iter = 10000;
    o->alpha = 0.5;
    o->part_method = CN_PART_METIS;
    o->fail_rank = -1;
    o->col_age_max = 8;
}

void cn_iterlog_free(cn_iterlog *log)
{
    free(log->iteration);
    free(log->master_obj);
    free(log->lower_bound);
    free(log->gap);
    free(log->elapsed_s);
    free(log->columns_added);
    memset(log, 0, sizeof *log);
}

static int iterlog_push(cn_iterlog *log, long it, double ub, double lb, double gap, long added,
                        double el)
{
    if ((log->n & (log->n - 1)) == 0) { /* grow at powers of two */
        size_t n = log->n ? (size_t)log->n * 2 : 16;
        long *a = cn_realloc(log->iteration, n, sizeof *a);
        if (!a) return CN_EOSERR;
        log->iteration = a;
        double *b = cn_realloc(log->master_obj, n, sizeof *b);
        if (!b) return CN_EOSERR;
        log->master_obj = b;
        b = cn_realloc(log->lower_bound, n, sizeof *b);
        if (!b) return CN_EOSERR;
        log->lower_bound = b;
        b = cn_realloc(log->gap, n, sizeof *b);
        if (!b) return CN_EOSERR;
        log->gap = b;
        b = cn_realloc(log->elapsed_s, n, sizeof *b);
        if (!b) return CN_EOSERR;
        log->elapsed_s = b;
        a = cn_realloc(log->columns_added, n, sizeof *a);
        if (!a) return CN_EOSERR;
        log->columns_added = a;
    }
    log->iteration[log->n] = it;
    log->master_obj[log->n] = ub;
    log->lower_bound[log->n] = lb;
    log->gap[log->n] = gap;
    log->columns_added[log->n] = added;
    log->elapsed_s[log->n] = el;
    log->n++;
    return CN_OK;
}

/* ---- coupling rows ---- */

typedef struct coupling {
    int64_t n;            /* coupling rows */
    int64_t nd;           /* the first nd are the demand rows, in drow order */
    int32_t *of_row;      /* [global row] coupling index or -1 (local row) */
    double *b;            /* right-hand sides */
    char *sense;          /* 'E' demand, 'L' link/carbon, 'G' hub share */
    double *pen;          /* [nd] w(b) * period_hours * penalty: the cost of u */
    int64_t nkind[4];     /* rows by kind: demand, link, carbon, hub green share */
} coupling;

static int coupling_build(const cn_derived *d, const cn_lp *lp, coupling *cp)
{
    const cn_model *m = d->m;
    int64_t n = 0;
    memset(cp, 0, sizeof *cp);
    for (int64_t i = 0; i < lp->nrows; i++) {
        int k = lp->row_kind[i];
        n += k == CN_ROW_DEMAND || k == CN_ROW_LINK || k == CN_ROW_CARBON || k == CN_ROW_HUBGREEN;
    }
    cp->n = n;
    cp->nd = d->ndrows;
    cp->of_row = cn_calloc((size_t)lp->nrows, sizeof *cp->of_row);
    cp->b = cn_calloc((size_t)n, sizeof *cp->b);
    cp->sense = cn_calloc((size_t)n, 1);
    cp->pen = cn_calloc((size_t)cp->nd, sizeof *cp->pen);
    if (!cp->of_row || !cp->b || !cp->sense || !cp->pen)
        return CN_EOSERR;
    /* rows are laid out with demand first (lp.h), so coupling index i < nd is
     * demand row i */
    int64_t c = 0;
    for (int64_t i = 0; i < lp->nrows; i++) {
        int k = lp->row_kind[i];
        if (k == CN_ROW_DEMAND || k == CN_ROW_LINK || k == CN_ROW_CARBON || k == CN_ROW_HUBGREEN) {
            cp->of_row[i] = (int32_t)c;
            cp->nkind[k == CN_ROW_DEMAND ? 0 : k == CN_ROW_LINK ? 1 : k == CN_ROW_CARBON ? 2 : 3]++;
            cp->sense[c] = k == CN_ROW_DEMAND ? 'E' : k == CN_ROW_HUBGREEN ? 'G' : 'L';
            cp->b[c] = k == CN_ROW_HUBGREEN ? lp->row_lo[i] : lp->row_hi[i];
            c++;
        } else {
            cp->of_row[i] = -1;
        }
    }
    for (long i = 0; i < d->ndrows; i++)   /* w(b) * period_hours * penalty (model 1.1) */
        cp->pen[i] = cn_model_weight(m, d->drows[i].t0) * m->sc.period_hours *
                     m->classes[d->drows[i].cls].penalty;
    return CN_OK;
}

static void coupling_free(coupling *cp)
{
    free(cp->of_row);
    free(cp->b);
    free(cp->sense);
    free(cp->pen);
}

/* ---- blocks: one per part owned by this rank ---- */

typedef struct colstore {      /* generated columns of one (part, period) */
    int64_t n;
    int64_t *ptr;              /* [n + 1] into idx/val */
    int64_t *master;           /* [n] master column index of each */
    int64_t nnz, cap;
    int32_t *idx;              /* index into the block's columns */
    double *val;
    int64_t tentative;         /* start of this iteration's column (-1: none) */
    int64_t tent_nnz;
} colstore;

typedef struct block {
    int part;
    int64_t ncols;
    int64_t *cols;             /* block column k -> column of the rank's lp */
    cn_glpk *g;                /* local rows only */
    int64_t nloc;
    int32_t *loc_row;          /* local row -> global row */
    int64_t *cptr;             /* coupling CSC over block columns */
    int32_t *cidx;
    double *cval;
    double *obj_mod;
    int nsite;                 /* sites of the part, ascending */
    int *site;
    int64_t ngrp;              /* convexity groups of the part (part_ngroups) */
    int64_t *grp_of;           /* [ncols] group of each block column */
    int64_t *grp_ptr;          /* [ngrp + 1] block columns of group g ... */
    int64_t *grp_col;          /* ... listed in grp_col[grp_ptr[g] .. grp_ptr[g+1]) */
    colstore *store;           /* [ngrp] */
} block;

static void block_free(block *b)
{
    long T = (long)b->ngrp;
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
        for (long t = 0; t < T; t++) {
            free(b->store[t].ptr);
            free(b->store[t].master);
            free(b->store[t].idx);
            free(b->store[t].val);
        }
    free(b->store);
}

/* Convexity groups of a part of nsite sites over T periods: one per (site,
 * period), per period, or one for the whole horizon (enum cn_dw_blocks). */
static int64_t part_ngroups(int mode, int nsite, long T)
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
static int block_groups(const cn_lp *lp, const int *part, int p, long T, int mode, block *b)
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
        pos[lp->col_site[b->cols[k]]] = 0;
    for (int s = 0; s <= smax; s++)
        if (pos[s] == 0 && part[s] == p)
            pos[s] = b->nsite++;
    b->site = cn_calloc((size_t)b->nsite + 1, sizeof *b->site);
    int64_t ng = part_ngroups(mode, b->nsite, T);
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
        int64_t g = group_of(mode, pos[lp->col_site[b->cols[k]]], lp->col_t[b->cols[k]], T);
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

/* The block of part p: its columns from the rank's lp, its local rows as a
 * GLPK problem, and the coupling coefficients kept aside. */
static int block_build(const cn_lp *lp, const coupling *cp, const int *part, int p,
                       int32_t *row_map, long T, int mode, block *b)
{
    int rc = CN_OK;
    cn_lp loc;
    memset(&loc, 0, sizeof loc);
    memset(b, 0, sizeof *b);
    b->part = p;
    for (int64_t j = 0; j < lp->ncols; j++)
        b->ncols += part[lp->col_site[j]] == p;
    b->cols = cn_calloc((size_t)b->ncols, sizeof *b->cols);
    b->cptr = cn_calloc((size_t)b->ncols + 1, sizeof *b->cptr);
    b->obj_mod = cn_calloc((size_t)b->ncols, sizeof *b->obj_mod);
    if (!b->cols || !b->cptr || !b->obj_mod)
        return CN_EOSERR;
    int64_t k = 0, ncoup = 0, nlocnz = 0;
    for (int64_t j = 0; j < lp->ncols; j++)
        if (part[lp->col_site[j]] == p) {
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
    rc = block_groups(lp, part, p, T, mode, b);
cleanup:
    free(loc.obj); free(loc.lb); free(loc.ub); free(loc.is_int); free(loc.colptr);
    free(loc.rowind); free(loc.val); free(loc.row_lo); free(loc.row_hi);
    return rc;
}

static int store_begin(colstore *st)
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

static int store_put(colstore *st, int32_t idx, double v)
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

/* Keep (master index >= 0) or drop the tentative column of this iteration. */
static void store_settle(colstore *st, int64_t master)
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

/* ---- the master (rank 0) ---- */

typedef struct master {
    cn_glpk *g;
    int64_t nrows;         /* coupling rows + convexity rows */
    int64_t nu;            /* u columns first */
    int64_t ncols;         /* all columns: u, zero columns, generated columns */
    int64_t nlambda;       /* generated columns (not counting zero columns) */
    int64_t first_gen;     /* first generated column */
    int stopped;           /* the last solve stopped at the time limit (feasible) */
    /* Generated columns have logical ids (first_gen, first_gen + 1, ... in the
     * order they were made), which the owners know them by; aged columns are
     * deleted from GLPK, so a GLPK column index maps to its logical id. */
    int64_t nlogical;      /* next logical id */
    int64_t *logical_of;   /* [ncols] GLPK column -> logical id */
    int *age;              /* [ncols] master solves spent nonbasic and priced out */
    int64_t cap;           /* allocated length of logical_of / age */
    double obj;
    double *dual;          /* [nrows] */
    double *x;             /* [ncols] primal */
    double *rc;            /* [ncols] reduced costs */
} master;

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

/* Add columns to the master; they get the next logical ids. */
static int master_add(master *ms, int64_t n, const double *obj, const double *lb,
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

/* Column ageing: a generated column that sat nonbasic at zero with a
 * positive reduced cost for age_max master solves in a row is deleted from
 * GLPK (its owner keeps the point: it can come back only as a new column).
 * Nonbasic columns go without disturbing the basis, so the next solve still
 * warm-starts; the master stays small enough to re-solve quickly. */
static int master_age(master *ms, int age_max)
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
    }
    free(del);
    return rc;
}

static int master_build(const coupling *cp, int64_t nconv, master *ms)
{
    int rc = CN_OK;
    cn_lp lp;
    memset(&lp, 0, sizeof lp);
    memset(ms, 0, sizeof *ms);
    ms->nrows = cp->n + nconv;
    ms->nu = cp->nd;
    lp.nrows = ms->nrows;
    lp.ncols = cp->nd + nconv; /* u, then a zero column per block */
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
    for (int64_t j = 0; j < lp.ncols; j++) {
        lp.ub[j] = INFINITY;
        lp.colptr[j + 1] = j + 1;
        lp.val[j] = 1.0;
        if (j < cp->nd) {
            lp.obj[j] = cp->pen[j];
            lp.rowind[j] = (int32_t)j;                 /* u in its demand row */
        } else {
            lp.rowind[j] = (int32_t)(cp->n + (j - cp->nd)); /* zero column: convexity */
        }
    }
    rc = cn_glpk_create(&lp, &ms->g);
    ms->ncols = 0;
    ms->first_gen = lp.ncols;
    ms->nlogical = lp.ncols;
    if (rc == CN_OK)
        rc = master_reserve(ms, lp.ncols);
    if (rc == CN_OK)
        for (int64_t j = 0; j < lp.ncols; j++) {
            ms->logical_of[j] = j; /* u and zero columns: never deleted */
            ms->age[j] = 0;
        }
    ms->ncols = lp.ncols;
cleanup:
    free(lp.obj); free(lp.lb); free(lp.ub); free(lp.is_int); free(lp.colptr);
    free(lp.rowind); free(lp.val); free(lp.row_lo); free(lp.row_hi);
    return rc;
}

/* Rank 0: re-solve the master.  time_left_s > 0 bounds the simplex (the
 * run's --time-limit): stopped there, the master keeps a primal feasible
 * point (the old basis stays feasible when columns are added, so the primal
 * simplex is in phase 2), its objective a valid upper bound; ms->stopped is
 * set and the caller stops iterating. */
static int master_solve(master *ms, int first, double time_left_s)
{
    /* new columns arrive unscaled (coefficients in PFLOPS next to costs of
     * 1e9 yuan): rescale, which halves the master's time on the bundled model */
    if (!first)
        cn_glpk_rescale(ms->g);
    cn_glpk_opts o;
    cn_glpk_opts_init(&o);
    o.presolve = first;
    o.time_limit_s = time_left_s;
    cn_lp_solution sol;
    int rc = cn_glpk_solve(ms->g, &o, &sol);
    if (rc != CN_OK)
        return rc;
    ms->stopped = time_left_s > 0 && sol.status == CN_STATUS_FEASIBLE;
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
    return CN_OK;
}

static void master_free(master *ms)
{
    cn_glpk_destroy(&ms->g);
    free(ms->dual);
    free(ms->x);
    free(ms->rc);
    free(ms->logical_of);
    free(ms->age);
}

/* ---- the decomposition ---- */

typedef struct dw {
    const cn_derived *d;
    const cn_dw_opts *o;
    MPI_Comm comm;
    int rank, size;
    int *part;             /* [site] */
    int nparts;
    int *part_nsites;      /* [part] */
    int64_t *part_ngrp;    /* [part] convexity groups (blocks of the master) */
    int64_t nblk;          /* all groups */
    int p0, p1;            /* parts [p0, p1) belong to this rank */
    long T;
    cn_lp *lp;             /* this rank's columns (all its parts' sites) */
    coupling cp;
    block *blocks;         /* [p1 - p0] */
    int32_t *row_map;      /* [global row] local index within its block */
    master ms;             /* rank 0 */
    double *pi_sep, *pi_center;   /* [cp.n + 1]: last entry is a control word */
    double lb, ub;
    double *scratch;       /* [cp.n] coupling accumulator */
    double *subgrad;       /* [cp.n] rank 0: b - A z at the separation point */
    int32_t *touched;
} dw;

static int owner_of_part(int p, int nparts, int size)
{
    /* parts are dealt out in contiguous ranges: rank r gets [r*P/size, (r+1)*P/size) */
    for (int r = 0; r < size; r++)
        if (p < (int)(((long)(r + 1) * nparts) / size))
            return r;
    return size - 1;
}

/* Price every block of this rank at duals pi; pack, per (p, t):
 * [v, c, n, idx_1..idx_n, val_1..val_n]; store the columns tentatively.
 * If out_duals != NULL, the local duals/solution are kept for the final
 * extraction instead (no packing). */
static int price_blocks(dw *w, const double *pi, double **buf, int64_t *len, int keep,
                        cn_lp_solution *final)
{
    const cn_lp *lp = w->lp;
    int64_t cap = 0, n = 0;
    double *out = NULL;
    int rc = CN_OK;
    for (int p = w->p0; p < w->p1; p++) {
        block *b = &w->blocks[p - w->p0];
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
        cn_lp_solution sol;
        CN_TRY(cn_glpk_solve(b->g, &go, &sol));
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
        /* one column per (site, period) */
        for (int64_t gi = 0; gi < b->ngrp; gi++) {
            colstore *st = &b->store[gi];
            if (keep)
                CN_TRY(store_begin(st));
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
                    CN_TRY(store_put(st, (int32_t)k, z));
                for (int64_t q = b->cptr[k]; q < b->cptr[k + 1]; q++) {
                    int32_t i = b->cidx[q];
                    if (w->scratch[i] == 0.0)
                        w->touched[nt++] = i;
                    w->scratch[i] += b->cval[q] * z;
                    if (w->scratch[i] == 0.0)
                        w->scratch[i] = 1e-300; /* keep it marked as touched */
                }
            }
            if (n + 3 + 2 * nt > cap) {
                cap = (n + 3 + 2 * nt) * 2 + 1024;
                double *o2 = cn_realloc(out, (size_t)cap, sizeof *o2);
                if (!o2) {
                    rc = CN_EOSERR;
                    goto cleanup;
                }
                out = o2;
            }
            out[n++] = v;
            out[n++] = c;
            out[n++] = (double)nt;
            for (int64_t q = 0; q < nt; q++)
                out[n + q] = (double)w->touched[q];
            for (int64_t q = 0; q < nt; q++) {
                out[n + nt + q] = w->scratch[w->touched[q]] == 1e-300 ? 0.0
                                                                     : w->scratch[w->touched[q]];
                w->scratch[w->touched[q]] = 0.0;
            }
            n += 2 * nt;
        }
        cn_lp_solution_free(&sol);
    }
cleanup:
    *buf = out;
    *len = n;
    return rc;
}

/* Gather the packed pricing results on rank 0, in rank (= part) order. */
static int gather(dw *w, const double *buf, int64_t len, double **all, int64_t *alllen)
{
    int n = (int)len;
    int *counts = NULL, *displs = NULL;
    *all = NULL;
    *alllen = 0;
    if (w->rank == 0) {
        counts = cn_calloc((size_t)w->size, sizeof *counts);
        displs = cn_calloc((size_t)w->size, sizeof *displs);
        if (!counts || !displs) {
            free(counts);
            free(displs);
            return CN_EOSERR; /* the caller agrees before the next collective */
        }
    }
    MPI_Gather(&n, 1, MPI_INT, counts, 1, MPI_INT, 0, w->comm);
    if (w->rank == 0) {
        int64_t tot = 0;
        for (int r = 0; r < w->size; r++) {
            displs[r] = (int)tot;
            tot += counts[r];
        }
        *all = cn_calloc((size_t)tot + 1, sizeof **all);
        *alllen = tot;
    }
    MPI_Gatherv(buf, n, MPI_DOUBLE, *all, counts, displs, MPI_DOUBLE, 0, w->comm);
    free(counts);
    free(displs);
    return CN_OK;
}

/* Rank 0: bound, reduced costs, new master columns.  flags[(p-0)*T + t]. */
static int master_take(dw *w, const double *pi, const double *all, int64_t len, char *flags,
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
        /* reduced cost against the master's own duals */
        double rc = c - ms->dual[cp->n + blk];
        for (int64_t q = 0; q < nt; q++)
            rc -= ms->dual[(int64_t)idx[q]] * a[q];
        flags[blk] = 0;
        if (!(rc < -1e-9 * fmax(1.0, fabs(c))) || nt == 0)
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
    int rc = master_add(ms, nnew, obj, lb, ub, colptr, rowind, val);
    free(colptr); free(rowind); free(val); free(obj); free(lb); free(ub);
    *lagr = valid ? L : -INFINITY;
    *added = (long)nnew;
    return rc;
}

static int setup(dw *w)
{
    const cn_derived *d = w->d;
    const cn_model *m = d->m;
    int rc = CN_OK;
    char *mask = NULL;
    cn_lp *full_rows = NULL;
    w->T = m->sc.periods;
    w->part = cn_calloc((size_t)m->nsites, sizeof *w->part);
    if (!w->part)
        return CN_EOSERR;
    /* default: about 8 sites a part, at least one part a rank; smaller parts
     * make the pricing LPs much cheaper (docs/benchmarks.md) */
    int want = w->o->nparts > 0 ? w->o->nparts : (m->nsites + 7) / 8;
    if (w->o->nparts <= 0 && want < w->size)
        want = w->size;
    CN_TRY(cn_partition(d, w->o->part_method, want, w->o->part_file, w->part, &w->nparts));
    w->part_nsites = cn_calloc((size_t)w->nparts, sizeof *w->part_nsites);
    if (!w->part_nsites) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    for (int s = 0; s < m->nsites; s++)
        w->part_nsites[w->part[s]]++;
    w->part_ngrp = cn_calloc((size_t)w->nparts, sizeof *w->part_ngrp);
    if (!w->part_ngrp) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    w->nblk = 0;
    for (int p = 0; p < w->nparts; p++) {
        w->part_ngrp[p] = part_ngroups(w->o->blocks, w->part_nsites[p], w->T);
        w->nblk += w->part_ngrp[p];
    }
    if (w->nparts < w->size)
        cn_log(CN_LOG_WARN, "%d parts for %d ranks: %d ranks have no part", w->nparts, w->size,
               w->size - w->nparts);
    w->p0 = (int)(((long)w->rank * w->nparts) / w->size);
    w->p1 = (int)(((long)(w->rank + 1) * w->nparts) / w->size);
    mask = cn_calloc((size_t)m->nsites, 1);
    if (!mask) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    for (int s = 0; s < m->nsites; s++)
        mask[s] = w->part[s] >= w->p0 && w->part[s] < w->p1;
    CN_TRY(cn_lp_build_part(d, mask, &w->lp));
    CN_TRY(coupling_build(d, w->lp, &w->cp));
    w->row_map = cn_calloc((size_t)w->lp->nrows, sizeof *w->row_map);
    w->blocks = cn_calloc((size_t)(w->p1 - w->p0) + 1, sizeof *w->blocks);
    w->scratch = cn_calloc((size_t)w->cp.n + 1, sizeof *w->scratch);
    w->subgrad = cn_calloc((size_t)w->cp.n + 1, sizeof *w->subgrad);
    w->touched = cn_calloc((size_t)w->cp.n + 1, sizeof *w->touched);
    w->pi_sep = cn_calloc((size_t)w->cp.n + 1, sizeof *w->pi_sep);
    w->pi_center = cn_calloc((size_t)w->cp.n + 1, sizeof *w->pi_center);
    if (!w->row_map || !w->blocks || !w->scratch || !w->subgrad || !w->touched || !w->pi_sep || !w->pi_center) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    for (int64_t i = 0; i < w->lp->nrows; i++)
        w->row_map[i] = -1;
    for (int p = w->p0; p < w->p1; p++)
        CN_TRY(block_build(w->lp, &w->cp, w->part, p, w->row_map, w->T, w->o->blocks,
                           &w->blocks[p - w->p0]));
cleanup:
    free(mask);
    cn_lp_destroy(&full_rows);
    return rc;
}

/* Final assembly on the owners: z = sum lambda_q z_q per block, into a
 * rank-level solution of the rank's lp; duals of local rows from pricing at
 * the best duals; coupling duals and u on rank 0. */
static int assemble(dw *w, const double *lambda, cn_result *res, double *viol)
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
    rc = price_blocks(w, w->pi_center, &buf, &len, 0, &sol);
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

/* Sum the rank-partial quantities of the result onto rank 0. */
static void reduce_result(dw *w, cn_result *res)
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

static void dw_free(dw *w)
{
    if (w->blocks)
        for (int p = w->p0; p < w->p1; p++)
            block_free(&w->blocks[p - w->p0]);
    free(w->blocks);
    free(w->part);
    free(w->part_nsites);
    free(w->part_ngrp);
    cn_lp_destroy(&w->lp);
    coupling_free(&w->cp);
    free(w->row_map);
    master_free(&w->ms);
    free(w->pi_sep);
    free(w->pi_center);
    free(w->scratch);
    free(w->subgrad);
    free(w->touched);
}

/* First global block index of part p (blocks are numbered part-major). */
static int64_t part_block0(const dw *w, int p)
{
    int64_t b = 0;
    for (int q = 0; q < p; q++)
        b += w->part_ngrp[q];
    return b;
}

/* Pack this rank's stored columns: [block, master, n, idx..., val...]; with
 * lambda (by master id), only those with lambda > 0. */
static int pack_columns(const dw *w, const double *lambda, double **out, int64_t *len)
{
    int64_t n = 0;
    for (int p = w->p0; p < w->p1; p++) {
        const block *b = &w->blocks[p - w->p0];
        for (int64_t gi = 0; gi < b->ngrp; gi++) {
            const colstore *st = &b->store[gi];
            n += 3 * st->n + 2 * (st->n ? st->ptr[st->n] : 0);
        }
    }
    double *buf = cn_calloc((size_t)n + 1, sizeof *buf);
    if (!buf)
        return CN_EOSERR;
    int64_t k = 0;
    for (int p = w->p0; p < w->p1; p++) {
        const block *b = &w->blocks[p - w->p0];
        int64_t b0 = part_block0(w, p);
        for (int64_t gi = 0; gi < b->ngrp; gi++) {
            const colstore *st = &b->store[gi];
            for (int64_t q = 0; q < st->n; q++) {
                if (lambda && !(lambda[st->master[q]] > 0.0))
                    continue;
                int64_t e0 = st->ptr[q], e1 = st->ptr[q + 1];
                buf[k++] = (double)(b0 + gi);
                buf[k++] = (double)st->master[q];
                buf[k++] = (double)(e1 - e0);
                for (int64_t e = e0; e < e1; e++)
                    buf[k++] = st->idx[e];
                for (int64_t e = e0; e < e1; e++)
                    buf[k++] = st->val[e];
            }
        }
    }
    *out = buf;
    *len = k;
    return CN_OK;
}

/* Collective: gather every rank's stored columns (with lambda: those with
 * lambda > 0) to rank 0 into *c (with the decomposition state); the other
 * ranks' *c stays empty.  c->pi_center
 * points into w: the caller NULLs it before cn_ckpt_free. */
static int columns_collect(dw *w, const double *lambda, long it, int have_center, cn_ckpt *c)
{
    double *buf = NULL, *all = NULL;
    int64_t len = 0, alllen = 0;
    memset(c, 0, sizeof *c);
    int rc = cn_mpi_agree(w->comm, pack_columns(w, lambda, &buf, &len));
    if (rc == CN_OK)
        rc = cn_mpi_agree(w->comm, gather(w, buf, len, &all, &alllen));
    free(buf);
    int lrc = CN_OK;
    if (rc == CN_OK && w->rank == 0) {
        snprintf(c->input_hash, sizeof c->input_hash, "%s", w->o->input_hash ? w->o->input_hash : "");
        c->iteration = it;
        c->lower_bound = w->lb;
        c->have_center = have_center;
        c->ncoup = w->cp.n;
        c->pi_center = w->pi_center;
        int64_t ncols = 0, nnz = 0;
        for (int64_t k = 0; k < alllen; ncols++) {
            int64_t n = (int64_t)all[k + 2];
            nnz += n;
            k += 3 + 2 * n;
        }
        c->ncols = ncols;
        c->col_block = cn_calloc((size_t)ncols + 1, sizeof *c->col_block);
        c->col_master = cn_calloc((size_t)ncols + 1, sizeof *c->col_master);
        c->col_ptr = cn_calloc((size_t)ncols + 1, sizeof *c->col_ptr);
        c->col_idx = cn_calloc((size_t)nnz + 1, sizeof *c->col_idx);
        c->col_val = cn_calloc((size_t)nnz + 1, sizeof *c->col_val);
        if (!c->col_block || !c->col_master || !c->col_ptr || !c->col_idx || !c->col_val) {
            lrc = CN_EOSERR;
        } else {
            int64_t q = 0, e = 0;
            for (int64_t k = 0; k < alllen; q++) {
                int64_t n = (int64_t)all[k + 2];
                c->col_block[q] = (int64_t)all[k];
                c->col_master[q] = (int64_t)all[k + 1];
                for (int64_t j = 0; j < n; j++, e++) {
                    c->col_idx[e] = (int32_t)all[k + 3 + j];
                    c->col_val[e] = all[k + 3 + n + j];
                }
                c->col_ptr[q + 1] = e;
                k += 3 + 2 * n;
            }
        }
    }
    free(all);
    if (rc == CN_OK)
        rc = cn_mpi_agree(w->comm, lrc);
    return rc;
}

/* Collective: write the decomposition state to o->ckpt_path (rank 0). */
static int checkpoint_write(dw *w, long it, int have_center)
{
    cn_ckpt c;
    int rc = columns_collect(w, NULL, it, have_center, &c);
    int lrc = CN_OK;
    if (rc == CN_OK && w->rank == 0)
        lrc = cn_ckpt_write(w->o->ckpt_path, &c);
    c.pi_center = NULL;
    cn_ckpt_free(&c);
    if (rc == CN_OK)
        rc = cn_mpi_agree(w->comm, lrc);
    if (rc == CN_OK && w->rank == 0)
        cn_log(CN_LOG_INFO, "checkpoint at iteration %ld written to %s", it, w->o->ckpt_path);
    return rc;
}

/* Not collective.  1 when the column z (n entries idx/val over block b's
 * columns) is a point of group gi's polytope in the current model: every
 * entry in the group and within its column bounds, every local row of the
 * group within its bounds (tolerance 1e-9 relative).  rowact, seen: [lp rows],
 * zero on entry and on return; zb: [b->ncols], zero on entry and on return. */
static int column_feasible(const dw *w, const block *b, int64_t gi, const int32_t *idx,
                           const double *val, int64_t n, double *rowact, char *seen, double *zb)
{
    const cn_lp *lp = w->lp;
    int ok = 1;
    for (int64_t e = 0; e < n; e++) {
        int64_t k = idx[e];
        if (k < 0 || k >= b->ncols) {
            ok = 0;
            continue;
        }
        int64_t j = b->cols[k];
        double v = val[e];
        if (b->grp_of[k] != gi || !(v >= lp->lb[j] - 1e-9 * (1 + fabs(lp->lb[j]))) ||
            !(v <= lp->ub[j] + 1e-9 * (1 + fabs(lp->ub[j]))))
            ok = 0;
        else
            zb[k] = v;
    }
    for (int64_t g = b->grp_ptr[gi]; g < b->grp_ptr[gi + 1]; g++) {
        int64_t k = b->grp_col[g], j = b->cols[k];
        for (int64_t q = lp->colptr[j]; q < lp->colptr[j + 1]; q++) {
            int32_t r = lp->rowind[q];
            if (w->cp.of_row[r] >= 0)
                continue;
            rowact[r] += lp->val[q] * zb[k];
            seen[r] = 1;
        }
    }
    for (int64_t g = b->grp_ptr[gi]; g < b->grp_ptr[gi + 1]; g++) {
        int64_t j = b->cols[b->grp_col[g]];
        for (int64_t q = lp->colptr[j]; q < lp->colptr[j + 1]; q++) {
            int32_t r = lp->rowind[q];
            if (!seen[r])
                continue;
            double a = rowact[r];
            if (!(a >= lp->row_lo[r] - 1e-9 * (1 + fabs(lp->row_lo[r]))) ||
                !(a <= lp->row_hi[r] + 1e-9 * (1 + fabs(lp->row_hi[r]))))
                ok = 0;
            rowact[r] = 0.0;
            seen[r] = 0;
        }
    }
    for (int64_t e = 0; e < n; e++)
        if (idx[e] >= 0 && idx[e] < b->ncols)
            zb[idx[e]] = 0.0;
    return ok;
}

static int cmp_i64_pair(const void *a, const void *b)
{
    const int64_t *x = a, *y = b;
    return (x[0] > y[0]) - (x[0] < y[0]);
}

/* The part of global block blk, or -1. */
static int part_of_block(const dw *w, int64_t blk)
{
    if (blk < 0)
        return -1;
    int p = 0;
    while (p + 1 < w->nparts && part_block0(w, p + 1) <= blk)
        p++;
    return blk - part_block0(w, p) < w->part_ngrp[p] ? p : -1;
}

/* Collective: columns c (complete on rank 0, empty elsewhere) into the
 * owners' stores and the master, which is resolved.  filter = 1 (a warm
 * start from another model of the same shape): columns that are not points
 * of their block's polytope in the current model are dropped and the rest
 * renumbered; filter = 0 (a checkpoint of this very model): all are taken.
 * *nkept: the columns taken, on every rank. */
static int columns_load(dw *w, cn_ckpt *c, int filter, int64_t *nkept)
{
    int64_t sz[3] = {c->ncols, c->ncols ? c->col_ptr[c->ncols] : 0, w->ms.first_gen};
    MPI_Bcast(sz, 3, MPI_INT64_T, 0, w->comm);
    int lrc = CN_OK;
    if (w->rank != 0) {
        c->ncols = sz[0];
        c->col_block = cn_calloc((size_t)sz[0] + 1, sizeof *c->col_block);
        c->col_master = cn_calloc((size_t)sz[0] + 1, sizeof *c->col_master);
        c->col_ptr = cn_calloc((size_t)sz[0] + 1, sizeof *c->col_ptr);
        c->col_idx = cn_calloc((size_t)sz[1] + 1, sizeof *c->col_idx);
        c->col_val = cn_calloc((size_t)sz[1] + 1, sizeof *c->col_val);
        lrc = c->col_block && c->col_master && c->col_ptr && c->col_idx && c->col_val ? CN_OK
                                                                                       : CN_EOSERR;
    }
    unsigned char *keep = cn_calloc((size_t)sz[0] + 1, 1);
    int64_t *order = cn_calloc(2 * ((size_t)sz[0] + 1), sizeof *order);
    if (!keep || !order)
        lrc = CN_EOSERR;
    int rc = cn_mpi_agree(w->comm, lrc);
    if (rc != CN_OK)
        goto cleanup;
    MPI_Bcast(c->col_block, (int)sz[0], MPI_INT64_T, 0, w->comm);
    MPI_Bcast(c->col_master, (int)sz[0], MPI_INT64_T, 0, w->comm);
    MPI_Bcast(c->col_ptr, (int)sz[0] + 1, MPI_INT64_T, 0, w->comm);
    MPI_Bcast(c->col_idx, (int)sz[1], MPI_INT32_T, 0, w->comm);
    MPI_Bcast(c->col_val, (int)sz[1], MPI_DOUBLE, 0, w->comm);
    MPI_Bcast(w->pi_center, (int)w->cp.n, MPI_DOUBLE, 0, w->comm);

    /* which columns to take: all, or those feasible on their owner */
    if (!filter) {
        memset(keep, 1, (size_t)sz[0]);
    } else {
        double *rowact = cn_calloc((size_t)w->lp->nrows + 1, sizeof *rowact);
        char *seen = cn_calloc((size_t)w->lp->nrows + 1, 1);
        int64_t bmax = 0;
        for (int p = w->p0; p < w->p1; p++)
            if (w->blocks[p - w->p0].ncols > bmax)
                bmax = w->blocks[p - w->p0].ncols;
        double *zb = cn_calloc((size_t)bmax + 1, sizeof *zb);
        lrc = rowact && seen && zb ? CN_OK : CN_EOSERR;
        for (int64_t q = 0; lrc == CN_OK && q < sz[0]; q++) {
            int p = part_of_block(w, c->col_block[q]);
            if (p < w->p0 || p >= w->p1)
                continue;
            const block *b = &w->blocks[p - w->p0];
            int64_t e0 = c->col_ptr[q];
            keep[q] = (unsigned char)column_feasible(w, b, c->col_block[q] - part_block0(w, p),
                                            c->col_idx + e0, c->col_val + e0,
                                            c->col_ptr[q + 1] - e0, rowact, seen, zb);
        }
        free(rowact);
        free(seen);
        free(zb);
        rc = cn_mpi_agree(w->comm, lrc);
        if (rc != CN_OK)
            goto cleanup;
        MPI_Allreduce(MPI_IN_PLACE, keep, (int)sz[0], MPI_UNSIGNED_CHAR, MPI_MAX, w->comm);
    }
    /* the master numbers the taken columns first_gen, first_gen + 1, ... in
     * their old order */
    int64_t nk = 0;
    for (int64_t q = 0; q < sz[0]; q++)
        if (keep[q]) {
            order[2 * nk] = c->col_master[q];
            order[2 * nk + 1] = q;
            nk++;
        }
    qsort(order, (size_t)nk, 2 * sizeof *order, cmp_i64_pair);
    for (int64_t i = 0; i < nk; i++)
        c->col_master[order[2 * i + 1]] = sz[2] + i;
    *nkept = nk;

    /* owners: store, and pack [block, master, c, n, idx, val] for the master */
    int64_t cap = 0, n = 0;
    double *out = NULL;
    for (int64_t q = 0; q < c->ncols && lrc == CN_OK; q++) {
        int64_t blk = c->col_block[q];
        int p = part_of_block(w, blk);
        if (!keep[q] || p < w->p0 || p >= w->p1)
            continue;
        block *b = &w->blocks[p - w->p0];
        int64_t gi = blk - part_block0(w, p);
        colstore *st = &b->store[gi];
        if ((lrc = store_begin(st)) != CN_OK)
            break;
        double cost = 0.0;
        int64_t nt = 0;
        for (int64_t e = c->col_ptr[q]; e < c->col_ptr[q + 1] && lrc == CN_OK; e++) {
            int64_t k = c->col_idx[e];
            double z = c->col_val[e];
            if (k < 0 || k >= b->ncols) {
                lrc = CN_ERR(CN_EDATA, "checkpoint column %lld names block column %lld of %lld",
                             (long long)q, (long long)k, (long long)b->ncols);
                break;
            }
            lrc = store_put(st, (int32_t)k, z);
            cost += w->lp->obj[b->cols[k]] * z;
            for (int64_t r = b->cptr[k]; r < b->cptr[k + 1]; r++) {
                int32_t i = b->cidx[r];
                if (w->scratch[i] == 0.0)
                    w->touched[nt++] = i;
                w->scratch[i] += b->cval[r] * z;
                if (w->scratch[i] == 0.0)
                    w->scratch[i] = 1e-300;
            }
        }
        store_settle(st, c->col_master[q]);
        if (n + 4 + 2 * nt > cap) {
            cap = (n + 4 + 2 * nt) * 2 + 1024;
            double *o2 = cn_realloc(out, (size_t)cap, sizeof *o2);
            if (!o2) {
                lrc = CN_EOSERR;
                break;
            }
            out = o2;
        }
        out[n++] = (double)c->col_master[q];
        out[n++] = (double)blk;
        out[n++] = cost;
        out[n++] = (double)nt;
        for (int64_t j = 0; j < nt; j++)
            out[n + j] = (double)w->touched[j];
        for (int64_t j = 0; j < nt; j++) {
            double v = w->scratch[w->touched[j]];
            out[n + nt + j] = v == 1e-300 ? 0.0 : v;
            w->scratch[w->touched[j]] = 0.0;
        }
        n += 2 * nt;
    }
    rc = cn_mpi_agree(w->comm, lrc);
    double *all = NULL;
    int64_t alllen = 0;
    if (rc == CN_OK)
        rc = cn_mpi_agree(w->comm, gather(w, out, n, &all, &alllen));
    free(out);
    lrc = CN_OK;
    if (rc == CN_OK && w->rank == 0) {
        /* add them in master order: index them first */
        int64_t *at = cn_calloc((size_t)nk + 1, sizeof *at);
        lrc = at ? CN_OK : CN_EOSERR;
        for (int64_t k = 0; lrc == CN_OK && k < alllen;) {
            int64_t mc = (int64_t)all[k] - w->ms.first_gen;
            if (mc < 0 || mc >= nk) {
                lrc = CN_ERR(CN_EDATA, "checkpoint column index %lld out of range",
                             (long long)all[k]);
                break;
            }
            at[mc] = k;
            k += 4 + 2 * (int64_t)all[k + 3];
        }
        for (int64_t q = 0; lrc == CN_OK && q < nk; q++) {
            const double *col = all + at[q];
            int64_t nt = (int64_t)col[3];
            int64_t colptr[2] = {0, nt + 1};
            int32_t *ri = cn_calloc((size_t)nt + 1, sizeof *ri);
            double *va = cn_calloc((size_t)nt + 1, sizeof *va);
            double obj = col[2], lb = 0.0, ub = INFINITY;
            if (!ri || !va) {
                free(ri);
                free(va);
                lrc = CN_EOSERR;
                break;
            }
            for (int64_t j = 0; j < nt; j++) {
                ri[j] = (int32_t)col[4 + j];
                va[j] = col[4 + nt + j];
            }
            ri[nt] = (int32_t)(w->cp.n + (int64_t)col[1]);
            va[nt] = 1.0;
            lrc = master_add(&w->ms, 1, &obj, &lb, &ub, colptr, ri, va);
            free(ri);
            free(va);
        }
        free(at);
        if (lrc == CN_OK)
            lrc = master_solve(&w->ms, 0, 0.0);
    }
    free(all);
    if (rc == CN_OK)
        rc = cn_mpi_agree(w->comm, lrc);
cleanup:
    free(keep);
    free(order);
    return rc;
}

/* Collective: read a checkpoint on rank 0, hand each owner its columns,
 * rebuild the master with them (in their original order) and resolve it. */
static int checkpoint_restore(dw *w, long *it, int *have_center, int *restored)
{
    const cn_dw_opts *o = w->o;
    cn_ckpt c;
    memset(&c, 0, sizeof c);
    *restored = 0;
    int lrc = CN_OK;
    if (w->rank == 0) {
        lrc = cn_ckpt_read(o->restart_path, &c);
        if (lrc == CN_ENOINPUT && !o->restart_required)
            lrc = -1; /* no checkpoint: a fresh start */
        else if (lrc == CN_ENOINPUT)
            lrc = CN_ERR(CN_ENOINPUT, "checkpoint '%s' does not exist", o->restart_path);
        else if (lrc == CN_OK && strcmp(c.input_hash, o->input_hash ? o->input_hash : "") != 0)
            lrc = CN_ERR(CN_EDATA, "checkpoint '%s' was made from other inputs or options "
                         "(input hash %.12s..., this run %.12s...): refusing to resume; delete it "
                         "to start afresh", o->restart_path, c.input_hash,
                         o->input_hash ? o->input_hash : "");
        else if (lrc == CN_OK && c.ncoup != w->cp.n)
            lrc = CN_ERR(CN_EDATA, "checkpoint '%s' has %lld coupling rows, the model %lld",
                         o->restart_path, (long long)c.ncoup, (long long)w->cp.n);
        if (lrc == CN_OK)
            memcpy(w->pi_center, c.pi_center, (size_t)w->cp.n * sizeof *w->pi_center);
    }
    int fresh = lrc == -1;
    MPI_Bcast(&fresh, 1, MPI_INT, 0, w->comm);
    if (fresh)
        return cn_mpi_agree(w->comm, CN_OK);
    int rc = cn_mpi_agree(w->comm, lrc);
    long long meta[2] = {(long long)c.iteration, (long long)c.have_center};
    double lb0 = c.lower_bound;
    int64_t nk = 0;
    if (rc == CN_OK) {
        MPI_Bcast(meta, 2, MPI_LONG_LONG, 0, w->comm);
        MPI_Bcast(&lb0, 1, MPI_DOUBLE, 0, w->comm);
        rc = columns_load(w, &c, 0, &nk);
    }
    cn_ckpt_free(&c);
    if (rc == CN_OK) {
        if (w->rank == 0)
            cn_log(CN_LOG_INFO, "resumed from %s at iteration %lld with %lld columns",
                   o->restart_path, meta[0], (long long)nk);
        *it = (long)meta[0];
        *have_center = (int)meta[1];
        w->lb = lb0;
        *restored = 1;
    }
    return rc;
}

/* ------------------------------------------------- warm start (sweeps) */

struct cn_dw_warm {
    int valid;
    int nsites, nparts;
    int *part;               /* [nsites] partition of the solve that filled it */
    int64_t ncols, nrows, ncoup, nd, nblk; /* shape of that model */
    cn_ckpt c;               /* rank 0: its final columns and duals */
};

int cn_dw_warm_create(cn_dw_warm **out)
{
    *out = cn_calloc(1, sizeof **out);
    return *out ? CN_OK : CN_EOSERR;
}

void cn_dw_warm_destroy(cn_dw_warm **wp)
{
    if (!wp || !*wp)
        return;
    free((*wp)->part);
    cn_ckpt_free(&(*wp)->c);
    free(*wp);
    *wp = NULL;
}

/* Collective: start from the previous solve's columns and best duals when
 * the model has the same shape (partition, blocks, coupling rows); columns
 * that are not feasible for the current blocks are dropped (docs/sweeps.md).
 * *used = 1 when anything was taken. */
static int warm_restore(dw *w, cn_dw_warm *wm, int *used)
{
    const cn_derived *d = w->d;
    *used = 0;
    int same = wm->valid && wm->nsites == d->m->nsites && wm->nparts == w->nparts &&
               wm->ncols == d->size.ncols && wm->nrows == d->size.nrows &&
               wm->ncoup == w->cp.n && wm->nd == w->cp.nd &&
               wm->nblk == w->nblk &&
               memcmp(wm->part, w->part, (size_t)wm->nsites * sizeof *w->part) == 0;
    MPI_Allreduce(MPI_IN_PLACE, &same, 1, MPI_INT, MPI_MIN, w->comm);
    if (!same)
        return CN_OK;
    if (w->rank == 0)
        memcpy(w->pi_center, wm->c.pi_center, (size_t)w->cp.n * sizeof *w->pi_center);
    cn_ckpt c = wm->c; /* rank 0's columns; columns_load fills the others' copies */
    int64_t offered = c.ncols, nk = 0; /* logged by rank 0 */
    if (w->rank != 0)
        memset(&c, 0, sizeof c);
    int rc = columns_load(w, &c, 1, &nk);
    if (w->rank != 0) /* rank 0's c shares wm->c's arrays (renumbered in place) */
        cn_ckpt_free(&c);
    if (rc == CN_OK) {
        *used = 1;
        if (w->rank == 0)
            cn_log(CN_LOG_INFO, "warm start: %lld of the %lld columns of the previous solution "
                   "are feasible here and taken, with its best duals as the first stability centre",
                   (long long)nk, (long long)offered);
    }
    return rc;
}

/* Collective: keep this solve's columns and best duals for the next one. */
static int warm_save(dw *w, cn_dw_warm *wm, const double *lambda, int have_center)
{
    const cn_derived *d = w->d;
    wm->valid = 0;
    cn_ckpt_free(&wm->c);
    free(wm->part);
    wm->part = cn_calloc((size_t)d->m->nsites + 1, sizeof *wm->part);
    int rc = cn_mpi_agree(w->comm, wm->part ? CN_OK : CN_EOSERR);
    /* only the columns of the final master solution (lambda > 0): the
     * previous optimum's support; the rest would mostly slow the master */
    if (rc == CN_OK)
        rc = columns_collect(w, lambda, 0, have_center, &wm->c);
    int lrc = CN_OK;
    if (w->rank == 0) {
        wm->c.pi_center = NULL; /* pointed into w: take a copy */
        if (rc == CN_OK) {
            wm->c.pi_center = cn_calloc((size_t)w->cp.n + 1, sizeof *wm->c.pi_center);
            if (wm->c.pi_center)
                memcpy(wm->c.pi_center, w->pi_center, (size_t)w->cp.n * sizeof *w->pi_center);
            else
                lrc = CN_EOSERR;
        }
    }
    if (rc == CN_OK)
        rc = cn_mpi_agree(w->comm, lrc);
    if (rc != CN_OK) {
        cn_ckpt_free(&wm->c);
        return rc;
    }
    memcpy(wm->part, w->part, (size_t)d->m->nsites * sizeof *w->part);
    wm->nsites = d->m->nsites;
    wm->nparts = w->nparts;
    wm->ncols = d->size.ncols;
    wm->nrows = d->size.nrows;
    wm->ncoup = w->cp.n;
    wm->nd = w->cp.nd;
    wm->nblk = w->nblk;
    wm->valid = 1;
    return CN_OK;
}

int cn_solve_dw(const cn_derived *d, const cn_dw_opts *o, MPI_Comm comm, cn_result **out,
                int **site_owner, int *nparts, cn_iterlog *log)
{
    dw w;
    memset(&w, 0, sizeof w);
    w.d = d;
    w.o = o;
    w.comm = comm;
    MPI_Comm_rank(comm, &w.rank);
    MPI_Comm_size(comm, &w.size);
    const cn_model *m = d->m;
    cn_result *res = NULL;
    int *owner = NULL;
    char *flags = NULL;
    double *lambda = NULL, *rank_time = NULL;
    double t0 = MPI_Wtime();
    int rc = CN_OK;
    memset(log, 0, sizeof *log);
    *out = NULL;
    *site_owner = NULL;

    if (m->sc.expansion)
        return CN_ERR(CN_EUSAGE, "the decomposition solves LPs; expansion: true makes a MIP "
                      "(use --method monolithic)");
    rc = cn_mpi_agree(comm, setup(&w));
    if (rc != CN_OK)
        goto cleanup;
    int64_t nblk = w.nblk;  /* convexity blocks, part-major */
    flags = cn_calloc((size_t)nblk + 1, 1);
    int lrc = flags ? CN_OK : CN_EOSERR;
    if (w.rank == 0 && lrc == CN_OK) {
        lrc = master_build(&w.cp, nblk, &w.ms);
        if (lrc == CN_OK)
            lrc = master_solve(&w.ms, 1, 0.0);
    }
    rc = cn_mpi_agree(comm, lrc);
    if (rc != CN_OK)
        goto cleanup;
    if (w.rank == 0)
        cn_log(CN_LOG_INFO, "decomposition: %d parts on %d ranks, %lld blocks (%s); master "
               "%lld rows = %lld coupling (demand %lld, link %lld, carbon %lld, hub green %lld) "
               "+ %lld convexity", w.nparts, w.size, (long long)nblk,
               cn_dw_blocks_name(o->blocks), (long long)(w.cp.n + nblk), (long long)w.cp.n,
               (long long)w.cp.nkind[0], (long long)w.cp.nkind[1], (long long)w.cp.nkind[2],
               (long long)w.cp.nkind[3], (long long)nblk);

    w.lb = -INFINITY;
    double auto_alpha = o->alpha;
    double alpha = o->alpha, used_alpha = 0.0;
    double split[CN_DW_NT] = {0}; /* this rank's seconds by phase (enum cn_dw_time) */
    int have_center = 0, converged = 0, status = CN_STATUS_FEASIBLE, restored = 0;
    long it = 0, it0 = 0;
    if (o->restart_path) {
        rc = checkpoint_restore(&w, &it0, &have_center, &restored);
        if (rc != CN_OK)
            goto cleanup;
    }
    if (!restored && o->warm) {
        int used = 0;
        rc = warm_restore(&w, o->warm, &used);
        if (rc != CN_OK)
            goto cleanup;
        have_center = used;
    }
    w.ub = w.rank == 0 ? w.ms.obj : 0.0;
    double last_ckpt = MPI_Wtime();
    for (it = it0 + 1;; it++) {
        /* all ranks agree on a signal or a due periodic checkpoint */
        int want[2] = {cn_signals_pending() || (o->stop_after_iter > 0 && it > o->stop_after_iter),
                       w.rank == 0 && o->ckpt_every_s > 0 &&
                           MPI_Wtime() - last_ckpt >= o->ckpt_every_s};
        MPI_Allreduce(MPI_IN_PLACE, want, 2, MPI_INT, MPI_MAX, comm);
        if ((want[0] || want[1]) && o->ckpt_path) {
            rc = checkpoint_write(&w, it - 1, have_center);
            if (rc != CN_OK)
                goto cleanup;
            last_ckpt = MPI_Wtime();
        }
        if (want[0]) {
            rc = CN_ETEMPFAIL;
            if (w.rank == 0)
                cn_err_set(CN_ETEMPFAIL, __func__, "interrupted%s after iteration %ld: %s; run "
                           "the same command again to resume",
                           cn_signals_which() ? " by a signal" : "", it - 1,
                           o->ckpt_path ? "checkpoint written" : "no checkpoint path");
            goto cleanup;
        }
        /* rank 0 picks the pricing duals and says whether to go on */
        double *ctl = w.pi_sep;
        if (w.rank == 0) {
            const double *pm = w.ms.dual;
            for (int64_t i = 0; i < w.cp.n; i++) {
                double p = pm[i];
                if (w.cp.sense[i] == 'L') p = fmin(p, 0.0);
                if (w.cp.sense[i] == 'G') p = fmax(p, 0.0);
                ctl[i] = have_center ? alpha * w.pi_center[i] + (1 - alpha) * p : p;
            }
            used_alpha = have_center ? alpha : 0.0;
            double gap = (w.ub - w.lb) / fmax(1.0, fabs(w.ub));
            int stop = 0;
            if (gap <= o->gap) {
                stop = 1;
                status = CN_STATUS_OPTIMAL;
            } else if (converged) {
                stop = 1;
                status = CN_STATUS_OPTIMAL;
                cn_log(CN_LOG_WARN, "no column prices out at the master duals but the "
                       "bound is %.3g short (gap %.3g): rounding; the master solution is "
                       "optimal", w.ub - w.lb, gap);
            } else if (it > o->max_iter || w.ms.stopped ||
                       (o->time_limit_s > 0 && MPI_Wtime() - t0 > o->time_limit_s)) {
                stop = 1;
                if (w.ms.stopped)
                    cn_log(CN_LOG_WARN, "time limit: the master LP stopped with a feasible "
                           "point; reporting it with the gap to the best bound");
            }
            ctl[w.cp.n] = stop;
        }
        double tc = MPI_Wtime();
        MPI_Bcast(ctl, (int)w.cp.n + 1, MPI_DOUBLE, 0, comm);
        split[CN_DW_T_COMM] += MPI_Wtime() - tc;
        if (ctl[w.cp.n] != 0.0)
            break;
        /* price (a test hook may make one rank fail here) */
        double *buf = NULL, *all = NULL;
        int64_t len = 0, alllen = 0;
        double tp = MPI_Wtime();
        lrc = price_blocks(&w, w.pi_sep, &buf, &len, 1, NULL);
        split[CN_DW_T_PRICE] += MPI_Wtime() - tp;
        if (lrc == CN_OK && o->fail_rank == w.rank && it == o->fail_iter)
            lrc = CN_ERR(CN_ESOFTWARE, "injected failure on rank %d at iteration %ld (test hook)",
                         w.rank, it);
        /* the agreement is where a rank waits for the slowest pricing */
        tc = MPI_Wtime();
        rc = cn_mpi_agree(comm, lrc);
        split[CN_DW_T_WAIT] += MPI_Wtime() - tc;
        tc = MPI_Wtime();
        if (rc == CN_OK)
            rc = cn_mpi_agree(comm, gather(&w, buf, len, &all, &alllen));
        split[CN_DW_T_COMM] += MPI_Wtime() - tc;
        free(buf);
        if (rc != CN_OK) {
            free(all);
            goto cleanup;
        }
        double L = -INFINITY;
        long added = 0;
        lrc = CN_OK;
        tc = MPI_Wtime();
        if (w.rank == 0) {
            for (int64_t i = 0; i < w.cp.n; i++)
                w.subgrad[i] = w.cp.b[i];
            lrc = master_take(&w, w.pi_sep, all, alllen, flags, &L, &added, w.subgrad);
            /* self-adjusting smoothing (Pessoa, Sadykov, Uchoa, Vanderbeck
             * 2018): when the subgradient at the separation point points
             * towards the master's duals, smooth less, else more */
            if (lrc == CN_OK && have_center && o->alpha_auto) {
                double dot = 0.0;
                for (int64_t i = 0; i < w.cp.n; i++) {
                    double p = w.ms.dual[i];
                    if (w.cp.sense[i] == 'L') p = fmin(p, 0.0);
                    if (w.cp.sense[i] == 'G') p = fmax(p, 0.0);
                    dot += w.subgrad[i] * (p - w.pi_center[i]);
                }
                auto_alpha = dot > 0.0 ? fmax(0.0, auto_alpha - 0.1)
                                       : fmin(0.95, auto_alpha + (1.0 - auto_alpha) * 0.1);
            }
        }
        free(all);
        if (w.rank == 0)
            split[CN_DW_T_MASTER] += MPI_Wtime() - tc;
        /* the other ranks wait here for rank 0's reduced costs */
        tc = MPI_Wtime();
        rc = cn_mpi_agree(comm, lrc);
        split[CN_DW_T_WAIT] += MPI_Wtime() - tc;
        if (rc != CN_OK)
            goto cleanup;
        tc = MPI_Wtime();
        MPI_Bcast(flags, (int)nblk, MPI_CHAR, 0, comm);
        split[CN_DW_T_COMM] += MPI_Wtime() - tc;
        lrc = CN_OK;
        if (w.rank == 0) {
            if (L > w.lb) {
                w.lb = L;
                memcpy(w.pi_center, w.pi_sep, (size_t)w.cp.n * sizeof *w.pi_center);
                have_center = 1;
            }
            double tm = MPI_Wtime();
            if (added > 0)
                lrc = master_solve(&w.ms, 0, o->time_limit_s > 0
                                     ? fmax(1.0, o->time_limit_s - (MPI_Wtime() - t0)) : 0.0);
            if (lrc == CN_OK)
                lrc = master_age(&w.ms, o->col_age_max);
            split[CN_DW_T_MASTER] += MPI_Wtime() - tm;
            if (lrc == CN_OK)
                w.ub = w.ms.obj;
            /* no column prices out at the master's own duals: the master
             * is optimal for the full LP (L(pi) equals its objective up to
             * rounding); stop on the next round */
            if (added == 0 && used_alpha == 0.0)
                converged = 1;
            /* mispricing: nothing to add at the smoothed duals; price at the
             * master's own duals next time, then smooth again */
            alpha = added == 0 ? 0.0 : o->alpha_auto ? auto_alpha : o->alpha;
            double gap = (w.ub - w.lb) / fmax(1.0, fabs(w.ub));
            if (lrc == CN_OK)
                lrc = iterlog_push(log, it, w.ub, w.lb, gap, added, MPI_Wtime() - t0);
            cn_log(CN_LOG_INFO, "%5ld  master %.10e  bound %.10e  gap %.2e  +%ld cols  %.1f s", it,
                   w.ub, w.lb, gap, added, MPI_Wtime() - t0);
        }
        /* ... and here for its master solve */
        tc = MPI_Wtime();
        rc = cn_mpi_agree(comm, lrc);
        split[CN_DW_T_WAIT] += MPI_Wtime() - tc;
        if (rc != CN_OK)
            goto cleanup;
        /* owners keep the columns the master took */
        int64_t base = 0;
        if (w.rank == 0)
            base = w.ms.nlogical;
        tc = MPI_Wtime();
        MPI_Bcast(&base, 1, MPI_INT64_T, 0, comm);
        split[CN_DW_T_COMM] += MPI_Wtime() - tc;
        int64_t k = 0;
        for (int64_t blk = 0; blk < nblk; blk++)
            k += flags[blk];
        int64_t idx = base - k, blk = 0;
        for (int p = 0; p < w.nparts; p++) {
            int64_t ng = w.part_ngrp[p];
            for (int64_t gi = 0; gi < ng; gi++, blk++) {
                int64_t mcol = flags[blk] ? idx++ : -1;
                if (p >= w.p0 && p < w.p1)
                    store_settle(&w.blocks[p - w.p0].store[gi], mcol);
            }
        }
    }
    /* every rank's time split, to rank 0 (printed and written to the file) */
    rank_time = w.rank == 0 ? cn_calloc((size_t)w.size * CN_DW_NT, sizeof *rank_time) : NULL;
    rc = cn_mpi_agree(comm, w.rank == 0 && !rank_time ? CN_EOSERR : CN_OK);
    if (rc != CN_OK)
        goto cleanup;
    MPI_Gather(split, CN_DW_NT, MPI_DOUBLE, rank_time, CN_DW_NT, MPI_DOUBLE, 0, comm);
    if (w.rank == 0) {
        cn_log(CN_LOG_INFO, "decomposition: %lld master columns at the end (%lld made); "
               "time by rank (s):", (long long)w.ms.ncols,
               (long long)(w.ms.nlogical - w.ms.first_gen));
        cn_log(CN_LOG_INFO, "  rank   pricing    master  communication   waiting");
        for (int r = 0; r < w.size; r++) {
            const double *t = rank_time + (size_t)r * CN_DW_NT;
            cn_log(CN_LOG_INFO, "  %4d  %8.2f  %8.2f  %13.2f  %8.2f", r, t[CN_DW_T_PRICE],
                   t[CN_DW_T_MASTER], t[CN_DW_T_COMM], t[CN_DW_T_WAIT]);
        }
    }
    /* primal recovery on the owners */
    (void)restored;
    if (w.rank == 0 && o->ckpt_path)
        remove(o->ckpt_path); /* finished: the checkpoint is spent */
    int64_t ncols_master = w.rank == 0 ? w.ms.nlogical : 0;
    MPI_Bcast(&ncols_master, 1, MPI_INT64_T, 0, comm);
    lambda = cn_calloc((size_t)ncols_master + 1, sizeof *lambda);
    lrc = lambda ? cn_result_create(m, &res) : CN_EOSERR;
    rc = cn_mpi_agree(comm, lrc);
    if (rc != CN_OK)
        goto cleanup;
    if (w.rank == 0) /* weights by logical id; deleted columns weigh 0 */
        for (int64_t j = 0; j < w.ms.ncols; j++)
            lambda[w.ms.logical_of[j]] = w.ms.x[j];
    MPI_Bcast(lambda, (int)ncols_master, MPI_DOUBLE, 0, comm);
    MPI_Bcast(w.pi_center, (int)w.cp.n, MPI_DOUBLE, 0, comm);
    if (o->warm) {
        rc = warm_save(&w, o->warm, lambda, have_center);
        if (rc != CN_OK)
            goto cleanup;
    }
    double viol = 0.0;
    rc = cn_mpi_agree(comm, assemble(&w, lambda, res, &viol));
    if (rc != CN_OK)
        goto cleanup;
    reduce_result(&w, res);
    owner = cn_calloc((size_t)m->nsites, sizeof *owner);
    rc = cn_mpi_agree(comm, owner ? CN_OK : CN_EOSERR);
    if (rc != CN_OK)
        goto cleanup;
    for (int s = 0; s < m->nsites; s++)
        owner[s] = owner_of_part(w.part[s], w.nparts, w.size);
    if (w.rank == 0) {
        rc = cn_result_set_unserved(d, w.ms.x, w.pi_center, res);
    }
    rc = cn_mpi_agree(comm, rc);
    if (rc != CN_OK)
        goto cleanup;
    MPI_Bcast(&status, 1, MPI_INT, 0, comm);
    MPI_Bcast(&w.ub, 1, MPI_DOUBLE, 0, comm);
    MPI_Bcast(&w.lb, 1, MPI_DOUBLE, 0, comm);
    res->status = status;
    res->objective = w.ub;
    res->bound = w.lb;
    res->gap = fmax(0.0, (w.ub - w.lb) / fmax(1.0, fabs(w.ub))); /* bound may pass by rounding */
    res->iterations = it - 1;
    (void)it0;
    res->max_violation = viol;
    res->has_duals = 1;
    res->ranks = w.size;
    snprintf(res->method, sizeof res->method, "dw");
    res->solve_seconds = MPI_Wtime() - t0;
    res->nvars = d->size.ncols;
    res->nrows = d->size.nrows;
    res->nnz = d->size.nnz;
    res->dw_parts = w.nparts;
    res->dw_blocks = (long)w.nblk;
    res->dw_coupling_demand = (long)w.cp.nkind[0];
    res->dw_coupling_link = (long)w.cp.nkind[1];
    res->dw_coupling_carbon = (long)w.cp.nkind[2];
    res->dw_coupling_hub_green = (long)w.cp.nkind[3];
    res->dw_master_rows = (long)(w.cp.n + w.nblk);
    int64_t mcols = w.rank == 0 ? w.ms.ncols : 0;
    MPI_Bcast(&mcols, 1, MPI_INT64_T, 0, comm);
    res->dw_master_cols = (long)mcols;
    res->rank_time_s = rank_time; /* rank 0; NULL elsewhere */
    rank_time = NULL;
    *out = res;
    res = NULL;
    *site_owner = owner;
    owner = NULL;
    *nparts = w.nparts;
cleanup:
    free(flags);
    free(lambda);
    free(rank_time);
    free(owner);
    cn_result_destroy(&res);
    dw_free(&w);
    if (rc != CN_OK)
        cn_iterlog_free(log);
    return rc;
}
