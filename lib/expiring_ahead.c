/*
 * expiring_ahead.c - the reader ahead: speed only, for the inbox over a
 * million credentials in under 300 ms (scripts/bench/expiring), on the
 * two processors a coordinator's machine has at least.
 *
 * A large organization's listing reads three things that do not depend
 * on each other: the roster (its providers and their own items), what
 * kinds of credential each provider holds (every active credential, a
 * million on the benchmark: about a third of the run), and the
 * credentials due.  Here a second connection, on a second thread, reads
 * the last two while the caller's connection reads the roster: the kinds
 * held into one byte per provider id, handed over as soon as they are
 * read, then the credentials due, a block of rows at a time, which the
 * caller makes into items and writes while the rest are read.  What is
 * listed is byte for byte what the caller alone lists
 * (ctp_exp_read_held, ctp_exp_credentials; tests/cli/expiring-ahead.t).
 *
 * One snapshot.  Both connections must read the same state of the
 * database, and SQLite as built by Debian cannot hand a snapshot from
 * one connection to another.  So the second connection starts a read,
 * the caller's connection starts its own, and the second starts again:
 * when PRAGMA data_version gives the same number for the second's two
 * reads, no other connection committed between them, and the caller's
 * read, taken in between, sees what they see.  Otherwise it is tried
 * again, and after a few tries the caller reads alone.
 *
 * The second connection is opened, and its first read taken (which
 * opens the log's shared-memory file), on the caller's thread: the
 * thread opens no file, so the group of a team install (priv.h) is
 * never raised from two threads.  Each connection is used by one thread
 * only.  A small organization (under AHEAD_MIN credentials) is read by
 * the caller alone: a thread and a connection cost more than they save.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "expiring_int.h"
#include "mem.h"
#include "tune.h"

#define AHEAD_MIN 20000		/* credentials, by the largest id */
#define MAX_MARKS (16u << 20)	/* one byte per provider id: 16 MB */
#define BLOCK_ROWS 1024
#define TRIES 5

/* One credential due, its strings at offsets into the block's text. */
struct brow {
	long long provider_id;
	unsigned bit;
	size_t state, number, issuer, expires, nexpires;
};

#define NO_ISSUER SIZE_MAX

struct block {
	struct block *next;
	size_t n;
	struct brow row[BLOCK_ROWS];
	char *text;
	size_t used, cap;
};

enum held_state { HELD_WAIT, HELD_READY, HELD_NOT_READ, HELD_FAILED };

struct ctp_exp_ahead {
	sqlite3 *db;
	const char *path;
	const struct ctp_exp_org *o;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	/* Under mu: */
	enum held_state held;
	struct block *head, *tail;	/* read, not yet taken */
	int done, stop, rc;
	struct ctp_error err;
	/* The thread's, then the caller's once held is not HELD_WAIT: */
	unsigned char *mark;
	long long base;
	size_t nmap;
};

/* Keep s (n bytes) in b's text; its offset, or SIZE_MAX out of memory. */
static size_t
keep(struct block *b, const char *s, size_t n)
{
	size_t at = b->used, cap;
	char *p;

	if (b->cap - b->used < n + 1) {
		cap = b->cap ? b->cap : 16384;
		while (cap - b->used < n + 1)
			cap *= 2;
		if ((p = ctp_realloc(b->text, cap)) == NULL)
			return SIZE_MAX;
		b->text = p;
		b->cap = cap;
	}
	memcpy(b->text + at, s, n);
	b->text[at + n] = '\0';
	b->used += n + 1;
	return at;
}

static void
block_free(struct block *b)
{
	if (b != NULL) {
		free(b->text);
		free(b);
	}
}

static struct block *
block_new(void)
{
	struct block *b = ctp_malloc(sizeof(*b));

	if (b != NULL) {
		b->next = NULL;
		b->n = 0;
		b->text = NULL;
		b->used = b->cap = 0;
	}
	return b;
}

