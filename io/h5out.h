/* io/h5out.h - HDF5 result files (schema: docs/hdf5-schema.md).
 * The only modules that include <hdf5.h> are io/h5*.c. */
#ifndef CN_H5OUT_H
#define CN_H5OUT_H

#include <mpi.h>
#include <stddef.h>

#include "../core/model.h"
#include "../core/result.h"

/* "1.10.8" style version of the HDF5 library linked. */
void cn_h5_version(char *buf, size_t n);

/* Provenance recorded with a result (strings may be NULL = not recorded). */
typedef struct cn_provenance {
    const char *command_line;   /* full command line, as typed */
    const char *glpk_version;
    const char *mpi_version;
    const char *slurm_job_id;   /* $SLURM_JOB_ID when set */
    const char *partition;      /* e.g. "none", "metis", "hub" */
    int nparts;
} cn_provenance;

/* One row of a decomposition's iteration log (issue 4; may be absent). */
typedef struct cn_iterlog {
    long n;
    long *iteration;
    double *master_obj, *lower_bound, *gap, *elapsed_s;
    long *columns_added;
} cn_iterlog;

/* Collective over comm.  Before any solving: fails with CN_ECANTCREAT (73) and
 * a message when path exists and force is 0, or when path's directory is
 * missing or not writable.  Same answer on every rank. */
int cn_h5_check_output(const char *path, int force, MPI_Comm comm);

/* Collective over comm.  Writes the result of model m to path: to a temporary
 * file beside path, then renamed over it (so path never holds a partial
 * file).  Site-indexed data ([site][...] arrays) is taken on each rank only
 * for the sites it owns (site_owner[s] == rank; site_owner NULL means rank 0
 * owns every site); the sparse placement list x on each rank holds that
 * rank's entries (they are concatenated in rank order); everything else
 * (unserved, links, scalars, hub/carbon duals, objective parts) is taken from
 * rank 0.  log may be NULL.  Returns CN_OK, CN_ECANTCREAT or CN_EIO, the same
 * on every rank. */
int cn_h5_write_result(const char *path, int force, const cn_model *m,
                       const cn_result *r, const int *site_owner,
                       const cn_provenance *prov, const cn_iterlog *log,
                       MPI_Comm comm);

#endif
