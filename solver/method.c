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

int64_t cn_method_auto_min_cols(long time_blocks)
{
    /* test hook (docs/solver.md "Failure injection"): auto's threshold, so
     * that a small model takes the decomposition by auto */
    const char *t = getenv("CNOPT_TEST_AUTO_DW_MIN_COLS");
    if (t)
        return strtoll(t, NULL, 10);
    return time_blocks >= 2 ? CN_AUTO_DW_MIN_COLS : CN_AUTO_DW_MIN_COLS_ONE_BLOCK;
}

int cn_method_choose(int method, int dw_opt, int64_t ncols, long time_blocks)
{
    if (method != CN_METHOD_AUTO)
        return method;
    return dw_opt || ncols >= cn_method_auto_min_cols(time_blocks) ? CN_METHOD_DW
                                                                   : CN_METHOD_MONOLITHIC;
}
