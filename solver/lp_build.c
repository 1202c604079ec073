/* solver/lp_build.c - see lp.h.  Constraint numbers: docs/model.md section 6. */
#include "lp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"

typedef struct builder {
    cn_lp *lp;
    int64_t cap_nnz;   /* allocated length of rowind/val */
    int failed;
} builder;

static void put(builder *b, int64_t row, double v)
{
    cn_lp *lp = b->lp;
    if (lp->nnz == b->cap_nnz) {
        int64_t n = b->cap_nnz * 2 + 1024;
        int32_t *ri = cn_realloc(lp->rowind, (size_t)n, sizeof *ri);
        if (ri)
            lp->rowind = ri;
        double *va = ri ? cn_realloc(lp->val, (size_t)n, sizeof *va) : NULL;
        if (!va) {
            b->failed = 1;
            lp->nnz = 0; /* keep writing in bounds; the build fails at the end */
            return;
        }
        lp->val = va;
        b->cap_nnz = n;
    }
    lp->rowind[lp->nnz] = (int32_t)row;
    lp->val[lp->nnz++] = v;
}

static void end_col(builder *b, int64_t col, double obj, double lb, double ub)
{
    cn_lp *lp = b->lp;
    lp->obj[col] = obj;
    lp->lb[col] = lb;
    lp->ub[col] = ub;
    lp->colptr[col + 1] = lp->nnz;
    lp->col_site[col] = -1;
    lp->col_t[col] = -1;
}

static void tag_col(cn_lp *lp, int64_t col, int site, int64_t t)
{
    lp->col_site[col] = site;
    lp->col_t[col] = (int32_t)t;
}

static int64_t *alloc_rowmap(size_t n)
{
    int64_t *p = cn_calloc(n, sizeof *p);
    if (p)
        for (size_t i = 0; i < n; i++)
            p[i] = -1;
    return p;
}

static void set_row(cn_lp *lp, int64_t r, int kind, double lo, double hi)
{
    lp->row_kind[r] = (char)kind;
    lp->row_lo[r] = lo;
    lp->row_hi[r] = hi;
}

/* Rows in the documented order, with their bounds. */
static void rows_lay_out(const cn_derived *d, cn_lp *lp)
{
    const cn_model *m = d->m;
    int64_t T = m->sc.periods, C = m->ntypes, r = 0;
    lp->r_demand0 = 0;
    for (long i = 0; i < d->ndrows; i++, r++)
        set_row(lp, r, CN_ROW_DEMAND, d->drows[i].demand, d->drows[i].demand);   /* (1) */
    for (int s = 0; s < m->nsites; s++)
        for (int c = 0; c < C; c++)
            if (d->has_cap[(size_t)s * C + c])
                for (int64_t t = 0; t < T; t++, r++) {                           /* (2) */
                    lp->r_cap[((size_t)s * C + c) * T + t] = r;
                    set_row(lp, r, CN_ROW_CAP, -INFINITY, d->cap[(size_t)s * C + c]);
                }
    lp->r_balance0 = r;
    for (int64_t st = 0; st < m->nsites * T; st++, r++)
        set_row(lp, r, CN_ROW_BALANCE, 0.0, 0.0);                                 /* (3) */
    for (int s = 0; s < m->nsites; s++)
        if (m->sites[s].has_power_cap)
            for (int64_t t = 0; t < T; t++, r++) {                               /* (4) */
                lp->r_powercap[s * T + t] = r;
                set_row(lp, r, CN_ROW_POWERCAP, -INFINITY, d->power_cap[s]);
            }
    for (int l = 0; l < m->nlinks; l++)
        if (m->links[l].has_gbps)
            for (int64_t t = 0; t < T; t++, r++) {                               /* (6) */
                lp->r_link[l * T + t] = r;
                set_row(lp, r, CN_ROW_LINK, -INFINITY,
                        m->links[l].gbps * m->sc.scale_bandwidth);
            }
    for (int s = 0; s < m->nsites; s++)
        if (m->sites[s].has_access_gbps)
            for (int64_t t = 0; t < T; t++, r++) {                               /* (7) */
                lp->r_access[s * T + t] = r;
                set_row(lp, r, CN_ROW_ACCESS, -INFINITY,
                        m->sites[s].access_gbps * m->sc.scale_bandwidth);
            }
    lp->r_carbon = -1;
    if (m->sc.has_carbon_cap) {                                                   /* (8) */
        lp->r_carbon = r;
        set_row(lp, r++, CN_ROW_CARBON, -INFINITY, m->sc.carbon_cap);
    }
    for (int h = 0; h < m->nhubs; h++)
        if (m->hubs[h].has_min_green) {                                           /* (9) */
            lp->r_hubgreen[h] = r;
            set_row(lp, r++, CN_ROW_HUBGREEN, 0.0, INFINITY);
        }
}

