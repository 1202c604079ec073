/* base/err.c - see err.h */
#include "err.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct {
    int code;
    char msg[4096];
    size_t len;
    size_t head;   /* length of the message before the first traceback frame */
} g_err;

static cn_diag g_diag[CN_DIAG_MAX];
static long g_ndiag;

static void err_append(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void err_append(const char *fmt, ...)
{
    if (g_err.len >= sizeof g_err.msg - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(g_err.msg + g_err.len, sizeof g_err.msg - g_err.len, fmt, ap);
    va_end(ap);
    if (n > 0)
        g_err.len += (size_t)n < sizeof g_err.msg - g_err.len ? (size_t)n
                                                             : sizeof g_err.msg - g_err.len - 1;
}

int cn_err_set(int code, const char *func, const char *fmt, ...)
{
    g_err.code = code;
    g_err.len = 0;
    g_err.msg[0] = '\0';
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(g_err.msg, sizeof g_err.msg, fmt, ap);
    va_end(ap);
    g_err.len = n < 0 ? 0 : ((size_t)n < sizeof g_err.msg ? (size_t)n : sizeof g_err.msg - 1);
    g_err.head = g_err.len;
    err_append("\n    in %s", func);
    return code;
}

int cn_err_frame(int code, const char *func, const char *file, int line)
{
    if (g_err.code == CN_OK) {
        g_err.code = code;
        err_append("%s (exit %d)", cn_err_code_text(code), code);
        g_err.head = g_err.len;
    }
    err_append("\n    in %s (%s:%d)", func, file, line);
    return code;
}

const char *cn_err_message(void) { return g_err.msg; }

const char *cn_err_brief(void)
{
    static char brief[sizeof g_err.msg];
    size_t n = g_err.head < g_err.len ? g_err.head : g_err.len;
    memcpy(brief, g_err.msg, n);
    brief[n] = '\0';
    return brief;
}

const char *cn_err_code_text(int code)
{
    switch (code) {
    case CN_OK: return "success";
    case CN_EUSAGE: return "bad command line";
    case CN_EDATA: return "bad input data";
    case CN_ENOINPUT: return "input missing or unreadable";
    case CN_ESOFTWARE: return "internal or solver failure";
    case CN_EOSERR: return "out of memory or system error";
    case CN_ECANTCREAT: return "cannot create the output";
    case CN_EIO: return "I/O error while writing";
    case CN_ETEMPFAIL: return "interrupted and checkpointed (rerun to resume)";
    default: return "error";
    }
}

int cn_err_code(void) { return g_err.code; }
void cn_err_clear(void)
{
    g_err.code = CN_OK;
    g_err.len = 0;
    g_err.head = 0;
    g_err.msg[0] = '\0';
}

void cn_diag_vadd(const char *file, long line, long col, const char *fmt, va_list ap)
{
    if (g_ndiag < CN_DIAG_MAX) {
        cn_diag *d = &g_diag[g_ndiag];
        snprintf(d->file, sizeof d->file, "%s", file ? file : "");
        d->line = line;
        d->col = col;
        vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    }
    g_ndiag++;
}

void cn_diag_add(const char *file, long line, long col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cn_diag_vadd(file, line, col, fmt, ap);
    va_end(ap);
}

long cn_diag_count(void) { return g_ndiag; }
const cn_diag *cn_diag_get(long i)
{
    return (i >= 0 && i < g_ndiag && i < CN_DIAG_MAX) ? &g_diag[i] : NULL;
}
void cn_diag_clear(void) { g_ndiag = 0; }

void cn_diag_print(FILE *fp)
{
    long kept = g_ndiag < CN_DIAG_MAX ? g_ndiag : CN_DIAG_MAX;
    for (long i = 0; i < kept; i++) {
        const cn_diag *d = &g_diag[i];
        if (d->line > 0 && d->col > 0)
            fprintf(fp, "%s:%ld:%ld: %s\n", d->file, d->line, d->col, d->msg);
        else if (d->line > 0)
            fprintf(fp, "%s:%ld: %s\n", d->file, d->line, d->msg);
        else
            fprintf(fp, "%s: %s\n", d->file, d->msg);
    }
    if (g_ndiag > kept)
        fprintf(fp, "cnopt: %ld more problems not shown\n", g_ndiag - kept);
}

void *cn_calloc(size_t n, size_t size)
{
    if (n == 0 || size == 0)
        n = size = 1;
    if (size && n > SIZE_MAX / size) {
        cn_err_set(CN_EOSERR, __func__, "allocation of %zu x %zu bytes overflows", n, size);
        return NULL;
    }
    void *p = calloc(n, size);
    if (!p)
        cn_err_set(CN_EOSERR, __func__, "out of memory allocating %zu x %zu bytes", n, size);
    return p;
}

void *cn_realloc(void *p, size_t n, size_t size)
{
    if (n == 0 || size == 0)
        n = size = 1;
    if (n > SIZE_MAX / size) {
        cn_err_set(CN_EOSERR, __func__, "allocation of %zu x %zu bytes overflows", n, size);
        return NULL;
    }
    void *q = realloc(p, n * size);
    if (!q)
        cn_err_set(CN_EOSERR, __func__, "out of memory reallocating %zu x %zu bytes", n, size);
    return q;
}

char *cn_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = cn_calloc(n, 1);
    if (p)
        memcpy(p, s, n);
    return p;
}
