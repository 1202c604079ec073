/* io/aggregate.c - see aggregate.h; the method is described in docs/time.md. */
#include "aggregate.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/err.h"
#include "../core/cluster.h"
#include "csv_table.h"
#include "outdir.h"
#include "parse_util.h"

#define H CN_AGG_HOURS

/* The files of an aggregated model directory (io/outdir.h). */
static const char *const FILES[] = {"types.csv",      "regions.csv",  "hubs.csv",
                                    "sites.csv",      "capacity.csv", "links.csv",
                                    "classes.csv",    "demand.csv",   "profiles.csv",
                                    "expansions.csv", "periods.csv",  "scenario.yaml"};
enum { F_TYPES, F_REGIONS, F_HUBS, F_SITES, F_CAPACITY, F_LINKS, F_CLASSES, F_DEMAND,
       F_PROFILES, F_EXPANSIONS, F_PERIODS, F_SCENARIO, NFILES };

/* Report the window field of class k at its place in classes.csv. */
static int window_diag(const cn_model *m, int k, const char *path)
{
    int rc = CN_OK;
    cn_csv *t = NULL;
    const cn_csv_row *row = NULL;
    long line = 0, col = 0;
    int wcol = -1, i = -1;
    rc = cn_csv_open(path, 0, &t);
    if (rc == CN_OK) {
        while (cn_csv_next(t, &row) == CN_OK && row) {
            if (wcol < 0) {
                for (int f = 0; f < row->nfields; f++)
                    if (strcmp(row->field[f], "window") == 0)
                        wcol = f;
                if (wcol < 0)
                    break;
            } else if (++i == k) {
                if (wcol < row->nfields) {
                    line = row->fline[wcol];
                    col = wcol + 1;
                }
                break;
            }
        }
    }
    cn_csv_close(&t);
    cn_diag_add(path, line, col,
                "window %ld of class '%s' does not divide %d: a representative day must hold "
                "whole demand windows",
                m->classes[k].window, m->classes[k].id, H);
    return rc == CN_EOSERR ? CN_EOSERR : CN_OK;
}

int cn_aggregate_check(const cn_model *m)
{
    int rc = CN_OK, bad = 0;
    char *path = NULL;
    if (m->sc.periods % H != 0) {
        cn_diag_add(m->sc.path ? m->sc.path : "scenario", 0, 0,
                    "periods %ld is not a whole number of days (a multiple of %d): representative "
                    "days need whole days",
                    m->sc.periods, H);
        bad = 1;
    }
    for (int k = 0; k < m->nclasses; k++) {
        if (H % m->classes[k].window == 0)
            continue;
        if (!path && !(path = cn_path_join(m->sc.model_dir, "classes.csv")))
            return CN_EOSERR;
        CN_TRY(window_diag(m, k, path));
        bad = 1;
    }
    if (bad)
        rc = CN_EDATA;
cleanup:
    free(path);
    return rc;
}

void cn_agg_result_free(cn_agg_result *r)
{
    if (!r)
        return;
    free(r->medoid);
    free(r->weight);
    free(r->assign);
    r->medoid = r->assign = NULL;
    r->weight = NULL;
}

/* ------------------------------------------------------------------ */
/* Writing.                                                            */

static int file_copy(const char *from, const char *dir, const char *name)
{
    int rc = CN_OK;
    FILE *in = fopen(from, "rb"), *out = NULL;
    char buf[1 << 16];
    if (!in)
        return CN_ERR(CN_ENOINPUT, "cannot read '%s': %s", from, strerror(errno));
    CN_TRY(cn_table_open(dir, name, &out));
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, n, out);
    if (ferror(in)) {
        rc = CN_ERR(CN_ENOINPUT, "cannot read '%s': %s", from, strerror(errno));
        goto cleanup;
    }
    CN_TRY(cn_table_close(dir, name, &out));
cleanup:
    if (out)
        fclose(out);
    fclose(in);
    return rc;
}

/* "0-3,5,9-10": the source days that representative day c stands for */
static void days_print(FILE *fp, const int *assign, int n, int c)
{
    int first = 1;
    for (int d = 0; d < n; d++) {
        if (assign[d] != c)
            continue;
        int e = d;
        while (e + 1 < n && assign[e + 1] == c)
            e++;
        fprintf(fp, first ? "%d" : ",%d", d);
        if (e > d)
            fprintf(fp, "-%d", e);
        first = 0;
        d = e;
    }
}

