/* solver/dw_int.h - what the files of the decomposition share (not a public
 * interface: solver/dw*.c only).  The driver loop is dw.c; each other file
 * holds one concern, named in its section below.  Every function says
 * whether it is collective over w->comm (every rank calls it, in the same
 * order) or not; "rank 0" marks work only the master's rank does. */
#ifndef CN_DW_INT_H
#define CN_DW_INT_H

#include <mpi.h>
#include <stdint.h>

#include "../core/derive.h"
#include "../core/result.h"
#include "../io/h5ckpt.h"
#include "dw.h"
#include "lp.h"
#include "lp_glpk.h"

/* ---- shared state ---- */

typedef struct coupling {
    int64_t n;            /* coupling rows */
    int64_t nd;           /* the first nd are the demand rows that couple blocks */
    int32_t *drow;        /* [nd] the demand row (index into d->drows) of each */
    int32_t *of_row;      /* [global row] coupling index or -1 (local row) */
    double *b;            /* right-hand sides */
    char *sense;          /* 'E' demand, 'L' link/carbon, 'G' hub share */
    double *pen;          /* [nd] w(b) * period_hours * penalty: the cost of u */
    int64_t nlocal_demand;/* demand rows inside one block (their u is a block column) */
    int64_t nkind[4];     /* rows by kind: demand, link, carbon, hub green share */
} coupling;

typedef struct colstore {      /* generated columns of one convexity group */
    int64_t n;
    int64_t *ptr;              /* [n + 1] into idx/val */
    int64_t *master;           /* [n] master column index of each */
    int64_t nnz, cap;
    int32_t *idx;              /* index into the block's columns */
    double *val;
    int64_t tentative;         /* start of this iteration's column (-1: none) */
    int64_t tent_nnz;
} colstore;

typedef struct block {
    int part;                  /* the unit (part, or part x time block) */
    int64_t ncols;
    int64_t *cols;             /* block column k -> column of the rank's lp */
    cn_glpk *g;                /* local rows only */
    int priced;                /* g has a basis: solved here, or its last one of the
                                * previous solve restored by a warm start
                                * (dw_ckpt.c); a chain's next block may start
                                * from it, and its own next solve is warm */
    int64_t nloc;
    int32_t *loc_row;          /* local row -> global row */
    int64_t *cptr;             /* coupling CSC over block columns */
    int32_t *cidx;
    double *cval;
    double *obj_mod;
    int nsite;                 /* sites of the part, ascending */
    int *site;
    int64_t ngrp;              /* convexity groups of the part (dw_part_ngroups) */
    int64_t *grp_of;           /* [ncols] group of each block column */
    int64_t *grp_ptr;          /* [ngrp + 1] block columns of group g ... */
    int64_t *grp_col;          /* ... listed in grp_col[grp_ptr[g] .. grp_ptr[g+1]) */
    colstore *store;           /* [ngrp] */
} block;

typedef struct master {
    cn_glpk *g;
    int64_t nrows;         /* coupling rows + convexity rows */
    int64_t nu;            /* u columns first */
    int64_t ncols;         /* all columns: u, zero columns, generated columns */
    int64_t nlambda;       /* generated columns (not counting zero columns) */
    int64_t first_gen;     /* first generated column */
    /* Elastic columns: one per coupling row of sense 'G' that is not a demand
     * row (the hub green-share rows), at columns [e0, e0 + ne) before
     * first_gen, cost e_cost each.  The base points meet such a row with 0 >=
     * 0 and a priced point may not, so without them the master can stay at
     * the base points with the row's dual degenerate at 0 (docs/solver.md
     * "Elastic rows").  A master point with elastic values is not a point of
     * the model: e_short says so, and the driver raises e_cost. */
    int64_t e0, ne;
    double e_cost;
    int e_short;           /* the last solve left elastic values above tolerance */
    double e_sum;          /* their sum */
    double *cost0;         /* [first_gen] objective of the fixed columns */
    int stopped;           /* the last solve stopped at the time limit (feasible) */
    /* Generated columns have logical ids (first_gen, first_gen + 1, ... in the
     * order they were made), which the owners know them by; aged columns are
     * deleted from GLPK, so a GLPK column index maps to its logical id. */
    int64_t nlogical;      /* next logical id */
    int64_t *logical_of;   /* [ncols] GLPK column -> logical id */
    int *age;              /* [ncols] master solves spent nonbasic and priced out */
    int64_t cap;           /* allocated length of logical_of / age */
    double obj;
    double *dual;          /* [nrows] */
    double *x;             /* [nsol] primal of the last solve */
    int64_t nsol;          /* columns when x, rc were last solved for */
    double *rc;            /* [ncols] reduced costs */
} master;

