/* io/h5read.c - see h5read.h.  Reads schema 1.x and 2.x files (docs/hdf5-schema.md):
 * 2.0 changed the string type (fixed- to variable-length) and added
 * coordinates in every group; everything read here is in both.  Every read
 * goes through io/h5check.h: kind, shape and size are checked before the
 * data is read, indices and values after (docs/robustness.md). */
#include "h5read.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../core/model.h"
#include "h5check.h"

static const char *const part_name[CN_H5_NPARTS] = {
    "energy", "carbon", "green", "transfer", "unserved", "expansion"};

const char *cn_h5_part_name(int i)
{
    return i >= 0 && i < CN_H5_NPARTS ? part_name[i] : "?";
}

typedef cn_h5in rd;

/* ------------------------------------------------------------ attributes */

/* The attribute's value, or dflt when it is absent; *rc is set to the error
 * (and dflt returned) when it is present but not a scalar of the right kind.
 * Nothing is read once *rc is an error. */
static double attr_f64_or(rd *f, const char *obj, const char *name, double dflt, int *rc)
{
    double v = dflt;
    if (*rc == CN_OK) {
        int got = cn_h5in_attr_f64(f, obj, name, &v);
        if (got != CN_OK && got != CN_H5IN_ABSENT)
            *rc = got;
        if (got != CN_OK)
            v = dflt;
    }
    return v;
}

static long long attr_i64_or(rd *f, const char *obj, const char *name, long long lo, long long hi,
                             long long dflt, int *rc)
{
    int64_t v = dflt;
    if (*rc == CN_OK) {
        int got = cn_h5in_attr_i64(f, obj, name, lo, hi, &v);
        if (got != CN_OK && got != CN_H5IN_ABSENT)
            *rc = got;
        if (got != CN_OK)
            v = dflt;
    }
    return (long long)v;
}

static void attr_str_or(rd *f, const char *obj, const char *name, char *buf, size_t n, int *rc)
{
    buf[0] = '\0';
    if (*rc == CN_OK) {
        int got = cn_h5in_attr_str(f, obj, name, buf, n);
        if (got != CN_OK && got != CN_H5IN_ABSENT)
            *rc = got;
    }
}

static char *attr_dup(rd *f, const char *obj, const char *name, int *rc)
{
    char buf[1024];
    attr_str_or(f, obj, name, buf, sizeof buf, rc);
    char *s = *rc == CN_OK ? cn_strdup(buf) : NULL;
    if (*rc == CN_OK && !s)
        *rc = CN_EOSERR;
    return s;
}

/* -------------------------------------------------------------- datasets */

/* The length of the 1-D dataset obj (a coordinate); -1 with the error in *rc. */
static long long coord_len(rd *f, const char *obj, int *rc)
{
    cn_h5in_shape sh;
    if (*rc != CN_OK)
        return -1;
    if ((*rc = cn_h5in_shape_of(f, obj, &sh)) != CN_OK)
        return -1;
    /* INT32_MAX: the indices into it are int32 (docs/hdf5-schema.md, Types) */
    if (sh.rank != 1 || sh.dims[0] > INT32_MAX) {
        *rc = CN_ERR(CN_EDATA, "%s: dataset %s: expected a 1-D coordinate of at most %d elements, "
                     "found %d dimensions (%llu elements)", f->path, obj, INT32_MAX, sh.rank,
                     (unsigned long long)sh.n);
        return -1;
    }
    return (long long)sh.dims[0];
}

/* Reals of shape rank x dims (long long dims), finite when finite. */
static int read_f64(rd *f, const char *obj, int rank, const long long *dims, int finite, double **out)
{
    uint64_t d[CN_H5IN_MAXRANK];
    for (int j = 0; j < rank; j++)
        d[j] = (uint64_t)dims[j];
    return cn_h5in_read_f64(f, obj, rank, d, finite ? CN_H5IN_FINITE : 0, out, NULL);
}

static int read_f64_1(rd *f, const char *obj, long long n, int finite, double **out)
{
    return read_f64(f, obj, 1, &n, finite, out);
}

/* A 1-D integer dataset of n elements, each within lo..hi (both within int32). */
static int read_idx(rd *f, const char *obj, long long n, long long lo, long long hi, int32_t **out)
{
    uint64_t d = (uint64_t)n;
    int64_t *v = NULL;
    *out = NULL;
    int rc = cn_h5in_read_i64(f, obj, 1, &d, lo, hi, &v, NULL);
    if (rc != CN_OK)
        return rc;
    int32_t *w = cn_calloc(n ? (size_t)n : 1, sizeof *w);
    if (!w) {
        free(v);
        return CN_EOSERR;
    }
    for (long long i = 0; i < n; i++)
        w[i] = (int32_t)v[i];
    free(v);
    *out = w;
    return CN_OK;
}

