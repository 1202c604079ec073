/* io/scenario.h - read a scenario file (spec section 3) and set its
 * parameters one by one (--set, sweeps).  Diagnostics as in io/reader.h.
 * Not collective: no MPI. */
#ifndef CN_SCENARIO_H
#define CN_SCENARIO_H

#include "../core/model.h"

/* Read and validate a scenario YAML file into *sc (initialised by the caller
 * with cn_scenario_init).  Returns CN_OK, CN_ENOINPUT (file missing or
 * unreadable: also recorded as a diagnostic) or CN_EDATA (diagnostics
 * recorded). */
int cn_scenario_read(const char *path, cn_scenario *sc);

/* Set one scenario parameter from text, as a YAML scalar or a sweep/--set
 * override would.  key is a dotted path ("carbon_price", "scale.demand").
 * file/line/col locate the text for diagnostics.  An override of any key but name
 * and description is also recorded in the name and description ("NAME+KEY=VALUE";
 * "...; changed by --set: KEY=VALUE (was OLD)", docs/input-format.md), so that a
 * result says what differs from its scenario file.  Returns CN_OK, CN_EDATA or
 * CN_EOSERR. */
int cn_scenario_set(cn_scenario *sc, const char *key, const char *value,
                    const char *file, long line, long col);

/* Every settable scenario key (the table cn_scenario_set and the YAML reader
 * parse with, in its order: "name", ..., "scale.grid_price") with its current
 * value as canonical text: integers in decimal, numbers with 17 significant
 * digits (%.17g: the double itself), booleans true/false, an absent
 * nullable number (carbon_cap: null) "none", strings verbatim (NULL for
 * an absent one: description: null).  is_path is 1
 * for a key naming a directory (model: the resolved path; what was read
 * from it is the model's files).  A key added to the table is visited here
 * without further code: the checkpoint's input hash (solver/solve.c) covers
 * the scenario through this walk.  Not collective. */
typedef void (*cn_scenario_visit_fn)(void *ctx, const char *key, const char *value, int is_path);
void cn_scenario_visit(const cn_scenario *sc, cn_scenario_visit_fn fn, void *ctx);

#endif
