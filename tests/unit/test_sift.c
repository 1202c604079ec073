/* tests/unit/test_sift.c - sifting (solver/lp_glpk.c run_sifting): the
 * simplex on a working set of columns, the others priced in, ends at the
 * whole LP's optimum and leaves every column with its own bounds.
 *
 * Columns x1..x4 may be left out (sift_cols = 4); u is always in.
 *   min  1 x1 + 2 x2 + 5 x3 + 3 x4 + 100 u
 *   r0 (demand):  x1 + x2 + x3 + x4 + u = 2
 *   r1 (cap A):   x1 + x2               <= 1
 *   r2 (cap B):             x3 + x4     <= 1.5
 *   r3 (x1 cap):  x1                    <= 0.25
 *   all >= 0.
 * The first working set: each row's cheapest candidate, r0 x1, r1 x1,
 * r2 x4, r3 x1, so {x1, x4, u}.  Its optimum: x1 = 0.25, x4 = 1.5 (cap B),
 * u = 0.25, cost 0.25 + 4.5 + 25 = 29.75; duals y0 = 100 (u basic),
 * y2 = 3 - 100 = -97 (x4 basic, r2 tight), y1 = 0.
 * Pricing: d(x2) = 2 - 100 - 0 = -98 < 0, joins; d(x3) = 5 - 100 + 97 = 2.
 * Round 2: x2 = 0.75 (cap A tight), x4 = 1 (cap B slack), u = 0: cost
 * 0.25 + 1.5 + 3 = 4.75.  The basis x1, x2, x4 and r2's slack gives the
 * unique duals y2 = 0, y0 = 3 (x4), y1 = 2 - 3 = -1 (x2), y3 = 1 - 3 + 1 = -1
 * (x1); d(x3) = 5 - 3 = 2 >= 0 and d(u) = 97: the sifting ends after 2
 * rounds at the optimum 4.75.
 * Then x3's cost becomes 0.5 (a warm re-solve): x3 = 1.5 (cap B) replaces
 * x4, x1 = 0.25, x2 = 0.25: cost 0.75 + 0.25 + 0.5 = 1.5.  If x3 had been
 * left fixed at 0 by the sifting, the re-solve would stay at 4.75.
 *
 * Warm sifting (sift_warm, sift_cols = 5: u may wait outside too), the same
 * cost change from the 4.75 basis {x1, x2, x4, r2's slack}: the candidates
 * nonbasic at 0 are x3 and u.  The basic costs did not change, so the duals
 * are still y = (3, -1, 0, -1): d(x3) = 0.5 - 3 = -2.5 joins, d(u) = 100 - 3
 * = 97 waits (round 1, no simplex).  Round 2: the simplex reaches x1 =
 * 0.25, x2 = 0.25, x3 = 1.5, r1's slack 0.5 (cost 1.5), nondegenerate, so the
 * duals are unique: y1 = 0, y0 = 2 (x2), y2 = 0.5 - 2 = -1.5 (x3), y3 = 1 - 2
 * = -1 (x1); d(u) = 98 >= 0: 2 rounds.  Then u's cost becomes 0.1 (warm
 * again): u = 2 serves the whole demand, cost 0.2; with u left fixed at 0
 * it would stay at 1.5. */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "../../base/err.h"
#include "../../solver/lp_glpk.h"

