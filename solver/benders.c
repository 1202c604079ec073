/* solver/benders.c - the investment MIP by Benders decomposition over the
 * expansion decisions y (docs/solver.md "Investment: Benders decomposition").
 *
 * F(y) = sum module_cost(e) y[e] + Q(y), Q(y) the operating LP with y fixed
 * (cn_derived_fix_expansion).  Q is the value of an LP whose right-hand sides
 * move linearly with y, so F is convex and piecewise linear in y, and its
 * gradient at y^ comes from the LP's duals:
 *   dF/dy[e] = module_cost(e) + module_pflops(e) sum_t cap_dual(s,c,t)
 *                             + module_mw(e) sum_t power_cap_dual(s,t),
 * module_cost(e) minus the module's value of core/invest.h.
 * Every evaluated y^ gives the cut  eta >= F(y^) + g . (y - y^),  valid for
 * every y in the box 0..max_modules.  The master, on rank 0, minimises eta
 * over the cuts with y integer (GLPK's branch and bound) from the first cut
 * on: a first phase on the LP relaxation (Kelley's cutting planes) took
 * twice the subproblems on every model measured (docs/benchmarks.md "The
 * master integer from the start").  Its value is a lower bound of the MIP;
 * every y^ evaluated is a solution, the best of them the incumbent.  The
 * subproblem is solved by the LP path cn_solve chose (the decomposition over
 * every rank, or monolithic GLPK), warm-started from the previous
 * subproblem. */
#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../base/log.h"
#include "../base/mpiutil.h"
#include "../base/signals.h"
#include "../core/invest.h"
#include "../io/h5ckpt.h"
#include "solve.h"

/* The cuts, rank 0's. */
typedef struct cuts {
    int ne;          /* expansion rows */
    long n, cap;
    double *y, *g;   /* [n][ne] the point and the gradient */
    double *f;       /* [n] F(y) */
    double *tol;     /* [n] the gap its subproblem was solved to (0: a simplex) */
} cuts;

/* Not collective (this and cuts_add). */
static void cuts_free(cuts *c)
{
    free(c->y);
    free(c->g);
    free(c->f);
    free(c->tol);
    memset(c, 0, sizeof *c);
}

static int cuts_add(cuts *c, const double *y, double f, const double *g, double tol)
{
    if (c->n == c->cap) {
        long cap = c->cap ? 2 * c->cap : 16;
        double *ny = realloc(c->y, (size_t)cap * c->ne * sizeof *ny + 1);
        if (ny)
            c->y = ny;
        double *ng = realloc(c->g, (size_t)cap * c->ne * sizeof *ng + 1);
        if (ng)
            c->g = ng;
        double *nf = realloc(c->f, (size_t)cap * sizeof *nf);
        if (nf)
            c->f = nf;
        double *nt = realloc(c->tol, (size_t)cap * sizeof *nt);
        if (nt)
            c->tol = nt;
        if (!ny || !ng || !nf || !nt)
            return CN_EOSERR;
        c->cap = cap;
    }
    memcpy(c->y + (size_t)c->n * c->ne, y, (size_t)c->ne * sizeof *y);
    memcpy(c->g + (size_t)c->n * c->ne, g, (size_t)c->ne * sizeof *g);
    c->tol[c->n] = tol;
    c->f[c->n++] = f;
    return CN_OK;
}

/* The master's rows are scaled so that their largest term is about this:
 * GLPK's branch and bound works with absolute tolerances, and on cuts of
 * 1e10 yuan with slopes of 1e9 it pruned the optimum (a master of 28 cuts
 * from a generated model: 1.3666e10 where CBC and the same GLPK on the
 * scaled rows give 1.3162e10; docs/solver.md "Investment"). */
#define BD_MASTER_SCALE 1e4

/* Not collective.  The master over the cuts: columns y[0..ne) integer, eta;
 * row k  eta - g_k . y >= F_k - g_k . y_k, every term times sigma (above).
 * *bound a proven lower bound of its optimum, in yuan, and y its point.
 * CN_OK with *status. */
