/* io/sweep.c - see sweep.h.  The job file format and the summary layout are
 * documented in docs/sweeps.md.  Like io/scenario.c, the job file is read
 * with libyaml's event API through io/yaml_util.h: anchors, aliases and tags
 * are refused, nothing is expanded.  The summary is written with the shared
 * writer module (io/h5file.h). */
#include "sweep.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../base/err.h"
#include "../base/log.h"
#include "../base/version.h"
#include "../core/model.h"
#include "csv_table.h"
#include "h5file.h"
#include "reader.h"
#include "parse_util.h"
#include "yaml_util.h"

#define JOB_MAX_BYTES (1L << 20)
#define JOB_MAX_DEPTH 16

/* ================================================================ reading */

typedef struct jctx {
    cn_yaml y;
    cn_sweep *s;
    /* first position of each top-level key (0: not seen) */
    long seen[6];
    long scen_line, scen_col;
    char *scenario_rel, *outdir_rel;
} jctx;

enum { K_NAME, K_DESC, K_SCEN, K_OUTDIR, K_SWEEP, K_ARGS, NTOP };
static const char *const top_key[NTOP] = {"name", "description", "scenario", "outdir",
                                          "sweep", "solve_args"};

/* A scalar value for a top-level string key; NULL (problem recorded) if not. */
static char *take_string(jctx *c, const char *key, yaml_event_t *ev)
{
    cn_yaml *y = &c->y;
    char what[160];
    if (cn_yaml_refuse_props(y, ev))
        return NULL;
    if (ev->type != YAML_SCALAR_EVENT) {
        cn_yaml_diag(y, ev->start_mark, "%s must be a string, got %s", key,
                     cn_yaml_node_kind(ev, what, sizeof what));
        cn_yaml_skip_node(y, ev);
        return NULL;
    }
    const char *v = (const char *)ev->data.scalar.value;
    if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && cn_yaml_is_null(v)) {
        cn_yaml_diag(y, ev->start_mark, "%s must not be empty", key);
        return NULL;
    }
    if (!*v) {
        cn_yaml_diag(y, ev->start_mark, "%s must not be empty", key);
        return NULL;
    }
    char *d = cn_strdup(v);
    if (!d)
        y->fatal = CN_EOSERR;
    return d;
}

static int push_val(jctx *c, cn_sweep_key *k, const yaml_event_t *ev)
{
    cn_sweep_val *nv = cn_realloc(k->vals, (size_t)k->nvals + 1, sizeof *nv);
    if (!nv) {
        c->y.fatal = CN_EOSERR;
        return 0;
    }
    k->vals = nv;
    cn_sweep_val *v = &k->vals[k->nvals];
    memset(v, 0, sizeof *v);
    v->text = cn_strdup((const char *)ev->data.scalar.value);
    if (!v->text) {
        c->y.fatal = CN_EOSERR;
        return 0;
    }
    cn_yaml_pos(&c->y, ev->start_mark, &v->line, &v->col);
    v->num = NAN;
    k->nvals++;
    return 1;
}

/* One value of a sweep list: a scalar. */
static void sweep_value(jctx *c, cn_sweep_key *k, yaml_event_t *ev)
{
    cn_yaml *y = &c->y;
    char what[160];
    if (cn_yaml_refuse_props(y, ev)) {
        cn_yaml_skip_node(y, ev);
        return;
    }
    if (ev->type != YAML_SCALAR_EVENT) {
        cn_yaml_diag(y, ev->start_mark, "a value of sweep key '%s' must be a scalar, got %s",
                     k->key, cn_yaml_node_kind(ev, what, sizeof what));
        cn_yaml_skip_node(y, ev);
        return;
    }
    push_val(c, k, ev);
}

