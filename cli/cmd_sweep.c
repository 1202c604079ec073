/* cli/cmd_sweep.c - `cnopt sweep JOB.yaml`: list, run or collect the tasks of
 * a parameter sweep (docs/sweeps.md).
 *
 * Collective over comm.  Every rank reads the job file; --list and --collect
 * work on rank 0 while the others wait for its outcome; --task solves each
 * task through cn_solve on the whole communicator (cmd_solve_task_run), with
 * the job's solve_args parsed once by solve's own option table, as `cnopt
 * solve --set KEY=VALUE ... -o OUTDIR/NAME-T.h5 [solve_args] SCENARIO`
 * would. */
#include <getopt.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/err.h"
#include "../base/log.h"
#include "../base/mpiutil.h"
#include "../base/signals.h"
#include "../io/h5read.h"
#include "../io/sweep.h"
#include "../solver/dw.h"
#include "cmd.h"

static void usage(FILE *fp)
{
    fputs("usage: cnopt sweep JOB.yaml --list\n"
          "       cnopt sweep JOB.yaml [--task I|A-B] [--force] [--no-warm-start]\n"
          "       cnopt sweep JOB.yaml --collect\n"
          "Run a parameter sweep: the tasks are the cartesian product of the job's\n"
          "`sweep:` lists, keys in file order, the last key varying fastest (docs/sweeps.md).\n"
          "\n"
          "      --list        print each task's index and overrides\n"
          "      --task I      solve task I into OUTDIR/NAME-I.h5 (default: the task\n"
          "                    $SLURM_ARRAY_TASK_ID); A-B solves tasks A to B in turn\n"
          "      --force       solve tasks whose result exists (default: keep it)\n"
          "      --no-warm-start  in a range A-B, start every task cold (default: each\n"
          "                    task starts from the previous one: decomposition columns\n"
          "                    and duals, or the monolithic simplex basis; the same\n"
          "                    optimum in less time: docs/sweeps.md)\n"
          "      --collect     write OUTDIR/NAME-summary.h5, one row per task, and name\n"
          "                    every missing or failed task\n"
          "  -q, --quiet / -v, --verbose\n"
          "\n"
          "exit codes: 0 done, 64 usage (no --task and no SLURM_ARRAY_TASK_ID),\n"
          "  65 bad job file (FILE:LINE:COLUMN), or --collect found missing or failed\n"
          "  tasks (the summary is still written), 66 job file or scenario missing,\n"
          "  75 interrupted by SIGUSR1/SIGTERM (checkpoint written, or stopped between\n"
          "  tasks): run the same command again to resume; otherwise the code of the\n"
          "  first task that failed (see cnopt solve --help)\n",
          fp);
}

enum mode { M_TASK, M_LIST, M_COLLECT };

typedef struct sweep_args {
    int mode;
    const char *task;   /* "I" or "A-B"; NULL: $SLURM_ARRAY_TASK_ID */
    int force;
    int no_warm;        /* --no-warm-start */
    const char *job;
} sweep_args;

static int parse_args(int argc, char **argv, sweep_args *a, int rank)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},      {"list", no_argument, NULL, 'l'},
        {"task", required_argument, NULL, 't'}, {"collect", no_argument, NULL, 'c'},
        {"force", no_argument, NULL, 'f'},     {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},   {"no-warm-start", no_argument, NULL, 'W'},
        {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    int c, level = cn_log_level(), nmodes = 0;
    opterr = rank == 0;
    while ((c = getopt_long(argc, argv, "hqv", opts, NULL)) != -1) {
        switch (c) {
        case 'h': if (rank == 0) usage(stdout); return -1;
        case 'l': a->mode = M_LIST; nmodes++; break;
        case 'c': a->mode = M_COLLECT; nmodes++; break;
        case 't': a->mode = M_TASK; a->task = optarg; nmodes++; break;
        case 'f': a->force = 1; break;
        case 'W': a->no_warm = 1; break;
        case 'q': level = CN_LOG_ERROR; break;
        case 'v': level = level < CN_LOG_DEBUG ? level + 1 : level; break;
        default:
            if (rank == 0)
                usage(stderr);
            return CN_EUSAGE;
        }
    }
    cn_log_init(cn_log_rank(), level);
    if (nmodes > 1) {
        if (rank == 0)
            fprintf(stderr, "cnopt sweep: give one of --list, --task and --collect\n");
        return CN_EUSAGE;
    }
    /* options the mode ignores are said, never silence */
    if (rank == 0 && a->mode != M_TASK && (a->force || a->no_warm))
        cn_log(CN_LOG_WARN, "sweep: %s solves nothing: %s ignored",
               a->mode == M_LIST ? "--list" : "--collect",
               a->force && a->no_warm ? "--force and --no-warm-start are"
               : a->force ? "--force is" : "--no-warm-start is");
    if (optind != argc - 1) {
        if (rank == 0) {
            fprintf(stderr, "cnopt sweep: expected one JOB.yaml, got %d arguments\n", argc - optind);
            usage(stderr);
        }
        return CN_EUSAGE;
    }
    a->job = argv[optind];
    return CN_OK;
}

