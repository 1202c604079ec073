/* solver/lp_glpk.c - see lp_glpk.h.  GLPK is 1-based; cnopt is 0-based. */
#include "lp_glpk.h"

#include <float.h>
#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../base/log.h"
#include "../base/signals.h"
#include "lp_scale.h"

/* run_sifting's buffers (rows: ind, val, y, bestc, best; candidate
 * columns: out, type, lb, ub, neg), 1-based like GLPK */
typedef struct sift_work {
    int *ind, *best, *type;
    double *val, *y, *bestc, *lb, *ub;
    char *out;
    struct sift_neg *neg;
} sift_work;

struct cn_glpk {
    glp_prob *P;       /* dead when env_gen != g_env_gen (see GUARD_BEGIN) */
    unsigned long env_gen;
    int64_t nrows, ncols;
    int has_int;
    int solved;        /* a basis exists from an earlier solve */
    int sift_rounds;   /* sifting rounds of the last solve (0: none) */
    int sift_dropped;  /* columns its rounds dropped from the working set */
    sift_work *sift;   /* while run_sifting runs (or after a longjmp out of it) */
};

static void sift_free(cn_glpk *g)
{
    sift_work *w = g->sift;
    if (!w)
        return;
    free(w->ind); free(w->best); free(w->type); free(w->val); free(w->y);
    free(w->bestc); free(w->lb); free(w->ub); free(w->out); free(w->neg);
    free(w);
    g->sift = NULL;
}

static volatile sig_atomic_t g_stop;
void cn_glpk_request_stop(void) { g_stop = 1; }

const char *cn_glpk_version(void) { return glp_version(); }

void cn_glpk_opts_init(cn_glpk_opts *o)
{
    memset(o, 0, sizeof *o);
    o->method = CN_LP_SIMPLEX;
    o->presolve = 1;
    o->mip_gap = 1e-6;
    o->want_duals = 1;
    o->sift = 1;
    o->dual_warm = 1;
}

/* GLPK calls abort() on a fatal error unless a hook longjmps out; after that
 * its environment must be freed, and every problem of this rank dies with it
 * (the decomposition holds one per block and the master).  g_env_gen counts
 * those resets: a cn_glpk made before the last one holds a dangling P, which
 * must be neither used nor passed to glp_delete_prob (GLPK would abort on
 * "glp_free: invalid pointer").  on_fail frees what the caller allocated
 * before the guarded calls (it must not read variables changed after setjmp). */
static unsigned long g_env_gen;
static void error_hook(void *info) { longjmp(*(jmp_buf *)info, 1); }

/* A signal during an interruptible solve (cn_glpk_opts.interruptible):
 * GLPK's simplex and interior point take no callback, but they report their
 * progress (msg_lev GLP_MSG_ON) every out_frq ms through the terminal hook,
 * which leaves GLPK by the same longjmp as a fatal error when the flag is
 * set (GLPK's environment is then freed, as after a fatal error).  The hook
 * also turns the reports into the status line (o->progress) and keeps GLPK
 * quiet below -vv, but never hides a fatal error's message. */
static jmp_buf *volatile g_stop_jb;
static volatile sig_atomic_t g_stopped;
static int g_hook_verbose;
static const int *g_progress_mip; /* status lines on (o->progress): points at has_int */
static int g_verbose = -1; /* GLPK's terminal output is on (1), off (0), unknown (-1) */
static int progress_line(int is_mip, const char *s);
static int term_hook(void *info, const char *s)
{
    (void)info;
    if (glp_at_error())
        return 0;
    /* the simplex, interior point or branch and bound reports progress:
     * from here on a signal is seen at its reports (not at presolve's) */
    if (strstr(s, ": obj") || strstr(s, "objval") || strstr(s, ": mip"))
        cn_signals_quick_exit(NULL);
    if (g_stop_jb && (g_stop || cn_signals_pending())) {
        g_stopped = 1;
        longjmp(*g_stop_jb, 1);
    }
    if (g_progress_mip)
        return progress_line(*g_progress_mip, s);
    return g_hook_verbose ? 0 : 1;
}

static int guard_failed(void)
{
    glp_error_hook(NULL, NULL);
    glp_free_env();
    g_env_gen++;
    g_verbose = -1; /* a fresh environment: its terminal output is on */
    g_stop_jb = NULL;
    g_progress_mip = NULL;
    if (g_stopped) {
        g_stopped = 0;
        return CN_ERR(CN_ETEMPFAIL, "interrupted by %s while solving: GLPK stopped (its state "
                      "cannot be saved); nothing was written; run the same command again",
                      cn_signals_name());
    }
    return CN_ERR(CN_ESOFTWARE, "GLPK failed with a fatal error (see its message above); its "
                  "state was reset");
}

#define GUARD_BEGIN(jb, on_fail)                                              \
    if (setjmp(jb)) {                                                         \
        int grc_ = guard_failed();                                            \
        on_fail;                                                              \
        return grc_;                                                          \
    }                                                                         \
    glp_error_hook(error_hook, &(jb))
#define GUARD_END() glp_error_hook(NULL, NULL)

static int is_dead(const cn_glpk *g) { return g->env_gen != g_env_gen; }
#define LIVE_OR_FAIL(g)                                                       \
    do {                                                                      \
        if (is_dead(g))                                                       \
            return CN_ERR(CN_ESOFTWARE, "GLPK problem lost in the reset after " \
                          "an earlier fatal GLPK error");                     \
    } while (0)

static int bounds_type(double lo, double hi)
{
    if (isinf(lo) && isinf(hi))
        return GLP_FR;
    if (isinf(hi))
        return GLP_LO;
    if (isinf(lo))
        return GLP_UP;
    return lo == hi ? GLP_FX : GLP_DB;
}

