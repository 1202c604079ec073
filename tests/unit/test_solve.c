/* tests/unit/test_solve.c - the monolithic solve on tiny models whose optimum
 * is worked out by hand in each test's comment.  Each model makes one
 * mechanism of docs/model.md decide the answer.
 *
 * Common ground unless a test says otherwise: one period of one hour,
 * period_weight 1, type g with 1 MW per PFLOPS, PUE 1, no green power,
 * carbon price 0, penalty 1000 yuan per PFLOPS-hour unserved, no transfer
 * cost, gbps_per_pflops 0.  So serving 1 PFLOPS for the hour at a site with
 * grid price P costs P yuan. */
#include "testutil.h"

#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../base/err.h"
#include "../../core/derive.h"
#include "../../io/reader.h"
#include "../../solver/lp_glpk.h"
#include "../../solver/lp_split.h"
#include "../../solver/period_start.h"
#include "../../solver/solve.h"

#define SITE_HDR "id,name,hub,region,pue,power_cap_mw,grid_price,green_price,green_cap_mw," \
                 "grid_co2,access_rtt_ms,access_gbps\n"

typedef struct tables {
    int periods;                  /* 0 means 1 */
    const char *scenario_extra;   /* appended to the scenario YAML */
    const char *types, *regions, *hubs, *sites, *capacity, *links, *classes, *demand;
    const char *profiles, *expansions, *periods_csv; /* optional */
} tables;

static const char *or_default(const char *s, const char *def) { return s ? s : def; }

/* Write the tables and load them; the caller destroys *pm. */
static void load_tables(const tables *tb, cn_model **pm)
{
    char *dir = cn_mkdtemp("solve");
    char scen[1024];
    snprintf(scen, sizeof scen, "name: t\nmodel: .\nperiods: %d\n%s",
             tb->periods > 0 ? tb->periods : 1, or_default(tb->scenario_extra, ""));
    cn_write_file(dir, "scenario.yaml", scen);
    cn_write_file(dir, "types.csv", or_default(tb->types, "id,mw_per_pflops\ng,1\n"));
    cn_write_file(dir, "regions.csv", or_default(tb->regions, "id,name,lat,lon\nA,A,30,120\nB,B,35,100\n"));
    cn_write_file(dir, "hubs.csv", or_default(tb->hubs, "id,name,zone,min_green_share\nH,H,east,\n"));
    cn_write_file(dir, "sites.csv", tb->sites);
    cn_write_file(dir, "capacity.csv", tb->capacity);
    cn_write_file(dir, "links.csv", or_default(tb->links, "from,to,rtt_ms,gbps,cost\n"));
    cn_write_file(dir, "classes.csv",
                  or_default(tb->classes, "id,name,type,max_rtt_ms,gbps_per_pflops,window,penalty\n"
                                          "k,k,g,100,0,1,1000\n"));
    cn_write_file(dir, "demand.csv", tb->demand);
    if (tb->profiles)
        cn_write_file(dir, "profiles.csv", tb->profiles);
    if (tb->expansions)
        cn_write_file(dir, "expansions.csv", tb->expansions);
    if (tb->periods_csv)
        cn_write_file(dir, "periods.csv", tb->periods_csv);
    char path[1100];
    snprintf(path, sizeof path, "%s/scenario.yaml", dir);
    cn_diag_clear();
    int rc = cn_model_load(path, pm);
    if (rc != CN_OK)
        cn_diag_print(stderr);
    assert_int_equal(rc, CN_OK);
    cn_rmtree(dir);
    free(dir);
}

/* Write the tables, load, solve monolithically; the caller destroys all. */
static cn_result *solve_tables(const tables *tb, cn_model **pm, cn_derived **pd,
                               const cn_solve_opts *opts)
{
    load_tables(tb, pm);
    assert_int_equal(cn_derived_create(*pm, pd), CN_OK);
    cn_solve_opts def;
    cn_solve_opts_init(&def);
    cn_result *res = NULL;
    int rc = cn_solve_monolithic(*pd, opts ? opts : &def, MPI_COMM_WORLD, &res);
    if (rc != CN_OK)
        fprintf(stderr, "%s\n", cn_err_message());
    assert_int_equal(rc, CN_OK);
    assert_int_equal(res->status, CN_STATUS_OPTIMAL);
    return res;
}

static void done(cn_result **r, cn_derived **d, cn_model **m)
{
    cn_result_destroy(r);
    cn_derived_destroy(d);
    cn_model_destroy(m);
}

/* Served PFLOPS of class k at site s in period t (summed over regions). */
static double served(const cn_result *r, int s, int t)
{
    double v = 0;
    for (int64_t i = 0; i < r->nx; i++)
        if (r->x_site[i] == s && r->x_period[i] == t)
            v += r->x_pflops[i];
    return v;
}

static void check_parts(const cn_result *r)
{
    double sum = r->cost_energy + r->cost_carbon + r->cost_green + r->cost_transfer +
                 r->cost_unserved + r->cost_expansion;
    assert_close(sum, r->objective, 1e-9, 1e-9);
    assert_true(r->max_violation <= 1e-7);
}

/* Latency cut.  Region A demands 4 PFLOPS of class k (max rtt 5 ms).  Site
 * sa in A costs 100 yuan/MWh, site sb in B costs 10 but lies 10 ms away.
 * Without the cut sb would win (40 yuan); with it only sa is eligible:
 * optimum 4 * 100 = 400, all at sa. */
static void test_latency_cut(void **state)
{
    (void)state;
    tables tb = {
        .sites = SITE_HDR "sa,sa,,A,1,,100,0,0,0,0,\nsb,sb,,B,1,,10,0,0,0,0,\n",
        .capacity = "site,type,pflops\nsa,g,10\nsb,g,10\n",
        .links = "from,to,rtt_ms,gbps,cost\nA,B,10,,\n",
        .classes = "id,name,type,max_rtt_ms,gbps_per_pflops,window,penalty\nk,k,g,5,0,1,1000\n",
        .demand = "region,class,period,pflops\nA,k,0,4\n"};
    cn_model *m; cn_derived *d;
    cn_result *r = solve_tables(&tb, &m, &d, NULL);
    assert_close(r->objective, 400, 1e-12, 1e-9);
    assert_close(served(r, 0, 0), 4, 1e-12, 1e-9);
    assert_close(served(r, 1, 0), 0, 0, 1e-12);
    assert_int_equal(d->size.nx, 1); /* only x[A,sa,k,0] exists */
    check_parts(r);
    done(&r, &d, &m);
}

