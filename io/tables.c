/* io/tables.c - the model tables (spec sections 1-2): cn_model_read of
 * io/tables.h.
 *
 * Each table is described once, as data (g_tables below): its file, whether
 * it is required, and per column the kind (own id, text, reference, number,
 * integer, zone), whether it may be empty (and then its default), its range,
 * and where the value goes.  One generic loop applies those rules to every
 * row; the few rules that involve several columns (a link's two ends, the
 * uniqueness of composite keys, periods beyond the horizon) are small
 * per-table hooks.  docs/input-format.md lists the rules as enforced.
 *
 * Not cascading: a reference to an id that was present but rejected (bad
 * syntax, wrong number of fields), or to a table that could not be read
 * completely, is not reported again; only references to ids that are truly
 * absent from a fully read table are.
 */
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/err.h"
#include "../base/sha256.h"
#include "../core/idindex.h"
#include "csv_table.h"
#include "parse_util.h"
#include "tables.h"

/* Memory guard for the dense per-(site, period) arrays (two doubles each). */
#define CN_DENSE_LIMIT_BYTES ((double)8 * 1024 * 1024 * 1024)

/* ---- the schema ---- */

enum kind { K_ID, K_TEXT, K_REF, K_NUM, K_INT, K_ZONE };
enum tab {
    T_TYPES, T_REGIONS, T_HUBS, T_SITES, T_CAPACITY, T_LINKS, T_CLASSES, T_DEMAND,
    T_PROFILES, T_EXPANSIONS, T_PERIODS, NTAB
};

typedef struct colspec {
    const char *name;
    int kind;
    int ref;          /* K_REF: the table referred to */
    int opt;          /* may be empty (and absent from the header): takes the default */
    double def;       /* K_NUM with opt and no has_off: the default */
    int has_lo, lo_open, has_hi;
    double lo, hi;    /* range: lo <= v (lo < v when lo_open), v <= hi */
    size_t off;       /* where the value goes in the row struct */
    size_t has_off;   /* 1 + offset of the int "given" flag; 0: none */
    int not_lp;       /* K_NUM that no LP number is made of (coordinates, latencies):
                       * exempt from the solver's numeric range (parse_util.h) */
} colspec;

#define O(T, f) offsetof(T, f)
#define GE(x) .has_lo = 1, .lo = (x)
#define GT(x) .has_lo = 1, .lo = (x), .lo_open = 1
#define LE(x) .has_hi = 1, .hi = (x)
#define HAS(T, f) .has_off = offsetof(T, f) + 1

typedef struct profile_row {   /* profiles.csv: not stored as rows */
    int site;
    long period;
    double green_avail, price_factor;
} profile_row;

typedef struct period_row {    /* periods.csv (model 1.1): not stored as rows */
    long period;
    double weight;
} period_row;

