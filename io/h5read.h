/* io/h5read.h - read back a cnopt result file (docs/hdf5-schema.md) into the
 * summary `cnopt info` prints.  Serial HDF5 (default driver); not collective;
 * needs no MPI_Init.  The only other module that includes <hdf5.h> is h5out.c. */
#ifndef CN_H5READ_H
#define CN_H5READ_H

#include <stddef.h>

#include "../core/invest.h"

/* schema_version majors read (docs/hdf5-schema.md, Compatibility) */
#define CN_H5_SCHEMA_MAJOR_MIN 1
#define CN_H5_SCHEMA_MAJOR_MAX 2

#define CN_H5_TOP_PRICES 10   /* shadow prices kept, largest |value| first */
#define CN_H5_NPARTS 6        /* objective parts, in the order of cn_h5_part_name */

/* "energy", "carbon", "green", "transfer", "unserved", "expansion" */
const char *cn_h5_part_name(int i);

typedef struct cn_h5_class_sum {
    char *id;
    double demand;             /* PFLOPS-periods, sum of u_demand_pflops */
    double unserved;           /* PFLOPS-periods, sum of u_pflops */
} cn_h5_class_sum;

typedef struct cn_h5_hub_sum {
    char *id, *name;
    int zone;                  /* enum cn_zone */
    int nsites;
    double capacity_pflops;    /* installed + built modules, all types */
    double util_avg;           /* mean over periods of load / capacity; NaN when capacity is 0 */
    double util_peak;          /* max over periods; NaN when capacity is 0 */
    long peak_period;
} cn_h5_hub_sum;

enum cn_h5_price_kind {
    CN_PRICE_CAPACITY, CN_PRICE_LINK, CN_PRICE_ACCESS, CN_PRICE_GREEN,
    CN_PRICE_POWER_CAP, CN_PRICE_CARBON, CN_PRICE_HUB_GREEN
};

typedef struct cn_h5_price {
    int kind;                  /* enum cn_h5_price_kind */
    double value;              /* yuan per unit (see units) */
    const char *units;         /* static string */
    char what[160];            /* e.g. "capacity gpu at site gz-1, hour 14" */
    char meaning[320];         /* "1 more PFLOPS of gpu at site gz-1 in hour 14 would save 52.1 yuan" */
} cn_h5_price;

/* One expansion row of the result (core/invest.h; docs/model.md section 10). */
typedef struct cn_h5_invest {
    char *site, *type;         /* ids */
    cn_invest v;               /* built, cost, value and net per module */
} cn_h5_invest;

typedef struct cn_h5_summary {
    char schema_version[16];
    char status[32];
    char method[32];
    char *scenario;            /* scenario name ("" when absent) */
    char *cnopt_version, *created_utc;   /* "" when absent */
    int is_mip, has_duals, ranks;
    long iterations;
    double solve_seconds;
    long periods;
    double period_hours, period_weight;
    double objective, bound, gap;          /* yuan, yuan, relative */
    double parts[CN_H5_NPARTS];            /* yuan */
    double emissions_tco2, energy_mwh, green_mwh;
    int nclasses;
    cn_h5_class_sum *classes;
    double demand_total, unserved_total;   /* PFLOPS-periods */
    int nhubs;
    cn_h5_hub_sum *hubs;
    long long nx;                          /* placement entries */
    double placed_total;                   /* sum of x, PFLOPS-periods */
    double east_placed;                    /* sum of x for demand from east-zone regions */
    double east_to_west;                   /* ... of which at sites of west-zone hubs */
    int nprices;
    cn_h5_price prices[CN_H5_TOP_PRICES];
    int nexps;                             /* expansion rows (expansions.csv) */
    cn_h5_invest *invest;                  /* [nexps], file order; value and net
                                            * NaN without duals or for an LP */
} cn_h5_summary;

/* Read and summarise the result file at path.  Returns CN_OK, CN_ENOINPUT (66:
 * missing or unreadable), CN_EDATA (65: not HDF5, not a cnopt result, a
 * schema_version major other than 1 or 2, "incomplete result file" when complete != 1,
 * or inconsistent content) or CN_EOSERR.  *out is set only on CN_OK. */
int cn_h5_read_summary(const char *path, cn_h5_summary **out);
void cn_h5_summary_destroy(cn_h5_summary **s);

/* ---- every dataset of a result file (cnopt export) ---- */

enum cn_h5_vkind { CN_H5V_F64, CN_H5V_INT, CN_H5V_STR };

typedef struct cn_h5_var {
    char *group;               /* "" (root), "model", "solution", ... */
    char *name;                /* the dataset's name in its group */
    int ndims;                 /* 0 (scalar) .. CN_H5_VAR_MAXDIMS */
    char *dim[3];              /* dimension names (of the attached scales) */
    size_t len[3];
    size_t n;                  /* elements: the product of len */
    int kind;                  /* enum cn_h5_vkind */
    double *f;                 /* CN_H5V_F64: n values */
    long long *i;              /* CN_H5V_INT */
    char **s;                  /* CN_H5V_STR */
    char *units, *long_name;   /* "" when absent */
    int is_coord;              /* a dimension scale (coordinate variable) */
} cn_h5_var;
#define CN_H5_VAR_MAXDIMS 3

/* Read every dataset of every group of the result file at path (checked as
 * cn_h5_read_summary checks it), in name order within each group.  Returns
 * CN_OK, CN_ENOINPUT, CN_EDATA ("PATH: what is wrong") or CN_EOSERR; *out and
 * *n are set only on CN_OK. */
int cn_h5_read_vars(const char *path, cn_h5_var **out, int *n);
void cn_h5_vars_destroy(cn_h5_var **v, int n);

#endif
