/* io/h5out.c - parallel HDF5 result writer; see h5out.h and docs/hdf5-schema.md.
 *
 * Two phases (docs/hdf5-schema.md, "How the file is written"):
 *  1. parallel: every rank opens DIR/.NAME.tmp.HOST.PID with the MPI-IO driver; groups
 *     and datasets are created collectively with identical arguments (sizes and
 *     string lengths come from rank 0 by broadcast), data goes through collective
 *     H5Dwrite calls in which each rank selects its own part (owned site rows,
 *     its block of the placement list, or everything/nothing for rank-0 data).
 *     Only fixed-length data is written here.
 *  2. serial, rank 0 only: reopen with the default driver, write every attribute
 *     (variable-length UTF-8 strings), the dimension-scale attributes (object
 *     references in variable-length data, which parallel HDF5 cannot write) and,
 *     last, complete = 1; close, fsync, move to the final name, fsync the directory.
 * Every collective step that follows rank-local work is preceded by an agreement
 * on the error code (cn_mpi_agree), so one rank's failure stops all ranks at the
 * same step; the temporary file is then removed by rank 0.
 *
 * Dimension scales are made with the HDF5 high-level library (H5DS), in the
 * serial phase on rank 0.
 */
#include "h5out.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <signal.h>
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

#define SCHEMA_VERSION "1.0"

void cn_h5_version(char *buf, size_t n)
{
    unsigned maj = 0, min = 0, rel = 0;
    H5get_libversion(&maj, &min, &rel);
    snprintf(buf, n, "%u.%u.%u", maj, min, rel);
}

/* ------------------------------------------------------------------ errors */

static herr_t h5_walk_cb(unsigned n, const H5E_error2_t *e, void *data)
{
    char *buf = data;
    if (n == 0 && e && e->desc)   /* innermost frame: the actual cause */
        snprintf(buf, 512, "%s (%s)", e->desc, e->func_name ? e->func_name : "?");
    return 0;
}

/* Record an error whose detail is the innermost message of the HDF5 stack. */
static int h5_fail(int code, const char *func, const char *what, const char *subject)
{
    char detail[512] = "";
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, h5_walk_cb, detail);
    H5Eclear2(H5E_DEFAULT);
    return cn_err_set(code, func, "%s '%s'%s%s", what, subject, detail[0] ? ": " : "", detail);
}
#define H5FAIL(code, what, subject) h5_fail((code), __func__, (what), (subject))

/* HDF5 prints its error stack by default; we report errors ourselves. */
typedef struct h5_quiet { H5E_auto2_t func; void *data; } h5_quiet;
static void h5_quiet_on(h5_quiet *q)
{
    H5Eget_auto2(H5E_DEFAULT, &q->func, &q->data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}
static void h5_quiet_off(const h5_quiet *q) { H5Eset_auto2(H5E_DEFAULT, q->func, q->data); }

/* ------------------------------------------------------- output path checks */

/* "DIR" of "DIR/NAME" ("." when there is no slash) into dir[n]; NAME into *base. */
static void split_path(const char *path, char *dir, size_t n, const char **base)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        snprintf(dir, n, ".");
        *base = path;
    } else if (slash == path) {
        snprintf(dir, n, "/");
        *base = slash + 1;
    } else {
        snprintf(dir, n, "%.*s", (int)(slash - path), path);
        *base = slash + 1;
    }
}

/* Not collective.  The checks of cn_h5_check_output on the calling rank. */
static int check_output_local(const char *path, int force)
{
    struct stat st;
    char dir[4096];
    const char *base = NULL;
    if (!path || !*path)
        return CN_ERR(CN_ECANTCREAT, "output path is empty");
    split_path(path, dir, sizeof dir, &base);
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
static const char *const dim_path[ND] = {
    "/region", "/hub", "/site", "/type", "/class", "/period", "/window", "/link",
    "/expansion", "/placement", "/demand_row", "/input_file", "/iteration"};
static const char *const dim_long_name[ND] = {
    "region id", "national hub id", "site id", "compute type id", "workload class id",
    "period index", "demand window index (per class: 0 .. class_nwindows-1)",
    "backbone link index (links.csv row)", "expansion option index (expansions.csv row)",
    "placement entry index (sparse x)", "demand row index (r, class, window) with D > 0",
    "input file index", "decomposition iteration"};

enum kind { K_F64, K_I32, K_I64, K_STR };
enum sel { SEL_ROOT, SEL_SITES, SEL_BLOCK };
enum vflag {
    VF_ZONE = 1,    /* flag_values / flag_meanings of a zone */
    VF_SCALE = 2,   /* a dimension scale (coordinate) */
    VF_STRING = 4   /* fixed-length UTF-8 strings: _Encoding, no units */
};

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
} h5w;

static int agree(h5w *w, int rc) { return cn_mpi_agree(w->comm, rc); }

static hid_t make_type(int kind, size_t slen, int file)
{
    switch (kind) {
    case K_F64: return H5Tcopy(file ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE);
    case K_I32: return H5Tcopy(file ? H5T_STD_I32LE : H5T_NATIVE_INT32);
    case K_I64: return H5Tcopy(file ? H5T_STD_I64LE : H5T_NATIVE_INT64);
    default: {
        hid_t t = H5Tcopy(H5T_C_S1);
        if (t >= 0 && (H5Tset_size(t, slen ? slen : 1) < 0 ||
                       H5Tset_strpad(t, H5T_STR_NULLTERM) < 0 ||
                       H5Tset_cset(t, H5T_CSET_UTF8) < 0)) {
            H5Tclose(t);
            return -1;
        }
        return t;
    }
    }
}

