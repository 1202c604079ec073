/* cli/cmd_solve.c - `cnopt solve SCENARIO.yaml`: load, solve, write HDF5.
 * Collective over comm: every rank parses the same arguments, and every
 * rank agrees on success (one MPI_Allreduce) before each collective step. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../base/err.h"
#include "../base/log.h"
#include "../base/mpiutil.h"
#include "../base/sha256.h"
#include "../base/signals.h"
#include "../io/h5out.h"
#include "../io/reader.h"
#include "../solver/dw.h"
#include "../solver/partition.h"
#include "../solver/solve.h"
#include "cmd.h"
#include "memguard.h"

static void usage(FILE *fp)
{
    fprintf(fp, "usage: cnopt solve [options] SCENARIO.yaml\n"
          "Solve the scenario's LP (or MIP with expansion: true) and write an HDF5 result.\n"
          "\n"
          "  -o, --output FILE     result file (default: NAME.h5, NAME from the scenario)\n"
          "      --force           overwrite an existing result file\n"
          "      --set KEY=VALUE   override a scenario parameter (repeatable), e.g.\n"
          "                        --set carbon_price=200 --set scale.bandwidth=2\n"
          "      --lp METHOD       simplex (default) or interior (GLPK's interior point;\n"
          "                        no crossover: docs/solver.md)\n"
          "      --simplex KIND    primal (default) or dual\n"
          "      --no-presolve     do not use GLPK's LP presolver\n"
          "      --mip-gap REL     relative MIP gap (default 1e-6)\n"
          "      --time-limit SEC  stop after SEC seconds with the best solution found\n"
          "      --write-mps FILE  export the exact model (free MPS) before solving\n"
          "      --write-lp FILE   export the exact model (CPLEX LP) before solving\n"
          "      --mem-limit SIZE  memory a rank may use, e.g. 4G or 500M (default: the\n"
          "                        node's MemAvailable or Slurm allocation, shared by its\n"
          "                        ranks); a model estimated to need more is refused up\n"
          "                        front with exit 71 (docs/memory.md)\n"
          "\n"
          "decomposition (LP only; docs/solver.md):\n"
          "      --method M        auto (default), dw or monolithic (one GLPK run on\n"
          "                        rank 0; always used for expansion: true, a MIP);\n"
          "                        auto: monolithic below %ld LP columns, else dw,\n"
          "                        and dw whenever a decomposition option is given\n"
          "      --partition P     metis (default), hub, or a CSV file 'site,part'\n"
          "      --parts N         number of METIS parts (default: about 8 sites a part,\n"
          "                        at least one per rank)\n"
          "      --blocks B        convexity blocks of the master: site-period (default),\n"
          "                        part-period or part (docs/benchmarks.md)\n"
          "      --smoothing S     dual smoothing: a fixed weight in [0, 1) (default 0.5)\n"
          "                        or auto (self-adjusting, from 0.5)\n"
          "      --gap REL         stop at relative gap <= REL (default 1e-6)\n"
          "      --max-iter N      stop after N iterations (default 10000)\n"
          "      --checkpoint FILE where SIGUSR1/SIGTERM and --checkpoint-every write the\n"
          "                        decomposition state (default OUTPUT.ckpt); a later run\n"
          "                        with the same inputs resumes from it; removed at the end\n"
          "      --checkpoint-every SEC  also write one every SEC seconds\n"
          "      --restart FILE    resume from FILE (which must exist and match the inputs)\n"
          "  -q, --quiet / -v, --verbose\n"
          "\n"
          "exit codes: 0 solved (any status is reported in the file), 64 usage,\n"
          "  65 bad data (or a checkpoint from other inputs), 66 input missing,\n"
          "  70 solver failure, 71 estimated to need more memory than --mem-limit\n"
          "  (or out of memory), 73 output exists or cannot be created, 74 I/O error,\n"
          "  75 interrupted by SIGUSR1/SIGTERM after writing a checkpoint: rerun to resume\n",
          (long)CN_AUTO_DW_MIN_COLS);
}

typedef struct solve_args {
    const char *scenario;
    int method;            /* enum cn_method */
    int dw_opt;            /* a decomposition-only option was given */
    cn_dw_opts dw;
    char ckpt[4200];
    const char *ckpt_opt, *restart;
    char out[4096];
    int force;
    double mem_limit; /* --mem-limit in bytes; 0 = the node's memory */
    int nsets;
    char **sets;
    cn_solve_opts so;
} solve_args;

