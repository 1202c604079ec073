/* solver/solve.h - the solver paths behind `cnopt solve`. */
#ifndef CN_SOLVE_H
#define CN_SOLVE_H

#include <mpi.h>

#include "../core/derive.h"
#include "../core/result.h"
#include "lp_glpk.h"

typedef struct cn_solve_opts {
    cn_glpk_opts glpk;
    const char *write_mps;     /* export the model before solving (NULL: no) */
    const char *write_lp;
} cn_solve_opts;

void cn_solve_opts_init(cn_solve_opts *o);

/* Build and solve the whole model with GLPK on the calling rank (not
 * collective).  *out gets a full result (every site owned) on CN_OK. */
int cn_solve_monolithic(const cn_derived *d, const cn_solve_opts *o, cn_result **out);

#endif
