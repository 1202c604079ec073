/* cli/cmd_info.c - `cnopt info OUT.h5`: the summary a planner reads first
 * (io/h5read.h; definitions in docs/hdf5-schema.md).  Serial, no MPI. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../base/log.h"
#include "../core/model.h"
#include "../io/h5read.h"
#include "cmd.h"

static void usage(FILE *fp)
{
    fputs("usage: cnopt info OUT.h5\n"
          "\n"
          "Summarise a result file written by `cnopt solve`: status, objective and its\n"
          "parts, served and unserved demand per class, hub utilisation, east-to-west\n"
          "flow, emissions and energy, the build plan of a MIP (modules built per\n"
          "expansion row, their cost, and what one module saves: docs/model.md\n"
          "section 10), and what one more unit of each limit saves over the weighted\n"
          "horizon (shadow prices summed over the periods), per site, per hub and per\n"
          "backbone link, for compute capacity, power cap, green power and access and\n"
          "backbone fibre, the largest in words.  Amounts: three significant digits,\n"
          "k = thousand, M = million, bn = billion.\n"
          "Definitions: docs/hdf5-schema.md.\n"
          "\n"
          "exit codes: 0 ok, 64 usage, 65 not a (complete) cnopt result file or an\n"
          "  unsupported schema_version, 66 file missing or unreadable\n",
          fp);
}

static double pct(double part, double whole)
{
    return whole != 0 ? 100.0 * part / whole : 0.0;
}

/* One number format for every amount info prints: three significant digits
 * and an engineering suffix, no space (k = 1e3, M = 1e6, bn = 1e9), so that a
 * column stays one word: "332M", "1.25bn", "52.1k", "715", "0.52", "0". */
static const char *eng(char *buf, size_t n, double v)
{
    static const struct { double f; const char *sfx; } steps[] = {
        {1e9, "bn"}, {1e6, "M"}, {1e3, "k"}, {1.0, ""}};
    if (isnan(v)) {
        snprintf(buf, n, "-");
        return buf;
    }
    double a = fabs(v);
    if (a < 0.5e-3) {
        snprintf(buf, n, "0");
        return buf;
    }
    int k = 0;
    while (k < 3 && a < steps[k].f * 0.9995)   /* 999.7k rounds to 1.00M */
        k++;
    double x = v / steps[k].f;
    if (k == 0 && fabs(x) >= 999.5)
        snprintf(buf, n, "%.0f%s", x, steps[k].sfx);   /* 1234bn */
    else
        snprintf(buf, n, "%.3g%s", x, steps[k].sfx);
    return buf;
}

#define ENG(v) eng((char[24]){0}, 24, (v))

