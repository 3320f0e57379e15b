/*
 * psv_queue.c - the verification queue (ctp_psv_queue, psv_log.h): the
 * active credentials whose primary-source verification is missing,
 * older than the organization's window, outdated by a change of the
 * credential, or failed.
 *
 * The rule (ctp_psv_due) is a function of a credential's facts, which
 * one statement reads: its last verification from the verified entries
 * about credentials (psv_log_credential, a partial index of the few
 * entries that name a credential: screening and NPI runs write hundreds
 * of thousands that do not), a correction through psv_log_corrects, a
 * change through the provider's history (history_provider), read only
 * for the credentials verified and then unmarked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "date.h"
#include "db.h"
#include "org.h"
#include "psv_log.h"

const struct ctp_col ctp_psv_queue_columns[] = {
	{ "npi", CTP_COL_STR },
	{ "last_name", CTP_COL_STR },
	{ "first_name", CTP_COL_STR },
	{ "credential_id", CTP_COL_INT },
	{ "kind", CTP_COL_STR },
	{ "state", CTP_COL_STR },
	{ "number", CTP_COL_STR },
	{ "last_verified", CTP_COL_STR },
	{ "reason", CTP_COL_STR },
	{ "days", CTP_COL_INT },
};

/*
 * The facts of each active credential of an active or pending provider:
 * ?1 the as-of day.  A verification counts when it was done by the as-of
 * day and no entry corrects it.  reset: a value changed
 * (ctp_credential_unverify's history row, note "FIELD changed") at or
 * after the last verification was entered.
 */
static const char queue_sql[] =
"WITH ok AS ("
"  SELECT l.credential_id AS cid, max(l.verified_on) AS day,"
"    max(l.ts) AS ts FROM psv_log l"
"  WHERE l.credential_id IS NOT NULL AND l.result = 'verified'"
"    AND l.verified_on <= ?1"
"    AND NOT EXISTS (SELECT 1 FROM psv_log x WHERE x.corrects = l.id)"
"  GROUP BY l.credential_id)"
" SELECT p.npi, p.last_name, p.first_name, c.id, c.kind, c.state,"
"  c.number, ok.day, c.verification,"
"  ok.cid IS NOT NULL AND c.verification <> 'verified' AND EXISTS ("
"    SELECT 1 FROM history h WHERE h.provider_id = c.provider_id AND"
"    h.credential_id = c.id AND h.field = c.kind || '.verification' AND"
"    h.new_value = 'unverified' AND h.note LIKE '% changed' AND"
"    h.ts >= ok.ts)"
" FROM credentials c JOIN providers p ON p.id = c.provider_id"
" LEFT JOIN ok ON ok.cid = c.id"
" WHERE c.status = 'active' AND p.status IN ('active', 'pending')"
" ORDER BY p.npi, c.kind, c.id";

const char *
ctp_psv_due(const struct ctp_psv_state *s, long as_of, long window)
{
	if (s->last_verified < 0)
		return "never_verified";
	if (s->reset && (s->mark == NULL || strcmp(s->mark, "verified") != 0))
		return "changed";
	if (s->mark && strcmp(s->mark, "failed") == 0)
		return "failed";
	if (as_of - s->last_verified > window)
		return "stale";
	return NULL;
}

/* The row of st's credential when it is due: 1 written, 0 not due. */
static int
due_row(sqlite3_stmt *st, long as_of, long window, struct ctp_out *o,
    struct ctp_error *e)
{
	struct ctp_psv_state s;
	const char *v[CTP_PSV_QUEUE_NCOLUMNS];
	char days[24] = "";
	int i;

	s.last_verified = -1;
	if (sqlite3_column_type(st, 7) != SQLITE_NULL &&
	    ctp_date_parse(ctp_col_text(st, 7), &s.last_verified) < 0)
		s.last_verified = -1;
	s.mark = ctp_col_text(st, 8);
	s.reset = sqlite3_column_int(st, 9);
	if ((v[8] = ctp_psv_due(&s, as_of, window)) == NULL)
		return 0;
	for (i = 0; i < 8; i++)
		v[i] = ctp_col_text(st, i);
	if (s.last_verified >= 0)
		snprintf(days, sizeof(days), "%ld", as_of - s.last_verified);
	v[9] = days;
	if (ctp_out_row(o, v, e))
		return -1;
	return 1;
}

int
ctp_psv_queue(struct ctp_ctx *c, long as_of, struct ctp_out *o,
    long long *rows, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char day[CTP_DATE_LEN];
	long window;
	long long n = 0;
	json_t *d;
	int rc;

	if (rows)
		*rows = 0;
	if (ctp_org_get_long(c->db, "verify_window_days", &window, e))
		return e->code;
	ctp_date_format(as_of, day);
	if (ctp_db_prepare(c->db, &st, queue_sql, e))
		return e->code;
	ctp_bind_text(st, 1, day);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		switch (due_row(st, as_of, window, o, e)) {
		case -1:
			sqlite3_finalize(st);
			return e->code;
		case 1:
			n++;
		}
	}
	if (rc != SQLITE_DONE)
		ctp_db_err(c->db, rc, "psv queue", e);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return e->code;
	if (rows)
		*rows = n;
	d = json_pack("{s:s, s:I, s:I}", "as_of", day, "window",
	    (json_int_t)window, "rows", (json_int_t)n);
	if (d == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(c, "psv.queue", "", "", d, e);
	json_decref(d);
	return rc;
}
