/* solver/dw.c - Dantzig-Wolfe decomposition: options, set-up and the driver
 * loop (see dw.h, dw_int.h, docs/solver.md).
 *
 * Notation: coupling rows i (demand, link, carbon, hub share) with duals pi;
 * blocks (convexity groups: (site, period) by default) with duals mu.  A block column q
 * is an extreme point z_q of the block's polytope; the master holds only its
 * cost c_q = c.z_q and its coupling coefficients A_q = A z_q.  For duals pi,
 *   L(pi) = pi.b + sum over blocks of min_z (c - pi A) z
 * is a lower bound on the optimum (u's term is 0 because pi_demand <= its
 * penalty), and the master objective an upper bound.  Collective throughout;
 * every rank takes part in the same sequence of collectives. */
#include "dw.h"
#include "dw_int.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../base/log.h"
#include "../base/mpiutil.h"
#include "../base/signals.h"
#include "partition.h"

const char *cn_dw_blocks_name(int blocks)
{
    return blocks == CN_DW_BLOCKS_SITE_PERIOD ? "site-period"
         : blocks == CN_DW_BLOCKS_PART_PERIOD ? "part-period"
         : blocks == CN_DW_BLOCKS_PART ? "part"
         : blocks == CN_DW_BLOCKS_TIME ? "time" : "auto";
}

int cn_dw_blocks_parse(const char *name)
{
    for (int b = CN_DW_BLOCKS_SITE_PERIOD; b <= CN_DW_BLOCKS_AUTO; b++)
        if (!strcmp(name, cn_dw_blocks_name(b)))
            return b;
    return -1;
}

void cn_dw_opts_init(cn_dw_opts *o)
{
    memset(o, 0, sizeof *o);
    o->gap = 1e-6;
    o->max_iter = 10000;
    o->alpha = 0.5;
    o->part_method = CN_PART_METIS;
    o->fail_rank = -1;
    o->col_age_max = 8;
    o->blocks = CN_DW_BLOCKS_AUTO;
    o->chain = 0;
    o->sift = 1;
}

void cn_iterlog_free(cn_iterlog *log)
{
    free(log->iteration);
    free(log->master_obj);
    free(log->lower_bound);
    free(log->gap);
    free(log->elapsed_s);
    free(log->columns_added);
    memset(log, 0, sizeof *log);
}

int cn_iterlog_push(cn_iterlog *log, long it, double ub, double lb, double gap, long added,
                    double el)
{
    if ((log->n & (log->n - 1)) == 0) { /* grow at powers of two */
        size_t n = log->n ? (size_t)log->n * 2 : 16;
        long *a = cn_realloc(log->iteration, n, sizeof *a);
        if (!a) return CN_EOSERR;
        log->iteration = a;
        double *b = cn_realloc(log->master_obj, n, sizeof *b);
        if (!b) return CN_EOSERR;
        log->master_obj = b;
        b = cn_realloc(log->lower_bound, n, sizeof *b);
        if (!b) return CN_EOSERR;
        log->lower_bound = b;
        b = cn_realloc(log->gap, n, sizeof *b);
        if (!b) return CN_EOSERR;
        log->gap = b;
        b = cn_realloc(log->elapsed_s, n, sizeof *b);
        if (!b) return CN_EOSERR;
        log->elapsed_s = b;
        a = cn_realloc(log->columns_added, n, sizeof *a);
        if (!a) return CN_EOSERR;
        log->columns_added = a;
    }
    log->iteration[log->n] = it;
    log->master_obj[log->n] = ub;
    log->lower_bound[log->n] = lb;
    log->gap[log->n] = gap;
    log->columns_added[log->n] = added;
    log->elapsed_s[log->n] = el;
    log->n++;
    return CN_OK;
}

/* The time block: o->time_block, or the least common multiple of the class
 * windows (capped at the horizon), so that no window crosses a block.
 * Not collective. */
static int time_block_len(const cn_model *m, long want, long *len)
{
    long T = m->sc.periods, l = 1;
    for (int k = 0; k < m->nclasses; k++) {
        long wk = m->classes[k].window < T ? m->classes[k].window : T;
        if (want > 0 && want % wk != 0 && want < T)
            return CN_ERR(CN_EUSAGE, "--time-block %ld is not a multiple of the %ld-period "
                          "window of class '%s'", want, wk, m->classes[k].id);
        long a = l, b = wk;
        while (b) {
            long r = a % b;
            a = b;
            b = r;
        }
        l = l / a * wk;   /* l, wk <= T: no overflow */
        if (l > T)
            l = T;        /* capped, and every class's window still checked */
    }
    *len = want > 0 ? (want < T ? want : T) : l;
    return CN_OK;
}

/* First unit of chain c: chains of len time blocks, nchp of them a part (the
 * last of a part may be shorter); c may be one past the last chain. */
static long chain_first(long ntb, long len, long nchp, long c)
{
    return (c / nchp) * ntb + (c % nchp) * len;
}

/* The units [*u0, *u1) of rank `rank` when nranks ranks hold whole chains of
 * len time blocks of nparts parts, as evenly as whole chains allow: the one
 * layout of the solver (cn_solve_dw), the default chain and the memory
 * guard's share. */
static void chain_range(long ntb, long nparts, long len, int rank, int nranks, long *u0,
                        long *u1)
{
    long nchp = (ntb + len - 1) / len, nch = nparts * nchp;
    *u0 = chain_first(ntb, len, nchp, ((long)rank * nch) / nranks);
    *u1 = chain_first(ntb, len, nchp, ((long)(rank + 1) * nch) / nranks);
}

