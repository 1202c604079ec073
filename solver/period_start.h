/* solver/period_start.h - the period start of the monolithic simplex
 * (docs/solver.md "The period start"): the split LP (lp_split.h) solved a
 * period at a time, the periods spread over the ranks, and the basis their
 * optima make together, from which rank 0 sifts the whole split LP. */
#ifndef CN_PERIOD_START_H
#define CN_PERIOD_START_H

#include <mpi.h>

#include "lp_glpk.h"
#include "lp_split.h"

/* Collective over comm.  Rank r solves the periods t = r, r + size, ... of
 * s (GLPK with go's options, sifting over each period's x columns).  When
 * their optima together miss a row over the horizon (a hub's green share,
 * the carbon cap), the periods are solved again, warm, with that row priced
 * into their costs (c_j - mu a_ij, a Lagrangian multiplier mu per row found
 * by a bisection over up to 5 more passes, the last at the smallest
 * multipliers seen to meet the rows), so that the start nearly meets them
 * too.  Rank 0
 * gets in *basis (malloc'd; nrows + ncols of s->lp, enum cn_basis_stat) the
 * start: each period's optimal basis, the rows that span periods basic, the
 * columns of no period (s, a window's u) nonbasic.  *basis stays NULL on
 * every rank when a period LP has no optimum (the caller solves without the
 * start).  *pivots (rank 0): the period LPs' pivots on all ranks.  Every
 * rank returns the same code. */
int cn_period_start(const cn_lp_split *s, const cn_glpk_opts *go, MPI_Comm comm,
                    unsigned char **basis, long *pivots);

#endif
