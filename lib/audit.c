/*
 * audit.c - the audit log (audit.h): appending events, one at a time or
 * queued by a run, each hashed into the chain, and listing them.  The
 * checks of the chain, its machinery and its anchors are audit_verify.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "buf.h"
#include "date.h"
#include "db.h"
#include "mem.h"
#include "out.h"
#include "schema.h"


/* "LEN:" then the bytes and a newline: no field can pass for two. */
static char *
put_field(char *w, const char *s, size_t n)
{
	char num[24], *p = num + sizeof(num);
	size_t k = n;

	*--p = ':';
	do {
		*--p = (char)('0' + k % 10);
		k /= 10;
	} while (k);
	memcpy(w, p, (size_t)(num + sizeof(num) - p));
	w += num + sizeof(num) - p;
	memcpy(w, s, n);
	w += n;
	*w++ = '\n';
	return w;
}

int
ctp_audit_hash_bytes(const char *const f[8], const size_t len[8],
    char out[CTP_SHA256_HEX])
{
	size_t total = 0;
	char stack[1024], *buf, *w;
	int i, rc;

	for (i = 0; i < 8; i++)
		total += len[i] + 24;
	/* A row is a few hundred bytes: on the stack unless larger. */
	if ((buf = total <= sizeof(stack) ? stack : ctp_malloc(total)) == NULL)
		return -1;
	w = buf;
	for (i = 0; i < 8; i++)
		w = put_field(w, f[i], len[i]);
	rc = ctp_sha256_hex(buf, (size_t)(w - buf), out);
	if (buf != stack)
		free(buf);
	return rc;
}

int
ctp_audit_hash(const char *prev, long long seq, const char *ts,
    const char *actor, const char *action, const char *obj_type,
    const char *obj_id, const char *detail, char out[CTP_SHA256_HEX])
{
	const char *f[8];
	size_t len[8];
	char num[CTP_LLD_LEN];
	int i;

	ctp_lld(seq, num);
	f[0] = prev;
	f[1] = num;
	f[2] = ts;
	f[3] = actor;
	f[4] = action;
	f[5] = obj_type;
	f[6] = obj_id;
	f[7] = detail;
	for (i = 0; i < 8; i++) {
		if (f[i] == NULL)
			f[i] = "";
		len[i] = strlen(f[i]);
	}
	return ctp_audit_hash_bytes(f, len, out);
}

#define QUEUE_ROWS 64

struct qrow {
	long long seq;
	char ts[CTP_TS_LEN];
	char prev[CTP_SHA256_HEX], hash[CTP_SHA256_HEX];
	size_t off[4];	/* action, obj_type, obj_id, detail in text */
};

/*
 * The log on one connection (a ctp_ctx's audit): the statements it
 * keeps; the last row it appended in its open write transaction (which
 * no other writer can append to), forgotten at every commit and
 * rollback; and the rows ctp_audit_queue holds.
 */
struct ctp_audit_state {
	sqlite3_stmt *last, *insert;
	sqlite3_stmt *full;	/* QUEUE_ROWS rows a statement */
	int known;
	long long seq;
	char hash[CTP_SHA256_HEX];
	size_t n;		/* rows queued */
	struct qrow row[QUEUE_ROWS];
	struct ctp_buf text;	/* the rows' strings, each NUL-ended */
	time_t sec;		/* ts is this second */
	char ts[CTP_TS_LEN];
};

/*
 * A transaction ended: the head may move under other writers.  A commit
 * with rows still queued is refused: the change would go in without its
 * events.
 */
static int
on_commit(void *arg)
{
	struct ctp_audit_state *a = arg;

	a->known = 0;
	return a->n > 0;
}

static void
on_rollback(void *arg)
{
	struct ctp_audit_state *a = arg;

	a->known = 0;
	a->n = 0;
	ctp_buf_reset(&a->text);
}

int
ctp_audit_attach(struct ctp_ctx *c, struct ctp_error *e)
{
	if ((c->audit = ctp_calloc(1, sizeof(*c->audit))) == NULL)
		return ctp_err_nomem(e, "audit log");
	sqlite3_commit_hook(c->db, on_commit, c->audit);
	sqlite3_rollback_hook(c->db, on_rollback, c->audit);
	return 0;
}

void
ctp_audit_detach(struct ctp_ctx *c)
{
	struct ctp_audit_state *a = c->audit;

	if (a == NULL)
		return;
	sqlite3_commit_hook(c->db, NULL, NULL);
	sqlite3_rollback_hook(c->db, NULL, NULL);
	sqlite3_finalize(a->last);
	sqlite3_finalize(a->insert);
	sqlite3_finalize(a->full);
	ctp_buf_free(&a->text);
	free(a);
	c->audit = NULL;
}

/*
 * The next row's seq and previous hash: the row this connection wrote
 * last in its open transaction (nobody else appends then), else the
 * table's last row.
 */
static int
head(struct ctp_ctx *c, long long *seq, char prev[CTP_SHA256_HEX],
    struct ctp_error *e)
{
	struct ctp_audit_state *a = c->audit;
	sqlite3_stmt *st;
	int rc;

