/* io/h5out.c - see h5out.h */
#include "h5out.h"

#include <hdf5.h>
#include <stdio.h>

void cn_h5_version(char *buf, size_t n)
{
    unsigned maj = 0, min = 0, rel = 0;
    H5get_libversion(&maj, &min, &rel);
    snprintf(buf, n, "%u.%u.%u", maj, min, rel);
}