/* NaN is accepted silently by GLPK and breaks it later: refuse it here. */
static int check_finite(const cn_lp *lp)
{
    for (int64_t j = 0; j < lp->ncols; j++)
        if (!isfinite(lp->obj[j]) || isnan(lp->lb[j]) || isnan(lp->ub[j]) ||
            lp->lb[j] > lp->ub[j])
            return CN_ERR(CN_ESOFTWARE, "column %lld has a bad cost %g or bounds [%g, %g]",
                          (long long)j, lp->obj[j], lp->lb[j], lp->ub[j]);
    for (int64_t i = 0; i < lp->nrows; i++)
        if (isnan(lp->row_lo[i]) || isnan(lp->row_hi[i]) || lp->row_lo[i] > lp->row_hi[i])
            return CN_ERR(CN_ESOFTWARE, "row %lld has bad bounds [%g, %g]", (long long)i,
                          lp->row_lo[i], lp->row_hi[i]);
    for (int64_t p = 0; p < lp->nnz; p++)
        if (!isfinite(lp->val[p]))
            return CN_ERR(CN_ESOFTWARE, "coefficient %lld is %g", (long long)p, lp->val[p]);
    if (lp->ncols >= INT32_MAX || lp->nrows >= INT32_MAX || lp->nnz >= INT32_MAX)
        return CN_ERR(CN_ESOFTWARE, "model too large for GLPK: %lld columns, %lld rows, "
                      "%lld nonzeros (limit 2^31 each)", (long long)lp->ncols,
                      (long long)lp->nrows, (long long)lp->nnz);
    return CN_OK;
}

static int load_cols(glp_prob *P, int first, int64_t ncols, const double *obj, const double *lb,
                     const double *ub, const char *is_int, const int64_t *colptr,
                     const int32_t *rowind, const double *val)
{
    int64_t maxlen = 0;
    for (int64_t j = 0; j < ncols; j++)
        if (colptr[j + 1] - colptr[j] > maxlen)
            maxlen = colptr[j + 1] - colptr[j];
    int *ind = cn_calloc((size_t)maxlen + 1, sizeof *ind);
    double *v = cn_calloc((size_t)maxlen + 1, sizeof *v);
    if (!ind || !v) {
        free(ind);
        free(v);
        return CN_EOSERR;
    }
    for (int64_t j = 0; j < ncols; j++) {
        int c = first + (int)j;
        glp_set_col_bnds(P, c, bounds_type(lb[j], ub[j]), isinf(lb[j]) ? 0.0 : lb[j],
                         isinf(ub[j]) ? 0.0 : ub[j]);
        glp_set_obj_coef(P, c, obj[j]);
        if (is_int && is_int[j])
            glp_set_col_kind(P, c, GLP_IV);
        int len = 0;
        for (int64_t p = colptr[j]; p < colptr[j + 1]; p++) {
            ind[++len] = rowind[p] + 1;
            v[len] = val[p];
        }
        glp_set_mat_col(P, c, len, ind, v);
    }
    free(ind);
    free(v);
    return CN_OK;
}

/* glp_scale_prob(P, GLP_SF_AUTO)'s factors, computed on a copy of the
 * matrix (solver/lp_scale.h); GLPK's own where the copy cannot be
 * allocated. */
static void scale(glp_prob *P)
{
    int m = glp_get_num_rows(P), n = glp_get_num_cols(P), nz = glp_get_num_nz(P);
    int *ind = cn_calloc((size_t)m + 1, sizeof *ind), *cp = cn_calloc((size_t)n + 1, sizeof *cp);
    int *ri = cn_calloc((size_t)nz + 1, sizeof *ri);
    double *val = cn_calloc((size_t)m + 1, sizeof *val), *a = cn_calloc((size_t)nz + 1, sizeof *a);
    double *r = cn_calloc((size_t)m + 1, sizeof *r), *s = cn_calloc((size_t)n + 1, sizeof *s);
    int ok = ind && cp && ri && val && a && r && s;
    for (int j = 0; ok && j < n; j++) {
        int len = glp_get_mat_col(P, j + 1, ind, val);
        cp[j + 1] = cp[j] + len;
        for (int q = 1; q <= len; q++) {
            ri[cp[j] + q - 1] = ind[q] - 1;
            a[cp[j] + q - 1] = fabs(val[q]);
        }
    }
    if (ok && cn_scale_auto(m, n, cp, ri, a, r, s) == CN_OK) {
        for (int i = 0; i < m; i++)
            glp_set_rii(P, i + 1, r[i]);
        for (int j = 0; j < n; j++)
            glp_set_sjj(P, j + 1, s[j]);
    } else
        glp_scale_prob(P, GLP_SF_AUTO);
    free(ind);
    free(cp);
    free(ri);
    free(val);
    free(a);
    free(r);
    free(s);
}

/* GLPK prints to the terminal (scaling notes, ill-conditioning warnings);
 * only -vv (debug) shows that. */
static void term_out(int verbose)
{
    if (g_verbose != verbose) {
        glp_term_out(verbose ? GLP_ON : GLP_OFF);
        g_verbose = verbose;
    }
}

int cn_glpk_create(const cn_lp *lp, cn_glpk **out)
{
    term_out(cn_log_level() >= CN_LOG_DEBUG);
    int rc = check_finite(lp);
    if (rc != CN_OK)
        return rc;
    jmp_buf jb;
    GUARD_BEGIN(jb, (void)0);
    glp_prob *P = glp_create_prob();
    glp_set_obj_dir(P, GLP_MIN);
    if (lp->nrows > 0)
        glp_add_rows(P, (int)lp->nrows);
    for (int64_t i = 0; i < lp->nrows; i++) {
        double lo = lp->row_lo[i], hi = lp->row_hi[i];
        glp_set_row_bnds(P, (int)i + 1, bounds_type(lo, hi), isinf(lo) ? 0.0 : lo,
                         isinf(hi) ? 0.0 : hi);
    }
    if (lp->ncols > 0)
        glp_add_cols(P, (int)lp->ncols);
    rc = load_cols(P, 1, lp->ncols, lp->obj, lp->lb, lp->ub, lp->is_int, lp->colptr,
                   lp->rowind, lp->val);
    GUARD_END();
    if (rc == CN_OK)
        scale(P); /* costs span 1e0..1e9 yuan: scale */
    cn_glpk *g = rc == CN_OK ? cn_calloc(1, sizeof *g) : NULL;
    if (!g) {
        glp_delete_prob(P);
        return rc != CN_OK ? rc : CN_EOSERR;
    }
    g->P = P;
    g->env_gen = g_env_gen;
    g->nrows = lp->nrows;
    g->ncols = lp->ncols;
    for (int64_t j = 0; j < lp->ncols && !g->has_int; j++)
        g->has_int = lp->is_int[j];
    *out = g;
    return CN_OK;
}

