/* io/h5ckpt.c - see h5ckpt.h */
#include "h5ckpt.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/err.h"
#include "../base/infile.h"
#include "../base/log.h"
#include "h5check.h"
#include "h5file.h"

#define KIND "cnopt-checkpoint"
#define BKIND "cnopt-benders-checkpoint"

/* Both kinds: written with the shared writer (io/h5file.c) to a temporary
 * name beside path, the root's kind first, write_fn's contents, complete = 1
 * last, then fsync and rename over path.  Nothing is left at path or beside
 * it on failure. */
static int file_write(const char *path, const char *kind,
                      int (*write_fn)(cn_h5file *f, const void *c), const void *c)
{
    int rc = CN_OK;
    char tmp[4400] = "";
    cn_h5file *f = NULL;
    CN_TRY(cn_h5file_temp_name(path, (long long)getpid(), tmp, sizeof tmp));
    CN_TRY(cn_h5file_create(tmp, &f));
    CN_TRY(cn_h5file_attr_str(f, "/", "kind", kind));
    CN_TRY(write_fn(f, c));
    CN_TRY(cn_h5file_attr_i32(f, "/", "complete", 1));   /* last */
    CN_TRY(cn_h5file_close(&f));
    CN_TRY(cn_h5file_publish(tmp, path, 1));
cleanup:
    if (f)
        cn_h5file_close(&f);
    if (rc != CN_OK && tmp[0])
        unlink(tmp);
    return rc;
}

static int ckpt_contents(cn_h5file *f, const void *cv)
{
    const cn_ckpt *c = cv;
    int rc = CN_OK;
    int64_t nnz = c->col_ptr[c->ncols];
    size_t nco = (size_t)c->ncoup, nc = (size_t)c->ncols, nc1 = nc + 1, nz = (size_t)nnz;
    CN_TRY(cn_h5file_attr_str(f, "/", "input_hash", c->input_hash));
    CN_TRY(cn_h5file_attr_i64(f, "/", "iteration", c->iteration));
    CN_TRY(cn_h5file_attr_f64(f, "/", "lower_bound", c->lower_bound));
    CN_TRY(cn_h5file_attr_i32(f, "/", "have_center", c->have_center));
    CN_TRY(cn_h5file_put(f, "/pi_center", CN_H5_F64, 1, &nco, c->pi_center, NULL, NULL, NULL));
    CN_TRY(cn_h5file_put(f, "/col_block", CN_H5_I64, 1, &nc, c->col_block, NULL, NULL, NULL));
    CN_TRY(cn_h5file_put(f, "/col_master", CN_H5_I64, 1, &nc, c->col_master, NULL, NULL, NULL));
    CN_TRY(cn_h5file_put(f, "/col_ptr", CN_H5_I64, 1, &nc1, c->col_ptr, NULL, NULL, NULL));
    CN_TRY(cn_h5file_put(f, "/col_idx", CN_H5_I32, 1, &nz, c->col_idx, NULL, NULL, NULL));
    CN_TRY(cn_h5file_put(f, "/col_val", CN_H5_F64, 1, &nz, c->col_val, NULL, NULL, NULL));
cleanup:
    return rc;
}

int cn_ckpt_write(const char *path, const cn_ckpt *c)
{
    return file_write(path, KIND, ckpt_contents, c);
}

/* Both kinds of checkpoint: the root's kind names the kind (else "PATH is
 * not WHAT"), and complete = 1 was written last. */
