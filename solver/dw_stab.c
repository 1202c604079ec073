/* solver/dw_stab.c - dual stabilisation: Wentges smoothing and its
 * self-adjusting weight (dw_int.h, docs/solver.md "Stabilisation"). */
#include "dw_int.h"

#include <math.h>


/* The master's dual of coupling row i, clamped to the row's sign (a <= row
 * has a dual <= 0, a >= row >= 0): GLPK may return either sign at zero. */
static double master_dual(const dw *w, int64_t i)
{
    double p = w->ms.dual[i];
    if (w->cp.sense[i] == 'L') p = fmin(p, 0.0);
    if (w->cp.sense[i] == 'G') p = fmax(p, 0.0);
    return p;
}

void dw_stab_duals(const dw *w, int have_center, double alpha, double *pi)
{
    for (int64_t i = 0; i < w->cp.n; i++) {
        double p = master_dual(w, i);
        pi[i] = have_center ? alpha * w->pi_center[i] + (1 - alpha) * p : p;
    }
}

double dw_stab_adjust(const dw *w, double alpha)
{
    double dot = 0.0;
    for (int64_t i = 0; i < w->cp.n; i++)
        dot += w->subgrad[i] * (master_dual(w, i) - w->pi_center[i]);
    return dot > 0.0 ? fmax(0.0, alpha - 0.1) : fmin(0.95, alpha + (1.0 - alpha) * 0.1);
}
