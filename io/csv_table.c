/* io/csv_table.c - see csv_table.h
 *
 * How lines are tracked: libcsv reports fields and row ends but no
 * positions.  The file is fed to csv_parse in chunks that end just after a
 * line feed (or at the end of a read block), so every byte of a chunk is on
 * the line t->line.  A field callback fires on the delimiter or line feed
 * that ends the field, so the next field starts on the current line; after a
 * row end the next row starts on the first following chunk that holds more
 * than line-break characters (libcsv skips blank lines).  Only LF ends a row
 * (the term function); CR counts as "space" so that libcsv drops the CR of
 * a CRLF (spaces are otherwise data: nothing else is trimmed).  A CR that is
 * not followed by LF is rejected before libcsv sees it, so a CR never
 * reaches a field except inside quotes as part of a CRLF.
 */
#include "csv_table.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../base/infile.h"
#include "../base/signals.h"

#define BLOCK_SIZE 65536

struct cn_csv {
    char *path;
    FILE *fp;
    struct csv_parser p;
    int p_init;
    unsigned char *blk;
    size_t blk_len, blk_pos;
    int eof;           /* fread reached the end */
    int done;          /* nothing more to return */
    int stopped;       /* syntax error */
    int first_block;   /* BOM check pending */
    int prev_cr;       /* the last byte fed was a CR */
    long line;         /* line of the bytes being fed */
    long field_line;   /* start line of the field being built; 0 between rows */
    int err;           /* CN_EOSERR inside a callback */
    int row_done;
    /* the row being built */
    char *buf;
    size_t buf_len, buf_cap;
    size_t *off;
    int nf, nf_cap;
    cn_csv_row row;
};

char *cn_csv_show(const char *s, char *buf, size_t size)
{
    size_t j = 0;
    size_t i = 0;
    for (; s[i] && j + 8 < size && i < 40; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) {
            const char *e = c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;
            if (e)
                j += (size_t)snprintf(buf + j, size - j, "%s", e);
            else
                j += (size_t)snprintf(buf + j, size - j, "\\x%02x", c);
        } else {
            buf[j++] = (char)c;
        }
    }
    if (s[i] && j + 4 <= size) {
        /* do not cut a UTF-8 sequence in two */
        while (j > 0 && ((unsigned char)buf[j - 1] & 0xC0) == 0x80)
            j--;
        if (j > 0 && ((unsigned char)buf[j - 1] & 0xC0) == 0xC0)
            j--;
        memcpy(buf + j, "...", 3);
        j += 3;
    }
    buf[j < size ? j : size - 1] = '\0';
    return buf;
}

/* Offset of the first byte that is not part of valid UTF-8 (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or n. */
static size_t utf8_invalid_at(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t k;
        unsigned lo = 0x80, hi = 0xBF;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            k = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            k = 2;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 3;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        } else {
            return i;
        }
        if (i + k >= n)
            return i;
        for (size_t j = 1; j <= k; j++) {
            unsigned d = s[i + j];
            unsigned l = j == 1 ? lo : 0x80, h = j == 1 ? hi : 0xBF;
            if (d < l || d > h)
                return i;
        }
        i += k + 1;
    }
    return n;
}

