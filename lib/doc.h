/*
 * doc.h - documents a provider sends (license scans, DEA registrations,
 * malpractice declaration pages, board certificates, CVs, attestations),
 * kept inside the organization's database.
 *
 * Content is stored once per SHA-256 (doc_contents); each documents row
 * says whose it is, what kind, under what name, who added it, and its
 * review state.  Both tables are evidence: triggers refuse a change of a
 * document's content, hash or provider and any DELETE.  The review
 * columns are written only by ctp_doc_review.
 *
 * Content goes in and out through SQLite's incremental blob I/O in
 * chunks of CTP_DOC_CHUNK bytes, so memory does not grow with the size
 * of a document.  Only regular files are added: their size is known
 * from fstat before anything is written (the blob is made that size with
 * zeroblob and filled); a pipe or a device is refused.
 */
#ifndef CTP_DOC_H
#define CTP_DOC_H

#include <stdio.h>
#include <sys/types.h>

#include <sqlite3.h>

#include "auth.h"
#include "err.h"
#include "hash.h"
#include "out.h"

#define CTP_DOC_CHUNK		65536
#define CTP_DOC_MAX_DEFAULT	26214400LL	/* setting doc_max_bytes */

/* The document kinds, NULL-terminated. */
extern const char *const ctp_doc_kinds[];
/* The message for a kind that is none of them. */
#define CTP_DOC_KIND_UNKNOWN "unknown document kind (one of license, dea, " \
	"malpractice, board_cert, cv, attestation, other)"
int	ctp_doc_kind_valid(const char *kind);	/* 1 or 0 */
/*
 * The kind a file name suggests (case-insensitive): "license", "dea",
 * "malpractice", "board_cert" (board or board_cert), "cv", "attestation",
 * else "other".  Static string.
 */
const char *ctp_doc_kind_guess(const char *name);

/*
 * The type of content from its first n bytes (at least 8 are looked at
 * when there are that many): "application/pdf", "image/png",
 * "image/jpeg", "image/tiff", or NULL.  Plain text ("text/plain") needs
 * the whole content: see ctp_doc_add.
 */
const char *ctp_doc_sniff(const unsigned char *p, size_t n);

/* One document as ctp_doc_get fills it; free with ctp_doc_clear. */
struct ctp_doc {
	long long id;
	long long provider_id;
	long long credential_id;	/* 0 when none */
	char npi[11];
	char kind[16];
	char sha256[CTP_SHA256_HEX];
	char mime[24];
	long long size;
	char *name;
	char *added_by;
	char *added_at;		/* RFC 3339 UTC */
	char review[10];	/* pending, approved, rejected */
	char *reviewed_by;	/* NULL while pending */
	char *reviewed_at;
	char *review_note;
};
void	ctp_doc_clear(struct ctp_doc *);

/*
 * What ctp_doc_add tells its hook and its caller about the document.
 */
struct ctp_doc_added {
	long long id;		/* the documents row */
	int existing;		/* 1: same bytes, provider and kind already */
	long long provider_id;
	char sha256[CTP_SHA256_HEX];
	const char *mime;	/* static */
	long long size;
};

/*
 * The extraction hook: called inside ctp_doc_add's open write
 * transaction after the documents row and its doc.add audit event are
 * written, before the commit.  Its writes commit with the document; a
 * non-zero return rolls everything back (the document is not added) and
 * is ctp_doc_add's result.  Not called when the document existed.
 */
typedef int (*ctp_doc_hook)(struct ctp_ctx *c,
	    const struct ctp_doc_added *d, void *arg, struct ctp_error *e);

struct ctp_doc_add {
	const char *npi;
	const char *kind;		/* one of ctp_doc_kinds */
	long long credential_id;	/* 0: none; else the provider's */
	const char *name;	/* recorded name; NULL: the path's last part */
	ctp_doc_hook hook;	/* NULL: none */
	void *hook_arg;
};