static int master_solve(const cn_model *m, const cuts *c, double mip_gap, double time_limit_s,
                        double *y, double *bound, int *status)
{
    int ne = c->ne, rc = CN_OK;
    int64_t ncols = ne + 1, nnz = (int64_t)c->n * (ne + 1);
    cn_lp lp;
    memset(&lp, 0, sizeof lp);
    cn_glpk *g = NULL;
    cn_lp_solution sol;
    memset(&sol, 0, sizeof sol);
    double big = 1.0;
    for (long k = 0; k < c->n; k++) {
        big = fmax(big, fabs(c->f[k]));
        for (int e = 0; e < ne; e++)
            big = fmax(big, fabs(c->g[(size_t)k * ne + e]) *
                                fmax(1.0, (double)m->exps[e].max_modules));
    }
    double sigma = BD_MASTER_SCALE / big;
    lp.ncols = ncols;
    lp.nrows = c->n;
    lp.obj = cn_calloc((size_t)ncols, sizeof *lp.obj);
    lp.lb = cn_calloc((size_t)ncols, sizeof *lp.lb);
    lp.ub = cn_calloc((size_t)ncols, sizeof *lp.ub);
    lp.is_int = cn_calloc((size_t)ncols, 1);
    lp.row_lo = cn_calloc((size_t)c->n + 1, sizeof *lp.row_lo);
    lp.row_hi = cn_calloc((size_t)c->n + 1, sizeof *lp.row_hi);
    lp.row_kind = cn_calloc((size_t)c->n + 1, 1);
    lp.colptr = cn_calloc((size_t)ncols + 1, sizeof *lp.colptr);
    lp.rowind = cn_calloc((size_t)nnz + 1, sizeof *lp.rowind);
    lp.val = cn_calloc((size_t)nnz + 1, sizeof *lp.val);
    if (!lp.obj || !lp.lb || !lp.ub || !lp.is_int || !lp.row_lo || !lp.row_hi ||
        !lp.row_kind || !lp.colptr || !lp.rowind || !lp.val) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    int64_t p = 0;
    for (int e = 0; e < ne; e++) {
        lp.ub[e] = (double)m->exps[e].max_modules;
        lp.is_int[e] = 1;
        lp.colptr[e] = p;
        for (long k = 0; k < c->n; k++) {
            double a = -sigma * c->g[(size_t)k * ne + e];
            if (a != 0.0) {
                lp.rowind[p] = (int32_t)k;
                lp.val[p++] = a;
            }
        }
    }
    lp.colptr[ne] = p;
    lp.obj[ne] = 1.0;       /* eta times sigma */
    lp.lb[ne] = -INFINITY;
    lp.ub[ne] = INFINITY;
    for (long k = 0; k < c->n; k++) {
        lp.rowind[p] = (int32_t)k;
        lp.val[p++] = 1.0;
        double r = c->f[k];
        for (int e = 0; e < ne; e++)
            r -= c->g[(size_t)k * ne + e] * c->y[(size_t)k * ne + e];
        lp.row_lo[k] = sigma * r;
        lp.row_hi[k] = INFINITY;
    }
    lp.colptr[ncols] = p;
    lp.nnz = p;
    CN_TRY(cn_glpk_create(&lp, &g));
    cn_glpk_opts go;
    cn_glpk_opts_init(&go);
    go.want_duals = 0;
    go.dual_simplex = 1;
    go.mip_gap = mip_gap;
    go.time_limit_s = time_limit_s;
    CN_TRY(cn_glpk_solve(g, &go, &sol));
    *status = sol.status;
    /* GLPK's branch and bound stopped at the relative gap asked for
     * (GLP_EMIPGAP) reports a feasible MIP: solved as asked, with a proven
     * bound.  (Taken as a time limit, it ended the year's run after 4
     * subproblems at gap 8.3e-3 without a word, docs/benchmarks.md.) */
    if (sol.status == CN_STATUS_FEASIBLE && isfinite(sol.bound) &&
        sol.objective - sol.bound <= mip_gap * fmax(1.0, fabs(sol.objective)))
        *status = CN_STATUS_OPTIMAL;
    if (sol.status == CN_STATUS_OPTIMAL || sol.status == CN_STATUS_FEASIBLE) {
        for (int e = 0; e < ne; e++)
            y[e] = round(sol.col_value[e]);
        *bound = sol.bound / sigma;
    }
cleanup:
    cn_lp_solution_free(&sol);
    cn_glpk_destroy(&g);
    free(lp.obj); free(lp.lb); free(lp.ub); free(lp.is_int);
    free(lp.row_lo); free(lp.row_hi); free(lp.row_kind);
    free(lp.colptr); free(lp.rowind); free(lp.val);
    return rc;
}