/* Copy row into b; -1 out of memory. */
static int
block_add(struct block *b, const struct ctp_exp_crow *row)
{
	struct brow *w = &b->row[b->n];

	w->provider_id = row->provider_id;
	w->bit = row->bit;
	w->nexpires = row->nexpires;
	w->issuer = NO_ISSUER;
	if ((w->state = keep(b, row->state, strlen(row->state))) == SIZE_MAX ||
	    (w->number = keep(b, row->number, strlen(row->number))) ==
	    SIZE_MAX ||
	    (w->expires = keep(b, row->expires, row->nexpires)) == SIZE_MAX ||
	    (row->issuer != NULL && (w->issuer = keep(b, row->issuer,
	    strlen(row->issuer))) == SIZE_MAX))
		return -1;
	b->n++;
	return 0;
}

/* Hand b to the caller; 1 when the caller has stopped reading. */
static int
publish(struct ctp_exp_ahead *a, struct block *b)
{
	int stop;

	pthread_mutex_lock(&a->mu);
	if ((stop = a->stop) == 0) {
		if (a->tail != NULL)
			a->tail->next = b;
		else
			a->head = b;
		a->tail = b;
		pthread_cond_signal(&a->cv);
	}
	pthread_mutex_unlock(&a->mu);
	if (stop)
		block_free(b);
	return stop;
}

/* The kinds each provider holds, into a->mark; its held state. */
static enum held_state
read_held(struct ctp_exp_ahead *a, struct ctp_error *e)
{
	long long lo, hi;
	int rc;

	if (!(a->o->kinds & CTP_EXP_MISSING))
		return HELD_NOT_READ;
	if (ctp_db_int(a->db, "SELECT coalesce(min(id), 0) FROM providers", &lo,
	    a->path, e) || ctp_db_int(a->db, "SELECT coalesce(max(id), -1)"
	    " FROM providers", &hi, a->path, e))
		return HELD_FAILED;
	if (hi < lo || (unsigned long long)(hi - lo) >= MAX_MARKS)
		return HELD_NOT_READ;
	a->base = lo;
	a->nmap = (size_t)(hi - lo + 1);
	if ((a->mark = ctp_calloc(a->nmap, 1)) == NULL)
		return HELD_NOT_READ;
	rc = ctp_exp_held_marks(a->db, a->path, a->base, a->nmap, a->mark, e);
	if (rc == 0)
		return HELD_READY;
	free(a->mark);
	a->mark = NULL;
	return rc == 1 ? HELD_NOT_READ : HELD_FAILED;
}

/*
 * The credentials due, read by the aggregate ctp_due as SQLite scans
 * them (in date order: the index's): a row handed to a callback skips
 * the copy of its strings that a row handed back through sqlite3_step
 * costs, as for the held kinds (expiring_held.c).  The same rows as
 * ctp_exp_due_next, whose statement this is; an issuer only when the
 * number is empty.
 */
struct due_sink {
	struct ctp_exp_ahead *a;
	struct block *b;
	int stopped, nomem;
};

static const char *
value_text(sqlite3_value *v)
{
	const unsigned char *t = sqlite3_value_text(v);

	return t != NULL ? (const char *)t : "";
}

static void
due_step(sqlite3_context *cx, int argc, sqlite3_value **v)
{
	struct due_sink *s = sqlite3_user_data(cx);
	struct ctp_exp_crow row;

	(void)argc;
	if (s->stopped || s->nomem)
		return;
	row.bit = ctp_expiring_kind((const char *)sqlite3_value_text(v[1]));
	if (!(row.bit & s->a->o->kinds))
		return;
	row.provider_id = sqlite3_value_int64(v[0]);
	row.expires = (const char *)sqlite3_value_text(v[4]);
	row.nexpires = (size_t)sqlite3_value_bytes(v[4]);
	/* An empty expiration is none (a lifetime board, say). */
	if (row.expires == NULL || *row.expires == '\0')
		return;
	row.state = value_text(v[2]);
	row.number = value_text(v[3]);
	row.issuer = *row.number == '\0' ? value_text(v[5]) : NULL;
	if ((s->b == NULL && (s->b = block_new()) == NULL) ||
	    block_add(s->b, &row) < 0) {
		s->nomem = 1;
		return;
	}
	if (s->b->n == BLOCK_ROWS) {
		s->stopped = publish(s->a, s->b);
		s->b = NULL;
	}
}

