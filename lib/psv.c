#include <stdlib.h>

#include "buf.h"
#include "date.h"
#include "db.h"
#include "psv.h"

static void
bind_static(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

int
ctp_psv_add(struct ctp_ctx *c, const struct ctp_psv *p, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char ts[CTP_TS_LEN], *d = NULL;
	int rc;

	if (c->psv_insert == NULL && ctp_db_prepare(c->db, &c->psv_insert,
	    "INSERT INTO psv_log (provider_id, credential_id, source, method, "
	    "result, reference, detail, actor, ts) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", e))
		return e->code;
	st = c->psv_insert;
	if (p->detail && (d = json_dumps(p->detail, JSON_COMPACT |
	    JSON_SORT_KEYS)) == NULL)
		return ctp_err_nomem(e, "psv log");
	if (p->ts == NULL)
		ctp_timestamp(ts);
	/* Every string outlives the step: bound without copies. */
	sqlite3_bind_int64(st, 1, p->provider_id);
	if (p->credential_id)
		sqlite3_bind_int64(st, 2, p->credential_id);
	else
		sqlite3_bind_null(st, 2);
	bind_static(st, 3, p->source);
	bind_static(st, 4, p->method);
	bind_static(st, 5, p->result);
	bind_static(st, 6, p->reference);
	bind_static(st, 7, d ? d : p->detail_text);
	bind_static(st, 8, c->user);
	bind_static(st, 9, p->ts ? p->ts : ts);
	rc = sqlite3_step(st);
	/* Every parameter is bound on every call: no need to clear them. */
	sqlite3_reset(st);
	free(d);
	if (rc != SQLITE_DONE)
		return ctp_db_err(c->db, rc, "psv log", e);
	return 0;
}

void
ctp_psv_finish(struct ctp_ctx *c)
{
	sqlite3_finalize(c->psv_insert);
	c->psv_insert = NULL;
}

int
ctp_psv_prepare_batch(sqlite3 *db, size_t n, int fixed_source,
    sqlite3_stmt **st, struct ctp_error *e)
{
	return ctp_db_prepare_rows(db, st, "INSERT INTO psv_log (provider_id, "
	    "source, method, result, reference, detail, actor, ts) VALUES ",
	    fixed_source ? "(#,?4,?3,#,#,#,?1,?2)" : "(#,#,?3,#,#,#,?1,?2)",
	    n, ctp_psv_batch_param(0, fixed_source), e);
}