/* A scalar real (NaN allowed: "not given"); nothing is read once *rc is an error. */
static double read_scalar(rd *f, const char *obj, int *rc)
{
    double *v = NULL, x = NAN;
    if (*rc == CN_OK && (*rc = cn_h5in_read_f64(f, obj, 0, NULL, 0, &v, NULL)) == CN_OK)
        x = v[0];
    free(v);
    return x;
}

static void free_strs(char **s, size_t n)
{
    cn_h5in_free_strs(s, n);
}

/* A 1-D string dataset of n elements. */
static int read_strs(rd *f, const char *obj, long long n, char ***out)
{
    uint64_t d = (uint64_t)n;
    return cn_h5in_read_strs(f, obj, 1, &d, out, NULL);
}

/* ------------------------------------------------------- shadow prices */

typedef struct cand {
    int kind;
    double value;
    long i, j, t;
} cand;

typedef struct topn {
    cand c[CN_H5_TOP_PRICES];
    int n;
} topn;

static void top_add(topn *tp, int kind, double v, long i, long j, long t)
{
    if (!(fabs(v) > 1e-9))       /* also drops NaN */
        return;
    int pos = tp->n;
    while (pos > 0 && fabs(tp->c[pos - 1].value) < fabs(v))
        pos--;
    if (pos >= CN_H5_TOP_PRICES)
        return;
    int last = tp->n < CN_H5_TOP_PRICES ? tp->n : CN_H5_TOP_PRICES - 1;
    memmove(&tp->c[pos + 1], &tp->c[pos], (size_t)(last - pos) * sizeof tp->c[0]);
    tp->c[pos] = (cand){kind, v, i, j, t};
    if (tp->n < CN_H5_TOP_PRICES)
        tp->n++;
}

static void fmt_yuan(char *buf, size_t n, double v)
{
    double a = fabs(v);
    snprintf(buf, n, a >= 100 ? "%.0f" : "%.3g", a);   /* 52100, 521, 52.1, 5.21, 0.0521 */
}

typedef struct names {
    char **region, **site, **type, **hub;
    int32_t *link_from, *link_to;
    double period_hours;
} names;

static void when(char *buf, size_t n, const names *nm, long t)
{
    snprintf(buf, n, "%s %ld", nm->period_hours == 1.0 ? "hour" : "period", t);
}

static void describe(cn_h5_price *p, const cand *c, const names *nm)
{
    char y[64], t[48];
    const char *verb = c->value < 0 ? "would save" : "would cost";
    fmt_yuan(y, sizeof y, c->value);
    when(t, sizeof t, nm, c->t);
    p->kind = c->kind;
    p->value = c->value;
    switch (c->kind) {
    case CN_PRICE_CAPACITY:
        p->units = "yuan/(PFLOPS*period)";
        snprintf(p->what, sizeof p->what, "capacity %s at site %s, %s", nm->type[c->j], nm->site[c->i], t);
        snprintf(p->meaning, sizeof p->meaning, "1 more PFLOPS of %s at site %s in %s %s %s yuan",
                 nm->type[c->j], nm->site[c->i], t, verb, y);
        break;
    case CN_PRICE_LINK:
        p->units = "yuan/(Gbps*period)";
        snprintf(p->what, sizeof p->what, "link %s-%s, %s", nm->region[nm->link_from[c->i]],
                 nm->region[nm->link_to[c->i]], t);
        snprintf(p->meaning, sizeof p->meaning, "1 more Gbps on link %s-%s in %s %s %s yuan",
                 nm->region[nm->link_from[c->i]], nm->region[nm->link_to[c->i]], t, verb, y);
        break;
    case CN_PRICE_ACCESS:
        p->units = "yuan/(Gbps*period)";
        snprintf(p->what, sizeof p->what, "access of site %s, %s", nm->site[c->i], t);
        snprintf(p->meaning, sizeof p->meaning,
                 "1 more Gbps of access bandwidth at site %s in %s %s %s yuan", nm->site[c->i], t, verb, y);
        break;
    case CN_PRICE_GREEN:
        p->units = "yuan/(MW*period)";
        snprintf(p->what, sizeof p->what, "green power at site %s, %s", nm->site[c->i], t);
        snprintf(p->meaning, sizeof p->meaning,
                 "1 more MW of green power available at site %s in %s %s %s yuan", nm->site[c->i], t, verb, y);
        break;
    case CN_PRICE_POWER_CAP:
        p->units = "yuan/(MW*period)";
        snprintf(p->what, sizeof p->what, "power cap of site %s, %s", nm->site[c->i], t);
        snprintf(p->meaning, sizeof p->meaning, "1 more MW of power cap at site %s in %s %s %s yuan",
                 nm->site[c->i], t, verb, y);
        break;
    case CN_PRICE_CARBON:
        p->units = "yuan/tCO2";
        snprintf(p->what, sizeof p->what, "carbon cap");
        snprintf(p->meaning, sizeof p->meaning, "allowing 1 more tCO2 under the carbon cap %s %s yuan", verb, y);
        break;
    default:
        p->units = "yuan/(MW*period)";
        snprintf(p->what, sizeof p->what, "green share of hub %s", nm->hub[c->i]);
        if (c->value > 0)
            snprintf(p->meaning, sizeof p->meaning,
                     "hub %s's green-share rule costs %s yuan per MW-period of green surplus required "
                     "(relaxing it by 1 MW-period would save about as much)", nm->hub[c->i], y);
        else
            snprintf(p->meaning, sizeof p->meaning,
                     "requiring 1 more MW-period of green surplus at hub %s would save %s yuan",
                     nm->hub[c->i], y);
        break;
    }
}

