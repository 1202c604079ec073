/* cli/cmd_export.c - `cnopt export OUT.h5 --csv DIR`: every table of a result
 * file as a labelled CSV file, for spreadsheets and pandas (docs/export.md).
 * Built on the reader io/h5read.h (cn_h5_read_vars).  Serial, no MPI.
 *
 * A table is the datasets of one group that share one tuple of dimensions:
 * GROUP_DIM1_DIM2.csv (GROUP.csv for the group's scalars), one row per element
 * in row-major order.  Its first columns are the coordinates of its
 * dimensions: ids for region, hub, site, type, class, link, expansion;
 * numbers for period, window, iteration, and the row numbers of the sparse
 * lists (placement, demand_row, input_file), which join tables of two groups
 * (duals_demand_row.csv to solution_demand_row.csv).
 * Integer datasets that hold indices into an id dimension (names ending in
 * _region, _hub, _site, _type, _class; link_from, link_to) are written as
 * ids ("" for -1, "none").  A header is the dataset's name, followed by
 * " [UNITS]" unless the units are "1" or none, or the name already ends in
 * them (pg_mw, total_yuan, x_pflops).  NaN ("not given") is an empty cell. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#include "../base/err.h"
#include "../base/log.h"
#include "../io/h5read.h"
#include "../io/sweep.h"
#include "cmd.h"

static void usage(FILE *fp)
{
    fputs("usage: cnopt export OUT.h5 --csv DIR [--force]\n"
          "\n"
          "Write every table of a result file of `cnopt solve` as a CSV file in DIR\n"
          "(created if missing): one file per group and set of dimensions, e.g.\n"
          "solution_site_period.csv with columns site,period,access_load_gbps,pg_mw,\n"
          "pgr_mw.  Entities are ids, not indices; headers carry units\n"
          "(`power_cap [yuan/(MW*period)]`).  Layout: docs/export.md.\n"
          "\n"
          "options:\n"
          "  --csv DIR   directory to write (required)\n"
          "  --force     write into a DIR that already holds files (same-named\n"
          "              files are replaced; others are left)\n"
          "\n"
          "exit codes: 0 ok, 64 usage, 65 not a (complete) cnopt result file,\n"
          "  66 file missing or unreadable, 73 DIR not empty without --force or\n"
          "  cannot be created, 74 write failed\n",
          fp);
}

/* The id dimension an integer dataset's values index, or NULL. */
static const char *index_target(const cn_h5_var *v)
{
    static const char *const ids[] = {"region", "hub", "site", "type", "class"};
    if (v->kind != CN_H5V_INT || v->is_coord)
        return NULL;
    if (strcmp(v->name, "link_from") == 0 || strcmp(v->name, "link_to") == 0)
        return "region";
    size_t ln = strlen(v->name);
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        size_t l = strlen(ids[i]);
        if (ln > l + 1 && v->name[ln - l - 1] == '_' && strcmp(v->name + ln - l, ids[i]) == 0)
            return ids[i];
    }
    return NULL;
}

/* The coordinate variable of dimension dim seen from group: the group's own,
 * else the root's (schema 1.x has them only at the root). */
static const cn_h5_var *coord(const cn_h5_var *v, int n, const char *group, const char *dim)
{
    const cn_h5_var *root = NULL;
    for (int k = 0; k < n; k++) {
        if (!v[k].is_coord || strcmp(v[k].name, dim) != 0)
            continue;
        if (strcmp(v[k].group, group) == 0)
            return &v[k];
        if (!v[k].group[0])
            root = &v[k];
    }
    return root;
}

static int same_dims(const cn_h5_var *a, const cn_h5_var *b)
{
    if (a->ndims != b->ndims || strcmp(a->group, b->group) != 0)
        return 0;
    for (int j = 0; j < a->ndims; j++)
        if (strcmp(a->dim[j], b->dim[j]) != 0 || a->len[j] != b->len[j])
            return 0;
    return 1;
}

