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

#endif