/* ----------------------------------------------------------- the summary */

void cn_h5_summary_destroy(cn_h5_summary **ps)
{
    if (!ps || !*ps)
        return;
    cn_h5_summary *s = *ps;
    for (int i = 0; s->classes && i < s->nclasses; i++)
        free(s->classes[i].id);
    for (int i = 0; s->hubs && i < s->nhubs; i++) {
        free(s->hubs[i].id);
        free(s->hubs[i].name);
    }
    for (int i = 0; s->invest && i < s->nexps; i++) {
        free(s->invest[i].site);
        free(s->invest[i].type);
    }
    free(s->invest);
    free(s->classes);
    free(s->hubs);
    free(s->scenario);
    free(s->cnopt_version);
    free(s->created_utc);
    free(s);
    *ps = NULL;
}


/* Open a result file and check that it is one: schema_version of a major
 * read here, complete = 1. */
static int open_checked(const char *path, rd *f)
{
    int rc = cn_h5in_open(path, f);
    if (rc != CN_OK)
        return rc;
    char ver[64];
    int got = cn_h5in_attr_str(f, "/", "schema_version", ver, sizeof ver);
    if (got == CN_H5IN_ABSENT)
        return CN_ERR(CN_EDATA, "%s is not a cnopt result file (no schema_version attribute)", path);
    if (got != CN_OK)
        return got;
    long major = isdigit((unsigned char)ver[0]) ? strtol(ver, NULL, 10) : -1;
    if (major < CN_H5_SCHEMA_MAJOR_MIN || major > CN_H5_SCHEMA_MAJOR_MAX)
        return CN_ERR(CN_EDATA, "%s has schema_version %s; this cnopt reads 1.x and 2.x", path, ver);
    int64_t complete = 0;
    got = cn_h5in_attr_i64(f, "/", "complete", INT64_MIN, INT64_MAX, &complete);
    if (got != CN_OK && got != CN_H5IN_ABSENT)
        return got;
    if (got == CN_H5IN_ABSENT || complete != 1)
        return CN_ERR(CN_EDATA, "%s: incomplete result file (no complete = 1: the writer did not finish)", path);
    return CN_OK;
}

