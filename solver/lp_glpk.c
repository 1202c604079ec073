/* solver/lp_glpk.c - see lp_glpk.h */
#include "lp_glpk.h"

#include <glpk.h>

const char *cn_glpk_version(void) { return glp_version(); }
