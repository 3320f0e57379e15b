/*
 * psv_queue.c - the verification queue (ctp_psv_queue, psv_log.h): the
 * active credentials whose primary-source verification is missing,
 * older than the organization's window, outdated by a change of the
 * credential, or failed.
 *
 * One statement: each credential's last verification comes from the
 * verified entries about credentials (psv_log_credential, a partial
 * index of the few entries that name a credential: screening and NPI
 * runs write hundreds of thousands that do not), a correction found
 * through psv_log_corrects, a change through the provider's history
 * (history_provider): the roster's history is read only for the
 * credentials verified and then unmarked.
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
 * ?1 the as-of day, ?2 the window in days.  A verification counts when
 * it was done by the as-of day and no entry corrects it.  changed: a
 * value changed (ctp_credential_unverify's history row, note "FIELD
 * changed") at or after the last verification was entered, and no
 * verification has marked the credential since.
 */
static const char queue_sql[] =
"WITH ok AS ("
"  SELECT l.credential_id AS cid, max(l.verified_on) AS day,"
"    max(l.ts) AS ts FROM psv_log l"
"  WHERE l.credential_id IS NOT NULL AND l.result = 'verified'"
"    AND l.verified_on <= ?1"
"    AND NOT EXISTS (SELECT 1 FROM psv_log x WHERE x.corrects = l.id)"
"  GROUP BY l.credential_id),"
" q AS ("
"  SELECT p.npi, p.last_name, p.first_name, c.id AS cid, c.kind,"
"    c.state, c.number, ok.day,"
"    CASE WHEN ok.cid IS NULL THEN 'never_verified'"
"      WHEN c.verification <> 'verified' AND EXISTS (SELECT 1 FROM"
"        history h WHERE h.provider_id = c.provider_id AND"
"        h.credential_id = c.id AND"
"        h.field = c.kind || '.verification' AND"
"        h.new_value = 'unverified' AND h.note LIKE '% changed' AND"
"        h.ts >= ok.ts) THEN 'changed'"
"      WHEN c.verification = 'failed' THEN 'failed'"
"      WHEN julianday(?1) - julianday(ok.day) > ?2 THEN 'stale'"
"    END AS reason,"
"    CAST(julianday(?1) - julianday(ok.day) AS INTEGER) AS days"
"  FROM credentials c JOIN providers p ON p.id = c.provider_id"
"  LEFT JOIN ok ON ok.cid = c.id"
"  WHERE c.status = 'active' AND p.status IN ('active', 'pending'))"
" SELECT npi, last_name, first_name, cid, kind, state, number, day,"
"  reason, days FROM q WHERE reason IS NOT NULL"
" ORDER BY npi, kind, cid";

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
	sqlite3_bind_int64(st, 2, window);
	if (ctp_db_out_rows(st, o, CTP_PSV_QUEUE_NCOLUMNS, &n, "psv queue", e))
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
