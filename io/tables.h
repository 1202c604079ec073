/* io/tables.h - read the tables of a model directory (spec sections 1-2).
 * Diagnostics as in io/reader.h.  Not collective: no MPI. */
#ifndef CN_TABLES_H
#define CN_TABLES_H

#include "../core/model.h"

/* Read every table of sc->model_dir into a new model (which gets a copy of
 * *sc).  Returns CN_OK, CN_ENOINPUT or CN_EDATA; *out is set only on CN_OK. */
int cn_model_read(const cn_scenario *sc, cn_model **out);

#endif
