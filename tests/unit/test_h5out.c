/* tests/unit/test_h5out.c - the HDF5 result writer (io/h5out.c) and reader
 * (io/h5read.c) on a tiny hand-built model and result.
 *
 * Runs at any number of MPI ranks (1 under tests/run.sh; 2 under
 * tests/e2e/test_h5_python.sh).  Every test does its collective calls first
 * (on every rank, in the same order) and its file checks after them, on rank 0
 * only, so a failed assertion never leaves another rank inside a collective; the
 * verdict is the maximum failure count over the ranks.
 *
 * The model (ns = 2 sites unless said otherwise):
 *   types   cpu (0.5 MW/PFLOPS), gpu (0.8)
 *   regions bj (39.9N 116.4E), gs (35.7N 107.6E)
 *   hubs    jjj (east, no green rule), gansu (west, min green 0.3)
 *   sites   s0: hub jjj at bj; s1: hub gansu at gs  (ns = 5 adds s2 at jjj/bj,
 *           s3 at gansu/gs, s4 outside any hub at gs)
 *   capacity s_i: cpu 10 + i, gpu 5 + i -> jjj 15 PFLOPS, gansu 17 PFLOPS
 *   link    bj-gs; classes rt (cpu, window 1) and batch (gpu, window 2); T = 3,
 *           so W = max(3, ceil(3/2) = 2) = 3; one expansion row (s0, gpu)
 * The result's numbers are chosen, not solved:
 *   parts energy 100, carbon 20, green 30, transfer 5, unserved 40, expansion 0
 *   -> objective 195 (energy share 51.28%)
 *   site_load[s][cpu][t] = (s+1)(t+1), gpu 0
 *     jjj:   1, 2, 3 of 15 -> average 2/15 = 13.33%, peak 3/15 = 20% in period 2
 *     gansu: 2, 4, 6 of 17 -> average 4/17, peak 6/17 in period 2
 *   demand rows (region, class, window, D, u, dual):
 *     (bj, rt, 0, 10, 1, 100) (bj, rt, 1, 20, 0, 50) (gs, batch, 1, 30, 3, 10) (gs, rt, 2, 40, 0, 0)
 *     -> rt demand 70, unserved 1 (served 98.57%); batch 30, unserved 3 (served 90%)
 *   x: for each site s, region r, period t: class (r+s+t) % 2, pflops 1 + s + r/10 + t/100;
 *     east-to-west (region bj, zone east, at site s1 of west hub gansu): 2 + 2.01 + 2.02 = 6.03
 *   duals: cap[s1][cpu][2] = -500, link[0][1] = -300, green[s1][0] = -250,
 *     hub_green[gansu] = 150, carbon = -80, cap[s0][gpu][0] = -20, access[s0][2] = -5,
 *     power_cap[s0][1] = -1  (the top list, in this order; 8 entries)
 * Sites are owned by rank s % size (roundtrip) or (s / 2) % size (5 sites: runs
 * of two, non-contiguous per rank); rows of sites a rank does not own hold NaN
 * there, so any leak of a non-owned row into the file shows.
 */
#include "testutil.h"

#include <dirent.h>
#include <hdf5.h>
#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../base/err.h"
#include "../../core/model.h"
#include "../../core/result.h"
#include "../../io/h5out.h"
#include "../../io/h5read.h"

static MPI_Comm g_comm;
static int g_rank, g_size;
static char *g_dir;   /* a fresh directory, the same path on every rank */

/* ------------------------------------------------------------ the model */

static char *sdup(const char *s)
{
    char *p = strdup(s);
    assert_non_null(p);
    return p;
}

