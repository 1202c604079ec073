/* core/cluster.h - representative days: clustering of the days of a horizon
 * (issue 13 item 3; the method and its sources are in docs/time.md).
 *
 * Pure: no I/O, no MPI, no global state but the base/err.h error record.
 * Deterministic: the same input gives the same output on every run and
 * platform with IEEE doubles (fixed seeding, ties go to the lowest index).
 *
 * Items are days, each a feature vector of dim doubles (x[i * dim + j]) with
 * a weight w[i] > 0 (how many times it occurs in the horizon).  Distances are
 * squared Euclidean, so both methods minimise the same within-cluster sum of
 * squares  sum over i of w[i] * |x[i] - x[medoid(cluster(i))]|^2 :
 *  - CN_CLUSTER_KMEDOIDS: PAM (Kaufman and Rousseeuw 1990): the BUILD phase
 *    picks medoids greedily (the first is the weighted 1-medoid), then SWAP
 *    applies the best medoid/non-medoid exchange while it lowers the cost.
 *  - CN_CLUSTER_HIERARCHICAL: agglomerative, chronology kept (Pineda and
 *    Morales 2018): only adjacent clusters may merge, the pair of least Ward
 *    cost  wa*wb/(wa+wb) * |ca - cb|^2  (weighted centroids ca, cb) first;
 *    each cluster is then represented by its medoid (the member nearest its
 *    centroid), an actual day.
 */
#ifndef CN_CLUSTER_H
#define CN_CLUSTER_H

#include "model.h"

enum cn_cluster_method { CN_CLUSTER_KMEDOIDS = 0, CN_CLUSTER_HIERARCHICAL = 1 };

/* Cluster n items into k (1 <= k <= n) and return, for cluster c = 0..k-1
 * numbered in increasing order of their medoid's index (chronological):
 * medoid[c] the item that represents it, weight[c] the sum of w over its
 * members; and assign[i] the cluster of item i.  w == NULL: every item
 * weighs 1.  cost (may be NULL): the weighted within-cluster sum of squares
 * about the medoids.  The caller owns every array (assign: n, medoid and
 * weight: k); they are written only on success.
 * Returns CN_OK, CN_EUSAGE (n < 1, dim < 0, k out of 1..n, a weight not
 * > 0 and finite, unknown method) or CN_EOSERR. */
int cn_cluster(const double *x, int n, int dim, const double *w, int k, int method,
               int *assign, int *medoid, double *weight, double *cost);

/* Features of the days of a model whose horizon is whole days (T = 24 * n):
 * for each day, the 24 hourly values of every series below, each series
 * min-max normalised over the horizon (a constant series is left out):
 *  - demand of every (region, class) with some demand (spec "Demand", unscaled),
 *  - green_avail of every site with green_cap_mw > 0,
 *  - price_factor of every site.
 * The three groups weigh the same in the distance: every value of a group
 * with g series is multiplied by 1/sqrt(g) (so 300 demand series do not
 * drown 40 sites).  *x gets n * *dim doubles (the caller frees it), *ndays n,
 * and nseries[3] (may be NULL) the series kept per group.
 * Returns CN_OK, CN_EUSAGE (T not a multiple of 24) or CN_EOSERR. */
int cn_cluster_day_features(const cn_model *m, double **x, int *ndays, int *dim,
                            int nseries[3]);

#endif
