/*
 * recred_close.c - closing a re-credentialing cycle with the decision,
 * and fulfilling a document request (recred.h).  Each is one
 * transaction with its audit event; an approval sets the provider's last
 * re-credentialing date through the roster's writer in the same one.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "date.h"
#include "db.h"
#include "recred.h"
#include "roster.h"

/* Checks of complete: the cycle, its dates and its open requests. */
static int
check_close(struct ctp_ctx *c, const char *npi, const char *decision,
    long date, long today, long long *cycle, struct ctp_error *e)
{
	sqlite3_stmt *st;
	long long pid, open = 0;
	char opened[CTP_DATE_LEN] = "", last[CTP_DATE_LEN] = "";
	long day;
	int rc;

	if ((rc = ctp_roster_find(c->db, npi, &pid, e)) != 0)
		return rc;
	if (ctp_db_prepare(c->db, &st, "SELECT y.id, y.opened, count(r.id)"
	    " - count(r.fulfilled), max(r.fulfilled) FROM recred_cycles y"
	    " LEFT JOIN doc_requests r ON r.cycle_id = y.id"
	    " WHERE y.provider_id = ?1 AND y.closed IS NULL GROUP BY y.id", e))
		return e->code;
	sqlite3_bind_int64(st, 1, pid);
	*cycle = 0;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*cycle = sqlite3_column_int64(st, 0);
		snprintf(opened, sizeof(opened), "%s", ctp_col_text(st, 1));
		open = sqlite3_column_int64(st, 2);
		snprintf(last, sizeof(last), "%s", ctp_col_text(st, 3));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(c->db, rc, "recred", e);
	if (*cycle == 0)
		return ctp_errf(e, CTP_DATAERR, npi, "no open re-credentialing "
		    "cycle (ctp-recred start)");
	if (ctp_date_parse(opened, &day) == 0 && date < day)
		return ctp_errf(e, CTP_DATAERR, npi, "--date: before the "
		    "cycle opened (%s)", opened);
	if (date > today)
		return ctp_errf(e, CTP_DATAERR, npi, "--date: in the future");
	if (strcmp(decision, "approved") != 0)
		return 0;
	if (open > 0)
		return ctp_errf(e, CTP_DATAERR, npi, "%lld document %s still "
		    "open: fulfil %s first (ctp-recred requests --open)", open,
		    ctp_plural(open, "request", "requests"),
		    open == 1 ? "it" : "them");
	/* An approval rests on the documents: it comes after the last. */
	if (ctp_date_parse(last, &day) == 0 && date < day)
		return ctp_errf(e, CTP_DATAERR, npi, "--date: before the last "
		    "document request was fulfilled (%s)", last);
	return 0;
}

int
ctp_recred_complete(struct ctp_ctx *c, const char *npi, const char *decision,
    long date, long today, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char ds[CTP_DATE_LEN], id[24], note[64];
	long long cycle = 0;
	json_t *d;
	int rc;

	if (strcmp(decision, "approved") != 0 && strcmp(decision, "denied"))
		return ctp_errf(e, CTP_USAGE, "--decision", "approved or "
		    "denied");
	ctp_date_format(date, ds);
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		return rc;
	if ((rc = check_close(c, npi, decision, date, today, &cycle, e)) != 0)
		goto fail;
	if ((rc = ctp_db_prepare(c->db, &st, "UPDATE recred_cycles"
	    " SET closed = ?2, decision = ?3, closed_by = ?4 WHERE id = ?1",
	    e)) != 0)
		goto fail;
	sqlite3_bind_int64(st, 1, cycle);
	ctp_bind_text(st, 2, ds);
	ctp_bind_text(st, 3, decision);
	ctp_bind_text(st, 4, c->user);
	rc = ctp_db_step_done(st, "recred", e);
	sqlite3_finalize(st);
	if (rc)
		goto fail;
	snprintf(id, sizeof(id), "%lld", cycle);
	if (strcmp(decision, "approved") == 0) {
		snprintf(note, sizeof(note), "re-credentialing cycle %lld "
		    "approved", cycle);
		if ((rc = ctp_roster_set(c, npi, "last_recred_date", ds,
		    "ctp-recred", note, e)) != 0)
			goto fail;
	}
	if ((d = json_pack("{s:s, s:s, s:s}", "npi", npi, "decision",
	    decision, "date", ds)) == NULL) {
		rc = ctp_err_nomem(e, "audit");
		goto fail;
	}
	rc = ctp_audit(c, "recred.complete", "recred_cycle", id, d, e);
	json_decref(d);
	if (rc)
		goto fail;
	return ctp_db_commit(c->db, e);
fail:
	ctp_db_rollback(c->db);
	return rc;
}

