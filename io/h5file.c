/* io/h5file.c - see h5file.h.  Serial HDF5 only (default driver). */
#define _GNU_SOURCE /* memfd_create (sys/mman.h) */
#include "h5file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "../base/err.h"
#include "../base/log.h"
#include "h5file_int.h"

struct cn_h5file {
    hid_t file;
    char *path;          /* as opened, for messages */
    cn_h5_quiet quiet;   /* error printing restored on close */
};

/* ------------------------------------------------------------ errors */

static herr_t walk_cb(unsigned n, const H5E_error2_t *e, void *data)
{
    char *buf = data;
    if (n == 0 && e && e->desc) { /* innermost frame: the actual cause */
        /* the sec2 driver's "file write failed: time = ..., errno = 28,
         * error message = 'No space left on device', ...": its cause */
        const char *m = strstr(e->desc, "error message = '");
        const char *q = m ? strchr(m + 17, '\'') : NULL;
        if (q)
            snprintf(buf, 512, "%.*s", (int)(q - (m + 17)), m + 17);
        else
            snprintf(buf, 512, "%s", e->desc);
    }
    return 0;
}

int cn_h5_fail(int code, const char *func, const char *what, const char *subject)
{
    char detail[512] = "";
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, walk_cb, detail);
    H5Eclear2(H5E_DEFAULT);
    return cn_err_set(code, func, "%s '%s'%s%s", what, subject, detail[0] ? ": " : "", detail);
}

void cn_h5_quiet_on(cn_h5_quiet *q)
{
    H5Eget_auto2(H5E_DEFAULT, &q->func, &q->data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

void cn_h5_quiet_off(const cn_h5_quiet *q) { H5Eset_auto2(H5E_DEFAULT, q->func, q->data); }

/* "FILE: what 'subject': detail" */
static int fail(const cn_h5file *f, int code, const char *func, const char *what, const char *subject)
{
    char w[600];
    snprintf(w, sizeof w, "%s: %s", f->path, what);
    return cn_h5_fail(code, func, w, subject);
}
#define FAIL(f, code, what, subject) fail((f), (code), __func__, (what), (subject))

hid_t cn_h5_type_of(int t, int file)
{
    switch (t) {
    case CN_H5_F64: return H5Tcopy(file ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE);
    case CN_H5_I32: return H5Tcopy(file ? H5T_STD_I32LE : H5T_NATIVE_INT32);
    case CN_H5_I64: return H5Tcopy(file ? H5T_STD_I64LE : H5T_NATIVE_INT64);
    case CN_H5_STR: {
        hid_t s = H5Tcopy(H5T_C_S1);
        if (s >= 0 && (H5Tset_size(s, H5T_VARIABLE) < 0 || H5Tset_cset(s, H5T_CSET_UTF8) < 0)) {
            H5Tclose(s);
            return -1;
        }
        return s;
    }
    default: return -1;
    }
}

/* NULL elements of a string array replaced by "" (a copy of the pointers);
 * *tofree is what to free. */
static const void *no_null_strings(int type, size_t n, const void *v, void **tofree)
{
    *tofree = NULL;
    if (type != CN_H5_STR || !v)
        return v;
    const char *const *s = v;
    const char **c = cn_calloc(n ? n : 1, sizeof *c);
    if (!c)
        return NULL;
    for (size_t i = 0; i < n; i++)
        c[i] = s[i] ? s[i] : "";
    *tofree = c;
    return c;
}

/* -------------------------------------------------------- open/close */

static int open_common(const char *tmp, int create, cn_h5file **out)
{
    int rc = CN_OK;
    hid_t fapl = -1;
    cn_h5file *f = cn_calloc(1, sizeof *f);
    *out = NULL;
    if (!f || !(f->path = cn_strdup(tmp))) {
        free(f);
        return CN_EOSERR;
    }
    f->file = -1;
    cn_h5_quiet_on(&f->quiet);
    if ((fapl = H5Pcreate(H5P_FILE_ACCESS)) < 0 || H5Pset_file_locking(fapl, 0, 1) < 0) {
        rc = FAIL(f, CN_EIO, "cannot set up file access for", tmp);
        goto cleanup;
    }
    f->file = create ? H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, fapl)
                     : H5Fopen(tmp, H5F_ACC_RDWR, fapl);
    if (f->file < 0)
        rc = create ? FAIL(f, CN_ECANTCREAT, "cannot create", tmp) : FAIL(f, CN_EIO, "cannot reopen", tmp);
cleanup:
    if (fapl >= 0)
        H5Pclose(fapl);
    if (rc != CN_OK)
        cn_h5file_close(&f);
    *out = f;
    return rc;
}

int cn_h5file_create(const char *tmp, cn_h5file **out) { return open_common(tmp, 1, out); }
int cn_h5file_open(const char *tmp, cn_h5file **out) { return open_common(tmp, 0, out); }

/* Where discarded writes go: an anonymous memory file; /dev/null (opened to
 * append, so that a write at any offset is taken) where there is none.  The
 * writers keep a file under the file-size limit (cn_h5_room), so the memory
 * file takes every write HDF5 still makes, and its size can be set. */
static int discard_target(void)
{
    int m = memfd_create("cnopt-discarded-write", MFD_CLOEXEC);
    return m >= 0 ? m : open("/dev/null", O_WRONLY | O_APPEND | O_CLOEXEC);
}

uint64_t cn_h5_size_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_FSIZE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return 0;
    if (rl.rlim_cur != rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0 || getrlimit(RLIMIT_FSIZE, &rl) != 0)
            return 0;
        if (rl.rlim_cur == RLIM_INFINITY)
            return 0;
    }
    return rl.rlim_cur > 0 ? (uint64_t)rl.rlim_cur : 1;
}

