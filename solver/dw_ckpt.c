/* solver/dw_ckpt.c - checkpoints (docs/slurm.md) and the warm start of a
 * sweep range (docs/sweeps.md): columns written, validated and loaded back
 * into the owners' stores and the master (dw_int.h). */
#include "dw_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../base/log.h"
#include "../base/mpiutil.h"
#include "../io/h5ckpt.h"
#include "lp_glpk.h"

int dw_checkpoint_write(dw *w, long it, int have_center)
{
    cn_ckpt c;
    int rc = dw_columns_collect(w, NULL, it, have_center, &c);
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
 * group within its bounds (tolerance tol relative).  rowact, seen: [lp rows],
 * zero on entry and on return; zb: [b->ncols], zero on entry and on return. */
static int column_feasible(const dw *w, const block *b, int64_t gi, const int32_t *idx,
                           const double *val, int64_t n, double *rowact, char *seen, double *zb,
                           double tol)
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
        if (b->grp_of[k] != gi || !(v >= lp->lb[j] - tol * (1 + fabs(lp->lb[j]))) ||
            !(v <= lp->ub[j] + tol * (1 + fabs(lp->ub[j]))))
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
            if (!(a >= lp->row_lo[r] - tol * (1 + fabs(lp->row_lo[r]))) ||
                !(a <= lp->row_hi[r] + tol * (1 + fabs(lp->row_hi[r]))))
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

/* Collective: columns c (complete on rank 0, empty elsewhere) into the
 * owners' stores and the master, which is resolved.  filter = 1 (a warm
 * start from another model of the same shape): columns that are not points
 * of their block's polytope in the current model are dropped and the rest
 * renumbered; filter = 0 (a checkpoint of this very model): all are taken,
 * and one that is not a point of its block (to 1e-6 relative: a damaged or
 * forged checkpoint) is an error (CN_EDATA).  Either way a block index out
 * of range is an error.  *nkept: the columns taken, on every rank. */
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

    /* what the messages name: the checkpoint file, or the previous solve */
    const char *src = filter || !w->o->restart_path ? "warm start" : w->o->restart_path;
    for (int64_t q = 0; q < sz[0] && lrc == CN_OK; q++)
        if (c->col_block[q] < 0 || c->col_block[q] >= w->nblk)
            lrc = CN_ERR(CN_EDATA, "%s: checkpoint column %lld names block %lld of %lld", src,
                         (long long)q, (long long)c->col_block[q], (long long)w->nblk);
    rc = cn_mpi_agree(w->comm, lrc);
    if (rc != CN_OK)
        goto cleanup;
    /* which columns to take: all (each checked), or those feasible on their owner */
    {
        double *rowact = cn_calloc((size_t)w->lp->nrows + 1, sizeof *rowact);
        char *seen = cn_calloc((size_t)w->lp->nrows + 1, 1);
        int64_t bmax = 0;
        for (int p = w->p0; p < w->p1; p++)
            if (w->blocks[p - w->p0].ncols > bmax)
                bmax = w->blocks[p - w->p0].ncols;
        double *zb = cn_calloc((size_t)bmax + 1, sizeof *zb);
        lrc = rowact && seen && zb ? CN_OK : CN_EOSERR;
        for (int64_t q = 0; lrc == CN_OK && q < sz[0]; q++) {
            int p = dw_part_of_block(w, c->col_block[q]);
            if (p < w->p0 || p >= w->p1)
                continue;
            const block *b = &w->blocks[p - w->p0];
            int64_t e0 = c->col_ptr[q];
            keep[q] = (unsigned char)column_feasible(w, b, c->col_block[q] - dw_part_block0(w, p),
                                            c->col_idx + e0, c->col_val + e0,
                                            c->col_ptr[q + 1] - e0, rowact, seen, zb,
                                            filter ? 1e-9 : 1e-6);
            if (!filter && !keep[q])
                lrc = CN_ERR(CN_EDATA, "%s: checkpoint column %lld is not a point of its block %lld "
                             "(a value outside its bounds or a block row violated): the checkpoint is "
                             "damaged", src, (long long)q, (long long)c->col_block[q]);
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
        int p = dw_part_of_block(w, blk);
        if (!keep[q] || p < w->p0 || p >= w->p1)
            continue;
        block *b = &w->blocks[p - w->p0];
        int64_t gi = blk - dw_part_block0(w, p);
        colstore *st = &b->store[gi];
        if ((lrc = dw_store_begin(st)) != CN_OK)
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
            lrc = dw_store_put(st, (int32_t)k, z);
            cost += w->lp->obj[b->cols[k]] * z;
            dw_coup_add(w, b, k, z, &nt);
        }
        dw_store_settle(st, c->col_master[q]);
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
        n += dw_coup_pack(w, nt, out + n);
    }
    rc = cn_mpi_agree(w->comm, lrc);
    double *all = NULL;
    int64_t alllen = 0;
    if (rc == CN_OK)
        rc = dw_gather(w, out, n, &all, &alllen, 0);
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
            lrc = dw_master_add(&w->ms, 1, &obj, &lb, &ub, colptr, ri, va);
            free(ri);
            free(va);
        }
        free(at);
        if (lrc == CN_OK)
            lrc = dw_master_solve(&w->ms, 0, 0.0);
    }
    free(all);
    if (rc == CN_OK)
        rc = cn_mpi_agree(w->comm, lrc);
