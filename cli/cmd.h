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
/* cmd_solve with warm-start state carried between the solves of a sweep
 * range (NULL: none; docs/sweeps.md "Warm start"). */
int cmd_solve_warm(int argc, char **argv, MPI_Comm comm, cn_warm *warm);
int cmd_generate(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_aggregate(int argc, char **argv);
int cmd_sweep(int argc, char **argv, MPI_Comm comm);

/* The one parser of numeric option values, for every subcommand: the rules
 * of the input tables (io/reader_int.h cn_parse_double / cn_parse_long:
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

/* Check a sweep's solve_args with solve's own option table and value
 * parser: args[0..nargs) as they would follow `cnopt solve`.  Refused: an
 * option the sweep sets per task (-o/--output, --force, --checkpoint,
 * --restart, -h/--help), however it is spelled (abbreviated `--outp`,
 * clustered `-qo`, `--output=X`), an unknown or ambiguous option, a missing
 * or bad value, and a positional argument.  Returns CN_OK, or CN_EUSAGE with
 * *bad the index of the offending entry and msg filled.  Not collective. */
int cmd_solve_check_args(int nargs, char *const *args, int *bad, char *msg, size_t msgn);

/* Print the common error outcome: diagnostics, or the error traceback. */
void cmd_report_failure(int rc);

#endif
