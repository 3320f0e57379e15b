/*
 * import_ahead.c - the reading thread of a first import: speed only, for
 * 100,000 providers at 50,000 rows/s or more (scripts/bench/import) on
 * the two processors a coordinator's machine has at least.
 *
 * A first import into an empty roster spends about a quarter of its
 * instructions reading the file, mapping its columns and checking each
 * row, and the rest in SQLite, writing.  Neither needs the other's
 * result until the end: into an empty roster a row's checks ask the
 * roster nothing it has to read while the run writes (import_ask.c reads
 * the taxonomy codes and the kinds each provider type requires before
 * the run, and every NPI and DEA number is new or repeats one of the
 * file's own).  So the reading and the checks run on a second thread
 * and hand the rows to be written over in batches (import_bulk.c), while
 * the caller's thread, the only one that calls SQLite (which tune.c puts
 * in single-thread mode for ctp-import), writes them in the order they
 * were read.  What is written, and when, is what one thread writes: the
 * same statements in the same order, in the same transaction.
 *
 * A handful of batches go round, so that neither thread waits for the
 * other unless it is well ahead.  The rejects file, the row counts and
 * the list of NPIs added belong to the reading thread until it returns;
 * the caller reads them after ctp_import_ahead_join.
 */
#include <pthread.h>
#include <stdlib.h>

#include "import_ahead.h"
#include "mem.h"

#define MAXB 16

struct ctp_import_ahead {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t more;	/* a full batch, or fn returned */
	pthread_cond_t room;	/* an empty batch, or stop */
	int (*fn)(void *, struct ctp_error *);
	void *arg;
	/* Under mu: */
	void *full[MAXB];	/* handed over, in order from head */
	size_t head, nfull;
	void *empty[MAXB];
	size_t nempty;
	int done, stop, rc;
	struct ctp_error err;	/* fn's, once done */
};

static void *
thread_main(void *p)
{
	struct ctp_import_ahead *a = p;
	struct ctp_error e;
	int rc;

	ctp_error_clear(&e);
	rc = a->fn(a->arg, &e);
	pthread_mutex_lock(&a->mu);
	a->rc = rc;
	a->err = e;
	a->done = 1;
	pthread_cond_signal(&a->more);
	pthread_mutex_unlock(&a->mu);
	return NULL;
}

int
ctp_import_ahead_start(struct ctp_import_ahead **ap, void *const empty[],
    size_t n, int (*fn)(void *, struct ctp_error *), void *arg,
    struct ctp_error *e)
{
	struct ctp_import_ahead *a;
	size_t i;

	*ap = NULL;
	if (n > MAXB)
		return ctp_errf(e, CTP_SOFTWARE, "import", "%zu batches "
		    "(at most %d)", n, MAXB);
	if ((a = ctp_calloc(1, sizeof(*a))) == NULL)
		return ctp_err_nomem(e, "import");
	for (i = 0; i < n; i++)
		a->empty[i] = empty[i];
	a->nempty = n;
	a->fn = fn;
	a->arg = arg;
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->more, NULL);
	pthread_cond_init(&a->room, NULL);
	/* Set before the thread starts: fn may hand a batch over at once,
	 * through *ap. */
	*ap = a;
	if (pthread_create(&a->th, NULL, thread_main, a) != 0) {
		*ap = NULL;
		pthread_cond_destroy(&a->room);
		pthread_cond_destroy(&a->more);
		pthread_mutex_destroy(&a->mu);
		free(a);
		return ctp_errf(e, CTP_SOFTWARE, "import", "cannot start a "
		    "thread");
	}
	return 0;
}

void *
ctp_import_ahead_put(struct ctp_import_ahead *a, void *full)
{
	void *b = NULL;

	pthread_mutex_lock(&a->mu);
	if (!a->stop) {
		a->full[(a->head + a->nfull) % MAXB] = full;
		a->nfull++;
		pthread_cond_signal(&a->more);
		while (a->nempty == 0 && !a->stop)
			pthread_cond_wait(&a->room, &a->mu);
		if (!a->stop)
			b = a->empty[--a->nempty];
	}
	pthread_mutex_unlock(&a->mu);
	return b;
}

void *
ctp_import_ahead_take(struct ctp_import_ahead *a)
{
	void *b = NULL;

	pthread_mutex_lock(&a->mu);
	while (a->nfull == 0 && !a->done)
		pthread_cond_wait(&a->more, &a->mu);
	if (a->nfull > 0) {
		b = a->full[a->head];
		a->head = (a->head + 1) % MAXB;
		a->nfull--;
	}
	pthread_mutex_unlock(&a->mu);
	return b;
}

void
ctp_import_ahead_give(struct ctp_import_ahead *a, void *empty)
{
	pthread_mutex_lock(&a->mu);
	a->empty[a->nempty++] = empty;
	pthread_cond_signal(&a->room);
	pthread_mutex_unlock(&a->mu);
}

int
ctp_import_ahead_join(struct ctp_import_ahead *a, int stop,
    struct ctp_error *e)
{
	int rc;

	if (stop) {
		pthread_mutex_lock(&a->mu);
		a->stop = 1;
		pthread_cond_signal(&a->room);
		pthread_mutex_unlock(&a->mu);
	}
	pthread_join(a->th, NULL);
	rc = a->rc;
	if (rc != 0)
		*e = a->err;
	pthread_cond_destroy(&a->room);
	pthread_cond_destroy(&a->more);
	pthread_mutex_destroy(&a->mu);
	free(a);
	return rc;
}
