/* tests/unit/test_derive.c - the routing rule (core/derive.h cn_routes_create,
 * docs/model.md section 4): least total rtt, ties within 1e-9 ms to fewer
 * links, then to the lexicographically smallest region sequence from the
 * origin; rtt and cost summed along the path.
 *
 * Tiny backbones whose routes are worked out in each comment, unreachable
 * pairs, the tolerance on both sides of 1e-9, independence of the link
 * order, a brute force over every simple path on random small backbones
 * (integer rtts, so that ties are exact and frequent), and cn_derived using
 * the same routes as cn_routes_create. */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../base/err.h"
#include "../../core/derive.h"
#include "../../core/model.h"

#define L(a, b, rtt, cost) {(a), (b), (rtt), 0, 0.0, (cost)}

static cn_routes *routes_of(int R, const cn_link *lk, int n)
{
    cn_routes *rt = NULL;
    assert_int_equal(cn_routes_create(R, lk, n, &rt), CN_OK);
    assert_non_null(rt);
    assert_int_equal(rt->n, R);
    return rt;
}

/* The route from r to d as a string of region digits ("013"), "" unreachable. */
static const char *path_text(const cn_routes *rt, int r, int d, char *buf)
{
    int p[16];
    int n = cn_routes_path(rt, r, d, p);
    for (int i = 0; i < n; i++)
        buf[i] = (char)('0' + p[i]);
    buf[n] = '\0';
    return buf;
}

#define ASSERT_PATH(rt, r, d, want)                                   \
    do {                                                              \
        char b_[20];                                                  \
        assert_string_equal(path_text((rt), (r), (d), b_), (want));   \
    } while (0)

/* A path 0 - 1 - 2 with rtt 2 and 3, cost 0.5 and 0.25.  0 -> 2 goes through
 * 1: rtt 5, cost 0.75; 2 -> 0 is the reverse; next hops step by step;
 * r -> r is rtt 0, cost 0, no next hop, a path of one region. */
static void test_chain(void **state)
{
    (void)state;
    const cn_link lk[] = {L(0, 1, 2, 0.5), L(1, 2, 3, 0.25)};
    cn_routes *rt = routes_of(3, lk, 2);
    assert_close(rt->rtt_ms[0 * 3 + 2], 5, 0, 0);
    assert_close(rt->cost[0 * 3 + 2], 0.75, 0, 0);
    assert_close(rt->rtt_ms[2 * 3 + 0], 5, 0, 0);
    assert_int_equal(rt->next[0 * 3 + 2], 1);
    assert_int_equal(rt->next_link[0 * 3 + 2], 0);
    assert_int_equal(rt->next[1 * 3 + 2], 2);
    assert_int_equal(rt->next_link[1 * 3 + 2], 1);
    assert_close(rt->rtt_ms[1 * 3 + 1], 0, 0, 0);
    assert_close(rt->cost[1 * 3 + 1], 0, 0, 0);
    assert_int_equal(rt->next[1 * 3 + 1], -1);
    ASSERT_PATH(rt, 0, 2, "012");
    ASSERT_PATH(rt, 2, 0, "210");
    ASSERT_PATH(rt, 1, 1, "1");
    cn_routes_destroy(&rt);
    assert_null(rt);
    cn_routes_destroy(&rt);   /* NULL is accepted */
}

/* A triangle 0-1 (5), 1-2 (5), 0-2 (10): both ways from 0 to 2 take 10 ms;
 * the direct link has fewer hops and wins.  With 0-2 at 11 the two-hop path
 * is shorter and wins. */
static void test_fewer_hops(void **state)
{
    (void)state;
    const cn_link tie[] = {L(0, 1, 5, 1), L(1, 2, 5, 1), L(0, 2, 10, 7)};
    cn_routes *rt = routes_of(3, tie, 3);
    ASSERT_PATH(rt, 0, 2, "02");
    assert_close(rt->cost[0 * 3 + 2], 7, 0, 0);
    cn_routes_destroy(&rt);
    const cn_link longer[] = {L(0, 1, 5, 1), L(1, 2, 5, 1), L(0, 2, 11, 7)};
    rt = routes_of(3, longer, 3);
    ASSERT_PATH(rt, 0, 2, "012");
    assert_close(rt->cost[0 * 3 + 2], 2, 0, 0);
    cn_routes_destroy(&rt);
}

/* A square 0-1, 1-3, 0-2, 2-3, all 1 ms: 0 -> 3 has two routes of 2 ms and
 * 2 hops, (0,1,3) and (0,2,3); the smaller sequence (0,1,3) wins, and
 * 3 -> 0 takes (3,1,0) < (3,2,0).  The same with the links listed in
 * reverse order: the rule does not depend on the order of links.csv. */