typedef struct dw {
    const cn_derived *d;
    const cn_dw_opts *o;
    MPI_Comm comm;
    int rank, size;
    int *part;             /* [site] */
    int nparts;
    int *part_nsites;      /* [part] */
    /* Units are what ranks own and what each GLPK pricing LP holds: a part
     * (site modes), or a part over one time block (tmode: unit = part * ntb
     * + t / tblen).  The arrays below named part_* and p0/p1 are by unit. */
    int mode;              /* enum cn_dw_blocks, resolved (never AUTO) */
    int tmode;             /* blocks by (part, time block): mode == TIME */
    long tblen, ntb;       /* periods of a time block; time blocks (1 unless tmode) */
    long chain;            /* time blocks of a chain (cn_dw_plan.chain; 1: none) */
    int nunits;            /* nparts * ntb */
    int64_t *part_ngrp;    /* [unit] convexity groups (blocks of the master) */
    int64_t nblk;          /* all groups */
    int64_t *blk0;         /* [unit + 1] first global block of each unit (prefix sums) */
    int p0, p1;            /* units [p0, p1) belong to this rank */
    long T;
    cn_lp *lp;             /* this rank's columns (all its units' cells) */
    int32_t *col_unit;     /* [lp->ncols] unit of each column */
    double *c0;            /* [nblk] cost of each block's base point (NULL: all 0) */
    double *u_full;        /* rank 0 after dw_assemble: [ndrows] unserved ... */
    double *udual_full;    /* ... and demand-row duals, by demand row */
    coupling cp;
    block *blocks;         /* [p1 - p0] */
    int32_t *row_map;      /* [global row] local index within its block */
    master ms;             /* rank 0 */
    double *pi_sep, *pi_center;   /* [cp.n + 1]: last entry is a control word */
    double lb, ub;
    double *scratch;       /* [cp.n] coupling accumulator ... */
    double *scratch_abs;   /* [cp.n] ... and the sum of its terms' magnitudes */
    double *subgrad;       /* [cp.n] rank 0: b - A z at the separation point */
    int32_t *touched;
} dw;

/* ---- dw_block.c ---- */

/* Not collective.  The coupling rows of the rank's lp: those with
 * coup_row[r] != 0, or when coup_row is NULL every row of the kinds demand 1,
 * link 6, carbon 8, hub green share 9 (docs/model.md); their senses,
 * right-hand sides and the cost of u.  Every rank builds the same. */
int dw_coupling_build(const cn_derived *d, const cn_lp *lp, const char *coup_row,
                      coupling *cp);

/* Not collective.  Frees cp's arrays (cp itself is the caller's). */
void dw_coupling_free(coupling *cp);

/* Not collective.  Frees b's arrays and its GLPK problem. */
void dw_block_free(block *b);

/* Convexity groups of a part of nsite sites over T periods: one per (site,
 * period), per period, or one for the whole horizon or time block (part, time;
 * enum cn_dw_blocks).  Not collective. */
int64_t dw_part_ngroups(int mode, int nsite, long T);

/* The block of unit p: its columns from the rank's lp (col_unit[j] == p),
 * its local rows as a GLPK problem, and the coupling coefficients kept aside.
 * Not collective. */
int dw_block_build(const cn_lp *lp, const coupling *cp, const int32_t *col_unit, int p,
                   int32_t *row_map, long T, int mode, block *b);

/* Not collective.  A column store takes a column tentatively: begin, put
 * its entries (index into the block's columns, value), then settle it. */
int dw_store_begin(colstore *st);
int dw_store_put(colstore *st, int32_t idx, double v);

/* Keep (master index >= 0) or drop the tentative column of this iteration.
 * Not collective. */
