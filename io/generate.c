/* io/generate.c - see generate.h; the shape of the model is described in
 * docs/generator.md (keep the two in step). */
#include "generate.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../core/derive.h"
#include "outdir.h"
#include "parse_util.h"

#define PI 3.14159265358979323846
#define EARTH_KM 6371.0

/* ------------------------------------------------------------------ */
/* Random streams: xoshiro256** seeded through splitmix64.             */

typedef struct gen_rng {
    uint64_t s[4];
} gen_rng;

enum { ST_REGION = 1, ST_TOU, ST_WEATHER, ST_HUB, ST_SITE, ST_EXP, ST_DEMAND, ST_LINK,
       ST_COORD, ST_WEIGHT };  /* append only: a new stream changes no other */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* The stream of entity `index` of kind `stream`: independent of every other. */
static void rng_init(gen_rng *g, uint64_t seed, uint64_t stream, uint64_t index)
{
    uint64_t x = seed ^ 0x5851f42d4c957f2dULL;
    uint64_t a = splitmix64(&x);
    x = a + stream * 0xd1342543de82ef95ULL;
    uint64_t b = splitmix64(&x);
    x = b ^ (index * 0xbf58476d1ce4e5b9ULL + 0x2545f4914f6cdd1dULL);
    for (int i = 0; i < 4; i++)
        g->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rng_next(gen_rng *g)
{
    uint64_t *s = g->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static double rng_u01(gen_rng *g) { return (double)(rng_next(g) >> 11) * 0x1.0p-53; }
static double rng_unif(gen_rng *g, double a, double b) { return a + (b - a) * rng_u01(g); }
static int rng_int(gen_rng *g, int n) { return (int)(rng_u01(g) * n); }  /* 0..n-1 */

static double rng_normal(gen_rng *g)
{
    double u1 = 1.0 - rng_u01(g); /* (0, 1] */
    double u2 = rng_u01(g);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * PI * u2);
}

/* ------------------------------------------------------------------ */
/* Fixed data: provinces, hubs, compute types, demand classes.         */

/* One provincial region (capital city coordinates).  dw: relative demand
 * (digital-economy size); price: industrial grid price, yuan/MWh; co2: grid
 * emission factor, tCO2/MWh; solar/wind/hydro: green resource quality 0..1;
 * bonus: extra weight for building data centres there (west, hubs). */
typedef struct prov {
    const char *id, *name;
    double lat, lon;
    int west;
    double dw, price, co2, solar, wind, hydro, bonus;
} prov;

/* West = the 12 provinces of the Western Development programme.  The order
 * interleaves east and west so that --regions R < 31 keeps both. */
static const prov PROVS[31] = {
    {"guangdong", "Guangdong", 23.13, 113.26, 0, 12.0, 720, 0.50, 0.45, 0.30, 0.10, 0},
    {"neimenggu", "Inner Mongolia", 40.84, 111.75, 1, 1.0, 380, 0.85, 0.80, 0.90, 0.00, 6},
    {"beijing", "Beijing", 39.90, 116.41, 0, 10.0, 690, 0.58, 0.55, 0.30, 0.00, 0},
    {"guizhou", "Guizhou", 26.65, 106.63, 1, 1.0, 450, 0.55, 0.40, 0.30, 0.35, 6},
    {"shanghai", "Shanghai", 31.23, 121.47, 0, 9.0, 720, 0.62, 0.45, 0.25, 0.00, 0},
    {"ningxia", "Ningxia", 38.49, 106.23, 1, 0.3, 360, 0.75, 0.85, 0.70, 0.02, 6},
    {"jiangsu", "Jiangsu", 32.06, 118.80, 0, 9.0, 660, 0.68, 0.50, 0.35, 0.00, 0},
    {"gansu", "Gansu", 36.06, 103.83, 1, 0.6, 400, 0.55, 0.85, 0.75, 0.15, 6},
    {"zhejiang", "Zhejiang", 30.27, 120.16, 0, 8.0, 680, 0.60, 0.45, 0.25, 0.05, 0},
    {"sichuan", "Sichuan", 30.57, 104.07, 1, 4.0, 480, 0.15, 0.40, 0.25, 0.75, 3},
    {"shandong", "Shandong", 36.65, 117.12, 0, 6.0, 630, 0.85, 0.55, 0.40, 0.00, 0},
    {"chongqing", "Chongqing", 29.56, 106.55, 1, 2.5, 560, 0.45, 0.30, 0.20, 0.40, 1.5},
    {"hubei", "Hubei", 30.59, 114.31, 0, 4.0, 620, 0.45, 0.45, 0.25, 0.35, 0},
    {"shaanxi", "Shaanxi", 34.34, 108.94, 1, 2.5, 500, 0.75, 0.55, 0.35, 0.05, 1.5},
    {"fujian", "Fujian", 26.07, 119.30, 0, 4.0, 600, 0.45, 0.45, 0.40, 0.20, 0},
    {"yunnan", "Yunnan", 25.04, 102.71, 1, 1.2, 420, 0.12, 0.65, 0.40, 0.70, 1.5},
    {"henan", "Henan", 34.75, 113.62, 0, 4.0, 580, 0.80, 0.50, 0.35, 0.05, 0},
    {"guangxi", "Guangxi", 22.82, 108.37, 1, 1.5, 540, 0.45, 0.45, 0.30, 0.35, 1.5},
    {"hunan", "Hunan", 28.23, 112.94, 0, 3.0, 640, 0.50, 0.40, 0.25, 0.30, 0},
    {"xinjiang", "Xinjiang", 43.83, 87.62, 1, 0.8, 350, 0.70, 0.85, 0.80, 0.05, 1.5},
    {"anhui", "Anhui", 31.82, 117.23, 0, 3.0, 610, 0.75, 0.50, 0.30, 0.05, 0},
    {"qinghai", "Qinghai", 36.62, 101.78, 1, 0.3, 340, 0.20, 0.90, 0.55, 0.45, 1.5},
    {"hebei", "Hebei", 38.04, 114.51, 0, 3.0, 560, 0.88, 0.60, 0.60, 0.00, 0},
    {"xizang", "Tibet", 29.65, 91.13, 1, 0.2, 450, 0.10, 0.95, 0.40, 0.50, 0.5},
    {"tianjin", "Tianjin", 39.13, 117.20, 0, 2.5, 650, 0.85, 0.55, 0.40, 0.00, 0},
    {"liaoning", "Liaoning", 41.80, 123.43, 0, 2.5, 580, 0.78, 0.50, 0.50, 0.02, 0},
    {"jiangxi", "Jiangxi", 28.68, 115.86, 0, 2.0, 620, 0.65, 0.45, 0.25, 0.15, 0},
    {"shanxi", "Shanxi", 37.87, 112.55, 0, 1.5, 480, 0.85, 0.60, 0.45, 0.00, 0},
    {"heilongjiang", "Heilongjiang", 45.80, 126.53, 0, 1.0, 560, 0.75, 0.50, 0.55, 0.03, 0},
    {"jilin", "Jilin", 43.82, 125.32, 0, 1.0, 560, 0.75, 0.55, 0.60, 0.05, 0},
    {"hainan", "Hainan", 20.04, 110.35, 0, 0.6, 650, 0.45, 0.60, 0.40, 0.05, 0},
};
#define NPROV 31

/* The eight national hub nodes of the East-Data-West-Computing programme:
 * home province (index into PROVS), cluster location, base green share. */
typedef struct hubdef {
    const char *id, *name;
    int west, prov;
    double lat, lon;
    double min_green;   /* < 0: no requirement */
} hubdef;

static const hubdef HUBS[8] = {
    {"jjj", "Beijing-Tianjin-Hebei hub (Zhangjiakou)", 0, 22, 40.77, 114.88, 0.30},
    {"yrd", "Yangtze River Delta hub (Wuhu)", 0, 6, 31.35, 118.43, 0.20},
    {"gba", "Guangdong-Hong Kong-Macao hub (Shaoguan)", 0, 0, 24.81, 113.60, -1},
    {"cy", "Chengdu-Chongqing hub (Tianfu)", 0, 9, 30.40, 104.07, 0.50},
    {"nmg", "Inner Mongolia hub (Horinger)", 1, 1, 40.38, 111.82, 0.60},
    {"gz", "Guizhou hub (Gui'an)", 1, 3, 26.37, 106.43, 0.55},
    {"gs", "Gansu hub (Qingyang)", 1, 7, 35.71, 107.64, 0.60},
    {"nx", "Ningxia hub (Zhongwei)", 1, 5, 37.51, 105.19, 0.65},
};
#define NHUBS 8

/* Compute types: MW of IT power per PFLOPS (AI types: dense FP16/BF16; cpu
 * and vec: FP64), annualised capital cost per MW of IT, yuan/year, and the
 * chance that a site hosts the type. */
typedef struct typedef_ {
    const char *id;
    double mw, capex_mw_yr, prob;
} typedef_;

static const typedef_ TYPES[CN_GEN_MAX_TYPES] = {
    {"gpu", 0.0016, 30e6, 0.70}, {"cpu", 0.25, 12e6, 0.80},  {"npu", 0.0022, 25e6, 0.45},
    {"infer", 0.0010, 20e6, 0.30}, {"vec", 0.012, 25e6, 0.25}, {"fpga", 0.02, 15e6, 0.20},
    {"gpu2", 0.0011, 35e6, 0.25}, {"npu2", 0.0018, 28e6, 0.25},
};

enum { SHAPE_INTERACTIVE, SHAPE_FLAT, SHAPE_OFFICE };

/* Demand class templates.  Type is an index into TYPES (taken modulo C);
 * gbps_mw: traffic per MW of IT load (gbps_per_pflops = gbps_mw * mw);
 * penalty_mult: penalty = penalty_mult * 1000 yuan/MWh * mw per PFLOPS-hour;
 * weight: share of its type's demand; expo: concentration of demand in big
 * regions (share ~ dw^expo); move: share of east traffic that could go west
 * (sizes the east-west bottleneck links). */
typedef struct classdef {
    const char *id, *name;
    int type;
    double max_rtt, gbps_mw;
    long window;
    double penalty_mult, weight, expo, move;
    int shape;
} classdef;

static const classdef CLASSES[6] = {
    {"rt", "real-time inference (driving assistance, cloud gaming)", 0, 10, 120, 1, 12, 0.20, 1.3,
     0.0, SHAPE_INTERACTIVE},
    {"inf", "online AI inference", 2, 50, 30, 1, 8, 0.40, 1.1, 0.5, SHAPE_INTERACTIVE},
    {"train", "AI model training (batch)", 0, 250, 3, 24, 5, 0.50, 1.0, 0.6, SHAPE_FLAT},
    {"hpc", "scientific computing (batch)", 1, 250, 8, 8, 3, 0.60, 1.0, 0.6, SHAPE_OFFICE},
    {"web", "cloud services (interactive)", 1, 20, 50, 1, 4, 0.40, 1.1, 0.0, SHAPE_INTERACTIVE},
    {"render", "video rendering (batch)", 0, 150, 15, 6, 4, 0.20, 1.0, 0.6, SHAPE_OFFICE},
};

/* Interactive load by hour of day (Beijing time), peak 1. */
static const double SHAPE_HOURLY[24] = {0.45, 0.38, 0.33, 0.30, 0.29, 0.31, 0.38, 0.52,
                                        0.70, 0.85, 0.93, 0.96, 0.92, 0.90, 0.93, 0.95,
                                        0.94, 0.92, 0.90, 0.94, 1.00, 0.98, 0.85, 0.65};

static const char *const FILES[] = {"types.csv",   "regions.csv",  "hubs.csv",
                                    "sites.csv",   "capacity.csv", "links.csv",
                                    "classes.csv", "demand.csv",   "profiles.csv",
                                    "expansions.csv", "scenario.yaml", "periods.csv"};
#define FILE_PERIODS (NFILES - 1)   /* written only with o->weights */
#define NFILES ((int)(sizeof FILES / sizeof FILES[0]))

/* ------------------------------------------------------------------ */
/* Generator state.                                                    */

typedef struct greg {
    char id[40], name[48];
    double lat, lon;
    int west;
    double dw, price, co2, solar, wind, hydro, site_w;
    double valley, peak;   /* time-of-use factors */
    int midday_valley;     /* solar-rich: cheap at noon, dear in the evening */
} greg;

typedef struct gsite {
    int region, hub;
    double pue, it_mw;
    int has_power_cap;
    double power_cap_mw, grid_price, green_price, green_cap_mw, grid_co2, access_rtt_ms;
    double access_gbps;
    double mix_solar, mix_wind, mix_hydro;
    unsigned types;        /* bit c: a capacity row of type c */
    double cap[CN_GEN_MAX_TYPES];
    int exp_type;          /* -1: no expansion row */
    double exp_pflops, exp_mw, exp_cost;
    long exp_max;
} gsite;

typedef struct glink {
    int a, b;              /* a < b */
    double km, rtt_ms, cost;
    int has_gbps;
    double gbps;
} glink;

typedef struct gclass {
    char id[32];
    const char *name;
    int type, shape;
    double max_rtt, gbps_pp, penalty, weight, expo, move;
    long window;
    double total;          /* peak demand, PFLOPS */
} gclass;

typedef struct ghub {
    int home;              /* region index */
    int has_min;
    double min_green;
} ghub;

typedef struct gen {
    const cn_gen_opts *o;
    int R, S, C, K;
    long T;
    greg *reg;
    ghub hub[NHUBS];
    gclass *cls;
    int nlinks;
    glink *links;
    double *sorted;        /* [d][i]: backbone RTT(., d), ms, ascending */
    int *order;            /* [d][i]: the region of sorted[d][i] */
    double *site_cum;      /* [r] cumulative site weights */
    gsite *sites;
    int sites_cap;
    double *base;          /* [r][k] peak demand, PFLOPS */
    float *sol, *wnd;      /* [r][t] solar (0..1 incl. clouds), wind (0..1) */
    int64_t nx;
    int bad;               /* a non-finite number reached a file */
} gen;

/* Round to a multiple of step and back through text, so that the value in
 * memory is exactly the value the reader will parse (eligibility of x
 * depends on rtt sums, see count_site). */
static double q(double x, double step)
{
    double v = round(x / step) * step;
    char buf[40];
    snprintf(buf, sizeof buf, "%.9g", v);
    return strtod(buf, NULL) + 0.0; /* + 0.0: no "-0" */
}

static double clamp(double x, double lo, double hi) { return x < lo ? lo : (x > hi ? hi : x); }

static double km_between(double lat1, double lon1, double lat2, double lon2)
{
    double p1 = lat1 * PI / 180, p2 = lat2 * PI / 180;
    double dp = p2 - p1, dl = (lon2 - lon1) * PI / 180;
    double h = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    return 2 * EARTH_KM * asin(sqrt(clamp(h, 0, 1)));
}

/* ------------------------------------------------------------------ */
/* Regions, hubs, types, classes.                                      */

static int regions_make(gen *g)
{
    g->reg = cn_calloc((size_t)g->R, sizeof *g->reg);
    if (!g->reg)
        return CN_EOSERR;
    int clones[NPROV];
    for (int p = 0; p < NPROV; p++)
        clones[p] = 1;
    double wsum = 0;
    for (int p = 0; p < NPROV; p++)
        wsum += PROVS[p].dw + PROVS[p].bonus;
    for (int j = 0; j < g->R; j++) {
        greg *r = &g->reg[j];
        gen_rng rg;
        rng_init(&rg, g->o->seed, ST_REGION, (uint64_t)j);
        int p = j;
        double f_dw = 1, f_bonus = 1, dlat = 0, dlon = 0;
        if (j >= NPROV) {
            /* a further region of a province, e.g. a prefecture-level city */
            double u = rng_u01(&rg) * wsum;
            for (p = 0; p < NPROV - 1 && u >= PROVS[p].dw + PROVS[p].bonus; p++)
                u -= PROVS[p].dw + PROVS[p].bonus;
            clones[p]++;
            f_dw = rng_unif(&rg, 0.15, 0.5);
            f_bonus = rng_unif(&rg, 0.3, 0.8);
            dlat = rng_unif(&rg, -1.2, 1.2);
            dlon = rng_unif(&rg, -1.5, 1.5);
        }
        const prov *pv = &PROVS[p];
        if (j < NPROV) {
            snprintf(r->id, sizeof r->id, "%s", pv->id);
            snprintf(r->name, sizeof r->name, "%s", pv->name);
        } else {
            snprintf(r->id, sizeof r->id, "%s-%d", pv->id, clones[p]);
            snprintf(r->name, sizeof r->name, "%s %d", pv->name, clones[p]);
        }
        r->lat = q(pv->lat + dlat, 1e-4);
        r->lon = q(pv->lon + dlon, 1e-4);
        r->west = pv->west;
        r->dw = pv->dw * f_dw;
        double jit = j >= NPROV ? rng_unif(&rg, 0.95, 1.05) : 1.0;
        r->price = pv->price * jit;
        r->co2 = pv->co2 * jit;
        r->solar = clamp(pv->solar * jit, 0, 1);
        r->wind = clamp(pv->wind * jit, 0, 1);
        r->hydro = clamp(pv->hydro * jit, 0, 1);
        r->site_w = pv->dw * f_dw + pv->bonus * f_bonus;

        gen_rng rt;
        rng_init(&rt, g->o->seed, ST_TOU, (uint64_t)j);
        r->valley = q(rng_unif(&rt, 0.35, 0.5), 0.001);
        r->peak = q(rng_unif(&rt, 1.45, 1.75), 0.001);
        r->midday_valley = r->west && r->solar >= 0.8;
    }
    g->site_cum = cn_calloc((size_t)g->R, sizeof *g->site_cum);
    if (!g->site_cum)
        return CN_EOSERR;
    double c = 0;
    for (int j = 0; j < g->R; j++)
        g->site_cum[j] = c += g->reg[j].site_w;
    return CN_OK;
}

static void hubs_make(gen *g)
{
    for (int h = 0; h < NHUBS; h++) {
        const hubdef *hd = &HUBS[h];
        ghub *hb = &g->hub[h];
        if (hd->prov < g->R) {
            hb->home = hd->prov;
        } else { /* province not generated: the nearest region hosts it */
            double best = INFINITY;
            for (int j = 0; j < g->R; j++) {
                double km = km_between(hd->lat, hd->lon, g->reg[j].lat, g->reg[j].lon);
                if (km < best) {
                    best = km;
                    hb->home = j;
                }
            }
        }
        gen_rng rh;
        rng_init(&rh, g->o->seed, ST_HUB, (uint64_t)h);
        hb->has_min = hd->min_green >= 0;
        hb->min_green = hb->has_min ? q(clamp(hd->min_green + rng_unif(&rh, -0.05, 0.05), 0, 1), 0.01)
                                    : 0;
    }
}

static int classes_make(gen *g)
{
    g->cls = cn_calloc((size_t)g->K, sizeof *g->cls);
    if (!g->cls)
        return CN_EOSERR;
    for (int k = 0; k < g->K; k++) {
        const classdef *cd = &CLASSES[k % 6];
        gclass *c = &g->cls[k];
        if (k < 6)
            snprintf(c->id, sizeof c->id, "%s", cd->id);
        else
            snprintf(c->id, sizeof c->id, "%s-%d", cd->id, k / 6 + 1);
        c->name = cd->name;
        /* the first classes keep their template type; later copies spread
         * over every type so that --types C > 3 is used */
        c->type = (k < 6 ? cd->type : k) % g->C;
        double mw = TYPES[c->type].mw;
        c->max_rtt = cd->max_rtt;
        c->gbps_pp = q(cd->gbps_mw * mw, 1e-6);
        c->window = cd->window;
        c->penalty = q(cd->penalty_mult * 1000.0 * mw, 0.01);
        c->weight = cd->weight;
        c->expo = cd->expo;
        c->move = cd->move;
        c->shape = cd->shape;
    }
    return CN_OK;
}

/* ------------------------------------------------------------------ */
/* Backbone: minimum spanning tree plus each region's two nearest      */
/* neighbours on the map; RTT and cost from great-circle distance.     */

static int link_cmp(const void *pa, const void *pb)
{
    const glink *a = pa, *b = pb;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return (a->b > b->b) - (a->b < b->b);
}

static void link_add(gen *g, int i, int j)
{
    glink *l = &g->links[g->nlinks++];
    l->a = i < j ? i : j;
    l->b = i < j ? j : i;
}

static int links_make(gen *g)
{
    int R = g->R, rc = CN_OK;
    double *best = NULL;
    int *parent = NULL;
    char *in = NULL;
    g->links = cn_calloc((size_t)R * 3 + 1, sizeof *g->links);
    best = cn_calloc((size_t)R, sizeof *best);
    parent = cn_calloc((size_t)R, sizeof *parent);
    in = cn_calloc((size_t)R, 1);
    if (!g->links || !best || !parent || !in) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    /* Prim, O(R^2) */
    for (int j = 0; j < R; j++) {
        best[j] = INFINITY;
        parent[j] = -1;
    }
    best[0] = 0;
    for (int it = 0; it < R; it++) {
        int u = -1;
        for (int j = 0; j < R; j++)
            if (!in[j] && (u < 0 || best[j] < best[u]))
                u = j;
        in[u] = 1;
        if (parent[u] >= 0)
            link_add(g, u, parent[u]);
        for (int j = 0; j < R; j++) {
            if (in[j])
                continue;
            double km = km_between(g->reg[u].lat, g->reg[u].lon, g->reg[j].lat, g->reg[j].lon);
            if (km < best[j]) {
                best[j] = km;
                parent[j] = u;
            }
        }
    }
    /* two nearest neighbours: redundancy on the map */
    for (int i = 0; i < R; i++) {
        int n1 = -1, n2 = -1;
        double d1 = INFINITY, d2 = INFINITY;
        for (int j = 0; j < R; j++) {
            if (j == i)
                continue;
            double km = km_between(g->reg[i].lat, g->reg[i].lon, g->reg[j].lat, g->reg[j].lon);
            if (km < d1) {
                n2 = n1;
                d2 = d1;
                n1 = j;
                d1 = km;
            } else if (km < d2) {
                n2 = j;
                d2 = km;
            }
        }
        if (n1 >= 0)
            link_add(g, i, n1);
        if (n2 >= 0)
            link_add(g, i, n2);
    }
    qsort(g->links, (size_t)g->nlinks, sizeof *g->links, link_cmp);
    int n = 0;
    for (int l = 0; l < g->nlinks; l++)
        if (n == 0 || link_cmp(&g->links[n - 1], &g->links[l]) != 0)
            g->links[n++] = g->links[l];
    g->nlinks = n;
    for (int l = 0; l < n; l++) {
        glink *k = &g->links[l];
        k->km = km_between(g->reg[k->a].lat, g->reg[k->a].lon, g->reg[k->b].lat, g->reg[k->b].lon);
        /* fibre runs ~1.5x the great circle at 5 us/km, plus switching */
        k->rtt_ms = q(0.5 + 0.015 * k->km, 0.01);
        k->cost = q(0.2 + 0.0025 * k->km, 0.01);
    }
cleanup:
    free(best);
    free(parent);
    free(in);
    return rc;
}

typedef struct dpair {
    double d;
    int r;
} dpair;

static int dpair_cmp(const void *pa, const void *pb)
{
    const dpair *a = pa, *b = pb;
    if (a->d != b->d)
        return a->d < b->d ? -1 : 1;
    return (a->r > b->r) - (a->r < b->r);
}

/* Backbone RTT by the routing rule of core/derive.h (the one cnopt solves
 * with, so that counts and demand reach are the reader's), then for each
 * destination d the regions in order of RTT to d. */
static int routes_make(gen *g)
{
    int R = g->R, L = g->nlinks, rc = CN_OK;
    cn_link *lk = NULL;
    cn_routes *rt = NULL;
    dpair *pairs = NULL;
    size_t RR = (size_t)R * (size_t)R;
    g->sorted = cn_calloc(RR, sizeof *g->sorted);
    g->order = cn_calloc(RR, sizeof *g->order);
    pairs = cn_calloc((size_t)R, sizeof *pairs);
    lk = cn_calloc((size_t)L + 1, sizeof *lk);
    if (!g->sorted || !g->order || !pairs || !lk) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    for (int l = 0; l < L; l++) {   /* as links.csv will hold them */
        lk[l].from = g->links[l].a;
        lk[l].to = g->links[l].b;
        lk[l].rtt_ms = g->links[l].rtt_ms;
        lk[l].cost = g->links[l].cost;
    }
    CN_TRY(cn_routes_create(R, lk, L, &rt));
    for (int dst = 0; dst < R; dst++) {
        for (int r = 0; r < R; r++) {
            pairs[r].d = rt->rtt_ms[(size_t)r * R + dst];
            pairs[r].r = r;
        }
        qsort(pairs, (size_t)R, sizeof *pairs, dpair_cmp);
        for (int i = 0; i < R; i++) {
            g->sorted[(size_t)dst * R + i] = pairs[i].d;
            g->order[(size_t)dst * R + i] = pairs[i].r;
        }
    }
cleanup:
    cn_routes_destroy(&rt);
    free(pairs);
    free(lk);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Sites.                                                              */

static void site_make(gen *g, int i, gsite *s)
{
    gen_rng rg;
    rng_init(&rg, g->o->seed, ST_SITE, (uint64_t)i);
    memset(s, 0, sizeof *s);
    if (i < g->R) {
        s->region = i; /* every region gets a site first */
    } else {
        double u = rng_u01(&rg) * g->site_cum[g->R - 1];
        int lo = 0, hi = g->R - 1;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (g->site_cum[mid] > u)
                hi = mid;
            else
                lo = mid + 1;
        }
        s->region = lo;
    }
    const greg *r = &g->reg[s->region];
    int west = r->west;

    int homes[NHUBS], nh = 0;
    for (int h = 0; h < NHUBS; h++)
        if (g->hub[h].home == s->region)
            homes[nh++] = h;
    double uh = rng_u01(&rg);
    s->hub = nh > 0 && uh < 0.7 ? homes[rng_int(&rg, nh)] : -1;
    int hub = s->hub >= 0;

    s->pue = q(hub ? (west ? rng_unif(&rg, 1.12, 1.22) : rng_unif(&rg, 1.18, 1.28))
                   : (west ? rng_unif(&rg, 1.2, 1.4) : rng_unif(&rg, 1.3, 1.6)),
               0.01);
    double median = (west ? 35.0 : 12.0) * (hub ? 1.5 : 1.0);
    s->it_mw = q(clamp(median * exp(0.6 * rng_normal(&rg)), 2, 400), 0.1);

    double wsum = 0, w[CN_GEN_MAX_TYPES];
    for (int c = 0; c < g->C; c++) {
        double u = rng_u01(&rg);
        w[c] = rng_unif(&rg, 0.5, 1.5);
        if (u < TYPES[c].prob)
            s->types |= 1u << c;
    }
    if (!s->types)
        s->types = 1u << (i % g->C);
    for (int c = 0; c < g->C; c++)
        if (s->types & (1u << c))
            wsum += w[c];
    for (int c = 0; c < g->C; c++)
        if (s->types & (1u << c))
            s->cap[c] = s->it_mw * w[c] / wsum / TYPES[c].mw;

    double facility = s->it_mw * s->pue;
    double ucap = rng_u01(&rg);
    if (west) { /* large sites, often unconstrained */
        s->has_power_cap = ucap >= 0.25;
        s->power_cap_mw = q(facility * rng_unif(&rg, 1.0, 1.3), 0.1);
    } else {    /* tight power allocations in the east */
        s->has_power_cap = 1;
        s->power_cap_mw = q(facility * rng_unif(&rg, 0.75, 0.95), 0.1);
    }
    s->grid_price = q(r->price * rng_unif(&rg, 0.93, 1.07), 1);
    s->green_price = q(r->price * (west ? rng_unif(&rg, 0.55, 0.75) : rng_unif(&rg, 0.85, 1.05)), 1);
    s->green_cap_mw = q(west ? facility * rng_unif(&rg, 0.5, 1.4) * (hub ? 1.2 : 1.0)
                             : facility * rng_unif(&rg, 0.05, 0.35),
                        0.1);
    s->grid_co2 = q(r->co2 * rng_unif(&rg, 0.95, 1.05), 0.001);
    s->access_rtt_ms = q(rng_unif(&rg, 0.3, 2.5) + (hub ? rng_unif(&rg, 0, 2) : 0), 0.01);
    s->access_gbps = q(fmax(1, s->it_mw * (west ? rng_unif(&rg, 20, 40) : rng_unif(&rg, 60, 120))), 1);
    double a = r->solar * rng_unif(&rg, 0.5, 1.5);
    double b = r->wind * rng_unif(&rg, 0.5, 1.5);
    double c = r->hydro * rng_unif(&rg, 0.5, 1.5) + 0.02;
    s->mix_solar = a / (a + b + c);
    s->mix_wind = b / (a + b + c);
    s->mix_hydro = c / (a + b + c);

    /* expansion modules: their own stream, so that --expansions (which only
     * switches the MIP on) never changes anything else */
    gen_rng re;
    rng_init(&re, g->o->seed, ST_EXP, (uint64_t)i);
    s->exp_type = -1;
    if (rng_u01(&re) < (west ? 0.5 : 0.25)) {
        int present[CN_GEN_MAX_TYPES], np = 0;
        for (int t = 0; t < g->C; t++)
            if (s->types & (1u << t))
                present[np++] = t;
        int ct = rng_u01(&re) < 0.8 ? present[rng_int(&re, np)] : rng_int(&re, g->C);
        static const double MOD_E[3] = {5, 10, 20}, MOD_W[3] = {10, 20, 40};
        double mod_it = (west ? MOD_W : MOD_E)[rng_int(&re, 3)];
        s->exp_type = ct;
        s->exp_pflops = q(mod_it / TYPES[ct].mw, 0.1);
        s->exp_mw = q(mod_it * s->pue, 0.01);
        s->exp_cost = q(mod_it * TYPES[ct].capex_mw_yr * (west ? 1.0 : 1.15), 1000);
        s->exp_max = 1 + rng_int(&re, 5);
    }
}

/* Regions r with RTT(r, s) <= max_rtt: over the sorted column of s's region. */
static int64_t count_near(const gen *g, int d, double access, double max_rtt)
{
    const double *col = &g->sorted[(size_t)d * g->R];
    int lo = 0, hi = g->R; /* first index failing the test */
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (col[mid] + access <= max_rtt + CN_RTT_TOL)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* x variables of site s (spec section 5): every (r, k, b) has D > 0, so
 * x[r,s,k,t] exists for every t once s is eligible for (r, k). */
static int64_t count_site(const gen *g, const gsite *s)
{
    int64_t n = 0;
    for (int k = 0; k < g->K; k++) {
        int c = g->cls[k].type;
        int has = (s->types & (1u << c)) || (g->o->expansions && s->exp_type == c);
        if (has)
            n += count_near(g, s->region, s->access_rtt_ms, g->cls[k].max_rtt);
    }
    return n * g->T;
}

static int sites_make(gen *g)
{
    int64_t target = g->o->target_vars;
    int want = target > 0 ? CN_GEN_MAX_SITES : g->o->sites;
    /* a site contributes at most R * K * T: refuse hopeless targets early */
    if (target > 0 && (double)target > (double)CN_GEN_MAX_SITES * g->R * g->K * (double)g->T)
        return CN_ERR(CN_EUSAGE,
                      "target of %" PRId64 " variables is out of reach with %d regions, "
                      "%d classes and %ld periods",
                      target, g->R, g->K, g->T);
    g->nx = 0;
    for (int i = 0; i < want; i++) {
        if (i == g->sites_cap) {
            int ncap = g->sites_cap ? (g->sites_cap > want / 2 ? want : g->sites_cap * 2) : 64;
            if (ncap > want)
                ncap = want;
            gsite *p = cn_realloc(g->sites, (size_t)ncap, sizeof *p);
            if (!p)
                return CN_EOSERR;
            g->sites = p;
            g->sites_cap = ncap;
        }
        site_make(g, i, &g->sites[i]);
        int64_t n = count_site(g, &g->sites[i]);
        if (target > 0 && g->nx + n >= target) {
            /* keep site i only when that lands closer to the target */
            if (i == 0 || g->nx + n - target <= target - g->nx) {
                g->nx += n;
                g->S = i + 1;
            } else {
                g->S = i;
            }
            return CN_OK;
        }
        g->nx += n;
        g->S = i + 1;
    }
    if (target > 0)
        return CN_ERR(CN_EUSAGE,
                      "target of %" PRId64 " variables is out of reach: %d sites give %" PRId64
                      " (raise --periods, --regions or --classes)",
                      target, g->S, g->nx);
    return CN_OK;
}

/* ------------------------------------------------------------------ */
/* Demand, bandwidth, weather.                                         */

/* Peak demand of class k in region r: the class's share of 85% of its
 * type's capacity, spread over regions by demand weight, but at most 85% of
 * what the sites within max_rtt of r can give it.  Each site's capacity is
 * split over the regions that reach it in proportion to their demand
 * weight.  Batch classes reach everything and are never clipped; a
 * real-time class gets what stands near its cities, so it is mostly
 * servable and crowds the other classes of its type out of the east.  Most
 * demand is east while most capacity is west: work moves west where
 * latency allows and the east-west links bind. */
static int demand_make(gen *g)
{
    int R = g->R, K = g->K, rc = CN_OK;
    double *share = NULL, *reach = NULL;
    g->base = cn_calloc((size_t)R * K, sizeof *g->base);
    share = cn_calloc((size_t)R, sizeof *share);
    reach = cn_calloc((size_t)R, sizeof *reach);
    if (!g->base || !share || !reach) {
        rc = CN_EOSERR;
        goto cleanup;
    }
    double wsum[CN_GEN_MAX_TYPES] = {0}, capsum[CN_GEN_MAX_TYPES] = {0};
    for (int k = 0; k < K; k++)
        wsum[g->cls[k].type] += g->cls[k].weight;
    for (int i = 0; i < g->S; i++)
        for (int c = 0; c < g->C; c++)
            capsum[c] += g->sites[i].cap[c];
    for (int k = 0; k < K; k++) {
        gclass *c = &g->cls[k];
        int t = c->type;
        double ssum = 0;
        for (int r = 0; r < R; r++)
            ssum += share[r] = pow(g->reg[r].dw, c->expo);
        for (int r = 0; r < R; r++) {
            share[r] /= ssum;
            reach[r] = 0;
        }
        for (int i = 0; i < g->S; i++) {
            const gsite *s = &g->sites[i];
            if (!(s->cap[t] > 0))
                continue;
            const int *ord = &g->order[(size_t)s->region * R];
            int64_t n = count_near(g, s->region, s->access_rtt_ms, c->max_rtt);
            double den = 0;
            for (int64_t j = 0; j < n; j++)
                den += share[ord[j]];
            for (int64_t j = 0; j < n && den > 0; j++)
                reach[ord[j]] += s->cap[t] * share[ord[j]] / den;
        }
        double frac = 0.85 * c->weight / wsum[t];
        double nominal = frac * (capsum[t] > 0 ? capsum[t] : 10.0 / TYPES[t].mw);
        c->total = 0;
        for (int r = 0; r < R; r++) {
            double v = nominal * share[r];
            if (frac * reach[r] < v)
                v = frac * reach[r];
            /* a trickle where nothing is in reach: the demand row stays */
            if (v < 1e-3 * nominal * share[r])
                v = 1e-3 * nominal * share[r];
            g->base[(size_t)r * K + k] = v;
            c->total += v;
        }
    }
cleanup:
    free(share);
    free(reach);
    return rc;
}

/* Bandwidth: links inside the east are unlimited (dense metro/backbone
 * fibre); east-west links are the bottlenecks, sized well below the traffic
 * that could move west; west-west links are ample but finite. */
static void bandwidth_make(gen *g)
{
    double fmove = 0;
    for (int r = 0; r < g->R; r++)
        if (!g->reg[r].west)
            for (int k = 0; k < g->K; k++)
                fmove += g->base[(size_t)r * g->K + k] * g->cls[k].gbps_pp * g->cls[k].move;
    if (fmove < 100)
        fmove = 100;
    int ncross = 0;
    for (int l = 0; l < g->nlinks; l++)
        ncross += g->reg[g->links[l].a].west != g->reg[g->links[l].b].west;
    double per = fmove / (ncross > 0 ? ncross : 1);
    for (int l = 0; l < g->nlinks; l++) {
        glink *k = &g->links[l];
        gen_rng rl;
        rng_init(&rl, g->o->seed, ST_LINK, (uint64_t)l);
        int wa = g->reg[k->a].west, wb = g->reg[k->b].west;
        if (!wa && !wb) {
            k->has_gbps = 0;
        } else if (wa != wb) {
            k->has_gbps = 1;
            k->gbps = q(fmax(1, per * rng_unif(&rl, 1.5, 3.0)), 1);
        } else {
            k->has_gbps = 1;
            k->gbps = q(fmax(1, per * rng_unif(&rl, 3.0, 6.0)), 1);
        }
    }
}

static int weather_make(gen *g)
{
    size_t n = (size_t)g->R * (size_t)g->T;
    g->sol = cn_calloc(n, sizeof *g->sol);
    g->wnd = cn_calloc(n, sizeof *g->wnd);
    if (!g->sol || !g->wnd)
        return CN_EOSERR;
    for (int r = 0; r < g->R; r++) {
        const greg *rg = &g->reg[r];
        gen_rng rw;
        rng_init(&rw, g->o->seed, ST_WEATHER, (uint64_t)r);
        double mean = 0.15 + 0.45 * rg->wind, wv = mean, cloud = 1;
        /* solar noon moves with longitude: Beijing time is 120E */
        double shift = (rg->lon - 120.0) / 15.0;
        for (long t = 0; t < g->T; t++) {
            long h = t % 24;
            if (h == 0)
                cloud = rng_unif(&rw, 0.3 + 0.4 * rg->solar, 1.0);
            double hs = (double)h + 0.5 + shift;
            double sun = hs > 6 && hs < 18 ? sin(PI * (hs - 6) / 12) : 0;
            wv = mean + 0.9 * (wv - mean) + 0.08 * rng_normal(&rw);
            double wd = wv + 0.08 * cos(2 * PI * ((double)h - 3) / 24); /* windier at night */
            g->sol[(size_t)r * g->T + t] = (float)(sun * cloud);
            g->wnd[(size_t)r * g->T + t] = (float)clamp(wd, 0, 1);
        }
    }
    return CN_OK;
}

static double tou_factor(const greg *r, long h)
{
    if (r->midday_valley) {
        if (h >= 10 && h <= 15)
            return r->valley;
        if (h >= 18 && h <= 22)
            return r->peak;
        return 1.0;
    }
    if (h >= 23 || h <= 6)
        return r->valley;
    if ((h >= 10 && h <= 11) || (h >= 18 && h <= 20))
        return r->peak;
    return 1.0;
}

static double shape_at(int shape, long t)
{
    long h = t % 24;
    int weekend = (t / 24) % 7 >= 5;
    switch (shape) {
    case SHAPE_INTERACTIVE: return SHAPE_HOURLY[h] * (weekend ? 0.9 : 1.0);
    case SHAPE_OFFICE: return (h >= 9 && h <= 18 ? 1.0 : 0.75) * (weekend ? 0.7 : 1.0);
    default: return 0.95;
    }
}

/* ------------------------------------------------------------------ */
/* Writing.                                                            */

static void wnum(gen *g, FILE *fp, double v)
{
    if (!isfinite(v)) {
        g->bad = 1;
        v = 0;
    }
    if (fabs(v) < CN_NUM_TINY) /* below the numeric range (parse_util.h): 0 */
        v = 0;
    fprintf(fp, "%.9g", v + 0.0);
}

static void wsig(gen *g, FILE *fp, double v)  /* 6 significant digits */
{
    if (!isfinite(v)) {
        g->bad = 1;
        v = 0;
    }
    if (fabs(v) < CN_NUM_TINY) /* below the numeric range (parse_util.h): 0 */
        v = 0;
    fprintf(fp, "%.6g", v + 0.0);
}

static void site_id(char *buf, size_t n, int i) { snprintf(buf, n, "dc%05d", i + 1); }

static int write_tables(gen *g, const char *dir)
{
    int rc = CN_OK;
    FILE *fp = NULL;
    char sid[32];
    int R = g->R, K = g->K, C = g->C, S = g->S;
    long T = g->T;

    CN_TRY(cn_table_open(dir, "types.csv", &fp));
    fputs("id,mw_per_pflops\n", fp);
    for (int c = 0; c < C; c++) {
        fprintf(fp, "%s,", TYPES[c].id);
        wnum(g, fp, TYPES[c].mw);
        fputc('\n', fp);
    }
    CN_TRY(cn_table_close(dir, "types.csv", &fp));

    CN_TRY(cn_table_open(dir, "regions.csv", &fp));
    fputs("id,name,lat,lon\n", fp);
    for (int r = 0; r < R; r++) {
        fprintf(fp, "%s,%s,", g->reg[r].id, g->reg[r].name);
        wnum(g, fp, g->reg[r].lat);
        fputc(',', fp);
        wnum(g, fp, g->reg[r].lon);
        fputc('\n', fp);
    }
    CN_TRY(cn_table_close(dir, "regions.csv", &fp));

    CN_TRY(cn_table_open(dir, "hubs.csv", &fp));
    fputs("id,name,zone,min_green_share\n", fp);
    for (int h = 0; h < NHUBS; h++) {
        /* names contain no comma or quote: no quoting needed */
        fprintf(fp, "%s,%s,%s,", HUBS[h].id, HUBS[h].name, HUBS[h].west ? "west" : "east");
        if (g->hub[h].has_min)
            wnum(g, fp, g->hub[h].min_green);
        fputc('\n', fp);
    }
    CN_TRY(cn_table_close(dir, "hubs.csv", &fp));

    CN_TRY(cn_table_open(dir, "sites.csv", &fp));
    fputs("id,name,hub,region,pue,power_cap_mw,grid_price,green_price,green_cap_mw,"
          "grid_co2,access_rtt_ms,access_gbps",
          fp);
    fputs(g->o->coords ? ",lat,lon\n" : "\n", fp);
    for (int i = 0; i < S; i++) {
        const gsite *s = &g->sites[i];
        site_id(sid, sizeof sid, i);
        fprintf(fp, "%s,%s DC %d,%s,%s,", sid, g->reg[s->region].name, i + 1,
                s->hub >= 0 ? HUBS[s->hub].id : "", g->reg[s->region].id);
        wnum(g, fp, s->pue);
        fputc(',', fp);
        if (s->has_power_cap)
            wnum(g, fp, s->power_cap_mw);
        fputc(',', fp);
        wnum(g, fp, s->grid_price);
        fputc(',', fp);
        wnum(g, fp, s->green_price);
        fputc(',', fp);
        wnum(g, fp, s->green_cap_mw);
        fputc(',', fp);
        wnum(g, fp, s->grid_co2);
        fputc(',', fp);
        wnum(g, fp, s->access_rtt_ms);
        fputc(',', fp);
        wnum(g, fp, s->access_gbps);
        if (g->o->coords) {
            /* the region's point moved by up to 0.5 degrees (its own stream) */
            gen_rng rc_;
            rng_init(&rc_, g->o->seed, ST_COORD, (uint64_t)i);
            const greg *rg = &g->reg[s->region];
            double lat = clamp(q(rg->lat + rng_unif(&rc_, -0.5, 0.5), 0.01), -90, 90);
            double lon = clamp(q(rg->lon + rng_unif(&rc_, -0.5, 0.5), 0.01), -180, 180);
            fputc(',', fp);
            wnum(g, fp, lat);
            fputc(',', fp);
            wnum(g, fp, lon);
        }
        fputc('\n', fp);
    }
    CN_TRY(cn_table_close(dir, "sites.csv", &fp));

    CN_TRY(cn_table_open(dir, "capacity.csv", &fp));
    fputs("site,type,pflops\n", fp);
    for (int i = 0; i < S; i++) {
        site_id(sid, sizeof sid, i);
        for (int c = 0; c < C; c++)
            if (g->sites[i].types & (1u << c)) {
                fprintf(fp, "%s,%s,", sid, TYPES[c].id);
                wsig(g, fp, g->sites[i].cap[c]);
                fputc('\n', fp);
            }
    }
    CN_TRY(cn_table_close(dir, "capacity.csv", &fp));

    CN_TRY(cn_table_open(dir, "links.csv", &fp));
    fputs("from,to,rtt_ms,gbps,cost\n", fp);
    for (int l = 0; l < g->nlinks; l++) {
        const glink *k = &g->links[l];
        fprintf(fp, "%s,%s,", g->reg[k->a].id, g->reg[k->b].id);
        wnum(g, fp, k->rtt_ms);
        fputc(',', fp);
        if (k->has_gbps)
            wnum(g, fp, k->gbps);
        fputc(',', fp);
        wnum(g, fp, k->cost);
        fputc('\n', fp);
    }
    CN_TRY(cn_table_close(dir, "links.csv", &fp));

    CN_TRY(cn_table_open(dir, "classes.csv", &fp));
    fputs("id,name,type,max_rtt_ms,gbps_per_pflops,window,penalty\n", fp);
    for (int k = 0; k < K; k++) {
        const gclass *c = &g->cls[k];
        fprintf(fp, "%s,\"%s\",%s,", c->id, c->name, TYPES[c->type].id);
        wnum(g, fp, c->max_rtt);
        fputc(',', fp);
        wnum(g, fp, c->gbps_pp);
        fprintf(fp, ",%ld,", c->window);
        wnum(g, fp, c->penalty);
        fputc('\n', fp);
    }
    CN_TRY(cn_table_close(dir, "classes.csv", &fp));

    CN_TRY(cn_table_open(dir, "demand.csv", &fp));
    fputs("region,class,period,pflops\n", fp);
    for (int r = 0; r < R; r++)
        for (int k = 0; k < K; k++) {
            gen_rng rd;
            rng_init(&rd, g->o->seed, ST_DEMAND, (uint64_t)r * (uint64_t)K + (uint64_t)k);
            double b = g->base[(size_t)r * K + k];
            for (long t = 0; t < T; t++) {
                double v = b * shape_at(g->cls[k].shape, t) * rng_unif(&rd, 0.92, 1.08);
                fprintf(fp, "%s,%s,%ld,", g->reg[r].id, g->cls[k].id, t);
                wsig(g, fp, v);
                fputc('\n', fp);
            }
        }
    CN_TRY(cn_table_close(dir, "demand.csv", &fp));

    CN_TRY(cn_table_open(dir, "profiles.csv", &fp));
    fputs("site,period,green_avail,price_factor\n", fp);
    for (int i = 0; i < S; i++) {
        const gsite *s = &g->sites[i];
        const greg *rg = &g->reg[s->region];
        const float *sol = &g->sol[(size_t)s->region * T];
        const float *wnd = &g->wnd[(size_t)s->region * T];
        site_id(sid, sizeof sid, i);
        for (long t = 0; t < T; t++) {
            double av = s->mix_solar * sol[t] + s->mix_wind * wnd[t] + s->mix_hydro * 0.9;
            av = round(clamp(av, 0, 1) * 1e4) / 1e4;
            fprintf(fp, "%s,%ld,", sid, t);
            wnum(g, fp, av);
            fputc(',', fp);
            wnum(g, fp, tou_factor(rg, t % 24));
            fputc('\n', fp);
        }
    }
    CN_TRY(cn_table_close(dir, "profiles.csv", &fp));

    CN_TRY(cn_table_open(dir, "expansions.csv", &fp));
    fputs("site,type,module_pflops,module_mw,module_cost,max_modules\n", fp);
    for (int i = 0; i < S; i++) {
        const gsite *s = &g->sites[i];
        if (s->exp_type < 0)
            continue;
        site_id(sid, sizeof sid, i);
        fprintf(fp, "%s,%s,", sid, TYPES[s->exp_type].id);
        wnum(g, fp, s->exp_pflops);
        fputc(',', fp);
        wnum(g, fp, s->exp_mw);
        fputc(',', fp);
        wnum(g, fp, s->exp_cost);
        fprintf(fp, ",%ld\n", s->exp_max);
    }
    CN_TRY(cn_table_close(dir, "expansions.csv", &fp));

    const cn_gen_opts *o = g->o;
    if (o->weights) {
        /* Blocks of L periods, L the least common multiple of the class
         * windows (at most T), so that no demand window mixes weights (model
         * 1.1 section 1); with the default classes L = 24, a day.  Block b
         * draws u(b) in [0.5, 1.5]; w = 8760 * u(b) / sum over t of u(b(t)),
         * so the weighted horizon is a year of hours (to 9 digits). */
        long L = 1;
        for (int k = 0; k < K && L < T; k++) {
            long a = L, b = g->cls[k].window;
            while (b) {
                long r = a % b;
                a = b;
                b = r;
            }
            double l = (double)L / (double)a * (double)g->cls[k].window;
            L = l >= (double)T ? T : (long)l;
        }
        long nb = (T + L - 1) / L;
        double *u = cn_calloc((size_t)nb, sizeof *u);
        if (!u)
            CN_TRY(CN_EOSERR);
        double sum = 0;
        for (long b = 0; b < nb; b++) {
            gen_rng rw;
            rng_init(&rw, o->seed, ST_WEIGHT, (uint64_t)b);
            u[b] = q(rng_unif(&rw, 0.5, 1.5), 0.01);
            sum += u[b] * (double)((b + 1) * L <= T ? L : T - b * L);
        }
        rc = cn_table_open(dir, "periods.csv", &fp);
        if (rc == CN_OK) {
            fputs("period,weight\n", fp);
            for (long t = 0; t < T; t++) {
                fprintf(fp, "%ld,", t);
                wnum(g, fp, 8760.0 * u[t / L] / sum);
                fputc('\n', fp);
            }
        }
        free(u);
        CN_TRY(rc);
        CN_TRY(cn_table_close(dir, "periods.csv", &fp));
    }

    CN_TRY(cn_table_open(dir, "scenario.yaml", &fp));
    fprintf(fp,
            "# cnopt generate --regions %d --sites %d --periods %ld --seed %" PRIu64
            " --types %d --classes %d%s%s%s\n"
            "# synthetic model (docs/generator.md): one period is one hour and the\n"
            "# horizon stands for a year (period_weight * periods = 8760 hours)\n",
            R, S, T, o->seed, C, K, o->expansions ? " --expansions" : "",
            o->weights ? " --weights" : "", o->coords ? " --coords" : "");
    if (o->name)
        fprintf(fp, "name: %s\n", o->name);
    else
        fprintf(fp, "name: gen-r%d-s%d-t%ld-seed%" PRIu64 "\n", R, S, T, o->seed);
    fprintf(fp,
            "description: \"synthetic national compute network: %d regions, %d sites, "
            "%ld hourly periods, seed %" PRIu64 "\"\n"
            "model: .\n"
            "periods: %ld\n"
            "period_hours: 1\n"
            "period_weight: ",
            R, S, T, o->seed, T);
    wnum(g, fp, 8760.0 / (double)T);
    fprintf(fp, "\nexpansion: %s\n", o->expansions ? "true" : "false");
    CN_TRY(cn_table_close(dir, "scenario.yaml", &fp));

    if (g->bad)
        rc = CN_ERR(CN_ESOFTWARE, "a generated number is not finite (bug)");
cleanup:
    if (fp)
        fclose(fp);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Output directory: temp dir beside it, renamed at the end (io/outdir.h). */

static int output_write(gen *g, const char *dir)
{
    int rc = CN_OK;
    cn_outdir od;
    unsigned char written[NFILES];
    memset(written, 1, sizeof written);
    written[FILE_PERIODS] = (unsigned char)(g->o->weights != 0);
    CN_TRY(cn_outdir_open(&od, dir, g->o->force));
    CN_TRY(write_tables(g, od.tmp));
    CN_TRY(cn_outdir_commit(&od, FILES, written, NFILES));
cleanup:
    cn_outdir_cleanup(&od, FILES, NFILES);
    return rc;
}

/* ------------------------------------------------------------------ */

void cn_gen_opts_init(cn_gen_opts *o)
{
    memset(o, 0, sizeof *o);
    o->regions = 31;
    o->sites = 40;
    o->periods = 24;
    o->seed = 1;
    o->types = 3;
    o->classes = 4;
}

static int id_valid(const char *s)
{
    if (!*s || strlen(s) >= 128)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '.' || *s == '-'))
            return 0;
    return 1;
}

static int opts_check(const cn_gen_opts *o)
{
    if (o->regions < 1 || o->regions > CN_GEN_MAX_REGIONS)
        return CN_ERR(CN_EUSAGE, "regions must be in 1..%d (got %d)", CN_GEN_MAX_REGIONS, o->regions);
    if (o->target_vars <= 0 && (o->sites < 1 || o->sites > CN_GEN_MAX_SITES))
        return CN_ERR(CN_EUSAGE, "sites must be in 1..%d (got %d)", CN_GEN_MAX_SITES, o->sites);
    if (o->periods < 1 || o->periods > CN_GEN_MAX_PERIODS)
        return CN_ERR(CN_EUSAGE, "periods must be in 1..%d (got %ld)", CN_GEN_MAX_PERIODS, o->periods);
    if (o->types < 1 || o->types > CN_GEN_MAX_TYPES)
        return CN_ERR(CN_EUSAGE, "types must be in 1..%d (got %d)", CN_GEN_MAX_TYPES, o->types);
    if (o->classes < 1 || o->classes > CN_GEN_MAX_CLASSES)
        return CN_ERR(CN_EUSAGE, "classes must be in 1..%d (got %d)", CN_GEN_MAX_CLASSES, o->classes);
    if (o->target_vars < 0)
        return CN_ERR(CN_EUSAGE, "target variables must be >= 0 (got %" PRId64 ")", o->target_vars);
    if ((double)o->regions * (double)o->periods > 5e7)
        return CN_ERR(CN_EUSAGE, "regions x periods must be at most 5e7 (got %d x %ld)",
                      o->regions, o->periods);
    if (o->name && !id_valid(o->name))
        return CN_ERR(CN_EUSAGE, "scenario name '%s' is not an id ([A-Za-z0-9_.-]+, < 128 bytes)",
                      o->name);
    return CN_OK;
}

int cn_generate(const cn_gen_opts *o, const char *dir, cn_gen_stats *st)
{
    int rc = CN_OK;
    gen g;
    memset(&g, 0, sizeof g);
    CN_TRY(opts_check(o));
    g.o = o;
    g.R = o->regions;
    g.C = o->types;
    g.K = o->classes;
    g.T = o->periods;
    CN_TRY(regions_make(&g));
    hubs_make(&g);
    CN_TRY(classes_make(&g));
    CN_TRY(links_make(&g));
    CN_TRY(routes_make(&g));
    CN_TRY(sites_make(&g));
    CN_TRY(demand_make(&g));
    bandwidth_make(&g);
    if (dir) {
        CN_TRY(weather_make(&g));
        CN_TRY(output_write(&g, dir));
    }
    if (st) {
        memset(st, 0, sizeof *st);
        st->nregions = g.R;
        st->nsites = g.S;
        st->nhubs = NHUBS;
        st->ntypes = g.C;
        st->nclasses = g.K;
        st->nlinks = g.nlinks;
        st->periods = g.T;
        for (int i = 0; i < g.S; i++) {
            for (int c = 0; c < g.C; c++)
                st->ncaps += (g.sites[i].types >> c) & 1u;
            st->nexps += g.sites[i].exp_type >= 0;
        }
        st->ndemand = (int64_t)g.R * g.K * g.T;
        st->nprofiles = (int64_t)g.S * g.T;
        st->nx = g.nx;
        for (int k = 0; k < g.K; k++)
            st->nu += (int64_t)g.R * ((g.T + g.cls[k].window - 1) / g.cls[k].window);
        st->ncols = st->nx + st->nu + 2 * (int64_t)g.S * g.T + (o->expansions ? st->nexps : 0);
    }
cleanup:
    free(g.reg);
    free(g.cls);
    free(g.links);
    free(g.sorted);
    free(g.order);
    free(g.site_cum);
    free(g.sites);
    free(g.base);
    free(g.sol);
    free(g.wnd);
    return rc;
}