/* Units of the rank holding the most (chain_range). */
static long chain_worst_rank(long ntb, long nparts, long len, int nranks)
{
    long worst = 0, u0, u1;
    for (int r = 0; r < nranks; r++) {
        chain_range(ntb, nparts, len, r, nranks, &u0, &u1);
        worst = u1 - u0 > worst ? u1 - u0 : worst;
    }
    return worst;
}

/* The default chain: the longest up to a week of day blocks (7) with which no
 * rank holds more than 15 % above an even share of the units (the week on 2
 * ranks: 4, so that each rank has days; the year: 7 up to 8 ranks). */
static long chain_default(long ntb, long nparts, int nranks)
{
    long even = (ntb * nparts + nranks - 1) / nranks;
    for (long len = ntb < 7 ? ntb : 7; len > 1; len--)
        if (chain_worst_rank(ntb, nparts, len, nranks) * 100 <= even * 115)
            return len;
    return 1;
}

int cn_dw_plan_make(const cn_model *m, const cn_dw_opts *o, int nranks, cn_dw_plan *p)
{
    long T = m->sc.periods, tblen = T;
    int rc = time_block_len(m, o->time_block, &tblen);
    if (rc != CN_OK)
        return rc;
    long ntb = (T + tblen - 1) / tblen;
    int tmode = o->blocks == CN_DW_BLOCKS_TIME || (o->blocks == CN_DW_BLOCKS_AUTO && ntb >= 2);
    p->blocks = tmode ? CN_DW_BLOCKS_TIME
              : o->blocks == CN_DW_BLOCKS_AUTO ? CN_DW_BLOCKS_SITE_PERIOD : o->blocks;
    p->tblen = tmode ? tblen : T;
    p->ntb = tmode ? ntb : 1;
    /* default: about 8 sites a part, at least one part a rank; smaller parts
     * make the pricing LPs much cheaper (docs/benchmarks.md).  With time
     * blocks one part: the blocks are the days, and a part boundary would
     * put most demand rows into the master */
    int want = o->nparts > 0 ? o->nparts : tmode ? 1 : (m->nsites + 7) / 8;
    if (o->nparts <= 0 && !tmode && want < nranks)
        want = nranks;
    p->nparts = want;
    p->chain = !tmode ? 1 : o->chain > 0 ? (o->chain < ntb ? o->chain : ntb)
             : chain_default(ntb, want, nranks);
    return CN_OK;
}

double cn_dw_plan_rank_share(const cn_dw_plan *p, int rank, int nranks)
{
    if (nranks < 1)
        nranks = 1;
    long nparts = p->nparts > 0 ? p->nparts : 1, u0, u1;
    if (p->blocks != CN_DW_BLOCKS_TIME || p->ntb <= 0)
        return 1.0 / nranks;
    chain_range(p->ntb, nparts, p->chain, rank, nranks, &u0, &u1);
    return (double)(u1 - u0) / (double)(p->ntb * nparts);
}

/* Unit of cell (s, t). */
static int unit_of(const dw *w, int s, long t)
{
    return (int)(w->part[s] * w->ntb + t / w->tblen);
}

/* Unit of demand row i when all its cells lie in one unit, else -1 (a row
 * with no eligible site lies in part 0). */
static int drow_unit(const dw *w, long i)
{
    const cn_drow *r = &w->d->drows[i];
    if (r->t0 / w->tblen != (r->t1 - 1) / w->tblen)
        return -1;
    int u = r->arc1 > r->arc0 ? unit_of(w, w->d->arc_site[r->arc0], r->t0)
                              : (int)(r->t0 / w->tblen);
    for (int64_t a = r->arc0; a < r->arc1; a++)
        if (unit_of(w, w->d->arc_site[a], r->t0) != u)
            return -1;
    return u;
}

/* Time blocks: which rows couple units, decided over every rank's columns
 * (a row is local when all its columns, on whatever rank, lie in one unit).
 * Collective over w->comm. */
static int tmode_coupling(dw *w, char **coup_row)
{
    const cn_lp *lp = w->lp;
    int n = (int)lp->nrows;
    int *lo = cn_calloc((size_t)n + 1, sizeof *lo), *hi = cn_calloc((size_t)n + 1, sizeof *hi);
    char *c = cn_calloc((size_t)n + 1, 1);
    int rc = cn_mpi_agree(w->comm, lo && hi && c ? CN_OK : CN_EOSERR);
    if (rc == CN_OK) {
        for (int i = 0; i < n; i++) {
            lo[i] = w->nunits;
            hi[i] = -1;
        }
        for (int64_t j = 0; j < lp->ncols; j++)
            for (int64_t q = lp->colptr[j]; q < lp->colptr[j + 1]; q++) {
                int r = lp->rowind[q], u = w->col_unit[j];
                lo[r] = u < lo[r] ? u : lo[r];
                hi[r] = u > hi[r] ? u : hi[r];
            }
        MPI_Allreduce(MPI_IN_PLACE, lo, n, MPI_INT, MPI_MIN, w->comm);
        MPI_Allreduce(MPI_IN_PLACE, hi, n, MPI_INT, MPI_MAX, w->comm);
        for (int i = 0; i < n; i++)
            c[i] = hi[i] > lo[i];
        *coup_row = c;
        c = NULL;
    }
    free(lo);
    free(hi);
    free(c);
    return rc;
}

