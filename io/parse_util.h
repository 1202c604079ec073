/* io/parse_util.h - the parsing rules shared by every reader of user text:
 * numbers with the tables' strict rules, ids, paths, and the position-carrying
 * diagnostic of a bad id.  Used by the scenario reader (io/scenario.c), the
 * table reader (io/tables.c), sweeps, representative days and the command
 * line; it depends on nothing in io/ (docs/input-format.md states the rules).
 * Not collective: no MPI. */
#ifndef CN_PARSE_UTIL_H
#define CN_PARSE_UTIL_H

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
 * finite.  "-0" gives +0.  Underflow rounds towards 0 (accepted).  Returns a
 * cn_num outcome; *out is written only on CN_NUM_OK. */
int cn_parse_double(const char *s, double *out);
/* Decimal integer: [+-]? D+, whole string, within long.  "-0" gives 0. */
int cn_parse_long(const char *s, long *out);
/* Wording for a cn_num outcome, to follow the field name in a message:
 * "must be a number", "must be a finite number", "is out of range"... */
const char *cn_num_problem(int outcome, int want_int);

/* The numeric range of the solver (docs/robustness.md "Numeric range"): a
 * number that LP coefficients, costs or bounds are made of must be 0 or of
 * magnitude CN_NUM_TINY..CN_NUM_HUGE.  Beyond it double-precision simplex
 * codes (GLPK's, and CLP's, which refuses costs >= 1e25) give wrong optima
 * that no check can repair, so such inputs are refused up front. */
#define CN_NUM_TINY 1e-6
#define CN_NUM_HUGE 1e15
#define CN_NUM_RANGE_TEXT "must be 0 or between 1e-6 and 1e15 in magnitude, the numeric range " \
                          "cnopt solves (docs/robustness.md \"Numeric range\")"
/* 1 when v is 0 or within the numeric range above. */
int cn_num_solvable(double v);

/* Id rule of spec section 1: [A-Za-z0-9_.-]+, at most CN_ID_MAX bytes.
 * Returns 0 when valid, 1 when empty, 2 for a bad character, 3 too long. */
int cn_id_check(const char *s);
/* cn_id_check, and for a bad id the diagnostic FILE:LINE:COL: "WHAT is longer
 * than N bytes (got M)" or "WHAT must match [A-Za-z0-9_.-]+, got 'S'" (also
 * for an empty id).  Returns the cn_id_check outcome (0: valid, nothing
 * recorded). */
int cn_id_diag(const char *s, const char *what, const char *file, long line, long col);

/* dir joined with rel ("." or NULL dir: rel alone; absolute rel: rel),
 * then "." segments, doubled and trailing slashes removed ("a/./b/" ->
 * "a/b", "x/." -> "x", "." -> ".").  ".." is kept.  NULL when out of
 * memory (error recorded). */
char *cn_path_join(const char *dir, const char *rel);
/* Directory part of a path ("a/b.yaml" -> "a", "b.yaml" -> ".", "/b" -> "/"). */
char *cn_path_dir(const char *path);

#endif
