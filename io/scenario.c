/* io/scenario.c - the scenario file (spec section 3): cn_scenario_read and
 * cn_scenario_set of io/scenario.h.
 *
 * The file is read with libyaml's event API (no document tree) through
 * io/yaml_util.h: aliases, anchors and tags are rejected, so nothing is ever
 * expanded; values of unknown keys are skipped with a nesting bound.  Plain scalars are typed as
 * in the YAML 1.2 core schema (null, true/false, numbers); a quoted scalar is
 * always a string.  Rules and wording: docs/input-format.md section 3.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/err.h"
#include "csv_table.h"
#include "parse_util.h"
#include "scenario.h"
#include "yaml_util.h"

#define SCENARIO_MAX_BYTES (16L * 1024 * 1024)
#define YAML_MAX_DEPTH 64

/* ---- the keys: one row per settable key ---- */

enum stype { S_NAME, S_TEXT, S_MODEL, S_INT, S_NUM, S_BOOL };

typedef struct skey {
    const char *key;
    int type;
    size_t off;        /* member of cn_scenario */
    double lo;         /* lower bound (S_INT, S_NUM) */
    int lo_open;       /* 1: > lo, 0: >= lo */
    long has_off;      /* nullable number: offset of its has_ flag, else -1 */
} skey;

#define OFF(f) offsetof(cn_scenario, f)
static const skey g_keys[] = {
    {"name", S_NAME, OFF(name), 0, 0, -1},
    {"description", S_TEXT, OFF(description), 0, 0, -1},
    {"model", S_MODEL, OFF(model_dir), 0, 0, -1},
    {"periods", S_INT, OFF(periods), 1, 0, -1},
    {"period_hours", S_NUM, OFF(period_hours), 0, 1, -1},
    {"period_weight", S_NUM, OFF(period_weight), 0, 1, -1},
    {"carbon_price", S_NUM, OFF(carbon_price), 0, 0, -1},
    {"carbon_cap", S_NUM, OFF(carbon_cap), 0, 0, (long)OFF(has_carbon_cap)},
    {"expansion", S_BOOL, OFF(expansion), 0, 0, -1},
    {"scale.demand", S_NUM, OFF(scale_demand), 0, 0, -1},
    {"scale.bandwidth", S_NUM, OFF(scale_bandwidth), 0, 0, -1},
    {"scale.green", S_NUM, OFF(scale_green), 0, 0, -1},
    {"scale.grid_price", S_NUM, OFF(scale_grid_price), 0, 0, -1},
};
#define NKEYS ((int)(sizeof g_keys / sizeof g_keys[0]))
#define KEY_MODEL 2
_Static_assert(NKEYS < 16, "yctx.seen_line needs a slot per key and one for scale");

static int find_key(const char *key)
{
    for (int i = 0; i < NKEYS; i++)
        if (strcmp(g_keys[i].key, key) == 0)
            return i;
    return -1;
}

/* YAML 1.2 core schema, plain scalars only (null: cn_yaml_is_null). */
static int as_bool(const char *s)
{
    if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
        return 1;
    if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
        return 0;
    return -1;
}

/* How a value of the wrong kind is named in a message. */
static const char *kind_of(const char *s, int quoted, char *buf, size_t size)
{
    char show[128];
    cn_csv_show(s, show, sizeof show);
    if (quoted)
        snprintf(buf, size, "quoted string \"%s\"", show);
    else if (cn_yaml_is_null(s))
        snprintf(buf, size, "null");
    else
        snprintf(buf, size, "%s", show);
    return buf;
}

static int set_string(char **dst, const char *s)
{
    char *d = cn_strdup(s);
    if (!d)
        return cn_err_frame(CN_EOSERR, __func__, __FILE__, __LINE__);
    free(*dst);
    *dst = d;
    return CN_OK;
}

/* The setter with the YAML scalar style: quoted = 1 for a quoted scalar (a
 * string, never a number, bool or null).  base_dir: the directory "model" is
 * relative to (NULL: the scenario's directory, or "."). */
