/* tests/unit/test_cluster.c - representative days (core/cluster.h).
 *
 * Tiny cases whose clustering is worked out by hand in each comment:
 * k-medoids groups identical days wherever they are, chronological Ward
 * merges adjacent days only, weights add up, N = n keeps every day, ties go
 * to the lowest index, results are the same on every run, and the day
 * features of a two-day model are min-max normalised with the groups
 * weighted 1/sqrt(series). */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../base/err.h"
#include "../../core/cluster.h"
#include "../../core/model.h"

/* Days A, B, A, B (3 features each; A = (1, 2, 3), B = (7, 0, 5)).  N = 2:
 * k-medoids puts the two As and the two Bs together at zero cost; the
 * medoids are the first of each pair, days 0 and 1, each weighing 2. */
static void test_kmedoids_pairs(void **state)
{
    (void)state;
    const double x[] = {1, 2, 3, 7, 0, 5, 1, 2, 3, 7, 0, 5};
    int assign[4], med[2];
    double w[2], cost = -1;
    assert_int_equal(cn_cluster(x, 4, 3, NULL, 2, CN_CLUSTER_KMEDOIDS, assign, med, w, &cost),
                     CN_OK);
    assert_int_equal(med[0], 0);
    assert_int_equal(med[1], 1);
    assert_close(w[0], 2, 0, 0);
    assert_close(w[1], 2, 0, 0);
    assert_int_equal(assign[0], 0);
    assert_int_equal(assign[1], 1);
    assert_int_equal(assign[2], 0);
    assert_int_equal(assign[3], 1);
    assert_close(cost, 0, 0, 0);
}

/* The same days in the order A, A, B, B: chronological clustering finds
 * the pairs too ({0,1}, {2,3}, medoids 0 and 2, weight 2 each); in the
 * order A, B, A, B it cannot (only adjacent days merge), so its two
 * clusters are contiguous runs whatever they cost. */
static void test_hierarchical_pairs(void **state)
{
    (void)state;
    const double aabb[] = {1, 2, 3, 1, 2, 3, 7, 0, 5, 7, 0, 5};
    int assign[4], med[2];
    double w[2], cost = -1;
    assert_int_equal(cn_cluster(aabb, 4, 3, NULL, 2, CN_CLUSTER_HIERARCHICAL, assign, med, w,
                                &cost), CN_OK);
    assert_int_equal(med[0], 0);
    assert_int_equal(med[1], 2);
    assert_close(w[0], 2, 0, 0);
    assert_close(w[1], 2, 0, 0);
    assert_int_equal(assign[1], 0);
    assert_int_equal(assign[2], 1);
    assert_close(cost, 0, 0, 0);

    const double abab[] = {1, 2, 3, 7, 0, 5, 1, 2, 3, 7, 0, 5};
    assert_int_equal(cn_cluster(abab, 4, 3, NULL, 2, CN_CLUSTER_HIERARCHICAL, assign, med, w,
                                &cost), CN_OK);
    for (int i = 1; i < 4; i++)
        assert_true(assign[i] == assign[i - 1] || assign[i] == assign[i - 1] + 1);
    assert_int_equal(assign[0], 0);
    assert_int_equal(assign[3], 1);
    assert_true(cost > 0);
    assert_close(w[0] + w[1], 4, 0, 0);
}

/* One feature, values 0, 10, 1, 11 with weights 1, 1, 2, 1.  Ward costs
 * wa*wb/(wa+wb)*(ca-cb)^2 of the adjacent pairs: (0,10) 1/2*100 = 50,
 * (10,1) 2/3*81 = 54, (1,11) 2/3*100 = 66.7: merge days 0-1 (centroid 5,
 * weight 2).  Then ({0,1},{2}) 2*2/4*(5-1)^2 = 8 < ({2},{3}) 66.7: merge,
 * centroid (0+10+2*1)/4 = 3.  N = 2: {0,1,2} weight 4, {3} weight 1.  The
 * medoid is the member nearest the centroid: |0-3| = 3, |10-3| = 7,
 * |1-3| = 2: day 2.  Cost 1*(0-1)^2 + 1*(10-1)^2 = 82. */
