/*
 * suggest.c - the suggestion items of the review queue (suggest.h):
 * listed beside the credential's current value, and decided.  The
 * decision columns of a suggestion are written here only, once, from
 * pending; the credential changes only through ctp_credential_set_from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "credential.h"
#include "date.h"
#include "db.h"
#include "review.h"
#include "suggest.h"
#include "validate.h"

/*
 * Pending suggestions, oldest first: the value beside the credential's
 * current one, the flag naming what a reviewer should notice first (a
 * mismatch with the current value), then the extractor's own flag, a
 * missing credential, a name on the document that is not the
 * provider's, a low confidence, a value from the model.
 */
#define SUGGEST_LIST \
"WITH q AS (SELECT s.id, p.npi, p.first_name || ' ' || p.last_name AS who," \
"  COALESCE(c.kind, CASE d.kind WHEN 'license' THEN 'state_license'" \
"  ELSE d.kind END) || '.' || s.field AS what, d.name, s.value," \
"  CASE s.field WHEN 'number' THEN c.number WHEN 'state' THEN c.state" \
"  WHEN 'issuer' THEN c.issuer WHEN 'issued' THEN c.issued" \
"  ELSE c.expires END AS cur, s.flag, s.credential_id, x.name_match," \
"  x.name AS xname, s.confidence, s.source, s.created_at" \
"  FROM suggestions s JOIN documents d ON d.id = s.document_id" \
"  JOIN providers p ON p.id = d.provider_id" \
"  JOIN extractions x ON x.id = s.extraction_id" \
"  LEFT JOIN credentials c ON c.id = s.credential_id" \
"  WHERE s.status = 'pending')" \
" SELECT 's' || id, npi, who, what, name, value, COALESCE(cur, ''), ltrim(" \
"  CASE WHEN credential_id IS NULL THEN '' WHEN cur IS NULL OR cur = ''" \
"  THEN '; new value' WHEN cur IS NOT value THEN '; MISMATCH' ELSE '' END" \
"  || COALESCE('; ' || flag, '')" \
"  || CASE WHEN credential_id IS NULL THEN '; no credential of this kind" \
" to change' ELSE '' END" \
"  || CASE WHEN name_match = 0 THEN '; the name on the document (' ||" \
"  xname || ') is not the provider''s' ELSE '' END" \
"  || CASE WHEN confidence < 60 THEN '; low confidence (' || confidence" \
"  || ')' ELSE '' END" \
"  || CASE WHEN source = 'model' THEN '; from the model' ELSE '' END," \
"  '; '), created_at FROM q ORDER BY id"

int
ctp_suggest_list(struct ctp_ctx *c, struct ctp_out *o, long long *count,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	long long n = 0;
	int rc;

	if (ctp_db_prepare(c->db, &st, SUGGEST_LIST, e))
		return e->code;
	rc = ctp_db_out_rows(st, o, CTP_REVIEW_NCOLUMNS, &n, "review", e);
	*count += n;
	return rc;
}

/* A pending suggestion as a decision needs it. */
struct sug {
	long long id, document_id, credential_id;
	char field[8];
	char value[CTP_X_VALUE];
	char status[12];
	char sha256[65];
	int confidence;
};

static int
load(sqlite3 *db, long long id, struct sug *s, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char sid[32];
	int rc;

	memset(s, 0, sizeof(*s));
	snprintf(sid, sizeof(sid), "s%lld", id);
	if (ctp_db_prepare(db, &st, "SELECT s.document_id, s.credential_id, "
	    "s.field, s.value, s.status, d.sha256, s.confidence FROM "
	    "suggestions s JOIN documents d ON d.id = s.document_id WHERE "
	    "s.id = ?1", e))
		return e->code;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		s->id = id;
		s->document_id = sqlite3_column_int64(st, 0);
		s->credential_id = sqlite3_column_int64(st, 1);
		snprintf(s->field, sizeof(s->field), "%s", ctp_col_text(st, 2));
		snprintf(s->value, sizeof(s->value), "%s", ctp_col_text(st, 3));
		snprintf(s->status, sizeof(s->status), "%s",
		    ctp_col_text(st, 4));
		snprintf(s->sha256, sizeof(s->sha256), "%s",
		    ctp_col_text(st, 5));
		s->confidence = sqlite3_column_int(st, 6);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return ctp_errf(e, CTP_DATAERR, sid, "no such suggestion");
	if (rc != SQLITE_ROW)
		return ctp_db_err(db, rc, "suggestions", e);
	if (strcmp(s->status, "pending") != 0)
		return ctp_errf(e, CTP_DATAERR, sid, "already %s", s->status);
	return 0;
}