/* A window moves batch work to a green hour.  Two periods, class k with
 * window 2, so D(A,k,0) = 4 (all asked in period 0).  Site sa: grid 100,
 * green 10 yuan/MWh with 5 MW that are available only in period 1
 * (green_avail 0 then 1).  Cheapest: run all 4 PFLOPS in period 1 on green
 * power: 4 * 10 = 40. */
static const tables WINDOW_GREEN_HOUR = {
    .periods = 2,
    .sites = SITE_HDR "sa,sa,,A,1,,100,10,5,0.5,0,\n",
    .capacity = "site,type,pflops\nsa,g,10\n",
    .classes = "id,name,type,max_rtt_ms,gbps_per_pflops,window,penalty\nk,k,g,100,0,2,1000\n",
    .demand = "region,class,period,pflops\nA,k,0,4\n",
    .profiles = "site,period,green_avail,price_factor\nsa,0,0,1\nsa,1,1,1\n"};

static void test_window_green_hour(void **state)
{
    (void)state;
    tables tb = WINDOW_GREEN_HOUR;
    cn_model *m; cn_derived *d;
    cn_result *r = solve_tables(&tb, &m, &d, NULL);
    assert_close(r->objective, 40, 1e-12, 1e-9);
    assert_close(served(r, 0, 1), 4, 1e-12, 1e-9);
    assert_close(served(r, 0, 0), 0, 0, 1e-12);
    assert_close(r->pgr_mw[1], 4, 1e-12, 1e-9);
    assert_close(r->emissions_t, 0, 0, 1e-12);
    check_parts(r);
    done(&r, &d, &m);
}

/* Green versus grid.  Demand 5 at sa; green 3 MW at 20 yuan/MWh, grid 50
 * yuan/MWh with 0.8 tCO2/MWh and a carbon price of 25 yuan/t (so grid costs
 * 50 + 20 = 70).  Optimum: 3 green + 2 grid = 60 + 140 = 200; energy part
 * 100, carbon part 40, green part 60; emissions 1.6 t. */
static void test_green_vs_grid(void **state)
{
    (void)state;
    tables tb = {
        .scenario_extra = "carbon_price: 25\n",
        .sites = SITE_HDR "sa,sa,,A,1,,50,20,3,0.8,0,\n",
        .capacity = "site,type,pflops\nsa,g,10\n",
        .demand = "region,class,period,pflops\nA,k,0,5\n"};
    cn_model *m; cn_derived *d;
    cn_result *r = solve_tables(&tb, &m, &d, NULL);
    assert_close(r->objective, 200, 1e-12, 1e-9);
    assert_close(r->pgr_mw[0], 3, 1e-12, 1e-9);
    assert_close(r->pg_mw[0], 2, 1e-12, 1e-9);
    assert_close(r->cost_energy, 100, 1e-12, 1e-9);
    assert_close(r->cost_carbon, 40, 1e-12, 1e-9);
    assert_close(r->cost_green, 60, 1e-12, 1e-9);
    assert_close(r->emissions_t, 1.6, 1e-12, 1e-9);
    assert_close(r->energy_mwh, 5, 1e-12, 1e-9);
    /* one more MW of green saves 70 - 20 = 50: reduced cost of pgr's bound */
    assert_close(r->green_dual[0], -50, 1e-9, 1e-9);
    check_parts(r);
    done(&r, &d, &m);
}

/* Backbone bottleneck.  A demands 10 PFLOPS of class k with 1 Gbps per
 * PFLOPS.  Local sa has 4 PFLOPS at 100; sb in B has 100 PFLOPS at 10, over
 * link A-B of 3 Gbps (1 ms).  Optimum: 3 at sb (30), 4 at sa (400),
 * 3 unserved (3000): 3430.  One more Gbps moves one PFLOPS from unserved to
 * sb: link dual -990; one more PFLOPS at sa saves 1000 - 100: dual -900. */
static const tables backbone = {
    .sites = SITE_HDR "sa,sa,,A,1,,100,0,0,0,0,\nsb,sb,,B,1,,10,0,0,0,0,\n",
    .capacity = "site,type,pflops\nsa,g,4\nsb,g,100\n",
    .links = "from,to,rtt_ms,gbps,cost\nA,B,1,3,\n",
    .classes = "id,name,type,max_rtt_ms,gbps_per_pflops,window,penalty\nk,k,g,100,1,1,1000\n",
    .demand = "region,class,period,pflops\nA,k,0,10\n"};

static void test_backbone_bottleneck(void **state)
{
    (void)state;
    cn_model *m; cn_derived *d;
    cn_result *r = solve_tables(&backbone, &m, &d, NULL);
    assert_close(r->objective, 3430, 1e-12, 1e-9);
    assert_close(served(r, 1, 0), 3, 1e-12, 1e-9);
    assert_close(r->link_load_gbps[0], 3, 1e-12, 1e-9);
    assert_close(r->link_dual[0], -990, 1e-9, 1e-9);
    assert_close(r->cap_dual[0], -900, 1e-9, 1e-9);  /* site sa, type g, t 0 */
    assert_close(r->u_pflops[0], 3, 1e-12, 1e-9);
    assert_close(r->u_dual[0], 1000, 1e-9, 1e-9);
    check_parts(r);
    done(&r, &d, &m);
}

/* Shadow price by finite difference: raise sa's capacity in the backbone
 * model from 4 to 4.5 PFLOPS and re-solve; the objective must fall by
 * 0.5 * 900 = 450, matching cap_dual * 0.5. */
static void test_shadow_price_finite_difference(void **state)
{
    (void)state;
    cn_model *m; cn_derived *d;
    cn_result *r = solve_tables(&backbone, &m, &d, NULL);
    double dual = r->cap_dual[0], obj = r->objective;
    done(&r, &d, &m);
    tables more = backbone;
    more.capacity = "site,type,pflops\nsa,g,4.5\nsb,g,100\n";
    r = solve_tables(&more, &m, &d, NULL);
    assert_close(r->objective - obj, dual * 0.5, 1e-9, 1e-9);
    assert_close(r->objective, 3430 - 450, 1e-12, 1e-9);
    done(&r, &d, &m);
}

/* Access-link bottleneck: the backbone model with the link unlimited but
 * sb's access link limited to 2 Gbps: 2 at sb (20), 4 at sa (400),
 * 4 unserved (4000): 4420; access dual -990. */
static void test_access_bottleneck(void **state)
{
    (void)state;
    tables tb = backbone;
    tb.sites = SITE_HDR "sa,sa,,A,1,,100,0,0,0,0,\nsb,sb,,B,1,,10,0,0,0,0,2\n";
    tb.links = "from,to,rtt_ms,gbps,cost\nA,B,1,,\n";
    cn_model *m; cn_derived *d;
    cn_result *r = solve_tables(&tb, &m, &d, NULL);
    assert_close(r->objective, 4420, 1e-12, 1e-9);
    assert_close(r->access_load_gbps[1], 2, 1e-12, 1e-9); /* site sb, t 0 */
    assert_close(r->access_dual[1], -990, 1e-9, 1e-9);
    check_parts(r);
    done(&r, &d, &m);
}

