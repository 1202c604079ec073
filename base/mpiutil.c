/* base/mpiutil.c - see mpiutil.h */
#include "mpiutil.h"

#include <time.h>

#include "err.h"

int cn_mpi_agree(MPI_Comm comm, int rc)
{
    int worst = rc;
    MPI_Allreduce(&rc, &worst, 1, MPI_INT, MPI_MAX, comm);
    return worst;
}

int cn_mpi_agree_idle(MPI_Comm comm, int rc)
{
    int worst = rc, done = 0;
    MPI_Request req;
    MPI_Iallreduce(&rc, &worst, 1, MPI_INT, MPI_MAX, comm, &req);
    struct timespec nap = {0, 200000};
    for (MPI_Test(&req, &done, MPI_STATUS_IGNORE); !done;
         MPI_Test(&req, &done, MPI_STATUS_IGNORE))
        nanosleep(&nap, NULL);
    return worst;
}
