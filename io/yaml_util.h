/* io/yaml_util.h - the libyaml event plumbing shared by the YAML readers
 * (io/scenario.c: scenario files, io/sweep.c: job files).
 *
 * A file is read in two passes over one in-memory buffer: pass 1 parses the
 * whole stream only to find a syntax error, so that it is reported alone and
 * not after complaints about the half-parsed node before it; pass 2 is the
 * reader's walk over the events.  Anchors, aliases and tags are refused and
 * nothing is ever expanded; nesting is bounded.  Every problem in the input is
 * a diagnostic "FILE:LINE:COLUMN: message" (cn_diag_add) counted in nerr; only
 * out of memory is an error (fatal).  Wording: docs/input-format.md section 3
 * and docs/sweeps.md.
 */
#ifndef CN_YAML_UTIL_H
#define CN_YAML_UTIL_H

#include <stddef.h>
#include <yaml.h>

/* The parse state of one file, embedded in each reader's context.  The
 * reader reads dead, nerr and fatal and may set them (dead: stop the walk;
 * nerr: a diagnostic it added itself; fatal: an error code it recorded). */
typedef struct cn_yaml {
    yaml_parser_t p;
    int live;                  /* p is initialised (cn_yaml_free deletes it) */
    const char *path;          /* file name in diagnostics (not owned) */
    const unsigned char *buf;  /* the input, after a UTF-8 byte order mark (not owned) */
    size_t len;
    size_t nchars;             /* characters of buf (libyaml's mark.index counts them) */
    long eof_col;              /* column after the last character when buf ends without
                                * a line break, else 0 (cn_yaml_pos) */
    const char *file_noun;     /* "scenario file": "... is empty", "(a ... holds one)" */
    const char *props_noun;    /* "a scenario": "anchors are not allowed in ..." */
    int max_depth;             /* nesting bound of the document (cn_yaml_open) */
    int dead;                  /* syntax error (reported), or the reader stopped */
    int nerr;                  /* diagnostics recorded */
    int fatal;                 /* error code (CN_EOSERR), recorded with CN_ERR */
} cn_yaml;

/* The file at path, whole: *buf (the caller frees it) and *len.  Returns
 * CN_OK; CN_ENOINPUT when it is missing (diagnostic not_found, e.g. "scenario
 * file not found"), a directory or unreadable ("cannot open FILE_NOUN: ...",
 * "cannot read FILE_NOUN"); CN_EDATA when it is larger than max_bytes
 * ("FILE_NOUN is larger than N MiB", in KiB below 10 MiB); CN_EOSERR (error
 * recorded); CN_ETEMPFAIL when a signal arrived while reading (error
 * recorded: cn_signals_check_reading).  Diagnostics are at line 0 of path.
 * The file must be a regular file: a FIFO, a device or a socket is refused
 * ("cannot open FILE_NOUN: not a regular file (a FIFO...)", CN_ENOINPUT)
 * without blocking (base/infile.h). */
int cn_yaml_read_file(const char *path, const char *file_noun, const char *not_found,
                      long max_bytes, unsigned char **buf, size_t *len);

/* Set up y over buf[0..len) (kept by reference; a leading UTF-8 byte order
 * mark is skipped: columns are unchanged).  Nothing is allocated. */
void cn_yaml_init(cn_yaml *y, const char *path, const unsigned char *buf, size_t len,
                  const char *file_noun, const char *props_noun, int max_depth);
/* Pass 1 (syntax and nesting only), then a fresh parser for the walk.  Pass 1
 * stops at the first node nested deeper than max_depth levels, counted from
 * the document's root node (level 1): "nesting deeper than N levels", reported
 * alone, before libyaml has read far past it.  Returns CN_OK or
 * CN_EOSERR (the parser cannot be initialised; error recorded).  On CN_OK,
 * y->dead says that pass 1 found a problem (reported; y->fatal set if it was
 * out of memory); otherwise cn_yaml_next gives the stream from its start. */
int cn_yaml_open(cn_yaml *y);
/* Delete the parser, if any.  y itself is the caller's. */
void cn_yaml_free(cn_yaml *y);

/* FILE:LINE:COLUMN of a libyaml mark, 1-based; a mark at the end of a file
 * without a final line break is put just after its last character (libyaml
 * puts it on a line that does not exist). */
void cn_yaml_pos(const cn_yaml *y, yaml_mark_t m, long *line, long *col);
/* Record a diagnostic at mark m (0-based in libyaml, 1-based in the message)
 * and count it. */
void cn_yaml_diag(cn_yaml *y, yaml_mark_t m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Next event: 1 with *ev filled (the caller deletes it).  0 after a syntax
 * or reader error (reported, y->dead set), out of memory (y->fatal), a
 * signal (y->fatal = CN_ETEMPFAIL, error recorded) or when y->dead is
 * already set; *ev is then not filled. */
int cn_yaml_next(cn_yaml *y, yaml_event_t *ev);
/* Report an alias, or an anchor or tag on a node's first event ev.  Returns
 * 1 if one was reported (the node is not consumed). */
int cn_yaml_refuse_props(cn_yaml *y, const yaml_event_t *ev);
/* Consume the rest of the node whose first event is ev (ev is not deleted);
 * its depth is bounded by pass 1 (cn_yaml_open). */
void cn_yaml_skip_node(cn_yaml *y, const yaml_event_t *ev);
/* How a node is named in a message: "a mapping", "a list", "an alias", or a
 * scalar's text in quotes (control characters escaped) written into buf. */
const char *cn_yaml_node_kind(const yaml_event_t *ev, char *buf, size_t n);
/* A null of the YAML 1.2 core schema, for plain scalars: "", ~, null, Null, NULL. */
int cn_yaml_is_null(const char *s);

/* The events of a one-document stream around its root node.  cn_yaml_root
 * consumes stream start and document start and returns 1 with the root's
 * first event in *ev (the caller deletes it); 0 if the stream is empty
 * ("FILE_NOUN is empty", y->dead set) or on a syntax error.  cn_yaml_end,
 * after the root (nothing when y->dead or y->fatal), consumes document end
 * and reports a second document. */
int cn_yaml_root(cn_yaml *y, yaml_event_t *ev);
void cn_yaml_end(cn_yaml *y);

#endif
