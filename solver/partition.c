/* solver/partition.c - see partition.h.  METIS sits behind this module. */
#include "partition.h"

#include <errno.h>
#include <metis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../base/infile.h"
#include "../base/signals.h"

const char *cn_partition_name(int method)
{
    return method == CN_PART_METIS ? "metis" : method == CN_PART_HUB ? "hub" : "file";
}

/* Site graph for METIS.  Vertex weight: the site's columns (its x over all
 * demand rows plus 2T power columns).  Edge weight between two sites: the
 * number of demand rows both may serve, counted only for (region, class)
 * pairs with at most MAX_SHARED eligible sites (tight-latency work, which is
 * what really ties sites together: loose classes reach every site alike and
 * carry no signal), plus 1 for sites in the same region and 1 for sites in
 * the same hub. */
#define MAX_SHARED 64


static int metis_partition(const cn_derived *d, int nparts, int *part)
{
    const cn_model *m = d->m;
    idx_t S = m->nsites;
    int rc = CN_OK;
    idx_t *w = cn_calloc((size_t)S * (size_t)S, sizeof *w);
    idx_t *vwgt = cn_calloc((size_t)S, sizeof *vwgt);
    idx_t *xadj = cn_calloc((size_t)S + 1, sizeof *xadj);
    idx_t *adjncy = NULL, *adjwgt = NULL, *where = cn_calloc((size_t)S, sizeof *where);
    if (!w || !vwgt || !xadj || !where) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    for (idx_t s = 0; s < S; s++)
        vwgt[s] = 2 * m->sc.periods;
    for (long i = 0; i < d->ndrows; i++) {
        const cn_drow *row = &d->drows[i];
        int64_t n = row->arc1 - row->arc0;
        for (int64_t a = row->arc0; a < row->arc1; a++)
            vwgt[d->arc_site[a]] += row->t1 - row->t0;
        if (n > MAX_SHARED)
            continue;
        for (int64_t a = row->arc0; a < row->arc1; a++)
            for (int64_t b = a + 1; b < row->arc1; b++) {
                w[(size_t)d->arc_site[a] * S + d->arc_site[b]]++;
                w[(size_t)d->arc_site[b] * S + d->arc_site[a]]++;
            }
    }
    for (idx_t s = 0; s < S; s++)
        for (idx_t q = s + 1; q < S; q++) {
            int same = (m->sites[s].region == m->sites[q].region) +
                       (m->sites[s].hub >= 0 && m->sites[s].hub == m->sites[q].hub);
            w[(size_t)s * S + q] += same;
            w[(size_t)q * S + s] += same;
        }
    idx_t nnz = 0;
    for (size_t i = 0; i < (size_t)S * S; i++)
        nnz += w[i] > 0;
    adjncy = cn_calloc((size_t)nnz + 1, sizeof *adjncy);
    adjwgt = cn_calloc((size_t)nnz + 1, sizeof *adjwgt);
    if (!adjncy || !adjwgt) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    nnz = 0;
    for (idx_t s = 0; s < S; s++) {
        for (idx_t q = 0; q < S; q++)
            if (w[(size_t)s * S + q] > 0) {
                adjncy[nnz] = q;
                adjwgt[nnz++] = w[(size_t)s * S + q];
            }
        xadj[s + 1] = nnz;
    }
    idx_t ncon = 1, np = nparts, objval = 0;
    idx_t opts[METIS_NOPTIONS];
    METIS_SetDefaultOptions(opts);
    opts[METIS_OPTION_SEED] = 1;
    opts[METIS_OPTION_NUMBERING] = 0;
    int mr = METIS_PartGraphKway(&S, &ncon, xadj, adjncy, vwgt, NULL, adjwgt, &np, NULL, NULL,
                                 opts, &objval, where);
    if (mr != METIS_OK) {
        rc = CN_ERR(CN_ESOFTWARE, "METIS_PartGraphKway failed (code %d) for %d parts of %d sites",
                    mr, nparts, (int)S);
        goto cleanup;
    }
    for (idx_t s = 0; s < S; s++)
        part[s] = (int)where[s];
cleanup:
    free(w);
    free(vwgt);
    free(xadj);
    free(adjncy);
    free(adjwgt);
    free(where);
    return rc;
}

