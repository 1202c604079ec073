/* tests/unit/testutil.h - helpers shared by the cmocka tests. */
#ifndef CN_TESTUTIL_H
#define CN_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* Fails unless |actual - expected| <= atol + rtol * |expected|; prints both. */
void cn_assert_close(double actual, double expected, double rtol, double atol,
                     const char *what, const char *file, int line);
#define assert_close(a, e, rtol, atol) \
    cn_assert_close((a), (e), (rtol), (atol), #a, __FILE__, __LINE__)

/* Write text to DIR/NAME (creating DIR).  Fails the test on error. */
void cn_write_file(const char *dir, const char *name, const char *text);
/* A fresh empty directory under $TMPDIR (or /tmp); caller frees the string. */
char *cn_mkdtemp(const char *tag);
/* Run a shell command made from fmt; fails the test unless it exits 0. */
void cn_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* rm -rf DIR */
void cn_rmtree(const char *dir);
/* A case directory of a corpus (tests/bad, tests/hostile): its name. */
typedef struct cn_case {
    char name[256];
} cn_case;
/* Run group: the fixed tests, then fn once per directory of dir that holds
 * an `expect` file (not `base`, not hidden), in name order, named
 * PREFIX/NAME, with *state pointing at its cn_case.  Returns cmocka's count
 * of failures (1 when dir cannot be read). */
int cn_run_case_dir(const char *group, const struct CMUnitTest *fixed, size_t nfixed,
                    const char *dir, const char *prefix, CMUnitTestFunction fn);

#endif
