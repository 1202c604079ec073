/* tests/unit/test_hostile.c - the hostile-input corpus tests/hostile/ through
 * the readers (io/reader.h), in process.
 *
 * One test per case directory of tests/hostile/ (format: tests/hostile/README.md):
 * tests/bad/base is copied to a temporary directory, the case's files are laid
 * over it, its `remove` lines applied and its gen.sh run there (big inputs are
 * generated, not committed); then cn_model_load must return the expected code
 * with the expected first diagnostic (file suffix, line, column, message
 * substring) and, with `count N`, N diagnostics in all.  Cases whose outcome
 * belongs to `cnopt solve` (a code of 0 or 71, or `args`/`env` lines: the
 * memory guard) must load cleanly here.  In the sanitizer build this runs the
 * readers under ASan/UBSan/LeakSanitizer without MPI around them;
 * tests/e2e/test_hostile.sh runs the same cases through the whole program.
 * Run from the repository root (or set CN_HOSTILE_DIR and CN_BAD_DIR).
 */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../base/err.h"
#include "../../core/model.h"
#include "../../io/reader.h"

static char g_hostile[1024] = "tests/hostile", g_bad[1024] = "tests/bad";

/* $CN_HOSTILE_DIR / $CN_BAD_DIR, else ./tests/..., else relative to the binary
 * (BUILD/tests/test_hostile with BUILD two levels below the repository). */
static void find_dirs(const char *argv0)
{
    struct stat st;
    const char *h = getenv("CN_HOSTILE_DIR"), *b = getenv("CN_BAD_DIR");
    if (stat(g_hostile, &st) != 0) {
        const char *slash = strrchr(argv0, '/');
        if (slash) {
            snprintf(g_hostile, sizeof g_hostile, "%.*s/../../../tests/hostile",
                     (int)(slash - argv0), argv0);
            snprintf(g_bad, sizeof g_bad, "%.*s/../../../tests/bad", (int)(slash - argv0), argv0);
        }
    }
    if (h && *h)
        snprintf(g_hostile, sizeof g_hostile, "%s", h);
    if (b && *b)
        snprintf(g_bad, sizeof g_bad, "%s", b);
    char cwd[512], tmp[1600];
    if (g_hostile[0] != '/' && getcwd(cwd, sizeof cwd)) {
        snprintf(tmp, sizeof tmp, "%s/%s", cwd, g_hostile);
        snprintf(g_hostile, sizeof g_hostile, "%.1000s", tmp);
    }
}

static void print_diags(void)
{
    long n = cn_diag_count() < CN_DIAG_MAX ? cn_diag_count() : CN_DIAG_MAX;
    for (long i = 0; i < n && i < 10; i++) {
        const cn_diag *d = cn_diag_get(i);
        print_message("  diag %ld: %s:%ld:%ld: %.200s\n", i, d->file, d->line, d->col, d->msg);
    }
    if (n > 10)
        print_message("  ... %ld diagnostics in all\n", cn_diag_count());
    if (cn_err_message()[0])
        print_message("  error: %s\n", cn_err_message());
}

typedef struct expect {
    int code;
    long count, line, col;
    int solve_only;       /* args/env lines: the outcome belongs to `cnopt solve` */
    char skip[512];
    char file[256], msg[1024];
} expect;

static void read_expect(const char *cdir, const char *scratch, expect *e)
{
    char path[4200], line[2048];
    snprintf(path, sizeof path, "%s/expect", cdir);
    FILE *fp = fopen(path, "r");
    if (!fp)
        fail_msg("cannot open %s", path);
    memset(e, 0, sizeof *e);
    e->code = -1;
    e->count = -1;
    int has_comment = 0;
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#') {
            has_comment = 1;
        } else if (!strncmp(line, "remove ", 7)) {
            cn_sh("rm -rf '%s/%s'", scratch, line + 7);
        } else if (!strncmp(line, "count ", 6)) {
            e->count = atol(line + 6);
        } else if (!strncmp(line, "args ", 5) || !strncmp(line, "env ", 4)) {
            e->solve_only = 1;
        } else if (!strncmp(line, "skip ", 5)) {
            snprintf(e->skip, sizeof e->skip, "%.500s", line + 5);
        } else if (line[0] >= '0' && line[0] <= '9') {
            int n = 0;
            if (sscanf(line, "%d %255[^:]:%ld:%ld %n", &e->code, e->file, &e->line, &e->col,
                       &n) >= 4)
                snprintf(e->msg, sizeof e->msg, "%s", line + n);
            else if (sscanf(line, "%d", &e->code) != 1)
                fail_msg("%s: cannot parse '%s'", path, line);
        }
    }
    fclose(fp);
    if (!has_comment)
        fail_msg("%s: no comment saying what the case is", path);
    if (e->code < 0)
        fail_msg("%s: no expectation line", path);
}

