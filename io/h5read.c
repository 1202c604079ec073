/* io/h5read.c - see h5read.h.  Reads schema 1.x and 2.x files (docs/hdf5-schema.md):
 * 2.0 changed the string type (fixed- to variable-length) and added
 * coordinates in every group; everything read here is in both. */
#include "h5read.h"

#include <ctype.h>
#include <errno.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/err.h"
#include "../core/model.h"

static const char *const part_name[CN_H5_NPARTS] = {
    "energy", "carbon", "green", "transfer", "unserved", "expansion"};

const char *cn_h5_part_name(int i)
{
    return i >= 0 && i < CN_H5_NPARTS ? part_name[i] : "?";
}

typedef struct rd {
    hid_t file;
    const char *path;
} rd;

static int bad(const rd *f, const char *what, const char *obj)
{
    return CN_ERR(CN_EDATA, "%s: %s '%s' (not a cnopt result file of schema 1.x or 2.x?)", f->path, what, obj);
}

/* Does every component of the absolute path obj exist? */
static int exists(const rd *f, const char *obj)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", obj);
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (H5Lexists(f->file, buf, H5P_DEFAULT) <= 0)
                return 0;
            if (c == '\0')
                return 1;
            *p = c;
        }
    }
}

/* ------------------------------------------------------------ attributes */

/* 1 found (value in buf), 0 absent, negative: error recorded. */
static int get_attr_str(const rd *f, const char *obj, const char *name, char *buf, size_t n)
{
    int ret = -1;
    hid_t a = -1, ft = -1, mt = -1;
    buf[0] = '\0';
    if (H5Aexists_by_name(f->file, obj, name, H5P_DEFAULT) <= 0)
        return 0;
    if ((a = H5Aopen_by_name(f->file, obj, name, H5P_DEFAULT, H5P_DEFAULT)) < 0 ||
        (ft = H5Aget_type(a)) < 0 || H5Tget_class(ft) != H5T_STRING) {
        ret = bad(f, "attribute is not a string:", name);
        goto done;
    }
    if (H5Tis_variable_str(ft) > 0) {
        char *s = NULL;
        mt = H5Tcopy(ft);   /* same character set: HDF5 converts none between them */
        if (mt < 0 || H5Aread(a, mt, &s) < 0) {
            ret = bad(f, "cannot read attribute", name);
            goto done;
        }
        snprintf(buf, n, "%s", s ? s : "");
        H5free_memory(s);
    } else {
        size_t sz = H5Tget_size(ft);
        char *tmp = calloc(sz + 1, 1);
        mt = H5Tcopy(ft);
        if (!tmp || mt < 0 || H5Aread(a, mt, tmp) < 0) {
            free(tmp);
            ret = bad(f, "cannot read attribute", name);
            goto done;
        }
        snprintf(buf, n, "%s", tmp);
        free(tmp);
    }
    ret = 1;
done:
    if (mt >= 0) H5Tclose(mt);
    if (ft >= 0) H5Tclose(ft);
    if (a >= 0) H5Aclose(a);
    return ret;
}

static int get_attr_num(const rd *f, const char *obj, const char *name, hid_t mtype, void *v)
{
    if (H5Aexists_by_name(f->file, obj, name, H5P_DEFAULT) <= 0)
        return 0;
    hid_t a = H5Aopen_by_name(f->file, obj, name, H5P_DEFAULT, H5P_DEFAULT);
    herr_t e = a >= 0 ? H5Aread(a, mtype, v) : -1;
    if (a >= 0)
        H5Aclose(a);
    return e < 0 ? bad(f, "cannot read attribute", name) : 1;
}

static double attr_f64_or(const rd *f, const char *obj, const char *name, double dflt)
{
    double v = dflt;
    return get_attr_num(f, obj, name, H5T_NATIVE_DOUBLE, &v) == 1 ? v : dflt;
}

static long long attr_i64_or(const rd *f, const char *obj, const char *name, long long dflt)
{
    int64_t v = dflt;
    return get_attr_num(f, obj, name, H5T_NATIVE_INT64, &v) == 1 ? (long long)v : dflt;
}

