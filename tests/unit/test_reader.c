/* tests/unit/test_reader.c - io/reader.h: scenario and model tables.
 *
 * Two parts:
 *  - positive tests on the valid tiny model tests/bad/base (values, defaults,
 *    row order, provenance) and on variants of it (quoting, CRLF, BOM,
 *    columns in any order, optional columns absent, a large profiles table);
 *  - one test per case of the bad-input corpus tests/bad/NAME/ (see
 *    tests/bad/README.md): base + the case's files are copied to a temporary
 *    directory, loaded with cn_model_load, and the return code and the first
 *    diagnostic (file suffix, line, column, message substring) are checked
 *    against the case's `expect` file.
 * Run from the repository root (or set CN_BAD_DIR to tests/bad).
 */
#include "testutil.h"

#include <dirent.h>
#include <math.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../base/err.h"
#include "../../base/sha256.h"
#include "../../core/idindex.h"
#include "../../core/model.h"
#include "../../io/csv_table.h"
#include "../../io/reader.h"
#include "../../io/parse_util.h"

static char g_bad_dir[1024] = "tests/bad";

/* tests/bad: $CN_BAD_DIR, else ./tests/bad, else relative to the binary
 * (BUILD/tests/test_reader with BUILD two levels below the repository). */
static void find_bad_dir(const char *argv0)
{
    struct stat st;
    const char *d = getenv("CN_BAD_DIR");
    if (d && *d) {
        snprintf(g_bad_dir, sizeof g_bad_dir, "%s", d);
        return;
    }
    if (stat(g_bad_dir, &st) == 0)
        return;
    const char *slash = strrchr(argv0, '/');
    if (slash)
        snprintf(g_bad_dir, sizeof g_bad_dir, "%.*s/../../../tests/bad", (int)(slash - argv0),
                 argv0);
}

static const char *bad_dir(void) { return g_bad_dir; }

/* A temporary copy of tests/bad/base; caller frees and removes it. */
static char *copy_base(void)
{
    char *dir = cn_mkdtemp("reader");
    cn_sh("cp -R '%s/base/.' '%s/'", bad_dir(), dir);
    return dir;
}

static void print_diags(void)
{
    long n = cn_diag_count() < CN_DIAG_MAX ? cn_diag_count() : CN_DIAG_MAX;
    for (long i = 0; i < n; i++) {
        const cn_diag *d = cn_diag_get(i);
        print_message("  diag %ld: %s:%ld:%ld: %s\n", i, d->file, d->line, d->col, d->msg);
    }
    if (cn_err_message()[0])
        print_message("  error: %s\n", cn_err_message());
}

static cn_model *load_ok(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/scenario.yaml", dir);
    cn_diag_clear();
    cn_err_clear();
    cn_model *m = NULL;
    int rc = cn_model_load(path, &m);
    if (rc != CN_OK) {
        print_diags();
        fail_msg("cn_model_load(%s) returned %d, expected 0", path, rc);
    }
    assert_non_null(m);
    assert_int_equal(cn_diag_count(), 0);
    return m;
}

static int load_fail(const char *dir, int expect_rc)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/scenario.yaml", dir);
    cn_diag_clear();
    cn_err_clear();
    cn_model *m = (cn_model *)&expect_rc;   /* must stay untouched */
    int rc = cn_model_load(path, &m);
    if (rc != expect_rc) {
        print_diags();
        fail_msg("cn_model_load(%s) returned %d, expected %d", path, rc, expect_rc);
    }
    assert_ptr_equal(m, (cn_model *)&expect_rc);
    return rc;
}

static void assert_diag(long i, const char *file_suffix, long line, long col, const char *msg)
{
    const cn_diag *d = cn_diag_get(i);
    assert_non_null(d);
    size_t fl = strlen(d->file), sl = strlen(file_suffix);
    int file_ok = fl >= sl && strcmp(d->file + fl - sl, file_suffix) == 0 &&
                  (fl == sl || d->file[fl - sl - 1] == '/');
    if (!file_ok || d->line != line || d->col != col || !strstr(d->msg, msg)) {
        print_diags();
        fail_msg("diagnostic %ld is %s:%ld:%ld: %s\n  expected %s:%ld:%ld: ...%s...", i, d->file,
                 d->line, d->col, d->msg, file_suffix, line, col, msg);
    }
}

/* ---- the valid base model ---- */

