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
 *   temporary files, and peak memory stays near 43 MB.
 * - The file is read and its rows checked on a second thread, which
 *   hands the rows added over in batches of 64 providers while this
 *   thread writes them (import_ahead.c).
 *
 * Measured (callgrind, 100,000 providers, 346,134 credentials): the
 * import takes 9.3 billion instructions (the batched statements and the
 * indexes kept save 2.1 billion); the credentials' inserts are 3.1 of
 * them, the index build 2.2, the providers' inserts 1.3, the reading
 * and the row checks about 2.  With the reading on its own thread, the
 * writing thread is the whole run: about 0.3 s for the providers, 0.8 s
 * for the credentials and 0.6 s for the index build, and it waits for
 * the reader only at the start.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db.h"
#include "import_ahead.h"
#include "import_bulk.h"
#include "import_map.h"
#include "mem.h"
#include "schema.h"
#include "validate.h"

/*
 * The rows of a first import, queued in batches: ROWS providers at most
 * and their credentials, as read.  A batch is written (write_batch) with
 * its providers in one statement and its credentials after them (the
 * foreign key), ROWS to a statement; those left over are carried to the
 * next batch's.  Strings are copied into text buffers; NONE is NULL.
 */
#define ROWS 64
#define CREDS (ROWS * (NGROUPS + 1))	/* credentials of a batch at most */
#define NONE ((size_t)-1)
#define NBATCH 8	/* batches that go round when read ahead */

struct batch {
	size_t np;
	size_t poff[ROWS][1 + NPCOLS];	/* npi, ctp_import_pcols */
	struct ctp_buf ptext;
	size_t nc;
	long long cpid[CREDS];	/* < 0: -1 - the batch's provider; an id */
	const char *kind[CREDS];
	size_t coff[CREDS][5];	/* number, state, issuer, issued, expires */
	struct ctp_buf ctext;
};

struct ctp_import_bulk_rows {
	sqlite3 *db;
	const char *ts;
	long long next;			/* the next provider's id */
	sqlite3_stmt *ins;		/* ROWS providers */
	struct batch *fill;		/* the reader's */
	struct batch carry;		/* credentials left over, under ROWS */
	struct batch *all[NBATCH];	/* every batch but carry */
	size_t nall;
	struct ctp_import_ahead *ahead;	/* the writer, when read ahead */
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
ctp_import_bulk_empty(sqlite3 *db, int write, const char *ts,
    struct ctp_import_bulk *b, struct ctp_error *e)
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
	if ((b->rows = ctp_calloc(1, sizeof(*b->rows))) == NULL ||
	    (b->rows->fill = ctp_calloc(1, sizeof(struct batch))) == NULL)
		return ctp_err_nomem(e, "import");
	b->rows->all[b->rows->nall++] = b->rows->fill;
	b->rows->db = db;
	b->rows->ts = ts;
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
 * The providers of batch b, in one statement.  Each takes the rowid
 * SQLite gives a row without one, one past the largest: those of the
 * batch follow q->next, as the run has written all the roster's rows;
 * the batch's credentials learn their provider's.
 */
static int
write_providers(struct ctp_import_bulk_rows *q, struct batch *b,
    struct ctp_error *e)
{
	sqlite3_stmt *st = q->ins;
	size_t i;
	int j, p, rc;

