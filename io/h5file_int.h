/* io/h5file_int.h - HDF5-level helpers of io/h5file.c shared with the
 * parallel phase of io/h5out.c.  Includes <hdf5.h>: only io/h5*.c include it. */
#ifndef CN_H5FILE_INT_H
#define CN_H5FILE_INT_H

#include <hdf5.h>

/* Record an error "what 'subject': DETAIL" whose detail is the innermost
 * message of the HDF5 error stack (then cleared).  Returns code. */
int cn_h5_fail(int code, const char *func, const char *what, const char *subject);
#define CN_H5FAIL(code, what, subject) cn_h5_fail((code), __func__, (what), (subject))

/* HDF5 prints its error stack by default; cnopt reports errors itself. */
typedef struct cn_h5_quiet { H5E_auto2_t func; void *data; } cn_h5_quiet;
void cn_h5_quiet_on(cn_h5_quiet *q);
void cn_h5_quiet_off(const cn_h5_quiet *q);

/* The file type (file 1) or memory type (file 0) of enum cn_h5_type t
 * (strings: variable-length UTF-8).  Close it with H5Tclose; -1 on failure. */
hid_t cn_h5_type_of(int t, int file);

#endif