/* Collective.  F(y) (*f, the subproblem's objective: its point's cost) and a
 * cut from the subproblem's result, on rank 0: *fcut + g . (y' - y) <= F(y')
 * for every y'.  *fcut is the subproblem's proven bound plus the modules'
 * cost: for a simplex optimum its objective, for the decomposition the dual
 * objective of its written duals, which is what makes the cut valid when the
 * subproblem is solved only to its gap (weak duality, with the right-hand
 * sides moved by y).  The duals of a site's rows are on the rank that owns the site
 * (owner[s]; NULL: rank 0 owns every site), so each rank sums its own
 * sites' and the sums meet on rank 0.  g needs room for ne + 1 doubles. */
static void cut_of(const cn_model *m, const cn_result *r, const int *owner, const double *y,
                   double *f, double *fcut, double *g, MPI_Comm comm)
{
    int64_t T = m->sc.periods, C = m->ntypes;
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    for (int e = 0; e < m->nexps; e++) {
        const cn_expansion *x = &m->exps[e];
        g[e] = 0.0;
        if ((owner ? owner[x->site] : 0) == rank) /* minus the module's value */
            g[e] = -cn_invest_value(r->cap_dual + ((size_t)x->site * C + x->type) * T,
                                    m->sites[x->site].has_power_cap
                                        ? r->power_cap_dual + (size_t)x->site * T : NULL,
                                    (size_t)T, x->module_pflops, x->module_mw);
    }
    MPI_Reduce(rank == 0 ? MPI_IN_PLACE : g, g, m->nexps, MPI_DOUBLE, MPI_SUM, 0, comm);
    if (rank != 0)
        return;
    *f = r->objective;
    *fcut = fmin(r->bound, r->objective);
    /* and no more than the dual objective of the duals the slope comes from
     * (the verified duality gap of the written duals, docs/solver.md
     * "Verification"): a simplex's rounding or the decomposition's gap */
    if (isfinite(r->duality_gap))
        *fcut = fmin(*fcut, r->objective - r->duality_gap * fmax(1.0, fabs(r->objective)));
    for (int e = 0; e < m->nexps; e++) {
        *f += m->exps[e].module_cost * y[e];
        *fcut += m->exps[e].module_cost * y[e];
        g[e] += m->exps[e].module_cost;
    }
}

/* Not collective: the cut at point y (the latest), or -1. */
static long evaluated(const cuts *c, const double *y)
{
    for (long k = c->n - 1; k >= 0; k--) {
        int same = 1;
        for (int e = 0; e < c->ne && same; e++)
            same = c->y[(size_t)k * c->ne + e] == y[e];
        if (same)
            return k;
    }
    return -1;
}

/* Not collective: (ub - lb) / max(1, |ub|), INFINITY while either is not finite. */
static double rel_gap(double ub, double lb)
{
    return isfinite(ub) && isfinite(lb) ? fmax(0.0, ub - lb) / fmax(1.0, fabs(ub)) : INFINITY;
}

/* Rank 0: one row of the log and its line: the subproblem's F(y), the
 * incumbent, the bound of the master with the new cut, and the gap. */
