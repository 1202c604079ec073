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
#include "../io/csv_table.h"
#include "../io/reader.h"
#include "../io/parse_util.h"
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

/* RFC 3629 UTF-8 of s[0..n), written apart from io/csv_table.c's check. */
static int utf8_ok(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned long cp;
        int k;
        if (s[i] < 0x80) {
            i++;
            continue;
        } else if ((s[i] & 0xE0) == 0xC0) {
            cp = s[i] & 0x1Fu;
            k = 1;
        } else if ((s[i] & 0xF0) == 0xE0) {
            cp = s[i] & 0x0Fu;
            k = 2;
        } else if ((s[i] & 0xF8) == 0xF0) {
            cp = s[i] & 0x07u;
            k = 3;
        } else {
            return 0;
        }
        if (i + (size_t)k >= n)
            return 0;
        for (int j = 1; j <= k; j++) {
            if ((s[i + (size_t)j] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + (size_t)j] & 0x3Fu);
        }
        static const unsigned long min[4] = {0, 0x80, 0x800, 0x10000};
        if (cp < min[k] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += (size_t)k + 1;
    }
    return 1;
}

/* The number and id helpers of io/parse_util.h on any text: what they
 * accept must be what docs/input-format.md says.  Returns the rule broken. */
static const char *field_rule(const char *s)
{
    double d = 0;
    long l = 0;
    int rd = cn_parse_double(s, &d), rl = cn_parse_long(s, &l);
    size_t n = strlen(s);
    if (rd == CN_NUM_OK) {
        if (!isfinite(d))
            return "cn_parse_double accepted a value that is not finite";
        if (n == 0 || strspn(s, "0123456789+-.eE") != n)
            return "cn_parse_double accepted a character outside [0-9+-.eE]";
        if (d != strtod(s, NULL) && !(d == 0 && strtod(s, NULL) == 0))
            return "cn_parse_double differs from strtod";
        if (d == 0 && signbit(d))
            return "cn_parse_double gave -0";
    }
    if (rl == CN_NUM_OK) {
        size_t sign = s[0] == '+' || s[0] == '-';
        if (n == sign || strspn(s + sign, "0123456789") != n - sign)
            return "cn_parse_long accepted a text that is not [+-]?[0-9]+";
        if (l != strtol(s, NULL, 10))
            return "cn_parse_long differs from strtol";
        if (rd != CN_NUM_OK)
            return "cn_parse_long accepted what cn_parse_double refuses";
    }
    if (cn_id_check(s) == 0 &&
        (n == 0 || n > CN_ID_MAX ||
         strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") != n))
        return "cn_id_check accepted a bad id";
    return NULL;
}

/* Read the table again with the CSV layer alone and check every row: field
 * texts and lengths, lines within the file, the bad-field flags against an
 * independent UTF-8 check, and field_rule on every clean field.  Validation
 * bugs show here even when the model as a whole is refused (most mutated
 * inputs), not only in broken_rule. */
static void check_rows(const char *name, long lines)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", g_dir, name);
    cn_csv *t = NULL;
    const char *bad = NULL;
    int rc = cn_csv_open(path, 0, &t);
    long prev = 0;
    while (rc == CN_OK && !bad) {
        const cn_csv_row *r = NULL;
        rc = cn_csv_next(t, &r);
        if (rc != CN_OK || !r)
            break;
        int anybad = 0;
        if (r->nfields < 1 || r->line < 1 || r->line > lines || r->line < prev)
            bad = "row count or line";
        prev = r->line;
        for (int i = 0; !bad && i < r->nfields; i++) {
            const unsigned char *u = (const unsigned char *)r->field[i];
            int clean = memchr(u, 0, r->len[i]) == NULL && utf8_ok(u, r->len[i]);
            anybad |= r->fbad[i];
            if (r->fline[i] < r->line || r->fline[i] > lines ||
                (i > 0 && r->fline[i] < r->fline[i - 1]))
                bad = "field line";
            else if (r->fbad[i] == clean)
                bad = clean ? "a clean field flagged bad" : "a bad field not flagged";
            else if (clean && strlen(r->field[i]) != r->len[i])
                bad = "field length";
            else if (clean)
                bad = field_rule(r->field[i]);
            if (bad)
                fprintf(stderr, "fuzz_tables: %s: line %ld field %d\n", name, r->fline[i], i + 1);
        }
        if (!bad && anybad != r->bad)
            bad = "row bad flag";
    }
    if (rc != CN_OK && !bad)
        bad = "cn_csv_next failed";
    cn_csv_close(&t);
    if (bad) {
        fprintf(stderr, "fuzz_tables: %s: %s\n", name, bad);
        abort();
    }
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
    check_rows(cn_fuzz_table_name[table], lines);
    cn_fuzz_reset();
    return 0;
}
