/* io/h5out.c - parallel HDF5 result writer; see h5out.h and docs/hdf5-schema.md.
 *
 * Two phases (docs/hdf5-schema.md, "How the file is written"):
 *  1. parallel: every rank opens DIR/.NAME.tmp.HOST.PID with the MPI-IO driver; groups
 *     and numeric datasets are created collectively with identical arguments (sizes
 *     come from rank 0 by broadcast), data goes through collective H5Dwrite calls in
 *     which each rank selects its own part (owned site rows, its block of the
 *     placement list, or everything/nothing for rank-0 data).  Nothing
 *     variable-length is written here: no strings.
 *  2. serial, rank 0 only, through the shared writer module (io/h5file.h): reopen
 *     with the default driver, write the string variables and every coordinate
 *     variable (root and per group: labels are variable-length UTF-8 strings, the
 *     only strings netCDF-C reads), the dimension-scale attributes (object
 *     references in variable-length data, which parallel HDF5 cannot write), every
 *     attribute and, last, complete = 1; close, fsync, move to the final name,
 *     fsync the directory.
 * Every collective step that follows rank-local work is preceded by an agreement
 * on the error code (cn_mpi_agree), so one rank's failure stops all ranks at the
 * same step; the temporary file is then removed by rank 0.
 */
#include "h5out.h"

#include <errno.h>
#include <hdf5.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../base/err.h"
#include "../base/log.h"
#include "../base/mpiutil.h"
#include "../base/version.h"
#include "../core/derive.h"
#include "h5file.h"
#include "h5file_int.h"

#define SCHEMA_VERSION "2.0"
#define CONVENTIONS "CF-1.8"

void cn_h5_version(char *buf, size_t n)
{
    unsigned maj = 0, min = 0, rel = 0;
    H5get_libversion(&maj, &min, &rel);
    snprintf(buf, n, "%u.%u.%u", maj, min, rel);
}

#define H5FAIL(code, what, subject) CN_H5FAIL((code), (what), (subject))

/* ------------------------------------------------------- output path checks */

/* Not collective.  The checks of cn_h5_check_output on the calling rank. */
static int check_output_local(const char *path, int force)
{
    struct stat st;
    char dir[4096];
    const char *base = NULL;
    if (!path || !*path)
        return CN_ERR(CN_ECANTCREAT, "output path is empty");
    cn_path_split(path, dir, sizeof dir, &base);
    if (!*base)
        return CN_ERR(CN_ECANTCREAT, "output path '%s' names a directory, expected a file", path);
    if (stat(dir, &st) != 0)
        return CN_ERR(CN_ECANTCREAT, "cannot create %s: directory '%s' %s", path, dir,
                      errno == ENOENT ? "does not exist" : strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return CN_ERR(CN_ECANTCREAT, "cannot create %s: '%s' is not a directory", path, dir);
    if (access(dir, W_OK | X_OK) != 0)
        return CN_ERR(CN_ECANTCREAT, "cannot create %s: directory '%s' is not writable (%s)",
                      path, dir, strerror(errno));
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return CN_ERR(CN_ECANTCREAT, "cannot create %s: it is a directory", path);
        /* the result replaces the path by a rename: --force must not turn a
         * device (-o /dev/null as root), FIFO or socket into a file */
        if (!S_ISREG(st.st_mode))
            return CN_ERR(CN_ECANTCREAT, "cannot create %s: it is not a regular file (a "
                          "device, FIFO or socket), and a result only replaces files", path);
        if (!force)
            return CN_ERR(CN_ECANTCREAT, "%s exists (use --force to overwrite)", path);
    } else if (errno != ENOENT) {
        return CN_ERR(CN_ECANTCREAT, "cannot create %s: %s", path, strerror(errno));
    }
    return CN_OK;
}

int cn_h5_check_output(const char *path, int force, MPI_Comm comm)
{
    int rank = 0, rc = CN_OK;
    MPI_Comm_rank(comm, &rank);
    if (rank == 0)
        rc = check_output_local(path, force);
    MPI_Bcast(&rc, 1, MPI_INT, 0, comm);
    return rc;
}

/* ------------------------------------------------------------ the schema */

enum dim_id {
    D_REGION, D_HUB, D_SITE, D_TYPE, D_CLASS, D_PERIOD, D_WINDOW, D_LINK,
    D_EXPANSION, D_PLACEMENT, D_DEMAND_ROW, D_INPUT_FILE, D_ITERATION, ND
};
static const char *const dim_name[ND] = {
    "region", "hub", "site", "type", "class", "period", "window", "link",
    "expansion", "placement", "demand_row", "input_file", "iteration"};
/* element kinds: enum cn_h5_type (io/h5file.h) */
#define K_F64 CN_H5_F64
#define K_I32 CN_H5_I32
#define K_I64 CN_H5_I64
enum sel { SEL_ROOT, SEL_SITES, SEL_BLOCK };
enum vflag {
    VF_ZONE = 1,    /* flag_values / flag_meanings of a zone */
    VF_SCALE = 2,   /* a dimension scale (coordinate) */
    VF_SERIAL = 4   /* written in the serial phase with its attributes */
};

/* The groups that hold datasets; each has its own coordinate variables for the
 * dimensions its datasets use (docs/hdf5-schema.md, Coordinates). */
enum group_id { G_ROOT, G_MODEL, G_SOLUTION, G_DUALS, G_OBJECTIVE, G_SOLVER, G_PROVENANCE, NG };
static const char *const group_path[NG] = {
    "", "/model", "/solution", "/duals", "/objective", "/solver", "/provenance"};

/* A dataset: its path, dimensions and descriptive attributes.  Attributes are
 * written in the serial phase from this record. */
typedef struct vdesc {
    const char *path;
    int ndims;
    int dim[3];
    const char *units;        /* NULL for string datasets */
    const char *long_name;
    const char *description;  /* NULL: none */
    int flags;                /* enum vflag */
} vdesc;

typedef struct h5w {
    MPI_Comm comm;
    int rank, size;
    hid_t file, dxpl;
    hsize_t dim[ND];
    int has_dim[ND];
    int nruns;                /* this rank's owned sites as runs [start, start+len) */
    int *run_start, *run_len;
    int64_t x_off;            /* this rank's offset in the placement list */
    vdesc *vars;              /* every dataset written, for the serial phase */
    int nvars, capvars;
    char cpath[NG][ND][48];   /* paths of the coordinate variables (serial phase) */
    const char *tmp;          /* the file written */
    uint64_t alloc;           /* bytes HDF5 allocated at most so far (cn_h5_room) */
} h5w;

/* What the parallel phase counts for each object's metadata (an object header
 * with its later attributes, a group's heap and B-tree; HDF5 allocates them
 * in blocks of 2 KiB) on top of its raw data, for cn_h5_room. */
#define OBJ_BYTES 2048

static int agree(h5w *w, int rc) { return cn_mpi_agree(w->comm, rc); }

static int register_var(h5w *w, const vdesc *v)
{
    if (w->nvars == w->capvars) {
        int cap = w->capvars ? 2 * w->capvars : 64;
        vdesc *nv = cn_realloc(w->vars, (size_t)cap, sizeof *nv);
        if (!nv)
            return CN_EOSERR;
        w->vars = nv;
        w->capvars = cap;
    }
    w->vars[w->nvars++] = *v;
    return CN_OK;
}

/* Select this rank's part of a dataset of dims[nd] in fs and build the matching
 * memory space *ms (the rank's buffer has the full dataset shape for SEL_ROOT and
 * SEL_SITES, and nloc elements for SEL_BLOCK).  Not collective. */
