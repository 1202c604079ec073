/* fuzz/fuzz_tables.c - libFuzzer harness: one model table (CSV) read and
 * validated by cn_model_read (io/tables.c over io/csv_table.c), inside an
 * otherwise valid tiny model (the tables of tests/bad/base).
 *
 * Input: byte 0 chooses, the other bytes are the table file.
 *   table   = byte0 % 10, in the reader's order: types, regions, hubs, sites,
 *             capacity, links, classes, demand, profiles, expansions
 *   periods = 4, 1, 2 or 9 for (byte0 / 10) % 4 (demand beyond the horizon,
 *             the dense profile arrays)
 *   padding = byte0 >= 240: the file starts with blank lines so that the
 *             reader's first 64 KiB block ends in the middle of the data
 *             (CRLF and quotes across a block boundary)
 * The other nine tables are the base model's, so references into and out of
 * the fuzzed table are resolved as in a real run.
 *
 * With CN_FUZZ_TABLE=NAME.csv in the environment the whole input is that
 * table (periods 4, no padding): how tests/e2e/test_fuzz_replay.sh runs the
 * CSV files of tests/bad and tests/hostile.  Aborts (a crash for libFuzzer)
 * when an outcome breaks cn_fuzz_check's rules.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../core/model.h"
#include "../io/reader.h"
#include "../io/reader_int.h"
#include "fuzz_util.h"

/* the reader's block (io/csv_table.c BLOCK_SIZE) */
#define READ_BLOCK 65536

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *g_dir;
static int g_fixed = -1;   /* CN_FUZZ_TABLE */
static int g_last = -1;    /* table holding the previous input */

/* What an accepted model must satisfy (docs/input-format.md): every id
 * valid, every reference in range, every number finite and in its range.
 * Returns the first rule broken, or NULL. */
