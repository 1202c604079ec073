/* solver/solve.h - one solve: cn_solve and the paths behind it (monolithic
 * GLPK, the decomposition of dw.h). */
#ifndef CN_SOLVE_H
#define CN_SOLVE_H

#include <mpi.h>

#include "../core/derive.h"
#include "../core/result.h"
#include "lp.h"
#include "dw.h"
#include "lp_glpk.h"

/* A simplex basis carried from one monolithic LP solve to the next (a sweep
 * range's warm start, docs/sweeps.md): used when it fits the next LP's rows
 * and columns, then replaced by that solve's final basis. */
typedef struct cn_basis {
    int64_t n;                 /* 0: none */
    unsigned char *stat;       /* [n] cn_glpk_basis_get */
    int used;                  /* the last solve started from it */
} cn_basis;
void cn_basis_free(cn_basis *b);

/* `cnopt solve --method` (docs/solver.md "Choosing the method"). */
enum cn_method { CN_METHOD_AUTO, CN_METHOD_DW, CN_METHOD_MONOLITHIC };
/* Below this many LP columns auto solves monolithic: GLPK's simplex on the
 * whole LP is then faster than the decomposition at any rank count
 * (docs/benchmarks.md, "Choosing the method"). */
#define CN_AUTO_DW_MIN_COLS 100000
/* On a horizon of one time block (a day's windows: the decomposition's
 * blocks are then site-period) auto solves monolithic below this many LP
 * columns: the simplex with sifting is faster there than the decomposition
 * at 1, 2 and 4 ranks (docs/benchmarks.md "Sifting": 518k columns 150 s
 * against 235 s on 2 ranks; "2M to the end": 2,065,900 columns optimal in
 * 1,620 s, where the decomposition stood at gap 4.03 after 604 s).  Beyond
 * it nothing was measured to the end. */
#define CN_AUTO_DW_MIN_COLS_ONE_BLOCK 2500000
/* "auto", "dw", "monolithic" -> enum value, or -1.  Not collective. */
int cn_method_parse(const char *name);
/* The path a solve takes: CN_METHOD_DW or CN_METHOD_MONOLITHIC.  auto takes
 * dw when a decomposition-only option was given (dw_opt != 0) or the LP has
 * at least cn_method_auto_min_cols(time_blocks) columns; time_blocks: the
 * time blocks of the horizon (cn_dw_plan_make's ntb with --blocks auto).
 * Not collective (the same answer on every rank, which all know ncols). */
int cn_method_choose(int method, int dw_opt, int64_t ncols, long time_blocks);
/* auto's threshold: CN_AUTO_DW_MIN_COLS with two or more time blocks, else
 * CN_AUTO_DW_MIN_COLS_ONE_BLOCK (both replaced by the test hook
 * CNOPT_TEST_AUTO_DW_MIN_COLS).  Not collective. */
int64_t cn_method_auto_min_cols(long time_blocks);

/* Everything one solve of a sweep range hands to the next: the
 * decomposition's columns and duals (every rank), the monolithic simplex
 * basis (rank 0), and a MIP's build plan (every rank): Benders starts from
 * it instead of y = 0, and its subproblems from the columns or basis. */
typedef struct cn_warm {
    struct cn_dw_warm *dw;
    cn_basis basis;
    double *y;                 /* [ny] the last MIP's modules built; NULL: none */
    int ny;
} cn_warm;
/* Free what w holds (w itself is the caller's).  Not collective. */
void cn_warm_free(cn_warm *w);

/* What cn_solve decided before solving: every default of a solve is
 * resolved here, in one place (cn_solve_plan_make; docs/solver.md
 * "Defaults"). */
typedef struct cn_solve_plan {
    int path;          /* CN_METHOD_DW or CN_METHOD_MONOLITHIC (auto resolved): the
                        * LP's path, for a MIP by Benders its subproblem's */
    int mip;           /* expansion: true: a MIP */
    int benders;       /* the MIP by Benders decomposition (every --method but
                        * monolithic, which is GLPK's branch and bound on rank 0) */
    cn_dw_plan dw;     /* path dw: blocks, time block and parts, resolved */
    int fallback;      /* 1: the plan of auto's monolithic fallback after the
                        * decomposition ended numerical_failure (cn_solve_lp):
                        * the hook checks only that it fits in memory */
} cn_solve_plan;

struct cn_solve_opts;
/* Called by cn_solve on every rank once the model is derived and the plan
 * made, before anything is solved (the command line checks memory and the
 * checkpoint's paths here).  Collective.  A return other than CN_OK, the
 * same on every rank, ends cn_solve with it. */
typedef int (*cn_solve_hook)(void *ctx, const cn_derived *d, const cn_solve_plan *plan,
                             const struct cn_solve_opts *o, MPI_Comm comm);

/* The options of one solve: what `cnopt solve` and a sweep's solve_args
 * parse into (cli/cmd_solve.c), and what a loop fills by hand. */
