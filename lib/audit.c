/*
 * audit.c - the audit log (audit.h): appending events, one at a time or
 * queued by a run, each hashed into the chain; verifying the chain and
 * its anchors; listing.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "buf.h"
#include "date.h"
#include "db.h"
#include "mem.h"
#include "out.h"
#include "schema.h"

static const char zero_hash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

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

/* SHA-256 over the fields, each put_field: f[0] prev, f[1] seq, then
 * ts, actor, action, obj_type, obj_id and detail, each len[i] bytes. */
static int
hash_fields(const char *const f[8], const size_t len[8],
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
	char num[32];
	int i;

	snprintf(num, sizeof(num), "%lld", seq);
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
	return hash_fields(f, len, out);
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
	memcpy(prev, zero_hash, CTP_SHA256_HEX);
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

static void
problem(struct ctp_audit_check *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* One more way the machinery differs; the first CTP_AUDIT_PROBLEMS kept. */
static void
problem(struct ctp_audit_check *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nproblems < CTP_AUDIT_PROBLEMS) {
		va_start(ap, fmt);
		vsnprintf(r->problem[r->nproblems], sizeof(r->problem[0]), fmt,
		    ap);
		va_end(ap);
	}
	r->nproblems++;
}

/*
 * The append-only machinery: the audit table and its triggers exactly as
 * ctp_schema_audit gives them, and no other trigger on the table (one
 * could swallow or rewrite every new row).  A trigger on another table
 * is none of the log's business.
 */
static int
check_machinery(sqlite3 *db, struct ctp_audit_check *r, struct ctp_error *e)
{
	const struct ctp_schema_object *o;
	sqlite3_stmt *st;
	const char *type, *name, *tbl, *sql;
	unsigned seen = 0;
	size_t i, n;
	int rc;

	if (ctp_db_prepare(db, &st, "SELECT type, name, tbl_name, sql "
	    "FROM sqlite_master WHERE type = 'table' OR type = 'trigger' "
	    "ORDER BY type, name", e))
		return e->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		type = ctp_col_text(st, 0);
		name = ctp_col_text(st, 1);
		tbl = ctp_col_text(st, 2);
		sql = ctp_col_text(st, 3);
		n = (size_t)sqlite3_column_bytes(st, 3);
		for (i = 0, o = ctp_schema_audit; o->name; i++, o++)
			if (strcmp(type, o->type) == 0 &&
			    strcasecmp(name, o->name) == 0)
				break;
		if (o->name != NULL) {
			seen |= 1u << i;
			if (n != strlen(o->sql) || memcmp(sql, o->sql, n) != 0)
				problem(r, strcmp(type, "table") == 0 ?
				    "table %s is not as ctp created it: its "
				    "schema was changed" :
				    "trigger %s is not as ctp created it",
				    o->name);
		} else if (strcmp(type, "trigger") == 0 &&
		    strcasecmp(tbl, "audit") == 0)
			problem(r, "trigger %s on table audit was not created "
			    "by ctp", name);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "audit log", e);
	for (i = 0, o = ctp_schema_audit; o->name; i++, o++)
		if (!(seen & 1u << i))
			problem(r, "%s %s is missing", o->type, o->name);
	return 0;
}

static const char *const column[9] = {
	"seq", "ts", "actor", "action", "obj_type", "obj_id", "detail",
	"prev_hash", "hash"
};

static const char *
type_name(int t)
{
	switch (t) {
	case SQLITE_INTEGER:
		return "an integer";
	case SQLITE_FLOAT:
		return "a real number";
	case SQLITE_BLOB:
		return "a blob";
	case SQLITE_NULL:
		return "null";
	}
	return "text";
}

/*
 * One row of the walk: its storage types t, its values v as stored
 * (n[i] bytes), the seq it should have and the hash before it.  *bad is
 * 0 when it holds, else the seq to name with why.  ctp writes seq as an
 * integer and every other column as text bound from a C string, so
 * another type or a NUL byte was written by other means even when the
 * hash, taken over the bytes, would agree.
 */