/* Fulfil request id, inside the caller's transaction. */
static int
fulfil_one(struct ctp_ctx *c, long long id, long date, long today,
    const char *note, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char where[32], ds[CTP_DATE_LEN], created[CTP_DATE_LEN] = "";
	char npi[16] = "", done[CTP_DATE_LEN] = "";
	long day;
	int rc, closed = 0;
	json_t *d;

	snprintf(where, sizeof(where), "request %lld", id);
	ctp_date_format(date, ds);
	if ((rc = ctp_db_prepare(c->db, &st, "SELECT r.created, r.fulfilled,"
	    " y.closed IS NOT NULL, p.npi FROM doc_requests r"
	    " JOIN recred_cycles y ON y.id = r.cycle_id"
	    " JOIN providers p ON p.id = r.provider_id WHERE r.id = ?1",
	    e)) != 0)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(created, sizeof(created), "%s", ctp_col_text(st, 0));
		snprintf(done, sizeof(done), "%s", ctp_col_text(st, 1));
		closed = sqlite3_column_int(st, 2);
		snprintf(npi, sizeof(npi), "%s", ctp_col_text(st, 3));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = ctp_db_err(c->db, rc, "recred", e);
		goto fail;
	}
	if (rc == SQLITE_DONE)
		rc = ctp_errf(e, CTP_DATAERR, where, "no such request");
	else if (*done)
		rc = ctp_errf(e, CTP_DATAERR, where, "fulfilled on %s", done);
	else if (closed)
		rc = ctp_errf(e, CTP_DATAERR, where, "its cycle is closed");
	else if (ctp_date_parse(created, &day) == 0 && date < day)
		rc = ctp_errf(e, CTP_DATAERR, where, "--date: before the "
		    "request was made (%s)", created);
	else if (date > today)
		rc = ctp_errf(e, CTP_DATAERR, where, "--date: in the future");
	else
		rc = 0;
	if (rc)
		goto fail;
	if ((rc = ctp_db_prepare(c->db, &st, "UPDATE doc_requests"
	    " SET fulfilled = ?2, fulfilled_by = ?3, note = ?4 WHERE id = ?1",
	    e)) != 0)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	ctp_bind_text(st, 2, ds);
	ctp_bind_text(st, 3, c->user);
	ctp_bind_text_or_null(st, 4, note);
	rc = ctp_db_step_done(st, "recred", e);
	sqlite3_finalize(st);
	if (rc)
		goto fail;
	snprintf(where, sizeof(where), "%lld", id);
	if ((d = json_pack("{s:s, s:s, s:s?}", "npi", npi, "date", ds,
	    "note", note)) == NULL) {
		rc = ctp_err_nomem(e, "audit");
		goto fail;
	}
	rc = ctp_audit(c, "recred.fulfil", "doc_request", where, d, e);
	json_decref(d);
fail:
	return rc;
}

int
ctp_recred_fulfil(struct ctp_ctx *c, const long long *ids, size_t n,
    long date, long today, const char *note, struct ctp_error *e)
{
	size_t i;
	int rc;

	if ((rc = ctp_db_begin(c->db, e)) != 0)
		return rc;
	for (i = 0; i < n; i++)
		if ((rc = fulfil_one(c, ids[i], date, today, note, e)) != 0) {
			ctp_db_rollback(c->db);
			return rc;
		}
	return ctp_db_commit(c->db, e);
}
