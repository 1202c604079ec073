/* cli/main.c - the cnopt command line: global options and subcommand dispatch.
 * The only place that touches MPI_COMM_WORLD (it is duplicated for the
 * subcommands) and the only caller of MPI_Abort. */
#include <getopt.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../base/log.h"
#include "../base/version.h"
#include "../io/h5out.h"
#include "../solver/lp_glpk.h"
#include "cmd.h"

static void usage(FILE *fp)
{
    fputs("usage: cnopt [-q|-v] COMMAND [ARGS]\n"
          "\n"
          "commands:\n"
          "  validate SCENARIO.yaml      check a scenario and its model; print a summary\n"
          "  solve SCENARIO.yaml         solve (LP, or MIP with expansion: true); write HDF5\n"
          "  generate -o DIR [options]   write a synthetic model directory and scenario\n"
          "  aggregate SCENARIO.yaml --days N -o DIR\n"
          "                              representative days of a whole-day horizon\n"
          "  info OUT.h5                 summarise a result file\n"
          "  export OUT.h5 --csv DIR     write every table of a result file as CSV\n"
          "  sweep JOB.yaml              run or collect a parameter sweep\n"
          "\n"
          "options:\n"
          "  -h, --help     this text (COMMAND --help for a command's options)\n"
          "  -V, --version  program and library versions\n"
          "  -q, --quiet    errors only\n"
          "  -v, --verbose  more detail (repeat for debug)\n"
          "\n"
          "exit codes: 0 success, 64 usage, 65 bad input data, 66 input missing,\n"
          "  70 internal or solver failure, 71 out of memory or system error,\n"
          "  73 cannot create output (exists: use --force), 74 I/O error,\n"
          "  75 interrupted and checkpointed (rerun to resume)\n",
          fp);
}

static void version(void)
{
    char mpi[MPI_MAX_LIBRARY_VERSION_STRING];
    int len = 0;
    MPI_Get_library_version(mpi, &len);
    char *nl = strchr(mpi, '\n');
    if (nl)
        *nl = '\0';
    char *comma = strchr(mpi, ',');
    if (comma)
        *comma = '\0';
    char h5[64];
    cn_h5_version(h5, sizeof h5);
    printf("cnopt %s (commit %s)\n", CN_VERSION, CN_GIT_COMMIT);
    printf("GLPK %s\nHDF5 %s\n%s\n", cn_glpk_version(), h5, mpi);
}

static int needs_mpi(const char *cmd)
{
    return strcmp(cmd, "solve") == 0 || strcmp(cmd, "sweep") == 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {NULL, 0, NULL, 0}};
    int level = CN_LOG_INFO;
    int c;
    /* "+" stops at the first non-option: the subcommand parses the rest */
    while ((c = getopt_long(argc, argv, "+hVqv", opts, NULL)) != -1) {
        switch (c) {
        case 'h': usage(stdout); return CN_OK;
        case 'V': version(); return CN_OK;
        case 'q': level = CN_LOG_ERROR; break;
        case 'v': level = level < CN_LOG_DEBUG ? level + 1 : level; break;
        default: usage(stderr); return CN_EUSAGE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return CN_EUSAGE;
    }
    char **sub = argv + optind;
    int subc = argc - optind;
    const char *cmd = sub[0];
    optind = 0; /* glibc: 0 re-initialises getopt (1 keeps the "+" mode) for the subcommand */
    cn_log_init(0, level);

    if (!needs_mpi(cmd)) {
        if (strcmp(cmd, "validate") == 0)
            return cmd_validate(subc, sub);
        if (strcmp(cmd, "generate") == 0)
            return cmd_generate(subc, sub);
        if (strcmp(cmd, "info") == 0)
            return cmd_info(subc, sub);
        if (strcmp(cmd, "export") == 0)
            return cmd_export(subc, sub);
        if (strcmp(cmd, "aggregate") == 0)
            return cmd_aggregate(subc, sub);
        fprintf(stderr, "cnopt: unknown command '%s' (see cnopt --help)\n", cmd);
        return CN_EUSAGE;
    }

    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm comm;
    MPI_Comm_dup(MPI_COMM_WORLD, &comm);
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    cn_log_init(rank, level);
    int rc = strcmp(cmd, "solve") == 0 ? cmd_solve(subc, sub, comm) : cmd_sweep(subc, sub, comm);
    /* subcommands return the same code on every rank (they agree before
     * returning); a disagreement is a bug, and must not hang: abort then */
    int lo = rc, hi = rc;
    MPI_Allreduce(MPI_IN_PLACE, &lo, 1, MPI_INT, MPI_MIN, comm);
    MPI_Allreduce(MPI_IN_PLACE, &hi, 1, MPI_INT, MPI_MAX, comm);
    MPI_Comm_free(&comm);
    if (lo != hi) {
        fflush(stderr);
        MPI_Abort(MPI_COMM_WORLD, hi ? hi : lo);
    }
    MPI_Finalize();
    return rc;
}