static double obj[] = {1, 2, 5, 3, 100};
static double lb[] = {0, 0, 0, 0, 0};
static double ub[] = {INFINITY, INFINITY, INFINITY, INFINITY, INFINITY};
static char is_int[] = {0, 0, 0, 0, 0};
static double row_lo[] = {2, -INFINITY, -INFINITY, -INFINITY};
static double row_hi[] = {2, 1, 1.5, 0.25};
static char row_kind[] = {CN_ROW_DEMAND, CN_ROW_CAP, CN_ROW_CAP, CN_ROW_CAP};
/* x1: r0 r1 r3; x2: r0 r1; x3: r0 r2; x4: r0 r2; u: r0 */
static int64_t colptr[] = {0, 3, 5, 7, 9, 10};
static int32_t rowind[] = {0, 1, 3, 0, 1, 0, 2, 0, 2, 0};
static double val[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

static cn_glpk *make(void)
{
    cn_lp lp;
    memset(&lp, 0, sizeof lp);
    lp.ncols = 5;
    lp.nrows = 4;
    lp.nnz = 10;
    lp.obj = obj;
    lp.lb = lb;
    lp.ub = ub;
    lp.is_int = is_int;
    lp.row_lo = row_lo;
    lp.row_hi = row_hi;
    lp.row_kind = row_kind;
    lp.colptr = colptr;
    lp.rowind = rowind;
    lp.val = val;
    cn_glpk *g = NULL;
    assert_int_equal(cn_glpk_create(&lp, &g), CN_OK);
    return g;
}

/* Solve (sifting on or off); the status must be optimal, with want_obj and
 * want_rounds sifting rounds. */
static void solve(cn_glpk *g, int sift, int want_rounds, double want_obj, cn_lp_solution *sol)
{
    cn_glpk_opts o;
    cn_glpk_opts_init(&o);
    o.presolve = 0;
    o.sift = sift;
    o.sift_cols = 4;
    assert_int_equal(cn_glpk_solve(g, &o, sol), CN_OK);
    assert_int_equal(sol->status, CN_STATUS_OPTIMAL);
    assert_int_equal(cn_glpk_sift_rounds(g), want_rounds);
    assert_close(sol->objective, want_obj, 1e-12, 0.0);
}

static void test_sifting_reaches_the_optimum(void **state)
{
    (void)state;
    cn_glpk *g = make();
    cn_lp_solution sol;
    solve(g, 1, 2, 4.75, &sol);
    double want[] = {0.25, 0.75, 0, 1, 0};
    for (int j = 0; j < 5; j++)
        assert_close(sol.col_value[j], want[j], 1e-12, 1e-12);
    /* the duals of the whole LP's basis: y0 = 3, y1 = -1, y2 = 0, y3 = -1 */
    assert_close(sol.row_dual[0], 3.0, 1e-12, 1e-12);
    assert_close(sol.row_dual[1], -1.0, 1e-12, 1e-12);
    assert_close(sol.row_dual[2], 0.0, 1e-12, 1e-12);
    assert_close(sol.row_dual[3], -1.0, 1e-12, 1e-12);
    assert_close(sol.col_dual[2], 2.0, 1e-12, 1e-12); /* d(x3) */
    cn_lp_solution_free(&sol);

    /* warm: x3 cheaper; no sifting (a basis exists), and x3 free to enter */
    double c3 = 0.5;
    double newobj[] = {1, 2, c3, 3, 100};
    assert_int_equal(cn_glpk_set_obj(g, newobj, 5), CN_OK);
    solve(g, 1, 0, 1.5, &sol);
    assert_close(sol.col_value[1], 0.25, 1e-12, 1e-12);
    assert_close(sol.col_value[2], 1.5, 1e-12, 1e-12);
    assert_close(sol.col_value[3], 0.0, 1e-12, 1e-12);
    cn_lp_solution_free(&sol);
    cn_glpk_destroy(&g);
}

/* the LP solved cold to 4.75 (sifting on or off, in want_rounds rounds) */
static cn_glpk *solved_cold(int sift, int want_rounds)
{
    cn_glpk *g = make();
    cn_lp_solution sol;
    solve(g, sift, want_rounds, 4.75, &sol);
    cn_lp_solution_free(&sol);
    return g;
}

static void test_warm_sifting(void **state)
{
    (void)state;
    cn_glpk *g = solved_cold(1, 2);
    cn_lp_solution sol;
    double newobj[] = {1, 2, 0.5, 3, 100};
    assert_int_equal(cn_glpk_set_obj(g, newobj, 5), CN_OK);
    cn_glpk_opts o;
    cn_glpk_opts_init(&o);
    o.presolve = 0;
    o.sift_warm = 1;
    o.sift_cols = 5;
    assert_int_equal(cn_glpk_solve(g, &o, &sol), CN_OK);
    assert_int_equal(sol.status, CN_STATUS_OPTIMAL);
    assert_int_equal(cn_glpk_sift_rounds(g), 2);
    assert_close(sol.objective, 1.5, 1e-12, 0.0);
    double want[] = {0.25, 0.25, 1.5, 0, 0}, y[] = {2, 0, -1.5, -1};
    for (int j = 0; j < 5; j++)
        assert_close(sol.col_value[j], want[j], 1e-12, 1e-12);
    for (int i = 0; i < 4; i++)
        assert_close(sol.row_dual[i], y[i], 1e-12, 1e-12);
    assert_close(sol.col_dual[4], 98.0, 1e-12, 1e-12); /* d(u), priced out */
    cn_lp_solution_free(&sol);

    /* u, left out above, must be back at its own bounds */
    newobj[4] = 0.1;
    assert_int_equal(cn_glpk_set_obj(g, newobj, 5), CN_OK);
    assert_int_equal(cn_glpk_solve(g, &o, &sol), CN_OK);
    assert_int_equal(sol.status, CN_STATUS_OPTIMAL);
    assert_close(sol.objective, 0.2, 1e-12, 0.0);
    assert_close(sol.col_value[4], 2.0, 1e-12, 1e-12);
    cn_lp_solution_free(&sol);

    /* sift = 0 (--no-sift) turns the warm sifting off as well */
    newobj[4] = 100;
    assert_int_equal(cn_glpk_set_obj(g, newobj, 5), CN_OK);
    o.sift = 0;
    assert_int_equal(cn_glpk_solve(g, &o, &sol), CN_OK);
    assert_int_equal(cn_glpk_sift_rounds(g), 0);
    assert_close(sol.objective, 1.5, 1e-12, 0.0);
    cn_lp_solution_free(&sol);
    cn_glpk_destroy(&g);
}

static void test_same_answer_without_sifting(void **state)
{
    (void)state;
    cn_glpk *g = solved_cold(0, 0);
    cn_glpk_destroy(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sifting_reaches_the_optimum),
        cmocka_unit_test(test_warm_sifting),
        cmocka_unit_test(test_same_answer_without_sifting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