static void test_base_values(void **state)
{
    (void)state;
    char *dir = copy_base();
    cn_model *m = load_ok(dir);

    /* scenario */
    assert_string_equal(m->sc.name, "bad-base");
    assert_string_equal(m->sc.description, "three regions, three sites, two classes");
    assert_string_equal(m->sc.model_dir, dir);   /* "dir/." normalised to "dir" */
    assert_int_equal(m->sc.periods, 4);
    assert_close(m->sc.period_hours, 1.0, 0, 0);
    assert_close(m->sc.period_weight, 365.0, 0, 0);
    assert_close(m->sc.carbon_price, 50.0, 0, 0);
    assert_int_equal(m->sc.has_carbon_cap, 0);
    assert_int_equal(m->sc.expansion, 0);
    assert_close(m->sc.scale_demand, 1.0, 0, 0);

    /* tables, in file order */
    assert_int_equal(m->ntypes, 2);
    assert_string_equal(m->types[1].id, "gpu");
    assert_close(m->types[1].mw_per_pflops, 1.2, 0, 0);
    assert_int_equal(m->nregions, 3);
    assert_string_equal(m->regions[2].id, "gz");
    assert_string_equal(m->regions[2].name, "Guizhou");
    assert_close(m->regions[0].lat, 39.9, 0, 0);
    assert_close(m->regions[0].lon, 116.4, 0, 0);
    assert_int_equal(m->nhubs, 2);
    assert_int_equal(m->hubs[0].zone, CN_ZONE_EAST);
    assert_int_equal(m->hubs[0].has_min_green, 0);       /* empty = no requirement */
    assert_int_equal(m->hubs[1].zone, CN_ZONE_WEST);
    assert_int_equal(m->hubs[1].has_min_green, 1);
    assert_close(m->hubs[1].min_green_share, 0.5, 0, 0);

    assert_int_equal(m->nsites, 3);
    const cn_site *s1 = &m->sites[0], *s2 = &m->sites[1], *s3 = &m->sites[2];
    assert_string_equal(s1->id, "s1");
    assert_int_equal(s1->hub, 0);
    assert_int_equal(s1->region, 0);
    assert_close(s1->pue, 1.25, 0, 0);
    assert_int_equal(s1->has_power_cap, 1);
    assert_close(s1->power_cap_mw, 100, 0, 0);
    assert_close(s1->grid_price, 450, 0, 0);
    assert_close(s1->green_price, 380, 0, 0);
    assert_close(s1->green_cap_mw, 40, 0, 0);
    assert_close(s1->grid_co2, 0.58, 0, 0);
    assert_close(s1->access_rtt_ms, 2, 0, 0);
    assert_int_equal(s1->has_access_gbps, 1);
    assert_close(s1->access_gbps, 400, 0, 0);
    assert_int_equal(s2->hub, -1);                /* empty = not in a hub */
    assert_int_equal(s2->has_power_cap, 0);       /* empty = unlimited */
    assert_int_equal(s2->has_access_gbps, 0);
    assert_string_equal(s3->name, "Gui'an");
    assert_int_equal(s3->hub, 1);
    assert_int_equal(s3->region, 2);

    assert_int_equal(m->ncaps, 4);
    assert_int_equal(m->caps[3].site, 2);
    assert_int_equal(m->caps[3].type, 1);
    assert_close(m->caps[3].pflops, 120, 0, 0);

    assert_int_equal(m->nlinks, 3);
    assert_int_equal(m->links[0].from, 0);
    assert_int_equal(m->links[0].to, 1);
    assert_int_equal(m->links[0].has_gbps, 1);
    assert_close(m->links[0].cost, 0.02, 0, 0);
    assert_int_equal(m->links[1].has_gbps, 0);    /* empty = unlimited */
    assert_close(m->links[2].cost, 0, 0, 0);      /* empty = 0 */

    assert_int_equal(m->nclasses, 2);
    assert_int_equal(m->classes[1].type, 1);
    assert_int_equal(m->classes[1].window, 4);
    assert_close(m->classes[1].penalty, 2000, 0, 0);

    /* demand: the row with period 5 >= T = 4 is dropped, order kept */
    assert_int_equal(m->ndemand, 5);
    assert_int_equal(m->demand[0].period, 0);
    assert_int_equal(m->demand[1].period, 1);
    assert_int_equal(m->demand[3].region, 1);
    assert_int_equal(m->demand[3].cls, 1);
    assert_int_equal(m->demand[4].region, 2);
    assert_close(m->demand[4].pflops, 10, 0, 0);

    /* profiles: dense [site * T + t], defaults 1; period 7 >= T ignored */
    for (int s = 0; s < 3; s++) {
        for (int t = 0; t < 4; t++) {
            double ga = 1, pf = 1;
            if (s == 2 && t == 0) {
                ga = 0.8;
                pf = 0.9;
            } else if (s == 2 && t == 1) {
                pf = 1.1;
            } else if (s == 0 && t == 2) {
                ga = 0.5;
            }
            assert_close(m->green_avail[s * 4 + t], ga, 0, 0);
            assert_close(m->price_factor[s * 4 + t], pf, 0, 0);
        }
    }

    assert_int_equal(m->nexps, 1);
    assert_int_equal(m->exps[0].site, 2);
    assert_int_equal(m->exps[0].type, 1);
    assert_close(m->exps[0].module_cost, 5e6, 0, 0);
    assert_int_equal(m->exps[0].max_modules, 5);

    /* provenance: scenario first, then the tables in the fixed order */
    static const char *order[] = {"scenario.yaml", "types.csv", "regions.csv", "hubs.csv",
                                  "sites.csv", "capacity.csv", "links.csv", "classes.csv",
                                  "demand.csv", "profiles.csv", "expansions.csv"};
    assert_int_equal(m->nfiles, 11);
    for (int i = 0; i < 11; i++) {
        char path[4096], hex[65];
        snprintf(path, sizeof path, "%s/%s", dir, order[i]);
        assert_string_equal(m->files[i].path, path);
        assert_int_equal(cn_sha256_file(path, hex), CN_OK);
        assert_string_equal(m->files[i].sha256, hex);
    }
    cn_model_destroy(&m);
    assert_null(m);
    cn_rmtree(dir);
    free(dir);
}

/* Optional tables absent: defaults everywhere, no provenance entry. */
static void test_optional_tables_absent(void **state)
{
    (void)state;
    char *dir = copy_base();
    cn_sh("rm '%s/profiles.csv' '%s/expansions.csv'", dir, dir);
    cn_model *m = load_ok(dir);
    assert_int_equal(m->nexps, 0);
    assert_int_equal(m->nfiles, 9);
    for (int i = 0; i < m->nsites * 4; i++) {
        assert_close(m->green_avail[i], 1, 0, 0);
        assert_close(m->price_factor[i], 1, 0, 0);
    }
    cn_model_destroy(&m);
    cn_rmtree(dir);
    free(dir);
}

