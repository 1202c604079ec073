/* fuzz/fuzz_util.c - see fuzz_util.h */
#include "fuzz_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/err.h"

const char *const cn_fuzz_table_name[CN_FUZZ_NTABLES] = {
    "types.csv", "regions.csv", "hubs.csv", "sites.csv", "capacity.csv",
    "links.csv", "classes.csv", "demand.csv", "profiles.csv", "expansions.csv",
};

/* A copy of tests/bad/base (kept here so that a harness needs no files);
 * parenthesised: one string per table. */
const char *const cn_fuzz_table_base[CN_FUZZ_NTABLES] = {
    ("id,mw_per_pflops\n"
     "cpu,0.5\n"
     "gpu,1.2\n"),

    ("id,name,lat,lon\n"
     "bj,Beijing,39.9,116.4\n"
     "sh,Shanghai,31.2,121.5\n"
     "gz,Guizhou,26.6,106.7\n"),

    ("id,name,zone,min_green_share\n"
     "bth,Beijing-Tianjin-Hebei,east,\n"
     "gzh,Guizhou,west,0.5\n"),

    ("id,name,hub,region,pue,power_cap_mw,grid_price,green_price,green_cap_mw,grid_co2,"
     "access_rtt_ms,access_gbps\n"
     "s1,Zhangjiakou,bth,bj,1.25,100,450,380,40,0.58,2,400\n"
     "s2,Shanghai DC,,sh,1.3,,500,420,10,0.55,1,\n"
     "s3,Gui'an,gzh,gz,1.15,80,350,300,60,0.45,3,200\n"),

    ("site,type,pflops\n"
     "s1,cpu,100\n"
     "s1,gpu,50\n"
     "s2,cpu,80\n"
     "s3,gpu,120\n"),

    ("from,to,rtt_ms,gbps,cost\n"
     "bj,sh,12,800,0.02\n"
     "sh,gz,18,,0.01\n"
     "bj,gz,25,400,\n"),

    ("id,name,type,max_rtt_ms,gbps_per_pflops,window,penalty\n"
     "web,Web serving,cpu,15,2,1,5000\n"
     "train,AI training,gpu,100,0.5,4,2000\n"),

    ("region,class,period,pflops\n"
     "bj,web,0,30\n"
     "bj,web,1,35\n"
     "sh,web,0,25\n"
     "sh,train,0,40\n"
     "gz,train,3,10\n"
     "bj,web,5,99\n"),

    ("site,period,green_avail,price_factor\n"
     "s3,0,0.8,0.9\n"
     "s3,1,,1.1\n"
     "s1,2,0.5,\n"
     "s1,7,0.1,0.1\n"),

    ("site,type,module_pflops,module_mw,module_cost,max_modules\n"
     "s3,gpu,10,12,5000000,5\n"),
};

const char cn_fuzz_scenario_base[] =
    "name: bad-base\n"
    "description: \"three regions, three sites, two classes\"\n"
    "model: .\n"
    "periods: 4\n"
    "period_hours: 1.0\n"
    "period_weight: 365\n"
    "carbon_price: 50\n"
    "carbon_cap: null\n"
    "expansion: false\n"
    "scale:\n"
    "  demand: 1.0\n"
    "  bandwidth: 1.0\n"
    "  green: 1.0\n"
    "  grid_price: 1.0\n";

static char g_dir[4096];
static FILE *g_null;

int cn_fuzz_table_index(const char *name)
{
    for (int i = 0; i < CN_FUZZ_NTABLES; i++)
        if (strcmp(cn_fuzz_table_name[i], name) == 0)
            return i;
    return -1;
}

static void die(const char *what, const char *path)
{
    fprintf(stderr, "fuzz harness: %s '%s': %s\n", what, path, strerror(errno));
    abort();
}