int cn_h5_room(const char *path, uint64_t need)
{
    uint64_t lim = cn_h5_size_limit();
    if (lim == 0 || need + CN_H5_LIMIT_SLACK <= lim)
        return CN_OK;
    return CN_ERR(CN_EIO, "cannot write '%s': %s (it would pass the file-size limit, ulimit -f, "
                  "of %llu bytes: %llu bytes and a margin of %d are needed)", path, strerror(EFBIG),
                  (unsigned long long)lim, (unsigned long long)need, CN_H5_LIMIT_SLACK);
}

/* Serial writer: room for `more` bytes past what the file already takes
 * (HDF5's end of allocation or of file, whichever is further). */
static int room(const cn_h5file *f, uint64_t more)
{
    hsize_t sz = 0;
    if (cn_h5_size_limit() == 0)
        return CN_OK;
    if (H5Fget_filesize(f->file, &sz) < 0)
        return FAIL(f, CN_EIO, "cannot tell the size of", f->path);
    return cn_h5_room(f->path, (uint64_t)sz + more);
}

/* Bytes that n elements of type take in the file: variable-length strings
 * live in the global heap (16 bytes of header an object, collections of at
 * least 4 KiB). */
static uint64_t bytes_of(int type, size_t n, const void *v)
{
    if (type != CN_H5_STR)
        return (uint64_t)n * (type == CN_H5_I32 ? 4u : 8u);
    uint64_t b = 4096 + 16 * (uint64_t)n;
    const char *const *s = v;
    for (size_t i = 0; s && i < n; i++)
        b += (s[i] ? strlen(s[i]) : 0) + 16;
    return b;
}

void cn_h5_discard_writes(const char *path)
{
    struct stat target, st;
    if (stat(path, &target) != 0)
        return;
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return;
    int dfd = dirfd(d), m = -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char *end = NULL;
        long fd = strtol(e->d_name, &end, 10);
        if (end == e->d_name || *end || fd == dfd || fd == m || fstat((int)fd, &st) != 0 ||
            st.st_dev != target.st_dev || st.st_ino != target.st_ino)
            continue;
        if (m < 0 && (m = discard_target()) < 0)
            break;
        dup2(m, (int)fd);
    }
    if (m >= 0)
        close(m);
    closedir(d);
}

int cn_h5_reserve(hid_t file, const char *path)
{
    /* what is still to be written lies below the end of allocation, which
     * this HDF5 does not tell (H5Fget_eoa needs a SWMR driver, and
     * H5Fget_filesize fails under MPI-IO): at most the file's size plus
     * its metadata cache (MPI-IO has no metadata accumulator) */
    size_t max = 0, min_clean = 0, cur = 0;
    int nent = 0;
    struct stat st;
    if (H5Fget_mdc_size(file, &max, &min_clean, &cur, &nent) < 0 || stat(path, &st) != 0)
        return EIO;
    off_t len = st.st_size + (off_t)cur + CN_H5_RESERVE_SLACK;
    uint64_t lim = cn_h5_size_limit();
    if (lim && (uint64_t)len > lim)  /* fallocate's FALLOC_FL_KEEP_SIZE ignores it */
        return EFBIG;
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    int e = fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, len) == 0 ? 0 : errno;
    if (e == EOPNOTSUPP || e == ENOSYS) {
        /* no fallocate here (NFS, some cluster file systems): at least the
         * free space must cover what is not on disk yet */
        struct stat now;
        struct statvfs vs;
        e = 0;
        if (fstat(fd, &now) == 0 && fstatvfs(fd, &vs) == 0) {
            double have = (double)vs.f_bavail * (double)vs.f_frsize;
            double need = (double)len - (double)now.st_blocks * 512.0;
            if (need > have)
                e = ENOSPC;
        }
    }
    close(fd);
    return e;
}

