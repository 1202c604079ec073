/* io/yaml_util.c - see yaml_util.h. */
#include "yaml_util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../base/infile.h"
#include "../base/signals.h"
#include "csv_table.h"

int cn_yaml_read_file(const char *path, const char *file_noun, const char *not_found,
                      long max_bytes, unsigned char **buf, size_t *len)
{
    *buf = NULL;
    *len = 0;
    FILE *fp = NULL;
    const char *why = NULL;
    int e = cn_input_fopen(path, &fp, &why);
    if (e == ENOENT) {
        cn_diag_add(path, 0, 0, "%s", not_found);
        return CN_ENOINPUT;
    }
    if (e) {
        cn_diag_add(path, 0, 0, "cannot open %s: %s", file_noun, why);
        return CN_ENOINPUT;
    }
    /* read to the end, at most max_bytes + 1 bytes: one more says "too large" */
    size_t max = (size_t)max_bytes, cap = 4096, n = 0;
    unsigned char *b = cn_calloc(cap, 1);
    if (!b) {
        fclose(fp);
        return cn_err_frame(CN_EOSERR, __func__, __FILE__, __LINE__);
    }
    for (;;) {
        if (n == cap) {
            if (n > max)
                break;
            size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            unsigned char *nb = cn_realloc(b, ncap, 1);
            if (!nb) {
                fclose(fp);
                free(b);
                return cn_err_frame(CN_EOSERR, __func__, __FILE__, __LINE__);
            }
            b = nb;
            cap = ncap;
        }
        int sig = cn_signals_check_reading(path);
        if (sig != CN_OK) {
            fclose(fp);
            free(b);
            return sig;
        }
        size_t r = fread(b + n, 1, cap - n > 65536 ? 65536 : cap - n, fp);
        n += r;
        if (r == 0)
            break;
    }
    int bad = ferror(fp);
    fclose(fp);
    if (bad || n > max) {
        free(b);
        if (bad) {
            cn_diag_add(path, 0, 0, "cannot read %s", file_noun);
            return CN_ENOINPUT;
        }
        if (max_bytes >= 10L << 20)
            cn_diag_add(path, 0, 0, "%s is larger than %ld MiB", file_noun, max_bytes >> 20);
        else
            cn_diag_add(path, 0, 0, "%s is larger than %ld KiB", file_noun, max_bytes >> 10);
        return CN_EDATA;
    }
    *buf = b;
    *len = n;
    return CN_OK;
}

/* 1 when buf ends with one of libyaml's line breaks: LF, CR, NEL (C2 85),
 * LS or PS (E2 80 A8/A9); also for an empty buffer. */
static int ends_with_break(const unsigned char *buf, size_t len)
{
    if (len == 0 || buf[len - 1] == '\n' || buf[len - 1] == '\r')
        return 1;
    if (len >= 2 && buf[len - 2] == 0xC2 && buf[len - 1] == 0x85)
        return 1;
    return len >= 3 && buf[len - 3] == 0xE2 && buf[len - 2] == 0x80 &&
           (buf[len - 1] == 0xA8 || buf[len - 1] == 0xA9);
}

void cn_yaml_init(cn_yaml *y, const char *path, const unsigned char *buf, size_t len,
                  const char *file_noun, const char *props_noun, int max_depth)
{
    memset(y, 0, sizeof *y);
    y->path = path;
    y->buf = buf;
    y->len = len;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        y->buf += 3;
        y->len -= 3;
    }
    y->file_noun = file_noun;
    y->props_noun = props_noun;
    y->max_depth = max_depth;
    /* once per file, for cn_yaml_pos: libyaml's mark.index counts characters */
    for (size_t i = 0; i < y->len; i++)
        y->nchars += (y->buf[i] & 0xC0) != 0x80;
    if (!ends_with_break(y->buf, y->len)) {
        y->eof_col = 1;
        for (size_t i = y->len; i > 0 && y->buf[i - 1] != '\n' && y->buf[i - 1] != '\r'; i--)
            y->eof_col += (y->buf[i - 1] & 0xC0) != 0x80;
    }
}

