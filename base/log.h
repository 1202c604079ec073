/* base/log.h - leveled logging to stderr; by default only rank 0 prints. */
#ifndef CN_LOG_H
#define CN_LOG_H

enum cn_log_level { CN_LOG_ERROR = 0, CN_LOG_WARN = 1, CN_LOG_INFO = 2, CN_LOG_DEBUG = 3 };

void cn_log_init(int rank, int level);   /* level: CN_LOG_* (default INFO) */
int cn_log_level(void);
int cn_log_rank(void);
/* Printed when level <= current level, and on rank 0 only unless level is
 * ERROR (errors print on every rank, prefixed with the rank when rank > 0). */
void cn_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Progress of one long step (a monolithic solve), for people at a terminal:
 * a status line "WHAT: TEXT, N s" rewritten in place, at most once a second.
 * Shown only when stderr is a terminal, on rank 0, at level INFO or more (not
 * -q), and only once the step has run CN_PROGRESS_DELAY_S seconds, so that
 * short runs and logs (a file, a pipe, Slurm) get nothing extra; the
 * environment variable CN_PROGRESS_DELAY_S=SEC changes the delay
 * (docs/errors.md "Progress").  The line is erased by cn_progress_end and
 * before any cn_log line.  Not collective; not thread-safe. */
#define CN_PROGRESS_DELAY_S 3.0
void cn_progress_begin(const char *what);
void cn_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cn_progress_end(void);

#endif
