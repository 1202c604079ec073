/* solver/solve.c - cn_solve, the one entry point of a solve (solve.h): the
 * plan that resolves every default, the checkpoint's input hash, and the
 * dispatch to the decomposition or monolithic GLPK. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../base/log.h"
#include "../base/mpiutil.h"
#include "../base/sha256.h"
#include "../io/reader.h"
#include "partition.h"
#include "solve.h"

void cn_solve_opts_init(cn_solve_opts *o)
{
    memset(o, 0, sizeof *o);
    o->method = CN_METHOD_AUTO;
    cn_glpk_opts_init(&o->glpk);
    /* the monolithic simplex starts from GLPK's advanced basis, without its
     * presolver: 13.0 s against 15.8 s on the bundled day, 10.7 against
     * 14.0 with its carbon cap, 15.0 against 16.1 on 100k, 4.9 against 4.8
     * on 50k (docs/benchmarks.md "The investment MIP"); --presolve */
    o->glpk.presolve = 0;
    o->period_start = 1;
    cn_dw_opts_init(&o->dw);
}

void cn_warm_free(cn_warm *w)
{
    cn_dw_warm_destroy(&w->dw);
    cn_basis_free(&w->basis);
    free(w->y);
    w->y = NULL;
    w->ny = 0;
}

void cn_solve_out_free(cn_solve_out *out)
{
    cn_result_destroy(&out->res);
    free(out->site_owner);
    out->site_owner = NULL;
    cn_iterlog_free(&out->log);
}

int cn_solve_plan_make(const cn_derived *d, const cn_solve_opts *o, int nranks,
                       cn_solve_plan *p)
{
    memset(p, 0, sizeof *p);
    p->mip = d->m->sc.expansion != 0;
    p->benders = p->mip && o->method != CN_METHOD_MONOLITHIC;
    /* the LP (a Benders subproblem: the LP with y fixed) decides the path,
     * by its columns and the time blocks of its horizon */
    long ntb = 1;
    cn_dw_plan tb;
    int have_tb = o->method == CN_METHOD_AUTO && !o->dw_opt &&
                  cn_dw_plan_make(d->m, &o->dw, nranks, &tb) == CN_OK;
    if (have_tb && tb.blocks == CN_DW_BLOCKS_TIME)
        ntb = tb.ntb;
    p->path = p->mip && !p->benders ? CN_METHOD_MONOLITHIC
              : cn_method_choose(o->method, o->dw_opt, d->size.ncols - d->size.ny, ntb);
    p->dw.nparts = 1;
    if (p->path != CN_METHOD_DW)
        return CN_OK;
    int rc = CN_OK;
    if (have_tb)
        p->dw = tb; /* the plan auto decided by */
    else
        rc = cn_dw_plan_make(d->m, &o->dw, nranks, &p->dw);
    /* Benders re-solves its subproblem a few times, warm: monolithic GLPK from
     * the previous basis re-solves in a fraction of its cold time, the
     * decomposition keeps only the columns still feasible.  So auto takes
     * the decomposition for the subproblem only where it is far ahead cold,
     * with time blocks (docs/benchmarks.md "The investment MIP") */
    if (rc == CN_OK && p->benders && o->method == CN_METHOD_AUTO && !o->dw_opt &&
        !(p->dw.blocks == CN_DW_BLOCKS_TIME && p->dw.ntb >= 2)) {
        p->path = CN_METHOD_MONOLITHIC;
        memset(&p->dw, 0, sizeof p->dw);
        p->dw.nparts = 1;
    }
    return rc;
}