static int parser_start(cn_yaml *y)
{
    if (!yaml_parser_initialize(&y->p))
        return CN_ERR(CN_EOSERR, "cannot initialise the YAML parser");
    y->live = 1;
    yaml_parser_set_input_string(&y->p, y->buf, y->len);
    yaml_parser_set_encoding(&y->p, YAML_UTF8_ENCODING);
    return CN_OK;
}

int cn_yaml_open(cn_yaml *y)
{
    int rc = CN_OK;
    CN_TRY(parser_start(y));
    /* Pass 1 also bounds the nesting and stops at the first node too deep:
     * libyaml's scanner checks its whole simple-key stack (one entry per open
     * flow level) on every token, so reading 100,000 nested '[' to their end
     * is quadratic (50 s for 200 KB).  Stopping here, libyaml has scanned at
     * most about 1,024 tokens past the limit (a simple key goes stale after
     * 1,024 characters). */
    yaml_event_t ev;
    int end = 0, depth = 0;
    while (!end && cn_yaml_next(y, &ev)) {
        end = ev.type == YAML_STREAM_END_EVENT;
        if (ev.type == YAML_MAPPING_START_EVENT || ev.type == YAML_SEQUENCE_START_EVENT) {
            if (++depth > y->max_depth) {
                cn_yaml_diag(y, ev.start_mark, "nesting deeper than %d levels", y->max_depth);
                y->dead = 1;
                end = 1;
            }
        } else if (ev.type == YAML_MAPPING_END_EVENT || ev.type == YAML_SEQUENCE_END_EVENT) {
            depth--;
        }
        yaml_event_delete(&ev);
    }
    cn_yaml_free(y);
    if (!y->dead)
        CN_TRY(parser_start(y));
cleanup:
    return rc;
}

void cn_yaml_free(cn_yaml *y)
{
    if (y->live)
        yaml_parser_delete(&y->p);
    y->live = 0;
}

void cn_yaml_pos(const cn_yaml *y, yaml_mark_t m, long *line, long *col)
{
    *line = (long)m.line + 1;
    *col = (long)m.column + 1;
    /* at the end of a file without a final line break libyaml's mark is one
     * line past the last: point just after the last character instead */
    if (y->eof_col > 0 && m.index >= y->nchars && m.line > 0 && m.column == 0) {
        *line = (long)m.line;
        *col = y->eof_col;
    }
}

void cn_yaml_diag(cn_yaml *y, yaml_mark_t m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    long line, col;
    cn_yaml_pos(y, m, &line, &col);
    cn_diag_vadd(y->path, line, col, fmt, ap);
    va_end(ap);
    y->nerr++;
}

/* Line and character column (1-based) of byte offset off of the buffer. */
static void locate(const cn_yaml *y, size_t off, long *line, long *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off && i < y->len; i++) {
        if (y->buf[i] == '\n') {
            ++*line;
            *col = 1;
        } else if ((y->buf[i] & 0xC0) != 0x80) {
            ++*col;
        }
    }
}

int cn_yaml_next(cn_yaml *y, yaml_event_t *ev)
{
    if (y->dead)
        return 0;
    int sig = cn_signals_check_reading(y->path);
    if (sig != CN_OK) {
        y->dead = 1;
        y->fatal = sig;
        return 0;
    }
    if (yaml_parser_parse(&y->p, ev))
        return 1;
    y->dead = 1;
    y->nerr++;
    if (y->p.error == YAML_MEMORY_ERROR) {
        y->fatal = CN_ERR(CN_EOSERR, "out of memory parsing '%s'", y->path);
        return 0;
    }
    long line, col;
    const char *problem = y->p.problem;
    if (y->p.error == YAML_READER_ERROR) {
        locate(y, y->p.problem_offset, &line, &col);
        if (y->p.problem_value >= 0)
            cn_diag_add(y->path, line, col, "%s (byte 0x%02x)",
                        problem ? problem : "cannot read", y->p.problem_value);
        else
            cn_diag_add(y->path, line, col, "%s", problem ? problem : "cannot read");
        return 0;
    }
    cn_yaml_pos(y, y->p.problem_mark, &line, &col);
    if (y->p.context)
        cn_diag_add(y->path, line, col, "YAML syntax error: %s %s (started on line %ld)",
                    problem ? problem : "", y->p.context, (long)y->p.context_mark.line + 1);
    else
        cn_diag_add(y->path, line, col, "YAML syntax error: %s",
                    problem ? problem : "cannot parse");
    return 0;
}

