/* cli/memguard.h - the memory guard of `cnopt solve` (docs/memory.md).
 *
 * Before the LP is built, `solve` compares what each rank is estimated to
 * need (core/derive.h cn_mem_estimate, split per rank by the solve method)
 * with what it may use, and refuses the run up front (exit 71, a diagnostic
 * on the scenario file saying how many ranks would fit) instead of being
 * killed by the kernel or by Slurm half way through.
 *
 * What a rank may use: `--mem-limit SIZE` (per rank), else the memory of its
 * node - the smallest of MemAvailable (/proc/meminfo), the cgroup limit
 * (memory.max) and the Slurm allocation (SLURM_MEM_PER_NODE, or
 * SLURM_MEM_PER_CPU x SLURM_CPUS_ON_NODE) - shared by the ranks on that node.
 */
#ifndef CN_MEMGUARD_H
#define CN_MEMGUARD_H

#include <mpi.h>
#include <stddef.h>

#include "../core/derive.h"
#include "../core/model.h"
#include "../solver/dw.h"

/* How the LP is held across ranks. */
enum cn_mg_method {
    CN_MG_DW = 0,         /* decomposition: parts spread over the ranks, master on rank 0 */
    CN_MG_MONOLITHIC = 1, /* one GLPK run on rank 0 (also the MIP path) */
    CN_MG_MIP = 2,        /* expansion: true, --method monolithic: branch and bound on rank 0 */
    CN_MG_DW_TIME = 3     /* decomposition by time blocks: a rank holds only its
                           * blocks; the master (a few rows) costs nothing */
};


/* Not collective.  The memory this node offers (bytes), the smallest of the
 * sources above that are known; *what names it ("MemAvailable",
 * "SLURM_MEM_PER_NODE", ...).  0 when none is known. */
double cn_mg_node_limit(char *what, size_t n);

/* Lower bound of the LP's size from the model's counts alone (no derived
 * data): the power columns, their rows and the per-period rows of
 * constraints 2-4, 6 and 7 (docs/model.md).  Cheap; used to refuse a model
 * before cn_derived_create allocates by periods. */
void cn_mg_size_lower_bound(const cn_model *m, cn_size *z);

/* CN_MG_DW_TIME when the decomposition of m with options o takes two or
 * more time blocks (the solver's own plan, cn_dw_plan_make, for nranks),
 * else CN_MG_DW (also when --time-block does not fit: the solve reports
 * that).  *share: the fraction of the time blocks rank `rank` holds
 * (cn_dw_plan_rank_share: ranks hold whole chains), 1 / nranks otherwise.
 * Not collective. */
int cn_mg_dw_method(const cn_model *m, const cn_dw_opts *o, int rank, int nranks,
                    double *share);

/* Estimated peak (bytes) of rank `rank` of `nranks` for an LP of size z
 * solved with `method`; share: for CN_MG_DW_TIME the fraction of the time
 * blocks the rank holds (<= 0: an even share, 1 / nranks), else unused. */
double cn_mg_rank_estimate(const cn_size *z, int method, int rank, int nranks, double share);

/* Smallest rank count at which the largest rank needs at most limit_rank
 * bytes (dw only), allowing for time blocks the 15 % above an even share
 * that the default chains may give a rank; 0 when no rank count does (or
 * not dw). */
int cn_mg_ranks_to_fit(const cn_size *z, int method, double limit_rank);

/* Collective over comm.  Compares every rank's estimate (share: the calling
 * rank's, as cn_mg_rank_estimate) with its limit:
 * limit_opt > 0 is --mem-limit (per rank); limit_opt == 0 means the node
 * default, where the ranks of a node are compared together with the node's
 * memory.  On refusal every rank records the same diagnostic on scenario
 * (LINE 0), e.g. "needs about 5.2 GiB on rank 0 ..., fits at 6 ranks", and
 * CN_EOSERR is returned on every rank; otherwise CN_OK.  When nothing is
 * known about the node's memory the run is allowed. */
int cn_mg_check(const char *scenario, const cn_size *z, int method, double share,
                double limit_opt, MPI_Comm comm);

#endif