	if (b->np == 0)
		return 0;
	if (st == NULL || b->np != ROWS) {
		if ((rc = prepare_providers(q->db, b->np, &st, e)) != 0)
			return rc;
		if (b->np == ROWS)
			q->ins = st;
	}
	ctp_bind_static(st, 1, q->ts);
	for (i = 0; i < b->np; i++) {
		p = 2 + (1 + NPCOLS) * (int)i;
		for (j = 0; j <= NPCOLS; j++)
			ctp_bind_static(st, p + j, at(&b->ptext,
			    b->poff[i][j]));
	}
	/* Every parameter is bound on every use, as for credentials. */
	rc = ctp_db_step_done(st, "providers", e);
	if (st != q->ins)
		sqlite3_finalize(st);
	if (rc == 0 && sqlite3_last_insert_rowid(q->db) !=
	    q->next + (long long)b->np - 1)
		rc = ctp_errf(e, CTP_SOFTWARE, "import", "provider ids out "
		    "of step");
	for (i = 0; i < b->nc; i++)
		b->cpid[i] = q->next - 1 - b->cpid[i];
	q->next += (long long)b->np;
	b->np = 0;
	ctp_buf_reset(&b->ptext);
	return rc;
}

/* Credential i of those carried, then those of batch b. */
static void
cred_at(const struct ctp_import_bulk_rows *q, const struct batch *b,
    size_t i, long long *pid, struct ctp_credential *cr)
{
	const struct batch *f = i < q->carry.nc ? &q->carry : b;
	const size_t *o;

	if (f == b)
		i -= q->carry.nc;
	o = f->coff[i];
	*pid = f->cpid[i];
	*cr = (struct ctp_credential){ f->kind[i], at(&f->ctext, o[0]),
	    at(&f->ctext, o[1]), at(&f->ctext, o[2]), at(&f->ctext, o[3]),
	    at(&f->ctext, o[4]) };
}

/*
 * The credentials carried, then batch b's (their providers written),
 * ROWS to a statement; the last fewer only when all, else carried, their
 * strings into a buffer of their own.
 */
static int
write_credentials(struct ctp_import_bulk_rows *q, struct batch *b,
    struct ctp_credential_writer *w, int all, struct ctp_error *e)
{
	struct ctp_credential cr[ROWS];
	long long pid[ROWS];
	struct ctp_buf t = CTP_BUF_INIT;
	const char *v[5];
	size_t i, j, n, nc = q->carry.nc + b->nc, done = 0;
	int rc;

	while (nc - done >= ROWS || (all && nc > done)) {
		n = nc - done < ROWS ? nc - done : ROWS;
		for (i = 0; i < n; i++)
			cred_at(q, b, done + i, &pid[i], &cr[i]);
		if ((rc = ctp_credential_writer_add_rows(w, pid, cr, n,
		    e)) != 0)
			return rc;
		done += n;
	}
	for (i = done, n = 0; i < nc; i++, n++) {
		cred_at(q, b, i, &pid[0], &cr[0]);
		v[0] = cr[0].number;
		v[1] = cr[0].state;
		v[2] = cr[0].issuer;
		v[3] = cr[0].issued;
		v[4] = cr[0].expires;
		/* n <= i: a carried credential is read before its slot is
		 * written again. */
		q->carry.cpid[n] = pid[0];
		q->carry.kind[n] = cr[0].kind;
		for (j = 0; j < 5; j++)
			if (put(&t, v[j], &q->carry.coff[n][j]) < 0) {
				ctp_buf_free(&t);
				return ctp_err_nomem(e, "import");
			}
	}
	q->carry.nc = n;
	ctp_buf_free(&q->carry.ctext);
	q->carry.ctext = t;
	b->nc = 0;
	ctp_buf_reset(&b->ctext);
	return 0;
}

/* Batch b written, then the credentials carried (all: to the last). */
static int
write_batch(struct ctp_import_bulk_rows *q, struct batch *b,
    struct ctp_credential_writer *w, int all, struct ctp_error *e)
{
	int rc;

	if ((rc = write_providers(q, b, e)) != 0)
		return rc;
	return write_credentials(q, b, w, all, e);
}

int
ctp_import_bulk_provider(struct ctp_import_bulk *b, const char *const v[],
    struct ctp_error *e)
{
	struct batch *f = b->rows->fill;
	int j;