/* "I" or "A-B" (decimal, A <= B < ntasks) into [*lo, *hi]. */
static int parse_range(const char *spec, const char *what, long ntasks, long *lo, long *hi, int rank)
{
    char *end = NULL;
    const char *p = spec;
    long a = -1, b = -1;
    if (*p >= '0' && *p <= '9') {
        a = strtol(p, &end, 10);
        b = a;
        if (*end == '-' && end[1] >= '0' && end[1] <= '9')
            b = strtol(end + 1, &end, 10);
    }
    if (a < 0 || !end || *end) {
        if (rank == 0)
            fprintf(stderr, "cnopt sweep: %s must be a task index I or a range A-B, got '%s'\n",
                    what, spec);
        return CN_EUSAGE;
    }
    if (a > b || b >= ntasks) {
        if (rank == 0)
            fprintf(stderr, "cnopt sweep: %s '%s' is outside the job's tasks 0-%ld\n", what, spec,
                    ntasks - 1);
        return CN_EUSAGE;
    }
    *lo = a;
    *hi = b;
    return CN_OK;
}

/* "carbon_price=200 scale.bandwidth=2" */
static void overrides(const cn_sweep *s, long t, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int k = 0; k < s->nkeys && used < n; k++) {
        int w = snprintf(buf + used, n - used, "%s%s=%s", k ? " " : "", s->keys[k].key,
                         cn_sweep_value(s, t, k)->text);
        used += w > 0 ? (size_t)w : 0;
    }
}

static void list_tasks(const cn_sweep *s)
{
    /* "# key: value" header lines, read by slurm/submit */
    printf("# job: %s\n# tasks: %ld\n# scenario: %s\n# outdir: %s\n", s->name, s->ntasks,
           s->scenario, s->outdir);
    printf("# task\toverrides (keys in file order, the last varies fastest)\n");
    char buf[4096];
    for (long t = 0; t < s->ntasks; t++) {
        overrides(s, t, buf, sizeof buf);
        printf("%ld\t%s\n", t, buf);
    }
    fflush(stdout);
}

/* Rank 0.  Returns CN_OK, CN_EDATA (summary written; some task missing or
 * failed) or the code of a failure to read or write. */
static int collect(const cn_sweep *s)
{
    int rc = CN_OK;
    cn_sweep_row *rows = NULL;
    char path[4200], buf[4096];
    CN_TRY(cn_sweep_summary_path(s, path, sizeof path));
    CN_TRY(cn_sweep_mkdirs(s->outdir));
    CN_TRY(cn_sweep_rows_read(s, &rows));
    CN_TRY(cn_sweep_summary_write(s, rows, path));
    long nbad = 0;
    printf("# task\tstatus\tobjective_yuan\toverrides\n");
    for (long t = 0; t < s->ntasks; t++) {
        overrides(s, t, buf, sizeof buf);
        printf("%ld\t%s\t%.10g\t%s\n", t, rows[t].status, rows[t].objective, buf);
        nbad += !rows[t].ok;
    }
    fflush(stdout);
    for (long t = 0; t < s->ntasks; t++)
        if (!rows[t].ok) {
            overrides(s, t, buf, sizeof buf);
            fprintf(stderr, "cnopt sweep: task %ld (%s) %s: %s\n", t, buf, rows[t].status,
                    rows[t].note);
        }
    if (nbad) {
        fprintf(stderr, "cnopt sweep: %ld of %ld tasks missing or failed; wrote %s with their "
                "status\n", nbad, s->ntasks, path);
        rc = CN_EDATA;
    } else {
        cn_log(CN_LOG_INFO, "wrote %s: %ld tasks", path, s->ntasks);
    }
cleanup:
    cn_sweep_rows_destroy(&rows, s->ntasks);
    return rc;
}

