/* tests/unit/testutil.c - see testutil.h */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void cn_assert_close(double actual, double expected, double rtol, double atol,
                     const char *what, const char *file, int line)
{
    double diff = fabs(actual - expected);
    if (!(diff <= atol + rtol * fabs(expected))) {
        print_error("%s: value %.17g differs from expected %.17g by %.3g "
                    "(rtol %.1g, atol %.1g)\n",
                    what, actual, expected, diff, rtol, atol);
        _fail(file, line);
    }
}

void cn_write_file(const char *dir, const char *name, const char *text)
{
    mkdir(dir, 0777);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    size_t n = strlen(text);
    assert_int_equal(fwrite(text, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

char *cn_mkdtemp(const char *tag)
{
    const char *base = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/cnopt-%s-XXXXXX", base && *base ? base : "/tmp", tag);
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return strdup(d);
}

void cn_rmtree(const char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "warning: could not remove %s\n", dir);
}