static char *attr_dup(const rd *f, const char *obj, const char *name)
{
    char buf[1024];
    if (get_attr_str(f, obj, name, buf, sizeof buf) != 1)
        buf[0] = '\0';
    return cn_strdup(buf);
}

/* -------------------------------------------------------------- datasets */

/* Number of elements of dataset obj (1 for a scalar); -1 with an error recorded. */
static long long npoints(const rd *f, const char *obj)
{
    if (!exists(f, obj))
        return bad(f, "missing dataset", obj), -1;
    hid_t d = H5Dopen2(f->file, obj, H5P_DEFAULT);
    hid_t s = d >= 0 ? H5Dget_space(d) : -1;
    hssize_t n = s >= 0 ? H5Sget_simple_extent_npoints(s) : -1;
    if (s >= 0) H5Sclose(s);
    if (d >= 0) H5Dclose(d);
    if (n < 0)
        return bad(f, "cannot read dataset", obj), -1;
    return (long long)n;
}

/* Read dataset obj of exactly n elements, converted to mtype (elements of size
 * esize), into a new array (at least 1 element, zeroed). */
static int read_arr(const rd *f, const char *obj, size_t n, hid_t mtype, size_t esize, void **out)
{
    *out = NULL;
    long long have = npoints(f, obj);
    if (have < 0)
        return CN_EDATA;
    if ((size_t)have != n) {
        return CN_ERR(CN_EDATA, "%s: dataset '%s' has %lld elements, expected %zu", f->path, obj,
                      have, n);
    }
    void *buf = cn_calloc(n ? n : 1, esize);
    if (!buf)
        return CN_EOSERR;
    if (n > 0) {
        hid_t d = H5Dopen2(f->file, obj, H5P_DEFAULT);
        herr_t e = d >= 0 ? H5Dread(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) : -1;
        if (d >= 0)
            H5Dclose(d);
        if (e < 0) {
            free(buf);
            return bad(f, "cannot read dataset", obj);
        }
    }
    *out = buf;
    return CN_OK;
}

static int read_f64(const rd *f, const char *obj, size_t n, double **out)
{
    return read_arr(f, obj, n, H5T_NATIVE_DOUBLE, sizeof(double), (void **)out);
}

static int read_i32(const rd *f, const char *obj, size_t n, int32_t **out)
{
    return read_arr(f, obj, n, H5T_NATIVE_INT32, sizeof(int32_t), (void **)out);
}

static double read_scalar(const rd *f, const char *obj, int *rc)
{
    double *v = NULL, x = NAN;
    if (*rc == CN_OK && (*rc = read_f64(f, obj, 1, &v)) == CN_OK)
        x = v[0];
    free(v);
    return x;
}

static void free_strs(char **s, size_t n)
{
    if (!s)
        return;
    for (size_t i = 0; i < n; i++)
        free(s[i]);
    free(s);
}

