/* cli/cmd_sweep.c - placeholder until written */
#include "cmd.h"
#include <stdio.h>
int cmd_sweep(int argc, char **argv, MPI_Comm comm) { (void)argc; (void)argv; (void)comm; fputs("cnopt: sweep: not built yet\n", stderr); return 70; }
