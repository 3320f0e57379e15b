/*
 * expiring_stream.c - one organization written as it is read: speed
 * only, for the inbox over a million credentials in under 300 ms
 * (scripts/bench/expiring; ctp_expiring_collect, sort and write give the
 * same bytes).
 *
 * The listing is bound by memory traffic, not instructions: gathered
 * whole, its 300,000 items are each stored, sorted and read back at
 * random, and the run takes about 35 ms more of CPU (283 ms against 249
 * on the benchmark), most of it page faults and cache misses.  Here the
 * provider items (re-credentialing, CAQH, missing: one or two per
 * provider) are gathered and sorted; the credentials come from the
 * credentials_due index already in date order, a day at a time (a few
 * thousand items), and each day is sorted on its own and merged with the
 * provider items while writing.  Nothing of the listing is kept beyond
 * the day at hand.  In a large organization what the providers hold and
 * the credentials due are read by a second connection while this one
 * reads the roster (expiring_ahead.c); the rows it reads wait in blocks
 * until they are written.
 *
 * Text order is date order only for expirations stored as YYYY-MM-DD:
 * dates_in_order checks that first by index seeks (one per distinct
 * date, a few hundred), in the same read transaction as the rows, and
 * the caller collects instead when it fails.  The expiring.read event is
 * written after the rows, with the count listed, even when the listing
 * stopped half way (ctp_expiring_run holds SIGPIPE until then).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "db.h"
#include "expiring_int.h"
#include "mem.h"

/* The provider items, and the day at hand, merged as they are written. */
struct merge {
	struct ctp_out *out;
	struct ctp_error *e;
	const struct ctp_exp_list *l;	/* the provider items, sorted */
	size_t next;		/* the first of them not yet written */
	struct ctp_exp_list day;	/* the credentials due on dayno */
	size_t *order;		/* the day's items in order */
	size_t caporder;
	long dayno;
	int have_day;
	struct ctp_exp_rowdate date;
	long long written;
	struct ctp_exp_render *render;	/* the rows made on two threads */
};

#define JOB_ITEMS 4096	/* provider items to a job at most */

/*
 * Hand the provider items l->order[from..to) and then m->day, in
 * m->order, to the threads that make the rows (expiring_render.c).
 */
static int
push(struct merge *m, size_t from, size_t to)
{
	struct ctp_exp_list none;
	size_t *no = NULL, nocap = 0;
	int rc = 0;

	ctp_expiring_init(&none);
	for (; rc == 0 && to - from > JOB_ITEMS; from += JOB_ITEMS)
		rc = ctp_exp_render_push(m->render, from, from + JOB_ITEMS,
		    &none, &no, &nocap, m->e);
	ctp_expiring_free(&none);
	free(no);
	if (rc != 0)
		return rc;
	return ctp_exp_render_push(m->render, from, to, &m->day, &m->order,
	    &m->caporder, m->e);
}

static int
put_row(struct merge *m, const struct ctp_exp_item *it)
{
	m->written++;
	return ctp_exp_put_item(m->out, &m->date, it, m->e);
}

/* Write what is due before dayno, then dayno's items; 0 or e->code. */
static int
flush_day(struct merge *m)
{
	const struct ctp_exp_list *l = m->l;
	struct ctp_exp_item *it;
	size_t *order, i, from = m->next, before;
	int rc;

	while (m->next < l->n && l->v[l->order[m->next]].due < m->dayno)
		if (m->render != NULL)
			m->next++;
		else if ((rc = put_row(m, &l->v[l->order[m->next++]])) != 0)
			return rc;
	before = m->next;
	while (m->next < l->n && l->v[l->order[m->next]].due == m->dayno) {
		if ((it = ctp_exp_add_item(&m->day)) == NULL)
			return ctp_err_nomem(m->e, "expiring");
		*it = l->v[l->order[m->next++]];
	}
	if (m->day.n > m->caporder) {
		if ((order = ctp_realloc(m->order, m->day.n *
		    sizeof(*order))) == NULL)
			return ctp_err_nomem(m->e, "expiring");
		m->order = order;
		m->caporder = m->day.n;
	}
	if (ctp_exp_order_items(m->day.v, m->day.n, m->order) < 0)
		return ctp_err_nomem(m->e, "expiring");
	if (m->render != NULL)
		return push(m, from, before);
	for (i = 0; i < m->day.n; i++) {
		if (i + 8 < m->day.n)
			PREFETCH(m->day.v[m->order[i + 8]].who);
		if ((rc = put_row(m, &m->day.v[m->order[i]])) != 0)
			return rc;
	}
	ctp_exp_list_reset(&m->day);
	return 0;
}

static int
stream_sink(void *arg, struct ctp_exp_list *l, const struct ctp_exp_org *o,
    const struct ctp_exp_person *who, unsigned kind,
    const struct ctp_exp_due *d, int iso)
{
	struct merge *m = arg;

	(void)l;
	/* dates_in_order() said otherwise, in the same transaction. */
	if (!iso || (m->have_day && d->due < m->dayno)) {
		ctp_errf(m->e, CTP_SOFTWARE, "expiring",
		    "credentials out of date order");
		return -1;
	}
	if (!m->have_day || d->due != m->dayno) {
		if (m->have_day && flush_day(m) != 0)
			return -1;
		m->dayno = d->due;
		m->have_day = 1;
	}
	if (ctp_exp_emit(&m->day, o, who, kind, d) < 0) {
		ctp_err_nomem(m->e, "expiring");
		return -1;
	}
	return 0;
}

