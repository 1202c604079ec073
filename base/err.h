/* base/err.h - exit codes, error traceback and input diagnostics.
 *
 * Two kinds of failure are kept apart (see docs/errors.md):
 *  - input diagnostics: problems in the user's files, reported as
 *    "FILE:LINE:COLUMN: message"; all of one run are collected (up to
 *    CN_DIAG_MAX) and printed together; the run then exits CN_EDATA.
 *  - errors: anything else that makes a function fail.  The function that
 *    detects it calls CN_ERR(code, fmt, ...); each caller on the way up adds a
 *    frame with CN_TRY, so the message printed at the end is a traceback.
 * Exit codes follow sysexits.h.  Not thread-safe: one state per process/rank.
 */
#ifndef CN_ERR_H
#define CN_ERR_H

#include <stdarg.h>
#include <stdio.h>

enum cn_code {
    CN_OK = 0,
    CN_EUSAGE = 64,     /* bad command line */
    CN_EDATA = 65,      /* bad input data */
    CN_ENOINPUT = 66,   /* input file or directory missing or unreadable */
    CN_ESOFTWARE = 70,  /* internal error (solver failure, bug) */
    CN_EOSERR = 71,     /* out of memory, system call failed */
    CN_ECANTCREAT = 73, /* cannot create output (exists without --force, dir not writable) */
    CN_EIO = 74,        /* I/O error while writing */
    CN_ETEMPFAIL = 75   /* interrupted and checkpointed: rerun to resume */
};

/* Record a new error (clears the previous trace).  Returns code. */
int cn_err_set(int code, const char *func, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Add a traceback frame to the current error.  Returns code. */
int cn_err_frame(int code, const char *func, const char *file, int line);
/* The current error message with its traceback ("" when none): what -v prints. */
const char *cn_err_message(void);
/* The same without the traceback frames (the "    in FUNC (FILE:LINE)" lines): the
 * message for people, which names the file and what is wrong.  A static buffer,
 * valid until the next cn_err_brief call. */
const char *cn_err_brief(void);
/* What an exit code means, in words ("bad input data" for 65). */
const char *cn_err_code_text(int code);
int cn_err_code(void);
void cn_err_clear(void);

#define CN_ERR(code, ...) cn_err_set((code), __func__, __VA_ARGS__)
/* Needs `int rc` and a `cleanup:` label in the calling function. */
#define CN_TRY(expr)                                                 \
    do {                                                             \
        rc = (expr);                                                 \
        if (rc != CN_OK) {                                           \
            cn_err_frame(rc, __func__, __FILE__, __LINE__);          \
            goto cleanup;                                            \
        }                                                            \
    } while (0)

/* ---- input diagnostics ---- */
#define CN_DIAG_MAX 100

typedef struct cn_diag {
    char file[256];  /* path as given (or basename for model tables, see docs) */
    long line;       /* 1-based; 0 = whole file */
    long col;        /* 1-based; 0 = whole line */
    char msg[512];
} cn_diag;

/* Append a diagnostic.  Past CN_DIAG_MAX only the count grows. */
void cn_diag_add(const char *file, long line, long col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void cn_diag_vadd(const char *file, long line, long col, const char *fmt, va_list ap);
long cn_diag_count(void);             /* total, including those not kept */
const cn_diag *cn_diag_get(long i);   /* i < min(count, CN_DIAG_MAX) */
void cn_diag_clear(void);
/* Print "FILE:LINE:COLUMN: msg" lines and a "N more" line if cut. */
void cn_diag_print(FILE *fp);

/* Allocation helpers: on failure they record CN_EOSERR and return NULL. */
void *cn_calloc(size_t n, size_t size);
void *cn_realloc(void *p, size_t n, size_t size);
char *cn_strdup(const char *s);

#endif
