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
/* rm -rf DIR */
void cn_rmtree(const char *dir);

#endif