void cn_glpk_destroy(cn_glpk **pg)
{
    if (!pg || !*pg)
        return;
    if ((*pg)->P && !is_dead(*pg))
        glp_delete_prob((*pg)->P);
    sift_free(*pg);
    free(*pg);
    *pg = NULL;
}

int64_t cn_glpk_ncols(const cn_glpk *g) { return g->ncols; }
int cn_glpk_sift_rounds(const cn_glpk *g) { return g->sift_rounds; }
int cn_glpk_sift_dropped(const cn_glpk *g) { return g->sift_dropped; }

int cn_glpk_del_cols(cn_glpk *g, int64_t n, const int64_t *cols)
{
    if (n <= 0)
        return CN_OK;
    LIVE_OR_FAIL(g);
    int *num = cn_calloc((size_t)n + 1, sizeof *num);
    if (!num)
        return CN_EOSERR;
    for (int64_t i = 0; i < n; i++) {
        if (cols[i] < 0 || cols[i] >= g->ncols) {
            free(num);
            return CN_ERR(CN_ESOFTWARE, "column %lld to delete is out of range (%lld columns)",
                          (long long)cols[i], (long long)g->ncols);
        }
        num[i + 1] = (int)cols[i] + 1;
    }
    jmp_buf jb;
    GUARD_BEGIN(jb, free(num));
    glp_del_cols(g->P, (int)n, num);
    GUARD_END();
    free(num);
    g->ncols -= n;
    return CN_OK;
}

void cn_glpk_rescale(cn_glpk *g)
{
    if (!is_dead(g))
        scale(g->P);
}

void cn_glpk_scale_get(const cn_glpk *g, double *r, double *s)
{
    int dead = is_dead(g);
    for (int64_t i = 0; i < g->nrows; i++)
        r[i] = dead ? 1.0 : glp_get_rii(g->P, (int)i + 1);
    for (int64_t j = 0; j < g->ncols; j++)
        s[j] = dead ? 1.0 : glp_get_sjj(g->P, (int)j + 1);
}

int cn_glpk_set_obj(cn_glpk *g, const double *obj, int64_t n)
{
    LIVE_OR_FAIL(g);
    for (int64_t j = 0; j < n; j++)
        if (!isfinite(obj[j]))
            return CN_ERR(CN_ESOFTWARE, "objective coefficient %lld is %g", (long long)j, obj[j]);
    for (int64_t j = 0; j < n && j < g->ncols; j++)
        glp_set_obj_coef(g->P, (int)j + 1, obj[j]);
    return CN_OK;
}

int cn_glpk_add_cols(cn_glpk *g, int64_t ncols, const double *obj, const double *lb,
                     const double *ub, const int64_t *colptr, const int32_t *rowind,
                     const double *val)
{
    if (ncols <= 0)
        return CN_OK;
    LIVE_OR_FAIL(g);
    for (int64_t j = 0; j < ncols; j++)
        if (!isfinite(obj[j]) || isnan(lb[j]) || isnan(ub[j]))
            return CN_ERR(CN_ESOFTWARE, "new column %lld has cost %g bounds [%g, %g]",
                          (long long)j, obj[j], lb[j], ub[j]);
    for (int64_t p = colptr[0]; p < colptr[ncols]; p++)
        if (!isfinite(val[p]) || rowind[p] < 0 || rowind[p] >= g->nrows)
            return CN_ERR(CN_ESOFTWARE, "new coefficient %lld: row %d value %g", (long long)p,
                          rowind[p], val[p]);
    int rc;
    jmp_buf jb;
    GUARD_BEGIN(jb, (void)0);
    int first = glp_add_cols(g->P, (int)ncols);
    rc = load_cols(g->P, first, ncols, obj, lb, ub, NULL, colptr, rowind, val);
    GUARD_END();
    g->ncols += ncols;
    return rc;
}

static int sol_alloc(cn_lp_solution *sol, int64_t ncols, int64_t nrows, int duals)
{
    memset(sol, 0, sizeof *sol);
    sol->col_value = cn_calloc((size_t)ncols, sizeof *sol->col_value);
    if (!sol->col_value)
        return CN_EOSERR;
    if (duals) {
        sol->row_dual = cn_calloc((size_t)nrows, sizeof *sol->row_dual);
        sol->col_dual = cn_calloc((size_t)ncols, sizeof *sol->col_dual);
        if (!sol->row_dual || !sol->col_dual)
            return CN_EOSERR;
    }
    return CN_OK;
}

void cn_lp_solution_free(cn_lp_solution *sol)
{
    free(sol->col_value);
    free(sol->row_dual);
    free(sol->col_dual);
    memset(sol, 0, sizeof *sol);
}

static int tm_lim_ms(double seconds)
{
    if (!(seconds > 0))
        return INT32_MAX;
    double ms = seconds * 1000.0;
    return ms >= (double)INT32_MAX ? INT32_MAX : (int)ms;
}

/* GLPK's time limit for what is left of o->time_limit_s since t0 (glp_time):
 * none without a limit, at least 1 ms once it is spent */
static int left_ms(const cn_glpk_opts *o, double t0)
{
    if (!(o->time_limit_s > 0))
        return INT32_MAX;
    double left = o->time_limit_s - glp_difftime(glp_time(), t0);
    return left > 0.001 ? tm_lim_ms(left) : 1;
}

/* The enum cn_status of a simplex solution (glp_simplex or glp_exact) that
 * returned ret: an optimum reached only up to a limit is feasible. */
static int simplex_status(glp_prob *P, int ret)
{
    switch (glp_get_status(P)) {
    case GLP_OPT: return ret == 0 ? CN_STATUS_OPTIMAL : CN_STATUS_FEASIBLE;
    case GLP_FEAS: return CN_STATUS_FEASIBLE;
    case GLP_NOFEAS: return CN_STATUS_INFEASIBLE;
    case GLP_UNBND: return CN_STATUS_UNBOUNDED;
    default: return CN_STATUS_NO_SOLUTION;
    }
}