static int parse_double(const char *opt, const char *s, double lo, double *v)
{
    char *end = NULL;
    double x = strtod(s, &end);
    if (!*s || *end || !isfinite(x) || x < lo) {
        fprintf(stderr, "cnopt solve: %s needs a number >= %g, got '%s'\n", opt, lo, s);
        return CN_EUSAGE;
    }
    *v = x;
    return CN_OK;
}

static int parse_args(int argc, char **argv, solve_args *a, int rank)
{
    enum { O_FORCE = 256, O_SET, O_LP, O_SIMPLEX, O_NOPRE, O_GAP, O_TIME, O_MPS, O_LPF,
           O_METHOD, O_PART, O_PARTS, O_DWGAP, O_MAXIT, O_CKPT, O_CKPTEV, O_RESTART,
           O_MEMLIM, O_BLOCKS, O_SMOOTH };
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},     {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, O_FORCE}, {"set", required_argument, NULL, O_SET},
        {"lp", required_argument, NULL, O_LP}, {"simplex", required_argument, NULL, O_SIMPLEX},
        {"no-presolve", no_argument, NULL, O_NOPRE},
        {"mip-gap", required_argument, NULL, O_GAP},
        {"time-limit", required_argument, NULL, O_TIME},
        {"write-mps", required_argument, NULL, O_MPS},
        {"write-lp", required_argument, NULL, O_LPF},
        {"method", required_argument, NULL, O_METHOD},
        {"partition", required_argument, NULL, O_PART},
        {"parts", required_argument, NULL, O_PARTS},
        {"blocks", required_argument, NULL, O_BLOCKS},
        {"smoothing", required_argument, NULL, O_SMOOTH},
        {"gap", required_argument, NULL, O_DWGAP},
        {"max-iter", required_argument, NULL, O_MAXIT},
        {"checkpoint", required_argument, NULL, O_CKPT},
        {"checkpoint-every", required_argument, NULL, O_CKPTEV},
        {"restart", required_argument, NULL, O_RESTART},
        {"mem-limit", required_argument, NULL, O_MEMLIM},
        {"quiet", no_argument, NULL, 'q'},    {"verbose", no_argument, NULL, 'v'},
        {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    cn_solve_opts_init(&a->so);
    cn_dw_opts_init(&a->dw);
    const char *fr = getenv("CNOPT_TEST_FAIL_RANK"), *fi = getenv("CNOPT_TEST_FAIL_ITER");
    if (fr && fi) { /* test hook: docs/solver.md "failure injection" */
        a->dw.fail_rank = atoi(fr);
        a->dw.fail_iter = atol(fi);
    }
    const char *fg = getenv("CNOPT_TEST_FAIL_GATHER"); /* test hook: docs/solver.md */
    if (fg)
        a->dw.fail_gather_iter = atol(fg);
    const char *sa = getenv("CNOPT_TEST_STOP_AFTER");
    if (sa) /* test hook: behave as if signalled after that iteration */
        a->dw.stop_after_iter = atol(sa);
    double num = 0;
    a->sets = calloc((size_t)argc + 1, sizeof *a->sets);
    if (!a->sets)
        return CN_EOSERR;
    const char *out = NULL;
    int c, level = cn_log_level();
    opterr = rank == 0;
    while ((c = getopt_long(argc, argv, "ho:qv", opts, NULL)) != -1) {
        int rc = CN_OK;
        switch (c) {
        case 'h': if (rank == 0) usage(stdout); return -1;
        case 'o': out = optarg; break;
        case O_FORCE: a->force = 1; break;
        case O_SET: a->sets[a->nsets++] = optarg; break;
        case O_LP:
            if (strcmp(optarg, "simplex") == 0)
                a->so.glpk.method = CN_LP_SIMPLEX;
            else if (strcmp(optarg, "interior") == 0)
                a->so.glpk.method = CN_LP_INTERIOR;
            else
                rc = CN_EUSAGE;
            break;
        case O_SIMPLEX:
            if (strcmp(optarg, "primal") == 0 || strcmp(optarg, "dual") == 0)
                a->so.glpk.dual_simplex = strcmp(optarg, "dual") == 0;
            else
                rc = CN_EUSAGE;
            break;
        case O_NOPRE: a->so.glpk.presolve = 0; break;
        case O_GAP: rc = parse_double("--mip-gap", optarg, 0.0, &a->so.glpk.mip_gap); break;
        case O_TIME: rc = parse_double("--time-limit", optarg, 0.0, &a->so.glpk.time_limit_s); break;
        case O_MPS: a->so.write_mps = optarg; break;
        case O_LPF: a->so.write_lp = optarg; break;
        case O_METHOD:
            a->method = cn_method_parse(optarg);
            if (a->method < 0)
                rc = CN_EUSAGE;
            break;
        case O_PART:
            if (strcmp(optarg, "metis") == 0)
                a->dw.part_method = CN_PART_METIS;
            else if (strcmp(optarg, "hub") == 0)
                a->dw.part_method = CN_PART_HUB;
            else {
                a->dw.part_method = CN_PART_FILE;
                a->dw.part_file = optarg;
            }
            break;
        case O_PARTS:
            rc = parse_double("--parts", optarg, 1, &num);
            if (rc == CN_OK && (num != floor(num) || num > 1e6))
                rc = CN_EUSAGE;
            a->dw.nparts = (int)num;
            break;
        case O_BLOCKS:
            a->dw.blocks = cn_dw_blocks_parse(optarg);
            if (a->dw.blocks < 0) {
                if (rank == 0)
                    fprintf(stderr, "cnopt solve: --blocks needs part, part-period or "
                            "site-period, got '%s'\n", optarg);
                rc = CN_EUSAGE;
            }
            break;
        case O_SMOOTH:
            a->dw.alpha_auto = strcmp(optarg, "auto") == 0;
            if (!a->dw.alpha_auto) {
                rc = parse_double("--smoothing", optarg, 0.0, &a->dw.alpha);
                if (rc == CN_OK && !(a->dw.alpha < 1.0)) {
                    if (rank == 0)
                        fprintf(stderr, "cnopt solve: --smoothing needs auto or a weight in "
                                "[0, 1), got '%s'\n", optarg);
                    rc = CN_EUSAGE;
                }
            }
            break;
        case O_DWGAP: rc = parse_double("--gap", optarg, 0.0, &a->dw.gap); break;
        case O_CKPT: a->ckpt_opt = optarg; break;
        case O_CKPTEV: rc = parse_double("--checkpoint-every", optarg, 0.001, &a->dw.ckpt_every_s); break;
        case O_RESTART: a->restart = optarg; break;
        case O_MEMLIM:
            if (cn_mg_parse_size(optarg, &a->mem_limit) != 0) {
                if (rank == 0)
                    fprintf(stderr, "cnopt solve: --mem-limit needs a size such as 4G or "
                            "500M, got '%s'\n", optarg);
                rc = CN_EUSAGE;
            }
            break;
        case O_MAXIT:
            rc = parse_double("--max-iter", optarg, 1, &num);
            a->dw.max_iter = (long)num;
            break;
        case 'q': level = CN_LOG_ERROR; break;
        case 'v': level = level < CN_LOG_DEBUG ? level + 1 : level; break;
        default: rc = CN_EUSAGE; break;
        }
        if (c == O_PART || c == O_PARTS || c == O_BLOCKS || c == O_SMOOTH || c == O_DWGAP || c == O_CKPT ||
            c == O_CKPTEV || c == O_RESTART || c == O_MAXIT)
            a->dw_opt = c;
        if (rc != CN_OK) {
            if (rank == 0 && (c == O_LP || c == O_SIMPLEX || c == O_METHOD || c == O_PARTS))
                fprintf(stderr, "cnopt solve: bad value '%s' for --%s\n", optarg,
                        c == O_LP ? "lp" : c == O_SIMPLEX ? "simplex"
                        : c == O_METHOD ? "method" : "parts");
            if (rank == 0)
                usage(stderr);
            return CN_EUSAGE;
        }
    }
    cn_log_init(cn_log_rank(), level);
    if (a->dw_opt && a->method == CN_METHOD_MONOLITHIC && rank == 0) {
        const char *name = "";
        for (int i = 0; opts[i].name; i++)
            if (opts[i].val == a->dw_opt)
                name = opts[i].name;
        cn_log(CN_LOG_WARN, "--%s is a decomposition option: the monolithic path ignores it",
               name);
    }
    a->so.glpk.verbose = level >= CN_LOG_DEBUG;
    a->dw.time_limit_s = a->so.glpk.time_limit_s;
    if (optind != argc - 1) {
        if (rank == 0) {
            fprintf(stderr, "cnopt solve: expected one SCENARIO.yaml, got %d arguments\n",
                    argc - optind);
            usage(stderr);
        }
        return CN_EUSAGE;
    }
    a->scenario = argv[optind];
    if (out)
        snprintf(a->out, sizeof a->out, "%s", out);
    return CN_OK;
}

