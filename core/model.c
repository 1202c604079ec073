/* core/model.c - see model.h */
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "../base/err.h"

void cn_scenario_init(cn_scenario *sc)
{
    memset(sc, 0, sizeof *sc);
    sc->period_hours = 1.0;
    sc->period_weight = 1.0;
    sc->scale_demand = sc->scale_bandwidth = sc->scale_green = sc->scale_grid_price = 1.0;
}

void cn_scenario_free(cn_scenario *sc)
{
    free(sc->path);
    free(sc->name);
    free(sc->description);
    free(sc->model_dir);
    sc->path = sc->name = sc->description = sc->model_dir = NULL;
}

static int dup_opt(char **dst, const char *src)
{
    *dst = NULL;
    if (!src)
        return CN_OK;
    *dst = cn_strdup(src);
    return *dst ? CN_OK : CN_EOSERR;
}

int cn_scenario_copy(cn_scenario *dst, const cn_scenario *src)
{
    *dst = *src;
    dst->path = dst->name = dst->description = dst->model_dir = NULL;
    if (dup_opt(&dst->path, src->path) || dup_opt(&dst->name, src->name) ||
        dup_opt(&dst->description, src->description) ||
        dup_opt(&dst->model_dir, src->model_dir)) {
        cn_scenario_free(dst);
        return CN_EOSERR;
    }
    return CN_OK;
}

cn_model *cn_model_create(void)
{
    cn_model *m = cn_calloc(1, sizeof *m);
    if (m)
        cn_scenario_init(&m->sc);
    return m;
}

void cn_model_destroy(cn_model **pm)
{
    if (!pm || !*pm)
        return;
    cn_model *m = *pm;
    cn_scenario_free(&m->sc);
    for (int i = 0; i < m->ntypes; i++)
        free(m->types[i].id);
    for (int i = 0; i < m->nregions; i++) {
        free(m->regions[i].id);
        free(m->regions[i].name);
    }
    for (int i = 0; i < m->nhubs; i++) {
        free(m->hubs[i].id);
        free(m->hubs[i].name);
    }
    for (int i = 0; i < m->nsites; i++) {
        free(m->sites[i].id);
        free(m->sites[i].name);
    }
    for (int i = 0; i < m->nclasses; i++) {
        free(m->classes[i].id);
        free(m->classes[i].name);
    }
    for (int i = 0; i < m->nfiles; i++)
        free(m->files[i].path);
    free(m->types);
    free(m->regions);
    free(m->hubs);
    free(m->sites);
    free(m->caps);
    free(m->links);
    free(m->classes);
    free(m->demand);
    free(m->exps);
    free(m->green_avail);
    free(m->price_factor);
    free(m->period_weight);
    free(m->files);
    free(m);
    *pm = NULL;
}

#define FIND(fn, arr, n)                                  \
    int fn(const cn_model *m, const char *id)             \
    {                                                     \
        for (int i = 0; i < m->n; i++)                    \
            if (strcmp(m->arr[i].id, id) == 0)            \
                return i;                                 \
        return -1;                                        \
    }
FIND(cn_model_find_region, regions, nregions)
FIND(cn_model_find_site, sites, nsites)
FIND(cn_model_find_type, types, ntypes)
FIND(cn_model_find_class, classes, nclasses)
FIND(cn_model_find_hub, hubs, nhubs)