static int set_scalar(cn_scenario *sc, const char *key, const char *value, int quoted,
                      const char *base_dir, const char *file, long line, long col)
{
    int rc = CN_OK;
    char *dir = NULL;
    char what[200], show[128];
    int k = find_key(key);
    if (k < 0) {
        cn_csv_show(key, show, sizeof show);
        if (strcmp(key, "scale") == 0)
            cn_diag_add(file, line, col, "scale is a group: set scale.demand, "
                        "scale.bandwidth, scale.green or scale.grid_price");
        else
            cn_diag_add(file, line, col, "unknown scenario key '%s'", show);
        return CN_EDATA;
    }
    const skey *d = &g_keys[k];
    char *base = (char *)sc;
    int plain_null = !quoted && cn_yaml_is_null(value);
    switch (d->type) {
    case S_NAME: {
        if (plain_null) {
            cn_diag_add(file, line, col, "name must not be empty");
            return CN_EDATA;
        }
        if (cn_id_diag(value, "name", file, line, col))
            return CN_EDATA;
        CN_TRY(set_string(&sc->name, value));
        break;
    }
    case S_TEXT:
        if (plain_null) {
            free(sc->description);
            sc->description = NULL;
        } else {
            CN_TRY(set_string(&sc->description, value));
        }
        break;
    case S_MODEL: {
        if (quoted && !*value) {
            cn_diag_add(file, line, col, "model must not be empty (use . for the "
                        "scenario's directory)");
            return CN_EDATA;
        }
        const char *rel = plain_null ? "." : value;
        if (!base_dir) {
            dir = sc->path ? cn_path_dir(sc->path) : cn_strdup(".");
            if (!dir)
                CN_TRY(CN_EOSERR);
            base_dir = dir;
        }
        char *p = cn_path_join(base_dir, rel);
        if (!p)
            CN_TRY(CN_EOSERR);
        free(sc->model_dir);
        sc->model_dir = p;
        break;
    }
    case S_INT: {
        long v = 0;
        int r = (quoted || plain_null || as_bool(value) >= 0) ? CN_NUM_SYNTAX
                                                             : cn_parse_long(value, &v);
        if (r != CN_NUM_OK) {
            cn_diag_add(file, line, col, "%s %s, got %s", d->key, cn_num_problem(r, 1),
                        kind_of(value, quoted, what, sizeof what));
            return CN_EDATA;
        }
        if (v < (long)d->lo) {
            cn_diag_add(file, line, col, "%s must be >= %ld, got %s", d->key, (long)d->lo,
                        cn_csv_show(value, show, sizeof show));
            return CN_EDATA;
        }
        *(long *)(base + d->off) = v;
        break;
    }
    case S_NUM: {
        if (plain_null && d->has_off >= 0) {
            *(int *)(base + d->has_off) = 0;
            *(double *)(base + d->off) = 0;
            break;
        }
        double v = 0;
        int r = (quoted || plain_null || as_bool(value) >= 0) ? CN_NUM_SYNTAX
                                                             : cn_parse_double(value, &v);
        if (r != CN_NUM_OK) {
            cn_diag_add(file, line, col, "%s %s, got %s", d->key,
                        r == CN_NUM_SYNTAX && d->has_off >= 0 ? "must be null or a number"
                                                              : cn_num_problem(r, 0),
                        kind_of(value, quoted, what, sizeof what));
            return CN_EDATA;
        }
        if (d->lo_open ? !(v > d->lo) : !(v >= d->lo)) {
            cn_diag_add(file, line, col, "%s must be %s %g, got %s", d->key,
                        d->lo_open ? ">" : ">=", d->lo, cn_csv_show(value, show, sizeof show));
            return CN_EDATA;
        }
        if (!cn_num_solvable(v)) {
            cn_diag_add(file, line, col, "%s %s, got %s", d->key, CN_NUM_RANGE_TEXT,
                        cn_csv_show(value, show, sizeof show));
            return CN_EDATA;
        }
        *(double *)(base + d->off) = v;
        if (d->has_off >= 0)
            *(int *)(base + d->has_off) = 1;
        break;
    }
    case S_BOOL: {
        int b = quoted ? -1 : as_bool(value);
        if (b < 0) {
            cn_diag_add(file, line, col, "%s must be true or false, got %s", d->key,
                        kind_of(value, quoted, what, sizeof what));
            return CN_EDATA;
        }
        *(int *)(base + d->off) = b;
        break;
    }
    }
cleanup:
    free(dir);
    return rc;
}

