/* solver/solve_mono.c - the monolithic path: one LP/MIP, one GLPK run. */
#include <errno.h>
#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/err.h"
#include "../base/log.h"
#include "../base/mpiutil.h"
#include "../base/signals.h"
#include "lp_split.h"
#include "period_start.h"
#include "solve.h"

void cn_basis_free(cn_basis *b)
{
    free(b->stat);
    b->stat = NULL;
    b->n = 0;
}

/* What a signal prints where it ends the process at once (base/signals.h). */
#define QUICK_MSG "cnopt: error: interrupted by a signal while solving: nothing was written; " \
                  "run the same command again\n"

/* CN_ETEMPFAIL when a signal arrived: between the steps of the solve that
 * report nothing (the build, GLPK's scaling) and after GLPK stopped. */
static int interrupted(void)
{
    return CN_ERR(CN_ETEMPFAIL, "interrupted by %s while solving: nothing was written; run "
                  "the same command again", cn_signals_name());
}

/* The result of a GLPK solution (the solution's arrays are extracted only
 * for a point: optimal or feasible). */
static int result_of(const cn_derived *d, const cn_lp *lp, const cn_lp_solution *sol,
                     cn_result **out)
{
    cn_result *res = NULL;
    int rc = cn_result_create(d->m, &res);
    if (rc != CN_OK)
        return rc;
    res->is_mip = d->size.ny > 0;
    if (sol->status == CN_STATUS_OPTIMAL || sol->status == CN_STATUS_FEASIBLE) {
        rc = cn_lp_extract(d, lp, sol, res);
    } else {
        res->status = sol->status;
        res->objective = NAN;
        res->bound = NAN;
        res->nvars = lp->ncols;
        res->nrows = lp->nrows;
        res->nnz = lp->nnz;
    }
    if (rc != CN_OK)
        cn_result_destroy(&res);
    *out = res;
    return rc;
}

/* The answer checked against the LP it claims to solve (a point only): a
 * status `optimal` the check refutes becomes numerical_failure, and *bad
 * says so (an error when final, a warning when the exact path follows). */
static int check(const cn_derived *d, const cn_lp *lp, const cn_lp_solution *sol,
                 cn_result *res, int final, int *bad)
{
    *bad = 0;
    if (sol->status != CN_STATUS_OPTIMAL && sol->status != CN_STATUS_FEASIBLE)
        return CN_OK;
    cn_verify v;
    int rc = cn_lp_verify(lp, sol, &v);
    if (rc != CN_OK)
        return rc;
    res->rel_violation = v.rel_violation;
    res->duality_gap = v.dual_gap;
    int bad_primal = !(v.rel_violation <= CN_VERIFY_REL_VIOLATION);
    /* a MIP's duals are those of the LP with y fixed, which lp (y free in
     * its range) does not describe: its check is whole modules */
    int bad_dual = !res->is_mip && sol->row_dual && !(v.dual_gap <= CN_VERIFY_DUAL_GAP);
    for (int64_t j = lp->y0; res->is_mip && j < lp->y0 + d->size.ny; j++)
        if (!(fabs(sol->col_value[j] - round(sol->col_value[j])) <= 1e-6))
            bad_primal = 1;
    /* test hook (docs/robustness.md): refute the first check, to run the
     * exact path on a model the double simplex solves right */
    static int refuted;
    if (!refuted && getenv("CNOPT_TEST_REFUTE") && sol->status == CN_STATUS_OPTIMAL) {
        refuted = bad_dual = 1;
        cn_log(CN_LOG_WARN, "CNOPT_TEST_REFUTE: the first check fails by request");
    }
    if (sol->status == CN_STATUS_OPTIMAL && (bad_primal || bad_dual)) {
        res->status = CN_STATUS_NUMERICAL;
        *bad = 1;
        cn_log(final ? CN_LOG_ERROR : CN_LOG_WARN, "GLPK reported an optimum that fails its "
               "check against the model: relative violation %.3g (row %lld; limit %g), duality gap %.3g "
               "(primal %.10g, dual %.10g; limit %g); status numerical_failure",
               v.rel_violation, (long long)v.worst_row, CN_VERIFY_REL_VIOLATION,
               v.dual_gap, v.primal_objective, v.dual_objective, CN_VERIFY_DUAL_GAP);
    }
    return CN_OK;
}

/* The period start runs for a cold simplex over sifting without the
 * presolver, on an LP of two periods or more, outside sweeps and Benders
 * (whose warm starts reuse a basis of the LP itself).  The same answer on
 * every rank. */
static int period_start_applies(const cn_derived *d, const cn_solve_opts *o)
{
    return o->period_start && d->size.ny == 0 && !o->warm && d->m->sc.periods >= 2 &&
           o->glpk.method == CN_LP_SIMPLEX && !o->glpk.dual_simplex && o->glpk.sift &&
           !o->glpk.presolve && !o->glpk.exact;
}

/* Collective.  The split LP of *lp and, on rank 0, its start (the same code
 * on every rank; *basis NULL when a period had no optimum).  The ranks but 0
 * need the LP only for its split: they free it before the periods. */