static void print_summary(const char *path, const cn_h5_summary *s)
{
    const char *unit = s->period_hours == 1.0 ? "hour" : "period";
    printf("result     %s (schema %s, cnopt %s, written %s)\n", path, s->schema_version,
           s->cnopt_version[0] ? s->cnopt_version : "?", s->created_utc[0] ? s->created_utc : "?");
    printf("scenario   %s (%ld periods of %g h, weight %g)\n", s->scenario[0] ? s->scenario : "?",
           s->periods, s->period_hours, s->period_weight);
    printf("status     %s (%s, %s, %ld iterations, %.2f s, %d rank%s)\n", s->status,
           s->is_mip ? "MIP" : "LP", s->method[0] ? s->method : "?", s->iterations,
           s->solve_seconds, s->ranks, s->ranks == 1 ? "" : "s");
    printf("objective  %s yuan (%.2f; bound %.2f, gap %.4f%%)\n", ENG(s->objective), s->objective,
           s->bound, 100.0 * s->gap);
    printf("\n  %-12s %8s %7s\n", "cost", "yuan", "share");
    for (int i = 0; i < CN_H5_NPARTS; i++)
        printf("  %-12s %8s %6.1f%%\n", cn_h5_part_name(i), ENG(s->parts[i]), pct(s->parts[i], s->objective));
    printf("\nemissions  %s tCO2; energy %s MWh, of which green %s MWh (%.1f%%)\n",
           ENG(s->emissions_tco2), ENG(s->energy_mwh), ENG(s->green_mwh), pct(s->green_mwh, s->energy_mwh));

    printf("\ndemand by class (PFLOPS-periods)\n");
    printf("  %-16s %8s %8s %7s %9s\n", "class", "demand", "served", "served", "unserved");
    for (int k = 0; k < s->nclasses; k++) {
        const cn_h5_class_sum *c = &s->classes[k];
        if (c->demand > 0)
            printf("  %-16s %8s %8s %6.1f%% %8.1f%%\n", c->id, ENG(c->demand), ENG(c->demand - c->unserved),
                   pct(c->demand - c->unserved, c->demand), pct(c->unserved, c->demand));
        else
            printf("  %-16s %8s %8s %7s %9s\n", c->id, "0", "0", "-", "-");
    }
    printf("  %-16s %8s %8s %6.1f%% %8.1f%%\n", "total", ENG(s->demand_total),
           ENG(s->demand_total - s->unserved_total), pct(s->demand_total - s->unserved_total, s->demand_total),
           pct(s->unserved_total, s->demand_total));

    printf("\nhub utilisation (site load / capacity incl. modules built, over %ss)\n", unit);
    printf("  %-20s %-5s %5s %9s %8s %8s %6s\n", "hub", "zone", "sites", "PFLOPS", "average", "peak", unit);
    for (int h = 0; h < s->nhubs; h++) {
        const cn_h5_hub_sum *hb = &s->hubs[h];
        const char *zone = hb->zone == CN_ZONE_WEST ? "west" : "east";
        if (isnan(hb->util_avg))
            printf("  %-20s %-5s %5d %9s %8s %8s %6s\n", hb->id, zone, hb->nsites, ENG(hb->capacity_pflops),
                   "-", "-", "-");
        else
            printf("  %-20s %-5s %5d %9s %7.1f%% %7.1f%% %6ld\n", hb->id, zone, hb->nsites,
                   ENG(hb->capacity_pflops), 100.0 * hb->util_avg, 100.0 * hb->util_peak, hb->peak_period);
    }

    printf("\neast-to-west flow  %s PFLOPS-periods of demand from east-zone regions served at\n"
           "                   west-zone hub sites: %.1f%% of east-region placements, %.1f%% of all\n"
           "                   (%lld placement entries, %s PFLOPS-periods placed)\n",
           ENG(s->east_to_west), pct(s->east_to_west, s->east_placed), pct(s->east_to_west, s->placed_total),
           s->nx, ENG(s->placed_total));
}

/* ------------------------------------------------------------ investment */

/* The build plan of a MIP result: every expansion row, built ones first
 * (cn_invest_order), with what one module saves at the LP with y fixed
 * (core/invest.h, docs/model.md section 10).  One line for an LP. */
static int print_invest(const cn_h5_summary *s)
{
    if (!s->is_mip) {
        printf("\ninvestment  expansion off (an LP: no modules decided)\n");
        return CN_OK;
    }
    size_t E = (size_t)s->nexps;
    if (E == 0) {
        printf("\ninvestment  expansion on, but the model has no expansion rows\n");
        return CN_OK;
    }
    cn_invest *v = cn_calloc(E, sizeof *v);
    size_t *order = cn_calloc(E, sizeof *order);
    if (!v || !order) {
        free(v);
        free(order);
        return CN_ERR(CN_EOSERR, "investment: out of memory for %zu expansion rows", E);
    }
    for (size_t e = 0; e < E; e++)
        v[e] = s->invest[e].v;
    cn_invest_order(v, E, order);
    printf("\ninvestment (modules built by the MIP; value = what one module saves at the LP with\n"
           "the modules fixed: minus module PFLOPS x the capacity price and module MW x the\n"
           "power-cap price, each summed over the periods; net = value - module cost; yuan\n"
           "over the weighted horizon; docs/model.md section 10%s)\n",
           s->has_duals ? "" : "; - = no shadow prices in this file");
    printf("  %-20s %-12s %7s %8s %8s %9s %13s %13s\n", "site", "type", "built", "PFLOPS", "MW",
           "cost yuan", "value/module", "net/module");
    for (size_t k = 0; k < E; k++) {
        const cn_h5_invest *r = &s->invest[order[k]];
        char b[32];
        snprintf(b, sizeof b, "%.0f/%.0f", r->v.built, r->v.max_modules);
        printf("  %-20s %-12s %7s %8s %8s %9s %13s %13s\n", r->site, r->type, b, ENG(r->v.pflops_added),
               ENG(r->v.mw_added), ENG(r->v.cost_yuan), ENG(r->v.value_yuan), ENG(r->v.net_yuan));
    }
    double built, most, cost, pf, mw;
    cn_invest_totals(v, E, &built, &most, &cost, &pf, &mw);
    char b[48];
    snprintf(b, sizeof b, "%.0f/%.0f", built, most);
    printf("  %-20s %-12s %7s %8s %8s %9s\n", "total", "", b, ENG(pf), ENG(mw), ENG(cost));
    free(v);
    free(order);
    return CN_OK;
}

