/* base/log.c - see log.h */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static int g_rank;
static int g_level = CN_LOG_INFO;

void cn_log_init(int rank, int level)
{
    g_rank = rank;
    g_level = level;
}
int cn_log_level(void) { return g_level; }
int cn_log_rank(void) { return g_rank; }

static struct {
    int active;          /* between begin and end, and shown at all */
    int shown;           /* a line is on the terminal now */
    char what[64];
    double t0, last, delay;
} g_prog;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void progress_erase(void)
{
    if (g_prog.shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        g_prog.shown = 0;
    }
}

void cn_progress_begin(const char *what)
{
    progress_erase();
    g_prog.active = g_rank == 0 && g_level >= CN_LOG_INFO && isatty(STDERR_FILENO);
    snprintf(g_prog.what, sizeof g_prog.what, "%s", what);
    g_prog.t0 = now_s();
    g_prog.last = -1e300;
    g_prog.delay = CN_PROGRESS_DELAY_S;
    const char *e = getenv("CN_PROGRESS_DELAY_S");
    if (e && *e) {
        char *end;
        double v = strtod(e, &end);
        if (!*end && v >= 0)
            g_prog.delay = v;
    }
}

void cn_progress(const char *fmt, ...)
{
    if (!g_prog.active)
        return;
    double t = now_s();
    if (t - g_prog.t0 < g_prog.delay || t - g_prog.last < 1.0)
        return;
    g_prog.last = t;
    char text[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    char line[256];
    int n = snprintf(line, sizeof line, "%s: %s, %.0f s", g_prog.what, text, t - g_prog.t0);
    struct winsize ws;   /* a line longer than the terminal would wrap and stay */
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 && n >= ws.ws_col &&
        ws.ws_col <= sizeof line)
        line[ws.ws_col - 1] = '\0';
    fprintf(stderr, "\r%s\033[K", line);
    fflush(stderr);
    g_prog.shown = 1;
}

void cn_progress_end(void)
{
    progress_erase();
    g_prog.active = 0;
}

void cn_log(int level, const char *fmt, ...)
{
    if (level > g_level)
        return;
    if (level != CN_LOG_ERROR && g_rank != 0)
        return;
    progress_erase();
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
