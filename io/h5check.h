/* io/h5check.h - checked reading of an HDF5 file that may be hostile: the
 * one way the result reader (io/h5read.c), the checkpoint reader
 * (io/h5ckpt.c) and, through them, `sweep --collect` read HDF5
 * (docs/robustness.md, "HDF5 files that are read").
 *
 * Before anything is read, the object's kind, type class, rank, shape and
 * size are checked against what the caller expects, and the size against
 * what the file really holds: a dataset whose data would not fit in its
 * storage (or the file) is refused before any memory is allocated for it.
 * Values are range-checked on request (finite reals, indices in a range).
 *
 * Variable-length data (strings, and the DIMENSION_LIST of dimension
 * scales) is never handed to HDF5's global-heap code, which in 1.10.8
 * trusts the file (a heap object larger than its sequence overruns the
 * buffer; an out-of-range object index reads outside the heap; a free-space
 * object of size 0 loops forever): a conversion function registered with
 * HDF5 hands over the raw references (length, collection address, object
 * index) and the collection is read, checked and parsed here (pread on the
 * file, bounded by its size).
 *
 * Errors are recorded "FILE: dataset /solution/x_site: expected ..., found
 * ..." (or "attribute /solver/method") with code CN_EDATA; CN_ENOINPUT for a
 * file that is missing, unreadable or not a regular file; CN_EOSERR when
 * memory runs out.  Not collective: no MPI. */
#ifndef CN_H5CHECK_H
#define CN_H5CHECK_H

#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>

#include "h5file_int.h"

#define CN_H5IN_MAXRANK 8

typedef struct cn_h5in {
    hid_t file;
    const char *path;            /* as given, for messages (not owned) */
    int fd;                      /* the file, for reading global heap collections */
    uint64_t size;               /* bytes of the file */
    uint64_t base;               /* base address: file offset of address 0 */
    size_t sizeof_addr, sizeof_size;
    uint64_t strbytes;           /* bytes of variable-length data read so far */
    unsigned char *heap;         /* the last global heap collection read */
    uint64_t heap_addr, heap_len;
    haddr_t checked[512];        /* object headers checked (header_check) */
    int nchecked;
    cn_h5_quiet quiet;           /* HDF5's error printing, restored on close */
    int quiet_set;
} cn_h5in;

/* Open path read-only (no file locking): it must be a regular file (opened
 * without blocking: a FIFO is refused, base/infile.h) with an HDF5
 * signature.  CN_ENOINPUT (missing, unreadable, a directory or not a regular
 * file), CN_EDATA (not HDF5, or HDF5 cannot open it).  HDF5's error printing
 * is off until cn_h5in_close. */
int cn_h5in_open(const char *path, cn_h5in *in);
void cn_h5in_close(cn_h5in *in);

/* What the functions below return for an object or attribute that is not
 * there (CN_OK: there and read; positive: an error code, recorded). */
#define CN_H5IN_ABSENT (-1)

/* CN_OK when every link of the absolute path obj exists and is a hard link
 * (a soft or external link may lead to another file: an error),
 * CN_H5IN_ABSENT when one is missing, an error code otherwise. */
int cn_h5in_exists(cn_h5in *in, const char *obj);

/* Check the object header at addr (obj names it in messages) before HDF5
 * loads it: its chunks inside the file and every attribute message
 * consistent.  cn_h5in_exists does this for every link it follows; callers
 * that reach objects otherwise (H5Lvisit) call it with the link's address. */
int cn_h5in_check_object(cn_h5in *in, const char *obj, haddr_t addr);

/* ---- attributes: CN_OK read, CN_H5IN_ABSENT, or an error code when present
 * but not of the expected form (a scalar or a 1-element array) ---- */

/* A string (fixed or variable length) of at most n - 1 bytes into buf. */
int cn_h5in_attr_str(cn_h5in *in, const char *obj, const char *name, char *buf, size_t n);
/* A real (float class).  Any value, NaN and infinities included. */
int cn_h5in_attr_f64(cn_h5in *in, const char *obj, const char *name, double *v);
/* An integer (integer class) within lo..hi. */
int cn_h5in_attr_i64(cn_h5in *in, const char *obj, const char *name, int64_t lo, int64_t hi,
                     int64_t *v);

/* ---- datasets ---- */

enum cn_h5in_kind { CN_H5IN_F64, CN_H5IN_INT, CN_H5IN_STR };

/* What a dataset is: kind (its type class), rank (0: scalar) and dims, n =
 * the product (checked for overflow).  Checked: a dataset reached by hard or
 * soft links, a float, integer or string type of a sane size, at most
 * CN_H5IN_MAXRANK dimensions, storage that holds its n elements (contiguous
 * or compact: exactly; chunked with filters: at most 1,024 times expanded)
 * inside the file, no external or virtual storage. */
typedef struct cn_h5in_shape {
    int kind;
    int rank;
    uint64_t dims[CN_H5IN_MAXRANK];
    uint64_t n;
} cn_h5in_shape;
int cn_h5in_shape_of(cn_h5in *in, const char *obj, cn_h5in_shape *sh);

/* Read dataset obj into a new array (at least one element, zeroed), after
 * checking it is of kind kind and shape rank x dims[] (rank < 0: any shape;
 * dims NULL: any lengths; *sh, when not NULL, says which).  Reals: flags CN_H5IN_FINITE refuses
 * NaN and infinities.  Integers: every value within lo..hi.  Strings: an
 * array of n new strings (free with cn_h5in_free_strs). */
#define CN_H5IN_FINITE 1
int cn_h5in_read_f64(cn_h5in *in, const char *obj, int rank, const uint64_t *dims, int flags,
                     double **out, cn_h5in_shape *sh);
int cn_h5in_read_i64(cn_h5in *in, const char *obj, int rank, const uint64_t *dims, int64_t lo,
                     int64_t hi, int64_t **out, cn_h5in_shape *sh);
int cn_h5in_read_strs(cn_h5in *in, const char *obj, int rank, const uint64_t *dims, char ***out,
                      cn_h5in_shape *sh);
void cn_h5in_free_strs(char **s, uint64_t n);

/* The dimension-scale facts of an open dataset d (the netCDF-4 layout),
 * read without HDF5's H5DS functions (which read DIMENSION_LIST through the
 * global heap): *is_scale when its CLASS attribute is "DIMENSION_SCALE",
 * name = its NAME attribute ("" when none).  For a dataset of rank axes,
 * scale_addr[j] = the object address of the first scale attached to axis j
 * (HADDR_UNDEF when none); the caller matches addresses against the
 * datasets it knows, never opening an address from the file. */
int cn_h5in_scale_info(cn_h5in *in, const char *obj, int *is_scale, char *name, size_t n,
                       int rank, haddr_t *scale_addr);

#endif
