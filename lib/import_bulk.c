/*
 * import_bulk.c - what ctp-import does only for speed.  It exists for
 * the import's figure: 100,000 providers with their credentials (the
 * file of scripts/gen-roster) at 50,000 rows/s or more, in under 64 MB,
 * timed by scripts/bench/import against the SQLite shell's own .import
 * of the same file.
 *
 * A first import into an empty roster (a tracker moved in for the first
 * time) writes nearly every page new.  Nothing it writes is read again
 * before it commits, so the credentials of the providers added are
 * queued and written 64 to a statement: a statement's own cost (its
 * start, its end, the search for a new rowid) is a third of a one-row
 * insert's.  It drops credentials_due, the index the rows reach in no
 * order (by expiry), inside its transaction and builds it again before
 * it commits, with one sort instead of a B-tree insert per row; the
 * indexes that lead with provider_id stay, since the import writes
 * provider by provider and so appends to them.  It runs under a
 * rollback journal instead of the write-ahead log when no other program
 * has the database open: the log would write each new page twice (the
 * log, then the checkpoint), the journal keeps only the few pages that
 * existed.  Readers wait for it (their busy timeout) and see the
 * indexes and rows as before or the whole import; kill -9 leaves a hot
 * journal that the next open rolls back (ctp_db_open) before it returns
 * to WAL.  The page cache is 32 MB for the rows, so that nothing spills
 * mid-transaction, and 8 MB once the index is dropped, so that its build
 * sorts in memory up to that much and merges runs kept in temporary
 * files: peak memory stays well under the 64 MB.
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "db.h"
#include "import_bulk.h"
#include "schema.h"
#include "validate.h"

/*
 * The roster's indexes (ctp_schema_roster_indexes) that a first import
 * fills in their order, provider by provider: kept through the run.
 */
static const char *const in_order[] = { "credentials_provider",
    "credentials_caqh", NULL };

static int
rebuilt(int i)
{
	return ctp_str_index(in_order, ctp_schema_roster_indexes[i].name) < 0;
}

/*
 * Into an empty roster every NPI is new (repeats are rejected), and the
 * other secondary indexes are dropped for the run and built again, each
 * with one sort, before the commit: all in the import's transaction, so
 * readers and a killed run see them as before.
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
		if (!rebuilt(i))
			continue;
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

#define NONE ((size_t)-1)

/* The queue written, CTP_IMPORT_BULK_ROWS or fewer to a statement. */
static int
flush(struct ctp_import_bulk *b, struct ctp_credential_writer *w,
    struct ctp_error *e)
{
	struct ctp_credential cr[CTP_IMPORT_BULK_ROWS];
	const char *v[5];
	size_t i, j;
	int rc;

	for (i = 0; i < b->n; i++) {
		for (j = 0; j < 5; j++)
			v[j] = b->off[i][j] == NONE ? NULL :
			    b->text.s + b->off[i][j];
		cr[i] = (struct ctp_credential){ b->kind[i], v[0], v[1], v[2],
		    v[3], v[4] };
	}
	rc = ctp_credential_writer_add_rows(w, b->pid, cr, b->n, e);
	b->n = 0;
	ctp_buf_reset(&b->text);
	return rc;
}

/*
 * Into an empty roster nothing the run writes is read again before it
 * commits: the credentials of the providers added are queued and
 * written CTP_IMPORT_BULK_ROWS to a statement, since a statement's own
 * cost is about a third of a one-row insert's.
 */
int
ctp_import_bulk_credential(struct ctp_import_bulk *b,
    struct ctp_credential_writer *w, long long pid,
    const struct ctp_credential *cr, struct ctp_error *e)
{
	const char *v[5] = { cr->number, cr->state, cr->issuer, cr->issued,
	    cr->expires };
	long long id;
	size_t j;

	if (!b->empty)
		return ctp_credential_writer_add(w, pid, cr, &id, e);
	b->pid[b->n] = pid;
	b->kind[b->n] = cr->kind;
	for (j = 0; j < 5; j++) {
		b->off[b->n][j] = NONE;
		if (v[j] == NULL || *v[j] == '\0')
			continue;
		b->off[b->n][j] = b->text.len;
		if (ctp_buf_add(&b->text, v[j], strlen(v[j]) + 1) < 0)
			return ctp_err_nomem(e, "import");
	}
	if (++b->n == CTP_IMPORT_BULK_ROWS)
		return flush(b, w, e);
	return 0;
}

int
ctp_import_bulk_finish(sqlite3 *db, struct ctp_import_bulk *b,
    struct ctp_credential_writer *w, struct ctp_error *e)
{
	int i, rc;

	if (b->n && (rc = flush(b, w, e)) != 0)
		return rc;
	if (!b->dropped)
		return 0;
	for (i = 0; ctp_schema_roster_indexes[i].name; i++)
		if (rebuilt(i) && (rc = ctp_db_exec(db,
		    ctp_schema_roster_indexes[i].create, e)) != 0)
			return rc;
	b->dropped = 0;
	return 0;
}

void
ctp_import_bulk_end(sqlite3 *db, struct ctp_import_bulk *b)
{
	ctp_db_wal_again(db, b->journal);
	b->journal = 0;
	b->n = 0;
	ctp_buf_free(&b->text);
}
