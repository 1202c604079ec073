/* cli/cmd_generate.c - `cnopt generate`: write a synthetic model directory
 * and its scenario (io/generate.h, docs/generator.md). */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../base/log.h"
#include "../io/generate.h"
#include "cmd.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: cnopt generate -o DIR [options]\n"
            "\n"
            "Write a synthetic national compute-network model (every table of the model\n"
            "format) and DIR/scenario.yaml.  The same options give the same files.\n"
            "\n"
            "options:\n"
            "  -o, --output DIR      model directory to write (required unless --dry-run)\n"
            "  -r, --regions R       regions, 1..%d (default 31: the provinces; more are\n"
            "                        extra cities of the provinces)\n"
            "  -s, --sites S         data-centre sites, 1..%d (default 40)\n"
            "  -t, --periods T       hourly periods, 1..%d (default 24; 168 = a week)\n"
            "      --seed N          random seed, 0..2^64-1 (default 1)\n"
            "      --types C         compute types, 1..%d (default 3: gpu, cpu, npu)\n"
            "      --classes K       demand classes, 1..%d (default 4: rt, inf, train, hpc)\n"
            "      --expansions      scenario with expansion: true (a MIP); expansions.csv\n"
            "                        is always written\n"
            "      --weights         periods.csv (model 1.1): a weight per block of whole\n"
            "                        demand windows (a day with the default classes),\n"
            "                        summing to a year of hours\n"
            "      --coords          lat, lon of every site in sites.csv (model 1.1)\n"
            "      --target-vars N   choose the number of sites so that the LP has about\n"
            "                        N placement variables x (suffix k or M allowed: 500k);\n"
            "                        not with --sites\n"
            "      --name NAME       scenario name (default gen-rR-sS-tT-seedN)\n"
            "      --dry-run         write nothing; print the sizes\n"
            "  -f, --force           DIR may be non-empty: replace its model files\n"
            "  -h, --help            this text\n"
            "\n"
            "exit codes: 0 done, 64 usage, 73 DIR not empty (use --force) or not\n"
            "  creatable, 74 write error.  See docs/generator.md.\n",
            CN_GEN_MAX_REGIONS, CN_GEN_MAX_SITES, CN_GEN_MAX_PERIODS, CN_GEN_MAX_TYPES,
            CN_GEN_MAX_CLASSES);
}

/* An integer option by the one option parser (cli/options.c); with
 * allow_suffix, k or M may follow. */
static int parse_int(const char *opt, const char *s, long long lo, long long hi, int allow_suffix,
                     long long *out)
{
    char msg[512];
    if (cmd_opt_integer("cnopt generate", opt, s, lo, hi, allow_suffix, msg, sizeof msg, out) ==
        CN_OK)
        return CN_OK;
    fprintf(stderr, "%s\n", msg);
    return CN_EUSAGE;
}

static int parse_seed(const char *s, uint64_t *out)
{
    char msg[512];
    if (cmd_opt_u64("cnopt generate", "--seed", s, msg, sizeof msg, out) == CN_OK)
        return CN_OK;
    fprintf(stderr, "%s\n", msg);
    return CN_EUSAGE;
}