/* Power cap.  sa has PUE 1.5 and type g needs 2 MW per PFLOPS: 3 MW per
 * PFLOPS at the meter; a 6 MW cap allows 2 PFLOPS.  Demand 5 at price 100:
 * 2 served (6 MWh * 100 = 600) + 3 unserved (3000) = 3600. */
static void test_power_cap(void **state)
{
    (void)state;
    tables tb = {
        .types = "id,mw_per_pflops\ng,2\n",
        .sites = SITE_HDR "sa,sa,,A,1.5,6,100,0,0,0,0,\n",
        .capacity = "site,type,pflops\nsa,g,10\n",
        .demand = "region,class,period,pflops\nA,k,0,5\n"};
    cn_model *m; cn_derived *d;
    cn_result *r = solve_tables(&tb, &m, &d, NULL);
    assert_close(r->objective, 3600, 1e-12, 1e-9);
    assert_close(r->pg_mw[0], 6, 1e-12, 1e-9);
    assert_close(r->site_load_pflops[0], 2, 1e-12, 1e-9);
    /* one more MW serves 1/3 PFLOPS more: saves (1000 - 300) / 3 */
    assert_close(r->power_cap_dual[0], -700.0 / 3.0, 1e-9, 1e-9);
    check_parts(r);
    done(&r, &d, &m);
}

/* Binding carbon cap.  Two sites in A: sc (grid 100, 1 tCO2/MWh) and sg
 * (grid 300, 0 tCO2/MWh), 10 PFLOPS each; demand 10.  Uncapped optimum is
 * all at sc (1000).  With carbon_cap 4 t: 4 at sc + 6 at sg = 400 + 1800 =
 * 2200; one more tonne moves 1 MWh from sg to sc: carbon dual -200. */
static void test_carbon_cap(void **state)
{
    (void)state;
    tables tb = {
        .scenario_extra = "carbon_cap: 4\n",
        .sites = SITE_HDR "sc,sc,,A,1,,100,0,0,1,0,\nsg,sg,,A,1,,300,0,0,0,0,\n",
        .capacity = "site,type,pflops\nsc,g,10\nsg,g,10\n",
        .demand = "region,class,period,pflops\nA,k,0,10\n"};
    cn_model *m; cn_derived *d;
    cn_result *r = solve_tables(&tb, &m, &d, NULL);
    assert_close(r->objective, 2200, 1e-12, 1e-9);
    assert_close(r->emissions_t, 4, 1e-12, 1e-9);
    assert_true(r->has_carbon_row);
    assert_close(r->carbon_dual, -200, 1e-9, 1e-9);
    check_parts(r);
    done(&r, &d, &m);
}

/* Binding hub green share.  Hub H requires 50% green.  sa in H: grid 100,
 * green 200 with 10 MW.  Demand 4: at least 2 MWh green:
 * 2 * 100 + 2 * 200 = 600 (400 without the rule). */
static void test_hub_green_share(void **state)
{
    (void)state;
    tables tb = {
        .hubs = "id,name,zone,min_green_share\nH,H,west,0.5\n",
        .sites = SITE_HDR "sa,sa,H,A,1,,100,200,10,0.5,0,\n",
        .capacity = "site,type,pflops\nsa,g,10\n",
        .demand = "region,class,period,pflops\nA,k,0,4\n"};
    cn_model *m; cn_derived *d;
    cn_result *r = solve_tables(&tb, &m, &d, NULL);
    assert_close(r->objective, 600, 1e-12, 1e-9);
    assert_close(r->pgr_mw[0], 2, 1e-12, 1e-9);
    /* the row 0.5 pgr - 0.5 pg >= 0: raising its right-hand side to 1 needs
     * pgr - pg >= 2 with pg + pgr = 4, so pgr 3: 700, dual +100 */
    assert_close(r->hub_green_dual[0], 100, 1e-9, 1e-9);
    check_parts(r);
    done(&r, &d, &m);
}

/* Integer expansion.  sa has 2 PFLOPS at 100; demand 7 (penalty 1000).
 * Modules of 3 PFLOPS cost 500 each, at most 3.  y=0: 200 + 5000 = 5200;
 * y=1: 500 + 2000 + 500 = 3000; y=2: all served, 700 + 1000 = 1700; y=3: 700 + 1500 = 2200.  Optimum y = 2,
 * 1700 (the LP relaxation would take y = 5/3 for 1533.33). */
static void test_expansion_modules(void **state)
{
    (void)state;
    tables tb = {
        .scenario_extra = "expansion: true\n",
        .sites = SITE_HDR "sa,sa,,A,1,,100,0,0,0,0,\n",
        .capacity = "site,type,pflops\nsa,g,2\n",
        .demand = "region,class,period,pflops\nA,k,0,7\n",
        .expansions = "site,type,module_pflops,module_mw,module_cost,max_modules\nsa,g,3,0,500,3\n"};
    cn_model *m; cn_derived *d;
    cn_result *r = solve_tables(&tb, &m, &d, NULL);
    assert_true(r->is_mip);
    assert_close(r->objective, 1700, 1e-12, 1e-9);
    assert_close(r->y_modules[0], 2, 0, 1e-9);
    assert_close(r->cost_expansion, 1000, 1e-12, 1e-9);
    assert_true(r->bound <= r->objective + 1e-9);
    assert_true(r->has_duals); /* of the LP with y fixed at 2 */
    /* with y fixed, capacity 8 is slack: its dual is 0, demand's is 100 */
    assert_close(r->u_dual[0], 100, 1e-9, 1e-9);
    check_parts(r);
    done(&r, &d, &m);
}

/* Binary expansion (max_modules 1: GLPK makes such a column binary, GLP_BV).
 * sa has 1 PFLOPS at 100, sb 0 PFLOPS at 50; demand 4 (penalty 1000).  One
 * module each: sa +2 PFLOPS for 300, sb +3 PFLOPS for 700.
 *   y = (0,0): 100 + 3000 = 3100
 *   y = (1,0): 3 at sa 300 + 1000 unserved + 300 = 1600
 *   y = (0,1): 1 at sa 100 + 3 at sb 150 + 700 = 950
 *   y = (1,1): 4 served: 3 at sb 150 + 1 at sa 100 + 1000 = 1250
 * Optimum y = (0,1), 950, everything served.  The LP relaxation is cheaper
 * (y_sb fractional), so a result whose x, y or cost parts came from the
 * relaxation (the defect of issue 14) shows here: y must be whole, the parts
 * must sum to 950 and the site loads must be 1 at sa and 3 at sb. */
