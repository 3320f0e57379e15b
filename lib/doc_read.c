/*
 * doc_read.c - documents read back (doc.h): one by id, the latest of a
 * kind, the list, the content streamed through sqlite3_blob_read a chunk
 * at a time, and the one writer of a document's review.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "date.h"
#include "db.h"
#include "doc.h"
#include "mem.h"
#include "validate.h"

const struct ctp_col ctp_doc_columns[] = {
	{ "document_id", CTP_COL_INT },
	{ "npi", CTP_COL_STR },
	{ "kind", CTP_COL_STR },
	{ "name", CTP_COL_STR },
	{ "type", CTP_COL_STR },
	{ "size", CTP_COL_INT },
	{ "sha256", CTP_COL_STR },
	{ "review", CTP_COL_STR },
	{ "added_by", CTP_COL_STR },
	{ "added_at", CTP_COL_STR },
};

#define DOC_SELECT "SELECT d.id, d.provider_id, d.credential_id, p.npi, " \
	"d.kind, d.sha256, c.mime, c.size, d.name, d.added_by, d.added_at, " \
	"d.review, d.reviewed_by, d.reviewed_at, d.review_note FROM " \
	"documents d JOIN providers p ON p.id = d.provider_id JOIN " \
	"doc_contents c ON c.sha256 = d.sha256 "

void
ctp_doc_clear(struct ctp_doc *d)
{
	free(d->name);
	free(d->added_by);
	free(d->added_at);
	free(d->reviewed_by);
	free(d->reviewed_at);
	free(d->review_note);
	memset(d, 0, sizeof(*d));
}

static char *
dup_col(sqlite3_stmt *st, int i, int *bad)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	char *p;

	if (s == NULL)
		return NULL;
	if ((p = strdup(s)) == NULL)
		*bad = 1;
	return p;
}

static void
copy_col(sqlite3_stmt *st, int i, char *dst, size_t n)
{
	snprintf(dst, n, "%s", ctp_col_text(st, i));
}

/* d from a row of DOC_SELECT: 0, or -1 out of memory. */
static int
fill(sqlite3_stmt *st, struct ctp_doc *d)
{
	int bad = 0;

	memset(d, 0, sizeof(*d));
	d->id = sqlite3_column_int64(st, 0);
	d->provider_id = sqlite3_column_int64(st, 1);
	d->credential_id = sqlite3_column_int64(st, 2);
	copy_col(st, 3, d->npi, sizeof(d->npi));
	copy_col(st, 4, d->kind, sizeof(d->kind));
	copy_col(st, 5, d->sha256, sizeof(d->sha256));
	copy_col(st, 6, d->mime, sizeof(d->mime));
	d->size = sqlite3_column_int64(st, 7);
	d->name = dup_col(st, 8, &bad);
	d->added_by = dup_col(st, 9, &bad);
	d->added_at = dup_col(st, 10, &bad);
	copy_col(st, 11, d->review, sizeof(d->review));
	d->reviewed_by = dup_col(st, 12, &bad);
	d->reviewed_at = dup_col(st, 13, &bad);
	d->review_note = dup_col(st, 14, &bad);
	if (bad) {
		ctp_doc_clear(d);
		return -1;
	}
	return 0;
}

/* Step st once into d: *found 1 or 0.  Finalizes st. */
static int
one(sqlite3 *db, sqlite3_stmt *st, struct ctp_doc *d, int *found,
    struct ctp_error *e)
{
	int rc;

	*found = 0;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*found = 1;
		if (fill(st, d) != 0) {
			sqlite3_finalize(st);
			return ctp_err_nomem(e, "document");
		}
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return 0;
	return ctp_db_err(db, rc, "documents", e);
}

int
ctp_doc_get(sqlite3 *db, long long id, struct ctp_doc *d,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	char sid[32];
	int rc, found;

	if (ctp_db_prepare(db, &st, DOC_SELECT "WHERE d.id = ?1", e))
		return e->code;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = one(db, st, d, &found, e)) != 0)
		return rc;
	snprintf(sid, sizeof(sid), "%lld", id);
	if (!found)
		return ctp_errf(e, CTP_DATAERR, sid, "no such document");
	return 0;
}

