/* cli/cmd_validate.c - `cnopt validate [--routes] SCENARIO.yaml`: check and
 * summarise, or print the backbone routes. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../base/err.h"
#include "../core/derive.h"
#include "../io/reader.h"
#include "../solver/dw.h"
#include "../solver/solve.h"
#include "cmd.h"
#include "memguard.h"

static void usage(FILE *fp)
{
    fputs("usage: cnopt validate [--routes] SCENARIO.yaml\n"
          "Check a scenario and its model directory against the input rules\n"
          "(docs/input-format.md) and print what the model holds and how large\n"
          "its LP will be.  Exit 0 valid, 65 bad data, 66 input missing, 64 usage.\n"
          "  --routes  instead, print the backbone route of every ordered pair of\n"
          "            regions as CSV: from,to,rtt_ms,cost_yuan_per_gbps_h,hops,path\n"
          "            (path: region ids joined by '>'; an unreachable pair has\n"
          "            rtt_ms inf and an empty path; docs/model.md section 4)\n",
          fp);
}

/* The memory guard's estimate (bytes) of the rank that needs the most when
 * the default solve runs on nranks ranks: rank 0 with the master, or with
 * time blocks the rank holding the most of them (whole chains). */
static double largest_rank(const cn_model *m, const cn_dw_opts *o, const cn_size *z, int nranks)
{
    double top = 0.0, share = 0.0;
    for (int r = 0; r < nranks; r++) {
        int mr = cn_mg_dw_method(m, o, r, nranks, &share);
        double e = cn_mg_rank_estimate(z, mr, r, nranks, share);
        top = e > top ? e : top;
    }
    return top;
}

static void print_summary(const cn_model *m, const cn_derived *d)
{
    const cn_size *z = &d->size;
    long T = m->sc.periods;
    printf("scenario %s: %s\n", m->sc.name, m->sc.path);
    printf("model    %s\n", m->sc.model_dir);
    printf("counts   regions %d, hubs %d, sites %d, types %d, classes %d, links %d, "
           "periods %ld, expansion options %d%s\n",
           m->nregions, m->nhubs, m->nsites, m->ntypes, m->nclasses, m->nlinks, T, m->nexps,
           m->sc.expansion ? " (integer)" : " (off)");
    if (m->has_periods_table) {   /* model 1.1; nothing printed for a v1 model */
        double lo = INFINITY, hi = -INFINITY, sum = 0;
        for (long t = 0; t < T; t++) {
            double w = cn_model_weight(m, t);
            lo = w < lo ? w : lo;
            hi = w > hi ? w : hi;
            sum += w;
        }
        printf("weights  periods.csv: w(t) %.6g to %.6g, weighted horizon %.6g h "
               "(period_weight %g where no row)\n", lo, hi, sum * m->sc.period_hours,
               m->sc.period_weight);
    }
    int ncoords = 0;
    for (int s = 0; s < m->nsites; s++)
        ncoords += !isnan(m->sites[s].lat);
    if (ncoords)
        printf("coords   %d of %d sites have lat, lon\n", ncoords, m->nsites);
    printf("capacity (PFLOPS):");
    for (int c = 0; c < m->ntypes; c++) {
        double tot = 0;
        for (int s = 0; s < m->nsites; s++)
            tot += d->cap[(size_t)s * m->ntypes + c];
        printf(" %s %.6g%s", m->types[c].id, tot, c + 1 < m->ntypes ? "," : "\n");
    }
    printf("demand (PFLOPS-periods over %ld periods, scaled):\n", T);
    for (int k = 0; k < m->nclasses; k++) {
        double tot = 0;
        for (long i = 0; i < d->ndrows; i++)
            if (d->drows[i].cls == k)
                tot += d->drows[i].demand;
        printf("  %-24s %14.6g  (type %s, max rtt %g ms, window %ld)\n", m->classes[k].id, tot,
               m->types[m->classes[k].type].id, m->classes[k].max_rtt_ms, m->classes[k].window);
    }
    int unreachable = 0;
    for (int r = 0; r < m->nregions; r++)
        for (int q = 0; q < m->nregions; q++)
            unreachable += !isfinite(d->routes->rtt_ms[(size_t)r * m->nregions + q]);
    if (unreachable)
        printf("warning: %d region pairs have no backbone route\n", unreachable);
    printf("LP       %lld variables (x %lld, u %lld, power %lld, integer %lld), "
           "%lld rows, %lld nonzeros\n",
           (long long)z->ncols, (long long)z->nx, (long long)z->nu, (long long)z->npower,
           (long long)z->ny, (long long)z->nrows, (long long)z->nnz);
    printf("rows     demand %lld, capacity %lld, power balance %lld, power cap %lld, "
           "link %lld, access %lld, carbon %lld, hub green %lld\n",
           (long long)z->rows_demand, (long long)z->rows_cap, (long long)z->rows_power,
           (long long)z->rows_powercap, (long long)z->rows_link, (long long)z->rows_access,
           (long long)z->rows_carbon, (long long)z->rows_hubgreen);
    printf("memory   about %.0f MiB peak for a one-rank solve (estimate, docs/memory.md)\n",
           z->mem_bytes / 1048576.0);
    /* what the default solve (--method auto) needs per rank, by the plan
     * cn_solve makes: monolithic below the decomposition's threshold, and for
     * a MIP Benders with the subproblems' path */
    cn_solve_opts so;
    cn_solve_opts_init(&so);
    cn_solve_plan p;
    if (cn_solve_plan_make(d, &so, 1, &p) != CN_OK || (!p.benders && p.path != CN_METHOD_DW))
        return;
    double share = 0.0;
    int mg = p.path == CN_METHOD_DW ? cn_mg_dw_method(m, &so.dw, 0, 1, &share) : CN_MG_MONOLITHIC;
    char what[200];
    if (p.benders)
        snprintf(what, sizeof what, "Benders over the %d expansion rows (docs/solver.md), its "
                 "subproblems by %s", m->nexps,
                 p.path == CN_METHOD_DW ? "the decomposition" : "monolithic GLPK");
    else
        snprintf(what, sizeof what, "the decomposition%s",
                 mg == CN_MG_DW_TIME ? " by time blocks" : " (site-period blocks)");
    if (mg == CN_MG_MONOLITHIC) {
        printf("         the default solve is %s: about %.0f MiB on rank 0\n", what,
               cn_mg_rank_estimate(z, mg, 0, 1, 0) / 1048576.0);
        return;
    }
    double mib[4];
    for (int k = 0; k < 4; k++)
        mib[k] = largest_rank(m, &so.dw, z, 1 << k) / 1048576.0;
    printf("         the default solve is %s: about %.0f MiB a rank at 1 rank, %.0f at 2, "
           "%.0f at 4, %.0f at 8 (the largest rank)\n", what, mib[0], mib[1], mib[2], mib[3]);
}

