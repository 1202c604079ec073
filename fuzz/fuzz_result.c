/* fuzz/fuzz_result.c - libFuzzer harness: the input as a result file, read
 * by cn_h5_read_summary (`cnopt info`, `sweep --collect`) and
 * cn_h5_read_vars (`cnopt export`, the planner part of `info`), io/h5read.c
 * over io/h5check.c and HDF5.
 *
 * Aborts (a crash for libFuzzer) when an outcome breaks cn_fuzz_h5_check's
 * rules (CN_OK or CN_EDATA, a failure names the file) or an accepted file's
 * summary or datasets break what the readers promise: counts >= 0 and
 * arrays present, every dataset's element count the product of its
 * lengths, at most 3 dimensions, every string non-NULL. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../base/err.h"
#include "../io/h5read.h"
#include "fuzz_h5util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_result: accepted file breaks: %s\n", what);
    abort();
}

static void check_summary(const cn_h5_summary *s)
{
    if (s->nclasses < 0 || s->nhubs < 0 || (s->nclasses && !s->classes) || (s->nhubs && !s->hubs))
        fail("class or hub counts");
    for (int k = 0; k < s->nclasses; k++)
        if (!s->classes[k].id)
            fail("a class id");
    for (int h = 0; h < s->nhubs; h++)
        if (!s->hubs[h].id || !s->hubs[h].name)
            fail("a hub id or name");
    if (!s->scenario || !s->cnopt_version || !s->created_utc)
        fail("provenance strings");
    if (s->nprices < 0 || s->nprices > CN_H5_TOP_PRICES)
        fail("the number of prices");
}

static void check_vars(const cn_h5_var *v, int n)
{
    for (int k = 0; k < n; k++) {
        size_t p = 1;
        if (v[k].ndims < 0 || v[k].ndims > CN_H5_VAR_MAXDIMS || !v[k].group || !v[k].name ||
            !v[k].units || !v[k].long_name)
            fail("a dataset's names or rank");
        for (int j = 0; j < v[k].ndims; j++) {
            if (!v[k].dim[j])
                fail("a dimension name");
            p *= v[k].len[j];
        }
        if (p != v[k].n)
            fail("a dataset's element count");
        if ((v[k].kind == CN_H5V_F64 && !v[k].f) || (v[k].kind == CN_H5V_INT && !v[k].i) ||
            (v[k].kind == CN_H5V_STR && !v[k].s))
            fail("a dataset's values");
        for (size_t i = 0; v[k].kind == CN_H5V_STR && i < v[k].n; i++)
            if (!v[k].s[i])
                fail("a string");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = cn_fuzz_h5_file("result", data, size);
    cn_err_clear();
    cn_h5_summary *s = NULL;
    int rc = cn_h5_read_summary(path, &s);
    cn_fuzz_h5_check("cn_h5_read_summary", rc, path);
    if ((rc == CN_OK) != (s != NULL))
        fail("a summary handed out on failure, or none on success");
    if (s)
        check_summary(s);
    cn_h5_summary_destroy(&s);
    cn_err_clear();
    cn_h5_var *v = NULL;
    int n = 0;
    rc = cn_h5_read_vars(path, &v, &n);
    cn_fuzz_h5_check("cn_h5_read_vars", rc, path);
    if (rc == CN_OK)
        check_vars(v, n);
    else if (v)
        fail("datasets handed out on failure");
    cn_h5_vars_destroy(&v, n);
    cn_err_clear();
    return 0;
}
