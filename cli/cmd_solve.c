/* cli/cmd_solve.c - placeholder until written */
#include "cmd.h"
#include <stdio.h>
int cmd_solve(int argc, char **argv, MPI_Comm comm) { (void)argc; (void)argv; (void)comm; fputs("cnopt: solve: not built yet\n", stderr); return 70; }
