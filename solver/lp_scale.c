/* solver/lp_scale.c - see lp_scale.h.  0-based arrays; no GLPK here. */
#include "lp_scale.h"

#include <math.h>
#include <stdlib.h>

#include "../base/err.h"
#include "../base/log.h"

typedef struct scl {
    int m, n;
    int *cp, *ri;            /* the matrix by columns: cp[n + 1], ri[nnz] (read only) */
    double *a;               /* |a_ij|, nonzero (read only) */
    double *r, *s;           /* factors of rows and columns */
    double *lo, *hi;         /* scaled min and max |a_ij| of each row or column */
} scl;

/* Min and max of each row's scaled entries into lo[m], hi[m]; an empty row
 * gets 1 and 1. */
static void row_range(const scl *z)
{
    for (int i = 0; i < z->m; i++) {
        z->lo[i] = INFINITY;
        z->hi[i] = -1.0;
    }
    for (int j = 0; j < z->n; j++)
        for (int p = z->cp[j]; p < z->cp[j + 1]; p++) {
            int i = z->ri[p];
            double t = z->a[p] * (z->r[i] * z->s[j]);
            if (t < z->lo[i])
                z->lo[i] = t;
            if (t > z->hi[i])
                z->hi[i] = t;
        }
    for (int i = 0; i < z->m; i++)
        if (z->hi[i] < 0)
            z->lo[i] = z->hi[i] = 1.0;
}

/* The same for each column, into lo[n], hi[n]. */
static void col_range(const scl *z)
{
    for (int j = 0; j < z->n; j++) {
        double lo = 1.0, hi = 1.0;
        for (int p = z->cp[j]; p < z->cp[j + 1]; p++) {
            double t = z->a[p] * (z->r[z->ri[p]] * z->s[j]);
            if (p == z->cp[j] || t < lo)
                lo = t;
            if (p == z->cp[j] || t > hi)
                hi = t;
        }
        z->lo[j] = lo;
        z->hi[j] = hi;
    }
}

/* The worst max/min ratio over rows (rows 1) or columns (rows 0). */
static double worst_ratio(const scl *z, int rows)
{
    int k = rows ? z->m : z->n;
    double ratio = 1.0;
    rows ? row_range(z) : col_range(z);
    for (int q = 0; q < k; q++) {
        double t = z->hi[q] / z->lo[q];
        if (q == 0 || ratio < t)
            ratio = t;
    }
    return ratio;
}

/* The matrix's min and max scaled |a_ij|, over its rows (1 and 1 when it has
 * none; an empty row counts as 1). */
static void mat_range(const scl *z, double *mn, double *mx)
{
    row_range(z);
    *mn = *mx = 1.0;
    for (int i = 0; i < z->m; i++) {
        if (i == 0 || z->lo[i] < *mn)
            *mn = z->lo[i];
        if (i == 0 || z->hi[i] > *mx)
            *mx = z->hi[i];
    }
}

/* One pass of geometric-mean (gm 1) or equilibration (gm 0) scaling: rows
 * then columns (cols_first 0) or columns then rows. */
static void scale_pass(const scl *z, int gm, int cols_first)
{
    for (int pass = 0; pass <= 1; pass++) {
        if (pass == cols_first) {
            row_range(z);
            for (int i = 0; i < z->m; i++)
                z->r[i] = z->r[i] / (gm ? sqrt(z->lo[i] * z->hi[i]) : z->hi[i]);
        } else {
            col_range(z);
            for (int j = 0; j < z->n; j++)
                z->s[j] = z->s[j] / (gm ? sqrt(z->lo[j] * z->hi[j]) : z->hi[j]);
        }
    }
}

static void log_range(const scl *z, const char *what)
{
    double mn, mx;
    if (cn_log_level() < CN_LOG_DEBUG)
        return;
    mat_range(z, &mn, &mx);
    cn_log(CN_LOG_DEBUG, "scaling %s: min|aij| = %10.3e  max|aij| = %10.3e  ratio = %10.3e", what,
           mn, mx, mx / mn);
}

static void run(const scl *z)
{
    double mn, mx;
    mat_range(z, &mn, &mx);
    log_range(z, " A");
    if (mn >= 0.10 && mx <= 10.0)
        return;                  /* well scaled: all factors stay 1 */
    int cols_first = worst_ratio(z, 1) > worst_ratio(z, 0);
    double ratio = 0.0;
    for (int k = 1; k <= 15; k++) {
        double r_old = ratio;
        mat_range(z, &mn, &mx);
        ratio = mx / mn;
        if (k > 1 && ratio > 0.90 * r_old)
            break;
        scale_pass(z, 1, cols_first);
    }
    log_range(z, "GM");
    scale_pass(z, 0, worst_ratio(z, 1) > worst_ratio(z, 0));
    log_range(z, "EQ");
}

int cn_scale_auto(int m, int n, const int *cp, const int *ri, const double *a, double *r,
                  double *s)
{
    int k = m > n ? m : n;
    scl z = {m, n, (int *)cp, (int *)ri, (double *)a, r, s, NULL, NULL};
    z.lo = cn_calloc((size_t)k + 1, sizeof *z.lo);
    z.hi = cn_calloc((size_t)k + 1, sizeof *z.hi);
    if (!z.lo || !z.hi) {
        free(z.lo);
        free(z.hi);
        return CN_EOSERR;
    }
    for (int i = 0; i < m; i++)
        r[i] = 1.0;
    for (int j = 0; j < n; j++)
        s[j] = 1.0;
    run(&z);
    free(z.lo);
    free(z.hi);
    return CN_OK;
}
