/* solver/dw_comm.c - what the ranks send each other: parts to ranks, the
 * gather of priced columns, and the collection of stored columns for a
 * checkpoint or warm start (dw_int.h). */
#include "dw_int.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../base/mpiutil.h"
#include "../io/h5ckpt.h"

int dw_owner_of_part(int p, int nparts, int size)
{
    /* parts are dealt out in contiguous ranges: rank r gets [r*P/size, (r+1)*P/size) */
    for (int r = 0; r < size; r++)
        if (p < (int)(((long)(r + 1) * nparts) / size))
            return r;
    return size - 1;
}

int dw_gather(dw *w, const double *buf, int64_t len, double **all, int64_t *alllen, int fail)
{
    int n = (int)len;
    int *counts = NULL, *displs = NULL;
    *all = NULL;
    *alllen = 0;
    int lrc = CN_OK;
    if (len > INT_MAX)
        lrc = CN_ERR(CN_ESOFTWARE, "rank %d has %lld values to send, more than one MPI "
                     "message holds", w->rank, (long long)len);
    if (w->rank == 0 && lrc == CN_OK) {
        counts = fail ? NULL : cn_calloc((size_t)w->size, sizeof *counts);
        displs = fail ? NULL : cn_calloc((size_t)w->size, sizeof *displs);
        if (fail)
            lrc = CN_ERR(CN_EOSERR, "injected allocation failure in the gather on rank 0 "
                         "(test hook CNOPT_TEST_FAIL_GATHER)");
        else if (!counts || !displs)
            lrc = cn_err_frame(CN_EOSERR, __func__, __FILE__, __LINE__);
    }
    /* every rank learns of a failure before the gather: a rank that failed
     * above must not leave the others waiting in it */
    int rc = cn_mpi_agree(w->comm, lrc);
    if (rc == CN_OK) {
        MPI_Gather(&n, 1, MPI_INT, counts, 1, MPI_INT, 0, w->comm);
        lrc = CN_OK;
        if (w->rank == 0) {
            int64_t tot = 0;
            for (int r = 0; r < w->size; r++) {
                displs[r] = (int)tot;
                tot += counts[r];
            }
            if (tot > INT_MAX)
                lrc = CN_ERR(CN_ESOFTWARE, "the ranks send %lld values in all, more than one "
                             "MPI message holds", (long long)tot);
            else if (!(*all = cn_calloc((size_t)tot + 1, sizeof **all)))
                lrc = cn_err_frame(CN_EOSERR, __func__, __FILE__, __LINE__);
            *alllen = tot;
        }
        rc = cn_mpi_agree(w->comm, lrc);
    }
    if (rc == CN_OK) {
        MPI_Gatherv(buf, n, MPI_DOUBLE, *all, counts, displs, MPI_DOUBLE, 0, w->comm);
    } else {
        free(*all);
        *all = NULL;
        *alllen = 0;
    }
    free(counts);
    free(displs);
    return rc;
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
        int64_t b0 = dw_part_block0(w, p);
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

int dw_columns_collect(dw *w, const double *lambda, long it, int have_center, cn_ckpt *c)
{
    double *buf = NULL, *all = NULL;
    int64_t len = 0, alllen = 0;
    memset(c, 0, sizeof *c);
    int rc = cn_mpi_agree(w->comm, pack_columns(w, lambda, &buf, &len));
    if (rc == CN_OK)
        rc = dw_gather(w, buf, len, &all, &alllen, 0);
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