static void remove_dir(void)
{
    char p[4200];
    if (!g_dir[0])
        return;
    for (int i = 0; i < CN_FUZZ_NTABLES; i++) {
        snprintf(p, sizeof p, "%s/%s", g_dir, cn_fuzz_table_name[i]);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s/scenario.yaml", g_dir);
    unlink(p);
    rmdir(g_dir);
    g_dir[0] = '\0';
}

void cn_fuzz_write(const char *dir, const char *name, const unsigned char *data, size_t len,
                   size_t pad)
{
    char p[4200];
    static char lf[4096];
    if (lf[0] != '\n')
        memset(lf, '\n', sizeof lf);
    snprintf(p, sizeof p, "%s/%s", dir, name);
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        die("cannot create", p);
    while (pad > 0) {
        size_t n = pad < sizeof lf ? pad : sizeof lf;
        ssize_t w = write(fd, lf, n);
        if (w <= 0)
            die("cannot write", p);
        pad -= (size_t)w;
    }
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w <= 0)
            die("cannot write", p);
        data += w;
        len -= (size_t)w;
    }
    if (close(fd) != 0)
        die("cannot close", p);
}

void cn_fuzz_restore(const char *dir, const char *name)
{
    int t = cn_fuzz_table_index(name);
    const char *text = t >= 0 ? cn_fuzz_table_base[t] : cn_fuzz_scenario_base;
    cn_fuzz_write(dir, name, (const unsigned char *)text, strlen(text), 0);
}

const char *cn_fuzz_model_dir(const char *tag)
{
    if (g_dir[0])
        return g_dir;
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    size_t n = strlen(tmp);
    while (n > 1 && tmp[n - 1] == '/')   /* the readers print paths without "//" */
        n--;
    snprintf(g_dir, sizeof g_dir, "%.*s/cnopt-fuzz-%s-XXXXXX", (int)n, tmp, tag);
    if (!mkdtemp(g_dir))
        die("cannot create a directory like", g_dir);
    for (int i = 0; i < CN_FUZZ_NTABLES; i++)
        cn_fuzz_restore(g_dir, cn_fuzz_table_name[i]);
    cn_fuzz_restore(g_dir, "scenario.yaml");
    atexit(remove_dir);
    return g_dir;
}

void cn_fuzz_check(const char *what, int rc, const int *allowed)
{
    int known = 0;
    for (const int *a = allowed; *a >= 0; a++)
        known |= *a == rc;
    long n = cn_diag_count();
    const char *bad = NULL;
    if (!known)
        bad = "unexpected return code";
    else if (rc == CN_OK && n > 0)
        bad = "success with diagnostics";
    else if (rc == CN_OK && cn_err_code() != CN_OK)
        bad = "success with an error recorded";
    else if ((rc == CN_EDATA || rc == CN_ENOINPUT) && n == 0)
        bad = "failure without a diagnostic";
    for (long i = 0; !bad && i < n && i < CN_DIAG_MAX; i++) {
        const cn_diag *d = cn_diag_get(i);
        if (!d || !d->file[0] || d->line < 0 || d->col < 0 || !d->msg[0])
            bad = "malformed diagnostic";
    }
    if (bad) {
        fprintf(stderr, "fuzz harness: %s returned %d: %s (%ld diagnostics)\n", what, rc, bad,
                n);
        cn_diag_print(stderr);
        if (cn_err_message()[0])
            fprintf(stderr, "error: %s\n", cn_err_message());
        abort();
    }
    /* the printing path too, as cnopt would print them */
    if (!g_null)
        g_null = fopen("/dev/null", "w");
    if (g_null)
        cn_diag_print(g_null);
}

void cn_fuzz_check_lines(const char *dir, const char *name, long max_line)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    long n = cn_diag_count();
    for (long i = 0; i < n && i < CN_DIAG_MAX; i++) {
        const cn_diag *d = cn_diag_get(i);
        if (strcmp(d->file, p) == 0 && d->line > max_line) {
            fprintf(stderr, "fuzz harness: diagnostic at line %ld of %s, which has %ld lines\n",
                    d->line, name, max_line);
            cn_diag_print(stderr);
            abort();
        }
    }
}

void cn_fuzz_reset(void)
{
    cn_diag_clear();
    cn_err_clear();
}