static int
check_row(long long seq, long long expect, const char *prev, const int t[9],
    const char *const v[9], const size_t n[9], long long *bad, char *why,
    size_t size, struct ctp_error *e)
{
	const char *f[8];
	size_t len[8];
	char num[32], hash[CTP_SHA256_HEX];
	int i;

	*bad = seq;
	if (t[0] != SQLITE_INTEGER) {
		snprintf(why, size, "row changed: seq is %s, not an integer",
		    type_name(t[0]));
		return 0;
	}
	if (seq != expect) {
		snprintf(why, size, seq > expect ? "row removed (next is %lld)"
		    : "row out of order (found %lld)", seq);
		*bad = expect;
		return 0;
	}
	for (i = 1; i < 9; i++) {
		if (t[i] != SQLITE_TEXT) {
			snprintf(why, size, "row changed: %s is %s, not text",
			    column[i], type_name(t[i]));
			return 0;
		}
		if (memchr(v[i], '\0', n[i]) != NULL) {
			snprintf(why, size, "row changed: %s holds a NUL byte",
			    column[i]);
			return 0;
		}
	}
	if (n[7] != CTP_SHA256_HEX - 1 || memcmp(v[7], prev, n[7]) != 0) {
		snprintf(why, size, "previous hash does not match: row removed "
		    "or inserted before it");
		return 0;
	}
	snprintf(num, sizeof(num), "%lld", seq);
	f[0] = prev;
	len[0] = CTP_SHA256_HEX - 1;
	f[1] = num;
	len[1] = strlen(num);
	for (i = 2; i < 8; i++) {
		f[i] = v[i - 1];
		len[i] = n[i - 1];
	}
	if (hash_fields(f, len, hash) < 0)
		return ctp_errf(e, CTP_SOFTWARE, "audit log",
		    "cannot hash sequence %lld", seq);
	if (n[8] != CTP_SHA256_HEX - 1 || memcmp(v[8], hash, n[8]) != 0) {
		snprintf(why, size, "row changed: hash does not match");
		return 0;
	}
	*bad = 0;
	return 0;
}

int
ctp_audit_verify(sqlite3 *db, struct ctp_audit_check *r, struct ctp_error *e)
{
	sqlite3_stmt *st;
	long long expect = 1, seq;
	char prev[CTP_SHA256_HEX];
	const char *v[9];
	size_t n[9];
	int t[9], i, rc;

	memset(r, 0, sizeof(*r));
	memcpy(prev, zero_hash, sizeof(prev));
	if ((rc = check_machinery(db, r, e)) != 0)
		return rc;
	if (ctp_db_prepare(db, &st, "SELECT seq, ts, actor, action, obj_type, "
	    "obj_id, detail, prev_hash, hash FROM audit ORDER BY seq", e))
		return e->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		/* Types first: reading a value as text may convert it. */
		for (i = 0; i < 9; i++)
			t[i] = sqlite3_column_type(st, i);
		seq = sqlite3_column_int64(st, 0);
		for (i = 0; i < 9; i++) {
			v[i] = (const char *)sqlite3_column_text(st, i);
			n[i] = (size_t)sqlite3_column_bytes(st, i);
			if (v[i] == NULL)
				v[i] = "";
		}
		r->rows++;
		if (r->first_bad == 0) {
			if (check_row(seq, expect, prev, t, v, n,
			    &r->first_bad, r->reason, sizeof(r->reason), e)) {
				sqlite3_finalize(st);
				return e->code;
			}
		}
		snprintf(prev, sizeof(prev), "%.*s", (int)n[8], v[8]);
		expect = seq + 1;
		r->head_seq = seq;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "audit log", e);
	snprintf(r->head_hash, sizeof(r->head_hash), "%s", prev);
	return 0;
}

static int
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int
ctp_audit_anchor_parse(const char *s, size_t n, long long *seq,
    char hash[CTP_SHA256_HEX])
{
	size_t i = 0, k;
	long long v = 0;
	char c;

	while (n > 0 && blank(s[n - 1]))
		n--;
	while (i < n && blank(s[i]))
		i++;
	if (i == n || s[i] == '#')
		return 0;
	/* 18 digits cannot overflow a long long. */
	for (k = i; i < n && s[i] >= '0' && s[i] <= '9' && i - k < 18; i++)
		v = v * 10 + (s[i] - '0');
	if (i == k || v == 0 || i == n || (s[i] != ' ' && s[i] != '\t'))
		return -1;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (n - i != CTP_SHA256_HEX - 1)
		return -1;
	for (k = 0; k < CTP_SHA256_HEX - 1; k++) {
		c = s[i + k];
		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if ((c < '0' || c > '9') && (c < 'a' || c > 'f'))
			return -1;
		hash[k] = c;
	}
	hash[k] = '\0';
	*seq = v;
	return 1;
}