static const colspec c_types[] = {
    {"id", K_ID, .off = O(cn_type, id)},
    {"mw_per_pflops", K_NUM, .off = O(cn_type, mw_per_pflops), GT(0)},
};
static const colspec c_regions[] = {
    {"id", K_ID, .off = O(cn_region, id)},
    {"name", K_TEXT, .off = O(cn_region, name)},
    {"lat", K_NUM, .not_lp = 1, .off = O(cn_region, lat), GE(-90), LE(90)},
    {"lon", K_NUM, .not_lp = 1, .off = O(cn_region, lon), GE(-180), LE(180)},
};
static const colspec c_hubs[] = {
    {"id", K_ID, .off = O(cn_hub, id)},
    {"name", K_TEXT, .off = O(cn_hub, name)},
    {"zone", K_ZONE, .off = O(cn_hub, zone)},
    {"min_green_share", K_NUM, .opt = 1, .off = O(cn_hub, min_green_share),
     HAS(cn_hub, has_min_green), GE(0), LE(1)},
};
static const colspec c_sites[] = {
    {"id", K_ID, .off = O(cn_site, id)},
    {"name", K_TEXT, .off = O(cn_site, name)},
    {"hub", K_REF, .ref = T_HUBS, .opt = 1, .off = O(cn_site, hub)},
    {"region", K_REF, .ref = T_REGIONS, .off = O(cn_site, region)},
    {"pue", K_NUM, .off = O(cn_site, pue), GE(1)},
    {"power_cap_mw", K_NUM, .opt = 1, .off = O(cn_site, power_cap_mw),
     HAS(cn_site, has_power_cap), GE(0)},
    {"grid_price", K_NUM, .off = O(cn_site, grid_price), GE(0)},
    {"green_price", K_NUM, .off = O(cn_site, green_price), GE(0)},
    {"green_cap_mw", K_NUM, .off = O(cn_site, green_cap_mw), GE(0)},
    {"grid_co2", K_NUM, .off = O(cn_site, grid_co2), GE(0)},
    {"access_rtt_ms", K_NUM, .not_lp = 1, .off = O(cn_site, access_rtt_ms), GE(0)},
    {"access_gbps", K_NUM, .opt = 1, .off = O(cn_site, access_gbps),
     HAS(cn_site, has_access_gbps), GE(0)},
    /* model 1.1 section 3: optional, both or neither (hook_sites); NaN = not given */
    {"lat", K_NUM, .not_lp = 1, .opt = 1, .def = NAN, .off = O(cn_site, lat), GE(-90), LE(90)},
    {"lon", K_NUM, .not_lp = 1, .opt = 1, .def = NAN, .off = O(cn_site, lon), GE(-180), LE(180)},
};
enum { SITE_COL_LAT = 12, SITE_COL_LON = 13 };   /* indices in c_sites */
static const colspec c_capacity[] = {
    {"site", K_REF, .ref = T_SITES, .off = O(cn_capacity, site)},
    {"type", K_REF, .ref = T_TYPES, .off = O(cn_capacity, type)},
    {"pflops", K_NUM, .off = O(cn_capacity, pflops), GT(0)},
};
static const colspec c_links[] = {
    {"from", K_REF, .ref = T_REGIONS, .off = O(cn_link, from)},
    {"to", K_REF, .ref = T_REGIONS, .off = O(cn_link, to)},
    {"rtt_ms", K_NUM, .not_lp = 1, .off = O(cn_link, rtt_ms), GT(0)},
    {"gbps", K_NUM, .opt = 1, .off = O(cn_link, gbps), HAS(cn_link, has_gbps), GE(0)},
    {"cost", K_NUM, .opt = 1, .def = 0, .off = O(cn_link, cost), GE(0)},
};
static const colspec c_classes[] = {
    {"id", K_ID, .off = O(cn_class, id)},
    {"name", K_TEXT, .off = O(cn_class, name)},
    {"type", K_REF, .ref = T_TYPES, .off = O(cn_class, type)},
    {"max_rtt_ms", K_NUM, .not_lp = 1, .off = O(cn_class, max_rtt_ms), GT(0)},
    {"gbps_per_pflops", K_NUM, .off = O(cn_class, gbps_per_pflops), GE(0)},
    {"window", K_INT, .off = O(cn_class, window), GE(1)},
    {"penalty", K_NUM, .off = O(cn_class, penalty), GT(0)},
};
static const colspec c_demand[] = {
    {"region", K_REF, .ref = T_REGIONS, .off = O(cn_demand, region)},
    {"class", K_REF, .ref = T_CLASSES, .off = O(cn_demand, cls)},
    {"period", K_INT, .off = O(cn_demand, period), GE(0)},
    {"pflops", K_NUM, .off = O(cn_demand, pflops), GE(0)},
};
static const colspec c_profiles[] = {
    {"site", K_REF, .ref = T_SITES, .off = O(profile_row, site)},
    {"period", K_INT, .off = O(profile_row, period), GE(0)},
    {"green_avail", K_NUM, .opt = 1, .def = 1, .off = O(profile_row, green_avail), GE(0), LE(1)},
    {"price_factor", K_NUM, .opt = 1, .def = 1, .off = O(profile_row, price_factor), GE(0)},
};
static const colspec c_expansions[] = {
    {"site", K_REF, .ref = T_SITES, .off = O(cn_expansion, site)},
    {"type", K_REF, .ref = T_TYPES, .off = O(cn_expansion, type)},
    {"module_pflops", K_NUM, .off = O(cn_expansion, module_pflops), GT(0)},
    {"module_mw", K_NUM, .off = O(cn_expansion, module_mw), GE(0)},
    {"module_cost", K_NUM, .off = O(cn_expansion, module_cost), GE(0)},
    {"max_modules", K_INT, .off = O(cn_expansion, max_modules), GE(1)},
};
static const colspec c_periods[] = {
    {"period", K_INT, .off = O(period_row, period), GE(0)},
    {"weight", K_NUM, .off = O(period_row, weight), GE(0)},
};

struct rctx;
typedef struct rowinfo {
    long line;
    const int *fcol;              /* per column of the spec: field index, -1 absent */
    const unsigned char *ok;      /* per column: parsed and valid */
    const long *fline;            /* per field: line */
    int clean;                    /* no problem at all in this row */
} rowinfo;
/* Rules across columns.  Returns 1 to keep the row, 0 to drop it (a row
 * with a problem is dropped anyway), -1 when out of memory. */
typedef int (*row_hook)(struct rctx *c, char *row, const rowinfo *ri);

typedef struct tabspec {
    const char *file;
    const char *noun;     /* what an id of this table is called in messages */
    int required;         /* the file must exist */
    int min_rows;         /* at least this many data rows */
    const colspec *cols;
    int ncols;
    size_t row_size;
    row_hook hook;
} tabspec;

static int hook_links(struct rctx *c, char *row, const rowinfo *ri);
static int hook_pair(struct rctx *c, char *row, const rowinfo *ri);
static int hook_demand(struct rctx *c, char *row, const rowinfo *ri);
static int hook_profiles(struct rctx *c, char *row, const rowinfo *ri);
static int hook_sites(struct rctx *c, char *row, const rowinfo *ri);
static int hook_periods(struct rctx *c, char *row, const rowinfo *ri);

#define COLS(a) a, (int)(sizeof a / sizeof a[0])
#define MAX_COLS 16
/* Read in this order (references point backwards); m->files keeps it. */
static const tabspec g_tables[NTAB] = {
    /* file, noun, required, min_rows, columns, row size, hook */
    [T_TYPES] = {"types.csv", "type", 1, 1, COLS(c_types), sizeof(cn_type), NULL},
    [T_REGIONS] = {"regions.csv", "region", 1, 1, COLS(c_regions), sizeof(cn_region), NULL},
    [T_HUBS] = {"hubs.csv", "hub", 1, 0, COLS(c_hubs), sizeof(cn_hub), NULL},
    [T_SITES] = {"sites.csv", "site", 1, 1, COLS(c_sites), sizeof(cn_site), hook_sites},
    [T_CAPACITY] = {"capacity.csv", NULL, 1, 0, COLS(c_capacity), sizeof(cn_capacity),
                    hook_pair},
    [T_LINKS] = {"links.csv", NULL, 1, 0, COLS(c_links), sizeof(cn_link), hook_links},
    [T_CLASSES] = {"classes.csv", "class", 1, 1, COLS(c_classes), sizeof(cn_class), NULL},
    [T_DEMAND] = {"demand.csv", NULL, 1, 0, COLS(c_demand), sizeof(cn_demand), hook_demand},
    [T_PROFILES] = {"profiles.csv", NULL, 0, 0, COLS(c_profiles), sizeof(profile_row),
                    hook_profiles},
    [T_EXPANSIONS] = {"expansions.csv", NULL, 0, 0, COLS(c_expansions),
                      sizeof(cn_expansion), hook_pair},
    [T_PERIODS] = {"periods.csv", NULL, 0, 0, COLS(c_periods), sizeof(period_row),
                   hook_periods},
};