static int file_partition(const cn_model *m, const char *path, int *part, int *nparts)
{
    FILE *fp = NULL;
    const char *why = NULL;
    if (cn_input_fopen(path, &fp, &why) != 0) {
        cn_diag_add(path, 0, 0, "cannot open partition file: %s", why);
        return CN_ENOINPUT;
    }
    for (int s = 0; s < m->nsites; s++)
        part[s] = -1;
    char line[1024];
    long ln = 0;
    int maxp = -1, bad = 0;
    int sig = CN_OK;
    while ((sig = cn_signals_check_reading(path)) == CN_OK && fgets(line, sizeof line, fp)) {
        ln++;
        line[strcspn(line, "\r\n")] = '\0';
        if (ln == 1 && strcmp(line, "site,part") == 0)
            continue;
        if (!line[0])
            continue;
        char *comma = strchr(line, ',');
        char *end = NULL;
        long p = comma ? strtol(comma + 1, &end, 10) : -1;
        if (!comma || !end || *end || p < 0 || p > 1000000) {
            cn_diag_add(path, ln, comma ? 2 : 1, "expected 'site,part' with part >= 0, got '%s'",
                        line);
            bad = 1;
            continue;
        }
        *comma = '\0';
        int s = cn_model_find_site(m, line);
        if (s < 0) {
            cn_diag_add(path, ln, 1, "unknown site '%s'", line);
            bad = 1;
        } else if (part[s] >= 0) {
            cn_diag_add(path, ln, 1, "site '%s' given twice", line);
            bad = 1;
        } else {
            part[s] = (int)p;
            if (p > maxp)
                maxp = (int)p;
        }
    }
    fclose(fp);
    if (sig != CN_OK)
        return sig;
    for (int s = 0; s < m->nsites && !bad; s++)
        if (part[s] < 0) {
            cn_diag_add(path, ln, 0, "site '%s' has no part", m->sites[s].id);
            bad = 1;
        }
    if (bad)
        return CN_EDATA;
    /* renumber used parts densely, in order of first appearance by part id */
    int *map = cn_calloc((size_t)maxp + 1, sizeof *map);
    if (!map)
        return CN_EOSERR;
    for (int s = 0; s < m->nsites; s++)
        map[part[s]] = 1;
    int n = 0;
    for (int p = 0; p <= maxp; p++)
        map[p] = map[p] ? n++ : -1;
    for (int s = 0; s < m->nsites; s++)
        part[s] = map[part[s]];
    free(map);
    *nparts = n;
    return CN_OK;
}

int cn_partition(const cn_derived *d, int method, int nparts_req, const char *path, int *part,
                 int *nparts)
{
    const cn_model *m = d->m;
    if (m->nsites == 0)
        return CN_ERR(CN_EDATA, "the model has no sites to partition");
    if (method == CN_PART_FILE)
        return file_partition(m, path, part, nparts);
    if (method == CN_PART_HUB) {
        /* hubs in row order, then the sites outside any hub; empty hubs skipped */
        int *map = cn_calloc((size_t)m->nhubs + 1, sizeof *map);
        if (!map)
            return CN_EOSERR;
        for (int s = 0; s < m->nsites; s++)
            map[m->sites[s].hub >= 0 ? m->sites[s].hub : m->nhubs] = 1;
        int n = 0;
        for (int h = 0; h <= m->nhubs; h++)
            map[h] = map[h] ? n++ : -1;
        for (int s = 0; s < m->nsites; s++)
            part[s] = map[m->sites[s].hub >= 0 ? m->sites[s].hub : m->nhubs];
        free(map);
        *nparts = n;
        return CN_OK;
    }
    int np = nparts_req < 1 ? 1 : nparts_req > m->nsites ? m->nsites : nparts_req;
    *nparts = np;
    if (np == 1) {
        for (int s = 0; s < m->nsites; s++)
            part[s] = 0;
        return CN_OK;
    }
    if (np == m->nsites) {
        for (int s = 0; s < m->nsites; s++)
            part[s] = s;
        return CN_OK;
    }
    int rc = metis_partition(d, np, part);
    if (rc != CN_OK)
        return rc;
    /* METIS may leave a part empty: renumber the used ones densely */
    int *map = cn_calloc((size_t)np, sizeof *map);
    if (!map)
        return CN_EOSERR;
    for (int s = 0; s < m->nsites; s++)
        map[part[s]] = 1;
    int n = 0;
    for (int p = 0; p < np; p++)
        map[p] = map[p] ? n++ : -1;
    for (int s = 0; s < m->nsites; s++)
        part[s] = map[part[s]];
    free(map);
    *nparts = n;
    return CN_OK;
}