static int select_part(h5w *w, int sel, int nd, const hsize_t *dims, int64_t nloc,
                       hid_t fs, hid_t *ms)
{
    herr_t e = 0;
    if (sel == SEL_BLOCK) {
        hsize_t n = nloc > 0 ? (hsize_t)nloc : 1;
        *ms = H5Screate_simple(1, &n, NULL);
        if (*ms < 0)
            return CN_EIO;
        if (nloc > 0) {
            hsize_t start = (hsize_t)w->x_off, count = (hsize_t)nloc;
            e |= H5Sselect_hyperslab(fs, H5S_SELECT_SET, &start, NULL, &count, NULL);
            e |= H5Sselect_all(*ms);
        } else {
            e |= H5Sselect_none(fs);
            e |= H5Sselect_none(*ms);
        }
        return e < 0 ? CN_EIO : CN_OK;
    }
    *ms = nd ? H5Screate_simple(nd, dims, NULL) : H5Screate(H5S_SCALAR);
    if (*ms < 0)
        return CN_EIO;
    if (sel == SEL_ROOT) {
        if (w->rank == 0) {
            e |= H5Sselect_all(fs);
            e |= H5Sselect_all(*ms);
        } else {
            e |= H5Sselect_none(fs);
            e |= H5Sselect_none(*ms);
        }
        return e < 0 ? CN_EIO : CN_OK;
    }
    /* SEL_SITES: union of the rows of the owned runs of sites (dimension 0) */
    if (w->nruns == 0) {
        e |= H5Sselect_none(fs);
        e |= H5Sselect_none(*ms);
    }
    for (int i = 0; i < w->nruns; i++) {
        hsize_t start[3] = {(hsize_t)w->run_start[i], 0, 0};
        hsize_t count[3] = {(hsize_t)w->run_len[i], nd > 1 ? dims[1] : 1, nd > 2 ? dims[2] : 1};
        H5S_seloper_t op = i == 0 ? H5S_SELECT_SET : H5S_SELECT_OR;
        e |= H5Sselect_hyperslab(fs, op, start, NULL, count, NULL);
        e |= H5Sselect_hyperslab(*ms, op, start, NULL, count, NULL);
    }
    return e < 0 ? CN_EIO : CN_OK;
}

/* Collective.  Create dataset v (type kind: K_F64, K_I32, K_I64), write buf with
 * this rank's selection sel (nloc: local element count for SEL_BLOCK), record v
 * for the serial phase.  buf may be NULL on ranks that select nothing. */
