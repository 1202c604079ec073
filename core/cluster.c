/* core/cluster.c - see cluster.h; docs/time.md describes the method. */
#include "cluster.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"

#define HOURS 24
#define SWAP_MAX_ITER 10000

static double sqdist(const double *a, const double *b, int dim)
{
    double s = 0;
    for (int j = 0; j < dim; j++) {
        double d = a[j] - b[j];
        s += d * d;
    }
    return s;
}

static int int_cmp(const void *pa, const void *pb)
{
    int a = *(const int *)pa, b = *(const int *)pb;
    return (a > b) - (a < b);
}

/* nearest and second-nearest medoid distance of every item */
static void pam_near(const double *D, int n, const int *med, int k, double *d1, double *d2)
{
    for (int i = 0; i < n; i++) {
        double a = INFINITY, b = INFINITY;
        for (int c = 0; c < k; c++) {
            double d = D[(size_t)i * n + med[c]];
            if (d < a) {
                b = a;
                a = d;
            } else if (d < b) {
                b = d;
            }
        }
        d1[i] = a;
        d2[i] = b;
    }
}

/* PAM: BUILD, then best-improvement SWAP.  med[0..k-1] out (unsorted). */
static int pam(const double *D, int n, const double *w, int k, int *med)
{
    int rc = CN_OK;
    double *d1 = cn_calloc((size_t)n, sizeof *d1);
    double *d2 = cn_calloc((size_t)n, sizeof *d2);
    unsigned char *is_med = cn_calloc((size_t)n, 1);
    if (!d1 || !d2 || !is_med) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    /* BUILD: the weighted 1-medoid, then the item of greatest gain */
    for (int c = 0; c < k; c++) {
        int best = -1;
        double best_val = 0;
        for (int j = 0; j < n; j++) {
            if (is_med[j])
                continue;
            double val = 0; /* c == 0: total cost; else: gain (negated: smaller is better) */
            for (int i = 0; i < n; i++) {
                double dij = D[(size_t)i * n + j];
                if (c == 0)
                    val += w[i] * dij;
                else if (dij < d1[i])
                    val -= w[i] * (d1[i] - dij);
            }
            if (best < 0 || val < best_val) {
                best = j;
                best_val = val;
            }
        }
        med[c] = best;
        is_med[best] = 1;
        pam_near(D, n, med, c + 1, d1, d2);
    }
    /* SWAP: the exchange (medoid c -> item h) that lowers the cost most */
    for (int iter = 0; iter < SWAP_MAX_ITER && k < n; iter++) {
        double cost = 0;
        for (int i = 0; i < n; i++)
            cost += w[i] * d1[i];
        double tol = 1e-12 * cost;
        double best_delta = 0;
        int best_c = -1, best_h = -1;
        for (int c = 0; c < k; c++) {
            const int m = med[c];
            for (int h = 0; h < n; h++) {
                if (is_med[h])
                    continue;
                double delta = 0;
                for (int i = 0; i < n; i++) {
                    double dih = D[(size_t)i * n + h];
                    double dim_ = D[(size_t)i * n + m];
                    /* nearest other medoid: d2 if m was the nearest (d1 == its distance) */
                    double other = dim_ == d1[i] ? d2[i] : d1[i];
                    double now = dih < other ? dih : other;
                    delta += w[i] * (now - d1[i]);
                }
                if (delta < best_delta - tol) {
                    best_delta = delta;
                    best_c = c;
                    best_h = h;
                }
            }
        }
        if (best_c < 0)
            break;
        is_med[med[best_c]] = 0;
        med[best_c] = best_h;
        is_med[best_h] = 1;
        pam_near(D, n, med, k, d1, d2);
    }
cleanup:
    free(d1);
    free(d2);
    free(is_med);
    return rc;
}

/* Ward's cost of merging clusters c and c + 1 (weights W, weighted sums S):
 * the growth of the within-cluster sum of squares, Wa*Wb/(Wa+Wb) |ca - cb|^2 */
static double ward_cost(const double *S, const double *W, int dim, int c)
{
    double d = 0;
    for (int j = 0; j < dim; j++) {
        double e = S[(size_t)c * dim + j] / W[c] - S[(size_t)(c + 1) * dim + j] / W[c + 1];
        d += e * e;
    }
    return W[c] * W[c + 1] / (W[c] + W[c + 1]) * d;
}

/* Chronological Ward: contiguous segments [start[c], start[c+1]).  seg_start
 * out, k + 1 entries (the last is n). */
