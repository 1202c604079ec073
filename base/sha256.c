/* base/sha256.c - see sha256.h */
#include "sha256.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include "err.h"
#include "infile.h"
#include "signals.h"

static void to_hex(const unsigned char *md, unsigned n, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < n && i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = '\0';
}

void cn_sha256_hex(const void *data, size_t len, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
    to_hex(md, n, hex);
}

int cn_sha256_file(const char *path, char hex[65])
{
    FILE *fp = NULL;
    const char *why = NULL;
    if (cn_input_fopen(path, &fp, &why) != 0)
        return CN_ERR(CN_ENOINPUT, "cannot open '%s': %s", path, why);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    unsigned char buf[1 << 16];
    size_t n;
    int sig = CN_OK;
    while ((sig = cn_signals_check_reading(path)) == CN_OK && (n = fread(buf, 1, sizeof buf, fp)) > 0)
        EVP_DigestUpdate(ctx, buf, n);
    int bad = ferror(fp);
    fclose(fp);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdn = 0;
    EVP_DigestFinal_ex(ctx, md, &mdn);
    EVP_MD_CTX_free(ctx);
    if (sig != CN_OK)
        return sig;
    if (bad)
        return CN_ERR(CN_ENOINPUT, "cannot read '%s'", path);
    to_hex(md, mdn, hex);
    return CN_OK;
}

struct cn_sha256 {
    EVP_MD_CTX *ctx;
};

int cn_sha256_begin(cn_sha256 **h)
{
    cn_sha256 *s = cn_calloc(1, sizeof *s);
    if (s)
        s->ctx = EVP_MD_CTX_new();
    if (!s || !s->ctx || EVP_DigestInit_ex(s->ctx, EVP_sha256(), NULL) != 1) {
        if (s)
            EVP_MD_CTX_free(s->ctx);
        free(s);
        *h = NULL;
        return CN_ERR(CN_EOSERR, "cannot start a SHA-256 digest (out of memory)");
    }
    *h = s;
    return CN_OK;
}

void cn_sha256_update(cn_sha256 *h, const void *data, size_t len)
{
    if (h && len)
        EVP_DigestUpdate(h->ctx, data, len);
}

void cn_sha256_end(cn_sha256 **h, char hex[65])
{
    if (!*h)
        return;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    EVP_DigestFinal_ex((*h)->ctx, md, &n);
    EVP_MD_CTX_free((*h)->ctx);
    free(*h);
    *h = NULL;
    to_hex(md, n, hex);
}
