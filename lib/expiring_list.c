/*
 * expiring_list.c - the list of items: its storage (strings and people
 * kept in chunks freed at once), an item added in its bucket, and the
 * list written as rows.
 *
 * A listing of 300,000 rows is bound by memory traffic: an item is 32
 * bytes (the day as an int, the kind as an index), a person sits in the
 * storage just before its own strings, so that a row reads two places
 * and not five, and the writer asks for the person of the row eight
 * ahead (without, the inbox over a million credentials takes about
 * 30 ms more of its 300).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "expiring_int.h"
#include "mem.h"

const struct ctp_col ctp_expiring_columns[] = {
	{ "org", CTP_COL_STR },
	{ "npi", CTP_COL_STR },
	{ "last_name", CTP_COL_STR },
	{ "first_name", CTP_COL_STR },
	{ "coordinator", CTP_COL_STR },
	{ "kind", CTP_COL_STR },
	{ "detail", CTP_COL_STR },
	{ "due", CTP_COL_STR },
	{ "days_left", CTP_COL_INT },
	{ "bucket", CTP_COL_STR },
};

/* String storage: items point into chunks freed all at once. */
struct ctp_exp_chunk {
	struct ctp_exp_chunk *next;
	size_t used, cap;
	char data[];
};

#define CHUNK_SIZE (1024 * 1024)

void
ctp_expiring_init(struct ctp_exp_list *l)
{
	memset(l, 0, sizeof(*l));
}

void
ctp_expiring_free(struct ctp_exp_list *l)
{
	struct ctp_exp_chunk *k, *next;

	for (k = l->chunks; k != NULL; k = next) {
		next = k->next;
		free(k);
	}
	free(l->v);
	free(l->order);
	free(l->people);
	memset(l, 0, sizeof(*l));
}

void
ctp_exp_list_reset(struct ctp_exp_list *l)
{
	struct ctp_exp_chunk *k, *next;

	if (l->chunks != NULL) {
		for (k = l->chunks->next; k != NULL; k = next) {
			next = k->next;
			free(k);
		}
		l->chunks->next = NULL;
		l->chunks->used = 0;
	}
	l->n = 0;
}

/* n bytes of l's storage, aligned to align (a power of 2); NULL: no memory. */
char *
ctp_exp_reserve(struct ctp_exp_list *l, size_t n, size_t align)
{
	struct ctp_exp_chunk *k = l->chunks;
	size_t cap, at;

	at = k ? (k->used + align - 1) & ~(align - 1) : 0;
	if (k == NULL || at > k->cap || k->cap - at < n) {
		cap = n > CHUNK_SIZE ? n : CHUNK_SIZE;
		/* data[] follows three words: aligned for any item kept */
		if ((k = ctp_malloc(sizeof(*k) + cap)) == NULL)
			return NULL;
		k->next = l->chunks;
		k->used = 0;
		k->cap = cap;
		l->chunks = k;
		at = 0;
	}
	k->used = at + n;
	return k->data + at;
}

/* A copy of s (n bytes and a NUL) in l's storage; NULL when out of memory. */
const char *
ctp_exp_keepn(struct ctp_exp_list *l, const char *s, size_t len)
{
	char *p;

	if ((p = ctp_exp_reserve(l, len + 1, 1)) == NULL)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

const char *
ctp_exp_keep(struct ctp_exp_list *l, const char *s)
{
	return ctp_exp_keepn(l, s, strlen(s));
}

struct ctp_exp_item *
ctp_exp_add_item(struct ctp_exp_list *l)
{
	struct ctp_exp_item *v;
	size_t cap;

	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 256;
		if ((v = ctp_realloc(l->v, cap * sizeof(*v))) == NULL)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

/* Add the item d of who's, of this kind, in its bucket; 0 or -1 (memory). */
int
ctp_exp_emit(struct ctp_exp_list *l, const struct ctp_exp_org *o,
    const struct ctp_exp_person *who, unsigned kind,
    const struct ctp_exp_due *d)
{
	struct ctp_exp_item *it;
	int i;

	if ((it = ctp_exp_add_item(l)) == NULL)
		return -1;
	it->who = who;
	it->kind = (unsigned char)kind;
	if ((it->detail = ctp_exp_keepn(l, d->detail, d->len)) == NULL) {
		l->n--;
		return -1;
	}
	it->due = (int)d->due;
	if (d->due == CTP_EXP_NODATE)
		it->bucket = d->bucket;
	else {
		i = ctp_expiring_bucket_at(d->due - o->rules.as_of, o->thr,
		    o->nthr);
		it->bucket = i < 0 ? "overdue" : i == o->nthr ? "later" :
		    o->label[i];
	}
	return 0;
}

void
ctp_expiring_get(const struct ctp_exp_list *l, size_t i,
    struct ctp_exp_row *r)
{
	const struct ctp_exp_item *it = &l->v[l->order ? l->order[i] : i];
	const struct ctp_exp_person *p = it->who;

	r->org = p->org;
	r->npi = p->npi;
	r->last_name = p->last;
	r->first_name = p->first;
	r->coordinator = p->coordinator;
	r->kind = ctp_exp_kind_names[it->kind];
	r->detail = it->detail;
	r->due = it->due;
	r->days_left = it->due == CTP_EXP_NODATE ? 0 : it->due - p->as_of;
	r->bucket = it->bucket;
}

/* Write it as a row of o; 0 or e->code. */
int
ctp_exp_put_item(struct ctp_out *o, struct ctp_exp_rowdate *d,
    const struct ctp_exp_item *it, struct ctp_error *e)
{
	const struct ctp_exp_person *p = it->who;
	const char *row[CTP_EXPIRING_NCOLUMNS];

	row[7] = row[8] = "";
	if (it->due != CTP_EXP_NODATE) {
		if (!d->have || it->due != d->day || p->as_of != d->as_of) {
			ctp_date_format(it->due, d->due);
			snprintf(d->left, sizeof(d->left), "%ld",
			    (long)it->due - p->as_of);
			d->day = it->due;
			d->as_of = p->as_of;
			d->have = 1;
		}
		row[7] = d->due;
		row[8] = d->left;
	}
	row[0] = p->org;
	row[1] = p->npi;
	row[2] = p->last;
	row[3] = p->first;
	row[4] = p->coordinator;
	row[5] = ctp_exp_kind_names[it->kind];
	row[6] = it->detail;
	row[9] = it->bucket;
	return ctp_out_row(o, row, e);
}

int
ctp_expiring_write(const struct ctp_exp_list *l, struct ctp_out *o,
    struct ctp_error *e)
{
	struct ctp_exp_rowdate d = { 0, 0, 0, "", "" };
	size_t i;
	int rc;

	for (i = 0; i < l->n; i++) {
		/* The person (and its strings) is read at random: ask ahead. */
		if (i + 8 < l->n)
			PREFETCH(l->v[l->order ? l->order[i + 8] : i + 8].who);
		if ((rc = ctp_exp_put_item(o, &d,
		    &l->v[l->order ? l->order[i] : i], e)) != 0)
			return rc;
	}
	return 0;
}
