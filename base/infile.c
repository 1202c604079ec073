/* base/infile.c - see infile.h */
#include "infile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind(mode_t m)
{
    if (S_ISFIFO(m))
        return "not a regular file (a FIFO: inputs must be regular files)";
    if (S_ISCHR(m))
        return "not a regular file (a character device: inputs must be regular files)";
    if (S_ISBLK(m))
        return "not a regular file (a block device: inputs must be regular files)";
    if (S_ISSOCK(m))
        return "not a regular file (a socket: inputs must be regular files)";
    return "not a regular file (inputs must be regular files)";
}

int cn_input_fopen(const char *path, FILE **fp, const char **why)
{
    *fp = NULL;
    *why = NULL;
    /* O_NONBLOCK: opening a FIFO for reading returns at once instead of
     * waiting for a writer; O_NOCTTY: a terminal does not become ours */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        *why = e == ENXIO ? kind(S_IFSOCK) : strerror(e);
        return e == ENXIO ? EINVAL : e;
    }
    struct stat st;
    int e = 0;
    if (fstat(fd, &st) != 0) {
        e = errno;
        *why = strerror(e);
    } else if (S_ISDIR(st.st_mode)) {
        e = EISDIR;
        *why = "is a directory";
    } else if (!S_ISREG(st.st_mode)) {
        e = EINVAL;
        *why = kind(st.st_mode);
    } else {
        int fl = fcntl(fd, F_GETFL);
        if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
            e = errno;
            *why = strerror(e);
        }
    }
    if (!e && !(*fp = fdopen(fd, "rb"))) {
        e = errno;
        *why = strerror(e);
    }
    if (e)
        close(fd);
    return e;
}

int cn_input_check(const char *path, const char **why)
{
    FILE *fp = NULL;
    int e = cn_input_fopen(path, &fp, why);
    if (fp)
        fclose(fp);
    return e;
}
