/* core/idindex.h - a small hash index from string keys to long values.
 *
 * Used by the readers for id -> row lookups and for the uniqueness of
 * composite keys (demand (region, class, period), profiles (site, period)),
 * where a table can have hundreds of thousands of rows.  Keys are byte
 * strings (any bytes, given with their length) and are copied into the
 * index.  Open addressing with linear probing, FNV-1a hash, load <= 1/2.
 * Not thread-safe; no removal.
 */
#ifndef CN_IDINDEX_H
#define CN_IDINDEX_H

#include <stddef.h>

typedef struct cn_idindex cn_idindex;

/* New empty index sized for about hint keys.  Returns CN_OK or CN_EOSERR. */
int cn_idindex_create(cn_idindex **out, size_t hint);
/* Free the index and set *ix to NULL; accepts NULL and *ix == NULL. */
void cn_idindex_destroy(cn_idindex **ix);

/* Insert key -> value unless the key is present.  Returns CN_OK when it
 * was inserted, CN_OK with *found = 1 and *old = the stored value when the
 * key was already there (nothing changes), or CN_EOSERR.  found/old may be
 * NULL. */
int cn_idindex_put(cn_idindex *ix, const char *key, size_t len, long value,
                   int *found, long *old);
/* 1 and *value set when key is present, else 0.  value may be NULL. */
int cn_idindex_get(const cn_idindex *ix, const char *key, size_t len, long *value);
/* Number of keys. */
size_t cn_idindex_count(const cn_idindex *ix);

#endif
