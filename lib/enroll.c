/*
 * enroll.c - payer enrollments (enroll.h): the statuses and the changes
 * allowed between them, the one writer of enrollments and
 * enrollment_events, and the listing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "date.h"
#include "db.h"
#include "enroll.h"
#include "org.h"
#include "validate.h"

const struct ctp_col ctp_enroll_columns[] = {
	{ "id", CTP_COL_INT },
	{ "npi", CTP_COL_STR },
	{ "last_name", CTP_COL_STR },
	{ "first_name", CTP_COL_STR },
	{ "payer", CTP_COL_STR },
	{ "line", CTP_COL_STR },
	{ "status", CTP_COL_STR },
	{ "requested", CTP_COL_STR },
	{ "changed", CTP_COL_STR },
	{ "days", CTP_COL_INT },
	{ "stalled", CTP_COL_STR },
	{ "revalidation", CTP_COL_STR },
};

static const char *const lines[] = { "medicare", "medicaid", "commercial",
    NULL };
static const char *const statuses[] = { "requested", "submitted",
    "in_process", "approved", "denied", "withdrawn", NULL };

/* The changes allowed: from, then the statuses it may go to. */
static const struct {
	const char *from;
	const char *to[5];
} moves[] = {
	{ "requested", { "submitted", "withdrawn", NULL } },
	{ "submitted", { "in_process", "approved", "denied", "withdrawn",
	    NULL } },
	{ "in_process", { "approved", "denied", "withdrawn", NULL } },
	{ "denied", { "requested", NULL } },
	{ "approved", { NULL } },
	{ "withdrawn", { NULL } },
};

static int
member(const char *const *v, const char *s)
{
	for (; *v; v++)
		if (strcmp(*v, s) == 0)
			return 1;
	return 0;
}

int
ctp_enroll_line_ok(const char *s)
{
	return s != NULL && member(lines, s);
}

int
ctp_enroll_status_ok(const char *s)
{
	return s != NULL && member(statuses, s);
}

int
ctp_enroll_open(const char *s)
{
	return s != NULL && (strcmp(s, "requested") == 0 ||
	    strcmp(s, "submitted") == 0 || strcmp(s, "in_process") == 0);
}

const char *
ctp_enroll_transition(const char *from, const char *to)
{
	size_t i;

	if (!ctp_enroll_status_ok(to))
		return "not a status (requested, submitted, in_process, "
		    "approved, denied, withdrawn)";
	if (strcmp(from, to) == 0)
		return ctp_enroll_open(from) ? NULL : "the enrollment is "
		    "closed: a new application is a new enrollment "
		    "(ctp-enroll add)";
	for (i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		if (strcmp(moves[i].from, from) != 0)
			continue;
		if (member(moves[i].to, to))
			return NULL;
		if (strcmp(from, "approved") == 0)
			return "an approved enrollment is final: a new "
			    "application is a new enrollment (ctp-enroll add)";
		if (strcmp(from, "withdrawn") == 0)
			return "a withdrawn enrollment is final: a new "
			    "application is a new enrollment (ctp-enroll add)";
		if (strcmp(from, "denied") == 0)
			return "a denied enrollment may only be requested "
			    "again";
		return "not a step an application takes (see "
		    "ctp-enroll(1))";
	}
	return "the stored status is unknown";
}

long
ctp_enroll_stalls(long changed, long stale_days)
{
	return changed + stale_days;
}

long
ctp_enroll_revalidation(long approved, long years)
{
	return ctp_date_add_months(approved, (int)(years * 12));
}

int
ctp_enroll_years(sqlite3 *db, const char *line, long *years,
    struct ctp_error *e)
{
	char key[64], *v;
	int rc;

	*years = 0;
	snprintf(key, sizeof(key), "enroll_revalidate_%s", line);
	if ((rc = ctp_org_get(db, key, &v, e)) != 0)
		return rc;
	if (*v != '\0' && ctp_org_get_long(db, key, years, e) != 0)
		rc = e->code;
	free(v);
	return rc;
}

static int
check_payer(const char *p, struct ctp_error *e)
{
	const unsigned char *u;

	if (p == NULL || *p == '\0' || strlen(p) > 200)
		return ctp_errf(e, CTP_DATAERR, "--payer", "must be 1 to 200 "
		    "characters");
	for (u = (const unsigned char *)p; *u; u++)
		if (*u < 0x20 || *u == 0x7f)
			return ctp_errf(e, CTP_DATAERR, "--payer", "must not "
			    "contain control characters");
	return 0;
}

static int
event(struct ctp_ctx *c, long long id, const char *old, const char *nw,
    const char *effective, const char *note, const char *ts,
    struct ctp_error *e)
{
	sqlite3_stmt *st;

