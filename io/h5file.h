/* io/h5file.h - the one HDF5 writer module: what the result writer
 * (io/h5out.c), the checkpoints (io/h5ckpt.c) and the sweep summary
 * (io/sweep.c) write with.  A file is written by one process with the serial
 * HDF5 API under a temporary name beside its target, then published
 * (fsync, move to the final name, fsync the directory), so a reader never
 * sees a half file under the final name (docs/hdf5-schema.md, "How the file
 * is written").  The parallel phase of the result writer stays in h5out.c;
 * its serial phase reopens the temporary file with cn_h5file_open.
 *
 * Every string written here (datasets and attributes) is variable-length
 * UTF-8: the only string type netCDF-C reads (docs/hdf5-schema.md, Types).
 * Objects are named by absolute path ("/solution/pg_mw"; "/" is the root).
 * Functions return CN_OK or an error code with a message "FILE: what is
 * wrong" recorded (FILE: the file as opened).  Not collective: no MPI. */
#ifndef CN_H5FILE_H
#define CN_H5FILE_H

#include <stddef.h>
#include <stdint.h>

typedef struct cn_h5file cn_h5file;

/* Element types of a dataset or attribute array.  CN_H5_STR data is an array
 * of `const char *` (NULL is written as ""). */
enum cn_h5_type { CN_H5_F64, CN_H5_I32, CN_H5_I64, CN_H5_STR };

/* Create tmp (truncating a leftover of that name) for writing; HDF5 file
 * locking off (the file is private; locking fails on some cluster file
 * systems).  CN_ECANTCREAT when it cannot be created. */
int cn_h5file_create(const char *tmp, cn_h5file **out);
/* Reopen an existing file (tmp) read-write, locking off.  CN_EIO on failure. */
int cn_h5file_open(const char *tmp, cn_h5file **out);
/* Close; CN_EIO when HDF5 could not flush the file.  *f is set to NULL;
 * NULL is accepted. */
int cn_h5file_close(cn_h5file **f);

int cn_h5file_group(cn_h5file *f, const char *path);

/* A dataset of ndims dimensions (0: scalar) dims[], contiguous, with its
 * descriptive attributes: units (NULL: none, e.g. strings), long_name,
 * description (NULL: none). */
int cn_h5file_put(cn_h5file *f, const char *path, int type, int ndims, const size_t *dims,
                  const void *data, const char *units, const char *long_name,
                  const char *description);

/* Attributes of the object at path (group or dataset): scalars, and 1-D
 * arrays of n elements of type (CN_H5_STR: `const char *` elements). */
int cn_h5file_attr_str(cn_h5file *f, const char *obj, const char *name, const char *v);
int cn_h5file_attr_f64(cn_h5file *f, const char *obj, const char *name, double v);
int cn_h5file_attr_i32(cn_h5file *f, const char *obj, const char *name, int32_t v);
int cn_h5file_attr_i64(cn_h5file *f, const char *obj, const char *name, int64_t v);
int cn_h5file_attr_array(cn_h5file *f, const char *obj, const char *name, int type, size_t n,
                         const void *v);

/* Make the dataset at path an HDF5 dimension scale (netCDF-4: a dimension
 * and its coordinate variable) named name. */
int cn_h5file_set_scale(cn_h5file *f, const char *path, const char *name);
/* Attach the scale at scale to axis `axis` of the dataset at var. */
int cn_h5file_attach(cn_h5file *f, const char *var, int axis, const char *scale);

/* ---- paths and publishing (no HDF5) ---- */

/* "DIR" of "DIR/NAME" ("." when there is no slash) into dir[n]; NAME into *base. */
void cn_path_split(const char *path, char *dir, size_t n, const char **base);
/* fsync a file (dir 0) or a directory (dir 1; file systems refusing it are
 * tolerated).  CN_EIO on failure. */
int cn_fsync_path(const char *path, int dir);
/* The temporary name of path for process pid: DIR/.NAME.tmp.HOST.PID (HOST:
 * this host's name, [A-Za-z0-9-] only).  CN_ESOFTWARE when it does not fit. */
int cn_h5file_temp_name(const char *path, long long pid, char *buf, size_t n);
/* Remove temporary files of path (cn_h5file_temp_name) left on this host by
 * processes that are gone (runs killed while writing; docs/robustness.md).
 * Files of other hosts or of live processes are left alone. */
void cn_h5file_remove_stale(const char *path);
/* Publish a closed temporary file: fsync tmp, move it to path, fsync path's
 * directory.  Never replaces an existing path unless force: link() then
 * unlink() (falling back to check-then-rename on file systems without hard
 * links); with force, rename().  CN_ECANTCREAT when path exists without
 * force or the move fails; CN_EIO when syncing fails.  tmp is left in place
 * on failure (the caller removes it). */
int cn_h5file_publish(const char *tmp, const char *path, int force);

#endif