static int header_checked(cn_h5in *in, const char *kind_want, const char *what)
{
    char kind[64];
    int64_t complete = 0;
    int got = cn_h5in_attr_str(in, "/", "kind", kind, sizeof kind);
    if (got != CN_OK && got != CN_H5IN_ABSENT)
        return got;
    if (got == CN_H5IN_ABSENT || strcmp(kind, kind_want) != 0)
        return CN_ERR(CN_EDATA, "%s is not %s (no kind = %s)", in->path, what, kind_want);
    got = cn_h5in_attr_i64(in, "/", "complete", INT64_MIN, INT64_MAX, &complete);
    if (got != CN_OK && got != CN_H5IN_ABSENT)
        return got;
    if (got == CN_H5IN_ABSENT || complete != 1)
        return CN_ERR(CN_EDATA, "%s is not a complete cnopt checkpoint (no complete = 1)", in->path);
    return CN_OK;
}

/* Both kinds: PATH read through io/h5check.h by read_fn into c.  CN_ENOINPUT
 * when there is no file (no message), CN_EDATA when it is there but cannot
 * be read; read_fn's code otherwise. */
static int file_read(const char *path, int (*read_fn)(cn_h5in *in, void *c), void *c)
{
    const char *why = NULL;
    int e = cn_input_check(path, &why);
    if (e == ENOENT)
        return CN_ENOINPUT;   /* no checkpoint (the caller decides what that means) */
    if (e != 0)               /* there, but a FIFO, a directory, unreadable, ... */
        return CN_ERR(CN_EDATA, "checkpoint %s cannot be read: %s", path, why);
    cn_h5in in;
    int rc = cn_h5in_open(path, &in);
    if (rc == CN_OK)
        rc = read_fn(&in, c);
    cn_h5in_close(&in);
    return rc;
}

/* The checks of a checkpoint that need no model (docs/robustness.md,
 * "Checkpoints"): every object of the kind and shape written above, the
 * iteration and flags in range, the bound a number (-inf: none yet; it is
 * recomputed on resume anyway, solver/dw_ckpt.c), every dual and column
 * value finite, the column layout consistent (col_ptr from 0, never
 * decreasing, ending at the number of entries) and every index >= 0.  The
 * model-dependent checks (coupling rows, block and column indices, column
 * values a point of their block) are dw_checkpoint_restore's. */
static int read_checked(cn_h5in *in, void *cv)
{
    cn_ckpt *c = cv;
    int rc = CN_OK, got;
    const char *path = in->path;
    int64_t it = 0, hc = 0;
    if ((got = header_checked(in, KIND, "a cnopt checkpoint")) != CN_OK)
        return got;
    const char *name[4] = {"input_hash", "iteration", "lower_bound", "have_center"};
    int got4[4] = {cn_h5in_attr_str(in, "/", name[0], c->input_hash, sizeof c->input_hash), 0, 0, 0};
    if (got4[0] == CN_OK || got4[0] == CN_H5IN_ABSENT)
        got4[1] = cn_h5in_attr_i64(in, "/", name[1], 0, INT32_MAX, &it);
    if (got4[1] == CN_OK || got4[1] == CN_H5IN_ABSENT)
        got4[2] = cn_h5in_attr_f64(in, "/", name[2], &c->lower_bound);
    if (got4[2] == CN_OK || got4[2] == CN_H5IN_ABSENT)
        got4[3] = cn_h5in_attr_i64(in, "/", name[3], 0, 1, &hc);
    for (int k = 0; k < 4; k++) {
        if (got4[k] == CN_H5IN_ABSENT)
            return CN_ERR(CN_EDATA, "%s: attribute /%s: missing", path, name[k]);
        if (got4[k] != CN_OK)
            return got4[k];
    }
    if (isnan(c->lower_bound) || c->lower_bound == INFINITY)
        return CN_ERR(CN_EDATA, "%s: attribute /lower_bound: %g is not a bound (expected a number "
                      "or -inf)", path, c->lower_bound);
    c->iteration = (long)it;
    c->have_center = (int)hc;
    cn_h5in_shape sh;
    int64_t *ptr = NULL, *idx = NULL;
    CN_TRY(cn_h5in_read_f64(in, "/pi_center", 1, NULL, CN_H5IN_FINITE, &c->pi_center, &sh));
    c->ncoup = (int64_t)sh.n;
    CN_TRY(cn_h5in_read_i64(in, "/col_block", 1, NULL, 0, INT64_MAX, &c->col_block, &sh));
    uint64_t n1 = sh.n, n1p = n1 + 1;
    c->ncols = (int64_t)n1;
    CN_TRY(cn_h5in_read_i64(in, "/col_master", 1, &n1, 0, INT64_MAX, &c->col_master, NULL));
    CN_TRY(cn_h5in_read_i64(in, "/col_ptr", 1, &n1p, 0, INT64_MAX, &c->col_ptr, NULL));
    ptr = c->col_ptr;
    CN_TRY(cn_h5in_read_i64(in, "/col_idx", 1, NULL, 0, INT32_MAX, &idx, &sh));
    uint64_t nnz = sh.n;
    CN_TRY(cn_h5in_read_f64(in, "/col_val", 1, &nnz, CN_H5IN_FINITE, &c->col_val, NULL));
    if (ptr[0] != 0 || (uint64_t)ptr[n1] != nnz) {
        rc = CN_ERR(CN_EDATA, "%s: dataset /col_ptr: runs from %lld to %lld; expected 0 to %llu (the "
                    "entries of /col_idx)", path, (long long)ptr[0], (long long)ptr[n1],
                    (unsigned long long)nnz);
        goto cleanup;
    }
    for (uint64_t q = 0; q < n1; q++)
        if (ptr[q] > ptr[q + 1]) {
            rc = CN_ERR(CN_EDATA, "%s: dataset /col_ptr: element %llu (%lld) is above the next (%lld)",
                        path, (unsigned long long)q, (long long)ptr[q], (long long)ptr[q + 1]);
            goto cleanup;
        }
    if (!(c->col_idx = cn_calloc(nnz ? (size_t)nnz : 1, sizeof *c->col_idx))) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    for (uint64_t e = 0; e < nnz; e++)
        c->col_idx[e] = (int32_t)idx[e];
cleanup:
    free(idx);
    return rc;
}