/* CSV field: quoted when it holds a comma, quote, CR or LF (RFC 4180). */
static void put_field(FILE *fp, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

/* Does name end in "_UNITS" (case-insensitively)? */
static int name_says_units(const char *name, const char *units)
{
    size_t ln = strlen(name), lu = strlen(units);
    return ln > lu + 1 && name[ln - lu - 1] == '_' && strcasecmp(name + ln - lu, units) == 0;
}

static void put_header(FILE *fp, const cn_h5_var *v)
{
    char buf[512];
    if (!v->units[0] || strcmp(v->units, "1") == 0 || name_says_units(v->name, v->units))
        snprintf(buf, sizeof buf, "%s", v->name);
    else
        snprintf(buf, sizeof buf, "%s [%s]", v->name, v->units);
    put_field(fp, buf);
}

/* The shortest of %.15g, %.16g, %.17g that reads back as x (0.0016, not
 * 0.0016000000000000001); NaN is an empty cell. */
static void put_number(FILE *fp, double x)
{
    char buf[40];
    if (isnan(x))
        return;
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    fputs(buf, fp);
}

/* Element i of v, as text; idx: coordinate of the id dimension v indexes. */
static void put_value(FILE *fp, const cn_h5_var *v, size_t i, const cn_h5_var *idx)
{
    switch (v->kind) {
    case CN_H5V_F64: put_number(fp, v->f[i]); break;
    case CN_H5V_STR: put_field(fp, v->s[i]); break;
    default:
        if (idx && idx->kind == CN_H5V_STR && v->i[i] >= 0 && (size_t)v->i[i] < idx->n)
            put_field(fp, idx->s[v->i[i]]);
        else if (!(idx && v->i[i] == -1))   /* -1: none, an empty cell */
            fprintf(fp, "%lld", v->i[i]);
    }
}

/* Write one table (the variables cols[0..nc-1], all of the dims of cols[0])
 * to DIR/NAME.csv through a temporary file. */
static int write_table(const char *dir, const cn_h5_var *v, int n, const int *cols, int nc)
{
    int rc = CN_OK;
    const cn_h5_var *t = &v[cols[0]];
    char name[512], path[4600], tmp[4700];
    const cn_h5_var *dc[CN_H5_VAR_MAXDIMS] = {NULL, NULL, NULL};
    const cn_h5_var **ix = cn_calloc((size_t)nc, sizeof *ix);
    FILE *fp = NULL;
    if (!ix)
        return CN_EOSERR;
    int len = snprintf(name, sizeof name, "%s", t->group);
    for (char *c = name; *c; c++)
        if (*c == '/')
            *c = '_';
    for (int j = 0; j < t->ndims; j++)
        len += snprintf(name + len, sizeof name - (size_t)len, "_%s", t->dim[j]);
    snprintf(path, sizeof path, "%s/%s.csv", dir, name);
    snprintf(tmp, sizeof tmp, "%s/.%s.csv.tmp.%ld", dir, name, (long)getpid());
    for (int j = 0; j < t->ndims; j++)
        dc[j] = coord(v, n, t->group, t->dim[j]);
    for (int c = 0; c < nc; c++) {
        const char *tg = index_target(&v[cols[c]]);
        ix[c] = tg ? coord(v, n, v[cols[c]].group, tg) : NULL;
    }
    if (!(fp = fopen(tmp, "w"))) {
        rc = CN_ERR(CN_ECANTCREAT, "%s: cannot create: %s", tmp, strerror(errno));
        goto cleanup;
    }
    /* header */
    int first = 1;
    for (int j = 0; j < t->ndims; j++) {
        if (!dc[j])
            continue;
        if (!first)
            fputc(',', fp);
        put_field(fp, t->dim[j]);
        first = 0;
    }
    for (int c = 0; c < nc; c++) {
        if (!first)
            fputc(',', fp);
        put_header(fp, &v[cols[c]]);
        first = 0;
    }
    fputc('\n', fp);
    /* rows, row-major */
    for (size_t i = 0; i < t->n; i++) {
        size_t rest = i, at[CN_H5_VAR_MAXDIMS] = {0, 0, 0};
        for (int j = t->ndims - 1; j >= 0; j--) {
            at[j] = rest % t->len[j];
            rest /= t->len[j];
        }
        first = 1;
        for (int j = 0; j < t->ndims; j++) {
            if (!dc[j])
                continue;
            if (!first)
                fputc(',', fp);
            if (at[j] < dc[j]->n)
                put_value(fp, dc[j], at[j], NULL);
            first = 0;
        }
        for (int c = 0; c < nc; c++) {
            if (!first)
                fputc(',', fp);
            put_value(fp, &v[cols[c]], i, ix[c]);
            first = 0;
        }
        fputc('\n', fp);
    }
    if (ferror(fp) | fclose(fp)) {
        fp = NULL;
        rc = CN_ERR(CN_EIO, "%s: write failed: %s", tmp, strerror(errno));
        goto cleanup;
    }
    fp = NULL;
    if (rename(tmp, path) != 0) {
        rc = CN_ERR(CN_EIO, "%s: cannot rename '%s' to it: %s", path, tmp, strerror(errno));
        goto cleanup;
    }
    cn_log(CN_LOG_DEBUG, "wrote %s (%zu rows, %d columns)", path, t->n, nc);
cleanup:
    if (fp)
        fclose(fp);
    if (rc != CN_OK)
        unlink(tmp);
    free(ix);
    return rc;
}

/* Is dir missing (0), an empty directory (1), a directory with entries (2),
 * or not a directory (-1)? */
static int dir_state(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0)
        return 0;
    if (!S_ISDIR(st.st_mode))
        return -1;
    DIR *d = opendir(dir);
    if (!d)
        return 2;
    struct dirent *e;
    int any = 0;
    while (!any && (e = readdir(d)))
        any = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return any ? 2 : 1;
}