static void test_hostile_case(void **state)
{
    const cn_case *hc = *state;
    char cdir[4096], scen[4200];
    snprintf(cdir, sizeof cdir, "%s/%s", g_hostile, hc->name);
    char *dir = cn_mkdtemp("hostile");
    cn_sh("cp -R '%s/base/.' '%s/'", g_bad, dir);
    DIR *d = opendir(cdir);
    assert_non_null(d);
    struct dirent *de;
    while ((de = readdir(d))) {
        const char *n = de->d_name;
        if (!strcmp(n, ".") || !strcmp(n, "..") || !strcmp(n, "expect") || !strcmp(n, "gen.sh"))
            continue;
        cn_sh("rm -rf '%s/%s' && cp -R '%s/%s' '%s/%s'", dir, n, cdir, n, dir, n);
    }
    closedir(d);
    expect e;
    read_expect(cdir, dir, &e);
    if (e.skip[0]) {
        print_message("  skipped: %s\n", e.skip);
        cn_rmtree(dir);
        free(dir);
        skip();
    }
    snprintf(scen, sizeof scen, "%s/gen.sh", cdir);
    struct stat st;
    if (stat(scen, &st) == 0) /* g_hostile is absolute: gen.sh runs in the scratch directory */
        cn_sh("cd '%s' && bash '%s' >/dev/null", dir, scen);

    snprintf(scen, sizeof scen, "%s/scenario.yaml", dir);
    cn_diag_clear();
    cn_err_clear();
    cn_model *m = NULL;
    int rc = cn_model_load(scen, &m);
    if (e.solve_only || e.code == CN_OK || e.code == CN_EOSERR) {
        /* the reader accepts it; `cnopt solve` decides (test_hostile.sh) */
        if (rc != CN_OK) {
            print_diags();
            fail_msg("cn_model_load returned %d, expected 0 (the outcome %d is solve's)", rc,
                     e.code);
        }
        assert_non_null(m);
        cn_model_destroy(&m);
    } else {
        if (rc != e.code) {
            print_diags();
            fail_msg("cn_model_load returned %d, expected %d", rc, e.code);
        }
        assert_null(m);
        const cn_diag *g = cn_diag_get(0);
        if (!g)
            fail_msg("no diagnostic recorded");
        size_t fl = strlen(g->file), sl = strlen(e.file);
        int file_ok = fl >= sl && strcmp(g->file + fl - sl, e.file) == 0 &&
                      (fl == sl || g->file[fl - sl - 1] == '/');
        if (!file_ok || g->line != e.line || g->col != e.col || !strstr(g->msg, e.msg)) {
            print_diags();
            fail_msg("first diagnostic is %s:%ld:%ld: %.300s\n  expected %s:%ld:%ld: ...%s...",
                     g->file, g->line, g->col, g->msg, e.file, e.line, e.col, e.msg);
        }
        if (e.count >= 0 && cn_diag_count() != e.count) {
            print_diags();
            fail_msg("%ld diagnostics, expected %ld", cn_diag_count(), e.count);
        }
    }
    cn_diag_clear();
    cn_err_clear();
    cn_rmtree(dir);
    free(dir);
}

/* Every tests/bad case named in tests/hostile/from-bad exists. */
static void test_from_bad_list(void **state)
{
    (void)state;
    char path[4200], line[1024], name[256];
    snprintf(path, sizeof path, "%s/from-bad", g_hostile);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    int n = 0;
    while (fgets(line, sizeof line, fp)) {
        if (line[0] == '#' || sscanf(line, "%255s", name) != 1)
            continue;
        struct stat st;
        snprintf(path, sizeof path, "%s/%s/expect", g_bad, name);
        if (stat(path, &st) != 0)
            fail_msg("from-bad names '%s', which tests/bad does not have", name);
        n++;
    }
    fclose(fp);
    print_message("  %d cases of tests/bad are hostile inputs too\n", n);
    assert_true(n > 0);
}

int main(int argc, char **argv)
{
    (void)argc;
    find_dirs(argv[0]);
    static const struct CMUnitTest fixed[] = {cmocka_unit_test(test_from_bad_list)};
    size_t nfixed = sizeof fixed / sizeof fixed[0];
    return cn_run_case_dir("hostile", fixed, nfixed, g_hostile, "hostile", test_hostile_case);
}
