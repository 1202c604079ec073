/* cli/cmd.h - subcommands of the one cnopt program.
 * Each takes argc/argv starting at the subcommand name (argv[0] = "solve")
 * and returns a process exit code (base/err.h: enum cn_code). */
#ifndef CN_CMD_H
#define CN_CMD_H

#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

#include "../solver/solve.h"

int cmd_validate(int argc, char **argv);
int cmd_solve(int argc, char **argv, MPI_Comm comm);
int cmd_generate(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_aggregate(int argc, char **argv);
int cmd_sweep(int argc, char **argv, MPI_Comm comm);

/* The one parser of numeric option values, for every subcommand: the rules
 * of the input tables (io/parse_util.h cn_parse_double / cn_parse_long:
 * decimal only, no hex such as 0x10, no leading or trailing spaces, finite;
 * with is_int, digits only: 1e3 is not an integer), then the range
 * [lo, hi].  Returns CN_OK with *v set, or CN_EUSAGE with msg filled
 * ("CMD: OPT must be an integer in 1..1000000000, got '1e308'"; no "CMD: "
 * when cmd is NULL).  Prints nothing.  Not collective. */
int cmd_opt_number(const char *cmd, const char *opt, const char *s, double lo, double hi,
                   int is_int, char *msg, size_t msgn, double *v);
/* The same rules for an integer in [lo, hi] beyond double's exact range;
 * with suffixes, a trailing k (x 1000) or M (x 1,000,000) is allowed
 * (`generate --target-vars 500k`).  Not collective. */
int cmd_opt_integer(const char *cmd, const char *opt, const char *s, long long lo, long long hi,
                    int suffixes, char *msg, size_t msgn, long long *v);
/* An unsigned 64-bit integer (`generate --seed`): digits only.  Not collective. */
int cmd_opt_u64(const char *cmd, const char *opt, const char *s, char *msg, size_t msgn,
                uint64_t *v);
/* A memory size (`--mem-limit`): a decimal number by the same rules, then
 * an optional unit K, M, G or T (any case, optionally followed by B or iB;
 * none: MiB, as Slurm's --mem), positive, at most 1e18 bytes.  Not collective. */
int cmd_opt_size(const char *cmd, const char *opt, const char *s, char *msg, size_t msgn,
                 double *bytes);

/* The solves of a sweep's tasks: the job's solve_args parsed once, by
 * solve's own option table and value parser (args[0..nargs) as they would
 * follow `cnopt solve`), into the options every task is solved with.
 * Refused: an option the sweep sets per task (-o/--output, --force,
 * --checkpoint, --restart, -h/--help), however it is spelled (abbreviated
 * `--outp`, clustered `-qo`, `--output=X`), an unknown or ambiguous option,
 * a missing or bad value, and a positional argument.  Returns CN_OK with
 * *out set (args must outlive it), or CN_EUSAGE with *bad the index of the
 * offending entry and msg filled.  Prints nothing.  Not collective. */
typedef struct cmd_solve_task cmd_solve_task;
int cmd_solve_task_create(int nargs, char *const *args, cmd_solve_task **out, int *bad,
                          char *msg, size_t msgn);
/* Collective.  Solve scenario with the overrides sets[0..nsets) ("KEY=VALUE",
 * applied before any --set of solve_args) into out (force: replace an
 * existing file) through cn_solve, as `cnopt solve --set ... -o OUT
 * [--force] SOLVE_ARGS SCENARIO` would, and write that command as the
 * result's provenance.  warm: NULL, or the state the previous task of a
 * range left (docs/sweeps.md "Warm start").  Prints its failure; returns the
 * exit code. */
int cmd_solve_task_run(const cmd_solve_task *t, const char *scenario, int nsets,
                       char *const *sets, const char *out, int force, MPI_Comm comm,
                       cn_warm *warm);
void cmd_solve_task_destroy(cmd_solve_task **t);

/* Print the common error outcome: diagnostics, or the error traceback. */
void cmd_report_failure(int rc);

#endif
