/*
 * extract_run.c - one extraction of a stored document (suggest.h): its
 * content copied into a private temporary directory for the tools, its
 * text read (doc_text.h), its values found (extract.h, extract_model.h)
 * and recorded as an extractions row and suggestions rows, with a
 * doc.extract audit event, all inside the caller's transaction.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "priv.h"
#include "audit.h"
#include "date.h"
#include "db.h"
#include "doc_text.h"
#include "extract_model.h"
#include "mem.h"
#include "suggest.h"

/* Remove dir and the files in it (the tools' pages, the copy). */
static void
remove_dir(const char *dir)
{
	struct dirent *de;
	char *p;
	DIR *d;

	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			if ((p = ctp_asprintf("%s/%s", dir, de->d_name)) != NULL)
				unlink(p);
			free(p);
		}
		closedir(d);
	}
	rmdir(dir);
}

/* The document's text into t (status says whether there is any). */
static int
read_text(struct ctp_ctx *c, const struct ctp_doc *d, struct ctp_doc_text *t,
    struct ctp_error *e)
{
	const char *tmp = ctp_env("TMPDIR");
	char *dir, *path = NULL;
	FILE *f;
	int rc = 0;

	memset(t, 0, sizeof(*t));
	if (d->size > CTP_EXTRACT_MAX_BYTES) {
		t->status = CTP_TEXT_UNAVAILABLE;
		snprintf(t->reason, sizeof(t->reason), "too large to read "
		    "(%lld bytes, at most %lld)", d->size,
		    CTP_EXTRACT_MAX_BYTES);
		return 0;
	}
	if ((dir = ctp_asprintf("%s/ctp-extract.XXXXXX", tmp && *tmp ? tmp :
	    "/tmp")) == NULL)
		return ctp_err_nomem(e, "extract");
	if (mkdtemp(dir) == NULL) {
		rc = ctp_errf(e, CTP_CANTCREAT, "extract", "temporary "
		    "directory: %s", strerror(errno));
		free(dir);
		return rc;
	}
	if ((path = ctp_asprintf("%s/document", dir)) == NULL)
		rc = ctp_err_nomem(e, "extract");
	else if ((f = fopen(path, "wbx")) == NULL)
		rc = ctp_errf(e, CTP_CANTCREAT, "extract", "temporary file: %s",
		    strerror(errno));
	else {
		rc = ctp_doc_copy(c->db, d->id, f, e);
		if (fclose(f) != 0 && rc == 0)
			rc = ctp_errf(e, CTP_IOERR, "extract", "temporary "
			    "file: %s", strerror(errno));
		if (rc == 0)
			rc = ctp_doc_text_file(path, d->mime, dir, t, e);
	}
	remove_dir(dir);
	free(path);
	free(dir);
	return rc;
}

/*
 * The credential a document's values go to: the one it was added for,
 * else the provider's only active credential of that kind (of the state
 * read, for a license): *cid, or 0.
 */
static int
find_credential(sqlite3 *db, const struct ctp_doc *d, const char *ck,
    const char *state, long long *cid, struct ctp_error *e)
{
	sqlite3_stmt *st;
	long long n = 0;
	int rc;

	*cid = d->credential_id;
	if (*cid)
		return 0;
	if (ctp_db_prepare(db, &st, "SELECT id FROM credentials WHERE "
	    "provider_id = ?1 AND kind = ?2 AND status = 'active' AND "
	    "(?3 IS NULL OR state = ?3) ORDER BY id", e))
		return e->code;
	sqlite3_bind_int64(st, 1, d->provider_id);
	ctp_bind_text(st, 2, ck);
	ctp_bind_text_or_null(st, 3, state);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (n++ == 0)
			*cid = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "credentials", e);
	if (n != 1)
		*cid = 0;
	return 0;
}