#define FIN(x) isfinite(x)
#define IDX(i, n) ((i) >= 0 && (i) < (n))
static const char *broken_rule(const cn_model *m, long T)
{
    if (m->ntypes < 1 || m->nregions < 1 || m->nsites < 1 || m->nclasses < 1)
        return "a required table is empty";
    if (!m->green_avail || !m->price_factor || m->nfiles < 8)
        return "profiles or provenance missing";
    for (int i = 0; i < m->ntypes; i++)
        if (cn_id_check(m->types[i].id) || !FIN(m->types[i].mw_per_pflops) ||
            !(m->types[i].mw_per_pflops > 0))
            return "types.csv";
    for (int i = 0; i < m->nregions; i++) {
        const cn_region *r = &m->regions[i];
        if (cn_id_check(r->id) || !r->name || !(r->lat >= -90 && r->lat <= 90) ||
            !(r->lon >= -180 && r->lon <= 180))
            return "regions.csv";
    }
    for (int i = 0; i < m->nhubs; i++) {
        const cn_hub *h = &m->hubs[i];
        if (cn_id_check(h->id) || !h->name ||
            (h->zone != CN_ZONE_EAST && h->zone != CN_ZONE_WEST) ||
            (h->has_min_green && !(h->min_green_share >= 0 && h->min_green_share <= 1)))
            return "hubs.csv";
    }
    for (int i = 0; i < m->nsites; i++) {
        const cn_site *s = &m->sites[i];
        if (cn_id_check(s->id) || !s->name || !(s->hub == -1 || IDX(s->hub, m->nhubs)) ||
            !IDX(s->region, m->nregions) || !FIN(s->pue) || !(s->pue >= 1) ||
            !FIN(s->grid_price) || !(s->grid_price >= 0) || !FIN(s->green_price) ||
            !(s->green_price >= 0) || !FIN(s->green_cap_mw) || !(s->green_cap_mw >= 0) ||
            !FIN(s->grid_co2) || !(s->grid_co2 >= 0) || !FIN(s->access_rtt_ms) ||
            !(s->access_rtt_ms >= 0) ||
            (s->has_power_cap && !(FIN(s->power_cap_mw) && s->power_cap_mw >= 0)) ||
            (s->has_access_gbps && !(FIN(s->access_gbps) && s->access_gbps >= 0)))
            return "sites.csv";
    }
    for (int i = 0; i < m->ncaps; i++) {
        const cn_capacity *c = &m->caps[i];
        if (!IDX(c->site, m->nsites) || !IDX(c->type, m->ntypes) || !FIN(c->pflops) ||
            !(c->pflops > 0))
            return "capacity.csv";
    }
    for (int i = 0; i < m->nlinks; i++) {
        const cn_link *l = &m->links[i];
        if (!IDX(l->from, m->nregions) || !IDX(l->to, m->nregions) || l->from == l->to ||
            !FIN(l->rtt_ms) || !(l->rtt_ms > 0) || !FIN(l->cost) || !(l->cost >= 0) ||
            (l->has_gbps && !(FIN(l->gbps) && l->gbps >= 0)))
            return "links.csv";
    }
    for (int i = 0; i < m->nclasses; i++) {
        const cn_class *c = &m->classes[i];
        if (cn_id_check(c->id) || !c->name || !IDX(c->type, m->ntypes) ||
            !FIN(c->max_rtt_ms) || !(c->max_rtt_ms > 0) || !FIN(c->gbps_per_pflops) ||
            !(c->gbps_per_pflops >= 0) || c->window < 1 || !FIN(c->penalty) ||
            !(c->penalty > 0))
            return "classes.csv";
    }
    for (long i = 0; i < m->ndemand; i++) {
        const cn_demand *d = &m->demand[i];
        if (!IDX(d->region, m->nregions) || !IDX(d->cls, m->nclasses) || d->period < 0 ||
            d->period >= T || !FIN(d->pflops) || !(d->pflops >= 0))
            return "demand.csv";
    }
    for (long k = 0; k < (long)m->nsites * T; k++)
        if (!(m->green_avail[k] >= 0 && m->green_avail[k] <= 1) ||
            !FIN(m->price_factor[k]) || !(m->price_factor[k] >= 0))
            return "profiles.csv";
    for (int i = 0; i < m->nexps; i++) {
        const cn_expansion *e = &m->exps[i];
        if (!IDX(e->site, m->nsites) || !IDX(e->type, m->ntypes) || !FIN(e->module_pflops) ||
            !(e->module_pflops > 0) || !FIN(e->module_mw) || !(e->module_mw >= 0) ||
            !FIN(e->module_cost) || !(e->module_cost >= 0) || e->max_modules < 1)
            return "expansions.csv";
    }
    return NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *t = getenv("CN_FUZZ_TABLE");
    if (t && *t) {
        g_fixed = cn_fuzz_table_index(t);
        if (g_fixed < 0) {
            fprintf(stderr, "fuzz_tables: CN_FUZZ_TABLE=%s is not a model table\n", t);
            exit(2);
        }
    }
    g_dir = cn_fuzz_model_dir("tables");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const long periods[4] = {4, 1, 2, 9};
    static const int allowed[] = {CN_OK, CN_EDATA, -1};
    int table = g_fixed;
    long T = 4;
    size_t pad = 0;
    if (table < 0) {
        if (size < 1)
            return 0;
        unsigned b = data[0];
        table = (int)(b % CN_FUZZ_NTABLES);
        T = periods[(b / 10) % 4];
        data++;
        size--;
        if (b >= 240)
            pad = READ_BLOCK - size / 2 % READ_BLOCK;
    }
    if (g_last >= 0 && g_last != table)
        cn_fuzz_restore(g_dir, cn_fuzz_table_name[g_last]);
    cn_fuzz_write(g_dir, cn_fuzz_table_name[table], data, size, pad);
    g_last = table;

    cn_fuzz_reset();
    cn_scenario sc;
    cn_scenario_init(&sc);
    sc.name = "fuzz";   /* not owned: never freed here */
    sc.model_dir = (char *)g_dir;
    sc.periods = T;
    cn_model *m = NULL;
    int rc = cn_model_read(&sc, &m);
    cn_fuzz_check("cn_model_read", rc, allowed);
    /* lines are counted by line feeds only (a bare CR is an error) */
    long lines = (long)pad + 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    cn_fuzz_check_lines(g_dir, cn_fuzz_table_name[table], lines);
    if ((rc == CN_OK) != (m != NULL)) {
        fprintf(stderr, "fuzz_tables: cn_model_read returned %d with model %p\n", rc,
                (void *)m);
        abort();
    }
    const char *rule = m ? broken_rule(m, T) : NULL;
    if (rule) {
        fprintf(stderr, "fuzz_tables: accepted model breaks a rule of %s\n", rule);
        abort();
    }
    cn_model_destroy(&m);
    cn_fuzz_reset();
    return 0;
}