static int log_row(cn_iterlog *log, long it, double f, double ub, double lb, double t0)
{
    double el = MPI_Wtime() - t0;
    cn_log(CN_LOG_INFO, "%5ld  F(y) %.10e  best %.10e  bound %.10e  gap %.2e  %.1f s", it, f,
           ub, lb, rel_gap(ub, lb), el);
    return cn_iterlog_push(log, it, ub, lb, rel_gap(ub, lb), 1, el); /* one cut a row */
}

/* Collective: the row of a subproblem once the master that has its cut
 * gave its bound (*pend: one is waiting; the same on every rank), logged by
 * rank 0. */
static int log_pending(cn_iterlog *log, int *pend, long it, double f, double ub, double lb,
                       double t0, MPI_Comm comm)
{
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    if (!*pend)
        return CN_OK;
    *pend = 0;
    return cn_mpi_agree(comm, rank == 0 ? log_row(log, it, f, ub, lb, t0) : CN_OK);
}

/* Not collective.  The options of one subproblem: the LP path of the plan,
 * the warm start, no export, checkpoint or hook, and what is left of the
 * time. */
static void sub_opts(const cn_solve_opts *o, cn_warm *warm, double left, cn_solve_opts *so)
{
    *so = *o;
    so->warm = warm;
    so->write_mps = so->write_lp = NULL;
    so->before_solve = NULL;
    so->dw.ckpt_path = so->dw.restart_path = NULL;
    so->dw.restart_required = 0;
    so->dw.ckpt_every_s = 0;
    so->dw.stop_after_iter = 0;
    so->glpk.want_duals = 1;
    /* GLPK's LP presolver cost more than it saved on the first, cold
     * subproblem: 15.8 s against 13.0 s on the bundled day, 16.1 against 15.0
     * on the generated 100k model (docs/benchmarks.md "The investment MIP");
     * the warm ones start from a basis, which skips it anyway */
    so->glpk.presolve = 0;
    so->glpk.time_limit_s = left;
    so->dw.time_limit_s = left;
}

/* Collective.  The cuts into o's checkpoint (rank 0 writes; phase 2, the
 * integer master, for the format: checkpoints of phase 1, the LP
 * relaxation's, which earlier versions wrote, resume the same way, their
 * cuts being valid). */
static int ckpt_save(const cn_solve_opts *o, const char *hash, long it, double lb,
                     const cuts *c, int quiet, MPI_Comm comm)
{
    int rank = 0, lrc = CN_OK;
    MPI_Comm_rank(comm, &rank);
    if (rank == 0) {
        cn_bckpt k;
        memset(&k, 0, sizeof k);
        snprintf(k.input_hash, sizeof k.input_hash, "%s", hash);
        k.iteration = it;
        k.phase = 2;
        k.lower_bound = lb;
        k.ne = c->ne;
        k.ncuts = c->n;
        k.y = c->y;
        k.g = c->g;
        k.f = c->f;
        lrc = cn_bckpt_write(o->dw.ckpt_path, &k);
        if (lrc == CN_OK)
            cn_log(quiet ? CN_LOG_DEBUG : CN_LOG_INFO, "checkpoint at iteration %ld written to %s",
                   it, o->dw.ckpt_path);
    }
    return cn_mpi_agree(comm, lrc);
}

/* Collective.  The cuts of o's restart file when it is a checkpoint of this
 * run (rank 0 reads; its lower bound is not trusted, the master recomputes
 * it).  *it: where it stopped (0 without one). */