/* Collective over w->comm (the coupling rows of time blocks are agreed). */
static int setup(dw *w)
{
    const cn_derived *d = w->d;
    const cn_model *m = d->m;
    int rc = CN_OK;
    char *cells = NULL, *umask = NULL, *coup_row = NULL;
    int *du = NULL;  /* [drow] unit of each demand row (drow_unit), time blocks */
    w->T = m->sc.periods;
    w->part = cn_calloc((size_t)m->nsites, sizeof *w->part);
    if (!w->part)
        rc = CN_EOSERR;
    cn_dw_plan plan;
    memset(&plan, 0, sizeof plan);
    if (rc == CN_OK)
        rc = cn_dw_plan_make(m, w->o, w->size, &plan);
    w->tmode = plan.blocks == CN_DW_BLOCKS_TIME;
    w->ntb = w->tmode ? plan.ntb : 1;
    w->mode = plan.blocks;
    w->tblen = w->tmode ? plan.tblen : w->T;
    int want = plan.nparts;
    if (rc == CN_OK)
        rc = cn_partition(d, w->o->part_method, want, w->o->part_file, w->part, &w->nparts);
    rc = cn_mpi_agree(w->comm, rc);
    if (rc != CN_OK)
        return rc;
    if ((long)w->nparts * w->ntb > 1L << 30) {
        rc = CN_ERR(CN_EUSAGE, "%d parts x %ld time blocks: too many blocks", w->nparts, w->ntb);
        goto cleanup;
    }
    w->nunits = (int)(w->nparts * w->ntb);
    w->part_nsites = cn_calloc((size_t)w->nparts, sizeof *w->part_nsites);
    w->part_ngrp = cn_calloc((size_t)w->nunits, sizeof *w->part_ngrp);
    if (!w->part_nsites || !w->part_ngrp) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    for (int s = 0; s < m->nsites; s++)
        w->part_nsites[w->part[s]]++;
    w->nblk = 0;
    w->blk0 = cn_calloc((size_t)w->nunits + 1, sizeof *w->blk0);
    if (!w->blk0) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    for (int u = 0; u < w->nunits; u++) {
        w->part_ngrp[u] = dw_part_ngroups(w->mode, w->part_nsites[u / w->ntb], w->T);
        w->nblk += w->part_ngrp[u];
        w->blk0[u + 1] = w->nblk;
    }
    /* ranks hold whole chains of units (one unit a chain without chains), as
     * evenly as whole chains allow */
    w->chain = plan.chain;
    long nchp = (w->ntb + w->chain - 1) / w->chain, nch = (long)w->nparts * nchp;
    if (nch < w->size)
        cn_log(CN_LOG_WARN, "%ld %s for %d ranks: %ld ranks have none", nch,
               w->chain > 1 ? "chains of time blocks" : w->tmode ? "blocks" : "parts",
               w->size, w->size - nch);
    long u0, u1;
    chain_range(w->ntb, w->nparts, w->chain, w->rank, w->size, &u0, &u1);
    w->p0 = (int)u0;
    w->p1 = (int)u1;
    cells = cn_calloc((size_t)m->nsites * (size_t)w->T + 1, 1);
    umask = cn_calloc((size_t)d->ndrows + 1, 1);
    du = cn_calloc((size_t)d->ndrows + 1, sizeof *du);
    if (!cells || !umask || !du) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    for (int s = 0; s < m->nsites; s++)
        for (long t = 0; t < w->T; t++) {
            int u = unit_of(w, s, t);
            cells[(size_t)s * w->T + t] = u >= w->p0 && u < w->p1;
        }
    /* time blocks: a demand row inside one unit is that unit's (its u too) */
    for (long i = 0; i < d->ndrows; i++) {
        du[i] = w->tmode ? drow_unit(w, i) : -1;
        umask[i] = du[i] >= w->p0 && du[i] < w->p1;
    }
    rc = cn_lp_build_cells(d, cells, umask, &w->lp);
    if (rc != CN_OK)
        goto cleanup;
    w->col_unit = cn_calloc((size_t)w->lp->ncols + 1, sizeof *w->col_unit);
    if (!w->col_unit) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    for (int64_t j = 0; j < w->lp->ncols; j++)
        w->col_unit[j] = w->lp->col_site[j] >= 0
                       ? unit_of(w, w->lp->col_site[j], w->lp->col_t[j])
                       : du[w->lp->u_drow[j - w->lp->u0]];
cleanup:
    rc = cn_mpi_agree(w->comm, rc);
    if (rc == CN_OK && w->tmode)
        rc = tmode_coupling(w, &coup_row);
    if (rc == CN_OK)
        rc = dw_coupling_build(d, w->lp, coup_row, &w->cp);
    if (rc != CN_OK)
        goto out;
    w->row_map = cn_calloc((size_t)w->lp->nrows, sizeof *w->row_map);
    w->blocks = cn_calloc((size_t)(w->p1 - w->p0) + 1, sizeof *w->blocks);
    w->scratch = cn_calloc((size_t)w->cp.n + 1, sizeof *w->scratch);
    w->scratch_abs = cn_calloc((size_t)w->cp.n + 1, sizeof *w->scratch_abs);
    w->subgrad = cn_calloc((size_t)w->cp.n + 1, sizeof *w->subgrad);
    w->touched = cn_calloc((size_t)w->cp.n + 1, sizeof *w->touched);
    w->pi_sep = cn_calloc((size_t)w->cp.n + 1, sizeof *w->pi_sep);
    w->pi_center = cn_calloc((size_t)w->cp.n + 1, sizeof *w->pi_center);
    w->c0 = cn_calloc((size_t)w->nblk + 1, sizeof *w->c0);
    if (!w->row_map || !w->blocks || !w->scratch || !w->scratch_abs || !w->subgrad ||
        !w->touched || !w->pi_sep || !w->pi_center || !w->c0) {
        rc = CN_EOSERR;
        goto out;
    }
    /* a block's base point serves its own demand rows by u: their penalty
     * (every rank computes every block's, from the model) */
    for (long i = 0; i < d->ndrows; i++) {
        int u = du[i];
        if (u >= 0)
            w->c0[dw_part_block0(w, u)] += cn_model_weight(m, d->drows[i].t0) *
                m->sc.period_hours * m->classes[d->drows[i].cls].penalty * d->drows[i].demand;
    }
    for (int64_t i = 0; i < w->lp->nrows; i++)
        w->row_map[i] = -1;
    for (int p = w->p0; p < w->p1; p++) {
        rc = dw_block_build(w->lp, &w->cp, w->col_unit, p, w->row_map, w->T, w->mode,
                            &w->blocks[p - w->p0]);
        if (rc != CN_OK)
            break;
    }
out:
    free(cells);
    free(umask);
    free(du);
    free(coup_row);
    return rc;
}

