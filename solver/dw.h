/* solver/dw.h - Dantzig-Wolfe decomposition over MPI ranks (docs/solver.md).
 *
 * Sites are partitioned into parts; a part's columns (x, pg, pgr of its
 * sites) with its local rows (capacity 2, balance 3, power cap 4, access 7,
 * green bound 5) form a block, held and priced only by the rank that owns
 * the part.  The coupling rows (demand 1, backbone 6, carbon 8, hub share 9)
 * and the convexity rows form the master, solved with GLPK on rank 0.
 * Blocks have no coupling across periods (without expansion), so each
 * block's convexity row is split per period.  Wentges dual smoothing with
 * mispricing fallback; a Lagrangian lower bound every iteration. */
#ifndef CN_DW_H
#define CN_DW_H

#include <mpi.h>

#include "../core/derive.h"
#include "../core/result.h"
#include "../io/h5out.h"
#include "lp_glpk.h"

/* What one solve of a sweep range hands to the next (docs/sweeps.md "Warm
 * start"): its columns and best duals.  Every rank holds one; created empty. */
typedef struct cn_dw_warm cn_dw_warm;
int cn_dw_warm_create(cn_dw_warm **out);
void cn_dw_warm_destroy(cn_dw_warm **w);

/* What one convexity block of the master is (docs/solver.md "Blocks"). */
enum cn_dw_blocks {
    CN_DW_BLOCKS_SITE_PERIOD, /* one per (site, period) */
    CN_DW_BLOCKS_PART_PERIOD, /* one per (part, period) */
    CN_DW_BLOCKS_PART,        /* one per part, over the whole horizon */
    CN_DW_BLOCKS_TIME,        /* one per (part, time block), each its own pricing LP */
    CN_DW_BLOCKS_AUTO         /* time when the horizon holds >= 2 time blocks, else
                               * site-period (the default) */
};
/* "site-period", "part-period", "part", "time", "auto"; not collective. */
const char *cn_dw_blocks_name(int blocks);
/* The enum value of a name, or -1. */
int cn_dw_blocks_parse(const char *name);

typedef struct cn_dw_opts {
    double gap;            /* stop at relative gap <= gap (default 1e-6) */
    long max_iter;         /* default 10000 */
    double time_limit_s;   /* <= 0: none */
    double alpha;          /* smoothing weight of the stability centre (default 0.5) */
    int alpha_auto;        /* 1: self-adjusting weight, starting at alpha (Pessoa et al. 2018) */
    int col_age_max;       /* delete columns priced out this many solves in a row (default 8; 0: keep) */
    int part_method;       /* enum cn_part_method */
    int blocks;            /* enum cn_dw_blocks */
    int nparts;            /* METIS: parts asked for; 0 = the default (cn_dw_plan_make) */
    long time_block;       /* periods of a time block (a multiple of every class
                            * window); 0 = the least common multiple of the windows */
    long chain;            /* time blocks: a block's first pricing solve starts from
                            * the optimal basis of the block before it in its chain,
                            * a run of this many consecutive time blocks of one part
                            * (1: every block starts cold; 0, the default: the
                            * longest up to 7 that keeps the ranks within 15 % of
                            * an even share, cn_dw_plan_make).  Ranks hold whole
                            * chains, so for a given chain the iteration log does
                            * not depend on the rank count (docs/solver.md "Chains") */
    int sift;              /* 1 (default): the pricing LPs' warm re-solves sift
                            * (cn_glpk_opts.sift_warm); 0: --no-sift */
    const char *part_file; /* CN_PART_FILE */
    int fail_rank;         /* test hook: this rank fails at fail_iter (-1: off) */
    long fail_iter;
    long fail_gather_iter; /* test hook: rank 0's gather allocation fails at this iteration (0: off) */
    /* checkpoints (docs/slurm.md): on SIGUSR1/SIGTERM all ranks agree at the
     * next iteration boundary, write ckpt_path and return CN_ETEMPFAIL;
     * every ckpt_every_s seconds (> 0) one is written and the run goes on.
     * restart_path (may equal ckpt_path) is read first when it exists; its
     * input hash must equal input_hash. */
    const char *ckpt_path;
    const char *restart_path;
    int restart_required;  /* 1: restart_path must exist (--restart FILE) */
    int stale_discard;     /* 1: a checkpoint at restart_path made from other inputs
                            * is ignored with a warning and overwritten (--force
                            * without --restart); 0: it is refused (exit 65) */
    double ckpt_every_s;
    const char *input_hash;
    long stop_after_iter;  /* test hook: act as if signalled after this iteration (0: off) */
    long signal_master_iter; /* test hook: rank 0 raises SIGTERM just before the master
                            * solve of this iteration, which its simplex then sees
                            * (0: off) */
    /* NULL, or warm-start state: used when it holds a previous solve of a model
     * of the same shape (and no checkpoint was restored), then refilled with
     * this solve's final columns.  Collective use: every rank passes its own. */
    cn_dw_warm *warm;
} cn_dw_opts;

void cn_dw_opts_init(cn_dw_opts *o);

/* The layout a decomposition run takes, every default resolved: the one
 * place that decides the blocks (auto), the time block (the least common
 * multiple of the class windows) and the number of parts asked of the
 * partitioner (docs/solver.md "Defaults").  cn_solve_dw lays itself out by
 * it; the checkpoint's input hash covers it. */
typedef struct cn_dw_plan {
    int blocks;     /* enum cn_dw_blocks, never CN_DW_BLOCKS_AUTO */
    long tblen;     /* periods of a time block (the horizon without time blocks) */
    long ntb;       /* time blocks (1 without time blocks) */
    int nparts;     /* parts asked of the partitioner; a partition file has its own */
    long chain;     /* time blocks of a chain (1 without time blocks) */
} cn_dw_plan;
/* Not collective (the same answer on every rank for the same model, options
 * and rank count).  CN_OK, or CN_EUSAGE when o->time_block is not a multiple
 * of a class window. */
int cn_dw_plan_make(const cn_model *m, const cn_dw_opts *o, int nranks, cn_dw_plan *p);

/* Not collective.  The fraction of p's units (part x time block) that rank
 * `rank` of nranks holds when ranks hold whole chains (as cn_solve_dw lays
 * them out; p made for nranks); 1 / nranks without time blocks.  The memory
 * guard's share of the blocks (cli/memguard.h). */
double cn_dw_plan_rank_share(const cn_dw_plan *p, int rank, int nranks);

/* Collective over comm.  On CN_OK every rank gets *out: site-indexed data
 * filled for the sites it owns (*site_owner[s] == its rank, allocated here,
 * the same on every rank), its own placement entries, and on rank 0 the
 * unserved, link, coupling-dual and scalar data; *log (rank 0) the
 * iteration log.  The same return code on every rank. */
int cn_solve_dw(const cn_derived *d, const cn_dw_opts *o, MPI_Comm comm, cn_result **out,
                int **site_owner, int *nparts, cn_iterlog *log);

void cn_iterlog_free(cn_iterlog *log);
/* Append one row (iteration, master objective or incumbent, bound, gap,
 * columns or cuts added, elapsed seconds).  Not collective.  CN_OK or
 * CN_EOSERR (the log keeps its rows). */
int cn_iterlog_push(cn_iterlog *log, long it, double ub, double lb, double gap, long added,
                    double el);

#endif