/* The current value of a number or flag key k as text: "%g" for "(was X)",
 * or exact ("%.17g") for cn_scenario_visit.  Strings: NULL (see below). */
static void value_text(const cn_scenario *sc, int k, int exact, char *buf, size_t n)
{
    const skey *d = &g_keys[k];
    const char *base = (const char *)sc;
    switch (d->type) {
    case S_INT: snprintf(buf, n, "%ld", *(const long *)(base + d->off)); break;
    case S_BOOL: snprintf(buf, n, "%s", *(const int *)(base + d->off) ? "true" : "false"); break;
    case S_NUM:
        if (d->has_off >= 0 && !*(const int *)(base + d->has_off))
            snprintf(buf, n, "none");
        else
            snprintf(buf, n, exact ? "%.17g" : "%g", *(const double *)(base + d->off));
        break;
    default: {
        const char *v = *(char *const *)(base + d->off);
        snprintf(buf, n, "%s", v ? v : "none");
    }
    }
}

void cn_scenario_visit(const cn_scenario *sc, cn_scenario_visit_fn fn, void *ctx)
{
    const char *base = (const char *)sc;
    for (int k = 0; k < NKEYS; k++) {
        const skey *d = &g_keys[k];
        int is_str = d->type == S_NAME || d->type == S_TEXT || d->type == S_MODEL;
        char buf[64];
        const char *v = buf;
        if (is_str)  /* verbatim, whatever its length; NULL when absent */
            v = *(char *const *)(base + d->off);
        else
            value_text(sc, k, 1, buf, sizeof buf);
        fn(ctx, d->key, v, d->type == S_MODEL);
    }
}

#define DERIVED_NAME_MAX 200   /* bytes; longer derived names end in "+..." */
#define SET_MARK "changed by --set: "

/* Record an override in the scenario's name and description, so that a result
 * says what differs from the scenario file: name "china-2024-base" becomes
 * "china-2024-base+carbon_price=300" (characters other than [A-Za-z0-9_.=+-] of
 * the value become '_', so the name stays one path component: it is the
 * default output file name) and the description gets "changed by --set:
 * carbon_price=300 (was 80)".  Overrides of name and description themselves
 * are taken verbatim (so `--set name=X` after the others chooses the name).
 * Returns CN_OK or CN_EOSERR. */
static int record_override(cn_scenario *sc, const char *key, const char *value, const char *was)
{
    char add[300], text[600];
    snprintf(add, sizeof add, "+%s=%s", key, value);
    for (char *c = add; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              strchr("_.=+-", *c)))
            *c = '_';
    size_t n = sc->name ? strlen(sc->name) : 0;
    if (sc->name && !(n >= 4 && strcmp(sc->name + n - 4, "+...") == 0)) {
        if (n + strlen(add) > DERIVED_NAME_MAX)
            snprintf(add, sizeof add, "+...");
        size_t k = strlen(add);
        char *nm = realloc(sc->name, n + k + 1);
        if (!nm)
            return CN_ERR(CN_EOSERR, "out of memory naming the scenario after --set %s", key);
        memcpy(nm + n, add, k + 1);
        sc->name = nm;
    }
    const char *d = sc->description;
    int more = d && strstr(d, SET_MARK) != NULL;
    snprintf(text, sizeof text, "%s%s%s=%s (was %s)", d ? d : "", more ? ", " : d ? "; " SET_MARK : SET_MARK,
             key, value, was);
    char *nd = cn_strdup(text);
    if (!nd)
        return CN_EOSERR;
    free(sc->description);
    sc->description = nd;
    return CN_OK;
}

int cn_scenario_set(cn_scenario *sc, const char *key, const char *value,
                    const char *file, long line, long col)
{
    int k = find_key(key);
    char was[300] = "";
    if (k >= 0)
        value_text(sc, k, 0, was, sizeof was);
    int rc = set_scalar(sc, key, value, 0, NULL, file, line, col);
    if (rc != CN_OK || k < 0 || g_keys[k].type == S_NAME || g_keys[k].type == S_TEXT)
        return rc;
    return record_override(sc, key, value, was);
}

/* ---- the YAML walk ---- */

typedef struct yctx {
    cn_yaml y;
    char *base_dir;
    cn_scenario *sc;
    int root_bad;        /* the document is not a mapping */
    long seen_line[16];  /* first occurrence of each key of g_keys; 0 = not seen */
    long seen_col[16];
    long model_line, model_col;
} yctx;

