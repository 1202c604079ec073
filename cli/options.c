/* cli/options.c - the one parser of numeric option values (see cmd.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../base/err.h"
#include "../io/csv_table.h"
#include "../io/parse_util.h"
#include "cmd.h"

static void range_text(double lo, double hi, int is_int, char *buf, size_t n)
{
    if (is_int && hi < 1e15)
        snprintf(buf, n, "%.0f..%.0f", lo, hi);
    else if (isinf(hi))
        snprintf(buf, n, "[%g, inf)", lo);
    else
        snprintf(buf, n, "%g..%g", lo, hi);
}

int cmd_opt_number(const char *cmd, const char *opt, const char *s, double lo, double hi,
                   int is_int, char *msg, size_t msgn, double *v)
{
    double x = 0;
    int r;
    if (is_int) {
        long l = 0;
        r = cn_parse_long(s, &l);
        x = (double)l;
    } else {
        r = cn_parse_double(s, &x);
    }
    char range[96], show[128];
    range_text(lo, hi, is_int, range, sizeof range);
    cn_csv_show(s, show, sizeof show);
    if (r != CN_NUM_OK) {
        snprintf(msg, msgn, "%s%s%s %s (expected %s in %s), got '%s'", cmd ? cmd : "",
                 cmd ? ": " : "", opt, cn_num_problem(r, is_int),
                 is_int ? "an integer" : "a number", range, show);
        return CN_EUSAGE;
    }
    if (x < lo || x > hi) {
        snprintf(msg, msgn, "%s%s%s must be %s in %s, got '%s'", cmd ? cmd : "",
                 cmd ? ": " : "", opt, is_int ? "an integer" : "a number", range, show);
        return CN_EUSAGE;
    }
    *v = x;
    return CN_OK;
}