static void test_expansion_binary(void **state)
{
    (void)state;
    tables tb = {
        .scenario_extra = "expansion: true\n",
        .sites = SITE_HDR "sa,sa,,A,1,,100,0,0,0,0,\nsb,sb,,A,1,,50,0,0,0,0,\n",
        .capacity = "site,type,pflops\nsa,g,1\n",
        .demand = "region,class,period,pflops\nA,k,0,4\n",
        .expansions = "site,type,module_pflops,module_mw,module_cost,max_modules\n"
                      "sa,g,2,0,300,1\nsb,g,3,0,700,1\n"};
    cn_model *m; cn_derived *d;
    cn_result *r = solve_tables(&tb, &m, &d, NULL);
    assert_true(r->is_mip);
    assert_close(r->objective, 950, 1e-12, 1e-9);
    assert_close(r->y_modules[0], 0, 0, 1e-9);
    assert_close(r->y_modules[1], 1, 0, 1e-9);
    assert_close(r->cost_expansion, 700, 1e-12, 1e-9);
    assert_close(r->cost_unserved, 0, 0, 1e-9);
    assert_close(served(r, 0, 0), 1, 1e-12, 1e-9);
    assert_close(served(r, 1, 0), 3, 1e-12, 1e-9);
    assert_true(r->bound <= r->objective + 1e-9);
    assert_true((r->objective - r->bound) / fmax(1.0, fabs(r->objective)) <= 1e-6);
    check_parts(r);
    done(&r, &d, &m);
}

/* Routing ties (spec section 4).  Regions A, B, C, D with A-B 1, B-D 1,
 * A-C 1, C-D 1 and A-D 2 ms: three paths from A to D of 2 ms; the direct
 * link has the fewest links and wins.  Without A-D, A-B-D and A-C-D tie on
 * rtt and hops; the lexicographically smallest region sequence (A,B,D:
 * B has index 1 < C's 2) wins, so B-D carries the traffic.  Transfer costs
 * tell the paths apart: cost 1 on A-B, 5 on A-C. */
static void test_route_ties(void **state)
{
    (void)state;
    static const char *regions = "id,name,lat,lon\nA,A,30,120\nB,B,31,110\nC,C,32,100\nD,D,33,90\n";
    tables tb = {
        .regions = regions,
        .sites = SITE_HDR "sd,sd,,D,1,,100,0,0,0,0,\n",
        .capacity = "site,type,pflops\nsd,g,10\n",
        .links = "from,to,rtt_ms,gbps,cost\nA,B,1,,1\nB,D,1,,0\nA,C,1,,5\nC,D,1,,0\nA,D,2,,7\n",
        .classes = "id,name,type,max_rtt_ms,gbps_per_pflops,window,penalty\nk,k,g,100,1,1,1000\n",
        .demand = "region,class,period,pflops\nA,k,0,1\n"};
    cn_model *m; cn_derived *d;
    cn_result *r = solve_tables(&tb, &m, &d, NULL);
    /* direct link: transfer cost 7 per Gbps-hour * 1 Gbps */
    assert_close(r->cost_transfer, 7, 1e-12, 1e-12);
    assert_close(cn_route_rtt(d, 0, 0), 2, 0, 1e-12);
    done(&r, &d, &m);
    tb.links = "from,to,rtt_ms,gbps,cost\nA,B,1,,1\nB,D,1,,0\nA,C,1,,5\nC,D,1,,0\n";
    r = solve_tables(&tb, &m, &d, NULL);
    assert_close(r->cost_transfer, 1, 1e-12, 1e-12);
    assert_close(r->link_load_gbps[0], 1, 0, 1e-12);  /* A-B */
    assert_close(r->link_load_gbps[2], 0, 0, 0);      /* A-C */
    done(&r, &d, &m);
}

/* The interior-point path reaches the same optimum (backbone model). */
static void test_interior_point(void **state)
{
    (void)state;
    cn_solve_opts o;
    cn_solve_opts_init(&o);
    o.glpk.method = CN_LP_INTERIOR;
    cn_model *m; cn_derived *d;
    cn_result *r = solve_tables(&backbone, &m, &d, &o);
    assert_close(r->objective, 3430, 1e-6, 1e-6);
    done(&r, &d, &m);
}

/* ---- model 1.1: weighted periods (docs/model.md, "Weighted periods") ---- */

/* Weights in the objective and the reported sums.  Two periods with weights
 * w(0) = 10, w(1) = 1 (periods.csv), class k with window 1, site sa (grid
 * 100) with 1 PFLOPS of capacity; demand 2 in each period, penalty 1000.
 * Each period serves 1 and leaves 1 unserved:
 *   energy   10 * 100 * 1 + 1 * 100 * 1 = 1100
 *   unserved 10 * 1000 * 1 + 1 * 1000 * 1 = 11000 (w(b) of each window)
 *   optimum 12100; energy reported 10 * 1 + 1 * 1 = 11 MWh. */
static void test_weighted_objective(void **state)
{
    (void)state;
    tables tb = {
        .periods = 2,
        .sites = SITE_HDR "sa,sa,,A,1,,100,0,0,0.5,0,\n",
        .capacity = "site,type,pflops\nsa,g,1\n",
        .demand = "region,class,period,pflops\nA,k,0,2\nA,k,1,2\n",
        .periods_csv = "period,weight\n0,10\n1,1\n"};
    cn_model *m; cn_derived *d;
    cn_result *r = solve_tables(&tb, &m, &d, NULL);
    assert_close(r->objective, 12100, 1e-12, 1e-9);
    assert_close(r->cost_energy, 1100, 1e-12, 1e-9);
    assert_close(r->cost_unserved, 11000, 1e-12, 1e-9);
    assert_close(r->energy_mwh, 11, 1e-12, 1e-9);
    assert_close(r->emissions_t, 5.5, 1e-12, 1e-9);
    /* demand duals: one more PFLOPS-period unserved costs w(b) * 1000 */
    assert_close(r->u_dual[0], 10000, 1e-9, 1e-9);
    assert_close(r->u_dual[1], 1000, 1e-9, 1e-9);
    check_parts(r);
    done(&r, &d, &m);
}

/* Carbon cap (8) with weights.  Periods w(0) = 3, w(1) = 1, window 1, demand
 * 1 in each.  sa: grid 100, 1 tCO2/MWh; sb: grid 200, 0 tCO2/MWh, but its
 * price_factor is 2 in period 1 (400).  Uncapped: all at sa, 3*100 + 100 =
 * 400 yuan and 3 + 1 = 4 t.  Cap 3 t: cutting emissions costs (200-100)*3 /
 * 3 t = 100 yuan/t in period 0 and 300 yuan/t in period 1, so period 0
 * moves 1/3 PFLOPS to sb: 3 * (100 * 2/3 + 200 * 1/3) + 100 = 500 yuan,
 * emissions 3 * 2/3 + 1 = 3 t, carbon dual -100.  (Unweighted, the cap
 * would read 2/3 + 1 and allow nothing like it: the weight decides.) */