static const char *expect_of(int type)
{
    switch (type) {
    case S_INT: return "an integer";
    case S_NUM: return "a number";
    case S_BOOL: return "true or false";
    default: return "a string";
    }
}

static void walk_mapping(yctx *c, const char *prefix, int depth);

/* The value of key k (ev: its first event). */
static void key_value(yctx *c, int k, yaml_event_t *ev)
{
    char what[160];
    cn_yaml_refuse_props(&c->y, ev);
    if (ev->type == YAML_ALIAS_EVENT)
        return;   /* reported by cn_yaml_refuse_props */
    if (ev->type != YAML_SCALAR_EVENT) {
        cn_yaml_diag(&c->y, ev->start_mark, "%s must be %s, got %s", g_keys[k].key,
                     expect_of(g_keys[k].type), cn_yaml_node_kind(ev, what, sizeof what));
        cn_yaml_skip_node(&c->y, ev);
        return;
    }
    int quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    const char *v = (const char *)ev->data.scalar.value;
    long line, col;
    cn_yaml_pos(&c->y, ev->start_mark, &line, &col);
    if (k == KEY_MODEL) {
        c->model_line = line;
        c->model_col = col;
    }
    long before = cn_diag_count();
    int rc = set_scalar(c->sc, g_keys[k].key, v, quoted, c->base_dir, c->y.path,
                                    line, col);
    c->y.nerr += (int)(cn_diag_count() - before);
    if (rc != CN_OK && rc != CN_EDATA)
        c->y.fatal = rc;
}

static void walk_mapping(yctx *c, const char *prefix, int depth)
{
    cn_yaml *y = &c->y;
    for (;;) {
        yaml_event_t kev, vev;
        char what[200], show[128];
        if (!cn_yaml_next(y, &kev))
            return;
        if (kev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&kev);
            return;
        }
        if (kev.type != YAML_SCALAR_EVENT) {
            cn_yaml_diag(y, kev.start_mark, "keys must be plain strings, got %s",
                         cn_yaml_node_kind(&kev, what, sizeof what));
            cn_yaml_skip_node(y, &kev);
            yaml_event_delete(&kev);
            if (cn_yaml_next(y, &vev)) {
                cn_yaml_skip_node(y, &vev);
                yaml_event_delete(&vev);
            }
            if (y->dead)
                return;
            continue;
        }
        cn_yaml_refuse_props(y, &kev);
        char full[300];
        const char *kname = (const char *)kev.data.scalar.value;
        snprintf(full, sizeof full, "%s%s%s", prefix, *prefix ? "." : "", kname);
        int k = find_key(full);
        int is_scale = !*prefix && strcmp(kname, "scale") == 0;
        long kline, kcol;
        cn_yaml_pos(&c->y, kev.start_mark, &kline, &kcol);
        int dup_of = -1;
        if (k >= 0 || is_scale) {
            int slot = is_scale ? NKEYS : k;
            if (c->seen_line[slot]) {
                cn_yaml_diag(y, kev.start_mark, "duplicate key '%s' (first on line %ld)",
                             cn_csv_show(full, show, sizeof show), c->seen_line[slot]);
                dup_of = slot;
            } else {
                c->seen_line[slot] = kline;
                c->seen_col[slot] = kcol;
            }
        } else if (*prefix) {
            cn_yaml_diag(y, kev.start_mark, "unknown key '%s' in %s (expected demand, "
                         "bandwidth, green or grid_price)",
                         cn_csv_show(kname, show, sizeof show), prefix);
        } else {
            cn_yaml_diag(y, kev.start_mark, "unknown key '%s' (expected name, description, "
                         "model, periods, period_hours, period_weight, carbon_price, "
                         "carbon_cap, expansion or scale)",
                         cn_csv_show(kname, show, sizeof show));
        }
        yaml_event_delete(&kev);
        if (!cn_yaml_next(y, &vev))
            return;
        if (dup_of >= 0 || (k < 0 && !is_scale)) {
            cn_yaml_skip_node(y, &vev);
        } else if (is_scale) {
            cn_yaml_refuse_props(y, &vev);
            if (vev.type == YAML_MAPPING_START_EVENT && depth < y->max_depth) {
                walk_mapping(c, "scale", depth + 1);
            } else if (vev.type == YAML_ALIAS_EVENT ||
                       (vev.type == YAML_SCALAR_EVENT &&
                        vev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
                        cn_yaml_is_null((const char *)vev.data.scalar.value))) {
                /* scale: (null) = all defaults; an alias was reported */
            } else {
                cn_yaml_diag(y, vev.start_mark, "scale must be a mapping, got %s",
                             vev.type == YAML_SCALAR_EVENT
                                 ? kind_of((const char *)vev.data.scalar.value,
                                           vev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE,
                                           what, sizeof what)
                                 : cn_yaml_node_kind(&vev, what, sizeof what));
                cn_yaml_skip_node(y, &vev);
            }
        } else {
            key_value(c, k, &vev);
        }
        yaml_event_delete(&vev);
        if (y->dead || y->fatal)
            return;
    }
}

