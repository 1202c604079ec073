/* solver/lp_extract.c - map an LP solution back to model quantities (spec 8). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "lp.h"

#define X_ZERO 1e-12   /* placements at or below this (PFLOPS) are not listed */

int cn_result_alloc_x(cn_result *res, int64_t n)
{
    res->x_region = cn_calloc((size_t)n, sizeof *res->x_region);
    res->x_site = cn_calloc((size_t)n, sizeof *res->x_site);
    res->x_class = cn_calloc((size_t)n, sizeof *res->x_class);
    res->x_period = cn_calloc((size_t)n, sizeof *res->x_period);
    res->x_pflops = cn_calloc((size_t)n, sizeof *res->x_pflops);
    return res->x_region && res->x_site && res->x_class && res->x_period && res->x_pflops
               ? CN_OK : CN_EOSERR;
}

static int u_lists_alloc(cn_result *res, int64_t n)
{
    res->u_region = cn_calloc((size_t)n, sizeof *res->u_region);
    res->u_class = cn_calloc((size_t)n, sizeof *res->u_class);
    res->u_window = cn_calloc((size_t)n, sizeof *res->u_window);
    res->u_demand_pflops = cn_calloc((size_t)n, sizeof *res->u_demand_pflops);
    res->u_pflops = cn_calloc((size_t)n, sizeof *res->u_pflops);
    res->u_dual = cn_calloc((size_t)n, sizeof *res->u_dual);
    return res->u_region && res->u_class && res->u_window && res->u_demand_pflops &&
                   res->u_pflops && res->u_dual ? CN_OK : CN_EOSERR;
}

static double dual_or_zero(const cn_lp_solution *sol, int64_t row)
{
    return row >= 0 && sol->row_dual ? sol->row_dual[row] : 0.0;
}

int cn_result_set_unserved(const cn_derived *d, const double *u, const double *dual,
                           cn_result *res)
{
    const cn_model *m = d->m;
    int rc = u_lists_alloc(res, d->ndrows);
    if (rc != CN_OK)
        return rc;
    res->nu = d->ndrows;
    res->cost_unserved = 0.0;
    for (long i = 0; i < d->ndrows; i++) {
        const cn_drow *row = &d->drows[i];
        res->u_region[i] = row->region;
        res->u_class[i] = row->cls;
        res->u_window[i] = (int32_t)row->window;
        res->u_demand_pflops[i] = row->demand;
        res->u_pflops[i] = u[i];
        res->u_dual[i] = dual ? dual[i] : 0.0;
        double wh = cn_model_weight(m, row->t0) * m->sc.period_hours;   /* w(b) */
        res->cost_unserved += wh * m->classes[row->cls].penalty * u[i];
    }
    return CN_OK;
}