/* glp_simplex from the problem's basis; from a fresh advanced basis once
 * more when that basis is stale (columns added) or the simplex fails on it
 * numerically (GLP_EFAIL, seen on a master of --blocks part-period after
 * 120 rounds) */
static int simplex_or_restart(glp_prob *P, const glp_smcp *parm)
{
    int ret = glp_simplex(P, parm);
    if (ret == GLP_EBADB || ret == GLP_ESING || ret == GLP_ECOND || ret == GLP_EFAIL) {
        glp_adv_basis(P, 0);
        ret = glp_simplex(P, parm);
    }
    return ret;
}

/* Sifting (a column decomposition of the primal simplex) for an LP with far
 * more columns than rows: the simplex runs on a working set of columns, the
 * others fixed at their lower bound (GLPK's simplex leaves fixed nonbasic
 * columns out of its working LP); the rest are priced against the duals
 * (d_j = c_j - sum_i a_ij y_i, a pass over the matrix) and the most negative
 * m join the set; when none is negative the basis is optimal for the whole
 * LP.  Candidates are the columns of [0, o->sift_cols) with a finite lower
 * bound; the others are always in.
 * - cold: the first set holds, of the candidates, each row's cheapest
 *   column; the simplex starts from GLPK's advanced basis;
 * - warm (a basis still primal feasible, e.g. a pricing LP whose costs
 *   changed): the candidates nonbasic at their lower bound wait outside, the
 *   basic ones stay, and a pricing at the basis's duals brings the most
 *   negative in before the first simplex; fixing a nonbasic column where it
 *   rests moves neither the point nor the basis.
 * After a round's optimum, before the pricing, the set's columns nonbasic at
 * their lower bound with a positive reduced cost leave it (sift_drop), but
 * only after a round that lowered the objective.  Each round adds at least
 * one column and drops end (see the loop), so the loop ends.  Measured in
 * docs/benchmarks.md ("Sifting", "Warm sifting", "Sifting that drops").  Leaves the problem with
 * its own bounds and the last basis (run_simplex then solves the whole LP
 * from it); after a longjmp out of GLPK the problem is dead anyway
 * (GUARD_BEGIN). */
typedef struct sift_neg {
    double d;
    int j;
} sift_neg;
static int sift_neg_cmp(const void *a, const void *b)
{
    double x = ((const sift_neg *)a)->d, y = ((const sift_neg *)b)->d;
    return x < y ? -1 : x > y;
}

/* the candidates of the first working set that wait outside (w->out) */
static void sift_first_set(glp_prob *P, sift_work *w, int m, int K, int warm)
{
    for (int j = 1; j <= K; j++) {
        w->type[j] = glp_get_col_type(P, j);
        if (w->type[j] != GLP_LO && w->type[j] != GLP_DB)
            continue;            /* no finite lower bound to rest at: always in */
        w->lb[j] = glp_get_col_lb(P, j);
        w->ub[j] = glp_get_col_ub(P, j);
        if (warm && glp_get_col_stat(P, j) != GLP_NL)
            continue;            /* basic (or elsewhere): stays */
        w->out[j] = 1;
        if (warm)
            continue;
        double c = glp_get_obj_coef(P, j);
        int k = glp_get_mat_col(P, j, w->ind, w->val);
        for (int q = 1; q <= k; q++)
            if (!w->best[w->ind[q]] || c < w->bestc[w->ind[q]]) {
                w->best[w->ind[q]] = j;
                w->bestc[w->ind[q]] = c;
            }
    }
    if (!warm)
        for (int i = 1; i <= m; i++)
            if (w->best[i])
                w->out[w->best[i]] = 0;
}

/* Prices the columns outside at the basis's row duals; the most negative, at
 * most m, join the working set.  Returns how many joined; *nneg: how many
 * were negative. */
static int sift_price(glp_prob *P, sift_work *w, int m, int K, int *nneg_out)
{
    for (int i = 1; i <= m; i++)
        w->y[i] = glp_get_row_dual(P, i);
    int nneg = 0;
    for (int j = 1; j <= K; j++) {
        if (!w->out[j])
            continue;
        double c = glp_get_obj_coef(P, j), d = c;
        int k = glp_get_mat_col(P, j, w->ind, w->val);
        for (int q = 1; q <= k; q++)
            d -= w->val[q] * w->y[w->ind[q]];
        if (d < -1e-9 * (1.0 + fabs(c))) {
            w->neg[nneg].d = d;
            w->neg[nneg++].j = j;
        }
    }
    int add = nneg < m ? nneg : m;
    if (nneg > add)
        qsort(w->neg, (size_t)nneg, sizeof *w->neg, sift_neg_cmp);
    for (int q = 0; q < add; q++) {
        int j = w->neg[q].j;
        glp_set_col_bnds(P, j, w->type[j], w->lb[j], w->ub[j]);
        glp_set_col_stat(P, j, GLP_NL);
        w->out[j] = 0;
    }
    *nneg_out = nneg;
    return add;
}

/* Columns of the working set that an optimum of it leaves nonbasic at their
 * lower bound with a positive reduced cost wait outside again (fixed where
 * they rest: neither the point nor the basis moves); the next pricing may
 * bring them back.  So the working set stays near the columns that matter
 * and GLPK's pivots, which cost in proportion to it, stay cheap
 * (docs/benchmarks.md "Sifting that drops").  Returns how many left. */
static int sift_drop(glp_prob *P, sift_work *w, int K)
{
    int nd = 0;
    for (int j = 1; j <= K; j++) {
        if (w->out[j] || (w->type[j] != GLP_LO && w->type[j] != GLP_DB) ||
            glp_get_col_stat(P, j) != GLP_NL)
            continue;
        double c = glp_get_obj_coef(P, j);
        if (glp_get_col_dual(P, j) > 1e-7 * (1.0 + fabs(c))) {
            glp_set_col_bnds(P, j, GLP_FX, w->lb[j], w->lb[j]);
            glp_set_col_stat(P, j, GLP_NS);
            w->out[j] = 1;
            nd++;
        }
    }
    return nd;
}

