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
#include <stdlib.h>
#include <string.h>

#include "../../base/err.h"
#include "../../solver/lp_glpk.h"

static double obj[] = {1, 2, 5, 3, 100};
/* (one more entry than this LP's columns, for the LP of the dropping test) */
static double lb[] = {0, 0, 0, 0, 0, 0};
static double ub[] = {INFINITY, INFINITY, INFINITY, INFINITY, INFINITY, INFINITY};
static char is_int[] = {0, 0, 0, 0, 0, 0};
static double row_lo[] = {2, -INFINITY, -INFINITY, -INFINITY};
static double row_hi[] = {2, 1, 1.5, 0.25};
static char row_kind[] = {CN_ROW_DEMAND, CN_ROW_CAP, CN_ROW_CAP, CN_ROW_CAP};
/* x1: r0 r1 r3; x2: r0 r1; x3: r0 r2; x4: r0 r2; u: r0 */
static int64_t colptr[] = {0, 3, 5, 7, 9, 10};
static int32_t rowind[] = {0, 1, 3, 0, 1, 0, 2, 0, 2, 0};
static double val[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}; /* both LPs have 10 entries */

/* A GLPK problem of nc columns and nr rows (entries: colptr, rowind; every
 * value 1) with the given costs and row bounds, every column in [0, inf). */
static cn_glpk *create(int nc, int nr, double *cost, double *lo, double *hi, char *kind,
                       int64_t *cp, int32_t *ri)
{
    cn_lp lp;
    memset(&lp, 0, sizeof lp);
    lp.ncols = nc;
    lp.nrows = nr;
    lp.nnz = cp[nc];
    lp.obj = cost;
    lp.lb = lb;
    lp.ub = ub;
    lp.is_int = is_int;
    lp.row_lo = lo;
    lp.row_hi = hi;
    lp.row_kind = kind;
    lp.colptr = cp;
    lp.rowind = ri;
    lp.val = val;
    cn_glpk *g = NULL;
    assert_int_equal(cn_glpk_create(&lp, &g), CN_OK);
    return g;
}

