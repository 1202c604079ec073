/* io/h5ckpt.c - see h5ckpt.h */
#include "h5ckpt.h"

#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/err.h"

#define KIND "cnopt-checkpoint"

static int put_attr_str(hid_t loc, const char *name, const char *v)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, strlen(v) + 1);
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t e = a < 0 ? -1 : H5Awrite(a, t, v);
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    return e < 0 ? -1 : 0;
}

static int put_attr(hid_t loc, const char *name, hid_t type, const void *v)
{
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(loc, name, type, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t e = a < 0 ? -1 : H5Awrite(a, type, v);
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    return e < 0 ? -1 : 0;
}

static int put_ds(hid_t f, const char *name, hid_t type, int64_t n, const void *data)
{
    hsize_t dim = (hsize_t)n;
    hid_t sp = H5Screate_simple(1, &dim, NULL);
    hid_t d = H5Dcreate2(f, name, type, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    herr_t e = d < 0 ? -1 : (n > 0 ? H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) : 0);
    if (d >= 0) H5Dclose(d);
    H5Sclose(sp);
    return e < 0 ? -1 : 0;
}

int cn_ckpt_write(const char *path, const cn_ckpt *c)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t f = H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (f < 0)
        return CN_ERR(CN_ECANTCREAT, "cannot create checkpoint '%s'", tmp);
    long long it = c->iteration;
    int bad = put_attr_str(f, "kind", KIND) || put_attr_str(f, "input_hash", c->input_hash) ||
              put_attr(f, "iteration", H5T_NATIVE_LLONG, &it) ||
              put_attr(f, "lower_bound", H5T_NATIVE_DOUBLE, &c->lower_bound) ||
              put_attr(f, "have_center", H5T_NATIVE_INT, &c->have_center) ||
              put_ds(f, "pi_center", H5T_NATIVE_DOUBLE, c->ncoup, c->pi_center) ||
              put_ds(f, "col_block", H5T_NATIVE_INT64, c->ncols, c->col_block) ||
              put_ds(f, "col_master", H5T_NATIVE_INT64, c->ncols, c->col_master) ||
              put_ds(f, "col_ptr", H5T_NATIVE_INT64, c->ncols + 1, c->col_ptr) ||
              put_ds(f, "col_idx", H5T_NATIVE_INT32, c->col_ptr[c->ncols], c->col_idx) ||
              put_ds(f, "col_val", H5T_NATIVE_DOUBLE, c->col_ptr[c->ncols], c->col_val);
    int complete = 1;
    bad = bad || put_attr(f, "complete", H5T_NATIVE_INT, &complete);
    if (H5Fclose(f) < 0)
        bad = 1;
    if (bad || rename(tmp, path) != 0) {
        unlink(tmp);
        return CN_ERR(CN_EIO, "cannot write checkpoint '%s'", path);
    }
    return CN_OK;
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
    hid_t a = H5Aopen(f, "kind", H5P_DEFAULT);
    if (a >= 0) {
        hid_t t = H5Aget_type(a);
        if (H5Tget_size(t) < sizeof kind)
            H5Aread(a, t, kind);
        H5Tclose(t);
        H5Aclose(a);
    }
    a = H5Aopen(f, "input_hash", H5P_DEFAULT);
    if (a >= 0) {
        hid_t t = H5Aget_type(a);
        if (H5Tget_size(t) == sizeof c->input_hash)
            H5Aread(a, t, c->input_hash);
        H5Tclose(t);
        H5Aclose(a);
    }
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