static void on_field(void *s, size_t len, void *data)
{
    cn_csv *t = data;
    if (t->err)
        return;
    if (t->nf == t->nf_cap) {
        int ncap = t->nf_cap ? 2 * t->nf_cap : 16;
        size_t *off = cn_realloc(t->off, (size_t)ncap, sizeof *off);
        if (!off) {
            t->err = CN_EOSERR;
            return;
        }
        t->off = off;
        long *fl = cn_realloc(t->row.fline, (size_t)ncap, sizeof *fl);
        if (!fl) {
            t->err = CN_EOSERR;
            return;
        }
        t->row.fline = fl;
        unsigned char *fb = cn_realloc(t->row.fbad, (size_t)ncap, 1);
        if (!fb) {
            t->err = CN_EOSERR;
            return;
        }
        t->row.fbad = fb;
        size_t *ln = cn_realloc(t->row.len, (size_t)ncap, sizeof *ln);
        if (!ln) {
            t->err = CN_EOSERR;
            return;
        }
        t->row.len = ln;
        char **f = cn_realloc(t->row.field, (size_t)ncap, sizeof *f);
        if (!f) {
            t->err = CN_EOSERR;
            return;
        }
        t->row.field = f;
        t->nf_cap = ncap;
    }
    if (t->buf_len + len + 1 > t->buf_cap) {
        size_t ncap = t->buf_cap ? t->buf_cap : 1024;
        while (ncap < t->buf_len + len + 1)
            ncap *= 2;
        char *b = cn_realloc(t->buf, ncap, 1);
        if (!b) {
            t->err = CN_EOSERR;
            return;
        }
        t->buf = b;
        t->buf_cap = ncap;
    }
    int k = t->nf++;
    t->off[k] = t->buf_len;
    if (len)
        memcpy(t->buf + t->buf_len, s, len);
    t->buf[t->buf_len + len] = '\0';
    t->buf_len += len + 1;
    t->row.len[k] = len;
    t->row.fline[k] = t->field_line ? t->field_line : t->line;
    t->row.fbad[k] = 0;
    const unsigned char *u = (const unsigned char *)t->buf + t->off[k];
    const unsigned char *nul = len ? memchr(u, 0, len) : NULL;
    size_t bad = utf8_invalid_at(u, len);
    if (nul && (size_t)(nul - u) <= bad) {
        cn_diag_add(t->path, t->row.fline[k], k + 1, "NUL byte in field (at byte %zu)",
                    (size_t)(nul - u) + 1);
        t->row.fbad[k] = 1;
    } else if (bad < len) {
        cn_diag_add(t->path, t->row.fline[k], k + 1,
                    "invalid UTF-8 in field (byte 0x%02x at byte %zu)", u[bad], bad + 1);
        t->row.fbad[k] = 1;
    }
    /* the delimiter that ended this field is on the current line */
    t->field_line = t->line;
}

static void on_row(int c, void *data)
{
    (void)c;
    cn_csv *t = data;
    t->row_done = 1;
    t->field_line = 0;
}

/* libcsv: only LF ends a row; CR is "space" (see the top of this file). */
static int is_term(unsigned char c) { return c == '\n'; }
static int is_space(unsigned char c) { return c == '\r'; }

const char *cn_csv_path(const cn_csv *t) { return t->path; }
int cn_csv_stopped(const cn_csv *t) { return t->stopped; }

void cn_csv_close(cn_csv **pt)
{
    if (!pt || !*pt)
        return;
    cn_csv *t = *pt;
    if (t->fp)
        fclose(t->fp);
    if (t->p_init)
        csv_free(&t->p);
    free(t->path);
    free(t->blk);
    free(t->buf);
    free(t->off);
    free(t->row.field);
    free(t->row.len);
    free(t->row.fline);
    free(t->row.fbad);
    free(t);
    *pt = NULL;
}