static int start_of(cn_lp **lp, long periods, const cn_solve_opts *o, MPI_Comm comm,
                    cn_lp_split **split, unsigned char **basis, long *pivots)
{
    int rank = 0, size = 1;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    double t0 = MPI_Wtime();
    int rc = cn_mpi_agree(comm, cn_lp_split_build(*lp, split));
    if (rank != 0)
        cn_lp_destroy(lp);
    if (rc == CN_OK)
        rc = cn_period_start(*split, &o->glpk, comm, basis, pivots);
    if (rc == CN_OK && rank == 0) {
        const cn_lp_split *s = *split;
        if (*basis)
            cn_log(CN_LOG_INFO, "period start: %ld periods solved apart on %d rank%s, %ld pivots, "
                   "%.2f s (%lld windows split into %lld period rows)", periods, size,
                   size == 1 ? "" : "s", *pivots, MPI_Wtime() - t0, (long long)s->nwin,
                   (long long)(s->lp->nrows - s->nrows0));
        else
            cn_log(CN_LOG_INFO, "period start: a period had no optimum on its own; the "
                   "simplex starts without it");
    }
    return rc;
}

/* cn_glpk_solve on g; sol is the LP's: through the split's back map when g
 * holds the split LP (sp not NULL). */
static int solve_on(cn_glpk *g, const cn_glpk_opts *go, const cn_lp_split *sp,
                    cn_lp_solution *sol)
{
    if (!sp)
        return cn_glpk_solve(g, go, sol);
    cn_lp_solution ss;
    memset(&ss, 0, sizeof ss);
    int rc = cn_glpk_solve(g, go, &ss);
    if (rc == CN_OK)
        rc = cn_lp_split_solution(sp, &ss, sol);
    cn_lp_solution_free(&ss);
    return rc;
}