int cn_h5_read_summary(const char *path, cn_h5_summary **out)
{
    int rc = CN_OK;
    rd f;
    cn_h5_summary *s = NULL;
    names nm;
    memset(&nm, 0, sizeof nm);
    char **classes = NULL, **hubnames = NULL;
    int32_t *u_class = NULL, *x_region = NULL, *x_site = NULL, *region_zone = NULL, *site_hub = NULL;
    int32_t *hub_zone = NULL, *e_site = NULL, *e_type = NULL;
    double *u_dem = NULL, *u_uns = NULL, *x_pf = NULL, *load = NULL, *cap = NULL, *mod_pf = NULL, *y = NULL;
    double *dual = NULL, *cap_dual = NULL, *pc_dual = NULL, *mod_mw = NULL, *mod_cost = NULL;
    double *max_mod = NULL, *pcap = NULL;
    int32_t *max_mod_i = NULL;
    long long *hub_first = NULL, *hub_site = NULL;
    long long R = 0, H = 0, S = 0, C = 0, K = 0, T = 0, L = 0, E = 0, NX = 0, NU = 0;

    CN_TRY(open_checked(path, &f));
    if (!(s = cn_calloc(1, sizeof *s))) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    /* sizes */
    struct { const char *p; long long *n; } dims[] = {
        {"/region", &R}, {"/hub", &H}, {"/site", &S}, {"/type", &C}, {"/class", &K},
        {"/period", &T}, {"/link", &L}, {"/expansion", &E}, {"/placement", &NX}, {"/demand_row", &NU}};
    for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++)
        *dims[i].n = coord_len(&f, dims[i].p, &rc);
    if (rc != CN_OK)
        goto cleanup;
    /* scalars and attributes */
    attr_str_or(&f, "/", "schema_version", s->schema_version, sizeof s->schema_version, &rc);
    attr_str_or(&f, "/", "status", s->status, sizeof s->status, &rc);
    attr_str_or(&f, "/solver", "method", s->method, sizeof s->method, &rc);
    s->scenario = attr_dup(&f, "/provenance/scenario", "name", &rc);
    s->cnopt_version = attr_dup(&f, "/provenance", "cnopt_version", &rc);
    s->created_utc = attr_dup(&f, "/provenance", "created_utc", &rc);
    s->objective = attr_f64_or(&f, "/", "objective", NAN, &rc);
    s->bound = attr_f64_or(&f, "/", "bound", NAN, &rc);
    s->gap = attr_f64_or(&f, "/", "gap", NAN, &rc);
    s->is_mip = (int)attr_i64_or(&f, "/", "is_mip", 0, 1, 0, &rc);
    s->has_duals = (int)attr_i64_or(&f, "/", "has_duals", 0, 1, 0, &rc);
    s->ranks = (int)attr_i64_or(&f, "/solver", "ranks", 1, INT32_MAX, 1, &rc);
    s->iterations = (long)attr_i64_or(&f, "/solver", "iterations", 0, INT32_MAX, 0, &rc);
    s->solve_seconds = attr_f64_or(&f, "/solver", "solve_seconds", NAN, &rc);
    s->periods = (long)T;
    s->period_hours = attr_f64_or(&f, "/provenance/scenario", "period_hours", 1.0, &rc);
    s->period_weight = attr_f64_or(&f, "/provenance/scenario", "period_weight", 1.0, &rc);
    if (rc != CN_OK)
        goto cleanup;
    if (s->has_duals) {
        int ex = cn_h5in_exists(&f, "/duals");
        if (ex != CN_OK && ex != CN_H5IN_ABSENT) {
            rc = ex;
            goto cleanup;
        }
        s->has_duals = ex == CN_OK;
    }
    nm.period_hours = s->period_hours;
    for (int i = 0; i < CN_H5_NPARTS; i++) {
        char p[64];
        snprintf(p, sizeof p, "/objective/%s_yuan", part_name[i]);
        s->parts[i] = read_scalar(&f, p, &rc);
    }
    s->emissions_tco2 = read_scalar(&f, "/objective/emissions_tco2", &rc);
    s->energy_mwh = read_scalar(&f, "/objective/energy_mwh", &rc);
    s->green_mwh = read_scalar(&f, "/objective/green_mwh", &rc);
    if (rc != CN_OK)
        goto cleanup;

    /* served / unserved per class */
    CN_TRY(read_strs(&f, "/class", K, &classes));
    CN_TRY(read_idx(&f, "/solution/u_class", NU, 0, K - 1, &u_class));
    CN_TRY(read_f64_1(&f, "/solution/u_demand_pflops", NU, 1, &u_dem));
    CN_TRY(read_f64_1(&f, "/solution/u_pflops", NU, 1, &u_uns));
    if (!(s->classes = cn_calloc((size_t)K + 1, sizeof *s->classes))) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    s->nclasses = (int)K;
    for (long long k = 0; k < K; k++) {
        s->classes[k].id = classes[k];
        classes[k] = NULL;
    }
    for (long long i = 0; i < NU; i++) {
        s->classes[u_class[i]].demand += u_dem[i];
        s->classes[u_class[i]].unserved += u_uns[i];
        s->demand_total += u_dem[i];
        s->unserved_total += u_uns[i];
    }

    /* hubs: utilisation = site load / capacity (installed + modules built) */
    CN_TRY(read_strs(&f, "/hub", H, &nm.hub));
    CN_TRY(read_strs(&f, "/model/hub_name", H, &hubnames));
    CN_TRY(read_idx(&f, "/model/hub_zone", H, CN_ZONE_EAST, CN_ZONE_WEST, &hub_zone));
    CN_TRY(read_idx(&f, "/model/site_hub", S, -1, H - 1, &site_hub));
    {
        long long sc[2] = {S, C}, sct[3] = {S, C, T};
        CN_TRY(read_f64(&f, "/model/site_capacity_pflops", 2, sc, 1, &cap));
        CN_TRY(read_f64(&f, "/solution/site_load_pflops", 3, sct, 1, &load));
    }
    CN_TRY(read_idx(&f, "/model/expansion_site", E, 0, S - 1, &e_site));
    CN_TRY(read_idx(&f, "/model/expansion_type", E, 0, C - 1, &e_type));
    CN_TRY(read_f64_1(&f, "/model/expansion_module_pflops", E, 1, &mod_pf));
    CN_TRY(read_f64_1(&f, "/solution/expansion_modules", E, 1, &y));
    for (long long e = 0; e < E; e++)
        cap[e_site[e] * C + e_type[e]] += mod_pf[e] * y[e];
    if (!(s->hubs = cn_calloc((size_t)H + 1, sizeof *s->hubs))) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    s->nhubs = (int)H;
    /* the sites of each hub, hub by hub (hub_site[hub_first[h] ..
     * hub_first[h + 1] - 1]): time O(S*C*T + H), whatever the file says */
    if (!(hub_first = cn_calloc((size_t)H + 2, sizeof *hub_first)) ||
        !(hub_site = cn_calloc((size_t)S + 1, sizeof *hub_site))) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    for (long long i = 0; i < S; i++)
        if (site_hub[i] >= 0)
            hub_first[site_hub[i] + 1]++;
    for (long long h = 0; h < H; h++)
        hub_first[h + 1] += hub_first[h];
    {
        long long *next = cn_calloc((size_t)H + 1, sizeof *next);
        if (!next) {
            rc = CN_EOSERR;
            goto cleanup;
        }
        memcpy(next, hub_first, (size_t)H * sizeof *next);
        for (long long i = 0; i < S; i++)
            if (site_hub[i] >= 0)
                hub_site[next[site_hub[i]]++] = i;
        free(next);
    }
    for (long long h = 0; h < H; h++) {
        cn_h5_hub_sum *hb = &s->hubs[h];
        if (!(hb->id = cn_strdup(nm.hub[h]))) {
            rc = CN_EOSERR;
            goto cleanup;
        }
        hb->name = hubnames[h];
        hubnames[h] = NULL;
        hb->zone = hub_zone[h];
        hb->util_avg = hb->util_peak = NAN;
        for (long long q = hub_first[h]; q < hub_first[h + 1]; q++) {
            hb->nsites++;
            for (long long c = 0; c < C; c++)
                hb->capacity_pflops += cap[hub_site[q] * C + c];
        }
        if (!(hb->capacity_pflops > 0) || T == 0)
            continue;
        double sum = 0, peak = -1;
        for (long long t = 0; t < T; t++) {
            double l = 0;
            for (long long q = hub_first[h]; q < hub_first[h + 1]; q++)
                for (long long c = 0; c < C; c++)
                    l += load[(hub_site[q] * C + c) * T + t];
            double u = l / hb->capacity_pflops;
            sum += u;
            if (u > peak) {
                peak = u;
                hb->peak_period = (long)t;
            }
        }
        hb->util_avg = sum / (double)T;
        hb->util_peak = peak;
    }

    /* east-to-west flow: x from east-zone regions served at sites of west-zone hubs */
    CN_TRY(read_idx(&f, "/model/region_zone", R, CN_ZONE_EAST, CN_ZONE_WEST, &region_zone));
    CN_TRY(read_idx(&f, "/solution/x_region", NX, 0, R - 1, &x_region));
    CN_TRY(read_idx(&f, "/solution/x_site", NX, 0, S - 1, &x_site));
    CN_TRY(read_f64_1(&f, "/solution/x_pflops", NX, 1, &x_pf));
    s->nx = NX;
    for (long long i = 0; i < NX; i++) {
        s->placed_total += x_pf[i];
        if (region_zone[x_region[i]] != CN_ZONE_EAST)
            continue;
        s->east_placed += x_pf[i];
        int hb = site_hub[x_site[i]];
        if (hb >= 0 && hb < H && hub_zone[hb] == CN_ZONE_WEST)
            s->east_to_west += x_pf[i];
    }

    /* the largest shadow prices */
    if (s->has_duals) {
        topn tp = {.n = 0};
        CN_TRY(read_strs(&f, "/region", R, &nm.region));
        CN_TRY(read_strs(&f, "/site", S, &nm.site));
        CN_TRY(read_strs(&f, "/type", C, &nm.type));
        CN_TRY(read_idx(&f, "/model/link_from", L, 0, R - 1, &nm.link_from));
        CN_TRY(read_idx(&f, "/model/link_to", L, 0, R - 1, &nm.link_to));
        long long sct[3] = {S, C, T};
        CN_TRY(read_f64(&f, "/duals/capacity", 3, sct, 0, &cap_dual));
        for (long long i = 0; i < S * C * T; i++)
            top_add(&tp, CN_PRICE_CAPACITY, cap_dual[i], (long)(i / (C * T)), (long)(i / T % C), (long)(i % T));
        struct { const char *p; int kind; long long rows; } st[] = {
            {"/duals/link_bandwidth", CN_PRICE_LINK, L}, {"/duals/access", CN_PRICE_ACCESS, S},
            {"/duals/green", CN_PRICE_GREEN, S}, {"/duals/power_cap", CN_PRICE_POWER_CAP, S}};
        for (size_t k = 0; k < sizeof st / sizeof st[0]; k++) {
            long long rt[2] = {st[k].rows, T};
            CN_TRY(read_f64(&f, st[k].p, 2, rt, 0, &dual));
            for (long long i = 0; i < st[k].rows * T; i++)
                top_add(&tp, st[k].kind, dual[i], (long)(i / T), 0, (long)(i % T));
            if (st[k].kind == CN_PRICE_POWER_CAP)
                pc_dual = dual;   /* kept for the investment below */
            else
                free(dual);
            dual = NULL;
        }
        double carbon = read_scalar(&f, "/duals/carbon", &rc);
        long long row_exists = attr_i64_or(&f, "/duals/carbon", "row_exists", 0, 1, 1, &rc);
        if (rc != CN_OK)
            goto cleanup;
        if (row_exists)
            top_add(&tp, CN_PRICE_CARBON, carbon, 0, 0, 0);
        CN_TRY(read_f64_1(&f, "/duals/hub_green", H, 0, &dual));
        for (long long h = 0; h < H; h++)
            top_add(&tp, CN_PRICE_HUB_GREEN, dual[h], (long)h, 0, 0);
        s->nprices = tp.n;
        for (int i = 0; i < tp.n; i++)
            describe(&s->prices[i], &tp.c[i], &nm);
    }

    /* investment: what each expansion row built, cost and saves (core/invest.h) */
    CN_TRY(read_f64_1(&f, "/model/expansion_module_mw", E, 1, &mod_mw));
    CN_TRY(read_f64_1(&f, "/model/expansion_module_cost", E, 1, &mod_cost));
    CN_TRY(read_idx(&f, "/model/expansion_max_modules", E, 0, INT32_MAX, &max_mod_i));
    CN_TRY(read_f64_1(&f, "/model/site_power_cap_mw", S, 0, &pcap));
    if (!nm.site)
        CN_TRY(read_strs(&f, "/site", S, &nm.site));
    if (!nm.type)
        CN_TRY(read_strs(&f, "/type", C, &nm.type));
    if (!(max_mod = cn_calloc((size_t)E + 1, sizeof *max_mod)) ||
        !(s->invest = cn_calloc((size_t)E + 1, sizeof *s->invest))) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    for (long long e = 0; e < E; e++)
        max_mod[e] = max_mod_i[e];
    {
        cn_invest *iv = cn_calloc((size_t)E + 1, sizeof *iv);
        if (!iv) {
            rc = CN_EOSERR;
            goto cleanup;
        }
        cn_invest_in in = {.S = (size_t)S, .C = (size_t)C, .T = (size_t)T, .E = (size_t)E,
                           .exp_site = e_site, .exp_type = e_type, .module_pflops = mod_pf,
                           .module_mw = mod_mw, .module_cost = mod_cost, .max_modules = max_mod,
                           .modules = y, .site_power_cap_mw = pcap,
                           /* an LP has no capacity rows where only an expansion
                            * could add capacity: no value there, so none at all */
                           .cap_dual = s->is_mip ? cap_dual : NULL,
                           .power_cap_dual = s->is_mip ? pc_dual : NULL};
        rc = cn_invest_compute(&in, iv);
        for (long long e = 0; rc == CN_OK && e < E; e++) {
            s->invest[e].v = iv[e];
            s->nexps = (int)e + 1;
            if (!(s->invest[e].site = cn_strdup(nm.site[e_site[e]])) ||
                !(s->invest[e].type = cn_strdup(nm.type[e_type[e]])))
                rc = CN_EOSERR;
        }
        free(iv);
        if (rc != CN_OK)
            goto cleanup;
    }
