/* base/signals.c - see signals.h */
#include "signals.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "err.h"

static volatile sig_atomic_t g_flag;
static volatile sig_atomic_t g_sig;

static const char *volatile g_quick; /* cn_signals_quick_exit's message */

static void on_signal(int sig)
{
    g_flag = 1;
    g_sig = sig;
    const char *m = g_quick;
    if (m) { /* write and _exit are async-signal-safe */
        ssize_t r = write(STDERR_FILENO, m, strlen(m));
        (void)r;
        _exit(CN_ETEMPFAIL);
    }
}

void cn_signals_quick_exit(const char *msg) { g_quick = msg; }

void cn_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* the first Ctrl-C stops the run as SIGTERM does; a second one, with the
     * default action restored, ends the process at once */
    sa.sa_flags = SA_RESTART | SA_RESETHAND;
    sigaction(SIGINT, &sa, NULL);
    /* a write past the file-size limit (ulimit -f) fails with EFBIG, an I/O
     * error (exit 74) like a full disk, instead of killing the process */
    signal(SIGXFSZ, SIG_IGN);
}

int cn_signals_pending(void) { return g_flag != 0; }
void cn_signals_raise(void) { g_flag = 1; }
int cn_signals_which(void) { return g_sig; }

const char *cn_signals_name(void)
{
    int sig = g_sig;
    return sig == SIGUSR1 ? "SIGUSR1" : sig == SIGTERM ? "SIGTERM" : sig == SIGINT ? "SIGINT"
                                                                                     : "a signal";
}

int cn_signals_check_reading(const char *path)
{
    if (!g_flag)
        return CN_OK;
    return CN_ERR(CN_ETEMPFAIL, "interrupted by %s while reading '%s': nothing was written; "
                  "run the same command again", cn_signals_name(), path);
}
