/* cli/cmd.h - subcommands of the one cnopt program.
 * Each takes argc/argv starting at the subcommand name (argv[0] = "solve")
 * and returns a process exit code (base/err.h: enum cn_code). */
#ifndef CN_CMD_H
#define CN_CMD_H

#include <mpi.h>

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

/* Print the common error outcome: diagnostics, or the error traceback. */
void cmd_report_failure(int rc);

#endif
