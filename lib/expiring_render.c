/*
 * expiring_render.c - the inbox's rows made into text on two threads:
 * speed only, for the inbox over a million credentials in under 300 ms
 * (scripts/bench/expiring) on the two processors a coordinator's machine
 * has at least.
 *
 * A large organization's listing ends with some 300,000 rows to write,
 * after the reader ahead (expiring_ahead.c) has read its last rows: the
 * making of each row's CSV or JSON text is then two thirds of what is
 * left to do, on one thread while the other is idle.  Here the stream
 * (expiring_stream.c) hands over the rows a day at a time, in order, as
 * jobs: a range of the provider items, then the day's credentials in
 * their order.  A second thread makes jobs into text, each in a buffer
 * of its own, and so does the caller between its own days when two or
 * more are waiting; the caller writes the buffers in the order of the
 * jobs.  The bytes are those the caller alone writes (ctp_out_twin);
 * tests/cli/expiring-ahead.t compares them with the collected listing.
 *
 * A job's rows are counted as written once its buffer is handed to the
 * output stream, as a row is once handed to stdio: the expiring.read
 * event counts them.  The second thread calls nothing of SQLite and
 * reads only what the caller no longer changes: the provider items and
 * people of the list, and the jobs it takes.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expiring_int.h"
#include "mem.h"
#include "out.h"

#define NJOB 8

enum job_state { FREE, QUEUED, TAKEN, MADE };

struct job {
	enum job_state state;
	size_t from, to;		/* provider items l->order[from..to) */
	struct ctp_exp_list day;	/* then these, in order */
	size_t *order, caporder;
	char *buf;			/* made: the text */
	size_t len;
	long long rows;
	int rc;
	struct ctp_error err;
};

struct ctp_exp_render {
	struct ctp_out *out;
	const struct ctp_exp_list *l;
	long long *written;
	int rc;				/* the caller's first error */
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;	/* a job queued or made, or stop */
	/* Under mu: jobs head..tail-1 (mod NJOB) in use, in order. */
	struct job job[NJOB];
	size_t head, tail;
	int stop;
};

/* Make j's rows into text in j->buf; 0 or j->rc. */
static int
make(const struct ctp_exp_render *r, struct job *j)
{
	const struct ctp_exp_list *l = r->l;
	struct ctp_exp_rowdate d;
	struct ctp_out *o = NULL;
	FILE *f;
	size_t i;

	memset(&d, 0, sizeof(d));
	ctp_error_clear(&j->err);
	j->rows = 0;
	j->buf = NULL;
	j->len = 0;
	if ((f = open_memstream(&j->buf, &j->len)) == NULL ||
	    (o = ctp_out_twin(r->out, f)) == NULL) {
		j->rc = ctp_err_nomem(&j->err, "output");
		goto done;
	}
	for (i = j->from; i < j->to && j->rc == 0; i++, j->rows++)
		j->rc = ctp_exp_put_item(o, &d, &l->v[l->order[i]], &j->err);
	for (i = 0; i < j->day.n && j->rc == 0; i++, j->rows++) {
		if (i + 8 < j->day.n)
			PREFETCH(j->day.v[j->order[i + 8]].who);
		j->rc = ctp_exp_put_item(o, &d, &j->day.v[j->order[i]],
		    &j->err);
	}
done:
	ctp_out_free(o);
	if (f != NULL && fclose(f) != 0 && j->rc == 0)
		j->rc = ctp_err_nomem(&j->err, "output");
	return j->rc;
}

/* The oldest job queued, taken; NULL when none (under mu). */
static struct job *
take(struct ctp_exp_render *r)
{
	size_t s;

	for (s = r->head; s != r->tail; s++)
		if (r->job[s % NJOB].state == QUEUED) {
			r->job[s % NJOB].state = TAKEN;
			return &r->job[s % NJOB];
		}
	return NULL;
}

static size_t
queued(const struct ctp_exp_render *r)
{
	size_t s, n = 0;

	for (s = r->head; s != r->tail; s++)
		n += r->job[s % NJOB].state == QUEUED;
	return n;
}

/* Make j outside mu (held on entry and on return). */
static void
make_unlocked(struct ctp_exp_render *r, struct job *j)
{
	pthread_mutex_unlock(&r->mu);
	make(r, j);
	pthread_mutex_lock(&r->mu);
	j->state = MADE;
	pthread_cond_broadcast(&r->cv);
}

