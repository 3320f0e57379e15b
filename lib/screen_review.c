/*
 * screen_review.c - the lists in force, the matches, and their review
 * and reinstatement (screen.h).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "date.h"
#include "db.h"
#include "roster.h"
#include "screen.h"
#include "status.h"
#include "validate.h"

/* ------------------------------------------------------------------ */
/* lists */

const struct ctp_col ctp_screen_lists_columns[] = {
	{ "list_id", CTP_COL_INT },
	{ "list", CTP_COL_STR },
	{ "kind", CTP_COL_STR },
	{ "file", CTP_COL_STR },
	{ "file_date", CTP_COL_STR },
	{ "sha256", CTP_COL_STR },
	{ "rows", CTP_COL_INT },
	{ "loaded_at", CTP_COL_STR },
	{ "loaded_by", CTP_COL_STR },
};

int
ctp_screen_lists(struct ctp_ctx *c, int all, struct ctp_out *o,
    struct ctp_error *e)
{
	sqlite3_stmt *st;

	if (ctp_db_prepare(c->db, &st, "SELECT id, source, kind, file_name, "
	    "file_date, sha256, rows, loaded_at, loaded_by FROM screen_lists "
	    "WHERE ?1 OR active = 1 ORDER BY source, id", e))
		return e->code;
	sqlite3_bind_int(st, 1, all);
	return ctp_db_out_rows(st, o, CTP_SCREEN_LISTS_NCOLUMNS, NULL,
	    "screening", e);
}

const struct ctp_col ctp_screen_match_columns[] = {
	{ "match_id", CTP_COL_INT },
	{ "npi", CTP_COL_STR },
	{ "last_name", CTP_COL_STR },
	{ "first_name", CTP_COL_STR },
	{ "list", CTP_COL_STR },
	{ "entry", CTP_COL_STR },
	{ "rule", CTP_COL_STR },
	{ "result", CTP_COL_STR },
	{ "status", CTP_COL_STR },
	{ "name_used", CTP_COL_STR },
	{ "listed_name", CTP_COL_STR },
	{ "listed_dob", CTP_COL_STR },
	{ "listed_state", CTP_COL_STR },
	{ "exclusion_type", CTP_COL_STR },
	{ "exclusion_date", CTP_COL_STR },
	{ "raised_at", CTP_COL_STR },
	{ "reviewed_by", CTP_COL_STR },
	{ "note", CTP_COL_STR },
};

#define MATCH_SELECT "SELECT m.id, p.npi, p.last_name, p.first_name, " \
	"m.source, m.ident, m.rule, m.result, m.status, m.name_used, " \
	"m.listed_name, m.listed_dob, m.listed_state, m.excl_type, " \
	"m.excl_date, m.created_at, m.reviewed_by, m.note FROM " \
	"screen_matches m JOIN providers p ON p.id = m.provider_id "


int
ctp_screen_run_matches(struct ctp_ctx *c, long long run_id,
    struct ctp_out *o, struct ctp_error *e)
{
	sqlite3_stmt *st;

	if (ctp_db_prepare(c->db, &st, MATCH_SELECT "WHERE "
	    "m.last_run_id = ?1 AND m.status = 'pending' ORDER BY m.id", e))
		return e->code;
	sqlite3_bind_int64(st, 1, run_id);
	return ctp_db_out_rows(st, o, CTP_SCREEN_MATCH_NCOLUMNS, NULL,
	    "screening", e);
}

int
ctp_screen_matches(struct ctp_ctx *c, const char *status, struct ctp_out *o,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	long long count = 0;
	json_t *d;
	int rc;

	if (status && strcmp(status, "pending") != 0 &&
	    strcmp(status, "confirmed") != 0 &&
	    strcmp(status, "cleared") != 0 && strcmp(status, "reinstated") != 0)
		return ctp_errf(e, CTP_USAGE, "--status", "one of pending, "
		    "confirmed, cleared, reinstated");
	if (ctp_db_prepare(c->db, &st, MATCH_SELECT "WHERE ?1 IS NULL OR "
	    "m.status = ?1 ORDER BY m.id", e))
		return e->code;
	ctp_bind_text_or_null(st, 1, status);
	rc = ctp_db_out_rows(st, o, CTP_SCREEN_MATCH_NCOLUMNS, &count,
	    "screening", e);
	if (rc != 0)
		return rc;
	d = json_pack("{s:s?, s:I}", "status", status, "rows",
	    (json_int_t)count);
	rc = ctp_audit(c, "screen.matches.read", "screening", NULL, d, e);
	json_decref(d);
	return rc;
}

/* A match under review, and its provider. */
struct review {
	char npi[16];
	char status[16];	/* the match's */
	char pstatus[16];	/* the provider's */
	long long other;	/* another confirmed match of the provider */
};

static int
review_load(struct ctp_ctx *c, long long id, const char *where,
    struct review *r, struct ctp_error *e)
{
	sqlite3_stmt *st;
	int k;

