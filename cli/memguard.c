/* cli/memguard.c - see memguard.h; the figures behind the constants are in
 * docs/memory.md. */
#include "memguard.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"

/* Measured (docs/memory.md): with the decomposition, the parts' LPs of all
 * ranks together take about 0.39 of the monolithic LP's memory and the master
 * on rank 0 about 0.07 (it grows with the iterations).  With margin: */
#define DW_SHARE 0.45   /* of the LP part, spread over the ranks */
#define DW_MASTER 0.10  /* of the LP part, on rank 0 */
/* Time blocks (docs/memory.md "Time blocks"): the blocks of all ranks took
 * 0.54 of the LP part on the week (1 rank: 273 MiB against an estimate of
 * 481) and 0.42 on the year (2 ranks: 5.0 GB each against 23,510 MiB); the
 * master of a few rows is negligible.  With margin: */
#define DW_TIME_SHARE 0.60
/* The default chains give no rank more than 15 % above an even share of the
 * time blocks (solver/dw.c chain_default): the advice of how many ranks fit
 * allows for it. */
#define CHAIN_SLACK 1.15
/* A rank that holds no LP (monolithic and MIP, ranks > 0) keeps the model,
 * its derived data and result buffers of a few doubles per row: measured
 * 25-26 MiB under mpirun for 5.9k and 42k rows (docs/memory.md), i.e. the
 * process plus about 30 bytes a row.  With margin: */
#define IDLE_ROW_BYTES 64.0
/* The monolithic LP's period start (docs/solver.md "The period start"): a
 * rank > 0 builds the LP, its split (then frees the LP) and its periods' LPs,
 * which it keeps for the passes: 223 MiB at 500k on 2 ranks (docs/memory.md),
 * 0.27 of the LP part.  With margin (charged whether or not the start runs: a
 * warm start or one period skips it): */
#define PSTART_SHARE 0.40
#define GIB (1024.0 * 1024.0 * 1024.0)

/* "MemAvailable:   23839908 kB" from /proc/meminfo; 0 when absent. */
static double meminfo_available(void)
{
    FILE *fp = fopen("/proc/meminfo", "r");
    if (!fp)
        return 0;
    char line[256];
    double kb = 0;
    while (fgets(line, sizeof line, fp))
        if (sscanf(line, "MemAvailable: %lf kB", &kb) == 1)
            break;
    fclose(fp);
    return kb > 0 ? kb * 1024.0 : 0;
}

/* cgroup v2 memory.max of this process ("max" = none); 0 when unknown. */
static double cgroup_limit(void)
{
    FILE *fp = fopen("/proc/self/cgroup", "r");
    if (!fp)
        return 0;
    char line[4096], path[4400];
    double lim = 0;
    while (fgets(line, sizeof line, fp)) {
        if (strncmp(line, "0::", 3) != 0)
            continue;
        line[strcspn(line, "\n")] = '\0';
        snprintf(path, sizeof path, "/sys/fs/cgroup%s/memory.max", line + 3);
        FILE *mf = fopen(path, "r");
        if (mf) {
            double v = 0;
            if (fscanf(mf, "%lf", &v) == 1 && v > 0)
                lim = v;
            fclose(mf);
        }
        break;
    }
    fclose(fp);
    return lim;
}

/* A positive number of MB from the environment, else 0. */
static double env_mb(const char *name)
{
    const char *s = getenv(name);
    char *end = NULL;
    if (!s || !*s)
        return 0;
    double v = strtod(s, &end);
    return (*end == '\0' && isfinite(v) && v > 0) ? v : 0;
}

double cn_mg_node_limit(char *what, size_t n)
{
    double best = 0;
    snprintf(what, n, "unknown");
    double avail = meminfo_available();
    if (avail > 0) {
        best = avail;
        snprintf(what, n, "MemAvailable");
    }
    double cg = cgroup_limit();
    if (cg > 0 && (best == 0 || cg < best)) {
        best = cg;
        snprintf(what, n, "cgroup memory.max");
    }
    double slurm = env_mb("SLURM_MEM_PER_NODE") * 1024.0 * 1024.0;
    const char *sw = "SLURM_MEM_PER_NODE";
    if (slurm == 0) {
        slurm = env_mb("SLURM_MEM_PER_CPU") * env_mb("SLURM_CPUS_ON_NODE") * 1024.0 * 1024.0;
        sw = "SLURM_MEM_PER_CPU x SLURM_CPUS_ON_NODE";
    }
    if (slurm > 0 && (best == 0 || slurm < best)) {
        best = slurm;
        snprintf(what, n, "%s", sw);
    }
    return best;
}