/* Rank 0 of cn_solve_monolithic. */
static int solve_rank0(const cn_derived *d, const cn_solve_opts *o, MPI_Comm comm, int use_ps,
                       cn_result **out)
{
    int rc = CN_OK;
    cn_lp *lp = NULL;
    cn_lp_split *split = NULL; /* with a start: the LP the simplex solves */
    unsigned char *basis = NULL;
    long start_pivots = 0;
    cn_glpk *g = NULL;
    cn_result *res = NULL;
    cn_lp_solution sol;
    memset(&sol, 0, sizeof sol);
    double t0 = MPI_Wtime();

    cn_signals_quick_exit(QUICK_MSG);
    rc = cn_lp_build(d, &lp);
    if (use_ps) {
        rc = cn_mpi_agree(comm, rc);
        if (rc == CN_OK)
            rc = start_of(&lp, d->m->sc.periods, o, comm, &split, &basis, &start_pivots);
    }
    cn_signals_quick_exit(NULL);
    if (rc != CN_OK && cn_err_code() == CN_OK)
        goto cleanup; /* another rank failed: its message is the one to print */
    CN_TRY(rc);
    if (!basis) /* no start: the LP as it is */
        cn_lp_split_destroy(&split);
    const cn_lp_split *sp = split;
    cn_log(CN_LOG_INFO, "model: %lld variables (%lld integer), %lld rows, %lld nonzeros",
           (long long)lp->ncols, (long long)d->size.ny, (long long)lp->nrows,
           (long long)lp->nnz);
    if (o->write_mps || o->write_lp) {
        CN_TRY(cn_glpk_write(d, lp, o->write_mps, o->write_lp));
        if (o->write_mps)
            cn_log(CN_LOG_INFO, "wrote %s", o->write_mps);
        if (o->write_lp)
            cn_log(CN_LOG_INFO, "wrote %s", o->write_lp);
    }
    if (cn_signals_pending())
        CN_TRY(interrupted());
    /* GLPK's load and scaling, then the simplex until its first report
     * (lp_glpk.c's terminal hook turns this off there) */
    cn_signals_quick_exit(QUICK_MSG);
    const char *hold = getenv("CNOPT_TEST_HOLD_LOAD");
    if (hold) { /* test hook (tests/e2e/test_harden.sh): a signal lands here */
        cn_log(CN_LOG_WARN, "test hook CNOPT_TEST_HOLD_LOAD: %s s before GLPK's load", hold);
        struct timespec ts = {(time_t)atoi(hold), 0};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
            ;
    }
    rc = cn_glpk_create(sp ? sp->lp : lp, &g);
    if (rc == CN_OK && sp)
        rc = cn_glpk_basis_set(g, basis, sp->lp->nrows + sp->lp->ncols);
    if (rc != CN_OK)
        cn_signals_quick_exit(NULL);
    CN_TRY(rc);
    cn_basis *wb = d->size.ny == 0 && o->glpk.method == CN_LP_SIMPLEX && o->warm ? &o->warm->basis
                                                                                : NULL;
    if (wb) {
        wb->used = wb->n > 0 && cn_glpk_basis_set(g, wb->stat, wb->n) == CN_OK;
        if (wb->used)
            cn_log(CN_LOG_INFO, "warm start: the simplex starts from the previous solve's basis");
    }
    /* a status line on a terminal (base/log.h); a signal stops GLPK within
     * about a second (nothing of a monolithic solve can be saved); one that
     * GLPK's branch and bound took as a stop leaves an incomplete answer,
     * which is not written either: exit 75 */
    cn_glpk_opts go = o->glpk;
    go.sift_cols = lp->u0 - lp->x0; /* the x columns (lp.h), x0 = 0 */
    go.sift_start = sp != NULL;
    go.progress = 1;
    go.interruptible = 1;
    if (go.time_limit_s > 0)
        go.time_limit_s = fmax(1e-3, go.time_limit_s - (MPI_Wtime() - t0));
    rc = solve_on(g, &go, sp, &sol);
    sol.iterations += start_pivots;
    cn_signals_quick_exit(NULL);
    CN_TRY(rc);
    if (cn_signals_pending() && (sol.status == CN_STATUS_FEASIBLE || sol.status == CN_STATUS_NO_SOLUTION))
        CN_TRY(interrupted());
    if (wb && (sol.status == CN_STATUS_OPTIMAL || sol.status == CN_STATUS_FEASIBLE)) {
        cn_basis_free(wb);
        CN_TRY(cn_glpk_basis_get(g, &wb->stat, &wb->n));
    }
    CN_TRY(result_of(d, lp, &sol, &res));
    int bad = 0, exact_used = 0;
    int can_exact = !res->is_mip && o->glpk.method == CN_LP_SIMPLEX;
    CN_TRY(check(d, lp, &sol, res, !can_exact, &bad));
    if (bad && can_exact) {
        /* the safer path: exact rational arithmetic from the simplex's basis */
        double left = o->glpk.time_limit_s > 0 ? o->glpk.time_limit_s - (MPI_Wtime() - t0) : 0;
        cn_log(CN_LOG_WARN, "solving again in exact rational arithmetic from the simplex's "
               "basis (glp_exact%s; docs/solver.md \"Verification\")",
               o->glpk.time_limit_s > 0 ? ", within the time limit" : "");
        if (o->glpk.time_limit_s > 0 && !(left > 1.0)) {
            cn_log(CN_LOG_ERROR, "no time left for the exact solve");
        } else {
            long long it_double = (long long)sol.iterations;
            cn_lp_solution_free(&sol);
            go.exact = 1;
            go.time_limit_s = left;
            go.progress = 0;
            CN_TRY(solve_on(g, &go, sp, &sol));
            sol.iterations += start_pivots;
            if (cn_signals_pending())
                CN_TRY(interrupted());
            cn_result_destroy(&res);
            CN_TRY(result_of(d, lp, &sol, &res));
            CN_TRY(check(d, lp, &sol, res, 1, &bad));
            exact_used = 1;
            if (!bad && sol.status == CN_STATUS_OPTIMAL)
                cn_log(CN_LOG_INFO, "exact arithmetic: optimal, relative violation %.3g, "
                       "duality gap %.3g (%lld more pivots)", res->rel_violation,
                       res->duality_gap, (long long)sol.iterations - it_double);
        }
    }
    res->gap = isfinite(res->bound) && isfinite(res->objective)
                   ? fabs(res->objective - res->bound) / fmax(1.0, fabs(res->objective))
                   : INFINITY;
    snprintf(res->method, sizeof res->method, "%s",
             res->is_mip ? "glpk-mip"
             : o->glpk.method == CN_LP_INTERIOR ? "glpk-interior"
             : exact_used ? "glpk-exact" : "glpk-simplex");
    res->solve_seconds = MPI_Wtime() - t0;
cleanup:
    cn_lp_solution_free(&sol);
    cn_glpk_destroy(&g);
    free(basis);
    cn_lp_split_destroy(&split);
    cn_lp_destroy(&lp);
    if (rc != CN_OK)
        cn_result_destroy(&res);
    *out = res;
    return rc;
}

int cn_solve_monolithic(const cn_derived *d, const cn_solve_opts *o, MPI_Comm comm,
                        cn_result **out)
{
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    int use_ps = period_start_applies(d, o);
    if (rank != 0) {
        /* the others wait for the write, asleep: Open MPI's blocking wait
         * busy-polls a core (at 500k on 2 ranks: 82.4 s against 84.9 s
         * polling, docs/benchmarks.md "Waiting ranks asleep") */
        cn_lp *lp = NULL;
        cn_lp_split *split = NULL;
        unsigned char *basis = NULL;
        int lrc = CN_OK;
        if (use_ps) {
            cn_signals_quick_exit(QUICK_MSG);
            lrc = cn_mpi_agree(comm, cn_lp_build(d, &lp));
            if (lrc == CN_OK)
                {
                long pivots = 0;
                lrc = start_of(&lp, d->m->sc.periods, o, comm, &split, &basis, &pivots);
            }
            cn_signals_quick_exit(NULL);
        }
        free(basis);
        cn_lp_split_destroy(&split);
        cn_lp_destroy(&lp);
        if (lrc == CN_OK)
            lrc = cn_result_create(d->m, out);
        return cn_mpi_agree_idle(comm, lrc);
    }
    return cn_mpi_agree_idle(comm, solve_rank0(d, o, comm, use_ps, out));
}