static int scenario_write(const cn_model *m, const cn_agg_opts *o, const cn_agg_result *r,
                          const char *dir)
{
    int rc = CN_OK;
    FILE *fp = NULL;
    const cn_scenario *sc = &m->sc;
    const char *meth = o->method == CN_CLUSTER_HIERARCHICAL ? "hierarchical" : "kmedoids";
    char suffix[64];
    snprintf(suffix, sizeof suffix, "-rep%d-%s", r->k, meth);
    int keep = (int)strlen(sc->name);
    if (keep + (int)strlen(suffix) > CN_ID_MAX)
        keep = CN_ID_MAX - (int)strlen(suffix);
    CN_TRY(cn_table_open(dir, "scenario.yaml", &fp));
    fprintf(fp,
            "# cnopt aggregate %s --days %d --method %s (docs/time.md)\n"
            "# %d representative days of scenario %s (%ld periods = %d days); each day's\n"
            "# 24 periods weigh the sum of the weights of the days it stands for:\n",
            o->source ? o->source : sc->name, r->k, meth, r->k, sc->name, sc->periods, r->ndays);
    for (int c = 0; c < r->k; c++) {
        fprintf(fp, "#   day %d (periods %d-%d) = source day %d (periods %ld-%ld), weight ", c,
                c * H, c * H + H - 1, r->medoid[c], (long)r->medoid[c] * H,
                (long)r->medoid[c] * H + H - 1);
        cn_write_double(fp, r->weight[c]);
        fputs(", for days ", fp);
        days_print(fp, r->assign, r->ndays, c);
        fputc('\n', fp);
    }
    fprintf(fp, "name: %.*s%s\n", keep, sc->name, suffix);
    fprintf(fp,
            "description: \"%d representative days (%s) of %.*s, weighted to its horizon\"\n"
            "model: .\n"
            "periods: %d\n"
            "period_hours: ",
            r->k, meth, keep, sc->name, r->k * H);
    cn_write_double(fp, sc->period_hours);
    fputs("\nperiod_weight: ", fp);
    cn_write_double(fp, sc->period_weight);
    fputs("\ncarbon_price: ", fp);
    cn_write_double(fp, sc->carbon_price);
    fputs("\ncarbon_cap: ", fp);
    if (sc->has_carbon_cap)
        cn_write_double(fp, sc->carbon_cap);
    else
        fputs("null", fp);
    fprintf(fp, "\nexpansion: %s\nscale:\n  demand: ", sc->expansion ? "true" : "false");
    cn_write_double(fp, sc->scale_demand);
    fputs("\n  bandwidth: ", fp);
    cn_write_double(fp, sc->scale_bandwidth);
    fputs("\n  green: ", fp);
    cn_write_double(fp, sc->scale_green);
    fputs("\n  grid_price: ", fp);
    cn_write_double(fp, sc->scale_grid_price);
    fputc('\n', fp);
    CN_TRY(cn_table_close(dir, "scenario.yaml", &fp));
cleanup:
    if (fp)
        fclose(fp);
    return rc;
}

