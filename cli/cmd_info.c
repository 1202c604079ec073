/* cli/cmd_info.c - `cnopt info OUT.h5`: the summary a planner reads first
 * (io/h5read.h; definitions in docs/hdf5-schema.md).  Serial, no MPI. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../base/err.h"
#include "../base/log.h"
#include "../core/model.h"
#include "../io/h5read.h"
#include "cmd.h"

static void usage(FILE *fp)
{
    fputs("usage: cnopt info OUT.h5\n"
          "\n"
          "Summarise a result file written by `cnopt solve`: status, objective and its\n"
          "parts, served and unserved demand per class, hub utilisation, east-to-west\n"
          "flow, emissions and energy, and the largest shadow prices in plain words.\n"
          "Definitions: docs/hdf5-schema.md.\n"
          "\n"
          "exit codes: 0 ok, 64 usage, 65 not a (complete) cnopt result file or an\n"
          "  unsupported schema_version, 66 file missing or unreadable\n",
          fp);
}

static double pct(double part, double whole)
{
    return whole != 0 ? 100.0 * part / whole : 0.0;
}

static void print_summary(const char *path, const cn_h5_summary *s)
{
    const char *unit = s->period_hours == 1.0 ? "hour" : "period";
    printf("result     %s (schema %s, cnopt %s, written %s)\n", path, s->schema_version,
           s->cnopt_version[0] ? s->cnopt_version : "?", s->created_utc[0] ? s->created_utc : "?");
    printf("scenario   %s (%ld periods of %g h, weight %g)\n", s->scenario[0] ? s->scenario : "?",
           s->periods, s->period_hours, s->period_weight);
    printf("status     %s (%s, %s, %ld iterations, %.2f s, %d rank%s)\n", s->status,
           s->is_mip ? "MIP" : "LP", s->method[0] ? s->method : "?", s->iterations,
           s->solve_seconds, s->ranks, s->ranks == 1 ? "" : "s");
    printf("objective  %.2f yuan (bound %.2f, gap %.4f%%)\n", s->objective, s->bound, 100.0 * s->gap);
    printf("\n  %-12s %18s %8s\n", "cost", "yuan", "share");
    for (int i = 0; i < CN_H5_NPARTS; i++)
        printf("  %-12s %18.2f %7.1f%%\n", cn_h5_part_name(i), s->parts[i], pct(s->parts[i], s->objective));
    printf("\nemissions  %.6g tCO2; energy %.6g MWh, of which green %.6g MWh (%.1f%%)\n",
           s->emissions_tco2, s->energy_mwh, s->green_mwh, pct(s->green_mwh, s->energy_mwh));

    printf("\ndemand by class (PFLOPS-periods)\n");
    printf("  %-16s %14s %14s %8s %10s\n", "class", "demand", "served", "served", "unserved");
    for (int k = 0; k < s->nclasses; k++) {
        const cn_h5_class_sum *c = &s->classes[k];
        if (c->demand > 0)
            printf("  %-16s %14.4g %14.4g %7.1f%% %9.1f%%\n", c->id, c->demand, c->demand - c->unserved,
                   pct(c->demand - c->unserved, c->demand), pct(c->unserved, c->demand));
        else
            printf("  %-16s %14s %14s %8s %10s\n", c->id, "0", "0", "-", "-");
    }
    printf("  %-16s %14.4g %14.4g %7.1f%% %9.1f%%\n", "total", s->demand_total,
           s->demand_total - s->unserved_total, pct(s->demand_total - s->unserved_total, s->demand_total),
           pct(s->unserved_total, s->demand_total));

    printf("\nhub utilisation (site load / capacity incl. modules built, over %ss)\n", unit);
    printf("  %-16s %-5s %5s %14s %8s %8s %6s\n", "hub", "zone", "sites", "capacity", "average", "peak", unit);
    for (int h = 0; h < s->nhubs; h++) {
        const cn_h5_hub_sum *hb = &s->hubs[h];
        const char *zone = hb->zone == CN_ZONE_WEST ? "west" : "east";
        if (isnan(hb->util_avg))
            printf("  %-16s %-5s %5d %14.4g %8s %8s %6s\n", hb->id, zone, hb->nsites, hb->capacity_pflops,
                   "-", "-", "-");
        else
            printf("  %-16s %-5s %5d %14.4g %7.1f%% %7.1f%% %6ld\n", hb->id, zone, hb->nsites,
                   hb->capacity_pflops, 100.0 * hb->util_avg, 100.0 * hb->util_peak, hb->peak_period);
    }

    printf("\neast-to-west flow  %.6g PFLOPS-periods of demand from east-zone regions served at\n"
           "                   west-zone hub sites: %.1f%% of east-region placements, %.1f%% of all\n"
           "                   (%lld placement entries, %.6g PFLOPS-periods placed)\n",
           s->east_to_west, pct(s->east_to_west, s->east_placed), pct(s->east_to_west, s->placed_total),
           s->nx, s->placed_total);

    if (!s->has_duals) {
        printf("\nshadow prices      not in this file (no duals recorded)\n");
        return;
    }
    printf("\nlargest shadow prices (|value|; capacity, links, access, green, power caps, carbon, hub green)\n");
    if (s->nprices == 0)
        printf("  none: no limit binds\n");
    for (int i = 0; i < s->nprices; i++) {
        const cn_h5_price *p = &s->prices[i];
        printf("  %2d. %-44s %12.6g %s\n      %s\n", i + 1, p->what, p->value, p->units, p->meaning);
    }
}

int cmd_info(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': usage(stdout); return CN_OK;
        default: usage(stderr); return CN_EUSAGE;
        }
    }
    if (argc - optind != 1) {
        fprintf(stderr, "cnopt: info: expected one result file, got %d arguments\n", argc - optind);
        usage(stderr);
        return CN_EUSAGE;
    }
    const char *path = argv[optind];
    cn_h5_summary *s = NULL;
    int rc = cn_h5_read_summary(path, &s);
    if (rc != CN_OK) {
        /* not cmd_report_failure(): it lives in main.c, which the unit tests
         * do not link */
        cn_log(CN_LOG_ERROR, "%s", cn_err_message());
        return rc;
    }
    print_summary(path, s);
    cn_h5_summary_destroy(&s);
    return CN_OK;
}
