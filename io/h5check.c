/* io/h5check.c - see h5check.h.  Serial HDF5 only (default driver). */
#include "h5check.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/err.h"
#include "../base/infile.h"

/* Longest fixed-length string element read (cnopt writes variable-length
 * strings; ids are at most 64 bytes, provenance strings a few kB). */
#define MAX_FIXED_STR 65536
/* A filtered (compressed) dataset may expand at most this much: deflate's
 * limit is about 1,032:1. */
#define MAX_EXPANSION 1024
/* Variable-length data and heap collections read from one file: at most
 * this many times the file's size (plus 1 MiB), so that references that all
 * name one large heap object cannot make the memory or time explode. */
#define MAX_VLEN_FACTOR 4

/* ------------------------------------------------ raw variable-length data */

/* The memory type of raw variable-length references: 4-byte length, the
 * collection address, 4-byte object index, zero-padded to 16 bytes. */
#define RAW_SIZE 16
static hid_t g_raw = -1;

/* A conversion from any variable-length type (its disk form) to g_raw that
 * copies the bytes: HDF5 reads the references from the file and never
 * touches the global heap. */
static herr_t raw_conv(hid_t src, hid_t dst, H5T_cdata_t *cd, size_t nelmts, size_t buf_stride,
                       size_t bkg_stride, void *buf, void *bkg, hid_t dxpl)
{
    (void)bkg_stride;
    (void)bkg;
    (void)dxpl;
    switch (cd->command) {
    case H5T_CONV_INIT:
        if ((H5Tget_class(src) != H5T_VLEN && H5Tis_variable_str(src) <= 0) || H5Tequal(dst, g_raw) <= 0)
            return -1;
        cd->need_bkg = H5T_BKG_NO;
        return 0;
    case H5T_CONV_FREE:
        return 0;
    case H5T_CONV_CONV: {
        size_t ss = H5Tget_size(src);
        if (ss < 4 + 2 + 4 || ss > RAW_SIZE || buf_stride != 0)
            return -1;
        unsigned char *b = buf;
        for (size_t i = nelmts; i-- > 0;) {   /* in place, last first: ss <= RAW_SIZE */
            unsigned char t[RAW_SIZE] = {0};
            memcpy(t, b + i * ss, ss);
            memcpy(b + i * RAW_SIZE, t, RAW_SIZE);
        }
        return 0;
    }
    default:
        return -1;
    }
}

static int raw_init(void)
{
    if (g_raw >= 0)
        return 0;
    hid_t r = H5Tcreate(H5T_OPAQUE, RAW_SIZE);
    hid_t vs = H5Tcopy(H5T_C_S1);
    int ok = r >= 0 && vs >= 0 && H5Tset_tag(r, "cnopt raw variable-length reference") >= 0 &&
             H5Tset_size(vs, H5T_VARIABLE) >= 0;
    g_raw = r;
    ok = ok && H5Tregister(H5T_PERS_SOFT, "cnopt raw vlen", vs, r, raw_conv) >= 0;
    if (vs >= 0)
        H5Tclose(vs);
    if (!ok) {
        if (r >= 0)
            H5Tclose(r);
        g_raw = -1;
        return -1;
    }
    return 0;
}

