/* fuzz/fuzz_ckpt.c - libFuzzer harness: the input as a decomposition
 * checkpoint, read by cn_ckpt_read (io/h5ckpt.c over io/h5check.c and
 * HDF5), as `cnopt solve --restart` reads it before the solver's own,
 * model-dependent checks (solver/dw_ckpt.c).
 *
 * Aborts (a crash for libFuzzer) when an outcome breaks cn_fuzz_h5_check's
 * rules or an accepted checkpoint breaks what cn_ckpt_read promises
 * (docs/robustness.md, "Checkpoints"): iteration and have_center in range, a
 * bound that is a number or -inf, arrays present, col_ptr from 0 to the
 * entry count and never decreasing, every index >= 0, every value finite;
 * or a failure leaves anything allocated. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../base/err.h"
#include "../io/h5ckpt.h"
#include "fuzz_h5util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_ckpt: accepted checkpoint breaks: %s\n", what);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = cn_fuzz_h5_file("ckpt", data, size);
    cn_err_clear();
    cn_ckpt c;
    int rc = cn_ckpt_read(path, &c);
    cn_fuzz_h5_check("cn_ckpt_read", rc, path);
    if (rc != CN_OK) {
        if (c.pi_center || c.col_block || c.col_master || c.col_ptr || c.col_idx || c.col_val)
            fail("arrays left on failure");
        cn_err_clear();
        return 0;
    }
    if (c.iteration < 0 || c.iteration > INT32_MAX || (c.have_center != 0 && c.have_center != 1))
        fail("iteration or have_center");
    if (isnan(c.lower_bound) || c.lower_bound == INFINITY)
        fail("the lower bound");
    if (c.ncoup < 0 || c.ncols < 0 || !c.pi_center || !c.col_block || !c.col_master || !c.col_ptr ||
        !c.col_idx || !c.col_val)
        fail("counts or arrays");
    for (int64_t i = 0; i < c.ncoup; i++)
        if (!isfinite(c.pi_center[i]))
            fail("a dual of pi_center");
    if (c.col_ptr[0] != 0)
        fail("col_ptr[0]");
    for (int64_t q = 0; q < c.ncols; q++)
        if (c.col_ptr[q] > c.col_ptr[q + 1] || c.col_block[q] < 0 || c.col_master[q] < 0)
            fail("col_ptr, col_block or col_master");
    for (int64_t e = 0; e < c.col_ptr[c.ncols]; e++)
        if (c.col_idx[e] < 0 || !isfinite(c.col_val[e]))
            fail("col_idx or col_val");
    cn_ckpt_free(&c);
    cn_err_clear();
    return 0;
}