static void *
helper(void *arg)
{
	struct ctp_exp_render *r = arg;
	struct job *j;

	pthread_mutex_lock(&r->mu);
	while (!r->stop) {
		if ((j = take(r)) != NULL)
			make_unlocked(r, j);
		else
			pthread_cond_wait(&r->cv, &r->mu);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

struct ctp_exp_render *
ctp_exp_render_start(struct ctp_out *out, const struct ctp_exp_list *l,
    long long *written)
{
	struct ctp_exp_render *r;
	struct ctp_out *twin;
	size_t i;

	/* Only what a twin writes byte for byte. */
	if ((twin = ctp_out_twin(out, ctp_out_file(out))) == NULL)
		return NULL;
	ctp_out_free(twin);
	if ((r = ctp_calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->out = out;
	r->l = l;
	r->written = written;
	for (i = 0; i < NJOB; i++)
		ctp_expiring_init(&r->job[i].day);
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	if (pthread_create(&r->th, NULL, helper, r) != 0) {
		pthread_cond_destroy(&r->cv);
		pthread_mutex_destroy(&r->mu);
		free(r);
		return NULL;
	}
	return r;
}

/*
 * The job at head made (by the caller when still queued, else waited
 * for) and written, its day given back empty (mu held).
 */
static int
write_head(struct ctp_exp_render *r, struct ctp_error *e)
{
	struct job *j = &r->job[r->head % NJOB];
	FILE *f = ctp_out_file(r->out);
	int rc = 0;

	if (j->state == QUEUED) {
		j->state = TAKEN;
		make_unlocked(r, j);
	}
	while (j->state != MADE)
		pthread_cond_wait(&r->cv, &r->mu);
	pthread_mutex_unlock(&r->mu);
	if (j->rc != 0) {
		*e = j->err;
		rc = j->rc;
	} else if ((rc = ctp_out_header(r->out, e)) == 0) {
		*r->written += j->rows;
		if (j->len > 0 && fwrite(j->buf, 1, j->len, f) != j->len)
			rc = ctp_errf(e, CTP_IOERR, "stdout", "write error");
	}
	free(j->buf);
	j->buf = NULL;
	ctp_exp_list_reset(&j->day);
	pthread_mutex_lock(&r->mu);
	j->state = FREE;
	r->head++;
	return rc;
}

int
ctp_exp_render_push(struct ctp_exp_render *r, size_t from, size_t to,
    struct ctp_exp_list *day, size_t **order, size_t *caporder,
    struct ctp_error *e)
{
	struct ctp_exp_list tl;
	struct job *j;
	size_t *to_order, tcap;

	if (r->rc != 0)
		return r->rc;
	pthread_mutex_lock(&r->mu);
	while (r->tail - r->head == NJOB && r->rc == 0)
		r->rc = write_head(r, e);
	if (r->rc == 0) {
		/* The caller's day and order go with the job; it has the
		 * job's emptied ones back. */
		j = &r->job[r->tail % NJOB];
		tl = j->day;
		j->day = *day;
		*day = tl;
		to_order = j->order;
		tcap = j->caporder;
		j->order = *order;
		j->caporder = *caporder;
		*order = to_order;
		*caporder = tcap;
		j->from = from;
		j->to = to;
		j->rc = 0;
		j->state = QUEUED;
		r->tail++;
		pthread_cond_broadcast(&r->cv);
		/* Help while two or more wait; write what is made. */
		while (queued(r) >= 2 && (j = take(r)) != NULL)
			make_unlocked(r, j);
		while (r->rc == 0 && r->head != r->tail &&
		    r->job[r->head % NJOB].state == MADE)
			r->rc = write_head(r, e);
	}
	pthread_mutex_unlock(&r->mu);
	return r->rc;
}

int
ctp_exp_render_end(struct ctp_exp_render *r, struct ctp_error *e)
{
	size_t i;
	int rc;

	if (r == NULL)
		return 0;
	pthread_mutex_lock(&r->mu);
	while (r->rc == 0 && r->head != r->tail)
		r->rc = write_head(r, e);
	/* After an error: the jobs taken made, the rest left. */
	while (r->head != r->tail) {
		struct job *j = &r->job[r->head % NJOB];

		while (j->state == TAKEN)
			pthread_cond_wait(&r->cv, &r->mu);
		free(j->buf);
		j->buf = NULL;
		j->state = FREE;
		r->head++;
	}
	r->stop = 1;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->th, NULL);
	rc = r->rc;
	for (i = 0; i < NJOB; i++) {
		ctp_expiring_free(&r->job[i].day);
		free(r->job[i].order);
	}
	pthread_cond_destroy(&r->cv);
	pthread_mutex_destroy(&r->mu);
	free(r);
	return rc;
}
