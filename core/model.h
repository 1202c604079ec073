/* core/model.h - the in-memory model: scenario parameters and the tables of
 * ../shared/spec/model-v1.md sections 2-3 (restated in docs/model.md).
 *
 * All arrays are 0-based and keep the row order of their CSV file, which is
 * the index order of the entities in every output.  References between
 * tables are resolved to indices by the reader.  A cn_model owns every
 * pointer inside it; cn_model_destroy() frees them.
 */
#ifndef CN_MODEL_H
#define CN_MODEL_H

#include <stdint.h>

#define CN_ID_MAX 128      /* longest id accepted, bytes */

/* Scenario parameters (spec section 3).  Defaults: see cn_scenario_init. */
typedef struct cn_scenario {
    char *path;            /* scenario file as given */
    char *name;
    char *description;     /* NULL when absent */
    char *model_dir;       /* resolved: relative to the scenario file's directory */
    long periods;          /* T >= 1 */
    double period_hours;   /* > 0 */
    double period_weight;  /* > 0 */
    double carbon_price;   /* yuan/tCO2, >= 0 */
    int has_carbon_cap;
    double carbon_cap;     /* tCO2 over the weighted horizon, >= 0 */
    int expansion;         /* 1: expansions become integer decisions */
    double scale_demand, scale_bandwidth, scale_green, scale_grid_price;  /* >= 0 */
} cn_scenario;

typedef struct cn_type {
    char *id;
    double mw_per_pflops;   /* > 0 */
} cn_type;

typedef struct cn_region {
    char *id, *name;
    double lat, lon;        /* degrees */
} cn_region;

enum cn_zone { CN_ZONE_EAST = 0, CN_ZONE_WEST = 1 };

typedef struct cn_hub {
    char *id, *name;
    int zone;               /* enum cn_zone */
    int has_min_green;
    double min_green_share; /* 0..1 when has_min_green */
} cn_hub;

typedef struct cn_site {
    char *id, *name;
    int hub;                /* hub index, -1 = not in a national hub */
    int region;             /* region index */
    double pue;             /* >= 1 */
    int has_power_cap;
    double power_cap_mw;
    double grid_price;      /* yuan/MWh */
    double green_price;     /* yuan/MWh */
    double green_cap_mw;    /* >= 0 */
    double grid_co2;        /* tCO2/MWh */
    double access_rtt_ms;   /* >= 0 */
    int has_access_gbps;
    double access_gbps;
    double lat, lon;        /* degrees (model 1.1, section 3); both NaN when not given.
                             * Data for maps and reports only: no route, cost or
                             * result depends on them. */
} cn_site;

typedef struct cn_capacity {   /* a row of capacity.csv */
    int site, type;
    double pflops;             /* > 0 */
} cn_capacity;

typedef struct cn_link {       /* undirected */
    int from, to;              /* region indices, from != to */
    double rtt_ms;             /* > 0 */
    int has_gbps;
    double gbps;
    double cost;               /* yuan per Gbps-hour, >= 0 */
} cn_link;

typedef struct cn_class {
    char *id, *name;
    int type;                  /* type index */
    double max_rtt_ms;         /* > 0 */
    double gbps_per_pflops;    /* >= 0 */
    long window;               /* periods, >= 1 */
    double penalty;            /* yuan per PFLOPS-hour unserved, > 0 */
} cn_class;

typedef struct cn_demand {     /* a row of demand.csv with period < T */
    int region, cls;
    long period;
    double pflops;             /* >= 0, unscaled */
} cn_demand;

typedef struct cn_expansion {  /* a row of expansions.csv */
    int site, type;
    double module_pflops;      /* > 0 */
    double module_mw;          /* >= 0 */
    double module_cost;        /* yuan per module, >= 0 */
    long max_modules;          /* >= 1 */
} cn_expansion;

typedef struct cn_input_file { /* provenance of one file read */
    char *path;
    char sha256[65];
} cn_input_file;

typedef struct cn_model {
    cn_scenario sc;
    int ntypes;      cn_type *types;
    int nregions;    cn_region *regions;
    int nhubs;       cn_hub *hubs;
    int nsites;      cn_site *sites;
    int ncaps;       cn_capacity *caps;
    int nlinks;      cn_link *links;
    int nclasses;    cn_class *classes;
    long ndemand;    cn_demand *demand;
    int nexps;       cn_expansion *exps;
    /* profiles.csv, dense [site * T + period]; defaults 1 where no row */
    double *green_avail;
    double *price_factor;
    /* periods.csv (model 1.1): w(t) of every period [T], the scenario's
     * period_weight where the table has no row (all of them when the table is
     * absent).  NULL in a model built without the reader: then every period
     * weighs sc.period_weight.  Read it through cn_model_weight(). */
    double *period_weight;
    int has_periods_table;  /* periods.csv was read (provenance only) */
    int nfiles;      cn_input_file *files;  /* scenario first, then tables read */
} cn_model;

/* Defaults of spec section 3 (name/path/model_dir NULL, periods 0). */
void cn_scenario_init(cn_scenario *sc);
void cn_scenario_free(cn_scenario *sc);
/* Deep copy; returns CN_OK or CN_EOSERR. */
int cn_scenario_copy(cn_scenario *dst, const cn_scenario *src);

cn_model *cn_model_create(void);
void cn_model_destroy(cn_model **m);

/* w(t) of period t (model 1.1 section 1): m->period_weight[t], or the
 * scenario's period_weight when the model has no per-period array.  With no
 * periods.csv it equals sc.period_weight exactly, so w(t) * period_hours is
 * bit-identical to v1's period_weight * period_hours.  Not collective. */
static inline double cn_model_weight(const cn_model *m, long t)
{
    return m->period_weight ? m->period_weight[t] : m->sc.period_weight;
}

/* Index lookups by id (linear or hashed; -1 when absent). */
int cn_model_find_region(const cn_model *m, const char *id);
int cn_model_find_site(const cn_model *m, const char *id);
int cn_model_find_type(const cn_model *m, const char *id);
int cn_model_find_class(const cn_model *m, const char *id);
int cn_model_find_hub(const cn_model *m, const char *id);

#endif
