/* io/h5ckpt.h - checkpoints of the decomposition and of Benders (docs/slurm.md, "Checkpoints").
 * Written and read by one rank with the serial HDF5 API; the file is written
 * to a temporary name beside the target and renamed. */
#ifndef CN_H5CKPT_H
#define CN_H5CKPT_H

#include <stdint.h>

typedef struct cn_ckpt {
    char input_hash[65];    /* SHA-256 of the inputs and options that shape the run */
    long iteration;         /* iterations done */
    double lower_bound;     /* best Lagrangian bound so far */
    int have_center;
    int64_t ncoup;
    double *pi_center;      /* [ncoup] duals of the best bound */
    int64_t ncols;          /* generated master columns */
    int64_t *col_block;     /* [ncols] global block (site x period, part-major) */
    int64_t *col_master;    /* [ncols] master column index */
    int64_t *col_ptr;       /* [ncols + 1] into col_idx/col_val */
    int32_t *col_idx;       /* block-local column index of each nonzero */
    double *col_val;
} cn_ckpt;

/* Returns CN_OK or CN_ECANTCREAT/CN_EIO (nothing left at path on failure). */
int cn_ckpt_write(const char *path, const cn_ckpt *c);
/* Returns CN_OK, CN_ENOINPUT (no file; no message) or CN_EDATA ("FILE:
 * what is wrong": not a readable regular file, not a complete checkpoint,
 * or one that fails the checks that need no model: docs/robustness.md,
 * "Checkpoints"), or CN_EOSERR.  Read through io/h5check.h. */
int cn_ckpt_read(const char *path, cn_ckpt *c);
void cn_ckpt_free(cn_ckpt *c);

/* A checkpoint of the Benders decomposition of the investment MIP
 * (solver/benders.c): its cuts and bound.  Same rules as above: written to a
 * temporary name and renamed; read through io/h5check.h with every value
 * checked (kind, complete, shapes, finite values, phase 1 or 2, ne >= 1). */
typedef struct cn_bckpt {
    char input_hash[65];
    long iteration;         /* subproblems solved */
    int phase;              /* 2, the integer master; 1 from older versions (the LP
                             * relaxation's cuts), resumed alike */
    double lower_bound;     /* -inf: none yet */
    int ne;                 /* expansion rows */
    long ncuts;
    double *y, *g;          /* [ncuts][ne] each cut's point and gradient */
    double *f;              /* [ncuts] F at the point */
} cn_bckpt;
int cn_bckpt_write(const char *path, const cn_bckpt *c);
/* CN_OK, CN_ENOINPUT (no file), CN_EDATA or CN_EOSERR, as cn_ckpt_read. */
int cn_bckpt_read(const char *path, cn_bckpt *c);
void cn_bckpt_free(cn_bckpt *c);

/* Not collective.  What to do with a checkpoint found at path, for both
 * kinds above (the one wording, docs/robustness.md "Checkpoints"): rc is
 * what its read returned, file_hash its input hash, run_hash this run's.
 * Returns CN_OK (resume from it), -1 (start afresh: there is none and none
 * was required, or it was made from other inputs and discard (--force) is
 * set, which logs a warning), or an error: CN_ENOINPUT "checkpoint 'PATH'
 * does not exist" when required, CN_EDATA "... was made from other inputs or
 * options ...: refusing to resume", or rc itself (a bad file). */
int cn_ckpt_resume_check(const char *path, int rc, int required, const char *file_hash,
                         const char *run_hash, int discard);

#endif