/* The routes of core/derive.h, one CSV row per ordered pair r != d. */
static int print_routes(const cn_model *m, const cn_routes *rt)
{
    int R = m->nregions;
    int *path = malloc((size_t)(R > 0 ? R : 1) * sizeof *path);
    if (!path)
        return CN_ERR(CN_EOSERR, "out of memory printing the routes of %d regions", R);
    printf("from,to,rtt_ms,cost_yuan_per_gbps_h,hops,path\n");
    for (int r = 0; r < R; r++)
        for (int d = 0; d < R; d++) {
            if (r == d)
                continue;
            size_t rd = (size_t)r * R + d;
            int n = cn_routes_path(rt, r, d, path);
            if (n == 0) {
                printf("%s,%s,inf,,,\n", m->regions[r].id, m->regions[d].id);
                continue;
            }
            printf("%s,%s,%.15g,%.15g,%d,", m->regions[r].id, m->regions[d].id, rt->rtt_ms[rd],
                   rt->cost[rd], n - 1);
            for (int i = 0; i < n; i++)
                printf("%s%s", i ? ">" : "", m->regions[path[i]].id);
            printf("\n");
        }
    free(path);
    return CN_OK;
}

int cmd_validate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'}, {"routes", no_argument, NULL, 'r'},
        {NULL, 0, NULL, 0}};
    int c, routes = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout);
            return CN_OK;
        }
        if (c == 'r') {
            routes = 1;
            continue;
        }
        usage(stderr);
        return CN_EUSAGE;
    }
    if (optind != argc - 1) {
        fprintf(stderr, "cnopt validate: expected one SCENARIO.yaml, got %d arguments\n",
                argc - optind);
        usage(stderr);
        return CN_EUSAGE;
    }
    cn_model *m = NULL;
    cn_derived *d = NULL;
    int rc = cn_model_load(argv[optind], &m);
    if (rc == CN_OK)
        rc = cn_derived_create(m, &d);
    if (rc == CN_OK && routes)
        rc = print_routes(m, d->routes);
    else if (rc == CN_OK)
        print_summary(m, d);
    if (rc != CN_OK)
        cmd_report_failure(rc);
    cn_derived_destroy(&d);
    cn_model_destroy(&m);
    return rc;
}