cleanup:
    cn_h5in_close(&f);
    free_strs(classes, (size_t)(K > 0 ? K : 0));
    free_strs(hubnames, (size_t)(H > 0 ? H : 0));
    free_strs(nm.hub, (size_t)(H > 0 ? H : 0));
    free_strs(nm.region, (size_t)(R > 0 ? R : 0));
    free_strs(nm.site, (size_t)(S > 0 ? S : 0));
    free_strs(nm.type, (size_t)(C > 0 ? C : 0));
    free(nm.link_from); free(nm.link_to);
    free(u_class); free(x_region); free(x_site); free(region_zone); free(site_hub);
    free(hub_zone); free(e_site); free(e_type);
    free(hub_first); free(hub_site);
    free(u_dem); free(u_uns); free(x_pf); free(load); free(cap); free(mod_pf); free(y); free(dual);
    free(cap_dual); free(pc_dual); free(mod_mw); free(mod_cost); free(max_mod); free(max_mod_i); free(pcap);
    if (rc == CN_OK)
        *out = s;
    else
        cn_h5_summary_destroy(&s);
    return rc;
}

/* ------------------------------------------------- every dataset (export) */

typedef struct dsent {
    char *obj;              /* absolute path */
    haddr_t addr;           /* object address: what DIMENSION_LIST references name */
    char scale[256];        /* its NAME when it is a dimension scale */
    haddr_t axis[CN_H5_VAR_MAXDIMS];   /* the scale attached to each axis */
} dsent;