static int put(h5w *w, const vdesc *v, int kind, int sel, int64_t nloc,
               const void *buf)
{
    static const char dummy[16];
    int rc = CN_OK, lrc = CN_OK;
    hid_t ft = -1, mt = -1, fs = -1, ms = -1, ds = -1;
    hsize_t dims[3] = {0, 0, 0}, n = 1;
    for (int i = 0; i < v->ndims; i++) {
        dims[i] = w->dim[v->dim[i]];
        n *= dims[i];
    }
    ft = cn_h5_type_of(kind, 1);
    mt = cn_h5_type_of(kind, 0);
    fs = v->ndims ? H5Screate_simple(v->ndims, dims, NULL) : H5Screate(H5S_SCALAR);
    if (ft < 0 || mt < 0 || fs < 0)
        lrc = H5FAIL(CN_EIO, "cannot make type or dataspace of", v->path);
    if ((rc = agree(w, lrc)) != CN_OK)
        goto done;
    /* contiguous datasets are allocated at creation in parallel HDF5 */
    w->alloc += OBJ_BYTES + (uint64_t)n * (kind == K_I32 ? 4u : 8u);
    if ((rc = agree(w, cn_h5_room(w->tmp, w->alloc))) != CN_OK)
        goto done;
    ds = H5Dcreate2(w->file, v->path, ft, fs, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (ds < 0)
        lrc = H5FAIL(CN_EIO, "cannot create dataset", v->path);
    if ((rc = agree(w, lrc)) != CN_OK)
        goto done;
    if (n > 0) {
        if (select_part(w, sel, v->ndims, dims, nloc, fs, &ms) != CN_OK)
            lrc = H5FAIL(CN_EIO, "cannot select this rank's part of", v->path);
        else if (!buf && H5Sget_select_npoints(ms) > 0)
            lrc = CN_ERR(CN_ESOFTWARE, "no data for dataset '%s' on rank %d", v->path, w->rank);
        if ((rc = agree(w, lrc)) != CN_OK)
            goto done;
        if (H5Dwrite(ds, mt, ms, fs, w->dxpl, buf ? buf : dummy) < 0)
            lrc = H5FAIL(CN_EIO, "cannot write dataset", v->path);
        if ((rc = agree(w, lrc)) != CN_OK)
            goto done;
    }
    lrc = register_var(w, v);
    rc = agree(w, lrc);
done:
    if (ds >= 0) H5Dclose(ds);
    if (ms >= 0) H5Sclose(ms);
    if (fs >= 0) H5Sclose(fs);
    if (mt >= 0) H5Tclose(mt);
    if (ft >= 0) H5Tclose(ft);
    return rc;
}

/* Collective.  Create a group (identical on every rank). */
static int make_group(h5w *w, const char *path)
{
    w->alloc += OBJ_BYTES;
    int lrc = cn_h5_room(w->tmp, w->alloc);
    if ((lrc = agree(w, lrc)) != CN_OK)
        return lrc;
    hid_t g = H5Gcreate2(w->file, path, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        lrc = H5FAIL(CN_EIO, "cannot create group", path);
    else
        H5Gclose(g);
    return agree(w, lrc);
}

/* ------------------------------------------------------- derived facts */


/* Zone of each region (docs/hdf5-schema.md "Zones"): the zone of the hub with the
 * most sites standing in the region (ties: east), else west when lon < 110E. */
static int region_zones(const cn_model *m, int32_t *zone)
{
    size_t H = (size_t)m->nhubs;
    int *count = cn_calloc((size_t)m->nregions * H + 1, sizeof *count);  /* [region][hub] */
    if (!count)
        return CN_EOSERR;
    for (int s = 0; s < m->nsites; s++)
        if (m->sites[s].hub >= 0)
            count[(size_t)m->sites[s].region * H + (size_t)m->sites[s].hub]++;
    for (int r = 0; r < m->nregions; r++) {
        int best = -1, bestn = 0;
        for (size_t h = 0; h < H; h++) {
            int n = count[(size_t)r * H + h];
            if (n > bestn || (n == bestn && n > 0 && m->hubs[h].zone == CN_ZONE_EAST &&
                              m->hubs[best].zone != CN_ZONE_EAST)) {
                best = (int)h;
                bestn = n;
            }
        }
        if (best >= 0)
            zone[r] = m->hubs[best].zone;
        else
            zone[r] = m->regions[r].lon < 110.0 ? CN_ZONE_WEST : CN_ZONE_EAST;
    }
    free(count);
    return CN_OK;
}

/* ------------------------------------------------ the broadcast header */

enum {
    H_R, H_H, H_S, H_C, H_K, H_T, H_W, H_L, H_E, H_NU, H_F, H_NLOG, H_DUALS, H_PID, H_N
};

static void fill_header(const cn_model *m, const cn_result *r, const cn_iterlog *log,
                        int64_t *h)
{
    h[H_R] = m->nregions;
    h[H_H] = m->nhubs;
    h[H_S] = m->nsites;
    h[H_C] = m->ntypes;
    h[H_K] = m->nclasses;
    h[H_T] = m->sc.periods;
    h[H_W] = 0;
    for (int k = 0; k < m->nclasses; k++)
        if (cn_class_nwindows(m, k) > h[H_W])
            h[H_W] = cn_class_nwindows(m, k);
    h[H_L] = m->nlinks;
    h[H_E] = m->nexps;
    h[H_NU] = r->nu;
    h[H_F] = m->nfiles;
    h[H_NLOG] = log ? log->n : -1;
    h[H_DUALS] = r->has_duals != 0;
    h[H_PID] = (int64_t)getpid();
}

/* ------------------------------------------------------ parallel phase */

#define V1(p, d0, u, ln, de) (&(vdesc){(p), 1, {(d0), 0, 0}, (u), (ln), (de), 0})
#define V2(p, d0, d1, u, ln, de) (&(vdesc){(p), 2, {(d0), (d1), 0}, (u), (ln), (de), 0})
#define V3(p, d0, d1, d2, u, ln, de) (&(vdesc){(p), 3, {(d0), (d1), (d2)}, (u), (ln), (de), 0})
#define V0(p, u, ln, de) (&(vdesc){(p), 0, {0, 0, 0}, (u), (ln), (de), 0})

/* rank-0 scratch for model tables */
typedef struct scratch {
    double *d;
    int32_t *i;
    size_t n;
} scratch;

/* rank 0 fills *buf (n elements); others get NULL.  OOM is agreed on. */
static int scratch_d(h5w *w, scratch *sc, size_t n)
{
    int lrc = CN_OK;
    if (w->rank == 0 && n > sc->n) {
        free(sc->d);
        free(sc->i);
        sc->d = cn_calloc(n, sizeof *sc->d);
        sc->i = cn_calloc(n, sizeof *sc->i);
        sc->n = sc->d && sc->i ? n : 0;
        if (!sc->n)
            lrc = CN_EOSERR;
    }
    return agree(w, lrc);
}

static double nan_unless(int given, double v) { return given ? v : NAN; }

static int write_model(h5w *w, const cn_model *m)
{
    int rc = CN_OK, lrc = CN_OK;
    scratch sc = {NULL, NULL, 0};
    int R = m->nregions, H = m->nhubs, S = m->nsites, C = m->ntypes, K = m->nclasses;
    int L = m->nlinks, E = m->nexps;
    int root = w->rank == 0;
    size_t big = (size_t)R + H + S + C + K + L + E + (size_t)S * C + (size_t)m->sc.periods + 1;
    CN_TRY(scratch_d(w, &sc, big));
    double *d = sc.d;
    int32_t *iv = sc.i;
#define PUT_D(vd, n, expr)                                                     \
    do {                                                                       \
        if (root)                                                              \
            for (int j_ = 0; j_ < (n); j_++)                                   \
                d[j_] = (expr);                                                \
        if ((rc = put(w, (vd), K_F64, SEL_ROOT, 0, root ? d : NULL)) != CN_OK) \
            goto cleanup;                                                      \
    } while (0)
#define PUT_I(vd, n, expr)                                                     \
    do {                                                                       \
        if (root)                                                              \
            for (int j_ = 0; j_ < (n); j_++)                                   \
                iv[j_] = (int32_t)(expr);                                      \
        if ((rc = put(w, (vd), K_I32, SEL_ROOT, 0, root ? iv : NULL)) != CN_OK) \
            goto cleanup;                                                      \
    } while (0)

    /* regions */
    PUT_D(V1("/model/region_lat", D_REGION, "degrees_north", "region latitude", NULL), R, m->regions[j_].lat);
    PUT_D(V1("/model/region_lon", D_REGION, "degrees_east", "region longitude", NULL), R, m->regions[j_].lon);
    if (root)
        lrc = region_zones(m, iv);
    CN_TRY(agree(w, lrc));
    {
        vdesc v = {"/model/region_zone", 1, {D_REGION, 0, 0}, "1", "zone of the region (0 east, 1 west)",
                   "zone of the hub with the most sites in the region (ties: east); "
                   "without hub sites: west when lon < 110 degrees_east",
                   VF_ZONE};
        CN_TRY(put(w, &v, K_I32, SEL_ROOT, 0, root ? iv : NULL));
    }
    /* hubs */
    {
        if (root)
            for (int j = 0; j < H; j++)
                iv[j] = m->hubs[j].zone;
        vdesc v = {"/model/hub_zone", 1, {D_HUB, 0, 0}, "1", "zone of the hub (0 east, 1 west)", NULL, VF_ZONE};
        CN_TRY(put(w, &v, K_I32, SEL_ROOT, 0, root ? iv : NULL));
    }
    PUT_D(V1("/model/hub_min_green_share", D_HUB, "1", "minimum green share of the hub's energy",
             "NaN: no requirement"), H, nan_unless(m->hubs[j_].has_min_green, m->hubs[j_].min_green_share));
    /* sites */
    PUT_I(V1("/model/site_region", D_SITE, "1", "region index of the site", NULL), S, m->sites[j_].region);
    PUT_I(V1("/model/site_hub", D_SITE, "1", "hub index of the site", "-1: not in a national hub"),
          S, m->sites[j_].hub);
    {
        if (root) {
            int32_t *rz = cn_calloc((size_t)R + 1, sizeof *rz);
            if (!rz)
                lrc = CN_EOSERR;
            else if ((lrc = region_zones(m, rz)) == CN_OK) {
                for (int j = 0; j < S; j++) {
                    int hb = m->sites[j].hub;
                    iv[j] = hb >= 0 ? m->hubs[hb].zone : rz[m->sites[j].region];
                }
            }
            free(rz);
        }
        CN_TRY(agree(w, lrc));
        vdesc v = {"/model/site_zone", 1, {D_SITE, 0, 0}, "1", "zone of the site (0 east, 1 west)",
                   "zone of the site's hub; outside any hub: zone of its region", VF_ZONE};
        CN_TRY(put(w, &v, K_I32, SEL_ROOT, 0, root ? iv : NULL));
    }
    PUT_D(V1("/model/site_pue", D_SITE, "1", "power usage effectiveness", NULL), S, m->sites[j_].pue);
    PUT_D(V1("/model/site_power_cap_mw", D_SITE, "MW", "site power cap", "NaN: unlimited"), S,
          nan_unless(m->sites[j_].has_power_cap, m->sites[j_].power_cap_mw));
    PUT_D(V1("/model/site_grid_price", D_SITE, "yuan/MWh", "grid power price",
             "before price_factor and scale.grid_price"), S, m->sites[j_].grid_price);
    PUT_D(V1("/model/site_green_price", D_SITE, "yuan/MWh", "green power price", NULL), S, m->sites[j_].green_price);
    PUT_D(V1("/model/site_green_cap_mw", D_SITE, "MW", "green power capacity",
             "before green_avail and scale.green"), S, m->sites[j_].green_cap_mw);
    PUT_D(V1("/model/site_grid_co2", D_SITE, "tCO2/MWh", "grid emission factor", NULL), S, m->sites[j_].grid_co2);
    PUT_D(V1("/model/site_access_rtt_ms", D_SITE, "ms", "access link round-trip time", NULL), S,
          m->sites[j_].access_rtt_ms);
    PUT_D(V1("/model/site_access_gbps", D_SITE, "Gbps", "access link bandwidth",
             "NaN: unlimited; before scale.bandwidth"), S,
          nan_unless(m->sites[j_].has_access_gbps, m->sites[j_].access_gbps));
    PUT_D(V1("/model/site_lat", D_SITE, "degrees_north", "site latitude",
             "NaN: not given (sites.csv lat; a map draws the site at its region)"), S, m->sites[j_].lat);
    PUT_D(V1("/model/site_lon", D_SITE, "degrees_east", "site longitude",
             "NaN: not given (sites.csv lon)"), S, m->sites[j_].lon);
    if (root) {
        memset(d, 0, (size_t)S * C * sizeof *d);
        for (int j = 0; j < m->ncaps; j++)
            d[(size_t)m->caps[j].site * C + m->caps[j].type] += m->caps[j].pflops;
    }
    CN_TRY(put(w, V2("/model/site_capacity_pflops", D_SITE, D_TYPE, "PFLOPS",
                     "installed compute capacity by type", "capacity.csv; 0 where no row; before expansion"),
               K_F64, SEL_ROOT, 0, root ? d : NULL));
    /* periods: w(t) (model 1.1) */
    PUT_D(V1("/model/period_weight", D_PERIOD, "1", "weight w(t) of the period",
             "times the period recurs in the horizon represented (periods.csv; "
             "period_weight where no row)"), (int)m->sc.periods, cn_model_weight(m, j_));
    /* types */
    PUT_D(V1("/model/type_mw_per_pflops", D_TYPE, "MW/PFLOPS", "IT power per PFLOPS of sustained load", NULL),
          C, m->types[j_].mw_per_pflops);
    /* links */
    PUT_I(V1("/model/link_from", D_LINK, "1", "region index of one end of the link", NULL), L, m->links[j_].from);
    PUT_I(V1("/model/link_to", D_LINK, "1", "region index of the other end of the link", NULL), L, m->links[j_].to);
    PUT_D(V1("/model/link_rtt_ms", D_LINK, "ms", "link round-trip time", NULL), L, m->links[j_].rtt_ms);
    PUT_D(V1("/model/link_gbps", D_LINK, "Gbps", "link bandwidth", "NaN: unlimited; before scale.bandwidth"), L,
          nan_unless(m->links[j_].has_gbps, m->links[j_].gbps));
    PUT_D(V1("/model/link_cost", D_LINK, "yuan/(Gbps*h)", "transfer cost per Gbps-hour carried", NULL), L,
          m->links[j_].cost);
    /* classes */
    PUT_I(V1("/model/class_type", D_CLASS, "1", "compute type index of the class", NULL), K, m->classes[j_].type);
    PUT_D(V1("/model/class_max_rtt_ms", D_CLASS, "ms", "latency bound", NULL), K, m->classes[j_].max_rtt_ms);
    PUT_D(V1("/model/class_gbps_per_pflops", D_CLASS, "Gbps/PFLOPS", "bandwidth per PFLOPS served", NULL), K,
          m->classes[j_].gbps_per_pflops);
    PUT_I(V1("/model/class_window", D_CLASS, "1", "window length in periods", NULL), K, m->classes[j_].window);
    PUT_I(V1("/model/class_nwindows", D_CLASS, "1", "number of windows of the class",
             "ceil(periods / window): valid window indices are 0 .. class_nwindows-1"), K, cn_class_nwindows(m, j_));
    PUT_D(V1("/model/class_penalty", D_CLASS, "yuan/(PFLOPS*h)", "penalty for unserved demand", NULL), K,
          m->classes[j_].penalty);
    /* expansions */
    PUT_I(V1("/model/expansion_site", D_EXPANSION, "1", "site index of the expansion option", NULL), E, m->exps[j_].site);
    PUT_I(V1("/model/expansion_type", D_EXPANSION, "1", "type index of the expansion option", NULL), E, m->exps[j_].type);
    PUT_D(V1("/model/expansion_module_pflops", D_EXPANSION, "PFLOPS", "capacity of one module", NULL), E,
          m->exps[j_].module_pflops);
    PUT_D(V1("/model/expansion_module_mw", D_EXPANSION, "MW", "power cap added by one module", NULL), E,
          m->exps[j_].module_mw);
    PUT_D(V1("/model/expansion_module_cost", D_EXPANSION, "yuan", "cost of one module", NULL), E,
          m->exps[j_].module_cost);
    PUT_I(V1("/model/expansion_max_modules", D_EXPANSION, "1", "most modules that can be built", NULL), E,
          m->exps[j_].max_modules);
#undef PUT_D
#undef PUT_I
cleanup:
    free(sc.d);
    free(sc.i);
    return rc;
}

/* Dense [region][class][window] copy of a per-demand-row array (rank 0). */
static int dense_rkw(h5w *w, const cn_result *r, const double *rows, double **out)
{
    int lrc = CN_OK;
    *out = NULL;
    if (w->rank == 0) {
        size_t K = w->dim[D_CLASS], Wn = w->dim[D_WINDOW];
        size_t n = w->dim[D_REGION] * K * Wn;
        double *a = cn_calloc(n ? n : 1, sizeof *a);
        if (!a)
            lrc = CN_EOSERR;
        for (int64_t i = 0; a && i < r->nu; i++) {
            size_t rr = (size_t)r->u_region[i], k = (size_t)r->u_class[i], b = (size_t)r->u_window[i];
            if (rr >= w->dim[D_REGION] || k >= K || b >= Wn) {
                lrc = CN_ERR(CN_ESOFTWARE, "demand row %lld has (region %zu, class %zu, window %zu) "
                             "outside (%llu, %zu, %zu)", (long long)i, rr, k, b,
                             (unsigned long long)w->dim[D_REGION], K, Wn);
                break;
            }
            a[(rr * K + k) * Wn + b] = rows[i];
        }
        if (lrc != CN_OK)
            free(a);
        else
            *out = a;
    }
    return agree(w, lrc);
}

static int write_solution(h5w *w, const cn_model *m, const cn_result *r, int64_t nx_local)
{
    int rc = CN_OK;
    double *dense = NULL;
    int root = w->rank == 0;
    (void)m;
    static const char *xdesc = "one entry per placement x[r,s,k,t] > 1e-12 PFLOPS; "
                               "concatenation of each MPI rank's entries in rank order";
    CN_TRY(put(w, V1("/solution/x_region", D_PLACEMENT, "1", "demand region index of the placement", xdesc),
               K_I32, SEL_BLOCK, nx_local, r->x_region));
    CN_TRY(put(w, V1("/solution/x_site", D_PLACEMENT, "1", "site index of the placement", xdesc),
               K_I32, SEL_BLOCK, nx_local, r->x_site));
    CN_TRY(put(w, V1("/solution/x_class", D_PLACEMENT, "1", "class index of the placement", xdesc),
               K_I32, SEL_BLOCK, nx_local, r->x_class));
    CN_TRY(put(w, V1("/solution/x_period", D_PLACEMENT, "1", "period of the placement", xdesc),
               K_I32, SEL_BLOCK, nx_local, r->x_period));
    CN_TRY(put(w, V1("/solution/x_pflops", D_PLACEMENT, "PFLOPS", "compute placed (x)", xdesc),
               K_F64, SEL_BLOCK, nx_local, r->x_pflops));
    static const char *udesc = "one entry per demand row (region, class, window) with D > 0";
    CN_TRY(put(w, V1("/solution/u_region", D_DEMAND_ROW, "1", "region index of the demand row", udesc),
               K_I32, SEL_ROOT, 0, root ? r->u_region : NULL));
    CN_TRY(put(w, V1("/solution/u_class", D_DEMAND_ROW, "1", "class index of the demand row", udesc),
               K_I32, SEL_ROOT, 0, root ? r->u_class : NULL));
    CN_TRY(put(w, V1("/solution/u_window", D_DEMAND_ROW, "1", "window index of the demand row", udesc),
               K_I32, SEL_ROOT, 0, root ? r->u_window : NULL));
    CN_TRY(put(w, V1("/solution/u_demand_pflops", D_DEMAND_ROW, "PFLOPS*period", "demand D(r,k,b) of the window", udesc),
               K_F64, SEL_ROOT, 0, root ? r->u_demand_pflops : NULL));
    CN_TRY(put(w, V1("/solution/u_pflops", D_DEMAND_ROW, "PFLOPS*period", "unserved demand u(r,k,b)", udesc),
               K_F64, SEL_ROOT, 0, root ? r->u_pflops : NULL));
    CN_TRY(dense_rkw(w, r, r->u_demand_pflops, &dense));
    CN_TRY(put(w, V3("/solution/demand_pflops", D_REGION, D_CLASS, D_WINDOW, "PFLOPS*period",
                     "demand by region, class and window", "dense copy of u_demand_pflops; 0 where no demand row"),
               K_F64, SEL_ROOT, 0, dense));
    free(dense);
    dense = NULL;
    CN_TRY(dense_rkw(w, r, r->u_pflops, &dense));
    CN_TRY(put(w, V3("/solution/unserved_pflops", D_REGION, D_CLASS, D_WINDOW, "PFLOPS*period",
                     "unserved demand by region, class and window", "dense copy of u_pflops; 0 where no demand row"),
               K_F64, SEL_ROOT, 0, dense));
    free(dense);
    dense = NULL;
    CN_TRY(put(w, V2("/solution/pg_mw", D_SITE, D_PERIOD, "MW", "grid power drawn", NULL),
               K_F64, SEL_SITES, 0, r->pg_mw));
    CN_TRY(put(w, V2("/solution/pgr_mw", D_SITE, D_PERIOD, "MW", "green power drawn", NULL),
               K_F64, SEL_SITES, 0, r->pgr_mw));
    CN_TRY(put(w, V3("/solution/site_load_pflops", D_SITE, D_TYPE, D_PERIOD, "PFLOPS",
                     "compute load by site, type and period", "sum of x"),
               K_F64, SEL_SITES, 0, r->site_load_pflops));
    CN_TRY(put(w, V2("/solution/link_load_gbps", D_LINK, D_PERIOD, "Gbps", "backbone link traffic",
                     "both directions summed"), K_F64, SEL_ROOT, 0, root ? r->link_load_gbps : NULL));
    CN_TRY(put(w, V2("/solution/access_load_gbps", D_SITE, D_PERIOD, "Gbps", "access link traffic", NULL),
               K_F64, SEL_SITES, 0, r->access_load_gbps));
    CN_TRY(put(w, V1("/solution/expansion_modules", D_EXPANSION, "1", "expansion modules built (y)",
                     "0 when not a MIP"), K_F64, SEL_ROOT, 0, root ? r->y_modules : NULL));
cleanup:
    free(dense);
    return rc;
}

static int write_duals(h5w *w, const cn_result *r)
{
    int rc = CN_OK;
    double *dense = NULL;
    int root = w->rank == 0;
    static const char *sign = "change of the optimal objective per unit increase of the right-hand side "
                              "(docs/model.md section 8); 0 where the row does not exist";
    CN_TRY(put(w, V1("/duals/demand", D_DEMAND_ROW, "yuan/(PFLOPS*period)", "shadow price of demand (constraint 1)", sign),
               K_F64, SEL_ROOT, 0, root ? r->u_dual : NULL));
    CN_TRY(dense_rkw(w, r, r->u_dual, &dense));
    CN_TRY(put(w, V3("/duals/demand_dense", D_REGION, D_CLASS, D_WINDOW, "yuan/(PFLOPS*period)",
                     "shadow price of demand by region, class and window (constraint 1)",
                     "dense copy of /duals/demand; 0 where no demand row"),
               K_F64, SEL_ROOT, 0, dense));
    CN_TRY(put(w, V3("/duals/capacity", D_SITE, D_TYPE, D_PERIOD, "yuan/(PFLOPS*period)",
                     "shadow price of compute capacity (constraint 2)", sign),
               K_F64, SEL_SITES, 0, r->cap_dual));
    CN_TRY(put(w, V2("/duals/power_cap", D_SITE, D_PERIOD, "yuan/(MW*period)",
                     "shadow price of the site power cap (constraint 4)", sign),
               K_F64, SEL_SITES, 0, r->power_cap_dual));
    CN_TRY(put(w, V2("/duals/green", D_SITE, D_PERIOD, "yuan/(MW*period)",
                     "shadow price of green power availability (constraint 5)",
                     "reduced cost of pgr at its upper bound; 0 unless the bound binds"),
               K_F64, SEL_SITES, 0, r->green_dual));
    CN_TRY(put(w, V2("/duals/link_bandwidth", D_LINK, D_PERIOD, "yuan/(Gbps*period)",
                     "shadow price of backbone bandwidth (constraint 6)", sign),
               K_F64, SEL_ROOT, 0, root ? r->link_dual : NULL));
    CN_TRY(put(w, V2("/duals/access", D_SITE, D_PERIOD, "yuan/(Gbps*period)",
                     "shadow price of access bandwidth (constraint 7)", sign),
               K_F64, SEL_SITES, 0, r->access_dual));
    CN_TRY(put(w, V0("/duals/carbon", "yuan/tCO2", "shadow price of the carbon cap (constraint 8)",
                     "attribute row_exists is 0 without a carbon cap"),
               K_F64, SEL_ROOT, 0, root ? &r->carbon_dual : NULL));
    CN_TRY(put(w, V1("/duals/hub_green", D_HUB, "yuan/(MW*period)", "shadow price of the hub green share (constraint 9)",
                     "per unit of the row (1-m) sum pgr - m sum pg >= 0 (MW-periods of green surplus); "
                     ">= 0: requiring one more unit costs this much"),
               K_F64, SEL_ROOT, 0, root ? r->hub_green_dual : NULL));
cleanup:
    free(dense);
    return rc;
}

static int write_objective(h5w *w, const cn_result *r)
{
    int rc = CN_OK;
    struct { const char *path, *units, *ln; const double *v; } s[] = {
        {"/objective/total_yuan", "yuan", "objective (sum of the parts)", &r->objective},
        {"/objective/energy_yuan", "yuan", "grid energy cost", &r->cost_energy},
        {"/objective/carbon_yuan", "yuan", "carbon cost", &r->cost_carbon},
        {"/objective/green_yuan", "yuan", "green energy cost", &r->cost_green},
        {"/objective/transfer_yuan", "yuan", "backbone transfer cost", &r->cost_transfer},
        {"/objective/unserved_yuan", "yuan", "unserved demand penalty", &r->cost_unserved},
        {"/objective/expansion_yuan", "yuan", "expansion module cost", &r->cost_expansion},
        {"/objective/emissions_tco2", "tCO2", "grid emissions over the weighted horizon", &r->emissions_t},
        {"/objective/energy_mwh", "MWh", "grid and green energy over the weighted horizon", &r->energy_mwh},
        {"/objective/green_mwh", "MWh", "green energy over the weighted horizon", &r->green_mwh},
    };
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        CN_TRY(put(w, V0(s[i].path, s[i].units, s[i].ln, NULL), K_F64, SEL_ROOT, 0,
                   w->rank == 0 ? s[i].v : NULL));
cleanup:
    return rc;
}

static int write_log(h5w *w, const cn_iterlog *log)
{
    int rc = CN_OK, lrc = CN_OK;
    int64_t *cols = NULL;
    int root = w->rank == 0;
    if (root && log->n > 0) {
        if (!(cols = cn_calloc((size_t)log->n, sizeof *cols)))
            lrc = CN_EOSERR;
        for (long i = 0; cols && i < log->n; i++)
            cols[i] = log->columns_added ? log->columns_added[i] : 0;
    }
    CN_TRY(agree(w, lrc));
    CN_TRY(put(w, V1("/solver/master_obj", D_ITERATION, "yuan", "master problem objective", NULL),
               K_F64, SEL_ROOT, 0, root ? log->master_obj : NULL));
    CN_TRY(put(w, V1("/solver/lower_bound", D_ITERATION, "yuan", "lower bound", NULL),
               K_F64, SEL_ROOT, 0, root ? log->lower_bound : NULL));
    CN_TRY(put(w, V1("/solver/gap", D_ITERATION, "1", "relative gap", NULL),
               K_F64, SEL_ROOT, 0, root ? log->gap : NULL));
    CN_TRY(put(w, V1("/solver/columns_added", D_ITERATION, "1", "columns added in the iteration", NULL),
               K_I64, SEL_ROOT, 0, cols));
    CN_TRY(put(w, V1("/solver/elapsed_s", D_ITERATION, "s", "elapsed wall time", NULL),
               K_F64, SEL_ROOT, 0, root ? log->elapsed_s : NULL));
cleanup:
    free(cols);
    return rc;
}

/* ------------------------------------------------ serial phase (rank 0) */

/* Every string of the file is written here, by rank 0, with the serial HDF5
 * API: variable-length data (the only strings netCDF-C reads, and the object
 * references of the dimension scales) cannot be written in parallel. */

static int group_of(const char *path)
{
    for (int g = 1; g < NG; g++) {
        size_t n = strlen(group_path[g]);
        if (strncmp(path, group_path[g], n) == 0 && path[n] == '/' && !strchr(path + n + 1, '/'))
            return g;
    }
    return G_ROOT;   /* the root's own datasets; "/provenance/scenario" holds none */
}

/* One string dataset written in the serial phase and recorded for the scales. */
static int put_strs(cn_h5file *f, h5w *w, const vdesc *v, const char *const *s)
{
    int rc = CN_OK;
    size_t dims[3];
    for (int i = 0; i < v->ndims; i++)
        dims[i] = (size_t)w->dim[v->dim[i]];
    CN_TRY(cn_h5file_put(f, v->path, CN_H5_STR, v->ndims, dims, s, v->units, v->long_name,
                         v->description));
    vdesc c = *v;
    c.flags |= VF_SERIAL;
    CN_TRY(register_var(w, &c));
cleanup:
    return rc;
}

/* Labels of dimension d (ids; "FROM:TO" for links, "SITE:TYPE" for expansions:
 * ':' is not allowed in ids, and both pairs are unique), as n strings in *out
 * (the pointers in *out[i] point into *buf or the model).  Not for numeric
 * dimensions. */
static int labels(const cn_model *m, int d, size_t n, const char ***out, char **buf)
{
    *buf = NULL;
    const char **s = cn_calloc(n ? n : 1, sizeof *s);
    if (!s)
        return CN_EOSERR;
    if (d == D_LINK || d == D_EXPANSION) {
        size_t slot = 2 * 130 + 2;
        if (!(*buf = cn_calloc(n ? n : 1, slot))) {
            free(s);
            return CN_EOSERR;
        }
        for (size_t i = 0; i < n; i++) {
            char *p = *buf + i * slot;
            if (d == D_LINK)
                snprintf(p, slot, "%s:%s", m->regions[m->links[i].from].id, m->regions[m->links[i].to].id);
            else
                snprintf(p, slot, "%s:%s", m->sites[m->exps[i].site].id, m->types[m->exps[i].type].id);
            s[i] = p;
        }
    }
    for (size_t i = 0; d != D_LINK && d != D_EXPANSION && i < n; i++)
        s[i] = d == D_REGION ? m->regions[i].id : d == D_HUB ? m->hubs[i].id
             : d == D_SITE ? m->sites[i].id : d == D_TYPE ? m->types[i].id : m->classes[i].id;
    *out = s;
    return CN_OK;
}

static int is_label_dim(int d)
{
    return d == D_REGION || d == D_HUB || d == D_SITE || d == D_TYPE || d == D_CLASS ||
           d == D_LINK || d == D_EXPANSION;
}

static const char *const dim_long_name[ND] = {
    "region id", "national hub id", "site id", "compute type id", "workload class id",
    "period index", "demand window index (per class: 0 .. class_nwindows-1)",
    "backbone link (FROM:TO region ids, links.csv order)",
    "expansion option (SITE:TYPE ids, expansions.csv order)",
    "placement entry index (sparse x)", "demand row index (r, class, window) with D > 0",
    "input file index", "decomposition iteration"};

/* The model's strings: names and the provenance's input files. */
static int write_strings(cn_h5file *f, h5w *w, const cn_model *m)
{
    int rc = CN_OK;
    size_t F = (size_t)m->nfiles;
    size_t nmax = (size_t)m->nregions + m->nhubs + m->nsites + m->nclasses + F + 1;
    const char **s = cn_calloc(nmax, sizeof *s);
    if (!s)
        return CN_EOSERR;
#define NAMES(path_, dim_, ln_, n_, expr_)                                       \
    do {                                                                         \
        for (int j_ = 0; j_ < (n_); j_++)                                        \
            s[j_] = (expr_);                                                     \
        CN_TRY(put_strs(f, w, &(vdesc){(path_), 1, {(dim_), 0, 0}, NULL, (ln_), NULL, 0}, s)); \
    } while (0)
    NAMES("/model/region_name", D_REGION, "region name", m->nregions, m->regions[j_].name);
    NAMES("/model/hub_name", D_HUB, "hub name", m->nhubs, m->hubs[j_].name);
    NAMES("/model/site_name", D_SITE, "site name", m->nsites, m->sites[j_].name);
    NAMES("/model/class_name", D_CLASS, "workload class name", m->nclasses, m->classes[j_].name);
    NAMES("/provenance/input_path", D_INPUT_FILE, "input file path as given", m->nfiles, m->files[j_].path);
    NAMES("/provenance/input_sha256", D_INPUT_FILE, "SHA-256 of the input file (hex)", m->nfiles,
          m->files[j_].sha256);
#undef NAMES
    /* the scenario-first note of input_path */
    CN_TRY(cn_h5file_attr_str(f, "/provenance/input_path", "description",
                              "scenario file first, then every table read"));
cleanup:
    free(s);
    return rc;
}

/* Coordinate variables: at the root for every dimension, and in each group
 * for the dimensions its datasets use, so that a group opened alone
 * (xarray's group=, netCDF-4 scoping) has its labels. */
static int write_coords(cn_h5file *f, h5w *w, const cn_model *m, const cn_iterlog *log)
{
    int rc = CN_OK;
    int used[NG][ND];
    const char **lab = NULL;
    char *labbuf = NULL;
    int64_t *iv = NULL;
    int32_t *i32 = NULL;
    memset(used, 0, sizeof used);
    for (int d = 0; d < ND; d++)
        used[G_ROOT][d] = w->has_dim[d];
    for (int i = 0; i < w->nvars; i++)
        for (int j = 0; j < w->vars[i].ndims; j++)
            used[group_of(w->vars[i].path)][w->vars[i].dim[j]] = 1;
    for (int d = 0; d < ND; d++) {
        if (!w->has_dim[d])
            continue;
        size_t n = (size_t)w->dim[d];
        int kind = d == D_PLACEMENT || d == D_DEMAND_ROW || d == D_ITERATION ? CN_H5_I64 : CN_H5_I32;
        if (is_label_dim(d)) {
            CN_TRY(labels(m, d, n, &lab, &labbuf));
        } else {
            if (!(iv = cn_calloc(n ? n : 1, sizeof *iv)) || !(i32 = cn_calloc(n ? n : 1, sizeof *i32)))
                CN_TRY(CN_EOSERR);
            for (size_t j = 0; j < n; j++) {
                iv[j] = d == D_ITERATION ? (int64_t)log->iteration[j] : (int64_t)j;
                i32[j] = (int32_t)iv[j];
            }
        }
        for (int g = 0; g < NG; g++) {
            if (!used[g][d])
                continue;
            snprintf(w->cpath[g][d], sizeof w->cpath[g][d], "%s/%s", group_path[g], dim_name[d]);
            vdesc v = {w->cpath[g][d], 1, {d, 0, 0}, is_label_dim(d) ? NULL : "1", dim_long_name[d],
                       d == D_PLACEMENT ? "entries are the concatenation of each MPI rank's list, in rank order"
                                        : NULL,
                       VF_SCALE | VF_SERIAL};
            size_t dims[1] = {n};
            CN_TRY(cn_h5file_put(f, v.path, is_label_dim(d) ? CN_H5_STR : kind, 1, dims,
                                 is_label_dim(d) ? (const void *)lab
                                 : kind == CN_H5_I32 ? (const void *)i32 : (const void *)iv, v.units,
                                 v.long_name, v.description));
            CN_TRY(cn_h5file_set_scale(f, v.path, dim_name[d]));
            CN_TRY(register_var(w, &v));
        }
        free(lab);
        free(labbuf);
        free(iv);
        free(i32);
        lab = NULL;
        labbuf = NULL;
        iv = NULL;
        i32 = NULL;
    }
cleanup:
    free(lab);
    free(labbuf);
    free(iv);
    free(i32);
    return rc;
}

/* Every dataset's axes attached to the coordinate variables of its group. */
static int attach_scales(cn_h5file *f, const h5w *w)
{
    int rc = CN_OK;
    for (int i = 0; i < w->nvars; i++) {
        const vdesc *v = &w->vars[i];
        if (v->flags & VF_SCALE)
            continue;
        for (int j = 0; j < v->ndims; j++)
            CN_TRY(cn_h5file_attach(f, v->path, j, w->cpath[group_of(v->path)][v->dim[j]]));
    }
cleanup:
    return rc;
}

/* units, long_name, description and zone flags of the parallel phase's datasets */
static int var_attrs(cn_h5file *f, const h5w *w)
{
    int rc = CN_OK;
    for (int i = 0; i < w->nvars; i++) {
        const vdesc *v = &w->vars[i];
        if (v->flags & VF_SERIAL)
            continue;
        if (v->units)
            CN_TRY(cn_h5file_attr_str(f, v->path, "units", v->units));
        CN_TRY(cn_h5file_attr_str(f, v->path, "long_name", v->long_name));
        if (v->description)
            CN_TRY(cn_h5file_attr_str(f, v->path, "description", v->description));
        if (v->flags & VF_ZONE) {
            int32_t fv[2] = {CN_ZONE_EAST, CN_ZONE_WEST};
            CN_TRY(cn_h5file_attr_array(f, v->path, "flag_values", CN_H5_I32, 2, fv));
            CN_TRY(cn_h5file_attr_str(f, v->path, "flag_meanings", "east west"));
        }
    }
cleanup:
    return rc;
}

static void utc_now(char *buf, size_t n)
{
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm))
        strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
    else
        snprintf(buf, n, "unknown");
}