static int run_sifting(cn_glpk *g, const cn_glpk_opts *o, glp_smcp *parm, double t0, int warm)
{
    glp_prob *P = g->P;
    int m = (int)g->nrows, n = glp_get_num_cols(P);
    int K = (int)(o->sift_cols < n ? o->sift_cols : n);
    /* the buffers hang on g: a signal or a GLPK error leaves this function
     * by longjmp (GUARD_BEGIN), and cn_glpk_destroy then frees them */
    sift_free(g);
    sift_work *w = g->sift = cn_calloc(1, sizeof *w);
    if (!w)
        return CN_EOSERR;
    w->ind = cn_calloc((size_t)m + 1, sizeof *w->ind);
    w->val = cn_calloc((size_t)m + 1, sizeof *w->val);
    w->y = cn_calloc((size_t)m + 1, sizeof *w->y);
    w->bestc = cn_calloc((size_t)m + 1, sizeof *w->bestc);
    w->best = cn_calloc((size_t)m + 1, sizeof *w->best);
    w->out = cn_calloc((size_t)K + 1, 1);
    w->type = cn_calloc((size_t)K + 1, sizeof *w->type);
    w->lb = cn_calloc((size_t)K + 1, sizeof *w->lb);
    w->ub = cn_calloc((size_t)K + 1, sizeof *w->ub);
    w->neg = cn_calloc((size_t)K + 1, sizeof *w->neg);
    if (!w->ind || !w->val || !w->y || !w->bestc || !w->best || !w->out || !w->type ||
        !w->lb || !w->ub || !w->neg) {
        sift_free(g);
        return CN_EOSERR;
    }
    double ts = glp_time();
    int it0 = glp_get_it_cnt(P), nout = 0, rounds = 0, added = 0, dropped = 0;
    double zdrop = 0;
    sift_first_set(P, w, m, K, warm);
    for (int j = 1; j <= K; j++)
        if (w->out[j]) {
            glp_set_col_bnds(P, j, GLP_FX, w->lb[j], w->lb[j]);
            glp_set_col_stat(P, j, GLP_NS);
            nout++;
        }
    int first = n - nout;
    if (!warm)
        glp_adv_basis(P, 0);
    for (;;) {
        rounds++;
        /* warm (1): the basis is feasible but optimal for nothing yet; price
         * before solving; a start (2) may be infeasible: solve first */
        if (warm != 1 || rounds > 1) {
            parm->tm_lim = left_ms(o, t0);
            int ret = simplex_or_restart(P, parm);
            /* a limit, an error, or a working set without an optimum
             * (infeasible or unbounded: the whole LP decides, after) ends
             * the sifting */
            if (ret != 0 || glp_get_status(P) != GLP_OPT || nout == 0)
                break;
        }
        /* dropping only after a round that lowered the objective: the
         * objective falls strictly from one drop to the next, so no working
         * set comes back with the same basis, drops end, and then the
         * sifting ends as without them */
        double z = glp_get_obj_val(P);
        int nd = 0;
        if (rounds == 1 || z < zdrop - 1e-9 * (1.0 + fabs(z))) {
            nd = sift_drop(P, w, K);
            nout += nd;
            dropped += nd;
            zdrop = z;
        }
        int nneg, add = sift_price(P, w, m, K, &nneg);
        nout -= add;
        added += add;
        cn_log(CN_LOG_DEBUG, "sifting round %d: objective %.10g, %d pivots so far, %d dropped, "
               "%d negative reduced costs, %d columns added, %d left out", rounds, z,
               glp_get_it_cnt(P) - it0, nd, nneg, add, nout);
        /* done when nothing prices in at a working set's optimum; a warm
         * start's first pricing comes before any simplex, and the columns
         * that are always in may still improve (the period start's shift
         * columns): that working set is solved first */
        if (add == 0 && (warm != 1 || rounds > 1))
            break;
    }
    /* every column left out back to its bounds, nonbasic at the lower bound
     * it rested at: the basis and the point stay as they are */
    for (int j = 1; j <= K; j++)
        if (w->out[j]) {
            glp_set_col_bnds(P, j, w->type[j], w->lb[j], w->ub[j]);
            glp_set_col_stat(P, j, GLP_NL);
        }
    g->sift_rounds = rounds;
    g->sift_dropped = dropped;
    cn_log(CN_LOG_DEBUG,
           "sifting%s: %d rounds, %d pivots, working set %d + %d of %d columns, %d dropped (%.2f s)",
           warm ? " (warm)" : "", rounds, glp_get_it_cnt(P) - it0, first, added, n, dropped,
           glp_difftime(glp_time(), ts));
    sift_free(g);
    return CN_OK;
}

/* Simplex on g->P; fills status (enum cn_status).  Uses the basis of an
 * earlier solve when there is one (warm start), else presolves or starts
 * from GLPK's advanced basis. */
static int run_simplex(cn_glpk *g, const cn_glpk_opts *o, int *status)
{
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = o->verbose || o->progress || o->interruptible ? GLP_MSG_ON : GLP_MSG_ERR;
    if (o->interruptible) /* a report, so a chance to stop, every 0.2 s (-vv: 1 s) */
        parm.out_frq = o->verbose ? 1000 : 200;
    else if (o->progress)
        parm.out_frq = 1000;   /* ms: a status line a second */
    parm.meth = o->dual_simplex ? GLP_DUALP : GLP_PRIMAL;
    parm.tm_lim = tm_lim_ms(o->time_limit_s);
    parm.presolve = (!g->solved && o->presolve) ? GLP_ON : GLP_OFF;
    double t0 = glp_time();
    if (!g->solved && !o->presolve && !o->dual_simplex && o->sift && o->sift_cols > 0 &&
        !g->has_int) {
        /* a basis optimal for the working set, then the whole LP from it */
        int rc = run_sifting(g, o, &parm, t0, 0);
        if (rc != CN_OK)
            return rc;
        parm.tm_lim = left_ms(o, t0);
    } else if (!g->solved && !o->presolve)
        glp_adv_basis(g->P, 0);
    if (g->solved && glp_warm_up(g->P) != 0)
        glp_adv_basis(g->P, 0);
    else if (g->solved && o->sift && (o->sift_warm || o->sift_start) && o->sift_cols > 0 &&
             !o->dual_simplex && !g->has_int &&
             (glp_get_prim_stat(g->P) == GLP_FEAS || o->sift_start)) {
        /* a basis still primal feasible, or a start: sift from it */
        int rc = run_sifting(g, o, &parm, t0, glp_get_prim_stat(g->P) == GLP_FEAS ? 1 : 2);
        if (rc != CN_OK)
            return rc;
        parm.tm_lim = left_ms(o, t0);
    } else if (g->solved && !g->has_int && o->dual_warm &&
               glp_get_prim_stat(g->P) != GLP_FEAS && glp_get_dual_stat(g->P) == GLP_FEAS)
        /* bounds changed, costs not: the basis is still dual feasible, the
         * dual simplex's starting point (GLP_DUALP: the primal one if it
         * fails) */
        parm.meth = GLP_DUALP;
    int ret = simplex_or_restart(g->P, &parm);
    if (ret == GLP_ENOPFS) {
        *status = CN_STATUS_INFEASIBLE;
        return CN_OK;
    }
    if (ret == GLP_ENODFS) {
        *status = CN_STATUS_UNBOUNDED;
        return CN_OK;
    }
    if (ret != 0 && ret != GLP_ETMLIM && ret != GLP_EITLIM)
        return CN_ERR(CN_ESOFTWARE, "glp_simplex failed with code %d", ret);
    g->solved = 1;
    *status = simplex_status(g->P, ret);
    return CN_OK;
}