static int register_var(h5w *w, const vdesc *v, int kind)
{
    if (w->nvars == w->capvars) {
        int cap = w->capvars ? 2 * w->capvars : 64;
        vdesc *nv = cn_realloc(w->vars, (size_t)cap, sizeof *nv);
        if (!nv)
            return CN_EOSERR;
        w->vars = nv;
        w->capvars = cap;
    }
    w->vars[w->nvars] = *v;
    if (kind == K_STR)
        w->vars[w->nvars].flags |= VF_STRING;
    w->nvars++;
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

/* Collective.  Create dataset v (type kind; slen bytes for K_STR), write buf with
 * this rank's selection sel (nloc: local element count for SEL_BLOCK), record v
 * for the serial phase.  buf may be NULL on ranks that select nothing. */
static int put(h5w *w, const vdesc *v, int kind, size_t slen, int sel, int64_t nloc,
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
    ft = make_type(kind, slen, 1);
    mt = make_type(kind, slen, 0);
    fs = v->ndims ? H5Screate_simple(v->ndims, dims, NULL) : H5Screate(H5S_SCALAR);
    if (ft < 0 || mt < 0 || fs < 0)
        lrc = H5FAIL(CN_EIO, "cannot make type or dataspace of", v->path);
    if ((rc = agree(w, lrc)) != CN_OK)
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
    lrc = register_var(w, v, kind);
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
    int lrc = CN_OK;
    hid_t g = H5Gcreate2(w->file, path, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        lrc = H5FAIL(CN_EIO, "cannot create group", path);
    else
        H5Gclose(g);
    return agree(w, lrc);
}

/* ---------------------------------------------------- temporary files */

/* This host's name as it goes into temporary file names: [A-Za-z0-9-] only. */
static void temp_host(char *host, size_t n)
{
    if (gethostname(host, n - 1) != 0 || !host[0])
        snprintf(host, n, "host");
    host[n - 1] = '\0';
    for (char *c = host; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '-'))
            *c = '-';
}

/* Rank 0: remove DIR/.BASE.tmp.HOST.PID files of this host whose process is
 * gone (a run killed while writing: docs/robustness.md).  Files of other
 * hosts, or of a live process, are left alone. */
static void remove_stale_temps(const char *dir, const char *base, const char *host)
{
    char prefix[4300];
    snprintf(prefix, sizeof prefix, ".%s.tmp.%s.", base, host);
    size_t np = strlen(prefix);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix, np) != 0)
            continue;
        char *end = NULL;
        long long pid = strtoll(e->d_name + np, &end, 10);
        if (!end || *end || pid <= 0 || pid > INT32_MAX)
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        char p[8600];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (unlink(p) == 0)
            cn_log(CN_LOG_INFO, "removed %s, the temporary file of a run that was killed", p);
    }
    closedir(d);
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

/* Strings of the model tables, by getter (ids and names). */
typedef const char *(*strget)(const cn_model *m, size_t i);
static const char *g_region_id(const cn_model *m, size_t i) { return m->regions[i].id; }
static const char *g_region_name(const cn_model *m, size_t i) { return m->regions[i].name; }
static const char *g_hub_id(const cn_model *m, size_t i) { return m->hubs[i].id; }
static const char *g_hub_name(const cn_model *m, size_t i) { return m->hubs[i].name; }
static const char *g_site_id(const cn_model *m, size_t i) { return m->sites[i].id; }
static const char *g_site_name(const cn_model *m, size_t i) { return m->sites[i].name; }
static const char *g_type_id(const cn_model *m, size_t i) { return m->types[i].id; }
static const char *g_class_id(const cn_model *m, size_t i) { return m->classes[i].id; }
static const char *g_class_name(const cn_model *m, size_t i) { return m->classes[i].name; }
static const char *g_file_path(const cn_model *m, size_t i) { return m->files[i].path; }

/* Longest of n strings plus 1 (the fixed-length slot size; at least 1). */
static size_t max_len(const cn_model *m, strget get, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++) {
        const char *p = get(m, i);
        size_t l = p ? strlen(p) + 1 : 1;
        if (l > len)
            len = l;
    }
    return len;
}

/* Pack n strings into fixed-length slots of slen bytes (NUL padded, cut to fit). */
static char *pack_strings(const cn_model *m, strget get, size_t n, size_t slen)
{
    char *buf = cn_calloc(n ? n : 1, slen);
    if (!buf)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const char *p = get(m, i);
        if (p)
            memcpy(buf + i * slen, p, strlen(p) < slen ? strlen(p) : slen - 1);
    }
    return buf;
}

/* ------------------------------------------------ the broadcast header */