/* Collective: solve task t with the job's solve options (warm: NULL, or the
 * state the previous task of the range left).  *skipped = 1 when its result
 * exists and force is 0. */
static int run_task(const cn_sweep *s, const cmd_solve_task *task, long t, int force,
                    cn_warm *warm, MPI_Comm comm, int *skipped)
{
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    char out[4200], ov[4096];
    int rc = cn_sweep_result_path(s, t, out, sizeof out);
    if (rc != CN_OK)
        return rc;
    overrides(s, t, ov, sizeof ov);
    /* exists: 0 no file, 1 a finished result (kept unless --force), 2 a
     * file that is not one: unreadable, incomplete, or with no solution (a
     * run stopped before it found one): solved again, replacing it */
    int exists = 0;
    if (rank == 0) {
        struct stat st;
        exists = stat(out, &st) == 0;
        if (exists && !force) {
            cn_h5_summary *h = NULL;
            cn_err_clear();
            int rrc = cn_h5_read_summary(out, &h);
            char why[300];
            if (rrc != CN_OK)
                snprintf(why, sizeof why, "%.*s", (int)strcspn(cn_err_message(), "\n"),
                         cn_err_message());
            else
                snprintf(why, sizeof why, "status %s", h->status);
            if (rrc != CN_OK || strcmp(h->status, "no_solution") == 0) {
                exists = 2;
                cn_log(CN_LOG_WARN, "sweep %s: task %ld: %s is not a finished result (%s): "
                       "solving the task again", s->name, t, out, why);
            }
            cn_h5_summary_destroy(&h);
            cn_err_clear();
        }
    }
    MPI_Bcast(&exists, 1, MPI_INT, 0, comm);
    *skipped = exists == 1 && !force;
    if (exists == 2)
        force = 1;
    if (*skipped) {
        cn_log(CN_LOG_INFO, "sweep %s: task %ld (%s): %s exists, kept (--force solves it again)",
               s->name, t, ov, out);
        return CN_OK;
    }
    cn_log(CN_LOG_INFO, "sweep %s: task %ld of 0-%ld (%s) -> %s", s->name, t, s->ntasks - 1, ov,
           out);
    /* the task's overrides, KEY=VALUE as --set takes them */
    char **sets = cn_calloc((size_t)s->nkeys + 1, sizeof *sets);
    rc = sets ? CN_OK : CN_EOSERR;
    for (int k = 0; rc == CN_OK && k < s->nkeys; k++) {
        const char *v = cn_sweep_value(s, t, k)->text;
        size_t n = strlen(s->keys[k].key) + strlen(v) + 2;
        if (!(sets[k] = cn_calloc(n, 1)))
            rc = CN_EOSERR;
        else
            snprintf(sets[k], n, "%s=%s", s->keys[k].key, v);
    }
    rc = cn_mpi_agree(comm, rc);
    if (rc == CN_OK)
        rc = cmd_solve_task_run(task, s->scenario, s->nkeys, sets, out, force, comm, warm);
    for (int k = 0; sets && k < s->nkeys; k++)
        free(sets[k]);
    free(sets);
    return rc;
}