/* sweep: KEY: [v, ...] | KEY: v (one value) */
static void walk_sweep(jctx *c)
{
    cn_yaml *y = &c->y;
    cn_sweep *s = c->s;
    for (;;) {
        yaml_event_t kev, vev;
        char what[160], show[128];
        if (!cn_yaml_next(y, &kev))
            return;
        if (kev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&kev);
            return;
        }
        int keep = 0;
        if (cn_yaml_refuse_props(y, &kev)) {
            cn_yaml_skip_node(y, &kev);
        } else if (kev.type != YAML_SCALAR_EVENT) {
            cn_yaml_diag(y, kev.start_mark, "sweep keys must be plain strings, got %s",
                         cn_yaml_node_kind(&kev, what, sizeof what));
            cn_yaml_skip_node(y, &kev);
        } else {
            const char *name = (const char *)kev.data.scalar.value;
            int dup = -1;
            for (int i = 0; i < s->nkeys; i++)
                if (strcmp(s->keys[i].key, name) == 0)
                    dup = i;
            if (dup >= 0) {
                cn_yaml_diag(y, kev.start_mark, "duplicate sweep key '%s' (first on line %ld)",
                             cn_csv_show(name, show, sizeof show), s->keys[dup].line);
            } else if (!*name) {
                cn_yaml_diag(y, kev.start_mark, "sweep keys must not be empty");
            } else {
                cn_sweep_key *nk = cn_realloc(s->keys, (size_t)s->nkeys + 1, sizeof *nk);
                if (!nk) {
                    y->fatal = CN_EOSERR;
                    yaml_event_delete(&kev);
                    return;
                }
                s->keys = nk;
                cn_sweep_key *k = &s->keys[s->nkeys];
                memset(k, 0, sizeof *k);
                k->key = cn_strdup(name);
                cn_yaml_pos(y, kev.start_mark, &k->line, &k->col);
                if (!k->key) {
                    y->fatal = CN_EOSERR;
                    yaml_event_delete(&kev);
                    return;
                }
                s->nkeys++;
                keep = 1;
            }
        }
        yaml_event_delete(&kev);
        if (!cn_yaml_next(y, &vev))
            return;
        cn_sweep_key *k = keep ? &s->keys[s->nkeys - 1] : NULL;
        if (!k) {
            cn_yaml_skip_node(y, &vev);
        } else if (vev.type == YAML_SEQUENCE_START_EVENT && !cn_yaml_refuse_props(y, &vev)) {
            for (;;) {
                yaml_event_t e;
                if (!cn_yaml_next(y, &e))
                    break;
                if (e.type == YAML_SEQUENCE_END_EVENT) {
                    if (k->nvals == 0)
                        cn_yaml_diag(y, vev.start_mark, "sweep key '%s' needs at least one value",
                                     k->key);
                    yaml_event_delete(&e);
                    break;
                }
                sweep_value(c, k, &e);
                yaml_event_delete(&e);
                if (y->dead || y->fatal)
                    break;
            }
        } else if (vev.type == YAML_SEQUENCE_START_EVENT) {
            cn_yaml_skip_node(y, &vev); /* anchor or tag: reported */
        } else {
            sweep_value(c, k, &vev); /* a single value: the key is held fixed */
        }
        yaml_event_delete(&vev);
        if (y->dead || y->fatal)
            return;
    }
}

/* solve_args: [--opt, value, ...] */
static void walk_args(jctx *c, yaml_event_t *ev)
{
    cn_yaml *y = &c->y;
    cn_sweep *s = c->s;
    char what[160];
    if (cn_yaml_refuse_props(y, ev)) {
        cn_yaml_skip_node(y, ev);
        return;
    }
    if (ev->type != YAML_SEQUENCE_START_EVENT) {
        cn_yaml_diag(y, ev->start_mark, "solve_args must be a list of options, e.g. "
                     "[--method, monolithic], got %s", cn_yaml_node_kind(ev, what, sizeof what));
        cn_yaml_skip_node(y, ev);
        return;
    }
    /* options that name per-run files or that the sweep sets itself */
    static const char *const refused[] = {"-o", "--output", "--force", "--checkpoint",
                                          "--restart", "-h", "--help"};
    for (;;) {
        yaml_event_t e;
        if (!cn_yaml_next(y, &e))
            return;
        if (e.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&e);
            return;
        }
        if (cn_yaml_refuse_props(y, &e)) {
            cn_yaml_skip_node(y, &e);
        } else if (e.type != YAML_SCALAR_EVENT) {
            cn_yaml_diag(y, e.start_mark, "solve_args entries must be strings, got %s",
                         cn_yaml_node_kind(&e, what, sizeof what));
            cn_yaml_skip_node(y, &e);
        } else {
            const char *a = (const char *)e.data.scalar.value;
            int bad = 0;
            for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
                size_t n = strlen(refused[i]);
                if (strncmp(a, refused[i], n) == 0 &&
                    (a[n] == '\0' || a[n] == '=' || (n == 2 && refused[i][1] != '-')))
                    bad = 1;
            }
            if (bad) {
                cn_yaml_diag(y, e.start_mark, "solve_args must not contain '%s': the sweep sets "
                             "each task's output (OUTDIR/NAME-I.h5) and checkpoint itself, and "
                             "--force is an option of `cnopt sweep`", a);
            } else {
                char **na = cn_realloc(s->args, (size_t)s->nargs + 2, sizeof *na);
                if (na)
                    s->args = na;
                long *nl = cn_realloc(s->arg_line, (size_t)s->nargs + 1, sizeof *nl);
                if (nl)
                    s->arg_line = nl;
                long *nc = cn_realloc(s->arg_col, (size_t)s->nargs + 1, sizeof *nc);
                if (nc)
                    s->arg_col = nc;
                if (!na || !nl || !nc || !(na[s->nargs] = cn_strdup(a))) {
                    y->fatal = CN_EOSERR;
                    yaml_event_delete(&e);
                    return;
                }
                cn_yaml_pos(y, e.start_mark, &s->arg_line[s->nargs], &s->arg_col[s->nargs]);
                s->args[++s->nargs] = NULL;
            }
        }
        yaml_event_delete(&e);
        if (y->dead || y->fatal)
            return;
    }
}

