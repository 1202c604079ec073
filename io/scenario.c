/* io/scenario.c - the scenario file (spec section 3): cn_scenario_read and
 * cn_scenario_set of io/reader.h.  The only module that includes <yaml.h>.
 *
 * The file is read with libyaml's event API (no document tree): aliases,
 * anchors and tags are rejected, so nothing is ever expanded; values of
 * unknown keys are skipped with a nesting bound.  Plain scalars are typed as
 * in the YAML 1.2 core schema (null, true/false, numbers); a quoted scalar is
 * always a string.  Rules and wording: docs/input-format.md section 3.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "../base/err.h"
#include "csv_table.h"
#include "reader.h"
#include "reader_int.h"

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

/* YAML 1.2 core schema, plain scalars only. */
static int is_null(const char *s)
{
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
           !strcmp(s, "NULL");
}
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
    else if (is_null(s))
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

int cn_scenario_set_scalar(cn_scenario *sc, const char *key, const char *value, int quoted,
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
    int plain_null = !quoted && is_null(value);
    switch (d->type) {
    case S_NAME: {
        if (plain_null) {
            cn_diag_add(file, line, col, "name must not be empty");
            return CN_EDATA;
        }
        int bad = cn_id_check(value);
        if (bad == 3) {
            cn_diag_add(file, line, col, "name is longer than %d bytes (got %zu)", CN_ID_MAX,
                        strlen(value));
            return CN_EDATA;
        }
        if (bad) {
            cn_diag_add(file, line, col, "name must match [A-Za-z0-9_.-]+, got '%s'",
                        cn_csv_show(value, show, sizeof show));
            return CN_EDATA;
        }
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

int cn_scenario_set(cn_scenario *sc, const char *key, const char *value,
                    const char *file, long line, long col)
{
    return cn_scenario_set_scalar(sc, key, value, 0, NULL, file, line, col);
}

/* ---- the YAML walk ---- */

typedef struct yctx {
    yaml_parser_t p;
    const char *path;
    const unsigned char *buf;
    size_t len;
    char *base_dir;
    cn_scenario *sc;
    int dead;            /* syntax error: stop */
    int empty;           /* no document at all */
    int root_bad;        /* the document is not a mapping */
    int nerr;            /* diagnostics added */
    int fatal;           /* CN_EOSERR */
    long seen_line[16];  /* first occurrence of each key of g_keys; 0 = not seen */
    long seen_col[16];
    long model_line, model_col;
} yctx;

static void ydiag(yctx *c, yaml_mark_t m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void ydiag(yctx *c, yaml_mark_t m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cn_diag_vadd(c->path, (long)m.line + 1, (long)m.column + 1, fmt, ap);
    va_end(ap);
    c->nerr++;
}

/* Line and character column (1-based) of byte offset off of the buffer. */
static void locate(const yctx *c, size_t off, long *line, long *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off && i < c->len; i++) {
        if (c->buf[i] == '\n') {
            ++*line;
            *col = 1;
        } else if ((c->buf[i] & 0xC0) != 0x80) {
            ++*col;
        }
    }
}

/* Next event; on a syntax error records it, sets c->dead and returns 0. */
static int next(yctx *c, yaml_event_t *ev)
{
    if (c->dead)
        return 0;
    if (yaml_parser_parse(&c->p, ev))
        return 1;
    c->dead = 1;
    c->nerr++;
    if (c->p.error == YAML_MEMORY_ERROR) {
        c->fatal = CN_ERR(CN_EOSERR, "out of memory parsing '%s'", c->path);
        return 0;
    }
    long line, col;
    if (c->p.error == YAML_READER_ERROR) {
        locate(c, c->p.problem_offset, &line, &col);
        if (c->p.problem_value >= 0)
            cn_diag_add(c->path, line, col, "%s (byte 0x%02x)",
                        c->p.problem ? c->p.problem : "cannot read", c->p.problem_value);
        else
            cn_diag_add(c->path, line, col, "%s", c->p.problem ? c->p.problem : "cannot read");
        return 0;
    }
    line = (long)c->p.problem_mark.line + 1;
    col = (long)c->p.problem_mark.column + 1;
    if (c->p.context)
        cn_diag_add(c->path, line, col, "YAML syntax error: %s %s (started on line %ld)",
                    c->p.problem ? c->p.problem : "", c->p.context,
                    (long)c->p.context_mark.line + 1);
    else
        cn_diag_add(c->path, line, col, "YAML syntax error: %s",
                    c->p.problem ? c->p.problem : "cannot parse");
    return 0;
}

/* Reject anchors and tags on a node's first event. */
static void check_props(yctx *c, const yaml_event_t *ev)
{
    const yaml_char_t *anchor = NULL, *tag = NULL;
    if (ev->type == YAML_SCALAR_EVENT) {
        anchor = ev->data.scalar.anchor;
        tag = ev->data.scalar.tag;
    } else if (ev->type == YAML_MAPPING_START_EVENT) {
        anchor = ev->data.mapping_start.anchor;
        tag = ev->data.mapping_start.tag;
    } else if (ev->type == YAML_SEQUENCE_START_EVENT) {
        anchor = ev->data.sequence_start.anchor;
        tag = ev->data.sequence_start.tag;
    } else if (ev->type == YAML_ALIAS_EVENT) {
        ydiag(c, ev->start_mark, "aliases are not allowed in a scenario (got *%s)",
              (const char *)ev->data.alias.anchor);
        return;
    }
    if (anchor)
        ydiag(c, ev->start_mark, "anchors are not allowed in a scenario (got &%s)",
              (const char *)anchor);
    if (tag)
        ydiag(c, ev->start_mark, "tags are not allowed in a scenario (got %s)",
              (const char *)tag);
}

/* Consume the rest of the node whose first event is ev (ev is not deleted). */
static void skip_node(yctx *c, const yaml_event_t *ev)
{
    if (ev->type != YAML_MAPPING_START_EVENT && ev->type != YAML_SEQUENCE_START_EVENT)
        return;
    int depth = 1;
    while (depth > 0) {
        yaml_event_t e;
        if (!next(c, &e))
            return;
        if (e.type == YAML_MAPPING_START_EVENT || e.type == YAML_SEQUENCE_START_EVENT) {
            if (++depth > YAML_MAX_DEPTH) {
                ydiag(c, e.start_mark, "nesting deeper than %d levels", YAML_MAX_DEPTH);
                c->dead = 1;
            }
        } else if (e.type == YAML_MAPPING_END_EVENT || e.type == YAML_SEQUENCE_END_EVENT) {
            depth--;
        }
        yaml_event_delete(&e);
        if (c->dead)
            return;
    }
}

static const char *node_kind(const yaml_event_t *ev)
{
    return ev->type == YAML_MAPPING_START_EVENT  ? "a mapping"
           : ev->type == YAML_SEQUENCE_START_EVENT ? "a list"
                                                   : "an alias";
}

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
    check_props(c, ev);
    if (ev->type == YAML_ALIAS_EVENT)
        return;   /* reported by check_props */
    if (ev->type != YAML_SCALAR_EVENT) {
        ydiag(c, ev->start_mark, "%s must be %s, got %s", g_keys[k].key,
              expect_of(g_keys[k].type), node_kind(ev));
        skip_node(c, ev);
        return;
    }
    int quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    const char *v = (const char *)ev->data.scalar.value;
    long line = (long)ev->start_mark.line + 1, col = (long)ev->start_mark.column + 1;
    if (k == KEY_MODEL) {
        c->model_line = line;
        c->model_col = col;
    }
    long before = cn_diag_count();
    int rc = cn_scenario_set_scalar(c->sc, g_keys[k].key, v, quoted, c->base_dir, c->path,
                                    line, col);
    c->nerr += (int)(cn_diag_count() - before);
    if (rc != CN_OK && rc != CN_EDATA)
        c->fatal = rc;
}

static void walk_mapping(yctx *c, const char *prefix, int depth)
{
    for (;;) {
        yaml_event_t kev, vev;
        if (!next(c, &kev))
            return;
        if (kev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&kev);
            return;
        }
        if (kev.type != YAML_SCALAR_EVENT) {
            ydiag(c, kev.start_mark, "keys must be plain strings, got %s", node_kind(&kev));
            skip_node(c, &kev);
            yaml_event_delete(&kev);
            if (next(c, &vev)) {
                skip_node(c, &vev);
                yaml_event_delete(&vev);
            }
            if (c->dead)
                return;
            continue;
        }
        check_props(c, &kev);
        char full[300], show[128];
        const char *kname = (const char *)kev.data.scalar.value;
        snprintf(full, sizeof full, "%s%s%s", prefix, *prefix ? "." : "", kname);
        int k = find_key(full);
        int is_scale = !*prefix && strcmp(kname, "scale") == 0;
        long kline = (long)kev.start_mark.line + 1, kcol = (long)kev.start_mark.column + 1;
        int dup_of = -1;
        if (k >= 0 || is_scale) {
            int slot = is_scale ? NKEYS : k;
            if (c->seen_line[slot]) {
                ydiag(c, kev.start_mark, "duplicate key '%s' (first on line %ld)",
                      cn_csv_show(full, show, sizeof show), c->seen_line[slot]);
                dup_of = slot;
            } else {
                c->seen_line[slot] = kline;
                c->seen_col[slot] = kcol;
            }
        } else if (*prefix) {
            ydiag(c, kev.start_mark, "unknown key '%s' in %s (expected demand, bandwidth, "
                  "green or grid_price)", cn_csv_show(kname, show, sizeof show), prefix);
        } else {
            ydiag(c, kev.start_mark, "unknown key '%s' (expected name, description, model, "
                  "periods, period_hours, period_weight, carbon_price, carbon_cap, "
                  "expansion or scale)", cn_csv_show(kname, show, sizeof show));
        }
        yaml_event_delete(&kev);
        if (!next(c, &vev))
            return;
        if (dup_of >= 0 || (k < 0 && !is_scale)) {
            skip_node(c, &vev);
        } else if (is_scale) {
            check_props(c, &vev);
            if (vev.type == YAML_MAPPING_START_EVENT && depth < YAML_MAX_DEPTH) {
                walk_mapping(c, "scale", depth + 1);
            } else if (vev.type == YAML_ALIAS_EVENT ||
                       (vev.type == YAML_SCALAR_EVENT &&
                        vev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
                        is_null((const char *)vev.data.scalar.value))) {
                /* scale: (null) = all defaults; an alias was reported */
            } else {
                char what[200];
                ydiag(c, vev.start_mark, "scale must be a mapping, got %s",
                      vev.type == YAML_SCALAR_EVENT
                          ? kind_of((const char *)vev.data.scalar.value,
                                    vev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE, what,
                                    sizeof what)
                          : node_kind(&vev));
                skip_node(c, &vev);
            }
        } else {
            key_value(c, k, &vev);
        }
        yaml_event_delete(&vev);
        if (c->dead || c->fatal)
            return;
    }
}

/* stream-start document-start ROOT document-end stream-end */
static void walk(yctx *c)
{
    yaml_event_t ev;
    if (!next(c, &ev))
        return;
    yaml_event_delete(&ev);   /* stream start */
    if (!next(c, &ev))
        return;
    if (ev.type == YAML_STREAM_END_EVENT) {
        yaml_event_delete(&ev);
        cn_diag_add(c->path, 0, 0, "scenario file is empty");
        c->nerr++;
        c->empty = 1;
        return;
    }
    yaml_event_delete(&ev);   /* document start */
    if (!next(c, &ev))
        return;
    check_props(c, &ev);
    if (ev.type == YAML_MAPPING_START_EVENT) {
        walk_mapping(c, "", 1);
    } else {
        char what[200];
        c->root_bad = 1;
        ydiag(c, ev.start_mark, "the scenario must be a mapping of keys to values, got %s",
              ev.type == YAML_SCALAR_EVENT
                  ? kind_of((const char *)ev.data.scalar.value,
                            ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE, what, sizeof what)
                  : node_kind(&ev));
        skip_node(c, &ev);
    }
    yaml_event_delete(&ev);
    if (c->dead || c->fatal)
        return;
    if (!next(c, &ev))
        return;
    yaml_event_delete(&ev);   /* document end */
    if (!next(c, &ev))
        return;
    if (ev.type == YAML_DOCUMENT_START_EVENT)
        ydiag(c, ev.start_mark, "more than one YAML document (a scenario file holds one)");
    yaml_event_delete(&ev);
}

static int read_file(const char *path, unsigned char **buf, size_t *len)
{
    struct stat st;
    *buf = NULL;
    *len = 0;
    if (stat(path, &st) != 0) {
        cn_diag_add(path, 0, 0, errno == ENOENT ? "scenario file not found"
                                                : "cannot open scenario file: %s",
                    strerror(errno));
        return CN_ENOINPUT;
    }
    if (S_ISDIR(st.st_mode)) {
        cn_diag_add(path, 0, 0, "cannot open scenario file: is a directory");
        return CN_ENOINPUT;
    }
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        cn_diag_add(path, 0, 0, "cannot open scenario file: %s", strerror(errno));
        return CN_ENOINPUT;
    }
    size_t cap = 4096, n = 0;
    unsigned char *b = cn_calloc(cap, 1);
    if (!b) {
        fclose(fp);
        return cn_err_frame(CN_EOSERR, __func__, __FILE__, __LINE__);
    }
    for (;;) {
        if (n == cap) {
            if (cap >= (size_t)SCENARIO_MAX_BYTES) {
                fclose(fp);
                free(b);
                cn_diag_add(path, 0, 0, "scenario file is larger than %ld MiB",
                            SCENARIO_MAX_BYTES >> 20);
                return CN_EDATA;
            }
            unsigned char *nb = cn_realloc(b, cap * 2, 1);
            if (!nb) {
                fclose(fp);
                free(b);
                return cn_err_frame(CN_EOSERR, __func__, __FILE__, __LINE__);
            }
            b = nb;
            cap *= 2;
        }
        size_t r = fread(b + n, 1, cap - n, fp);
        n += r;
        if (r == 0)
            break;
    }
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        free(b);
        cn_diag_add(path, 0, 0, "cannot read scenario file");
        return CN_ENOINPUT;
    }
    *buf = b;
    *len = n;
    return CN_OK;
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
    int parser_init = 0;

    rc = read_file(path, &buf, &len);
    if (rc != CN_OK) {
        if (rc == CN_EOSERR)
            cn_err_frame(rc, __func__, __FILE__, __LINE__);
        goto cleanup;
    }
    tmp.path = cn_strdup(path);
    c.base_dir = cn_path_dir(path);
    if (!tmp.path || !c.base_dir)
        CN_TRY(CN_EOSERR);
    c.path = path;
    c.buf = buf;
    c.len = len;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        c.buf += 3;   /* a UTF-8 byte order mark: skip it (columns are unchanged) */
        c.len -= 3;
    }
    c.sc = &tmp;
    /* pass 1: syntax only, so that a syntax error is reported alone and not
     * after complaints about the half-parsed node before it */
    for (int pass = 0; pass < 2 && !c.dead && !c.fatal; pass++) {
        if (!yaml_parser_initialize(&c.p))
            CN_TRY(CN_ERR(CN_EOSERR, "cannot initialise the YAML parser"));
        parser_init = 1;
        yaml_parser_set_input_string(&c.p, c.buf, c.len);
        yaml_parser_set_encoding(&c.p, YAML_UTF8_ENCODING);
        if (pass == 0) {
            yaml_event_t ev;
            int end = 0;
            while (!end && next(&c, &ev)) {
                end = ev.type == YAML_STREAM_END_EVENT;
                yaml_event_delete(&ev);
            }
        } else {
            walk(&c);
        }
        if (pass == 0) {
            yaml_parser_delete(&c.p);
            parser_init = 0;
        }
    }
    if (c.fatal)
        CN_TRY(c.fatal);
    if (!c.dead && !c.empty && !c.root_bad) {
        if (!c.seen_line[find_key("name")]) {
            cn_diag_add(path, 0, 0, "name is required");
            c.nerr++;
        }
        if (!c.seen_line[find_key("periods")]) {
            cn_diag_add(path, 0, 0, "periods is required");
            c.nerr++;
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
    if (c.nerr) {
        rc = CN_EDATA;
        goto cleanup;
    }
    cn_scenario_free(sc);
    *sc = tmp;
    cn_scenario_init(&tmp);
cleanup:
    if (parser_init)
        yaml_parser_delete(&c.p);
    cn_scenario_free(&tmp);
    free(c.base_dir);
    free(buf);
    return rc;
}
