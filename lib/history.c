/*
 * history.c - the roster's history: who changed which field of a
 * provider or of a credential, from what to what, when, from where.
 * Every history row of the library is written here.
 */
#include <string.h>

#include <sqlite3.h>

#include "date.h"
#include "db.h"
#include "history.h"

int
ctp_history_open(struct ctp_history *h, struct ctp_ctx *c, const char *ts,
    const char *source, struct ctp_error *e)
{
	memset(h, 0, sizeof(*h));
	h->db = c->db;
	h->actor = c->user;
	h->ts = ts;
	h->source = source;
	return ctp_db_prepare(c->db, &h->st, "INSERT INTO history "
	    "(provider_id, credential_id, field, old_value, new_value, actor, "
	    "ts, source, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	    e);
}

int
ctp_history_write(struct ctp_history *h, long long pid, long long cid,
    const char *field, const char *old, const char *nw, const char *note,
    struct ctp_error *e)
{
	sqlite3_stmt *st = h->st;
	int rc;

	sqlite3_bind_int64(st, 1, pid);
	if (cid)
		sqlite3_bind_int64(st, 2, cid);
	else
		sqlite3_bind_null(st, 2);
	/* Without a copy: each string outlives the step. */
	ctp_bind_static(st, 3, field);
	ctp_bind_static_or_null(st, 4, old);
	ctp_bind_static_or_null(st, 5, nw);
	ctp_bind_static(st, 6, h->actor);
	ctp_bind_static(st, 7, h->ts);
	ctp_bind_static(st, 8, h->source);
	ctp_bind_static(st, 9, note);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	/* No binding outlives the call: the caller's strings may go. */
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(h->db, rc, "history", e);
	return 0;
}

void
ctp_history_close(struct ctp_history *h)
{
	sqlite3_finalize(h->st);
	h->st = NULL;
}

int
ctp_history_add(struct ctp_ctx *c, long long pid, long long cid,
    const char *field, const char *old, const char *nw, const char *source,
    const char *note, struct ctp_error *e)
{
	struct ctp_history h;
	char ts[CTP_TS_LEN];
	int rc;

	ctp_timestamp(ts);
	if ((rc = ctp_history_open(&h, c, ts, source, e)) != 0)
		return rc;
	rc = ctp_history_write(&h, pid, cid, field, old, nw, note, e);
	ctp_history_close(&h);
	return rc;
}