static void test_hierarchical_ward(void **state)
{
    (void)state;
    const double x[] = {0, 10, 1, 11}, wt[] = {1, 1, 2, 1};
    int assign[4], med[2];
    double w[2], cost = -1;
    assert_int_equal(cn_cluster(x, 4, 1, wt, 2, CN_CLUSTER_HIERARCHICAL, assign, med, w, &cost),
                     CN_OK);
    assert_int_equal(assign[0], 0);
    assert_int_equal(assign[1], 0);
    assert_int_equal(assign[2], 0);
    assert_int_equal(assign[3], 1);
    assert_int_equal(med[0], 2);
    assert_int_equal(med[1], 3);
    assert_close(w[0], 4, 0, 0);
    assert_close(w[1], 1, 0, 0);
    assert_close(cost, 82, 1e-12, 0);
}

/* One feature, values 0, 1, 10, 12, 13, N = 2 (squared distances).
 * BUILD: the 1-medoid is 10 (sum 100+81+0+4+9 = 194, the least); adding 0
 * or 1 gains 180 alike, the tie goes to day 0.  SWAP: 10 -> 12 lowers the
 * cost of {10,12,13} from 4+9 = 13 to 4+1 = 5; 0 -> 1 changes nothing (a
 * tie, kept).  Medoids 0 and 3 (value 12), weights 2 and 3, cost 1+5 = 6. */
static void test_kmedoids_build_swap(void **state)
{
    (void)state;
    const double x[] = {0, 1, 10, 12, 13};
    int assign[5], med[2];
    double w[2], cost = -1;
    assert_int_equal(cn_cluster(x, 5, 1, NULL, 2, CN_CLUSTER_KMEDOIDS, assign, med, w, &cost),
                     CN_OK);
    assert_int_equal(med[0], 0);
    assert_int_equal(med[1], 3);
    const int expect[] = {0, 0, 1, 1, 1};
    for (int i = 0; i < 5; i++)
        assert_int_equal(assign[i], expect[i]);
    assert_close(w[0], 2, 0, 0);
    assert_close(w[1], 3, 0, 0);
    assert_close(cost, 6, 1e-12, 0);
}

/* N = n: every day is its own representative with its own weight, cost 0,
 * even when two days are identical (days 1 and 2 here). */
static void test_all_days(void **state)
{
    (void)state;
    const double x[] = {3, 5, 5, 1, 4}, wt[] = {1, 2, 3, 4, 5};
    for (int method = 0; method < 2; method++) {
        int assign[5], med[5];
        double w[5], cost = -1;
        assert_int_equal(cn_cluster(x, 5, 1, wt, 5, method, assign, med, w, &cost), CN_OK);
        for (int i = 0; i < 5; i++) {
            assert_int_equal(med[i], i);
            assert_int_equal(assign[i], i);
            assert_close(w[i], wt[i], 0, 0);
        }
        assert_close(cost, 0, 0, 0);
    }
}

/* 60 pseudo-random days of 24 features: two runs give the same arrays,
 * weights add up to the days, every medoid represents its own cluster, the
 * chronological clusters are contiguous and numbered in order. */
static void test_deterministic(void **state)
{
    (void)state;
    enum { N = 60, D = 24, K = 7 };
    static double x[N * D];
    uint64_t s = 12345;
    for (int i = 0; i < N * D; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        x[i] = (double)(s >> 11) * 0x1.0p-53 + (i / D % 7 == 5 ? 0.5 : 0);
    }
    for (int method = 0; method < 2; method++) {
        int a1[N], a2[N], m1[K], m2[K];
        double w1[K], w2[K], c1, c2;
        assert_int_equal(cn_cluster(x, N, D, NULL, K, method, a1, m1, w1, &c1), CN_OK);
        assert_int_equal(cn_cluster(x, N, D, NULL, K, method, a2, m2, w2, &c2), CN_OK);
        assert_memory_equal(a1, a2, sizeof a1);
        assert_memory_equal(m1, m2, sizeof m1);
        assert_memory_equal(w1, w2, sizeof w1);
        assert_memory_equal(&c1, &c2, sizeof c1);
        double tot = 0;
        for (int c = 0; c < K; c++) {
            tot += w1[c];
            assert_int_equal(a1[m1[c]], c);
            if (c > 0)
                assert_true(m1[c] > m1[c - 1]);
        }
        assert_close(tot, N, 0, 0);
        if (method == CN_CLUSTER_HIERARCHICAL) {
            assert_int_equal(a1[0], 0);
            for (int i = 1; i < N; i++)
                assert_true(a1[i] == a1[i - 1] || a1[i] == a1[i - 1] + 1);
        }
    }
}

