/*
 * Unit tests for lib/import_ahead.c: batches handed from the reading
 * thread to the caller arrive whole and in order through a few slots;
 * a caller that stops releases a reader waiting for room; the reader's
 * error reaches the caller.
 */
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "import_ahead.h"
#include "tap.h"

#define SLOTS 3
#define BATCHES 20000

struct batch {
	long seq;
	long sum;	/* of the values below: a batch arrives whole */
	long v[16];
};

struct reader {
	struct ctp_import_ahead **a;
	struct batch *fill;
	long stop_at;		/* fail after this many: -1 never */
	long handed;
	int refused;		/* put gave NULL */
};

static int
produce(void *arg, struct ctp_error *e)
{
	struct reader *r = arg;
	long i;
	int j;

	for (i = 0; i < BATCHES; i++) {
		if (i == r->stop_at)
			return ctp_errf(e, CTP_DATAERR, "test", "failed at %ld",
			    i);
		r->fill->seq = i;
		r->fill->sum = 0;
		for (j = 0; j < 16; j++) {
			r->fill->v[j] = i * 16 + j;
			r->fill->sum += r->fill->v[j];
		}
		if ((r->fill = ctp_import_ahead_put(*r->a, r->fill)) == NULL) {
			r->refused = 1;
			return ctp_errf(e, CTP_SOFTWARE, "test", "stopped");
		}
		r->handed++;
	}
	return 0;
}

static int
whole(const struct batch *b)
{
	long s = 0;
	int j;

	for (j = 0; j < 16; j++)
		s += b->v[j];
	return s == b->sum && b->v[0] == b->seq * 16;
}

/* Take up to max batches (all: -1); how many came whole and in order. */
static long
consume(struct ctp_import_ahead *a, long max, long *taken)
{
	struct batch *b;
	long good = 0;

	*taken = 0;
	while ((max < 0 || *taken < max) &&
	    (b = ctp_import_ahead_take(a)) != NULL) {
		if (b->seq == *taken && whole(b))
			good++;
		(*taken)++;
		ctp_import_ahead_give(a, b);
	}
	return good;
}

static int
start(struct ctp_import_ahead **a, struct batch *bs, struct reader *r,
    long stop_at, struct ctp_error *e)
{
	void *empty[SLOTS];
	int i;

	memset(bs, 0, sizeof(*bs) * (SLOTS + 1));
	for (i = 0; i < SLOTS; i++)
		empty[i] = &bs[i + 1];
	*r = (struct reader){ a, &bs[0], stop_at, 0, 0 };
	return ctp_import_ahead_start(a, empty, SLOTS, produce, r, e);
}

int
main(void)
{
	struct batch bs[SLOTS + 1];
	struct ctp_import_ahead *a;
	struct reader r;
	struct ctp_error e;
	long taken, good;
	int rc;

	/* Everything, in order. */
	ctp_error_clear(&e);
	is_int(start(&a, bs, &r, -1, &e), 0, "started");
	good = consume(a, -1, &taken);
	rc = ctp_import_ahead_join(a, 0, &e);
	is_int(taken, BATCHES, "every batch taken");
	is_int(good, BATCHES, "each whole, in the order handed over");
	is_int(rc, 0, "the reader's status");

	/* The caller stops after 5: the reader, waiting for room, is
	 * refused and returns; join returns its status. */
	ctp_error_clear(&e);
	is_int(start(&a, bs, &r, -1, &e), 0, "started again");
	good = consume(a, 5, &taken);
	rc = ctp_import_ahead_join(a, 1, &e);
	is_int(good, 5, "five taken");
	ok(r.refused, "the reader was refused a batch");
	ok(r.handed >= 5 && r.handed <= 5 + SLOTS, "and handed over no "
	    "more than the slots held (%ld)", r.handed);
	is_int(rc, CTP_SOFTWARE, "join returns the reader's status");
	is_str(e.what, "stopped", "and its message");

	/* The reader fails after 1,000: the caller takes those, then NULL. */
	ctp_error_clear(&e);
	is_int(start(&a, bs, &r, 1000, &e), 0, "started a third time");
	good = consume(a, -1, &taken);
	rc = ctp_import_ahead_join(a, 0, &e);
	is_int(taken, 1000, "the batches handed over before the failure");
	is_int(good, 1000, "whole and in order");
	is_int(rc, CTP_DATAERR, "the reader's error");
	is_str(e.what, "failed at 1000", "with its message");
	return done_testing();
}
