/* io/outdir.h - writing a model directory as a whole: the files go into a
 * temporary directory beside the target and are renamed into place at the
 * end, so a failed run leaves the target as it was.  Shared by
 * `cnopt generate` (io/generate.c) and `cnopt aggregate` (io/aggregate.c).
 *
 * Not collective: no MPI.  Not thread-safe (uses the base/err.h state).
 */
#ifndef CN_OUTDIR_H
#define CN_OUTDIR_H

#include <stdio.h>

typedef struct cn_outdir {
    char dir[4096];     /* the target, trailing slashes removed */
    char tmp[4200];     /* where the files are written: DIR.tmp-PID-N */
    int exists;         /* the target existed (a directory) */
    int nonempty;       /* ... and had entries */
    int made_tmp;       /* tmp exists and must be removed */
} cn_outdir;

/* Check the target dir and create the temporary directory od->tmp (and any
 * missing parents of dir).  dir must be absent, an empty directory, or (with
 * force) a non-empty directory.  Returns CN_OK, CN_EUSAGE (name empty or too
 * long) or CN_ECANTCREAT (not empty without force, not a directory, not
 * creatable). */
int cn_outdir_open(cn_outdir *od, const char *dir, int force);

/* Move the files names[0..n-1] from od->tmp into od->dir.  A name with
 * written[f] == 0 was not written this time: a file of that name in od->dir is
 * removed (it would otherwise change the model; e.g. a stale periods.csv).
 * Other files in od->dir are left alone.  written == NULL: all were written.
 * Returns CN_OK or CN_ECANTCREAT. */
int cn_outdir_commit(cn_outdir *od, const char *const *names, const unsigned char *written,
                     int n);

/* Remove the temporary directory with the files names[0..n-1] in it, if it
 * is still there (after a failure, or after a commit that moved files one by
 * one).  Safe to call twice. */
void cn_outdir_cleanup(cn_outdir *od, const char *const *names, int n);

/* fopen(dir/name, "w") with a large buffer; CN_ECANTCREAT on failure. */
int cn_table_open(const char *dir, const char *name, FILE **out);
/* fclose, reporting any write error as CN_EIO; sets *fp to NULL. */
int cn_table_close(const char *dir, const char *name, FILE **fp);

/* Write v as the shortest "%.Ng" text (N = 1..17) that reads back as exactly
 * v, so a value copied through a model directory keeps every bit (-0 is
 * written as 0).  v must be finite. */
void cn_write_double(FILE *fp, double v);

#endif