	if (ctp_db_prepare(c->db, &st, "INSERT INTO enrollment_events"
	    " (enrollment_id, old_status, new_status, effective, note, actor,"
	    " ts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", e))
		return e->code;
	sqlite3_bind_int64(st, 1, id);
	ctp_bind_text_or_null(st, 2, old);
	ctp_bind_text(st, 3, nw);
	ctp_bind_text(st, 4, effective);
	ctp_bind_text_or_null(st, 5, note);
	ctp_bind_text(st, 6, c->user);
	ctp_bind_text(st, 7, ts);
	if (ctp_db_step_done(st, "enrollments", e)) {
		sqlite3_finalize(st);
		return e->code;
	}
	sqlite3_finalize(st);
	return 0;
}

/* An open enrollment of pid with payer on line: its id, or 0. */
static int
open_one(sqlite3 *db, long long pid, const char *payer, const char *line,
    long long *id, struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	*id = 0;
	if (ctp_db_prepare(db, &st, "SELECT id FROM enrollments WHERE"
	    " provider_id = ?1 AND payer = ?2 AND line = ?3 AND"
	    " status IN ('requested', 'submitted', 'in_process')", e))
		return e->code;
	sqlite3_bind_int64(st, 1, pid);
	ctp_bind_text(st, 2, payer);
	ctp_bind_text(st, 3, line);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "enrollments", e);
	return 0;
}

static int
provider_id(sqlite3 *db, const char *npi, long long *pid,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	if (ctp_db_prepare(db, &st, "SELECT id FROM providers WHERE npi = ?1",
	    e))
		return e->code;
	ctp_bind_text(st, 1, npi);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*pid = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return ctp_errf(e, CTP_DATAERR, npi, "not on the roster");
	if (rc != SQLITE_ROW)
		return ctp_db_err(db, rc, "roster", e);
	return 0;
}

