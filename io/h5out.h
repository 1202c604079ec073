/* io/h5out.h - HDF5 result files (docs/hdf5-schema.md). */
#ifndef CN_H5OUT_H
#define CN_H5OUT_H
#include <stddef.h>

/* "1.10.8" style version of the HDF5 library linked. */
void cn_h5_version(char *buf, size_t n);

#endif