static cn_model *tiny_model(int ns)
{
    cn_model *m = cn_model_create();
    assert_non_null(m);
    cn_scenario_init(&m->sc);
    m->sc.path = sdup("tiny/scenario.yaml");
    m->sc.name = sdup("tiny");
    m->sc.description = sdup("hand-built test model");
    m->sc.model_dir = sdup("tiny");
    m->sc.periods = 3;
    m->sc.period_hours = 1.0;
    m->sc.period_weight = 365.0;
    m->sc.carbon_price = 50.0;
    m->sc.has_carbon_cap = 1;
    m->sc.carbon_cap = 1000.0;
    m->sc.scale_demand = 1.5;

    m->ntypes = 2;
    m->types = calloc(2, sizeof *m->types);
    m->types[0] = (cn_type){sdup("cpu"), 0.5};
    m->types[1] = (cn_type){sdup("gpu"), 0.8};

    m->nregions = 2;
    m->regions = calloc(2, sizeof *m->regions);
    m->regions[0] = (cn_region){sdup("bj"), sdup("Beijing"), 39.9, 116.4};
    m->regions[1] = (cn_region){sdup("gs"), sdup("Gansu Qingyang"), 35.7, 107.6};

    m->nhubs = 2;
    m->hubs = calloc(2, sizeof *m->hubs);
    m->hubs[0] = (cn_hub){sdup("jjj"), sdup("Jing-Jin-Ji"), CN_ZONE_EAST, 0, 0.0};
    m->hubs[1] = (cn_hub){sdup("gansu"), sdup("Gansu"), CN_ZONE_WEST, 1, 0.3};

    m->nsites = ns;
    m->sites = calloc((size_t)ns, sizeof *m->sites);
    for (int s = 0; s < ns; s++) {
        char id[16], name[32];
        snprintf(id, sizeof id, "s%d", s);
        snprintf(name, sizeof name, "Site number %d", s);
        cn_site *st = &m->sites[s];
        st->id = sdup(id);
        st->name = sdup(name);
        st->hub = s == 4 ? -1 : s % 2;
        st->region = s % 2;
        st->pue = 1.2 + 0.01 * s;
        st->has_power_cap = s != 1;
        st->power_cap_mw = 50 + s;
        st->grid_price = 400 + s;
        st->green_price = 300 + s;
        st->green_cap_mw = 5 + s;
        st->grid_co2 = 0.6;
        st->access_rtt_ms = 1 + s;
        st->has_access_gbps = 1;
        st->access_gbps = 100 + s;
    }
    m->ncaps = 2 * ns;
    m->caps = calloc((size_t)m->ncaps, sizeof *m->caps);
    for (int s = 0; s < ns; s++) {
        m->caps[2 * s] = (cn_capacity){s, 0, 10.0 + s};
        m->caps[2 * s + 1] = (cn_capacity){s, 1, 5.0 + s};
    }
    m->nlinks = 1;
    m->links = calloc(1, sizeof *m->links);
    m->links[0] = (cn_link){0, 1, 20.0, 1, 100.0, 0.1};

    m->nclasses = 2;
    m->classes = calloc(2, sizeof *m->classes);
    m->classes[0] = (cn_class){sdup("rt"), sdup("real-time"), 0, 30.0, 0.5, 1, 1000.0};
    m->classes[1] = (cn_class){sdup("batch"), sdup("batch training"), 1, 200.0, 0.1, 2, 100.0};

    m->nexps = 1;
    m->exps = calloc(1, sizeof *m->exps);
    m->exps[0] = (cn_expansion){0, 1, 2.0, 1.5, 1e6, 4};

    size_t ST = (size_t)ns * 3;
    m->green_avail = calloc(ST, sizeof *m->green_avail);
    m->price_factor = calloc(ST, sizeof *m->price_factor);
    for (size_t i = 0; i < ST; i++)
        m->green_avail[i] = m->price_factor[i] = 1.0;

    m->nfiles = 2;
    m->files = calloc(2, sizeof *m->files);
    m->files[0].path = sdup("tiny/scenario.yaml");
    m->files[1].path = sdup("tiny/types.csv");
    memset(m->files[0].sha256, 'a', 64);
    memset(m->files[1].sha256, 'b', 64);
    return m;
}

/* ----------------------------------------------------------- the result */

static int owner_of(int s, int mode) { return mode == 0 ? s % g_size : (s / 2) % g_size; }

static double xval(int s, int r, int t) { return 1.0 + s + 0.1 * r + 0.01 * t; }

/* The result as this rank holds it: owned site rows filled, others NaN; the
 * x entries of owned sites; unserved rows and rank-0 data on rank 0 only. */
