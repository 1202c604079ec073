/* solver/lp_split.h - the LP with its demand windows split by period, and
 * each period's LP of it: the period start of the monolithic simplex
 * (docs/solver.md "The period start").  Not collective.
 *
 * A demand window's row  sum_t X_t + u = D  (lo <= . <= hi in general)
 * becomes, for each period t of the window (L of them), a split row
 *     X_t + u_t - s_t = D / L
 * and the window's own row becomes  sum_t s_t + u = 0  with u fixed at 0.
 * That is the same LP: X and u = sum_t u_t are feasible for one exactly when
 * they are for the other, at the same cost; the free columns s_t move demand
 * between the window's periods.  With s fixed at 0 the split LP falls apart
 * into one LP a period, but for the rows that span periods (the hub green
 * shares, the carbon cap): each is small, so the periods solve apart fast
 * and their optimal bases together are a start for the whole.
 *
 * At an optimum of the split LP, s_t's reduced cost y_t - w is 0 (y_t the
 * split row's dual, w the window row's), so every split row of a window has
 * the dual w, which is the window row's dual in the LP; the window's u keeps
 * its entry in the window row, so its reduced cost is the LP's too. */
#ifndef CN_LP_SPLIT_H
#define CN_LP_SPLIT_H

#include <stdint.h>

#include "lp.h"

typedef struct cn_lp_split {
    /* the split LP: the LP's rows and columns first, in their order (x
     * columns first, so sifting's candidates are the same), then the split
     * rows, then for each split row k its s (column ncols0 + 2k) and its
     * u_t (ncols0 + 2k + 1).  Only the solver's fields are set (no map). */
    cn_lp *lp;
    int64_t nrows0, ncols0;
    int32_t *row_t;       /* [lp rows] the period of a row; -1: it spans periods */
    int32_t *col_t;       /* [lp cols] the period of a column; -1: none (s, a window's u) */
    int64_t nwin;         /* windows split */
    int64_t *win_row;     /* [nwin] the window's row */
    int64_t *win_u;       /* [nwin] its u column, -1: none */
    int64_t *win_first;   /* [nwin + 1] its split rows: nrows0 + [win_first[w], win_first[w+1]) */
} cn_lp_split;

/* The split of lp over its periods (lp->col_t).  With no window of two
 * periods or more, the split LP is the LP (nwin = 0). */
int cn_lp_split_build(const cn_lp *lp, cn_lp_split **out);
void cn_lp_split_destroy(cn_lp_split **s);

/* Period t's LP of the split LP: its rows (row_t == t) and columns (col_t ==
 * t), in their order; rows[k], cols[k]: the split LP's row and column of the
 * period LP's k-th (malloc'd arrays).  *nsift: how many of its columns are x
 * (those come first). */
int cn_lp_split_period(const cn_lp_split *s, int32_t t, cn_lp **out, int64_t **rows,
                       int64_t **cols, int64_t *nsift);

/* The solution of the LP from one of the split LP (sol's arrays are
 * allocated here; cn_lp_solution_free). */
int cn_lp_split_solution(const cn_lp_split *s, const cn_lp_solution *split_sol,
                         cn_lp_solution *sol);

#endif