int
ctp_doc_latest(sqlite3 *db, long long pid, const char *kind,
    const char *review, struct ctp_doc *d, int *found, struct ctp_error *e)
{
	sqlite3_stmt *st;

	if (ctp_db_prepare(db, &st, DOC_SELECT "WHERE d.provider_id = ?1 AND "
	    "d.kind = ?2 AND (?3 IS NULL OR d.review = ?3) ORDER BY d.id DESC "
	    "LIMIT 1", e))
		return e->code;
	sqlite3_bind_int64(st, 1, pid);
	ctp_bind_text(st, 2, kind);
	if (review)
		ctp_bind_text(st, 3, review);
	return one(db, st, d, found, e);
}

struct ctp_doc_reader {
	sqlite3_blob *blob;
	long long size, off;
};

int
ctp_doc_read_open(sqlite3 *db, long long id, struct ctp_doc_reader **out,
    struct ctp_error *e)
{
	struct ctp_doc_reader *r;
	sqlite3_stmt *st;
	long long rowid = 0, size = 0;
	char sid[32];
	int rc;

	*out = NULL;
	snprintf(sid, sizeof(sid), "%lld", id);
	if (ctp_db_prepare(db, &st, "SELECT c.rowid, c.size FROM documents d "
	    "JOIN doc_contents c ON c.sha256 = d.sha256 WHERE d.id = ?1", e))
		return e->code;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rowid = sqlite3_column_int64(st, 0);
		size = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return ctp_errf(e, CTP_DATAERR, sid, "no such document");
	if (rc != SQLITE_ROW)
		return ctp_db_err(db, rc, "documents", e);
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return ctp_err_nomem(e, "document");
	if ((rc = sqlite3_blob_open(db, "main", "doc_contents", "content",
	    rowid, 0, &r->blob)) != SQLITE_OK) {
		free(r);
		return ctp_db_err(db, rc, sid, e);
	}
	r->size = sqlite3_blob_bytes(r->blob);
	if (r->size != size) {
		ctp_doc_read_close(r);
		return ctp_errf(e, CTP_DATAERR, sid, "stored content is not "
		    "its recorded size");
	}
	*out = r;
	return 0;
}

ssize_t
ctp_doc_read(struct ctp_doc_reader *r, void *buf, size_t n,
    struct ctp_error *e)
{
	long long left = r->size - r->off;
	int rc;

	if (left <= 0 || n == 0)
		return 0;
	if ((long long)n > left)
		n = (size_t)left;
	if (n > 0x40000000)
		n = 0x40000000;
	if ((rc = sqlite3_blob_read(r->blob, buf, (int)n, (int)r->off)) !=
	    SQLITE_OK) {
		ctp_errf(e, CTP_IOERR, "document", "reading: %s",
		    sqlite3_errstr(rc));
		return -1;
	}
	r->off += (long long)n;
	return (ssize_t)n;
}

long long
ctp_doc_read_size(const struct ctp_doc_reader *r)
{
	return r->size;
}

void
ctp_doc_read_close(struct ctp_doc_reader *r)
{
	if (r == NULL)
		return;
	sqlite3_blob_close(r->blob);
	free(r);
}

int
ctp_doc_copy(sqlite3 *db, long long id, FILE *f, struct ctp_error *e)
{
	struct ctp_doc_reader *r;
	unsigned char *buf;
	ssize_t n;
	int rc = 0;

	if ((rc = ctp_doc_read_open(db, id, &r, e)) != 0)
		return rc;
	if ((buf = malloc(CTP_DOC_CHUNK)) == NULL) {
		ctp_doc_read_close(r);
		return ctp_err_nomem(e, "document");
	}
	while ((n = ctp_doc_read(r, buf, CTP_DOC_CHUNK, e)) > 0)
		if (fwrite(buf, 1, (size_t)n, f) != (size_t)n) {
			rc = ctp_errf(e, CTP_IOERR, "output", "write error");
			break;
		}
	if (n < 0)
		rc = e->code;
	free(buf);
	ctp_doc_read_close(r);
	return rc;
}