static void test_weighted_carbon_cap(void **state)
{
    (void)state;
    tables tb = {
        .periods = 2,
        .scenario_extra = "carbon_cap: 3\n",
        .sites = SITE_HDR "sa,sa,,A,1,,100,0,0,1,0,\nsb,sb,,A,1,,200,0,0,0,0,\n",
        .capacity = "site,type,pflops\nsa,g,10\nsb,g,10\n",
        .demand = "region,class,period,pflops\nA,k,0,1\nA,k,1,1\n",
        .profiles = "site,period,green_avail,price_factor\nsb,1,1,2\n",
        .periods_csv = "period,weight\n0,3\n1,1\n"};
    cn_model *m; cn_derived *d;
    cn_result *r = solve_tables(&tb, &m, &d, NULL);
    assert_close(r->objective, 500, 1e-12, 1e-9);
    assert_close(r->emissions_t, 3, 1e-12, 1e-9);
    assert_close(served(r, 1, 0), 1.0 / 3, 1e-9, 1e-12);
    assert_close(served(r, 1, 1), 0, 0, 1e-12);
    assert_close(r->carbon_dual, -100, 1e-9, 1e-9);
    check_parts(r);
    done(&r, &d, &m);
}

/* Hub green share (9) with weights.  Hub H requires 50%.  sa in H: grid 100,
 * green 150 with 10 MW available in period 0 only (green_avail 0 in period
 * 1); demand 1 in each period (window 1); w(0) = 3, w(1) = 1.  Weighted:
 * 3 pgr0 >= 0.5 * (3 * 1 + 1 * 1) = 2, so pgr0 = 2/3 (green is dearer):
 * 3 * (100 * 1/3 + 150 * 2/3) + 1 * 100 = 500.  (Unweighted the rule would
 * ask pgr0 >= 1: 550.)  The row is 3 * (0.5 pgr0 - 0.5 pg0) - 0.5 pg1 >= 0,
 * i.e. 3 pgr0 - 2 >= rhs; one unit more needs 1/3 MW more green at a
 * weighted 3 * 50 = 150 yuan per MW: dual 50. */
static void test_weighted_hub_green_share(void **state)
{
    (void)state;
    tables tb = {
        .periods = 2,
        .hubs = "id,name,zone,min_green_share\nH,H,west,0.5\n",
        .sites = SITE_HDR "sa,sa,H,A,1,,100,150,10,0.5,0,\n",
        .capacity = "site,type,pflops\nsa,g,10\n",
        .demand = "region,class,period,pflops\nA,k,0,1\nA,k,1,1\n",
        .profiles = "site,period,green_avail,price_factor\nsa,1,0,1\n",
        .periods_csv = "period,weight\n0,3\n1,1\n"};
    cn_model *m; cn_derived *d;
    cn_result *r = solve_tables(&tb, &m, &d, NULL);
    assert_close(r->objective, 500, 1e-12, 1e-9);
    assert_close(r->pgr_mw[0], 2.0 / 3, 1e-9, 1e-12);
    assert_close(r->green_mwh, 2, 1e-9, 1e-12);
    assert_close(r->energy_mwh, 4, 1e-12, 1e-12);
    assert_close(r->hub_green_dual[0], 50, 1e-9, 1e-9);
    check_parts(r);
    done(&r, &d, &m);
}

/* A window of whole weight: class k with window 2 over periods 0..1 (both
 * weight 5) and a window of one period 2 (weight 1).  Demand 4 asked in
 * period 0, green 10 yuan at sa only in period 1 (5 MW): all 4 run there,
 * 5 * 10 * 4 = 200.  Period 2 asks 1 with no green: 1 * 100 * 1 = 100.
 * Optimum 300. */
static void test_weighted_window(void **state)
{
    (void)state;
    tables tb = {
        .periods = 3,
        .sites = SITE_HDR "sa,sa,,A,1,,100,10,5,0.5,0,\n",
        .capacity = "site,type,pflops\nsa,g,10\n",
        .classes = "id,name,type,max_rtt_ms,gbps_per_pflops,window,penalty\nk,k,g,100,0,2,1000\n",
        .demand = "region,class,period,pflops\nA,k,0,4\nA,k,2,1\n",
        .profiles = "site,period,green_avail,price_factor\nsa,0,0,1\nsa,1,1,1\nsa,2,0,1\n",
        .periods_csv = "period,weight\n0,5\n1,5\n2,1\n"};
    cn_model *m; cn_derived *d;
    cn_result *r = solve_tables(&tb, &m, &d, NULL);
    assert_close(r->objective, 300, 1e-12, 1e-9);
    assert_close(served(r, 0, 1), 4, 1e-12, 1e-9);
    check_parts(r);
    done(&r, &d, &m);
}

/* v1 to the last digit: the hub-share model above with uniform weights,
 * once as period_weight 7 and no periods.csv (v1), once with a periods.csv
 * that gives every period 7: the same objective bit for bit (both build the
 * same LP).  And with period_weight 1 but periods.csv saying 7 everywhere,
 * the same optimum (the hub row is scaled by 7, nothing else changes). */
static void test_uniform_weights_are_v1(void **state)
{
    (void)state;
    tables tb = {
        .periods = 2,
        .scenario_extra = "period_weight: 7\ncarbon_price: 30\n",
        .hubs = "id,name,zone,min_green_share\nH,H,west,0.3\n",
        .sites = SITE_HDR "sa,sa,H,A,1.2,,100,150,10,0.7,0,\nsb,sb,,B,1.1,,90,0,0,0.9,0,\n",
        .capacity = "site,type,pflops\nsa,g,10\nsb,g,10\n",
        .links = "from,to,rtt_ms,gbps,cost\nA,B,10,,3\n",
        .classes = "id,name,type,max_rtt_ms,gbps_per_pflops,window,penalty\nk,k,g,100,0.4,2,1000\n",
        .demand = "region,class,period,pflops\nA,k,0,3\nA,k,1,1.7\n",
        .profiles = "site,period,green_avail,price_factor\nsa,1,0.2,1.3\n"};
    cn_model *m; cn_derived *d;
    cn_result *r1 = solve_tables(&tb, &m, &d, NULL);
    double v1 = r1->objective, e1 = r1->emissions_t;
    done(&r1, &d, &m);
    tb.periods_csv = "period,weight\n0,7\n1,7\n";
    cn_result *r2 = solve_tables(&tb, &m, &d, NULL);
    assert_true(r2->objective == v1);
    assert_true(r2->emissions_t == e1);
    done(&r2, &d, &m);
    tb.scenario_extra = "carbon_price: 30\n";
    cn_result *r3 = solve_tables(&tb, &m, &d, NULL);
    assert_close(r3->objective, v1, 1e-12, 1e-9);
    assert_close(r3->emissions_t, e1, 1e-12, 1e-9);
    done(&r3, &d, &m);
}