void dw_store_settle(colstore *st, int64_t master);
/* Drop every tentative column of this rank's stores (an iteration given up).
 * Not collective. */
void dw_store_drop_all(dw *w);

/* A block column's coupling entries A z, accumulated from its (k, z)
 * pairs: dw_coup_add for each pair (touched rows listed in w->touched, *nt
 * of them), then dw_coup_pack writes the entries that are not rounding as
 * [m, row_1..row_m, value_1..value_m] at out (room for 1 + 2 nt), clears the
 * accumulator and returns 1 + 2 m.  Rounding: an entry within 1e-12 of its
 * terms' magnitudes (a hub green-share row's green minus share x power left
 * 1e-15 where 0 is exact) or of the column's largest entry (a primal value
 * of 1e-12 from the simplex).  Such entries, 1e-15 beside 1e5, threw GLPK's
 * simplex on the master off ("optimal" masters that were not; docs/solver.md
 * "Master").  The pricing and a checkpoint's restore make a column's entries
 * alike.  Not collective. */
void dw_coup_add(dw *w, const block *b, int64_t k, double z, int64_t *nt);
int64_t dw_coup_pack(dw *w, int64_t nt, double *out);

/* Not collective.  Price every part of this rank at duals pi (one GLPK LP a
 * part) and pack, per convexity group in part-major order:
 * [v, c, n, idx_1..idx_n, val_1..val_n] (reduced cost, cost, coupling
 * entries); with keep, store the columns tentatively.  With final != NULL
 * the local duals go into final instead (the last pricing of the primal
 * recovery; nothing is packed).  With keep, a signal (base/signals.h) stops
 * it between two units: CN_ETEMPFAIL, no error recorded (the driver gives
 * the iteration up and saves the last one). */
int dw_price_blocks(dw *w, const double *pi, double **buf, int64_t *len, int keep,
                    cn_lp_solution *final);

/* First global block index of part p (blocks are numbered part-major).
 * Not collective. */
int64_t dw_part_block0(const dw *w, int p);

/* The part of global block blk, or -1.
 * Not collective. */
int dw_part_of_block(const dw *w, int64_t blk);

/* ---- dw_stab.c ---- */

/* Not collective (rank 0).  The duals to price at, into pi[0..cp.n):
 * Wentges smoothing alpha * centre + (1 - alpha) * master duals, or the
 * master's own duals when there is no stability centre yet. */
void dw_stab_duals(const dw *w, int have_center, double alpha, double *pi);

/* Not collective (rank 0).  Self-adjusting smoothing (Pessoa, Sadykov,
 * Uchoa and Vanderbeck, INFORMS J. Computing 2018): when the subgradient
 * b - A z at the separation point (w->subgrad) points towards the master's
 * duals (the out-point) from the centre (the in-point), the separation point
 * is too close to the centre: smooth less; otherwise smooth more.  Returns
 * the next weight. */
double dw_stab_adjust(const dw *w, double alpha);

/* ---- dw_master.c ---- */

/* Not collective (rank 0).  Add columns to the master; they get the next
 * logical ids. */
int dw_master_add(master *ms, int64_t n, const double *obj, const double *lb,
                  const double *ub, const int64_t *colptr, const int32_t *rowind,
                  const double *val);

/* Not collective (rank 0).  Column ageing: a generated column that sat nonbasic at zero with a
 * positive reduced cost for age_max master solves in a row is deleted from
 * GLPK (its owner keeps the point: it can come back only as a new column).
 * Nonbasic columns go without disturbing the basis, so the next solve still
 * warm-starts; the master stays small enough to re-solve quickly. */
int dw_master_age(master *ms, int age_max);

/* Not collective (rank 0).  The first master: coupling rows, nconv
 * convexity rows (= 1), the u columns, one base column per block (its
 * point serves nothing of the coupling rows: x = 0, u = D on the block's own
 * demand rows, at cost c0[block]; c0 NULL: all 0), so that it is feasible
 * from the start, and then the elastic columns at e_cost (e_cost <= 0:
 * none). */
int dw_master_build(const coupling *cp, int64_t nconv, const double *c0, double e_cost,
                    master *ms);

/* Not collective (rank 0).  Multiply the elastic columns' cost by factor
 * (the penalised master's optimum fell short of a hub green-share row). */