static void walk_top(jctx *c)
{
    cn_yaml *y = &c->y;
    cn_sweep *s = c->s;
    for (;;) {
        yaml_event_t kev, vev;
        char what[160], show[128];
        if (!cn_yaml_next(y, &kev))
            return;
        if (kev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&kev);
            return;
        }
        int k = -1;
        yaml_mark_t km = kev.start_mark;
        if (cn_yaml_refuse_props(y, &kev)) {
            cn_yaml_skip_node(y, &kev);
        } else if (kev.type != YAML_SCALAR_EVENT) {
            cn_yaml_diag(y, km, "keys must be plain strings, got %s",
                         cn_yaml_node_kind(&kev, what, sizeof what));
            cn_yaml_skip_node(y, &kev);
        } else {
            const char *name = (const char *)kev.data.scalar.value;
            for (int i = 0; i < NTOP; i++)
                if (strcmp(name, top_key[i]) == 0)
                    k = i;
            if (k < 0) {
                cn_yaml_diag(y, km, "unknown key '%s' (expected name, description, scenario, "
                             "outdir, sweep or solve_args)", cn_csv_show(name, show, sizeof show));
            } else if (c->seen[k]) {
                cn_yaml_diag(y, km, "duplicate key '%s' (first on line %ld)", name, c->seen[k]);
                k = -1;
            } else {
                c->seen[k] = (long)km.line + 1;
            }
        }
        yaml_event_delete(&kev);
        if (!cn_yaml_next(y, &vev))
            return;
        switch (k) {
        case K_NAME: {
            char *v = take_string(c, "name", &vev);
            if (v) {
                int bad = cn_id_check(v);
                if (bad)
                    cn_yaml_diag(y, vev.start_mark, "name must match [A-Za-z0-9_.-]+ and be at "
                                 "most %d bytes (it names the result files), got '%s'",
                                 CN_ID_MAX, cn_csv_show(v, show, sizeof show));
                s->name = v;
            }
            break;
        }
        case K_DESC:
            if (vev.type == YAML_SCALAR_EVENT && !cn_yaml_refuse_props(y, &vev)) {
                if (!(s->description = cn_strdup((const char *)vev.data.scalar.value)))
                    y->fatal = CN_EOSERR;
            } else if (vev.type != YAML_SCALAR_EVENT) {
                cn_yaml_diag(y, vev.start_mark, "description must be a string, got %s",
                             cn_yaml_node_kind(&vev, what, sizeof what));
                cn_yaml_skip_node(y, &vev);
            }
            break;
        case K_SCEN:
            cn_yaml_pos(y, vev.start_mark, &c->scen_line, &c->scen_col);
            c->scenario_rel = take_string(c, "scenario", &vev);
            break;
        case K_OUTDIR:
            c->outdir_rel = take_string(c, "outdir", &vev);
            break;
        case K_SWEEP:
            if (cn_yaml_refuse_props(y, &vev)) {
                cn_yaml_skip_node(y, &vev);
            } else if (vev.type != YAML_MAPPING_START_EVENT) {
                cn_yaml_diag(y, vev.start_mark, "sweep must be a mapping of scenario keys to lists "
                             "of values, got %s", cn_yaml_node_kind(&vev, what, sizeof what));
                cn_yaml_skip_node(y, &vev);
            } else {
                walk_sweep(c);
                if (!y->dead && !y->fatal && s->nkeys == 0)
                    cn_yaml_diag(y, vev.start_mark, "sweep needs at least one key");
            }
            break;
        case K_ARGS:
            walk_args(c, &vev);
            break;
        default:
            cn_yaml_skip_node(y, &vev);
            break;
        }
        yaml_event_delete(&vev);
        if (y->dead || y->fatal)
            return;
    }
}

/* stream-start document-start MAPPING document-end stream-end */
static void walk(jctx *c)
{
    cn_yaml *y = &c->y;
    yaml_event_t ev;
    char what[160];
    if (!cn_yaml_root(y, &ev))
        return;
    if (ev.type == YAML_MAPPING_START_EVENT && !cn_yaml_refuse_props(y, &ev)) {
        walk_top(c);
    } else {
        if (ev.type != YAML_MAPPING_START_EVENT)
            cn_yaml_diag(y, ev.start_mark, "a job file must be a mapping of keys to "
                         "values, got %s", cn_yaml_node_kind(&ev, what, sizeof what));
        cn_yaml_skip_node(y, &ev);
        y->dead = 1;
    }
    yaml_event_delete(&ev);
    cn_yaml_end(y);
}

/* cn_scenario_set with its diagnostic captured in msg instead of recorded:
 * the caller decides where to report it (the key's or the value's position).
 * The recorded diagnostics are left as they were. */
static int probe_set(cn_scenario *sc, const char *key, const char *val, char *msg, size_t n)
{
    long total = cn_diag_count();
    long kept = total < CN_DIAG_MAX ? total : CN_DIAG_MAX;
    cn_diag *saved = kept ? cn_calloc((size_t)kept, sizeof *saved) : NULL;
    if (kept && !saved)
        return CN_EOSERR;
    for (long i = 0; i < kept; i++)
        saved[i] = *cn_diag_get(i);
    cn_diag_clear();
    int rc = cn_scenario_set(sc, key, val, "", 0, 0);
    const cn_diag *d = cn_diag_get(0);
    snprintf(msg, n, "%s", d ? d->msg : "");
    cn_diag_clear();
    for (long i = 0; i < kept; i++)
        cn_diag_add(saved[i].file, saved[i].line, saved[i].col, "%s", saved[i].msg);
    for (long i = kept; i < total; i++)
        cn_diag_add("", 0, 0, "%s", ""); /* beyond CN_DIAG_MAX only the count is kept */
    free(saved);
    return rc;
}

