/* tests/unit/testutil.c - see testutil.h */
#include "testutil.h"
#include <dirent.h>

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

void cn_sh(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    if (system(cmd) != 0)
        fail_msg("command failed: %s", cmd);
}

void cn_rmtree(const char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "warning: could not remove %s\n", dir);
}

static int cmp_case_names(const void *a, const void *b)
{
    return strcmp(((const cn_case *)a)->name, ((const cn_case *)b)->name);
}

int cn_run_case_dir(const char *group, const struct CMUnitTest *fixed, size_t nfixed,
                    const char *dir, const char *prefix, CMUnitTestFunction fn)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "%s: cannot open %s (run from the repository root)\n", group, dir);
        return 1;
    }
    cn_case *cases = NULL;
    size_t ncases = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        char p[4400];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s/expect", dir, e->d_name);
        if (e->d_name[0] == '.' || !strcmp(e->d_name, "base") || stat(p, &st) != 0)
            continue;
        cn_case *nc = realloc(cases, (ncases + 1) * sizeof *cases);
        if (!nc) {
            closedir(d);
            free(cases);
            return 1;
        }
        cases = nc;
        snprintf(cases[ncases++].name, sizeof cases->name, "%s", e->d_name);
    }
    closedir(d);
    qsort(cases, ncases, sizeof *cases, cmp_case_names);
    struct CMUnitTest *tests = calloc(nfixed + ncases, sizeof *tests);
    char (*names)[300] = calloc(ncases ? ncases : 1, sizeof *names);
    int failed = 1;
    if (tests && names) {
        memcpy(tests, fixed, nfixed * sizeof *fixed);
        for (size_t i = 0; i < ncases; i++) {
            snprintf(names[i], sizeof names[i], "%s/%s", prefix, cases[i].name);
            tests[nfixed + i].name = names[i];
            tests[nfixed + i].test_func = fn;
            tests[nfixed + i].initial_state = &cases[i];
        }
        failed = _cmocka_run_group_tests(group, tests, nfixed + ncases, NULL, NULL);
    }
    free(tests);
    free(names);
    free(cases);
    return failed;
}