/* The credentials due, to the caller a block at a time; 0 or e->code. */
static int
read_due(struct ctp_exp_ahead *a, struct ctp_error *e)
{
	struct due_sink s = { a, NULL, 0, 0 };
	char hi[CTP_DATE_LEN];
	int rc;

	/* Stored dates are ISO, so text order is date order. */
	ctp_date_format(a->o->rules.as_of + a->o->rules.hi, hi);
	rc = ctp_db_each_row(a->db, "ctp_due", 6, due_step, &s,
	    "SELECT ctp_due(provider_id, kind, state, number, expires,"
	    " CASE WHEN number IS NULL OR number = '' THEN ifnull((SELECT"
	    " issuer FROM credentials x WHERE x.id = credentials.id), '')"
	    " END) FROM credentials WHERE status = 'active' AND"
	    " expires <= ?1 AND kind <> 'caqh_attestation'", hi, a->path, e);
	if (s.stopped)		/* the caller interrupted the scan */
		rc = 0;
	else if (rc == 0 && s.nomem)
		rc = ctp_err_nomem(e, "expiring");
	if (rc != 0 || s.stopped) {
		block_free(s.b);
		return rc;
	}
	if (s.b != NULL)
		publish(a, s.b);
	return 0;
}

static void *
ahead_main(void *arg)
{
	struct ctp_exp_ahead *a = arg;
	struct ctp_error e;
	enum held_state h;
	int rc = 0;

	ctp_error_clear(&e);
	h = read_held(a, &e);
	pthread_mutex_lock(&a->mu);
	a->held = h;
	if (h == HELD_FAILED)
		a->err = e;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	if (h != HELD_FAILED && (a->o->kinds & CTP_EXP_CRED_KINDS))
		rc = read_due(a, &e);
	pthread_mutex_lock(&a->mu);
	a->done = 1;
	if (h == HELD_FAILED)
		a->rc = a->err.code;
	else if ((a->rc = rc) != 0)
		a->err = e;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	return NULL;
}

/*
 * Start a read on both connections that sees one state of the database
 * (see the opening comment); 1 when done, 0 when it could not be had.
 */
static int
same_snapshot(sqlite3 *mine, sqlite3 *db, const char *path)
{
	struct ctp_error e;
	long long v1, v2, x;
	int i;

	for (i = 0; i < TRIES; i++) {
		if (ctp_db_exec(db, "BEGIN", &e) ||
		    ctp_db_int(db, "SELECT count(*) FROM sqlite_schema", &x, path,
		    &e) ||
		    ctp_db_int(db, "PRAGMA data_version", &v1, path, &e))
			break;
		/* The caller's read, inside the caller's BEGIN. */
		if (ctp_db_int(mine, "SELECT count(*) FROM sqlite_schema", &x, path,
		    &e))
			break;
		ctp_db_rollback(db);
		if (ctp_db_exec(db, "BEGIN", &e) ||
		    ctp_db_int(db, "SELECT count(*) FROM sqlite_schema", &x, path,
		    &e) ||
		    ctp_db_int(db, "PRAGMA data_version", &v2, path, &e))
			break;
		if (v1 == v2)
			return 1;
		ctp_db_rollback(db);
		/* Both again, from the start of a new read of the caller's. */
		ctp_db_rollback(mine);
		if (ctp_db_exec(mine, "BEGIN", &e))
			return 0;
	}
	ctp_db_rollback(db);
	return 0;
}

