/* fuzz/fuzz_util.h - what the libFuzzer harnesses of fuzz/ share: a scratch
 * model directory holding the valid tiny model of tests/bad/base, file
 * writing, and the checks every input must pass whatever the reader says.
 *
 * The harnesses run in one process for millions of inputs, so every input
 * starts and ends with cn_diag_clear()/cn_err_clear(), every file the reader
 * is given is rewritten before the call, and nothing is kept across inputs.
 * A broken invariant calls abort(), which libFuzzer reports as a crash with
 * the reproducing input.
 */
#ifndef CN_FUZZ_UTIL_H
#define CN_FUZZ_UTIL_H

#include <stddef.h>

/* The ten model tables in the order io/tables.c reads them. */
#define CN_FUZZ_NTABLES 10
extern const char *const cn_fuzz_table_name[CN_FUZZ_NTABLES];
/* Their contents in tests/bad/base (a valid model), and its scenario. */
extern const char *const cn_fuzz_table_base[CN_FUZZ_NTABLES];
extern const char cn_fuzz_scenario_base[];

/* Index of a table file name ("regions.csv"), or -1. */
int cn_fuzz_table_index(const char *name);

/* A fresh directory under $TMPDIR (or /tmp) holding the base tables and
 * scenario.yaml; removed at exit.  Aborts when it cannot be made.  Returns
 * the directory (static storage). */
const char *cn_fuzz_model_dir(const char *tag);

/* Write len bytes to dir/name, after pad line feeds (pad may be 0).  Aborts
 * on failure: the harness cannot go on without its files. */
void cn_fuzz_write(const char *dir, const char *name, const unsigned char *data, size_t len,
                   size_t pad);
/* Restore dir/name (a table or "scenario.yaml") to its base contents. */
void cn_fuzz_restore(const char *dir, const char *name);

/* Checks of a reader's outcome: rc is one of allowed (CN_* codes, ended by
 * -1); CN_OK records no diagnostic and a failure records at least one; every
 * diagnostic kept has a file name, a line and column >= 0 and a message; no
 * error code is left behind when rc is CN_OK.  Aborts with a message
 * otherwise.  what names the call in that message. */
void cn_fuzz_check(const char *what, int rc, const int *allowed);

/* Every diagnostic kept about the file dir/name is at a line <= max_line
 * (the lines the file has).  Aborts with a message otherwise. */
void cn_fuzz_check_lines(const char *dir, const char *name, long max_line);

/* cn_diag_clear() and cn_err_clear(). */
void cn_fuzz_reset(void);

#endif
