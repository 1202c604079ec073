/* fuzz/fuzz_h5util.h - what the HDF5 harnesses (fuzz_result.c, fuzz_ckpt.c)
 * share: the input written to a scratch file (the readers take a path and
 * read the file themselves, io/h5check.h), removed at exit, and the checks
 * of a failure's message. */
#ifndef CN_FUZZ_H5UTIL_H
#define CN_FUZZ_H5UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Write data to a fresh scratch file (the same path for every input, under
 * $TMPDIR or /tmp, removed at exit) and return its path.  Aborts on failure. */
const char *cn_fuzz_h5_file(const char *tag, const uint8_t *data, size_t size);

/* A reader's outcome: rc is CN_OK or CN_EDATA, and a failure's message
 * starts with the file's path (it names the file, then the object).  Aborts
 * with a message otherwise. */
void cn_fuzz_h5_check(const char *what, int rc, const char *path);

#endif