typedef struct visit {
    rd *f;
    dsent *e;
    int n, cap;
    int rc;
} visit;

/* Pass 1: every dataset's path and address (nothing of it read yet). */
static herr_t visit_cb(hid_t root, const char *name, const H5L_info_t *info, void *data)
{
    visit *vs = data;
    if (info->type != H5L_TYPE_HARD) {
        vs->rc = CN_ERR(CN_EDATA, "%s: link /%s: is not a hard link (cnopt files have hard links only)",
                        vs->f->path, name);
        return -1;
    }
    H5O_info_t oi;
    char obj[600];
    snprintf(obj, sizeof obj, "/%s", name);
    if ((vs->rc = cn_h5in_check_object(vs->f, obj, info->u.address)) != CN_OK)
        return -1;
    if (H5Oget_info_by_name2(root, name, &oi, H5O_INFO_BASIC, H5P_DEFAULT) < 0) {
        vs->rc = CN_ERR(CN_EDATA, "%s: object /%s: cannot be read", vs->f->path, name);
        return -1;
    }
    if (oi.type != H5O_TYPE_DATASET)
        return 0;
    if (vs->n == vs->cap) {
        int cap = vs->cap ? 2 * vs->cap : 64;
        dsent *ne = cap > 0 ? cn_realloc(vs->e, (size_t)cap, sizeof *ne) : NULL;
        if (!ne) {
            vs->rc = CN_EOSERR;
            return -1;
        }
        memset(ne + vs->cap, 0, (size_t)(cap - vs->cap) * sizeof *ne);
        vs->e = ne;
        vs->cap = cap;
    }
    size_t len = strlen(name) + 2;
    dsent *e = &vs->e[vs->n];
    if (!(e->obj = cn_calloc(len, 1))) {
        vs->rc = CN_EOSERR;
        return -1;
    }
    snprintf(e->obj, len, "/%s", name);
    e->addr = oi.addr;
    vs->n++;
    return 0;
}