int cn_solve_lp(const cn_derived *d, const cn_solve_opts *o, const cn_solve_plan *p,
                const char *hash, MPI_Comm comm, cn_solve_out *out)
{
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    out->nparts = 1;
    if (p->path == CN_METHOD_DW) {
        cn_dw_opts dw = o->dw;
        dw.input_hash = hash;
        dw.warm = o->warm ? o->warm->dw : NULL;
        int rc = cn_solve_dw(d, &dw, comm, &out->res, &out->site_owner, &out->nparts, &out->log);
        /* only where the caller's hook can check the memory (not inside
         * Benders, whose subproblems come here without one) */
        if (rc != CN_OK || o->method != CN_METHOD_AUTO || o->dw_opt || !o->before_solve)
            return rc;
        int st = rank == 0 ? out->res->status : 0;
        MPI_Bcast(&st, 1, MPI_INT, 0, comm);
        if (st != CN_STATUS_NUMERICAL)
            return rc;
        /* auto chose the decomposition and it could not resolve this model's
         * numbers: the monolithic path checks its optimum and falls back on
         * exact arithmetic (docs/solver.md "Choosing the method"), if it fits */
        cn_solve_plan q = *p;
        q.path = CN_METHOD_MONOLITHIC;
        q.fallback = 1;
        if (cn_mpi_agree(comm, o->before_solve(o->hook_ctx, d, &q, o, comm)) != CN_OK) {
            cn_diag_clear();
            cn_err_clear();
            if (rank == 0)
                cn_log(CN_LOG_WARN, "method auto: the decomposition ended numerical_failure and "
                       "the monolithic path would not fit in memory: its result stands");
            return CN_OK;
        }
        if (rank == 0)
            cn_log(CN_LOG_WARN, "method auto: the decomposition ended numerical_failure; "
                   "solving the whole LP by monolithic GLPK instead (docs/solver.md "
                   "\"Choosing the method\")");
        cn_solve_out_free(out);
        out->nparts = 1;
        out->plan.path = CN_METHOD_MONOLITHIC;
    }
    /* the monolithic path solves on rank 0; the others wait for the write,
     * asleep: Open MPI's blocking wait busy-polls a core (at 500k on 2
     * ranks: 82.4 s against 84.9 s polling, docs/benchmarks.md "Waiting
     * ranks asleep") */
    return cn_solve_monolithic(d, o, comm, &out->res);
}

/* One record of the hash: fields separated by NUL bytes, so that no value
 * (a description may hold any text) can pass for the next field. */
static void hash_field(cn_sha256 *h, const char *s)
{
    cn_sha256_update(h, s, strlen(s) + 1);
}

/* cn_scenario_visit callback: "key", then the value ('v' value), an absent
 * string ('n'), or for a directory 'p' alone: a directory counts by the
 * bytes of the files read from it, hashed with m->files. */
static void hash_scenario_key(void *ctx, const char *key, const char *value, int is_path)
{
    cn_sha256 *h = ctx;
    hash_field(h, key);
    hash_field(h, is_path ? "p" : value ? "v" : "n");
    if (!is_path && value)
        hash_field(h, value);
}

int cn_solve_input_hash(const cn_model *m, const cn_solve_opts *o, const cn_solve_plan *p,
                        char hex[65])
{
    char buf[512], fh[65] = "-";
    int rc = CN_OK;
    if (p->path == CN_METHOD_DW && o->dw.part_method == CN_PART_FILE && o->dw.part_file)
        CN_TRY(cn_sha256_file(o->dw.part_file, fh));
    cn_sha256 *h = NULL;
    CN_TRY(cn_sha256_begin(&h));
    hash_field(h, "cnopt input hash 2");
    snprintf(buf, sizeof buf, "files %d", m->nfiles);
    hash_field(h, buf);
    for (int i = 0; i < m->nfiles; i++)
        hash_field(h, m->files[i].sha256);
    hash_field(h, "scenario");
    cn_scenario_visit(&m->sc, hash_scenario_key, h);
    /* the options that shape the solver's state, defaults resolved (a
     * changed default changes the hash too) */
    if (p->benders) {
        snprintf(buf, sizeof buf, "benders %s", p->path == CN_METHOD_DW ? "dw" : "monolithic");
        hash_field(h, buf);
    }
    if (p->path == CN_METHOD_DW)
        snprintf(buf, sizeof buf, "dw blocks %s time-block %ld x %ld parts %d partition %s %s "
                 "smoothing %s %.17g column-age %d",
                 cn_dw_blocks_name(p->dw.blocks), p->dw.tblen, p->dw.ntb, p->dw.nparts,
                 cn_partition_name(o->dw.part_method), fh, o->dw.alpha_auto ? "auto" : "fixed",
                 o->dw.alpha, o->dw.col_age_max);
    else
        snprintf(buf, sizeof buf, "monolithic mip %d", p->mip);
    hash_field(h, buf);
    cn_sha256_end(&h, hex);
cleanup:
    return rc;
}