static int ckpt_restore(const cn_solve_opts *o, const char *hash, cuts *c, long *it,
                        MPI_Comm comm)
{
    int rank = 0, lrc = CN_OK;
    MPI_Comm_rank(comm, &rank);
    *it = 0;
    if (!o->dw.restart_path)
        return CN_OK;
    if (rank == 0) {
        cn_bckpt k;
        lrc = cn_bckpt_read(o->dw.restart_path, &k);
        lrc = cn_ckpt_resume_check(o->dw.restart_path, lrc, o->dw.restart_required,
                                   k.input_hash, hash, o->dw.stale_discard);
        if (lrc == -1) { /* none (k is empty), or a stale one --force discards */
            lrc = CN_OK;
            k.ncuts = 0; /* none taken; the file is overwritten by the next checkpoint */
        } else if (lrc == CN_OK && k.ne != c->ne)
            lrc = CN_ERR(CN_EDATA, "checkpoint '%s' has %d expansion rows, the model %d",
                         o->dw.restart_path, k.ne, c->ne);
        for (long q = 0; lrc == CN_OK && q < k.ncuts; q++)
            lrc = cuts_add(c, k.y + (size_t)q * c->ne, k.f[q], k.g + (size_t)q * c->ne,
                           o->dw.gap); /* not saved: as solved to --gap */
        if (lrc == CN_OK && k.ncuts > 0) {
            *it = k.iteration;
            cn_log(CN_LOG_INFO, "benders: resumed from %s at iteration %ld with its %ld cuts",
                   o->dw.restart_path, k.iteration, k.ncuts);
        }
        cn_bckpt_free(&k);
    }
    int rc = cn_mpi_agree(comm, lrc);
    MPI_Bcast(it, 1, MPI_LONG, 0, comm);
    return rc;
}

/* Collective.  A signal on any rank, or the test hook's iteration reached
 * (CNOPT_TEST_STOP_AFTER: as if signalled after that many subproblems). */
static int stop_asked(const cn_solve_opts *o, long it, MPI_Comm comm)
{
    int sig = cn_signals_pending() || (o->dw.stop_after_iter > 0 && it >= o->dw.stop_after_iter);
    MPI_Allreduce(MPI_IN_PLACE, &sig, 1, MPI_INT, MPI_MAX, comm);
    return sig;
}

/* Benders stops after this many subproblems whatever the gap (a guard: the
 * master has finitely many integer points, each evaluated at most once). */
#define BD_MAX_ITER 100000

