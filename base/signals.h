/* base/signals.h - SIGUSR1/SIGTERM set a flag; the solver polls it at safe
 * points (an iteration boundary, where all ranks agree on it). */
#ifndef CN_SIGNALS_H
#define CN_SIGNALS_H

/* Install the handlers (the handler only sets a volatile sig_atomic_t). */
void cn_signals_install(void);
/* 1 once SIGUSR1 or SIGTERM arrived (or cn_signals_raise was called). */
int cn_signals_pending(void);
/* Set the flag as a signal would (tests). */
void cn_signals_raise(void);
/* The signal number that arrived last (0: none). */
int cn_signals_which(void);

#endif
