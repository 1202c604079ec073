/* cli/options.c - the one parser of numeric option values (see cmd.h). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* "CMD: " or "" */
#define CMD_PREFIX(cmd) (cmd) ? (cmd) : "", (cmd) ? ": " : ""

int cmd_opt_integer(const char *cmd, const char *opt, const char *s, long long lo, long long hi,
                    int suffixes, char *msg, size_t msgn, long long *v)
{
    char digits[64], show[128];
    size_t n = strlen(s);
    long long mult = 1;
    cn_csv_show(s, show, sizeof show);
    /* a trailing k (thousand) or M (million) where the option takes one */
    if (suffixes && n > 1 && (s[n - 1] == 'k' || s[n - 1] == 'M') && n < sizeof digits) {
        mult = s[n - 1] == 'M' ? 1000000 : 1000;
        memcpy(digits, s, n - 1);
        digits[n - 1] = '\0';
    } else {
        snprintf(digits, sizeof digits, "%s", n < sizeof digits ? s : "x");
        if (n >= sizeof digits) { /* beyond any long: say so */
            snprintf(msg, msgn, "%s%s%s is out of range (expected an integer in %lld..%lld), "
                     "got '%s'", CMD_PREFIX(cmd), opt, lo, hi, show);
            return CN_EUSAGE;
        }
    }
    long l = 0;
    int r = cn_parse_long(digits, &l);
    if (r != CN_NUM_OK) {
        snprintf(msg, msgn, "%s%s%s %s (expected an integer in %lld..%lld%s), got '%s'",
                 CMD_PREFIX(cmd), opt, cn_num_problem(r, 1), lo, hi,
                 suffixes ? ", k or M allowed" : "", show);
        return CN_EUSAGE;
    }
    if (l < lo / mult || l > hi / mult || (long long)l * mult < lo) {
        snprintf(msg, msgn, "%s%s%s must be an integer in %lld..%lld, got '%s'", CMD_PREFIX(cmd),
                 opt, lo, hi, show);
        return CN_EUSAGE;
    }
    *v = (long long)l * mult;
    return CN_OK;
}

int cmd_opt_u64(const char *cmd, const char *opt, const char *s, char *msg, size_t msgn,
                uint64_t *v)
{
    char show[128];
    cn_csv_show(s, show, sizeof show);
    /* the tables' rules first (no hex, spaces, signs of a non-number...) */
    long l = 0;
    int r = cn_parse_long(s, &l);
    int digits = *s != '\0';
    for (const char *p = s; *p; p++)
        digits &= isdigit((unsigned char)*p) != 0;
    if ((r != CN_NUM_OK && r != CN_NUM_OVERFLOW) || !digits) {
        snprintf(msg, msgn, "%s%s%s %s (expected an integer in 0..18446744073709551615), got "
                 "'%s'", CMD_PREFIX(cmd), opt,
                 r != CN_NUM_OK ? cn_num_problem(r, 1) : "must be an integer",
                 show);
        return CN_EUSAGE;
    }
    errno = 0;
    unsigned long long u = strtoull(s, NULL, 10);
    if (errno == ERANGE) {
        snprintf(msg, msgn, "%s%s%s is out of range (expected an integer in "
                 "0..18446744073709551615), got '%s'", CMD_PREFIX(cmd), opt, show);
        return CN_EUSAGE;
    }
    *v = (uint64_t)u;
    return CN_OK;
}

int cmd_opt_size(const char *cmd, const char *opt, const char *s, char *msg, size_t msgn,
                 double *bytes)
{
    char num[64], show[128];
    size_t n = strlen(s), k = n;
    cn_csv_show(s, show, sizeof show);
    /* the unit: K, M, G or T, with an optional B or iB (any case); none: MiB */
    double unit = 1024.0 * 1024.0;
    if (k >= 2 && s[k - 1] == 'B' && s[k - 2] == 'i')
        k -= 2;
    else if (k >= 1 && (s[k - 1] == 'B' || s[k - 1] == 'b'))
        k -= 1;
    if (k >= 1 && strchr("kKmMgGtT", s[k - 1])) {
        char c = (char)toupper((unsigned char)s[k - 1]);
        unit = c == 'K' ? 1024.0 : c == 'M' ? 1024.0 * 1024.0 : c == 'G' ? 1024.0 * 1024.0 * 1024.0
                                                                          : 1024.0 * 1024.0 * 1024.0 * 1024.0;
        k--;
    } else if (k != n) {
        k = n; /* a B without K/M/G/T: not a unit, the parser says so */
    }
    double x = 0;
    int r = k < sizeof num ? CN_NUM_OK : CN_NUM_OVERFLOW;
    if (r == CN_NUM_OK) {
        memcpy(num, s, k);
        num[k] = '\0';
        r = cn_parse_double(num, &x);
    }
    if (r != CN_NUM_OK || !(x > 0) || x * unit > 1e18) {
        snprintf(msg, msgn, "%s%s%s needs a size such as 4G, 500M or 1.5T (a positive decimal "
                 "number of MiB, or with a unit K, M, G, T; at most 1e18 bytes), got '%s'",
                 CMD_PREFIX(cmd), opt, show);
        return CN_EUSAGE;
    }
    *bytes = x * unit;
    return CN_OK;
}
