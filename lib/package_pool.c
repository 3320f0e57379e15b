/*
 * package_pool.c - worker threads for ctp-package (package_pool.h).
 *
 * Speed: a package's bytes are hashed (SHA-256), CRC-checked, copied
 * into the ZIP and written out; none of that needs the database.  The
 * thread that holds the database reads the next providers while eight
 * others make the files of earlier ones, so a run over many providers
 * uses both cores of a small machine, and the disk writes the files
 * meanwhile (they are synced a batch at a time: package_run.c).  Jobs
 * come back in the order they went in:
 * the audit log and the files are written in the order of the input.
 */
#include <pthread.h>
#include <stdlib.h>

#include "mem.h"
#include "package_pool.h"

struct slot {
	void *job;
	int done;
};

struct pkg_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t *th;
	int nth;
	void (*work)(void *);
	struct slot *ring;	/* depth slots: head is the oldest */
	int depth, head, count, next;	/* next: the first not started */
	int stop;
};

static void *
run(void *arg)
{
	struct pkg_pool *p = arg;
	struct slot *s;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->stop && p->next == p->count)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->next == p->count)
			break;
		s = &p->ring[(p->head + p->next++) % p->depth];
		pthread_mutex_unlock(&p->mu);
		p->work(s->job);
		pthread_mutex_lock(&p->mu);
		s->done = 1;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct pkg_pool *
pkg_pool_new(int nthreads, int depth, void (*work)(void *))
{
	struct pkg_pool *p;
	int i;

	if ((p = ctp_calloc(1, sizeof(*p))) == NULL)
		return NULL;
	if ((p->ring = ctp_calloc((size_t)depth, sizeof(*p->ring))) == NULL ||
	    (p->th = ctp_calloc((size_t)nthreads, sizeof(*p->th))) == NULL) {
		free(p->ring);
		free(p);
		return NULL;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->depth = depth;
	p->work = work;
	for (i = 0; i < nthreads; i++) {
		if (pthread_create(&p->th[i], NULL, run, p) != 0)
			break;
		p->nth++;
	}
	if (p->nth == 0) {
		pkg_pool_free(p);
		return NULL;
	}
	return p;
}

int
pkg_pool_room(struct pkg_pool *p)
{
	int room;

	pthread_mutex_lock(&p->mu);
	room = p->count < p->depth;
	pthread_mutex_unlock(&p->mu);
	return room;
}

void
pkg_pool_submit(struct pkg_pool *p, void *job)
{
	struct slot *s;

	pthread_mutex_lock(&p->mu);
	while (p->count == p->depth)
		pthread_cond_wait(&p->cv, &p->mu);
	s = &p->ring[(p->head + p->count++) % p->depth];
	s->job = job;
	s->done = 0;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void *
pkg_pool_take(struct pkg_pool *p)
{
	struct slot *s;
	void *job = NULL;

	pthread_mutex_lock(&p->mu);
	if (p->count > 0) {
		s = &p->ring[p->head];
		while (!s->done)
			pthread_cond_wait(&p->cv, &p->mu);
		job = s->job;
		p->head = (p->head + 1) % p->depth;
		p->count--;
		p->next--;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return job;
}

void
pkg_pool_free(struct pkg_pool *p)
{
	int i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nth; i++)
		pthread_join(p->th[i], NULL);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p->th);
	free(p->ring);
	free(p);
}
