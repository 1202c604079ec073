/* io/aggregate.h - representative days: write a model 1.1 directory whose
 * N days stand for the whole-day horizon of a model (issue 13 item 3,
 * docs/time.md).  The clustering is core/cluster.h; this module checks the
 * input, builds the day weights and writes the files.
 *
 * Not collective: no MPI.  Not thread-safe (uses the base/err.h state).
 */
#ifndef CN_AGGREGATE_H
#define CN_AGGREGATE_H

#include "../core/model.h"

#define CN_AGG_HOURS 24   /* periods in a day */

typedef struct cn_agg_opts {
    int days;             /* N >= 1 representative days */
    int method;           /* enum cn_cluster_method */
    int force;            /* 1: DIR may be non-empty (its model files are replaced) */
    const char *source;   /* the scenario path, for the header comment (may be NULL) */
} cn_agg_opts;

/* What was written and how well the N days represent the horizon. */
typedef struct cn_agg_result {
    int ndays;            /* days of the source horizon (T / 24) */
    int k;                /* representative days written */
    int *medoid;          /* [k] source day of representative day c (ascending) */
    double *weight;       /* [k] weight of every period of day c (sum of the day weights it stands for) */
    int *assign;          /* [ndays] representative day of every source day (-1: weight 0, not clustered) */
    int nseries[3];       /* feature series: demand, green availability, price factor */
    double rmse[3];       /* weighted RMS error of the normalised (0..1) profiles, per group */
    double horizon_full, horizon_agg;  /* sum of w(t), source and written */
    double demand_full, demand_agg;    /* weighted demand, PFLOPS-periods (unscaled) */
    double green_full, green_agg;      /* weighted green availability, MWh (scale.green applied) */
    double price_full, price_agg;      /* weighted mean price factor over sites and periods */
} cn_agg_result;

/* Check that m can be cut into days: T a multiple of 24 (reported on the
 * scenario file, "FILE: ...") and every class window dividing 24 (reported
 * at the class's window field, "classes.csv:LINE:COLUMN: ...").  Records
 * diagnostics; returns CN_OK, CN_EDATA or CN_EOSERR. */
int cn_aggregate_check(const cn_model *m);

/* Cluster the days of m (which passed cn_aggregate_check) into o->days and
 * write DIR: the tables that do not depend on periods copied byte for byte
 * (types, regions, hubs, sites, capacity, links, classes, expansions when
 * present), demand.csv (the representative days' rows of the source, values
 * unchanged, periods renumbered 0..24N-1), profiles.csv (when the source has
 * one), periods.csv (24N rows, day c weighing weight[c]) and scenario.yaml.
 * DIR follows io/outdir.h (absent, empty, or non-empty with force).  The
 * output is a pure function of the input: the same bytes on every run.
 * *res is filled on success (free it with cn_agg_result_free).
 * Returns CN_OK, CN_EUSAGE (days out of 1..days of the horizon with weight,
 * DIR is the source model directory), CN_ECANTCREAT, CN_EIO, CN_ENOINPUT (a
 * source table vanished) or CN_EOSERR. */
int cn_aggregate(const cn_model *m, const cn_agg_opts *o, const char *dir, cn_agg_result *res);

void cn_agg_result_free(cn_agg_result *r);

#endif