/* Pass 2: the dataset e into v (its dimension names come in pass 3). */
static int read_var(rd *f, dsent *e, cn_h5_var *v)
{
    int rc = CN_OK;
    const char *obj = e->obj, *slash = strrchr(obj, '/');
    cn_h5in_shape sh;
    CN_TRY(cn_h5in_shape_of(f, obj, &sh));
    if (sh.rank > CN_H5_VAR_MAXDIMS) {
        rc = CN_ERR(CN_EDATA, "%s: dataset %s: has %d dimensions (cnopt writes at most %d)", f->path, obj,
                    sh.rank, CN_H5_VAR_MAXDIMS);
        goto cleanup;
    }
    if (!(v->group = cn_strdup(obj + 1)) || !(v->name = cn_strdup(slash + 1))) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    v->group[slash - obj - (slash > obj ? 1 : 0)] = '\0';
    v->ndims = sh.rank;
    v->n = (size_t)sh.n;
    for (int j = 0; j < sh.rank; j++)
        v->len[j] = (size_t)sh.dims[j];
    CN_TRY(cn_h5in_scale_info(f, obj, &v->is_coord, e->scale, sizeof e->scale, sh.rank, e->axis));
    char units[1024], long_name[1024];
    int got = cn_h5in_attr_str(f, obj, "units", units, sizeof units);
    if (got == CN_OK || got == CN_H5IN_ABSENT)
        got = cn_h5in_attr_str(f, obj, "long_name", long_name, sizeof long_name);
    if (got != CN_OK && got != CN_H5IN_ABSENT) {
        rc = got;
        goto cleanup;
    }
    if (!(v->units = cn_strdup(units)) || !(v->long_name = cn_strdup(long_name))) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    if (sh.kind == CN_H5IN_F64) {
        v->kind = CN_H5V_F64;
        rc = cn_h5in_read_f64(f, obj, -1, NULL, 0, &v->f, NULL);
    } else if (sh.kind == CN_H5IN_INT) {
        int64_t *iv = NULL;
        v->kind = CN_H5V_INT;
        rc = cn_h5in_read_i64(f, obj, -1, NULL, INT64_MIN, INT64_MAX, &iv, NULL);
        if (rc == CN_OK && !(v->i = cn_calloc(v->n ? v->n : 1, sizeof *v->i)))
            rc = CN_EOSERR;
        for (size_t i = 0; rc == CN_OK && i < v->n; i++)
            v->i[i] = (long long)iv[i];
        free(iv);
    } else {
        v->kind = CN_H5V_STR;
        rc = cn_h5in_read_strs(f, obj, -1, NULL, &v->s, NULL);
    }
cleanup:
    return rc;
}