static void test_bad_args(void **state)
{
    (void)state;
    const double x[] = {0, 1, 2}, wzero[] = {1, 0, 1};
    int a[3], m[3];
    double w[3];
    assert_int_equal(cn_cluster(x, 3, 1, NULL, 0, 0, a, m, w, NULL), CN_EUSAGE);
    assert_int_equal(cn_cluster(x, 3, 1, NULL, 4, 0, a, m, w, NULL), CN_EUSAGE);
    assert_int_equal(cn_cluster(x, 3, 1, wzero, 2, 0, a, m, w, NULL), CN_EUSAGE);
    assert_int_equal(cn_cluster(x, 3, 1, NULL, 2, 7, a, m, w, NULL), CN_EUSAGE);
    cn_err_clear();
}

/* A model of 1 region, 1 class, 2 sites over 2 days.  Demand is h on day 0
 * (hour h) and 30 on day 1: min 0, max 30, so day 0 hour h gives h/30 and
 * day 1 gives 1.  Site 0 has green capacity and availability 0.2 on day 0,
 * 0.6 on day 1 (normalised 0 and 1); site 1 has none (left out).  Prices are
 * flat (left out).  Two groups of one series each: scale 1. */
static void test_day_features(void **state)
{
    (void)state;
    cn_model *m = cn_model_create();
    assert_non_null(m);
    const long T = 48;
    m->sc.periods = T;
    m->sc.period_weight = 1;
    m->sc.scale_green = m->sc.scale_grid_price = 1;
    m->nregions = 1;
    m->regions = calloc(1, sizeof *m->regions);
    m->nclasses = 1;
    m->classes = calloc(1, sizeof *m->classes);
    m->nsites = 2;
    m->sites = calloc(2, sizeof *m->sites);
    m->sites[0].green_cap_mw = 10;
    m->sites[0].grid_price = m->sites[1].grid_price = 500;
    m->ndemand = T;
    m->demand = calloc((size_t)T, sizeof *m->demand);
    m->green_avail = calloc((size_t)(2 * T), sizeof(double));
    m->price_factor = calloc((size_t)(2 * T), sizeof(double));
    for (long t = 0; t < T; t++) {
        m->demand[t].period = t;
        m->demand[t].pflops = t < 24 ? (double)t : 30;
        m->green_avail[t] = t < 24 ? 0.2 : 0.6;
        m->green_avail[T + t] = 1;
        m->price_factor[t] = m->price_factor[T + t] = 1;
    }
    double *x = NULL;
    int n = 0, dim = 0, ns[3];
    assert_int_equal(cn_cluster_day_features(m, &x, &n, &dim, ns), CN_OK);
    assert_int_equal(n, 2);
    assert_int_equal(dim, 48);
    assert_int_equal(ns[0], 1);
    assert_int_equal(ns[1], 1);
    assert_int_equal(ns[2], 0);
    for (int h = 0; h < 24; h++) {
        assert_close(x[h], h / 30.0, 1e-15, 0);
        assert_close(x[dim + h], 1, 0, 0);
        assert_close(x[24 + h], 0, 0, 0);
        assert_close(x[dim + 24 + h], 1, 0, 0);
    }
    free(x);
    m->sc.periods = 47;
    assert_int_equal(cn_cluster_day_features(m, &x, &n, &dim, ns), CN_EUSAGE);
    cn_err_clear();
    cn_model_destroy(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kmedoids_pairs),
        cmocka_unit_test(test_hierarchical_pairs),
        cmocka_unit_test(test_hierarchical_ward),
        cmocka_unit_test(test_kmedoids_build_swap),
        cmocka_unit_test(test_all_days),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_bad_args),
        cmocka_unit_test(test_day_features),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