static int key_problem(const char *msg)
{
    return strncmp(msg, "unknown scenario key", 20) == 0 || strncmp(msg, "scale is a group", 16) == 0;
}

/* Every value through cn_scenario_set on a copy of the base scenario. */
static int validate_values(jctx *c, const cn_scenario *base)
{
    cn_yaml *y = &c->y;
    cn_sweep *s = c->s;
    cn_scenario sc;
    cn_scenario_init(&sc);
    int rc = cn_scenario_copy(&sc, base);
    for (int i = 0; rc == CN_OK && i < s->nkeys; i++) {
        cn_sweep_key *k = &s->keys[i];
        k->numeric = 1;
        for (int j = 0; rc == CN_OK && j < k->nvals; j++) {
            cn_sweep_val *v = &k->vals[j];
            char msg[512];
            int r = probe_set(&sc, k->key, v->text, msg, sizeof msg);
            if (r == CN_EDATA && key_problem(msg)) {
                cn_diag_add(y->path, k->line, k->col, "sweep key: %s", msg);
                y->nerr++;
                break;
            }
            if (r == CN_EDATA) {
                cn_diag_add(y->path, v->line, v->col, "%s", msg);
                y->nerr++;
            } else if (r != CN_OK) {
                rc = r;
            }
            double x = NAN;
            if (cn_yaml_is_null(v->text))
                v->num = NAN;
            else if (cn_parse_double(v->text, &x) == CN_NUM_OK)
                v->num = x;
            else
                k->numeric = 0;
            /* the same value twice would make identical tasks */
            for (int q = 0; q < j; q++) {
                const cn_sweep_val *w = &k->vals[q];
                int same = strcmp(w->text, v->text) == 0 ||
                           (!isnan(w->num) && !isnan(v->num) && w->num == v->num);
                if (same) {
                    cn_diag_add(y->path, v->line, v->col, "value '%s' of sweep key '%s' is "
                                "repeated (first on line %ld, column %ld)", v->text, k->key,
                                w->line, w->col);
                    y->nerr++;
                    break;
                }
            }
        }
    }
    cn_scenario_free(&sc);
    return rc;
}

int cn_sweep_read(const char *path, cn_sweep **out)
{
    int rc = CN_OK;
    unsigned char *buf = NULL;
    size_t len = 0;
    char *dir = NULL;
    jctx c;
    memset(&c, 0, sizeof c);
    cn_scenario base;
    cn_scenario_init(&base);
    cn_sweep *s = cn_calloc(1, sizeof *s);
    if (!s)
        CN_TRY(CN_EOSERR);
    c.s = s;
    rc = cn_yaml_read_file(path, "job file", "cannot open job file: not found",
                           JOB_MAX_BYTES, &buf, &len);
    if (rc != CN_OK) {
        if (rc == CN_EOSERR)
            cn_err_frame(rc, __func__, __FILE__, __LINE__);
        goto cleanup;
    }
    s->path = cn_strdup(path);
    dir = cn_path_dir(path);
    if (!s->path || !dir)
        CN_TRY(CN_EOSERR);
    cn_yaml_init(&c.y, path, buf, len, "job file", "a job file", JOB_MAX_DEPTH);
    CN_TRY(cn_yaml_open(&c.y));
    if (!c.y.dead)
        walk(&c);
    cn_yaml_free(&c.y);
    if (c.y.fatal)
        CN_TRY(c.y.fatal);
    if (c.y.dead) {
        rc = CN_EDATA;
        goto cleanup;
    }
    if (!c.seen[K_NAME]) {
        cn_diag_add(path, 0, 0, "name is required");
        c.y.nerr++;
    }
    if (!c.seen[K_SCEN]) {
        cn_diag_add(path, 0, 0, "scenario is required (path of the base scenario, "
                    "relative to the job file)");
        c.y.nerr++;
    }
    if (!c.seen[K_SWEEP]) {
        cn_diag_add(path, 0, 0, "sweep is required (a mapping of scenario keys to lists "
                    "of values)");
        c.y.nerr++;
    }
    /* the task count, guarded against overflow */
    s->ntasks = s->nkeys > 0 ? 1 : 0;
    for (int i = s->nkeys - 1; i >= 0; i--) {
        s->keys[i].stride = s->ntasks;
        if (s->keys[i].nvals > 0 && s->ntasks > CN_SWEEP_MAX_TASKS / s->keys[i].nvals) {
            cn_diag_add(path, s->keys[i].line, s->keys[i].col, "the sweep has more than %ld "
                        "tasks", CN_SWEEP_MAX_TASKS);
            c.y.nerr++;
            s->ntasks = 0;
            break;
        }
        s->ntasks *= s->keys[i].nvals;
    }
    if (c.outdir_rel || s->name) {
        char rel[400];
        if (!c.outdir_rel)
            snprintf(rel, sizeof rel, "results/%s", s->name);
        s->outdir = cn_path_join(dir, c.outdir_rel ? c.outdir_rel : rel);
        if (!s->outdir)
            CN_TRY(CN_EOSERR);
    }
    if (c.scenario_rel) {
        s->scenario = cn_path_join(dir, c.scenario_rel);
        if (!s->scenario)
            CN_TRY(CN_EOSERR);
        struct stat st;
        int serr = stat(s->scenario, &st) != 0 ? errno : 0;
        if (serr || S_ISDIR(st.st_mode)) {
            cn_diag_add(path, c.scen_line, c.scen_col, "scenario '%s' %s", s->scenario,
                        serr == ENOENT ? "not found (the path is relative to the job file)"
                        : serr         ? strerror(serr)
                                       : "is a directory");
            c.y.nerr++;
        } else {
            int r = cn_scenario_read(s->scenario, &base);
            if (r == CN_EOSERR)
                CN_TRY(r);
            if (r != CN_OK) {
                c.y.nerr++;
            } else {
                CN_TRY(validate_values(&c, &base));
            }
        }
    }
    if (c.y.nerr) {
        rc = CN_EDATA;
        goto cleanup;
    }
    *out = s;
    s = NULL;
cleanup:
    cn_yaml_free(&c.y);
    cn_scenario_free(&base);
    free(c.scenario_rel);
    free(c.outdir_rel);
    free(dir);
    free(buf);
    cn_sweep_destroy(&s);
    return rc;
}

