/* core/idindex.c - see idindex.h */
#include "idindex.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"

typedef struct slot {
    uint64_t hash;
    size_t off;      /* key bytes at keys + off */
    size_t len;
    long value;
    int used;
} slot;

struct cn_idindex {
    slot *slots;
    size_t cap;      /* power of two */
    size_t count;
    char *keys;      /* all keys, back to back */
    size_t keys_len, keys_cap;
};

static uint64_t fnv1a(const char *s, size_t len)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

int cn_idindex_create(cn_idindex **out, size_t hint)
{
    int rc = CN_OK;
    cn_idindex *ix = cn_calloc(1, sizeof *ix);
    if (!ix)
        CN_TRY(CN_EOSERR);
    ix->cap = 16;
    while (ix->cap < 2 * hint && ix->cap < ((size_t)1 << 40))
        ix->cap *= 2;
    ix->slots = cn_calloc(ix->cap, sizeof *ix->slots);
    if (!ix->slots)
        CN_TRY(CN_EOSERR);
    *out = ix;
    return CN_OK;
cleanup:
    cn_idindex_destroy(&ix);
    return rc;
}

void cn_idindex_destroy(cn_idindex **pix)
{
    if (!pix || !*pix)
        return;
    free((*pix)->slots);
    free((*pix)->keys);
    free(*pix);
    *pix = NULL;
}

/* The slot holding key, or the empty slot where it would go. */
static slot *find_slot(const cn_idindex *ix, const char *key, size_t len, uint64_t h)
{
    size_t mask = ix->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        slot *s = &ix->slots[i];
        if (!s->used)
            return s;
        if (s->hash == h && s->len == len && (len == 0 || memcmp(ix->keys + s->off, key, len) == 0))
            return s;
    }
}

static int grow(cn_idindex *ix)
{
    size_t ncap = ix->cap * 2;
    slot *ns = cn_calloc(ncap, sizeof *ns);
    if (!ns)
        return cn_err_frame(CN_EOSERR, __func__, __FILE__, __LINE__);
    for (size_t i = 0; i < ix->cap; i++) {
        if (!ix->slots[i].used)
            continue;
        size_t j = (size_t)ix->slots[i].hash & (ncap - 1);
        while (ns[j].used)
            j = (j + 1) & (ncap - 1);
        ns[j] = ix->slots[i];
    }
    free(ix->slots);
    ix->slots = ns;
    ix->cap = ncap;
    return CN_OK;
}

int cn_idindex_put(cn_idindex *ix, const char *key, size_t len, long value,
                   int *found, long *old)
{
    if (found)
        *found = 0;
    uint64_t h = fnv1a(key, len);
    slot *s = find_slot(ix, key, len, h);
    if (s->used) {
        if (found)
            *found = 1;
        if (old)
            *old = s->value;
        return CN_OK;
    }
    if (ix->keys_len + len > ix->keys_cap) {
        size_t ncap = ix->keys_cap ? ix->keys_cap : 256;
        while (ncap < ix->keys_len + len)
            ncap *= 2;
        char *nk = cn_realloc(ix->keys, ncap, 1);
        if (!nk)
            return cn_err_frame(CN_EOSERR, __func__, __FILE__, __LINE__);
        ix->keys = nk;
        ix->keys_cap = ncap;
    }
    if (len)
        memcpy(ix->keys + ix->keys_len, key, len);
    s->used = 1;
    s->hash = h;
    s->off = ix->keys_len;
    s->len = len;
    s->value = value;
    ix->keys_len += len;
    ix->count++;
    if (2 * ix->count > ix->cap)
        return grow(ix);
    return CN_OK;
}

int cn_idindex_get(const cn_idindex *ix, const char *key, size_t len, long *value)
{
    const slot *s = find_slot(ix, key, len, fnv1a(key, len));
    if (!s->used)
        return 0;
    if (value)
        *value = s->value;
    return 1;
}

size_t cn_idindex_count(const cn_idindex *ix) { return ix->count; }