static void test_lexicographic(void **state)
{
    (void)state;
    const cn_link fwd[] = {L(0, 1, 1, 0), L(1, 3, 1, 0), L(0, 2, 1, 0), L(2, 3, 1, 0)};
    const cn_link rev[] = {L(2, 3, 1, 0), L(0, 2, 1, 0), L(1, 3, 1, 0), L(0, 1, 1, 0)};
    for (int pass = 0; pass < 2; pass++) {
        cn_routes *rt = routes_of(4, pass ? rev : fwd, 4);
        ASSERT_PATH(rt, 0, 3, "013");
        ASSERT_PATH(rt, 3, 0, "310");
        ASSERT_PATH(rt, 1, 2, "102");
        ASSERT_PATH(rt, 2, 1, "201");
        cn_routes_destroy(&rt);
    }
}

/* The 1e-9 ms tolerance: 0.1 + 0.2 is 0.30000000000000004 in doubles, a tie
 * with a direct link of 0.3, so the direct link (fewer hops) wins; with the
 * direct link 2e-9 ms longer than the two-hop path the two-hop path wins. */
static void test_tolerance(void **state)
{
    (void)state;
    const cn_link tie[] = {L(0, 1, 0.1, 0), L(1, 2, 0.2, 0), L(0, 2, 0.3, 0)};
    cn_routes *rt = routes_of(3, tie, 3);
    ASSERT_PATH(rt, 0, 2, "02");
    assert_close(rt->rtt_ms[0 * 3 + 2], 0.3, 0, 0);
    cn_routes_destroy(&rt);
    const cn_link beyond[] = {L(0, 1, 0.1, 0), L(1, 2, 0.2, 0), L(0, 2, 0.3 + 2e-9, 0)};
    rt = routes_of(3, beyond, 3);
    ASSERT_PATH(rt, 0, 2, "012");
    assert_close(rt->rtt_ms[0 * 3 + 2], 0.1 + 0.2, 0, 0);
    cn_routes_destroy(&rt);
}

/* Two islands {0, 1} and {2}: every pair across is unreachable (rtt
 * INFINITY, no next hop, no path); no links at all works too. */
static void test_unreachable(void **state)
{
    (void)state;
    const cn_link lk[] = {L(0, 1, 4, 1)};
    cn_routes *rt = routes_of(3, lk, 1);
    assert_true(isinf(rt->rtt_ms[0 * 3 + 2]));
    assert_true(isinf(rt->rtt_ms[2 * 3 + 1]));
    assert_int_equal(rt->next[0 * 3 + 2], -1);
    assert_int_equal(rt->next_link[2 * 3 + 0], -1);
    ASSERT_PATH(rt, 0, 2, "");
    ASSERT_PATH(rt, 0, 1, "01");
    cn_routes_destroy(&rt);
    rt = routes_of(2, NULL, 0);
    assert_true(isinf(rt->rtt_ms[1]));
    ASSERT_PATH(rt, 1, 1, "1");
    cn_routes_destroy(&rt);
}

/* ---- brute force ---- */

typedef struct bf {
    int R, n;
    const cn_link *lk;
    int best[16], nbest;
    double best_rtt;
    int cur[16], ncur;
    char on[16];
} bf;

/* Is the current path better than the best (rtt, hops, sequence)?  Integer
 * rtts: exact comparisons are the rule's comparisons. */
static int bf_better(const bf *b, double rtt)
{
    if (b->nbest == 0 || rtt < b->best_rtt)
        return 1;
    if (rtt > b->best_rtt)
        return 0;
    if (b->ncur != b->nbest)
        return b->ncur < b->nbest;
    for (int i = 0; i < b->ncur; i++)
        if (b->cur[i] != b->best[i])
            return b->cur[i] < b->best[i];
    return 0;
}

static void bf_walk(bf *b, int u, int d, double rtt)
{
    if (u == d) {
        if (bf_better(b, rtt)) {
            memcpy(b->best, b->cur, sizeof b->cur);
            b->nbest = b->ncur;
            b->best_rtt = rtt;
        }
        return;
    }
    for (int l = 0; l < b->n; l++) {
        int v = b->lk[l].from == u ? b->lk[l].to : b->lk[l].to == u ? b->lk[l].from : -1;
        if (v < 0 || b->on[v])
            continue;
        b->on[v] = 1;
        b->cur[b->ncur++] = v;
        bf_walk(b, v, d, rtt + b->lk[l].rtt_ms);
        b->ncur--;
        b->on[v] = 0;
    }
}