/* ---- reading state ---- */

typedef struct tstate {
    char *path;           /* as opened (NULL before) */
    char *rows;           /* accepted rows, row_size bytes each */
    size_t n, cap;
    long *lines;          /* entity tables: line of each accepted row */
    cn_idindex *ids;      /* entity tables: id -> row index */
    cn_idindex *poison;   /* ids present in the file but rejected */
    int complete;         /* every id of the file is known (refs can be judged) */
} tstate;

typedef struct rctx {
    const cn_scenario *sc;
    cn_model *m;
    const char *scpath;   /* for diagnostics about the scenario */
    long T;
    tstate t[NTAB];
    cn_idindex *keys;     /* composite keys of the table being read */
    const tabspec *cur;
    int cur_t;
    int missing;          /* a file is missing or unreadable: CN_ENOINPUT */
    long *wline, *wcol;   /* periods.csv: line and field of period t's row, 0 = none */
} rctx;

static int id_col(const tabspec *ts)
{
    for (int j = 0; j < ts->ncols; j++)
        if (ts->cols[j].kind == K_ID)
            return j;
    return -1;
}

/* The id of accepted row i of entity table t. */
static const char *entity_id(const rctx *c, int t, long i)
{
    const tabspec *ts = &g_tables[t];
    char *p;
    memcpy(&p, c->t[t].rows + (size_t)i * ts->row_size + ts->cols[id_col(ts)].off, sizeof p);
    return p;
}

static void free_row_strings(const tabspec *ts, char *row)
{
    for (int j = 0; j < ts->ncols; j++) {
        if (ts->cols[j].kind == K_ID || ts->cols[j].kind == K_TEXT) {
            char *p;
            memcpy(&p, row + ts->cols[j].off, sizeof p);
            free(p);
            p = NULL;
            memcpy(row + ts->cols[j].off, &p, sizeof p);
        }
    }
}

static void range_text(const colspec *cs, char *buf, size_t size)
{
    if (cs->has_lo && cs->has_hi)
        snprintf(buf, size, "between %g and %g", cs->lo, cs->hi);
    else if (cs->has_lo)
        snprintf(buf, size, "%s %g", cs->lo_open ? ">" : ">=", cs->lo);
    else
        snprintf(buf, size, "<= %g", cs->hi);
}

static int in_range(const colspec *cs, double v)
{
    if (cs->has_lo && (cs->lo_open ? !(v > cs->lo) : !(v >= cs->lo)))
        return 0;
    if (cs->has_hi && !(v <= cs->hi))
        return 0;
    return 1;
}

/* Parse field s of column cs into row.  1 when valid; 0 otherwise (a
 * diagnostic was recorded, or silently for a reference to a rejected id). */
static int parse_field(rctx *c, const char *path, const colspec *cs, const char *s, long line,
                       long col, char *row)
{
    char show[256], rng[64];
    cn_csv_show(s, show, sizeof show);
    if (!*s && !(cs->opt && cs->kind != K_ID)) {
        cn_diag_add(path, line, col, "%s must not be empty (it has no default)", cs->name);
        return 0;
    }
    switch (cs->kind) {
    case K_ID:
        if (cn_id_diag(s, cs->name, path, line, col))
            return 0;
        /* fall through */
    case K_TEXT: {
        char *p = cn_strdup(s);
        if (!p)
            return -1;
        memcpy(row + cs->off, &p, sizeof p);
        return 1;
    }
    case K_REF: {
        int idx = -1;
        if (*s) {
            const tstate *st = &c->t[cs->ref];
            long v;
            if (st->ids && cn_idindex_get(st->ids, s, strlen(s), &v)) {
                idx = (int)v;
            } else {
                if (st->complete && !(st->poison && cn_idindex_get(st->poison, s, strlen(s), NULL)))
                    cn_diag_add(path, line, col, "unknown %s '%s' (%s has no such id)",
                                g_tables[cs->ref].noun, show, g_tables[cs->ref].file);
                return 0;
            }
        }
        memcpy(row + cs->off, &idx, sizeof idx);
        return 1;
    }
    case K_NUM: {
        double v = cs->def;
        int given = 0;
        if (*s) {
            int r = cn_parse_double(s, &v);
            if (r != CN_NUM_OK) {
                cn_diag_add(path, line, col, "%s %s, got '%s'", cs->name, cn_num_problem(r, 0),
                            show);
                return 0;
            }
            if (!in_range(cs, v)) {
                range_text(cs, rng, sizeof rng);
                cn_diag_add(path, line, col, "%s must be %s, got %s", cs->name, rng, show);
                return 0;
            }
            if (!cs->not_lp && !cn_num_solvable(v)) {
                cn_diag_add(path, line, col, "%s %s, got %s", cs->name, CN_NUM_RANGE_TEXT, show);
                return 0;
            }
            given = 1;
        } else if (cs->has_off) {
            v = 0;
        }
        memcpy(row + cs->off, &v, sizeof v);
        if (cs->has_off)
            memcpy(row + cs->has_off - 1, &given, sizeof given);
        return 1;
    }
    case K_INT: {
        long v = 0;
        int r = cn_parse_long(s, &v);
        if (r != CN_NUM_OK) {
            cn_diag_add(path, line, col, "%s %s, got '%s'", cs->name, cn_num_problem(r, 1), show);
            return 0;
        }
        if (!in_range(cs, (double)v)) {
            range_text(cs, rng, sizeof rng);
            cn_diag_add(path, line, col, "%s must be %s, got %s", cs->name, rng, show);
            return 0;
        }
        memcpy(row + cs->off, &v, sizeof v);
        return 1;
    }
    case K_ZONE: {
        int z;
        if (!strcmp(s, "east")) {
            z = CN_ZONE_EAST;
        } else if (!strcmp(s, "west")) {
            z = CN_ZONE_WEST;
        } else {
            cn_diag_add(path, line, col, "%s must be east or west, got '%s'", cs->name, show);
            return 0;
        }
        memcpy(row + cs->off, &z, sizeof z);
        return 1;
    }
    }
    return 0;
}