/*
 * Whether every expiration the listing reads is stored as YYYY-MM-DD (or
 * is no date at all), so that the index gives the rows in date order: one
 * index seek per distinct date, a few hundred.  1 yes, 0 no, or e->code
 * negated.
 */
static int
dates_in_order(struct ctp_ctx *c, const struct ctp_exp_org *o,
    struct ctp_error *e)
{
	char hi[CTP_DATE_LEN], last[64] = "";
	sqlite3_stmt *st;
	const char *t;
	size_t n;
	long day;
	int rc, ok = 1;

	if (ctp_db_prepare(c->db, &st, "SELECT expires FROM credentials"
	    " WHERE status = 'active' AND expires > ?1 AND expires <= ?2"
	    " ORDER BY expires LIMIT 1", e))
		return -e->code;
	ctp_date_format(o->rules.as_of + o->rules.hi, hi);
	ctp_bind_text(st, 2, hi);
	for (;;) {
		sqlite3_reset(st);
		ctp_bind_text(st, 1, last);
		if ((rc = sqlite3_step(st)) != SQLITE_ROW)
			break;
		t = ctp_col_text(st, 0);
		n = (size_t)sqlite3_column_bytes(st, 0);
		if (!ctp_exp_iso_shape(t, n) && ctp_date_parse(t, &day) == 0) {
			ok = 0;
			break;
		}
		if (n >= sizeof(last)) {
			/* No date, and too long to seek past: be careful. */
			ok = 0;
			break;
		}
		memcpy(last, t, n + 1);
	}
	sqlite3_finalize(st);
	if (ok && rc != SQLITE_DONE)
		return -ctp_db_err(c->db, rc, c->path, e);
	return ok;
}

int
ctp_expiring_stream(struct ctp_ctx *c, const struct ctp_exp_query *q,
    struct ctp_exp_list *l, struct ctp_out *out, struct ctp_error *e)
{
	struct ctp_exp_org o;
	struct ctp_exp_roster r = { 0 };
	struct merge m;
	struct ctp_error ae;
	struct ctp_exp_ahead *a = NULL;
	int rc, rc2, in_tx = 0;

	memset(&m, 0, sizeof(m));
	m.out = out;
	m.e = e;
	m.l = l;
	ctp_expiring_init(&m.day);
	if ((rc = ctp_exp_settle(c, q, &o, l, e)) != 0)
		return rc;
	/* One snapshot: the check below holds for the rows read after it. */
	if ((rc = ctp_db_exec(c->db, "BEGIN", e)) != 0)
		return rc;
	in_tx = 1;
	a = ctp_exp_ahead_start(c, &o);
	if (o.kinds & CTP_EXP_CRED_KINDS) {
		if ((rc = dates_in_order(c, &o, e)) < 0) {
			rc = -rc;
			goto done;
		}
		if (rc == 0) {
			rc = -1;	/* nothing written: collect instead */
			goto done;
		}
	}
	/* The people ranked while the reader ahead reads what they hold. */
	if ((rc = ctp_exp_roster_read(c, &o, &r, l, e)) != 0)
		goto done;
	if (ctp_exp_rank_people(l) < 0) {
		rc = ctp_err_nomem(e, "sort");
		goto done;
	}
	if ((rc = ctp_exp_missing(c, &o, &r, l, a, e)) != 0 ||
	    (rc = ctp_exp_order(l, e)) != 0)
		goto done;
	/* A large organization's rows made on two threads as well. */
	if (a != NULL)
		m.render = ctp_exp_render_start(out, l, &m.written);
	if ((o.kinds & CTP_EXP_CRED_KINDS) && (rc = a != NULL ?
	    ctp_exp_ahead_credentials(a, &o, &r, l, stream_sink, &m, e) :
	    ctp_exp_credentials(c, &o, &r, l, stream_sink, &m, e)) != 0)
		goto audit;
	if (m.have_day && (rc = flush_day(&m)) != 0)
		goto audit;
	if (m.render != NULL)
		rc = push(&m, m.next, l->n);
	else
		while (m.next < l->n)
			if ((rc = put_row(&m, &l->v[l->order[m.next++]])) != 0)
				goto audit;
audit:
	ctp_exp_ahead_end(a);
	a = NULL;
	if ((rc2 = ctp_exp_render_end(m.render, rc ? &ae : e)) != 0 &&
	    rc == 0)
		rc = rc2;
	m.render = NULL;
	/*
	 * Written after the rows, in the organization's own log (its own
	 * transaction): what was listed, even when the listing stopped.
	 */
	in_tx = 0;
	ctp_error_clear(&ae);
	if (ctp_db_commit(c->db, &ae) != 0) {
		ctp_db_rollback(c->db);
		if (rc == 0) {
			*e = ae;
			rc = e->code;
		}
	}
	ctp_error_clear(&ae);
	if ((m.written > 0 || rc == 0) &&
	    ctp_exp_audit_read(c, &o, m.written, &ae) != 0 && rc == 0) {
		*e = ae;
		rc = e->code;
	}
done:
	ctp_exp_render_end(m.render, &ae);
	ctp_exp_ahead_end(a);
	if (in_tx)
		ctp_db_rollback(c->db);
	ctp_exp_roster_free(&r);
	free(m.order);
	ctp_expiring_free(&m.day);
	return rc;
}
