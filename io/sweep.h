/* io/sweep.h - sweep job files (docs/sweeps.md) and the sweep summary HDF5.
 *
 * A job file names a base scenario and `sweep:` keys (dotted scenario keys)
 * with lists of values; its tasks are the cartesian product of the lists,
 * keys in file order, the last key varying fastest.  Reading validates every
 * value with cn_scenario_set on a copy of the base scenario, so a bad value
 * is reported at its line and column in the job file.
 *
 * Not collective: every function works on the calling rank alone.  The
 * reader uses libyaml (event API), the summary writer io/h5file.h.
 */
#ifndef CN_SWEEP_H
#define CN_SWEEP_H

#include <stddef.h>

#include "h5read.h"

/* One value of a sweep key, as written in the job file. */
typedef struct cn_sweep_val {
    char *text;            /* passed verbatim as `--set KEY=TEXT` */
    long line, col;        /* 1-based position in the job file */
    double num;            /* the number (NaN for null) when the key is numeric */
} cn_sweep_val;

typedef struct cn_sweep_key {
    char *key;             /* dotted scenario key, e.g. "scale.bandwidth" */
    long line, col;
    int nvals;             /* >= 1 */
    cn_sweep_val *vals;
    int numeric;           /* 1: every value is a number or null (summary: float64) */
    long stride;           /* tasks between two successive values of this key */
} cn_sweep_key;

typedef struct cn_sweep {
    char *path;            /* job file as given */
    char *name;            /* id rule of docs/input-format.md: used in file names */
    char *description;     /* NULL when absent */
    char *scenario;        /* base scenario, resolved against the job file's directory */
    char *outdir;          /* resolved; default JOBDIR/results/NAME */
    int nkeys;
    cn_sweep_key *keys;
    int nargs;             /* extra `cnopt solve` options (solve_args:) */
    char **args;
    long *arg_line, *arg_col; /* where each entry is in the job file */
    long ntasks;           /* product of the nvals */
} cn_sweep;

#define CN_SWEEP_MAX_TASKS 1000000L
/* The summary's schema_version: 2.0 since its strings are variable-length
 * UTF-8, 2.1 since it has the build plan (docs/sweeps.md, "The summary file"). */
#define CN_SWEEP_SCHEMA_VERSION "2.1"

/* Read and validate the job file at path.  Returns CN_OK, CN_ENOINPUT (job
 * file missing or unreadable), CN_EDATA (problems recorded with cn_diag_add
 * as FILE:LINE:COLUMN, including those of the base scenario) or CN_EOSERR.
 * *out is set only on CN_OK. */
int cn_sweep_read(const char *path, cn_sweep **out);
void cn_sweep_destroy(cn_sweep **s);

/* The value of key k in task t (0 <= t < ntasks, 0 <= k < nkeys). */
const cn_sweep_val *cn_sweep_value(const cn_sweep *s, long t, int k);

/* "OUTDIR/NAME-T.h5" into buf.  Returns CN_OK or CN_ESOFTWARE (too long). */
int cn_sweep_result_path(const cn_sweep *s, long t, char *buf, size_t n);
/* "OUTDIR/NAME-summary.h5" into buf. */
int cn_sweep_summary_path(const cn_sweep *s, char *buf, size_t n);

/* What --collect learnt about one task. */
typedef struct cn_sweep_row {
    int ok;                /* 1: a complete result with a solution (optimal or feasible) */
    char status[32];       /* the result's status, or "missing", "unreadable" */
    char note[512];        /* why a task is not ok ("" when ok) */
    double objective, bound, gap;          /* yuan, yuan, 1 */
    double parts[CN_H5_NPARTS];            /* yuan, cn_h5_part_name order */
    double emissions_tco2, energy_mwh;
    double unserved_share;                 /* unserved / demand, PFLOPS-periods */
    int nexps;                             /* expansion rows of a readable result */
    cn_h5_invest *invest;                  /* [nexps]: the build plan (owned) */
} cn_sweep_row;

/* Read every task's result into rows[ntasks] (allocated; free with
 * cn_sweep_rows_destroy).  A missing or unreadable result is a row with ok =
 * 0, NaN numbers and no build plan, not an error.  Returns CN_OK or
 * CN_EOSERR. */
int cn_sweep_rows_read(const cn_sweep *s, cn_sweep_row **rows);
/* Free rows[0..n-1] and the array; *rows is set to NULL (NULL accepted). */
void cn_sweep_rows_destroy(cn_sweep_row **rows, long n);

/* Write the summary (docs/sweeps.md "The summary file") to path: to a
 * temporary file beside it, then renamed over it, so path never holds a
 * partial summary.  An existing summary is replaced.  Returns CN_OK,
 * CN_ECANTCREAT or CN_EIO (nothing left behind on failure). */
int cn_sweep_summary_write(const cn_sweep *s, const cn_sweep_row *rows, const char *path);

/* mkdir -p.  Returns CN_OK or CN_ECANTCREAT (error recorded). */
int cn_sweep_mkdirs(const char *dir);

#endif