/* Apply the default of an optional column absent from the header. */
static void apply_default(const colspec *cs, char *row)
{
    if (cs->kind == K_REF) {
        int idx = -1;
        memcpy(row + cs->off, &idx, sizeof idx);
    } else if (cs->kind == K_NUM) {
        double v = cs->has_off ? 0 : cs->def;
        int given = 0;
        memcpy(row + cs->off, &v, sizeof v);
        if (cs->has_off)
            memcpy(row + cs->has_off - 1, &given, sizeof given);
    }
}

/* Location of spec column j in the current row. */
static long col_line(const rowinfo *ri, int j) { return ri->fline[ri->fcol[j]]; }
static long col_num(const rowinfo *ri, int j) { return ri->fcol[j] + 1; }

/* Record key in c->keys; when it is there already, report a duplicate at
 * column j and return 1; 0 when new; -1 when out of memory. */
static int dup_key(rctx *c, const char *key, const rowinfo *ri, int j, const char *what)
{
    int found = 0;
    long first = 0;
    if (cn_idindex_put(c->keys, key, strlen(key), ri->line, &found, &first) != CN_OK)
        return -1;
    if (found)
        cn_diag_add(c->t[c->cur_t].path, col_line(ri, j), col_num(ri, j),
                    "duplicate %s (first on line %ld)", what, first);
    return found;
}

/* capacity.csv, expansions.csv: at most one row per (site, type). */
static int hook_pair(rctx *c, char *row, const rowinfo *ri)
{
    if (!ri->ok[0] || !ri->ok[1])
        return 1;
    int site, type;
    memcpy(&site, row + c->cur->cols[0].off, sizeof site);
    memcpy(&type, row + c->cur->cols[1].off, sizeof type);
    char key[64], what[2 * CN_ID_MAX + 100];
    snprintf(key, sizeof key, "%d,%d", site, type);
    snprintf(what, sizeof what, "row for site %s and type %s", entity_id(c, T_SITES, site),
             entity_id(c, T_TYPES, type));
    return dup_key(c, key, ri, 0, what) < 0 ? -1 : 1;
}

/* links.csv: from != to, at most one link per unordered pair. */
static int hook_links(rctx *c, char *row, const rowinfo *ri)
{
    if (!ri->ok[0] || !ri->ok[1])
        return 1;
    const cn_link *l = (const cn_link *)row;
    if (l->from == l->to) {
        cn_diag_add(c->t[T_LINKS].path, col_line(ri, 1), col_num(ri, 1),
                    "from and to must differ, got %s for both",
                    entity_id(c, T_REGIONS, l->from));
        return 1;
    }
    int a = l->from < l->to ? l->from : l->to, b = l->from < l->to ? l->to : l->from;
    char key[64], what[2 * CN_ID_MAX + 100];
    snprintf(key, sizeof key, "%d,%d", a, b);
    snprintf(what, sizeof what, "link between %s and %s (links are undirected)",
             entity_id(c, T_REGIONS, a), entity_id(c, T_REGIONS, b));
    return dup_key(c, key, ri, 0, what) < 0 ? -1 : 1;
}

/* demand.csv: (region, class, period) once; periods >= T are dropped. */
static int hook_demand(rctx *c, char *row, const rowinfo *ri)
{
    const cn_demand *d = (const cn_demand *)row;
    if (ri->ok[0] && ri->ok[1] && ri->ok[2]) {
        char key[96], what[2 * CN_ID_MAX + 100];
        snprintf(key, sizeof key, "%d,%d,%ld", d->region, d->cls, d->period);
        snprintf(what, sizeof what, "row for region %s, class %s, period %ld",
                 entity_id(c, T_REGIONS, d->region), entity_id(c, T_CLASSES, d->cls),
                 d->period);
        if (dup_key(c, key, ri, 0, what) < 0)
            return -1;
    }
    return d->period < c->T;
}

/* profiles.csv: (site, period) once; rows with period < T fill the dense
 * arrays; no row is stored. */