/* Model 1.1: periods.csv and site coordinates.  Without them every w(t) is
 * the scenario's period_weight and every coordinate NaN; with them, rows set
 * w(t) (period 9 >= T is ignored), periods without a row keep period_weight,
 * windows of one weight pass (class train has window 2 here: periods 0..1
 * weigh 2, periods 2..3 weigh 365 and 2, which a window of 2 would mix, so
 * period 3 gets 365 too; class web has window 1), coordinates are read as
 * given, and periods.csv comes last in the provenance list. */
static void test_periods_and_coordinates(void **state)
{
    (void)state;
    char *dir = copy_base();
    cn_model *m = load_ok(dir);
    assert_int_equal(m->has_periods_table, 0);
    assert_non_null(m->period_weight);
    for (int t = 0; t < 4; t++)
        assert_true(m->period_weight[t] == 365.0 && cn_model_weight(m, t) == 365.0);
    for (int s = 0; s < 3; s++)
        assert_true(isnan(m->sites[s].lat) && isnan(m->sites[s].lon));
    cn_model_destroy(&m);

    cn_write_file(dir, "periods.csv", "weight,period\n2,1\n2.0,0\n3.65e2,3\n1e2,9\n");
    cn_write_file(dir, "classes.csv",
                  "id,name,type,max_rtt_ms,gbps_per_pflops,window,penalty\n"
                  "web,Web serving,cpu,15,2,1,5000\ntrain,AI training,gpu,100,0.5,2,2000\n");
    cn_write_file(dir, "sites.csv",
                  "id,name,hub,region,pue,power_cap_mw,grid_price,green_price,green_cap_mw,"
                  "grid_co2,access_rtt_ms,access_gbps,lon,lat\n"
                  "s1,Zhangjiakou,bth,bj,1.25,100,450,380,40,0.58,2,400,114.88,40.82\n"
                  "s2,Shanghai DC,,sh,1.3,,500,420,10,0.55,1,,,\n"
                  "s3,Gui'an,gzh,gz,1.15,80,350,300,60,0.45,3,200,-180,90\n");
    m = load_ok(dir);
    assert_int_equal(m->has_periods_table, 1);
    static const double w[4] = {2, 2, 365, 365};   /* period 2 has no row */
    for (int t = 0; t < 4; t++)
        assert_close(cn_model_weight(m, t), w[t], 0, 0);
    assert_close(m->sites[0].lat, 40.82, 0, 0);
    assert_close(m->sites[0].lon, 114.88, 0, 0);
    assert_true(isnan(m->sites[1].lat) && isnan(m->sites[1].lon));
    assert_close(m->sites[2].lat, 90, 0, 0);
    assert_close(m->sites[2].lon, -180, 0, 0);
    assert_int_equal(m->nfiles, 12);
    char path[4096];
    snprintf(path, sizeof path, "%s/periods.csv", dir);
    assert_string_equal(m->files[11].path, path);
    cn_model_destroy(&m);

    /* a model built without the reader: every period weighs period_weight */
    m = cn_model_create();
    m->sc.period_weight = 30.5;
    assert_close(cn_model_weight(m, 7), 30.5, 0, 0);
    cn_model_destroy(&m);
    cn_rmtree(dir);
    free(dir);
}

/* Quoting: commas, doubled quotes and line breaks inside quotes; columns in
 * any order; optional columns absent from the header; CRLF; a BOM; blank
 * lines; header-only links and hubs tables. */
