/* io/outdir.c - see outdir.h (factored out of io/generate.c). */
#include "outdir.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "../base/err.h"

/* exists: dir is there (a directory); nonempty: it has entries. */
static int dir_probe(const char *dir, int *exists, int *nonempty)
{
    struct stat st;
    *exists = *nonempty = 0;
    if (stat(dir, &st) != 0) {
        if (errno == ENOENT)
            return CN_OK;
        return CN_ERR(CN_ECANTCREAT, "cannot use output directory '%s': %s", dir, strerror(errno));
    }
    if (!S_ISDIR(st.st_mode))
        return CN_ERR(CN_ECANTCREAT, "output '%s' exists and is not a directory", dir);
    *exists = 1;
    DIR *d = opendir(dir);
    if (!d)
        return CN_ERR(CN_ECANTCREAT, "cannot read output directory '%s': %s", dir, strerror(errno));
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            *nonempty = 1;
            break;
        }
    closedir(d);
    return CN_OK;
}

/* mkdir -p of the directory that will hold path */
static int parent_make(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    char *slash = strrchr(buf, '/');
    if (!slash || slash == buf)
        return CN_OK;
    *slash = '\0';
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return CN_ERR(CN_ECANTCREAT, "cannot create directory '%s': %s", buf, strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return CN_ERR(CN_ECANTCREAT, "cannot create directory '%s': %s", buf, strerror(errno));
    return CN_OK;
}

int cn_outdir_open(cn_outdir *od, const char *dir_in, int force)
{
    int rc = CN_OK;
    memset(od, 0, sizeof *od);
    size_t n = strlen(dir_in);
    if (n == 0 || n >= sizeof od->dir - 64)
        return CN_ERR(CN_EUSAGE, "output directory name '%s' is empty or too long", dir_in);
    memcpy(od->dir, dir_in, n + 1);
    while (n > 1 && od->dir[n - 1] == '/')
        od->dir[--n] = '\0';

    CN_TRY(dir_probe(od->dir, &od->exists, &od->nonempty));
    if (od->nonempty && !force) {
        rc = CN_ERR(CN_ECANTCREAT,
                    "output directory '%s' exists and is not empty (use --force to replace "
                    "its model files)",
                    od->dir);
        goto cleanup;
    }
    CN_TRY(parent_make(od->dir));
    for (int attempt = 0;; attempt++) {
        snprintf(od->tmp, sizeof od->tmp, "%s.tmp-%ld-%d", od->dir, (long)getpid(), attempt);
        if (mkdir(od->tmp, 0777) == 0)
            break;
        if (errno != EEXIST || attempt >= 100) {
            rc = CN_ERR(CN_ECANTCREAT, "cannot create directory '%s': %s", od->tmp,
                        strerror(errno));
            goto cleanup;
        }
    }
    od->made_tmp = 1;
cleanup:
    return rc;
}

int cn_outdir_commit(cn_outdir *od, const char *const *names, const unsigned char *written,
                     int n)
{
    /* one rename of the directory when dir is absent or empty */
    if (!od->nonempty && rename(od->tmp, od->dir) == 0) {
        od->made_tmp = 0;
        return CN_OK;
    }
    if (!od->nonempty && od->exists == 0)
        return CN_ERR(CN_ECANTCREAT, "cannot rename '%s' to '%s': %s", od->tmp, od->dir,
                      strerror(errno));
    /* --force into a non-empty dir (or an empty dir that could not be
     * replaced): move our files in one by one, leave other files alone */
    if (!od->exists && mkdir(od->dir, 0777) != 0 && errno != EEXIST)
        return CN_ERR(CN_ECANTCREAT, "cannot create directory '%s': %s", od->dir,
                      strerror(errno));
    for (int f = 0; f < n; f++) {
        char from[4400], to[4400];
        snprintf(from, sizeof from, "%s/%s", od->tmp, names[f]);
        snprintf(to, sizeof to, "%s/%s", od->dir, names[f]);
        if (written && !written[f]) {
            /* a stale file of the model (e.g. periods.csv) would change it */
            if (unlink(to) != 0 && errno != ENOENT)
                return CN_ERR(CN_ECANTCREAT, "cannot remove '%s': %s", to, strerror(errno));
            continue;
        }
        if (rename(from, to) != 0)
            return CN_ERR(CN_ECANTCREAT, "cannot rename '%s' to '%s': %s", from, to,
                          strerror(errno));
    }
    return CN_OK;
}

void cn_outdir_cleanup(cn_outdir *od, const char *const *names, int n)
{
    if (!od->made_tmp)
        return;
    char path[4400];
    for (int f = 0; f < n; f++) {
        snprintf(path, sizeof path, "%s/%s", od->tmp, names[f]);
        unlink(path);
    }
    rmdir(od->tmp);
    od->made_tmp = 0;
}

int cn_table_open(const char *dir, const char *name, FILE **out)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    if (!fp)
        return CN_ERR(CN_ECANTCREAT, "cannot create '%s': %s", path, strerror(errno));
    setvbuf(fp, NULL, _IOFBF, 1 << 20);
    *out = fp;
    return CN_OK;
}

int cn_table_close(const char *dir, const char *name, FILE **fp)
{
    int bad = ferror(*fp);
    int e = errno;
    if (fclose(*fp) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    *fp = NULL;
    if (bad)
        return CN_ERR(CN_EIO, "cannot write '%s/%s': %s", dir, name, strerror(e));
    return CN_OK;
}

void cn_write_double(FILE *fp, double v)
{
    char buf[40];
    v += 0.0; /* -0 -> 0 */
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*g", p, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    fputs(buf, fp);
}