/* Does the name read belong to the provider?  1, 0, or -1 not read. */
static int
name_match(sqlite3 *db, long long pid, const char *name, struct ctp_error *e,
    int *match)
{
	sqlite3_stmt *st;
	int rc;

	*match = -1;
	if (*name == '\0')
		return 0;
	if (ctp_db_prepare(db, &st, "SELECT first_name || ' ' || last_name "
	    "FROM providers WHERE id = ?1", e))
		return e->code;
	sqlite3_bind_int64(st, 1, pid);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*match = ctp_extract_same_name(name, ctp_col_text(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 :
	    ctp_db_err(db, rc, "providers", e);
}

static int
insert_extraction(struct ctp_ctx *c, long long doc, struct ctp_extract_result
    *r, const char *ts, struct ctp_error *e)
{
	const struct ctp_xvalue *n = &r->x.f[CTP_X_NAME];
	sqlite3_stmt *st;
	int rc;

	if (ctp_db_prepare(c->db, &st, "INSERT INTO extractions (document_id, "
	    "status, source, reason, name, name_confidence, name_line, "
	    "name_match, model, actor, ts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "?7, ?8, ?9, ?10, ?11)", e))
		return e->code;
	sqlite3_bind_int64(st, 1, doc);
	ctp_bind_text(st, 2, r->status);
	ctp_bind_text_or_null(st, 3, r->source);
	ctp_bind_text_or_null(st, 4, r->reason);
	ctp_bind_text_or_null(st, 5, n->value);
	if (n->confidence)
		sqlite3_bind_int(st, 6, n->confidence);
	ctp_bind_text_or_null(st, 7, n->line);
	if (r->name_match >= 0)
		sqlite3_bind_int(st, 8, r->name_match);
	ctp_bind_text_or_null(st, 9, r->model);
	ctp_bind_text(st, 10, c->user);
	ctp_bind_text(st, 11, ts);
	rc = ctp_db_step_done(st, "extractions", e);
	sqlite3_finalize(st);
	r->extraction_id = sqlite3_last_insert_rowid(c->db);
	return rc;
}

/*
 * One suggestion: confirmed when the credential holds the value, else
 * pending (none when the same value is pending already from this
 * document).  *made: 'c', 'p' or 0.
 */
static int
insert_suggestion(struct ctp_ctx *c, const struct ctp_doc *d,
    const struct ctp_extract_result *r, const char *field,
    const struct ctp_xvalue *v, const char *source, const char *ts,
    char *made, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char sql[256];
	long long dup = 0, same = 0;
	int rc;

	*made = 0;
	if (r->credential_id) {
		snprintf(sql, sizeof(sql), "SELECT %s IS ?1 FROM credentials "
		    "WHERE id = ?2", field);	/* field: a fixed name */
		if (ctp_db_prepare(c->db, &st, sql, e))
			return e->code;
		ctp_bind_text(st, 1, v->value);
		sqlite3_bind_int64(st, 2, r->credential_id);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW)
			same = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return ctp_db_err(c->db, rc, "credentials", e);
	}
	if (ctp_db_prepare(c->db, &st, "SELECT count(*) FROM suggestions WHERE "
	    "document_id = ?1 AND field = ?2 AND value = ?3 AND status = "
	    "'pending'", e))
		return e->code;
	sqlite3_bind_int64(st, 1, d->id);
	ctp_bind_text(st, 2, field);
	ctp_bind_text(st, 3, v->value);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		dup = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return ctp_db_err(c->db, rc, "suggestions", e);
	if (dup && !same)
		return 0;
	if (ctp_db_prepare(c->db, &st, "INSERT INTO suggestions (extraction_id, "
	    "document_id, credential_id, field, value, confidence, line, "
	    "source, flag, status, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "?7, ?8, ?9, ?10, ?11)", e))
		return e->code;
	sqlite3_bind_int64(st, 1, r->extraction_id);
	sqlite3_bind_int64(st, 2, d->id);
	if (r->credential_id)
		sqlite3_bind_int64(st, 3, r->credential_id);
	ctp_bind_text(st, 4, field);
	ctp_bind_text(st, 5, v->value);
	sqlite3_bind_int(st, 6, v->confidence);
	ctp_bind_text_or_null(st, 7, v->line);
	ctp_bind_text(st, 8, source);
	ctp_bind_text_or_null(st, 9, v->flag);
	ctp_bind_text(st, 10, same ? "confirmed" : "pending");
	ctp_bind_text(st, 11, ts);
	rc = ctp_db_step_done(st, "suggestions", e);
	sqlite3_finalize(st);
	*made = same ? 'c' : 'p';
	return rc;
}

/* Suggestions for every value of x proposed (confidence above 0). */
static int
suggest_all(struct ctp_ctx *c, const struct ctp_doc *d,
    struct ctp_extract_result *r, const struct ctp_extract *x,
    const char *source, const char *ts, char made[CTP_X_N],
    struct ctp_error *e)
{
	const char *field;
	int f, rc;

	for (f = CTP_X_NUMBER; f < CTP_X_N; f++) {
		if (x->f[f].confidence <= 0 || x->f[f].value[0] == '\0')
			continue;
		field = ctp_xfield_target((enum ctp_xfield)f, d->kind);
		if ((rc = insert_suggestion(c, d, r, field, &x->f[f], source,
		    ts, &made[f], e)) != 0)
			return rc;
		r->pending += made[f] == 'p';
		r->confirmed += made[f] == 'c';
	}
	return 0;
}

/* Values of x that do not pass their checks are dropped. */
static void
normalize_all(struct ctp_extract *x, const char *kind, int ocr)
{
	char out[CTP_X_VALUE];
	int f;

	for (f = 0; f < CTP_X_N; f++) {
		if (x->f[f].value[0] == '\0')
			continue;
		if (ctp_extract_normalize((enum ctp_xfield)f, kind,
		    x->f[f].value, out) != 0) {
			x->f[f].value[0] = '\0';
			x->f[f].confidence = 0;
			continue;
		}
		memcpy(x->f[f].value, out, sizeof(out));
		if (ocr && x->f[f].confidence > 10)
			x->f[f].confidence -= 10;
	}
}

static int
extract_audit(struct ctp_ctx *c, const struct ctp_doc *d,
    const struct ctp_extract_result *r, struct ctp_error *e)
{
	char sid[32];
	json_t *j;
	int rc;

	snprintf(sid, sizeof(sid), "%lld", d->id);
	j = json_pack("{s:I, s:s, s:s, s:s, s:s?, s:I, s:I}", "extraction",
	    (json_int_t)r->extraction_id, "sha256", d->sha256, "npi", d->npi,
	    "status", r->status, "source", *r->source ? r->source : NULL,
	    "pending", (json_int_t)r->pending, "confirmed",
	    (json_int_t)r->confirmed);
	if (j == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(c, "doc.extract", "document", sid, j, e);
	json_decref(j);
	return rc;
}

/* The text's values, the model's, the rows: inside the transaction. */
static int
run_in_tx(struct ctp_ctx *c, const struct ctp_doc *d, const char *ck,
    struct ctp_extract_result *r, struct ctp_error *e)
{
	struct ctp_doc_text t;
	char ts[CTP_TS_LEN];
	int rc, asked = 0;

	snprintf(r->credential_kind, sizeof(r->credential_kind), "%s", ck);
	if ((rc = read_text(c, d, &t, e)) != 0)
		return rc;
	snprintf(r->status, sizeof(r->status), "%s", t.status ==
	    CTP_TEXT_OK ? "ok" : t.status == CTP_TEXT_UNAVAILABLE ?
	    "unavailable" : "failed");
	snprintf(r->source, sizeof(r->source), "%s", t.source ? t.source : "");
	snprintf(r->reason, sizeof(r->reason), "%s", t.reason);
	if (t.status == CTP_TEXT_OK) {
		ctp_extract_text(t.text, d->kind, &r->x);
		normalize_all(&r->x, d->kind, strcmp(r->source, "ocr") == 0);
		rc = ctp_extract_model(c->db, t.text, d->kind, &r->m, &asked,
		    r->model, sizeof(r->model), e);
		if (rc == 0 && asked && r->model[0] == '\0')
			snprintf(r->model, sizeof(r->model), "ok");
	}
	ctp_doc_text_clear(&t);
	if (rc != 0)
		return rc;
	ctp_timestamp(ts);
	if ((rc = find_credential(c->db, d, ck, strcmp(d->kind, "license") == 0
	    && r->x.f[CTP_X_AUTHORITY].confidence > 0 ?
	    r->x.f[CTP_X_AUTHORITY].value : NULL, &r->credential_id, e)) != 0 ||
	    (rc = name_match(c->db, d->provider_id, r->x.f[CTP_X_NAME].value,
	    e, &r->name_match)) != 0 ||
	    (rc = insert_extraction(c, d->id, r, ts, e)) != 0 ||
	    (rc = suggest_all(c, d, r, &r->x, r->source, ts, r->made[0],
	    e)) != 0 || (rc = suggest_all(c, d, r, &r->m, "model", ts,
	    r->made[1], e)) != 0)
		return rc;
	return extract_audit(c, d, r, e);
}

int
ctp_extract_run(struct ctp_ctx *c, long long id, struct ctp_extract_result *r,
    struct ctp_error *e)
{
	struct ctp_doc d;
	const char *ck;
	int own, rc;

	memset(r, 0, sizeof(*r));
	r->name_match = -1;
	memset(&d, 0, sizeof(d));
	if ((rc = ctp_db_join(c->db, &own, e)) != 0)
		return rc;
	if ((rc = ctp_doc_get(c->db, id, &d, e)) == 0 &&
	    (ck = ctp_extract_credential_kind(d.kind)) != NULL)
		rc = run_in_tx(c, &d, ck, r, e);
	ctp_doc_clear(&d);
	return ctp_db_leave(c->db, own, rc, e);
}

int
ctp_extract_hook(struct ctp_ctx *c, const struct ctp_doc_added *d, void *arg,
    struct ctp_error *e)
{
	struct ctp_extract_result mine, *r = arg ? arg : &mine;

	return ctp_extract_run(c, d->id, r, e);
}

const struct ctp_col ctp_extract_columns[] = {
	{ "field", CTP_COL_STR },
	{ "value", CTP_COL_STR },
	{ "confidence", CTP_COL_INT },
	{ "source", CTP_COL_STR },
	{ "status", CTP_COL_STR },
	{ "flag", CTP_COL_STR },
	{ "line", CTP_COL_STR },
};

/* The rows of one extractor's values (x: the text's, m: the model's). */
static int
report_values(const struct ctp_extract_result *r, int which,
    const char *kind, struct ctp_out *o, struct ctp_error *e)
{
	const struct ctp_extract *x = which ? &r->m : &r->x;
	const struct ctp_xvalue *v;
	const char *row[CTP_EXTRACT_NCOLUMNS];
	char conf[8];
	int f, rc;

	for (f = 0; f < CTP_X_N; f++) {
		v = &x->f[f];
		if (v->value[0] == '\0')
			continue;
		snprintf(conf, sizeof(conf), "%d", v->confidence);
		row[0] = f == CTP_X_NAME ? "name" :
		    ctp_xfield_target((enum ctp_xfield)f, kind);
		row[1] = v->value;
		row[2] = conf;
		row[3] = which ? "model" : r->source;
		row[4] = f == CTP_X_NAME ? (which ? "" : r->name_match > 0 ?
		    "match" : "mismatch") : r->made[which][f] == 'p' ?
		    "pending" : r->made[which][f] == 'c' ? "confirmed" :
		    v->confidence == 0 ? "not proposed" : "already pending";
		row[5] = v->flag;
		row[6] = v->line;
		if ((rc = ctp_out_row(o, row, e)) != 0)
			return rc;
	}
	return 0;
}

int
ctp_extract_report(const struct ctp_extract_result *r, const char *kind,
    struct ctp_out *o, struct ctp_error *e)
{
	int rc;

	if ((rc = report_values(r, 0, kind, o, e)) != 0)
		return rc;
	return report_values(r, 1, kind, o, e);
}

int
ctp_extract_show(sqlite3 *db, long long id, struct ctp_out *o,
    struct ctp_error *e)
{
	static const char *const names[] = { "extraction",
	    "extraction_reason", "extraction_name", "extracted_at",
	    "suggestions_pending" };
	sqlite3_stmt *st;
	const char *row[2];
	int rc, i;

	if (ctp_db_prepare(db, &st, "SELECT x.status || COALESCE(' (' || "
	    "x.source || ')', ''), x.reason, x.name || CASE x.name_match WHEN "
	    "0 THEN ' (not the provider''s)' ELSE '' END, x.ts, (SELECT "
	    "count(*) FROM suggestions WHERE document_id = ?1 AND status = "
	    "'pending') FROM extractions x WHERE x.document_id = ?1 ORDER BY "
	    "x.id DESC LIMIT 1", e))
		return e->code;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	for (i = 0; rc == SQLITE_ROW && i < 5; i++) {
		row[0] = names[i];
		row[1] = ctp_col_text(st, i);
		if (ctp_out_row(o, row, e) != 0) {
			sqlite3_finalize(st);
			return e->code;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "extractions", e);
	return 0;
}