static void test_csv_forms(void **state)
{
    (void)state;
    char *dir = copy_base();
    cn_write_file(dir, "regions.csv",
                  "\xEF\xBB\xBFlon,name,id,lat\r\n"
                  "116.4,\"Beijing, capital\",bj,39.9\r\n"
                  "121.5,\"The \"\"Magic\"\" City\",sh,31.2\r\n"
                  "\r\n"
                  "106.7,\"Gui\r\nzhou\",gz,26.6\r\n");
    cn_write_file(dir, "links.csv", "rtt_ms,to,from\n12,sh,bj\n\n18,gz,sh\n");
    cn_write_file(dir, "profiles.csv", "period,site\n0,s1\n");
    cn_write_file(dir, "hubs.csv", "id,name,zone\n");
    cn_write_file(dir, "sites.csv",
                  "id,name,region,pue,grid_price,green_price,green_cap_mw,grid_co2,"
                  "access_rtt_ms\n"
                  "s1,\"multi\nline\nname\",bj,1.25,450,380,40,0.58,2\n"
                  "s2,Shanghai DC,sh,-0,500,420,10,0.55,1\n"
                  "s3,\"\",gz,1e0,350,300,60,0.45,3\n");
    /* -0 and an empty quoted name would be errors: fix them after checking */
    char path[4096];
    snprintf(path, sizeof path, "%s/scenario.yaml", dir);
    cn_diag_clear();
    cn_model *m = NULL;
    assert_int_equal(cn_model_load(path, &m), CN_EDATA);
    assert_int_equal(cn_diag_count(), 2);
    assert_diag(0, "sites.csv", 5, 4, "pue must be >= 1, got -0");
    assert_diag(1, "sites.csv", 6, 2, "name must not be empty");
    cn_write_file(dir, "sites.csv",
                  "id,name,region,pue,grid_price,green_price,green_cap_mw,grid_co2,"
                  "access_rtt_ms\n"
                  "s1,\"multi\nline\nname\",bj,1.25,450,380,40,0.58,2\n"
                  "s2,Shanghai DC,sh,1,500,420,10,0.55,1\n"
                  "s3,\" \",gz,1e0,350,300,60,0.45,3\n");
    m = load_ok(dir);
    assert_string_equal(m->regions[0].id, "bj");
    assert_string_equal(m->regions[0].name, "Beijing, capital");
    assert_string_equal(m->regions[1].name, "The \"Magic\" City");
    assert_string_equal(m->regions[2].name, "Gui\r\nzhou");   /* data inside quotes is kept */
    assert_close(m->regions[2].lon, 106.7, 0, 0);
    assert_int_equal(m->nlinks, 2);
    assert_int_equal(m->links[1].from, 1);
    assert_int_equal(m->links[1].to, 2);
    assert_int_equal(m->links[1].has_gbps, 0);
    assert_close(m->links[1].cost, 0, 0, 0);
    assert_int_equal(m->nhubs, 0);
    assert_string_equal(m->sites[0].name, "multi\nline\nname");
    assert_int_equal(m->sites[0].hub, -1);
    assert_int_equal(m->sites[0].has_power_cap, 0);
    assert_int_equal(m->sites[0].has_access_gbps, 0);
    assert_string_equal(m->sites[2].name, " ");
    assert_close(m->sites[2].pue, 1, 0, 0);
    assert_close(m->green_avail[0], 1, 0, 0);
    cn_model_destroy(&m);

    /* locations after a multi-line quoted field, with CRLF */
    cn_write_file(dir, "regions.csv",
                  "id,name,lat,lon\r\n"
                  "bj,\"Bei\r\njing\",39.9,116.4\r\n"
                  "sh,Shanghai,31.2,121.5\r\n"
                  "gz,\"Gui\nzhou\",26.6,\"106.7\nx\"\r\n");
    load_fail(dir, CN_EDATA);
    assert_int_equal(cn_diag_count(), 1);
    assert_diag(0, "regions.csv", 6, 4, "lon must be a number, got '106.7\\nx'");
    cn_rmtree(dir);
    free(dir);
}

/* Every violation is reported, in file order. */
static void test_all_reported(void **state)
{
    (void)state;
    char *dir = copy_base();
    cn_write_file(dir, "types.csv", "id,mw_per_pflops\ncpu,0\ngpu,x\nnpu,-1\n");
    load_fail(dir, CN_EDATA);
    assert_int_equal(cn_diag_count(), 3);
    assert_diag(0, "types.csv", 2, 2, "mw_per_pflops must be > 0, got 0");
    assert_diag(1, "types.csv", 3, 2, "mw_per_pflops must be a number, got 'x'");
    assert_diag(2, "types.csv", 4, 2, "mw_per_pflops must be > 0, got -1");
    /* errors in several tables: all of them */
    cn_write_file(dir, "classes.csv",
                  "id,name,type,max_rtt_ms,gbps_per_pflops,window,penalty\n"
                  "web,Web,cpu,15,2,0,5000\n"
                  "train,AI,gpu,100,0.5,4,2000\n");
    load_fail(dir, CN_EDATA);
    assert_int_equal(cn_diag_count(), 4);
    assert_diag(3, "classes.csv", 2, 6, "window must be >= 1, got 0");
    cn_rmtree(dir);
    free(dir);
}

static void test_id_max_length(void **state)
{
    (void)state;
    char *dir = copy_base();
    char id[CN_ID_MAX + 1], text[1024];
    memset(id, 'c', CN_ID_MAX);
    id[CN_ID_MAX] = '\0';
    snprintf(text, sizeof text, "id,mw_per_pflops\n%s,0.5\ngpu,1.2\n", id);
    cn_write_file(dir, "types.csv", text);
    cn_write_file(dir, "capacity.csv", "site,type,pflops\ns1,gpu,1\n");
    cn_write_file(dir, "classes.csv",
                  "id,name,type,max_rtt_ms,gbps_per_pflops,window,penalty\n"
                  "A-z_0.9,x,gpu,15,2,1,5000\n");
    cn_write_file(dir, "demand.csv", "region,class,period,pflops\nbj,A-z_0.9,0,1\n");
    cn_model *m = load_ok(dir);
    assert_string_equal(m->types[0].id, id);
    assert_string_equal(m->classes[0].id, "A-z_0.9");
    cn_model_destroy(&m);
    cn_rmtree(dir);
    free(dir);
}

