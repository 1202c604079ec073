/* io/model_load.c - see model_load.h.  The one module that knows both
 * readers, so that the scenario reader and the table reader need not know
 * each other. */
#include "model_load.h"

#include "../base/err.h"
#include "scenario.h"
#include "tables.h"

int cn_model_load(const char *scenario_path, cn_model **out)
{
    cn_scenario sc;
    cn_scenario_init(&sc);
    int rc = cn_scenario_read(scenario_path, &sc);
    if (rc == CN_OK)
        rc = cn_model_read(&sc, out);
    cn_scenario_free(&sc);
    return rc;
}
