/* Unit tests for lib/db.c helpers on an in-memory SQLite database. */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "db.h"
#include "err.h"
#include "tap.h"

int
main(void)
{
	struct ctp_error e;
	sqlite3 *db;
	long long v = 42;

	ok(sqlite3_open(":memory:", &db) == SQLITE_OK, "an in-memory database");
	sqlite3_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, x);"
	    "INSERT INTO t (x) VALUES (1), (2), (3)", NULL, NULL, NULL);
	ctp_error_clear(&e);
	is_int(ctp_db_int(db, "SELECT count(*) FROM t", &v, "t", &e), 0,
	    "ctp_db_int: a count");
	is_int(v, 3, "its value");
	v = 42;
	is_int(ctp_db_int(db, "SELECT max(id) FROM t WHERE x > 9", &v, "t",
	    &e), 0, "a NULL max");
	is_int(v, 0, "is 0");
	v = 42;
	is_int(ctp_db_int(db, "SELECT id FROM t WHERE 0", &v, "t", &e), 0,
	    "no row");
	is_int(v, 0, "is 0 too");
	is_int(ctp_db_int(db, "SELECT count(*) FROM nosuch", &v, "nosuch", &e),
	    CTP_SOFTWARE, "bad SQL: an error");
	ok(strstr(e.what, "no such table") != NULL, "with SQLite's message");
	is_str(e.where, "nosuch", "and where");
	sqlite3_close(db);
	return done_testing();
}