/* The decomposition's layout and every rank's time split (docs/hdf5-schema.md,
 * /solver); written by rank 0 only, into /solver's attributes. */
static int write_dw_facts(cn_h5file *f, const cn_result *r)
{
    int rc = CN_OK;
    const char *g = "/solver";
    double *v = NULL;
    CN_TRY(cn_h5file_attr_i64(f, g, "dw_parts", r->dw_parts));
    CN_TRY(cn_h5file_attr_i64(f, g, "dw_time_blocks", r->dw_time_blocks));
    CN_TRY(cn_h5file_attr_i64(f, g, "dw_time_block_periods", r->dw_time_block_periods));
    CN_TRY(cn_h5file_attr_i64(f, g, "dw_chain", r->dw_chain));
    CN_TRY(cn_h5file_attr_i64(f, g, "dw_blocks", r->dw_blocks));
    CN_TRY(cn_h5file_attr_i64(f, g, "dw_local_demand_rows", r->dw_coupling_demand_local));
    CN_TRY(cn_h5file_attr_i64(f, g, "dw_coupling_demand_rows", r->dw_coupling_demand));
    CN_TRY(cn_h5file_attr_i64(f, g, "dw_coupling_link_rows", r->dw_coupling_link));
    CN_TRY(cn_h5file_attr_i64(f, g, "dw_coupling_carbon_rows", r->dw_coupling_carbon));
    CN_TRY(cn_h5file_attr_i64(f, g, "dw_coupling_hub_green_rows", r->dw_coupling_hub_green));
    CN_TRY(cn_h5file_attr_i64(f, g, "dw_master_rows", r->dw_master_rows));
    CN_TRY(cn_h5file_attr_i64(f, g, "dw_master_columns", r->dw_master_cols));
    static const char *const phase[CN_DW_NT + 1] = {
        "rank_pricing_s", "rank_master_s", "rank_communication_s", "rank_waiting_s",
        "rank_bytes_sent"};
    if (!(v = cn_calloc((size_t)r->ranks + 1, sizeof *v)))
        CN_TRY(CN_EOSERR);
    for (int ph = 0; ph <= CN_DW_NT; ph++) {
        for (int k = 0; k < r->ranks; k++)
            v[k] = r->rank_time_s[(size_t)k * (CN_DW_NT + 1) + ph];
        CN_TRY(cn_h5file_attr_array(f, g, phase[ph], CN_H5_F64, (size_t)r->ranks, v));
    }
cleanup:
    free(v);
    return rc;
}