enum {
    H_R, H_H, H_S, H_C, H_K, H_T, H_W, H_L, H_E, H_NU, H_F, H_NLOG, H_DUALS,
    H_LREGION, H_LHUB, H_LSITE, H_LTYPE, H_LCLASS,
    H_LRNAME, H_LHNAME, H_LSNAME, H_LKNAME, H_LPATH, H_PID, H_N
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
    h[H_LREGION] = (int64_t)max_len(m, g_region_id, (size_t)m->nregions);
    h[H_LHUB] = (int64_t)max_len(m, g_hub_id, (size_t)m->nhubs);
    h[H_LSITE] = (int64_t)max_len(m, g_site_id, (size_t)m->nsites);
    h[H_LTYPE] = (int64_t)max_len(m, g_type_id, (size_t)m->ntypes);
    h[H_LCLASS] = (int64_t)max_len(m, g_class_id, (size_t)m->nclasses);
    h[H_LRNAME] = (int64_t)max_len(m, g_region_name, (size_t)m->nregions);
    h[H_LHNAME] = (int64_t)max_len(m, g_hub_name, (size_t)m->nhubs);
    h[H_LSNAME] = (int64_t)max_len(m, g_site_name, (size_t)m->nsites);
    h[H_LKNAME] = (int64_t)max_len(m, g_class_name, (size_t)m->nclasses);
    h[H_LPATH] = (int64_t)max_len(m, g_file_path, (size_t)m->nfiles);
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

static int write_coords(h5w *w, const cn_model *m, const int64_t *h, const cn_iterlog *log,
                        int64_t nx_local)
{
    int rc = CN_OK, lrc = CN_OK;
    char *sbuf = NULL;
    int32_t *ib = NULL;
    int64_t *lb = NULL;
    struct { int d; strget get; int hl; } strs[] = {
        {D_REGION, g_region_id, H_LREGION}, {D_HUB, g_hub_id, H_LHUB}, {D_SITE, g_site_id, H_LSITE},
        {D_TYPE, g_type_id, H_LTYPE}, {D_CLASS, g_class_id, H_LCLASS},
    };
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        int d = strs[i].d;
        size_t slen = (size_t)h[strs[i].hl];
        lrc = CN_OK;
        if (w->rank == 0 && w->dim[d] > 0 &&
            !(sbuf = pack_strings(m, strs[i].get, w->dim[d], slen)))
            lrc = CN_EOSERR;
        if ((rc = agree(w, lrc)) != CN_OK)
            goto cleanup;
        vdesc v = {dim_path[d], 1, {d, 0, 0}, NULL, dim_long_name[d], NULL, VF_SCALE};
        rc = put(w, &v, K_STR, slen, SEL_ROOT, 0, sbuf);
        free(sbuf);
        sbuf = NULL;
        if (rc != CN_OK)
            goto cleanup;
    }
    /* integer index coordinates written by rank 0 */
    int idx[] = {D_PERIOD, D_WINDOW, D_LINK, D_EXPANSION, D_INPUT_FILE};
    for (size_t i = 0; i < sizeof idx / sizeof idx[0]; i++) {
        int d = idx[i];
        lrc = CN_OK;
        if (w->rank == 0 && w->dim[d] > 0) {
            if (!(ib = cn_calloc(w->dim[d], sizeof *ib)))
                lrc = CN_EOSERR;
            else
                for (hsize_t j = 0; j < w->dim[d]; j++)
                    ib[j] = (int32_t)j;
        }
        if ((rc = agree(w, lrc)) != CN_OK)
            goto cleanup;
        vdesc v = {dim_path[d], 1, {d, 0, 0}, "1", dim_long_name[d], NULL, VF_SCALE};
        rc = put(w, &v, K_I32, 0, SEL_ROOT, 0, ib);
        free(ib);
        ib = NULL;
        if (rc != CN_OK)
            goto cleanup;
    }
    /* placement: each rank writes the indices of its own block */
    lrc = CN_OK;
    if (nx_local > 0) {
        if (!(lb = cn_calloc((size_t)nx_local, sizeof *lb)))
            lrc = CN_EOSERR;
        else
            for (int64_t j = 0; j < nx_local; j++)
                lb[j] = w->x_off + j;
    }
    if ((rc = agree(w, lrc)) != CN_OK)
        goto cleanup;
    rc = put(w, &(vdesc){dim_path[D_PLACEMENT], 1, {D_PLACEMENT, 0, 0}, "1", dim_long_name[D_PLACEMENT],
                         "entries are the concatenation of each MPI rank's list, in rank order", VF_SCALE},
             K_I64, 0, SEL_BLOCK, nx_local, lb);
    free(lb);
    lb = NULL;
    if (rc != CN_OK)
        goto cleanup;
    /* demand rows and the iteration log: rank 0 */
    for (int pass = 0; pass < 2; pass++) {
        int d = pass == 0 ? D_DEMAND_ROW : D_ITERATION;
        if (!w->has_dim[d])
            continue;
        lrc = CN_OK;
        if (w->rank == 0 && w->dim[d] > 0) {
            if (!(lb = cn_calloc(w->dim[d], sizeof *lb)))
                lrc = CN_EOSERR;
            else
                for (hsize_t j = 0; j < w->dim[d]; j++)
                    lb[j] = d == D_ITERATION ? (int64_t)log->iteration[j] : (int64_t)j;
        }
        if ((rc = agree(w, lrc)) != CN_OK)
            goto cleanup;
        vdesc v = {dim_path[d], 1, {d, 0, 0}, "1", dim_long_name[d], NULL, VF_SCALE};
        rc = put(w, &v, K_I64, 0, SEL_ROOT, 0, lb);
        free(lb);
        lb = NULL;
        if (rc != CN_OK)
            goto cleanup;
    }
cleanup:
    free(sbuf);
    free(ib);
    free(lb);
    return rc;
}

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

static int write_model(h5w *w, const cn_model *m, const int64_t *h)
{
    int rc = CN_OK, lrc = CN_OK;
    scratch sc = {NULL, NULL, 0};
    char *sbuf = NULL;
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
        if ((rc = put(w, (vd), K_F64, 0, SEL_ROOT, 0, root ? d : NULL)) != CN_OK) \
            goto cleanup;                                                      \
    } while (0)
#define PUT_I(vd, n, expr)                                                     \
    do {                                                                       \
        if (root)                                                              \
            for (int j_ = 0; j_ < (n); j_++)                                   \
                iv[j_] = (int32_t)(expr);                                      \
        if ((rc = put(w, (vd), K_I32, 0, SEL_ROOT, 0, root ? iv : NULL)) != CN_OK) \
            goto cleanup;                                                      \
    } while (0)
