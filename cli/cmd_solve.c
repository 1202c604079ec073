/* cli/cmd_solve.c - `cnopt solve SCENARIO.yaml`: load, solve, write HDF5.
 * Collective over comm: every rank parses the same arguments, and every
 * rank agrees on success (one MPI_Allreduce) before each collective step. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <mpi.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/err.h"
#include "../base/infile.h"
#include "../base/log.h"
#include "../base/mpiutil.h"
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
          "      --force           overwrite an existing result file, and discard a\n"
          "                        checkpoint at the default path made from other\n"
          "                        inputs (without --force it is refused, exit 65)\n"
          "      --set KEY=VALUE   override a scenario parameter (repeatable), e.g.\n"
          "                        --set carbon_price=200 --set scale.bandwidth=2\n"
          "      --lp METHOD       simplex (default) or interior (GLPK's interior point;\n"
          "                        no crossover: docs/solver.md)\n"
          "      --simplex KIND    primal (default) or dual\n"
          "      --presolve        use GLPK's LP presolver (default: off, measured slower\n"
          "                        on the bundled model; docs/solver.md)\n"
          "      --no-presolve     do not use it (the default)\n"
          "      --sift            sifting: the primal simplex on a working set of\n"
          "                        columns, the others priced in (the default for a\n"
          "                        cold simplex without the presolver, and for the\n"
          "                        decomposition's pricing re-solves; docs/solver.md)\n"
          "      --no-sift         the primal simplex on all columns at once\n"
          "      --no-period-start a cold monolithic simplex starts from GLPK's advanced\n"
          "                        basis, not from its periods solved apart on the\n"
          "                        ranks (the default; docs/solver.md \"The period start\")\n"
          "      --mip-gap REL     relative MIP gap (default 1e-6)\n"
          "      --time-limit SEC  stop after SEC seconds with the best solution found\n"
          "      --write-mps FILE  export the exact model (free MPS) before solving\n"
          "      --write-lp FILE   export the exact model (CPLEX LP) before solving\n"
          "      --mem-limit SIZE  memory a rank may use, e.g. 4G or 500M (default: the\n"
          "                        node's MemAvailable or Slurm allocation, shared by its\n"
          "                        ranks); a model estimated to need more is refused up\n"
          "                        front with exit 71 (docs/memory.md)\n"
          "\n");
    fprintf(fp, "decomposition (docs/solver.md):\n"
          "      --method M        auto (default), dw or monolithic (one GLPK run on\n"
          "                        rank 0); auto: monolithic below %ld LP columns\n"
          "                        (%ld on a horizon of one time block, a day),\n"
          "                        else dw, and dw whenever a decomposition option\n"
          "                        is given.  A MIP (expansion: true) is solved by\n"
          "                        Benders decomposition over the modules, its LPs by\n"
          "                        the path auto or dw takes; monolithic: GLPK's\n"
          "                        branch and bound on rank 0\n"
          "      --partition P     metis (default), hub, or a CSV file 'site,part'\n"
          "      --parts N         number of METIS parts (default: about 8 sites a part,\n"
          "                        at least one per rank)\n"
          "      --blocks B        convexity blocks of the master: auto (default: time\n"
          "                        when the horizon holds two or more time blocks, else\n"
          "                        site-period), time (a part over a time block, one\n"
          "                        pricing LP each), site-period, part-period or part\n"
          "                        (docs/solver.md \"Time blocks\", docs/benchmarks.md)\n"
          "      --time-block N    periods of a time block, a multiple of every class\n"
          "                        window (default: their least common multiple)\n"
          "      --chain N         time blocks: a block's first pricing solve starts\n"
          "                        from the basis of the block before it, in chains of\n"
          "                        N consecutive blocks held by one rank (default:\n"
          "                        the longest up to 7 that keeps the ranks within\n"
          "                        15 %% of an even share; 1: each starts cold;\n"
          "                        docs/solver.md \"Chains\")\n"
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
          "  75 interrupted by SIGUSR1/SIGTERM/SIGINT (decomposition: after writing a\n"
          "  checkpoint; while reading or in a monolithic solve: nothing written): rerun\n",
          (long)CN_AUTO_DW_MIN_COLS, (long)CN_AUTO_DW_MIN_COLS_ONE_BLOCK);
}

enum { O_FORCE = 256, O_SET, O_LP, O_SIMPLEX, O_NOPRE, O_PRE, O_SIFT, O_NOSIFT, O_NOPSTART,
       O_GAP, O_TIME, O_MPS, O_LPF,
       O_METHOD, O_PART, O_PARTS, O_DWGAP, O_MAXIT, O_CKPT, O_CKPTEV, O_RESTART,
       O_MEMLIM, O_BLOCKS, O_SMOOTH, O_TBLOCK, O_CHAIN, O_END };

/* solve's options: the one table that `cnopt solve` and the check of a
 * sweep's solve_args (cmd_solve_check_args) both parse with */
