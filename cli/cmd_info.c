/* cli/cmd_info.c - placeholder until written */
#include "cmd.h"
#include <stdio.h>
int cmd_info(int argc, char **argv) { (void)argc; (void)argv; fputs("cnopt: info: not built yet\n", stderr); return 70; }