int cn_lp_extract(const cn_derived *d, const cn_lp *lp, const cn_lp_solution *sol,
                  cn_result *res)
{
    const cn_model *m = d->m;
    int64_t T = m->sc.periods, C = m->ntypes;
    size_t R = (size_t)d->routes->n;
    double ph = m->sc.period_hours;   /* costs, energy, emissions: w(t) * ph (model 1.1) */
    const double *v = sol->col_value;
    int rc = CN_OK;

    res->status = sol->status;
    res->objective = sol->objective;
    res->bound = sol->bound;
    res->iterations = sol->iterations;
    res->nvars = lp->ncols;
    res->nrows = lp->nrows;
    res->nnz = lp->nnz;
    res->has_duals = sol->row_dual != NULL;

    /* placement, loads, transfer cost */
    int full = lp->full;  /* the whole model (else one rank's part or cells) */
    int64_t nx = 0;
    for (int64_t j = lp->x0; j < lp->u0; j++)
        nx += v[j] > X_ZERO;
    CN_TRY(cn_result_alloc_x(res, nx));
    res->nx = 0;
    res->cost_transfer = 0.0;
    for (long i = 0; i < d->ndrows; i++) {
        const cn_drow *row = &d->drows[i];
        const cn_class *k = &m->classes[row->cls];
        double g = k->gbps_per_pflops;
        for (int64_t a = row->arc0; a < row->arc1; a++) {
            if (lp->x_of_arc[a] < 0)
                continue; /* another rank's site */
            int s = d->arc_site[a];
            const cn_site *site = &m->sites[s];
            double tc = d->routes->cost[(size_t)row->region * R + site->region];
            for (int64_t t = row->t0; t < row->t1; t++) {
                double x = v[lp->x_of_arc[a] + (t - row->t0)];
                if (!(x > X_ZERO))
                    continue;
                int64_t n = res->nx++;
                res->x_region[n] = row->region;
                res->x_site[n] = s;
                res->x_class[n] = row->cls;
                res->x_period[n] = (int32_t)t;
                res->x_pflops[n] = x;
                res->site_load_pflops[((size_t)s * C + k->type) * T + t] += x;
                res->access_load_gbps[s * T + t] += g * x;
                for (int u = row->region; u != site->region;) {
                    size_t ud = (size_t)u * R + site->region;
                    res->link_load_gbps[(size_t)d->routes->next_link[ud] * T + t] += g * x;
                    u = d->routes->next[ud];
                }
                res->cost_transfer += cn_model_weight(m, t) * ph * tc * g * x;
            }
        }
    }
    /* unserved and demand duals (the whole model only: u is the master's) */
    res->cost_unserved = 0.0;
    if (full) {
        CN_TRY(cn_result_set_unserved(d, v + lp->u0, sol->row_dual ? sol->row_dual + lp->r_demand0
                                                                  : NULL, res));
    }
    /* power, energy, emissions: pg and pgr columns carry their (site, t) */
    res->cost_energy = res->cost_carbon = res->cost_green = 0.0;
    res->emissions_t = res->energy_mwh = res->green_mwh = 0.0;
    for (int64_t j = lp->pg0; j < lp->y0; j++) {
        int s = lp->col_site[j];
        int64_t t = lp->col_t[j];
        const cn_site *site = &m->sites[s];
        double wh = cn_model_weight(m, t) * ph;
        if (j < lp->pgr0) {
            double pg = v[j];
            double price = site->grid_price * m->price_factor[s * T + t] * m->sc.scale_grid_price;
            res->pg_mw[s * T + t] = pg;
            res->cost_energy += wh * price * pg;
            res->cost_carbon += wh * m->sc.carbon_price * site->grid_co2 * pg;
            res->emissions_t += wh * site->grid_co2 * pg;
            res->energy_mwh += wh * pg;
        } else {
            double pgr = v[j];
            res->pgr_mw[s * T + t] = pgr;
            res->cost_green += wh * site->green_price * pgr;
            res->energy_mwh += wh * pgr;
            res->green_mwh += wh * pgr;
            res->green_dual[s * T + t] = sol->col_dual ? sol->col_dual[j] : 0.0;
            res->access_dual[s * T + t] = dual_or_zero(sol, lp->r_access[s * T + t]);
            res->power_cap_dual[s * T + t] = dual_or_zero(sol, lp->r_powercap[s * T + t]);
            for (int64_t c = 0; c < C; c++)
                res->cap_dual[((size_t)s * C + c) * T + t] =
                    dual_or_zero(sol, lp->r_cap[((size_t)s * C + c) * T + t]);
        }
    }
    /* expansion */
    res->cost_expansion = 0.0; /* modules fixed (d->y_fixed): the caller's to add */
    if (d->size.ny > 0)
        for (int e = 0; e < m->nexps; e++) {
            res->y_modules[e] = v[lp->y0 + e];
            res->cost_expansion += m->exps[e].module_cost * v[lp->y0 + e];
        }
    for (int l = 0; l < m->nlinks; l++)
        for (int64_t t = 0; t < T; t++)
            res->link_dual[(size_t)l * T + t] = dual_or_zero(sol, lp->r_link[(size_t)l * T + t]);
    res->has_carbon_row = lp->r_carbon >= 0;
    res->carbon_dual = dual_or_zero(sol, lp->r_carbon);
    for (int h = 0; h < m->nhubs; h++)
        res->hub_green_dual[h] = dual_or_zero(sol, lp->r_hubgreen[h]);
    if (full)
        res->max_violation = cn_lp_max_violation(lp, v);
cleanup:
    return rc;
}