static int
review_audit(struct ctp_ctx *c, const struct ctp_doc *d, const char *state,
    const char *note, struct ctp_error *e)
{
	char sid[32];
	json_t *j;
	int rc;

	snprintf(sid, sizeof(sid), "%lld", d->id);
	j = json_pack("{s:s, s:s, s:s, s:s?}", "npi", d->npi, "kind", d->kind,
	    "sha256", d->sha256, "note", note);
	if (j == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(c, strcmp(state, "approved") == 0 ? "doc.approve" :
	    "doc.reject", "document", sid, j, e);
	json_decref(j);
	return rc;
}

static int
review_rows(struct ctp_ctx *c, long long id, const char *state,
    const char *note, struct ctp_error *e)
{
	struct ctp_doc d;
	sqlite3_stmt *st;
	char ts[CTP_TS_LEN], sid[32];
	int rc;

	if ((rc = ctp_doc_get(c->db, id, &d, e)) != 0)
		return rc;
	snprintf(sid, sizeof(sid), "d%lld", id);
	if (strcmp(d.review, "pending") != 0) {
		rc = ctp_errf(e, CTP_DATAERR, sid, "already %s", d.review);
		goto out;
	}
	ctp_timestamp(ts);
	if ((rc = ctp_db_prepare(c->db, &st, "UPDATE documents SET review = "
	    "?1, reviewed_by = ?2, reviewed_at = ?3, review_note = ?4 WHERE "
	    "id = ?5 AND review = 'pending'", e)) != 0)
		goto out;
	ctp_bind_text(st, 1, state);
	ctp_bind_text(st, 2, c->user);
	ctp_bind_text(st, 3, ts);
	ctp_bind_text_or_null(st, 4, note);
	sqlite3_bind_int64(st, 5, id);
	rc = ctp_db_step_done(st, "documents", e);
	sqlite3_finalize(st);
	if (rc == 0)
		rc = review_audit(c, &d, state, note, e);
out:
	ctp_doc_clear(&d);
	return rc;
}

int
ctp_doc_review(struct ctp_ctx *c, long long id, const char *state,
    const char *note, struct ctp_error *e)
{
	const char *why;
	int own, rc;

	if (strcmp(state, "approved") != 0 && strcmp(state, "rejected") != 0)
		return ctp_errf(e, CTP_USAGE, "review", "approved or rejected");
	if ((why = ctp_check_note(note)) != NULL)
		return ctp_errf(e, CTP_DATAERR, "--note", "%s", why);
	if (strcmp(state, "rejected") == 0 && (note == NULL || *note == '\0'))
		return ctp_errf(e, CTP_USAGE, "--note", "a rejection needs a "
		    "note saying why");
	if ((rc = ctp_db_join(c->db, &own, e)) != 0)
		return rc;
	rc = review_rows(c, id, state, note, e);
	return ctp_db_leave(c->db, own, rc, e);
}

int
ctp_doc_list(struct ctp_ctx *c, const char *npi, const char *since,
    struct ctp_out *o, long long *count, struct ctp_error *e)
{
	sqlite3_stmt *st;

	if (ctp_db_prepare(c->db, &st, "SELECT d.id, p.npi, d.kind, d.name, "
	    "c.mime, c.size, d.sha256, d.review, d.added_by, d.added_at FROM "
	    "documents d JOIN providers p ON p.id = d.provider_id JOIN "
	    "doc_contents c ON c.sha256 = d.sha256 WHERE (?1 IS NULL OR "
	    "p.npi = ?1) AND (?2 IS NULL OR d.added_at >= ?2) ORDER BY d.id",
	    e))
		return e->code;
	if (npi)
		ctp_bind_text(st, 1, npi);
	if (since)
		ctp_bind_text(st, 2, since);
	return ctp_db_out_rows(st, o, CTP_DOC_NCOLUMNS, count,
	    "documents", e);
}