static void dw_free(dw *w)
{
    if (w->blocks)
        for (int p = w->p0; p < w->p1; p++)
            dw_block_free(&w->blocks[p - w->p0]);
    free(w->blocks);
    free(w->part);
    free(w->part_nsites);
    free(w->part_ngrp);
    free(w->blk0);
    cn_lp_destroy(&w->lp);
    free(w->col_unit);
    free(w->c0);
    free(w->u_full);
    free(w->udual_full);
    dw_coupling_free(&w->cp);
    free(w->row_map);
    dw_master_free(&w->ms);
    free(w->pi_sep);
    free(w->pi_center);
    free(w->scratch);
    free(w->scratch_abs);
    free(w->subgrad);
    free(w->touched);
}

/* A run whose master objective and bound both stay put (relative 1e-9) this
 * many iterations is stalled, not converging (docs/solver.md "Verification"). */
#define DW_STALL_ITERS 50

/* Not collective.  CN_ETEMPFAIL, with the message on rank 0: stopped after
 * iteration it (by a signal, or the test hook CNOPT_TEST_STOP_AFTER). */
static int interrupted(const dw *w, const cn_dw_opts *o, long it)
{
    if (w->rank == 0)
        cn_err_set(CN_ETEMPFAIL, __func__, "interrupted%s after iteration %ld: %s; run "
                   "the same command again to resume", cn_signals_which() ? " by a signal" : "",
                   it, o->ckpt_path ? "checkpoint written" : "no checkpoint path");
    return CN_ETEMPFAIL;
}

/* A signal inside iteration it (its pricing or the master's simplex): the
 * iteration is given up (its tentative columns dropped), the checkpoint of
 * the one before is written when there is a path, and CN_ETEMPFAIL says so.
 * Collective over w->comm. */
static int give_up(dw *w, const cn_dw_opts *o, long it, int have_center)
{
    dw_store_drop_all(w);
    if (o->ckpt_path) {
        int rc = dw_checkpoint_write(w, it - 1, have_center);
        if (rc != CN_OK)
            return rc;
    }
    return interrupted(w, o, it - 1);
}

/* The run's relative gap between the master (ub) and the best bound (lb).
 * Not collective. */
static double rel_gap(double ub, double lb) { return (ub - lb) / fmax(1.0, fabs(ub)); }

/* The first cost of the elastic columns (dw_int.h "Elastic columns"): ten
 * times the dearest way any column of the model moves a hub green-share row
 * by one unit, max |c_j / a_ij| over the rows' entries, so that an elastic
 * value is dearer than any one column's own contribution; the driver raises
 * it tenfold whenever the penalised master's optimum still uses it.
 * Collective over w->comm (a maximum over the ranks' columns). */
static double elastic_cost(const dw *w)
{
    const cn_lp *lp = w->lp;
    double r = 0.0;
    for (int64_t j = 0; j < lp->ncols; j++)
        for (int64_t p = lp->colptr[j]; p < lp->colptr[j + 1]; p++) {
            int32_t i = w->cp.of_row[lp->rowind[p]];
            if (i >= w->cp.nd && w->cp.sense[i] == 'G' && lp->val[p] != 0.0)
                r = fmax(r, fabs(lp->obj[j] / lp->val[p]));
        }
    MPI_Allreduce(MPI_IN_PLACE, &r, 1, MPI_DOUBLE, MPI_MAX, w->comm);
    return 10.0 * fmax(r, 1.0);
}

