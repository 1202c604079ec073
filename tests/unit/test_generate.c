/* tests/unit/test_generate.c - the synthetic model generator (io/generate.h).
 *
 * What is checked: the same options give byte-identical files and another
 * seed gives other files; site i does not depend on the number of sites; the
 * model reads back through the reader with the counts asked for, and the
 * x-variable count the generator reports equals the one core/derive.c finds
 * (spec section 5); --target-vars lands within one site of its target; an
 * existing non-empty directory is refused without force and, with force,
 * only the model files are replaced; bad options are usage errors that
 * create nothing.  Speed is not tested here (see docs/generator.md). */
#include "testutil.h"

#include <dirent.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../base/err.h"
#include "../../cli/cmd.h"
#include "../../core/derive.h"
#include "../../io/generate.h"
#include "../../io/reader.h"

static const char *const FILES[] = {"types.csv",   "regions.csv",  "hubs.csv",
                                    "sites.csv",   "capacity.csv", "links.csv",
                                    "classes.csv", "demand.csv",   "profiles.csv",
                                    "expansions.csv", "scenario.yaml"};
#define NFILES ((int)(sizeof FILES / sizeof FILES[0]))

/* Contents of DIR/NAME (NUL-terminated); *len its size.  Caller frees. */
static char *slurp(const char *dir, const char *name, size_t *len)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        print_error("cannot open %s\n", path);
    assert_non_null(fp);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, fp)) > 0) {
        n += got;
        if (n + 1 == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    fclose(fp);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static int same_file(const char *d1, const char *d2, const char *name)
{
    size_t n1, n2;
    char *a = slurp(d1, name, &n1), *b = slurp(d2, name, &n2);
    int same = n1 == n2 && memcmp(a, b, n1) == 0;
    free(a);
    free(b);
    return same;
}

static char *subdir(const char *dir, const char *name)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    assert_non_null(p);
    sprintf(p, "%s/%s", dir, name);
    return p;
}

static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static int gen_ok(const cn_gen_opts *o, const char *dir, cn_gen_stats *st)
{
    cn_err_clear();
    int rc = cn_generate(o, dir, st);
    if (rc != CN_OK)
        print_error("cn_generate: %s\n", cn_err_message());
    return rc;
}

/* A small model that still has synthetic regions (R > 31 would too, see
 * test_roundtrip_shapes), partial windows (T = 30: train has W = 24) and
 * more classes than templates. */
static void small_opts(cn_gen_opts *o)
{
    cn_gen_opts_init(o);
    o->regions = 12;
    o->sites = 30;
    o->periods = 30;
    o->types = 4;
    o->classes = 7;
    o->expansions = 1;
    o->seed = 42;
}

static void test_deterministic(void **state)
{
    (void)state;
    char *tmp = cn_mkdtemp("gen-det");
    char *d1 = subdir(tmp, "a"), *d2 = subdir(tmp, "b"), *d3 = subdir(tmp, "c");
    cn_gen_opts o;
    small_opts(&o);
    assert_int_equal(gen_ok(&o, d1, NULL), CN_OK);
    assert_int_equal(gen_ok(&o, d2, NULL), CN_OK);
    for (int f = 0; f < NFILES; f++)
        if (!same_file(d1, d2, FILES[f]))
            fail_msg("%s differs between two runs with seed 42", FILES[f]);
    o.seed = 43;
    assert_int_equal(gen_ok(&o, d3, NULL), CN_OK);
    /* another seed: other sites, demand, profiles; same fixed tables */
    assert_false(same_file(d1, d3, "sites.csv"));
    assert_false(same_file(d1, d3, "demand.csv"));
    assert_false(same_file(d1, d3, "profiles.csv"));
    assert_true(same_file(d1, d3, "types.csv"));
    cn_rmtree(tmp);
    free(d1);
    free(d2);
    free(d3);
    free(tmp);
}

/* Site i is drawn from its own stream: 10 sites are the first 10 of 20. */
static void test_sites_prefix_stable(void **state)
{
    (void)state;
    char *tmp = cn_mkdtemp("gen-prefix");
    char *d1 = subdir(tmp, "s10"), *d2 = subdir(tmp, "s20");
    cn_gen_opts o;
    cn_gen_opts_init(&o);
    o.sites = 10;
    assert_int_equal(gen_ok(&o, d1, NULL), CN_OK);
    o.sites = 20;
    assert_int_equal(gen_ok(&o, d2, NULL), CN_OK);
    size_t n1;
    char *a = slurp(d1, "sites.csv", &n1), *b = slurp(d2, "sites.csv", NULL);
    assert_int_equal(memcmp(a, b, n1), 0);
    free(a);
    free(b);
    cn_rmtree(tmp);
    free(d1);
    free(d2);
    free(tmp);
}

/* Generate, read back, compare counts and the LP size with core/derive. */
static void roundtrip(const cn_gen_opts *o)
{
    char *tmp = cn_mkdtemp("gen-rt");
    char *dir = subdir(tmp, "model");
    cn_gen_stats st;
    assert_int_equal(gen_ok(o, dir, &st), CN_OK);
    char *scen = subdir(dir, "scenario.yaml");
    cn_model *m = NULL;
    cn_diag_clear();
    cn_err_clear();
    int rc = cn_model_load(scen, &m);
    if (rc != CN_OK) {
        cn_diag_print(stderr);
        fprintf(stderr, "%s\n", cn_err_message());
    }
    assert_int_equal(rc, CN_OK);
    assert_int_equal(cn_diag_count(), 0);

    assert_int_equal(m->nregions, o->regions);
    assert_int_equal(m->nsites, o->sites);
    assert_int_equal(m->sc.periods, o->periods);
    assert_int_equal(m->ntypes, o->types);
    assert_int_equal(m->nclasses, o->classes);
    assert_int_equal(m->nhubs, 8);
    assert_int_equal(m->sc.expansion, o->expansions);
    assert_int_equal(st.nsites, o->sites);
    assert_int_equal(m->nlinks, st.nlinks);
    assert_int_equal(m->ncaps, st.ncaps);
    assert_int_equal(m->nexps, st.nexps);
    assert_int_equal(m->ndemand, (long)o->regions * o->classes * o->periods);
    assert_int_equal(m->ndemand, st.ndemand);
    if (o->regions > 1)
        assert_true(m->nlinks >= o->regions - 1);
    for (long i = 0; i < m->ndemand; i++)
        assert_true(m->demand[i].pflops > 0);
    int west_hub = 0, east_hub = 0, green_req = 0;
    for (int h = 0; h < m->nhubs; h++) {
        west_hub += m->hubs[h].zone == CN_ZONE_WEST;
        east_hub += m->hubs[h].zone == CN_ZONE_EAST;
        green_req += m->hubs[h].has_min_green;
    }
    assert_true(west_hub > 0 && east_hub > 0 && green_req > 0);
    int batch = 0;
    for (int k = 0; k < m->nclasses; k++)
        batch += m->classes[k].window > 1;
    if (o->classes >= 3)
        assert_true(batch > 0);

    /* every pair of regions is connected; the x count is the reader's */
    cn_derived *d = NULL;
    assert_int_equal(cn_derived_create(m, &d), CN_OK);
    for (int r = 0; r < m->nregions; r++)
        for (int s = 0; s < m->nsites; s++)
            assert_true(isfinite(cn_route_rtt(d, r, s)));
    if (d->size.nx != st.nx)
        fail_msg("generator counts %lld x variables, derive counts %lld", (long long)st.nx,
                 (long long)d->size.nx);
    assert_int_equal(d->size.nu, st.nu);
    assert_int_equal(d->size.ncols, st.ncols);

    /* model 1.1: weights of whole windows summing to a year, coordinates */
    assert_int_equal(m->has_periods_table, o->weights);
    double wsum = 0;
    for (long t = 0; t < m->sc.periods; t++) {
        assert_true(cn_model_weight(m, t) > 0);
        wsum += cn_model_weight(m, t) * m->sc.period_hours;
    }
    assert_close(wsum, 8760, 1e-7, 0);
    for (int s = 0; s < m->nsites; s++)
        assert_true(o->coords ? isfinite(m->sites[s].lat) && isfinite(m->sites[s].lon)
                              : isnan(m->sites[s].lat) && isnan(m->sites[s].lon));

    cn_derived_destroy(&d);
    cn_model_destroy(&m);
    assert_null(m);
    cn_rmtree(tmp);
    free(scen);
    free(dir);
    free(tmp);
}

static void test_roundtrip_default(void **state)
{
    (void)state;
    cn_gen_opts o;
    cn_gen_opts_init(&o);
    roundtrip(&o);
}

static void test_roundtrip_shapes(void **state)
{
    (void)state;
    cn_gen_opts o;
    small_opts(&o);
    roundtrip(&o);
    cn_gen_opts_init(&o); /* extra cities beyond the 31 provinces */
    o.regions = 45;
    o.sites = 60;
    o.periods = 50;
    o.seed = 9;
    roundtrip(&o);
    small_opts(&o);       /* model 1.1: weighted days (windows 24, 8, 1, ...), coordinates */
    o.weights = 1;
    o.coords = 1;
    roundtrip(&o);
    o.periods = 50;       /* a partial last day */
    roundtrip(&o);
    cn_gen_opts_init(&o); /* one region: no links at all */
    o.regions = 1;
    o.sites = 3;
    o.periods = 5;
    o.types = 1;
    o.classes = 2;
    roundtrip(&o);
}

/* --weights and --coords add periods.csv and two columns and change nothing
 * else; --force without --weights removes a periods.csv of an earlier run
 * (it would weigh the new model). */
static void test_weights_coords_additive(void **state)
{
    (void)state;
    char *tmp = cn_mkdtemp("gen-w");
    char *d1 = subdir(tmp, "a"), *d2 = subdir(tmp, "b");
    cn_gen_opts o;
    small_opts(&o);
    assert_int_equal(gen_ok(&o, d1, NULL), CN_OK);
    o.weights = o.coords = 1;
    assert_int_equal(gen_ok(&o, d2, NULL), CN_OK);
    for (int f = 0; f < NFILES; f++)
        if (strcmp(FILES[f], "sites.csv") && strcmp(FILES[f], "scenario.yaml"))
            assert_true(same_file(d1, d2, FILES[f]));
    assert_int_equal(entries(d1), NFILES);
    assert_int_equal(entries(d2), NFILES + 1);
    o.weights = o.coords = 0;
    o.force = 1;
    assert_int_equal(gen_ok(&o, d2, NULL), CN_OK);
    assert_int_equal(entries(d2), NFILES);
    for (int f = 0; f < NFILES; f++)
        assert_true(same_file(d1, d2, FILES[f]));
    cn_rmtree(tmp);
    free(d1);
    free(d2);
    free(tmp);
}

/* --target-vars: the sites of the target model are the first sites of any
 * bigger one, so nx grows by one site's count at a time: the result is
 * within one site's maximum contribution (R * K * T) of the target. */
static void test_target_vars(void **state)
{
    (void)state;
    cn_gen_opts o;
    cn_gen_opts_init(&o);
    o.target_vars = 50000;
    cn_gen_stats st, st2;
    assert_int_equal(gen_ok(&o, NULL, &st), CN_OK);
    int64_t slack = (int64_t)o.regions * o.classes * o.periods;
    if (llabs((long long)(st.nx - o.target_vars)) > slack)
        fail_msg("target 50000, got %lld x variables", (long long)st.nx);
    /* the same model as asking for its number of sites */
    cn_gen_opts p;
    cn_gen_opts_init(&p);
    p.sites = st.nsites;
    assert_int_equal(gen_ok(&p, NULL, &st2), CN_OK);
    assert_int_equal(st2.nx, st.nx);
    /* and it reads back with that count */
    roundtrip(&p);
}

static void test_existing_dir(void **state)
{
    (void)state;
    char *tmp = cn_mkdtemp("gen-dir");
    char *dir = subdir(tmp, "m");
    cn_gen_opts o;
    cn_gen_opts_init(&o);
    o.sites = 5;
    o.periods = 3;
    /* an existing empty directory is fine */
    assert_int_equal(mkdir(dir, 0777), 0);
    assert_int_equal(gen_ok(&o, dir, NULL), CN_OK);
    assert_int_equal(entries(dir), NFILES);
    /* non-empty: refused, nothing touched */
    size_t n0;
    char *before = slurp(dir, "sites.csv", &n0);
    o.seed = 2;
    cn_err_clear();
    assert_int_equal(cn_generate(&o, dir, NULL), CN_ECANTCREAT);
    char *after = slurp(dir, "sites.csv", NULL);
    assert_string_equal(before, after);
    free(after);
    /* --force: model files replaced, a foreign file kept */
    cn_write_file(dir, "notes.txt", "mine\n");
    o.force = 1;
    assert_int_equal(gen_ok(&o, dir, NULL), CN_OK);
    after = slurp(dir, "sites.csv", NULL);
    assert_true(strcmp(before, after) != 0);
    free(after);
    assert_int_equal(entries(dir), NFILES + 1);
    /* no temporary directory left beside it; a nested parent is created */
    assert_int_equal(entries(tmp), 1);
    char *deep = subdir(tmp, "x/y/z");
    assert_int_equal(gen_ok(&o, deep, NULL), CN_OK);
    assert_int_equal(entries(deep), NFILES);
    free(deep);
    /* a file where the directory should be */
    char *file = subdir(dir, "notes.txt");
    cn_err_clear();
    assert_int_equal(cn_generate(&o, file, NULL), CN_ECANTCREAT);
    free(file);
    free(before);
    cn_rmtree(tmp);
    free(dir);
    free(tmp);
}

static void test_bad_options(void **state)
{
    (void)state;
    char *tmp = cn_mkdtemp("gen-bad");
    char *dir = subdir(tmp, "m");
    cn_gen_opts o;
#define BAD(stmt)                                                  \
    do {                                                           \
        cn_gen_opts_init(&o);                                      \
        stmt;                                                      \
        cn_err_clear();                                            \
        assert_int_equal(cn_generate(&o, dir, NULL), CN_EUSAGE);   \
        assert_true(strlen(cn_err_message()) > 0);                 \
    } while (0)
    BAD(o.regions = 0);
    BAD(o.regions = CN_GEN_MAX_REGIONS + 1);
    BAD(o.sites = 0);
    BAD(o.periods = 0);
    BAD(o.types = 0);
    BAD(o.classes = CN_GEN_MAX_CLASSES + 1);
    BAD(o.name = "bad name");
    BAD((o.regions = 1, o.periods = 1, o.classes = 1, o.target_vars = (int64_t)1 << 40));
#undef BAD
    assert_int_equal(entries(tmp), 0);
    cn_rmtree(tmp);
    free(dir);
    free(tmp);
}

/* The command line: exit codes of docs/generator.md. */
static int run_cli(const char *a1, const char *a2, const char *a3, const char *a4,
                   const char *a5)
{
    char *argv[7] = {"generate", (char *)a1, (char *)a2, (char *)a3, (char *)a4, (char *)a5,
                     NULL};
    int argc = 1;
    while (argc < 6 && argv[argc])
        argc++;
    optind = 0; /* glibc: full re-initialisation of getopt */
    opterr = 0;
    return cmd_generate(argc, argv);
}

static void test_cli(void **state)
{
    (void)state;
    char *tmp = cn_mkdtemp("gen-cli");
    char *dir = subdir(tmp, "m");
    assert_int_equal(run_cli("--sites", "0", "-o", dir, NULL), CN_EUSAGE);
    assert_int_equal(run_cli("--sites", "3x", "-o", dir, NULL), CN_EUSAGE);
    assert_int_equal(run_cli("--seed", "-1", "-o", dir, NULL), CN_EUSAGE);
    assert_int_equal(run_cli("--bogus", "-o", dir, NULL, NULL), CN_EUSAGE);
    assert_int_equal(run_cli("--sites", "3", NULL, NULL, NULL), CN_EUSAGE); /* no -o */
    assert_int_equal(run_cli("-o", dir, "extra", NULL, NULL), CN_EUSAGE);
    assert_int_equal(run_cli("-o", dir, "--sites", "3", "--target-vars=1k"), CN_EUSAGE);
    assert_int_equal(entries(tmp), 0);
    assert_int_equal(run_cli("-o", dir, "--sites", "3", "--periods=4"), CN_OK);
    assert_int_equal(entries(dir), NFILES);
    assert_int_equal(run_cli("-o", dir, "--sites", "3", NULL), CN_ECANTCREAT);
    assert_int_equal(run_cli("-o", dir, "--sites", "3", "--force"), CN_OK);
    cn_rmtree(tmp);
    free(dir);
    free(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_sites_prefix_stable),
        cmocka_unit_test(test_roundtrip_default),
        cmocka_unit_test(test_roundtrip_shapes),
        cmocka_unit_test(test_weights_coords_additive),
        cmocka_unit_test(test_target_vars),
        cmocka_unit_test(test_existing_dir),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_cli),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
