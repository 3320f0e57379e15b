/*
 * recred_list.c - the listings of ctp-recred (recred.h): document
 * requests one row per provider and document, ready for a mail merge,
 * and the cycles with their open requests.  Each is one query and one
 * "recred.read" audit event.
 */
#include <jansson.h>

#include "audit.h"
#include "db.h"
#include "recred.h"
#include "roster.h"

const struct ctp_col ctp_recred_request_columns[] = {
	{ "npi", CTP_COL_STR },
	{ "last_name", CTP_COL_STR },
	{ "first_name", CTP_COL_STR },
	{ "email", CTP_COL_STR },
	{ "kind", CTP_COL_STR },
	{ "credential", CTP_COL_INT },
	{ "reason", CTP_COL_STR },
	{ "detail", CTP_COL_STR },
	{ "due", CTP_COL_STR },
	{ "request", CTP_COL_INT },
	{ "cycle", CTP_COL_INT },
	{ "created", CTP_COL_STR },
	{ "fulfilled", CTP_COL_STR },
	{ "note", CTP_COL_STR },
};

const struct ctp_col ctp_recred_cycle_columns[] = {
	{ "cycle", CTP_COL_INT },
	{ "npi", CTP_COL_STR },
	{ "last_name", CTP_COL_STR },
	{ "first_name", CTP_COL_STR },
	{ "opened", CTP_COL_STR },
	{ "due", CTP_COL_STR },
	{ "closed", CTP_COL_STR },
	{ "decision", CTP_COL_STR },
	{ "open_requests", CTP_COL_INT },
};

static int
audit_read(struct ctp_ctx *c, const char *what, const char *npi,
    int open_only, long long rows, struct ctp_error *e)
{
	json_t *d;
	int rc;

	if ((d = json_pack("{s:s, s:s?, s:b, s:I}", "list", what, "npi", npi,
	    "open", open_only, "rows", (json_int_t)rows)) == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(c, "recred.read", "recred", npi ? npi : "", d, e);
	json_decref(d);
	return rc;
}

int
ctp_recred_requests(struct ctp_ctx *c, const char *npi, int open_only,
    struct ctp_out *o, struct ctp_error *e)
{
	sqlite3_stmt *st;
	long long n;
	long long pid;

	if (npi != NULL && ctp_roster_find(c->db, npi, &pid, e))
		return e->code;
	/* Open: not fulfilled, in a cycle not closed. */
	if (ctp_db_prepare(c->db, &st, "SELECT p.npi, p.last_name,"
	    " p.first_name, p.email, r.kind, r.credential_id, r.reason,"
	    " r.detail, y.due, r.id,"
	    " y.id, r.created, r.fulfilled, r.note FROM doc_requests r"
	    " JOIN recred_cycles y ON y.id = r.cycle_id"
	    " JOIN providers p ON p.id = r.provider_id"
	    " WHERE (?1 IS NULL OR p.npi = ?1) AND (?2 = 0 OR"
	    " (r.fulfilled IS NULL AND y.closed IS NULL))"
	    " ORDER BY y.id, r.id", e))
		return e->code;
	ctp_bind_text(st, 1, npi);
	sqlite3_bind_int(st, 2, open_only);
	if (ctp_db_out_rows(st, o, CTP_RECRED_REQUEST_NCOLUMNS, &n,
	    "recred", e))
		return e->code;
	return audit_read(c, "requests", npi, open_only, n, e);
}

int
ctp_recred_list(struct ctp_ctx *c, int open_only, struct ctp_out *o,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	long long n;

	if (ctp_db_prepare(c->db, &st, "SELECT y.id, p.npi, p.last_name,"
	    " p.first_name, y.opened, y.due, y.closed, y.decision,"
	    " CASE WHEN y.closed IS NULL THEN (SELECT count(*)"
	    " FROM doc_requests r WHERE r.cycle_id = y.id"
	    " AND r.fulfilled IS NULL) ELSE 0 END"
	    " FROM recred_cycles y JOIN providers p ON p.id = y.provider_id"
	    " WHERE ?1 = 0 OR y.closed IS NULL ORDER BY y.id", e))
		return e->code;
	sqlite3_bind_int(st, 1, open_only);
	if (ctp_db_out_rows(st, o, CTP_RECRED_CYCLE_NCOLUMNS, &n, "recred",
	    e))
		return e->code;
	return audit_read(c, "cycles", NULL, open_only, n, e);
}