int cn_ckpt_read(const char *path, cn_ckpt *c)
{
    memset(c, 0, sizeof *c);
    int rc = file_read(path, read_checked, c);
    if (rc != CN_OK)
        cn_ckpt_free(c);
    return rc;
}

void cn_ckpt_free(cn_ckpt *c)
{
    free(c->pi_center);
    free(c->col_block);
    free(c->col_master);
    free(c->col_ptr);
    free(c->col_idx);
    free(c->col_val);
    memset(c, 0, sizeof *c);
}

static int bckpt_contents(cn_h5file *f, const void *cv)
{
    const cn_bckpt *c = cv;
    int rc = CN_OK;
    size_t n = (size_t)c->ncuts, ny = n * (size_t)c->ne;
    CN_TRY(cn_h5file_attr_str(f, "/", "input_hash", c->input_hash));
    CN_TRY(cn_h5file_attr_i64(f, "/", "iteration", c->iteration));
    CN_TRY(cn_h5file_attr_i32(f, "/", "phase", c->phase));
    CN_TRY(cn_h5file_attr_f64(f, "/", "lower_bound", c->lower_bound));
    CN_TRY(cn_h5file_attr_i32(f, "/", "expansion_rows", c->ne));
    CN_TRY(cn_h5file_put(f, "/cut_y", CN_H5_F64, 1, &ny, c->y, NULL, NULL, NULL));
    CN_TRY(cn_h5file_put(f, "/cut_g", CN_H5_F64, 1, &ny, c->g, NULL, NULL, NULL));
    CN_TRY(cn_h5file_put(f, "/cut_f", CN_H5_F64, 1, &n, c->f, NULL, NULL, NULL));
cleanup:
    return rc;
}

int cn_bckpt_write(const char *path, const cn_bckpt *c)
{
    return file_write(path, BKIND, bckpt_contents, c);
}