void
ctp_audit_anchors_free(struct ctp_audit_anchors *a)
{
	free(a->name);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

int
ctp_audit_anchors_read(const char *path, struct ctp_audit_anchors *a,
    struct ctp_error *e)
{
	struct ctp_audit_anchor *x;
	FILE *f;
	char *line = NULL, where[300];
	size_t cap = 0, want;
	ssize_t len;
	long long lineno = 0;
	int rc = 0, k;

	memset(a, 0, sizeof(*a));
	if (strcmp(path, "-") == 0) {
		if (isatty(STDIN_FILENO))
			return ctp_errf(e, CTP_USAGE, "stdin", "is a terminal: "
			    "give the anchor file, or pipe it in");
		f = stdin;
		path = "stdin";
	} else if ((f = fopen(path, "r")) == NULL)
		return ctp_errf(e, errno == ENOENT ? CTP_NOINPUT : CTP_IOERR,
		    path, "%s", strerror(errno));
	if ((a->name = ctp_strdup(path)) == NULL)
		rc = ctp_err_nomem(e, path);
	while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (a->n == a->cap) {
			want = a->cap ? a->cap * 2 : 64;
			if ((x = ctp_realloc(a->v, want * sizeof(*x))) ==
			    NULL) {
				rc = ctp_err_nomem(e, path);
				break;
			}
			a->v = x;
			a->cap = want;
		}
		x = &a->v[a->n];
		k = ctp_audit_anchor_parse(line, (size_t)len, &x->seq,
		    x->hash);
		if (k < 0) {
			snprintf(where, sizeof(where), "%s:%lld", path, lineno);
			rc = ctp_errf(e, CTP_DATAERR, where, "not a line of "
			    "ctp-audit head (SEQUENCE HASH)");
		} else if (k > 0) {
			x->line = lineno;
			a->n++;
		}
	}
	if (rc == 0 && ferror(f))
		rc = ctp_errf(e, CTP_IOERR, path, "read error");
	free(line);
	if (f != stdin)
		fclose(f);
	if (rc != 0)
		ctp_audit_anchors_free(a);
	return rc;
}

int
ctp_audit_anchors_check(sqlite3 *db, const struct ctp_audit_check *r,
    struct ctp_audit_anchors *a, struct ctp_error *e)
{
	struct ctp_audit_anchor *x;
	sqlite3_stmt *st;
	char why[sizeof(a->reason)];
	size_t i;
	int rc;

	a->failed = 0;
	a->first_line = 0;
	if (ctp_db_prepare(db, &st, "SELECT hash FROM audit WHERE seq = ?1",
	    e))
		return e->code;
	for (i = 0; i < a->n; i++) {
		x = &a->v[i];
		why[0] = '\0';
		if (x->seq > r->head_seq) {
			snprintf(why, sizeof(why), "sequence %lld is beyond "
			    "the end of the chain (head %lld): rows were "
			    "removed", x->seq, r->head_seq);
		} else {
			sqlite3_bind_int64(st, 1, x->seq);
			rc = sqlite3_step(st);
			if (rc == SQLITE_ROW && (sqlite3_column_type(st, 0) !=
			    SQLITE_TEXT || sqlite3_column_bytes(st, 0) !=
			    CTP_SHA256_HEX - 1 || memcmp(sqlite3_column_text(st,
			    0), x->hash, CTP_SHA256_HEX - 1) != 0))
				snprintf(why, sizeof(why), "sequence %lld has "
				    "another hash: the chain was rewritten",
				    x->seq);
			else if (rc == SQLITE_DONE)
				snprintf(why, sizeof(why), "sequence %lld is "
				    "missing from the chain: rows were removed",
				    x->seq);
			sqlite3_reset(st);
			if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
				sqlite3_finalize(st);
				return ctp_db_err(db, rc, "audit log", e);
			}
		}
		if (why[0] != '\0' && a->failed++ == 0) {
			a->first_line = x->line;
			memcpy(a->reason, why, sizeof(a->reason));
		}
	}
	sqlite3_finalize(st);
	return 0;
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
