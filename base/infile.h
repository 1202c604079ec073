/* base/infile.h - opening an input file without ever blocking on it.
 *
 * Every input of cnopt (scenario, tables, job files, --partition, --restart,
 * the files `cnopt info` reads) must be a regular file: a FIFO opened for
 * reading blocks until a writer comes, and a device such as /dev/zero never
 * ends.  The file is opened with O_NONBLOCK (an open that cannot block), then
 * fstat'ed, so the type checked is the type of the file read (no race with a
 * rename between a stat and the open).  Not collective.
 */
#ifndef CN_INFILE_H
#define CN_INFILE_H

#include <stdio.h>

/* Open path (symbolic links followed) for reading in binary mode.  Returns 0
 * with *fp set, or an errno value with *fp = NULL and *why the reason for a
 * message: strerror(errno) ("No such file or directory" for ENOENT), "is a
 * directory" (EISDIR) or "not a regular file (a FIFO)" / "(a character
 * device)" / ... (EINVAL).  *why is a static string. */
int cn_input_fopen(const char *path, FILE **fp, const char **why);

/* 0 when path names a regular file (symbolic links followed), else as for
 * cn_input_fopen (the file is not kept open). */
int cn_input_check(const char *path, const char **why);

#endif
