/* tests/unit/test_invest.c - what an expansion row saves (core/invest.h).
 *
 * Two sites, one type, two periods.  Site 0 has no power cap, site 1 has one.
 * Shadow prices (yuan per unit per period, w(t) * period_hours included):
 *   capacity [site][type][t] = {-4000, -3000 | 0, 0}
 *   power cap [site][t]     = {-999, -999 (no row: must be ignored) | -3000, -1000}
 * Row 0 (site 0, 5 PFLOPS, 1 MW, 25000 yuan, 3 built of 3):
 *   value = -(5 * (-7000) + 1 * 0) = 35000 (the cap's dual is not a row), net = 10000.
 * Row 1 (site 1, 10 PFLOPS, 2 MW, 100000 yuan, 0 of 2):
 *   value = -(10 * 0 + 2 * (-4000)) = 8000, net = -92000.
 * Row 2 (site 1, 1 PFLOPS, 0 MW, 1000 yuan, 0 of 1): value 0, net -1000.
 * Planner's order: row 0 (built), then row 2 (net -1000), then row 1 (-92000). */
#include "testutil.h"

#include <math.h>
#include <stdint.h>

#include "../../base/err.h"
#include "../../core/invest.h"

static const int32_t site[] = {0, 1, 1}, type[] = {0, 0, 0};
static const double pf[] = {5, 10, 1}, mw[] = {1, 2, 0}, cost[] = {25000, 100000, 1000};
static const double most[] = {3, 2, 1}, y[] = {3, 0, 0};
static const double pcap[] = {NAN, 8};
static const double capd[] = {-4000, -3000, 0, 0};
static const double pcd[] = {-999, -999, -3000, -1000};

static cn_invest_in input(void)
{
    return (cn_invest_in){.S = 2, .C = 1, .T = 2, .E = 3, .exp_site = site, .exp_type = type,
                          .module_pflops = pf, .module_mw = mw, .module_cost = cost,
                          .max_modules = most, .modules = y, .site_power_cap_mw = pcap,
                          .cap_dual = capd, .power_cap_dual = pcd};
}

static void test_values(void **state)
{
    (void)state;
    cn_invest_in in = input();
    cn_invest v[3];
    assert_int_equal(cn_invest_compute(&in, v), CN_OK);
    assert_close(v[0].value_yuan, 35000, 0, 1e-9);
    assert_close(v[0].net_yuan, 10000, 0, 1e-9);
    assert_close(v[0].cost_yuan, 75000, 0, 1e-9);
    assert_close(v[0].pflops_added, 15, 0, 1e-12);
    assert_close(v[0].mw_added, 3, 0, 1e-12);
    assert_close(v[1].value_yuan, 8000, 0, 1e-9);
    assert_close(v[1].net_yuan, -92000, 0, 1e-9);
    assert_close(v[1].cost_yuan, 0, 0, 0);
    assert_close(v[2].value_yuan, 0, 0, 0);
    assert_false(signbit(v[2].value_yuan));   /* 0, not -0: printed "0" */
    assert_close(v[2].net_yuan, -1000, 0, 1e-9);
    double b, m, c, p, w;
    cn_invest_totals(v, 3, &b, &m, &c, &p, &w);
    assert_close(b, 3, 0, 0);
    assert_close(m, 6, 0, 0);
    assert_close(c, 75000, 0, 1e-9);
    assert_close(p, 15, 0, 1e-12);
    assert_close(w, 3, 0, 1e-12);
    size_t order[3];
    cn_invest_order(v, 3, order);
    assert_int_equal(order[0], 0);
    assert_int_equal(order[1], 2);
    assert_int_equal(order[2], 1);
}

/* Without duals: the build plan is there, value and net are NaN and sort last
 * (after the built rows), in file order. */
static void test_no_duals(void **state)
{
    (void)state;
    cn_invest_in in = input();
    in.cap_dual = in.power_cap_dual = NULL;
    cn_invest v[3];
    assert_int_equal(cn_invest_compute(&in, v), CN_OK);
    for (int e = 0; e < 3; e++) {
        assert_true(isnan(v[e].value_yuan));
        assert_true(isnan(v[e].net_yuan));
    }
    assert_close(v[0].cost_yuan, 75000, 0, 1e-9);
    size_t order[3];
    cn_invest_order(v, 3, order);
    assert_int_equal(order[0], 0);
    assert_int_equal(order[1], 1);
    assert_int_equal(order[2], 2);
}

/* A row naming a site outside the table is bad data, not a crash. */
static void test_bad_index(void **state)
{
    (void)state;
    cn_invest_in in = input();
    const int32_t bad[] = {0, 2, 1};
    in.exp_site = bad;
    cn_invest v[3];
    assert_int_equal(cn_invest_compute(&in, v), CN_EDATA);
    cn_err_clear();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_no_duals),
        cmocka_unit_test(test_bad_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
