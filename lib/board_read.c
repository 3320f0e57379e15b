/*
 * board_read.c - the board rosters read (board.h): the list of those in
 * force, and for the board-file verifier a roster by name and its rows
 * by license number, on a connection opened read-only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "board.h"
#include "board_check.h"
#include "db.h"
#include "priv.h"

const struct ctp_col ctp_board_columns[] = {
	{ "name", CTP_COL_STR }, { "state", CTP_COL_STR },
	{ "rows", CTP_COL_INT }, { "file_name", CTP_COL_STR },
	{ "file_date", CTP_COL_STR }, { "sha256", CTP_COL_STR },
	{ "loaded_at", CTP_COL_STR }, { "loaded_by", CTP_COL_STR },
};

int
ctp_board_list(struct ctp_ctx *c, struct ctp_out *o, struct ctp_error *e)
{
	sqlite3_stmt *st;

	if (ctp_db_prepare(c->db, &st, "SELECT name, state, rows, file_name, "
	    "file_date, sha256, loaded_at, loaded_by FROM board_rosters WHERE "
	    "active = 1 ORDER BY name", e))
		return e->code;
	return ctp_db_out_rows(st, o, CTP_BOARD_NCOLUMNS, NULL,
	    "board rosters", e);
}

int
ctp_board_open(const char *path, sqlite3 **out, struct ctp_error *e)
{
	char *resolved = NULL;
	sqlite3 *db = NULL;
	long long n = 0;
	struct stat sb;
	int rc, in, st;

	*out = NULL;
	if (path == NULL) {
		if ((rc = ctp_db_resolve(NULL, &resolved, e)) != 0)
			return rc;
		path = resolved;
	}
	in = ctp_priv_enter(path);
	st = stat(path, &sb);
	ctp_priv_leave(in);
	if (st != 0) {
		rc = ctp_errf(e, CTP_NOINPUT, path, "no such database");
		goto done;
	}
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		rc = ctp_db_err(db, rc, path, e);
		sqlite3_close(db);
		goto done;
	}
	sqlite3_busy_timeout(db, CTP_BUSY_TIMEOUT_MS);
	if ((rc = ctp_db_int(db, "SELECT count(*) FROM sqlite_master WHERE "
	    "name = 'board_rosters'", &n, path, e)) != 0 || n == 0) {
		if (rc == 0)
			rc = ctp_errf(e, CTP_NOINPUT, path, "no board roster "
			    "loaded (ctp-org board load)");
		sqlite3_close(db);
		goto done;
	}
	*out = db;
done:
	free(resolved);
	return rc;
}

int
ctp_board_roster(sqlite3 *db, const char *name, struct ctp_board_roster *r,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	memset(r, 0, sizeof(*r));
	if (ctp_db_prepare(db, &st, "SELECT id, rows, state, sha256, "
	    "loaded_at, file_name, file_date FROM board_rosters WHERE "
	    "name = ?1 AND active = 1", e))
		return e->code;
	ctp_bind_text(st, 1, name);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		r->id = sqlite3_column_int64(st, 0);
		r->rows = sqlite3_column_int64(st, 1);
		snprintf(r->state, sizeof(r->state), "%s", ctp_col_text(st, 2));
		snprintf(r->sha256, sizeof(r->sha256), "%s",
		    ctp_col_text(st, 3));
		snprintf(r->loaded_at, sizeof(r->loaded_at), "%s",
		    ctp_col_text(st, 4));
		snprintf(r->file_name, sizeof(r->file_name), "%s",
		    ctp_col_text(st, 5));
		snprintf(r->file_date, sizeof(r->file_date), "%s",
		    ctp_col_text(st, 6));
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return ctp_errf(e, CTP_NOINPUT, name, "no board roster of "
		    "that name is loaded (ctp-org board list)");
	if (rc != SQLITE_ROW)
		return ctp_db_err(db, rc, "board rosters", e);
	return 0;
}

int
ctp_board_lookup(sqlite3 *db, long long roster_id, const char *number,
    ctp_board_license_fn fn, void *arg, long long *found,
    struct ctp_error *e)
{
	struct ctp_board_license l;
	sqlite3_stmt *st;
	char key[64];
	int rc, stop = 0;

	if (found)
		*found = 0;
	ctp_board_number_key(number, key, sizeof(key));
	if (ctp_db_prepare(db, &st, "SELECT number, last_name, first_name, "
	    "middle_name, license_type, status, issued, expires, line FROM "
	    "board_licenses WHERE roster_id = ?1 AND number_key = ?2 "
	    "ORDER BY line", e))
		return e->code;
	sqlite3_bind_int64(st, 1, roster_id);
	ctp_bind_text(st, 2, key);
	while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		l.number = ctp_col_text(st, 0);
		l.last = ctp_col_text(st, 1);
		l.first = ctp_col_text(st, 2);
		l.middle = ctp_col_text(st, 3);
		l.type = ctp_col_text(st, 4);
		l.status = ctp_col_text(st, 5);
		l.issued = ctp_col_text(st, 6);
		l.expires = ctp_col_text(st, 7);
		l.line = sqlite3_column_int64(st, 8);
		if (found)
			(*found)++;
		stop = fn(arg, &l);
	}
	sqlite3_finalize(st);
	if (stop)
		return stop;
	if (rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "board licenses", e);
	return 0;
}