static uint64_t le(const unsigned char *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = n; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

/* Return the error code of expr, if any. */
#define TRY(expr)                   \
    do {                            \
        int r_ = (expr);            \
        if (r_ != CN_OK)            \
            return r_;              \
    } while (0)

static uint64_t align8(uint64_t v) { return (v + 7) & ~(uint64_t)7; }

/* ---------------------------------------------------------------- errors */

/* "FILE: KIND OBJ: message" */
static int bad(const cn_h5in *in, const char *kind, const char *obj, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int bad(const cn_h5in *in, const char *kind, const char *obj, const char *fmt, ...)
{
    char msg[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    H5Eclear2(H5E_DEFAULT);
    return CN_ERR(CN_EDATA, "%s: %s %s: %s", in->path, kind, obj, msg);
}

static const char *article(const char *s)
{
    return strchr("aeiou", s[0]) ? "an" : "a";
}

/* "float64", "int32", "uint8", "variable-length string", "string of 12 bytes", ... */
static void type_text(hid_t t, char *b, size_t n, int plural)
{
    size_t sz = H5Tget_size(t);
    const char *s = plural ? "s" : "";
    switch (H5Tget_class(t)) {
    case H5T_FLOAT: snprintf(b, n, "float%zu", sz * 8); break;
    case H5T_INTEGER: snprintf(b, n, "%sint%zu", H5Tget_sign(t) == H5T_SGN_NONE ? "u" : "", sz * 8); break;
    case H5T_STRING:
        if (H5Tis_variable_str(t) > 0)
            snprintf(b, n, "variable-length string%s", s);
        else
            snprintf(b, n, "string%s of %zu bytes", s, sz);
        break;
    case H5T_VLEN: snprintf(b, n, "variable-length sequence%s", s); break;
    case H5T_COMPOUND: snprintf(b, n, "compound%s", s); break;
    case H5T_ENUM: snprintf(b, n, "enum%s", s); break;
    case H5T_ARRAY: snprintf(b, n, "array type%s", s); break;
    case H5T_OPAQUE: snprintf(b, n, "opaque%s", s); break;
    case H5T_REFERENCE: snprintf(b, n, "reference%s", s); break;
    case H5T_BITFIELD: snprintf(b, n, "bitfield%s", s); break;
    case H5T_TIME: snprintf(b, n, "time%s", s); break;
    default: snprintf(b, n, "unknown type%s", s); break;
    }
}

static void dims_text(int rank, const uint64_t *dims, char *b, size_t n)
{
    size_t k = 0;
    b[0] = '\0';
    for (int j = 0; j < rank && k < n; j++)
        k += (size_t)snprintf(b + k, n - k, "%s%llu", j ? " x " : "", (unsigned long long)dims[j]);
}

/* "a float64", "a 1-D array (4096) of float64", "a string of 4096 bytes" */
static void found_text(hid_t t, hid_t sp, char *b, size_t n)
{
    char ty[64];
    H5S_class_t sc = sp >= 0 ? H5Sget_simple_extent_type(sp) : H5S_NO_CLASS;
    int rank = sc == H5S_SIMPLE ? H5Sget_simple_extent_ndims(sp) : 0;
    if (t < 0)
        snprintf(ty, sizeof ty, "unreadable type");
    else
        type_text(t, ty, sizeof ty, rank > 0);
    if (sc == H5S_NULL) {
        snprintf(b, n, "an empty (null dataspace) %s", ty);
    } else if (sc == H5S_SCALAR || rank == 0) {
        snprintf(b, n, "%s %s", article(ty), ty);
    } else if (rank > 0 && rank <= CN_H5IN_MAXRANK) {
        hsize_t hd[CN_H5IN_MAXRANK];
        uint64_t d[CN_H5IN_MAXRANK];
        char dt[200];
        H5Sget_simple_extent_dims(sp, hd, NULL);
        for (int j = 0; j < rank; j++)
            d[j] = hd[j];
        dims_text(rank, d, dt, sizeof dt);
        snprintf(b, n, "a %d-D array (%s) of %s", rank, dt, ty);
    } else {
        snprintf(b, n, "%s with %d dimensions", ty, rank);
    }
}

static const char *kind_text(int kind)
{
    return kind == CN_H5IN_F64 ? "float64" : kind == CN_H5IN_INT ? "integers" : "strings";
}

static void expected_text(int kind, int rank, const uint64_t *dims, char *b, size_t n)
{
    char dt[200];
    if (rank < 0) {
        snprintf(b, n, "%s", kind_text(kind));
    } else if (rank == 0) {
        snprintf(b, n, "a scalar %s", kind == CN_H5IN_F64 ? "float64" : kind == CN_H5IN_INT ? "integer" : "string");
    } else if (!dims) {
        snprintf(b, n, "a %d-D array of %s", rank, kind_text(kind));
    } else {
        dims_text(rank, dims, dt, sizeof dt);
        snprintf(b, n, "a %d-D array (%s) of %s", rank, dt, kind_text(kind));
    }
}

/* ------------------------------------------------------------ open/close */

static int header_check(cn_h5in *in, const char *kind, const char *label, haddr_t addr);

/* The superblock at file offset at: address and length sizes, the base
 * address, and the root group's object header, checked before H5Fopen loads
 * it (HDF5 allocates what a header claims: 2.4 GB for a 9 kB file, found by
 * fuzz_ckpt). */
static int super_check(cn_h5in *in, uint64_t at)
{
    unsigned char b[128];
    ssize_t got = pread(in->fd, b, sizeof b, (off_t)at);
    int ver = got >= 16 ? b[8] : -1;
    uint64_t p;
    if (ver == 0 || ver == 1) {
        in->sizeof_addr = b[13];
        in->sizeof_size = b[14];
        p = ver == 0 ? 24 : 28;
    } else if (ver == 2 || ver == 3) {
        in->sizeof_addr = b[9];
        in->sizeof_size = b[10];
        p = 12;
    } else {
        return CN_ERR(CN_EDATA, "%s: unsupported HDF5 superblock version %d", in->path, ver);
    }
    size_t sa = in->sizeof_addr;
    if ((sa != 2 && sa != 4 && sa != 8) || (in->sizeof_size != 2 && in->sizeof_size != 4 && in->sizeof_size != 8))
        return CN_ERR(CN_EDATA, "%s: unsupported HDF5 superblock (addresses of %zu bytes, lengths of %zu)",
                      in->path, sa, in->sizeof_size);
    /* base, (free space | extension), end of file, (driver | root header), then
     * in versions 0 and 1 the root's symbol table entry: name offset, header */
    uint64_t rootp = ver <= 1 ? p + 5 * sa : p + 3 * sa;
    if ((uint64_t)got < rootp + sa)
        return CN_ERR(CN_EDATA, "%s: the HDF5 superblock is cut short", in->path);
    uint64_t base = le(b + p, sa);
    if (base > in->size)
        return CN_ERR(CN_EDATA, "%s: the HDF5 superblock's base address %llu is past the end of the file",
                      in->path, (unsigned long long)base);
    in->base = base;
    return header_check(in, "group", "/", (haddr_t)le(b + rootp, sa));
}

int cn_h5in_open(const char *path, cn_h5in *in)
{
    memset(in, 0, sizeof *in);
    in->file = -1;
    in->fd = -1;
    in->path = path;
    FILE *fp = NULL;
    const char *why = NULL;
    if (cn_input_fopen(path, &fp, &why) != 0)
        return CN_ERR(CN_ENOINPUT, "cannot open %s: %s", path, why);
    in->fd = dup(fileno(fp));
    struct stat st;
    int e = in->fd < 0 || fstat(in->fd, &st) != 0 ? errno : 0;
    fclose(fp);
    if (e)
        return CN_ERR(CN_ENOINPUT, "cannot open %s: %s", path, strerror(e));
    in->size = (uint64_t)st.st_size;
    cn_h5_quiet_on(&in->quiet);
    in->quiet_set = 1;
    if (raw_init() != 0)
        return CN_ERR(CN_ESOFTWARE, "cannot register the HDF5 conversion of variable-length references");
    /* the signature, at 0, 512, 1024, 2048, ... (read here: H5Fis_hdf5 opens
     * the file with locking on, which fails on some cluster file systems) */
    int sig = 0;
    uint64_t at = 0;
    for (; at + 8 <= in->size; at = at ? 2 * at : 512) {
        unsigned char b[8];
        if ((sig = pread(in->fd, b, 8, (off_t)at) == 8 && memcmp(b, "\211HDF\r\n\032\n", 8) == 0))
            break;
    }
    if (!sig)
        return CN_ERR(CN_EDATA, "%s is not an HDF5 file", path);
    int rc = super_check(in, at);
    if (rc != CN_OK)
        return rc;
    /* read-only open of a finished file: no locking (it fails on some cluster
     * file systems, errno 37/524) */
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl >= 0)
        H5Pset_file_locking(fapl, 0, 1);
    in->file = H5Fopen(path, H5F_ACC_RDONLY, fapl >= 0 ? fapl : H5P_DEFAULT);
    if (fapl >= 0)
        H5Pclose(fapl);
    if (in->file < 0)
        return CN_H5FAIL(CN_EDATA, "cannot open as HDF5", path);
    hid_t fcpl = H5Fget_create_plist(in->file);
    hsize_t ub = 0;
    int ok = fcpl >= 0 && H5Pget_sizes(fcpl, &in->sizeof_addr, &in->sizeof_size) >= 0 &&
             H5Pget_userblock(fcpl, &ub) >= 0;
    if (fcpl >= 0)
        H5Pclose(fcpl);
    if (!ok || (in->sizeof_addr != 2 && in->sizeof_addr != 4 && in->sizeof_addr != 8) ||
        (in->sizeof_size != 2 && in->sizeof_size != 4 && in->sizeof_size != 8) || ub > in->size)
        return CN_ERR(CN_EDATA, "%s: unsupported HDF5 superblock (addresses of %zu bytes, lengths of %zu)",
                      path, in->sizeof_addr, in->sizeof_size);
    (void)ub;   /* the base address is the superblock's (super_check) */
    return CN_OK;
}

void cn_h5in_close(cn_h5in *in)
{
    if (in->file >= 0)
        H5Fclose(in->file);
    in->file = -1;
    if (in->fd >= 0)
        close(in->fd);
    in->fd = -1;
    if (in->quiet_set)
        cn_h5_quiet_off(&in->quiet);
    in->quiet_set = 0;
    free(in->heap);
    in->heap = NULL;
}

/* ------------------------------------------------------------------ links */

static int header_check(cn_h5in *in, const char *kind, const char *label, haddr_t addr);

int cn_h5in_exists(cn_h5in *in, const char *obj)
{
    char buf[512];
    if (strcmp(obj, "/") == 0)
        return CN_OK;
    if (obj[0] != '/' || strlen(obj) >= sizeof buf)
        return CN_ERR(CN_ESOFTWARE, "bad object path '%s'", obj);
    snprintf(buf, sizeof buf, "%s", obj);
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (H5Lexists(in->file, buf, H5P_DEFAULT) <= 0) {
            H5Eclear2(H5E_DEFAULT);
            return CN_H5IN_ABSENT;
        }
        H5L_info_t li;
        if (H5Lget_info(in->file, buf, &li, H5P_DEFAULT) < 0)
            return bad(in, "link", buf, "cannot be read");
        /* only hard links: a soft or external link may lead to another file */
        if (li.type != H5L_TYPE_HARD)
            return bad(in, "link", buf, "is %s %s link (cnopt files have hard links only)",
                       li.type == H5L_TYPE_EXTERNAL ? "an" : "a",
                       li.type == H5L_TYPE_SOFT ? "soft" : li.type == H5L_TYPE_EXTERNAL ? "external" : "user-defined");
        /* the object's header checked before HDF5 loads it (it allocates
         * what the header claims, and decodes attributes trusting them) */
        int hc = header_check(in, "object", buf, li.u.address);
        if (hc != CN_OK)
            return hc;
        if (c == '\0')
            return CN_OK;
        *p = c;
    }
}

/* ---------------------------------------------------- variable-length data */

/* Object idx of the global heap collection at addr: *data, *len point into
 * in->heap (valid until the next call). */
static int heap_object(cn_h5in *in, const char *kind, const char *obj, uint64_t addr, uint32_t idx,
                       const unsigned char **data, uint64_t *len)
{
    size_t ss = in->sizeof_size;
    uint64_t hdr = align8(8 + ss), ohdr = align8(8 + ss);
    uint64_t limit = MAX_VLEN_FACTOR * in->size + (1u << 20);
    if (!in->heap || in->heap_addr != addr) {
        free(in->heap);
        in->heap = NULL;
        unsigned char h[32];
        if (addr > in->size || in->base > in->size - addr || in->size - in->base - addr < hdr)
            return bad(in, kind, obj, "a string's heap collection at address %llu is outside the file "
                       "(%llu bytes)", (unsigned long long)addr, (unsigned long long)in->size);
        off_t off = (off_t)(in->base + addr);
        if (pread(in->fd, h, (size_t)hdr, off) != (ssize_t)hdr || memcmp(h, "GCOL", 4) != 0 || h[4] != 1)
            return bad(in, kind, obj, "address %llu is not a global heap collection",
                       (unsigned long long)addr);
        uint64_t csize = le(h + 8, ss);
        if (csize < hdr || csize > in->size - (uint64_t)off)
            return bad(in, kind, obj, "the global heap collection at address %llu claims %llu bytes; "
                       "the file has %llu after it", (unsigned long long)addr, (unsigned long long)csize,
                       (unsigned long long)(in->size - (uint64_t)off));
        if ((in->strbytes += csize) > limit)
            return bad(in, kind, obj, "more variable-length data than %d times the file's size",
                       MAX_VLEN_FACTOR);
        if (!(in->heap = malloc((size_t)csize)))
            return CN_ERR(CN_EOSERR, "%s: out of memory reading a heap collection of %llu bytes",
                          in->path, (unsigned long long)csize);
        if (pread(in->fd, in->heap, (size_t)csize, off) != (ssize_t)csize) {
            free(in->heap);
            in->heap = NULL;
            return bad(in, kind, obj, "cannot read the global heap collection at address %llu",
                       (unsigned long long)addr);
        }
        in->heap_addr = addr;
        in->heap_len = csize;
    }
    /* the objects, each a header (index, reference count, reserved, size)
     * and its data padded to 8 bytes, up to the free space (index 0) */
    for (uint64_t p = hdr; p + ohdr <= in->heap_len;) {
        uint32_t id = (uint32_t)le(in->heap + p, 2);
        uint64_t osz = le(in->heap + p + 8, ss);
        if (id == 0)
            break;
        if (osz > in->heap_len - p - ohdr)
            return bad(in, kind, obj, "heap object %u at address %llu claims %llu bytes, past the end "
                       "of its collection", id, (unsigned long long)addr, (unsigned long long)osz);
        if (id == idx) {
            *data = in->heap + p + ohdr;
            *len = osz;
            return CN_OK;
        }
        p += ohdr + align8(osz);
    }
    return bad(in, kind, obj, "heap object %u is not in the collection at address %llu", idx,
               (unsigned long long)addr);
}

/* The bytes of the variable-length element raw (a g_raw reference) whose
 * base type has esize bytes: *count elements at *data (NULL when 0). */
static int vlen_data(cn_h5in *in, const char *kind, const char *obj, const unsigned char *raw,
                     size_t esize, const unsigned char **data, uint64_t *count)
{
    uint64_t n = le(raw, 4), addr = le(raw + 4, in->sizeof_addr);
    uint32_t idx = (uint32_t)le(raw + 4 + in->sizeof_addr, 4);
    *data = NULL;
    *count = 0;
    if (n == 0)
        return CN_OK;
    if (addr == 0)
        return bad(in, kind, obj, "a variable-length element of %llu items has no heap address",
                   (unsigned long long)n);
    const unsigned char *d = NULL;
    uint64_t len = 0;
    TRY(heap_object(in, kind, obj, addr, idx, &d, &len));
    if (n > len / esize)
        return bad(in, kind, obj, "a variable-length element claims %llu items; its heap object holds "
                   "%llu bytes", (unsigned long long)n, (unsigned long long)len);
    uint64_t limit = MAX_VLEN_FACTOR * in->size + (1u << 20);
    if ((in->strbytes += n * esize) > limit)
        return bad(in, kind, obj, "more variable-length data than %d times the file's size",
                   MAX_VLEN_FACTOR);
    *data = d;
    *count = n;
    return CN_OK;
}

/* A new string from raw reference raw. */
static int vlen_str(cn_h5in *in, const char *kind, const char *obj, const unsigned char *raw, char **out)
{
    const unsigned char *d = NULL;
    uint64_t n = 0;
    *out = NULL;
    TRY(vlen_data(in, kind, obj, raw, 1, &d, &n));
    char *s = malloc((size_t)n + 1);
    if (!s)
        return CN_ERR(CN_EOSERR, "%s: out of memory", in->path);
    if (n)
        memcpy(s, d, (size_t)n);
    s[n] = '\0';
    *out = s;
    return CN_OK;
}

/* ------------------------------------------------- object header checks */

/* HDF5 1.10.8 decodes an attribute message trusting its sizes (the data is
 * copied for the element count times the type size, past the message when
 * those lie: a heap overread found by fuzz_ckpt), so before HDF5 looks at
 * the attributes of an object, its header is read here (pread) and every
 * attribute message checked: name, datatype and dataspace inside the
 * message, and the data they imply too.  Version 1 and 2 headers with their
 * continuation chunks; attributes in dense storage (a fractal heap, for
 * objects with many attributes in files of the latest format) are not
 * checked here (cnopt writes none). */

/* Bytes the datatype message at p (n bytes) gives each element, 0 when it
 * cannot tell. */
static uint64_t dtype_size(const cn_h5in *in, const unsigned char *p, uint64_t n)
{
    if (n < 8)
        return 0;
    if ((p[0] & 0x0f) == 9)   /* variable-length: stored as length, heap address, index */
        return 8 + in->sizeof_addr;
    return le(p + 4, 4);
}

/* Elements of the dataspace message at p (n bytes); -1 when malformed. */
static int64_t dspace_points(const cn_h5in *in, const unsigned char *p, uint64_t n)
{
    if (n < 4)
        return -1;
    int ver = p[0], rank = p[1];
    uint64_t at = ver == 1 ? 8 : 4, pts = 1;
    if ((ver != 1 && ver != 2) || rank > 32)
        return -1;
    if (ver == 2 && p[3] == 2)
        return 0;             /* null dataspace */
    if (at + (uint64_t)rank * in->sizeof_size > n)
        return -1;
    for (int j = 0; j < rank; j++) {
        uint64_t d = le(p + at + (uint64_t)j * in->sizeof_size, in->sizeof_size);
        if (d && pts > (UINT64_MAX >> 8) / d)
            return -1;
        pts *= d;
    }
    return (int64_t)pts;
}

/* The undefined address (all bits set) in the file's address size. */
static uint64_t sa_undef(const cn_h5in *in)
{
    return in->sizeof_addr >= 8 ? UINT64_MAX : (UINT64_C(1) << (8 * in->sizeof_addr)) - 1;
}

/* CN_OK when the attribute message at p (n bytes) is consistent. */
static int attr_msg_ok(const cn_h5in *in, const unsigned char *p, uint64_t n)
{
    if (n < 8)
        return 0;
    int ver = p[0], flags = p[1];
    uint64_t nm = le(p + 2, 2), dt = le(p + 4, 2), ds = le(p + 6, 2), at = ver == 3 ? 9 : 8;
    if (ver < 1 || ver > 3)
        return 0;
    uint64_t a8 = ver == 1 ? 7 : 0;   /* version 1 pads each part to 8 bytes */
    uint64_t pn = (nm + a8) & ~a8, pt = (dt + a8) & ~a8, ps = (ds + a8) & ~a8;
    if (nm == 0 || at + pn + pt + ps > n)
        return 0;
    if (ver > 1 && (flags & 3))
        return 1;             /* shared datatype or dataspace: sizes not here */
    uint64_t esz = dtype_size(in, p + at + pn, dt);
    int64_t pts = dspace_points(in, p + at + pn + pt, ds);
    if (pts < 0 || (pts > 0 && esz == 0) || (esz && (uint64_t)pts > UINT64_MAX / esz))
        return 0;
    return (uint64_t)pts * esz <= n - at - pn - pt - ps;
}

/* Check every attribute message of the object header at addr. */
static int header_check(cn_h5in *in, const char *kind, const char *label, haddr_t addr)
{
    for (int i = 0; i < in->nchecked; i++)
        if (in->checked[i] == addr)
            return CN_OK;
    struct hchunk { uint64_t off, len; int v2; } chunk[64];
    int nch = 0, ver = 0;
    unsigned char pre[64];
    uint64_t off = in->base + addr;
    if (addr >= in->size || off > in->size - 16 || pread(in->fd, pre, 16, (off_t)off) != 16)
        return bad(in, kind, label, "its object header at address %llu is outside the file",
                   (unsigned long long)addr);
    if (pre[0] == 1) {        /* version 1: 16-byte prefix, then the first chunk */
        ver = 1;
        chunk[nch++] = (struct hchunk){off + 16, le(pre + 8, 4), 0};
    } else if (memcmp(pre, "OHDR", 4) == 0 && pre[4] == 2) {
        ver = 2;
        int fl = pre[5];
        uint64_t at = 6 + ((fl & 0x20) ? 16 : 0) + ((fl & 0x10) ? 4 : 0);
        unsigned w = 1u << (fl & 3);
        unsigned char b[8];
        if (off > in->size - at - w || pread(in->fd, b, w, (off_t)(off + at)) != (ssize_t)w)
            return bad(in, kind, label, "its object header is cut short");
        chunk[nch++] = (struct hchunk){off + at + w, le(b, w), 1};
    } else {
        return bad(in, kind, label, "address %llu is not an object header",
                   (unsigned long long)addr);
    }
    uint64_t total = 0;
    for (int c = 0; c < nch; c++) {
        uint64_t co = chunk[c].off, cl = chunk[c].len;
        if (co > in->size || cl > in->size - co || (total += cl) > in->size)
            return bad(in, kind, label, "its object header claims %llu bytes past the end of the file",
                       (unsigned long long)cl);
        unsigned char *b = malloc(cl ? (size_t)cl : 1);
        if (!b)
            return CN_ERR(CN_EOSERR, "%s: out of memory", in->path);
        if (pread(in->fd, b, (size_t)cl, (off_t)co) != (ssize_t)cl) {
            free(b);
            return bad(in, kind, label, "cannot read its object header");
        }
        uint64_t p = 0;
        if (ver == 2 && c > 0)
            p = 4;            /* "OCHK" */
        uint64_t end = ver == 2 ? (cl >= 4 ? cl - 4 : 0) : cl;   /* version 2: a checksum last */
        int hsz = ver == 1 ? 8 : 4;
        while (p + (uint64_t)hsz <= end) {
            unsigned type = ver == 1 ? (unsigned)le(b + p, 2) : b[p];
            uint64_t msz = le(b + p + (ver == 1 ? 2 : 1), 2);
            uint64_t h = (uint64_t)hsz + (ver == 2 && (b[p + 3] & 0x04) ? 2 : 0);
            if (p + h > end || msz > end - p - h) {
                free(b);
                return bad(in, kind, label, "a message of its object header runs past its chunk");
            }
            const unsigned char *m = b + p + h;
            if (type == 0x0C && !attr_msg_ok(in, m, msz)) {
                free(b);
                return bad(in, kind, label, "a corrupted attribute message in its object header "
                           "(its parts or its data do not fit its %llu bytes)", (unsigned long long)msz);
            }
            /* link info (0x02) or attribute info (0x15) naming a fractal heap:
             * dense storage, which HDF5 1.10.8 parses trusting the file (a
             * SEGV freeing a link table, found by fuzz_result); cnopt writes
             * none */
            if (type == 0x02 || type == 0x15) {
                uint64_t q = msz < 2 ? 0 : 2 + ((m[1] & 1) ? (type == 0x02 ? 8 : 2) : 0);
                uint64_t undef = sa_undef(in);
                if (msz < 2 || msz < q + in->sizeof_addr || le(m + q, in->sizeof_addr) != undef) {
                    free(b);
                    return bad(in, kind, label, "has %s in dense storage (a fractal heap; cnopt files "
                               "have none)", type == 0x02 ? "links" : "attributes");
                }
            }
            if (type == 0x10) {   /* continuation: address, length */
                if (msz < in->sizeof_addr + in->sizeof_size || nch == (int)(sizeof chunk / sizeof chunk[0])) {
                    free(b);
                    return bad(in, kind, label, "its object header has a bad or too long chain of chunks");
                }
                chunk[nch].off = in->base + le(m, in->sizeof_addr);
                chunk[nch].len = le(m + in->sizeof_addr, in->sizeof_size);
                chunk[nch].v2 = ver == 2;
                nch++;
            }
            p += h + msz;
        }
        free(b);
    }
    if (in->nchecked < (int)(sizeof in->checked / sizeof in->checked[0]))
        in->checked[in->nchecked++] = addr;
    return CN_OK;
}

int cn_h5in_check_object(cn_h5in *in, const char *obj, haddr_t addr)
{
    return header_check(in, "object", obj, addr);
}

/* The attributes of obj, checked (header_check) before HDF5 decodes them. */
static int attrs_check(cn_h5in *in, const char *obj, const char *label)
{
    H5O_info_t oi;
    if (H5Oget_info_by_name2(in->file, obj, &oi, H5O_INFO_BASIC, H5P_DEFAULT) < 0)
        return bad(in, "attribute", label, "its object cannot be opened");
    return header_check(in, "attribute", label, oi.addr);
}

/* ------------------------------------------------------------- attributes */

/* Open attribute name of obj: 1 with *a, *t, *sp open (one element), 0
 * absent, negative error. */
static int attr_open(cn_h5in *in, const char *obj, const char *name, char *label, size_t ln, hid_t *a,
                     hid_t *t, hid_t *sp)
{
    *a = *t = *sp = -1;
    snprintf(label, ln, "%s%s%s", obj, strcmp(obj, "/") == 0 ? "" : "/", name);
    int ex = cn_h5in_exists(in, obj);
    if (ex != CN_OK)
        return ex;
    if ((ex = attrs_check(in, obj, label)) != CN_OK)
        return ex;
    htri_t has = H5Aexists_by_name(in->file, obj, name, H5P_DEFAULT);
    if (has == 0)
        return CN_H5IN_ABSENT;
    if (has < 0 || (*a = H5Aopen_by_name(in->file, obj, name, H5P_DEFAULT, H5P_DEFAULT)) < 0 ||
        (*t = H5Aget_type(*a)) < 0 || (*sp = H5Aget_space(*a)) < 0)
        return bad(in, "attribute", label, "cannot be opened");
    return CN_OK;
}

static void attr_close(hid_t a, hid_t t, hid_t sp)
{
    if (sp >= 0) H5Sclose(sp);
    if (t >= 0) H5Tclose(t);
    if (a >= 0) H5Aclose(a);
}

static int one_element(hid_t sp)
{
    H5S_class_t c = H5Sget_simple_extent_type(sp);
    return c == H5S_SCALAR || (c == H5S_SIMPLE && H5Sget_simple_extent_npoints(sp) == 1);
}

int cn_h5in_attr_str(cn_h5in *in, const char *obj, const char *name, char *buf, size_t n)
{
    char label[600], found[300];
    hid_t a, t, sp, mt = -1;
    buf[0] = '\0';
    int rc = attr_open(in, obj, name, label, sizeof label, &a, &t, &sp);
    if (rc != CN_OK)
        goto done;
    if (H5Tget_class(t) != H5T_STRING || !one_element(sp)) {
        found_text(t, sp, found, sizeof found);
        rc = bad(in, "attribute", label, "expected a string, found %s", found);
        goto done;
    }
    if (H5Tis_variable_str(t) > 0) {
        unsigned char raw[RAW_SIZE];
        char *s = NULL;
        /* the reference HDF5 copies out must be there (length, address, index) */
        if (H5Aget_storage_size(a) < 8 + in->sizeof_addr) {
            rc = bad(in, "attribute", label, "holds %llu bytes, less than a string reference",
                     (unsigned long long)H5Aget_storage_size(a));
            goto done;
        }
        if (H5Aread(a, g_raw, raw) < 0) {
            rc = bad(in, "attribute", label, "cannot be read");
            goto done;
        }
        if ((rc = vlen_str(in, "attribute", label, raw, &s)) != CN_OK)
            goto done;
        if (strlen(s) >= n)
            rc = bad(in, "attribute", label, "expected a string of at most %zu bytes, found one of %zu",
                     n - 1, strlen(s));
        else
            snprintf(buf, n, "%s", s);
        free(s);
    } else {
        size_t sz = H5Tget_size(t);
        char *tmp = NULL;
        if (sz == 0 || sz > MAX_FIXED_STR || H5Aget_storage_size(a) < sz) {
            rc = bad(in, "attribute", label, "expected a string of at most %zu bytes, found one of %zu",
                     n - 1, sz);
            goto done;
        }
        if (!(tmp = calloc(sz + 2, 1)) || (mt = H5Tcopy(t)) < 0 || H5Tset_size(mt, sz + 1) < 0 ||
            H5Tset_strpad(mt, H5T_STR_NULLTERM) < 0 || H5Aread(a, mt, tmp) < 0) {
            rc = tmp ? bad(in, "attribute", label, "cannot be read") : CN_ERR(CN_EOSERR, "out of memory");
        } else if (strlen(tmp) >= n) {
            rc = bad(in, "attribute", label, "expected a string of at most %zu bytes, found one of %zu",
                     n - 1, strlen(tmp));
        } else {
            snprintf(buf, n, "%s", tmp);
        }
        free(tmp);
    }
done:
    if (mt >= 0) H5Tclose(mt);
    attr_close(a, t, sp);
    if (rc != CN_OK)
        buf[0] = '\0';
    return rc;
}

static int attr_num(cn_h5in *in, const char *obj, const char *name, int kind, void *v)
{
    char label[600], found[300];
    hid_t a, t, sp;
    int rc = attr_open(in, obj, name, label, sizeof label, &a, &t, &sp);
    if (rc != CN_OK)
        goto done;
    H5T_class_t c = H5Tget_class(t);
    size_t sz = H5Tget_size(t);
    int ok = kind == CN_H5IN_F64 ? c == H5T_FLOAT && sz >= 2 && sz <= 16 : c == H5T_INTEGER && sz >= 1 && sz <= 8;
    if (!ok || !one_element(sp)) {
        found_text(t, sp, found, sizeof found);
        rc = bad(in, "attribute", label, "expected a scalar %s, found %s",
                 kind == CN_H5IN_F64 ? "float64" : "integer", found);
        goto done;
    }
    if (H5Aread(a, kind == CN_H5IN_F64 ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT64, v) < 0) {
        rc = bad(in, "attribute", label, "cannot be read");
        goto done;
    }
done:
    attr_close(a, t, sp);
    return rc;
}

int cn_h5in_attr_f64(cn_h5in *in, const char *obj, const char *name, double *v)
{
    double x = NAN;
    int rc = attr_num(in, obj, name, CN_H5IN_F64, &x);
    if (rc == CN_OK)
        *v = x;
    return rc;
}

int cn_h5in_attr_i64(cn_h5in *in, const char *obj, const char *name, int64_t lo, int64_t hi, int64_t *v)
{
    int64_t x = 0;
    int rc = attr_num(in, obj, name, CN_H5IN_INT, &x);
    if (rc == CN_OK && (x < lo || x > hi)) {
        char label[600];
        snprintf(label, sizeof label, "%s%s%s", obj, strcmp(obj, "/") == 0 ? "" : "/", name);
        return bad(in, "attribute", label, "%lld is out of range (%lld..%lld)", (long long)x,
                   (long long)lo, (long long)hi);
    }
    if (rc == CN_OK)
        *v = x;
    return rc;
}

/* --------------------------------------------------------------- datasets */

/* Open dataset obj and check it (cn_h5in_shape_of): *d and *t open on CN_OK. */
static int ds_open(cn_h5in *in, const char *obj, hid_t *d, hid_t *t, cn_h5in_shape *sh)
{
    int rc = CN_OK;
    char found[300];
    hid_t o = -1, sp = -1, dcpl = -1;
    *d = *t = -1;
    memset(sh, 0, sizeof *sh);
    int ex = cn_h5in_exists(in, obj);
    if (ex == CN_H5IN_ABSENT)
        return bad(in, "dataset", obj, "missing");
    if (ex != CN_OK)
        return ex;
    if ((o = H5Oopen(in->file, obj, H5P_DEFAULT)) < 0)
        return bad(in, "dataset", obj, "cannot be opened");
    if (H5Iget_type(o) != H5I_DATASET) {
        rc = bad(in, "dataset", obj, "is not a dataset (%s)", H5Iget_type(o) == H5I_GROUP ? "a group" : "a named type");
        goto done;
    }
    *d = o;
    o = -1;
    if ((*t = H5Dget_type(*d)) < 0 || (sp = H5Dget_space(*d)) < 0 || (dcpl = H5Dget_create_plist(*d)) < 0) {
        rc = bad(in, "dataset", obj, "cannot be read");
        goto done;
    }
    H5T_class_t c = H5Tget_class(*t);
    size_t esize = H5Tget_size(*t);
    int vstr = c == H5T_STRING && H5Tis_variable_str(*t) > 0;
    if (c == H5T_FLOAT && esize >= 2 && esize <= 16)
        sh->kind = CN_H5IN_F64;
    else if (c == H5T_INTEGER && esize >= 1 && esize <= 8)
        sh->kind = CN_H5IN_INT;
    else if (c == H5T_STRING && (vstr || (esize >= 1 && esize <= MAX_FIXED_STR)))
        sh->kind = CN_H5IN_STR;
    else {
        found_text(*t, sp, found, sizeof found);
        rc = bad(in, "dataset", obj, "expected reals, integers or strings, found %s", found);
        goto done;
    }
    H5S_class_t sc = H5Sget_simple_extent_type(sp);
    int rank = sc == H5S_SIMPLE ? H5Sget_simple_extent_ndims(sp) : sc == H5S_SCALAR ? 0 : -1;
    if (rank < 0 || rank > CN_H5IN_MAXRANK) {
        found_text(*t, sp, found, sizeof found);
        rc = bad(in, "dataset", obj, "expected at most %d dimensions, found %s", CN_H5IN_MAXRANK, found);
        goto done;
    }
    hsize_t hd[CN_H5IN_MAXRANK];
    if (rank > 0 && H5Sget_simple_extent_dims(sp, hd, NULL) != rank) {
        rc = bad(in, "dataset", obj, "cannot read its dimensions");
        goto done;
    }
    sh->rank = rank;
    sh->n = 1;
    for (int j = 0; j < rank; j++) {
        sh->dims[j] = hd[j];
        if (hd[j] && sh->n > (UINT64_MAX >> 4) / hd[j]) {
            char dt[200];
            dims_text(rank, sh->dims, dt, sizeof dt);
            rc = bad(in, "dataset", obj, "claims %s elements, more than any file can hold", dt);
            goto done;
        }
        sh->n *= hd[j];
    }
    /* what the file holds: storage for every element, inside the file (a
     * variable-length element is stored as its length, a heap address and
     * an object index) */
    if (vstr)
        esize = 8 + in->sizeof_addr;
    uint64_t need = sh->n * esize;
    H5D_layout_t lay = H5Pget_layout(dcpl);
    uint64_t stor = H5Dget_storage_size(*d);
    if (lay == H5D_VIRTUAL || H5Pget_external_count(dcpl) > 0) {
        rc = bad(in, "dataset", obj, "has %s storage (cnopt reads data inside the file only)",
                 lay == H5D_VIRTUAL ? "virtual" : "external");
        goto done;
    }
    if (need == 0)
        goto done;
    if (lay == H5D_CONTIGUOUS) {
        haddr_t off = H5Dget_offset(*d);
        if (off == HADDR_UNDEF || stor < need || off > in->size || stor > in->size - off ||
            in->base > in->size - off - stor) {
            rc = bad(in, "dataset", obj, "claims %llu elements (%llu bytes) but the file holds %llu bytes "
                     "of its data", (unsigned long long)sh->n, (unsigned long long)need,
                     off == HADDR_UNDEF || off > in->size ? 0ULL
                     : (unsigned long long)(stor < in->size - off ? stor : in->size - off));
            goto done;
        }
    } else if (lay == H5D_COMPACT) {
        if (stor < need) {
            rc = bad(in, "dataset", obj, "claims %llu elements (%llu bytes) but holds %llu bytes",
                     (unsigned long long)sh->n, (unsigned long long)need, (unsigned long long)stor);
            goto done;
        }
    } else if (lay == H5D_CHUNKED) {
        if (stor > in->size || need / MAX_EXPANSION > stor) {
            rc = bad(in, "dataset", obj, "claims %llu elements (%llu bytes) from %llu bytes of chunks "
                     "(at most %d times expanded)", (unsigned long long)sh->n, (unsigned long long)need,
                     (unsigned long long)stor, MAX_EXPANSION);
            goto done;
        }
    } else {
        rc = bad(in, "dataset", obj, "has an unknown storage layout");
        goto done;
    }
done:
    if (o >= 0) H5Oclose(o);
    if (sp >= 0) H5Sclose(sp);
    if (dcpl >= 0) H5Pclose(dcpl);
    if (rc != CN_OK) {
        if (*t >= 0) H5Tclose(*t);
        if (*d >= 0) H5Dclose(*d);
        *d = *t = -1;
    }
    return rc;
}

int cn_h5in_shape_of(cn_h5in *in, const char *obj, cn_h5in_shape *sh)
{
    hid_t d, t;
    int rc = ds_open(in, obj, &d, &t, sh);
    if (rc == CN_OK) {
        H5Tclose(t);
        H5Dclose(d);
    }
    return rc;
}

/* Open obj and check its kind and shape against rank x dims (rank < 0: any). */
static int ds_expect(cn_h5in *in, const char *obj, int kind, int rank, const uint64_t *dims, hid_t *d,
                     hid_t *t, cn_h5in_shape *sh)
{
    TRY(ds_open(in, obj, d, t, sh));
    int ok = sh->kind == kind && (rank < 0 || sh->rank == rank);
    for (int j = 0; ok && dims && rank > 0 && j < rank; j++)
        ok = sh->dims[j] == dims[j];
    if (ok)
        return CN_OK;
    char want[300], found[300];
    hid_t sp = H5Dget_space(*d);
    expected_text(kind, rank, dims, want, sizeof want);
    found_text(*t, sp, found, sizeof found);
    if (sp >= 0)
        H5Sclose(sp);
    H5Tclose(*t);
    H5Dclose(*d);
    *d = *t = -1;
    return bad(in, "dataset", obj, "expected %s, found %s", want, found);
}

static int ds_read_num(cn_h5in *in, const char *obj, int kind, int rank, const uint64_t *dims, void **out,
                       cn_h5in_shape *shp)
{
    cn_h5in_shape sh;
    hid_t d, t;
    *out = NULL;
    TRY(ds_expect(in, obj, kind, rank, dims, &d, &t, &sh));
    void *buf = cn_calloc(sh.n ? (size_t)sh.n : 1, 8);
    int rc = buf ? CN_OK : CN_EOSERR;
    if (buf && sh.n > 0 &&
        H5Dread(d, kind == CN_H5IN_F64 ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT64, H5S_ALL, H5S_ALL,
                H5P_DEFAULT, buf) < 0)
        rc = bad(in, "dataset", obj, "cannot be read");
    H5Tclose(t);
    H5Dclose(d);
    if (rc != CN_OK) {
        free(buf);
        return rc;
    }
    *out = buf;
    if (shp)
        *shp = sh;
    return CN_OK;
}

int cn_h5in_read_f64(cn_h5in *in, const char *obj, int rank, const uint64_t *dims, int flags,
                     double **out, cn_h5in_shape *shp)
{
    cn_h5in_shape sh;
    double *v = NULL;
    *out = NULL;
    TRY(ds_read_num(in, obj, CN_H5IN_F64, rank, dims, (void **)&v, &sh));
    for (uint64_t i = 0; (flags & CN_H5IN_FINITE) && i < sh.n; i++)
        if (!isfinite(v[i])) {
            int rc = bad(in, "dataset", obj, "element %llu is %g (expected a finite number)",
                         (unsigned long long)i, v[i]);
            free(v);
            return rc;
        }
    *out = v;
    if (shp)
        *shp = sh;
    return CN_OK;
}

int cn_h5in_read_i64(cn_h5in *in, const char *obj, int rank, const uint64_t *dims, int64_t lo, int64_t hi,
                     int64_t **out, cn_h5in_shape *shp)
{
    cn_h5in_shape sh;
    int64_t *v = NULL;
    *out = NULL;
    TRY(ds_read_num(in, obj, CN_H5IN_INT, rank, dims, (void **)&v, &sh));
    for (uint64_t i = 0; i < sh.n; i++)
        if (v[i] < lo || v[i] > hi) {
            int rc = bad(in, "dataset", obj, "element %llu is %lld, out of range (%lld..%lld)",
                         (unsigned long long)i, (long long)v[i], (long long)lo, (long long)hi);
            free(v);
            return rc;
        }
    *out = v;
    if (shp)
        *shp = sh;
    return CN_OK;
}

void cn_h5in_free_strs(char **s, uint64_t n)
{
    if (!s)
        return;
    for (uint64_t i = 0; i < n; i++)
        free(s[i]);
    free(s);
}

int cn_h5in_read_strs(cn_h5in *in, const char *obj, int rank, const uint64_t *dims, char ***out,
                      cn_h5in_shape *shp)
{
    cn_h5in_shape sh;
    hid_t d, t, mt = -1;
    unsigned char *raw = NULL;
    char *fixed = NULL, **s = NULL;
    *out = NULL;
    TRY(ds_expect(in, obj, CN_H5IN_STR, rank, dims, &d, &t, &sh));
    int rc = CN_OK;
    if (!(s = cn_calloc(sh.n ? (size_t)sh.n : 1, sizeof *s))) {
        rc = CN_EOSERR;
        goto done;
    }
    if (sh.n == 0)
        goto done;
    if (H5Tis_variable_str(t) > 0) {
        if (!(raw = cn_calloc((size_t)sh.n, RAW_SIZE))) {
            rc = CN_EOSERR;
            goto done;
        }
        if (H5Dread(d, g_raw, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) < 0) {
            rc = bad(in, "dataset", obj, "cannot be read");
            goto done;
        }
        for (uint64_t i = 0; i < sh.n && rc == CN_OK; i++)
            rc = vlen_str(in, "dataset", obj, raw + i * RAW_SIZE, &s[i]);
    } else {
        size_t sz = H5Tget_size(t);
        if (!(fixed = cn_calloc((size_t)sh.n, sz + 1))) {
            rc = CN_EOSERR;
            goto done;
        }
        /* slots one byte longer than the file's, so each is terminated */
        if ((mt = H5Tcopy(t)) < 0 || H5Tset_size(mt, sz + 1) < 0 || H5Tset_strpad(mt, H5T_STR_NULLTERM) < 0 ||
            H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, fixed) < 0) {
            rc = bad(in, "dataset", obj, "cannot be read");
            goto done;
        }
        for (uint64_t i = 0; i < sh.n && rc == CN_OK; i++)
            if (!(s[i] = cn_strdup(fixed + i * (sz + 1))))
                rc = CN_EOSERR;
    }
done:
    free(raw);
    free(fixed);
    if (mt >= 0) H5Tclose(mt);
    H5Tclose(t);
    H5Dclose(d);
    if (rc != CN_OK) {
        cn_h5in_free_strs(s, sh.n);
        return rc;
    }
    *out = s;
    if (shp)
        *shp = sh;
    return CN_OK;
}

