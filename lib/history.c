/*
 * history.c - the roster's history: who changed which field of a
 * provider or of a credential, from what to what, when, from where.
 */
#include <sqlite3.h>

#include "date.h"
#include "db.h"
#include "history.h"

int
ctp_history_add(struct ctp_ctx *c, long long pid, long long cid,
    const char *field, const char *old, const char *nw, const char *source,
    const char *note, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char ts[CTP_TS_LEN];
	int rc;

	ctp_timestamp(ts);
	if (ctp_db_prepare(c->db, &st, "INSERT INTO history (provider_id, "
	    "credential_id, field, old_value, new_value, actor, ts, source, "
	    "note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", e))
		return e->code;
	sqlite3_bind_int64(st, 1, pid);
	if (cid)
		sqlite3_bind_int64(st, 2, cid);
	else
		sqlite3_bind_null(st, 2);
	ctp_bind_text(st, 3, field);
	ctp_bind_text_or_null(st, 4, old);
	ctp_bind_text_or_null(st, 5, nw);
	ctp_bind_text(st, 6, c->user);
	ctp_bind_text(st, 7, ts);
	ctp_bind_text(st, 8, source);
	ctp_bind_text(st, 9, note);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(c->db, rc, "history", e);
	return 0;
}