/* ------------------------------------------- shadow prices for planners */

/* A dataset of the file by group and name, or NULL. */
static const cn_h5_var *var(const cn_h5_var *v, int n, const char *group, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(v[i].group, group) == 0 && strcmp(v[i].name, name) == 0)
            return &v[i];
    return NULL;
}

/* A numeric dataset of the expected size, or NULL. */
static const double *f64(const cn_h5_var *v, int n, const char *group, const char *name, size_t want)
{
    const cn_h5_var *x = var(v, n, group, name);
    return x && x->kind == CN_H5V_F64 && x->n == want ? x->f : NULL;
}

static const char *label(const cn_h5_var *coord, size_t i, char *buf, size_t n)
{
    if (coord && coord->kind == CN_H5V_STR && i < coord->n)
        return coord->s[i];
    snprintf(buf, n, "%zu", i);
    return buf;
}

enum { RES_POWER, RES_GREEN, RES_ACCESS, RES_N };   /* per-site resources after compute */

typedef struct planner {
    size_t S, C, T, H, L;
    const cn_h5_var *site, *type, *hub, *region;
    double *site_cap;      /* [S][C]: sum over periods of -capacity dual, yuan per PFLOPS */
    double *site_res;      /* [S][RES_N]: power cap, green power (per MW), access (per Gbps) */
    double *hub_cap;       /* [H+1][C]: sum over the hub's sites; row H = sites outside hubs */
    double *hub_res;       /* [H+1][RES_N] */
    int *hub_nsites;       /* [H+1] */
    double *link;          /* [L]: per Gbps of the backbone link */
    char **link_label;     /* [L] */
    double carbon;         /* per tCO2 (the carbon cap row; 0 without one) */
    const double *hub_green;   /* [H] per MW-period of green surplus, or NULL */
    const long long *site_hub; /* [S] hub index, -1 outside every hub */
    double horizon_h;      /* sum over periods of w(t) * period_hours */
    char horizon[160];     /* "a year" or "over the horizon (...)" */
} planner;

static void planner_free(planner *p)
{
    free(p->site_cap);
    free(p->site_res);
    free(p->hub_cap);
    free(p->hub_res);
    free(p->hub_nsites);
    free(p->link);
    if (p->link_label)
        for (size_t l = 0; l < p->L; l++)
            free(p->link_label[l]);
    free(p->link_label);
}

/* Saving, in yuan, of one more unit sustained over every period: minus the sum
 * over periods of the shadow price (docs/model.md section 8: a binding limit's
 * price is <= 0 and already includes w(t) * period_hours). */
static double horizon_saving(const double *dual, size_t row, size_t T)
{
    double sum = 0;
    for (size_t t = 0; t < T; t++)
        if (isfinite(dual[row * T + t]))
            sum += dual[row * T + t];
    return sum == 0 ? 0.0 : -sum;
}