/* pos[d]: representative index of source day d when it is a medoid, else -1 */
static int tables_write(const cn_model *m, const cn_agg_opts *o, const cn_agg_result *r,
                        const int *pos, const unsigned char *written, const char *dir)
{
    int rc = CN_OK;
    FILE *fp = NULL;
    char *src = NULL;
    const long T = m->sc.periods;
    for (int f = 0; f < NFILES; f++) {
        if (!written[f] || f == F_DEMAND || f == F_PROFILES || f == F_PERIODS || f == F_SCENARIO)
            continue;
        if (!(src = cn_path_join(m->sc.model_dir, FILES[f]))) {
            rc = CN_EOSERR;
            goto cleanup;
        }
        CN_TRY(file_copy(src, dir, FILES[f]));
        free(src);
        src = NULL;
    }

    /* demand: the medoids' rows in file order, values as they are */
    CN_TRY(cn_table_open(dir, "demand.csv", &fp));
    fputs("region,class,period,pflops\n", fp);
    for (long i = 0; i < m->ndemand; i++) {
        const cn_demand *d = &m->demand[i];
        int c = pos[d->period / H];
        if (c < 0)
            continue;
        fprintf(fp, "%s,%s,%ld,", m->regions[d->region].id, m->classes[d->cls].id,
                (long)c * H + d->period % H);
        cn_write_double(fp, d->pflops);
        fputc('\n', fp);
    }
    CN_TRY(cn_table_close(dir, "demand.csv", &fp));

    if (written[F_PROFILES]) {
        CN_TRY(cn_table_open(dir, "profiles.csv", &fp));
        fputs("site,period,green_avail,price_factor\n", fp);
        for (int s = 0; s < m->nsites; s++)
            for (int c = 0; c < r->k; c++)
                for (int h = 0; h < H; h++) {
                    size_t t = (size_t)s * T + (size_t)r->medoid[c] * H + h;
                    fprintf(fp, "%s,%d,", m->sites[s].id, c * H + h);
                    cn_write_double(fp, m->green_avail[t]);
                    fputc(',', fp);
                    cn_write_double(fp, m->price_factor[t]);
                    fputc('\n', fp);
                }
        CN_TRY(cn_table_close(dir, "profiles.csv", &fp));
    }

    CN_TRY(cn_table_open(dir, "periods.csv", &fp));
    fputs("period,weight\n", fp);
    for (int c = 0; c < r->k; c++)
        for (int h = 0; h < H; h++) {
            fprintf(fp, "%d,", c * H + h);
            cn_write_double(fp, r->weight[c]);
            fputc('\n', fp);
        }
    CN_TRY(cn_table_close(dir, "periods.csv", &fp));

    CN_TRY(scenario_write(m, o, r, dir));
cleanup:
    if (fp)
        fclose(fp);
    free(src);
    return rc;
}

/* 1 when the source file exists (an optional table) */
static int source_has(const cn_model *m, const char *name, int *has)
{
    char *p = cn_path_join(m->sc.model_dir, name);
    if (!p)
        return CN_EOSERR;
    struct stat st;
    *has = stat(p, &st) == 0;
    free(p);
    return CN_OK;
}