static cn_result *tiny_result(const cn_model *m, int mode, int *owner)
{
    cn_result *r = NULL;
    assert_int_equal(cn_result_create(m, &r), CN_OK);
    int S = m->nsites, C = m->ntypes, T = (int)m->sc.periods;
    for (int s = 0; s < S; s++)
        owner[s] = owner_of(s, mode);
    r->status = CN_STATUS_OPTIMAL;
    r->objective = r->bound = 195.0;
    r->gap = 0.0;
    r->cost_energy = 100;
    r->cost_carbon = 20;
    r->cost_green = 30;
    r->cost_transfer = 5;
    r->cost_unserved = 40;
    r->cost_expansion = 0;
    r->emissions_t = 12.5;
    r->energy_mwh = 300;
    r->green_mwh = 60;
    snprintf(r->method, sizeof r->method, "glpk-simplex");
    r->ranks = g_size;
    r->iterations = 42;
    r->solve_seconds = 0.5;
    r->max_violation = 1e-9;
    r->nvars = 100;
    r->nrows = 50;
    r->nnz = 300;
    r->has_duals = 1;
    r->has_carbon_row = 1;
    for (int s = 0; s < S; s++) {
        int mine = owner[s] == g_rank;
        for (int t = 0; t < T; t++) {
            size_t st = (size_t)s * T + t;
            r->pg_mw[st] = mine ? 10.0 * s + t + 0.5 : NAN;
            r->pgr_mw[st] = mine ? 0.5 * (10.0 * s + t + 0.5) : NAN;
            r->access_load_gbps[st] = mine ? s + 0.1 * t : NAN;
            r->access_dual[st] = mine ? (s == 0 && t == 2 ? -5.0 : 0.0) : NAN;
            r->power_cap_dual[st] = mine ? (s == 0 && t == 1 ? -1.0 : 0.0) : NAN;
            r->green_dual[st] = mine ? (s == 1 && t == 0 ? -250.0 : 0.0) : NAN;
            for (int c = 0; c < C; c++) {
                size_t sct = ((size_t)s * C + c) * T + t;
                r->site_load_pflops[sct] = mine ? (c == 0 ? (s + 1.0) * (t + 1.0) : 0.0) : NAN;
                r->cap_dual[sct] = mine ? (s == 1 && c == 0 && t == 2   ? -500.0
                                           : s == 0 && c == 1 && t == 0 ? -20.0
                                                                        : 0.0)
                                        : NAN;
            }
        }
    }
    for (int t = 0; t < T; t++) {
        r->link_load_gbps[t] = g_rank == 0 ? 7.0 + t : NAN;
        r->link_dual[t] = g_rank == 0 ? (t == 1 ? -300.0 : 0.0) : NAN;
    }
    r->y_modules[0] = g_rank == 0 ? 0.0 : NAN;
    r->carbon_dual = g_rank == 0 ? -80.0 : NAN;
    r->hub_green_dual[0] = g_rank == 0 ? 0.0 : NAN;
    r->hub_green_dual[1] = g_rank == 0 ? 150.0 : NAN;
    /* x: the entries of owned sites, in (s, r, t) order */
    int64_t n = 0, cap = (int64_t)S * 2 * T;
    r->x_region = calloc((size_t)cap, sizeof *r->x_region);
    r->x_site = calloc((size_t)cap, sizeof *r->x_site);
    r->x_class = calloc((size_t)cap, sizeof *r->x_class);
    r->x_period = calloc((size_t)cap, sizeof *r->x_period);
    r->x_pflops = calloc((size_t)cap, sizeof *r->x_pflops);
    for (int s = 0; s < S; s++)
        for (int rg = 0; rg < 2 && owner[s] == g_rank; rg++)
            for (int t = 0; t < T; t++, n++) {
                r->x_region[n] = rg;
                r->x_site[n] = s;
                r->x_class[n] = (rg + s + t) % 2;
                r->x_period[n] = t;
                r->x_pflops[n] = xval(s, rg, t);
            }
    r->nx = n;
    if (g_rank == 0) {
        static const int32_t ur[] = {0, 0, 1, 1}, uk[] = {0, 0, 1, 0}, ub[] = {0, 1, 1, 2};
        static const double ud[] = {10, 20, 30, 40}, uu[] = {1, 0, 3, 0}, uy[] = {100, 50, 10, 0};
        r->nu = 4;
        r->u_region = malloc(sizeof ur);
        r->u_class = malloc(sizeof uk);
        r->u_window = malloc(sizeof ub);
        r->u_demand_pflops = malloc(sizeof ud);
        r->u_pflops = malloc(sizeof uu);
        r->u_dual = malloc(sizeof uy);
        memcpy(r->u_region, ur, sizeof ur);
        memcpy(r->u_class, uk, sizeof uk);
        memcpy(r->u_window, ub, sizeof ub);
        memcpy(r->u_demand_pflops, ud, sizeof ud);
        memcpy(r->u_pflops, uu, sizeof uu);
        memcpy(r->u_dual, uy, sizeof uy);
    }
    return r;
}

static const cn_provenance g_prov = {"cnopt solve tiny/scenario.yaml -o out.h5", "5.0", NULL,
                                     "12345", "none", 1};

/* ----------------------------------------------------- reading it back */

static char *path_in(const char *name)
{
    static char buf[8][4096];
    static int i;
    i = (i + 1) % 8;
    snprintf(buf[i], sizeof buf[i], "%s/%s", g_dir, name);
    return buf[i];
}