static int planner_build(const cn_h5_var *v, int n, const cn_h5_summary *s, planner *p)
{
    memset(p, 0, sizeof *p);
    p->site = var(v, n, "", "site");
    p->type = var(v, n, "", "type");
    p->hub = var(v, n, "", "hub");
    p->region = var(v, n, "", "region");
    const cn_h5_var *period = var(v, n, "", "period"), *link = var(v, n, "", "link");
    if (!p->site || !p->type || !p->hub || !period)
        return CN_ERR(CN_EDATA, "result file has no site, type, hub or period coordinate");
    p->S = p->site->n;
    p->C = p->type->n;
    p->H = p->hub->n;
    p->T = period->n;
    p->L = link ? link->n : 0;
    size_t S = p->S, C = p->C, H = p->H, T = p->T, L = p->L;

    /* the weighted horizon: w(t) per period (model 1.1), else the scenario's weight */
    const double *w = f64(v, n, "model", "period_weight", T);
    int uniform = 1;
    p->horizon_h = 0;
    for (size_t t = 0; t < T; t++) {
        double wt = w ? w[t] : s->period_weight;
        p->horizon_h += wt * s->period_hours;
        if (w && w[t] != w[0])
            uniform = 0;
    }
    if (fabs(p->horizon_h - 8760.0) < 1e-6)
        snprintf(p->horizon, sizeof p->horizon, "a year");
    else if (uniform)
        snprintf(p->horizon, sizeof p->horizon,
                 "over the horizon of %zu periods of %g h x weight %g (%g h)", T, s->period_hours,
                 w && T ? w[0] : s->period_weight, p->horizon_h);
    else
        snprintf(p->horizon, sizeof p->horizon,
                 "over the weighted horizon of %zu periods of %g h (weights of periods.csv: %g h)", T,
                 s->period_hours, p->horizon_h);

    const double *cap = f64(v, n, "duals", "capacity", S * C * T);
    const double *res[RES_N] = {f64(v, n, "duals", "power_cap", S * T), f64(v, n, "duals", "green", S * T),
                                f64(v, n, "duals", "access", S * T)};
    const double *lk = L ? f64(v, n, "duals", "link_bandwidth", L * T) : NULL;
    const cn_h5_var *sh = var(v, n, "model", "site_hub");
    if (!cap || !res[0] || !res[1] || !res[2] || (L && !lk) || !sh || sh->kind != CN_H5V_INT || sh->n != S)
        return CN_ERR(CN_EDATA, "result file's /duals or /model/site_hub do not match its "
                      "coordinates (%zu sites, %zu types, %zu periods, %zu links)", S, C, T, L);
    if (!(p->site_cap = cn_calloc(S * C, sizeof(double))) ||
        !(p->site_res = cn_calloc(S * RES_N, sizeof(double))) ||
        !(p->hub_cap = cn_calloc((H + 1) * C, sizeof(double))) ||
        !(p->hub_res = cn_calloc((H + 1) * RES_N, sizeof(double))) ||
        !(p->hub_nsites = cn_calloc(H + 1, sizeof(int))) || !(p->link = cn_calloc(L, sizeof(double))) ||
        !(p->link_label = cn_calloc(L, sizeof(char *))))
        return CN_EOSERR;
    p->site_hub = sh->i;
    for (size_t i = 0; i < S; i++) {
        long long hub = sh->i[i];
        size_t hrow = hub >= 0 && (size_t)hub < H ? (size_t)hub : H;
        p->hub_nsites[hrow]++;
        for (size_t c = 0; c < C; c++) {
            p->site_cap[i * C + c] = horizon_saving(cap, i * C + c, T);
            p->hub_cap[hrow * C + c] += p->site_cap[i * C + c];
        }
        for (int r = 0; r < RES_N; r++) {
            p->site_res[i * RES_N + r] = horizon_saving(res[r], i, T);
            p->hub_res[hrow * RES_N + r] += p->site_res[i * RES_N + r];
        }
    }
    const cn_h5_var *lf = var(v, n, "model", "link_from"), *lt = var(v, n, "model", "link_to");
    for (size_t l = 0; l < L; l++) {
        char buf[300], a[24], b[24];
        p->link[l] = horizon_saving(lk, l, T);
        if (lf && lt && lf->kind == CN_H5V_INT && lt->kind == CN_H5V_INT && lf->n == L && lt->n == L &&
            p->region)
            snprintf(buf, sizeof buf, "%s-%s", label(p->region, (size_t)lf->i[l], a, sizeof a),
                     label(p->region, (size_t)lt->i[l], b, sizeof b));
        else
            snprintf(buf, sizeof buf, "%s", label(link, l, a, sizeof a));
        if (!(p->link_label[l] = cn_strdup(buf)))
            return CN_EOSERR;
    }
    const double *carbon = f64(v, n, "duals", "carbon", 1);
    p->carbon = carbon && isfinite(carbon[0]) && carbon[0] != 0 ? -carbon[0] : 0.0;
    p->hub_green = f64(v, n, "duals", "hub_green", H);
    return CN_OK;
}