/*
 * Store the regular file open on fd (read from its current offset to
 * its end) for a->npi, with a doc.add audit event (sha256, size, mime,
 * kind, name) in one transaction.  Refused, with nothing written:
 * unknown NPI or kind or a credential not the provider's (CTP_DATAERR),
 * not a regular file, an empty file, one over doc_max_bytes, content of
 * no known type ("unknown type"), a file that changed size while read
 * (all CTP_DATAERR, where = the name).  The same content is stored once:
 * another provider or kind gets a new documents row pointing at it; the
 * same provider and kind: r->existing 1 and r->id the existing row,
 * nothing written.  r may be NULL.
 */
int	ctp_doc_add_fd(struct ctp_ctx *c, const struct ctp_doc_add *a, int fd,
	    struct ctp_doc_added *r, struct ctp_error *e);
/* The same for a path (opened O_NOFOLLOW: a symbolic link is refused). */
int	ctp_doc_add_path(struct ctp_ctx *c, const struct ctp_doc_add *a,
	    const char *path, struct ctp_doc_added *r, struct ctp_error *e);

/* Document id: 0, or CTP_DATAERR "no such document" (where = "ID"). */
int	ctp_doc_get(sqlite3 *db, long long id, struct ctp_doc *d,
	    struct ctp_error *e);
/*
 * The latest (highest id) document of kind for provider pid whose review
 * is review (NULL: any): *found 1 and d filled, or *found 0.
 */
int	ctp_doc_latest(sqlite3 *db, long long pid, const char *kind,
	    const char *review, struct ctp_doc *d, int *found,
	    struct ctp_error *e);

/*
 * Stream a document's content: open, read until it returns 0, close.
 * ctp_doc_read returns the bytes read into buf (at most n), 0 at the
 * end, -1 with e filled on an error.
 */
struct ctp_doc_reader;
int	ctp_doc_read_open(sqlite3 *db, long long id,
	    struct ctp_doc_reader **r, struct ctp_error *e);
ssize_t	ctp_doc_read(struct ctp_doc_reader *r, void *buf, size_t n,
	    struct ctp_error *e);
long long ctp_doc_read_size(const struct ctp_doc_reader *r);
void	ctp_doc_read_close(struct ctp_doc_reader *r);
/* The whole content of document id to f, in chunks: 0 or the error. */
int	ctp_doc_copy(sqlite3 *db, long long id, FILE *f, struct ctp_error *e);

/*
 * The one writer of a document's review state: state "approved" or
 * "rejected" (a rejection needs a note), from "pending" only; audit
 * doc.approve / doc.reject with the sha256.  Inside the caller's
 * transaction when one is open, else in its own.  A document already
 * decided: CTP_DATAERR.
 */
int	ctp_doc_review(struct ctp_ctx *c, long long id, const char *state,
	    const char *note, struct ctp_error *e);

/*
 * List documents (of npi, or all when NULL; added on or after since,
 * YYYY-MM-DD, when not NULL), oldest first, as ctp_doc_columns.
 */
int	ctp_doc_list(struct ctp_ctx *c, const char *npi, const char *since,
	    struct ctp_out *o, long long *count, struct ctp_error *e);
extern const struct ctp_col ctp_doc_columns[];
#define CTP_DOC_NCOLUMNS 10

/*
 * get (doc_get.c): document id to path through the safe-output helper
 * (outfile.h; force: CTP_OUTFILE_FORCE), or to standard output when path
 * is NULL (refused on a terminal), with a doc.download audit event
 * (sha256, output) committed before the file is named or the first byte
 * is written to standard output.
 */
int	ctp_doc_download(struct ctp_ctx *c, long long id, const char *path,
	    int force, struct ctp_error *e);
/* show: document id as rows of ctp_doc_show_columns (field, value). */
int	ctp_doc_show(struct ctp_ctx *c, long long id, struct ctp_out *o,
	    struct ctp_error *e);
extern const struct ctp_col ctp_doc_show_columns[];
#define CTP_DOC_SHOW_NCOLUMNS 2

#endif