static cn_glpk *make(void)
{
    return create(5, 4, obj, row_lo, row_hi, row_kind, colptr, rowind);
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

/* Dropping (sift_drop): a column that leaves the working set and must come
 * back.  Candidates a, b, e, f (sift_cols = 4); u0, u1 always in.
 *   min  5 a + 1 b + 2 e + 0.5 f + 100 u0 + 100 u1
 *   r0 (demand 0):  a + b + u0 = 0.5
 *   r1 (demand 1):  e + f + u1 = 0.8
 *   r2 (shared cap): b + e    <= 1
 *   r3 (a's cap):    a        <= 1
 *   r4 (f's cap):    f        <= 0
 * First set, each row's cheapest: r0 b, r1 f, r2 b, r3 a, r4 f: {a, b, f}.
 * Round 1: b = 0.5, u1 = 0.8, cost 80.5.  f = 0 must be basic (nonbasic,
 * its reduced cost 0.5 - 100 would be negative), so the basis is {b, u1,
 * f, r2's and r3's slacks}: y0 = 1, y1 = 100, y2 = y3 = 0, y4 = -99.5.
 * a rests at 0 with d(a) = 5 - 1 = 4 > 0: it is dropped.  Outside, d(e) =
 * 2 - 100 = -98 joins, d(a) = 4 waits.
 * Round 2, {b, e, f}: b = 0.5, e = 0.5 (r2 tight), u1 = 0.3, cost 31.5
 * (b = 0.2, e = 0.8, u0 = 0.3 would cost 31.8); basis {b, e, u1, f, r3's
 * slack}: y1 = 100, y2 = 2 - 100 = -98, y0 = 1 + 98 = 99.  No column of
 * the set rests at 0.  d(a) = 5 - 99 = -94: a comes back.
 * Round 3, {a, b, e, f}, nothing left outside: e = 0.8, b = 0.2 (r2
 * tight), a = 0.3, cost 1.6 + 0.2 + 1.5 = 3.3, the unique optimum, with
 * basis {a, b, e, f, r3's slack}: y0 = 5 (a), y2 = 1 - 5 = -4 (b), y1 = 2 +
 * 4 = 6 (e), y4 = 0.5 - 6 = -5.5 (f), y3 = 0.  So 3 rounds and 1 drop;
 * without the drop a stays in and round 2 is already the optimum; were a
 * never to come back, the answer would stay at 31.5. */
static double d_obj[] = {5, 1, 2, 0.5, 100, 100};
static double d_row_lo[] = {0.5, 0.8, -INFINITY, -INFINITY, -INFINITY};
static double d_row_hi[] = {0.5, 0.8, 1, 1, 0};
static char d_row_kind[] = {CN_ROW_DEMAND, CN_ROW_DEMAND, CN_ROW_CAP, CN_ROW_CAP, CN_ROW_CAP};
/* a: r0 r3; b: r0 r2; e: r1 r2; f: r1 r4; u0: r0; u1: r1 */
static int64_t d_colptr[] = {0, 2, 4, 6, 8, 9, 10};
static int32_t d_rowind[] = {0, 3, 0, 2, 1, 2, 1, 4, 0, 1};

static void test_dropped_column_comes_back(void **state)
{
    (void)state;
    cn_glpk *g = create(6, 5, d_obj, d_row_lo, d_row_hi, d_row_kind, d_colptr, d_rowind);
    cn_glpk_opts o;
    cn_glpk_opts_init(&o);
    o.presolve = 0;
    o.sift_cols = 4;
    cn_lp_solution sol;
    assert_int_equal(cn_glpk_solve(g, &o, &sol), CN_OK);
    assert_int_equal(sol.status, CN_STATUS_OPTIMAL);
    assert_int_equal(cn_glpk_sift_rounds(g), 3);
    assert_int_equal(cn_glpk_sift_dropped(g), 1);
    assert_close(sol.objective, 3.3, 1e-12, 0.0);
    double want[] = {0.3, 0.2, 0.8, 0, 0, 0}, y[] = {5, 6, -4, 0, -5.5};
    for (int j = 0; j < 6; j++)
        assert_close(sol.col_value[j], want[j], 1e-12, 1e-12);
    for (int i = 0; i < 5; i++)
        assert_close(sol.row_dual[i], y[i], 1e-12, 1e-12);
    cn_lp_solution_free(&sol);
    cn_glpk_destroy(&g);
}

/* A warm start on an LP whose bounds changed (Benders' next subproblem, a
 * sweep task): the first LP's optimal basis {x1, x2, x4, r2's slack} set on
 * the same LP with demand 3 instead of 2.  There x4 = 3 - 0.25 - 0.75 = 2
 * passes cap B (1.5): primal infeasible, but the costs did not change, so
 * the basis is still dual feasible and the dual simplex starts from it
 * (lp_glpk.c run_simplex).  One pivot: r2's slack leaves, u enters (the
 * primal simplex from this basis also needs one here: what this test holds
 * is the answer of that path; its speed is measured in docs/benchmarks.md
 * "Dual simplex after a bound change").  The
 * optimum: x1 = 0.25, x2 = 0.75, x4 = 1.5, u = 0.5, cost 0.25 + 1.5 + 4.5 +
 * 50 = 56.25, every basic value positive, so the duals are unique: y0 =
 * 100 (u), y2 = 3 - 100 = -97 (x4), y1 = 2 - 100 = -98 (x2), y3 = 1 - 100 +
 * 98 = -1 (x1); d(x3) = 5 - 100 + 97 = 2. */
static void test_warm_start_after_a_bound_change(void **state)
{
    (void)state;
    cn_glpk *g = solved_cold(1, 2);
    unsigned char *basis = NULL;
    int64_t nb = 0;
    assert_int_equal(cn_glpk_basis_get(g, &basis, &nb), CN_OK);
    cn_glpk_destroy(&g);
    double lo3[] = {3, -INFINITY, -INFINITY, -INFINITY}, hi3[] = {3, 1, 1.5, 0.25};
    g = create(5, 4, obj, lo3, hi3, row_kind, colptr, rowind);
    assert_int_equal(cn_glpk_basis_set(g, basis, nb), CN_OK);
    free(basis);
    cn_glpk_opts o;
    cn_glpk_opts_init(&o);
    o.sift_cols = 4;
    cn_lp_solution sol;
    assert_int_equal(cn_glpk_solve(g, &o, &sol), CN_OK);
    assert_int_equal(sol.status, CN_STATUS_OPTIMAL);
    assert_close(sol.objective, 56.25, 1e-12, 0.0);
    assert_int_equal(sol.iterations, 1);
    double want[] = {0.25, 0.75, 0, 1.5, 0.5}, y[] = {100, -98, -97, -1};
    for (int j = 0; j < 5; j++)
        assert_close(sol.col_value[j], want[j], 1e-12, 1e-12);
    for (int i = 0; i < 4; i++)
        assert_close(sol.row_dual[i], y[i], 1e-12, 1e-12);
    assert_close(sol.col_dual[2], 2.0, 1e-12, 1e-12);
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
        cmocka_unit_test(test_dropped_column_comes_back),
        cmocka_unit_test(test_warm_start_after_a_bound_change),
        cmocka_unit_test(test_same_answer_without_sifting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