static int build(const cn_derived *d, const char *mask, const char *cells, const char *umask,
                 cn_lp **out);

int cn_lp_build(const cn_derived *d, cn_lp **out)
{
    return build(d, NULL, NULL, NULL, out);
}

int cn_lp_build_part(const cn_derived *d, const char *mask, cn_lp **out)
{
    return build(d, mask, NULL, NULL, out);
}

int cn_lp_build_cells(const cn_derived *d, const char *cells, const char *umask, cn_lp **out)
{
    return build(d, NULL, cells, umask, out);
}

/* Cell (s, t) taken: site mask and cell mask (either may be NULL: all). */
static int cell_in(const char *mask, const char *cells, int s, int64_t t, int64_t T)
{
    return (!mask || mask[s]) && (!cells || cells[(int64_t)s * T + t]);
}

/* u column of demand row i taken: all of them for the whole model. */
static int u_in(const char *mask, const char *cells, const char *umask, long i)
{
    return (!mask && !cells) || (umask && umask[i]);
}

/* Columns taken by the masks: x, u, pg, pgr, y. */
static int64_t count_cols(const cn_derived *d, const char *mask, const char *cells,
                          const char *umask)
{
    const cn_model *m = d->m;
    int64_t n = 0, T = m->sc.periods;
    for (long i = 0; i < d->ndrows; i++) {
        for (int64_t a = d->drows[i].arc0; a < d->drows[i].arc1; a++)
            if (cell_in(mask, cells, d->arc_site[a], d->drows[i].t0, T))
                n += d->drows[i].t1 - d->drows[i].t0;
        n += u_in(mask, cells, umask, i);
    }
    for (int s = 0; s < m->nsites; s++)
        for (int64_t t = 0; t < T; t++)
            n += 2 * cell_in(mask, cells, s, t, T);
    if (d->size.ny > 0 && !cells)
        for (int e = 0; e < m->nexps; e++)
            n += !mask || mask[m->exps[e].site];
    return n;
}