/* cn_solve of m on this process with --method `method`, defaults otherwise;
 * it must succeed.  The caller frees *out. */
static void solve_by(const cn_model *m, int method, cn_solve_out *out)
{
    cn_solve_opts o;
    cn_solve_opts_init(&o);
    o.method = method;
    int rc = cn_solve(m, &o, MPI_COMM_SELF, out);
    if (rc != CN_OK)
        fprintf(stderr, "%s\n", cn_err_message());
    assert_int_equal(rc, CN_OK);
}

/* ---- Benders decomposition of the MIP (solver/benders.c) ---- */

static const tables exp_modules = {
    .scenario_extra = "expansion: true\n",
    .sites = SITE_HDR "sa,sa,,A,1,,100,0,0,0,0,\n",
    .capacity = "site,type,pflops\nsa,g,2\n",
    .demand = "region,class,period,pflops\nA,k,0,7\n",
    .expansions = "site,type,module_pflops,module_mw,module_cost,max_modules\nsa,g,3,0,500,3\n"};

static const tables exp_binary = {
    .scenario_extra = "expansion: true\n",
    .sites = SITE_HDR "sa,sa,,A,1,,100,0,0,0,0,\nsb,sb,,A,1,,50,0,0,0,0,\n",
    .capacity = "site,type,pflops\nsa,g,1\n",
    .demand = "region,class,period,pflops\nA,k,0,4\n",
    .expansions = "site,type,module_pflops,module_mw,module_cost,max_modules\n"
                  "sa,g,2,0,300,1\nsb,g,3,0,700,1\n"};

/* Modules that pay through the power cap.  Type g takes 2 MW per PFLOPS; sa
 * (PUE 1, grid 100) has 10 PFLOPS but a 4 MW cap; demand 5 (penalty 1000).
 * A module adds 1 PFLOPS (slack anyway) and 2 MW for 300, at most 4.
 *   y = 0: 2 PFLOPS served: 400 + 3000 = 3400
 *   y = 1: 3 served: 600 + 2000 + 300 = 2900;  y = 2: 800 + 1000 + 600 = 2400
 *   y = 3: all 5 served: 1000 + 900 = 1900;    y = 4: 1000 + 1200 = 2200
 * Optimum y = 3, 1900.  At y = 0 the power cap's dual is -400 per MW (one
 * more MW serves 0.5 PFLOPS: 500 of penalty saved, 100 of power paid) and
 * the capacity row is slack, so dF/dy = 300 + 2 (-400) = -500: a cut that
 * left out the power-cap term would say a module never pays (3400). */
static const tables exp_power = {
    .scenario_extra = "expansion: true\n",
    .types = "id,mw_per_pflops\ng,2\n",
    .sites = SITE_HDR "sa,sa,,A,1,4,100,0,0,0,0,\n",
    .capacity = "site,type,pflops\nsa,g,10\n",
    .demand = "region,class,period,pflops\nA,k,0,5\n",
    .expansions = "site,type,module_pflops,module_mw,module_cost,max_modules\nsa,g,1,2,300,4\n"};

/* The LP with y fixed (cn_derived_fix_expansion) on exp_modules: y = 2 makes
 * capacity 2 + 2 x 3 = 8 >= 7, all served at 100: the LP's objective is 700
 * (the modules' 1000 is the caller's); y = 1 serves 5: 500 + 2000 = 2500.
 * Freeing y again gives the MIP back (1 integer column, capacity 2). */
static void test_fix_expansion(void **state)
{
    (void)state;
    cn_model *m;
    cn_derived *d;
    load_tables(&exp_modules, &m);
    assert_int_equal(cn_derived_create(m, &d), CN_OK);
    int64_t ncols = d->size.ncols, nnz = d->size.nnz;
    double y = 2;
    assert_int_equal(cn_derived_fix_expansion(d, &y), CN_OK);
    assert_int_equal(d->size.ny, 0);
    assert_int_equal(d->size.ncols, ncols - 1);
    assert_int_equal(d->size.nnz, nnz - 1);
    assert_close(d->cap[0], 8, 0, 1e-12);
    cn_solve_opts o;
    cn_solve_opts_init(&o);
    cn_result *r = NULL;
    assert_int_equal(cn_solve_monolithic(d, &o, MPI_COMM_WORLD, &r), CN_OK);
    assert_false(r->is_mip);
    assert_close(r->objective, 700, 1e-12, 1e-9);
    assert_close(r->cost_expansion, 0, 0, 1e-12);
    cn_result_destroy(&r);
    y = 1;
    assert_int_equal(cn_derived_fix_expansion(d, &y), CN_OK);
    assert_int_equal(cn_solve_monolithic(d, &o, MPI_COMM_WORLD, &r), CN_OK);
    assert_close(r->objective, 2500, 1e-12, 1e-9);
    /* one more PFLOPS of capacity serves one more unit: dual 100 - 1000 */
    assert_close(r->cap_dual[0], -900, 1e-9, 1e-9);
    cn_result_destroy(&r);
    assert_int_equal(cn_derived_fix_expansion(d, NULL), CN_OK);
    assert_int_equal(d->size.ny, 1);
    assert_int_equal(d->size.ncols, ncols);
    assert_int_equal(d->size.nnz, nnz);
    assert_close(d->cap[0], 2, 0, 1e-12);
    cn_derived_destroy(&d);
    cn_model_destroy(&m);
}

/* The three MIPs above by every method cn_solve has: Benders with
 * monolithic subproblems (auto), Benders with the decomposition (dw) and
 * GLPK's branch and bound (monolithic) reach the hand-worked optimum with
 * whole modules, parts that sum to it, a bound below it within the gap. */
