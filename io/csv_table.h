/* io/csv_table.h - a row iterator over one CSV file (libcsv, strict mode).
 *
 * The only module that includes <csv.h>.  It knows CSV syntax, not tables:
 * the first row is returned like any other.  Rules (docs/input-format.md):
 *  - RFC 4180: comma separated, '"' quotes, doubled quotes inside quotes; a
 *    quoted field may hold commas, quotes and line breaks.  Strict: a quote
 *    inside an unquoted field or text after a closing quote is an error.
 *  - line ends are LF or CRLF; a CR not followed by LF is an error.
 *  - a UTF-8 byte order mark at the start of the file is skipped.
 *  - spaces are data (never trimmed).
 *  - lines with no characters at all (blank lines) are skipped.
 *  - a field holding a NUL byte or invalid UTF-8 is reported and flagged.
 * Every problem is recorded with cn_diag_add(PATH, LINE, COLUMN, ...) where
 * LINE is the 1-based line on which the field starts and COLUMN its 1-based
 * field number.  After a syntax error the rest of the file is not read
 * (cn_csv_stopped() says so).
 */
#ifndef CN_CSV_TABLE_H
#define CN_CSV_TABLE_H

#include <stddef.h>

typedef struct cn_csv_row {
    long line;            /* line on which the row's first field starts */
    int nfields;
    char **field;         /* NUL-terminated texts (quotes removed) */
    size_t *len;          /* their lengths */
    long *fline;          /* line on which each field starts */
    unsigned char *fbad;  /* 1: the field has a NUL byte or invalid UTF-8 (reported) */
    int bad;              /* some fbad[i] is 1 */
} cn_csv_row;

typedef struct cn_csv cn_csv;

/* Open path for reading.  When the file does not exist and optional is 1,
 * returns CN_OK with *out = NULL and records nothing.  Otherwise a file that
 * is missing, unreadable or a directory gives CN_ENOINPUT with a diagnostic
 * at line 0.  CN_EOSERR when out of memory. */
int cn_csv_open(const char *path, int optional, cn_csv **out);

/* The next row in *row (valid until the next call or close), or *row = NULL
 * at the end of the file or after a syntax error (recorded).  Returns CN_OK,
 * CN_ENOINPUT (read error, recorded) or CN_EOSERR. */
int cn_csv_next(cn_csv *t, const cn_csv_row **row);

/* 1 when reading stopped early at a syntax error. */
int cn_csv_stopped(const cn_csv *t);
const char *cn_csv_path(const cn_csv *t);

/* Close and free; accepts NULL and *t == NULL; sets *t to NULL. */
void cn_csv_close(cn_csv **t);

/* Quote text for a diagnostic: at most about 40 characters, control
 * characters escaped, "..." when cut.  Returns buf. */
char *cn_csv_show(const char *s, char *buf, size_t size);

#endif