/* Exact simplex (glp_exact, rational arithmetic) from the current basis: a
 * basis the double simplex left optimal is usually a few pivots from the
 * exact optimum.  Fills status like run_simplex. */
static int run_exact(cn_glpk *g, const cn_glpk_opts *o, int *status)
{
    glp_smcp parm;
    glp_init_smcp(&parm);
    /* its reports reach the terminal hook, where a signal stops it */
    parm.msg_lev = o->verbose || o->interruptible ? GLP_MSG_ON : GLP_MSG_ERR;
    parm.out_frq = o->interruptible ? 200 : 1000;
    parm.tm_lim = tm_lim_ms(o->time_limit_s);
    if (!g->solved)
        glp_adv_basis(g->P, 0);
    int ret = glp_exact(g->P, &parm);
    if (ret == GLP_EBADB || ret == GLP_ESING) {
        glp_std_basis(g->P); /* a basis glp_exact cannot use: start from the slacks */
        ret = glp_exact(g->P, &parm);
    }
    if (ret != 0 && ret != GLP_ETMLIM && ret != GLP_EITLIM)
        return CN_ERR(CN_ESOFTWARE, "glp_exact failed with code %d", ret);
    g->solved = 1;
    *status = simplex_status(g->P, ret);
    return CN_OK;
}

_Static_assert(CN_BASIS_BS == GLP_BS && CN_BASIS_NL == GLP_NL && CN_BASIS_NU == GLP_NU &&
               CN_BASIS_NF == GLP_NF && CN_BASIS_NS == GLP_NS, "enum cn_basis_stat is GLPK's");

int cn_glpk_basis_get(const cn_glpk *g, unsigned char **basis, int64_t *n)
{
    if (!g->solved || g->has_int || is_dead(g))
        return CN_EUSAGE;
    unsigned char *b = cn_calloc((size_t)(g->nrows + g->ncols) + 1, 1);
    if (!b)
        return CN_EOSERR;
    for (int64_t i = 0; i < g->nrows; i++)
        b[i] = (unsigned char)glp_get_row_stat(g->P, (int)i + 1);
    for (int64_t j = 0; j < g->ncols; j++)
        b[g->nrows + j] = (unsigned char)glp_get_col_stat(g->P, (int)j + 1);
    *basis = b;
    *n = g->nrows + g->ncols;
    return CN_OK;
}

int cn_glpk_basis_set(cn_glpk *g, const unsigned char *basis, int64_t n)
{
    if (n != g->nrows + g->ncols || is_dead(g))
        return CN_EUSAGE;
    for (int64_t k = 0; k < n; k++) /* only GLPK's own codes reach GLPK */
        if (basis[k] < GLP_BS || basis[k] > GLP_NS)
            return CN_EUSAGE;
    for (int64_t i = 0; i < g->nrows; i++)
        glp_set_row_stat(g->P, (int)i + 1, basis[i]);
    for (int64_t j = 0; j < g->ncols; j++)
        glp_set_col_stat(g->P, (int)j + 1, basis[g->nrows + j]);
    g->solved = 1; /* run_simplex: warm up from it, no presolve */
    return CN_OK;
}

static void read_simplex(glp_prob *P, int64_t ncols, int64_t nrows, cn_lp_solution *sol)
{
    for (int64_t j = 0; j < ncols; j++) {
        sol->col_value[j] = glp_get_col_prim(P, (int)j + 1);
        if (sol->col_dual)
            sol->col_dual[j] = glp_get_col_dual(P, (int)j + 1);
    }
    if (sol->row_dual)
        for (int64_t i = 0; i < nrows; i++)
            sol->row_dual[i] = glp_get_row_dual(P, (int)i + 1);
    sol->objective = glp_get_obj_val(P);
}

typedef struct mip_info {
    double bound;
    int have_bound;
} mip_info;

static void mip_callback(glp_tree *T, void *info)
{
    mip_info *mi = info;
    /* the best open node's bound, at every call: it only rises (minimising),
     * so the last one seen is the best known when the search stops */
    int p = glp_ios_best_node(T);
    if (p) {
        double b = glp_ios_node_bound(T, p);
        if (!mi->have_bound || b > mi->bound)
            mi->bound = b;
        mi->have_bound = 1;
    }
    if (g_stop || cn_signals_pending())
        glp_ios_terminate(T); /* SIGUSR1/SIGTERM: stop with the incumbent */
}