/* A limit binds when one more unit over the horizon is worth at least half a
 * fen (0.005 yuan): smaller sums are the solver's round-off, printed as 0. */
static int binds(double v) { return fabs(v) >= 0.005; }

/* A value of a planner's table: "-" where the limit does not bind. */
static const char *cell(double v)
{
    static char buf[8][24];
    static int k;
    k = (k + 1) % 8;
    if (!binds(v))
        return "-";
    return eng(buf[k], sizeof buf[k], v);
}

typedef struct sentence {
    double value;
    char text[200];
} sentence;

static int by_value_desc(const void *a, const void *b)
{
    double x = fabs(((const sentence *)a)->value), y = fabs(((const sentence *)b)->value);
    return x < y ? 1 : x > y ? -1 : 0;
}

static void print_row(const char *id, const char *hub, const double *cap, const double *res, size_t C)
{
    printf("  %-20s %-20s", id, hub);
    for (size_t c = 0; c < C; c++)
        printf(" %11s", cell(cap[c]));
    printf(" %9s %9s %9s\n", cell(res[RES_POWER]), cell(res[RES_GREEN]), cell(res[RES_ACCESS]));
}

static void print_header(const char *first, const char *second, const planner *p)
{
    printf("  %-20s %-20s", "", "");
    for (size_t c = 0; c < p->C; c++)
        printf(" %11s", "compute");
    printf(" %9s %9s %9s\n", "power cap", "green", "access");
    printf("  %-20s %-20s", first, second);
    for (size_t c = 0; c < p->C; c++) {
        char b[24];
        printf(" %11.11s", label(p->type, c, b, sizeof b));
    }
    printf(" %9s %9s %9s\n", "power", "power", "fibre");
    printf("  %-20s %-20s", "", "");
    for (size_t c = 0; c < p->C; c++)
        printf(" %11s", "/PFLOPS");
    printf(" %9s %9s %9s\n", "/MW", "/MW", "/Gbps");
}