void cn_sweep_destroy(cn_sweep **sp)
{
    if (!sp || !*sp)
        return;
    cn_sweep *s = *sp;
    for (int i = 0; i < s->nkeys; i++) {
        for (int j = 0; j < s->keys[i].nvals; j++)
            free(s->keys[i].vals[j].text);
        free(s->keys[i].vals);
        free(s->keys[i].key);
    }
    free(s->keys);
    for (int i = 0; i < s->nargs; i++)
        free(s->args[i]);
    free(s->args);
    free(s->arg_line);
    free(s->arg_col);
    free(s->path);
    free(s->name);
    free(s->description);
    free(s->scenario);
    free(s->outdir);
    free(s);
    *sp = NULL;
}

const cn_sweep_val *cn_sweep_value(const cn_sweep *s, long t, int k)
{
    const cn_sweep_key *key = &s->keys[k];
    return &key->vals[(t / key->stride) % key->nvals];
}

int cn_sweep_result_path(const cn_sweep *s, long t, char *buf, size_t n)
{
    int w = snprintf(buf, n, "%s/%s-%ld.h5", s->outdir, s->name, t);
    if (w < 0 || (size_t)w >= n)
        return CN_ERR(CN_ESOFTWARE, "result path of task %ld is longer than %zu bytes", t, n);
    return CN_OK;
}

int cn_sweep_summary_path(const cn_sweep *s, char *buf, size_t n)
{
    int w = snprintf(buf, n, "%s/%s-summary.h5", s->outdir, s->name);
    if (w < 0 || (size_t)w >= n)
        return CN_ERR(CN_ESOFTWARE, "summary path is longer than %zu bytes", n);
    return CN_OK;
}

int cn_sweep_mkdirs(const char *dir)
{
    char p[4096];
    if (snprintf(p, sizeof p, "%s", dir) >= (int)sizeof p)
        return CN_ERR(CN_ECANTCREAT, "directory name too long: '%.64s...'", dir);
    for (char *q = p + 1;; q++) {
        if (*q == '/' || *q == '\0') {
            char ch = *q;
            *q = '\0';
            struct stat st;
            if (mkdir(p, 0777) != 0 && errno != EEXIST)
                return CN_ERR(CN_ECANTCREAT, "cannot create directory '%s': %s", p, strerror(errno));
            if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
                return CN_ERR(CN_ECANTCREAT, "'%s' is not a directory", p);
            if (ch == '\0')
                break;
            *q = ch;
        }
    }
    return CN_OK;
}

/* ================================================================ collect */

static void row_blank(cn_sweep_row *r)
{
    memset(r, 0, sizeof *r);
    r->objective = r->bound = r->gap = NAN;
    for (int i = 0; i < CN_H5_NPARTS; i++)
        r->parts[i] = NAN;
    r->emissions_tco2 = r->energy_mwh = r->unserved_share = NAN;
}

void cn_sweep_rows_destroy(cn_sweep_row **rows, long n)
{
    if (!rows || !*rows)
        return;
    for (long t = 0; t < n; t++) {
        cn_sweep_row *r = &(*rows)[t];
        for (int e = 0; r->invest && e < r->nexps; e++) {
            free(r->invest[e].site);
            free(r->invest[e].type);
        }
        free(r->invest);
    }
    free(*rows);
    *rows = NULL;
}