/* 200 random backbones of 2 to 7 regions, each pair linked with
 * probability 1/2 (sometimes disconnected), rtt 1..3 ms (many exact ties):
 * the route of every ordered pair is the best simple path by (rtt, hops,
 * sequence), found by trying them all. */
static void test_brute_force(void **state)
{
    (void)state;
    unsigned seed = 12345;
    for (int it = 0; it < 200; it++) {
        seed = seed * 1103515245u + 12345u;
        int R = 2 + (int)((seed >> 16) % 6);
        cn_link lk[21];
        int n = 0;
        for (int a = 0; a < R; a++)
            for (int c = a + 1; c < R; c++) {
                seed = seed * 1103515245u + 12345u;
                if ((seed >> 16) & 1)
                    continue;
                cn_link x = L((seed >> 17) & 1 ? a : c, (seed >> 17) & 1 ? c : a,
                              (double)(1 + (seed >> 18) % 3), (double)((seed >> 20) % 5));
                lk[n++] = x;
            }
        cn_routes *rt = routes_of(R, lk, n);
        for (int r = 0; r < R; r++)
            for (int d = 0; d < R; d++) {
                bf b;
                memset(&b, 0, sizeof b);
                b.R = R;
                b.n = n;
                b.lk = lk;
                b.on[r] = 1;
                b.cur[b.ncur++] = r;
                bf_walk(&b, r, d, 0.0);
                int p[16];
                int np = cn_routes_path(rt, r, d, p);
                if (np != b.nbest || memcmp(p, b.best, sizeof *p * (size_t)np) != 0) {
                    char got[20], want[20];
                    for (int i = 0; i < b.nbest; i++)
                        want[i] = (char)('0' + b.best[i]);
                    want[b.nbest] = '\0';
                    fail_msg("backbone %d (%d regions, %d links): route %d -> %d is '%s', "
                             "the best path '%s'", it, R, n, r, d, path_text(rt, r, d, got),
                             want);
                }
                if (b.nbest)
                    assert_close(rt->rtt_ms[(size_t)r * R + d], b.best_rtt, 0, 1e-12);
                else
                    assert_true(isinf(rt->rtt_ms[(size_t)r * R + d]));
            }
        cn_routes_destroy(&rt);
    }
}

/* cn_derived's routes are cn_routes_create's, and RTT(r, s) adds the site's
 * access rtt: regions 0 - 1 - 2 (2 ms, 3 ms), a site in region 2 with
 * access 0.5 ms: RTT(0, s) = 5.5. */
static void test_derived_uses_rule(void **state)
{
    (void)state;
    cn_model *m = cn_model_create();
    assert_non_null(m);
    m->sc.periods = 1;
    m->sc.scale_demand = 1;
    m->nregions = 3;
    m->regions = calloc(3, sizeof *m->regions);
    m->nlinks = 2;
    m->links = calloc(2, sizeof *m->links);
    m->nsites = 1;
    m->sites = calloc(1, sizeof *m->sites);
    m->ntypes = 1;
    m->types = calloc(1, sizeof *m->types);
    assert_non_null(m->regions);
    assert_non_null(m->links);
    assert_non_null(m->sites);
    assert_non_null(m->types);
    const cn_link lk[] = {L(0, 1, 2, 0.5), L(1, 2, 3, 0.25)};
    memcpy(m->links, lk, sizeof lk);
    m->sites[0].region = 2;
    m->sites[0].hub = -1;
    m->sites[0].access_rtt_ms = 0.5;
    cn_derived *d = NULL;
    assert_int_equal(cn_derived_create(m, &d), CN_OK);
    cn_routes *rt = routes_of(3, lk, 2);
    assert_int_equal(memcmp(d->routes->rtt_ms, rt->rtt_ms, 9 * sizeof(double)), 0);
    assert_int_equal(memcmp(d->routes->next, rt->next, 9 * sizeof(int)), 0);
    assert_close(cn_route_rtt(d, 0, 0), 5.5, 0, 0);
    cn_routes_destroy(&rt);
    cn_derived_destroy(&d);
    assert_null(d);
    cn_model_destroy(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chain),
        cmocka_unit_test(test_fewer_hops),
        cmocka_unit_test(test_lexicographic),
        cmocka_unit_test(test_tolerance),
        cmocka_unit_test(test_unreachable),
        cmocka_unit_test(test_brute_force),
        cmocka_unit_test(test_derived_uses_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