/* ------------------------------------------------------ dimension scales */

int cn_h5in_scale_info(cn_h5in *in, const char *obj, int *is_scale, char *name, size_t n, int rank,
                       haddr_t *scale_addr)
{
    char cls[64], label[600], found[300];
    *is_scale = 0;
    name[0] = '\0';
    for (int j = 0; j < rank; j++)
        scale_addr[j] = HADDR_UNDEF;
    int got = cn_h5in_attr_str(in, obj, "CLASS", cls, sizeof cls);
    if (got != CN_OK && got != CN_H5IN_ABSENT)
        return got;
    *is_scale = got == CN_OK && strcmp(cls, "DIMENSION_SCALE") == 0;
    if (*is_scale && (got = cn_h5in_attr_str(in, obj, "NAME", name, n)) != CN_OK &&
        got != CN_H5IN_ABSENT)
        return got;
    if (rank == 0)
        return CN_OK;
    hid_t a, t, sp, bt = -1;
    int rc = attr_open(in, obj, "DIMENSION_LIST", label, sizeof label, &a, &t, &sp);
    if (rc == CN_H5IN_ABSENT)
        return CN_OK;
    if (rc != CN_OK)
        return rc;
    unsigned char *raw = NULL;
    bt = H5Tget_class(t) == H5T_VLEN ? H5Tget_super(t) : -1;
    if (bt < 0 || H5Tget_class(bt) != H5T_REFERENCE || H5Tget_size(bt) != in->sizeof_addr ||
        H5Sget_simple_extent_type(sp) != H5S_SIMPLE || H5Sget_simple_extent_npoints(sp) != rank) {
        found_text(t, sp, found, sizeof found);
        rc = bad(in, "attribute", label, "expected %d variable-length sequences of object references, "
                 "found %s", rank, found);
        goto done;
    }
    if (!(raw = cn_calloc((size_t)rank, RAW_SIZE))) {
        rc = CN_EOSERR;
        goto done;
    }
    if (H5Aread(a, g_raw, raw) < 0) {
        rc = bad(in, "attribute", label, "cannot be read");
        goto done;
    }
    rc = CN_OK;
    for (int j = 0; j < rank && rc == CN_OK; j++) {
        const unsigned char *dat = NULL;
        uint64_t cnt = 0;
        rc = vlen_data(in, "attribute", label, raw + (size_t)j * RAW_SIZE, in->sizeof_addr, &dat, &cnt);
        if (rc == CN_OK && cnt > 0)
            scale_addr[j] = (haddr_t)le(dat, in->sizeof_addr);
    }
done:
    free(raw);
    if (bt >= 0)
        H5Tclose(bt);
    attr_close(a, t, sp);
    return rc;
}
