/*
 * audit_verify.c - the checks a surveyor runs on the audit log
 * (ctp-audit verify): the append-only machinery as ctp created it, every
 * row of the chain over the bytes and types stored, and the anchors kept
 * outside the database.  See audit.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "audit.h"
#include "db.h"
#include "mem.h"
#include "schema.h"

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
	if (ctp_audit_hash_bytes(f, len, hash) < 0)
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
	memcpy(prev, CTP_AUDIT_ZERO_HASH, sizeof(prev));
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
