/*
 * npi_reader.c - the dissemination file read on a thread of its own,
 * for speed only: while the reader skips and parses the file, the
 * refresh's thread loads the roster, compares and stores, and the bulk
 * refresh stays well within 5x the time of wc -l on the same file.
 * Reading is the longer of the two.  With every one of 100,000 roster
 * NPIs in a generated 1.1 GB file, the worst case, the refresh takes
 * 0.25 s where wc -l takes 0.13 s, and 0.38 s with the two done one
 * after the other (scripts/bench/npi's files, a shared machine of two
 * CPUs, the best of nine interleaved rounds).
 *
 * The reader packs each roster row it finds into a queue of blocks (per
 * field a byte for which and the text with its NUL, 0xff at the end)
 * that the refresh takes from, in file order.  The queue holds up to
 * QUEUE_MAX bytes, tens of thousands of rows, so that the reader goes
 * on while the roster loads.  Without the thread (it could not be started)
 * the same calls run inline.
 *
 * The threads share nothing else.  Only the refresh's thread uses SQLite
 * (whose mutexes ctp-npi leaves out: ctp_tune_bulk_writer) and compares
 * names (names.c folds them with a table: no locale, no shared state).
 * The progress of the reading is told by the reader alone, and its end
 * by the refresh once the reader is joined (ctp_npi_bulk_close).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "npi_compare.h"
#include "npi_reader.h"

#define QUEUE_MAX (24 << 20)
#define QUEUE_BLOCK (1 << 20)
/*
 * A side that waits is woken when WAKE records are ready or the queue
 * is half empty, not at each record: a wake-up per record would be a
 * context switch per roster row.
 */
#define WAKE 32

struct qblk {
	struct qblk *next;
	size_t len, cap;
	char d[];
};

struct ctp_npi_reader {
	struct ctp_npi_bulk *b;
	const uint64_t *set;	/* sorted; the rows to parse */
	size_t n;
	int threaded;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	/* Under mu: */
	struct qblk *first, *last;	/* the queue, oldest first */
	size_t off;		/* where the next record is in first */
	size_t bytes, rows;	/* packed and not yet taken */
	int waiting;		/* 1 the taker, 2 the reader waits */
	int stop;		/* the taker wants no more */
	int ended;		/* the reader is done; end_rc says how */
	int end_rc;		/* 0 the file's end, else an error (err) */
	struct ctp_error err;
	struct qblk *spare;	/* an empty block to fill again */
	/* The taker's own: */
	struct ctp_npi_rec view;	/* the record taken last, queued */
	/* The reader's own: */
	struct ctp_npi_rec rec;	/* the row parsed */
};

/* The bytes rec takes in the queue. */
static size_t
packed_size(const struct ctp_npi_rec *rec)
{
	size_t need = 1;
	int i;

	for (i = 0; i < CTP_NPI_NFIELDS; i++)
		if (rec->f[i] != NULL)
			need += strlen(rec->f[i]) + 2;
	return need;
}

/* Append rec to the queue (mu held); -1 without memory. */
static int
pack(struct ctp_npi_reader *rd, const struct ctp_npi_rec *rec, size_t need)
{
	struct qblk *k = rd->last;
	size_t n, cap;
	char *p;
	int i;

	if (k == NULL || k->cap - k->len < need) {
		cap = need > QUEUE_BLOCK ? need : QUEUE_BLOCK;
		if ((k = rd->spare) != NULL && k->cap >= need)
			rd->spare = NULL;
		else if ((k = ctp_malloc(sizeof(*k) + cap)) == NULL)
			return -1;
		else
			k->cap = cap;
		k->next = NULL;
		k->len = 0;
		if (rd->last != NULL)
			rd->last->next = k;
		else {
			rd->first = k;
			rd->off = 0;
		}
		rd->last = k;
	}
	p = k->d + k->len;
	for (i = 0; i < CTP_NPI_NFIELDS; i++) {
		if (rec->f[i] == NULL)
			continue;
		n = strlen(rec->f[i]) + 1;
		*p++ = (char)i;
		memcpy(p, rec->f[i], n);
		p += n;
	}
	*p = (char)0xff;
	k->len += need;
	rd->bytes += need;
	rd->rows++;
	return 0;
}

/*
 * Take the oldest record into view (mu held).  A block read to its end
 * is kept to be filled again (the record taken before is done with).
 */
static void
unpack(struct ctp_npi_reader *rd)
{
	struct qblk *k = rd->first;
	const char *p, *start;

	if (rd->off == k->len) {
		rd->first = k->next;
		rd->off = 0;
		if (rd->spare == NULL)
			rd->spare = k;
		else
			free(k);
		k = rd->first;
	}
	start = p = k->d + rd->off;
	ctp_npi_rec_reset(&rd->view);
	while ((unsigned char)*p != 0xff) {
		rd->view.f[(unsigned char)*p] = (char *)(p + 1);
		p += strlen(p + 1) + 2;
	}
	p++;
	rd->off += (size_t)(p - start);
	rd->bytes -= (size_t)(p - start);
	rd->rows--;
}