static const struct option solve_opts[] = {
    {"help", no_argument, NULL, 'h'},     {"output", required_argument, NULL, 'o'},
    {"force", no_argument, NULL, O_FORCE}, {"set", required_argument, NULL, O_SET},
    {"lp", required_argument, NULL, O_LP}, {"simplex", required_argument, NULL, O_SIMPLEX},
    {"no-presolve", no_argument, NULL, O_NOPRE}, {"presolve", no_argument, NULL, O_PRE},
    {"sift", no_argument, NULL, O_SIFT},   {"no-sift", no_argument, NULL, O_NOSIFT},
    {"no-period-start", no_argument, NULL, O_NOPSTART},
    {"mip-gap", required_argument, NULL, O_GAP},
    {"time-limit", required_argument, NULL, O_TIME},
    {"write-mps", required_argument, NULL, O_MPS},
    {"write-lp", required_argument, NULL, O_LPF},
    {"method", required_argument, NULL, O_METHOD},
    {"partition", required_argument, NULL, O_PART},
    {"parts", required_argument, NULL, O_PARTS},
    {"blocks", required_argument, NULL, O_BLOCKS},
    {"time-block", required_argument, NULL, O_TBLOCK},
    {"chain", required_argument, NULL, O_CHAIN},
    {"smoothing", required_argument, NULL, O_SMOOTH},
    {"gap", required_argument, NULL, O_DWGAP},
    {"max-iter", required_argument, NULL, O_MAXIT},
    {"checkpoint", required_argument, NULL, O_CKPT},
    {"checkpoint-every", required_argument, NULL, O_CKPTEV},
    {"restart", required_argument, NULL, O_RESTART},
    {"mem-limit", required_argument, NULL, O_MEMLIM},
    {"quiet", no_argument, NULL, 'q'},    {"verbose", no_argument, NULL, 'v'},
    {NULL, 0, NULL, 0}};

/* "--output" for 'o', "--max-iter" for O_MAXIT */
static const char *opt_name(int val)
{
    static char buf[40];
    for (int i = 0; solve_opts[i].name; i++)
        if (solve_opts[i].val == val) {
            snprintf(buf, sizeof buf, "--%s", solve_opts[i].name);
            return buf;
        }
    return "?";
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
    cn_solve_opts so;          /* glpk and export options; method, dw_opt and dw
                                * are parsed into the fields above and joined in
                                * solve_opts_of */
    int level;                 /* log level after -q / -v */
    unsigned char seen[O_END]; /* seen[val]: the option was given */
    /* check mode (cmd_solve_check_args): print nothing, keep the first
     * problem in msg and the argv index it came from in bad_arg */
    int check;
    char *msg;
    size_t msgn;
    int bad_arg;
} solve_args;

/* A usage error at argv[argi]: printed on rank 0 with the usage text, or in
 * check mode kept in a->msg.  Returns CN_EUSAGE. */