cleanup:
    free(keep);
    free(order);
    return rc;
}

int dw_checkpoint_restore(dw *w, long *it, int *have_center, int *restored)
{
    const cn_dw_opts *o = w->o;
    cn_ckpt c;
    memset(&c, 0, sizeof c);
    *restored = 0;
    int lrc = CN_OK;
    if (w->rank == 0) {
        lrc = cn_ckpt_read(o->restart_path, &c);
        /* -1: none, or a stale one --force discards: a fresh start */
        lrc = cn_ckpt_resume_check(o->restart_path, lrc, o->restart_required, c.input_hash,
                                   o->input_hash, o->stale_discard);
        if (lrc == CN_OK && c.ncoup != w->cp.n)
            lrc = CN_ERR(CN_EDATA, "checkpoint '%s' has %lld coupling rows, the model %lld",
                         o->restart_path, (long long)c.ncoup, (long long)w->cp.n);
        if (lrc == CN_OK)
            memcpy(w->pi_center, c.pi_center, (size_t)w->cp.n * sizeof *w->pi_center);
    }
    int fresh = lrc == -1;
    MPI_Bcast(&fresh, 1, MPI_INT, 0, w->comm);
    if (fresh) {
        cn_ckpt_free(&c); /* a discarded checkpoint (--force) was read in full */
        return cn_mpi_agree(w->comm, CN_OK);
    }
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
        /* the bound is not taken on trust (a forged or stale one would end
         * the run "optimal" at a wrong objective): it is recomputed from
         * this run's own pricing, from the next iteration on */
        (void)lb0;
        w->lb = -INFINITY;
        *restored = 1;
    }
    return rc;
}

struct cn_dw_warm {
    int valid;
    int nsites, nparts;
    int *part;               /* [nsites] partition of the solve that filled it */
    int64_t ncols, nrows, ncoup, nd, nblk; /* shape of that model */
    cn_ckpt c;               /* rank 0: its final columns and duals */
    /* this rank's units [bp0, bp1) of that solve: each pricing LP's last
     * basis (NULL: none), its first solve's start in the next solve */
    int bp0, bp1;
    unsigned char **basis;
    int64_t *nbasis;
};

static void bases_free(cn_dw_warm *wm)
{
    for (int k = 0; wm->basis && k < wm->bp1 - wm->bp0; k++)
        free(wm->basis[k]);
    free(wm->basis);
    free(wm->nbasis);
    wm->basis = NULL;
    wm->nbasis = NULL;
    wm->bp0 = wm->bp1 = 0;
}

/* Not collective.  Every pricing LP of this rank that was solved: its basis
 * into wm (a failed allocation leaves wm without bases: a cold start). */
static void bases_save(const dw *w, cn_dw_warm *wm)
{
    bases_free(wm);
    int n = w->p1 - w->p0;
    wm->basis = cn_calloc((size_t)n + 1, sizeof *wm->basis);
    wm->nbasis = cn_calloc((size_t)n + 1, sizeof *wm->nbasis);
    if (!wm->basis || !wm->nbasis) {
        bases_free(wm);
        return;
    }
    wm->bp0 = w->p0;
    wm->bp1 = w->p1;
    for (int k = 0; k < n; k++)
        if (w->blocks[k].priced &&
            cn_glpk_basis_get(w->blocks[k].g, &wm->basis[k], &wm->nbasis[k]) != CN_OK) {
            wm->basis[k] = NULL;
            wm->nbasis[k] = 0;
        }
}

/* Not collective.  Each pricing LP of this rank starts from its basis of the
 * previous solve, when this rank holds the same units (the same rank count
 * and layout) and the LP has the same shape; the others start as before
 * (cold, or from their chain).  Returns how many got one. */
static int bases_restore(dw *w, const cn_dw_warm *wm)
{
    int got = 0;
    if (!wm->basis || wm->bp0 != w->p0 || wm->bp1 != w->p1)
        return 0;
    for (int k = 0; k < w->p1 - w->p0; k++) {
        block *b = &w->blocks[k];
        if (wm->basis[k] && cn_glpk_basis_set(b->g, wm->basis[k], wm->nbasis[k]) == CN_OK) {
            b->priced = 1; /* not from the chain: it has its own start */
            got++;
        }
    }
    return got;
}

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
    bases_free(*wp);
    free(*wp);
    *wp = NULL;
}

int dw_warm_restore(dw *w, cn_dw_warm *wm, int *used)
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
        long long nb = bases_restore(w, wm);
        MPI_Allreduce(MPI_IN_PLACE, &nb, 1, MPI_LONG_LONG, MPI_SUM, w->comm);
        if (w->rank == 0)
            cn_log(CN_LOG_INFO, "warm start: %lld of the %lld columns of the previous solution "
                   "are feasible here and taken, with its best duals as the first stability "
                   "centre; %lld of %lld pricing LPs start from their last basis",
                   (long long)nk, (long long)offered, nb, (long long)w->nunits);
    }
    return rc;
}

int dw_warm_save(dw *w, cn_dw_warm *wm, const double *lambda, int have_center)
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
        rc = dw_columns_collect(w, lambda, 0, have_center, &wm->c);
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
    bases_save(w, wm);
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
