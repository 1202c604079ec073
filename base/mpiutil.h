/* base/mpiutil.h - MPI helpers. */
#ifndef CN_MPIUTIL_H
#define CN_MPIUTIL_H

#include <mpi.h>

/* Collective.  Every rank passes its local return code; all get the same
 * answer: CN_OK when every rank succeeded, else the largest code (so that a
 * failure on one rank stops all ranks at the same point, never a hang).
 * The error state of a rank that did not fail stays empty, so that only the
 * failing rank prints its message (see cmd_report_failure). */
int cn_mpi_agree(MPI_Comm comm, int rc);

/* Collective.  cn_mpi_agree for a rank that expects to wait long (for
 * another rank's master solve): it polls a non-blocking reduction and
 * sleeps between polls (0.2 ms), so a waiting rank leaves its core to the
 * ranks that work, instead of busy-polling as Open MPI's blocking
 * collectives do.  Same answer as cn_mpi_agree. */
int cn_mpi_agree_idle(MPI_Comm comm, int rc);

#endif
