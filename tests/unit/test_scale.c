/* tests/unit/test_scale.c - every GLPK problem cnopt loads is scaled by
 * solver/lp_scale.c (cn_scale_auto, on a copy of the matrix that
 * solver/lp_glpk.c makes), which must give the factors of
 * glp_scale_prob(P, GLP_SF_AUTO).  The independent result is GLPK itself:
 * each matrix is loaded by cn_glpk_create (scaled by ours) and, separately,
 * into a plain GLPK problem that GLPK scales; every row and column factor
 * must be the same double, bit for bit (the same algorithm in the same order
 * of operations).
 *
 * Cases: a hand-made matrix with an empty row, an empty column and
 * coefficients from 1e-4 to 1e6 (GLPK scales it: rows first or columns
 * first by its worst ratios); a well-scaled matrix (all |a| in [0.1, 10]:
 * every factor stays 1); factors set before (GLPK's are replaced, not
 * compounded: it starts from 1, and so does cn_glpk_rescale on a problem
 * scaled once); and 300 random sparse matrices of 1-40 rows and 1-60
 * columns with magnitudes 10^U(-5, 7), some rows and columns empty. */
#include "testutil.h"

#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../base/err.h"
#include "../../solver/lp.h"
#include "../../solver/lp_glpk.h"

/* A problem of m rows and n columns from dense a[m][n] (0: no entry); pre,
 * when not NULL, its factors before GLPK scales it (m row factors, then n
 * column factors). */
static glp_prob *from_dense(int m, int n, const double *a, const double *pre)
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
    for (int i = 0; pre && i < m; i++)
        glp_set_rii(P, i + 1, pre[i]);
    for (int j = 0; pre && j < n; j++)
        glp_set_sjj(P, j + 1, pre[m + j]);
    free(ind);
    free(val);
    return P;
}

/* The same matrix through cn_glpk_create (free rows, columns >= 0, no cost). */
static cn_glpk *create_dense(int m, int n, const double *a)
{
    cn_lp lp;
    memset(&lp, 0, sizeof lp);
    lp.ncols = n;
    lp.nrows = m;
    lp.obj = calloc((size_t)n, sizeof *lp.obj);
    lp.lb = calloc((size_t)n, sizeof *lp.lb);
    lp.ub = calloc((size_t)n, sizeof *lp.ub);
    lp.is_int = calloc((size_t)n, 1);
    lp.row_lo = calloc((size_t)m, sizeof *lp.row_lo);
    lp.row_hi = calloc((size_t)m, sizeof *lp.row_hi);
    lp.colptr = calloc((size_t)n + 1, sizeof *lp.colptr);
    lp.rowind = calloc((size_t)m * n + 1, sizeof *lp.rowind);
    lp.val = calloc((size_t)m * n + 1, sizeof *lp.val);
    assert_true(lp.obj && lp.lb && lp.ub && lp.is_int && lp.row_lo && lp.row_hi && lp.colptr &&
                lp.rowind && lp.val);
    for (int i = 0; i < m; i++) {
        lp.row_lo[i] = -INFINITY;
        lp.row_hi[i] = INFINITY;
    }
    for (int j = 0; j < n; j++) {
        lp.ub[j] = INFINITY;
        for (int i = 0; i < m; i++)
            if (a[i * n + j] != 0) {
                lp.rowind[lp.nnz] = i;
                lp.val[lp.nnz++] = a[i * n + j];
            }
        lp.colptr[j + 1] = lp.nnz;
    }
    cn_glpk *g = NULL;
    assert_int_equal(cn_glpk_create(&lp, &g), CN_OK);
    free(lp.obj); free(lp.lb); free(lp.ub); free(lp.is_int); free(lp.row_lo);
    free(lp.row_hi); free(lp.colptr); free(lp.rowind); free(lp.val);
    return g;
}

/* f[m + n] (rows, then columns) must equal P's factors bit for bit; returns
 * whether some factor is not 1. */
static int same_factors(glp_prob *P, int m, int n, const double *f)
{
    int scaled = 0;
    for (int i = 1; i <= m; i++) {
        double g = glp_get_rii(P, i);
        if (memcmp(&g, &f[i - 1], sizeof g) != 0)
            fail_msg("row %d of %d: GLPK %.17g, ours %.17g", i, m, g, f[i - 1]);
        scaled |= g != 1.0;
    }
    for (int j = 1; j <= n; j++) {
        double g = glp_get_sjj(P, j);
        if (memcmp(&g, &f[m + j - 1], sizeof g) != 0)
            fail_msg("column %d of %d: GLPK %.17g, ours %.17g", j, n, g, f[m + j - 1]);
        scaled |= g != 1.0;
    }
    return scaled;
}

/* dense a[m][n] scaled by cn_glpk_create and by GLPK (from the factors pre,
 * or from none) must have the same factors; returns whether GLPK scaled at
 * all.  Ours are left in f[m + n] when f is not NULL. */
static int same_as_glpk(int m, int n, const double *a, const double *pre, double *f)
{
    double *own = f ? f : calloc((size_t)(m + n), sizeof *own);
    assert_non_null(own);
    cn_glpk *g = create_dense(m, n, a);
    cn_glpk_scale_get(g, own, own + m);
    cn_glpk_destroy(&g);
    glp_term_out(GLP_OFF);
    glp_prob *P = from_dense(m, n, a, pre);
    glp_scale_prob(P, GLP_SF_AUTO);
    int scaled = same_factors(P, m, n, own);
    glp_delete_prob(P);
    if (!f)
        free(own);
    return scaled;
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
    assert_true(same_as_glpk(4, 5, a, NULL, NULL));

    /* the transpose: the other order of rows and columns */
    double t[5 * 4];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 5; j++)
            t[j * 4 + i] = a[i * 5 + j];
    assert_true(same_as_glpk(5, 4, t, NULL, NULL));
}

static void test_well_scaled_stays(void **state)
{
    (void)state;
    const double a[2 * 3] = {0.1, 10, 1, -2, 0, 0.5};
    assert_false(same_as_glpk(2, 3, a, NULL, NULL));
}

static void test_scaled_before(void **state)
{
    (void)state;
    const double a[2 * 2] = {1e5, 1, 1, 1e-3};
    /* GLPK from factors set before: they are replaced, not compounded */
    const double pre[4] = {8.0, 1.0, 1.0, 0.25};
    double f[4], again[4];
    assert_true(same_as_glpk(2, 2, a, pre, f));
    /* cn_glpk_rescale on a problem scaled once (the master after new
     * columns) starts from 1 too: the same factors again */
    cn_glpk *g = create_dense(2, 2, a);
    cn_glpk_rescale(g);
    cn_glpk_scale_get(g, again, again + 2);
    cn_glpk_destroy(&g);
    assert_memory_equal(f, again, sizeof f);
    assert_true(f[0] != 1.0);
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
        scaled += same_as_glpk(m, n, a, NULL, NULL);
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