void cn_h5_release_reserve(const char *path)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return;
    /* blocks kept past the end by cn_h5_reserve (FALLOC_FL_KEEP_SIZE): a
     * truncation to the same size frees them (ext4, tmpfs; a hole punched
     * past the end does not, on ext4) */
    if (fstat(fd, &st) == 0 && ftruncate(fd, st.st_size) != 0)
        cn_log(CN_LOG_DEBUG, "%s: blocks reserved past its end not given back: %s", path,
               strerror(errno));
    close(fd);
}

int cn_h5file_close(cn_h5file **fp)
{
    int rc = CN_OK;
    cn_h5file *f = fp ? *fp : NULL;
    if (!f)
        return CN_OK;
    if (f->file >= 0) {
        /* the flush first: a failed flush leaves HDF5's file intact, and
         * what it still holds then goes to memory (cn_h5_discard_writes) */
        if (H5Fflush(f->file, H5F_SCOPE_GLOBAL) < 0) {
            rc = FAIL(f, CN_EIO, "cannot write", f->path);
            cn_h5_discard_writes(f->path);
            H5Fflush(f->file, H5F_SCOPE_GLOBAL);
        }
        if (H5Fclose(f->file) < 0 && rc == CN_OK)
            rc = FAIL(f, CN_EIO, "cannot close", f->path);
        H5Eclear2(H5E_DEFAULT);
        if (rc == CN_OK) /* the parallel phase's (io/h5out.c) */
            cn_h5_release_reserve(f->path);
    }
    cn_h5_quiet_off(&f->quiet);
    free(f->path);
    free(f);
    *fp = NULL;
    return rc;
}

