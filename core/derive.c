/* core/derive.c - see derive.h.  Section numbers refer to docs/model.md,
 * which restates ../shared/spec/model-v1.md. */
#include "derive.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"

/* Adjacency of the backbone: for region r, neighbours adj[off[r]..off[r+1]-1]
 * with the connecting link index. */
typedef struct adjacency {
    int *off, *nbr, *link;
} adjacency;

static int adjacency_build(int R, const cn_link *links, int L, adjacency *a)
{
    a->off = cn_calloc((size_t)R + 1, sizeof *a->off);
    a->nbr = cn_calloc((size_t)2 * L + 1, sizeof *a->nbr);
    a->link = cn_calloc((size_t)2 * L + 1, sizeof *a->link);
    if (!a->off || !a->nbr || !a->link)
        return CN_EOSERR;
    for (int l = 0; l < L; l++) {
        a->off[links[l].from + 1]++;
        a->off[links[l].to + 1]++;
    }
    for (int r = 0; r < R; r++)
        a->off[r + 1] += a->off[r];
    int *fill = cn_calloc((size_t)R, sizeof *fill);
    if (!fill)
        return CN_EOSERR;
    for (int l = 0; l < L; l++) {
        int u = links[l].from, v = links[l].to;
        a->nbr[a->off[u] + fill[u]] = v;
        a->link[a->off[u] + fill[u]++] = l;
        a->nbr[a->off[v] + fill[v]] = u;
        a->link[a->off[v] + fill[v]++] = l;
    }
    free(fill);
    return CN_OK;
}

static void adjacency_free(adjacency *a)
{
    free(a->off);
    free(a->nbr);
    free(a->link);
}

/* (dist, hops) lexicographic order with the 1e-9 ms tolerance of section 4. */
static int better(double d1, int h1, double d2, int h2)
{
    if (d1 < d2 - CN_RTT_TOL)
        return 1;
    if (d1 > d2 + CN_RTT_TOL)
        return 0;
    return h1 < h2;
}