int cn_sweep_rows_read(const cn_sweep *s, cn_sweep_row **out)
{
    cn_sweep_row *rows = cn_calloc((size_t)s->ntasks, sizeof *rows);
    if (!rows)
        return cn_err_frame(CN_EOSERR, __func__, __FILE__, __LINE__);
    for (long t = 0; t < s->ntasks; t++) {
        cn_sweep_row *r = &rows[t];
        row_blank(r);
        char path[4096];
        int rc = cn_sweep_result_path(s, t, path, sizeof path);
        if (rc != CN_OK) {
            cn_sweep_rows_destroy(&rows, s->ntasks);
            return rc;
        }
        struct stat st;
        if (stat(path, &st) != 0) {
            snprintf(r->status, sizeof r->status, "missing");
            snprintf(r->note, sizeof r->note, "no result %.480s", path);
            continue;
        }
        cn_h5_summary *h = NULL;
        cn_err_clear();
        rc = cn_h5_read_summary(path, &h);
        if (rc == CN_EOSERR) {
            cn_sweep_rows_destroy(&rows, s->ntasks);
            return rc;
        }
        if (rc != CN_OK) {
            const char *m = cn_err_message();
            const char *nl = strchr(m, '\n');
            snprintf(r->status, sizeof r->status, "unreadable");
            snprintf(r->note, sizeof r->note, "%.*s", nl ? (int)(nl - m) : (int)strlen(m), m);
            cn_err_clear();
            continue;
        }
        snprintf(r->status, sizeof r->status, "%s", h->status);
        r->objective = h->objective;
        r->bound = h->bound;
        r->gap = h->gap;
        for (int i = 0; i < CN_H5_NPARTS; i++)
            r->parts[i] = h->parts[i];
        r->emissions_tco2 = h->emissions_tco2;
        r->energy_mwh = h->energy_mwh;
        r->unserved_share = h->demand_total > 0 ? h->unserved_total / h->demand_total : 0.0;
        r->nexps = h->nexps;        /* the build plan moves into the row */
        r->invest = h->invest;
        h->nexps = 0;
        h->invest = NULL;
        r->ok = strcmp(h->status, "optimal") == 0 || strcmp(h->status, "feasible") == 0;
        if (!r->ok)
            snprintf(r->note, sizeof r->note, "%.400s: status %s (no solution)", path, h->status);
        cn_h5_summary_destroy(&h);
    }
    *out = rows;
    return CN_OK;
}

/* ---- the summary file (the shared writer, io/h5file.c) ---- */

typedef struct sw {
    cn_h5file *f;
    size_t n;              /* tasks */
    int nds;
    char ds[64][320];      /* datasets of /tasks other than the scale, to attach it to */
} sw;

/* A 1-D dataset /tasks/NAME of the tasks, with its units and long_name. */
static int put(sw *w, const char *name, int type, const void *data, const char *units,
               const char *long_name, int scale)
{
    int rc = CN_OK;
    char path[320];
    snprintf(path, sizeof path, "/tasks/%s", name);
    CN_TRY(cn_h5file_put(w->f, path, type, 1, &w->n, data, units, long_name, NULL));
    if (!scale && w->nds < (int)(sizeof w->ds / sizeof w->ds[0]))
        snprintf(w->ds[w->nds++], sizeof w->ds[0], "%s", path);
cleanup:
    return rc;
}

static int put_f64(sw *w, const char *name, const double *v, const char *units, const char *ln)
{
    return put(w, name, CN_H5_F64, v, units, ln, 0);
}

/* Variable-length UTF-8 strings (what netCDF-C reads). */
static int put_str(sw *w, const char *name, const char *const *v, const char *ln)
{
    return put(w, name, CN_H5_STR, v, NULL, ln, 0);
}

/* /tasks/task as the dimension scale "task" of every other dataset of /tasks
 * (xarray and netCDF readers then see a dimension "task" with its values). */
static int attach_task_scale(sw *w)
{
    int rc = CN_OK;
    CN_TRY(cn_h5file_set_scale(w->f, "/tasks/task", "task"));
    for (int i = 0; i < w->nds; i++)
        CN_TRY(cn_h5file_attach(w->f, w->ds[i], 0, "/tasks/task"));
cleanup:
    return rc;
}

/* Units of a sweep key's values, where the scenario documents them. */
static const char *key_units(const char *key)
{
    if (strcmp(key, "carbon_price") == 0)
        return "yuan/tCO2";
    if (strcmp(key, "carbon_cap") == 0)
        return "tCO2";
    if (strcmp(key, "period_hours") == 0)
        return "h";
    if (strncmp(key, "scale.", 6) == 0 || strcmp(key, "period_weight") == 0 ||
        strcmp(key, "periods") == 0)
        return "1";
    return NULL;
}

/* The build plan of the tasks (docs/sweeps.md, "The summary file"):
 * /tasks/modules_built [task], and, when every usable task has the same
 * expansion rows, the coordinate /tasks/expansion ("SITE:TYPE") and
 * [task, expansion] datasets of modules built, value and net per module.
 * Tasks without a usable result are NaN. */