	if (ctp_db_prepare(c->db, &st, "SELECT p.npi, m.status, p.status, "
	    "(SELECT min(o.id) FROM screen_matches o WHERE o.provider_id = "
	    "m.provider_id AND o.status = 'confirmed' AND o.id <> m.id) FROM "
	    "screen_matches m JOIN providers p ON p.id = m.provider_id WHERE "
	    "m.id = ?1", e))
		return e->code;
	sqlite3_bind_int64(st, 1, id);
	if ((k = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(r->npi, sizeof(r->npi), "%s", ctp_col_text(st, 0));
		snprintf(r->status, sizeof(r->status), "%s",
		    ctp_col_text(st, 1));
		snprintf(r->pstatus, sizeof(r->pstatus), "%s",
		    ctp_col_text(st, 2));
		r->other = sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	if (k == SQLITE_DONE)
		return ctp_errf(e, CTP_DATAERR, where, "no such match");
	if (k != SQLITE_ROW)
		return ctp_db_err(c->db, k, where, e);
	return 0;
}

/* Its decision into the match row (reviewer and note for a first one). */
static int
review_mark(struct ctp_ctx *c, long long id, const char *status,
    const char *note, const char *where, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char ts[CTP_TS_LEN];
	int rc;

	ctp_timestamp(ts);
	if (ctp_db_prepare(c->db, &st, note ? "UPDATE screen_matches SET "
	    "status = ?1, reviewed_by = ?2, reviewed_at = ?3, note = ?4 "
	    "WHERE id = ?5" : "UPDATE screen_matches SET status = ?1 WHERE "
	    "id = ?5", e))
		return e->code;
	ctp_bind_text(st, 1, status);
	if (note) {
		ctp_bind_text(st, 2, c->user);
		ctp_bind_text(st, 3, ts);
		ctp_bind_text(st, 4, note);
	}
	sqlite3_bind_int64(st, 5, id);
	rc = ctp_db_step_done(st, where, e);
	sqlite3_finalize(st);
	return rc;
}

static int
review_event(struct ctp_ctx *c, long long id, const char *decision,
    const struct review *r, const char *where, struct ctp_error *e)
{
	json_t *d;
	int rc;

	d = json_pack("{s:I, s:s, s:s}", "match", (json_int_t)id, "decision",
	    decision, "npi", r->npi);
	if (d && strcmp(decision, "reinstated") == 0 && json_object_set_new(d,
	    "excluded_by", json_integer(r->other)) != 0) {
		json_decref(d);
		d = NULL;
	}
	if (d == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(c, "screen.review", "screen_match", where + 6, d, e);
	json_decref(d);
	return rc;
}

/* A reviewer's note: given, and text that may be shown. */
static int
note_ok(const char *note, const char *where, struct ctp_error *e)
{
	if (note == NULL || *note == '\0')
		return ctp_errf(e, CTP_USAGE, where, "--note is required");
	if (ctp_check_note(note) != NULL)
		return ctp_errf(e, CTP_DATAERR, "--note", "%s",
		    ctp_check_note(note));
	return 0;
}

int
ctp_screen_review(struct ctp_ctx *c, long long id, int confirm,
    const char *note, struct ctp_error *e)
{
	struct review r;
	char where[64];
	const char *decision = confirm ? "confirmed" : "cleared";
	int rc;

	snprintf(where, sizeof(where), "match %lld", id);
	if ((rc = note_ok(note, where, e)) != 0 ||
	    (rc = ctp_db_begin(c->db, e)) != 0)
		return rc;
	if ((rc = review_load(c, id, where, &r, e)) != 0)
		goto fail;
	if (strcmp(r.status, "pending") != 0) {
		rc = ctp_errf(e, CTP_DATAERR, where, "already %s", r.status);
		goto fail;
	}
	if ((rc = review_mark(c, id, decision, note, where, e)) != 0 ||
	    (confirm && (rc = ctp_roster_set(c, r.npi, "status", "excluded",
	    "ctp-screen", note, e)) != 0) ||
	    (rc = review_event(c, id, decision, &r, where, e)) != 0 ||
	    (rc = ctp_db_commit(c->db, e)) != 0)
		goto fail;
	return 0;
fail:
	ctp_db_rollback(c->db);
	return rc;
}

int
ctp_screen_reinstate(struct ctp_ctx *c, long long id, const char *note,
    long long *stays, struct ctp_error *e)
{
	struct review r;
	char where[64];
	int rc;

	*stays = 0;
	snprintf(where, sizeof(where), "match %lld", id);
	if ((rc = note_ok(note, where, e)) != 0 ||
	    (rc = ctp_ctx_require(c, CTP_PERM_ADMIN, "reinstate", e)) != 0 ||
	    (rc = ctp_db_begin(c->db, e)) != 0)
		return rc;
	if ((rc = review_load(c, id, where, &r, e)) != 0)
		goto fail;
	if (strcmp(r.status, "confirmed") != 0) {
		rc = ctp_errf(e, CTP_DATAERR, where, "is %s; only a confirmed "
		    "match is reinstated", r.status);
		goto fail;
	}
	/* The match keeps its reviewer and note; the reinstatement's are in
	 * the history row and the audit log. */
	if ((rc = review_mark(c, id, "reinstated", NULL, where, e)) != 0)
		goto fail;
	/* The exclusion ends when no other confirmed match stands. */
	*stays = r.other;
	if (r.other == 0 && strcmp(r.pstatus, "excluded") == 0 &&
	    (rc = ctp_status_set(c, r.npi, NULL, CTP_STATUS_REINSTATE, id,
	    "ctp-screen", note, NULL, e)) != 0)
		goto fail;
	if ((rc = review_event(c, id, "reinstated", &r, where, e)) != 0 ||
	    (rc = ctp_db_commit(c->db, e)) != 0)
		goto fail;
	return 0;
fail:
	ctp_db_rollback(c->db);
	return rc;
}