static int chrono_ward(const double *x, int n, int dim, const double *w, int k, int *seg_start)
{
    int rc = CN_OK;
    int *start = cn_calloc((size_t)n + 1, sizeof *start);
    double *W = cn_calloc((size_t)n, sizeof *W);
    double *S = cn_calloc((size_t)n * (dim > 0 ? dim : 1), sizeof *S); /* weighted sums */
    double *cost = cn_calloc((size_t)n, sizeof *cost); /* Ward cost of merging c and c+1 */
    if (!start || !W || !S || !cost) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    int nc = n;
    for (int i = 0; i < n; i++) {
        start[i] = i;
        W[i] = w[i];
        for (int j = 0; j < dim; j++)
            S[(size_t)i * dim + j] = w[i] * x[(size_t)i * dim + j];
    }
    start[n] = n;
    for (int c = 0; c + 1 < nc; c++)
        cost[c] = ward_cost(S, W, dim, c);
    while (nc > k) {
        int best = 0;
        for (int c = 1; c + 1 < nc; c++)
            if (cost[c] < cost[best])
                best = c;
        /* merge best and best + 1; shift the arrays left by one from best + 1 */
        W[best] += W[best + 1];
        for (int j = 0; j < dim; j++)
            S[(size_t)best * dim + j] += S[(size_t)(best + 1) * dim + j];
        for (int c = best + 1; c + 1 < nc; c++) {
            start[c] = start[c + 1];
            W[c] = W[c + 1];
            memcpy(S + (size_t)c * dim, S + (size_t)(c + 1) * dim, (size_t)dim * sizeof *S);
            cost[c] = cost[c + 1];
        }
        start[nc - 1] = n;
        nc--;
        for (int c = best - 1; c <= best; c++)
            if (c >= 0 && c + 1 < nc)
                cost[c] = ward_cost(S, W, dim, c);
    }
    memcpy(seg_start, start, (size_t)k * sizeof *start);
    seg_start[k] = n;
cleanup:
    free(start);
    free(W);
    free(S);
    free(cost);
    return rc;
}

int cn_cluster(const double *x, int n, int dim, const double *w_in, int k, int method,
               int *assign, int *medoid, double *weight, double *cost_out)
{
    int rc = CN_OK;
    double *D = NULL, *w = NULL, *cen = NULL;
    int *med = NULL, *asg = NULL, *seg = NULL;
    if (n < 1 || dim < 0 || k < 1 || k > n)
        return CN_ERR(CN_EUSAGE, "cannot make %d clusters of %d items (dim %d)", k, n, dim);
    if (method != CN_CLUSTER_KMEDOIDS && method != CN_CLUSTER_HIERARCHICAL)
        return CN_ERR(CN_EUSAGE, "unknown clustering method %d", method);
    w = cn_calloc((size_t)n, sizeof *w);
    med = cn_calloc((size_t)k, sizeof *med);
    asg = cn_calloc((size_t)n, sizeof *asg);
    if (!w || !med || !asg) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    for (int i = 0; i < n; i++) {
        w[i] = w_in ? w_in[i] : 1.0;
        if (!(w[i] > 0) || !isfinite(w[i])) {
            rc = CN_ERR(CN_EUSAGE, "weight of item %d must be > 0 and finite, got %g", i, w[i]);
            goto cleanup;
        }
    }

    if (method == CN_CLUSTER_KMEDOIDS) {
        D = cn_calloc((size_t)n * n, sizeof *D);
        if (!D) {
            rc = CN_EOSERR;
            goto cleanup;
        }
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                D[(size_t)i * n + j] = D[(size_t)j * n + i] =
                    sqdist(x + (size_t)i * dim, x + (size_t)j * dim, dim);
        CN_TRY(pam(D, n, w, k, med));
        qsort(med, (size_t)k, sizeof *med, int_cmp);
        /* each item to its nearest medoid (ties: the lower cluster), a
         * medoid always to its own cluster */
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < k; c++)
                if (D[(size_t)i * n + med[c]] < D[(size_t)i * n + med[best]])
                    best = c;
            asg[i] = best;
        }
        for (int c = 0; c < k; c++)
            asg[med[c]] = c;
    } else {
        seg = cn_calloc((size_t)k + 1, sizeof *seg);
        cen = cn_calloc(dim > 0 ? (size_t)dim : 1, sizeof *cen);
        if (!seg || !cen) {
            rc = CN_EOSERR;
            goto cleanup;
        }
        CN_TRY(chrono_ward(x, n, dim, w, k, seg));
        for (int c = 0; c < k; c++) {
            double W = 0;
            memset(cen, 0, (size_t)dim * sizeof *cen);
            for (int i = seg[c]; i < seg[c + 1]; i++) {
                W += w[i];
                for (int j = 0; j < dim; j++)
                    cen[j] += w[i] * x[(size_t)i * dim + j];
            }
            for (int j = 0; j < dim; j++)
                cen[j] /= W;
            /* the medoid minimises sum w_i |x_i - x_m|^2 = const + W |x_m - centroid|^2 */
            int best = seg[c];
            double bd = INFINITY;
            for (int i = seg[c]; i < seg[c + 1]; i++) {
                double d = sqdist(x + (size_t)i * dim, cen, dim);
                if (d < bd) {
                    bd = d;
                    best = i;
                }
                asg[i] = c;
            }
            med[c] = best;
        }
    }

    double cost = 0;
    for (int c = 0; c < k; c++)
        weight[c] = 0;
    for (int i = 0; i < n; i++) {
        weight[asg[i]] += w[i];
        cost += w[i] * sqdist(x + (size_t)i * dim, x + (size_t)med[asg[i]] * dim, dim);
    }
    memcpy(assign, asg, (size_t)n * sizeof *asg);
    memcpy(medoid, med, (size_t)k * sizeof *med);
    if (cost_out)
        *cost_out = cost;