static int cmp_addr(const void *a, const void *b)
{
    const dsent *const *x = a, *const *y = b;
    return ((*x)->addr > (*y)->addr) - ((*x)->addr < (*y)->addr);
}

int cn_h5_read_vars(const char *path, cn_h5_var **out, int *nout)
{
    int rc = CN_OK;
    rd f;
    visit vs = {&f, NULL, 0, 0, CN_OK};
    cn_h5_var *v = NULL;
    dsent **by_addr = NULL;
    CN_TRY(open_checked(path, &f));
    if (H5Lvisit(f.file, H5_INDEX_NAME, H5_ITER_INC, visit_cb, &vs) < 0) {
        rc = vs.rc != CN_OK ? vs.rc : CN_ERR(CN_EDATA, "%s: cannot list the datasets of the file", path);
        goto cleanup;
    }
    if (!(v = cn_calloc((size_t)vs.n + 1, sizeof *v)) || !(by_addr = cn_calloc((size_t)vs.n + 1, sizeof *by_addr))) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    for (int k = 0; k < vs.n; k++) {
        CN_TRY(read_var(&f, &vs.e[k], &v[k]));
        by_addr[k] = &vs.e[k];
    }
    /* pass 3: each axis named by the scale attached to it (for a scale, its own NAME) */
    qsort(by_addr, (size_t)vs.n, sizeof *by_addr, cmp_addr);
    for (int k = 0; k < vs.n; k++) {
        for (int j = 0; j < v[k].ndims; j++) {
            const char *name = "";
            if (v[k].is_coord) {
                name = vs.e[k].scale;
            } else if (vs.e[k].axis[j] != HADDR_UNDEF) {
                dsent key = {.addr = vs.e[k].axis[j]}, *kp = &key;
                dsent **hit = bsearch(&kp, by_addr, (size_t)vs.n, sizeof *by_addr, cmp_addr);
                if (hit)
                    name = (*hit)->scale;
            }
            if (!(v[k].dim[j] = cn_strdup(name))) {
                rc = CN_EOSERR;
                goto cleanup;
            }
        }
    }
cleanup:
    cn_h5in_close(&f);
    for (int k = 0; k < vs.n; k++)
        free(vs.e[k].obj);
    free(vs.e);
    free(by_addr);
    if (rc == CN_OK) {
        *out = v;
        *nout = vs.n;
    } else {
        cn_h5_vars_destroy(&v, vs.n);
    }
    return rc;
}

void cn_h5_vars_destroy(cn_h5_var **pv, int n)
{
    cn_h5_var *v = pv ? *pv : NULL;
    if (!v)
        return;
    for (int k = 0; k < n; k++) {
        free(v[k].group);
        free(v[k].name);
        for (int j = 0; j < CN_H5_VAR_MAXDIMS; j++)
            free(v[k].dim[j]);
        free(v[k].f);
        free(v[k].i);
        free_strs(v[k].s, v[k].n);
        free(v[k].units);
        free(v[k].long_name);
    }
    free(v);
    *pv = NULL;
}