	if (a->known && !sqlite3_get_autocommit(c->db)) {
		*seq = a->seq + 1;
		memcpy(prev, a->hash, CTP_SHA256_HEX);
		return 0;
	}
	if (a->last == NULL && ctp_db_prepare(c->db, &a->last,
	    "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", e))
		return e->code;
	st = a->last;
	*seq = 1;
	memcpy(prev, CTP_AUDIT_ZERO_HASH, CTP_SHA256_HEX);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0) + 1;
		snprintf(prev, CTP_SHA256_HEX, "%s", ctp_col_text(st, 1));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(c->db, rc, "audit log", e);
	return 0;
}

/* INSERT for n rows: ?1 the actor, then 8 a row. */
static int
queue_prepare(sqlite3 *db, size_t n, sqlite3_stmt **st, struct ctp_error *e)
{
	return ctp_db_prepare_rows(db, st, "INSERT INTO audit (seq, ts, actor, "
	    "action, obj_type, obj_id, detail, prev_hash, hash) VALUES ",
	    "(#,#,?1,#,#,#,#,#,#)", n, 2, e);
}

static int prepare_insert(struct ctp_ctx *, struct ctp_error *);

/* Fewer than a statement's rows: the one-row insert, already prepared,
 * costs less than preparing a statement for these few. */
