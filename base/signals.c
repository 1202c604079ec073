/* base/signals.c - see signals.h */
#include "signals.h"

#include <signal.h>
#include <string.h>

#include "err.h"

static volatile sig_atomic_t g_flag;
static volatile sig_atomic_t g_sig;

static void on_signal(int sig)
{
    g_flag = 1;
    g_sig = sig;
}

void cn_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int cn_signals_pending(void) { return g_flag != 0; }
void cn_signals_raise(void) { g_flag = 1; }
int cn_signals_which(void) { return g_sig; }

int cn_signals_check_reading(const char *path)
{
    if (!g_flag)
        return CN_OK;
    int sig = g_sig;
    const char *name = sig == SIGUSR1 ? "SIGUSR1" : sig == SIGTERM ? "SIGTERM" : "a signal";
    return CN_ERR(CN_ETEMPFAIL, "interrupted by %s while reading '%s': nothing was written; "
                  "run the same command again", name, path);
}