static int
add_tx(struct ctp_ctx *c, const char *npi, const char *payer,
    const char *line, const char *day, long long *id, struct ctp_error *e)
{
	char ts[CTP_TS_LEN], obj[24];
	sqlite3_stmt *st;
	long long pid = 0, other;
	json_t *d;
	int rc;

	if ((rc = provider_id(c->db, npi, &pid, e)) != 0 ||
	    (rc = open_one(c->db, pid, payer, line, &other, e)) != 0)
		return rc;
	if (other != 0)
		return ctp_errf(e, CTP_DATAERR, npi, "an open %s enrollment "
		    "with %s is enrollment %lld", line, payer, other);
	ctp_timestamp(ts);
	if (ctp_db_prepare(c->db, &st, "INSERT INTO enrollments (provider_id,"
	    " payer, line, status, requested, changed, added_by, added_at,"
	    " updated_at) VALUES (?1, ?2, ?3, 'requested', ?4, ?4, ?5, ?6,"
	    " ?6)", e))
		return e->code;
	sqlite3_bind_int64(st, 1, pid);
	ctp_bind_text(st, 2, payer);
	ctp_bind_text(st, 3, line);
	ctp_bind_text(st, 4, day);
	ctp_bind_text(st, 5, c->user);
	ctp_bind_text(st, 6, ts);
	rc = ctp_db_step_done(st, "enrollments", e);
	sqlite3_finalize(st);
	if (rc != 0)
		return rc;
	*id = sqlite3_last_insert_rowid(c->db);
	if ((rc = event(c, *id, NULL, "requested", day, NULL, ts, e)) != 0)
		return rc;
	snprintf(obj, sizeof(obj), "%lld", *id);
	if ((d = json_pack("{s:s, s:s, s:s, s:s}", "npi", npi, "payer", payer,
	    "line", line, "requested", day)) == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(c, "enroll.add", "enrollment", obj, d, e);
	json_decref(d);
	return rc;
}

int
ctp_enroll_add(struct ctp_ctx *c, const char *npi, const char *payer,
    const char *line, long requested, long long *id, struct ctp_error *e)
{
	char day[CTP_DATE_LEN];
	int rc;

	if ((rc = check_payer(payer, e)) != 0)
		return rc;
	if (!ctp_enroll_line_ok(line))
		return ctp_errf(e, CTP_DATAERR, "--line", "must be medicare, "
		    "medicaid or commercial");
	ctp_date_format(requested, day);
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		return rc;
	if ((rc = add_tx(c, npi, payer, line, day, id, e)) != 0) {
		ctp_db_rollback(c->db);
		return rc;
	}
	return ctp_db_commit(c->db, e);
}

static int
set_tx(struct ctp_ctx *c, long long id, const char *status,
    long effective, long today, const char *note, struct ctp_error *e)
{
	char ts[CTP_TS_LEN], obj[24], day[CTP_DATE_LEN], old[16], where[40];
	const char *why;
	sqlite3_stmt *st;
	long changed;
	json_t *d;
	int rc;

	snprintf(obj, sizeof(obj), "%lld", id);
	snprintf(where, sizeof(where), "enrollment %lld", id);
	if (ctp_db_prepare(c->db, &st, "SELECT status, changed FROM"
	    " enrollments WHERE id = ?1", e))
		return e->code;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_finalize(st);
		if (rc == SQLITE_DONE)
			return ctp_errf(e, CTP_DATAERR, where, "no such "
			    "enrollment");
		return ctp_db_err(c->db, rc, "enrollments", e);
	}
	snprintf(old, sizeof(old), "%s", ctp_col_text(st, 0));
	rc = ctp_date_parse(ctp_col_text(st, 1), &changed);
	sqlite3_finalize(st);
	if (rc < 0)
		return ctp_errf(e, CTP_DATAERR, where, "stored date is not "
		    "a date");
	if ((why = ctp_enroll_transition(old, status)) != NULL)
		return ctp_errf(e, CTP_DATAERR, where, "%s to %s refused: %s",
		    old, status, why);
	ctp_date_format(changed, day);
	if (effective < changed)
		return ctp_errf(e, CTP_DATAERR, "--effective", "before the "
		    "enrollment's last change (%s)", day);
	if (effective > today)
		return ctp_errf(e, CTP_DATAERR, "--effective", "after today");
	ctp_date_format(effective, day);
	ctp_timestamp(ts);
	if (ctp_db_prepare(c->db, &st, "UPDATE enrollments SET status = ?1,"
	    " changed = ?2, updated_at = ?3 WHERE id = ?4", e))
		return e->code;
	ctp_bind_text(st, 1, status);
	ctp_bind_text(st, 2, day);
	ctp_bind_text(st, 3, ts);
	sqlite3_bind_int64(st, 4, id);
	rc = ctp_db_step_done(st, "enrollments", e);
	sqlite3_finalize(st);
	if (rc != 0 || (rc = event(c, id, old, status, day, note, ts, e)) != 0)
		return rc;
	if ((d = json_pack("{s:s, s:s, s:s, s:s?}", "old", old, "status",
	    status, "effective", day, "note", note)) == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(c, "enroll.set", "enrollment", obj, d, e);
	json_decref(d);
	return rc;
}

int
ctp_enroll_set(struct ctp_ctx *c, long long id, const char *status,
    long effective, long today, const char *note, struct ctp_error *e)
{
	const char *why;
	int rc;

	if ((why = ctp_check_note(note)) != NULL)
		return ctp_errf(e, CTP_DATAERR, "--note", "%s", why);
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		return rc;
	if ((rc = set_tx(c, id, status, effective, today, note, e)) != 0) {
		ctp_db_rollback(c->db);
		return rc;
	}
	return ctp_db_commit(c->db, e);
}

/* One listed row: days since the change, stalled, revalidation. */
static int
put_row(struct ctp_out *o, sqlite3_stmt *st, long as_of, long stale,
    const long years[3], struct ctp_error *e)
{
	const char *v[CTP_ENROLL_NCOLUMNS];
	char days[24] = "", reval[CTP_DATE_LEN] = "";
	const char *status = ctp_col_text(st, 6), *line = ctp_col_text(st, 5);
	long changed, y;
	int i;

	for (i = 0; i < 9; i++)
		v[i] = ctp_col_text(st, i);
	v[10] = "";
	if (ctp_date_parse(v[8], &changed) == 0) {
		snprintf(days, sizeof(days), "%ld", as_of - changed);
		if (ctp_enroll_open(status) &&
		    ctp_enroll_stalls(changed, stale) <= as_of)
			v[10] = "stalled";
		y = years[strcmp(line, "medicare") == 0 ? 0 :
		    strcmp(line, "medicaid") == 0 ? 1 : 2];
		if (strcmp(status, "approved") == 0 && y > 0)
			ctp_date_format(ctp_enroll_revalidation(changed, y),
			    reval);
	}
	v[9] = days;
	v[11] = reval;
	return ctp_out_row(o, v, e);
}

int
ctp_enroll_list(struct ctp_ctx *c, const struct ctp_enroll_filter *f,
    struct ctp_out *o, struct ctp_error *e)
{
	sqlite3_stmt *st;
	long stale, years[3];
	long long n = 0;
	json_t *d;
	int rc, i;

	if ((rc = ctp_org_get_long(c->db, "enroll_stale_days", &stale, e)))
		return rc;
	for (i = 0; i < 3; i++)
		if ((rc = ctp_enroll_years(c->db, lines[i], &years[i], e)))
			return rc;
	if (ctp_db_prepare(c->db, &st, "SELECT e.id, p.npi, p.last_name,"
	    " p.first_name, e.payer, e.line, e.status, e.requested, e.changed"
	    " FROM enrollments e JOIN providers p ON p.id = e.provider_id"
	    " WHERE (?1 = 0 OR e.status IN ('requested', 'submitted',"
	    " 'in_process')) AND (?2 IS NULL OR e.payer = ?2) ORDER BY e.id",
	    e))
		return e->code;
	sqlite3_bind_int(st, 1, f->open);
	ctp_bind_text_or_null(st, 2, f->payer);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (put_row(o, st, f->as_of, stale, years, e) != 0) {
			sqlite3_finalize(st);
			return e->code;
		}
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(c->db, rc, "enrollments", e);
	if ((d = json_pack("{s:b, s:s?, s:I}", "open", f->open, "payer",
	    f->payer, "rows", (json_int_t)n)) == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(c, "enroll.read", "enrollment", "", d, e);
	json_decref(d);
	return rc;
}
