/* base/log.c - see log.h */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

static int g_rank;
static int g_level = CN_LOG_INFO;

void cn_log_init(int rank, int level)
{
    g_rank = rank;
    g_level = level;
}
int cn_log_level(void) { return g_level; }
int cn_log_rank(void) { return g_rank; }

void cn_log(int level, const char *fmt, ...)
{
    if (level > g_level)
        return;
    if (level != CN_LOG_ERROR && g_rank != 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    if (level == CN_LOG_ERROR)
        fprintf(stderr, g_rank ? "cnopt[rank %d]: error: " : "cnopt: error: ", g_rank);
    else if (level == CN_LOG_WARN)
        fputs("cnopt: warning: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}