/* cn_model_read with a scenario built in code (cn_scenario_set). */
static void test_scenario_set(void **state)
{
    (void)state;
    char *dir = copy_base();
    char path[4096];
    snprintf(path, sizeof path, "%s/scenario.yaml", dir);
    cn_scenario sc;
    cn_scenario_init(&sc);
    cn_diag_clear();
    assert_int_equal(cn_scenario_read(path, &sc), CN_OK);
    assert_int_equal(cn_scenario_set(&sc, "carbon_cap", "1e6", "--set", 1, 1), CN_OK);
    assert_int_equal(sc.has_carbon_cap, 1);
    assert_close(sc.carbon_cap, 1e6, 0, 0);
    assert_int_equal(cn_scenario_set(&sc, "carbon_cap", "null", "--set", 1, 1), CN_OK);
    assert_int_equal(sc.has_carbon_cap, 0);
    assert_int_equal(cn_scenario_set(&sc, "scale.demand", "1.5", "--set", 1, 1), CN_OK);
    assert_close(sc.scale_demand, 1.5, 0, 0);
    assert_int_equal(cn_scenario_set(&sc, "expansion", "true", "--set", 1, 1), CN_OK);
    assert_int_equal(sc.expansion, 1);
    assert_int_equal(cn_scenario_set(&sc, "periods", "2", "--set", 1, 1), CN_OK);
    assert_int_equal(cn_scenario_set(&sc, "name", "other.run-2", "--set", 1, 1), CN_OK);
    assert_string_equal(sc.name, "other.run-2");
    assert_int_equal(cn_diag_count(), 0);

    assert_int_equal(cn_scenario_set(&sc, "periods", "0", "--set", 1, 7), CN_EDATA);
    assert_int_equal(cn_scenario_set(&sc, "scale", "2", "--set", 2, 1), CN_EDATA);
    assert_int_equal(cn_scenario_set(&sc, "carbon", "2", "--set", 3, 1), CN_EDATA);
    assert_int_equal(cn_scenario_set(&sc, "expansion", "on", "--set", 4, 1), CN_EDATA);
    assert_int_equal(cn_diag_count(), 4);
    assert_diag(0, "--set", 1, 7, "periods must be >= 1, got 0");
    assert_diag(2, "--set", 3, 1, "unknown scenario key 'carbon'");
    assert_int_equal(sc.periods, 2);   /* unchanged by the failed set */

    /* model: relative to the scenario file's directory, normalised */
    cn_sh("mkdir -p '%s/sub/m' && cp '%s'/*.csv '%s/sub/m/'", dir, dir, dir);
    assert_int_equal(cn_scenario_set(&sc, "model", "./sub/./m/", "--set", 1, 1), CN_OK);
    char want[4096];
    snprintf(want, sizeof want, "%s/sub/m", dir);
    assert_string_equal(sc.model_dir, want);

    cn_diag_clear();
    cn_model *m = NULL;
    assert_int_equal(cn_model_read(&sc, &m), CN_OK);
    assert_int_equal(m->sc.periods, 2);
    assert_int_equal(m->ndemand, 4);   /* periods 0, 1 only */
    assert_int_equal(m->sc.expansion, 1);
    snprintf(want, sizeof want, "%s/sub/m/types.csv", dir);
    assert_string_equal(m->files[1].path, want);
    cn_model_destroy(&m);

    /* the memory guard refuses before allocating */
    assert_int_equal(cn_scenario_set(&sc, "periods", "400000000", "--set", 1, 1), CN_OK);
    cn_diag_clear();
    m = (cn_model *)&sc;
    assert_int_equal(cn_model_read(&sc, &m), CN_EDATA);
    assert_ptr_equal(m, (cn_model *)&sc);
    assert_int_equal(cn_diag_count(), 1);
    assert_diag(0, "scenario.yaml", 0, 0, "more than the limit of 8 GiB");

    /* a missing model directory */
    assert_int_equal(cn_scenario_set(&sc, "model", "nowhere", "--set", 1, 1), CN_OK);
    cn_diag_clear();
    assert_int_equal(cn_model_read(&sc, &m), CN_ENOINPUT);
    assert_diag(0, "nowhere", 0, 0, "model directory not found");

    cn_scenario_free(&sc);
    cn_rmtree(dir);
    free(dir);
}

/* Scenario forms that are accepted: every key, nulls, a model subdirectory,
 * empty-but-required tables (hubs, capacity, links, demand with no rows). */