static int build(const cn_derived *d, const char *mask, const char *cells, const char *umask,
                 cn_lp **out)
{
    const cn_model *m = d->m;
    const cn_size *z = &d->size;
    int64_t T = m->sc.periods, C = m->ntypes, S = m->nsites;
    /* Model 1.1: every per-period cost carries w(t) * period_hours; with no
     * periods.csv w(t) = period_weight, so each coefficient is v1's to the bit */
    double ph = m->sc.period_hours;
    int rc = CN_OK;
    int64_t *path = NULL;
    cn_lp *lp = cn_calloc(1, sizeof *lp);
    if (!lp)
        return CN_EOSERR;
    lp->ncols = count_cols(d, mask, cells, umask);
    lp->full = !mask && !cells;
    lp->nrows = z->nrows;
    size_t nc = (size_t)lp->ncols, nr = (size_t)z->nrows;
    int64_t nnz0 = !lp->full ? lp->ncols * 4 + 1024 : z->nnz;
    lp->obj = cn_calloc(nc, sizeof *lp->obj);
    lp->lb = cn_calloc(nc, sizeof *lp->lb);
    lp->ub = cn_calloc(nc, sizeof *lp->ub);
    lp->is_int = cn_calloc(nc, 1);
    lp->colptr = cn_calloc(nc + 1, sizeof *lp->colptr);
    lp->rowind = cn_calloc((size_t)nnz0, sizeof *lp->rowind);
    lp->val = cn_calloc((size_t)nnz0, sizeof *lp->val);
    lp->col_site = cn_calloc(nc, sizeof *lp->col_site);
    lp->col_t = cn_calloc(nc, sizeof *lp->col_t);
    lp->row_lo = cn_calloc(nr, sizeof *lp->row_lo);
    lp->row_hi = cn_calloc(nr, sizeof *lp->row_hi);
    lp->row_kind = cn_calloc(nr, 1);
    lp->x_of_arc = cn_calloc((size_t)d->narcs, sizeof *lp->x_of_arc);
    lp->u_drow = cn_calloc((size_t)d->ndrows + 1, sizeof *lp->u_drow);
    lp->r_cap = alloc_rowmap((size_t)(S * C * T));
    lp->r_powercap = alloc_rowmap((size_t)(S * T));
    lp->r_link = alloc_rowmap((size_t)m->nlinks * T);
    lp->r_access = alloc_rowmap((size_t)(S * T));
    lp->r_hubgreen = alloc_rowmap((size_t)m->nhubs);
    path = cn_calloc((size_t)m->nregions + 1, sizeof *path);
    if (!lp->obj || !lp->lb || !lp->ub || !lp->is_int || !lp->colptr || !lp->rowind ||
        !lp->val || !lp->row_lo || !lp->row_hi || !lp->row_kind || !lp->x_of_arc ||
        !lp->r_cap || !lp->r_powercap || !lp->r_link || !lp->r_access || !lp->r_hubgreen ||
        !lp->col_site || !lp->col_t || !lp->u_drow || !path) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    rows_lay_out(d, lp);

    builder b = {lp, nnz0, 0};
    for (int64_t a = 0; a < d->narcs; a++)
        lp->x_of_arc[a] = -1;
    int64_t col = 0;
    /* x[r,s,k,t]: rows 1, 2, 3, 7, 6 */
    lp->x0 = 0;
    for (long i = 0; i < d->ndrows; i++) {
        const cn_drow *row = &d->drows[i];
        const cn_class *k = &m->classes[row->cls];
        double g = k->gbps_per_pflops;
        double mw = m->types[k->type].mw_per_pflops;
        for (int64_t a = row->arc0; a < row->arc1; a++) {
            int s = d->arc_site[a];
            if (!cell_in(mask, cells, s, row->t0, T))
                continue;
            for (int64_t t = row->t0 + 1; cells && t < row->t1; t++)
                if (!cells[(int64_t)s * T + t]) {
                    rc = CN_ERR(CN_ESOFTWARE, "the cells split the window of demand row %ld "
                                "at site %d, period %lld", i, s, (long long)t);
                    goto cleanup;
                }
            const cn_site *site = &m->sites[s];
            int npath = 0;
            size_t R = (size_t)d->routes->n;
            for (int u = row->region; u != site->region;) {
                size_t ud = (size_t)u * R + site->region;
                path[npath++] = d->routes->next_link[ud];
                u = d->routes->next[ud];
            }
            double tc = d->routes->cost[(size_t)row->region * R + site->region];
            lp->x_of_arc[a] = col;
            for (int64_t t = row->t0; t < row->t1; t++, col++) {
                double wh = cn_model_weight(m, t) * ph;
                put(&b, lp->r_demand0 + i, 1.0);
                put(&b, lp->r_cap[((size_t)s * C + k->type) * T + t], 1.0);
                put(&b, lp->r_balance0 + s * T + t, -site->pue * mw);
                if (g > 0.0) {
                    if (site->has_access_gbps)
                        put(&b, lp->r_access[s * T + t], g);
                    for (int p = 0; p < npath; p++)
                        if (m->links[path[p]].has_gbps)
                            put(&b, lp->r_link[path[p] * T + t], g);
                }
                end_col(&b, col, wh * tc * g, 0.0, INFINITY);
                tag_col(lp, col, s, t);
            }
        }
    }
    /* u[r,k,b]: row 1; w(b) is the weight of any period of the window (all equal) */
    lp->u0 = col;
    for (long i = 0; i < d->ndrows; i++) {
        if (!u_in(mask, cells, umask, i))
            continue;
        lp->u_drow[col - lp->u0] = (int32_t)i;
        put(&b, lp->r_demand0 + i, 1.0);
        double wh = cn_model_weight(m, d->drows[i].t0) * ph;
        end_col(&b, col, wh * m->classes[d->drows[i].cls].penalty, 0.0, INFINITY);
        col++;
    }
    /* Row 9 of model 1.1 weighs period t by w(t); it is scaled by
     * 1 / period_weight (any positive factor gives the same feasible set), so
     * that uniform weights give exactly v1's coefficients: f = 1.0 */
    /* pg[s,t]: rows 3, 4, 8, 9 */
    lp->pg0 = col;
    for (int s = 0; s < S; s++) {
        if (mask && !mask[s])
            continue;
        const cn_site *site = &m->sites[s];
        int h = site->hub;
        int64_t hrow = h >= 0 ? lp->r_hubgreen[h] : -1;
        for (int64_t t = 0; t < T; t++) {
            if (!cell_in(NULL, cells, s, t, T))
                continue;
            double w = cn_model_weight(m, t), wh = w * ph, f = w / m->sc.period_weight;
            put(&b, lp->r_balance0 + s * T + t, 1.0);
            if (site->has_power_cap)
                put(&b, lp->r_powercap[s * T + t], 1.0);
            if (lp->r_carbon >= 0)
                put(&b, lp->r_carbon, wh * site->grid_co2);
            if (hrow >= 0)
                put(&b, hrow, -(f * m->hubs[h].min_green_share));
            double price = site->grid_price * m->price_factor[s * T + t] * m->sc.scale_grid_price;
            end_col(&b, col, wh * (price + m->sc.carbon_price * site->grid_co2), 0.0, INFINITY);
            tag_col(lp, col++, s, t);
        }
    }
    /* pgr[s,t]: rows 3, 4, 9; bound 5 */
    lp->pgr0 = col;
    for (int s = 0; s < S; s++) {
        if (mask && !mask[s])
            continue;
        const cn_site *site = &m->sites[s];
        int h = site->hub;
        int64_t hrow = h >= 0 ? lp->r_hubgreen[h] : -1;
        for (int64_t t = 0; t < T; t++) {
            if (!cell_in(NULL, cells, s, t, T))
                continue;
            double w = cn_model_weight(m, t), wh = w * ph, f = w / m->sc.period_weight;
            put(&b, lp->r_balance0 + s * T + t, 1.0);
            if (site->has_power_cap)
                put(&b, lp->r_powercap[s * T + t], 1.0);
            if (hrow >= 0)
                put(&b, hrow, f * (1.0 - m->hubs[h].min_green_share));
            double G = site->green_cap_mw * m->green_avail[s * T + t] * m->sc.scale_green;
            end_col(&b, col, wh * site->green_price, 0.0, G);
            tag_col(lp, col++, s, t);
        }
    }
    /* y[e]: rows 2, 4 */
    lp->y0 = col;
    if (d->size.ny > 0 && !cells)
        for (int e = 0; e < m->nexps; e++) {
            const cn_expansion *x = &m->exps[e];
            if (mask && !mask[x->site])
                continue;
            for (int64_t t = 0; t < T; t++)
                put(&b, lp->r_cap[((size_t)x->site * C + x->type) * T + t], -x->module_pflops);
            if (m->sites[x->site].has_power_cap)
                for (int64_t t = 0; t < T; t++)
                    put(&b, lp->r_powercap[x->site * T + t], -x->module_mw);
            lp->is_int[col] = 1;
            end_col(&b, col, x->module_cost, 0.0, (double)x->max_modules);
            lp->col_site[col++] = x->site;
        }
    if (b.failed) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    if (col != lp->ncols || (lp->full && lp->nnz != z->nnz)) {
        rc = CN_ERR(CN_ESOFTWARE, "LP size mismatch: built %lld columns and %lld nonzeros, "
                    "counted %lld and %lld", (long long)col, (long long)lp->nnz,
                    (long long)lp->ncols, (long long)z->nnz);
        goto cleanup;
    }
cleanup:
    free(path);
    if (rc != CN_OK)
        cn_lp_destroy(&lp);
    *out = lp;
    return rc;
}

