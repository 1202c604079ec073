/* solver/method.c - which solver path `--method` takes (solve.h). */
#include "solve.h"

#include <stdlib.h>
#include <string.h>

int cn_method_parse(const char *name)
{
    static const char *const names[] = {"auto", "dw", "monolithic"};
    for (int i = 0; i < 3; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

int cn_method_choose(int method, int dw_opt, int64_t ncols)
{
    if (method != CN_METHOD_AUTO)
        return method;
    /* test hook (docs/solver.md "Failure injection"): auto's threshold, so
     * that a small model takes the decomposition by auto */
    const char *t = getenv("CNOPT_TEST_AUTO_DW_MIN_COLS");
    int64_t min = t ? strtoll(t, NULL, 10) : CN_AUTO_DW_MIN_COLS;
    return dw_opt || ncols >= min ? CN_METHOD_DW : CN_METHOD_MONOLITHIC;
}