/* stream-start document-start ROOT document-end stream-end */
static void walk(yctx *c)
{
    yaml_event_t ev;
    if (!cn_yaml_root(&c->y, &ev))
        return;
    cn_yaml_refuse_props(&c->y, &ev);
    if (ev.type == YAML_MAPPING_START_EVENT) {
        walk_mapping(c, "", 1);
    } else {
        char what[200];
        c->root_bad = 1;
        cn_yaml_diag(&c->y, ev.start_mark, "the scenario must be a mapping of keys to values, "
                     "got %s",
                     ev.type == YAML_SCALAR_EVENT
                         ? kind_of((const char *)ev.data.scalar.value,
                                   ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE, what,
                                   sizeof what)
                         : cn_yaml_node_kind(&ev, what, sizeof what));
        cn_yaml_skip_node(&c->y, &ev);
    }
    yaml_event_delete(&ev);
    cn_yaml_end(&c->y);
}

int cn_scenario_read(const char *path, cn_scenario *sc)
{
    int rc = CN_OK;
    unsigned char *buf = NULL;
    size_t len = 0;
    cn_scenario tmp;
    cn_scenario_init(&tmp);
    yctx c;
    memset(&c, 0, sizeof c);

    rc = cn_yaml_read_file(path, "scenario file", "scenario file not found",
                           SCENARIO_MAX_BYTES, &buf, &len);
    if (rc != CN_OK) {
        if (rc == CN_EOSERR)
            cn_err_frame(rc, __func__, __FILE__, __LINE__);
        goto cleanup;
    }
    tmp.path = cn_strdup(path);
    c.base_dir = cn_path_dir(path);
    if (!tmp.path || !c.base_dir)
        CN_TRY(CN_EOSERR);
    cn_yaml_init(&c.y, path, buf, len, "scenario file", "a scenario", YAML_MAX_DEPTH);
    c.sc = &tmp;
    CN_TRY(cn_yaml_open(&c.y));
    if (!c.y.dead)
        walk(&c);
    if (c.y.fatal)
        CN_TRY(c.y.fatal);
    if (!c.y.dead && !c.root_bad) {
        if (!c.seen_line[find_key("name")]) {
            cn_diag_add(path, 0, 0, "name is required");
            c.y.nerr++;
        }
        if (!c.seen_line[find_key("periods")]) {
            cn_diag_add(path, 0, 0, "periods is required");
            c.y.nerr++;
        }
        if (!tmp.model_dir) {
            tmp.model_dir = cn_path_join(c.base_dir, ".");
            if (!tmp.model_dir)
                CN_TRY(CN_EOSERR);
        }
        struct stat st;
        int serr = stat(tmp.model_dir, &st) != 0 ? errno : 0;
        if (serr || !S_ISDIR(st.st_mode)) {
            cn_diag_add(path, c.model_line, c.model_col, "model directory '%s' %s",
                        tmp.model_dir,
                        serr == ENOENT ? "not found"
                        : serr         ? strerror(serr)
                                       : "is not a directory");
            rc = CN_ENOINPUT;
            goto cleanup;
        }
    }
    if (c.y.nerr) {
        rc = CN_EDATA;
        goto cleanup;
    }
    cn_scenario_free(sc);
    *sc = tmp;
    cn_scenario_init(&tmp);
cleanup:
    cn_yaml_free(&c.y);
    cn_scenario_free(&tmp);
    free(c.base_dir);
    free(buf);
    return rc;
}