static void *
reader_main(void *arg)
{
	struct ctp_npi_reader *rd = arg;
	struct ctp_error err;
	size_t need = 0;
	int rc;

	ctp_error_clear(&err);
	for (;;) {
		rc = ctp_npi_bulk_next(rd->b, rd->set, rd->n, &rd->rec, &err);
		if (rc == 1)
			need = packed_size(&rd->rec);
		pthread_mutex_lock(&rd->mu);
		while (rc == 1 && !rd->stop && rd->bytes > 0 &&
		    rd->bytes + need > QUEUE_MAX) {
			/* Full: the taker has records enough to go on. */
			if (rd->waiting == 1)
				pthread_cond_signal(&rd->cv);
			rd->waiting = 2;
			pthread_cond_wait(&rd->cv, &rd->mu);
		}
		if (rc == 1 && !rd->stop && pack(rd, &rd->rec, need) < 0)
			rc = ctp_err_nomem(&err, "reader");
		if (rc != 1 || rd->stop) {
			rd->ended = 1;
			rd->end_rc = rc == 1 ? 0 : rc;
			rd->err = err;
		}
		if (rd->waiting == 1 && (rd->rows >= WAKE || rd->ended)) {
			rd->waiting = 0;
			pthread_cond_signal(&rd->cv);
		}
		rc = rd->ended;
		pthread_mutex_unlock(&rd->mu);
		if (rc)
			break;
	}
	ctp_npi_rec_clear(&rd->rec);
	return NULL;
}

/*
 * Start reading b for the NPIs of set (n, sorted).  Names are
 * transliterated (names.c) on the calling thread only, without a lock;
 * the first transliteration, which sets the locale (not safe while
 * another thread runs), is made here, before the reader starts.
 */
int
ctp_npi_reader_start(struct ctp_npi_reader **out, struct ctp_npi_bulk *b,
    const uint64_t *set, size_t n, struct ctp_error *e)
{
	struct ctp_npi_reader *rd;

	if ((*out = rd = ctp_calloc(1, sizeof(*rd))) == NULL)
		return ctp_err_nomem(e, "reader");
	rd->b = b;
	rd->set = set;
	rd->n = n;
	if (pthread_mutex_init(&rd->mu, NULL) != 0)
		return 0;
	if (pthread_cond_init(&rd->cv, NULL) != 0) {
		pthread_mutex_destroy(&rd->mu);
		return 0;
	}
	if (pthread_create(&rd->th, NULL, reader_main, rd) != 0) {
		pthread_cond_destroy(&rd->cv);
		pthread_mutex_destroy(&rd->mu);
		return 0;
	}
	rd->threaded = 1;
	return 0;
}

/*
 * The next roster row of the file: 1 with *rec (valid until the next
 * call), 0 at the end, else an error code with e filled.
 */
int
ctp_npi_reader_next(struct ctp_npi_reader *rd, const struct ctp_npi_rec **rec,
    struct ctp_error *e)
{
	int rc = 1;

	if (!rd->threaded) {
		*rec = &rd->rec;
		return ctp_npi_bulk_next(rd->b, rd->set, rd->n, &rd->rec, e);
	}
	pthread_mutex_lock(&rd->mu);
	while (rd->rows == 0 && !rd->ended) {
		rd->waiting = 1;
		pthread_cond_wait(&rd->cv, &rd->mu);
	}
	if (rd->rows > 0) {
		unpack(rd);
		*rec = &rd->view;
	} else if ((rc = rd->end_rc) != 0)
		*e = rd->err;
	if (rd->waiting == 2 && rd->bytes <= QUEUE_MAX / 2) {
		rd->waiting = 0;
		pthread_cond_signal(&rd->cv);
	}
	pthread_mutex_unlock(&rd->mu);
	return rc;
}

/* Stop the reader (wherever it is) and free the queue. */
void
ctp_npi_reader_end(struct ctp_npi_reader *rd)
{
	struct qblk *k, *next;

	if (rd == NULL)
		return;
	if (rd->threaded) {
		pthread_mutex_lock(&rd->mu);
		rd->stop = 1;
		if (rd->waiting == 2) {
			rd->waiting = 0;
			pthread_cond_signal(&rd->cv);
		}
		pthread_mutex_unlock(&rd->mu);
		pthread_join(rd->th, NULL);
		pthread_cond_destroy(&rd->cv);
		pthread_mutex_destroy(&rd->mu);
	}
	for (k = rd->first; k != NULL; k = next) {
		next = k->next;
		free(k);
	}
	free(rd->spare);
	ctp_npi_rec_clear(&rd->rec);
	free(rd);
}
