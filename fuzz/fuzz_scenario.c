/* fuzz/fuzz_scenario.c - libFuzzer harness: the input as a scenario file,
 * read by cn_scenario_read (io/scenario.c over io/yaml_util.c and libyaml).
 *
 * The file is DIR/scenario.yaml where DIR holds the valid tiny model of
 * tests/bad/base, so "model: ." (or no model key) names a real model
 * directory.  When the scenario is accepted, names that directory and has at
 * most 64 periods, the model is read too (cn_model_read), so the scenario's
 * values also go through the table reader; larger horizons are left to the
 * memory guard tests (the dense profile arrays grow with periods).
 *
 * Aborts (a crash for libFuzzer) when an outcome breaks cn_fuzz_check's
 * rules, or an accepted scenario breaks a rule of docs/input-format.md
 * section 3 (name and periods given and valid, numbers finite and in range).
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../core/model.h"
#include "../io/reader.h"
#include "../io/parse_util.h"
#include "fuzz_util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *g_dir;
static char g_path[4200];
static char *g_model;   /* g_dir as the reader spells a model directory */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    g_dir = cn_fuzz_model_dir("scenario");
    snprintf(g_path, sizeof g_path, "%s/scenario.yaml", g_dir);
    g_model = cn_path_join(g_dir, ".");
    if (!g_model)
        abort();
    return 0;
}

static const char *broken_rule(const cn_scenario *sc)
{
    if (!sc->path || strcmp(sc->path, g_path) != 0)
        return "path";
    if (!sc->name || cn_id_check(sc->name))
        return "name";
    if (!sc->model_dir)
        return "model";
    if (sc->periods < 1)
        return "periods";
    if (!isfinite(sc->period_hours) || !(sc->period_hours > 0) ||
        !isfinite(sc->period_weight) || !(sc->period_weight > 0))
        return "period_hours or period_weight";
    if (!isfinite(sc->carbon_price) || !(sc->carbon_price >= 0) ||
        (sc->has_carbon_cap && !(isfinite(sc->carbon_cap) && sc->carbon_cap >= 0)) ||
        (!sc->has_carbon_cap && sc->carbon_cap != 0))
        return "carbon_price or carbon_cap";
    if (sc->expansion != 0 && sc->expansion != 1)
        return "expansion";
    const double s[4] = {sc->scale_demand, sc->scale_bandwidth, sc->scale_green,
                         sc->scale_grid_price};
    for (int i = 0; i < 4; i++)
        if (!isfinite(s[i]) || !(s[i] >= 0))
            return "scale";
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int allowed_sc[] = {CN_OK, CN_EDATA, CN_ENOINPUT, -1};
    static const int allowed_model[] = {CN_OK, -1};   /* the base model is valid */
    cn_fuzz_write(g_dir, "scenario.yaml", data, size, 0);

    cn_fuzz_reset();
    cn_scenario sc;
    cn_scenario_init(&sc);
    int rc = cn_scenario_read(g_path, &sc);
    cn_fuzz_check("cn_scenario_read", rc, allowed_sc);
    /* libyaml's line breaks: LF, CR, CRLF, NEL (C2 85), LS and PS (E2 80 A8/A9);
     * counting each CR, LF and the last byte of the others bounds the lines
     * (plus the line after a final break, where an error at the end is).
     * cn_yaml_next puts an error at the end of a file without a final break
     * on its last line ("n:\np: [4" at 2:6, not libyaml's 3:1). */
    long lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n' || data[i] == '\r' || data[i] == 0x85 ||
                 (i >= 2 && data[i - 2] == 0xE2 && data[i - 1] == 0x80 &&
                  (data[i] == 0xA8 || data[i] == 0xA9));
    cn_fuzz_check_lines(g_dir, "scenario.yaml", lines);
    const char *rule = rc == CN_OK ? broken_rule(&sc) : NULL;
    if (rule) {
        fprintf(stderr, "fuzz_scenario: accepted scenario breaks the rule of %s\n", rule);
        abort();
    }
    if (rc != CN_OK && (sc.path || sc.name || sc.model_dir || sc.description)) {
        fprintf(stderr, "fuzz_scenario: cn_scenario_read returned %d and set the scenario\n",
                rc);
        abort();
    }
    if (rc == CN_OK && strcmp(sc.model_dir, g_model) == 0 && sc.periods <= 64) {
        cn_fuzz_reset();
        cn_model *m = NULL;
        rc = cn_model_read(&sc, &m);
        cn_fuzz_check("cn_model_read", rc, allowed_model);
        if ((rc == CN_OK) != (m != NULL))
            abort();
        cn_model_destroy(&m);
    }
    cn_scenario_free(&sc);
    cn_fuzz_reset();
    return 0;
}
