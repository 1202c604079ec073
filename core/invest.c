/* core/invest.c - see invest.h (docs/model.md section 10) */
#include "invest.h"

#include <math.h>

#include "../base/err.h"

/* Sum over periods of one row's shadow prices, NaN and infinities as 0. */
static double period_sum(const double *dual, size_t row, size_t T)
{
    double sum = 0;
    for (size_t t = 0; t < T; t++)
        if (isfinite(dual[row * T + t]))
            sum += dual[row * T + t];
    return sum;
}

double cn_invest_value(const double *cap_dual, const double *power_cap_dual, size_t T,
                       double module_pflops, double module_mw)
{
    /* constraint 2: rhs cap(s,c) + module_pflops * y in every period */
    double d = module_pflops * period_sum(cap_dual, 0, T);
    /* constraint 4: rhs power_cap_mw(s) + module_mw * y, only where s has a cap */
    if (power_cap_dual)
        d += module_mw * period_sum(power_cap_dual, 0, T);
    return d == 0 ? 0.0 : -d;
}

int cn_invest_compute(const cn_invest_in *in, cn_invest *out)
{
    int duals = in->cap_dual && in->power_cap_dual;
    for (size_t e = 0; e < in->E; e++) {
        int32_t s = in->exp_site[e], c = in->exp_type[e];
        if (s < 0 || (size_t)s >= in->S || c < 0 || (size_t)c >= in->C)
            return CN_ERR(CN_EDATA, "expansion row %zu names site %d and type %d "
                          "(expected 0..%zu and 0..%zu)", e, (int)s, (int)c,
                          in->S ? in->S - 1 : 0, in->C ? in->C - 1 : 0);
        cn_invest *v = &out[e];
        double y = in->modules[e];
        v->site = s;
        v->type = c;
        v->built = y;
        v->max_modules = in->max_modules[e];
        v->pflops_added = in->module_pflops[e] * y;
        v->mw_added = in->module_mw[e] * y;
        v->cost_yuan = in->module_cost[e] * y;
        v->module_cost_yuan = in->module_cost[e];
        v->value_yuan = v->net_yuan = NAN;
        if (!duals)
            continue;
        v->value_yuan = cn_invest_value(
            in->cap_dual + ((size_t)s * in->C + (size_t)c) * in->T,
            isfinite(in->site_power_cap_mw[s]) ? in->power_cap_dual + (size_t)s * in->T : NULL,
            in->T, in->module_pflops[e], in->module_mw[e]);
        v->net_yuan = v->value_yuan - v->module_cost_yuan;
    }
    return CN_OK;
}

/* < 0 when row i comes before row j in a planner's order (invest.h). */
static int plan_cmp(const cn_invest *v, size_t i, size_t j)
{
    int bi = v[i].built >= 0.5, bj = v[j].built >= 0.5;
    if (bi != bj)
        return bi ? -1 : 1;
    double ni = v[i].net_yuan, nj = v[j].net_yuan;
    int fi = !isnan(ni), fj = !isnan(nj);
    if (fi != fj)
        return fi ? -1 : 1;
    if (fi && ni != nj)
        return ni > nj ? -1 : 1;
    return i < j ? -1 : i > j;
}

/* Insertion sort: stable, allocates nothing (so it cannot fail), and
 * expansion tables have rows per site and type, not millions. */
void cn_invest_order(const cn_invest *v, size_t n, size_t *order)
{
    for (size_t i = 0; i < n; i++) {
        size_t k = i;
        for (; k > 0 && plan_cmp(v, i, order[k - 1]) < 0; k--)
            order[k] = order[k - 1];
        order[k] = i;
    }
}

void cn_invest_totals(const cn_invest *v, size_t n, double *built, double *max_modules,
                      double *cost_yuan, double *pflops_added, double *mw_added)
{
    double b = 0, m = 0, c = 0, p = 0, w = 0;
    for (size_t i = 0; i < n; i++) {
        b += v[i].built;
        m += v[i].max_modules;
        c += v[i].cost_yuan;
        p += v[i].pflops_added;
        w += v[i].mw_added;
    }
    if (built)
        *built = b;
    if (max_modules)
        *max_modules = m;
    if (cost_yuan)
        *cost_yuan = c;
    if (pflops_added)
        *pflops_added = p;
    if (mw_added)
        *mw_added = w;
}