struct ctp_exp_ahead *
ctp_exp_ahead_start(struct ctp_ctx *c, const struct ctp_exp_org *o)
{
	struct ctp_exp_ahead *a;
	struct ctp_error e;
	long long most;

	if (!(o->kinds & (CTP_EXP_MISSING | CTP_EXP_CRED_KINDS)) ||
	    ctp_tune_single_threaded())
		return NULL;
	if ((a = ctp_calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->path = c->path;
	a->o = o;
	if (ctp_db_open_again(&a->db, c->path, &e) != 0)
		goto fail;
	if (ctp_db_int(a->db, "SELECT coalesce(max(id), 0) FROM credentials",
	    &most, c->path, &e) || most < AHEAD_MIN)
		goto fail;
	if (!same_snapshot(c->db, a->db, c->path))
		goto fail;
	if (pthread_mutex_init(&a->mu, NULL) != 0)
		goto fail;
	if (pthread_cond_init(&a->cv, NULL) != 0) {
		pthread_mutex_destroy(&a->mu);
		goto fail;
	}
	if (pthread_create(&a->th, NULL, ahead_main, a) != 0) {
		pthread_cond_destroy(&a->cv);
		pthread_mutex_destroy(&a->mu);
		goto fail;
	}
	return a;
fail:
	ctp_db_close(a->db);
	free(a);
	return NULL;
}

int
ctp_exp_ahead_held(struct ctp_exp_ahead *a, struct ctp_exp_roster *r,
    struct ctp_error *e)
{
	enum held_state h;

	pthread_mutex_lock(&a->mu);
	while ((h = a->held) == HELD_WAIT)
		pthread_cond_wait(&a->cv, &a->mu);
	if (h == HELD_FAILED)
		*e = a->err;
	pthread_mutex_unlock(&a->mu);
	if (h == HELD_FAILED)
		return e->code;
	if (h == HELD_NOT_READ)
		return 1;
	ctp_exp_held_apply(r, a->base, a->nmap, a->mark);
	return 0;
}

/* The next block read, or NULL at the end; the caller frees it. */
static struct block *
take(struct ctp_exp_ahead *a)
{
	struct block *b;

	pthread_mutex_lock(&a->mu);
	while (a->head == NULL && !a->done)
		pthread_cond_wait(&a->cv, &a->mu);
	if ((b = a->head) != NULL && (a->head = b->next) == NULL)
		a->tail = NULL;
	pthread_mutex_unlock(&a->mu);
	return b;
}

int
ctp_exp_ahead_credentials(struct ctp_exp_ahead *a,
    const struct ctp_exp_org *o, const struct ctp_exp_roster *r,
    struct ctp_exp_list *l, ctp_exp_sink_fn put, void *arg,
    struct ctp_error *e)
{
	struct ctp_exp_duestate s = { .daten = SIZE_MAX, .iso = 1 };
	struct ctp_exp_crow row;
	const struct brow *w;
	struct block *b;
	size_t i;
	int rc = 0;

	while (rc == 0 && (b = take(a)) != NULL) {
		for (i = 0; i < b->n && rc == 0; i++) {
			w = &b->row[i];
			row.provider_id = w->provider_id;
			row.bit = w->bit;
			row.state = b->text + w->state;
			row.number = b->text + w->number;
			row.expires = b->text + w->expires;
			row.nexpires = w->nexpires;
			row.issuer = w->issuer == NO_ISSUER ? NULL :
			    b->text + w->issuer;
			rc = ctp_exp_due_put(o, r, l, &row, &s, put, arg, e);
		}
		block_free(b);
	}
	if (rc != 0)
		return rc;
	pthread_mutex_lock(&a->mu);
	if ((rc = a->rc) != 0)
		*e = a->err;
	pthread_mutex_unlock(&a->mu);
	return rc;
}

void
ctp_exp_ahead_end(struct ctp_exp_ahead *a)
{
	struct block *b;

	if (a == NULL)
		return;
	pthread_mutex_lock(&a->mu);
	a->stop = 1;
	pthread_mutex_unlock(&a->mu);
	/* A scan still running stops at once (the caller stopped early). */
	sqlite3_interrupt(a->db);
	pthread_join(a->th, NULL);
	while ((b = a->head) != NULL) {
		a->head = b->next;
		block_free(b);
	}
	pthread_cond_destroy(&a->cv);
	pthread_mutex_destroy(&a->mu);
	ctp_db_rollback(a->db);
	ctp_db_close(a->db);
	free(a->mark);
	free(a);
}