static int group_attrs(cn_h5file *f, const h5w *w, const cn_model *m, const cn_result *r,
                       const cn_provenance *prov)
{
    int rc = CN_OK;
    char buf[512];
    const cn_scenario *sc = &m->sc;
    /* /provenance */
    const char *g = "/provenance";
    CN_TRY(cn_h5file_attr_str(f, g, "cnopt_version", CN_VERSION));
    CN_TRY(cn_h5file_attr_str(f, g, "git_commit", CN_GIT_COMMIT));
    cn_h5_version(buf, sizeof buf);
    CN_TRY(cn_h5file_attr_str(f, g, "hdf5_version", buf));
    if (prov && prov->command_line)
        CN_TRY(cn_h5file_attr_str(f, g, "command_line", prov->command_line));
    if (prov && prov->glpk_version)
        CN_TRY(cn_h5file_attr_str(f, g, "glpk_version", prov->glpk_version));
    if (prov && prov->mpi_version) {
        CN_TRY(cn_h5file_attr_str(f, g, "mpi_version", prov->mpi_version));
    } else {
        char lib[MPI_MAX_LIBRARY_VERSION_STRING];
        int len = 0;
        MPI_Get_library_version(lib, &len);
        lib[strcspn(lib, "\n,")] = '\0';
        CN_TRY(cn_h5file_attr_str(f, g, "mpi_version", lib));
    }
    CN_TRY(cn_h5file_attr_i32(f, g, "ranks", w->size));
    CN_TRY(cn_h5file_attr_i32(f, g, "nparts", prov ? prov->nparts : 1));
    if (prov && prov->partition)
        CN_TRY(cn_h5file_attr_str(f, g, "partition", prov->partition));
    if (prov && prov->slurm_job_id)
        CN_TRY(cn_h5file_attr_str(f, g, "slurm_job_id", prov->slurm_job_id));
    utc_now(buf, sizeof buf);
    CN_TRY(cn_h5file_attr_str(f, g, "created_utc", buf));
    /* /provenance/scenario: every field of the resolved scenario */
    g = "/provenance/scenario";
    CN_TRY(cn_h5file_attr_str(f, g, "path", sc->path));
    CN_TRY(cn_h5file_attr_str(f, g, "name", sc->name));
    if (sc->description)
        CN_TRY(cn_h5file_attr_str(f, g, "description", sc->description));
    CN_TRY(cn_h5file_attr_str(f, g, "model_dir", sc->model_dir));
    CN_TRY(cn_h5file_attr_i64(f, g, "periods", sc->periods));
    CN_TRY(cn_h5file_attr_f64(f, g, "period_hours", sc->period_hours));
    CN_TRY(cn_h5file_attr_f64(f, g, "period_weight", sc->period_weight));
    CN_TRY(cn_h5file_attr_f64(f, g, "carbon_price", sc->carbon_price));
    CN_TRY(cn_h5file_attr_i32(f, g, "has_carbon_cap", sc->has_carbon_cap));
    CN_TRY(cn_h5file_attr_f64(f, g, "carbon_cap", sc->has_carbon_cap ? sc->carbon_cap : NAN));
    CN_TRY(cn_h5file_attr_i32(f, g, "expansion", sc->expansion));
    CN_TRY(cn_h5file_attr_f64(f, g, "scale_demand", sc->scale_demand));
    CN_TRY(cn_h5file_attr_f64(f, g, "scale_bandwidth", sc->scale_bandwidth));
    CN_TRY(cn_h5file_attr_f64(f, g, "scale_green", sc->scale_green));
    CN_TRY(cn_h5file_attr_f64(f, g, "scale_grid_price", sc->scale_grid_price));
    /* /solver */
    g = "/solver";
    CN_TRY(cn_h5file_attr_str(f, g, "method", r->method));
    CN_TRY(cn_h5file_attr_i32(f, g, "ranks", r->ranks));
    CN_TRY(cn_h5file_attr_i64(f, g, "iterations", r->iterations));
    CN_TRY(cn_h5file_attr_f64(f, g, "solve_seconds", r->solve_seconds));
    CN_TRY(cn_h5file_attr_f64(f, g, "max_violation", r->max_violation));
    CN_TRY(cn_h5file_attr_f64(f, g, "max_rel_violation", r->rel_violation));
    CN_TRY(cn_h5file_attr_f64(f, g, "duality_gap", r->duality_gap));
    CN_TRY(cn_h5file_attr_i64(f, g, "nvars", r->nvars));
    CN_TRY(cn_h5file_attr_i64(f, g, "nrows", r->nrows));
    CN_TRY(cn_h5file_attr_i64(f, g, "nnz", r->nnz));
    if (r->rank_time_s)
        CN_TRY(write_dw_facts(f, r));
    if (r->has_duals)
        CN_TRY(cn_h5file_attr_i32(f, "/duals/carbon", "row_exists", r->has_carbon_row));
    /* root */
    g = "/";
    CN_TRY(cn_h5file_attr_str(f, g, "Conventions", CONVENTIONS));
    CN_TRY(cn_h5file_attr_str(f, g, "schema_version", SCHEMA_VERSION));
    snprintf(buf, sizeof buf, "cnopt result: %s", sc->name ? sc->name : "");
    CN_TRY(cn_h5file_attr_str(f, g, "title", buf));
    CN_TRY(cn_h5file_attr_str(f, g, "institution", "cnopt " CN_VERSION));
    CN_TRY(cn_h5file_attr_str(f, g, "status", cn_status_name(r->status)));
    CN_TRY(cn_h5file_attr_f64(f, g, "objective", r->objective));
    CN_TRY(cn_h5file_attr_f64(f, g, "bound", r->bound));
    CN_TRY(cn_h5file_attr_f64(f, g, "gap", r->gap));
    CN_TRY(cn_h5file_attr_i32(f, g, "is_mip", r->is_mip));
    CN_TRY(cn_h5file_attr_i32(f, g, "has_duals", r->has_duals != 0));
cleanup:
    return rc;
}