cleanup:
    free(D);
    free(w);
    free(med);
    free(asg);
    free(seg);
    free(cen);
    return rc;
}

/* Append the series v[0..T-1] (min-max normalised, times scale) to every
 * day's features at column col; returns 0 when constant (not appended). */
static int series_put(const double *v, long T, double *x, int dim, int col, double scale)
{
    double lo = INFINITY, hi = -INFINITY;
    for (long t = 0; t < T; t++) {
        lo = v[t] < lo ? v[t] : lo;
        hi = v[t] > hi ? v[t] : hi;
    }
    if (!(hi - lo > 1e-12 * (fabs(hi) > fabs(lo) ? fabs(hi) : fabs(lo))))
        return 0;
    if (x)
        for (long t = 0; t < T; t++)
            x[(size_t)(t / HOURS) * dim + col + t % HOURS] = scale * (v[t] - lo) / (hi - lo);
    return 1;
}

int cn_cluster_day_features(const cn_model *m, double **x_out, int *ndays, int *dim_out,
                            int nseries_out[3])
{
    int rc = CN_OK;
    const long T = m->sc.periods;
    const int RK = m->nregions * m->nclasses;
    double *dem = NULL, *x = NULL;
    if (T < HOURS || T % HOURS != 0)
        return CN_ERR(CN_EUSAGE, "periods %ld is not a whole number of days (a multiple of %d)",
                      T, HOURS);
    const int n = (int)(T / HOURS);
    dem = cn_calloc((size_t)RK * (size_t)T, sizeof *dem);
    if (!dem) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    for (long i = 0; i < m->ndemand; i++) {
        const cn_demand *d = &m->demand[i];
        dem[((size_t)d->region * m->nclasses + d->cls) * (size_t)T + d->period] = d->pflops;
    }
    /* two passes: count the series of each group, then fill */
    int ns[3] = {0, 0, 0}, dim = 0;
    for (int pass = 0; pass < 2; pass++) {
        double sc[3];
        for (int g = 0; g < 3; g++)
            sc[g] = ns[g] > 0 ? 1.0 / sqrt((double)ns[g]) : 0;
        if (pass == 1) {
            dim = HOURS * (ns[0] + ns[1] + ns[2]);
            x = cn_calloc((size_t)n * (dim > 0 ? (size_t)dim : 1), sizeof *x);
            if (!x) {
                rc = CN_EOSERR;
                goto cleanup;
            }
        }
        int col = 0, cnt[3] = {0, 0, 0};
        for (int rk = 0; rk < RK; rk++)
            if (series_put(dem + (size_t)rk * T, T, x, dim, col, sc[0])) {
                cnt[0]++;
                col += HOURS;
            }
        for (int s = 0; s < m->nsites; s++)
            if (m->sites[s].green_cap_mw * m->sc.scale_green > 0 &&
                series_put(m->green_avail + (size_t)s * T, T, x, dim, col, sc[1])) {
                cnt[1]++;
                col += HOURS;
            }
        for (int s = 0; s < m->nsites; s++)
            if (m->sites[s].grid_price * m->sc.scale_grid_price > 0 &&
                series_put(m->price_factor + (size_t)s * T, T, x, dim, col, sc[2])) {
                cnt[2]++;
                col += HOURS;
            }
        memcpy(ns, cnt, sizeof ns);
    }
    *x_out = x;
    x = NULL;
    *ndays = n;
    *dim_out = dim;
    if (nseries_out)
        memcpy(nseries_out, ns, sizeof ns);
cleanup:
    free(dem);
    free(x);
    return rc;
}