int cn_h5file_group(cn_h5file *f, const char *path)
{
    int rc = room(f, 0);
    if (rc != CN_OK)
        return rc;
    hid_t g = H5Gcreate2(f->file, path, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return FAIL(f, CN_EIO, "cannot create group", path);
    H5Gclose(g);
    return CN_OK;
}

/* ---------------------------------------------------------- attributes */

static int attr_any(cn_h5file *f, const char *obj, const char *name, int type, size_t n,
                    const void *v, int array)
{
    int rc = CN_OK;
    void *tofree = NULL;
    hsize_t dim = (hsize_t)n;
    hid_t o = -1, ft = -1, mt = -1, sp = -1, a = -1;
    const void *data = no_null_strings(type, n, v, &tofree);
    if (!data)
        return CN_EOSERR;
    if ((rc = room(f, bytes_of(type, n, data))) != CN_OK)
        goto cleanup;
    if ((o = H5Oopen(f->file, obj, H5P_DEFAULT)) < 0) {
        rc = FAIL(f, CN_EIO, "cannot open object", obj);
        goto cleanup;
    }
    ft = cn_h5_type_of(type, 1);
    mt = cn_h5_type_of(type, 0);
    sp = array ? H5Screate_simple(1, &dim, NULL) : H5Screate(H5S_SCALAR);
    if (ft < 0 || mt < 0 || sp < 0 ||
        (a = H5Acreate2(o, name, ft, sp, H5P_DEFAULT, H5P_DEFAULT)) < 0 ||
        H5Awrite(a, mt, data) < 0) {
        char what[400];
        snprintf(what, sizeof what, "cannot write attribute %s of", name);
        rc = FAIL(f, CN_EIO, what, obj);
    }
cleanup:
    if (a >= 0) H5Aclose(a);
    if (sp >= 0) H5Sclose(sp);
    if (mt >= 0) H5Tclose(mt);
    if (ft >= 0) H5Tclose(ft);
    if (o >= 0) H5Oclose(o);
    free(tofree);
    return rc;
}

int cn_h5file_attr_array(cn_h5file *f, const char *obj, const char *name, int type, size_t n,
                         const void *v)
{
    return attr_any(f, obj, name, type, n, v, 1);
}

int cn_h5file_attr_str(cn_h5file *f, const char *obj, const char *name, const char *v)
{
    return attr_any(f, obj, name, CN_H5_STR, 1, &v, 0);
}

int cn_h5file_attr_f64(cn_h5file *f, const char *obj, const char *name, double v)
{
    return attr_any(f, obj, name, CN_H5_F64, 1, &v, 0);
}

int cn_h5file_attr_i32(cn_h5file *f, const char *obj, const char *name, int32_t v)
{
    return attr_any(f, obj, name, CN_H5_I32, 1, &v, 0);
}

int cn_h5file_attr_i64(cn_h5file *f, const char *obj, const char *name, int64_t v)
{
    return attr_any(f, obj, name, CN_H5_I64, 1, &v, 0);
}

/* ------------------------------------------------------------ datasets */

int cn_h5file_put(cn_h5file *f, const char *path, int type, int ndims, const size_t *dims,
                  const void *data, const char *units, const char *long_name,
                  const char *description)
{
    int rc = CN_OK;
    void *tofree = NULL;
    hsize_t hd[8];
    size_t n = 1;
    hid_t ft = -1, mt = -1, sp = -1, ds = -1;
    if (ndims < 0 || ndims > 8)
        return CN_ERR(CN_ESOFTWARE, "%s: dataset '%s' has %d dimensions (at most 8)", f->path, path, ndims);
    for (int i = 0; i < ndims; i++) {
        hd[i] = (hsize_t)dims[i];
        n *= dims[i];
    }
    const void *buf = n > 0 ? no_null_strings(type, n, data, &tofree) : NULL;
    if (n > 0 && !buf)
        return data ? CN_EOSERR : CN_ERR(CN_ESOFTWARE, "%s: no data for dataset '%s'", f->path, path);
    if ((rc = room(f, bytes_of(type, n, buf))) != CN_OK)
        goto cleanup;
    ft = cn_h5_type_of(type, 1);
    mt = cn_h5_type_of(type, 0);
    sp = ndims ? H5Screate_simple(ndims, hd, NULL) : H5Screate(H5S_SCALAR);
    if (ft < 0 || mt < 0 || sp < 0 ||
        (ds = H5Dcreate2(f->file, path, ft, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0) {
        rc = FAIL(f, CN_EIO, "cannot create dataset", path);
        goto cleanup;
    }
    if (n > 0 && H5Dwrite(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
        rc = FAIL(f, CN_EIO, "cannot write dataset", path);
        goto cleanup;
    }
    H5Dclose(ds);
    ds = -1;
    if (units)
        CN_TRY(cn_h5file_attr_str(f, path, "units", units));
    if (long_name)
        CN_TRY(cn_h5file_attr_str(f, path, "long_name", long_name));
    if (description)
        CN_TRY(cn_h5file_attr_str(f, path, "description", description));
cleanup:
    if (ds >= 0) H5Dclose(ds);
    if (sp >= 0) H5Sclose(sp);
    if (mt >= 0) H5Tclose(mt);
    if (ft >= 0) H5Tclose(ft);
    free(tofree);
    return rc;
}

int cn_h5file_set_scale(cn_h5file *f, const char *path, const char *name)
{
    hid_t ds = H5Dopen2(f->file, path, H5P_DEFAULT);
    herr_t e = ds >= 0 ? H5DSset_scale(ds, name) : -1;
    if (ds >= 0)
        H5Dclose(ds);
    return e < 0 ? FAIL(f, CN_EIO, "cannot make a dimension scale of", path) : CN_OK;
}

int cn_h5file_attach(cn_h5file *f, const char *var, int axis, const char *scale)
{
    hid_t ds = H5Dopen2(f->file, var, H5P_DEFAULT), sc = -1;
    herr_t e = -1;
    if (ds >= 0 && (sc = H5Dopen2(f->file, scale, H5P_DEFAULT)) >= 0)
        e = H5DSattach_scale(ds, sc, (unsigned)axis);
    if (sc >= 0)
        H5Dclose(sc);
    if (ds >= 0)
        H5Dclose(ds);
    if (e < 0) {
        char what[400];
        snprintf(what, sizeof what, "cannot attach dimension scale %s to", scale);
        return FAIL(f, CN_EIO, what, var);
    }
    return CN_OK;
}

/* ------------------------------------------------ paths and publishing */

void cn_path_split(const char *path, char *dir, size_t n, const char **base)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        snprintf(dir, n, ".");
        *base = path;
    } else if (slash == path) {
        snprintf(dir, n, "/");
        *base = slash + 1;
    } else {
        snprintf(dir, n, "%.*s", (int)(slash - path), path);
        *base = slash + 1;
    }
}

int cn_fsync_path(const char *path, int dir)
{
    int fd = open(path, dir ? O_RDONLY | O_DIRECTORY : O_RDWR);
    if (fd < 0)
        return CN_ERR(CN_EIO, "%s: cannot open to sync it: %s", path, strerror(errno));
    int e = fsync(fd);
    int err = errno;
    close(fd);
    /* some file systems refuse fsync on directories; the data itself is synced */
    if (e != 0 && !(dir && (err == EINVAL || err == EBADF)))
        return CN_ERR(CN_EIO, "%s: cannot sync: %s", path, strerror(err));
    return CN_OK;
}

/* Move tmp to path: never replaces an existing file unless force. */
static int move_into_place(const char *tmp, const char *path, int force)
{
    if (force) {
        if (rename(tmp, path) != 0)
            return CN_ERR(CN_ECANTCREAT, "%s: cannot rename '%s' to it: %s", path, tmp, strerror(errno));
        return CN_OK;
    }
    if (link(tmp, path) == 0) {
        unlink(tmp);
        return CN_OK;
    }
    if (errno == EEXIST)
        return CN_ERR(CN_ECANTCREAT, "%s exists (use --force to overwrite)", path);
    /* no hard links on this file system: check, then rename */
    if (errno == EPERM || errno == ENOTSUP || errno == EOPNOTSUPP || errno == EMLINK || errno == ENOSYS) {
        struct stat st;
        if (stat(path, &st) == 0)
            return CN_ERR(CN_ECANTCREAT, "%s exists (use --force to overwrite)", path);
        if (rename(tmp, path) != 0)
            return CN_ERR(CN_ECANTCREAT, "%s: cannot rename '%s' to it: %s", path, tmp, strerror(errno));
        return CN_OK;
    }
    return CN_ERR(CN_ECANTCREAT, "%s: cannot create: %s", path, strerror(errno));
}

/* This host's name as it goes into temporary file names: [A-Za-z0-9-] only. */
static void temp_host(char *host, size_t n)
{
    if (gethostname(host, n - 1) != 0 || !host[0])
        snprintf(host, n, "host");
    host[n - 1] = '\0';
    for (char *c = host; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '-'))
            *c = '-';
}

int cn_h5file_temp_name(const char *path, long long pid, char *buf, size_t n)
{
    char dir[4096], host[64];
    const char *base = NULL;
    cn_path_split(path, dir, sizeof dir, &base);
    temp_host(host, sizeof host);
    int len = snprintf(buf, n, "%s/.%s.tmp.%s.%lld", dir, base, host, pid);
    if (len < 0 || (size_t)len >= n)
        return CN_ERR(CN_ESOFTWARE, "%s: path too long for its temporary name", path);
    return CN_OK;
}

void cn_h5file_remove_stale(const char *path)
{
    char dir[4096], host[64], prefix[4300];
    const char *base = NULL;
    cn_path_split(path, dir, sizeof dir, &base);
    temp_host(host, sizeof host);
    snprintf(prefix, sizeof prefix, ".%s.tmp.%s.", base, host);
    size_t np = strlen(prefix);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix, np) != 0)
            continue;
        char *end = NULL;
        long long pid = strtoll(e->d_name + np, &end, 10);
        if (!end || *end || pid <= 0 || pid > INT32_MAX)
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        char p[8600];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (unlink(p) == 0)
            cn_log(CN_LOG_INFO, "removed %s, the temporary file of a run that was killed", p);
    }
    closedir(d);
}

int cn_h5file_publish(const char *tmp, const char *path, int force)
{
    int rc = CN_OK;
    char dir[4096];
    const char *base = NULL;
    CN_TRY(cn_fsync_path(tmp, 0));
    CN_TRY(move_into_place(tmp, path, force));
    cn_path_split(path, dir, sizeof dir, &base);
    CN_TRY(cn_fsync_path(dir, 1));
cleanup:
    return rc;
}