static int export_csv(const char *path, const char *dir, int force)
{
    int rc = CN_OK, n = 0, ntables = 0;
    cn_h5_var *v = NULL;
    int *cols = NULL, *done = NULL;
    CN_TRY(cn_h5_read_vars(path, &v, &n));
    int st = dir_state(dir);
    if (st < 0) {
        rc = CN_ERR(CN_ECANTCREAT, "%s: exists and is not a directory", dir);
        goto cleanup;
    }
    if (st == 2 && !force) {
        rc = CN_ERR(CN_ECANTCREAT, "%s: directory is not empty (use --force to write into it)", dir);
        goto cleanup;
    }
    if (st == 0)
        CN_TRY(cn_sweep_mkdirs(dir));
    if (!(cols = cn_calloc((size_t)n + 1, sizeof *cols)) || !(done = cn_calloc((size_t)n + 1, sizeof *done))) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    /* id columns first, then the rest, each in name order (the reader's) */
    for (int k = 0; k < n; k++) {
        if (done[k] || v[k].is_coord || !v[k].group[0])
            continue;
        int nc = 0;
        for (int pass = 0; pass < 2; pass++)
            for (int q = k; q < n; q++)
                if (!done[q] && !v[q].is_coord && same_dims(&v[k], &v[q]) &&
                    (index_target(&v[q]) != NULL) == (pass == 0)) {
                    cols[nc++] = q;
                    done[q] = 1;
                }
        CN_TRY(write_table(dir, v, n, cols, nc));
        ntables++;
    }
    cn_log(CN_LOG_INFO, "wrote %d tables of %s to %s", ntables, path, dir);
cleanup:
    free(cols);
    free(done);
    cn_h5_vars_destroy(&v, n);
    return rc;
}

int cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
                                         {"csv", required_argument, NULL, 'c'},
                                         {"force", no_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    const char *dir = NULL;
    int force = 0, c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': usage(stdout); return CN_OK;
        case 'c': dir = optarg; break;
        case 'f': force = 1; break;
        default: usage(stderr); return CN_EUSAGE;
        }
    }
    if (argc - optind != 1 || !dir || !*dir) {
        fprintf(stderr, "cnopt: export: expected one result file and --csv DIR\n");
        usage(stderr);
        return CN_EUSAGE;
    }
    int rc = export_csv(argv[optind], dir, force);
    if (rc != CN_OK) {
        /* the message for people ("FILE: what is wrong"); the traceback with -v */
        const char *msg = cn_err_message();
        if (cn_log_level() >= CN_LOG_DEBUG)
            cn_log(CN_LOG_ERROR, "%s", msg);
        else
            cn_log(CN_LOG_ERROR, "%.*s", (int)strcspn(msg, "\n"), msg);
    }
    return rc;
}