/* Read a string dataset of n elements (fixed-length or variable-length). */
static int read_strs(const rd *f, const char *obj, size_t n, char ***out)
{
    int rc = CN_OK;
    hid_t d = -1, ft = -1, mt = -1;
    char *fixed = NULL, **vl = NULL, **s = NULL;
    *out = NULL;
    long long have = npoints(f, obj);
    if (have < 0)
        return CN_EDATA;
    if ((size_t)have != n)
        return CN_ERR(CN_EDATA, "%s: dataset '%s' has %lld elements, expected %zu", f->path, obj, have, n);
    if (!(s = cn_calloc(n ? n : 1, sizeof *s)))
        return CN_EOSERR;
    if (n == 0)
        goto done;
    if ((d = H5Dopen2(f->file, obj, H5P_DEFAULT)) < 0 || (ft = H5Dget_type(d)) < 0 ||
        H5Tget_class(ft) != H5T_STRING) {
        rc = bad(f, "not a string dataset", obj);
        goto done;
    }
    if (H5Tis_variable_str(ft) > 0) {
        /* a memory type of the file's character set (HDF5 converts none between
         * sets); a copy of the file type itself does not read variable-length data */
        mt = H5Tcopy(H5T_C_S1);
        if (!(vl = cn_calloc(n, sizeof *vl))) {
            rc = CN_EOSERR;
            goto done;
        }
        if (mt < 0 || H5Tset_size(mt, H5T_VARIABLE) < 0 || H5Tset_cset(mt, H5Tget_cset(ft)) < 0 ||
            H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, vl) < 0) {
            rc = bad(f, "cannot read dataset", obj);
            goto done;
        }
        for (size_t i = 0; i < n && rc == CN_OK; i++)
            if (!(s[i] = cn_strdup(vl[i] ? vl[i] : "")))
                rc = CN_EOSERR;
        hid_t sp = H5Dget_space(d);
        H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, vl);
        H5Sclose(sp);
    } else {
        size_t sz = H5Tget_size(ft);
        mt = H5Tcopy(ft);   /* keeps the character set (no conversion between sets) */
        if (!(fixed = cn_calloc(n, sz + 1))) {
            rc = CN_EOSERR;
            goto done;
        }
        /* read into slots one byte longer than the file's, so each is terminated */
        if (H5Tset_size(mt, sz + 1) < 0 || H5Tset_strpad(mt, H5T_STR_NULLTERM) < 0 ||
            H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, fixed) < 0) {
            rc = bad(f, "cannot read dataset", obj);
            goto done;
        }
        for (size_t i = 0; i < n && rc == CN_OK; i++)
            if (!(s[i] = cn_strdup(fixed + i * (sz + 1))))
                rc = CN_EOSERR;
    }
done:
    free(fixed);
    free(vl);
    if (mt >= 0) H5Tclose(mt);
    if (ft >= 0) H5Tclose(ft);
    if (d >= 0) H5Dclose(d);
    if (rc != CN_OK)
        free_strs(s, n);
    else
        *out = s;
    return rc;
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
    free(s->classes);
    free(s->hubs);
    free(s->scenario);
    free(s->cnopt_version);
    free(s->created_utc);
    free(s);
    *ps = NULL;
}

static int open_checked(const char *path, rd *f)
{
    struct stat st;
    f->file = -1;
    f->path = path;
    if (stat(path, &st) != 0)
        return CN_ERR(CN_ENOINPUT, "cannot open %s: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return CN_ERR(CN_ENOINPUT, "cannot open %s: it is a directory", path);
    if (access(path, R_OK) != 0)
        return CN_ERR(CN_ENOINPUT, "cannot read %s: %s", path, strerror(errno));
    if (H5Fis_hdf5(path) <= 0)
        return CN_ERR(CN_EDATA, "%s is not an HDF5 file", path);
    /* read-only open of a finished file: no locking (it fails on some cluster
     * file systems, errno 37/524) */
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl >= 0)
        H5Pset_file_locking(fapl, 0, 1);
    f->file = H5Fopen(path, H5F_ACC_RDONLY, fapl >= 0 ? fapl : H5P_DEFAULT);
    if (fapl >= 0)
        H5Pclose(fapl);
    if (f->file < 0)
        return CN_ERR(CN_EDATA, "%s: cannot open as HDF5", path);
    char ver[64];
    int got = get_attr_str(f, "/", "schema_version", ver, sizeof ver);
    if (got < 0)
        return CN_EDATA;
    if (got == 0)
        return CN_ERR(CN_EDATA, "%s is not a cnopt result file (no schema_version attribute)", path);
    long major = isdigit((unsigned char)ver[0]) ? strtol(ver, NULL, 10) : -1;
    if (major < CN_H5_SCHEMA_MAJOR_MIN || major > CN_H5_SCHEMA_MAJOR_MAX)
        return CN_ERR(CN_EDATA, "%s has schema_version %s; this cnopt reads 1.x and 2.x", path, ver);
    int64_t complete = 0;
    if (get_attr_num(f, "/", "complete", H5T_NATIVE_INT64, &complete) != 1 || complete != 1)
        return CN_ERR(CN_EDATA, "%s: incomplete result file (no complete = 1: the writer did not finish)", path);
    return CN_OK;
}

