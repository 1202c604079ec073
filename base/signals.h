/* base/signals.h - SIGUSR1, SIGTERM and SIGINT set a flag; the solver polls
 * it at safe points (an iteration boundary, where all ranks agree on it; the
 * monolithic GLPK solve at its progress reports) and the input readers poll
 * it while they read (cn_signals_check_reading).  A second SIGINT has the
 * default action: the process ends at once (an output is written under a
 * temporary name and renamed, so nothing partial is left under its name).
 * SIGXFSZ is ignored: a write past `ulimit -f` fails with EFBIG (exit 74). */
#ifndef CN_SIGNALS_H
#define CN_SIGNALS_H

/* Install the handlers (the handler only sets a volatile sig_atomic_t). */
void cn_signals_install(void);
/* 1 once SIGUSR1, SIGTERM or SIGINT arrived (or cn_signals_raise was called). */
int cn_signals_pending(void);
/* Set the flag as a signal would (tests). */
void cn_signals_raise(void);
/* The signal number that arrived last (0: none). */
int cn_signals_which(void);
/* Its name for messages: "SIGTERM", "SIGINT", "SIGUSR1" or "a signal". */
const char *cn_signals_name(void);
/* For the input readers, polled once per block, line or event: CN_OK, or
 * when a signal arrived, CN_ETEMPFAIL (75) with an error recorded,
 * "interrupted by SIGTERM while reading 'PATH': nothing was written; run the
 * same command again".  So a signal is honoured while inputs are read, not
 * only at the solver's iteration boundaries.  Not collective: the callers
 * agree on the outcome (cn_mpi_agree) as on any reader failure. */
int cn_signals_check_reading(const char *path);
/* For steps that report nothing, take long and hold nothing to save (the
 * monolithic solve's LP build, GLPK's load and scaling, the simplex before
 * its first report): while msg is set, a signal ends the process at once
 * with msg on stderr and exit 75; NULL turns it off.  A signal that arrived
 * before is the caller's to check (cn_signals_pending).  Not collective:
 * under mpirun the other ranks are ended by mpirun. */
void cn_signals_quick_exit(const char *msg);

#endif