#define PUT_S(vd, get, n, hl)                                                  \
    do {                                                                       \
        lrc = CN_OK;                                                           \
        if (root && (n) > 0 && !(sbuf = pack_strings(m, (get), (size_t)(n), (size_t)h[hl]))) \
            lrc = CN_EOSERR;                                                   \
        if ((rc = agree(w, lrc)) != CN_OK)                                     \
            goto cleanup;                                                      \
        rc = put(w, (vd), K_STR, (size_t)h[hl], SEL_ROOT, 0, sbuf);            \
        free(sbuf);                                                            \
        sbuf = NULL;                                                           \
        if (rc != CN_OK)                                                       \
            goto cleanup;                                                      \
    } while (0)

    /* regions */
    PUT_S(V1("/model/region_name", D_REGION, NULL, "region name", NULL), g_region_name, R, H_LRNAME);
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
        CN_TRY(put(w, &v, K_I32, 0, SEL_ROOT, 0, root ? iv : NULL));
    }
    /* hubs */
    PUT_S(V1("/model/hub_name", D_HUB, NULL, "hub name", NULL), g_hub_name, H, H_LHNAME);
    {
        if (root)
            for (int j = 0; j < H; j++)
                iv[j] = m->hubs[j].zone;
        vdesc v = {"/model/hub_zone", 1, {D_HUB, 0, 0}, "1", "zone of the hub (0 east, 1 west)", NULL, VF_ZONE};
        CN_TRY(put(w, &v, K_I32, 0, SEL_ROOT, 0, root ? iv : NULL));
    }
    PUT_D(V1("/model/hub_min_green_share", D_HUB, "1", "minimum green share of the hub's energy",
             "NaN: no requirement"), H, nan_unless(m->hubs[j_].has_min_green, m->hubs[j_].min_green_share));
    /* sites */
    PUT_S(V1("/model/site_name", D_SITE, NULL, "site name", NULL), g_site_name, S, H_LSNAME);
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
        CN_TRY(put(w, &v, K_I32, 0, SEL_ROOT, 0, root ? iv : NULL));
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
               K_F64, 0, SEL_ROOT, 0, root ? d : NULL));
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
    PUT_S(V1("/model/class_name", D_CLASS, NULL, "workload class name", NULL), g_class_name, K, H_LKNAME);
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
#undef PUT_S
cleanup:
    free(sc.d);
    free(sc.i);
    free(sbuf);
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
               K_I32, 0, SEL_BLOCK, nx_local, r->x_region));
    CN_TRY(put(w, V1("/solution/x_site", D_PLACEMENT, "1", "site index of the placement", xdesc),
               K_I32, 0, SEL_BLOCK, nx_local, r->x_site));
    CN_TRY(put(w, V1("/solution/x_class", D_PLACEMENT, "1", "class index of the placement", xdesc),
               K_I32, 0, SEL_BLOCK, nx_local, r->x_class));
    CN_TRY(put(w, V1("/solution/x_period", D_PLACEMENT, "1", "period of the placement", xdesc),
               K_I32, 0, SEL_BLOCK, nx_local, r->x_period));
    CN_TRY(put(w, V1("/solution/x_pflops", D_PLACEMENT, "PFLOPS", "compute placed (x)", xdesc),
               K_F64, 0, SEL_BLOCK, nx_local, r->x_pflops));
    static const char *udesc = "one entry per demand row (region, class, window) with D > 0";
    CN_TRY(put(w, V1("/solution/u_region", D_DEMAND_ROW, "1", "region index of the demand row", udesc),
               K_I32, 0, SEL_ROOT, 0, root ? r->u_region : NULL));
    CN_TRY(put(w, V1("/solution/u_class", D_DEMAND_ROW, "1", "class index of the demand row", udesc),
               K_I32, 0, SEL_ROOT, 0, root ? r->u_class : NULL));
    CN_TRY(put(w, V1("/solution/u_window", D_DEMAND_ROW, "1", "window index of the demand row", udesc),
               K_I32, 0, SEL_ROOT, 0, root ? r->u_window : NULL));
    CN_TRY(put(w, V1("/solution/u_demand_pflops", D_DEMAND_ROW, "PFLOPS*period", "demand D(r,k,b) of the window", udesc),
               K_F64, 0, SEL_ROOT, 0, root ? r->u_demand_pflops : NULL));
    CN_TRY(put(w, V1("/solution/u_pflops", D_DEMAND_ROW, "PFLOPS*period", "unserved demand u(r,k,b)", udesc),
               K_F64, 0, SEL_ROOT, 0, root ? r->u_pflops : NULL));
    CN_TRY(dense_rkw(w, r, r->u_demand_pflops, &dense));
    CN_TRY(put(w, V3("/solution/demand_pflops", D_REGION, D_CLASS, D_WINDOW, "PFLOPS*period",
                     "demand by region, class and window", "dense copy of u_demand_pflops; 0 where no demand row"),
               K_F64, 0, SEL_ROOT, 0, dense));
    free(dense);
    dense = NULL;
    CN_TRY(dense_rkw(w, r, r->u_pflops, &dense));
    CN_TRY(put(w, V3("/solution/unserved_pflops", D_REGION, D_CLASS, D_WINDOW, "PFLOPS*period",
                     "unserved demand by region, class and window", "dense copy of u_pflops; 0 where no demand row"),
               K_F64, 0, SEL_ROOT, 0, dense));
    free(dense);
    dense = NULL;
    CN_TRY(put(w, V2("/solution/pg_mw", D_SITE, D_PERIOD, "MW", "grid power drawn", NULL),
               K_F64, 0, SEL_SITES, 0, r->pg_mw));
    CN_TRY(put(w, V2("/solution/pgr_mw", D_SITE, D_PERIOD, "MW", "green power drawn", NULL),
               K_F64, 0, SEL_SITES, 0, r->pgr_mw));
    CN_TRY(put(w, V3("/solution/site_load_pflops", D_SITE, D_TYPE, D_PERIOD, "PFLOPS",
                     "compute load by site, type and period", "sum of x"),
               K_F64, 0, SEL_SITES, 0, r->site_load_pflops));
    CN_TRY(put(w, V2("/solution/link_load_gbps", D_LINK, D_PERIOD, "Gbps", "backbone link traffic",
                     "both directions summed"), K_F64, 0, SEL_ROOT, 0, root ? r->link_load_gbps : NULL));
    CN_TRY(put(w, V2("/solution/access_load_gbps", D_SITE, D_PERIOD, "Gbps", "access link traffic", NULL),
               K_F64, 0, SEL_SITES, 0, r->access_load_gbps));
    CN_TRY(put(w, V1("/solution/expansion_modules", D_EXPANSION, "1", "expansion modules built (y)",
                     "0 when not a MIP"), K_F64, 0, SEL_ROOT, 0, root ? r->y_modules : NULL));
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
               K_F64, 0, SEL_ROOT, 0, root ? r->u_dual : NULL));
    CN_TRY(dense_rkw(w, r, r->u_dual, &dense));
    CN_TRY(put(w, V3("/duals/demand_dense", D_REGION, D_CLASS, D_WINDOW, "yuan/(PFLOPS*period)",
                     "shadow price of demand by region, class and window (constraint 1)",
                     "dense copy of /duals/demand; 0 where no demand row"),
               K_F64, 0, SEL_ROOT, 0, dense));
    CN_TRY(put(w, V3("/duals/capacity", D_SITE, D_TYPE, D_PERIOD, "yuan/(PFLOPS*period)",
                     "shadow price of compute capacity (constraint 2)", sign),
               K_F64, 0, SEL_SITES, 0, r->cap_dual));
    CN_TRY(put(w, V2("/duals/power_cap", D_SITE, D_PERIOD, "yuan/(MW*period)",
                     "shadow price of the site power cap (constraint 4)", sign),
               K_F64, 0, SEL_SITES, 0, r->power_cap_dual));
    CN_TRY(put(w, V2("/duals/green", D_SITE, D_PERIOD, "yuan/(MW*period)",
                     "shadow price of green power availability (constraint 5)",
                     "reduced cost of pgr at its upper bound; 0 unless the bound binds"),
               K_F64, 0, SEL_SITES, 0, r->green_dual));
    CN_TRY(put(w, V2("/duals/link_bandwidth", D_LINK, D_PERIOD, "yuan/(Gbps*period)",
                     "shadow price of backbone bandwidth (constraint 6)", sign),
               K_F64, 0, SEL_ROOT, 0, root ? r->link_dual : NULL));
    CN_TRY(put(w, V2("/duals/access", D_SITE, D_PERIOD, "yuan/(Gbps*period)",
                     "shadow price of access bandwidth (constraint 7)", sign),
               K_F64, 0, SEL_SITES, 0, r->access_dual));
    CN_TRY(put(w, V0("/duals/carbon", "yuan/tCO2", "shadow price of the carbon cap (constraint 8)",
                     "attribute row_exists is 0 without a carbon cap"),
               K_F64, 0, SEL_ROOT, 0, root ? &r->carbon_dual : NULL));
    CN_TRY(put(w, V1("/duals/hub_green", D_HUB, "yuan/(MW*period)", "shadow price of the hub green share (constraint 9)",
                     "per unit of the row (1-m) sum pgr - m sum pg >= 0 (MW-periods of green surplus); "
                     ">= 0: requiring one more unit costs this much"),
               K_F64, 0, SEL_ROOT, 0, root ? r->hub_green_dual : NULL));
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
        CN_TRY(put(w, V0(s[i].path, s[i].units, s[i].ln, NULL), K_F64, 0, SEL_ROOT, 0,
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
               K_F64, 0, SEL_ROOT, 0, root ? log->master_obj : NULL));
    CN_TRY(put(w, V1("/solver/lower_bound", D_ITERATION, "yuan", "lower bound", NULL),
               K_F64, 0, SEL_ROOT, 0, root ? log->lower_bound : NULL));
    CN_TRY(put(w, V1("/solver/gap", D_ITERATION, "1", "relative gap", NULL),
               K_F64, 0, SEL_ROOT, 0, root ? log->gap : NULL));
    CN_TRY(put(w, V1("/solver/columns_added", D_ITERATION, "1", "columns added in the iteration", NULL),
               K_I64, 0, SEL_ROOT, 0, cols));
    CN_TRY(put(w, V1("/solver/elapsed_s", D_ITERATION, "s", "elapsed wall time", NULL),
               K_F64, 0, SEL_ROOT, 0, root ? log->elapsed_s : NULL));
