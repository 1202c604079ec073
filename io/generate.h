/* io/generate.h - synthetic national compute-network models (docs/generator.md).
 *
 * cn_generate() writes a model directory with every table of spec section 2
 * plus DIR/scenario.yaml (spec section 3).  The model is a pure function of
 * the options: the same options give byte-identical files on every run.
 * Each entity draws from its own random stream (xoshiro256** seeded through
 * splitmix64 by (seed, kind, index)), so site i is the same whatever the
 * number of sites: a model with S+1 sites is the model with S sites plus one.
 *
 * Not collective: no MPI.  Not thread-safe (uses the base/err.h state).
 */
#ifndef CN_GENERATE_H
#define CN_GENERATE_H

#include <stdint.h>

#define CN_GEN_MAX_REGIONS 2000
#define CN_GEN_MAX_SITES 1000000
#define CN_GEN_MAX_PERIODS 87840      /* ten years of hours */
#define CN_GEN_MAX_TYPES 8
#define CN_GEN_MAX_CLASSES 64

typedef struct cn_gen_opts {
    int regions;          /* R (default 31: the 31 provincial regions) */
    int sites;            /* S (default 40); ignored when target_vars > 0 */
    long periods;         /* T, hours (default 24) */
    uint64_t seed;        /* default 1 */
    int types;            /* C, compute types (default 3: gpu, cpu, npu) */
    int classes;          /* K, demand classes (default 4: rt, inf, train, hpc) */
    int expansions;       /* 1: the scenario says expansion: true (a MIP) */
    int weights;          /* 1: periods.csv with a weight per block of whole windows
                           * (model 1.1; docs/generator.md "Weighted periods") */
    int coords;           /* 1: sites.csv gets lat, lon columns (model 1.1) */
    int force;            /* 1: replace the model files of a non-empty DIR */
    int64_t target_vars;  /* > 0: pick S so that nx is as close as possible */
    const char *name;     /* scenario name; NULL: "gen-r<R>-s<S>-t<T>-seed<N>" */
} cn_gen_opts;

/* What was (or would be) written, and the size of its LP (spec section 5). */
typedef struct cn_gen_stats {
    int nregions, nsites, nhubs, ntypes, nclasses, nlinks, ncaps, nexps;
    long periods;
    int64_t ndemand;      /* rows of demand.csv (R * K * T, all > 0) */
    int64_t nprofiles;    /* rows of profiles.csv (S * T) */
    int64_t nx;           /* x[r,s,k,t] variables, exact */
    int64_t nu;           /* u[r,k,b] variables = demand rows of constraint 1 */
    int64_t ncols;        /* nx + nu + 2*S*T (+ expansion rows when enabled) */
} cn_gen_stats;

/* Defaults above. */
void cn_gen_opts_init(cn_gen_opts *o);

/* Generate the model of *o into dir.  dir == NULL: a dry run that only
 * fills *st.  dir must not exist, be empty, or (with o->force) its model
 * files (the eleven tables and scenario.yaml; a periods.csv left by an earlier
 * run with weights is removed when o->weights is 0) are replaced and other files are
 * left alone.  Files are written into a temporary directory beside dir and
 * renamed at the end: a failed run leaves dir as it was.  Missing parent
 * directories are created.  st may be NULL; it is written only on success.
 * Returns CN_OK, CN_EUSAGE (option out of range, target_vars unreachable),
 * CN_ECANTCREAT (dir not empty without force, not creatable), CN_EIO,
 * CN_EOSERR or CN_ESOFTWARE (a non-finite number: a bug). */
int cn_generate(const cn_gen_opts *o, const char *dir, cn_gen_stats *st);

#endif