static int
flush_one_by_one(struct ctp_ctx *c, struct ctp_error *e)
{
	struct ctp_audit_state *q = c->audit;
	sqlite3_stmt *st;
	size_t i;
	int rc, k;

	if ((rc = prepare_insert(c, e)) != 0)
		return rc;
	st = q->insert;
	for (i = 0; i < q->n; i++) {
		struct qrow *r = &q->row[i];

		sqlite3_bind_int64(st, 1, r->seq);
		sqlite3_bind_text(st, 2, r->ts, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, c->user, -1, SQLITE_STATIC);
		for (k = 0; k < 4; k++)
			sqlite3_bind_text(st, 4 + k, q->text.s + r->off[k], -1,
			    SQLITE_STATIC);
		sqlite3_bind_text(st, 8, r->prev, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 9, r->hash, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		if (rc != SQLITE_DONE) {
			/* Those written stay with the transaction, which
			 * the caller rolls back on this error. */
			return ctp_db_err(c->db, rc, "audit log", e);
		}
	}
	q->n = 0;
	ctp_buf_reset(&q->text);
	return 0;
}

int
ctp_audit_flush(struct ctp_ctx *c, struct ctp_error *e)
{
	struct ctp_audit_state *q = c->audit;
	sqlite3_stmt *st;
	size_t i;
	int rc, p, k;

	if (q->n == 0)
		return 0;
	if (q->n < QUEUE_ROWS)
		return flush_one_by_one(c, e);
	if (q->full == NULL &&
	    (rc = queue_prepare(c->db, QUEUE_ROWS, &q->full, e)) != 0)
		return rc;
	st = q->full;
	sqlite3_bind_text(st, 1, c->user, -1, SQLITE_STATIC);
	for (i = 0; i < q->n; i++) {
		struct qrow *r = &q->row[i];

		p = 2 + 8 * (int)i;
		sqlite3_bind_int64(st, p, r->seq);
		sqlite3_bind_text(st, p + 1, r->ts, -1, SQLITE_STATIC);
		for (k = 0; k < 4; k++)
			sqlite3_bind_text(st, p + 2 + k, q->text.s + r->off[k],
			    -1, SQLITE_STATIC);
		sqlite3_bind_text(st, p + 6, r->prev, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, p + 7, r->hash, -1, SQLITE_STATIC);
	}
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(c->db, rc, "audit log", e);
	q->n = 0;
	ctp_buf_reset(&q->text);
	return 0;
}

int
ctp_audit_queue(struct ctp_ctx *c, const char *action, const char *obj_type,
    const char *obj_id, const char *detail, struct ctp_error *e)
{
	struct ctp_audit_state *q = c->audit;
	struct qrow *r;
	const char *f[4];
	time_t now;
	int i, rc;

	if (sqlite3_get_autocommit(c->db))
		return ctp_errf(e, CTP_SOFTWARE, "audit log",
		    "events queued outside a transaction");
	if (q->n == QUEUE_ROWS && (rc = ctp_audit_flush(c, e)) != 0)
		return rc;
	r = &q->row[q->n];
	if ((rc = head(c, &r->seq, r->prev, e)) != 0)
		return rc;
	/* One timestamp a second, not a strftime an event. */
	if ((now = time(NULL)) != q->sec || q->ts[0] == '\0') {
		ctp_timestamp(q->ts);
		q->sec = now;
	}
	memcpy(r->ts, q->ts, sizeof(r->ts));
	f[0] = action;
	f[1] = obj_type ? obj_type : "";
	f[2] = obj_id ? obj_id : "";
	f[3] = detail ? detail : "{}";
	for (i = 0; i < 4; i++) {
		r->off[i] = q->text.len;
		if (ctp_buf_add(&q->text, f[i], strlen(f[i]) + 1) < 0)
			return ctp_err_nomem(e, "audit log");
	}
	if (ctp_audit_hash(r->prev, r->seq, r->ts, c->user, f[0], f[1], f[2],
	    f[3], r->hash) < 0)
		return ctp_errf(e, CTP_SOFTWARE, "audit log", "sha-256 failed");
	q->n++;
	q->seq = r->seq;
	memcpy(q->hash, r->hash, sizeof(q->hash));
	q->known = 1;
	return 0;
}

static int
prepare_insert(struct ctp_ctx *c, struct ctp_error *e)
{
	if (c->audit->insert == NULL && ctp_db_prepare(c->db, &c->audit->insert,
	    "INSERT INTO audit (seq, ts, actor, action, obj_type, obj_id, "
	    "detail, prev_hash, hash) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)", e))
		return e->code;
	return 0;
}

static int
append(struct ctp_ctx *c, const char *action, const char *obj_type,
    const char *obj_id, const char *detail, struct ctp_error *e)
{
	sqlite3_stmt *st;
	long long seq = 1;
	char prev[CTP_SHA256_HEX], hash[CTP_SHA256_HEX], ts[CTP_TS_LEN];
	int rc;

	if ((rc = prepare_insert(c, e)) != 0)
		return rc;
	if ((rc = ctp_audit_flush(c, e)) != 0)
		return rc;
	if ((rc = head(c, &seq, prev, e)) != 0)
		return rc;
	ctp_timestamp(ts);
	if (obj_type == NULL)
		obj_type = "";
	if (obj_id == NULL)
		obj_id = "";
	if (ctp_audit_hash(prev, seq, ts, c->user, action, obj_type, obj_id,
	    detail, hash) < 0)
		return ctp_errf(e, CTP_SOFTWARE, "audit log", "sha-256 failed");
	/* Every string outlives the step; the bindings are cleared after. */
	st = c->audit->insert;
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_text(st, 2, ts, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, obj_type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, obj_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, detail, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(c->db, rc, "audit log", e);
	c->audit->seq = seq;
	memcpy(c->audit->hash, hash, sizeof(c->audit->hash));
	c->audit->known = 1;
	return 0;
}

int
ctp_audit_raw(struct ctp_ctx *c, const char *action, const char *obj_type,
    const char *obj_id, const char *detail, struct ctp_error *e)
{
	int own, rc;

	own = sqlite3_get_autocommit(c->db);
	if (own && (rc = ctp_db_begin(c->db, e)) != 0)
		return rc;
	rc = append(c, action, obj_type, obj_id, detail ? detail : "{}", e);
	if (own) {
		if (rc == 0)
			rc = ctp_db_commit(c->db, e);
		if (rc != 0)
			ctp_db_rollback(c->db);
	}
	return rc;
}

int
ctp_audit(struct ctp_ctx *c, const char *action, const char *obj_type,
    const char *obj_id, json_t *detail, struct ctp_error *e)
{
	char *d;
	int rc;

	d = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS |
	    JSON_ENSURE_ASCII) : NULL;
	if (detail && d == NULL)
		return ctp_err_nomem(e, "audit log");
	rc = ctp_audit_raw(c, action, obj_type, obj_id, d, e);
	free(d);
	return rc;
}

static const struct ctp_col audit_cols[] = {
	{ "seq", CTP_COL_INT },
	{ "ts", CTP_COL_STR },
	{ "actor", CTP_COL_STR },
	{ "action", CTP_COL_STR },
	{ "object_type", CTP_COL_STR },
	{ "object_id", CTP_COL_STR },
	{ "detail", CTP_COL_JSON },
	{ "prev_hash", CTP_COL_STR },
	{ "hash", CTP_COL_STR },
};

const struct ctp_col *
ctp_audit_columns(int with_hashes, size_t *n)
{
	*n = with_hashes ? 9 : 7;
	return audit_cols;
}

int
ctp_audit_list(struct ctp_ctx *c, const struct ctp_audit_filter *f,
    struct ctp_out *o, long long *count, struct ctp_error *e)
{
	sqlite3_stmt *st;
	int n;
	char until[CTP_TS_LEN + 4];

	n = f->with_hashes ? 9 : 7;
	*count = 0;
	/* until is a date, inclusive: compare against the next day's start. */
	if (f->until)
		snprintf(until, sizeof(until), "%sT99", f->until);
	if (ctp_db_prepare(c->db, &st, "SELECT seq, ts, actor, action, "
	    "obj_type, obj_id, detail, prev_hash, hash FROM audit "
	    "WHERE (?1 IS NULL OR ts >= ?1) AND (?2 IS NULL OR ts < ?2) "
	    "AND (?3 IS NULL OR actor = ?3) "
	    "AND (?4 IS NULL OR action = ?4 OR action LIKE ?4 || '.%') "
	    "ORDER BY seq", e))
		return e->code;
	ctp_bind_text(st, 1, f->since);
	ctp_bind_text(st, 2, f->until ? until : NULL);
	ctp_bind_text(st, 3, f->actor);
	ctp_bind_text(st, 4, f->action);
	return ctp_db_out_rows(st, o, n, count, "audit log", e);
}