/* Rank 0 only.  The serial phase: strings, coordinates, scales, attributes,
 * complete = 1, close, sync, move. */
static int finish_serial(h5w *w, const char *tmp, const char *path, int force,
                         const cn_model *m, const cn_result *r, const cn_provenance *prov,
                         const cn_iterlog *log)
{
    int rc = CN_OK;
    cn_h5file *f = NULL;
    CN_TRY(cn_h5file_open(tmp, &f));
    CN_TRY(write_strings(f, w, m));
    CN_TRY(write_coords(f, w, m, log));
    CN_TRY(attach_scales(f, w));
    CN_TRY(var_attrs(f, w));
    CN_TRY(group_attrs(f, w, m, r, prov));
    CN_TRY(cn_h5file_attr_i32(f, "/", "complete", 1));   /* last: the file is whole */
    CN_TRY(cn_h5file_close(&f));
    CN_TRY(cn_h5file_publish(tmp, path, force));
cleanup:
    cn_h5file_close(&f);
    return rc;
}

/* ----------------------------------------------------------- the writer */

static int owned_runs(h5w *w, const int *site_owner, int S)
{
    int n = 0;
    free(w->run_start);
    free(w->run_len);
    w->run_start = cn_calloc((size_t)S + 1, sizeof *w->run_start);
    w->run_len = cn_calloc((size_t)S + 1, sizeof *w->run_len);
    if (!w->run_start || !w->run_len)
        return CN_EOSERR;
    for (int s = 0; s < S; s++) {
        int o = site_owner ? site_owner[s] : 0;
        if (o < 0 || o >= w->size)
            return CN_ERR(CN_ESOFTWARE, "site_owner[%d] = %d is not a rank of the communicator "
                          "(size %d)", s, o, w->size);
        if (o != w->rank)
            continue;
        if (n > 0 && w->run_start[n - 1] + w->run_len[n - 1] == s)
            w->run_len[n - 1]++;
        else {
            w->run_start[n] = s;
            w->run_len[n++] = 1;
        }
    }
    w->nruns = n;
    return CN_OK;
}

