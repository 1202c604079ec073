/* cli/cmd_aggregate.c - `cnopt aggregate SCENARIO.yaml --days N -o DIR`:
 * representative days (io/aggregate.h, core/cluster.h, docs/time.md). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../base/log.h"
#include "../core/cluster.h"
#include "../io/aggregate.h"
#include "../io/reader.h"
#include "cmd.h"

#define MAX_SETS 64

static void usage(FILE *fp)
{
    fputs("usage: cnopt aggregate SCENARIO.yaml --days N -o DIR [options]\n"
          "\n"
          "Write a model directory (model 1.1) and DIR/scenario.yaml with N representative\n"
          "days of the scenario's horizon, which must be whole days (periods a multiple of\n"
          "24, every class window dividing 24).  Days are clustered by their normalised\n"
          "profiles of demand, green availability and price factors; each cluster is\n"
          "represented by its medoid (an actual day), whose 24 periods weigh the days it\n"
          "stands for, so the weights cover the horizon exactly.  Same input, same bytes.\n"
          "\n"
          "options:\n"
          "  -d, --days N          representative days, 1..days of the horizon (required)\n"
          "  -o, --output DIR      model directory to write (required)\n"
          "  -m, --method M        kmedoids (default: PAM, any days may group) or\n"
          "                        hierarchical (chronological Ward: adjacent days only)\n"
          "      --set KEY=VALUE   override a scenario parameter first (repeatable), e.g.\n"
          "                        --set periods=336 for the first 14 days\n"
          "  -f, --force           DIR may be non-empty: replace its model files\n"
          "  -h, --help            this text\n"
          "\n"
          "exit codes: 0 done, 64 usage (also N out of range), 65 bad input data (also\n"
          "  not whole days), 66 input missing, 73 DIR not empty (use --force) or not\n"
          "  creatable, 74 write error.  See docs/time.md.\n",
          fp);
}

static int load(const char *path, char **sets, int nsets, cn_model **out)
{
    cn_scenario sc;
    cn_scenario_init(&sc);
    int rc = cn_scenario_read(path, &sc);
    for (int i = 0; rc == CN_OK && i < nsets; i++) {
        char key[256];
        const char *eq = strchr(sets[i], '=');
        if (!eq || eq == sets[i] || (size_t)(eq - sets[i]) >= sizeof key) {
            cn_diag_add("--set", 1, (long)i + 1, "expected KEY=VALUE, got '%s'", sets[i]);
            rc = CN_EUSAGE;
            break;
        }
        memcpy(key, sets[i], (size_t)(eq - sets[i]));
        key[eq - sets[i]] = '\0';
        rc = cn_scenario_set(&sc, key, eq + 1, "--set", 1, (long)i + 1);
    }
    if (rc == CN_OK)
        rc = cn_model_read(&sc, out);
    cn_scenario_free(&sc);
    return rc;
}

static double rel(double agg, double full)
{
    return full != 0 ? 100.0 * (agg - full) / fabs(full) : 0.0;
}

static void print_result(const cn_model *m, const char *dir, const char *meth,
                         const cn_agg_result *r)
{
    printf("aggregate  %s: %d days -> %d representative days (%s)\n", m->sc.name, r->ndays,
           r->k, meth);
    printf("wrote      %s (%d periods)\n", dir, r->k * CN_AGG_HOURS);
    printf("features   %d demand, %d green availability, %d price factor series x 24 h\n",
           r->nseries[0], r->nseries[1], r->nseries[2]);
    printf("\n  %-4s %-12s %-10s %s\n", "day", "source day", "weight", "stands for days");
    for (int c = 0; c < r->k; c++) {
        int cnt = 0;
        for (int d = 0; d < r->ndays; d++)
            cnt += r->assign[d] == c;
        printf("  %-4d %-12d %-10.6g %d day%s:", c, r->medoid[c], r->weight[c], cnt,
               cnt == 1 ? "" : "s");
        for (int d = 0; d < r->ndays; d++) {
            if (r->assign[d] != c)
                continue;
            int e = d;
            while (e + 1 < r->ndays && r->assign[e + 1] == c)
                e++;
            printf(e > d ? " %d-%d" : " %d", d, e);
            d = e;
        }
        putchar('\n');
    }
    printf("\nprofile error (weighted RMS of normalised 0..1 values): demand %.4f, green %.4f, "
           "price %.4f\n",
           r->rmse[0], r->rmse[1], r->rmse[2]);
    printf("\n  %-28s %16s %16s %9s\n", "over the weighted horizon", "full", "aggregated", "error");
    printf("  %-28s %16.10g %16.10g %8.4f%%\n", "sum of weights (periods)", r->horizon_full,
           r->horizon_agg, rel(r->horizon_agg, r->horizon_full));
    printf("  %-28s %16.10g %16.10g %8.4f%%\n", "demand (PFLOPS-periods)", r->demand_full,
           r->demand_agg, rel(r->demand_agg, r->demand_full));
    printf("  %-28s %16.10g %16.10g %8.4f%%\n", "green available (MWh)", r->green_full,
           r->green_agg, rel(r->green_agg, r->green_full));
    printf("  %-28s %16.10g %16.10g %8.4f%%\n", "mean price factor", r->price_full,
           r->price_agg, rel(r->price_agg, r->price_full));
    printf("\nthe error of a solve: tools/aggregation-error.sh (docs/time.md)\n");
}

int cmd_aggregate(int argc, char **argv)
{
    enum { OPT_SET = 256 };
    static const struct option opts[] = {
        {"days", required_argument, NULL, 'd'},
        {"output", required_argument, NULL, 'o'},
        {"method", required_argument, NULL, 'm'},
        {"set", required_argument, NULL, OPT_SET},
        {"force", no_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cn_agg_opts o;
    memset(&o, 0, sizeof o);
    o.method = CN_CLUSTER_KMEDOIDS;
    const char *dir = NULL, *meth = "kmedoids";
    char *sets[MAX_SETS];
    int nsets = 0, have_days = 0, c;
    while ((c = getopt_long(argc, argv, "d:o:m:fh", opts, NULL)) != -1) {
        switch (c) {
        case 'd': {
            char msg[512];
            double v = 0;
            if (cmd_opt_number("cnopt aggregate", "--days", optarg, 1, 1000000, 1, msg,
                               sizeof msg, &v) != CN_OK) {
                fprintf(stderr, "%s\n", msg);
                return CN_EUSAGE;
            }
            o.days = (int)v;
            have_days = 1;
            break;
        }
        case 'o': dir = optarg; break;
        case 'm':
            if (strcmp(optarg, "kmedoids") == 0) {
                o.method = CN_CLUSTER_KMEDOIDS;
            } else if (strcmp(optarg, "hierarchical") == 0) {
                o.method = CN_CLUSTER_HIERARCHICAL;
            } else {
                fprintf(stderr, "cnopt aggregate: --method: expected kmedoids or hierarchical "
                        "(got '%s')\n", optarg);
                return CN_EUSAGE;
            }
            meth = optarg;
            break;
        case OPT_SET:
            if (nsets >= MAX_SETS) {
                fprintf(stderr, "cnopt aggregate: at most %d --set options\n", MAX_SETS);
                return CN_EUSAGE;
            }
            sets[nsets++] = optarg;
            break;
        case 'f': o.force = 1; break;
        case 'h': usage(stdout); return CN_OK;
        default:
            fputs("cnopt aggregate: see cnopt aggregate --help\n", stderr);
            return CN_EUSAGE;
        }
    }
    if (argc - optind != 1) {
        fprintf(stderr, "cnopt aggregate: expected one SCENARIO.yaml, got %d arguments (see "
                "cnopt aggregate --help)\n", argc - optind);
        return CN_EUSAGE;
    }
    if (!have_days || !dir) {
        fprintf(stderr, "cnopt aggregate: missing %s (see cnopt aggregate --help)\n",
                !have_days ? "--days N" : "-o DIR");
        return CN_EUSAGE;
    }
    o.source = argv[optind];

    cn_model *m = NULL;
    cn_agg_result r;
    memset(&r, 0, sizeof r);
    int rc = load(argv[optind], sets, nsets, &m);
    if (rc == CN_OK)
        rc = cn_aggregate_check(m);
    if (rc != CN_OK) {
        cmd_report_failure(rc);
        goto done;
    }
    rc = cn_aggregate(m, &o, dir, &r);
    if (rc == CN_EUSAGE) {
        /* an option that does not fit the input: no traceback */
        fprintf(stderr, "cnopt aggregate: %.*s\n", (int)strcspn(cn_err_message(), "\n"),
                cn_err_message());
        goto done;
    }
    if (rc != CN_OK) {
        cmd_report_failure(rc);
        goto done;
    }
    print_result(m, dir, meth, &r);
done:
    cn_agg_result_free(&r);
    cn_model_destroy(&m);
    return rc;
}
