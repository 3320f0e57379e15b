/*
 * screen_nicknames.c - the nickname table the screening rules use: the
 * one shipped with ctp and the organization's own pairs (screen.h).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "date.h"
#include "db.h"
#include "names.h"
#include "nickname.h"
#include "screen.h"

int
ctp_screen_nicknames_load(sqlite3 *db, struct ctp_nicknames **nk,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = ctp_nicknames_new(nk, e)) != 0)
		return rc;
	if ((rc = ctp_nicknames_read(*nk, ctp_nicknames_path(), e)) != 0 ||
	    (rc = ctp_db_prepare(db, &st, "SELECT key_a, key_b FROM "
	    "screen_nicknames ORDER BY id", e)) != 0)
		goto fail;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (ctp_nicknames_add(*nk, ctp_col_text(st, 0),
		    ctp_col_text(st, 1), e) != 0) {
			sqlite3_finalize(st);
			rc = e->code;
			goto fail;
		}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 0;
	rc = ctp_db_err(db, rc, "screen nicknames", e);
fail:
	ctp_nicknames_free(*nk);
	*nk = NULL;
	return rc;
}

int
ctp_screen_nickname_add(struct ctp_ctx *c, const char *a, const char *b,
    struct ctp_error *e)
{
	char ka[CTP_NAME_KEY], kb[CTP_NAME_KEY], ts[CTP_TS_LEN];
	sqlite3_stmt *st;
	json_t *d;
	int rc, swap;

	if (ctp_name_first_key(a, ka) != 0 || ctp_name_first_key(b, kb) != 0)
		return ctp_errf(e, CTP_DATAERR, "nicknames", "a name needs a "
		    "letter");
	if (strcmp(ka, kb) == 0)
		return ctp_errf(e, CTP_DATAERR, "nicknames", "a pair needs two "
		    "different names");
	swap = strcmp(ka, kb) > 0;
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		return rc;
	if (ctp_db_prepare(c->db, &st, "INSERT OR IGNORE INTO "
	    "screen_nicknames (name, nickname, key_a, key_b, added_by, "
	    "added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", e)) {
		ctp_db_rollback(c->db);
		return e->code;
	}
	ctp_timestamp(ts);
	ctp_bind_text(st, 1, a);
	ctp_bind_text(st, 2, b);
	ctp_bind_text(st, 3, swap ? kb : ka);
	ctp_bind_text(st, 4, swap ? ka : kb);
	ctp_bind_text(st, 5, c->user);
	ctp_bind_text(st, 6, ts);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		rc = ctp_db_err(c->db, rc, "screen nicknames", e);
		ctp_db_rollback(c->db);
		return rc;
	}
	/* The keys, not the names as typed: they may be a person's. */
	d = json_pack("{s:s, s:s, s:b}", "a", swap ? kb : ka, "b",
	    swap ? ka : kb, "added", sqlite3_changes(c->db) > 0);
	rc = d ? ctp_audit(c, "screen.nickname", "screening", NULL, d, e) :
	    ctp_err_nomem(e, "nicknames");
	json_decref(d);
	if (rc != 0 || (rc = ctp_db_commit(c->db, e)) != 0) {
		ctp_db_rollback(c->db);
		return rc;
	}
	return 0;
}

const struct ctp_col ctp_screen_nicknames_columns[] = {
	{ "name", CTP_COL_STR },
	{ "nickname", CTP_COL_STR },
	{ "added_by", CTP_COL_STR },
	{ "added_at", CTP_COL_STR },
};

int
ctp_screen_nicknames_list(struct ctp_ctx *c, struct ctp_out *o,
    struct ctp_error *e)
{
	sqlite3_stmt *st;

	if (ctp_db_prepare(c->db, &st, "SELECT name, nickname, added_by, "
	    "added_at FROM screen_nicknames ORDER BY key_a, key_b", e))
		return e->code;
	return ctp_db_out_rows(st, o, CTP_SCREEN_NICKNAMES_NCOLUMNS, NULL,
	    "screen nicknames", e);
}