static int hook_profiles(rctx *c, char *row, const rowinfo *ri)
{
    const profile_row *p = (const profile_row *)row;
    if (ri->ok[0] && ri->ok[1]) {
        char key[64], what[CN_ID_MAX + 100];
        snprintf(key, sizeof key, "%d,%ld", p->site, p->period);
        snprintf(what, sizeof what, "row for site %s, period %ld",
                 entity_id(c, T_SITES, p->site), p->period);
        int dup = dup_key(c, key, ri, 0, what);
        if (dup < 0)
            return -1;
        cn_model *m = c->m;
        if (!dup && ri->clean && m->green_avail && p->period < c->T &&
            (size_t)p->site < c->t[T_SITES].n) {
            size_t k = (size_t)p->site * (size_t)c->T + (size_t)p->period;
            m->green_avail[k] = p->green_avail;
            m->price_factor[k] = p->price_factor;
        }
    }
    return 0;
}

/* sites.csv (model 1.1 section 3): lat and lon are both given or both
 * empty.  The problem is placed at the empty field, or at the given one when
 * the other column is absent from the header. */
static int hook_sites(rctx *c, char *row, const rowinfo *ri)
{
    if (!ri->ok[SITE_COL_LAT] || !ri->ok[SITE_COL_LON])
        return 1;
    const cn_site *st = (const cn_site *)row;
    if (isnan(st->lat) == isnan(st->lon))
        return 1;
    int given = isnan(st->lat) ? SITE_COL_LON : SITE_COL_LAT;
    int empty = given == SITE_COL_LAT ? SITE_COL_LON : SITE_COL_LAT;
    const char *gname = c_sites[given].name, *ename = c_sites[empty].name;
    if (ri->fcol[empty] >= 0)
        cn_diag_add(c->t[T_SITES].path, col_line(ri, empty), col_num(ri, empty),
                    "%s must not be empty when %s is given (site coordinates are both "
                    "given or both empty)", ename, gname);
    else
        cn_diag_add(c->t[T_SITES].path, col_line(ri, given), col_num(ri, given),
                    "%s is given but sites.csv has no %s column (site coordinates are "
                    "both given or both empty)", gname, ename);
    return 1;
}

/* periods.csv (model 1.1 section 1): a period once; rows with period < T
 * set w(t) and remember where they are (for check_windows); no row is
 * stored. */
static int hook_periods(rctx *c, char *row, const rowinfo *ri)
{
    const period_row *p = (const period_row *)row;
    if (ri->ok[0]) {
        char key[32], what[64];
        snprintf(key, sizeof key, "%ld", p->period);
        snprintf(what, sizeof what, "row for period %ld", p->period);
        int dup = dup_key(c, key, ri, 0, what);
        if (dup < 0)
            return -1;
        if (!dup && ri->clean && c->m->period_weight && p->period < c->T) {
            c->m->period_weight[p->period] = p->weight;
            c->wline[p->period] = col_line(ri, 1);
            c->wcol[p->period] = col_num(ri, 1);
        }
    }
    return 0;
}

/* v as text that reads back as v: %.15g when it round-trips, else %.17g. */
static const char *show_num(double v, char *buf, size_t size)
{
    snprintf(buf, size, "%.15g", v);
    if (strtod(buf, NULL) != v)
        snprintf(buf, size, "%.17g", v);
    return buf;
}

typedef struct window_diag {   /* a window that mixes weights, for sorting */
    long line, col;
    char msg[512];
} window_diag;

static int window_diag_cmp(const void *a, const void *b)
{
    const window_diag *x = a, *y = b;
    return x->line < y->line ? -1 : x->line > y->line;
}

/* Model 1.1 section 1: every period of one demand window carries the same
 * weight, for every class.  Within a window, the reference weight is
 * period_weight when some period of the window has no row (it takes the
 * default), else the weight of the window's row that comes first in the
 * file; the window is reported once, at its first row (in file order) whose
 * weight differs.  A row is reported at most once (windows of several classes
 * may share it), and the problems are reported in line order.  Run only on a
 * periods.csv without other problems (not cascading). */
static int check_windows(rctx *c)
{
    const cn_model *m = c->m;
    long T = c->T;
    size_t nd = 0, capd = 0;
    window_diag *dg = NULL;
    unsigned char *done = cn_calloc((size_t)T, 1);
    if (!done)
        return CN_EOSERR;
    for (size_t k = 0; k < c->t[T_CLASSES].n; k++) {
        const cn_class *cl = (const cn_class *)(c->t[T_CLASSES].rows + k * sizeof(cn_class));
        long W = cl->window;
        if (W < 2)
            continue;   /* a window of one period (or a rejected window) cannot mix */
        for (long t0 = 0, b = 0; t0 < T; b++) {
            long t1 = T - t0 > W ? t0 + W : T;
            long ref_t = -1;   /* the period whose weight is the reference */
            for (long t = t0; t < t1; t++) {
                if (!c->wline[t]) {
                    ref_t = t;
                    break;
                }
                if (ref_t < 0 || c->wline[t] < c->wline[ref_t])
                    ref_t = t;
            }
            double ref = m->period_weight[ref_t];
            long bad = -1;
            for (long t = t0; t < t1; t++)
                if (c->wline[t] && m->period_weight[t] != ref &&
                    (bad < 0 || c->wline[t] < c->wline[bad]))
                    bad = t;
            if (bad >= 0 && !done[bad]) {
                done[bad] = 1;
                if (nd == capd) {
                    size_t ncap = capd ? 2 * capd : 16;
                    window_diag *p = cn_realloc(dg, ncap, sizeof *p);
                    if (!p) {
                        free(dg);
                        free(done);
                        return CN_EOSERR;
                    }
                    dg = p;
                    capd = ncap;
                }
                window_diag *w = &dg[nd++];
                w->line = c->wline[bad];
                w->col = c->wcol[bad];
                char refs[128], a[32], r[32];
                if (c->wline[ref_t])
                    snprintf(refs, sizeof refs, "weight %s of period %ld (line %ld)",
                             show_num(ref, r, sizeof r), ref_t, c->wline[ref_t]);
                else
                    snprintf(refs, sizeof refs, "period_weight %s of period %ld (no row)",
                             show_num(ref, r, sizeof r), ref_t);
                snprintf(w->msg, sizeof w->msg,
                         "weight %s of period %ld differs from %s in window %ld of class %s "
                         "(periods %ld..%ld): every period of a demand window must carry the "
                         "same weight", show_num(m->period_weight[bad], a, sizeof a), bad, refs,
                         b, cl->id, t0, t1 - 1);
            }
            t0 = t1;
        }
    }
    if (nd > 1)
        qsort(dg, nd, sizeof *dg, window_diag_cmp);
    for (size_t i = 0; i < nd; i++)
        cn_diag_add(c->t[T_PERIODS].path, dg[i].line, dg[i].col, "%s", dg[i].msg);
    free(dg);
    free(done);
    return CN_OK;
}