static void test_scenario_forms(void **state)
{
    (void)state;
    char *dir = copy_base();
    cn_sh("mkdir '%s/m' && mv '%s'/*.csv '%s/m/'", dir, dir, dir);
    cn_write_file(dir, "scenario.yaml",
                  "# comment\n"
                  "name: 2024\n"
                  "description: ~\n"
                  "model: m/\n"
                  "periods: +2\n"
                  "period_hours: 0.25\n"
                  "period_weight: 1e2\n"
                  "carbon_price: 0\n"
                  "carbon_cap: 1.5e6\n"
                  "expansion: True\n"
                  "scale:\n"
                  "  demand: 0\n"
                  "  green: 2\n"
                  "  bandwidth: 1\n"
                  "  grid_price: 0.5\n");
    char mdir[4096];
    snprintf(mdir, sizeof mdir, "%s/m", dir);
    cn_write_file(mdir, "links.csv", "from,to,rtt_ms,gbps,cost\n");
    cn_write_file(mdir, "hubs.csv", "id,name,zone,min_green_share\n");
    cn_write_file(mdir, "capacity.csv", "site,type,pflops\n");
    cn_write_file(mdir, "demand.csv", "region,class,period,pflops\n");
    cn_write_file(mdir, "sites.csv",
                  "id,name,hub,region,pue,power_cap_mw,grid_price,green_price,green_cap_mw,"
                  "grid_co2,access_rtt_ms,access_gbps\n"
                  "s1,Zhangjiakou,,bj,1,0,450,380,0,0,0,0\n");
    cn_write_file(mdir, "profiles.csv", "site,period,green_avail,price_factor\ns1,1,0,0\n");
    cn_write_file(mdir, "expansions.csv",
                  "site,type,module_pflops,module_mw,module_cost,max_modules\n"
                  "s1,gpu,1,0,0,1\n");
    cn_model *m = load_ok(dir);
    assert_string_equal(m->sc.name, "2024");
    assert_null(m->sc.description);
    assert_string_equal(m->sc.model_dir, mdir);
    assert_int_equal(m->sc.periods, 2);
    assert_close(m->sc.period_hours, 0.25, 0, 0);
    assert_close(m->sc.period_weight, 100, 0, 0);
    assert_int_equal(m->sc.has_carbon_cap, 1);
    assert_close(m->sc.carbon_cap, 1.5e6, 0, 0);
    assert_int_equal(m->sc.expansion, 1);
    assert_close(m->sc.scale_demand, 0, 0, 0);
    assert_close(m->sc.scale_green, 2, 0, 0);
    assert_close(m->sc.scale_grid_price, 0.5, 0, 0);
    assert_int_equal(m->nlinks, 0);
    assert_int_equal(m->nhubs, 0);
    assert_int_equal(m->ncaps, 0);
    assert_int_equal(m->ndemand, 0);
    assert_int_equal(m->sites[0].has_power_cap, 1);     /* 0 is given, not empty */
    assert_close(m->sites[0].power_cap_mw, 0, 0, 0);
    assert_close(m->green_avail[1], 0, 0, 0);
    assert_close(m->price_factor[1], 0, 0, 0);
    assert_close(m->green_avail[0], 1, 0, 0);
    char want[4200];
    snprintf(want, sizeof want, "%s/types.csv", mdir);
    assert_string_equal(m->files[1].path, want);
    cn_model_destroy(&m);

    /* scale: null and carbon_cap: null are the defaults; a BOM and CRLF are fine */
    cn_write_file(dir, "scenario.yaml", "\xEF\xBB\xBFname: n\r\nperiods: 1\r\nmodel: ./m/.\r\n"
                                        "carbon_cap: null\r\nscale:\r\n");
    m = load_ok(dir);
    assert_int_equal(m->sc.has_carbon_cap, 0);
    assert_close(m->sc.scale_demand, 1, 0, 0);
    assert_string_equal(m->sc.model_dir, mdir);
    cn_model_destroy(&m);

    /* a scenario in the current directory: tables are named without "./" */
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(mdir), 0);
    cn_write_file(".", "scenario.yaml", "name: here\nperiods: 1\n");
    cn_diag_clear();
    int rc = cn_model_load("scenario.yaml", &m);
    cn_write_file(".", "types.csv", "id,mw_per_pflops\ncpu,0.5\ngpu,0\n");
    cn_model *m2 = NULL;
    int rc2 = cn_model_load("scenario.yaml", &m2);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rc, CN_OK);
    assert_string_equal(m->sc.model_dir, ".");
    assert_string_equal(m->files[0].path, "scenario.yaml");
    assert_string_equal(m->files[1].path, "types.csv");
    cn_model_destroy(&m);
    assert_int_equal(rc2, CN_EDATA);
    assert_null(m2);
    assert_string_equal(cn_diag_get(0)->file, "types.csv");
    cn_rmtree(dir);
    free(dir);
}

/* A failed cn_scenario_read leaves *sc as it was. */
static void test_scenario_untouched(void **state)
{
    (void)state;
    char *dir = cn_mkdtemp("reader");
    cn_write_file(dir, "scenario.yaml", "name: x\nperiods: 0\n");
    char path[4096];
    snprintf(path, sizeof path, "%s/scenario.yaml", dir);
    cn_scenario sc;
    cn_scenario_init(&sc);
    sc.periods = 7;
    cn_diag_clear();
    assert_int_equal(cn_scenario_read(path, &sc), CN_EDATA);
    assert_int_equal(sc.periods, 7);
    assert_null(sc.name);
    assert_null(sc.path);
    cn_scenario_free(&sc);
    cn_rmtree(dir);
    free(dir);
}