static int print_planner(const planner *p, const cn_h5_summary *s)
{
    size_t S = p->S, C = p->C, H = p->H;
    char b[24], h[24];
    printf("\nwhat one more unit of each limit, sustained over every period, saves: yuan %s\n"
           "(minus the sum over periods of the shadow price, which already includes each\n"
           " period's weight x %g h; docs/model.md section 8; - = does not bind)\n",
           p->horizon, s->period_hours);

    printf("\nper site (sites where a limit binds)\n");
    print_header("site", "hub", p);
    size_t shown = 0;
    for (size_t i = 0; i < S; i++) {
        int any = 0;
        for (size_t c = 0; c < C; c++)
            any |= binds(p->site_cap[i * C + c]);
        for (int r = 0; r < RES_N; r++)
            any |= binds(p->site_res[i * RES_N + r]);
        if (!any)
            continue;
        shown++;
        long long hub = p->site_hub[i];
        print_row(label(p->site, i, b, sizeof b),
                  hub >= 0 && (size_t)hub < H ? label(p->hub, (size_t)hub, h, sizeof h) : "-", &p->site_cap[i * C], &p->site_res[i * RES_N], C);
    }
    if (shown == 0)
        printf("  none: no site limit binds\n");
    else if (shown < S)
        printf("  (%zu other sites: no limit binds)\n", S - shown);

    printf("\nper hub (the sum over its sites: one more unit at each of them)\n");
    print_header("hub", "sites", p);
    for (size_t hh = 0; hh <= H; hh++) {
        if (hh == H && p->hub_nsites[H] == 0)
            continue;
        snprintf(h, sizeof h, "%d", p->hub_nsites[hh]);
        print_row(hh < H ? label(p->hub, hh, b, sizeof b) : "(no hub)", h, &p->hub_cap[hh * C],
                  &p->hub_res[hh * RES_N], C);
    }

    printf("\nbackbone fibre (links where the bandwidth binds; per Gbps on the link)\n");
    size_t nl = 0;
    for (size_t l = 0; l < p->L; l++)
        nl += binds(p->link[l]);
    sentence *ls = cn_calloc(nl + 1, sizeof *ls);
    if (!ls)
        return CN_EOSERR;
    nl = 0;
    for (size_t l = 0; l < p->L; l++)
        if (binds(p->link[l])) {
            ls[nl].value = p->link[l];
            snprintf(ls[nl].text, sizeof ls[nl].text, "%s", p->link_label[l]);
            nl++;
        }
    qsort(ls, nl, sizeof *ls, by_value_desc);
    if (nl == 0)
        printf("  none: no link's bandwidth binds\n");
    else
        printf("  %-41s %9s\n", "link", "/Gbps");
    for (size_t k = 0; k < nl; k++)
        printf("  %-41s %9s\n", ls[k].text, cell(ls[k].value));
    free(ls);

    if (binds(p->carbon))
        printf("\ncarbon cap binds: allowing 1 more tCO2 over the horizon saves %s yuan\n", ENG(p->carbon));
    int first = 1;
    for (size_t hh = 0; p->hub_green && hh < H; hh++)
        if (binds(p->hub_green[hh])) {
            /* >= 0: requiring one more MW-period of surplus costs this much (docs/hdf5-schema.md) */
            printf("%sgreen-share rule of %s binds: requiring 1 MW-period %s green surplus "
                   "saves %s yuan\n", first ? "\n" : "", label(p->hub, hh, b, sizeof b),
                   p->hub_green[hh] > 0 ? "less" : "more", ENG(fabs(p->hub_green[hh])));
            first = 0;
        }

    /* the largest, in words */
    size_t ns = S * (C + RES_N) + p->L, k = 0;
    sentence *st = cn_calloc(ns + 1, sizeof *st);
    if (!st)
        return CN_EOSERR;
    static const char *const what[RES_N] = {"MW of power cap", "MW of green power available",
                                             "Gbps of access fibre"};
    for (size_t i = 0; i < S; i++) {
        const char *id = label(p->site, i, b, sizeof b);
        for (size_t c = 0; c < C; c++)
            if (binds(p->site_cap[i * C + c])) {
                st[k].value = p->site_cap[i * C + c];
                snprintf(st[k].text, sizeof st[k].text, "PFLOPS of %s compute at %s",
                         label(p->type, c, h, sizeof h), id);
                k++;
            }
        for (int r = 0; r < RES_N; r++)
            if (binds(p->site_res[i * RES_N + r])) {
                st[k].value = p->site_res[i * RES_N + r];
                snprintf(st[k].text, sizeof st[k].text, "%s at %s", what[r], id);
                k++;
            }
    }
    for (size_t l = 0; l < p->L; l++)
        if (binds(p->link[l])) {
            st[k].value = p->link[l];
            snprintf(st[k].text, sizeof st[k].text, "Gbps of backbone fibre on %s", p->link_label[l]);
            k++;
        }
    qsort(st, k, sizeof *st, by_value_desc);
    printf("\nlargest, in words\n");
    if (k == 0)
        printf("  no limit binds\n");
    for (size_t j = 0; j < k && j < 8; j++)
        printf("  +1 %s %s %s yuan %s\n", st[j].text, st[j].value > 0 ? "saves" : "costs",
               ENG(fabs(st[j].value)), p->horizon);
    free(st);
    return CN_OK;
}