static void test_benders_hand_worked(void **state)
{
    (void)state;
    const tables *tbs[3] = {&exp_modules, &exp_binary, &exp_power};
    const double opt[3] = {1700, 950, 1900};
    const double ybest[3][2] = {{2, 0}, {0, 1}, {3, 0}};
    static const int methods[] = {CN_METHOD_AUTO, CN_METHOD_DW, CN_METHOD_MONOLITHIC};
    static const char *const names[] = {"benders-glpk", "benders-dw", "glpk-mip"};
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 3; k++) {
            cn_model *m;
            load_tables(tbs[i], &m);
            cn_solve_out out;
            solve_by(m, methods[k], &out);
            cn_result *r = out.res;
            assert_int_equal(out.plan.benders, methods[k] != CN_METHOD_MONOLITHIC);
            /* the subproblem's path: dw asked for, else monolithic (one period) */
            assert_int_equal(out.plan.path, methods[k] == CN_METHOD_DW ? CN_METHOD_DW
                                                                       : CN_METHOD_MONOLITHIC);
            assert_string_equal(r->method, names[k]);
            assert_int_equal(r->status, CN_STATUS_OPTIMAL);
            assert_true(r->is_mip);
            assert_close(r->objective, opt[i], 1e-7, 1e-6);
            for (int e = 0; e < m->nexps; e++)
                assert_close(r->y_modules[e], ybest[i][e], 0, 1e-9);
            assert_true(r->bound <= r->objective + 1e-9);
            assert_true(r->gap <= 1e-6);
            assert_true(r->has_duals);
            check_parts(r);
            cn_solve_out_free(&out);
            cn_model_destroy(&m);
        }
}

/* ---- the one entry point (cn_solve) ---- */

/* cn_solve on the backbone model (optimum 3430, above): every path reaches
 * it, and the plan says which path each options set took. */
static void test_cn_solve_paths(void **state)
{
    (void)state;
    cn_model *m;
    load_tables(&backbone, &m);
    static const int methods[] = {CN_METHOD_AUTO, CN_METHOD_MONOLITHIC, CN_METHOD_DW};
    static const int taken[] = {CN_METHOD_MONOLITHIC, CN_METHOD_MONOLITHIC, CN_METHOD_DW};
    for (int i = 0; i < 3; i++) {
        cn_solve_out out;
        solve_by(m, methods[i], &out);
        assert_int_equal(out.plan.path, taken[i]);
        assert_int_equal(out.res->status, CN_STATUS_OPTIMAL);
        assert_close(out.res->objective, 3430, 1e-9, 1e-9);
        cn_solve_out_free(&out);
        assert_null(out.res);
    }
    cn_model_destroy(&m);
}

/* The defaults decided once (cn_solve_plan_make): auto takes monolithic for
 * a small LP unless a decomposition option was given; the parts default to
 * max(ranks, ceil(sites / 8)); a horizon of one time block gives
 * site-period blocks.  The input hash changes with an option that shapes
 * the decomposition's state (smoothing) or a resolved default (the parts
 * at more ranks), not with a stopping rule (--gap). */
static void test_cn_solve_plan_and_hash(void **state)
{
    (void)state;
    cn_model *m;
    cn_derived *d;
    load_tables(&backbone, &m);
    assert_int_equal(cn_derived_create(m, &d), CN_OK);
    cn_solve_opts o;
    cn_solve_opts_init(&o);
    cn_solve_plan p, p3;
    assert_int_equal(cn_solve_plan_make(d, &o, 1, &p), CN_OK);
    assert_int_equal(p.path, CN_METHOD_MONOLITHIC);
    o.dw_opt = 1;
    assert_int_equal(cn_solve_plan_make(d, &o, 1, &p), CN_OK);
    assert_int_equal(p.path, CN_METHOD_DW);
    assert_int_equal(p.dw.nparts, 1);        /* 2 sites: ceil(2 / 8) = 1 part at 1 rank */
    assert_int_equal(p.dw.blocks, CN_DW_BLOCKS_SITE_PERIOD);
    assert_int_equal(cn_solve_plan_make(d, &o, 3, &p3), CN_OK);
    assert_int_equal(p3.dw.nparts, 3);       /* at least one part a rank */
    char h0[65], h1[65], h2[65], h3[65];
    assert_int_equal(cn_solve_input_hash(m, &o, &p, h0), CN_OK);
    o.dw.gap = 1e-3;
    assert_int_equal(cn_solve_input_hash(m, &o, &p, h1), CN_OK);
    assert_string_equal(h0, h1);
    o.dw.alpha = 0.3;
    assert_int_equal(cn_solve_input_hash(m, &o, &p, h2), CN_OK);
    assert_string_not_equal(h0, h2);
    o.dw.alpha = 0.5;
    assert_int_equal(cn_solve_input_hash(m, &o, &p3, h3), CN_OK);
    assert_string_not_equal(h0, h3);
    cn_derived_destroy(&d);
    cn_model_destroy(&m);
}

/* The period start's split LP (solver/lp_split.h) on the model of
 * test_window_green_hour: D(A,k,0) = 4 over the window of periods 0..1, one
 * site, green power (10 yuan, 5 MW) in period 1 only.  The LP has 2 x
 * columns (x_0, x_1), 1 u, 2 pg, 2 pgr; the split LP replaces the window
 * row by  s_0 + s_1 + u = 0  (u fixed at 0) and adds 2 split rows of
 * bounds 4 / 2 = 2 each,  x_t + u_t - s_t = 2,  and 4 columns (s_0, u_0,
 * s_1, u_1).  Its periods solved apart take 2 PFLOPS each (period 0 on the
 * grid at 100: 200; period 1 on green: 20); from that start the simplex
 * shifts the half of period 0 (s_0 = -2, s_1 = 2) to the optimum 40, all 4
 * PFLOPS in period 1.  Back in the LP: u = 0, and the window row's dual is
 * 10 (one more PFLOPS runs in period 1 on the 1 MW of green left), the
 * LP's own dual, as are all the others. */