int dw_master_raise_elastic(master *ms, double factor);

/* Not collective (rank 0).  Re-solve the master.  time_left_s > 0 bounds the simplex (the
 * run's --time-limit): stopped there, the master keeps a primal feasible
 * point (the old basis stays feasible when columns are added, so the primal
 * simplex is in phase 2), its objective a valid upper bound; ms->stopped is
 * set and the caller stops iterating.  A signal (base/signals.h) stops the
 * simplex within a fraction of a second: CN_ETEMPFAIL, and every GLPK
 * problem of this rank is lost (lp_glpk.h "interruptible"); the caller gives
 * the iteration up and writes the checkpoint, which needs no GLPK problem. */
int dw_master_solve(master *ms, int first, double time_left_s);

/* Not collective (rank 0).  Frees the master (ms itself is the caller's). */
void dw_master_free(master *ms);

/* Not collective (rank 0).  From the gathered pricing results all[0..len):
 * the Lagrangian bound *lagr (-inf when not valid), the columns that price
 * out at the master's own duals added to it (*added; flags[block] = 1 for
 * each, 0 otherwise), and subgrad[i] -= (A z)_i over every block. */
int dw_master_take(dw *w, const double *pi, const double *all, int64_t len, char *flags,
                   double *lagr, long *added, double *subgrad);

/* ---- dw_comm.c ---- */

/* Not collective.  The rank that owns part p: parts are dealt out in
 * contiguous ranges, rank r gets [r*P/size, (r+1)*P/size). */
int dw_owner_of_part(int p, int nparts, int size);

/* Collective over w->comm.  Gather every rank's buf[0..len) on rank 0 into
 * *all (allocated there; *alllen values), in rank (= part) order.  The ranks
 * agree before each step, so a failure on one (rank 0's allocations, a
 * message too long; fail != 0 simulates the first on rank 0, a test hook)
 * returns the same error on every rank and leaves none in a collective. */
int dw_gather(dw *w, const double *buf, int64_t len, double **all, int64_t *alllen, int fail);

/* Collective over w->comm: gather every rank's stored columns (with lambda: those with
 * lambda > 0) to rank 0 into *c (with the decomposition state); the other
 * ranks' *c stays empty.  c->pi_center
 * points into w: the caller NULLs it before cn_ckpt_free. */
int dw_columns_collect(dw *w, const double *lambda, long it, int have_center, cn_ckpt *c);

/* ---- dw_ckpt.c ---- */

/* Collective over w->comm: write the decomposition state to o->ckpt_path (rank 0). */
int dw_checkpoint_write(dw *w, long it, int have_center);

/* Collective over w->comm: read a checkpoint on rank 0, hand each owner its columns,
 * rebuild the master with them (in their original order) and resolve it. */
int dw_checkpoint_restore(dw *w, long *it, int *have_center, int *restored);

/* Collective over w->comm: start from the previous solve's columns and best duals when
 * the model has the same shape (partition, blocks, coupling rows); columns
 * that are not feasible for the current blocks are dropped (docs/sweeps.md).
 * *used = 1 when anything was taken. */
int dw_warm_restore(dw *w, cn_dw_warm *wm, int *used);

/* Collective over w->comm: keep this solve's columns and best duals for the next one. */
int dw_warm_save(dw *w, cn_dw_warm *wm, const double *lambda, int have_center);

/* ---- dw_recover.c ---- */

/* Final assembly on the owners: z = sum lambda_q z_q per block, into a
 * rank-level solution of the rank's lp; duals of local rows from pricing at
 * the best duals; coupling duals and u on rank 0.
 * Collective over w->comm. */
int dw_assemble(dw *w, const double *lambda, cn_result *res, double *viol, double *rel);

/* Time blocks: a site's cells lie on several ranks, so its arrays, the
 * placements and the duals of rows local to a block are summed (gathered)
 * onto rank 0, which writes them all (site owner 0).
 * Collective over w->comm. */
int dw_reduce_cells(dw *w, cn_result *res);

/* Sum the rank-partial quantities of the result onto rank 0.
 * Collective over w->comm. */
void dw_reduce_result(dw *w, cn_result *res);

#endif