/* Scenario, --set overrides, then the model directory. */
static int load(const solve_args *a, cn_model **out)
{
    const char *ur = getenv("CNOPT_TEST_UNREADABLE_RANK");
    if (ur && atoi(ur) == cn_log_rank()) { /* test hook: docs/robustness.md */
        cn_diag_add(a->scenario, 0, 0, "cannot open scenario file: Permission denied "
                    "(test hook CNOPT_TEST_UNREADABLE_RANK=%s)", ur);
        return CN_ENOINPUT;
    }
    cn_scenario sc;
    cn_scenario_init(&sc);
    int rc = cn_scenario_read(a->scenario, &sc);
    for (int i = 0; rc == CN_OK && i < a->nsets; i++) {
        char key[256];
        const char *eq = strchr(a->sets[i], '=');
        if (!eq || eq == a->sets[i] || (size_t)(eq - a->sets[i]) >= sizeof key) {
            cn_diag_add("--set", 1, (long)i + 1, "expected KEY=VALUE, got '%s'", a->sets[i]);
            rc = CN_EUSAGE;
            break;
        }
        memcpy(key, a->sets[i], (size_t)(eq - a->sets[i]));
        key[eq - a->sets[i]] = '\0';
        rc = cn_scenario_set(&sc, key, eq + 1, "--set", 1, (long)i + 1);
    }
    if (rc == CN_OK)
        rc = cn_model_read(&sc, out);
    cn_scenario_free(&sc);
    return rc;
}