static int
decide_audit(struct ctp_ctx *c, const struct sug *s, const char *status,
    struct ctp_error *e)
{
	char sid[32], action[32];
	json_t *j;
	int rc;

	snprintf(sid, sizeof(sid), "%lld", s->id);
	snprintf(action, sizeof(action), "suggestion.%s", status[0] == 'a' ?
	    "approve" : status[0] == 'c' ? "correct" : "reject");
	j = json_pack("{s:I, s:s, s:s, s:i}", "document",
	    (json_int_t)s->document_id, "sha256", s->sha256, "field", s->field,
	    "confidence", s->confidence);
	if (j != NULL && s->credential_id)
		json_object_set_new(j, "credential_id",
		    json_integer(s->credential_id));
	if (j == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(c, action, "suggestion", sid, j, e);
	json_decref(j);
	return rc;
}

/* The decision row: status, the value written (approve, correct). */
static int
mark(struct ctp_ctx *c, const struct sug *s, const char *status,
    const char *value, const char *note, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char ts[CTP_TS_LEN];
	int rc;

	ctp_timestamp(ts);
	if (ctp_db_prepare(c->db, &st, "UPDATE suggestions SET status = ?1, "
	    "decided_value = ?2, decided_by = ?3, decided_at = ?4, note = ?5 "
	    "WHERE id = ?6 AND status = 'pending'", e))
		return e->code;
	ctp_bind_text(st, 1, status);
	ctp_bind_text_or_null(st, 2, value);
	ctp_bind_text(st, 3, c->user);
	ctp_bind_text(st, 4, ts);
	ctp_bind_text_or_null(st, 5, note);
	sqlite3_bind_int64(st, 6, s->id);
	rc = ctp_db_step_done(st, "suggestions", e);
	sqlite3_finalize(st);
	return rc ? rc : decide_audit(c, s, status, e);
}

/* approve (value NULL: the suggestion's), correct, or reject. */
static int
decide(struct ctp_ctx *c, long long id, const char *status,
    const char *value, const char *note, struct ctp_error *e)
{
	struct sug s;
	char source[64], sid[32];
	const char *why;
	int own, rc;

	if ((why = ctp_check_note(note)) != NULL)
		return ctp_errf(e, CTP_DATAERR, "--note", "%s", why);
	if ((rc = ctp_db_join(c->db, &own, e)) != 0)
		return rc;
	if ((rc = load(c->db, id, &s, e)) != 0)
		goto out;
	snprintf(sid, sizeof(sid), "s%lld", id);
	if (status[0] != 'r' && s.credential_id == 0) {
		rc = ctp_errf(e, CTP_DATAERR, sid, "no credential to change: "
		    "add it (ctp-credential add), then read the document again "
		    "(ctp-doc extract %lld)", s.document_id);
		goto out;
	}
	if (status[0] != 'r') {
		if (value == NULL)
			value = s.value;
		snprintf(source, sizeof(source), "document %lld",
		    s.document_id);
		if ((rc = ctp_credential_set_from(c, s.credential_id, s.field,
		    value, source, note, e)) != 0)
			goto out;
	}
	rc = mark(c, &s, status, status[0] == 'r' ? NULL : value, note, e);
out:
	return ctp_db_leave(c->db, own, rc, e);
}

int
ctp_suggest_approve(struct ctp_ctx *c, long long id, const char *note,
    struct ctp_error *e)
{
	return decide(c, id, "approved", NULL, note, e);
}

int
ctp_suggest_correct(struct ctp_ctx *c, long long id, const char *value,
    const char *note, struct ctp_error *e)
{
	return decide(c, id, "corrected", value, note, e);
}

int
ctp_suggest_reject(struct ctp_ctx *c, long long id, const char *note,
    struct ctp_error *e)
{
	return decide(c, id, "rejected", NULL, note, e);
}
