/*
 * import_bulk.c - what ctp-import does only for speed.  It exists for
 * the import's figure: 100,000 providers with their credentials (the
 * file of scripts/gen-roster) at 50,000 rows/s or more, in under 64 MB,
 * timed by scripts/bench/import against the SQLite shell's own .import
 * of the same file.
 *
 * A first import into an empty roster (a tracker moved in for the first
 * time) writes nearly every page new.  It drops the roster's secondary
 * indexes inside its transaction and builds them again before it
 * commits, each with one sort instead of a B-tree insert per row, and
 * runs under a rollback journal instead of the write-ahead log when no
 * other program has the database open: the log would write each new
 * page twice (the log, then the checkpoint), the journal keeps only the
 * few pages that existed.  Readers wait for it (their busy timeout) and
 * see the indexes and rows as before or the whole import; kill -9 leaves
 * a hot journal that the next open rolls back (ctp_db_open) before it
 * returns to WAL.  The page cache is 32 MB for the rows, so that nothing
 * spills mid-transaction, and 8 MB once the indexes are dropped, so that
 * each index build sorts in memory up to that much and merges runs kept
 * in temporary files: peak memory stays well under the 64 MB.
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "db.h"
#include "import_bulk.h"
#include "schema.h"

/*
 * Into an empty roster every NPI is new (repeats are rejected), and the
 * secondary indexes are dropped for the run and built again, each with
 * one sort, before the commit (ctp_schema_roster_indexes): all in the
 * import's transaction, so readers and a killed run see them as before.
 */
int
ctp_import_bulk_empty(sqlite3 *db, int write, struct ctp_import_bulk *b,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	char sql[96];
	int i, rc;

	if ((rc = ctp_db_prepare(db, &st, "SELECT EXISTS (SELECT 1 "
	    "FROM providers)", e)) != 0)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		b->empty = sqlite3_column_int(st, 0) == 0;
	sqlite3_finalize(st);
	if (!b->empty || !write)
		return 0;
	for (i = 0; ctp_schema_roster_indexes[i].name; i++) {
		snprintf(sql, sizeof(sql), "DROP INDEX %s",
		    ctp_schema_roster_indexes[i].name);
		if ((rc = ctp_db_exec(db, sql, e)) != 0)
			return rc;
	}
	b->dropped = 1;
	/* Without the indexes rows are appended, and each index build
	 * sorts in memory up to the cache size, then merges runs kept in
	 * temporary files: a small cache keeps a large import well under
	 * 64 MB. */
	return ctp_db_exec(db, "PRAGMA cache_size = -8000", e);
}

/*
 * A first import into an empty roster writes almost every page new: it
 * runs under a rollback journal when it is the only connection
 * (ctp_db_bulk_journal).
 */
int
ctp_import_bulk_start(sqlite3 *db, int write, struct ctp_import_bulk *b,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	int empty = 0, rc;

	memset(b, 0, sizeof(*b));
	/* A roster of 100,000 providers with their credentials, history and
	 * audit rows stays in the page cache: no spilling mid-transaction. */
	if ((rc = ctp_db_exec(db, "PRAGMA cache_size = -32000", e)) != 0)
		return rc;
	if (!write || sqlite3_prepare_v2(db, "SELECT NOT EXISTS (SELECT 1 "
	    "FROM providers)", -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		empty = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (empty)
		b->journal = ctp_db_bulk_journal(db);
	return 0;
}

int
ctp_import_bulk_finish(sqlite3 *db, struct ctp_import_bulk *b,
    struct ctp_error *e)
{
	int i, rc;

	if (!b->dropped)
		return 0;
	/* SQLite's sorter may merge on a second core (error: one core). */
	sqlite3_exec(db, "PRAGMA threads = 2", NULL, NULL, NULL);
	for (i = 0; ctp_schema_roster_indexes[i].name; i++)
		if ((rc = ctp_db_exec(db, ctp_schema_roster_indexes[i].create,
		    e)) != 0)
			return rc;
	b->dropped = 0;
	return 0;
}

void
ctp_import_bulk_end(sqlite3 *db, struct ctp_import_bulk *b)
{
	ctp_db_wal_again(db, b->journal);
	b->journal = 0;
}