void cn_mg_size_lower_bound(const cn_model *m, cn_size *z)
{
    int64_t S = m->nsites, T = m->sc.periods > 0 ? m->sc.periods : 0;
    int64_t pc = 0, acc = 0, lk = 0;
    memset(z, 0, sizeof *z);
    for (int s = 0; s < m->nsites; s++) {
        pc += m->sites[s].has_power_cap;
        acc += m->sites[s].has_access_gbps;
    }
    for (int l = 0; l < m->nlinks; l++)
        lk += m->links[l].has_gbps;
    z->npower = 2 * S * T;
    z->rows_power = S * T;
    z->rows_cap = (int64_t)m->ncaps * T; /* one row per (site, type) with capacity */
    z->rows_powercap = pc * T;
    z->rows_access = acc * T;
    z->rows_link = lk * T;
    z->ncols = z->npower;
    z->nrows = z->rows_power + z->rows_cap + z->rows_powercap + z->rows_access + z->rows_link;
    z->nnz = z->npower + 2 * z->rows_powercap;
    z->mem_bytes = cn_mem_estimate(z);
}

int cn_mg_dw_method(const cn_model *m, const cn_dw_opts *o, int rank, int nranks,
                    double *share)
{
    cn_dw_plan p;
    *share = 1.0 / (nranks > 0 ? nranks : 1);
    if (cn_dw_plan_make(m, o, nranks, &p) != CN_OK) {
        cn_err_clear();
        return CN_MG_DW;
    }
    *share = cn_dw_plan_rank_share(&p, rank, nranks);
    return p.blocks == CN_DW_BLOCKS_TIME && p.ntb >= 2 ? CN_MG_DW_TIME : CN_MG_DW;
}

/* What cn_mem_estimate charges for the process itself (an empty LP). */
static double base_bytes(void)
{
    cn_size zero;
    memset(&zero, 0, sizeof zero);
    return cn_mem_estimate(&zero);
}

double cn_mg_rank_estimate(const cn_size *z, int method, int rank, int nranks, double share)
{
    double base = base_bytes(), lp = cn_mem_estimate(z) - base;
    if (nranks < 1)
        nranks = 1;
    if (method == CN_MG_DW_TIME)
        return base + DW_TIME_SHARE * lp * (share > 0 ? share : 1.0 / nranks);
    if (method == CN_MG_MONOLITHIC)
        return rank == 0 ? base + lp : base + PSTART_SHARE * lp;
    if (method != CN_MG_DW)
        return rank == 0 ? base + lp : base + IDLE_ROW_BYTES * (double)z->nrows;
    return base + DW_SHARE * lp / nranks + (rank == 0 ? DW_MASTER * lp : 0.0);
}

int cn_mg_ranks_to_fit(const cn_size *z, int method, double limit_rank)
{
    if (method != CN_MG_DW && method != CN_MG_DW_TIME)
        return 0;
    int tm = method == CN_MG_DW_TIME;
    double base = base_bytes(), lp = cn_mem_estimate(z) - base;
    double room = limit_rank - base - (tm ? 0.0 : DW_MASTER * lp); /* for rank 0's blocks */
    if (room <= 0)
        return 0;
    double p = ceil((tm ? DW_TIME_SHARE * CHAIN_SLACK : DW_SHARE) * lp / room);
    return p < 1 ? 1 : p > 1e6 ? 0 : (int)p;
}

static const char *method_name(int method)
{
    return method == CN_MG_DW        ? "--method dw"
           : method == CN_MG_DW_TIME ? "--method dw (time blocks)"
           : method == CN_MG_MIP     ? "MIP"
                                     : "--method monolithic";
}

