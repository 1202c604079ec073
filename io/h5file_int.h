/* io/h5file_int.h - HDF5-level helpers of io/h5file.c shared with the
 * parallel phase of io/h5out.c.  Includes <hdf5.h>: only io/h5*.c include it. */
#ifndef CN_H5FILE_INT_H
#define CN_H5FILE_INT_H

#include <hdf5.h>
#include <stdint.h>

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

/* After a failed flush (a full disk, an I/O error) a temporary file is lost
 * (its caller removes it), but HDF5 1.10 must still be able to close it: a
 * failed H5Fclose leaves a half-freed file object, which HDF5's termination
 * (in MPI_Finalize) closes again and crashes on (SIGSEGV in H5F__close_cb;
 * measured: exit 139 on a full tmpfs, at 1 and 2 ranks).  So every
 * descriptor of this process open on path (the sec2 driver's, or the one
 * under Open MPI's MPI-IO) is pointed at one anonymous memory file
 * (memfd_create), where what HDF5 still holds is then flushed without fail;
 * the file on disk keeps what was written.  Call it on every rank that has
 * the file open, then flush (collectively for MPI-IO) and close. */
void cn_h5_discard_writes(const char *path);

/* A file-size limit (ulimit -f) refuses every write past it on any
 * descriptor (a memory file, and on Linux 6.18 /dev/null too), and a file
 * whose HDF5 end of allocation has passed it cannot be closed: the truncate
 * or MPI_File_set_size at close fails, and so does the close (see above).
 * So the writers never let HDF5 allocate past it: before each object
 * (group, dataset, attribute), cn_h5_room checks that the file's bytes
 * after it (`need`: the serial writer asks HDF5 for its size, the parallel
 * phase of io/h5out.c adds up what it created) plus CN_H5_LIMIT_SLACK (room
 * for the object's own metadata) stay under the limit; when not, the write
 * fails there, with EFBIG's message, and the file is lost as after a full
 * disk.  cn_h5_size_limit: the limit in bytes (0: none) after lifting the
 * soft limit to the hard one where it is lower.  Not collective. */
#define CN_H5_LIMIT_SLACK (64 * 1024)
uint64_t cn_h5_size_limit(void);
int cn_h5_room(const char *path, uint64_t need);

/* Before the flush that closes a file: the blocks of what HDF5 may still
 * write are reserved (fallocate, FALLOC_FL_KEEP_SIZE): the file's size plus
 * its metadata cache plus CN_H5_RESERVE_SLACK (a margin; the MPI-IO driver
 * has no metadata accumulator); where the file system has no fallocate, the free space is
 * compared instead.  So the flush does not run out of space halfway: a
 * parallel H5Fflush that fails on one rank leaves the others in a collective
 * (measured: a hang at 2 ranks on a full tmpfs).  Returns 0 or an errno
 * value (ENOSPC).  Not collective: call it on one rank (rank 0); it works
 * on the file, by path.  cn_h5_release_reserve(path), after the close,
 * gives back the blocks reserved past the file's end. */
#define CN_H5_RESERVE_SLACK (64 * 1024)
int cn_h5_reserve(hid_t file, const char *path);
void cn_h5_release_reserve(const char *path);

#endif