static int write_plan(sw *w, const cn_sweep *s, const cn_sweep_row *rows, double *col)
{
    int rc = CN_OK;
    size_t n = (size_t)s->ntasks, E = 0;
    long first = -1;
    char **label = NULL;
    double *m = NULL, *val = NULL, *net = NULL;
    for (size_t t = 0; t < n; t++) {
        col[t] = NAN;
        if (!rows[t].ok)
            continue;
        col[t] = 0;
        for (int e = 0; e < rows[t].nexps; e++)
            col[t] += rows[t].invest[e].v.built;
    }
    CN_TRY(put_f64(w, "modules_built", col, "1", "expansion modules built, all rows"));
    for (size_t t = 0; t < n && first < 0; t++)
        if (rows[t].ok)
            first = (long)t;
    if (first < 0 || rows[first].nexps == 0)
        goto cleanup;   /* no usable task, or no expansion rows: nothing per row */
    E = (size_t)rows[first].nexps;
    const cn_h5_invest *ref = rows[first].invest;
    for (size_t t = 0; t < n; t++) {
        if (!rows[t].ok)
            continue;
        int same = (size_t)rows[t].nexps == E;
        for (size_t e = 0; same && e < E; e++)
            same = strcmp(rows[t].invest[e].site, ref[e].site) == 0 &&
                   strcmp(rows[t].invest[e].type, ref[e].type) == 0;
        if (!same) {
            cn_log(CN_LOG_WARN, "the build plan per expansion row is not in the summary: task %zu has "
                   "other expansion rows (%d) than task %ld (%zu)", t, rows[t].nexps, first, E);
            goto cleanup;
        }
    }
    if (!(label = cn_calloc(E, sizeof *label)) || !(m = cn_calloc(n * E, sizeof *m)) ||
        !(val = cn_calloc(n * E, sizeof *val)) || !(net = cn_calloc(n * E, sizeof *net)))
        CN_TRY(CN_EOSERR);
    for (size_t e = 0; e < E; e++) {
        size_t len = strlen(ref[e].site) + strlen(ref[e].type) + 2;
        if (!(label[e] = cn_calloc(len, 1)))
            CN_TRY(CN_EOSERR);
        snprintf(label[e], len, "%s:%s", ref[e].site, ref[e].type);
    }
    for (size_t t = 0; t < n; t++)
        for (size_t e = 0; e < E; e++) {
            const cn_invest *v = rows[t].ok ? &rows[t].invest[e].v : NULL;
            m[t * E + e] = v ? v->built : NAN;
            val[t * E + e] = v ? v->value_yuan : NAN;
            net[t * E + e] = v ? v->net_yuan : NAN;
        }
    CN_TRY(cn_h5file_put(w->f, "/tasks/expansion", CN_H5_STR, 1, &E, label, NULL,
                         "expansion row SITE:TYPE (expansions.csv order)", NULL));
    static const char *const name[3] = {"expansion_modules", "expansion_value_yuan", "expansion_net_yuan"};
    static const char *const units[3] = {"1", "yuan", "yuan"};
    static const char *const ln[3] = {
        "modules built per expansion row",
        "what one module saves at the LP with the modules fixed (docs/model.md section 10)",
        "value per module minus the module's cost"};
    const double *data[3] = {m, val, net};
    size_t dims[2] = {n, E};
    CN_TRY(cn_h5file_set_scale(w->f, "/tasks/expansion", "expansion"));
    for (int k = 0; k < 3; k++) {
        char path[320];
        snprintf(path, sizeof path, "/tasks/%s", name[k]);
        CN_TRY(cn_h5file_put(w->f, path, CN_H5_F64, 2, dims, data[k], units[k], ln[k], NULL));
        CN_TRY(cn_h5file_attach(w->f, path, 1, "/tasks/expansion"));
        if (w->nds < (int)(sizeof w->ds / sizeof w->ds[0]))
            snprintf(w->ds[w->nds++], sizeof w->ds[0], "%s", path);   /* axis 0: task */
    }
cleanup:
    for (size_t e = 0; label && e < E; e++)
        free(label[e]);
    free(label);
    free(m);
    free(val);
    free(net);
    return rc;
}