cleanup:
    free(cols);
    return rc;
}

static int write_files(h5w *w, const cn_model *m, const int64_t *h)
{
    int rc = CN_OK, lrc = CN_OK;
    char *paths = NULL, *hashes = NULL;
    size_t F = (size_t)h[H_F];
    if (w->rank == 0 && F > 0) {
        paths = pack_strings(m, g_file_path, F, (size_t)h[H_LPATH]);
        hashes = cn_calloc(F, 65);
        if (!paths || !hashes)
            lrc = CN_EOSERR;
        for (size_t i = 0; hashes && i < F; i++)
            memcpy(hashes + 65 * i, m->files[i].sha256, 64);
    }
    CN_TRY(agree(w, lrc));
    CN_TRY(put(w, V1("/provenance/input_path", D_INPUT_FILE, NULL, "input file path as given",
                     "scenario file first, then every table read"),
               K_STR, (size_t)h[H_LPATH], SEL_ROOT, 0, paths));
    CN_TRY(put(w, V1("/provenance/input_sha256", D_INPUT_FILE, NULL, "SHA-256 of the input file (hex)", NULL),
               K_STR, 65, SEL_ROOT, 0, hashes));
cleanup:
    free(paths);
    free(hashes);
    return rc;
}

/* ------------------------------------------------ serial phase (rank 0) */

static int attr_write(hid_t loc, const char *name, hid_t type, const void *val)
{
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = sp >= 0 ? H5Acreate2(loc, name, type, sp, H5P_DEFAULT, H5P_DEFAULT) : -1;
    herr_t e = a >= 0 ? H5Awrite(a, type, val) : -1;
    if (a >= 0) H5Aclose(a);
    if (sp >= 0) H5Sclose(sp);
    return e < 0 ? H5FAIL(CN_EIO, "cannot write attribute", name) : CN_OK;
}

/* Variable-length UTF-8 string attribute (read by h5py as str). */
static int attr_str(hid_t loc, const char *name, const char *val)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    int rc = CN_EIO;
    if (t >= 0 && H5Tset_size(t, H5T_VARIABLE) >= 0 && H5Tset_cset(t, H5T_CSET_UTF8) >= 0) {
        const char *v = val ? val : "";
        rc = attr_write(loc, name, t, &v);
    } else {
        rc = H5FAIL(CN_EIO, "cannot make string type for", name);
    }
    if (t >= 0)
        H5Tclose(t);
    return rc;
}

