/* cli/cmd_generate.c - placeholder until written */
#include "cmd.h"
#include <stdio.h>
int cmd_generate(int argc, char **argv) { (void)argc; (void)argv; fputs("cnopt: generate: not built yet\n", stderr); return 70; }