static int usage_error(solve_args *a, int rank, int argi, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int usage_error(solve_args *a, int rank, int argi, const char *fmt, ...)
{
    char buf[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (a->check) {
        if (a->msg && a->msgn)
            snprintf(a->msg, a->msgn, "%s", buf);
        a->bad_arg = argi;
    } else if (rank == 0) {
        fprintf(stderr, "cnopt solve: %s\n", buf);
        usage(stderr);
    }
    return CN_EUSAGE;
}

/* A numeric option value, by the one parser of cmd_opt_number. */
static int num_arg(solve_args *a, int rank, int argi, int val, const char *s, double lo, double hi,
                   int is_int, double *v)
{
    char msg[512];
    if (cmd_opt_number(NULL, opt_name(val), s, lo, hi, is_int, msg, sizeof msg, v) == CN_OK)
        return CN_OK;
    return usage_error(a, rank, argi, "%s", msg);
}

/* check: 0 for `cnopt solve`; 1 to check a sweep's solve_args (argv[1..]
 * are the entries; no scenario expected, nothing printed). */
static int parse_args(int argc, char **argv, solve_args *a, int rank, int check, char *msg,
                      size_t msgn)
{
    memset(a, 0, sizeof *a);
    a->check = check;
    a->msg = msg;
    a->msgn = msgn;
    a->bad_arg = -1;
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
    const char *sm = getenv("CNOPT_TEST_SIGNAL_MASTER");
    if (sm) /* test hook: a signal inside that iteration's master solve */
        a->dw.signal_master_iter = atol(sm);
    double num = 0;
    a->sets = calloc((size_t)argc + 1, sizeof *a->sets);
    if (!a->sets)
        return CN_EOSERR;
    const char *out = NULL;
    int c, level = cn_log_level();
    /* check mode: no getopt messages (':' reports a missing value), and stop
     * at the first entry that is not an option ('+') */
    opterr = !check && rank == 0;
    for (;;) {
        int at = optind > 0 ? optind : 1; /* the entry being parsed */
        c = getopt_long(argc, argv, check ? "+:ho:qv" : "ho:qv", solve_opts, NULL);
        if (c == -1)
            break;
        int rc = CN_OK;
        if (c >= 0 && c < O_END)
            a->seen[c] = 1;
        if (check && (c == 'o' || c == O_FORCE || c == O_CKPT || c == O_RESTART || c == 'h'))
            return usage_error(a, rank, at, "'%s' is %s: the sweep sets each task's output "
                               "(OUTDIR/NAME-I.h5) and checkpoint itself, and --force is an "
                               "option of `cnopt sweep`", argv[at], opt_name(c));
        /* a file name option given as '' would silently mean another file */
        if ((c == 'o' || c == O_CKPT || c == O_RESTART || c == O_MPS || c == O_LPF ||
             c == O_PART) && optarg && !*optarg)
            return usage_error(a, rank, at, "%s needs a file name, got ''", opt_name(c));
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
                rc = usage_error(a, rank, at, "bad value '%s' for --lp", optarg);
            break;
        case O_SIMPLEX:
            if (strcmp(optarg, "primal") == 0 || strcmp(optarg, "dual") == 0)
                a->so.glpk.dual_simplex = strcmp(optarg, "dual") == 0;
            else
                rc = usage_error(a, rank, at, "bad value '%s' for --simplex", optarg);
            break;
        case O_NOPRE: a->so.glpk.presolve = 0; break;
        case O_PRE: a->so.glpk.presolve = 1; break;
        case O_SIFT: a->so.glpk.sift = a->dw.sift = 1; break;
        case O_NOSIFT: a->so.glpk.sift = a->dw.sift = 0; break;
        case O_NOPSTART: a->so.period_start = 0; break;
        case O_GAP: rc = num_arg(a, rank, at, c, optarg, 0.0, HUGE_VAL, 0, &a->so.glpk.mip_gap); break;
        /* GLPK takes the limit in int milliseconds: 1e9 s is beyond any job */
        case O_TIME: rc = num_arg(a, rank, at, c, optarg, 0.0, 1e9, 0, &a->so.glpk.time_limit_s); break;
        case O_MPS: a->so.write_mps = optarg; break;
        case O_LPF: a->so.write_lp = optarg; break;
        case O_METHOD:
            a->method = cn_method_parse(optarg);
            if (a->method < 0)
                rc = usage_error(a, rank, at, "bad value '%s' for --method", optarg);
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
            rc = num_arg(a, rank, at, c, optarg, 1, 1e6, 1, &num);
            if (rc == CN_OK)
                a->dw.nparts = (int)num;
            break;
        case O_BLOCKS:
            a->dw.blocks = cn_dw_blocks_parse(optarg);
            if (a->dw.blocks < 0)
                rc = usage_error(a, rank, at, "--blocks needs auto, time, part, part-period "
                                 "or site-period, got '%s'", optarg);
            break;
        case O_TBLOCK:
            rc = num_arg(a, rank, at, c, optarg, 1, 1e9, 1, &num);
            if (rc == CN_OK)
                a->dw.time_block = (long)num;
            break;
        case O_CHAIN:
            rc = num_arg(a, rank, at, c, optarg, 1, 1e9, 1, &num);
            if (rc == CN_OK)
                a->dw.chain = (long)num;
            break;
        case O_SMOOTH:
            a->dw.alpha_auto = strcmp(optarg, "auto") == 0;
            if (!a->dw.alpha_auto) {
                char m2[512];
                if (cmd_opt_number(NULL, "--smoothing", optarg, 0.0, 1.0, 0, m2, sizeof m2,
                                   &a->dw.alpha) != CN_OK || !(a->dw.alpha < 1.0))
                    rc = usage_error(a, rank, at, "--smoothing needs auto or a weight in "
                                     "[0, 1), got '%s'", optarg);
            }
            break;
        case O_DWGAP: rc = num_arg(a, rank, at, c, optarg, 0.0, HUGE_VAL, 0, &a->dw.gap); break;
        case O_CKPT: a->ckpt_opt = optarg; break;
        case O_CKPTEV: rc = num_arg(a, rank, at, c, optarg, 0.001, 1e9, 0, &a->dw.ckpt_every_s); break;
        case O_RESTART: a->restart = optarg; break;
        case O_MEMLIM: {
            char m2[512];
            if (cmd_opt_size(NULL, "--mem-limit", optarg, m2, sizeof m2, &a->mem_limit) != CN_OK)
                rc = usage_error(a, rank, at, "%s", m2);
            break;
        }
        case O_MAXIT:
            /* an integer within long: 1e308 would overflow the cast */
            rc = num_arg(a, rank, at, c, optarg, 1, 1e9, 1, &num);
            if (rc == CN_OK)
                a->dw.max_iter = (long)num;
            break;
        case 'q': level = CN_LOG_ERROR; break;
        case 'v': level = level < CN_LOG_DEBUG ? level + 1 : level; break;
        case ':':
            rc = usage_error(a, rank, at, "'%s' needs a value", argv[at]);
            break;
        default:
            rc = check ? usage_error(a, rank, at, "'%s' is not an option of cnopt solve (or "
                                     "an abbreviation of more than one)", argv[at])
                       : usage_error(a, rank, at, "see the options above");
            break;
        }
        if (c == O_PART || c == O_PARTS || c == O_BLOCKS || c == O_SMOOTH || c == O_DWGAP || c == O_CKPT ||
            c == O_CKPTEV || c == O_RESTART || c == O_MAXIT || c == O_TBLOCK || c == O_CHAIN)
            a->dw_opt = c;
        if (rc != CN_OK)
            return CN_EUSAGE;
    }
    a->level = level;
    a->so.glpk.verbose = level >= CN_LOG_DEBUG;
    a->dw.time_limit_s = a->so.glpk.time_limit_s;
    if (check) {
        if (optind < argc)
            return usage_error(a, rank, optind, "'%s' is not an option (solve_args holds "
                               "options and their values; the scenario is the job's "
                               "scenario:)", argv[optind]);
        return CN_OK;
    }
    cn_log_init(cn_log_rank(), level);
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

struct cmd_solve_task {
    solve_args a;
    char **argv;               /* "solve" and the entries: a's strings point into them */
    int nargs;
};

void cmd_solve_task_destroy(cmd_solve_task **t)
{
    if (!*t)
        return;
    free((*t)->a.sets);
    free((*t)->argv);
    free(*t);
    *t = NULL;
}

int cmd_solve_task_create(int nargs, char *const *args, cmd_solve_task **out, int *bad,
                          char *msg, size_t msgn)
{
    *out = NULL;
    *bad = 0;
    cmd_solve_task *t = calloc(1, sizeof *t);
    char **argv = t ? calloc((size_t)nargs + 2, sizeof *argv) : NULL;
    if (!argv) {
        snprintf(msg, msgn, "out of memory");
        free(t);
        return CN_EUSAGE;
    }
    argv[0] = "solve";
    for (int i = 0; i < nargs; i++)
        argv[i + 1] = args[i];
    t->argv = argv;
    t->nargs = nargs;
    int saved_optind = optind, saved_opterr = opterr;
    optind = 0; /* a fresh getopt scan */
    int rc = parse_args(nargs + 1, argv, &t->a, 1, 1, msg, msgn);
    optind = saved_optind;
    opterr = saved_opterr;
    if (rc != CN_OK) {
        *bad = t->a.bad_arg > 0 ? t->a.bad_arg - 1 : 0;
        cmd_solve_task_destroy(&t);
        return CN_EUSAGE;
    }
    t->a.check = 0; /* from here on a run: messages are printed */
    t->a.msg = NULL;
    t->a.msgn = 0;
    *out = t;
    return CN_OK;
}

/* Options the path taken ignores: said once, on rank 0, never silence.
 * use_dw: the LP (or Benders' subproblem) by the decomposition; bb: the MIP
 * by GLPK's branch and bound; benders: the MIP by Benders, which keeps the
 * checkpoint options. */
static void warn_ignored(const solve_args *a, int use_dw, int bb, int benders)
{
    /* --sift/--no-sift reach the decomposition's pricing LPs too */
    static const int glpk_opts[] = {O_LP, O_SIMPLEX, O_NOPRE, O_PRE};
    if (!use_dw && a->dw_opt) {
        for (int v = O_FORCE; v < O_END; v++) {
            int ckpt = v == O_CKPT || v == O_CKPTEV || v == O_RESTART;
            if (a->seen[v] && !(benders && ckpt) &&
                (v == O_PART || v == O_PARTS || v == O_BLOCKS || v == O_SMOOTH ||
                 v == O_DWGAP || ckpt || v == O_MAXIT || v == O_TBLOCK ||
                 v == O_CHAIN))
                cn_log(CN_LOG_WARN, "%s is a decomposition option: the %s path ignores it",
                       opt_name(v), bb ? "MIP (expansion: true, GLPK branch and bound)"
                                    : benders ? "Benders path with monolithic subproblems"
                                              : "monolithic");
        }
    }
    for (size_t i = 0; i < sizeof glpk_opts / sizeof glpk_opts[0]; i++) {
        int v = glpk_opts[i];
        if (!a->seen[v])
            continue;
        if (use_dw)
            cn_log(CN_LOG_WARN, "%s is an option of the monolithic solve: the decomposition "
                   "ignores it (its LPs use GLPK's primal simplex; --method monolithic uses it)",
                   opt_name(v));
        else if (bb)
            cn_log(CN_LOG_WARN, "%s is an LP option: the MIP (expansion: true) ignores it "
                   "(GLPK's branch and bound presolves and uses its own simplex)", opt_name(v));
    }
    if (!use_dw && !bb && a->seen[O_SIMPLEX] && a->so.glpk.method == CN_LP_INTERIOR)
        cn_log(CN_LOG_WARN, "--simplex is ignored with --lp interior");
    if (a->seen[O_GAP] && !bb && !benders)
        cn_log(CN_LOG_WARN, "--mip-gap applies to a MIP (expansion: true): this LP ignores it");
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

/* Open MPI's shared-file-pointer component "lockedfile" (4.1) writes
 * "FILENAME.locktest.RANK" into a 256-byte stack buffer with sprintf while
 * the MPI-IO driver opens the temporary result file: a longer name aborts
 * the run inside MPI_File_open, after the whole solve ("buffer overflow
 * detected"; measured: a 231-byte output path with host "vm" and a 5-digit
 * PID).  So the temporary name io/h5out.c will use,
 * DIR/.NAME.tmp.HOST.PID, plus ".locktest." and the largest rank, plus the
 * NUL, must fit in 256 bytes. */
#define OMPI_SHAREDFP_NAME_BUF 256

static int ndigits(long long v)
{
    int n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

/* Length of the temporary name io/h5out.c gives the result out, on this
 * rank (rank 0 writes it): "%s/.%s.tmp.%s.%lld" of dir, base, host, PID. */
static size_t result_temp_len(const char *out)
{
    const char *slash = strrchr(out, '/');
    size_t dirlen = !slash ? 1 : slash == out ? 1 : (size_t)(slash - out);
    const char *base = slash ? slash + 1 : out;
    char host[64];
    if (gethostname(host, sizeof host - 1) != 0 || !host[0])
        snprintf(host, sizeof host, "host");
    host[sizeof host - 1] = '\0';
    return dirlen + 2 + strlen(base) + 5 + strlen(host) + 1 + (size_t)ndigits((long long)getpid());
}

/* A symbolic link at path whose target does not exist: 1 (target in buf). */
static int dangling(const char *path, char *buf, size_t n)
{
    struct stat ls, st;
    if (lstat(path, &ls) != 0 || !S_ISLNK(ls.st_mode) || stat(path, &st) == 0 || errno != ENOENT)
        return 0;
    ssize_t k = readlink(path, buf, n - 1);
    buf[k > 0 ? (size_t)k : 0] = '\0';
    return 1;
}

/* Rank 0: what cn_h5_check_output does not see of the output path. */
static int check_output_local(const char *out, int size)
{
    char target[1024];
    if (dangling(out, target, sizeof target))
        return CN_ERR(CN_ECANTCREAT, "cannot create %s: it is a symbolic link to '%s', which "
                      "does not exist (remove the link or choose another -o)", out, target);
    size_t tl = result_temp_len(out), max = OMPI_SHAREDFP_NAME_BUF - 1 - strlen(".locktest.") -
                                            (size_t)ndigits(size > 1 ? size - 1 : 0);
    if (tl > max)
        return CN_ERR(CN_ECANTCREAT, "cannot create %s: the path is too long (%zu bytes): its "
                      "temporary name DIR/.NAME.tmp.HOST.PID would have %zu bytes, more than "
                      "the %zu that Open MPI's MPI-IO (a 256-byte buffer of its shared-file "
                      "component) takes at %d ranks; use a path of at most %zu bytes",
                      out, strlen(out), tl, max, size, strlen(out) - (tl - max));
    return CN_OK;
}

/* Rank 0: the decomposition's files, before the solve: the checkpoint
 * (written at a signal, every --checkpoint-every and removed at the end),
 * the --restart file and the --partition file. */
static int check_dw_paths_local(const solve_args *a)
{
    struct stat st, rs;
    char target[1024];
    const char *ck = a->ckpt;
    if (strcmp(ck, a->out) == 0)
        return CN_ERR(CN_ECANTCREAT, "checkpoint %s is the output file: choose another "
                      "--checkpoint", ck);
    if (dangling(ck, target, sizeof target))
        return CN_ERR(CN_ECANTCREAT, "cannot write checkpoint %s: it is a symbolic link to "
                      "'%s', which does not exist", ck, target);
    int exists = stat(ck, &st) == 0;
    if (exists && S_ISDIR(st.st_mode))
        return CN_ERR(CN_ECANTCREAT, "cannot write checkpoint %s: it is a directory", ck);
    if (exists && !S_ISREG(st.st_mode))
        return CN_ERR(CN_ECANTCREAT, "cannot write checkpoint %s: it is not a regular file", ck);
    /* the checkpoint is written as PATH.tmp.PID, then renamed */
    const char *slash = strrchr(ck, '/');
    const char *base = slash ? slash + 1 : ck;
    size_t suffix = 5 + (size_t)ndigits((long long)getpid());
    if (!*base)
        return CN_ERR(CN_ECANTCREAT, "checkpoint path '%s' names a directory, expected a file", ck);
    if (strlen(base) + suffix > 255 || strlen(ck) + suffix > 4095)
        return CN_ERR(CN_ECANTCREAT, "cannot write checkpoint %s: the name is too long (its "
                      "temporary name PATH.tmp.PID must have at most 255 bytes after the "
                      "last '/' and 4095 in all)", ck);
    if (a->restart) {
        const char *why = NULL;
        if (cn_input_check(a->restart, &why) != 0)
            return CN_ERR(CN_ENOINPUT, "%s: cannot open checkpoint to restart from: %s",
                          a->restart, why);
        /* a run writes its checkpoint at a signal and removes it at the end:
         * a file there that is not the one resumed from would be lost */
        if (exists && stat(a->restart, &rs) == 0 &&
            (rs.st_dev != st.st_dev || rs.st_ino != st.st_ino))
            return CN_ERR(CN_ECANTCREAT, "checkpoint %s exists and is not the --restart file "
                          "%s: this run would replace it with its own checkpoint and remove "
                          "that at the end; remove it or choose another --checkpoint",
                          ck, a->restart);
    }
    char probe[4200];
    snprintf(probe, sizeof probe, "%.*s.cnopt-probe-XXXXXX", slash ? (int)(slash - ck) + 1 : 0, ck);
    int fd = mkstemp(probe);
    if (fd < 0)
        return CN_ERR(CN_ECANTCREAT, "cannot write checkpoint %s: cannot write in its "
                      "directory: %s", ck, strerror(errno));
    close(fd);
    unlink(probe);
    if (a->dw.part_file) {
        const char *why = NULL;
        if (cn_input_check(a->dw.part_file, &why) != 0) {
            cn_diag_add(a->dw.part_file, 0, 0, "cannot open partition file: %s", why);
            return CN_ENOINPUT;
        }
    }
    return CN_OK;
}

/* Collective: rank 0 checks, every rank gets its outcome. */
static int check_on_rank0(int rc0, MPI_Comm comm)
{
    MPI_Bcast(&rc0, 1, MPI_INT, 0, comm);
    return rc0;
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

/* The options cn_solve takes, from what parse_args filled. */
static void solve_opts_of(const solve_args *a, cn_solve_opts *o)
{
    *o = a->so;
    o->method = a->method;
    o->dw_opt = a->dw_opt;
    o->dw = a->dw;
    o->dw.ckpt_path = a->ckpt;
    o->dw.restart_path = a->restart ? a->restart : a->ckpt;
    o->dw.restart_required = a->restart != NULL;
    o->dw.stale_discard = a->force && a->restart == NULL;
}

/* What the command line does inside cn_solve, before the solve
 * (cn_solve_hook): the memory estimate of the path taken, the test hook of
 * CNOPT_TEST_ENOMEM_RANK, the ignored options, the decomposition's files. */
typedef struct run_ctx {
    const solve_args *a;
    const cn_model *m;
    int enomem_hook;           /* test_enomem_limit set a limit: restore enomem_saved */
    struct rlimit enomem_saved;
} run_ctx;

static int before_solve(void *ctx, const cn_derived *d, const cn_solve_plan *p,
                        const cn_solve_opts *o, MPI_Comm comm)
{
    (void)o;
    run_ctx *c = ctx;
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    int use_dw = p->path == CN_METHOD_DW;
    int tb = use_dw && p->dw.blocks == CN_DW_BLOCKS_TIME && p->dw.ntb >= 2;
    /* Benders holds the LP with y fixed (as the LP path) and a small master */
    int bb = p->mip && !p->benders;
    int mg = bb ? CN_MG_MIP : !use_dw ? CN_MG_MONOLITHIC : tb ? CN_MG_DW_TIME : CN_MG_DW;
    int size = 1;
    MPI_Comm_size(comm, &size);
    double share = tb ? cn_dw_plan_rank_share(&p->dw, rank, size) : 0.0;
    int rc = cn_mg_check(c->m->sc.path, &d->size, mg, share, c->a->mem_limit, comm);
    if (rc != CN_OK || p->fallback) /* a fallback: the memory estimate is all */
        return rc;
    c->enomem_hook = test_enomem_limit(rank, &c->enomem_saved);
    if (rank == 0)
        warn_ignored(c->a, use_dw, bb, p->benders);
    if (use_dw || p->benders)
        rc = check_on_rank0(rank == 0 ? check_dw_paths_local(c->a) : CN_OK, comm);
    return rc;
}

/* Collective.  Load a->scenario with a->sets, check the output, solve with
 * cn_solve and write a->out.  Prints its failure.  The exit code. */
static int run(solve_args *a, const char *cmdline, MPI_Comm comm, cn_warm *warm)
{
    int rank = 0, size = 1;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    cn_model *m = NULL;
    cn_solve_out sol;
    memset(&sol, 0, sizeof sol);
    run_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.a = a;

    /* every rank reads the scenario and model (small next to the LP) */
    int rc_load = load(a, &m), rc0 = rc_load;
    if (rc_load == CN_ETEMPFAIL) /* a signal: its message, not what was read so far */
        cn_diag_clear();
    MPI_Bcast(&rc0, 1, MPI_INT, 0, comm);
    if (rc_load == CN_ETEMPFAIL && rc0 == CN_ETEMPFAIL && rank != 0)
        cn_err_clear(); /* the signal reached every rank: rank 0 says it once */
    int rc = cn_mpi_agree(comm, rc_load);
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
    ctx.m = m;
    if (!a->out[0])
        snprintf(a->out, sizeof a->out, "%s.h5", m->sc.name);
    rc = cn_h5_check_output(a->out, a->force, comm);
    if (rc == CN_OK)
        rc = check_on_rank0(rank == 0 ? check_output_local(a->out, size) : CN_OK, comm);
    if (rc == CN_OK)
        rc = probe_output_dir(a->out, comm);
    if (rc != CN_OK)
        goto cleanup;
    /* memory guard (docs/memory.md): a lower bound from the counts before
     * the derived data, which grows with the periods, checked as the
     * lighter decomposition unless monolithic was asked for; cn_solve's
     * hook checks the estimate of the path it takes */
    double share = 0.0;
    int mg = m->sc.expansion && a->method == CN_METHOD_MONOLITHIC ? CN_MG_MIP
             : a->method == CN_METHOD_MONOLITHIC ? CN_MG_MONOLITHIC
                                                 : cn_mg_dw_method(m, &a->dw, rank, size, &share);
    cn_size lb;
    cn_mg_size_lower_bound(m, &lb);
    rc = cn_mg_check(m->sc.path, &lb, mg, share, a->mem_limit, comm);
    if (rc != CN_OK)
        goto cleanup;
    /* the decomposition's checkpoint (checked by before_solve when used) */
    if (a->ckpt_opt)
        snprintf(a->ckpt, sizeof a->ckpt, "%s", a->ckpt_opt);
    else
        snprintf(a->ckpt, sizeof a->ckpt, "%s.ckpt", a->out);
    cn_solve_opts o;
    solve_opts_of(a, &o);
    o.warm = warm;
    o.before_solve = before_solve;
    o.hook_ctx = &ctx;
    rc = cn_solve(m, &o, comm, &sol);
    if (ctx.enomem_hook) /* the test hook's limit covers the solve only */
        ctx.enomem_hook = setrlimit(RLIMIT_DATA, &ctx.enomem_saved) != 0;
    if (rc != CN_OK)
        goto cleanup;
    int use_dw = sol.plan.path == CN_METHOD_DW;

    char mpiver[MPI_MAX_LIBRARY_VERSION_STRING];
    int len = 0;
    MPI_Get_library_version(mpiver, &len);
    char *nl = strpbrk(mpiver, ",\n");
    if (nl)
        *nl = '\0';
    cn_provenance prov = {cmdline, cn_glpk_version(), mpiver, getenv("SLURM_JOB_ID"),
                          use_dw ? cn_partition_name(a->dw.part_method) : "none",
                          use_dw ? sol.nparts : 1};
    rc = cn_h5_write_result(a->out, a->force, m, sol.res, sol.site_owner, &prov,
                            use_dw ? &sol.log : NULL, comm);
    if (rc == CN_OK && rank == 0)
        cn_log(CN_LOG_INFO, "wrote %s", a->out);
    /* peak memory per rank (the figure `--mem-limit` and Slurm --mem are about) */
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double peak = (double)ru.ru_maxrss / 1024.0, peak_max = peak;
    MPI_Reduce(&peak, &peak_max, 1, MPI_DOUBLE, MPI_MAX, 0, comm);
    if (rank == 0)
        cn_log(CN_LOG_INFO, "peak memory: %.0f MiB on the largest of %d ranks", peak_max, size);
    /* a solution that failed its check is written (status numerical_failure,
     * for inspection) but the run fails: exit 70 on every rank */
    int st = sol.res->status;
    MPI_Bcast(&st, 1, MPI_INT, 0, comm);
    if (rc == CN_OK && st == CN_STATUS_NUMERICAL)
        rc = rank == 0 ? CN_ERR(CN_ESOFTWARE, "the solution failed its check against the model "
                                "(status numerical_failure in %s; docs/solver.md \"Verification\")",
                                a->out)
                       : CN_ESOFTWARE;

cleanup:
    if (ctx.enomem_hook)
        setrlimit(RLIMIT_DATA, &ctx.enomem_saved);
    /* input diagnostics are the same on every rank: rank 0 prints them; any
     * other error is printed by the rank it happened on */
    if (rc != CN_OK && (cn_diag_count() > 0 ? rank == 0 : cn_err_message()[0] != '\0'))
        cmd_report_failure(rc);
    cn_solve_out_free(&sol);
    cn_model_destroy(&m);
    return rc;
}

int cmd_solve(int argc, char **argv, MPI_Comm comm)
{
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    solve_args a;
    const char *leak = getenv("CNOPT_TEST_LEAK");
    if (leak && strcmp(leak, "1") == 0)
        cn_test_planted_leak();
    cn_signals_install();
    int rc = parse_args(argc, argv, &a, rank, 0, NULL, 0);
    if (rc == CN_OK) {
        char *cmdline = join_argv(argc, argv);
        rc = run(&a, cmdline, comm, NULL);
        free(cmdline);
    } else if (rc < 0) {
        rc = CN_OK; /* --help */
    } else if (cn_err_message()[0] != '\0') {
        cmd_report_failure(rc);
    }
    free(a.sets);
    return rc;
}

int cmd_solve_task_run(const cmd_solve_task *t, const char *scenario, int nsets,
                       char *const *sets, const char *out, int force, MPI_Comm comm,
                       cn_warm *warm)
{
    solve_args a = t->a;
    a.scenario = scenario;
    a.force = force;
    snprintf(a.out, sizeof a.out, "%s", out);
    /* the task's overrides first, then any --set of solve_args (later wins) */
    a.nsets = nsets + t->a.nsets;
    a.sets = calloc((size_t)a.nsets + 1, sizeof *a.sets);
    /* provenance: the words of the `cnopt solve` command that solves this
     * task alone, joined into the text the result records (nothing parses
     * them: the options are t->a, parsed once) */
    char **words = calloc((size_t)(2 * nsets + t->nargs + 5), sizeof *words);
    int rc = a.sets && words ? CN_OK : CN_ERR(CN_EOSERR, "out of memory starting a sweep task");
    rc = cn_mpi_agree(comm, rc);
    if (rc == CN_OK) {
        int n = 0;
        for (int i = 0; i < nsets; i++)
            a.sets[i] = sets[i];
        for (int i = 0; i < t->a.nsets; i++)
            a.sets[nsets + i] = t->a.sets[i];
        words[n++] = "solve";
        for (int i = 0; i < nsets; i++) {
            words[n++] = "--set";
            words[n++] = sets[i];
        }
        words[n++] = "-o";
        words[n++] = a.out;
        if (force)
            words[n++] = "--force";
        for (int i = 0; i < t->nargs; i++)
            words[n++] = t->argv[i + 1];
        words[n++] = (char *)scenario;
        char *cmdline = join_argv(n, words);
        cn_log_init(cn_log_rank(), a.level);
        cn_diag_clear();
        cn_err_clear();
        rc = run(&a, cmdline, comm, warm);
        free(cmdline);
    } else if (cn_err_message()[0] != '\0') {
        cmd_report_failure(rc);
    }
    free(words);
    free(a.sets);
    return rc;
}
