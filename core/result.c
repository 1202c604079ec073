/* core/result.c - see result.h */
#include "result.h"

#include <math.h>
#include <stdlib.h>

#include "../base/err.h"

const char *cn_status_name(int status)
{
    switch (status) {
    case CN_STATUS_OPTIMAL: return "optimal";
    case CN_STATUS_FEASIBLE: return "feasible";
    case CN_STATUS_NO_SOLUTION: return "no_solution";
    case CN_STATUS_INFEASIBLE: return "infeasible";
    case CN_STATUS_UNBOUNDED: return "unbounded";
    case CN_STATUS_NUMERICAL: return "numerical_failure";
    default: return "unknown";
    }
}

int cn_result_create(const cn_model *m, cn_result **out)
{
    cn_result *r = cn_calloc(1, sizeof *r);
    if (!r)
        return CN_EOSERR;
    size_t T = (size_t)m->sc.periods, S = (size_t)m->nsites;
    size_t C = (size_t)m->ntypes, L = (size_t)m->nlinks;
    int ok = 1;
#define ALLOC(f, n) ok = ok && (r->f = cn_calloc((n), sizeof *r->f)) != NULL
    ALLOC(pg_mw, S * T);
    ALLOC(pgr_mw, S * T);
    ALLOC(site_load_pflops, S * C * T);
    ALLOC(link_load_gbps, L * T);
    ALLOC(access_load_gbps, S * T);
    ALLOC(y_modules, (size_t)m->nexps);
    ALLOC(cap_dual, S * C * T);
    ALLOC(link_dual, L * T);
    ALLOC(access_dual, S * T);
    ALLOC(power_cap_dual, S * T);
    ALLOC(green_dual, S * T);
    ALLOC(hub_green_dual, (size_t)m->nhubs);
#undef ALLOC
    if (!ok) {
        cn_result_destroy(&r);
        return CN_EOSERR;
    }
    r->ranks = 1;
    r->rel_violation = NAN;
    r->duality_gap = NAN;
    *out = r;
    return CN_OK;
}

void cn_result_destroy(cn_result **pr)
{
    if (!pr || !*pr)
        return;
    cn_result *r = *pr;
    free(r->x_region); free(r->x_site); free(r->x_class); free(r->x_period); free(r->x_pflops);
    free(r->u_region); free(r->u_class); free(r->u_window);
    free(r->u_demand_pflops); free(r->u_pflops); free(r->u_dual);
    free(r->pg_mw); free(r->pgr_mw); free(r->site_load_pflops);
    free(r->link_load_gbps); free(r->access_load_gbps); free(r->y_modules);
    free(r->cap_dual); free(r->link_dual); free(r->access_dual);
    free(r->power_cap_dual); free(r->green_dual); free(r->hub_green_dual);
    free(r->rank_time_s);
    free(r);
    *pr = NULL;
}