/* SHA-256 over what shapes a decomposition run: every input file's hash, the
 * resolved scenario parameters (after --set), the partition and the number
 * of parts asked for.  A checkpoint resumes only a run with the same hash. */
static void input_hash(const cn_model *m, const solve_args *a, int size, char hex[65])
{
    char buf[8192];
    size_t n = 0;
    const cn_scenario *sc = &m->sc;
    for (int i = 0; i < m->nfiles && n < sizeof buf; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s\n", m->files[i].sha256);
    if (n < sizeof buf)
        n += (size_t)snprintf(buf + n, sizeof buf - n,
                              "%ld %.17g %.17g %.17g %d %.17g %d %.17g %.17g %.17g %.17g\n"
                              "part %d %s parts %d blocks %d smoothing %d %.17g\n",
                              sc->periods, sc->period_hours, sc->period_weight, sc->carbon_price,
                              sc->has_carbon_cap, sc->carbon_cap, sc->expansion, sc->scale_demand,
                              sc->scale_bandwidth, sc->scale_green, sc->scale_grid_price,
                              a->dw.part_method, a->dw.part_file ? a->dw.part_file : "-",
                              a->dw.nparts > 0 ? a->dw.nparts
                              : ((m->nsites + 7) / 8 > size ? (m->nsites + 7) / 8 : size),
                              a->dw.blocks, a->dw.alpha_auto, a->dw.alpha);
    if (a->dw.part_file) {
        char fh[65] = "";
        if (cn_sha256_file(a->dw.part_file, fh) == CN_OK && n < sizeof buf)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s\n", fh);
    }
    cn_sha256_hex(buf, n < sizeof buf ? n : sizeof buf, hex);
}

/* Collective.  The output's directory must take a new file: root passes the
 * permission checks of cn_h5_check_output, but not a read-only file system
 * (or one full of inodes), which would otherwise fail only after solving. */
static int probe_output_dir(const char *out, MPI_Comm comm)
{
    int rank = 0, rc = CN_OK;
    MPI_Comm_rank(comm, &rank);
    if (rank == 0) {
        char probe[4200];
        const char *slash = strrchr(out, '/');
        snprintf(probe, sizeof probe, "%.*s.cnopt-probe-XXXXXX", slash ? (int)(slash - out) + 1 : 0,
                 out);
        int fd = mkstemp(probe);
        if (fd < 0)
            rc = CN_ERR(CN_ECANTCREAT, "cannot create %s: cannot write in its directory: %s",
                        out, strerror(errno));
        else {
            close(fd);
            unlink(probe);
        }
    }
    MPI_Bcast(&rc, 1, MPI_INT, 0, comm);
    return rc;
}

/* Test hook CNOPT_TEST_LEAK=1 (docs/robustness.md): lose 12345 bytes on
 * purpose, so tests/e2e/test_asan_e2e.sh can show that LeakSanitizer, with the
 * suppressions of tests/lsan.supp, still reports a leak of cnopt's own code
 * and names this function.  noinline and a write through a volatile pointer
 * keep the compiler from removing the allocation. */
__attribute__((noinline)) static void cn_test_planted_leak(void)
{
    char *volatile p = malloc(12345);
    if (p)
        memset(p, 0x5a, 12345);
    p = NULL;
}

/* Test hook CNOPT_TEST_ENOMEM_RANK=R (docs/robustness.md): on rank R, cap the
 * data segment (RLIMIT_DATA: heap and private mappings) at what the rank uses
 * now plus CNOPT_TEST_ENOMEM_MB MiB (default 0), for the solve only, so the
 * solver's allocations on that rank fail as they would on a node out of
 * memory.  Returns 1 when the limit was set (*saved: the limit to restore
 * after the solve), else 0.  Not collective. */
static int test_enomem_limit(int rank, struct rlimit *saved)
{
    const char *r = getenv("CNOPT_TEST_ENOMEM_RANK"), *mb = getenv("CNOPT_TEST_ENOMEM_MB");
    if (!r || !*r || atoi(r) != rank || getrlimit(RLIMIT_DATA, saved) != 0)
        return 0;
    FILE *fp = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (fp && fgets(line, sizeof line, fp))
        if (sscanf(line, "VmData: %ld kB", &kb) == 1)
            break;
    if (fp)
        fclose(fp);
    if (kb < 0)
        return 0;
    double extra = mb && *mb ? atof(mb) : 0.0;
    struct rlimit rl = *saved;
    rl.rlim_cur = (rlim_t)(kb * 1024.0 + extra * 1024.0 * 1024.0);
    if (setrlimit(RLIMIT_DATA, &rl) != 0) {
        cn_log(CN_LOG_WARN, "test hook CNOPT_TEST_ENOMEM_RANK: setrlimit: %s", strerror(errno));
        return 0;
    }
    cn_log(CN_LOG_INFO, "test hook: rank %d may allocate %.1f MiB more while solving", rank,
           extra);
    return 1;
}

static char *join_argv(int argc, char **argv)
{
    size_t n = 16;
    for (int i = 0; i < argc; i++)
        n += strlen(argv[i]) * 4 + 3;
    char *s = calloc(n, 1);
    if (!s)
        return NULL;
    strcat(s, "cnopt");
    for (int i = 0; i < argc; i++) {
        strcat(s, " ");
        int plain = argv[i][0] != '\0' && strpbrk(argv[i], " \t'\"\\$`*?") == NULL;
        if (plain) {
            strcat(s, argv[i]);
            continue;
        }
        strcat(s, "'");
        for (const char *p = argv[i]; *p; p++)
            strcat(s, *p == '\'' ? "'\\''" : (char[]){*p, '\0'});
        strcat(s, "'");
    }
    return s;
}

int cmd_solve(int argc, char **argv, MPI_Comm comm)
{
    return cmd_solve_warm(argc, argv, comm, NULL);
}

int cmd_solve_warm(int argc, char **argv, MPI_Comm comm, cn_warm *warm)
{
    int rank = 0, size = 1;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    solve_args a;
    cn_model *m = NULL;
    cn_derived *d = NULL;
    cn_result *res = NULL;
    int *owner = NULL, nparts = 1;
    cn_iterlog log;
    memset(&log, 0, sizeof log);
    struct rlimit enomem_saved;
    int enomem_hook = 0;
    char *cmdline = join_argv(argc, argv);
    const char *leak = getenv("CNOPT_TEST_LEAK");
    if (leak && strcmp(leak, "1") == 0)
        cn_test_planted_leak();
    cn_signals_install();
    int rc = parse_args(argc, argv, &a, rank);
    if (rc < 0) {
        rc = CN_OK; /* --help */
        goto cleanup;
    }
    if (rc != CN_OK)
        goto cleanup;
    a.dw.warm = warm ? warm->dw : NULL;
    a.so.basis = warm ? &warm->basis : NULL;

    /* every rank reads the scenario and model (small next to the LP) */
    int rc_load = load(&a, &m), rc0 = rc_load;
    MPI_Bcast(&rc0, 1, MPI_INT, 0, comm);
    rc = cn_mpi_agree(comm, rc_load);
    if (rc != CN_OK) {
        if (rc_load != CN_OK && rc0 == CN_OK) { /* rank 0 read it: say it here, once */
            /* which rank (and node) could not read it is the news here */
            char host[MPI_MAX_PROCESSOR_NAME] = "?";
            int hlen = 0;
            MPI_Get_processor_name(host, &hlen);
            fprintf(stderr, "cnopt[rank %d on %s]: rank 0 read the input, this rank could not:\n",
                    rank, host);
            cmd_report_failure(rc_load);
            cn_diag_clear();
            cn_err_clear();
        }
        goto cleanup;
    }
    if (!a.out[0])
        snprintf(a.out, sizeof a.out, "%s.h5", m->sc.name);
    rc = cn_h5_check_output(a.out, a.force, comm);
    if (rc == CN_OK)
        rc = probe_output_dir(a.out, comm);
    if (rc != CN_OK)
        goto cleanup;
    /* memory guard (docs/memory.md): a lower bound from the counts before
     * the derived data, which grows with the periods, then the estimate */
    /* auto is decided on the real size below: the lower bound is checked as
     * the lighter decomposition, the estimate as the path taken */
    int mg = m->sc.expansion ? CN_MG_MIP : a.method == CN_METHOD_MONOLITHIC ? CN_MG_MONOLITHIC
                                                                            : CN_MG_DW;
    cn_size lb;
    cn_mg_size_lower_bound(m, &lb);
    rc = cn_mg_check(m->sc.path, &lb, mg, a.mem_limit, comm);
    if (rc != CN_OK)
        goto cleanup;
    rc = cn_mpi_agree(comm, cn_derived_create(m, &d));
    if (rc == CN_OK && !m->sc.expansion)
        mg = cn_method_choose(a.method, a.dw_opt, d->size.ncols) == CN_METHOD_DW ? CN_MG_DW
                                                                               : CN_MG_MONOLITHIC;
    if (rc == CN_OK)
        rc = cn_mg_check(m->sc.path, &d->size, mg, a.mem_limit, comm);
    if (rc != CN_OK)
        goto cleanup;
    enomem_hook = test_enomem_limit(rank, &enomem_saved);

    int use_dw = !m->sc.expansion && cn_method_choose(a.method, a.dw_opt, d->size.ncols) == CN_METHOD_DW;
    if (rank == 0 && a.method == CN_METHOD_AUTO && !m->sc.expansion)
        cn_log(CN_LOG_INFO, "method auto: %s (%ld LP columns%s; docs/solver.md)",
               use_dw ? "decomposition" : "monolithic", (long)d->size.ncols,
               a.dw_opt ? ", a decomposition option given" : "");
    if (a.method != CN_METHOD_MONOLITHIC && m->sc.expansion && rank == 0)
        cn_log(CN_LOG_INFO, "expansion: true makes a MIP: solved by GLPK branch and bound "
               "on rank 0 (docs/solver.md)");
    if (use_dw && (a.so.write_mps || a.so.write_lp)) {
        /* the export is of the whole model: build it on rank 0 */
        int lrc = CN_OK;
        if (rank == 0) {
            cn_lp *lp = NULL;
            lrc = cn_lp_build(d, &lp);
            if (lrc == CN_OK)
                lrc = cn_glpk_write(d, lp, a.so.write_mps, a.so.write_lp);
            cn_lp_destroy(&lp);
        }
        rc = cn_mpi_agree(comm, lrc);
        if (rc != CN_OK)
            goto cleanup;
    }
    char hash[65];
    if (use_dw) {
        input_hash(m, &a, size, hash);
        a.dw.input_hash = hash;
        if (a.ckpt_opt)
            snprintf(a.ckpt, sizeof a.ckpt, "%s", a.ckpt_opt);
        else
            snprintf(a.ckpt, sizeof a.ckpt, "%s.ckpt", a.out);
        a.dw.ckpt_path = a.ckpt;
        a.dw.restart_path = a.restart ? a.restart : a.ckpt;
        a.dw.restart_required = a.restart != NULL;
        rc = cn_solve_dw(d, &a.dw, comm, &res, &owner, &nparts, &log);
        if (rc != CN_OK)
            goto cleanup;
    } else {
        /* the monolithic path solves on rank 0; the others wait for the write */
        int lrc = CN_OK;
        if (rank == 0)
            lrc = cn_solve_monolithic(d, &a.so, &res);
        else
            lrc = cn_result_create(m, &res);
        rc = cn_mpi_agree(comm, lrc);
        if (rc != CN_OK)
            goto cleanup;
    }
    if (enomem_hook) /* the test hook's limit covers the solve only */
        enomem_hook = setrlimit(RLIMIT_DATA, &enomem_saved) != 0;
    res->ranks = size;
    if (rank == 0)
        cn_log(CN_LOG_INFO, "status %s, objective %.10g yuan, gap %.3g, %ld iterations, "
               "%.2f s, max violation %.3g",
               cn_status_name(res->status), res->objective, res->gap, res->iterations,
               res->solve_seconds, res->max_violation);

    char mpiver[MPI_MAX_LIBRARY_VERSION_STRING];
    int len = 0;
    MPI_Get_library_version(mpiver, &len);
    char *nl = strpbrk(mpiver, ",\n");
    if (nl)
        *nl = '\0';
    cn_provenance prov = {cmdline, cn_glpk_version(), mpiver, getenv("SLURM_JOB_ID"),
                          use_dw ? cn_partition_name(a.dw.part_method) : "none",
                          use_dw ? nparts : 1};
    rc = cn_h5_write_result(a.out, a.force, m, res, owner, &prov, use_dw ? &log : NULL, comm);
    if (rc == CN_OK && rank == 0)
        cn_log(CN_LOG_INFO, "wrote %s", a.out);
    /* peak memory per rank (the figure `--mem-limit` and Slurm --mem are about) */
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double peak = (double)ru.ru_maxrss / 1024.0, peak_max = peak;
    MPI_Reduce(&peak, &peak_max, 1, MPI_DOUBLE, MPI_MAX, 0, comm);
    if (rank == 0)
        cn_log(CN_LOG_INFO, "peak memory: %.0f MiB on the largest of %d ranks", peak_max, size);
    /* a solution that failed its check is written (status numerical_failure,
     * for inspection) but the run fails: exit 70 on every rank */
    int st = res->status;
    MPI_Bcast(&st, 1, MPI_INT, 0, comm);
    if (rc == CN_OK && st == CN_STATUS_NUMERICAL)
        rc = rank == 0 ? CN_ERR(CN_ESOFTWARE, "the solution failed its check against the model "
                                "(status numerical_failure in %s; docs/solver.md \"Verification\")",
                                a.out)
                       : CN_ESOFTWARE;

cleanup:
    if (enomem_hook)
        setrlimit(RLIMIT_DATA, &enomem_saved);
    /* input diagnostics are the same on every rank: rank 0 prints them; any
     * other error is printed by the rank it happened on */
    if (rc != CN_OK && (cn_diag_count() > 0 ? rank == 0 : cn_err_message()[0] != '\0'))
        cmd_report_failure(rc);
    free(a.sets);
    free(cmdline);
    free(owner);
    cn_iterlog_free(&log);
    cn_result_destroy(&res);
    cn_derived_destroy(&d);
    cn_model_destroy(&m);
    return rc;
}