static int attr_f64(hid_t loc, const char *name, double v) { return attr_write(loc, name, H5T_NATIVE_DOUBLE, &v); }
static int attr_i32(hid_t loc, const char *name, int v)
{
    int32_t x = v;
    return attr_write(loc, name, H5T_NATIVE_INT32, &x);
}
static int attr_i64(hid_t loc, const char *name, int64_t v) { return attr_write(loc, name, H5T_NATIVE_INT64, &v); }

/* A 1-D float64 attribute of n values. */
static int attr_f64_vec(hid_t loc, const char *name, const double *v, hsize_t n)
{
    hid_t sp = H5Screate_simple(1, &n, NULL);
    hid_t a = sp >= 0 ? H5Acreate2(loc, name, H5T_NATIVE_DOUBLE, sp, H5P_DEFAULT, H5P_DEFAULT) : -1;
    herr_t e = a >= 0 ? H5Awrite(a, H5T_NATIVE_DOUBLE, v) : -1;
    if (a >= 0) H5Aclose(a);
    if (sp >= 0) H5Sclose(sp);
    return e < 0 ? H5FAIL(CN_EIO, "cannot write attribute", name) : CN_OK;
}

/* The decomposition's layout and every rank's time split (docs/hdf5-schema.md,
 * /solver); written by rank 0 only, into its own attributes. */
static int write_dw_facts(hid_t g, const cn_result *r)
{
    int rc = CN_OK;
    CN_TRY(attr_i64(g, "dw_parts", r->dw_parts));
    CN_TRY(attr_i64(g, "dw_blocks", r->dw_blocks));
    CN_TRY(attr_i64(g, "dw_coupling_demand_rows", r->dw_coupling_demand));
    CN_TRY(attr_i64(g, "dw_coupling_link_rows", r->dw_coupling_link));
    CN_TRY(attr_i64(g, "dw_coupling_carbon_rows", r->dw_coupling_carbon));
    CN_TRY(attr_i64(g, "dw_coupling_hub_green_rows", r->dw_coupling_hub_green));
    CN_TRY(attr_i64(g, "dw_master_rows", r->dw_master_rows));
    CN_TRY(attr_i64(g, "dw_master_columns", r->dw_master_cols));
    static const char *const phase[CN_DW_NT + 1] = {
        "rank_pricing_s", "rank_master_s", "rank_communication_s", "rank_waiting_s",
        "rank_bytes_sent"};
    double *v = cn_calloc((size_t)r->ranks + 1, sizeof *v);
    if (!v)
        return cn_err_frame(CN_EOSERR, __func__, __FILE__, __LINE__);
    for (int ph = 0; ph <= CN_DW_NT && rc == CN_OK; ph++) {
        for (int k = 0; k < r->ranks; k++)
            v[k] = r->rank_time_s[(size_t)k * (CN_DW_NT + 1) + ph];
        rc = attr_f64_vec(g, phase[ph], v, (hsize_t)r->ranks);
    }
    free(v);
cleanup:
    return rc;
}

/* Dimension scales through the HDF5 high-level library (H5DS): every
 * coordinate dataset becomes a scale named after its dimension, and every
 * other dataset has a scale attached to each of its axes, which is what
 * xarray/netCDF readers need to name the dimensions. */
static int attach_scales(hid_t file, const h5w *w)
{
    int rc = CN_OK;
    hid_t sc[ND], ds = -1;
    for (int d = 0; d < ND; d++)
        sc[d] = -1;
    for (int d = 0; d < ND; d++) {
        if (!w->has_dim[d])
            continue;
        if ((sc[d] = H5Dopen2(file, dim_path[d], H5P_DEFAULT)) < 0 ||
            H5DSset_scale(sc[d], dim_name[d]) < 0) {
            rc = H5FAIL(CN_EIO, "cannot make a dimension scale of", dim_path[d]);
            goto cleanup;
        }
    }
    for (int i = 0; i < w->nvars; i++) {
        const vdesc *v = &w->vars[i];
        if (v->ndims == 0 || (v->flags & VF_SCALE))
            continue;
        if ((ds = H5Dopen2(file, v->path, H5P_DEFAULT)) < 0) {
            rc = H5FAIL(CN_EIO, "cannot open dataset", v->path);
            goto cleanup;
        }
        for (int j = 0; j < v->ndims; j++)
            if (H5DSattach_scale(ds, sc[v->dim[j]], (unsigned)j) < 0) {
                rc = H5FAIL(CN_EIO, "cannot attach dimension scales to", v->path);
                goto cleanup;
            }
        H5Dclose(ds);
        ds = -1;
    }
cleanup:
    if (ds >= 0)
        H5Dclose(ds);
    for (int d = 0; d < ND; d++)
        if (sc[d] >= 0)
            H5Dclose(sc[d]);
    return rc;
}

