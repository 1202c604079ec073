/* tests/unit/test_scale.c - solver/lp_scale.c computes the factors of
 * glp_scale_prob(P, GLP_SF_AUTO) on arrays.  The independent result is
 * GLPK itself: each problem is scaled by GLPK, and cn_scale_auto runs on its
 * matrix as GLPK stores it; every row and column factor must be the same
 * double, bit for bit (the same algorithm in the same order of operations).
 *
 * Cases: a hand-made matrix with an empty row, an empty column and
 * coefficients from 1e-4 to 1e6 (GLPK scales it: rows first or columns
 * first by its worst ratios); a well-scaled matrix (all |a| in [0.1, 10]:
 * every factor stays 1); a matrix scaled before (the factors are replaced,
 * not compounded: GLPK starts from 1, like cn_scale_auto); and 300 random sparse matrices of 1-40 rows and 1-60
 * columns with magnitudes 10^U(-5, 7), some rows and columns empty. */
#include "testutil.h"

#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../base/err.h"
#include "../../solver/lp_scale.h"

/* P's factors scaled by GLPK, and cn_scale_auto's on P's matrix as GLPK
 * stores it, must be equal; returns whether GLPK scaled at all (some factor
 * is not 1). */
static int same_as_glpk(glp_prob *P)
{
    int m = glp_get_num_rows(P), n = glp_get_num_cols(P), nz = glp_get_num_nz(P), scaled = 0;
    int *ind = calloc((size_t)m + 1, sizeof *ind), *cp = calloc((size_t)n + 1, sizeof *cp);
    int *ri = calloc((size_t)nz + 1, sizeof *ri);
    double *val = calloc((size_t)m + 1, sizeof *val), *a = calloc((size_t)nz + 1, sizeof *a);
    double *r = calloc((size_t)m + 1, sizeof *r), *s = calloc((size_t)n + 1, sizeof *s);
    assert_true(ind && cp && ri && val && a && r && s);
    for (int j = 0; j < n; j++) {
        int len = glp_get_mat_col(P, j + 1, ind, val);
        cp[j + 1] = cp[j] + len;
        for (int q = 1; q <= len; q++) {
            ri[cp[j] + q - 1] = ind[q] - 1;
            a[cp[j] + q - 1] = fabs(val[q]);
        }
    }
    assert_int_equal(cn_scale_auto(m, n, cp, ri, a, r, s), CN_OK);
    glp_term_out(GLP_OFF);
    glp_scale_prob(P, GLP_SF_AUTO);
    for (int i = 1; i <= m; i++) {
        double g = glp_get_rii(P, i);
        if (memcmp(&g, &r[i - 1], sizeof g) != 0)
            fail_msg("row %d of %d: GLPK %.17g, ours %.17g", i, m, g, r[i - 1]);
        scaled |= g != 1.0;
    }
    for (int j = 1; j <= n; j++) {
        double g = glp_get_sjj(P, j);
        if (memcmp(&g, &s[j - 1], sizeof g) != 0)
            fail_msg("column %d of %d: GLPK %.17g, ours %.17g", j, n, g, s[j - 1]);
        scaled |= g != 1.0;
    }
    free(ind); free(cp); free(ri); free(val); free(a); free(r); free(s);
    return scaled;
}

/* A problem of m rows and n columns from dense a[m][n] (0: no entry). */
static glp_prob *from_dense(int m, int n, const double *a)
{
    glp_prob *P = glp_create_prob();
    glp_add_rows(P, m);
    glp_add_cols(P, n);
    int *ind = calloc((size_t)m + 1, sizeof *ind);
    double *val = calloc((size_t)m + 1, sizeof *val);
    assert_non_null(ind);
    assert_non_null(val);
    for (int j = 0; j < n; j++) {
        int len = 0;
        for (int i = 0; i < m; i++)
            if (a[i * n + j] != 0) {
                ind[++len] = i + 1;
                val[len] = a[i * n + j];
            }
        glp_set_mat_col(P, j + 1, len, ind, val);
    }
    free(ind);
    free(val);
    return P;
}

static void test_hand_made(void **state)
{
    (void)state;
    /* row 2 and column 3 are empty */
    const double a[4 * 5] = {
        1e6, 2.5, 0, 0, -3e-4,
        0, -7, 1e-4, 0, 4,
        0, 0, 0, 0, 0,
        12, 0, 0.5, 0, 9e5,
    };
    glp_prob *P = from_dense(4, 5, a);
    assert_true(same_as_glpk(P));
    glp_delete_prob(P);

    /* the transpose: the other order of rows and columns */
    double t[5 * 4];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 5; j++)
            t[j * 4 + i] = a[i * 5 + j];
    P = from_dense(5, 4, t);
    assert_true(same_as_glpk(P));
    glp_delete_prob(P);
}

static void test_well_scaled_stays(void **state)
{
    (void)state;
    const double a[2 * 3] = {0.1, 10, 1, -2, 0, 0.5};
    glp_prob *P = from_dense(2, 3, a);
    assert_false(same_as_glpk(P));
    glp_delete_prob(P);
}

static void test_scaled_before(void **state)
{
    (void)state;
    const double a[2 * 2] = {1e5, 1, 1, 1e-3};
    glp_prob *P = from_dense(2, 2, a);
    glp_set_rii(P, 1, 8.0);
    glp_set_sjj(P, 2, 0.25);
    assert_true(same_as_glpk(P));
    glp_delete_prob(P);
}

static void test_random_matrices(void **state)
{
    (void)state;
    srand(20261207);
    int scaled = 0;
    for (int t = 0; t < 300; t++) {
        int m = 1 + rand() % 40, n = 1 + rand() % 60;
        double *a = calloc((size_t)m * (size_t)n, sizeof *a);
        assert_non_null(a);
        double dens = 0.05 + 0.4 * (rand() / (double)RAND_MAX);
        for (int q = 0; q < m * n; q++)
            if (rand() / (double)RAND_MAX < dens) {
                double e = -5 + 12 * (rand() / (double)RAND_MAX);
                a[q] = (rand() % 2 ? 1 : -1) * pow(10, e);
            }
        glp_prob *P = from_dense(m, n, a);
        scaled += same_as_glpk(P);
        glp_delete_prob(P);
        free(a);
    }
    assert_true(scaled > 250); /* nearly every one needed scaling */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_made),
        cmocka_unit_test(test_well_scaled_stays),
        cmocka_unit_test(test_scaled_before),
        cmocka_unit_test(test_random_matrices),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