int cn_h5_write_result(const char *path, int force, const cn_model *m,
                       const cn_result *r, const int *site_owner,
                       const cn_provenance *prov, const cn_iterlog *log,
                       MPI_Comm comm)
{
    int rc = CN_OK, lrc = CN_OK, created = 0;
    h5w w;
    memset(&w, 0, sizeof w);
    w.comm = comm;
    w.file = w.dxpl = -1;
    MPI_Comm_rank(comm, &w.rank);
    MPI_Comm_size(comm, &w.size);
    hid_t fapl = -1;
    char tmp[8400] = "";
    int64_t h[H_N];
    cn_h5_quiet quiet;
    cn_h5_quiet_on(&quiet);
    double t0 = MPI_Wtime();

    /* 1. the target (rank 0 decides), the header of sizes (rank 0's) */
    if (w.rank == 0) {
        lrc = check_output_local(path, force);
        fill_header(m, r, log, h);
    }
    if ((rc = agree(&w, lrc)) != CN_OK)
        goto out;
    MPI_Bcast(h, H_N, MPI_INT64_T, 0, comm);
    lrc = CN_OK;
    if (h[H_S] != m->nsites || h[H_C] != m->ntypes || h[H_T] != m->sc.periods)
        lrc = CN_ERR(CN_ESOFTWARE, "rank %d has a model of %d sites, %d types, %ld periods; "
                     "rank 0 has %lld, %lld, %lld", w.rank, m->nsites, m->ntypes, m->sc.periods,
                     (long long)h[H_S], (long long)h[H_C], (long long)h[H_T]);
    else
        lrc = owned_runs(&w, site_owner, m->nsites);
    if ((rc = agree(&w, lrc)) != CN_OK)
        goto out;
    int64_t nx_local = r->nx, nx_total = 0;
    MPI_Allreduce(&nx_local, &nx_total, 1, MPI_INT64_T, MPI_SUM, comm);
    MPI_Exscan(&nx_local, &w.x_off, 1, MPI_INT64_T, MPI_SUM, comm);
    if (w.rank == 0)
        w.x_off = 0;  /* MPI_Exscan leaves rank 0's result undefined */

    static const int hdim[ND] = {H_R, H_H, H_S, H_C, H_K, H_T, H_W, H_L, H_E, -1, H_NU, H_F, H_NLOG};
    for (int d = 0; d < ND; d++) {
        w.has_dim[d] = 1;
        w.dim[d] = hdim[d] >= 0 ? (hsize_t)(h[hdim[d]] > 0 ? h[hdim[d]] : 0) : (hsize_t)nx_total;
    }
    w.has_dim[D_ITERATION] = h[H_NLOG] >= 0;
    lrc = CN_OK;
    if (w.rank == 0) {
        cn_h5file_remove_stale(path);
        lrc = cn_h5file_temp_name(path, (long long)h[H_PID], tmp, sizeof tmp);
    }
    if ((rc = agree(&w, lrc)) != CN_OK)
        goto out;
    MPI_Bcast(tmp, (int)sizeof tmp, MPI_CHAR, 0, comm);

    /* 2. parallel phase */
    fapl = H5Pcreate(H5P_FILE_ACCESS);
    w.dxpl = H5Pcreate(H5P_DATASET_XFER);
    if (fapl < 0 || w.dxpl < 0 || H5Pset_fapl_mpio(fapl, comm, MPI_INFO_NULL) < 0 ||
        H5Pset_all_coll_metadata_ops(fapl, 1) < 0 || H5Pset_coll_metadata_write(fapl, 1) < 0 ||
        H5Pset_dxpl_mpio(w.dxpl, H5FD_MPIO_COLLECTIVE) < 0)
        lrc = H5FAIL(CN_EIO, "cannot set up parallel access for", tmp);
    if ((rc = agree(&w, lrc)) != CN_OK)
        goto out;
    /* the name is ours: a file of that name is the leftover of a killed run whose
     * rank 0 had the same PID, so truncating it is right.  File creation is
     * collective (MPI_File_open): it fails on every rank or on none. */
    created = 1;
    w.tmp = tmp;
    w.alloc = OBJ_BYTES; /* the superblock and the root group */
    w.file = H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    lrc = w.file < 0 ? H5FAIL(CN_ECANTCREAT, "cannot create temporary file", tmp) : CN_OK;
    if ((rc = agree(&w, lrc)) != CN_OK) {
        if (w.file >= 0)
            H5Fclose(w.file);
        w.file = -1;
        goto out;
    }
    const char *groups[] = {"/model", "/solution", "/objective", "/solver", "/provenance",
                            "/provenance/scenario"};
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
        if ((rc = make_group(&w, groups[i])) != CN_OK)
            goto close;
    if (h[H_DUALS] && (rc = make_group(&w, "/duals")) != CN_OK)
        goto close;
    if ((rc = write_model(&w, m)) != CN_OK ||
        (rc = write_solution(&w, m, r, nx_local)) != CN_OK ||
        (h[H_DUALS] && (rc = write_duals(&w, r)) != CN_OK) ||
        (rc = write_objective(&w, r)) != CN_OK ||
        (h[H_NLOG] >= 0 && (rc = write_log(&w, log)) != CN_OK))
        goto close;
close:
    /* every rank flushes, then closes the parallel file (collective); after
     * a failed write or flush on any rank the file is lost, and its pending
     * writes go to memory so that the close cannot fail (see
     * cn_h5_discard_writes: a failed H5Fclose crashes MPI_Finalize) */
    lrc = CN_OK;
    if (rc == CN_OK && w.rank == 0) {
        int e = cn_h5_reserve(w.file, tmp);
        if (e != 0)
            lrc = CN_ERR(CN_EIO, "cannot write '%s': %s", tmp, strerror(e));
    }
    {
        /* the flush is collective and, failing on one rank, hangs the
         * others: it runs only where the space is reserved on every rank */
        int lost = rc != CN_OK || lrc != CN_OK;
        MPI_Allreduce(MPI_IN_PLACE, &lost, 1, MPI_INT, MPI_MAX, comm);
        if (!lost && H5Fflush(w.file, H5F_SCOPE_GLOBAL) < 0)
            lrc = H5FAIL(CN_EIO, "cannot write", tmp);
        lost = rc != CN_OK || lrc != CN_OK;
        MPI_Allreduce(MPI_IN_PLACE, &lost, 1, MPI_INT, MPI_MAX, comm);
        if (lost) {
            cn_h5_discard_writes(tmp);
            H5Fflush(w.file, H5F_SCOPE_GLOBAL);
            H5Eclear2(H5E_DEFAULT);
        }
    }
    if (H5Fclose(w.file) < 0 && rc == CN_OK && lrc == CN_OK)
        lrc = H5FAIL(CN_EIO, "cannot close", tmp);
    w.file = -1;
    {
        int rc2 = agree(&w, lrc);
        if (rc == CN_OK)
            rc = rc2;
    }
    /* 3. serial phase on rank 0, outcome broadcast */
    if (rc == CN_OK) {
        double t1 = MPI_Wtime();
        lrc = CN_OK;
        if (w.rank == 0)
            lrc = finish_serial(&w, tmp, path, force, m, r, prov, log);
        MPI_Bcast(&lrc, 1, MPI_INT, 0, comm);
        rc = lrc;
        if (rc == CN_OK)
            cn_log(CN_LOG_DEBUG, "wrote %s: parallel phase %.3f s, serial phase (strings, "
                   "coordinates, attributes, sync) %.3f s", path, t1 - t0, MPI_Wtime() - t1);
    }
out:
    if (rc != CN_OK && created && w.rank == 0)
        unlink(tmp);   /* every rank has closed it; no-op after a successful move */
    if (created)
        MPI_Barrier(comm);
    if (w.file >= 0)
        H5Fclose(w.file);
    if (w.dxpl >= 0)
        H5Pclose(w.dxpl);
    if (fapl >= 0)
        H5Pclose(fapl);
    free(w.run_start);
    free(w.run_len);
    free(w.vars);
    cn_h5_quiet_off(&quiet);
    return rc;
}
