/*
 * audit.h - the append-only, hash-chained audit log.
 *
 * Each row: seq, ts (RFC 3339 UTC), actor, action, obj_type, obj_id,
 * detail (canonical JSON: compact, keys sorted), prev_hash and hash, where
 * hash = SHA-256(prev_hash, seq, ts, actor, action, obj_type, obj_id,
 * detail), each field length-prefixed.  The first row's prev_hash is 64
 * zeros.  Triggers refuse UPDATE and DELETE.  seq is stored as an integer
 * and every other column as text, bound from C strings: verify holds the
 * stored bytes and types to that.
 */
#ifndef CTP_AUDIT_H
#define CTP_AUDIT_H

#include <jansson.h>
#include <sqlite3.h>

#include "auth.h"
#include "err.h"
#include "hash.h"

struct ctp_out;

/*
 * Append one event as c->user.  detail may be NULL ({}); it is borrowed.
 * Inside the caller's transaction if one is open (so the change and its
 * event commit together), else in a transaction of its own.
 */
int	ctp_audit(struct ctp_ctx *c, const char *action, const char *obj_type,
	    const char *obj_id, json_t *detail, struct ctp_error *e);

/*
 * ctp_audit with the detail already in canonical form (exactly what
 * json_dumps gives with JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII;
 * NULL is {}), for a caller that writes many events and builds the text
 * itself.  Borrowed.
 */
int	ctp_audit_raw(struct ctp_ctx *c, const char *action,
	    const char *obj_type, const char *obj_id, const char *detail,
	    struct ctp_error *e);

/*
 * Many events inside the caller's open write transaction (a run that
 * writes one per provider): each is numbered and hashed into the chain
 * now, its strings copied, and the rows are written 64 to a statement.
 * Any other event appended meanwhile (ctp_audit, ctp_audit_raw) writes
 * the queued rows first, so the table fills in chain order.  The caller
 * calls ctp_audit_flush before its commit; a commit with rows still
 * queued is refused (and rolled back), a rollback drops them.
 */
int	ctp_audit_queue(struct ctp_ctx *c, const char *action,
	    const char *obj_type, const char *obj_id, const char *detail,
	    struct ctp_error *e);
int	ctp_audit_flush(struct ctp_ctx *c, struct ctp_error *e);

/*
 * For auth.c: the log's state on c's connection (its statements, the
 * head it last wrote, the queue), which ctp_audit_attach allocates into
 * c->audit, setting the connection's commit and rollback hooks, and
 * ctp_audit_detach frees, before the connection closes.
 */
int	ctp_audit_attach(struct ctp_ctx *c, struct ctp_error *e);
void	ctp_audit_detach(struct ctp_ctx *c);

/* The first row's previous hash. */
#define CTP_AUDIT_ZERO_HASH \
    "0000000000000000000000000000000000000000000000000000000000000000"

/*
 * SHA-256 over the fields of a row, each as "LEN:" then its bytes and a
 * newline: f[0] the previous hash, f[1] seq in decimal, then ts, actor,
 * action, obj_type, obj_id and detail, f[i] being len[i] bytes.
 */
int	ctp_audit_hash_bytes(const char *const f[8], const size_t len[8],
	    char out[CTP_SHA256_HEX]);

/* The row's hash from its fields (exposed for tests and verify). */
int	ctp_audit_hash(const char *prev, long long seq, const char *ts,
	    const char *actor, const char *action, const char *obj_type,
	    const char *obj_id, const char *detail, char out[CTP_SHA256_HEX]);

#define CTP_AUDIT_PROBLEMS 8

struct ctp_audit_check {
	long long rows;		/* rows read */
	long long first_bad;	/* 0 when the chain holds */
	char reason[160];
	long long head_seq;
	char head_hash[CTP_SHA256_HEX];
	/*
	 * The append-only machinery (table and triggers) where it is not as
	 * ctp created it: nproblems differences, the first
	 * CTP_AUDIT_PROBLEMS of them described.
	 */
	int nproblems;
	char problem[CTP_AUDIT_PROBLEMS][160];
};

/*
 * Check the audit table's schema and its triggers against what ctp
 * creates (schema.h), then walk the chain: each row's seq, the storage
 * type of every column (seq an integer, the rest text without a NUL
 * byte), its previous hash and its hash over the bytes stored.  Returns
 * 0 when the log could be read (see r->nproblems and r->first_bad).
 */
int	ctp_audit_verify(sqlite3 *db, struct ctp_audit_check *r,
	    struct ctp_error *e);

/*
 * Anchors: lines of `ctp-audit head` ("SEQ HASH") kept outside the
 * database.  Each must still be in the chain, which shows rows removed
 * from the end and a chain rewritten with recomputed hashes.
 */
struct ctp_audit_anchor {
	long long line;		/* in the file, from 1 */
	long long seq;
	char hash[CTP_SHA256_HEX];	/* lower case */
};

struct ctp_audit_anchors {
	char *name;		/* the file, or "stdin" */
	struct ctp_audit_anchor *v;
	size_t n, cap;
	/* By ctp_audit_anchors_check: */
	size_t failed;		/* anchors not in the chain */
	long long first_line;	/* the first of them in the file */
	char reason[160];	/* and why */
};

/*
 * One line of s (n bytes, which may hold NULs; a trailing newline is
 * allowed): 1 and *seq, hash set when it is a sequence number and a
 * SHA-256 in hex with blanks around them; 0 for a blank line or a #
 * comment; -1 for anything else.
 */
int	ctp_audit_anchor_parse(const char *s, size_t n, long long *seq,
	    char hash[CTP_SHA256_HEX]);
/*
 * Read every anchor of path ("-" is standard input): CTP_NOINPUT,
 * CTP_IOERR, or CTP_DATAERR at "FILE:LINE" for a malformed line, a's
 * memory then freed.  Free with ctp_audit_anchors_free.
 */
int	ctp_audit_anchors_read(const char *path, struct ctp_audit_anchors *a,
	    struct ctp_error *e);
/* Hold a's anchors to the chain r walked (a->failed and on). */
int	ctp_audit_anchors_check(sqlite3 *db, const struct ctp_audit_check *r,
	    struct ctp_audit_anchors *a, struct ctp_error *e);
void	ctp_audit_anchors_free(struct ctp_audit_anchors *a);

struct ctp_audit_filter {
	const char *since;	/* YYYY-MM-DD, inclusive, or NULL */
	const char *until;	/* YYYY-MM-DD, inclusive, or NULL */
	const char *actor;
	const char *action;
	int with_hashes;	/* export: include prev_hash and hash */
};

/* Write matching rows to o (columns from ctp_audit_columns). */
int	ctp_audit_list(struct ctp_ctx *c, const struct ctp_audit_filter *f,
	    struct ctp_out *o, long long *count, struct ctp_error *e);
/* Column set for ctp_audit_list; n receives the count. */
const struct ctp_col *ctp_audit_columns(int with_hashes, size_t *n);

#endif