static int run_tasks(const cn_sweep *s, const cmd_solve_task *task, const sweep_args *a,
                     MPI_Comm comm)
{
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    const char *spec = a->task, *what = "--task";
    if (!spec) {
        spec = getenv("SLURM_ARRAY_TASK_ID");
        what = "SLURM_ARRAY_TASK_ID";
    }
    if (!spec) {
        if (rank == 0) {
            fprintf(stderr, "cnopt sweep: which task? give --task I (or A-B), --list or "
                    "--collect; SLURM_ARRAY_TASK_ID is not set\n");
            usage(stderr);
        }
        return CN_EUSAGE;
    }
    long lo = 0, hi = 0;
    int rc = parse_range(spec, what, s->ntasks, &lo, &hi, rank);
    if (rc != CN_OK)
        return rc;
    rc = cn_mpi_agree(comm, rank == 0 ? cn_sweep_mkdirs(s->outdir) : CN_OK);
    if (rc != CN_OK) {
        if (cn_err_message()[0])
            cmd_report_failure(rc);
        return rc;
    }
    if (rank == 0 && a->no_warm && hi == lo)
        cn_log(CN_LOG_WARN, "sweep: --no-warm-start applies to a range A-B of tasks: the "
               "single task %ld ignores it", lo);
    int first_fail = CN_OK, nfail = 0, ndone = 0, nskip = 0;
    cn_warm warm_state, *warm = NULL;
    memset(&warm_state, 0, sizeof warm_state);
    if (hi > lo && !a->no_warm) {
        rc = cn_mpi_agree(comm, cn_dw_warm_create(&warm_state.dw));
        if (rc != CN_OK)
            return rc;
        warm = &warm_state;
    }
    for (long t = lo; t <= hi; t++) {
        /* a signal between two tasks: stop here; what is done stays done */
        int sig = cn_signals_pending();
        MPI_Allreduce(MPI_IN_PLACE, &sig, 1, MPI_INT, MPI_MAX, comm);
        if (sig) {
            cn_log(CN_LOG_WARN, "sweep %s: signal received: stopping before task %ld; run the "
                   "same command again to go on (finished tasks are kept)", s->name, t);
            cn_warm_free(&warm_state);
            return CN_ETEMPFAIL;
        }
        int skipped = 0;
        rc = run_task(s, task, t, a->force, warm, comm, &skipped);
        if (rc == CN_ETEMPFAIL) {
            cn_log(CN_LOG_WARN, "sweep %s: task %ld checkpointed (exit 75); run the same "
                   "command again to resume it", s->name, t);
            cn_warm_free(&warm_state);
            return rc;
        }
        if (rc != CN_OK) {
            if (rank == 0)
                fprintf(stderr, "cnopt sweep: task %ld failed (exit %d)\n", t, rc);
            if (first_fail == CN_OK)
                first_fail = rc;
            nfail++;
        } else {
            ndone += !skipped;
            nskip += skipped;
        }
    }
    cn_warm_free(&warm_state);
    if (hi > lo)
        cn_log(CN_LOG_INFO, "sweep %s: tasks %ld-%ld: %d solved, %d kept, %d failed", s->name, lo,
               hi, ndone, nskip, nfail);
    return first_fail;
}

int cmd_sweep(int argc, char **argv, MPI_Comm comm)
{
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    sweep_args a;
    cn_sweep *s = NULL;
    cmd_solve_task *task = NULL;
    /* installed first, so that a USR1/TERM between tasks only sets the flag */
    cn_signals_install();
    int rc = parse_args(argc, argv, &a, rank);
    if (rc < 0)
        return CN_OK; /* --help */
    if (rc != CN_OK)
        return rc;
    rc = cn_mpi_agree(comm, cn_sweep_read(a.job, &s));
    if (rc != CN_OK) {
        if (cn_diag_count() > 0 ? rank == 0 : cn_err_message()[0] != '\0')
            cmd_report_failure(rc);
        goto cleanup;
    }
    /* solve_args by solve's own option table and value parser, before any
     * task: an abbreviation (--outp, -qo) is refused as the full name is,
     * and a bad value fails here, not in every task */
    int bad = 0;
    char msg[800];
    if (cmd_solve_task_create(s->nargs, s->args, &task, &bad, msg, sizeof msg) != CN_OK) {
        cn_diag_add(s->path, s->nargs ? s->arg_line[bad] : 0, s->nargs ? s->arg_col[bad] : 0,
                    "solve_args: %s", msg);
        if (rank == 0)
            cmd_report_failure(CN_EDATA);
        rc = CN_EDATA;
        goto cleanup;
    }
    switch (a.mode) {
    case M_LIST:
        if (rank == 0)
            list_tasks(s);
        break;
    case M_COLLECT: {
        int lrc = CN_OK;
        if (rank == 0) {
            lrc = collect(s);
            if (lrc != CN_OK && lrc != CN_EDATA)
                cmd_report_failure(lrc);
        }
        rc = cn_mpi_agree(comm, lrc);
        break;
    }
    default:
        rc = run_tasks(s, task, &a, comm);
        break;
    }
cleanup:
    cmd_solve_task_destroy(&task);
    cn_sweep_destroy(&s);
    return rc;
}