void cn_lp_destroy(cn_lp **plp)
{
    if (!plp || !*plp)
        return;
    cn_lp *lp = *plp;
    free(lp->obj); free(lp->lb); free(lp->ub); free(lp->is_int);
    free(lp->row_lo); free(lp->row_hi); free(lp->row_kind);
    free(lp->colptr); free(lp->rowind); free(lp->val);
    free(lp->col_site); free(lp->col_t);
    free(lp->x_of_arc); free(lp->u_drow); free(lp->r_cap); free(lp->r_powercap);
    free(lp->r_link); free(lp->r_access); free(lp->r_hubgreen);
    free(lp);
    *plp = NULL;
}

double cn_lp_max_violation(const cn_lp *lp, const double *x)
{
    double worst = 0.0;
    double *act = calloc((size_t)lp->nrows + 1, sizeof *act);
    if (!act)
        return INFINITY;
    for (int64_t j = 0; j < lp->ncols; j++) {
        if (x[j] < lp->lb[j] - worst)
            worst = lp->lb[j] - x[j];
        if (x[j] > lp->ub[j] + worst)
            worst = x[j] - lp->ub[j];
        for (int64_t p = lp->colptr[j]; p < lp->colptr[j + 1]; p++)
            act[lp->rowind[p]] += lp->val[p] * x[j];
    }
    for (int64_t i = 0; i < lp->nrows; i++) {
        if (act[i] < lp->row_lo[i] - worst)
            worst = lp->row_lo[i] - act[i];
        if (act[i] > lp->row_hi[i] + worst)
            worst = act[i] - lp->row_hi[i];
    }
    free(act);
    return worst;
}