/* Rank 0: the whole model exported before a decomposition solves it. */
static int export_whole(const cn_derived *d, const cn_solve_opts *o)
{
    cn_lp *lp = NULL;
    int rc = cn_lp_build(d, &lp);
    if (rc == CN_OK)
        rc = cn_glpk_write(d, lp, o->write_mps, o->write_lp);
    cn_lp_destroy(&lp);
    return rc;
}

int cn_solve(const cn_model *m, const cn_solve_opts *o, MPI_Comm comm, cn_solve_out *out)
{
    int rank = 0, size = 1;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    memset(out, 0, sizeof *out);
    out->nparts = 1;
    cn_derived *d = NULL;
    char hash[65] = "";
    int rc = cn_mpi_agree(comm, cn_derived_create(m, &d));
    if (rc == CN_OK)
        rc = cn_mpi_agree(comm, cn_solve_plan_make(d, o, size, &out->plan));
    if (rc != CN_OK)
        goto cleanup;
    const cn_solve_plan *p = &out->plan;
    int use_dw = p->path == CN_METHOD_DW;
    if (rank == 0 && o->method == CN_METHOD_AUTO)
        cn_log(CN_LOG_INFO, "method auto: %s%s (%ld LP columns%s; docs/solver.md)",
               p->benders ? "Benders over the expansion decisions, its subproblems by " : "",
               use_dw ? "decomposition" : "monolithic", (long)(d->size.ncols - d->size.ny),
               o->dw_opt ? ", a decomposition option given" : "");
    else if (rank == 0 && p->mip)
        cn_log(CN_LOG_INFO, "expansion: true makes a MIP: %s (docs/solver.md)",
               p->benders ? use_dw ? "Benders, its subproblems by the decomposition"
                                   : "Benders, its subproblems by monolithic GLPK"
                          : "GLPK branch and bound on rank 0");
    if (o->before_solve) {
        rc = cn_mpi_agree(comm, o->before_solve(o->hook_ctx, d, p, o, comm));
        if (rc != CN_OK)
            goto cleanup;
    }
    if (use_dw && (o->write_mps || o->write_lp)) {
        /* the export is of the whole model: built on rank 0 */
        rc = cn_mpi_agree(comm, rank == 0 ? export_whole(d, o) : CN_OK);
        if (rc != CN_OK)
            goto cleanup;
    }
    if (use_dw || p->benders) {
        rc = cn_mpi_agree(comm, cn_solve_input_hash(m, o, p, hash));
        if (rc != CN_OK)
            goto cleanup;
    }
    if (p->benders) {
        if (!use_dw && (o->write_mps || o->write_lp)) /* the MIP, y free */
            rc = cn_mpi_agree(comm, rank == 0 ? export_whole(d, o) : CN_OK);
        if (rc == CN_OK)
            rc = cn_solve_benders(d, o, p, hash, comm, out);
    } else {
        rc = cn_solve_lp(d, o, p, hash, comm, out);
    }
    if (rc != CN_OK)
        goto cleanup;
    out->res->ranks = size;
    if (rank == 0)
        cn_log(CN_LOG_INFO, "status %s, objective %.10g yuan, gap %.3g, %ld iterations, "
               "%.2f s, max violation %.3g",
               cn_status_name(out->res->status), out->res->objective, out->res->gap,
               out->res->iterations, out->res->solve_seconds, out->res->max_violation);
cleanup:
    cn_derived_destroy(&d);
    return rc;
}
