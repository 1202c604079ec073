/* core/result.h - what a solve produces (spec section 8), independent of the
 * solver path (monolithic, decomposition, MIP) and of the writer.
 *
 * Dense arrays are row-major with the index order named in each comment;
 * T = model->sc.periods.  A cn_result owns every pointer inside it.
 * Duals follow the sign convention of docs/model.md section "Shadow prices":
 * the change of the optimal objective (yuan) per unit increase of the row's
 * right-hand side.  So a binding capacity row has a dual <= 0 (more capacity
 * makes the optimum cheaper) and a demand row a dual >= 0.
 */
#ifndef CN_RESULT_H
#define CN_RESULT_H

#include <stdint.h>

#include "model.h"

enum cn_status {
    CN_STATUS_OPTIMAL = 0,      /* proven optimal (within the gap asked for) */
    CN_STATUS_FEASIBLE = 1,     /* stopped (time/iteration limit) with a feasible solution */
    CN_STATUS_NO_SOLUTION = 2,  /* stopped with no feasible solution */
    CN_STATUS_INFEASIBLE = 3,   /* should not happen for a valid model (spec 7) */
    CN_STATUS_UNBOUNDED = 4,    /* ditto */
    CN_STATUS_NUMERICAL = 5     /* the solver said optimal, but the solution fails its check
                                 * against the model (docs/solver.md "Verification") */
};
const char *cn_status_name(int status);

/* Phases of a decomposition rank's time (cn_result.rank_time_s). */
enum cn_dw_time { CN_DW_T_PRICE, CN_DW_T_MASTER, CN_DW_T_COMM, CN_DW_T_WAIT, CN_DW_NT };

typedef struct cn_result {
    int status;
    int is_mip;
    double objective;          /* yuan */
    double bound;              /* best proven lower bound, yuan */
    double gap;                /* relative: (objective - bound) / max(1, |objective|) */
    /* objective parts, yuan; sum = objective */
    double cost_energy;        /* grid power at price(s,t) */
    double cost_carbon;        /* carbon_price * grid emissions */
    double cost_green;         /* green power */
    double cost_transfer;      /* backbone transfer */
    double cost_unserved;      /* penalty */
    double cost_expansion;     /* modules */
    double emissions_t;        /* tCO2 over the weighted horizon */
    double energy_mwh;         /* grid + green MWh over the weighted horizon */
    double green_mwh;          /* green MWh over the weighted horizon */

    /* placement x[r,s,k,t] > 0 only, sparse coordinate list */
    int64_t nx;
    int32_t *x_region, *x_site, *x_class, *x_period;
    double *x_pflops;

    /* unserved, one entry per demand row (r,k,b) with D > 0 */
    int64_t nu;
    int32_t *u_region, *u_class, *u_window;
    double *u_demand_pflops;   /* D(r,k,b), PFLOPS-periods */
    double *u_pflops;          /* unserved PFLOPS-periods */
    double *u_dual;            /* dual of constraint 1 (yuan per PFLOPS-period) */

    double *pg_mw, *pgr_mw;    /* [site][T] */
    double *site_load_pflops;  /* [site][type][T] */
    double *link_load_gbps;    /* [link][T] */
    double *access_load_gbps;  /* [site][T] */
    double *y_modules;         /* [nexps] (0 when not a MIP) */

    /* duals (has_duals = 1 for LP runs and fixed-integer re-solves of MIPs);
     * 0 where the row does not exist */
    int has_duals;
    double *cap_dual;          /* constraint 2, [site][type][T], yuan per PFLOPS-period */
    double *link_dual;         /* constraint 6, [link][T], yuan per Gbps-period */
    double *access_dual;       /* constraint 7, [site][T], yuan per Gbps-period */
    double *power_cap_dual;    /* constraint 4, [site][T], yuan per MW-period */
    double *green_dual;        /* constraint 5, [site][T], yuan per MW-period */
    double carbon_dual;        /* constraint 8, yuan per tCO2 */
    int has_carbon_row;
    double *hub_green_dual;    /* constraint 9, [hub], yuan per MWh-period unit of the row */

    /* solver facts */
    char method[32];           /* "glpk-simplex", "glpk-exact", "glpk-interior", "glpk-mip", "dw" */
    int ranks;
    long iterations;           /* simplex iterations or DW iterations */
    double solve_seconds;
    double max_violation;      /* largest absolute constraint violation of the primal */
    double rel_violation;      /* largest violation relative to its row's scale (NaN: not checked) */
    double duality_gap;        /* relative gap of the written duals (NaN: not checked) */
    long nvars, nrows, nnz;

    /* decomposition facts (method "dw"; zero and NULL otherwise): the master's
     * layout, and per rank the seconds spent in each phase */
    long dw_parts, dw_blocks;
    long dw_time_blocks, dw_time_block_periods;  /* 1 and T without time blocks */
    long dw_chain;                  /* time blocks of a warm-start chain (1: none) */
    long dw_coupling_demand_local;     /* demand rows inside one block (not in the master) */
    long dw_coupling_demand, dw_coupling_link, dw_coupling_carbon, dw_coupling_hub_green;
    long dw_master_rows, dw_master_cols;   /* at the end of the solve */
    double *rank_time_s;       /* [ranks][CN_DW_NT + 1]: seconds pricing, in the master,
                                * communicating, waiting; then bytes sent */
} cn_result;

/* Allocate every array for model m (zeroed; sparse lists empty). */
int cn_result_create(const cn_model *m, cn_result **out);
void cn_result_destroy(cn_result **r);

#endif