/* The Benders checkpoint's checks: kind and completeness, every attribute
 * present and in range (phase 1 or 2, expansion_rows >= 1), the bound a
 * number or -inf, the cuts finite and of ncuts x expansion_rows. */
static int bread_checked(cn_h5in *in, void *cv)
{
    cn_bckpt *c = cv;
    int rc = CN_OK, got;
    const char *path = in->path;
    int64_t it = 0, ph = 0, ne = 0;
    if ((got = header_checked(in, BKIND, "a checkpoint of a Benders run")) != CN_OK)
        return got;
    const char *name[5] = {"input_hash", "iteration", "phase", "lower_bound", "expansion_rows"};
    int g5[5] = {cn_h5in_attr_str(in, "/", name[0], c->input_hash, sizeof c->input_hash), 0, 0, 0, 0};
    if (g5[0] == CN_OK)
        g5[1] = cn_h5in_attr_i64(in, "/", name[1], 0, INT32_MAX, &it);
    if (g5[1] == CN_OK)
        g5[2] = cn_h5in_attr_i64(in, "/", name[2], 1, 2, &ph);
    if (g5[2] == CN_OK)
        g5[3] = cn_h5in_attr_f64(in, "/", name[3], &c->lower_bound);
    if (g5[3] == CN_OK)
        g5[4] = cn_h5in_attr_i64(in, "/", name[4], 1, INT32_MAX, &ne);
    for (int k = 0; k < 5; k++) {
        if (g5[k] == CN_H5IN_ABSENT)
            return CN_ERR(CN_EDATA, "%s: attribute /%s: missing", path, name[k]);
        if (g5[k] != CN_OK)
            return g5[k];
    }
    if (isnan(c->lower_bound) || c->lower_bound == INFINITY)
        return CN_ERR(CN_EDATA, "%s: attribute /lower_bound: %g is not a bound (expected a number "
                      "or -inf)", path, c->lower_bound);
    c->iteration = (long)it;
    c->phase = (int)ph;
    c->ne = (int)ne;
    cn_h5in_shape sh;
    CN_TRY(cn_h5in_read_f64(in, "/cut_f", 1, NULL, CN_H5IN_FINITE, &c->f, &sh));
    c->ncuts = (long)sh.n;
    uint64_t ny = sh.n * (uint64_t)ne;
    CN_TRY(cn_h5in_read_f64(in, "/cut_y", 1, &ny, CN_H5IN_FINITE, &c->y, NULL));
    CN_TRY(cn_h5in_read_f64(in, "/cut_g", 1, &ny, CN_H5IN_FINITE, &c->g, NULL));
cleanup:
    return rc;
}

int cn_bckpt_read(const char *path, cn_bckpt *c)
{
    memset(c, 0, sizeof *c);
    int rc = file_read(path, bread_checked, c);
    if (rc != CN_OK)
        cn_bckpt_free(c);
    return rc;
}

void cn_bckpt_free(cn_bckpt *c)
{
    free(c->y);
    free(c->g);
    free(c->f);
    memset(c, 0, sizeof *c);
}

int cn_ckpt_resume_check(const char *path, int rc, int required, const char *file_hash,
                         const char *run_hash, int discard)
{
    if (rc == CN_ENOINPUT)
        return required ? CN_ERR(CN_ENOINPUT, "checkpoint '%s' does not exist", path) : -1;
    if (rc != CN_OK)
        return rc;
    if (strcmp(file_hash, run_hash ? run_hash : "") == 0)
        return CN_OK;
    if (discard) {
        cn_log(CN_LOG_WARN, "checkpoint '%s' was made from other inputs or options: --force "
               "discards it; starting afresh", path);
        return -1;
    }
    return CN_ERR(CN_EDATA, "checkpoint '%s' was made from other inputs or options (input hash "
                  "%.12s..., this run %.12s...): refusing to resume; delete it to start afresh",
                  path, file_hash, run_hash ? run_hash : "");
}