/* Insert region v into the frontier fr[0..*nf-1], kept in ascending order. */
static void frontier_insert(int *fr, int *nf, int v)
{
    int lo = 0, hi = *nf;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (fr[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    memmove(fr + lo + 1, fr + lo, (size_t)(*nf - lo) * sizeof *fr);
    fr[lo] = v;
    (*nf)++;
}

/* Dijkstra from src over (dist, hops).  The next region settled is the best
 * of the frontier (reached, not settled) by `better`, the lowest index among
 * equals: the frontier is scanned in ascending region order, so the choice is
 * the one a scan of all regions would make, at O(frontier) instead of O(R).
 * fr: room for R regions. */
static void dijkstra(int R, const cn_link *links, const adjacency *a, int src, double *dist,
                     int *hops, char *done, int *fr)
{
    for (int v = 0; v < R; v++) {
        dist[v] = INFINITY;
        hops[v] = 0;
        done[v] = 0;
    }
    dist[src] = 0.0;
    int nf = 0;
    fr[nf++] = src;
    while (nf > 0) {
        int ui = 0;
        for (int i = 1; i < nf; i++)
            if (better(dist[fr[i]], hops[fr[i]], dist[fr[ui]], hops[fr[ui]]))
                ui = i;
        int u = fr[ui];
        memmove(fr + ui, fr + ui + 1, (size_t)(nf - ui - 1) * sizeof *fr);
        nf--;
        done[u] = 1;
        for (int i = a->off[u]; i < a->off[u + 1]; i++) {
            int v = a->nbr[i];
            double nd = dist[u] + links[a->link[i]].rtt_ms;
            if (!done[v] && better(nd, hops[u] + 1, dist[v], hops[v])) {
                if (!isfinite(dist[v]))
                    frontier_insert(fr, &nf, v);
                dist[v] = nd;
                hops[v] = hops[u] + 1;
            }
        }
    }
}

/* Routes for every (r, d).  For a destination d, dist/hops to d are computed
 * once; the route from r is then built hop by hop from r, each step taking
 * the lowest-index neighbour that stays on a best (rtt, hops) path: that is
 * the lexicographically smallest region sequence from r (section 4). */
int cn_routes_create(int R, const cn_link *links, int L, cn_routes **out)
{
    int rc = CN_OK;
    size_t RR = (size_t)R * (size_t)R;
    adjacency a = {0};
    double *dist = NULL;
    int *hops = NULL, *fr = NULL;
    char *done = NULL;
    cn_routes *rt = cn_calloc(1, sizeof *rt);
    if (!rt)
        return CN_EOSERR;
    rt->n = R;
    rt->rtt_ms = cn_calloc(RR, sizeof *rt->rtt_ms);
    rt->cost = cn_calloc(RR, sizeof *rt->cost);
    rt->next = cn_calloc(RR, sizeof *rt->next);
    rt->next_link = cn_calloc(RR, sizeof *rt->next_link);
    dist = cn_calloc((size_t)R, sizeof *dist);
    hops = cn_calloc((size_t)R, sizeof *hops);
    fr = cn_calloc((size_t)R, sizeof *fr);
    done = cn_calloc((size_t)R, 1);
    if (!rt->rtt_ms || !rt->cost || !rt->next || !rt->next_link || !dist || !hops || !fr ||
        !done) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    CN_TRY(adjacency_build(R, links, L, &a));
    for (int d = 0; d < R; d++) {
        dijkstra(R, links, &a, d, dist, hops, done, fr); /* undirected: dist to d = dist from d */
        for (int r = 0; r < R; r++) {
            size_t rd = (size_t)r * R + d;
            rt->next[rd] = -1;
            rt->next_link[rd] = -1;
            if (!isfinite(dist[r])) {
                rt->rtt_ms[rd] = INFINITY;
                rt->cost[rd] = 0.0;
                continue;
            }
            if (r == d)
                continue;
            int best = -1, best_link = -1;
            for (int i = a.off[r]; i < a.off[r + 1]; i++) {
                int v = a.nbr[i];
                double via = links[a.link[i]].rtt_ms + dist[v];
                if (!isfinite(dist[v]) || fabs(via - dist[r]) > CN_RTT_TOL || hops[v] + 1 != hops[r])
                    continue;
                if (best < 0 || v < best) {
                    best = v;
                    best_link = a.link[i];
                }
            }
            rt->next[rd] = best;
            rt->next_link[rd] = best_link;
        }
        /* sums along each route, in path order from r */
        for (int r = 0; r < R; r++) {
            size_t rd = (size_t)r * R + d;
            if (!isfinite(dist[r]))
                continue;
            double rtt = 0.0, cost = 0.0;
            int u = r, steps = 0;
            while (u != d && steps <= R) {
                int l = rt->next_link[(size_t)u * R + d];
                if (l < 0)
                    break;
                rtt += links[l].rtt_ms;
                cost += links[l].cost;
                u = rt->next[(size_t)u * R + d];
                steps++;
            }
            if (u != d) {
                rc = CN_ERR(CN_ESOFTWARE, "route from region %d to %d broken after %d steps", r, d,
                            steps);
                goto cleanup;
            }
            rt->rtt_ms[rd] = rtt;
            rt->cost[rd] = cost;
        }
    }
cleanup:
    adjacency_free(&a);
    free(dist);
    free(hops);
    free(fr);
    free(done);
    if (rc == CN_OK)
        *out = rt;
    else
        cn_routes_destroy(&rt);
    return rc;
}

void cn_routes_destroy(cn_routes **prt)
{
    if (!prt || !*prt)
        return;
    cn_routes *rt = *prt;
    free(rt->rtt_ms);
    free(rt->cost);
    free(rt->next);
    free(rt->next_link);
    free(rt);
    *prt = NULL;
}

int cn_routes_path(const cn_routes *rt, int r, int d, int *path)
{
    if (!isfinite(rt->rtt_ms[(size_t)r * rt->n + d]))
        return 0;
    int n = 0;
    path[n++] = r;
    for (int u = r; u != d && n < rt->n;) {
        u = rt->next[(size_t)u * rt->n + d];
        if (u < 0)
            return 0;
        path[n++] = u;
    }
    return path[n - 1] == d ? n : 0;
}

double cn_route_rtt(const cn_derived *d, int region, int site)
{
    const cn_site *s = &d->m->sites[site];
    double path = d->routes->rtt_ms[(size_t)region * d->routes->n + s->region];
    return isfinite(path) ? path + s->access_rtt_ms : INFINITY;
}

/* Demand rows of constraint 1, ordered (region, class, window). */
static int drows_build(const cn_model *m, cn_derived *d)
{
    long T = m->sc.periods;
    int R = m->nregions, K = m->nclasses;
    long maxw = 0;
    for (int k = 0; k < K; k++) {
        d->nwin[k] = cn_class_nwindows(m, k);
        if (d->nwin[k] > maxw)
            maxw = d->nwin[k];
    }
    /* window offsets per class in a dense (r, k, b) accumulator */
    long *koff = cn_calloc((size_t)K + 1, sizeof *koff);
    if (!koff)
        return CN_EOSERR;
    for (int k = 0; k < K; k++)
        koff[k + 1] = koff[k] + d->nwin[k];
    size_t per_r = (size_t)koff[K];
    double *acc = cn_calloc((size_t)R * per_r, sizeof *acc);
    if (!acc) {
        free(koff);
        return CN_EOSERR;
    }
    for (long i = 0; i < m->ndemand; i++) {
        const cn_demand *dm = &m->demand[i];
        if (dm->period >= T)
            continue;
        long b = dm->period / m->classes[dm->cls].window;
        acc[(size_t)dm->region * per_r + (size_t)(koff[dm->cls] + b)] += dm->pflops;
    }
    long n = 0;
    for (size_t i = 0; i < (size_t)R * per_r; i++)
        if (acc[i] * m->sc.scale_demand > 0.0)
            n++;
    d->drows = cn_calloc((size_t)n, sizeof *d->drows);
    if (!d->drows) {
        free(koff);
        free(acc);
        return CN_EOSERR;
    }
    d->ndrows = n;
    n = 0;
    for (int r = 0; r < R; r++)
        for (int k = 0; k < K; k++)
            for (long b = 0; b < d->nwin[k]; b++) {
                double D = m->sc.scale_demand * acc[(size_t)r * per_r + (size_t)(koff[k] + b)];
                if (!(D > 0.0))
                    continue;
                cn_drow *row = &d->drows[n++];
                long W = m->classes[k].window;
                row->region = r;
                row->cls = k;
                row->window = b;
                row->t0 = b * W;
                row->t1 = W >= T - row->t0 ? T : row->t0 + W;
                row->demand = D;
            }
    free(koff);
    free(acc);
    return CN_OK;
}

/* Eligible sites per demand row (section 5: route, latency, capacity).
 * Eligibility depends on (region, class) only: the sites are scanned once
 * per (region, class) and the list is shared by its windows, so the cost is
 * O(R*K*S + arcs), not O(demand rows * S). */
static int eligible(const cn_derived *d, const cn_drow *row, int s)
{
    const cn_class *k = &d->m->classes[row->cls];
    return d->has_cap[(size_t)s * d->m->ntypes + k->type] &&
           cn_route_rtt(d, row->region, s) <= k->max_rtt_ms + CN_RTT_TOL;
}

static int same_pair(const cn_drow *a, const cn_drow *b)
{
    return a->region == b->region && a->cls == b->cls;
}

static int arcs_build(const cn_model *m, cn_derived *d)
{
    int S = m->nsites;
    int64_t n = 0, per = 0;
    for (long i = 0; i < d->ndrows; i++) {
        if (i == 0 || !same_pair(&d->drows[i - 1], &d->drows[i])) {
            per = 0;
            for (int s = 0; s < S; s++)
                per += eligible(d, &d->drows[i], s);
        }
        n += per;
    }
    d->arc_site = cn_calloc((size_t)n, sizeof *d->arc_site);
    if (!d->arc_site)
        return CN_EOSERR;
    d->narcs = n;
    n = 0;
    for (long i = 0; i < d->ndrows; i++) {
        cn_drow *row = &d->drows[i];
        row->arc0 = n;
        if (i > 0 && same_pair(&d->drows[i - 1], row)) {
            const cn_drow *prev = &d->drows[i - 1];
            for (int64_t a = prev->arc0; a < prev->arc1; a++)
                d->arc_site[n++] = d->arc_site[a];
        } else {
            for (int s = 0; s < S; s++)
                if (eligible(d, row, s))
                    d->arc_site[n++] = s;
        }
        row->arc1 = n;
    }
    return CN_OK;
}

static int path_gbps_links(const cn_model *m, const cn_routes *rt, int r, int dst)
{
    int n = 0;
    for (int u = r; u != dst && u >= 0;) {
        size_t ud = (size_t)u * rt->n + dst;
        if (rt->next_link[ud] < 0)
            break;
        n += m->links[rt->next_link[ud]].has_gbps;
        u = rt->next[ud];
    }
    return n;
}

static void size_count(const cn_model *m, cn_derived *d)
{
    cn_size *z = &d->size;
    int64_t S = m->nsites, T = m->sc.periods, C = m->ntypes;
    memset(z, 0, sizeof *z);
    for (long i = 0; i < d->ndrows; i++) {
        const cn_drow *row = &d->drows[i];
        const cn_class *k = &m->classes[row->cls];
        int64_t len = row->t1 - row->t0;
        for (int64_t a = row->arc0; a < row->arc1; a++) {
            const cn_site *s = &m->sites[d->arc_site[a]];
            int64_t per = 3; /* demand, capacity, power balance */
            if (k->gbps_per_pflops > 0.0)
                per += (s->has_access_gbps ? 1 : 0) +
                       path_gbps_links(m, d->routes, row->region, s->region);
            z->nx += len;
            z->nnz += len * per;
        }
    }
    z->nu = d->ndrows;
    z->npower = 2 * S * T;
    int ycols = m->sc.expansion && !d->y_fixed; /* y columns: a MIP */
    z->ny = ycols ? m->nexps : 0;
    z->rows_demand = d->ndrows;
    int64_t capst = 0;
    for (int64_t i = 0; i < S * C; i++)
        capst += d->has_cap[i];
    z->rows_cap = capst * T;
    z->rows_power = S * T;
    z->rows_green = 0; /* constraint 5 is a column bound on pgr */
    for (int s = 0; s < m->nsites; s++) {
        z->rows_powercap += m->sites[s].has_power_cap ? T : 0;
        z->rows_access += m->sites[s].has_access_gbps ? T : 0;
    }
    for (int l = 0; l < m->nlinks; l++)
        z->rows_link += m->links[l].has_gbps ? T : 0;
    z->rows_carbon = m->sc.has_carbon_cap ? 1 : 0;
    for (int h = 0; h < m->nhubs; h++)
        z->rows_hubgreen += m->hubs[h].has_min_green ? 1 : 0;
    /* nonzeros of the other columns */
    z->nnz += z->nu;                                   /* u in its demand row */
    z->nnz += z->npower;                               /* pg, pgr in the balance */
    z->nnz += 2 * z->rows_powercap;                    /* pg, pgr in the power cap */
    z->nnz += z->rows_carbon ? S * T : 0;              /* pg in the carbon cap */
    for (int s = 0; s < m->nsites; s++)
        if (m->sites[s].hub >= 0 && m->hubs[m->sites[s].hub].has_min_green)
            z->nnz += 2 * T;                           /* pg, pgr in the hub share */
    if (ycols)
        for (int e = 0; e < m->nexps; e++)
            z->nnz += T * (1 + (m->sites[m->exps[e].site].has_power_cap ? 1 : 0));
    z->ncols = z->nx + z->nu + z->npower + z->ny;
    z->nrows = z->rows_demand + z->rows_cap + z->rows_power + z->rows_powercap +
               z->rows_green + z->rows_link + z->rows_access + z->rows_carbon + z->rows_hubgreen;
    z->mem_bytes = cn_mem_estimate(z);
}

double cn_mem_estimate(const cn_size *z)
{
    /* Calibrated against measured peaks (docs/memory.md: 86 MiB for the
     * bundled model, 727 MiB for a generated 500k-column one, monolithic):
     * the process with Open MPI, HDF5 and GLPK loaded (about 30 MiB); GLPK
     * keeps each nonzero in a doubly linked element (~56 bytes) plus copies
     * in the simplex/factorisation work space, each row and column a
     * ~200-byte record, and cnopt's own arrays and results a few doubles per
     * column. */
    double nnz = (double)z->nnz, cols = (double)z->ncols, rows = (double)z->nrows;
    return 32e6 + 190.0 * nnz + 420.0 * cols + 420.0 * rows;
}

/* The right-hand sides of constraints 2 and 4: installed capacity and the
 * power cap, plus the fixed modules when there are. */
static void rhs_set(cn_derived *d)
{
    const cn_model *m = d->m;
    memset(d->cap, 0, (size_t)m->nsites * m->ntypes * sizeof *d->cap);
    for (int i = 0; i < m->ncaps; i++)
        d->cap[(size_t)m->caps[i].site * m->ntypes + m->caps[i].type] += m->caps[i].pflops;
    for (int s = 0; s < m->nsites; s++)
        d->power_cap[s] = m->sites[s].has_power_cap ? m->sites[s].power_cap_mw : 0.0;
    for (int e = 0; d->y_fixed && e < m->nexps; e++) {
        const cn_expansion *x = &m->exps[e];
        d->cap[(size_t)x->site * m->ntypes + x->type] += x->module_pflops * d->y_fixed[e];
        if (m->sites[x->site].has_power_cap)
            d->power_cap[x->site] += x->module_mw * d->y_fixed[e];
    }
}

int cn_derived_fix_expansion(cn_derived *d, const double *y)
{
    const cn_model *m = d->m;
    if (!m->sc.expansion)
        return CN_ERR(CN_ESOFTWARE, "expansion decisions fixed in a model without expansion");
    if (!y) {
        free(d->y_fixed);
        d->y_fixed = NULL;
    } else {
        if (!d->y_fixed)
            d->y_fixed = cn_calloc((size_t)m->nexps + 1, sizeof *d->y_fixed);
        if (!d->y_fixed)
            return CN_EOSERR;
        memcpy(d->y_fixed, y, (size_t)m->nexps * sizeof *y);
    }
    rhs_set(d);
    size_count(m, d);
    return CN_OK;
}

int cn_derived_create(const cn_model *m, cn_derived **out)
{
    int rc = CN_OK;
    cn_derived *d = cn_calloc(1, sizeof *d);
    if (!d)
        return CN_EOSERR;
    d->m = m;
    size_t SC = (size_t)m->nsites * m->ntypes;
    d->nwin = cn_calloc((size_t)m->nclasses, sizeof *d->nwin);
    d->cap = cn_calloc(SC, sizeof *d->cap);
    d->has_cap = cn_calloc(SC, sizeof *d->has_cap);
    d->power_cap = cn_calloc((size_t)m->nsites + 1, sizeof *d->power_cap);
    if (!d->nwin || !d->cap || !d->has_cap || !d->power_cap) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    for (int i = 0; i < m->ncaps; i++)
        d->has_cap[(size_t)m->caps[i].site * m->ntypes + m->caps[i].type] = 1;
    if (m->sc.expansion)
        for (int e = 0; e < m->nexps; e++)
            d->has_cap[(size_t)m->exps[e].site * m->ntypes + m->exps[e].type] = 1;
    rhs_set(d);
    CN_TRY(cn_routes_create(m->nregions, m->links, m->nlinks, &d->routes));
    CN_TRY(drows_build(m, d));
    CN_TRY(arcs_build(m, d));
    size_count(m, d);
cleanup:
    if (rc != CN_OK)
        cn_derived_destroy(&d);
    *out = d;
    return rc;
}

void cn_derived_destroy(cn_derived **pd)
{
    if (!pd || !*pd)
        return;
    cn_derived *d = *pd;
    cn_routes_destroy(&d->routes);
    free(d->nwin);
    free(d->drows);
    free(d->arc_site);
    free(d->cap);
    free(d->has_cap);
    free(d->power_cap);
    free(d->y_fixed);
    free(d);
    *pd = NULL;
}

long cn_class_nwindows(const cn_model *m, int k)
{
    long T = m->sc.periods, W = m->classes[k].window > 0 ? m->classes[k].window : 1;
    return T / W + (T % W != 0);
}