static void test_parse_helpers(void **state)
{
    (void)state;
    double v = -1;
    assert_int_equal(cn_parse_double("1e3", &v), CN_NUM_OK);
    assert_close(v, 1000, 0, 0);
    assert_int_equal(cn_parse_double("-0", &v), CN_NUM_OK);
    assert_false(signbit(v));
    assert_int_equal(cn_parse_double(".5", &v), CN_NUM_OK);
    assert_int_equal(cn_parse_double("5.", &v), CN_NUM_OK);
    assert_int_equal(cn_parse_double("+2.5E-3", &v), CN_NUM_OK);
    assert_close(v, 2.5e-3, 0, 0);
    assert_int_equal(cn_parse_double("1e-400", &v), CN_NUM_OK);   /* underflow rounds to 0 */
    assert_int_equal(cn_parse_double("", &v), CN_NUM_EMPTY);
    assert_int_equal(cn_parse_double(" 1", &v), CN_NUM_SPACE);
    assert_int_equal(cn_parse_double("1\t", &v), CN_NUM_SPACE);
    assert_int_equal(cn_parse_double("nan", &v), CN_NUM_NONFINITE);
    assert_int_equal(cn_parse_double("-Infinity", &v), CN_NUM_NONFINITE);
    assert_int_equal(cn_parse_double(".inf", &v), CN_NUM_NONFINITE);
    assert_int_equal(cn_parse_double("0x10", &v), CN_NUM_HEX);
    assert_int_equal(cn_parse_double("1e400", &v), CN_NUM_OVERFLOW);
    assert_int_equal(cn_parse_double("-1e400", &v), CN_NUM_OVERFLOW);
    assert_int_equal(cn_parse_double("1e", &v), CN_NUM_SYNTAX);
    assert_int_equal(cn_parse_double(".", &v), CN_NUM_SYNTAX);
    assert_int_equal(cn_parse_double("1,5", &v), CN_NUM_SYNTAX);
    assert_int_equal(cn_parse_double("1 000", &v), CN_NUM_SYNTAX);
    assert_int_equal(cn_parse_double("--1", &v), CN_NUM_SYNTAX);
    long l = -1;
    assert_int_equal(cn_parse_long("-0", &l), CN_NUM_OK);
    assert_int_equal(l, 0);
    assert_int_equal(cn_parse_long("+12", &l), CN_NUM_OK);
    assert_int_equal(l, 12);
    assert_int_equal(cn_parse_long("1.0", &l), CN_NUM_NOTINT);
    assert_int_equal(cn_parse_long("1e2", &l), CN_NUM_NOTINT);
    assert_int_equal(cn_parse_long("99999999999999999999", &l), CN_NUM_OVERFLOW);
    assert_int_equal(cn_parse_long("x", &l), CN_NUM_SYNTAX);
    assert_int_equal(cn_parse_long("", &l), CN_NUM_EMPTY);

    assert_int_equal(cn_id_check("a-Z_0.9"), 0);
    assert_int_equal(cn_id_check(""), 1);
    assert_int_equal(cn_id_check("a b"), 2);
    assert_int_equal(cn_id_check("a/b"), 2);

    static const char *joins[][3] = {
        {"dir", ".", "dir"},           {".", "sites.csv", "sites.csv"},
        {"a/b", "./c/", "a/b/c"},      {"a//b/.", "..", "a/b/.."},
        {"x", "/abs/./m", "/abs/m"},   {"/", ".", "/"},
        {".", ".", "."},               {NULL, "m", "m"},
    };
    for (size_t i = 0; i < sizeof joins / sizeof joins[0]; i++) {
        char *p = cn_path_join(joins[i][0], joins[i][1]);
        assert_string_equal(p, joins[i][2]);
        free(p);
    }
    char *d = cn_path_dir("scenario.yaml");
    assert_string_equal(d, ".");
    free(d);
    d = cn_path_dir("a/b/s.yaml");
    assert_string_equal(d, "a/b");
    free(d);
}

static void test_idindex(void **state)
{
    (void)state;
    cn_idindex *ix = NULL;
    assert_int_equal(cn_idindex_create(&ix, 0), CN_OK);
    char key[32];
    for (long i = 0; i < 100000; i++) {
        int n = snprintf(key, sizeof key, "k%ld", i);
        int found = 1;
        assert_int_equal(cn_idindex_put(ix, key, (size_t)n, i, &found, NULL), CN_OK);
        assert_int_equal(found, 0);
    }
    assert_int_equal(cn_idindex_count(ix), 100000);
    long v = -1, old = -1;
    int found = 0;
    assert_int_equal(cn_idindex_get(ix, "k4242", 5, &v), 1);
    assert_int_equal(v, 4242);
    assert_int_equal(cn_idindex_get(ix, "k100000", 7, &v), 0);
    assert_int_equal(cn_idindex_put(ix, "k7", 2, 99, &found, &old), CN_OK);
    assert_int_equal(found, 1);
    assert_int_equal(old, 7);
    assert_int_equal(cn_idindex_put(ix, "", 0, 5, &found, &old), CN_OK);
    assert_int_equal(found, 0);
    assert_int_equal(cn_idindex_get(ix, "", 0, &v), 1);
    assert_int_equal(v, 5);
    cn_idindex_destroy(&ix);
    assert_null(ix);
    cn_idindex_destroy(&ix);
}

/* The row iterator alone: field lines and numbers. */
static void test_csv_iterator(void **state)
{
    (void)state;
    char *dir = cn_mkdtemp("reader");
    cn_write_file(dir, "t.csv", "a,b\n\n\"x\ny\",\"p,\"\"q\"\"\"\r\nlast,\"\"");
    char path[4096];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    cn_diag_clear();
    cn_csv *t = NULL;
    assert_int_equal(cn_csv_open(path, 0, &t), CN_OK);
    const cn_csv_row *r = NULL;
    assert_int_equal(cn_csv_next(t, &r), CN_OK);
    assert_non_null(r);
    assert_int_equal(r->nfields, 2);
    assert_int_equal(r->line, 1);
    assert_int_equal(cn_csv_next(t, &r), CN_OK);
    assert_non_null(r);
    assert_int_equal(r->line, 3);
    assert_string_equal(r->field[0], "x\ny");
    assert_string_equal(r->field[1], "p,\"q\"");
    assert_int_equal(r->fline[1], 4);
    assert_int_equal(cn_csv_next(t, &r), CN_OK);   /* no final line break */
    assert_non_null(r);
    assert_int_equal(r->line, 5);
    assert_string_equal(r->field[0], "last");
    assert_string_equal(r->field[1], "");
    assert_int_equal(cn_csv_next(t, &r), CN_OK);
    assert_null(r);
    assert_int_equal(cn_csv_stopped(t), 0);
    cn_csv_close(&t);
    assert_null(t);
    assert_int_equal(cn_diag_count(), 0);
    /* optional and absent */
    snprintf(path, sizeof path, "%s/none.csv", dir);
    assert_int_equal(cn_csv_open(path, 1, &t), CN_OK);
    assert_null(t);
    assert_int_equal(cn_csv_open(path, 0, &t), CN_ENOINPUT);
    assert_int_equal(cn_diag_count(), 1);
    /* a CR as the last byte of a read block, LF in the next block */
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs("a,b\n", fp);
    for (int i = 4; i < 65532; i += 4)
        fputs("x,y\n", fp);   /* ends exactly at byte 65532 */
    fputs("12,\r\n2,3\n", fp);  /* the CR is byte 65535, the last of the first block */
    fclose(fp);
    cn_diag_clear();
    assert_int_equal(cn_csv_open(path, 0, &t), CN_OK);
    long rows = 0;
    const cn_csv_row *last = NULL;
    while (cn_csv_next(t, &r) == CN_OK && r) {
        rows++;
        last = r;
        if (rows == 16384) {
            assert_string_equal(r->field[0], "12");
            assert_string_equal(r->field[1], "");
        }
    }
    assert_non_null(last);
    assert_int_equal(cn_diag_count(), 0);
    assert_int_equal(rows, 16385);
    cn_csv_close(&t);
    cn_rmtree(dir);
    free(dir);
}

