/* solver/lp_names.c - readable column and row names for exported models. */
#include <stdio.h>

#include "lp.h"

/* Index of the last element of a[0..n) that is <= key (a ascending). */
static int64_t upper_index(const int64_t *a, int64_t n, int64_t key)
{
    int64_t lo = 0, hi = n - 1;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo + 1) / 2;
        if (a[mid] <= key)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

static long drow_of_arc(const cn_derived *d, int64_t arc)
{
    long lo = 0, hi = d->ndrows - 1;
    while (lo < hi) {
        long mid = lo + (hi - lo + 1) / 2;
        if (d->drows[mid].arc0 <= arc)
            lo = mid;
        else
            hi = mid - 1;
    }
    /* skip empty rows that share arc0 */
    while (lo < d->ndrows - 1 && d->drows[lo].arc1 <= arc)
        lo++;
    return lo;
}

void cn_lp_col_name(const cn_derived *d, const cn_lp *lp, int64_t j, char *buf, size_t n)
{
    const cn_model *m = d->m;
    int64_t T = m->sc.periods;
    if (j < lp->u0) {
        int64_t a = upper_index(lp->x_of_arc, d->narcs, j);
        long i = drow_of_arc(d, a);
        const cn_drow *row = &d->drows[i];
        snprintf(buf, n, "x(%s,%s,%s,%lld)", m->regions[row->region].id,
                 m->sites[d->arc_site[a]].id, m->classes[row->cls].id,
                 (long long)(row->t0 + (j - lp->x_of_arc[a])));
    } else if (j < lp->pg0) {
        const cn_drow *row = &d->drows[j - lp->u0];
        snprintf(buf, n, "u(%s,%s,%ld)", m->regions[row->region].id, m->classes[row->cls].id,
                 row->window);
    } else if (j < lp->pgr0) {
        int64_t st = j - lp->pg0;
        snprintf(buf, n, "pg(%s,%lld)", m->sites[st / T].id, (long long)(st % T));
    } else if (j < lp->y0) {
        int64_t st = j - lp->pgr0;
        snprintf(buf, n, "pgr(%s,%lld)", m->sites[st / T].id, (long long)(st % T));
    } else {
        const cn_expansion *e = &m->exps[j - lp->y0];
        snprintf(buf, n, "y(%s,%s)", m->sites[e->site].id, m->types[e->type].id);
    }
}

void cn_lp_row_names(const cn_derived *d, const cn_lp *lp,
                     void (*fn)(void *ctx, int64_t row, const char *name), void *ctx)
{
    const cn_model *m = d->m;
    int64_t T = m->sc.periods, C = m->ntypes;
    char buf[512];
    for (long i = 0; i < d->ndrows; i++) {
        const cn_drow *row = &d->drows[i];
        snprintf(buf, sizeof buf, "demand(%s,%s,%ld)", m->regions[row->region].id,
                 m->classes[row->cls].id, row->window);
        fn(ctx, lp->r_demand0 + i, buf);
    }
    for (int64_t s = 0; s < m->nsites; s++)
        for (int64_t t = 0; t < T; t++) {
            const char *sid = m->sites[s].id;
            for (int64_t c = 0; c < C; c++)
                if (lp->r_cap[(s * C + c) * T + t] >= 0) {
                    snprintf(buf, sizeof buf, "cap(%s,%s,%lld)", sid, m->types[c].id,
                             (long long)t);
                    fn(ctx, lp->r_cap[(s * C + c) * T + t], buf);
                }
            snprintf(buf, sizeof buf, "balance(%s,%lld)", sid, (long long)t);
            fn(ctx, lp->r_balance0 + s * T + t, buf);
            if (lp->r_powercap[s * T + t] >= 0) {
                snprintf(buf, sizeof buf, "powercap(%s,%lld)", sid, (long long)t);
                fn(ctx, lp->r_powercap[s * T + t], buf);
            }
            if (lp->r_access[s * T + t] >= 0) {
                snprintf(buf, sizeof buf, "access(%s,%lld)", sid, (long long)t);
                fn(ctx, lp->r_access[s * T + t], buf);
            }
        }
    for (int64_t l = 0; l < m->nlinks; l++)
        for (int64_t t = 0; t < T; t++)
            if (lp->r_link[l * T + t] >= 0) {
                snprintf(buf, sizeof buf, "link(%s-%s,%lld)", m->regions[m->links[l].from].id,
                         m->regions[m->links[l].to].id, (long long)t);
                fn(ctx, lp->r_link[l * T + t], buf);
            }
    if (lp->r_carbon >= 0)
        fn(ctx, lp->r_carbon, "carbon");
    for (int h = 0; h < m->nhubs; h++)
        if (lp->r_hubgreen[h] >= 0) {
            snprintf(buf, sizeof buf, "hubgreen(%s)", m->hubs[h].id);
            fn(ctx, lp->r_hubgreen[h], buf);
        }
}