/* ---- one table ---- */

static int add_file(rctx *c, const char *path)
{
    cn_model *m = c->m;
    char hex[65];
    int hrc = cn_sha256_file(path, hex);
    if (hrc == CN_ETEMPFAIL) /* a signal: recorded by cn_sha256_file */
        return cn_err_frame(hrc, __func__, __FILE__, __LINE__);
    if (hrc != CN_OK) {
        cn_err_clear();
        cn_diag_add(path, 0, 0, "cannot read the file to hash it");
        c->missing = 1;
        return CN_OK;
    }
    cn_input_file *f = cn_realloc(m->files, (size_t)m->nfiles + 1, sizeof *f);
    if (!f)
        return cn_err_frame(CN_EOSERR, __func__, __FILE__, __LINE__);
    m->files = f;
    f[m->nfiles].path = cn_strdup(path);
    if (!f[m->nfiles].path)
        return cn_err_frame(CN_EOSERR, __func__, __FILE__, __LINE__);
    memcpy(f[m->nfiles].sha256, hex, sizeof hex);
    m->nfiles++;
    return CN_OK;
}

static int append_row(tstate *st, const tabspec *ts, const char *row, long line)
{
    if (st->n == st->cap) {
        size_t ncap = st->cap ? 2 * st->cap : 16;
        char *r = cn_realloc(st->rows, ncap, ts->row_size);
        if (!r)
            return CN_EOSERR;
        st->rows = r;
        if (st->ids) {
            long *l = cn_realloc(st->lines, ncap, sizeof *l);
            if (!l)
                return CN_EOSERR;
            st->lines = l;
        }
        st->cap = ncap;
    }
    memcpy(st->rows + st->n * ts->row_size, row, ts->row_size);
    if (st->ids)
        st->lines[st->n] = line;
    st->n++;
    return CN_OK;
}

static void list_columns(const tabspec *ts, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int j = 0; j < ts->ncols && o < size; j++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s", j ? ", " : "", ts->cols[j].name);
}

