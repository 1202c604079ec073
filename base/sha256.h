/* base/sha256.h - SHA-256 of files (OpenSSL's EVP behind one module). */
#ifndef CN_SHA256_H
#define CN_SHA256_H
#include <stddef.h>

/* Hex digest of a memory buffer into hex[65]. */
void cn_sha256_hex(const void *data, size_t len, char hex[65]);
/* Hex digest of a file's bytes into hex[65].  Returns CN_OK or CN_ENOINPUT. */
int cn_sha256_file(const char *path, char hex[65]);

/* A digest fed in pieces: begin (CN_OK or CN_EOSERR), any number of
 * updates, then end, which writes hex[65] and frees *h (NULL-safe: a NULL
 * *h writes nothing).  Not collective. */
typedef struct cn_sha256 cn_sha256;
int cn_sha256_begin(cn_sha256 **h);
void cn_sha256_update(cn_sha256 *h, const void *data, size_t len);
void cn_sha256_end(cn_sha256 **h, char hex[65]);

#endif
