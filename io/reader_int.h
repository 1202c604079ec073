/* io/reader_int.h - helpers shared by the readers (io/scenario.c,
 * io/tables.c); not part of the public API (that is io/reader.h).
 * The rules they implement are documented in docs/input-format.md. */
#ifndef CN_READER_INT_H
#define CN_READER_INT_H

#include <stddef.h>

#include "../core/model.h"

/* Outcome of parsing a number or an integer. */
enum cn_num {
    CN_NUM_OK = 0,
    CN_NUM_EMPTY,     /* "" */
    CN_NUM_SPACE,     /* leading or trailing white space */
    CN_NUM_NONFINITE, /* nan, inf, infinity (any case, any sign) */
    CN_NUM_HEX,       /* 0x.. */
    CN_NUM_SYNTAX,    /* anything else that is not a decimal number */
    CN_NUM_NOTINT,    /* a decimal number, but an integer was asked for */
    CN_NUM_OVERFLOW   /* magnitude too large (1e400, or beyond long) */
};

/* Decimal number: [+-]? (D+ (. D*)? | . D+) ([eE] [+-]? D+)?, whole string,
 * finite.  "-0" gives +0.  Underflow rounds towards 0 (accepted). */
int cn_parse_double(const char *s, double *out);
/* Decimal integer: [+-]? D+, whole string, within long.  "-0" gives 0. */
int cn_parse_long(const char *s, long *out);
/* Wording for a cn_num outcome, to follow the field name in a message:
 * "must be a number", "must be a finite number", "is out of range"... */
const char *cn_num_problem(int outcome, int want_int);

/* Id rule of spec section 1: [A-Za-z0-9_.-]+, at most CN_ID_MAX bytes.
 * Returns 0 when valid, 1 when empty, 2 for a bad character, 3 too long. */
int cn_id_check(const char *s);

/* dir joined with rel ("." or NULL dir: rel alone; absolute rel: rel),
 * then "." segments, doubled and trailing slashes removed ("a/./b/" ->
 * "a/b", "x/." -> "x", "." -> ".").  ".." is kept.  NULL when out of
 * memory (error recorded). */
char *cn_path_join(const char *dir, const char *rel);
/* Directory part of a path ("a/b.yaml" -> "a", "b.yaml" -> ".", "/b" -> "/"). */
char *cn_path_dir(const char *path);

/* The scenario setter with the YAML scalar style: quoted = 1 for a quoted
 * scalar (a string, never a number, bool or null).  base_dir: the directory
 * "model" is relative to (NULL: the scenario's directory, or "."). */
int cn_scenario_set_scalar(cn_scenario *sc, const char *key, const char *value, int quoted,
                           const char *base_dir, const char *file, long line, long col);

/* Memory guard for the dense per-(site, period) arrays (two doubles each). */
#define CN_DENSE_LIMIT_BYTES ((double)8 * 1024 * 1024 * 1024)

#endif