static int read_table(rctx *c, int t)
{
    int rc = CN_OK;
    const tabspec *ts = &g_tables[t];
    tstate *st = &c->t[t];
    cn_csv *csv = NULL;
    char *row = NULL;
    const cn_csv_row *r = NULL;
    int fcol[MAX_COLS];     /* spec column -> field index, -1 absent */
    unsigned char ok[MAX_COLS];
    int nh = 0;             /* header fields */
    int id_known = 0;       /* the id column is there (entity tables) */
    long nrows = 0;
    int idc = id_col(ts);
    char show[256];

    if (ts->ncols > MAX_COLS)
        return CN_ERR(CN_ESOFTWARE, "table %s has %d columns, more than %d", ts->file,
                      ts->ncols, MAX_COLS);
    c->cur = ts;
    c->cur_t = t;
    st->path = strcmp(c->m->sc.model_dir, ".") ? cn_path_join(c->m->sc.model_dir, ts->file)
                                                : cn_strdup(ts->file);
    row = cn_calloc(1, ts->row_size);
    if (!st->path || !row)
        CN_TRY(CN_EOSERR);
    if (idc >= 0) {
        CN_TRY(cn_idindex_create(&st->ids, 64));
        CN_TRY(cn_idindex_create(&st->poison, 16));
    }
    CN_TRY(cn_idindex_create(&c->keys, 64));

    rc = cn_csv_open(st->path, !ts->required, &csv);
    if (rc == CN_ENOINPUT) {
        c->missing = 1;
        rc = CN_OK;
        goto cleanup;
    }
    CN_TRY(rc);
    if (!csv)
        goto cleanup;   /* optional and absent */

    /* header */
    rc = cn_csv_next(csv, &r);
    if (rc == CN_ENOINPUT) {
        c->missing = 1;
        rc = CN_OK;
        goto cleanup;
    }
    CN_TRY(rc);
    if (!r) {
        if (!cn_csv_stopped(csv))
            cn_diag_add(st->path, 0, 0, "file is empty (the first line must be the header)");
        goto done;
    }
    nh = r->nfields;
    for (int j = 0; j < ts->ncols; j++)
        fcol[j] = -1;
    for (int i = 0; i < nh; i++) {
        if (r->fbad[i])
            continue;
        int j = 0;
        while (j < ts->ncols && strcmp(ts->cols[j].name, r->field[i]))
            j++;
        if (j == ts->ncols) {
            char list[512];
            list_columns(ts, list, sizeof list);
            if (!*r->field[i])
                cn_diag_add(st->path, r->fline[i], i + 1,
                            "empty column name (expected %s)", list);
            else
                cn_diag_add(st->path, r->fline[i], i + 1, "unknown column '%s' (expected %s)",
                            cn_csv_show(r->field[i], show, sizeof show), list);
        } else if (fcol[j] >= 0) {
            cn_diag_add(st->path, r->fline[i], i + 1, "duplicate column '%s' (also column %d)",
                        ts->cols[j].name, fcol[j] + 1);
        } else {
            fcol[j] = i;
        }
    }
    id_known = 1;
    for (int j = 0; j < ts->ncols; j++) {
        if (fcol[j] < 0 && !ts->cols[j].opt) {
            cn_diag_add(st->path, r->line, 0, "missing column '%s'", ts->cols[j].name);
            if (j == idc)
                id_known = 0;
        }
    }

    /* rows */
    for (;;) {
        rc = cn_csv_next(csv, &r);
        if (rc == CN_ENOINPUT) {
            c->missing = 1;
            rc = CN_OK;
            break;
        }
        CN_TRY(rc);
        if (!r)
            break;
        nrows++;
        if (r->nfields != nh) {
            int at = r->nfields < nh ? r->nfields - 1 : nh;
            cn_diag_add(st->path, r->fline[at], at + 1 + (r->nfields < nh),
                        "row has %d field%s, the header has %d", r->nfields,
                        r->nfields == 1 ? "" : "s", nh);
            if (idc >= 0 && fcol[idc] >= 0 && fcol[idc] < r->nfields && !r->fbad[fcol[idc]])
                CN_TRY(cn_idindex_put(st->poison, r->field[fcol[idc]],
                                      strlen(r->field[fcol[idc]]), 0, NULL, NULL));
            continue;
        }
        long before = cn_diag_count();
        int all_ok = 1;
        memset(row, 0, ts->row_size);
        for (int j = 0; j < ts->ncols; j++) {
            const colspec *cs = &ts->cols[j];
            int f = fcol[j];
            ok[j] = 0;
            if (f < 0) {
                if (cs->opt) {
                    apply_default(cs, row);
                    ok[j] = 1;
                }
            } else if (!r->fbad[f]) {
                int v = parse_field(c, st->path, cs, r->field[f], r->fline[f], f + 1, row);
                if (v < 0)
                    CN_TRY(CN_EOSERR);
                ok[j] = (unsigned char)v;
            }
            all_ok &= ok[j];
        }
        rowinfo ri = {r->line, fcol, ok, r->fline, 0};
        int keep = 1;
        if (idc >= 0) {
            /* entity table: the row is kept whenever its id is new, so that
             * references to it resolve (the run fails on its other errors) */
            const char *id = fcol[idc] >= 0 && !r->fbad[fcol[idc]] ? r->field[fcol[idc]] : NULL;
            keep = 0;
            if (ok[idc]) {
                int found = 0;
                long first = 0;
                CN_TRY(cn_idindex_put(st->ids, id, strlen(id), (long)st->n, &found, &first));
                if (found)
                    cn_diag_add(st->path, r->fline[fcol[idc]], fcol[idc] + 1,
                                "duplicate id '%s' (first on line %ld)",
                                cn_csv_show(id, show, sizeof show), st->lines[first]);
                else
                    keep = 1;
            } else if (id) {
                CN_TRY(cn_idindex_put(st->poison, id, strlen(id), 0, NULL, NULL));
            }
            if (ts->hook) {   /* rules across columns; the row is kept as above */
                ri.clean = all_ok && cn_diag_count() == before;
                if (ts->hook(c, row, &ri) < 0)
                    CN_TRY(CN_EOSERR);
            }
        } else {
            ri.clean = all_ok && cn_diag_count() == before;
            if (ts->hook) {
                keep = ts->hook(c, row, &ri);
                if (keep < 0)
                    CN_TRY(CN_EOSERR);
            }
            keep = keep && all_ok && cn_diag_count() == before;
        }
        if (keep && st->n >= (size_t)INT_MAX) {
            cn_diag_add(st->path, r->line, 0, "too many rows (more than %d)", INT_MAX);
            keep = 0;
        }
        if (keep) {
            if (append_row(st, ts, row, r->line) != CN_OK)
                CN_TRY(CN_EOSERR);
            memset(row, 0, ts->row_size);   /* its strings belong to st->rows now */
        } else {
            free_row_strings(ts, row);
        }
    }

done:
    /* references to this table are judged only when all its ids are known;
     * an empty required table is reported once, not at every reference */
    st->complete = id_known && !cn_csv_stopped(csv) && nh > 0 && nrows >= ts->min_rows;
    if (nrows < ts->min_rows && nh > 0 && !cn_csv_stopped(csv))
        cn_diag_add(st->path, 0, 0, "table has no rows (at least %d needed)", ts->min_rows);
    CN_TRY(add_file(c, st->path));
cleanup:
    if (row)
        free_row_strings(ts, row);
    free(row);
    cn_idindex_destroy(&c->keys);
    cn_csv_close(&csv);
    return rc;
}

