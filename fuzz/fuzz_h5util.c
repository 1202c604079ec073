/* fuzz/fuzz_h5util.c - see fuzz_h5util.h */
#include "fuzz_h5util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/err.h"

static char g_dir[4096], g_path[4200];

static void remove_scratch(void)
{
    if (g_path[0])
        unlink(g_path);
    if (g_dir[0])
        rmdir(g_dir);
}

const char *cn_fuzz_h5_file(const char *tag, const uint8_t *data, size_t size)
{
    if (!g_dir[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(g_dir, sizeof g_dir, "%s/cnopt-fuzz-%s.XXXXXX", t && t[0] ? t : "/tmp", tag);
        if (!mkdtemp(g_dir)) {
            perror("fuzz harness: mkdtemp");
            abort();
        }
        snprintf(g_path, sizeof g_path, "%s/input.h5", g_dir);
        atexit(remove_scratch);
    }
    FILE *fp = fopen(g_path, "wb");
    if (!fp || (size && fwrite(data, 1, size, fp) != size) || fclose(fp) != 0) {
        perror("fuzz harness: writing the input");
        abort();
    }
    return g_path;
}

void cn_fuzz_h5_check(const char *what, int rc, const char *path)
{
    if (rc != CN_OK && rc != CN_EDATA) {
        fprintf(stderr, "fuzz harness: %s returned %d (expected %d or %d): %s\n", what, rc, CN_OK,
                CN_EDATA, cn_err_message());
        abort();
    }
    const char *m = cn_err_brief()[0] ? cn_err_brief() : cn_err_message();
    if (rc != CN_OK && strstr(m, path) == NULL) {
        fprintf(stderr, "fuzz harness: %s failed without naming the file: '%s'\n", what, m);
        abort();
    }
    if (rc == CN_OK && cn_err_code() != CN_OK) {
        fprintf(stderr, "fuzz harness: %s succeeded with an error recorded: %s\n", what, cn_err_message());
        abort();
    }
}