static double *read_f64(hid_t f, const char *path, size_t n)
{
    hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
    if (d < 0)
        print_error("missing dataset %s\n", path);
    assert_true(d >= 0);
    hid_t sp = H5Dget_space(d);
    assert_int_equal((size_t)H5Sget_simple_extent_npoints(sp), n);
    H5Sclose(sp);
    double *v = calloc(n ? n : 1, sizeof *v);
    if (n)
        assert_true(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    H5Dclose(d);
    return v;
}

static int32_t *read_i32(hid_t f, const char *path, size_t n)
{
    hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
    assert_true(d >= 0);
    int32_t *v = calloc(n ? n : 1, sizeof *v);
    if (n)
        assert_true(H5Dread(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    H5Dclose(d);
    return v;
}

static void attr_str(hid_t f, const char *obj, const char *name, char *buf, size_t n)
{
    hid_t a = H5Aopen_by_name(f, obj, name, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0)
        print_error("missing attribute %s of %s\n", name, obj);
    assert_true(a >= 0);
    hid_t t = H5Aget_type(a);
    assert_int_equal(H5Tget_class(t), H5T_STRING);
    hid_t mt = H5Tcopy(t);
    if (H5Tis_variable_str(t) > 0) {
        char *s = NULL;
        assert_true(H5Aread(a, mt, &s) >= 0);
        snprintf(buf, n, "%s", s);
        H5free_memory(s);
    } else {
        size_t sz = H5Tget_size(t);
        char *tmp = calloc(sz + 1, 1);
        assert_true(H5Aread(a, mt, tmp) >= 0);
        snprintf(buf, n, "%s", tmp);
        free(tmp);
    }
    H5Tclose(mt);
    H5Tclose(t);
    H5Aclose(a);
}

static double attr_f64(hid_t f, const char *obj, const char *name)
{
    double v = NAN;
    hid_t a = H5Aopen_by_name(f, obj, name, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0)
        print_error("missing attribute %s of %s\n", name, obj);
    assert_true(a >= 0);
    assert_true(H5Aread(a, H5T_NATIVE_DOUBLE, &v) >= 0);
    H5Aclose(a);
    return v;
}

static void check_str_dataset(hid_t f, const char *path, int i, const char *want)
{
    hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
    assert_true(d >= 0);
    hid_t t = H5Dget_type(d);
    assert_int_equal(H5Tget_class(t), H5T_STRING);
    assert_true(H5Tis_variable_str(t) > 0);   /* variable-length: what netCDF-C reads */
    hid_t sp = H5Dget_space(d);
    size_t n = (size_t)H5Sget_simple_extent_npoints(sp);
    char **buf = calloc(n, sizeof *buf);
    hid_t mt = H5Tcopy(t);
    assert_true(H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0);
    assert_string_equal(buf[i], want);
    H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, buf);
    free(buf);
    H5Tclose(mt);
    H5Sclose(sp);
    H5Tclose(t);
    H5Dclose(d);
}

/* Entries of the directory whose name starts with '.' (other than . and ..). */
static int hidden_files(const char *dir)
{
    int n = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

/* ------------------------------------------------------------- fixtures */

static int group_setup(void **state)
{
    (void)state;
    char buf[4096] = "";
    if (g_rank == 0) {
        char *d = cn_mkdtemp("h5out");
        snprintf(buf, sizeof buf, "%s", d);
        free(d);
    }
    MPI_Bcast(buf, sizeof buf, MPI_CHAR, 0, g_comm);
    g_dir = strdup(buf);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    MPI_Barrier(g_comm);
    if (g_rank == 0)
        cn_rmtree(g_dir);
    free(g_dir);
    return 0;
}

static void write_text(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* ---------------------------------------------------------------- tests */

static void test_check_output(void **state)
{
    (void)state;
    char *p = path_in("check.h5");
    int rc1 = cn_h5_check_output(p, 0, g_comm);
    if (g_rank == 0)
        write_text(p, "old");
    MPI_Barrier(g_comm);
    cn_err_clear();
    int rc2 = cn_h5_check_output(p, 0, g_comm);
    char msg2[1024];
    snprintf(msg2, sizeof msg2, "%s", cn_err_message());
    int rc3 = cn_h5_check_output(p, 1, g_comm);
    cn_err_clear();
    int rc4 = cn_h5_check_output(path_in("no/such/dir/out.h5"), 1, g_comm);
    char msg4[1024];
    snprintf(msg4, sizeof msg4, "%s", cn_err_message());
    int rc5 = cn_h5_check_output(g_dir, 1, g_comm);

    assert_int_equal(rc1, CN_OK);
    assert_int_equal(rc2, CN_ECANTCREAT);
    assert_int_equal(rc3, CN_OK);
    assert_int_equal(rc4, CN_ECANTCREAT);
    assert_int_equal(rc5, CN_ECANTCREAT);
    if (g_rank == 0) {
        char want[4200];
        snprintf(want, sizeof want, "%s exists (use --force to overwrite)", p);
        if (!strstr(msg2, want))
            print_error("message '%s' lacks '%s'\n", msg2, want);
        assert_non_null(strstr(msg2, want));
        assert_non_null(strstr(msg4, "does not exist"));
    }
}

/* Write the ns-site model with ownership mode to path; returns the code. */
static int write_tiny(const char *path, int force, int ns, int mode, int duals, const cn_iterlog *log)
{
    cn_model *m = tiny_model(ns);
    int *owner = calloc((size_t)ns, sizeof *owner);
    cn_result *r = tiny_result(m, mode, owner);
    r->has_duals = duals;
    int rc = cn_h5_write_result(path, force, m, r, owner, &g_prov, log, g_comm);
    cn_result_destroy(&r);
    cn_model_destroy(&m);
    free(owner);
    return rc;
}

static void test_roundtrip(void **state)
{
    (void)state;
    char *p = path_in("round.h5");
    cn_err_clear();
    int rc = write_tiny(p, 0, 2, 0, 1, NULL);
    if (rc != CN_OK)
        print_error("write failed on rank %d: %s\n", g_rank, cn_err_message());
    assert_int_equal(rc, CN_OK);
    if (g_rank != 0)
        return;
    assert_int_equal(hidden_files(g_dir), 0);   /* the temporary file is gone */
    hid_t f = H5Fopen(p, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    char buf[256];
    attr_str(f, "/", "schema_version", buf, sizeof buf);
    assert_string_equal(buf, "2.0");
    attr_str(f, "/", "status", buf, sizeof buf);
    assert_string_equal(buf, "optimal");
    assert_close(attr_f64(f, "/", "complete"), 1.0, 0, 0);
    assert_close(attr_f64(f, "/", "objective"), 195.0, 1e-15, 0);
    assert_close(attr_f64(f, "/", "gap"), 0.0, 0, 0);

    /* site-indexed rows, written by their owners */
    double *pg = read_f64(f, "/solution/pg_mw", 6);
    double *load = read_f64(f, "/solution/site_load_pflops", 12);
    double *cap = read_f64(f, "/duals/capacity", 12);
    for (int s = 0; s < 2; s++)
        for (int t = 0; t < 3; t++) {
            assert_close(pg[s * 3 + t], 10.0 * s + t + 0.5, 1e-15, 0);
            assert_close(load[(s * 2 + 0) * 3 + t], (s + 1.0) * (t + 1.0), 1e-15, 0);
            assert_close(load[(s * 2 + 1) * 3 + t], 0.0, 0, 0);
        }
    assert_close(cap[(1 * 2 + 0) * 3 + 2], -500.0, 0, 0);
    assert_close(cap[(0 * 2 + 1) * 3 + 0], -20.0, 0, 0);
    free(pg);
    free(load);
    free(cap);
    double *acc = read_f64(f, "/solution/access_load_gbps", 6);
    assert_close(acc[1 * 3 + 2], 1.2, 1e-15, 0);
    free(acc);
    double *link = read_f64(f, "/solution/link_load_gbps", 3);
    assert_close(link[2], 9.0, 0, 0);
    free(link);

    /* placement: 2 sites x 2 regions x 3 periods; ranks concatenated in order */
    double *xp = read_f64(f, "/solution/x_pflops", 12);
    int32_t *xs = read_i32(f, "/solution/x_site", 12), *xr = read_i32(f, "/solution/x_region", 12);
    int32_t *xt = read_i32(f, "/solution/x_period", 12), *xk = read_i32(f, "/solution/x_class", 12);
    double sum = 0;
    for (int i = 0; i < 12; i++) {
        assert_close(xp[i], xval(xs[i], xr[i], xt[i]), 1e-15, 0);
        assert_int_equal(xk[i], (xr[i] + xs[i] + xt[i]) % 2);
        sum += xp[i];
    }
    assert_close(sum, 12 + 6 + 0.6 + 0.12, 1e-12, 0);   /* sum of 1 + s + r/10 + t/100 */
    if (g_size == 1)
        assert_int_equal(xs[11], 1);
    free(xp); free(xs); free(xr); free(xt); free(xk);

    /* unserved rows and the dense aggregates [region][class][window] (W = 3) */
    double *uu = read_f64(f, "/solution/u_pflops", 4);
    assert_close(uu[2], 3.0, 0, 0);
    free(uu);
    double *dense = read_f64(f, "/solution/unserved_pflops", 2 * 2 * 3);
    assert_close(dense[(0 * 2 + 0) * 3 + 0], 1.0, 0, 0);   /* bj rt window 0 */
    assert_close(dense[(1 * 2 + 1) * 3 + 1], 3.0, 0, 0);   /* gs batch window 1 */
    assert_close(dense[(1 * 2 + 1) * 3 + 2], 0.0, 0, 0);   /* no row: 0 */
    free(dense);
    double *dd = read_f64(f, "/duals/demand_dense", 12);
    assert_close(dd[(0 * 2 + 0) * 3 + 1], 50.0, 0, 0);
    free(dd);
    double *carbon = read_f64(f, "/duals/carbon", 1);
    assert_close(carbon[0], -80.0, 0, 0);
    free(carbon);
    double *hg = read_f64(f, "/duals/hub_green", 2);
    assert_close(hg[1], 150.0, 0, 0);
    free(hg);
    double *tr = read_f64(f, "/objective/transfer_yuan", 1);
    assert_close(tr[0], 5.0, 0, 0);
    free(tr);

    /* model tables, zones, capacity */
    double *sc = read_f64(f, "/model/site_capacity_pflops", 4);
    assert_close(sc[1 * 2 + 0], 11.0, 0, 0);
    assert_close(sc[1 * 2 + 1], 6.0, 0, 0);
    free(sc);
    int32_t *rz = read_i32(f, "/model/region_zone", 2);
    assert_int_equal(rz[0], CN_ZONE_EAST);
    assert_int_equal(rz[1], CN_ZONE_WEST);
    free(rz);
    double *pc = read_f64(f, "/model/site_power_cap_mw", 2);
    assert_close(pc[0], 50.0, 0, 0);
    assert_true(isnan(pc[1]));   /* not given */
    free(pc);
    check_str_dataset(f, "/site", 1, "s1");
    check_str_dataset(f, "/region", 0, "bj");
    check_str_dataset(f, "/model/region_name", 1, "Gansu Qingyang");
    check_str_dataset(f, "/provenance/input_sha256", 1,
                      "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    check_str_dataset(f, "/provenance/input_path", 0, "tiny/scenario.yaml");

    /* attributes: units, dimension scales, provenance */
    attr_str(f, "/solution/pg_mw", "units", buf, sizeof buf);
    assert_string_equal(buf, "MW");
    attr_str(f, "/duals/capacity", "units", buf, sizeof buf);
    assert_string_equal(buf, "yuan/(PFLOPS*period)");
    attr_str(f, "/model/region_lat", "units", buf, sizeof buf);
    assert_string_equal(buf, "degrees_north");
    attr_str(f, "/site", "CLASS", buf, sizeof buf);
    assert_string_equal(buf, "DIMENSION_SCALE");
    assert_true(H5Aexists_by_name(f, "/solution/pg_mw", "DIMENSION_LIST", H5P_DEFAULT) > 0);
    /* each group has its own coordinates; its datasets are attached to them */
    assert_true(H5Aexists_by_name(f, "/solution/site", "REFERENCE_LIST", H5P_DEFAULT) > 0);
    attr_str(f, "/solution/site", "CLASS", buf, sizeof buf);
    assert_string_equal(buf, "DIMENSION_SCALE");
    check_str_dataset(f, "/solution/site", 1, "s1");
    check_str_dataset(f, "/duals/hub", 1, "gansu");
    check_str_dataset(f, "/model/link", 0, "bj:gs");
    check_str_dataset(f, "/model/expansion", 0, "s0:gpu");
    attr_str(f, "/", "Conventions", buf, sizeof buf);
    assert_string_equal(buf, "CF-1.8");
    attr_str(f, "/provenance", "command_line", buf, sizeof buf);
    assert_string_equal(buf, g_prov.command_line);
    attr_str(f, "/provenance", "slurm_job_id", buf, sizeof buf);
    assert_string_equal(buf, "12345");
    attr_str(f, "/provenance", "created_utc", buf, sizeof buf);
    assert_int_equal(strlen(buf), 20);
    assert_int_equal(buf[19], 'Z');
    assert_close(attr_f64(f, "/provenance", "ranks"), g_size, 0, 0);
    assert_close(attr_f64(f, "/provenance/scenario", "period_weight"), 365.0, 0, 0);
    assert_close(attr_f64(f, "/provenance/scenario", "scale_demand"), 1.5, 0, 0);
    attr_str(f, "/provenance/scenario", "description", buf, sizeof buf);
    assert_string_equal(buf, "hand-built test model");
    attr_str(f, "/solver", "method", buf, sizeof buf);
    assert_string_equal(buf, "glpk-simplex");
    assert_close(attr_f64(f, "/solver", "nnz"), 300, 0, 0);
    assert_true(H5Lexists(f, "/iteration", H5P_DEFAULT) == 0);   /* no log given */
    H5Fclose(f);
}

static void test_overwrite_refused(void **state)
{
    (void)state;
    char *p = path_in("old.h5");
    if (g_rank == 0)
        write_text(p, "old contents\n");
    MPI_Barrier(g_comm);
    cn_err_clear();
    int rc = write_tiny(p, 0, 2, 0, 1, NULL);
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", cn_err_message());
    int rc2 = write_tiny(p, 1, 2, 0, 1, NULL);   /* force: replaced */

    assert_int_equal(rc, CN_ECANTCREAT);
    assert_int_equal(rc2, CN_OK);
    if (g_rank != 0)
        return;
    assert_non_null(strstr(msg, "exists (use --force to overwrite)"));
    assert_int_equal(hidden_files(g_dir), 0);
    hid_t f = H5Fopen(p, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    H5Fclose(f);
}

static void test_old_file_intact(void **state)
{
    (void)state;
    char *p = path_in("keep.txt");
    if (g_rank == 0)
        write_text(p, "precious\n");
    MPI_Barrier(g_comm);
    int rc = write_tiny(p, 0, 2, 0, 1, NULL);
    assert_int_equal(rc, CN_ECANTCREAT);
    if (g_rank != 0)
        return;
    FILE *fp = fopen(p, "r");
    assert_non_null(fp);
    char buf[64] = "";
    assert_non_null(fgets(buf, sizeof buf, fp));
    fclose(fp);
    assert_string_equal(buf, "precious\n");
    assert_int_equal(hidden_files(g_dir), 0);
}

static void test_missing_dir(void **state)
{
    (void)state;
    cn_err_clear();
    int rc = write_tiny(path_in("missing/out.h5"), 1, 2, 0, 1, NULL);
    assert_int_equal(rc, CN_ECANTCREAT);
    if (g_rank == 0)
        assert_non_null(strstr(cn_err_message(), "does not exist"));
}

static void test_bad_owner(void **state)
{
    (void)state;
    char *p = path_in("badowner.h5");
    cn_model *m = tiny_model(2);
    int owner[2];
    cn_result *r = tiny_result(m, 0, owner);
    owner[1] = g_size;   /* not a rank */
    int rc = cn_h5_write_result(p, 0, m, r, owner, &g_prov, NULL, g_comm);
    cn_result_destroy(&r);
    cn_model_destroy(&m);
    assert_int_equal(rc, CN_ESOFTWARE);
    if (g_rank == 0) {
        assert_int_equal(access(p, F_OK), -1);
        assert_int_equal(hidden_files(g_dir), 0);
    }
}

/* A rank-local failure in the middle of the parallel phase (the owner of site
 * 1 lost its placement values): every rank returns the same code, the target
 * is not created and the temporary file is removed. */
static void test_rank_failure(void **state)
{
    (void)state;
    char *p = path_in("fails.h5");
    cn_model *m = tiny_model(2);
    int owner[2];
    cn_result *r = tiny_result(m, 0, owner);
    if (g_rank == owner[1]) {
        free(r->x_pflops);
        r->x_pflops = NULL;
    }
    cn_err_clear();
    int rc = cn_h5_write_result(p, 0, m, r, owner, &g_prov, NULL, g_comm);
    int msg = strstr(cn_err_message(), "/solution/x_pflops") != NULL;
    cn_result_destroy(&r);
    cn_model_destroy(&m);
    assert_int_equal(rc, CN_ESOFTWARE);
    assert_int_equal(msg, g_rank == owner[1]);   /* only the failing rank reports */
    if (g_rank == 0) {
        assert_int_equal(access(p, F_OK), -1);
        assert_int_equal(hidden_files(g_dir), 0);
    }
}

static void test_summary(void **state)
{
    (void)state;
    char *p = path_in("summary.h5");
    int rc = write_tiny(p, 0, 2, 0, 1, NULL);
    assert_int_equal(rc, CN_OK);
    if (g_rank != 0)
        return;
    cn_h5_summary *s = NULL;
    rc = cn_h5_read_summary(p, &s);
    if (rc != CN_OK)
        print_error("%s\n", cn_err_message());
    assert_int_equal(rc, CN_OK);
    assert_string_equal(s->status, "optimal");
    assert_string_equal(s->scenario, "tiny");
    assert_close(s->objective, 195.0, 0, 0);
    assert_close(s->parts[0], 100.0, 0, 0);
    assert_close(s->parts[4], 40.0, 0, 0);
    assert_int_equal(s->nclasses, 2);
    assert_close(s->classes[0].demand, 70.0, 0, 0);
    assert_close(s->classes[0].unserved, 1.0, 0, 0);
    assert_close(s->classes[1].demand, 30.0, 0, 0);
    assert_close(s->classes[1].unserved, 3.0, 0, 0);
    assert_int_equal(s->nhubs, 2);
    assert_close(s->hubs[0].capacity_pflops, 15.0, 0, 0);
    assert_close(s->hubs[0].util_avg, 2.0 / 15.0, 1e-12, 0);
    assert_close(s->hubs[0].util_peak, 3.0 / 15.0, 1e-12, 0);
    assert_int_equal(s->hubs[0].peak_period, 2);
    assert_close(s->hubs[1].util_avg, 4.0 / 17.0, 1e-12, 0);
    assert_close(s->hubs[1].util_peak, 6.0 / 17.0, 1e-12, 0);
    assert_close(s->east_to_west, 6.03, 1e-12, 0);
    assert_int_equal(s->nprices, 8);
    static const int kinds[8] = {CN_PRICE_CAPACITY, CN_PRICE_LINK, CN_PRICE_GREEN, CN_PRICE_HUB_GREEN,
                                 CN_PRICE_CARBON, CN_PRICE_CAPACITY, CN_PRICE_ACCESS, CN_PRICE_POWER_CAP};
    static const double vals[8] = {-500, -300, -250, 150, -80, -20, -5, -1};
    for (int i = 0; i < 8; i++) {
        assert_int_equal(s->prices[i].kind, kinds[i]);
        assert_close(s->prices[i].value, vals[i], 0, 0);
    }
    assert_string_equal(s->prices[0].meaning, "1 more PFLOPS of cpu at site s1 in hour 2 would save 500 yuan");
    assert_string_equal(s->prices[1].meaning, "1 more Gbps on link bj-gs in hour 1 would save 300 yuan");
    cn_h5_summary_destroy(&s);
    assert_null(s);
}

static void test_read_errors(void **state)
{
    (void)state;
    if (g_rank != 0)
        return;
    cn_h5_summary *s = NULL;
    assert_int_equal(cn_h5_read_summary(path_in("nope.h5"), &s), CN_ENOINPUT);
    char *txt = path_in("text.h5");
    write_text(txt, "not hdf5\n");
    assert_int_equal(cn_h5_read_summary(txt, &s), CN_EDATA);
    /* an HDF5 file that is not ours */
    char *other = path_in("other.h5");
    hid_t f = H5Fcreate(other, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(f >= 0);
    H5Fclose(f);
    assert_int_equal(cn_h5_read_summary(other, &s), CN_EDATA);
    /* ours but with complete = 0, then with schema_version 3.0 (majors read: 1, 2) */
    char *inc = path_in("incomplete.h5");
    f = H5Fcreate(inc, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t sp = H5Screate(H5S_SCALAR), t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, 4);
    hid_t a = H5Acreate2(f, "schema_version", t, sp, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, t, "1.0");
    H5Aclose(a);
    int zero = 0;
    a = H5Acreate2(f, "complete", H5T_NATIVE_INT, sp, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, H5T_NATIVE_INT, &zero);
    H5Aclose(a);
    H5Fclose(f);
    cn_err_clear();
    assert_int_equal(cn_h5_read_summary(inc, &s), CN_EDATA);
    assert_non_null(strstr(cn_err_message(), "incomplete result file"));
    f = H5Fopen(inc, H5F_ACC_RDWR, H5P_DEFAULT);
    a = H5Aopen(f, "schema_version", H5P_DEFAULT);
    H5Awrite(a, t, "3.0");
    H5Aclose(a);
    H5Fclose(f);
    cn_err_clear();
    assert_int_equal(cn_h5_read_summary(inc, &s), CN_EDATA);
    assert_non_null(strstr(cn_err_message(), "schema_version 3.0"));
    H5Tclose(t);
    H5Sclose(sp);
    assert_null(s);
}

static void test_no_duals_with_log(void **state)
{
    (void)state;
    char *p = path_in("log.h5");
    long it[3] = {1, 2, 3}, cols[3] = {10, 5, 0};
    double mo[3] = {300, 250, 240}, lb[3] = {100, 200, 239}, gap[3] = {0.6, 0.2, 0.004}, el[3] = {1, 2, 3};
    cn_iterlog log = {3, it, mo, lb, gap, el, cols};
    int rc = write_tiny(p, 0, 2, 0, 0, &log);
    assert_int_equal(rc, CN_OK);
    if (g_rank != 0)
        return;
    hid_t f = H5Fopen(p, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    assert_true(H5Lexists(f, "/duals", H5P_DEFAULT) == 0);
    double *v = read_f64(f, "/solver/lower_bound", 3);
    assert_close(v[2], 239.0, 0, 0);
    free(v);
    v = read_f64(f, "/solver/columns_added", 3);
    assert_close(v[0], 10.0, 0, 0);
    free(v);
    v = read_f64(f, "/iteration", 3);
    assert_close(v[2], 3.0, 0, 0);
    free(v);
    H5Fclose(f);
    cn_h5_summary *s = NULL;
    assert_int_equal(cn_h5_read_summary(p, &s), CN_OK);
    assert_int_equal(s->has_duals, 0);
    assert_int_equal(s->nprices, 0);
    cn_h5_summary_destroy(&s);
}

/* With CN_KEEP_H5=PATH: the 5-site model, sites owned in runs of two per rank
 * ((s/2) % size), written to PATH for tests/e2e/test_h5_python.sh. */
static void test_keep(void **state)
{
    (void)state;
    const char *keep = getenv("CN_KEEP_H5");
    if (!keep || !*keep)
        skip();
    long it[2] = {0, 1}, cols[2] = {4, 0};
    double mo[2] = {200, 195}, lb[2] = {150, 195}, gap[2] = {0.25, 0}, el[2] = {0.1, 0.2};
    cn_iterlog log = {2, it, mo, lb, gap, el, cols};
    cn_err_clear();
    int rc = write_tiny(keep, 1, 5, 1, 1, &log);
    if (rc != CN_OK)
        print_error("%s\n", cn_err_message());
    assert_int_equal(rc, CN_OK);
}

/* Sanitizer build, two workarounds for Open MPI's dlopen'ed plugins
 * (ASAN_OPTIONS still overrides them; the function is unused in builds without
 * AddressSanitizer):
 *  - fast_unwind_on_malloc=0: the plugins have no frame pointers, so the fast
 *    unwinder cuts the stacks of their allocations and tests/lsan.supp (Open
 *    MPI/PMIx/hwloc/libevent frames only) cannot match them;
 *  - intercept_tls_get_addr=0: after MPI_Finalize unloads the plugins, LSan's
 *    tracer follows a stale dynamic-TLS range of a singleton (no mpirun) run
 *    and crashes ("Tracer caught signal 11"). */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "fast_unwind_on_malloc=0:intercept_tls_get_addr=0";
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    MPI_Comm_dup(MPI_COMM_WORLD, &g_comm);
    MPI_Comm_rank(g_comm, &g_rank);
    MPI_Comm_size(g_comm, &g_size);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_output),
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_overwrite_refused),
        cmocka_unit_test(test_old_file_intact),
        cmocka_unit_test(test_missing_dir),
        cmocka_unit_test(test_bad_owner),
        cmocka_unit_test(test_rank_failure),
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_read_errors),
        cmocka_unit_test(test_no_duals_with_log),
        cmocka_unit_test(test_keep),
    };
    int failed = cmocka_run_group_tests(tests, group_setup, group_teardown);
    int worst = failed;
    MPI_Allreduce(&failed, &worst, 1, MPI_INT, MPI_MAX, g_comm);
    MPI_Comm_free(&g_comm);
    MPI_Finalize();
    return worst ? 1 : 0;
}