static void test_period_split(void **state)
{
    (void)state;
    tables tb = WINDOW_GREEN_HOUR;
    cn_model *m; cn_derived *d;
    load_tables(&tb, &m);
    assert_int_equal(cn_derived_create(m, &d), CN_OK);
    cn_lp *lp = NULL;
    cn_lp_split *sp = NULL;
    assert_int_equal(cn_lp_build(d, &lp), CN_OK);
    assert_int_equal(cn_lp_split_build(lp, &sp), CN_OK);
    assert_int_equal(sp->nwin, 1);
    assert_int_equal(sp->win_row[0], lp->r_demand0);
    assert_int_equal(sp->win_u[0], lp->u0);
    assert_int_equal(sp->lp->nrows, lp->nrows + 2);
    assert_int_equal(sp->lp->ncols, lp->ncols + 4);
    for (int k = 0; k < 2; k++) {
        assert_close(sp->lp->row_lo[lp->nrows + k], 2, 0, 0);
        assert_close(sp->lp->row_hi[lp->nrows + k], 2, 0, 0);
        assert_int_equal(sp->row_t[lp->nrows + k], k);
    }
    assert_close(sp->lp->row_lo[lp->r_demand0], 0, 0, 0);
    assert_int_equal(sp->row_t[lp->r_demand0], -1);
    assert_close(sp->lp->ub[lp->u0], 0, 0, 0);
    /* the start: the periods apart, then the split LP from their bases */
    cn_glpk_opts o;
    cn_glpk_opts_init(&o);
    o.presolve = 0;
    unsigned char *basis = NULL;
    long pivots = 0;
    assert_int_equal(cn_period_start(sp, &o, MPI_COMM_WORLD, &basis, &pivots), CN_OK);
    assert_non_null(basis);
    assert_int_equal(basis[lp->r_demand0], CN_BASIS_BS);        /* the window row */
    assert_int_equal(basis[sp->lp->nrows + lp->ncols], CN_BASIS_NF); /* s_0 */
    assert_int_equal(basis[sp->lp->nrows + lp->u0], CN_BASIS_NS);    /* the window's u */
    cn_glpk *g = NULL;
    assert_int_equal(cn_glpk_create(sp->lp, &g), CN_OK);
    assert_int_equal(cn_glpk_basis_set(g, basis, sp->lp->nrows + sp->lp->ncols), CN_OK);
    o.sift_start = 1;
    o.sift_cols = lp->u0;
    cn_lp_solution ss, sol, ref;
    assert_int_equal(cn_glpk_solve(g, &o, &ss), CN_OK);
    assert_int_equal(ss.status, CN_STATUS_OPTIMAL);
    assert_close(ss.col_value[lp->ncols], -2, 1e-12, 1e-9);     /* s_0 */
    assert_close(ss.col_value[lp->ncols + 2], 2, 1e-12, 1e-9);  /* s_1 */
    assert_int_equal(cn_lp_split_solution(sp, &ss, &sol), CN_OK);
    assert_close(sol.objective, 40, 1e-12, 1e-9);
    assert_close(sol.col_value[lp->u0], 0, 0, 1e-12);
    assert_close(sol.row_dual[lp->r_demand0], 10, 1e-12, 1e-9);
    /* the LP solved as it is: the same point and duals */
    cn_glpk *g0 = NULL;
    cn_glpk_opts o0;
    cn_glpk_opts_init(&o0);
    assert_int_equal(cn_glpk_create(lp, &g0), CN_OK);
    assert_int_equal(cn_glpk_solve(g0, &o0, &ref), CN_OK);
    assert_close(ref.objective, 40, 1e-12, 1e-9);
    for (int64_t j = 0; j < lp->ncols; j++) {
        assert_close(sol.col_value[j], ref.col_value[j], 1e-12, 1e-9);
        assert_close(sol.col_dual[j], ref.col_dual[j], 1e-12, 1e-9);
    }
    for (int64_t i = 0; i < lp->nrows; i++)
        assert_close(sol.row_dual[i], ref.row_dual[i], 1e-12, 1e-9);
    cn_lp_solution_free(&ss);
    cn_lp_solution_free(&sol);
    cn_lp_solution_free(&ref);
    cn_glpk_destroy(&g);
    cn_glpk_destroy(&g0);
    free(basis);
    cn_lp_split_destroy(&sp);
    cn_lp_destroy(&lp);
    cn_derived_destroy(&d);
    cn_model_destroy(&m);
}

/* The window of test_period_split with a second site sb (grid 60, no green)
 * and sa held to 3 PFLOPS: 3 run in period 1 on sa's green (30), the 4th on
 * sb's grid (60, in either period): optimum 90, and one more PFLOPS of the
 * window would run on sb: its dual is 60.  By cn_solve_monolithic with and
 * without the period start: the same optimum, placement on sa and dual. */
static void test_period_start_same_answer(void **state)
{
    (void)state;
    tables tb = {
        .periods = 2,
        .sites = SITE_HDR "sa,sa,,A,1,,100,10,5,0.5,0,\nsb,sb,,A,1,,60,0,0,0.5,0,\n",
        .capacity = "site,type,pflops\nsa,g,3\nsb,g,10\n",
        .classes = "id,name,type,max_rtt_ms,gbps_per_pflops,window,penalty\nk,k,g,100,0,2,1000\n",
        .demand = "region,class,period,pflops\nA,k,0,4\n",
        .profiles = "site,period,green_avail,price_factor\nsa,0,0,1\nsa,1,1,1\n"};
    /* sa holds 3 PFLOPS: 3 run in period 1 on green (30), the 4th on sb's
     * grid at 60 (in either period): 90; the window's dual is 60 */
    cn_solve_opts with, without;
    cn_solve_opts_init(&with);
    cn_solve_opts_init(&without);
    without.period_start = 0;
    cn_model *m1, *m2; cn_derived *d1, *d2;
    cn_result *r1 = solve_tables(&tb, &m1, &d1, &with);
    cn_result *r2 = solve_tables(&tb, &m2, &d2, &without);
    assert_close(r1->objective, 90, 1e-12, 1e-9);
    assert_close(r2->objective, 90, 1e-12, 1e-9);
    assert_close(served(r1, 0, 1), 3, 1e-12, 1e-9);
    assert_close(r1->u_dual[0], 60, 1e-12, 1e-9);
    assert_close(r2->u_dual[0], 60, 1e-12, 1e-9);
    check_parts(r1);
    done(&r1, &d1, &m1);
    done(&r2, &d2, &m2);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cn_solve_paths),
        cmocka_unit_test(test_cn_solve_plan_and_hash),
        cmocka_unit_test(test_latency_cut),
        cmocka_unit_test(test_window_green_hour),
        cmocka_unit_test(test_period_split),
        cmocka_unit_test(test_period_start_same_answer),
        cmocka_unit_test(test_green_vs_grid),
        cmocka_unit_test(test_backbone_bottleneck),
        cmocka_unit_test(test_shadow_price_finite_difference),
        cmocka_unit_test(test_access_bottleneck),
        cmocka_unit_test(test_power_cap),
        cmocka_unit_test(test_carbon_cap),
        cmocka_unit_test(test_hub_green_share),
        cmocka_unit_test(test_expansion_modules),
        cmocka_unit_test(test_expansion_binary),
        cmocka_unit_test(test_fix_expansion),
        cmocka_unit_test(test_benders_hand_worked),
        cmocka_unit_test(test_route_ties),
        cmocka_unit_test(test_interior_point),
        cmocka_unit_test(test_weighted_objective),
        cmocka_unit_test(test_weighted_carbon_cap),
        cmocka_unit_test(test_weighted_hub_green_share),
        cmocka_unit_test(test_weighted_window),
        cmocka_unit_test(test_uniform_weights_are_v1),
    };
    int rc = cmocka_run_group_tests_name("solve", tests, NULL, NULL);
    MPI_Finalize();
    return rc;
}
