/* io/h5ckpt.c - see h5ckpt.h */
#include "h5ckpt.h"

#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/err.h"
#include "h5file.h"

#define KIND "cnopt-checkpoint"

/* Written with the shared writer (io/h5file.c): temporary name beside path,
 * complete = 1 last, then fsync and rename over path. */
int cn_ckpt_write(const char *path, const cn_ckpt *c)
{
    int rc = CN_OK;
    char tmp[4400];
    cn_h5file *f = NULL;
    int64_t nnz = c->col_ptr[c->ncols];
    size_t nco = (size_t)c->ncoup, nc = (size_t)c->ncols, nc1 = nc + 1, nz = (size_t)nnz;
    CN_TRY(cn_h5file_temp_name(path, (long long)getpid(), tmp, sizeof tmp));
    CN_TRY(cn_h5file_create(tmp, &f));
    CN_TRY(cn_h5file_attr_str(f, "/", "kind", KIND));
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
    CN_TRY(cn_h5file_attr_i32(f, "/", "complete", 1));   /* last */
    CN_TRY(cn_h5file_close(&f));
    CN_TRY(cn_h5file_publish(tmp, path, 1));
cleanup:
    if (f) {
        cn_h5file_close(&f);
    }
    if (rc != CN_OK && tmp[0])
        unlink(tmp);
    return rc;
}

/* A string attribute of the root, variable-length (io/h5file.c writes those)
 * or fixed-length (checkpoints of earlier versions); "" when absent,
 * unreadable or longer than n - 1 bytes. */
static void get_str_attr(hid_t f, const char *name, char *buf, size_t n)
{
    buf[0] = '\0';
    hid_t a = H5Aexists(f, name) > 0 ? H5Aopen(f, name, H5P_DEFAULT) : -1;
    hid_t t = a >= 0 ? H5Aget_type(a) : -1, mt = -1;
    if (t >= 0 && H5Tget_class(t) == H5T_STRING) {
        if (H5Tis_variable_str(t) > 0) {
            char *v = NULL;
            mt = H5Tcopy(H5T_C_S1);
            if (mt >= 0 && H5Tset_size(mt, H5T_VARIABLE) >= 0 && H5Tset_cset(mt, H5Tget_cset(t)) >= 0 &&
                H5Aread(a, mt, &v) >= 0 && v) {
                if (strlen(v) < n)
                    snprintf(buf, n, "%s", v);
                H5free_memory(v);
            }
        } else if (H5Tget_size(t) <= n) {
            char tmp[256] = "";
            if (H5Tget_size(t) < sizeof tmp && H5Aread(a, t, tmp) >= 0)
                snprintf(buf, n, "%s", tmp);
        }
    }
    if (mt >= 0) H5Tclose(mt);
    if (t >= 0) H5Tclose(t);
    if (a >= 0) H5Aclose(a);
}

static int get_ds(hid_t f, const char *name, hid_t type, int64_t *n, void **data, size_t size)
{
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
    if (d < 0)
        return -1;
    hid_t sp = H5Dget_space(d);
    hsize_t dim = 0;
    int ok = H5Sget_simple_extent_ndims(sp) == 1 && H5Sget_simple_extent_dims(sp, &dim, NULL) == 1;
    H5Sclose(sp);
    *data = ok ? cn_calloc((size_t)dim + 1, size) : NULL;
    ok = ok && *data && (dim == 0 || H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, *data) >= 0);
    H5Dclose(d);
    *n = (int64_t)dim;
    return ok ? 0 : -1;
}

int cn_ckpt_read(const char *path, cn_ckpt *c)
{
    memset(c, 0, sizeof *c);
    if (access(path, F_OK) != 0)
        return CN_ENOINPUT;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        return CN_ERR(CN_EDATA, "'%s' is not an HDF5 file", path);
    int bad = 0;
    char kind[64] = "";
    get_str_attr(f, "kind", kind, sizeof kind);
    get_str_attr(f, "input_hash", c->input_hash, sizeof c->input_hash);
    hid_t a = -1;
    long long it = 0;
    int complete = 0;
    bad = strcmp(kind, KIND) != 0 ||
          H5Aexists(f, "complete") <= 0 ||
          (a = H5Aopen(f, "complete", H5P_DEFAULT)) < 0 || H5Aread(a, H5T_NATIVE_INT, &complete) < 0;
    if (!bad) {
        H5Aclose(a);
        hid_t x;
        bad = (x = H5Aopen(f, "iteration", H5P_DEFAULT)) < 0 || H5Aread(x, H5T_NATIVE_LLONG, &it) < 0;
        if (x >= 0) H5Aclose(x);
        bad = bad || (x = H5Aopen(f, "lower_bound", H5P_DEFAULT)) < 0 ||
              H5Aread(x, H5T_NATIVE_DOUBLE, &c->lower_bound) < 0;
        if (x >= 0) H5Aclose(x);
        bad = bad || (x = H5Aopen(f, "have_center", H5P_DEFAULT)) < 0 ||
              H5Aread(x, H5T_NATIVE_INT, &c->have_center) < 0;
        if (x >= 0) H5Aclose(x);
    }
    int64_t n1 = 0, n2 = 0, n3 = 0, nnz = 0, nnz2 = 0;
    bad = bad || complete != 1 ||
          get_ds(f, "pi_center", H5T_NATIVE_DOUBLE, &c->ncoup, (void **)&c->pi_center, sizeof(double)) ||
          get_ds(f, "col_block", H5T_NATIVE_INT64, &n1, (void **)&c->col_block, sizeof(int64_t)) ||
          get_ds(f, "col_master", H5T_NATIVE_INT64, &n2, (void **)&c->col_master, sizeof(int64_t)) ||
          get_ds(f, "col_ptr", H5T_NATIVE_INT64, &n3, (void **)&c->col_ptr, sizeof(int64_t)) ||
          get_ds(f, "col_idx", H5T_NATIVE_INT32, &nnz, (void **)&c->col_idx, sizeof(int32_t)) ||
          get_ds(f, "col_val", H5T_NATIVE_DOUBLE, &nnz2, (void **)&c->col_val, sizeof(double));
    H5Fclose(f);
    c->ncols = n1;
    c->iteration = (long)it;
    bad = bad || n2 != n1 || n3 != n1 + 1 || nnz != nnz2 || c->col_ptr[n1] != nnz;
    for (int64_t q = 0; !bad && q < n1; q++)
        bad = c->col_ptr[q] > c->col_ptr[q + 1] || c->col_ptr[q] < 0;
    if (bad) {
        cn_ckpt_free(c);
        return CN_ERR(CN_EDATA, "'%s' is not a complete cnopt checkpoint", path);
    }
    return CN_OK;
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