int cn_yaml_refuse_props(cn_yaml *y, const yaml_event_t *ev)
{
    const yaml_char_t *anchor = NULL, *tag = NULL;
    if (ev->type == YAML_ALIAS_EVENT) {
        cn_yaml_diag(y, ev->start_mark, "aliases are not allowed in %s (got *%s)",
                     y->props_noun, (const char *)ev->data.alias.anchor);
        return 1;
    }
    if (ev->type == YAML_SCALAR_EVENT) {
        anchor = ev->data.scalar.anchor;
        tag = ev->data.scalar.tag;
    } else if (ev->type == YAML_MAPPING_START_EVENT) {
        anchor = ev->data.mapping_start.anchor;
        tag = ev->data.mapping_start.tag;
    } else if (ev->type == YAML_SEQUENCE_START_EVENT) {
        anchor = ev->data.sequence_start.anchor;
        tag = ev->data.sequence_start.tag;
    }
    if (anchor)
        cn_yaml_diag(y, ev->start_mark, "anchors are not allowed in %s (got &%s)",
                     y->props_noun, (const char *)anchor);
    if (tag)
        cn_yaml_diag(y, ev->start_mark, "tags are not allowed in %s (got %s)", y->props_noun,
                     (const char *)tag);
    return anchor || tag;
}

void cn_yaml_skip_node(cn_yaml *y, const yaml_event_t *ev)
{
    if (ev->type != YAML_MAPPING_START_EVENT && ev->type != YAML_SEQUENCE_START_EVENT)
        return;
    int depth = 1;
    while (depth > 0) {
        yaml_event_t e;
        if (!cn_yaml_next(y, &e))
            return;
        if (e.type == YAML_MAPPING_START_EVENT || e.type == YAML_SEQUENCE_START_EVENT)
            depth++;
        else if (e.type == YAML_MAPPING_END_EVENT || e.type == YAML_SEQUENCE_END_EVENT) {
            depth--;
        }
        yaml_event_delete(&e);
        if (y->dead)
            return;
    }
}

const char *cn_yaml_node_kind(const yaml_event_t *ev, char *buf, size_t n)
{
    if (ev->type == YAML_MAPPING_START_EVENT)
        return "a mapping";
    if (ev->type == YAML_SEQUENCE_START_EVENT)
        return "a list";
    if (ev->type == YAML_ALIAS_EVENT)
        return "an alias";
    char show[128];
    cn_csv_show((const char *)ev->data.scalar.value, show, sizeof show);
    snprintf(buf, n, "'%s'", show);
    return buf;
}

int cn_yaml_is_null(const char *s)
{
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
           !strcmp(s, "NULL");
}

int cn_yaml_root(cn_yaml *y, yaml_event_t *ev)
{
    if (!cn_yaml_next(y, ev))
        return 0;
    yaml_event_delete(ev); /* stream start */
    if (!cn_yaml_next(y, ev))
        return 0;
    if (ev->type == YAML_STREAM_END_EVENT) {
        yaml_event_delete(ev);
        cn_diag_add(y->path, 0, 0, "%s is empty", y->file_noun);
        y->nerr++;
        y->dead = 1;
        return 0;
    }
    yaml_event_delete(ev); /* document start */
    return cn_yaml_next(y, ev);
}

void cn_yaml_end(cn_yaml *y)
{
    yaml_event_t ev;
    if (y->dead || y->fatal)
        return;
    if (!cn_yaml_next(y, &ev))
        return;
    yaml_event_delete(&ev); /* document end */
    if (!cn_yaml_next(y, &ev))
        return;
    if (ev.type == YAML_DOCUMENT_START_EVENT)
        cn_yaml_diag(y, ev.start_mark, "more than one YAML document (a %s holds one)",
                     y->file_noun);
    yaml_event_delete(&ev);
}
