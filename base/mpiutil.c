/* base/mpiutil.c - see mpiutil.h */
#include "mpiutil.h"

#include "err.h"

int cn_mpi_agree(MPI_Comm comm, int rc)
{
    int worst = rc;
    MPI_Allreduce(&rc, &worst, 1, MPI_INT, MPI_MAX, comm);
    return worst;
}
