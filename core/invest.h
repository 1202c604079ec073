/* core/invest.h - what each expansion row of a MIP result builds, costs and
 * saves (docs/model.md section 10, "Investment").
 *
 * For expansion row e at site s, type c, with the shadow prices of the LP
 * whose y is fixed at the MIP's optimum (constraint 2 capacity [s][c][t],
 * constraint 4 power cap [s][t]; docs/model.md section 8: yuan per unit of
 * the row's right-hand side, w(t) * period_hours already included):
 *
 *   value_e = -( module_pflops_e * sum_t cap_dual[s,c,t]
 *              + module_mw_e     * sum_t power_cap_dual[s,t] )   (power cap term
 *                                                                 only where s has one)
 *   net_e   = value_e - module_cost_e
 *
 * value_e is the derivative of the fixed-y LP's optimal operating cost along
 * y_e (a subgradient where the LP is degenerate): one module of e adds
 * module_pflops_e to the right-hand side of every period's capacity row of
 * (s, c) and module_mw_e to every period's power-cap row of s.  No weights:
 * the duals are per period of an objective that already carries
 * w(t) * period_hours.  For a built row it is what the last module saves,
 * for an unbuilt one what the first would save (exactly, while the basis
 * stays optimal over one module; in general at most the last one's saving
 * and at least the next one's, the LP's cost being convex in its right-hand
 * sides).  net_e is minus the reduced cost of column y_e in the fixed LP.
 *
 * Pure arithmetic on caller-owned arrays; not collective.
 */
#ifndef CN_INVEST_H
#define CN_INVEST_H

#include <stddef.h>
#include <stdint.h>

/* The inputs, indices 0-based, dense arrays row-major (docs/hdf5-schema.md). */
typedef struct cn_invest_in {
    size_t S, C, T, E;              /* sites, types, periods, expansion rows */
    const int32_t *exp_site;        /* [E] */
    const int32_t *exp_type;        /* [E] */
    const double *module_pflops;    /* [E] PFLOPS per module */
    const double *module_mw;        /* [E] MW of power cap per module */
    const double *module_cost;      /* [E] yuan per module */
    const double *max_modules;      /* [E] */
    const double *modules;          /* [E] y[e], modules built (0 when not a MIP) */
    const double *site_power_cap_mw;/* [S] NaN = unlimited (no constraint 4 row) */
    const double *cap_dual;         /* [S][C][T] yuan/(PFLOPS*period), or NULL: no duals */
    const double *power_cap_dual;   /* [S][T] yuan/(MW*period), or NULL: no duals */
} cn_invest_in;

/* One expansion row's figures. */
typedef struct cn_invest {
    int32_t site, type;             /* indices */
    double built, max_modules;      /* modules */
    double pflops_added;            /* module_pflops * built, PFLOPS */
    double mw_added;                /* module_mw * built, MW of power cap */
    double cost_yuan;               /* module_cost * built */
    double module_cost_yuan;        /* per module */
    double value_yuan;              /* per module (above); NaN without duals */
    double net_yuan;                /* value_yuan - module_cost_yuan; NaN without duals */
} cn_invest;

/* value_e of one row: cap_dual and power_cap_dual are the row's T duals of
 * constraints 2 and 4 (power_cap_dual NULL: the site has no cap).  Benders'
 * cuts (solver/benders.c) are this slope: dF/dy_e = module_cost_e - value_e. */
double cn_invest_value(const double *cap_dual, const double *power_cap_dual, size_t T,
                       double module_pflops, double module_mw);

/* Fill out[0..E-1] (caller-owned) from in.  Returns CN_OK, or CN_EDATA when
 * an expansion row names a site or type outside 0..S-1, 0..C-1 (out is then
 * unspecified).  A NaN or infinite dual is taken as 0, as `cnopt info`'s
 * other sums over periods do. */
int cn_invest_compute(const cn_invest_in *in, cn_invest *out);

/* The order a planner reads the rows in: built rows first (modules built >=
 * 0.5), then by net per module, largest first (NaN last), then file order.
 * Writes order[0..n-1] (caller-owned), a permutation of 0..n-1. */
void cn_invest_order(const cn_invest *v, size_t n, size_t *order);

/* Totals over the n rows: modules built, maximum modules, cost of the modules
 * built (yuan), PFLOPS and MW added.  Any pointer may be NULL. */
void cn_invest_totals(const cn_invest *v, size_t n, double *built, double *max_modules,
                      double *cost_yuan, double *pflops_added, double *mw_added);

#endif