typedef struct cn_solve_opts {
    int method;                /* enum cn_method (default auto) */
    int dw_opt;                /* a decomposition-only option was given: auto takes dw */
    cn_glpk_opts glpk;         /* the monolithic LP or MIP */
    int period_start;          /* 1 (default): a cold monolithic LP of two periods or
                                * more starts from its periods solved apart
                                * (solver/period_start.h); 0: it does not */
    cn_dw_opts dw;             /* the decomposition; its defaults are resolved by
                                * cn_solve_plan_make, its input_hash and warm set
                                * by cn_solve */
    cn_warm *warm;             /* NULL, or state carried between solves (docs/sweeps.md) */
    const char *write_mps;     /* export the model before solving (NULL: no) */
    const char *write_lp;
    cn_solve_hook before_solve; /* NULL, or see cn_solve_hook */
    void *hook_ctx;
} cn_solve_opts;

void cn_solve_opts_init(cn_solve_opts *o);

/* Not collective (the same answer on every rank).  The path auto takes
 * (cn_method_choose on the LP's columns), and for the decomposition its
 * layout (cn_dw_plan_make).  CN_OK or CN_EUSAGE (a --time-block that fits no
 * class window). */
int cn_solve_plan_make(const cn_derived *d, const cn_solve_opts *o, int nranks,
                       cn_solve_plan *p);

/* Not collective.  The checkpoint's input hash (docs/robustness.md "What the
 * input hash covers"): SHA-256 of every input file's bytes (m->files), every
 * scenario key's value (cn_scenario_visit: whatever the table holds, --set
 * included), the resolved layout of p and the decomposition options that
 * shape its state (smoothing, column ageing, partition and partition file).
 * Stopping rules (--gap, --max-iter, --time-limit) are not in it: a resume
 * may change them.  CN_OK, or CN_ENOINPUT when the partition file cannot be
 * read. */
int cn_solve_input_hash(const cn_model *m, const cn_solve_opts *o, const cn_solve_plan *p,
                        char hex[65]);

/* What cn_solve hands back. */
typedef struct cn_solve_out {
    cn_result *res;            /* every rank (cn_solve) */
    int *site_owner;           /* decomposition: [nsites] the rank holding each site's
                                * data; NULL: rank 0 holds all */
    int nparts;                /* parts of the decomposition (1 monolithic) */
    cn_solve_plan plan;
    cn_iterlog log;            /* rank 0, decomposition: the iteration log */
} cn_solve_out;
void cn_solve_out_free(cn_solve_out *out);

/* The one entry point of a solve: the command line, sweeps and any loop call
 * it.  Collective over comm: every rank passes the same model and options.
 * Derives the model, makes the plan, calls o->before_solve, exports the
 * model when asked, then solves by the decomposition (every rank) or
 * monolithic GLPK (rank 0; the other ranks get an empty result).  On CN_OK
 * *out holds the result (rank 0 has the scalars; the site data of the sites
 * each rank owns); statuses (infeasible, time limit, numerical_failure) are
 * in out->res->status.  The same return code on every rank; *out is freed
 * by cn_solve_out_free (also after a failure). */
int cn_solve(const cn_model *m, const cn_solve_opts *o, MPI_Comm comm, cn_solve_out *out);

/* Collective.  The LP of d (no integer columns: expansion off, or fixed by
 * cn_derived_fix_expansion) by the path of p: the decomposition on every
 * rank, or monolithic GLPK on rank 0.  hash: the decomposition's input hash.
 * *out as cn_solve's. */
int cn_solve_lp(const cn_derived *d, const cn_solve_opts *o, const cn_solve_plan *p,
                const char *hash, MPI_Comm comm, cn_solve_out *out);

/* Collective.  The MIP of d by Benders decomposition over the expansion
 * decisions (solver/benders.c, docs/solver.md "Investment"): the master on
 * rank 0, each subproblem by cn_solve_lp with p's path.  Obeys o->glpk's
 * mip_gap and time_limit_s; checkpoints (its cuts) to o->dw.ckpt_path on a
 * signal and every o->dw.ckpt_every_s, resumed from o->dw.restart_path.
 * d's expansion is fixed while it runs and free again when it returns. */
int cn_solve_benders(cn_derived *d, const cn_solve_opts *o, const cn_solve_plan *p,
                     const char *hash, MPI_Comm comm, cn_solve_out *out);

/* Collective.  Build and solve the whole model with GLPK on rank 0:
 * o->glpk, o->write_mps / write_lp and the basis of o->warm.  The other
 * ranks take part in the period start (o->period_start), if it runs, and
 * return an empty result.  *out gets a full result (every site owned) on
 * rank 0 on CN_OK.  Every rank returns the same code. */
int cn_solve_monolithic(const cn_derived *d, const cn_solve_opts *o, MPI_Comm comm,
                        cn_result **out);

/* What a solution's check against its LP found (cn_lp_verify). */
typedef struct cn_verify {
    double rel_violation;      /* largest violation of a row or bound, relative to its scale */
    int64_t worst_row;         /* the row of it, or -1 (a bound, or none) */
    double primal_objective;   /* c.x recomputed */
    double dual_objective;     /* of the duals given; NaN without duals */
    double dual_gap;           /* |primal - dual| / max(1, |primal|), with dual infeasibility
                                * added; NaN without duals */
} cn_verify;
/* The tolerances it is held to: CN_VERIFY_* in lp.h. */
/* Not collective.  Check sol (values, and duals when present) against lp:
 * primal feasibility relative to each row's scale (1 + its bound and the
 * size of its terms) and the duality gap of the duals.  CN_OK or CN_EOSERR. */
int cn_lp_verify(const cn_lp *lp, const cn_lp_solution *sol, cn_verify *v);

#endif
