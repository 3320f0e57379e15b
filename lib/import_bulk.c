/*
 * import_bulk.c - what ctp-import does only for speed.  It exists for
 * the import's figure: 100,000 providers with their credentials (the
 * file of scripts/gen-roster) at 50,000 rows/s or more, in under 64 MB,
 * timed by scripts/bench/import against the SQLite shell's own .import
 * of the same file.
 *
 * A first import into an empty roster (a tracker moved in for the first
 * time) writes nearly every page new, and nothing it writes is read
 * again before it commits.  So:
 *
 * - The providers added and their credentials are queued and written 64
 *   to a statement (the credentials after their providers, for the
 *   foreign key): a statement's own cost (its start, its end, the
 *   search for a new rowid or for an NPI's place in its index) is a
 *   third of a one-row insert's.  A provider's id is the rowid SQLite
 *   gives, one past the largest, checked once its statement has run.
 * - credentials_due, the index the rows reach in no order (by expiry),
 *   is dropped inside the transaction and built again before the
 *   commit, with one sort instead of a B-tree insert per row; the
 *   indexes that lead with provider_id stay, as the rows append to them.
 * - It runs under a rollback journal instead of the write-ahead log
 *   when no other program has the database open: the log would write
 *   each new page twice (the log, then the checkpoint), the journal
 *   keeps only the few pages that existed.  Readers wait for it (their
 *   busy timeout) and see the indexes and rows as before or the whole
 *   import; kill -9 leaves a hot journal that the next open rolls back
 *   (ctp_db_open) before it returns to WAL.
 * - Its page cache is 8 MB (32 MB into a roster with rows): the index
 *   build sorts in memory up to that much and merges runs kept in
 *   temporary files, and peak memory stays near 42 MB.
 *
 * Measured (callgrind, 100,000 providers, 346,134 credentials): the
 * import takes 9.3 billion instructions, 11.4 before the queues and the
 * indexes kept; the credentials' inserts are 3.1 of them, the index
 * build 2.2, the providers' inserts 1.3, the row checks 1.5.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db.h"
#include "import_bulk.h"
#include "import_map.h"
#include "mem.h"
#include "schema.h"
#include "validate.h"

/*
 * The rows of a first import, queued: the providers, ROWS to a
 * statement, and their credentials, written after them (the foreign
 * key), ROWS to a statement too; those left over wait for the next
 * providers.  Strings are copied into text buffers; NONE is NULL.
 */
#define ROWS 64
#define CREDS (ROWS * (NGROUPS + 1))	/* credentials queued at most */
#define NONE ((size_t)-1)

struct ctp_import_bulk_rows {
	sqlite3 *db;
	const char *ts;
	long long next;			/* the next provider's id */
	sqlite3_stmt *ins;		/* ROWS providers */
	size_t np;
	size_t poff[ROWS][1 + NPCOLS];	/* npi, ctp_import_pcols */
	struct ctp_buf ptext;
	size_t nc;
	long long cpid[CREDS];		/* < 0: -1 - the queued provider */
	const char *kind[CREDS];
	size_t coff[CREDS][5];	/* number, state, issuer, issued, expires */
	struct ctp_buf ctext;
};

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
	if ((b->rows = ctp_calloc(1, sizeof(*b->rows))) == NULL)
		return ctp_err_nomem(e, "import");
	b->rows->db = db;
	b->rows->next = 1;	/* an empty table's first rowid */
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

static int
put(struct ctp_buf *t, const char *s, size_t *off)
{
	*off = NONE;
	if (s == NULL || *s == '\0')
		return 0;
	*off = t->len;
	return ctp_buf_add(t, s, strlen(s) + 1);
}

static const char *
at(const struct ctp_buf *t, size_t off)
{
	return off == NONE ? NULL : t->s + off;
}

/* The INSERT of n providers (ctp_import_providers_insert). */
static int
prepare_providers(sqlite3 *db, size_t n, sqlite3_stmt **st,
    struct ctp_error *e)
{
	struct ctp_buf sql = CTP_BUF_INIT;
	int rc;

	rc = ctp_import_providers_insert(&sql, n) < 0 ?
	    ctp_err_nomem(e, "import") : ctp_db_prepare(db, st, sql.s, e);
	ctp_buf_free(&sql);
	return rc;
}

/*
 * The providers queued, in one statement.  Each takes the rowid SQLite
 * gives a row without one, one past the largest: those of the queue
 * follow q->next, as the run has written all the roster's rows; the
 * credentials queued with them learn their provider's.
 */