	for (j = 0; j <= NPCOLS; j++)
		if (put(&f->ptext, v[j], &f->poff[f->np][j]) < 0)
			return ctp_err_nomem(e, "import");
	f->np++;
	return 0;
}

int
ctp_import_bulk_credential(struct ctp_import_bulk *b,
    struct ctp_credential_writer *w, long long pid,
    const struct ctp_credential *cr, struct ctp_error *e)
{
	const char *v[5] = { cr->number, cr->state, cr->issuer, cr->issued,
	    cr->expires };
	struct batch *f;
	long long id;
	int j;

	if (b->rows == NULL)
		return ctp_credential_writer_add(w, pid, cr, &id, e);
	f = b->rows->fill;
	if (f->nc == CREDS)
		return ctp_errf(e, CTP_SOFTWARE, "import", "credentials "
		    "queued beyond %d", CREDS);
	f->cpid[f->nc] = -(long long)f->np;	/* the last provider's */
	f->kind[f->nc] = cr->kind;
	for (j = 0; j < 5; j++)
		if (put(&f->ctext, v[j], &f->coff[f->nc][j]) < 0)
			return ctp_err_nomem(e, "import");
	f->nc++;
	return 0;
}

/* The reader's batch handed to the writer, an empty one taken. */
static int
hand_over(struct ctp_import_bulk_rows *q, struct ctp_error *e)
{
	if ((q->fill = ctp_import_ahead_put(q->ahead, q->fill)) == NULL)
		return ctp_errf(e, CTP_SOFTWARE, "import", "the writer "
		    "stopped");
	return 0;
}

int
ctp_import_bulk_provider_done(struct ctp_import_bulk *b,
    struct ctp_credential_writer *w, struct ctp_error *e)
{
	struct ctp_import_bulk_rows *q = b->rows;

	if (q == NULL || q->fill->np < ROWS)
		return 0;
	if (q->ahead)
		return hand_over(q, e);
	return write_batch(q, q->fill, w, 0, e);
}

/* The reading thread: the run's reading, then its last batch. */
struct reader {
	struct ctp_import_bulk_rows *q;
	int (*fn)(void *, struct ctp_error *);
	void *arg;
};

static int
read_ahead(void *arg, struct ctp_error *e)
{
	struct reader *r = arg;
	int rc;

	if ((rc = r->fn(r->arg, e)) != 0)
		return rc;
	if (r->q->fill->np > 0)
		return hand_over(r->q, e);
	return 0;
}

/*
 * A first import: fn reads and checks on a second thread while this
 * one writes each batch it hands over (import_ahead.c); without a
 * thread, fn alone, writing as it goes.
 */
static int
run_ahead(struct ctp_import_bulk_rows *q, struct ctp_credential_writer *w,
    int (*fn)(void *, struct ctp_error *), void *arg, struct ctp_error *e)
{
	struct reader r = { q, fn, arg };
	struct ctp_error re;
	struct batch *b;
	int rc = 0, rrc;

	while (q->nall < NBATCH) {
		if ((b = ctp_calloc(1, sizeof(*b))) == NULL)
			return ctp_err_nomem(e, "import");
		q->all[q->nall++] = b;
	}
	/* The reader starts with fill; the others are handed to it. */
	if (ctp_import_ahead_start(&q->ahead, (void *const *)q->all + 1,
	    q->nall - 1, read_ahead, &r, e) != 0) {
		ctp_error_clear(e);
		return fn(arg, e);
	}
	while ((b = ctp_import_ahead_take(q->ahead)) != NULL) {
		if (rc == 0)
			rc = write_batch(q, b, w, 0, e);
		if (rc != 0)
			break;
		ctp_import_ahead_give(q->ahead, b);
	}
	ctp_error_clear(&re);
	rrc = ctp_import_ahead_join(q->ahead, rc != 0, &re);
	q->ahead = NULL;
	if (rc == 0 && rrc != 0) {
		*e = re;
		rc = rrc;
	}
	return rc;
}

int
ctp_import_bulk_run(struct ctp_import_bulk *b,
    struct ctp_credential_writer *w, int (*fn)(void *, struct ctp_error *),
    void *arg, struct ctp_error *e)
{
	if (b->rows == NULL)
		return fn(arg, e);
	return run_ahead(b->rows, w, fn, arg, e);
}

int
ctp_import_bulk_finish(sqlite3 *db, struct ctp_import_bulk *b,
    struct ctp_credential_writer *w, struct ctp_error *e)
{
	int i, rc;

	if (b->rows && (rc = write_batch(b->rows, b->rows->fill, w, 1,
	    e)) != 0)
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
	size_t i;

	ctp_db_wal_again(db, b->journal);
	b->journal = 0;
	if (q != NULL) {
		sqlite3_finalize(q->ins);
		for (i = 0; i < q->nall; i++) {
			ctp_buf_free(&q->all[i]->ptext);
			ctp_buf_free(&q->all[i]->ctext);
			free(q->all[i]);
		}
		ctp_buf_free(&q->carry.ctext);
		free(q);
		b->rows = NULL;
	}
}