/* profiles.csv at the size of the bundled model: 2000 sites x 168 periods. */
static void test_large_profiles(void **state)
{
    (void)state;
    char *dir = copy_base();
    char path[4096];
    snprintf(path, sizeof path, "%s/sites.csv", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("id,name,region,pue,grid_price,green_price,green_cap_mw,grid_co2,access_rtt_ms\n", fp);
    for (int s = 0; s < 2000; s++)
        fprintf(fp, "site%04d,Site %d,%s,1.2,400,300,10,0.5,1\n", s, s, s % 2 ? "sh" : "bj");
    fclose(fp);
    snprintf(path, sizeof path, "%s/profiles.csv", dir);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("site,period,green_avail,price_factor\n", fp);
    for (int s = 0; s < 2000; s++)
        for (int t = 0; t < 168; t++)
            fprintf(fp, "site%04d,%d,%.3f,1\n", s, t, (double)((s + t) % 100) / 100.0);
    fclose(fp);
    cn_write_file(dir, "capacity.csv", "site,type,pflops\nsite0001,cpu,10\n");
    cn_write_file(dir, "expansions.csv", "site,type,module_pflops,module_mw,module_cost,max_modules\n");
    cn_write_file(dir, "scenario.yaml", "name: big\nperiods: 168\n");
    clock_t t0 = clock();
    cn_model *m = load_ok(dir);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    print_message("  2000 sites x 168 periods of profiles read in %.2f s\n", secs);
    assert_int_equal(m->nsites, 2000);
    assert_close(m->green_avail[1999 * 168 + 167], (double)((1999 + 167) % 100) / 100.0, 0, 1e-12);
    cn_model_destroy(&m);
    cn_rmtree(dir);
    free(dir);
}

/* ---- the bad-input corpus ---- */

static void test_bad_case(void **state)
{
    const cn_case *bc = *state;
    char cdir[4096], path[4200], line[2048];
    snprintf(cdir, sizeof cdir, "%s/%s", bad_dir(), bc->name);
    snprintf(path, sizeof path, "%s/expect", cdir);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char *dir = copy_base();
    int code = -1;
    long count = -1, eline = -1, ecol = -1;
    char efile[256] = "", emsg[1024] = "";
    int has_comment = 0;
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#') {
            has_comment = 1;
        } else if (!strncmp(line, "remove ", 7)) {
            cn_sh("rm -rf '%s/%s'", dir, line + 7);
        } else if (!strncmp(line, "count ", 6)) {
            count = atol(line + 6);
        } else if (line[0] >= '0' && line[0] <= '9') {
            int n = 0;
            if (sscanf(line, "%d %255[^:]:%ld:%ld %n", &code, efile, &eline, &ecol, &n) < 4)
                fail_msg("%s: cannot parse '%s'", path, line);
            snprintf(emsg, sizeof emsg, "%s", line + n);
        }
    }
    fclose(fp);
    if (!has_comment)
        fail_msg("%s: no comment naming the rule", path);
    if (code < 0)
        fail_msg("%s: no expectation line", path);
    /* overlay the case's files (anything but expect) */
    DIR *d = opendir(cdir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || !strcmp(e->d_name, "expect"))
            continue;
        cn_sh("rm -rf '%s/%s' && cp -R '%s/%s' '%s/%s'", dir, e->d_name, cdir, e->d_name, dir,
           e->d_name);
    }
    closedir(d);
    load_fail(dir, code);
    if (cn_diag_count() < 1)
        fail_msg("no diagnostic recorded");
    assert_diag(0, efile, eline, ecol, emsg);
    if (count >= 0 && cn_diag_count() != count) {
        print_diags();
        fail_msg("%ld diagnostics, expected %ld", cn_diag_count(), count);
    }
    cn_rmtree(dir);
    free(dir);
}

int main(int argc, char **argv)
{
    (void)argc;
    find_bad_dir(argv[0]);
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_parse_helpers),
        cmocka_unit_test(test_idindex),
        cmocka_unit_test(test_csv_iterator),
        cmocka_unit_test(test_base_values),
        cmocka_unit_test(test_periods_and_coordinates),
        cmocka_unit_test(test_optional_tables_absent),
        cmocka_unit_test(test_csv_forms),
        cmocka_unit_test(test_all_reported),
        cmocka_unit_test(test_id_max_length),
        cmocka_unit_test(test_scenario_set),
        cmocka_unit_test(test_scenario_untouched),
        cmocka_unit_test(test_scenario_forms),
        cmocka_unit_test(test_large_profiles),
    };
    size_t nfixed = sizeof fixed / sizeof fixed[0];

    /* one test per directory of tests/bad/ except base */
    return cn_run_case_dir("reader", fixed, nfixed, bad_dir(), "bad", test_bad_case);
}