int cn_solve_dw(const cn_derived *d, const cn_dw_opts *o, MPI_Comm comm, cn_result **out,
                int **site_owner, int *nparts, cn_iterlog *log)
{
    dw w;
    memset(&w, 0, sizeof w);
    w.d = d;
    w.o = o;
    w.comm = comm;
    MPI_Comm_rank(comm, &w.rank);
    MPI_Comm_size(comm, &w.size);
    const cn_model *m = d->m;
    cn_result *res = NULL;
    int *owner = NULL;
    char *flags = NULL;
    double *lambda = NULL, *rank_time = NULL;
    double t0 = MPI_Wtime();
    int rc = CN_OK;
    memset(log, 0, sizeof *log);
    *out = NULL;
    *site_owner = NULL;

    if (d->size.ny > 0) /* a MIP: cn_solve takes Benders, whose subproblems come here */
        return CN_ERR(CN_ESOFTWARE, "the decomposition solves LPs; expansion: true makes a MIP");
    rc = cn_mpi_agree(comm, setup(&w));  /* collective inside, agreed again */
    if (rc != CN_OK)
        goto cleanup;
    int64_t nblk = w.nblk;  /* convexity blocks, part-major */
    flags = cn_calloc((size_t)nblk + 1, 1);
    int lrc = flags ? CN_OK : CN_EOSERR;
    /* elastic rows only with time blocks, whose base points (u = D) trap
     * the master; with site modes the zero columns of each (site, period)
     * already meet the share rows in combination, and a master stopped by
     * --time-limit then keeps a feasible point (docs/solver.md) */
    double e_cost = w.tmode ? elastic_cost(&w) : 0.0;  /* collective (tmode on every rank) */
    if (w.rank == 0 && lrc == CN_OK) {
        lrc = dw_master_build(&w.cp, nblk, w.c0, e_cost, &w.ms);
        if (lrc == CN_OK)
            lrc = dw_master_solve(&w.ms, 1, 0.0);
    }
    rc = cn_mpi_agree(comm, lrc);
    if (rc != CN_OK)
        goto cleanup;
    if (w.rank == 0 && w.chain > 1)
        cn_log(CN_LOG_INFO, "decomposition: chains of %ld time blocks (a block's first solve "
               "starts from the basis of the block before it in its chain)", w.chain);
    if (w.rank == 0)
        cn_log(CN_LOG_INFO, "decomposition: %d parts x %ld time blocks of %ld periods on %d "
               "ranks, %lld blocks (%s); master %lld rows = %lld coupling (demand %lld, link "
               "%lld, carbon %lld, hub green %lld) + %lld convexity; %lld demand rows inside "
               "blocks", w.nparts, w.ntb, w.tblen, w.size, (long long)nblk,
               cn_dw_blocks_name(w.mode), (long long)(w.cp.n + nblk),
               (long long)w.cp.n, (long long)w.cp.nkind[0], (long long)w.cp.nkind[1],
               (long long)w.cp.nkind[2], (long long)w.cp.nkind[3], (long long)nblk,
               (long long)w.cp.nlocal_demand);
    if (w.rank == 0 && w.ms.ne > 0)
        cn_log(CN_LOG_INFO, "decomposition: %lld elastic columns on the hub green-share rows at "
               "cost %.6g (docs/solver.md \"Elastic rows\")", (long long)w.ms.ne, w.ms.e_cost);

    w.lb = -INFINITY;
    double auto_alpha = o->alpha;
    double alpha = o->alpha, used_alpha = 0.0;
    double split[CN_DW_NT + 1] = {0}; /* this rank's seconds by phase (enum cn_dw_time) */
    double sent = 0.0;                /* bytes this rank sent in the iterations (payload
                                       * of the gathers and of rank 0's broadcasts) */
    int have_center = 0, converged = 0, status = CN_STATUS_FEASIBLE, restored = 0;
    int stalled = 0; /* iterations in which neither the master nor the bound moved */
    double stall_ub = INFINITY, stall_lb = -INFINITY;
    long it = 0, it0 = 0;
    if (o->restart_path) {
        rc = dw_checkpoint_restore(&w, &it0, &have_center, &restored);
        if (rc != CN_OK)
            goto cleanup;
    }
    if (!restored && o->warm) {
        int used = 0;
        rc = dw_warm_restore(&w, o->warm, &used);
        if (rc != CN_OK)
            goto cleanup;
        have_center = used;
    }
    w.ub = w.rank == 0 ? w.ms.obj : 0.0;
    double last_ckpt = MPI_Wtime();
    for (it = it0 + 1;; it++) {
        /* all ranks agree on a signal or a due periodic checkpoint */
        int want[2] = {cn_signals_pending() || (o->stop_after_iter > 0 && it > o->stop_after_iter),
                       w.rank == 0 && o->ckpt_every_s > 0 &&
                           MPI_Wtime() - last_ckpt >= o->ckpt_every_s};
        MPI_Allreduce(MPI_IN_PLACE, want, 2, MPI_INT, MPI_MAX, comm);
        if ((want[0] || want[1]) && o->ckpt_path) {
            rc = dw_checkpoint_write(&w, it - 1, have_center);
            if (rc != CN_OK)
                goto cleanup;
            last_ckpt = MPI_Wtime();
        }
        if (want[0]) {
            rc = interrupted(&w, o, it - 1);
            goto cleanup;
        }
        /* rank 0 picks the pricing duals and says whether to go on */
        double *ctl = w.pi_sep;
        if (w.rank == 0) {
            dw_stab_duals(&w, have_center, alpha, ctl);
            used_alpha = have_center ? alpha : 0.0;
            double gap = rel_gap(w.ub, w.lb);
            int stop = 0;
            if (gap <= o->gap && !w.ms.e_short) {
                stop = 1;
                status = CN_STATUS_OPTIMAL;
            } else if (converged && gap <= 10 * fmax(o->gap, CN_VERIFY_DUAL_GAP)) {
                stop = 1;
                status = CN_STATUS_OPTIMAL;
                cn_log(CN_LOG_WARN, "no column prices out at the master duals but the "
                       "bound is %.3g short (gap %.3g): rounding; the master solution is "
                       "optimal", w.ub - w.lb, gap);
            } else if (converged || stalled >= DW_STALL_ITERS) {
                /* the pricing LPs or the master cannot resolve this model's
                 * numbers: an "optimal" here would be a guess */
                stop = 1;
                status = CN_STATUS_NUMERICAL;
                if (converged)
                    cn_log(CN_LOG_ERROR, "no column prices out at the master duals, yet the "
                           "bound is %.3g short (gap %.3g): the pricing is not accurate enough "
                           "for this model's numbers; status numerical_failure (docs/solver.md "
                           "\"Verification\"; --method monolithic checks its optimum and falls "
                           "back on exact arithmetic)", w.ub - w.lb, gap);
                else
                    cn_log(CN_LOG_ERROR, "the decomposition stalled: neither the master "
                           "objective nor the bound moved in %d iterations, at gap %.3g; the "
                           "duals are too large against the costs for double precision (an "
                           "unserved penalty far above the other costs?); status "
                           "numerical_failure (docs/solver.md \"Verification\"; --method "
                           "monolithic checks its optimum and falls back on exact arithmetic)",
                           DW_STALL_ITERS, gap);
            } else if (it > o->max_iter || w.ms.stopped ||
                       (o->time_limit_s > 0 && MPI_Wtime() - t0 > o->time_limit_s)) {
                stop = 1;
                if (w.ms.stopped)
                    cn_log(CN_LOG_WARN, "time limit: the master LP stopped with a feasible "
                           "point; reporting it with the gap to the best bound");
            }
            ctl[w.cp.n] = stop;
        }
        double tc = MPI_Wtime();
        MPI_Bcast(ctl, (int)w.cp.n + 1, MPI_DOUBLE, 0, comm);
        split[CN_DW_T_COMM] += MPI_Wtime() - tc;
        if (w.rank == 0)
            sent += (double)(w.cp.n + 1) * sizeof(double);
        if (ctl[w.cp.n] != 0.0)
            break;
        /* price (a test hook may make one rank fail here) */
        double *buf = NULL, *all = NULL;
        int64_t len = 0, alllen = 0;
        double tp = MPI_Wtime();
        lrc = dw_price_blocks(&w, w.pi_sep, &buf, &len, 1, NULL);
        split[CN_DW_T_PRICE] += MPI_Wtime() - tp;
        if (lrc == CN_OK && o->fail_rank == w.rank && it == o->fail_iter)
            lrc = CN_ERR(CN_ESOFTWARE, "injected failure on rank %d at iteration %ld (test hook)",
                         w.rank, it);
        /* the agreement is where a rank waits for the slowest pricing */
        tc = MPI_Wtime();
        rc = cn_mpi_agree(comm, lrc);
        split[CN_DW_T_WAIT] += MPI_Wtime() - tc;
        if (rc == CN_ETEMPFAIL) {
            /* a signal during the pricing */
            free(buf);
            rc = give_up(&w, o, it, have_center);
            goto cleanup;
        }
        tc = MPI_Wtime();
        if (rc == CN_OK)
            rc = dw_gather(&w, buf, len, &all, &alllen, o->fail_gather_iter == it);
        split[CN_DW_T_COMM] += MPI_Wtime() - tc;
        if (w.rank != 0)
            sent += (double)len * sizeof(double) + sizeof(int);
        free(buf);
        if (rc != CN_OK) {
            free(all);
            goto cleanup;
        }
        double L = -INFINITY;
        long added = 0;
        lrc = CN_OK;
        tc = MPI_Wtime();
        if (w.rank == 0) {
            for (int64_t i = 0; i < w.cp.n; i++)
                w.subgrad[i] = w.cp.b[i];
            lrc = dw_master_take(&w, w.pi_sep, all, alllen, flags, &L, &added, w.subgrad);
            if (lrc == CN_OK && have_center && o->alpha_auto)
                auto_alpha = dw_stab_adjust(&w, auto_alpha);
        }
        free(all);
        if (w.rank == 0)
            split[CN_DW_T_MASTER] += MPI_Wtime() - tc;
        /* the other ranks wait here for rank 0's reduced costs */
        tc = MPI_Wtime();
        rc = cn_mpi_agree_idle(comm, lrc);
        split[CN_DW_T_WAIT] += MPI_Wtime() - tc;
        if (rc != CN_OK)
            goto cleanup;
        tc = MPI_Wtime();
        MPI_Bcast(flags, (int)nblk, MPI_CHAR, 0, comm);
        split[CN_DW_T_COMM] += MPI_Wtime() - tc;
        if (w.rank == 0)
            sent += (double)nblk + sizeof(int64_t); /* and base, below */
        lrc = CN_OK;
        if (w.rank == 0) {
            if (L > w.lb) {
                w.lb = L;
                memcpy(w.pi_center, w.pi_sep, (size_t)w.cp.n * sizeof *w.pi_center);
                have_center = 1;
            }
            double tm = MPI_Wtime();
            if (o->signal_master_iter == it)
                raise(SIGTERM); /* test hook: seen inside the master's simplex */
            if (added > 0)
                lrc = dw_master_solve(&w.ms, 0, o->time_limit_s > 0
                                     ? fmax(1.0, o->time_limit_s - (MPI_Wtime() - t0)) : 0.0);
            if (lrc == CN_OK)
                lrc = dw_master_age(&w.ms, o->col_age_max);
            split[CN_DW_T_MASTER] += MPI_Wtime() - tm;
            if (lrc == CN_OK)
                w.ub = w.ms.obj;
            /* progress: the master objective or the bound moved */
            int ub_moved = isinf(stall_ub) ? w.ub < stall_ub
                                           : w.ub < stall_ub - 1e-9 * fabs(stall_ub);
            int lb_moved = isinf(stall_lb) ? w.lb > stall_lb
                                           : w.lb > stall_lb + 1e-9 * fabs(stall_lb);
            if (!ub_moved && !lb_moved) {
                stalled++;
            } else {
                stalled = 0;
                stall_ub = w.ub;
                stall_lb = w.lb;
            }
            /* no column prices out at the master's own duals: the master
             * is optimal for the full LP (L(pi) equals its objective up to
             * rounding); stop on the next round */
            if (added == 0 && used_alpha == 0.0)
                converged = 1;
            int raised = 0;
            /* the penalised master is optimal (or as good as the bound) but
             * leans on an elastic column: its cost is too low to be exact */
            double egap = rel_gap(w.ub, w.lb);
            if (lrc == CN_OK && w.ms.e_short && (converged || egap <= o->gap)) {
                cn_log(CN_LOG_INFO, "the master falls short of a hub green-share row by "
                       "%.3g at elastic cost %.3g: raising it tenfold", w.ms.e_sum,
                       w.ms.e_cost);
                lrc = dw_master_raise_elastic(&w.ms, 10.0);
                if (lrc == CN_OK)
                    lrc = dw_master_solve(&w.ms, 0, o->time_limit_s > 0
                                         ? fmax(1.0, o->time_limit_s - (MPI_Wtime() - t0)) : 0.0);
                if (lrc == CN_OK)
                    w.ub = w.ms.obj;
                converged = 0;
                raised = 1;
            }
            /* mispricing: nothing to add at the smoothed duals; price at the
             * master's own duals next time, then smooth again */
            alpha = added == 0 || raised ? 0.0 : o->alpha_auto ? auto_alpha : o->alpha;
            double gap = rel_gap(w.ub, w.lb);
            if (lrc == CN_OK)
                lrc = cn_iterlog_push(log, it, w.ub, w.lb, gap, added, MPI_Wtime() - t0);
            cn_log(CN_LOG_INFO, "%5ld  master %.10e  bound %.10e  gap %.2e  +%ld cols  %.1f s", it,
                   w.ub, w.lb, gap, added, MPI_Wtime() - t0);
        }
        /* ... and here for its master solve */
        tc = MPI_Wtime();
        rc = cn_mpi_agree_idle(comm, lrc);
        split[CN_DW_T_WAIT] += MPI_Wtime() - tc;
        if (rc == CN_ETEMPFAIL) {
            /* a signal stopped the master's simplex: GLPK's state on rank 0
             * is gone and this iteration is given up; the owners' columns
             * and the best bound's duals make the checkpoint as after a
             * signal in the pricing */
            if (w.rank == 0) {
                cn_err_clear();
                cn_log(CN_LOG_WARN, "a signal stopped the master's simplex in iteration %ld: "
                       "the iteration is given up", it);
            }
            rc = give_up(&w, o, it, have_center);
            goto cleanup;
        }
        if (rc != CN_OK)
            goto cleanup;
        /* owners keep the columns the master took */
        int64_t base = 0;
        if (w.rank == 0)
            base = w.ms.nlogical;
        tc = MPI_Wtime();
        MPI_Bcast(&base, 1, MPI_INT64_T, 0, comm);
        split[CN_DW_T_COMM] += MPI_Wtime() - tc;
        int64_t k = 0;
        for (int64_t blk = 0; blk < nblk; blk++)
            k += flags[blk];
        int64_t idx = base - k, blk = 0;
        for (int p = 0; p < w.nunits; p++) {
            int64_t ng = w.part_ngrp[p];
            for (int64_t gi = 0; gi < ng; gi++, blk++) {
                int64_t mcol = flags[blk] ? idx++ : -1;
                if (p >= w.p0 && p < w.p1)
                    dw_store_settle(&w.blocks[p - w.p0].store[gi], mcol);
            }
        }
    }
    if (w.rank == 0 && w.ms.e_short) {
        /* stopped by a limit while the master still leans on an elastic
         * column: its point violates a hub green-share row */
        cn_log(CN_LOG_WARN, "stopped while the master falls short of a hub green-share row "
               "by %.3g: no feasible solution yet", w.ms.e_sum);
        status = CN_STATUS_NO_SOLUTION;
    }
    /* every rank's time split, to rank 0 (printed and written to the file) */
    rank_time = w.rank == 0 ? cn_calloc((size_t)w.size * (CN_DW_NT + 1), sizeof *rank_time) : NULL;
    rc = cn_mpi_agree(comm, w.rank == 0 && !rank_time ? CN_EOSERR : CN_OK);
    if (rc != CN_OK)
        goto cleanup;
    split[CN_DW_NT] = sent;
    MPI_Gather(split, CN_DW_NT + 1, MPI_DOUBLE, rank_time, CN_DW_NT + 1, MPI_DOUBLE, 0, comm);
    if (w.rank == 0) {
        cn_log(CN_LOG_INFO, "decomposition: %lld master columns at the end (%lld made); "
               "time by rank (s):", (long long)w.ms.ncols,
               (long long)(w.ms.nlogical - w.ms.first_gen));
        cn_log(CN_LOG_INFO, "  rank   pricing    master  communication   waiting   MiB sent");
        for (int r = 0; r < w.size; r++) {
            const double *t = rank_time + (size_t)r * (CN_DW_NT + 1);
            cn_log(CN_LOG_INFO, "  %4d  %8.2f  %8.2f  %13.2f  %8.2f  %9.2f", r, t[CN_DW_T_PRICE],
                   t[CN_DW_T_MASTER], t[CN_DW_T_COMM], t[CN_DW_T_WAIT], t[CN_DW_NT] / 1048576.0);
        }
    }
    /* primal recovery on the owners */
    (void)restored;
    if (w.rank == 0 && o->ckpt_path)
        remove(o->ckpt_path); /* finished: the checkpoint is spent */
    int64_t ncols_master = w.rank == 0 ? w.ms.nlogical : 0;
    MPI_Bcast(&ncols_master, 1, MPI_INT64_T, 0, comm);
    lambda = cn_calloc((size_t)ncols_master + 1, sizeof *lambda);
    lrc = lambda ? cn_result_create(m, &res) : CN_EOSERR;
    rc = cn_mpi_agree(comm, lrc);
    if (rc != CN_OK)
        goto cleanup;
    if (w.rank == 0) /* weights by logical id; deleted columns weigh 0 */
        for (int64_t j = 0; j < w.ms.ncols; j++)
            lambda[w.ms.logical_of[j]] = w.ms.x[j];
    MPI_Bcast(lambda, (int)ncols_master, MPI_DOUBLE, 0, comm);
    MPI_Bcast(w.pi_center, (int)w.cp.n, MPI_DOUBLE, 0, comm);
    if (o->warm) {
        rc = dw_warm_save(&w, o->warm, lambda, have_center);
        if (rc != CN_OK)
            goto cleanup;
    }
    double viol = 0.0, rel_viol = 0.0;
    rc = cn_mpi_agree(comm, dw_assemble(&w, lambda, res, &viol, &rel_viol));
    if (rc != CN_OK)
        goto cleanup;
    dw_reduce_result(&w, res);
    if (w.tmode) {
        rc = dw_reduce_cells(&w, res);
        if (rc != CN_OK)
            goto cleanup;
    }
    owner = cn_calloc((size_t)m->nsites, sizeof *owner);
    rc = cn_mpi_agree(comm, owner ? CN_OK : CN_EOSERR);
    if (rc != CN_OK)
        goto cleanup;
    for (int s = 0; s < m->nsites; s++)
        owner[s] = w.tmode ? 0 : dw_owner_of_part(w.part[s], w.nparts, w.size);
    if (w.rank == 0) {
        rc = cn_result_set_unserved(d, w.u_full, w.udual_full, res);
    }
    rc = cn_mpi_agree(comm, rc);
    if (rc != CN_OK)
        goto cleanup;
    MPI_Bcast(&status, 1, MPI_INT, 0, comm);
    MPI_Bcast(&w.ub, 1, MPI_DOUBLE, 0, comm);
    MPI_Bcast(&w.lb, 1, MPI_DOUBLE, 0, comm);
    res->status = status;
    res->objective = w.ub;
    res->bound = w.lb;
    res->gap = fmax(0.0, rel_gap(w.ub, w.lb)); /* bound may pass by rounding */
    res->iterations = it - 1;
    (void)it0;
    res->max_violation = viol;
    /* the answer checked against the model (docs/solver.md "Verification"):
     * the assembled point's relative violation, and its cost parts against
     * the master's objective; the written duals are those of the best bound
     * (the coupling rows' from the master, the blocks' from pricing at
     * them), whose dual objective is that bound: their duality gap is the
     * gap */
    res->rel_violation = rel_viol;
    res->duality_gap = res->gap;
    /* the cost parts are summed on rank 0 only (dw_reduce_result): rank 0
     * decides, every rank takes its status */
    if (w.rank == 0 && res->status == CN_STATUS_OPTIMAL) {
        double parts = res->cost_energy + res->cost_carbon + res->cost_green +
                       res->cost_transfer + res->cost_unserved + res->cost_expansion;
        double parts_off = fabs(rel_gap(w.ub, parts));
        if (!(rel_viol <= CN_VERIFY_REL_VIOLATION) || !(parts_off <= CN_VERIFY_DUAL_GAP)) {
            res->status = CN_STATUS_NUMERICAL;
            cn_log(CN_LOG_ERROR, "the decomposition's point fails its check against the "
                   "model: relative violation %.3g (limit %g), cost parts %.10g against the "
                   "master's objective %.10g (relative %.3g, limit %g); status "
                   "numerical_failure", rel_viol, CN_VERIFY_REL_VIOLATION, parts, w.ub,
                   parts_off, CN_VERIFY_DUAL_GAP);
        }
    }
    MPI_Bcast(&res->status, 1, MPI_INT, 0, comm);
    res->has_duals = 1;
    res->ranks = w.size;
    snprintf(res->method, sizeof res->method, "dw");
    res->solve_seconds = MPI_Wtime() - t0;
    res->nvars = d->size.ncols;
    res->nrows = d->size.nrows;
    res->nnz = d->size.nnz;
    res->dw_parts = w.nparts;
    res->dw_time_blocks = w.ntb;
    res->dw_time_block_periods = w.tblen;
    res->dw_chain = w.chain;
    res->dw_coupling_demand_local = (long)w.cp.nlocal_demand;
    res->dw_blocks = (long)w.nblk;
    res->dw_coupling_demand = (long)w.cp.nkind[0];
    res->dw_coupling_link = (long)w.cp.nkind[1];
    res->dw_coupling_carbon = (long)w.cp.nkind[2];
    res->dw_coupling_hub_green = (long)w.cp.nkind[3];
    res->dw_master_rows = (long)(w.cp.n + w.nblk);
    res->dw_master_cols = w.rank == 0 ? (long)w.ms.ncols : 0; /* only rank 0 writes it */
    res->rank_time_s = rank_time; /* rank 0; NULL elsewhere */
    rank_time = NULL;
    *out = res;
    res = NULL;
    *site_owner = owner;
    owner = NULL;
    *nparts = w.nparts;
cleanup:
    free(flags);
    free(lambda);
    free(rank_time);
    free(owner);
    cn_result_destroy(&res);
    dw_free(&w);
    if (rc != CN_OK)
        cn_iterlog_free(log);
    return rc;
}