int cn_h5_read_summary(const char *path, cn_h5_summary **out)
{
    int rc = CN_OK;
    rd f = {-1, path};
    cn_h5_summary *s = NULL;
    names nm;
    memset(&nm, 0, sizeof nm);
    char **classes = NULL, **hubnames = NULL;
    int32_t *u_class = NULL, *x_region = NULL, *x_site = NULL, *region_zone = NULL, *site_hub = NULL;
    int32_t *hub_zone = NULL, *e_site = NULL, *e_type = NULL;
    double *u_dem = NULL, *u_uns = NULL, *x_pf = NULL, *load = NULL, *cap = NULL, *mod_pf = NULL, *y = NULL;
    double *dual = NULL;
    long long R = 0, H = 0, S = 0, C = 0, K = 0, T = 0, L = 0, E = 0, NX = 0, NU = 0;
    H5E_auto2_t efunc;
    void *edata;
    H5Eget_auto2(H5E_DEFAULT, &efunc, &edata);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);

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
        if ((*dims[i].n = npoints(&f, dims[i].p)) < 0) {
            rc = CN_EDATA;
            goto cleanup;
        }
    /* scalars and attributes */
    get_attr_str(&f, "/", "schema_version", s->schema_version, sizeof s->schema_version);
    get_attr_str(&f, "/", "status", s->status, sizeof s->status);
    get_attr_str(&f, "/solver", "method", s->method, sizeof s->method);
    s->scenario = attr_dup(&f, "/provenance/scenario", "name");
    s->cnopt_version = attr_dup(&f, "/provenance", "cnopt_version");
    s->created_utc = attr_dup(&f, "/provenance", "created_utc");
    if (!s->scenario || !s->cnopt_version || !s->created_utc) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    s->objective = attr_f64_or(&f, "/", "objective", NAN);
    s->bound = attr_f64_or(&f, "/", "bound", NAN);
    s->gap = attr_f64_or(&f, "/", "gap", NAN);
    s->is_mip = (int)attr_i64_or(&f, "/", "is_mip", 0);
    s->has_duals = (int)attr_i64_or(&f, "/", "has_duals", 0) && exists(&f, "/duals");
    s->ranks = (int)attr_i64_or(&f, "/solver", "ranks", 1);
    s->iterations = (long)attr_i64_or(&f, "/solver", "iterations", 0);
    s->solve_seconds = attr_f64_or(&f, "/solver", "solve_seconds", NAN);
    s->periods = (long)T;
    s->period_hours = attr_f64_or(&f, "/provenance/scenario", "period_hours", 1.0);
    s->period_weight = attr_f64_or(&f, "/provenance/scenario", "period_weight", 1.0);
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
    CN_TRY(read_strs(&f, "/class", (size_t)K, &classes));
    CN_TRY(read_i32(&f, "/solution/u_class", (size_t)NU, &u_class));
    CN_TRY(read_f64(&f, "/solution/u_demand_pflops", (size_t)NU, &u_dem));
    CN_TRY(read_f64(&f, "/solution/u_pflops", (size_t)NU, &u_uns));
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
        if (u_class[i] < 0 || u_class[i] >= K) {
            rc = CN_ERR(CN_EDATA, "%s: /solution/u_class[%lld] = %d is not a class index (0..%lld)",
                        path, i, u_class[i], K - 1);
            goto cleanup;
        }
        s->classes[u_class[i]].demand += u_dem[i];
        s->classes[u_class[i]].unserved += u_uns[i];
        s->demand_total += u_dem[i];
        s->unserved_total += u_uns[i];
    }

    /* hubs: utilisation = site load / capacity (installed + modules built) */
    CN_TRY(read_strs(&f, "/hub", (size_t)H, &nm.hub));
    CN_TRY(read_strs(&f, "/model/hub_name", (size_t)H, &hubnames));
    CN_TRY(read_i32(&f, "/model/hub_zone", (size_t)H, &hub_zone));
    CN_TRY(read_i32(&f, "/model/site_hub", (size_t)S, &site_hub));
    CN_TRY(read_f64(&f, "/model/site_capacity_pflops", (size_t)(S * C), &cap));
    CN_TRY(read_i32(&f, "/model/expansion_site", (size_t)E, &e_site));
    CN_TRY(read_i32(&f, "/model/expansion_type", (size_t)E, &e_type));
    CN_TRY(read_f64(&f, "/model/expansion_module_pflops", (size_t)E, &mod_pf));
    CN_TRY(read_f64(&f, "/solution/expansion_modules", (size_t)E, &y));
    CN_TRY(read_f64(&f, "/solution/site_load_pflops", (size_t)(S * C * T), &load));
    for (long long e = 0; e < E; e++) {
        if (e_site[e] < 0 || e_site[e] >= S || e_type[e] < 0 || e_type[e] >= C) {
            rc = CN_ERR(CN_EDATA, "%s: expansion %lld has site %d, type %d out of range", path, e,
                        e_site[e], e_type[e]);
            goto cleanup;
        }
        cap[e_site[e] * C + e_type[e]] += mod_pf[e] * y[e];
    }
    if (!(s->hubs = cn_calloc((size_t)H + 1, sizeof *s->hubs))) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    s->nhubs = (int)H;
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
        for (long long i = 0; i < S; i++) {
            if (site_hub[i] != h)
                continue;
            hb->nsites++;
            for (long long c = 0; c < C; c++)
                hb->capacity_pflops += cap[i * C + c];
        }
        if (!(hb->capacity_pflops > 0) || T == 0)
            continue;
        double sum = 0, peak = -1;
        for (long long t = 0; t < T; t++) {
            double l = 0;
            for (long long i = 0; i < S; i++)
                if (site_hub[i] == h)
                    for (long long c = 0; c < C; c++)
                        l += load[(i * C + c) * T + t];
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
    CN_TRY(read_i32(&f, "/model/region_zone", (size_t)R, &region_zone));
    CN_TRY(read_i32(&f, "/solution/x_region", (size_t)NX, &x_region));
    CN_TRY(read_i32(&f, "/solution/x_site", (size_t)NX, &x_site));
    CN_TRY(read_f64(&f, "/solution/x_pflops", (size_t)NX, &x_pf));
    s->nx = NX;
    for (long long i = 0; i < NX; i++) {
        if (x_region[i] < 0 || x_region[i] >= R || x_site[i] < 0 || x_site[i] >= S) {
            rc = CN_ERR(CN_EDATA, "%s: placement %lld has region %d, site %d out of range", path, i,
                        x_region[i], x_site[i]);
            goto cleanup;
        }
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
        CN_TRY(read_strs(&f, "/region", (size_t)R, &nm.region));
        CN_TRY(read_strs(&f, "/site", (size_t)S, &nm.site));
        CN_TRY(read_strs(&f, "/type", (size_t)C, &nm.type));
        CN_TRY(read_i32(&f, "/model/link_from", (size_t)L, &nm.link_from));
        CN_TRY(read_i32(&f, "/model/link_to", (size_t)L, &nm.link_to));
        for (long long l = 0; l < L; l++)
            if (nm.link_from[l] < 0 || nm.link_from[l] >= R || nm.link_to[l] < 0 || nm.link_to[l] >= R) {
                rc = CN_ERR(CN_EDATA, "%s: link %lld has region indices out of range", path, l);
                goto cleanup;
            }
        CN_TRY(read_f64(&f, "/duals/capacity", (size_t)(S * C * T), &dual));
        for (long long i = 0; i < S * C * T; i++)
            top_add(&tp, CN_PRICE_CAPACITY, dual[i], (long)(i / (C * T)), (long)(i / T % C), (long)(i % T));
        free(dual);
        dual = NULL;
        struct { const char *p; int kind; long long rows; } st[] = {
            {"/duals/link_bandwidth", CN_PRICE_LINK, L}, {"/duals/access", CN_PRICE_ACCESS, S},
            {"/duals/green", CN_PRICE_GREEN, S}, {"/duals/power_cap", CN_PRICE_POWER_CAP, S}};
        for (size_t k = 0; k < sizeof st / sizeof st[0]; k++) {
            CN_TRY(read_f64(&f, st[k].p, (size_t)(st[k].rows * T), &dual));
            for (long long i = 0; i < st[k].rows * T; i++)
                top_add(&tp, st[k].kind, dual[i], (long)(i / T), 0, (long)(i % T));
            free(dual);
            dual = NULL;
        }
        double carbon = read_scalar(&f, "/duals/carbon", &rc);
        if (rc != CN_OK)
            goto cleanup;
        if (attr_i64_or(&f, "/duals/carbon", "row_exists", 1))
            top_add(&tp, CN_PRICE_CARBON, carbon, 0, 0, 0);
        CN_TRY(read_f64(&f, "/duals/hub_green", (size_t)H, &dual));
        for (long long h = 0; h < H; h++)
            top_add(&tp, CN_PRICE_HUB_GREEN, dual[h], (long)h, 0, 0);
        s->nprices = tp.n;
        for (int i = 0; i < tp.n; i++)
            describe(&s->prices[i], &tp.c[i], &nm);
    }
cleanup:
    if (f.file >= 0)
        H5Fclose(f.file);
    H5Eset_auto2(H5E_DEFAULT, efunc, edata);
    free_strs(classes, (size_t)(K > 0 ? K : 0));
    free_strs(hubnames, (size_t)(H > 0 ? H : 0));
    free_strs(nm.hub, (size_t)(H > 0 ? H : 0));
    free_strs(nm.region, (size_t)(R > 0 ? R : 0));
    free_strs(nm.site, (size_t)(S > 0 ? S : 0));
    free_strs(nm.type, (size_t)(C > 0 ? C : 0));
    free(nm.link_from); free(nm.link_to);
    free(u_class); free(x_region); free(x_site); free(region_zone); free(site_hub);
    free(hub_zone); free(e_site); free(e_type);
    free(u_dem); free(u_uns); free(x_pf); free(load); free(cap); free(mod_pf); free(y); free(dual);
    if (rc == CN_OK)
        *out = s;
    else
        cn_h5_summary_destroy(&s);
    return rc;
}

