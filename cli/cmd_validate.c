/* cli/cmd_validate.c - placeholder until written */
#include "cmd.h"
#include <stdio.h>
int cmd_validate(int argc, char **argv) { (void)argc; (void)argv; fputs("cnopt: validate: not built yet\n", stderr); return 70; }