int cmd_generate(int argc, char **argv)
{
    enum { OPT_SEED = 256, OPT_TYPES, OPT_CLASSES, OPT_EXP, OPT_TARGET, OPT_NAME, OPT_DRY,
           OPT_WEIGHTS, OPT_COORDS };
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"regions", required_argument, NULL, 'r'},
        {"sites", required_argument, NULL, 's'},
        {"periods", required_argument, NULL, 't'},
        {"seed", required_argument, NULL, OPT_SEED},
        {"types", required_argument, NULL, OPT_TYPES},
        {"classes", required_argument, NULL, OPT_CLASSES},
        {"expansions", no_argument, NULL, OPT_EXP},
        {"weights", no_argument, NULL, OPT_WEIGHTS},
        {"coords", no_argument, NULL, OPT_COORDS},
        {"target-vars", required_argument, NULL, OPT_TARGET},
        {"name", required_argument, NULL, OPT_NAME},
        {"dry-run", no_argument, NULL, OPT_DRY},
        {"force", no_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cn_gen_opts o;
    cn_gen_opts_init(&o);
    const char *dir = NULL;
    int dry = 0, sites_given = 0, c;
    long long v = 0;
    while ((c = getopt_long(argc, argv, "o:r:s:t:fh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': dir = optarg; break;
        case 'r':
            if (parse_int("--regions", optarg, 1, CN_GEN_MAX_REGIONS, 0, &v))
                return CN_EUSAGE;
            o.regions = (int)v;
            break;
        case 's':
            if (parse_int("--sites", optarg, 1, CN_GEN_MAX_SITES, 0, &v))
                return CN_EUSAGE;
            o.sites = (int)v;
            sites_given = 1;
            break;
        case 't':
            if (parse_int("--periods", optarg, 1, CN_GEN_MAX_PERIODS, 0, &v))
                return CN_EUSAGE;
            o.periods = (long)v;
            break;
        case OPT_SEED:
            if (parse_seed(optarg, &o.seed))
                return CN_EUSAGE;
            break;
        case OPT_TYPES:
            if (parse_int("--types", optarg, 1, CN_GEN_MAX_TYPES, 0, &v))
                return CN_EUSAGE;
            o.types = (int)v;
            break;
        case OPT_CLASSES:
            if (parse_int("--classes", optarg, 1, CN_GEN_MAX_CLASSES, 0, &v))
                return CN_EUSAGE;
            o.classes = (int)v;
            break;
        case OPT_EXP: o.expansions = 1; break;
        case OPT_WEIGHTS: o.weights = 1; break;
        case OPT_COORDS: o.coords = 1; break;
        case OPT_TARGET:
            if (parse_int("--target-vars", optarg, 1, INT64_MAX / 2, 1, &v))
                return CN_EUSAGE;
            o.target_vars = (int64_t)v;
            break;
        case OPT_NAME: o.name = optarg; break;
        case OPT_DRY: dry = 1; break;
        case 'f': o.force = 1; break;
        case 'h': usage(stdout); return CN_OK;
        default:
            fputs("cnopt generate: see cnopt generate --help\n", stderr);
            return CN_EUSAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "cnopt generate: unexpected argument '%s' (see cnopt generate --help)\n",
                argv[optind]);
        return CN_EUSAGE;
    }
    if (!dir && !dry) {
        fputs("cnopt generate: missing -o DIR (see cnopt generate --help)\n", stderr);
        return CN_EUSAGE;
    }
    if (sites_given && o.target_vars > 0) {
        fputs("cnopt generate: --sites and --target-vars exclude each other\n", stderr);
        return CN_EUSAGE;
    }

    /* what --dry-run ignores is said, never silence */
    if (dry && dir)
        fprintf(stderr, "cnopt generate: warning: --dry-run writes nothing: -o %s is ignored\n",
                dir);
    if (dry && o.force)
        fputs("cnopt generate: warning: --dry-run writes nothing: --force is ignored\n", stderr);
    if (dry && o.name)
        fputs("cnopt generate: warning: --dry-run writes no scenario: --name is ignored\n",
              stderr);
    cn_gen_stats st;
    int rc = cn_generate(&o, dry ? NULL : dir, &st);
    if (rc != CN_OK) {
        if (rc == CN_EUSAGE) /* an option the library refused: no traceback */
            fprintf(stderr, "cnopt generate: %.*s\n",
                    (int)strcspn(cn_err_message(), "\n"), cn_err_message());
        else
            cmd_report_failure(rc);
        return rc;
    }
    if (dry) {
        printf("regions %d\nsites %d\nperiods %ld\ntypes %d\nclasses %d\nhubs %d\nlinks %d\n"
               "capacity_rows %d\nexpansion_rows %d\ndemand_rows %" PRId64
               "\nprofile_rows %" PRId64 "\nx_vars %" PRId64 "\nu_vars %" PRId64
               "\ncolumns %" PRId64 "\n",
               st.nregions, st.nsites, st.periods, st.ntypes, st.nclasses, st.nhubs, st.nlinks,
               st.ncaps, st.nexps, st.ndemand, st.nprofiles, st.nx, st.nu, st.ncols);
        return CN_OK;
    }
    cn_log(CN_LOG_INFO,
           "generate: wrote %s: %d regions, %d sites, %ld periods, %d classes, %d types, "
           "%d links; LP with %" PRId64 " x variables, %" PRId64 " columns",
           dir, st.nregions, st.nsites, st.periods, st.nclasses, st.ntypes, st.nlinks, st.nx,
           st.ncols);
    return CN_OK;
}