static int solve_mip(cn_glpk *g, const cn_glpk_opts *o, cn_lp_solution *sol)
{
    glp_iocp parm;
    glp_init_iocp(&parm);
    mip_info mi = {0.0, 0};
    parm.msg_lev = o->verbose || o->progress || o->interruptible ? GLP_MSG_ON : GLP_MSG_ERR;
    if (o->interruptible) /* a report, so a chance to stop, every 0.2 s (-vv: 1 s) */
        parm.out_frq = o->verbose ? 1000 : 200;
    else if (o->progress)
        parm.out_frq = 1000;   /* ms: a status line a second */
    parm.presolve = GLP_ON;
    parm.mip_gap = o->mip_gap;
    parm.tm_lim = tm_lim_ms(o->time_limit_s);
    parm.cb_func = mip_callback;
    parm.cb_info = &mi;
    int ret = glp_intopt(g->P, &parm);
    if (ret != 0 && ret != GLP_ETMLIM && ret != GLP_ESTOP && ret != GLP_EMIPGAP &&
        ret != GLP_ENOPFS && ret != GLP_ENODFS)
        return CN_ERR(CN_ESOFTWARE, "glp_intopt failed with code %d", ret);
    switch (glp_mip_status(g->P)) {
    case GLP_OPT: sol->status = CN_STATUS_OPTIMAL; break;
    case GLP_FEAS: sol->status = CN_STATUS_FEASIBLE; break;
    case GLP_NOFEAS: sol->status = CN_STATUS_INFEASIBLE; break;
    default: sol->status = CN_STATUS_NO_SOLUTION; break;
    }
    if (ret == GLP_ENOPFS)
        sol->status = CN_STATUS_INFEASIBLE;
    if (sol->status != CN_STATUS_OPTIMAL && sol->status != CN_STATUS_FEASIBLE)
        return CN_OK;
    for (int64_t j = 0; j < g->ncols; j++)
        sol->col_value[j] = glp_mip_col_val(g->P, (int)j + 1);
    sol->objective = glp_mip_obj_val(g->P);
    /* bound: a tree searched to the end (ret 0) proves the incumbent; a search
     * stopped at the relative gap proves obj - bound <= mip_gap * |obj| (GLPK's
     * gap), which may be better than the last open node's bound seen; a search
     * stopped early (time limit, signal) has the best open node's bound, or
     * none (-inf) */
    double obj = sol->objective;
    if (ret == 0 && sol->status == CN_STATUS_OPTIMAL)
        sol->bound = obj;
    else if (ret == GLP_EMIPGAP)
        sol->bound = fmin(obj, fmax(mi.have_bound ? mi.bound : -INFINITY,
                                    obj - o->mip_gap * (fabs(obj) + DBL_EPSILON)));
    else
        sol->bound = mi.have_bound ? fmin(mi.bound, obj) : -INFINITY;
    if (!o->want_duals)
        return CN_OK;
    /* shadow prices of the LP with the integer decisions fixed at the optimum;
     * GLPK marks an integer column with bounds 0..1 binary (GLP_BV), which is
     * integer too */
    for (int64_t j = 0; j < g->ncols; j++)
        if (glp_get_col_kind(g->P, (int)j + 1) != GLP_CV) {
            double y = round(sol->col_value[j]);
            glp_set_col_kind(g->P, (int)j + 1, GLP_CV);
            glp_set_col_bnds(g->P, (int)j + 1, GLP_FX, y, y);
        }
    cn_glpk_opts lo = *o;
    lo.presolve = 1;
    lo.time_limit_s = 0;
    int lp_status = CN_STATUS_NO_SOLUTION;
    int saved = g->solved;
    g->solved = 0;
    int rc = run_simplex(g, &lo, &lp_status);
    g->solved = saved;
    if (rc != CN_OK)
        return rc;
    if (lp_status != CN_STATUS_OPTIMAL)
        return CN_ERR(CN_ESOFTWARE, "the LP with integers fixed did not solve to optimality "
                      "(status %s)", cn_status_name(lp_status));
    /* the solution reported is the fixed LP's: the incumbent's integers with
     * the continuous part optimal for them (equal to the incumbent's up to
     * GLPK's tolerances, never worse), so the values, the duals and the
     * objective belong to one point and its cost parts sum to its objective */
    read_simplex(g->P, g->ncols, g->nrows, sol);
    sol->bound = fmin(sol->bound, sol->objective);
    return CN_OK;
}

/* Test hook CNOPT_TEST_GLPK_FAIL=RANK[:N] (docs/robustness.md): the Nth
 * solve (default the first) on rank RANK passes GLPK a column number out of
 * range, which is a GLPK fatal error: GLPK prints its message and calls the
 * error hook, as it would on a real internal failure.  N = 0 fails nothing
 * and prints a line per solve of that rank instead (to count them).  Call
 * inside the guard. */
static void test_glpk_fail(glp_prob *P)
{
    static long nsolves;
    const char *s = getenv("CNOPT_TEST_GLPK_FAIL");
    if (!s || !*s)
        return;
    char *end = NULL;
    long rank = strtol(s, &end, 10), at = 1;
    if (*end == ':')
        at = strtol(end + 1, NULL, 10);
    if (rank != cn_log_rank())
        return;
    nsolves++;
    if (at == 0)
        fprintf(stderr, "test hook CNOPT_TEST_GLPK_FAIL: GLPK solve #%ld on rank %ld\n", nsolves,
                rank);
    else if (nsolves == at)
        glp_set_obj_coef(P, glp_get_num_cols(P) + 1, 1.0); /* j out of range: fatal */
}

/* ---- progress on a terminal (o->progress) ----
 * GLPK reports its progress as terminal lines, about once a second (out_frq);
 * a terminal hook takes them instead of the terminal and turns them into
 * cn_progress status lines.  The formats are GLPK 5.0's: simplex
 * "*  1234: obj =  2.0e+10 inf =  0.0e+00 (12)", branch and bound
 * "+  1234: mip =  2.0e+10 >=  1.9e+10  2.9% (12; 0)" (or "mip = not found
 * yet"), interior point "  12: obj =  2.0e+10; rpi = ...; rdi = ...; gap = ...".
 * Other lines (GLPK's notes) are dropped, as without progress; error
 * messages pass through. */