/* ------------------------------------------------- every dataset (export) */

typedef struct visit {
    const rd *f;
    cn_h5_var *v;
    int n, cap;
    int rc;
} visit;

static herr_t scale_name_cb(hid_t did, unsigned dim, hid_t dsid, void *data)
{
    (void)did;
    (void)dim;
    char *buf = data;
    if (H5DSget_scale_name(dsid, buf, 128) <= 0)
        buf[0] = '\0';
    return 1;   /* the first scale names the dimension */
}

static char *attr_or_empty(const rd *f, const char *obj, const char *name)
{
    char buf[1024];
    if (get_attr_str(f, obj, name, buf, sizeof buf) != 1)
        buf[0] = '\0';
    return cn_strdup(buf);
}

/* Read the dataset at absolute path obj into v. */
static int read_var(const rd *f, const char *obj, hid_t d, cn_h5_var *v)
{
    int rc = CN_OK;
    hid_t t = H5Dget_type(d), sp = H5Dget_space(d);
    hsize_t dims[8];
    int nd = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
    H5T_class_t cls = t >= 0 ? H5Tget_class(t) : H5T_NO_CLASS;
    const char *slash = strrchr(obj, '/');
    if (nd < 0 || nd > CN_H5_VAR_MAXDIMS || H5Sget_simple_extent_dims(sp, dims, NULL) < 0) {
        rc = CN_ERR(CN_EDATA, "%s: dataset '%s' has %d dimensions (cnopt writes at most %d)", f->path,
                    obj, nd, CN_H5_VAR_MAXDIMS);
        goto cleanup;
    }
    if (!(v->group = cn_strdup(obj + 1)) || !(v->name = cn_strdup(slash + 1))) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    v->group[slash - obj - (slash > obj ? 1 : 0)] = '\0';
    v->ndims = nd;
    v->n = 1;
    v->is_coord = H5DSis_scale(d) > 0;
    for (int j = 0; j < nd; j++) {
        char name[128] = "";
        v->len[j] = (size_t)dims[j];
        v->n *= v->len[j];
        if (v->is_coord)
            H5DSget_scale_name(d, name, sizeof name);
        else if (H5DSget_num_scales(d, (unsigned)j) > 0)
            H5DSiterate_scales(d, (unsigned)j, NULL, scale_name_cb, name);
        if (!(v->dim[j] = cn_strdup(name))) {
            rc = CN_EOSERR;
            goto cleanup;
        }
    }
    if (!(v->units = attr_or_empty(f, obj, "units")) || !(v->long_name = attr_or_empty(f, obj, "long_name"))) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    if (cls == H5T_FLOAT) {
        v->kind = CN_H5V_F64;
        rc = read_f64(f, obj, v->n, &v->f);
    } else if (cls == H5T_INTEGER) {
        v->kind = CN_H5V_INT;
        rc = read_arr(f, obj, v->n, H5T_NATIVE_LLONG, sizeof(long long), (void **)&v->i);
    } else if (cls == H5T_STRING) {
        v->kind = CN_H5V_STR;
        rc = read_strs(f, obj, v->n, &v->s);
    } else {
        rc = CN_ERR(CN_EDATA, "%s: dataset '%s' is neither numbers nor strings", f->path, obj);
    }
cleanup:
    if (t >= 0) H5Tclose(t);
    if (sp >= 0) H5Sclose(sp);
    return rc;
}