static int
write_providers(struct ctp_import_bulk_rows *q, struct ctp_error *e)
{
	sqlite3_stmt *st = q->ins;
	size_t i;
	int j, p, rc;

	if (q->np == 0)
		return 0;
	if (st == NULL || q->np != ROWS) {
		if ((rc = prepare_providers(q->db, q->np, &st, e)) != 0)
			return rc;
		if (q->np == ROWS)
			q->ins = st;
	}
	ctp_bind_static(st, 1, q->ts);
	for (i = 0; i < q->np; i++) {
		p = 2 + (1 + NPCOLS) * (int)i;
		for (j = 0; j <= NPCOLS; j++)
			ctp_bind_static(st, p + j, at(&q->ptext,
			    q->poff[i][j]));
	}
	/* Every parameter is bound on every use, as for credentials. */
	rc = ctp_db_step_done(st, "providers", e);
	if (st != q->ins)
		sqlite3_finalize(st);
	if (rc == 0 && sqlite3_last_insert_rowid(q->db) !=
	    q->next + (long long)q->np - 1)
		rc = ctp_errf(e, CTP_SOFTWARE, "import", "provider ids out "
		    "of step");
	for (i = 0; i < q->nc; i++)
		if (q->cpid[i] < 0)
			q->cpid[i] = q->next - 1 - q->cpid[i];
	q->next += (long long)q->np;
	q->np = 0;
	ctp_buf_reset(&q->ptext);
	return rc;
}

/*
 * The credentials queued (their providers written), ROWS to a
 * statement; the last fewer only when all, else left queued.
 */
static int
write_credentials(struct ctp_import_bulk_rows *q,
    struct ctp_credential_writer *w, int all, struct ctp_error *e)
{
	struct ctp_credential cr[ROWS];
	struct ctp_buf t = CTP_BUF_INIT;
	const size_t *o;
	size_t i, j, k, n, done = 0;
	int rc;

	while (q->nc - done >= ROWS || (all && q->nc > done)) {
		n = q->nc - done < ROWS ? q->nc - done : ROWS;
		for (i = 0; i < n; i++) {
			o = q->coff[done + i];
			cr[i] = (struct ctp_credential){ q->kind[done + i],
			    at(&q->ctext, o[0]), at(&q->ctext, o[1]),
			    at(&q->ctext, o[2]), at(&q->ctext, o[3]),
			    at(&q->ctext, o[4]) };
		}
		if ((rc = ctp_credential_writer_add_rows(w, q->cpid + done, cr,
		    n, e)) != 0)
			return rc;
		done += n;
	}
	if (done == 0)
		return 0;
	/* Those left to the front, their strings into a buffer of their
	 * own. */
	for (i = done, k = 0; i < q->nc; i++, k++) {
		q->cpid[k] = q->cpid[i];
		q->kind[k] = q->kind[i];
		for (j = 0; j < 5; j++)
			if (put(&t, at(&q->ctext, q->coff[i][j]),
			    &q->coff[k][j]) < 0) {
				ctp_buf_free(&t);
				return ctp_err_nomem(e, "import");
			}
	}
	q->nc = k;
	ctp_buf_free(&q->ctext);
	q->ctext = t;
	return 0;
}

/* The providers queued, then the credentials (all: to the last). */
static int
write_rows(struct ctp_import_bulk_rows *q, struct ctp_credential_writer *w,
    int all, struct ctp_error *e)
{
	int rc;

	if ((rc = write_providers(q, e)) != 0)
		return rc;
	return write_credentials(q, w, all, e);
}

int
ctp_import_bulk_provider(struct ctp_import_bulk *b, const char *const v[],
    const char *ts, struct ctp_error *e)
{
	struct ctp_import_bulk_rows *q = b->rows;
	int j;

	q->ts = ts;
	for (j = 0; j <= NPCOLS; j++)
		if (put(&q->ptext, v[j], &q->poff[q->np][j]) < 0)
			return ctp_err_nomem(e, "import");
	q->np++;
	return 0;
}

int
ctp_import_bulk_credential(struct ctp_import_bulk *b,
    struct ctp_credential_writer *w, long long pid,
    const struct ctp_credential *cr, struct ctp_error *e)
{
	struct ctp_import_bulk_rows *q = b->rows;
	const char *v[5] = { cr->number, cr->state, cr->issuer, cr->issued,
	    cr->expires };
	long long id;
	int j;

	if (q == NULL)
		return ctp_credential_writer_add(w, pid, cr, &id, e);
	if (q->nc == CREDS)
		return ctp_errf(e, CTP_SOFTWARE, "import", "credentials "
		    "queued beyond %d", CREDS);
	q->cpid[q->nc] = -(long long)q->np;	/* the last provider's */
	q->kind[q->nc] = cr->kind;
	for (j = 0; j < 5; j++)
		if (put(&q->ctext, v[j], &q->coff[q->nc][j]) < 0)
			return ctp_err_nomem(e, "import");
	q->nc++;
	return 0;
}

int
ctp_import_bulk_provider_done(struct ctp_import_bulk *b,
    struct ctp_credential_writer *w, struct ctp_error *e)
{
	if (b->rows == NULL || b->rows->np < ROWS)
		return 0;
	return write_rows(b->rows, w, 0, e);
}

int
ctp_import_bulk_finish(sqlite3 *db, struct ctp_import_bulk *b,
    struct ctp_credential_writer *w, struct ctp_error *e)
{
	int i, rc;

	if (b->rows && (rc = write_rows(b->rows, w, 1, e)) != 0)
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
	struct ctp_import_bulk_rows *q = b->rows;

	ctp_db_wal_again(db, b->journal);
	b->journal = 0;
	if (q != NULL) {
		sqlite3_finalize(q->ins);
		ctp_buf_free(&q->ptext);
		ctp_buf_free(&q->ctext);
		free(q);
		b->rows = NULL;
	}
}
