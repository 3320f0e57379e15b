/*
 * status.c - the one way a provider's status changes, and the rule
 * that keeps an exclusion until a reinstatement (status.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "date.h"
#include "db.h"
#include "history.h"
#include "roster.h"
#include "status.h"

/* The provider's first confirmed screening match: *id, 0 when none. */
static int
confirmed_match(sqlite3 *db, long long pid, long long *id,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	*id = 0;
	if (ctp_db_prepare(db, &st, "SELECT id FROM screen_matches WHERE "
	    "provider_id = ?1 AND status = 'confirmed' ORDER BY id LIMIT 1",
	    e))
		return e->code;
	sqlite3_bind_int64(st, 1, pid);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "screening matches", e);
	return 0;
}

int
ctp_status_check(sqlite3 *db, long long pid, const char *npi,
    const char *old, const char *status, struct ctp_error *e)
{
	long long match;

	if (old == NULL || strcmp(old, "excluded") != 0 ||
	    strcmp(status, "excluded") == 0)
		return 0;
	if (confirmed_match(db, pid, &match, e))
		return e->code;
	if (match)
		return ctp_errf(e, CTP_DATAERR, "status", "provider is "
		    "excluded (confirmed match %lld); an admin reinstates "
		    "with ctp-screen review %lld --reinstate", match, match);
	return ctp_errf(e, CTP_DATAERR, "status", "provider is excluded; an "
	    "admin reinstates with ctp-roster reinstate %s --note TEXT", npi);
}

/*
 * The status the provider had before its exclusion: the old value of the
 * latest history row that made it excluded, when that is a status it can
 * go back to; else active.
 */
static int
before_exclusion(sqlite3 *db, long long pid, char *out,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	const char *v;
	int rc;

	snprintf(out, CTP_STATUS_LEN, "active");
	if (ctp_db_prepare(db, &st, "SELECT old_value FROM history WHERE "
	    "provider_id = ?1 AND credential_id IS NULL AND field = 'status' "
	    "AND new_value = 'excluded' ORDER BY id DESC LIMIT 1", e))
		return e->code;
	sqlite3_bind_int64(st, 1, pid);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = ctp_col_text(st, 0);
		if (strcmp(v, "active") == 0 || strcmp(v, "inactive") == 0 ||
		    strcmp(v, "pending") == 0)
			snprintf(out, CTP_STATUS_LEN, "%s", v);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "history", e);
	return 0;
}

/* Provider id and status by NPI. */
static int
load(sqlite3 *db, const char *npi, long long *pid, char *old,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	if (ctp_db_prepare(db, &st, "SELECT id, status FROM providers WHERE "
	    "npi = ?1", e))
		return e->code;
	ctp_bind_text(st, 1, npi);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*pid = sqlite3_column_int64(st, 0);
		snprintf(old, CTP_STATUS_LEN, "%s", ctp_col_text(st, 1));
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return ctp_errf(e, CTP_DATAERR, npi, "not on the roster");
	if (rc != SQLITE_ROW)
		return ctp_db_err(db, rc, "roster", e);
	return 0;
}

/* The reinstatement's own conditions (the caller's role checked). */
static int
may_reinstate(struct ctp_ctx *c, long long pid, const char *old,
    const char *note, struct ctp_error *e)
{
	long long match;

	if (!ctp_role_allows(c->role, CTP_PERM_ADMIN))
		return ctp_errf(e, CTP_NOPERM, "reinstate", "an admin or "
		    "owner reinstates a provider");
	if (note == NULL || *note == '\0')
		return ctp_errf(e, CTP_USAGE, "reinstate", "--note is "
		    "required: the reason for the reinstatement");
	if (strcmp(old, "excluded") != 0)
		return ctp_errf(e, CTP_DATAERR, "status", "provider is not "
		    "excluded");
	if (confirmed_match(c->db, pid, &match, e))
		return e->code;
	if (match)
		return ctp_errf(e, CTP_DATAERR, "status", "provider has a "
		    "confirmed screening match (%lld); an admin reinstates "
		    "with ctp-screen review %lld --reinstate", match, match);
	return 0;
}

static int
set_in_tx(struct ctp_ctx *c, const char *npi, const char *status,
    enum ctp_status_how how, long long match, const char *source,
    const char *note, char *set, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char old[CTP_STATUS_LEN], nw[CTP_STATUS_LEN], ts[CTP_TS_LEN];
	const char *why;
	long long pid = 0;
	json_t *d;
	int rc;

	if (status && (why = ctp_roster_check("status", status, nw,
	    sizeof(nw))) != NULL)
		return ctp_errf(e, CTP_DATAERR, "status", "%s", why);
	if (load(c->db, npi, &pid, old, e))
		return e->code;
	if (how == CTP_STATUS_REINSTATE) {
		if (may_reinstate(c, pid, old, note, e))
			return e->code;
		if (status == NULL && before_exclusion(c->db, pid, nw, e))
			return e->code;
		if (strcmp(nw, "excluded") == 0)
			return ctp_errf(e, CTP_DATAERR, "status", "a "
			    "reinstatement ends the exclusion");
	} else if (ctp_status_check(c->db, pid, npi, old, nw, e))
		return e->code;
	if (set)
		snprintf(set, CTP_STATUS_LEN, "%s", nw);
	if (strcmp(old, nw) == 0)
		return 0;
	ctp_timestamp(ts);
	if (ctp_db_prepare(c->db, &st, "UPDATE providers SET status = ?1, "
	    "updated_at = ?2 WHERE id = ?3", e))
		return e->code;
	ctp_bind_text(st, 1, nw);
	ctp_bind_text(st, 2, ts);
	sqlite3_bind_int64(st, 3, pid);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(c->db, rc, "roster", e);
	if ((rc = ctp_history_add(c, pid, 0, "status", old, nw, source, note,
	    e)) != 0)
		return rc;
	if (how == CTP_STATUS_REINSTATE) {
		d = json_pack("{s:s?, s:s}", "source", source, "status", nw);
		if (d && match && json_object_set_new(d, "match",
		    json_integer(match)) != 0) {
			json_decref(d);
			d = NULL;
		}
	} else
		d = json_pack("{s:s, s:s?}", "field", "status", "source",
		    source);
	if (d == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(c, how == CTP_STATUS_REINSTATE ? "roster.reinstate" :
	    "roster.set", "provider", npi, d, e);
	json_decref(d);
	return rc;
}

int
ctp_status_set(struct ctp_ctx *c, const char *npi, const char *status,
    enum ctp_status_how how, long long match, const char *source,
    const char *note, char *set, struct ctp_error *e)
{
	int own, rc;

	if ((rc = ctp_db_join(c->db, &own, e)) != 0)
		return rc;
	rc = set_in_tx(c, npi, status, how, match, source, note, set, e);
	return ctp_db_leave(c->db, own, rc, e);
}

int
ctp_status_reinstate(struct ctp_ctx *c, const char *npi, const char *note,
    char *set, struct ctp_error *e)
{
	int rc;

	if ((rc = ctp_ctx_require(c, CTP_PERM_ADMIN, "reinstate", e)) != 0)
		return rc;
	return ctp_status_set(c, npi, NULL, CTP_STATUS_REINSTATE, 0,
	    "ctp-roster", note, set, e);
}