static herr_t visit_cb(hid_t root, const char *name, const H5L_info_t *info, void *data)
{
    visit *vs = data;
    (void)info;
    hid_t d = H5Dopen2(root, name, H5P_DEFAULT);
    if (d < 0) {   /* a group */
        H5Eclear2(H5E_DEFAULT);
        return 0;
    }
    if (vs->n == vs->cap) {
        int cap = vs->cap ? 2 * vs->cap : 64;
        cn_h5_var *nv = cn_realloc(vs->v, (size_t)cap, sizeof *nv);
        if (!nv) {
            H5Dclose(d);
            vs->rc = CN_EOSERR;
            return -1;
        }
        memset(nv + vs->cap, 0, (size_t)(cap - vs->cap) * sizeof *nv);
        vs->v = nv;
        vs->cap = cap;
    }
    char obj[512];
    snprintf(obj, sizeof obj, "/%s", name);
    vs->rc = read_var(vs->f, obj, d, &vs->v[vs->n++]);
    H5Dclose(d);
    return vs->rc == CN_OK ? 0 : -1;
}

int cn_h5_read_vars(const char *path, cn_h5_var **out, int *nout)
{
    int rc = CN_OK;
    rd f = {-1, path};
    visit vs = {&f, NULL, 0, 0, CN_OK};
    H5E_auto2_t efunc;
    void *edata;
    H5Eget_auto2(H5E_DEFAULT, &efunc, &edata);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    CN_TRY(open_checked(path, &f));
    if (H5Lvisit(f.file, H5_INDEX_NAME, H5_ITER_INC, visit_cb, &vs) < 0) {
        rc = vs.rc != CN_OK ? vs.rc : CN_ERR(CN_EDATA, "%s: cannot list the datasets of the file", path);
        goto cleanup;
    }
cleanup:
    if (f.file >= 0)
        H5Fclose(f.file);
    H5Eset_auto2(H5E_DEFAULT, efunc, edata);
    if (rc == CN_OK) {
        *out = vs.v;
        *nout = vs.n;
    } else {
        cn_h5_vars_destroy(&vs.v, vs.n);
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