/* DIR is the source model directory (writing would replace what is read) */
static int same_dir(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* ------------------------------------------------------------------ */

int cn_aggregate(const cn_model *m, const cn_agg_opts *o, const char *dir, cn_agg_result *res)
{
    int rc = CN_OK;
    cn_agg_result r;
    memset(&r, 0, sizeof r);
    double *x = NULL, *xs = NULL, *dw = NULL, *ws = NULL;
    int *idx = NULL, *asg = NULL, *med = NULL, *pos = NULL;
    cn_outdir od;
    memset(&od, 0, sizeof od);
    const long T = m->sc.periods;
    int n = 0, dim = 0, np = 0;

    CN_TRY(cn_cluster_day_features(m, &x, &n, &dim, r.nseries));
    dw = cn_calloc((size_t)n, sizeof *dw);
    ws = cn_calloc((size_t)n, sizeof *ws);
    idx = cn_calloc((size_t)n, sizeof *idx);
    pos = cn_calloc((size_t)n, sizeof *pos);
    r.assign = cn_calloc((size_t)n, sizeof *r.assign);
    if (!dw || !ws || !idx || !pos || !r.assign) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    /* the weight of a day: its periods' common weight, or their mean when
     * they differ (windows shorter than a day may carry different weights);
     * 24 times the sum over the days is the horizon's sum of w(t) */
    for (int d = 0; d < n; d++) {
        double w0 = cn_model_weight(m, (long)d * H), sum = 0;
        int same = 1;
        for (int h = 0; h < H; h++) {
            double w = cn_model_weight(m, (long)d * H + h);
            sum += w;
            same &= w == w0;
            r.horizon_full += w;
        }
        dw[d] = same ? w0 : sum / H;
        if (dw[d] > 0)
            idx[np++] = d;
        r.assign[d] = -1;
        pos[d] = -1;
    }
    if (o->days < 1 || o->days > np) {
        rc = CN_ERR(CN_EUSAGE,
                    "--days %d: expected 1..%d (the horizon has %d days%s)", o->days, np, n,
                    np < n ? " of which some weigh 0" : "");
        goto cleanup;
    }
    const int k = o->days;
    /* cluster the days that weigh something (all of them, as a rule) */
    xs = cn_calloc((size_t)np * (dim > 0 ? (size_t)dim : 1), sizeof *xs);
    asg = cn_calloc((size_t)np, sizeof *asg);
    med = cn_calloc((size_t)k, sizeof *med);
    r.medoid = cn_calloc((size_t)k, sizeof *r.medoid);
    r.weight = cn_calloc((size_t)k, sizeof *r.weight);
    if (!xs || !asg || !med || !r.medoid || !r.weight) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    for (int i = 0; i < np; i++) {
        memcpy(xs + (size_t)i * dim, x + (size_t)idx[i] * dim, (size_t)dim * sizeof *x);
        ws[i] = dw[idx[i]];
    }
    CN_TRY(cn_cluster(xs, np, dim, ws, k, o->method, asg, med, r.weight, NULL));
    r.ndays = n;
    r.k = k;
    for (int c = 0; c < k; c++) {
        r.medoid[c] = idx[med[c]];
        pos[r.medoid[c]] = c;
    }
    for (int i = 0; i < np; i++)
        r.assign[idx[i]] = asg[i];

    /* how well the days represent the horizon */
    {
        int g0 = H * r.nseries[0], g1 = g0 + H * r.nseries[1];
        double ss[3] = {0, 0, 0}, wsum = 0;
        for (int i = 0; i < np; i++) {
            const double *a = xs + (size_t)i * dim, *b = xs + (size_t)med[asg[i]] * dim;
            for (int j = 0; j < dim; j++) {
                double e = a[j] - b[j];
                ss[j < g0 ? 0 : (j < g1 ? 1 : 2)] += ws[i] * e * e;
            }
            wsum += ws[i];
        }
        /* a value of group g is scaled by 1/sqrt(g's series) (core/cluster.h), so
         * ss / (24 * wsum) is the mean square error of one normalised value */
        for (int g = 0; g < 3; g++)
            r.rmse[g] = r.nseries[g] > 0 ? sqrt(ss[g] / (H * wsum)) : 0;
        for (int c = 0; c < k; c++)
            r.horizon_agg += H * r.weight[c];
        for (long i = 0; i < m->ndemand; i++) {
            const cn_demand *d = &m->demand[i];
            r.demand_full += cn_model_weight(m, d->period) * d->pflops;
            int c = pos[d->period / H];
            if (c >= 0)
                r.demand_agg += r.weight[c] * d->pflops;
        }
        for (int s = 0; s < m->nsites; s++) {
            double g = m->sites[s].green_cap_mw * m->sc.scale_green * m->sc.period_hours;
            for (long t = 0; t < T; t++) {
                size_t st = (size_t)s * T + t;
                double w = cn_model_weight(m, t);
                r.green_full += w * g * m->green_avail[st];
                r.price_full += w * m->price_factor[st];
                int c = pos[t / H];
                if (c >= 0) {
                    r.green_agg += r.weight[c] * g * m->green_avail[st];
                    r.price_agg += r.weight[c] * m->price_factor[st];
                }
            }
        }
        if (m->nsites > 0 && r.horizon_full > 0) {
            r.price_full /= m->nsites * r.horizon_full;
            r.price_agg /= m->nsites * r.horizon_agg;
        }
    }

    /* write */
    if (same_dir(dir, m->sc.model_dir)) {
        rc = CN_ERR(CN_EUSAGE, "output directory '%s' is the model directory being read", dir);
        goto cleanup;
    }
    unsigned char written[NFILES];
    memset(written, 1, sizeof written);
    int has = 0;
    CN_TRY(source_has(m, "profiles.csv", &has));
    written[F_PROFILES] = (unsigned char)has;
    CN_TRY(source_has(m, "expansions.csv", &has));
    written[F_EXPANSIONS] = (unsigned char)has;
    CN_TRY(cn_outdir_open(&od, dir, o->force));
    CN_TRY(tables_write(m, o, &r, pos, written, od.tmp));
    CN_TRY(cn_outdir_commit(&od, FILES, written, NFILES));

    *res = r;
    memset(&r, 0, sizeof r);
cleanup:
    cn_outdir_cleanup(&od, FILES, NFILES);
    cn_agg_result_free(&r);
    free(x);
    free(xs);
    free(dw);
    free(ws);
    free(idx);
    free(asg);
    free(med);
    free(pos);
    return rc;
}
