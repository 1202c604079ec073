/* solver/lp_scale.h - GLPK's automatic scaling (glp_scale_prob with
 * GLP_SF_AUTO), computed on compact arrays, without GLPK: solver/lp_glpk.c
 * copies the matrix out, calls it and sets the factors.
 *
 * GLPK walks its matrix's linked lists once per row and per column for
 * every pass (up to 15 geometric-mean passes, each with two min/max sweeps,
 * then equilibration): measured with perf on the 100k LP, 38 % of a
 * monolithic solve was in its min_row_aij/max_row_aij (docs/benchmarks.md
 * "Scaling on arrays").  The GLPK adapter copies the matrix out once
 * (glp_get_mat_col) and this file runs the same algorithm, in the same order of
 * operations, over arrays, so the factors are GLPK's own bit for bit
 * (tests/unit/test_scale.c compares them with glp_scale_prob's):
 * - factors start at 1; if every |a_ij| lies in [0.1, 10], nothing is done;
 * - geometric mean: rows first if the worst row ratio max/min exceeds the
 *   worst column ratio, else columns first; each pass divides a row's factor
 *   by sqrt(min * max) of its scaled entries, then each column's alike; at
 *   most 15 passes, until the matrix ratio max/min improves by less than 10 %;
 * - equilibration: each row's factor divided by its scaled entries' max,
 *   then each column's (or columns first, by the same ratio rule);
 * - an empty row or column counts as min = max = 1, as in GLPK.
 * Not collective. */
#ifndef CN_LP_SCALE_H
#define CN_LP_SCALE_H

/* The factors r[m] of the rows and s[n] of the columns of the m x n matrix
 * given by columns (cp[n + 1], row indices ri, magnitudes a > 0, as GLPK
 * stores it: no zeros) that glp_scale_prob(P, GLP_SF_AUTO) would set.
 * CN_OK, or CN_EOSERR when its work arrays cannot be allocated. */
int cn_scale_auto(int m, int n, const int *cp, const int *ri, const double *a, double *r,
                  double *s);

#endif