int cn_solve_benders(cn_derived *d, const cn_solve_opts *o, const cn_solve_plan *p,
                     const char *hash, MPI_Comm comm, cn_solve_out *out)
{
    const cn_model *m = d->m;
    int rank = 0, ne = m->nexps, rc = CN_OK;
    MPI_Comm_rank(comm, &rank);
    double t0 = MPI_Wtime();
    double limit = o->glpk.time_limit_s > 0 ? o->glpk.time_limit_s : 0.0;
    double mip_gap = o->glpk.mip_gap;
    cuts c;
    memset(&c, 0, sizeof c);
    c.ne = ne;
    /* the subproblems' warm start: the caller's (a sweep range: carried to the
     * next task, with the build plan), else this run's own */
    cn_warm own, *warm = o->warm ? o->warm : &own;
    memset(&own, 0, sizeof own);
    cn_solve_out best, sub;
    memset(&best, 0, sizeof best);
    memset(&sub, 0, sizeof sub);
    size_t yb = ((size_t)ne + 1) * sizeof(double);
    /* y the point evaluated next (the master's); rank 0: yinc the incumbent */
    double *y = cn_calloc(1, yb), *yinc = cn_calloc(1, yb), *g = cn_calloc(1, yb);
    double ub = INFINITY, lb = -INFINITY, f = 0.0;
    long it = 0;
    int status = CN_STATUS_NO_SOLUTION, level = cn_log_level();
    int pend = 0; /* a subproblem's row not yet logged */
    int lrc = y && yinc && g ? CN_OK : CN_EOSERR;
    if (lrc == CN_OK && p->path == CN_METHOD_DW && !warm->dw)
        lrc = cn_dw_warm_create(&warm->dw);
    CN_TRY(cn_mpi_agree(comm, lrc));
    CN_TRY(ckpt_restore(o, hash, &c, &it, comm));
    if (rank == 0)
        cn_log(CN_LOG_INFO, "benders: %d expansion rows; the subproblem (the LP with y fixed) by "
               "%s, the master (GLPK, y and one cost column) on rank 0; docs/solver.md", ne,
               p->path == CN_METHOD_DW ? "the decomposition on every rank" : "monolithic GLPK on rank 0");
    /* a fresh run evaluates y = 0 first, or the previous solve's build plan
     * (a sweep range; it: the same on every rank) */
    int first = it == 0;
    if (first && warm->y && warm->ny == ne) {
        for (int e = 0; e < ne; e++)
            y[e] = fmin((double)m->exps[e].max_modules, fmax(0.0, round(warm->y[e])));
        if (rank == 0)
            cn_log(CN_LOG_INFO, "warm start: Benders starts from the previous solve's build plan");
    }
    for (;;) {
        int mstatus = CN_STATUS_OPTIMAL, again = 0;
        y[ne] = o->dw.gap; /* rank 0: the gap its subproblem is solved to */
        if (!first) { /* rank 0: the master's next point */
            double bnd = NAN, left = limit > 0 ? limit - (MPI_Wtime() - t0) : 0.0;
            lrc = CN_OK;
            if (rank == 0) {
                if (limit > 0 && left <= 0)
                    mstatus = CN_STATUS_FEASIBLE;
                else
                    lrc = master_solve(m, &c, 0.1 * mip_gap, left, y, &bnd, &mstatus);
                /* valid cuts are at most F at the incumbent, so the master's
                 * minimum is too: a bound above it is the master's error */
                if (lrc == CN_OK && mstatus == CN_STATUS_OPTIMAL &&
                    bnd > ub + 1e-6 * fmax(1.0, fabs(ub))) {
                    cn_log(CN_LOG_ERROR, "benders: the master's bound %.10g is above the "
                           "incumbent %.10g, which valid cuts exclude: numerical trouble in "
                           "the master", bnd, ub);
                    mstatus = CN_STATUS_NUMERICAL;
                }
            }
            CN_TRY(cn_mpi_agree(comm, lrc));
            MPI_Bcast(&mstatus, 1, MPI_INT, 0, comm);
            if (mstatus != CN_STATUS_OPTIMAL) {
                if (rank == 0 && mstatus != CN_STATUS_FEASIBLE)
                    cn_log(CN_LOG_ERROR, "benders: the master ended %s", cn_status_name(mstatus));
                else if (rank == 0)
                    cn_log(CN_LOG_WARN, "benders: the time limit ended the run in the master, "
                           "at gap %.3g", rel_gap(ub, lb));
                if (mstatus != CN_STATUS_FEASIBLE)
                    status = CN_STATUS_NUMERICAL;
                break;
            }
            /* a point evaluated before: its cut holds the master at its
             * proven bound there, so the gap is what that subproblem's own
             * gap left (the decomposition's --gap above --mip-gap).  It is
             * solved again to a tenth of --mip-gap, warm; once solved so, a
             * repeat ends the run (its cut would not move) */
            if (rank == 0) {
                lb = fmax(lb, bnd);
                long k = rel_gap(ub, lb) > mip_gap ? evaluated(&c, y) : -1;
                double tight = fmin(o->dw.gap, 0.1 * mip_gap);
                if (k >= 0 && c.tol[k] > tight) {
                    y[ne] = tight;
                    cn_log(CN_LOG_INFO, "benders: the master's next point was evaluated at "
                           "gap %.1e; solving it again to %.1e", c.tol[k], tight);
                } else if (k >= 0) {
                    again = 1;
                    cn_log(CN_LOG_WARN, "benders: the master's next point was evaluated "
                           "before to gap %.1e; stopping at gap %.3g, the subproblems' "
                           "accuracy", c.tol[k], rel_gap(ub, lb));
                }
            }
            MPI_Bcast(&lb, 1, MPI_DOUBLE, 0, comm);
            MPI_Bcast(&again, 1, MPI_INT, 0, comm);
        }
        first = 0;
        /* the last subproblem's row, with the bound of the master that has its cut */
        CN_TRY(log_pending(&out->log, &pend, it, f, ub, lb, t0, comm));
        int sig = stop_asked(o, it, comm);
        double left = limit > 0 ? limit - (MPI_Wtime() - t0) : 0.0;
        if (rel_gap(ub, lb) <= mip_gap || it >= BD_MAX_ITER || sig || again ||
            (limit > 0 && left <= 0))
            break;
        /* the subproblem at y, on the ranks of the LP path; y[ne] its gap */
        if (rank == 0 && level >= CN_LOG_INFO) { /* the build plan it evaluates */
            char buf[160];
            int len = 0;
            double tot = 0.0;
            for (int e = 0; e < ne; e++) {
                tot += y[e];
                if (ne <= 24 && len < (int)sizeof buf - 8)
                    len += snprintf(buf + len, sizeof buf - (size_t)len, "%s%g", e ? " " : "",
                                    y[e]);
            }
            cn_log(CN_LOG_INFO, "benders: subproblem %ld at y = %s%s%s (%g modules)", it + 1,
                   ne <= 24 ? "(" : "", ne <= 24 ? buf : "a plan", ne <= 24 ? ")" : "", tot);
        }
        MPI_Bcast(y, ne + 1, MPI_DOUBLE, 0, comm);
        CN_TRY(cn_mpi_agree(comm, cn_derived_fix_expansion(d, y)));
        cn_solve_opts so;
        sub_opts(o, warm, left, &so);
        so.dw.gap = y[ne];
        if (level == CN_LOG_INFO)
            cn_log_init(rank, CN_LOG_WARN); /* the subproblems' own lines: with -v */
        rc = cn_solve_lp(d, &so, p, hash, comm, &sub);
        cn_log_init(rank, level);
        if (rc == CN_ETEMPFAIL) { /* a signal inside the subproblem */
            cn_err_clear();
            rc = CN_ERR(CN_ETEMPFAIL, "interrupted by %s in the subproblem of Benders iteration "
                        "%ld: %s", cn_signals_name(), it + 1, o->dw.ckpt_path && it > 0
                        ? "the checkpoint holds the cuts before it; run the same command again "
                          "to resume" : "nothing was written; run the same command again");
        }
        if (rc != CN_OK)
            goto cleanup;
        it++;
        int sst = sub.res->status;
        if (sst != CN_STATUS_OPTIMAL) {
            if (rank == 0 && sst != CN_STATUS_FEASIBLE && sst != CN_STATUS_NO_SOLUTION)
                cn_log(CN_LOG_ERROR, "benders: the subproblem of iteration %ld ended %s", it,
                       cn_status_name(sst));
            if (sst != CN_STATUS_FEASIBLE && sst != CN_STATUS_NO_SOLUTION)
                status = sst;
            cn_solve_out_free(&sub);
            break;
        }
        int better = 0; /* y is integral: the master's values, rounded */
        lrc = CN_OK;
        double fcut = 0.0;
        cut_of(m, sub.res, sub.site_owner, y, &f, &fcut, g, comm);
        if (rank == 0) {
            double tol = p->path == CN_METHOD_DW ? y[ne] : 0.0; /* a simplex: exact */
            lrc = isfinite(fcut) ? cuts_add(&c, y, fcut, g, tol)
                                 : CN_ERR(CN_ESOFTWARE, "benders: the subproblem of iteration %ld "
                                          "has no finite bound", it);
            if (f < ub) {
                ub = f;
                better = 1;
                memcpy(yinc, y, (size_t)ne * sizeof *y);
            }
        }
        pend = 1; /* logged once the master has this cut (its bound) */
        CN_TRY(cn_mpi_agree(comm, lrc));
        MPI_Bcast(&better, 1, MPI_INT, 0, comm);
        MPI_Bcast(&ub, 1, MPI_DOUBLE, 0, comm);
        if (better) {
            cn_solve_out_free(&best);
            best = sub;
            memset(&sub, 0, sizeof sub);
        } else {
            cn_solve_out_free(&sub);
        }
        /* after every subproblem: a few kilobytes, and a signal that ends
         * the process inside the next subproblem (monolithic GLPK's silent
         * steps end it at once) then loses that subproblem only */
        if (o->dw.ckpt_path)
            CN_TRY(ckpt_save(o, hash, it, lb, &c, 1, comm));
    }
    CN_TRY(log_pending(&out->log, &pend, it, f, ub, lb, t0, comm));
    int sig = rel_gap(ub, lb) > mip_gap && stop_asked(o, it, comm);
    if (sig) {
        if (o->dw.ckpt_path)
            CN_TRY(ckpt_save(o, hash, it, lb, &c, 0, comm));
        rc = CN_ERR(CN_ETEMPFAIL, "interrupted by %s at Benders iteration %ld: %s",
                    cn_signals_pending() ? cn_signals_name() : "the test hook", it, o->dw.ckpt_path ? "the checkpoint holds its cuts; run "
                    "the same command again to resume" : "nothing was written");
        goto cleanup;
    }
    /* the result: the incumbent's subproblem, with its modules */
    if (!best.res) {
        CN_TRY(cn_mpi_agree(comm, cn_result_create(m, &out->res)));
        out->res->status = status;
        out->res->objective = NAN;
        out->res->bound = lb;
        out->res->gap = INFINITY;
        out->res->is_mip = 1;
    } else {
        out->res = best.res;
        out->site_owner = best.site_owner;
        out->nparts = best.nparts;
        best.res = NULL;
        best.site_owner = NULL;
        cn_result *r = out->res;
        r->is_mip = 1;
        r->cost_expansion = 0.0;
        for (int e = 0; e < ne; e++) {
            r->y_modules[e] = yinc[e]; /* rank 0's; every rank evaluated the same y */
            r->cost_expansion += m->exps[e].module_cost * yinc[e];
        }
        MPI_Bcast(r->y_modules, ne, MPI_DOUBLE, 0, comm);
        MPI_Bcast(&r->cost_expansion, 1, MPI_DOUBLE, 0, comm);
        if (o->warm) { /* the next solve of a sweep range starts from this plan */
            double *wy = realloc(o->warm->y, ((size_t)ne + 1) * sizeof *wy);
            if (wy)
                o->warm->y = wy;
            int have = wy != NULL; /* the same plan on every rank, or none */
            MPI_Allreduce(MPI_IN_PLACE, &have, 1, MPI_INT, MPI_MIN, comm);
            if (have) {
                memcpy(o->warm->y, r->y_modules, (size_t)ne * sizeof *wy);
                o->warm->ny = ne;
            } else {
                free(o->warm->y);
                o->warm->y = NULL;
                o->warm->ny = 0;
            }
        }
        /* the objective is the subproblem's plus the modules', the parts
         * the subproblem's five plus expansion: they sum to it as before */
        r->objective += r->cost_expansion;
        r->bound = fmin(lb, r->objective);
        r->gap = rel_gap(r->objective, lb);
        r->status = r->gap <= mip_gap ? CN_STATUS_OPTIMAL
                    : status == CN_STATUS_NO_SOLUTION ? CN_STATUS_FEASIBLE : status;
    }
    out->res->iterations = it;
    snprintf(out->res->method, sizeof out->res->method, "benders-%s",
             p->path == CN_METHOD_DW ? "dw" : "glpk");
    out->res->solve_seconds = MPI_Wtime() - t0;
    if (rank == 0 && o->dw.ckpt_path && out->res->status == CN_STATUS_OPTIMAL)
        remove(o->dw.ckpt_path); /* finished: the checkpoint is spent */
    if (rank == 0) {
        double built = 0.0;
        for (int e = 0; e < ne; e++)
            built += yinc[e];
        cn_log(CN_LOG_INFO, "benders: %s after %ld subproblems and %ld cuts: %g modules built, "
               "objective %.10g, bound %.10g", cn_status_name(out->res->status), it, c.n, built,
               out->res->objective, out->res->bound);
    }
cleanup:
    cn_derived_fix_expansion(d, NULL);
    cn_solve_out_free(&best);
    cn_solve_out_free(&sub);
    cn_warm_free(&own);
    cuts_free(&c);
    free(y); free(yinc); free(g);
    return rc;
}