static int var_attrs(hid_t file, const h5w *w)
{
    int rc = CN_OK;
    hid_t ds = -1;
    for (int i = 0; i < w->nvars; i++) {
        const vdesc *v = &w->vars[i];
        if ((ds = H5Dopen2(file, v->path, H5P_DEFAULT)) < 0) {
            rc = H5FAIL(CN_EIO, "cannot open dataset", v->path);
            goto cleanup;
        }
        if (v->units)
            CN_TRY(attr_str(ds, "units", v->units));
        CN_TRY(attr_str(ds, "long_name", v->long_name));
        if (v->description)
            CN_TRY(attr_str(ds, "description", v->description));
        if (v->flags & VF_STRING)
            CN_TRY(attr_str(ds, "_Encoding", "utf-8"));
        if (v->flags & VF_ZONE) {
            int32_t fv[2] = {CN_ZONE_EAST, CN_ZONE_WEST};
            hsize_t two = 2;
            hid_t sp = H5Screate_simple(1, &two, NULL);
            hid_t a = sp >= 0 ? H5Acreate2(ds, "flag_values", H5T_STD_I32LE, sp, H5P_DEFAULT, H5P_DEFAULT) : -1;
            herr_t e = a >= 0 ? H5Awrite(a, H5T_NATIVE_INT32, fv) : -1;
            if (a >= 0) H5Aclose(a);
            if (sp >= 0) H5Sclose(sp);
            if (e < 0) {
                rc = H5FAIL(CN_EIO, "cannot write flag_values of", v->path);
                goto cleanup;
            }
            CN_TRY(attr_str(ds, "flag_meanings", "east west"));
        }
        H5Dclose(ds);
        ds = -1;
    }
cleanup:
    if (ds >= 0)
        H5Dclose(ds);
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

static int group_attrs(hid_t file, const h5w *w, const cn_model *m, const cn_result *r,
                       const cn_provenance *prov)
{
    int rc = CN_OK;
    hid_t g = -1;
    char buf[512];
    const cn_scenario *sc = &m->sc;
    /* /provenance */
    if ((g = H5Gopen2(file, "/provenance", H5P_DEFAULT)) < 0) {
        rc = H5FAIL(CN_EIO, "cannot open group", "/provenance");
        goto cleanup;
    }
    CN_TRY(attr_str(g, "cnopt_version", CN_VERSION));
    CN_TRY(attr_str(g, "git_commit", CN_GIT_COMMIT));
    cn_h5_version(buf, sizeof buf);
    CN_TRY(attr_str(g, "hdf5_version", buf));
    if (prov && prov->command_line)
        CN_TRY(attr_str(g, "command_line", prov->command_line));
    if (prov && prov->glpk_version)
        CN_TRY(attr_str(g, "glpk_version", prov->glpk_version));
    if (prov && prov->mpi_version) {
        CN_TRY(attr_str(g, "mpi_version", prov->mpi_version));
    } else {
        char lib[MPI_MAX_LIBRARY_VERSION_STRING];
        int len = 0;
        MPI_Get_library_version(lib, &len);
        lib[strcspn(lib, "\n,")] = '\0';
        CN_TRY(attr_str(g, "mpi_version", lib));
    }
    CN_TRY(attr_i32(g, "ranks", w->size));
    CN_TRY(attr_i32(g, "nparts", prov ? prov->nparts : 1));
    if (prov && prov->partition)
        CN_TRY(attr_str(g, "partition", prov->partition));
    if (prov && prov->slurm_job_id)
        CN_TRY(attr_str(g, "slurm_job_id", prov->slurm_job_id));
    utc_now(buf, sizeof buf);
    CN_TRY(attr_str(g, "created_utc", buf));
    H5Gclose(g);
    /* /provenance/scenario: every field of the resolved scenario */
    if ((g = H5Gopen2(file, "/provenance/scenario", H5P_DEFAULT)) < 0) {
        rc = H5FAIL(CN_EIO, "cannot open group", "/provenance/scenario");
        goto cleanup;
    }
    CN_TRY(attr_str(g, "path", sc->path));
    CN_TRY(attr_str(g, "name", sc->name));
    if (sc->description)
        CN_TRY(attr_str(g, "description", sc->description));
    CN_TRY(attr_str(g, "model_dir", sc->model_dir));
    CN_TRY(attr_i64(g, "periods", sc->periods));
    CN_TRY(attr_f64(g, "period_hours", sc->period_hours));
    CN_TRY(attr_f64(g, "period_weight", sc->period_weight));
    CN_TRY(attr_f64(g, "carbon_price", sc->carbon_price));
    CN_TRY(attr_i32(g, "has_carbon_cap", sc->has_carbon_cap));
    CN_TRY(attr_f64(g, "carbon_cap", sc->has_carbon_cap ? sc->carbon_cap : NAN));
    CN_TRY(attr_i32(g, "expansion", sc->expansion));
    CN_TRY(attr_f64(g, "scale_demand", sc->scale_demand));
    CN_TRY(attr_f64(g, "scale_bandwidth", sc->scale_bandwidth));
    CN_TRY(attr_f64(g, "scale_green", sc->scale_green));
    CN_TRY(attr_f64(g, "scale_grid_price", sc->scale_grid_price));
    H5Gclose(g);
    /* /solver */
    if ((g = H5Gopen2(file, "/solver", H5P_DEFAULT)) < 0) {
        rc = H5FAIL(CN_EIO, "cannot open group", "/solver");
        goto cleanup;
    }
    CN_TRY(attr_str(g, "method", r->method));
    CN_TRY(attr_i32(g, "ranks", r->ranks));
    CN_TRY(attr_i64(g, "iterations", r->iterations));
    CN_TRY(attr_f64(g, "solve_seconds", r->solve_seconds));
    CN_TRY(attr_f64(g, "max_violation", r->max_violation));
    CN_TRY(attr_i64(g, "nvars", r->nvars));
    CN_TRY(attr_i64(g, "nrows", r->nrows));
    CN_TRY(attr_i64(g, "nnz", r->nnz));
    if (r->rank_time_s)
        CN_TRY(write_dw_facts(g, r));
    H5Gclose(g);
    g = -1;
    if (r->has_duals) {
        hid_t ds = H5Dopen2(file, "/duals/carbon", H5P_DEFAULT);
        if (ds < 0) {
            rc = H5FAIL(CN_EIO, "cannot open dataset", "/duals/carbon");
            goto cleanup;
        }
        rc = attr_i32(ds, "row_exists", r->has_carbon_row);
        H5Dclose(ds);
        if (rc != CN_OK)
            goto cleanup;
    }
    /* root */
    if ((g = H5Gopen2(file, "/", H5P_DEFAULT)) < 0) {
        rc = H5FAIL(CN_EIO, "cannot open group", "/");
        goto cleanup;
    }
    CN_TRY(attr_str(g, "schema_version", SCHEMA_VERSION));
    snprintf(buf, sizeof buf, "cnopt result: %s", sc->name ? sc->name : "");
    CN_TRY(attr_str(g, "title", buf));
    CN_TRY(attr_str(g, "status", cn_status_name(r->status)));
    CN_TRY(attr_f64(g, "objective", r->objective));
    CN_TRY(attr_f64(g, "bound", r->bound));
    CN_TRY(attr_f64(g, "gap", r->gap));
    CN_TRY(attr_i32(g, "is_mip", r->is_mip));
    CN_TRY(attr_i32(g, "has_duals", r->has_duals != 0));
cleanup:
    if (g >= 0)
        H5Gclose(g);
    return rc;
}

static int fsync_path(const char *path, int dir)
{
    int fd = open(path, dir ? O_RDONLY | O_DIRECTORY : O_RDWR);
    if (fd < 0)
        return CN_ERR(CN_EIO, "cannot open '%s' to sync it: %s", path, strerror(errno));
    int e = fsync(fd);
    int err = errno;
    close(fd);
    /* some file systems refuse fsync on directories; the data itself is synced */
    if (e != 0 && !(dir && (err == EINVAL || err == EBADF)))
        return CN_ERR(CN_EIO, "cannot sync '%s': %s", path, strerror(err));
    return CN_OK;
}

/* Move tmp to path: never replaces an existing file unless force. */
static int move_into_place(const char *tmp, const char *path, int force)
{
    if (force) {
        if (rename(tmp, path) != 0)
            return CN_ERR(CN_ECANTCREAT, "cannot rename '%s' to '%s': %s", tmp, path, strerror(errno));
        return CN_OK;
    }
    if (link(tmp, path) == 0) {
        unlink(tmp);
        return CN_OK;
    }
    if (errno == EEXIST)
        return CN_ERR(CN_ECANTCREAT, "%s exists (use --force to overwrite)", path);
    /* no hard links on this file system: check, then rename */
    if (errno == EPERM || errno == ENOTSUP || errno == EOPNOTSUPP || errno == EMLINK || errno == ENOSYS) {
        struct stat st;
        if (stat(path, &st) == 0)
            return CN_ERR(CN_ECANTCREAT, "%s exists (use --force to overwrite)", path);
        if (rename(tmp, path) != 0)
            return CN_ERR(CN_ECANTCREAT, "cannot rename '%s' to '%s': %s", tmp, path, strerror(errno));
        return CN_OK;
    }
    return CN_ERR(CN_ECANTCREAT, "cannot create '%s': %s", path, strerror(errno));
}

/* Rank 0 only.  The serial phase: attributes, scales, complete = 1, sync, move. */
static int finish_serial(const h5w *w, const char *tmp, const char *path, int force,
                         const cn_model *m, const cn_result *r, const cn_provenance *prov)
{
    int rc = CN_OK;
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS), file = -1, root = -1;
    char dir[4096];
    const char *base = NULL;
    /* the temporary file is private: no locking (it fails on some cluster file
     * systems, errno 37/524) */
    if (fapl < 0 || H5Pset_file_locking(fapl, 0, 1) < 0) {
        rc = H5FAIL(CN_EIO, "cannot set up file access for", tmp);
        goto cleanup;
    }
    if ((file = H5Fopen(tmp, H5F_ACC_RDWR, fapl)) < 0) {
        rc = H5FAIL(CN_EIO, "cannot reopen", tmp);
        goto cleanup;
    }
    CN_TRY(attach_scales(file, w));
    CN_TRY(var_attrs(file, w));
    CN_TRY(group_attrs(file, w, m, r, prov));
    if ((root = H5Gopen2(file, "/", H5P_DEFAULT)) < 0) {
        rc = H5FAIL(CN_EIO, "cannot open group", "/");
        goto cleanup;
    }
    CN_TRY(attr_i32(root, "complete", 1));   /* last: the file is whole */
    H5Gclose(root);
    root = -1;
    if (H5Fclose(file) < 0) {
        file = -1;
        rc = H5FAIL(CN_EIO, "cannot close", tmp);
        goto cleanup;
    }
    file = -1;
    CN_TRY(fsync_path(tmp, 0));
    CN_TRY(move_into_place(tmp, path, force));
    split_path(path, dir, sizeof dir, &base);
    CN_TRY(fsync_path(dir, 1));
cleanup:
    if (root >= 0) H5Gclose(root);
    if (file >= 0) H5Fclose(file);
    if (fapl >= 0) H5Pclose(fapl);
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
    h5_quiet quiet;
    h5_quiet_on(&quiet);

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
    if (w.rank == 0) {
        char dir[4096], host[64];
        const char *base = NULL;
        split_path(path, dir, sizeof dir, &base);
        temp_host(host, sizeof host);
        remove_stale_temps(dir, base, host);
        snprintf(tmp, sizeof tmp, "%s/.%s.tmp.%s.%lld", dir, base, host, (long long)h[H_PID]);
    }
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
    if ((rc = write_coords(&w, m, h, log, nx_local)) != CN_OK ||
        (rc = write_model(&w, m, h)) != CN_OK ||
        (rc = write_solution(&w, m, r, nx_local)) != CN_OK ||
        (h[H_DUALS] && (rc = write_duals(&w, r)) != CN_OK) ||
        (rc = write_objective(&w, r)) != CN_OK ||
        (h[H_NLOG] >= 0 && (rc = write_log(&w, log)) != CN_OK) ||
        (rc = write_files(&w, m, h)) != CN_OK)
        goto close;
close:
    /* every rank closes the parallel file (collective) */
    lrc = CN_OK;
    if (H5Fclose(w.file) < 0 && rc == CN_OK)
        lrc = H5FAIL(CN_EIO, "cannot close", tmp);
    w.file = -1;
    {
        int rc2 = agree(&w, lrc);
        if (rc == CN_OK)
            rc = rc2;
    }
    /* 3. serial phase on rank 0, outcome broadcast */
    if (rc == CN_OK) {
        lrc = CN_OK;
        if (w.rank == 0)
            lrc = finish_serial(&w, tmp, path, force, m, r, prov);
        MPI_Bcast(&lrc, 1, MPI_INT, 0, comm);
        rc = lrc;
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
    h5_quiet_off(&quiet);
    return rc;
}
