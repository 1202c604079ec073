/* tests/unit/test_dw_coup.c - a decomposition column's coupling entries
 * (solver/dw_int.h dw_coup_add, dw_coup_pack): rounding is dropped, real
 * entries stay, and the accumulator is left clean.
 *
 * One block of three columns over three coupling rows (CSC, cptr/cidx/cval):
 *   column 0: row 0 1.0, row 1 0.1
 *   column 1: row 1 -0.3, row 2 2.0
 *   column 2: row 0 1.0
 * Column A = 3 x column 0 + 1 x column 1 + 1e-13 x column 2:
 *   row 0: 3 + 1e-13            = 3.0000000000001   kept (a real entry)
 *   row 1: 3 x 0.1 - 0.3        = 5.55e-17          dropped: its terms are 0.3 each,
 *                                                    5.55e-17 <= 1e-12 x 0.6
 *   row 2: 2                                         kept
 * Column B = 1e5 x column 0 + 1e-12 x column 1:
 *   row 0: 1e5                                       kept
 *   row 1: 1e4 - 3e-13          = 9999.9999999999997 kept
 *   row 2: 2e-12                                     dropped: 2e-12 <= 1e-12 x 1e5
 *                                                    (a primal value of 1e-12)
 * Column C = 0.5 x column 1: row 1 -0.15, row 2 1.0, both kept. */
#include "testutil.h"

#include <string.h>

#include "../../solver/dw_int.h"

static int64_t cptr[] = {0, 2, 4, 5};
static int32_t cidx[] = {0, 1, 1, 2, 0};
static double cval[] = {1.0, 0.1, -0.3, 2.0, 1.0};

typedef struct fixture {
    dw w;
    block b;
    double scratch[3], scratch_abs[3];
    int32_t touched[3];
} fixture;

static void setup(fixture *f)
{
    memset(f, 0, sizeof *f);
    f->b.ncols = 3;
    f->b.cptr = cptr;
    f->b.cidx = cidx;
    f->b.cval = cval;
    f->w.scratch = f->scratch;
    f->w.scratch_abs = f->scratch_abs;
    f->w.touched = f->touched;
}

/* The packed column [m, rows, values]: its rows and values copied out, m
 * returned (and the packed length checked: 1 + 2 m). */
static int64_t column(fixture *f, const double *z, double *rows, double *vals)
{
    int64_t nt = 0;
    double out[1 + 2 * 3];
    for (int64_t k = 0; k < 3; k++)
        if (z[k] != 0.0)
            dw_coup_add(&f->w, &f->b, k, z[k], &nt);
    int64_t len = dw_coup_pack(&f->w, nt, out);
    int64_t m = (int64_t)out[0];
    assert_int_equal(len, 1 + 2 * m);
    for (int64_t j = 0; j < m; j++) {
        rows[j] = out[1 + j];
        vals[j] = out[1 + m + j];
    }
    return m;
}

static void assert_clean(const fixture *f)
{
    for (int i = 0; i < 3; i++) {
        assert_true(f->scratch[i] == 0.0);
        assert_true(f->scratch_abs[i] == 0.0);
    }
}

static void test_cancelled_entry_dropped(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    double z[] = {3.0, 1.0, 1e-13}, rows[3], vals[3];
    assert_int_equal(column(&f, z, rows, vals), 2);
    assert_true(rows[0] == 0.0 && rows[1] == 2.0);
    assert_close(vals[0], 3.0000000000001, 1e-15, 0.0);
    assert_close(vals[1], 2.0, 0.0, 0.0);
    assert_clean(&f);
}

static void test_tiny_primal_dropped(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    double z[] = {1e5, 1e-12, 0.0}, rows[3], vals[3];
    assert_int_equal(column(&f, z, rows, vals), 2);
    assert_true(rows[0] == 0.0 && rows[1] == 1.0);
    assert_close(vals[0], 1e5, 0.0, 0.0);
    assert_close(vals[1], 1e4, 1e-15, 0.0);
    assert_clean(&f);
}

static void test_small_real_entries_kept(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    double z[] = {0.0, 0.5, 0.0}, rows[3], vals[3];
    assert_int_equal(column(&f, z, rows, vals), 2);
    assert_true(rows[0] == 1.0 && rows[1] == 2.0);
    assert_close(vals[0], -0.15, 1e-15, 0.0);
    assert_close(vals[1], 1.0, 0.0, 0.0);
    assert_clean(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cancelled_entry_dropped),
        cmocka_unit_test(test_tiny_primal_dropped),
        cmocka_unit_test(test_small_real_entries_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