static int progress_line(int is_mip, const char *s)
{
    /* simplex lines of a MIP are its LP relaxations */
    int it = 0, open = 0;
    double a = 0, b = 0, gap = 0;
    char rel[3];
    if (strstr(s, "rror"))
        return 0;
    if (s[0] == '+') {
        if (sscanf(s + 1, "%d: mip = %lf %2s %lf %lf%% (%d", &it, &a, rel, &b, &gap, &open) == 6)
            cn_progress("iteration %d, best integer %.9g, bound %.9g, gap %.2g%%, %d open nodes",
                        it, a, b, gap, open);
        else if (sscanf(s + 1, "%d:", &it) == 1 && strstr(s, "not found yet"))
            cn_progress("iteration %d, no integer solution yet", it);
    } else if (s[0] && sscanf(s + 1, "%d: obj = %lf inf = %lf", &it, &a, &b) == 3) {
        cn_progress("%siteration %d, objective %.9g, %s %.3g", is_mip ? "LP relaxation, " : "",
                    it, a, s[0] == '*' ? "infeasibility" : "phase 1, infeasibility", b);
    } else if (sscanf(s, "%d: obj = %lf; rpi = %*f; rdi = %*f; gap = %lf", &it, &a, &gap) == 3) {
        cn_progress("iteration %d, objective %.9g, relative gap %.3g", it, a, gap);
    }
    return 1;
}

int cn_glpk_solve(cn_glpk *g, const cn_glpk_opts *o, cn_lp_solution *sol)
{
    LIVE_OR_FAIL(g);
    int want_duals = o->want_duals;
    int rc = sol_alloc(sol, g->ncols, g->nrows, want_duals);
    if (rc != CN_OK) {
        cn_lp_solution_free(sol);
        return rc;
    }
    sol->status = CN_STATUS_NO_SOLUTION;
    g->sift_rounds = g->sift_dropped = 0;
    term_out(o->verbose);
    int progress = o->progress && !o->verbose;
    int hooked = progress || o->interruptible;
    if (progress)
        cn_progress_begin(g->has_int ? "branch and bound"
                          : o->method == CN_LP_INTERIOR ? "interior point" : "simplex");
    jmp_buf jb;
    GUARD_BEGIN(jb, (cn_lp_solution_free(sol), progress ? cn_progress_end() : (void)0));
    if (hooked) {
        /* GLPK's reports reach the hook: a signal leaves GLPK there, a
         * report becomes the status line, and the rest stays quiet below -vv */
        glp_term_hook(term_hook, NULL);
        glp_term_out(GLP_ON);
        g_verbose = 1;
        g_hook_verbose = o->verbose;
        g_progress_mip = progress ? &g->has_int : NULL;
        g_stop_jb = o->interruptible ? &jb : NULL;
    }
    test_glpk_fail(g->P);
    if (g->has_int) {
        rc = solve_mip(g, o, sol);
    } else if (o->method == CN_LP_INTERIOR) {
        glp_iptcp parm;
        glp_init_iptcp(&parm);
        parm.msg_lev = o->verbose || o->progress || o->interruptible ? GLP_MSG_ON : GLP_MSG_ERR;
        int ret = glp_interior(g->P, &parm);
        if (ret != 0 && ret != GLP_ENOCVG && ret != GLP_EITLIM && ret != GLP_EINSTAB &&
            ret != GLP_ENOFEAS)
            rc = CN_ERR(CN_ESOFTWARE, "glp_interior failed with code %d", ret);
        else {
            int st = glp_ipt_status(g->P);
            sol->status = st == GLP_OPT ? CN_STATUS_OPTIMAL
                        : st == GLP_NOFEAS ? CN_STATUS_INFEASIBLE : CN_STATUS_NO_SOLUTION;
            for (int64_t j = 0; j < g->ncols; j++) {
                sol->col_value[j] = glp_ipt_col_prim(g->P, (int)j + 1);
                if (sol->col_dual)
                    sol->col_dual[j] = glp_ipt_col_dual(g->P, (int)j + 1);
            }
            if (sol->row_dual)
                for (int64_t i = 0; i < g->nrows; i++)
                    sol->row_dual[i] = glp_ipt_row_dual(g->P, (int)i + 1);
            sol->objective = glp_ipt_obj_val(g->P);
            sol->bound = sol->objective;
        }
    } else {
        rc = o->exact ? run_exact(g, o, &sol->status) : run_simplex(g, o, &sol->status);
        if (rc == CN_OK && (sol->status == CN_STATUS_OPTIMAL || sol->status == CN_STATUS_FEASIBLE)) {
            read_simplex(g->P, g->ncols, g->nrows, sol);
            sol->bound = sol->status == CN_STATUS_OPTIMAL ? sol->objective : -INFINITY;
        }
    }
    sol->iterations = glp_get_it_cnt(g->P);
    if (hooked) {
        g_stop_jb = NULL;
        g_progress_mip = NULL;
        glp_term_hook(NULL, NULL);
        term_out(o->verbose);
    }
    GUARD_END();
    if (progress)
        cn_progress_end();
    if (rc != CN_OK)
        cn_lp_solution_free(sol);
    return rc;
}

typedef struct name_ctx {
    glp_prob *P;
} name_ctx;

static void set_row_name(void *ctx, int64_t row, const char *name)
{
    glp_set_row_name(((name_ctx *)ctx)->P, (int)row + 1, name);
}

int cn_glpk_write(const cn_derived *d, const cn_lp *lp, const char *mps_path,
                  const char *lp_path)
{
    cn_glpk *g = NULL;
    int rc = cn_glpk_create(lp, &g);
    if (rc != CN_OK)
        return rc;
    jmp_buf jb;
    GUARD_BEGIN(jb, cn_glpk_destroy(&g));
    char buf[512];
    glp_set_prob_name(g->P, d->m->sc.name ? d->m->sc.name : "cnopt");
    glp_set_obj_name(g->P, "cost_yuan");
    for (int64_t j = 0; j < lp->ncols; j++) {
        cn_lp_col_name(d, lp, j, buf, sizeof buf);
        glp_set_col_name(g->P, (int)j + 1, buf);
    }
    name_ctx ctx = {g->P};
    cn_lp_row_names(d, lp, set_row_name, &ctx);
    if (mps_path && glp_write_mps(g->P, GLP_MPS_FILE, NULL, mps_path) != 0)
        rc = CN_ERR(CN_ECANTCREAT, "cannot write MPS file '%s'", mps_path);
    if (rc == CN_OK && lp_path && glp_write_lp(g->P, NULL, lp_path) != 0)
        rc = CN_ERR(CN_ECANTCREAT, "cannot write LP file '%s'", lp_path);
    GUARD_END();
    cn_glpk_destroy(&g);
    return rc;
}