int cn_csv_open(const char *path, int optional, cn_csv **out)
{
    int rc = CN_OK;
    cn_csv *t = NULL;
    FILE *fp = NULL;
    const char *why = NULL;
    int e = cn_input_fopen(path, &fp, &why);
    if (e == ENOENT && optional) {
        *out = NULL;
        return CN_OK;
    }
    if (e == ENOENT) {
        cn_diag_add(path, 0, 0, "required file is missing");
        return CN_ENOINPUT;
    }
    if (e) {
        cn_diag_add(path, 0, 0, "cannot open: %s", why);
        return CN_ENOINPUT;
    }
    t = cn_calloc(1, sizeof *t);
    if (!t) {
        fclose(fp);
        CN_TRY(CN_EOSERR);
    }
    t->fp = fp;
    t->path = cn_strdup(path);
    t->blk = cn_calloc(BLOCK_SIZE, 1);
    if (!t->path || !t->blk)
        CN_TRY(CN_EOSERR);
    if (csv_init(&t->p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        CN_TRY(CN_ERR(CN_EOSERR, "csv_init failed for '%s'", path));
    t->p_init = 1;
    csv_set_term_func(&t->p, is_term);
    csv_set_space_func(&t->p, is_space);
    t->line = 1;
    t->first_block = 1;
    *out = t;
    return CN_OK;
cleanup:
    cn_csv_close(&t);
    return rc;
}

/* Report a syntax error at the current position and stop reading. */
static void stop_syntax(cn_csv *t, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void stop_syntax(cn_csv *t, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cn_diag_vadd(t->path, line, t->nf + 1, fmt, ap);
    va_end(ap);
    t->stopped = 1;
    t->done = 1;
}

#define BARE_CR "carriage return not followed by a line feed (line ends must be LF or CRLF)"

/* Feed bytes of one line (no LF inside except possibly the last byte). */
static int feed(cn_csv *t, const unsigned char *s, size_t n)
{
    if (n == 0)
        return CN_OK;
    if (t->field_line == 0) {
        for (size_t i = 0; i < n; i++) {
            if (s[i] != '\n' && s[i] != '\r') {
                t->field_line = t->line;
                break;
            }
        }
    }
    size_t used = csv_parse(&t->p, s, n, on_field, on_row, t);
    if (t->err)
        return CN_ERR(t->err, "out of memory reading '%s'", t->path);
    if (used < n) {
        int e = csv_error(&t->p);
        if (e == CSV_EPARSE) {
            char c[16];
            if (s[used] >= 0x80)   /* a byte, maybe part of a character: show its value */
                snprintf(c, sizeof c, "\\x%02x", s[used]);
            else
                cn_csv_show((char[]){(char)s[used], 0}, c, sizeof c);
            if (s[used] == '"')
                stop_syntax(t, t->line, "quote inside an unquoted field (quote the whole "
                            "field and double the quotes inside it)");
            else
                stop_syntax(t, t->line, "unexpected character '%s' after a closing quote", c);
            return CN_OK;
        }
        return CN_ERR(CN_EOSERR, "reading '%s': %s", t->path, csv_strerror(e));
    }
    return CN_OK;
}

static int finish(cn_csv *t)
{
    t->done = 1;
    if (t->prev_cr) {
        stop_syntax(t, t->line, BARE_CR);
        return CN_OK;
    }
    long start = t->field_line;
    if (csv_fini(&t->p, on_field, on_row, t) != 0) {
        if (t->err)
            return CN_ERR(t->err, "out of memory reading '%s'", t->path);
        stop_syntax(t, start ? start : t->line,
                    "quoted field is not closed before the end of the file");
    }
    if (t->err)
        return CN_ERR(t->err, "out of memory reading '%s'", t->path);
    return CN_OK;
}

int cn_csv_next(cn_csv *t, const cn_csv_row **row)
{
    int rc = CN_OK;
    *row = NULL;
    t->nf = 0;
    t->buf_len = 0;
    t->row_done = 0;
    while (!t->done && !t->row_done) {
        if (t->blk_pos == t->blk_len) {
            if (t->eof) {
                CN_TRY(finish(t));
                break;
            }
            CN_TRY(cn_signals_check_reading(t->path));
            size_t n = fread(t->blk, 1, BLOCK_SIZE, t->fp);
            if (n == 0) {
                if (ferror(t->fp)) {
                    cn_diag_add(t->path, t->line, 0, "read error: %s", strerror(errno));
                    t->done = 1;
                    return CN_ENOINPUT;
                }
                t->eof = 1;
                continue;
            }
            t->blk_len = n;
            t->blk_pos = 0;
            if (t->first_block) {
                t->first_block = 0;
                if (n >= 3 && memcmp(t->blk, "\xEF\xBB\xBF", 3) == 0)
                    t->blk_pos = 3;
            }
            continue;
        }
        const unsigned char *s = t->blk + t->blk_pos;
        size_t avail = t->blk_len - t->blk_pos;
        const unsigned char *lf = memchr(s, '\n', avail);
        size_t n = lf ? (size_t)(lf - s) + 1 : avail;
        if (t->prev_cr && s[0] != '\n') {
            stop_syntax(t, t->line, BARE_CR);
            break;
        }
        t->prev_cr = 0;
        /* a CR must be followed by LF */
        const unsigned char *cr = memchr(s, '\r', n);
        while (cr && cr + 1 < s + n && cr[1] == '\n')
            cr = memchr(cr + 1, '\r', (size_t)(s + n - cr - 1));
        if (cr && cr + 1 < s + n) {
            CN_TRY(feed(t, s, (size_t)(cr - s)));
            if (!t->done)
                stop_syntax(t, t->line, BARE_CR);
            break;
        }
        if (cr)  /* last byte of a block: its LF may be in the next block */
            t->prev_cr = 1;
        t->blk_pos += n;
        CN_TRY(feed(t, s, n));
        if (lf)
            t->line++;
    }
    if (t->stopped || !t->row_done)
        return CN_OK;
    t->row.nfields = t->nf;
    t->row.bad = 0;
    for (int i = 0; i < t->nf; i++) {
        t->row.field[i] = t->buf + t->off[i];
        t->row.bad |= t->row.fbad[i];
    }
    t->row.line = t->nf ? t->row.fline[0] : t->line;
    *row = &t->row;
    return CN_OK;
cleanup:
    t->done = 1;
    return rc;
}