/* Dense profile arrays (docs/input-format.md, "memory guard"). */
static int alloc_profiles(rctx *c)
{
    cn_model *m = c->m;
    size_t ns = c->t[T_SITES].n;
    if (ns == 0 || c->T < 1)
        return CN_OK;
    double bytes = (double)ns * (double)c->T * 2 * sizeof(double);
    if (bytes > CN_DENSE_LIMIT_BYTES) {
        cn_diag_add(c->scpath, 0, 0, "periods %ld with %zu sites needs %.1f GiB for the "
                    "per-site, per-period profile arrays, more than the limit of %.0f GiB",
                    c->T, ns, bytes / (1024.0 * 1024 * 1024),
                    CN_DENSE_LIMIT_BYTES / (1024.0 * 1024 * 1024));
        return CN_OK;
    }
    size_t n = ns * (size_t)c->T;
    m->green_avail = cn_calloc(n, sizeof(double));
    m->price_factor = cn_calloc(n, sizeof(double));
    if (!m->green_avail || !m->price_factor)
        return cn_err_frame(CN_EOSERR, __func__, __FILE__, __LINE__);
    for (size_t i = 0; i < n; i++)
        m->green_avail[i] = m->price_factor[i] = 1.0;
    /* w(t): period_weight unless periods.csv says otherwise (model 1.1) */
    m->period_weight = cn_calloc((size_t)c->T, sizeof *m->period_weight);
    c->wline = cn_calloc((size_t)c->T, sizeof *c->wline);
    c->wcol = cn_calloc((size_t)c->T, sizeof *c->wcol);
    if (!m->period_weight || !c->wline || !c->wcol)
        return cn_err_frame(CN_EOSERR, __func__, __FILE__, __LINE__);
    for (long t = 0; t < c->T; t++)
        m->period_weight[t] = c->sc->period_weight;
    return CN_OK;
}

/* Hand the accepted rows of table t over (count in *n). */
static void *take(rctx *c, int t, size_t *n)
{
    void *p = c->t[t].rows;
    *n = c->t[t].n;
    c->t[t].rows = NULL;
    c->t[t].n = c->t[t].cap = 0;
    return p;
}

static void free_state(rctx *c)
{
    for (int t = 0; t < NTAB; t++) {
        tstate *st = &c->t[t];
        for (size_t i = 0; i < st->n; i++)
            free_row_strings(&g_tables[t], st->rows + i * g_tables[t].row_size);
        free(st->rows);
        free(st->lines);
        free(st->path);
        cn_idindex_destroy(&st->ids);
        cn_idindex_destroy(&st->poison);
    }
    cn_idindex_destroy(&c->keys);
    free(c->wline);
    free(c->wcol);
}

int cn_model_read(const cn_scenario *sc, cn_model **out)
{
    int rc = CN_OK;
    rctx c;
    memset(&c, 0, sizeof c);
    cn_model *m = cn_model_create();
    if (!m)
        CN_TRY(CN_EOSERR);
    CN_TRY(cn_scenario_copy(&m->sc, sc));
    c.sc = sc;
    c.m = m;
    c.T = sc->periods;
    c.scpath = sc->path ? sc->path : "scenario";
    long before = cn_diag_count();
    if (!m->sc.model_dir) {
        char *d = sc->path ? cn_path_dir(sc->path) : cn_strdup(".");
        m->sc.model_dir = d ? cn_path_join(d, ".") : NULL;
        free(d);
        if (!m->sc.model_dir)
            CN_TRY(CN_EOSERR);
    }
    struct stat stt;
    if (stat(m->sc.model_dir, &stt) != 0 || !S_ISDIR(stt.st_mode)) {
        cn_diag_add(m->sc.model_dir, 0, 0, "model directory not found");
        rc = CN_ENOINPUT;
        goto cleanup;
    }
    if (sc->periods < 1)
        cn_diag_add(c.scpath, 0, 0, "periods must be >= 1, got %ld", sc->periods);
    if (sc->path)
        CN_TRY(add_file(&c, sc->path));
    for (int t = 0; t < NTAB; t++) {
        if (t == T_PROFILES)
            CN_TRY(alloc_profiles(&c));
        int nf = m->nfiles;
        long nd = cn_diag_count();
        CN_TRY(read_table(&c, t));
        if (t == T_PERIODS && m->nfiles > nf) {
            m->has_periods_table = 1;
            /* windows are judged only on a clean periods.csv and complete classes */
            if (cn_diag_count() == nd && m->period_weight && c.t[T_CLASSES].complete)
                CN_TRY(check_windows(&c));
        }
    }
    if (c.missing) {
        rc = CN_ENOINPUT;
        goto cleanup;
    }
    if (cn_diag_count() > before) {
        rc = CN_EDATA;
        goto cleanup;
    }
    size_t n;
    m->types = take(&c, T_TYPES, &n);
    m->ntypes = (int)n;
    m->regions = take(&c, T_REGIONS, &n);
    m->nregions = (int)n;
    m->hubs = take(&c, T_HUBS, &n);
    m->nhubs = (int)n;
    m->sites = take(&c, T_SITES, &n);
    m->nsites = (int)n;
    m->caps = take(&c, T_CAPACITY, &n);
    m->ncaps = (int)n;
    m->links = take(&c, T_LINKS, &n);
    m->nlinks = (int)n;
    m->classes = take(&c, T_CLASSES, &n);
    m->nclasses = (int)n;
    m->demand = take(&c, T_DEMAND, &n);
    m->ndemand = (long)n;
    m->exps = take(&c, T_EXPANSIONS, &n);
    m->nexps = (int)n;
    *out = m;
    m = NULL;
cleanup:
    free_state(&c);
    cn_model_destroy(&m);
    return rc;
}
