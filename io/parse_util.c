/* io/parse_util.c - see parse_util.h.  Rules: docs/input-format.md section 1
 * (ids, numbers) and section 3 (the model path). */
#include "parse_util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/err.h"
#include "../core/model.h"
#include "csv_table.h"

int cn_parse_double(const char *s, double *out)
{
    size_t n = strlen(s);
    if (n == 0)
        return CN_NUM_EMPTY;
    if (isspace((unsigned char)s[0]) || isspace((unsigned char)s[n - 1]))
        return CN_NUM_SPACE;
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    const char *q = *p == '.' ? p + 1 : p;
    if (!strcasecmp(q, "nan") || !strcasecmp(q, "inf") || !strcasecmp(q, "infinity"))
        return CN_NUM_NONFINITE;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        return CN_NUM_HEX;
    size_t digits = 0;
    while (isdigit((unsigned char)*p)) {
        p++;
        digits++;
    }
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p)) {
            p++;
            digits++;
        }
    }
    if (digits == 0)
        return CN_NUM_SYNTAX;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!isdigit((unsigned char)*p))
            return CN_NUM_SYNTAX;
        while (isdigit((unsigned char)*p))
            p++;
    }
    if (*p)
        return CN_NUM_SYNTAX;
    errno = 0;
    char *end = NULL;
    double v = strtod(s, &end);
    if (end != s + n)
        return CN_NUM_SYNTAX;
    if (!isfinite(v) || (errno == ERANGE && fabs(v) >= 1.0))
        return CN_NUM_OVERFLOW;
    if (v == 0)
        v = 0.0;   /* "-0" is zero, not negative */
    *out = v;
    return CN_NUM_OK;
}

int cn_parse_long(const char *s, long *out)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    int all_digits = *p != '\0';
    for (const char *q = p; *q; q++)
        if (!isdigit((unsigned char)*q))
            all_digits = 0;
    if (!all_digits) {
        double d;
        int r = cn_parse_double(s, &d);
        return r == CN_NUM_OK ? CN_NUM_NOTINT : r;
    }
    errno = 0;
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (errno == ERANGE)
        return CN_NUM_OVERFLOW;
    if (*end)
        return CN_NUM_SYNTAX;
    *out = v;
    return CN_NUM_OK;
}

const char *cn_num_problem(int outcome, int want_int)
{
    switch (outcome) {
    case CN_NUM_EMPTY: return "must not be empty";
    case CN_NUM_SPACE: return "must not have leading or trailing spaces";
    case CN_NUM_NONFINITE: return "must be a finite number";
    case CN_NUM_HEX: return "must be a decimal number";
    case CN_NUM_NOTINT: return "must be an integer";
    case CN_NUM_OVERFLOW: return "is out of range";
    default: return want_int ? "must be an integer" : "must be a number";
    }
}

int cn_num_solvable(double v)
{
    double a = fabs(v);
    return a == 0.0 || (a >= CN_NUM_TINY && a <= CN_NUM_HUGE);
}

int cn_id_check(const char *s)
{
    size_t n = strlen(s);
    if (n == 0)
        return 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(isalnum(c) && c < 0x80) && c != '_' && c != '.' && c != '-')
            return 2;
    }
    return n > CN_ID_MAX ? 3 : 0;
}

int cn_id_diag(const char *s, const char *what, const char *file, long line, long col)
{
    char show[128];
    int bad = cn_id_check(s);
    if (bad == 3)
        cn_diag_add(file, line, col, "%s is longer than %d bytes (got %zu)", what, CN_ID_MAX,
                    strlen(s));
    else if (bad)
        cn_diag_add(file, line, col, "%s must match [A-Za-z0-9_.-]+, got '%s'", what,
                    cn_csv_show(s, show, sizeof show));
    return bad;
}

char *cn_path_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return cn_strdup(".");
    if (slash == path)
        return cn_strdup("/");
    size_t n = (size_t)(slash - path);
    char *d = cn_calloc(n + 1, 1);
    if (d)
        memcpy(d, path, n);
    return d;
}

char *cn_path_join(const char *dir, const char *rel)
{
    size_t dn = (dir && rel[0] != '/') ? strlen(dir) : 0;
    size_t rn = strlen(rel);
    char *tmp = cn_calloc(dn + rn + 2, 1);
    if (!tmp)
        return NULL;
    if (dn) {
        memcpy(tmp, dir, dn);
        tmp[dn] = '/';
        memcpy(tmp + dn + 1, rel, rn + 1);
    } else {
        memcpy(tmp, rel, rn + 1);
    }
    /* drop empty and "." segments */
    char *out = cn_calloc(strlen(tmp) + 2, 1);
    if (!out) {
        free(tmp);
        return NULL;
    }
    size_t o = 0;
    const char *p = tmp;
    if (*p == '/')
        out[o++] = '/';
    while (*p) {
        while (*p == '/')
            p++;
        const char *e = p;
        while (*e && *e != '/')
            e++;
        size_t len = (size_t)(e - p);
        if (len > 0 && !(len == 1 && p[0] == '.')) {
            if (o > 0 && out[o - 1] != '/')
                out[o++] = '/';
            memcpy(out + o, p, len);
            o += len;
        }
        p = e;
    }
    if (o == 0)
        out[o++] = '.';
    out[o] = '\0';
    free(tmp);
    return out;
}