/* What to do instead, for the message. */
static void advice(const cn_size *z, int method, double limit_rank, double share, int size,
                   char *buf, size_t n)
{
    if (method == CN_MG_DW || method == CN_MG_DW_TIME) {
        int p = cn_mg_ranks_to_fit(z, method, limit_rank);
        if (method == CN_MG_DW_TIME && p > 0 && p <= size)
            snprintf(buf, n, "that rank holds %.0f %% of the time blocks (ranks hold whole "
                     "chains, --chain): with the default chain it would fit at %d ranks with "
                     "%.2f GiB each", 100.0 * share, p, limit_rank / GIB);
        else if (p > 0)
            snprintf(buf, n, "it would fit at %d ranks with %.2f GiB each", p, limit_rank / GIB);
        else
            snprintf(buf, n, "no number of ranks with %.2f GiB each fits it (a rank alone keeps "
                     "%.2f GiB: the model, its derived data and the master)",
                     limit_rank / GIB, cn_mg_rank_estimate(z, method, 0, 1 << 30, 0) / GIB);
        return;
    }
    int p = cn_mg_ranks_to_fit(z, CN_MG_DW, limit_rank);
    if (method == CN_MG_MIP)
        snprintf(buf, n, "a MIP (expansion: true) is solved on rank 0, so more ranks do not "
                 "help: it needs %.2f GiB on one rank", cn_mg_rank_estimate(z, method, 0, 1, 0) / GIB);
    else if (p > 0)
        snprintf(buf, n, "the monolithic method holds the whole LP on rank 0, so more ranks do "
                 "not help; --method dw would fit at %d ranks with %.2f GiB each", p,
                 limit_rank / GIB);
    else
        snprintf(buf, n, "the monolithic method holds the whole LP on rank 0, so more ranks do "
                 "not help, and --method dw does not fit at any number of ranks with %.2f GiB "
                 "each", limit_rank / GIB);
}

/* The worst rank's figures, sent from it to every rank. */
typedef struct worst {
    double need, limit, share;
    int rank, node_ranks;
    char what[96];
} worst;

int cn_mg_check(const char *scenario, const cn_size *z, int method, double share,
                double limit_opt, MPI_Comm comm)
{
    int rank = 0, size = 1;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    worst w;
    memset(&w, 0, sizeof w);
    w.rank = rank;
    w.share = share > 0 ? share : 1.0 / size;
    double est = cn_mg_rank_estimate(z, method, rank, size, share);
    if (limit_opt > 0) {
        w.need = est;
        w.limit = limit_opt;
        w.node_ranks = 1;
        snprintf(w.what, sizeof w.what, "--mem-limit");
    } else {
        MPI_Comm node;
        MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node);
        MPI_Allreduce(&est, &w.need, 1, MPI_DOUBLE, MPI_SUM, node);
        MPI_Comm_size(node, &w.node_ranks);
        MPI_Comm_free(&node);
        w.limit = cn_mg_node_limit(w.what, sizeof w.what);
    }
    struct { double ratio; int rank; } mine = {w.limit > 0 ? w.need / w.limit : 0.0, rank}, top;
    MPI_Allreduce(&mine, &top, 1, MPI_DOUBLE_INT, MPI_MAXLOC, comm);
    if (!(top.ratio > 1.0))
        return CN_OK;
    MPI_Bcast(&w, (int)sizeof w, MPI_BYTE, top.rank, comm);
    char adv[400];
    double limit_rank = w.limit / w.node_ranks;
    advice(z, method, limit_rank, w.share, size, adv, sizeof adv);
    if (limit_opt > 0)
        cn_diag_add(scenario, 0, 0, "the model needs about %.2f GiB on rank %d (%s at %d "
                    "rank%s), more than --mem-limit %.2f GiB per rank; %s", w.need / GIB,
                    w.rank, method_name(method), size, size == 1 ? "" : "s", w.limit / GIB, adv);
    else
        cn_diag_add(scenario, 0, 0, "the model needs about %.2f GiB on the node of rank %d "
                    "(%s at %d rank%s, %d on that node), more than the %.2f GiB it offers "
                    "(%s); %s", w.need / GIB, w.rank, method_name(method), size,
                    size == 1 ? "" : "s", w.node_ranks, w.limit / GIB, w.what, adv);
    return CN_EOSERR;
}