/* ---------------------------------------- the seasons of a multi-day result */

/* The bin of each calendar day: months from 1 January when the horizon has 90 days or
 * more, weeks from 14 days, else days (docs/report.md, "Seasons").  Writes label[b]
 * (room for days + 1 labels) and returns the number of bins. */
static long season_bins(long days, long *bin_of_day, char (*label)[32], const char **kind)
{
    static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    static const char *mn[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    long nb = 0;
    if (days >= 90) {
        *kind = "month";
        for (long d = 0, m = 0; d < days; m = (m + 1) % 12, nb++) {
            int len = md[m] + (m == 1 && days == 366);
            snprintf(label[nb], 32, "%s", mn[m]);
            for (int k = 0; k < len && d < days; k++)
                bin_of_day[d++] = nb;
        }
        return nb;
    }
    int week = days >= 14;
    *kind = week ? "week" : "day";
    for (long d = 0; d < days; d++) {
        bin_of_day[d] = week ? d / 7 : d;
        snprintf(label[bin_of_day[d]], 32, "%s %ld", week ? "week" : "day", bin_of_day[d] + 1);
    }
    return bin_of_day[days - 1] + 1;
}

static const long long *i64(const cn_h5_var *v, int n, const char *group, const char *name, size_t want)
{
    const cn_h5_var *x = var(v, n, group, name);
    return x && x->kind == CN_H5V_INT && x->n == want ? x->i : NULL;
}

/* Per month (week, day) of a result of whole days: east-to-west flow (average PFLOPS),
 * green share of all energy, and utilisation of each hub (load / capacity incl.
 * modules built), every period weighted by w(t).  Prints nothing for a horizon shorter
 * than two days or periods that are not hours.  Not collective. */
static int print_seasons(const cn_h5_var *v, int n, const cn_h5_summary *s)
{
    long T = s->periods, D = T / 24;
    if (s->period_hours != 1.0 || T % 24 || D < 2)
        return CN_OK;
    const cn_h5_var *xp = var(v, n, "solution", "x_pflops"), *rg = var(v, n, "", "region"),
                    *st_ = var(v, n, "", "site");
    size_t X = xp ? xp->n : 0, R = rg ? rg->n : 0, S = st_ ? st_->n : 0, H = (size_t)s->nhubs;
    const cn_h5_var *load = var(v, n, "solution", "site_load_pflops");
    size_t C = load && S ? load->n / (S * (size_t)T) : 0;
    const long long *xr = i64(v, n, "solution", "x_region", X), *xs = i64(v, n, "solution", "x_site", X),
                    *xt = i64(v, n, "solution", "x_period", X),
                    *rz = i64(v, n, "model", "region_zone", R), *sh = i64(v, n, "model", "site_hub", S),
                    *hz = i64(v, n, "model", "hub_zone", H);
    const double *pg = f64(v, n, "solution", "pg_mw", S * T), *pgr = f64(v, n, "solution", "pgr_mw", S * T),
                 *w = f64(v, n, "model", "period_weight", T);
    if (!xp || xp->kind != CN_H5V_F64 || !xr || !xs || !xt || !rz || !sh || !hz || !pg || !pgr || !w ||
        !load || load->kind != CN_H5V_F64 || C == 0) {
        printf("\nseasons  not shown: the file lacks a placement, power, load or weight dataset\n");
        return CN_OK;
    }
    long *bin = malloc((size_t)D * sizeof *bin);
    char (*label)[32] = calloc((size_t)D + 1, sizeof *label);
    double *e2w = calloc((size_t)T, sizeof *e2w);
    double *acc = calloc((size_t)(D + 1) * (4 + H), sizeof *acc);   /* per bin: w, e2w, green, all, hubs */
    if (!bin || !label || !e2w || !acc) {
        free(bin); free(label); free(e2w); free(acc);
        return CN_ERR(CN_EOSERR, "seasons: out of memory for %ld days", D);
    }
    const char *kind = "day";
    long nb = season_bins(D, bin, label, &kind);
    for (size_t i = 0; i < X; i++) {
        long long r = xr[i], st = xs[i], t = xt[i];
        if (r >= 0 && (size_t)r < R && st >= 0 && (size_t)st < S && t >= 0 && t < T && rz[r] == CN_ZONE_EAST &&
            sh[st] >= 0 && (size_t)sh[st] < H && hz[sh[st]] == CN_ZONE_WEST)
            e2w[t] += xp->f[i];
    }
    size_t W = 4 + H;
    for (long t = 0; t < T; t++) {
        double *a = &acc[(size_t)bin[t / 24] * W];
        a[0] += w[t];
        a[1] += w[t] * e2w[t];
        for (size_t i = 0; i < S; i++) {
            a[2] += w[t] * pgr[i * T + t];
            a[3] += w[t] * (pg[i * T + t] + pgr[i * T + t]);
            if (sh[i] >= 0 && (size_t)sh[i] < H)
                for (size_t c = 0; c < C; c++)
                    a[4 + sh[i]] += w[t] * load->f[(i * C + c) * T + t];
        }
    }
    printf("\nseasons (per %s of the horizon from 1 January, every period weighted by w(t);\n"
           "days = the days it stands for; utilisation = load / capacity incl. modules built)\n", kind);
    printf("  %-9s %7s %12s %7s", kind, "days", "east-to-west", "green");
    for (size_t h = 0; h < H; h++)
        printf(" %7.7s", s->hubs[h].id);
    printf("\n  %-9s %7s %12s %7s", "", "", "avg PFLOPS", "share");
    for (size_t h = 0; h < H; h++)
        printf(" %7s", "util");
    printf("\n");
    for (long b = 0; b < nb; b++) {
        const double *a = &acc[(size_t)b * W];
        printf("  %-9s %7.1f %12s %6.1f%%", label[b], a[0] / 24.0, a[0] > 0 ? ENG(a[1] / a[0]) : "-",
               pct(a[2], a[3]));
        for (size_t h = 0; h < H; h++) {
            double cap = s->hubs[h].capacity_pflops;
            if (cap > 0 && a[0] > 0)
                printf(" %6.1f%%", 100.0 * a[4 + h] / (cap * a[0]));
            else
                printf(" %7s", "-");
        }
        printf("\n");
    }
    free(bin); free(label); free(e2w); free(acc);
    return CN_OK;
}

int cmd_info(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': usage(stdout); return CN_OK;
        default: usage(stderr); return CN_EUSAGE;
        }
    }
    if (argc - optind != 1) {
        fprintf(stderr, "cnopt: info: expected one result file, got %d arguments\n", argc - optind);
        usage(stderr);
        return CN_EUSAGE;
    }
    const char *path = argv[optind];
    cn_h5_summary *s = NULL;
    int rc = cn_h5_read_summary(path, &s);
    if (rc != CN_OK) {
        cmd_report_failure(rc);
        return rc;
    }
    print_summary(path, s);
    rc = print_invest(s);
    if (rc != CN_OK) {
        cmd_report_failure(rc);
        cn_h5_summary_destroy(&s);
        return rc;
    }
    cn_h5_var *v = NULL;
    int nv = 0;
    planner p;
    memset(&p, 0, sizeof p);
    rc = cn_h5_read_vars(path, &v, &nv);
    if (rc == CN_OK)
        rc = print_seasons(v, nv, s);
    if (rc == CN_OK && !s->has_duals)
        printf("\nshadow prices  not in this file (no duals recorded)\n");
    else if (rc == CN_OK)
        rc = planner_build(v, nv, s, &p);
    if (rc == CN_OK && s->has_duals)
        rc = print_planner(&p, s);
    if (rc != CN_OK)
        cmd_report_failure(rc);
    planner_free(&p);
    cn_h5_vars_destroy(&v, nv);
    cn_h5_summary_destroy(&s);
    return rc;
}
