/* io/model_load.h - the model loader: a scenario file and the tables of its
 * model directory into one cn_model.  Diagnostics as in io/reader.h.
 * Not collective: no MPI. */
#ifndef CN_MODEL_LOAD_H
#define CN_MODEL_LOAD_H

#include "../core/model.h"

/* cn_scenario_read (io/scenario.h), then cn_model_read (io/tables.h).
 * Returns CN_OK, CN_ENOINPUT or CN_EDATA; *out is set only on CN_OK. */
int cn_model_load(const char *scenario_path, cn_model **out);

#endif
