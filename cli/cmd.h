/* cli/cmd.h - subcommands of the one cnopt program.
 * Each takes argc/argv starting at the subcommand name (argv[0] = "solve")
 * and returns a process exit code (base/err.h: enum cn_code). */
#ifndef CN_CMD_H
#define CN_CMD_H

#include <mpi.h>

int cmd_validate(int argc, char **argv);
int cmd_solve(int argc, char **argv, MPI_Comm comm);
int cmd_generate(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_sweep(int argc, char **argv, MPI_Comm comm);

/* Print the common error outcome: diagnostics, or the error traceback. */
void cmd_report_failure(int rc);

#endif