static int write_tasks(sw *w, const cn_sweep *s, const cn_sweep_row *rows)
{
    int rc = CN_OK;
    size_t n = (size_t)s->ntasks;
    int32_t *task = cn_calloc(n + 1, sizeof *task);
    double *col = cn_calloc(n + 1, sizeof *col);
    const char **str = cn_calloc(n + 1, sizeof *str);
    char (*files)[300] = cn_calloc(n + 1, sizeof *files);
    if (!task || !col || !str || !files)
        CN_TRY(CN_EOSERR);
    for (size_t t = 0; t < n; t++)
        task[t] = (int32_t)t;
    CN_TRY(put(w, "task", CN_H5_I32, task, "1", "task index", 1));
    for (int k = 0; k < s->nkeys; k++) {
        const cn_sweep_key *key = &s->keys[k];
        char ln[300];
        snprintf(ln, sizeof ln, "sweep parameter %s", key->key);
        if (key->numeric) {
            for (size_t t = 0; t < n; t++)
                col[t] = cn_sweep_value(s, (long)t, k)->num;
            CN_TRY(put_f64(w, key->key, col, key_units(key->key), ln));
        } else {
            for (size_t t = 0; t < n; t++)
                str[t] = cn_sweep_value(s, (long)t, k)->text;
            CN_TRY(put_str(w, key->key, str, ln));
        }
    }
#define COLUMN(field, name, units, ln)                 \
    do {                                               \
        for (size_t t = 0; t < n; t++)                 \
            col[t] = rows[t].field;                    \
        CN_TRY(put_f64(w, name, col, units, ln));      \
    } while (0)
    COLUMN(objective, "objective", "yuan", "objective (total cost)");
    COLUMN(bound, "bound", "yuan", "best proven lower bound");
    COLUMN(gap, "gap", "1", "relative gap");
    for (size_t t = 0; t < n; t++)
        str[t] = rows[t].status;
    CN_TRY(put_str(w, "status", str, "solver status, or missing/unreadable"));
    static const char *const part_ln[CN_H5_NPARTS] = {
        "grid energy cost", "carbon cost", "green energy cost", "backbone transfer cost",
        "unserved demand penalty", "expansion cost"};
    for (int i = 0; i < CN_H5_NPARTS; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s_yuan", cn_h5_part_name(i));
        for (size_t t = 0; t < n; t++)
            col[t] = rows[t].parts[i];
        CN_TRY(put_f64(w, name, col, "yuan", part_ln[i]));
    }
    COLUMN(emissions_tco2, "emissions_tco2", "tCO2", "grid emissions over the weighted horizon");
    COLUMN(energy_mwh, "energy_mwh", "MWh", "grid and green energy over the weighted horizon");
    COLUMN(unserved_share, "unserved_share", "1", "unserved share of demand (PFLOPS-periods)");
#undef COLUMN
    CN_TRY(write_plan(w, s, rows, col));
    for (size_t t = 0; t < n; t++) {
        snprintf(files[t], sizeof files[t], "%s-%zu.h5", s->name, t);
        str[t] = files[t];
    }
    CN_TRY(put_str(w, "result", str, "result file of the task (in the sweep's outdir)"));
    for (size_t t = 0; t < n; t++)
        str[t] = rows[t].note;
    CN_TRY(put_str(w, "note", str, "why the task has no usable result (empty when it has)"));
    CN_TRY(attach_task_scale(w));
cleanup:
    free(task);
    free(col);
    free(str);
    free(files);
    return rc;
}

static void utc_now(char *buf, size_t n)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int write_root(sw *w, const cn_sweep *s, const cn_sweep_row *rows)
{
    int rc = CN_OK;
    cn_h5file *f = w->f;
    const char **keys = NULL;
    char when[40];
    utc_now(when, sizeof when);
    CN_TRY(cn_h5file_attr_str(f, "/", "Conventions", "CF-1.8"));
    CN_TRY(cn_h5file_attr_str(f, "/", "kind", "cnopt-sweep-summary"));
    CN_TRY(cn_h5file_attr_str(f, "/", "schema_version", CN_SWEEP_SCHEMA_VERSION));
    CN_TRY(cn_h5file_attr_str(f, "/", "job", s->name));
    CN_TRY(cn_h5file_attr_str(f, "/", "base_scenario", s->scenario));
    CN_TRY(cn_h5file_attr_str(f, "/", "job_file", s->path));
    if (s->description)
        CN_TRY(cn_h5file_attr_str(f, "/", "description", s->description));
    CN_TRY(cn_h5file_attr_str(f, "/", "order", "cartesian product, keys in job-file order, last key varies fastest"));
    CN_TRY(cn_h5file_attr_str(f, "/", "cnopt_version", CN_VERSION));
    CN_TRY(cn_h5file_attr_str(f, "/", "created_utc", when));
    int64_t nbad = 0;
    for (long i = 0; i < s->ntasks; i++)
        nbad += !rows[i].ok;
    CN_TRY(cn_h5file_attr_i64(f, "/", "ntasks", s->ntasks));
    CN_TRY(cn_h5file_attr_i64(f, "/", "nproblems", nbad));
    /* sweep_keys: the parameter datasets of /tasks, in order */
    if (!(keys = cn_calloc((size_t)s->nkeys + 1, sizeof *keys)))
        CN_TRY(CN_EOSERR);
    for (int k = 0; k < s->nkeys; k++)
        keys[k] = s->keys[k].key;
    CN_TRY(cn_h5file_attr_array(f, "/", "sweep_keys", CN_H5_STR, (size_t)s->nkeys, keys));
cleanup:
    free(keys);
    return rc;
}

int cn_sweep_summary_write(const cn_sweep *s, const cn_sweep_row *rows, const char *path)
{
    int rc = CN_OK;
    char tmp[4400] = "";
    sw w;
    memset(&w, 0, sizeof w);
    w.n = (size_t)s->ntasks;
    CN_TRY(cn_h5file_temp_name(path, (long long)getpid(), tmp, sizeof tmp));
    cn_h5file_remove_stale(path);
    CN_TRY(cn_h5file_create(tmp, &w.f));
    CN_TRY(cn_h5file_group(w.f, "/tasks"));
    CN_TRY(write_root(&w, s, rows));
    CN_TRY(write_tasks(&w, s, rows));
    CN_TRY(cn_h5file_attr_i32(w.f, "/", "complete", 1)); /* last */
    CN_TRY(cn_h5file_close(&w.f));
    CN_TRY(cn_h5file_publish(tmp, path, 1));   /* an existing summary is replaced */
cleanup:
    cn_h5file_close(&w.f);
    if (rc != CN_OK && tmp[0])
        unlink(tmp);
    return rc;
}
