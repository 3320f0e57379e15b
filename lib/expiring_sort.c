/*
 * expiring_sort.c - the listing's order: due date (none first), then
 * provider (name key, organization, NPI), then kind and detail.
 *
 * One stable LSD radix sort, a byte at a time, serves both steps: the
 * people are ranked by the first 16 bytes of their name key (two 64-bit
 * words, zeros past the end as strcmp sees them), then cmp_person within
 * a run of equal prefixes; the items by a 64-bit key packed from the due
 * date and the provider's rank, then kind and detail among the few that
 * share one (insertion).  qsort over the names instead costs the inbox
 * over a million credentials 16-20 ms of its 300 (the benchmark has 224
 * distinct names among 96,000 providers, so most comparisons fall
 * through to the organization and NPI).  A byte that is the same in
 * every key is skipped: a day of the streamed listing sorts on the three
 * bytes of rank alone.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expiring_int.h"
#include "mem.h"

static int
cmp_person(const void *pa, const void *pb)
{
	const struct ctp_exp_person *a, *b;
	int r;

	a = *(const struct ctp_exp_person *const *)pa;
	b = *(const struct ctp_exp_person *const *)pb;

	if ((r = strcmp(a->key, b->key)) != 0 ||
	    (r = strcmp(a->org, b->org)) != 0)
		return r;
	return strcmp(a->npi, b->npi);
}

static int
cmp_tie(const struct ctp_exp_item *a, const struct ctp_exp_item *b)
{
	int r;

	if (a->kind != b->kind &&
	    (r = strcmp(ctp_exp_kind_names[a->kind],
	    ctp_exp_kind_names[b->kind])) != 0)
		return r;
	return strcmp(a->detail, b->detail);
}

/* A key to sort by, and what it is the key of. */
struct skey {
	uint64_t k;
	size_t i;
};

/*
 * Sort a[0..n) by k, stably, with tmp[0..n) as scratch: an LSD radix
 * sort a byte at a time, skipping a byte that is the same in every key.
 * Returns a or tmp, whichever holds the result; NULL when out of memory.
 */
static struct skey *
radix(struct skey *a, struct skey *tmp, size_t n)
{
	size_t i, (*cnt)[256], sum, c;
	struct skey *t;
	unsigned pass, d;

	if ((cnt = ctp_calloc(8, sizeof(*cnt))) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		for (pass = 0; pass < 8; pass++)
			cnt[pass][(a[i].k >> (8 * pass)) & 0xff]++;
	for (pass = 0; pass < 8 && n > 1; pass++) {
		if (cnt[pass][(a[0].k >> (8 * pass)) & 0xff] == n)
			continue;	/* one digit for all: nothing moves */
		for (sum = 0, d = 0; d < 256; d++) {
			c = cnt[pass][d];
			cnt[pass][d] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			tmp[cnt[pass][(a[i].k >> (8 * pass)) & 0xff]++] = a[i];
		t = a;
		a = tmp;
		tmp = t;
	}
	free(cnt);
	return a;
}

/* Bytes at..at+8 of s as a big-endian word, zeros past its end. */
static uint64_t
word(const char *s, size_t at)
{
	const unsigned char *u = (const unsigned char *)s;
	uint64_t w = 0;
	size_t k;

	for (k = 0; k < at && u[k]; k++)
		;
	for (; k < at + 8 && u[k]; k++)
		w |= (uint64_t)u[k] << (56 - 8 * (k - at));
	return w;
}

/*
 * Order the people as cmp_person does, and set each one's rank: by the
 * first 16 bytes of the name (zeros past its end, as strcmp sees them),
 * then cmp_person among those alike.  0, or -1 when out of memory.
 */
static int
rank_people(struct ctp_exp_list *l)
{
	struct ctp_exp_person **v = NULL;
	struct skey *a, *b, *r = NULL, *t;
	size_t i, j, n = l->npeople;

	a = ctp_calloc(n + 1, sizeof(*a));
	b = ctp_calloc(n + 1, sizeof(*b));
	if (a == NULL || b == NULL ||
	    (v = ctp_calloc(n + 1, sizeof(*v))) == NULL)
		goto done;
	for (i = 0; i < n; i++) {
		a[i].k = word(l->people[i]->key, 8);
		a[i].i = i;
	}
	if ((r = radix(a, b, n)) == NULL)
		goto done;
	t = r == a ? b : a;
	for (i = 0; i < n; i++)
		r[i].k = word(l->people[r[i].i]->key, 0);
	if ((r = radix(r, t, n)) == NULL)
		goto done;
	for (i = 0; i < n; i++)
		v[i] = l->people[r[i].i];
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && strncmp(v[i]->key, v[j]->key, 16) == 0;
		    j++)
			;
		if (j - i > 1)
			qsort(v + i, j - i, sizeof(*v), cmp_person);
	}
	for (i = 0; i < n; i++)
		v[i]->rank = i;
done:
	free(a);
	free(b);
	free(v);
	return r != NULL ? 0 : -1;
}

/*
 * order[0..n) = the items of v in listing order: due date (none first),
 * provider rank (rank_people), then kind and detail: radix on the due
 * date and rank packed in 64 bits, then the ties (one provider, one day,
 * a few items at most) by insertion.  0, or -1 when out of memory.
 */
int
ctp_exp_order_items(const struct ctp_exp_item *v, size_t n, size_t *order)
{
	struct skey *a, *b, *r = NULL, x;
	size_t i, j;

	a = ctp_calloc(n + 1, sizeof(*a));
	b = ctp_calloc(n + 1, sizeof(*b));
	if (a == NULL || b == NULL)
		goto done;
	/* Day numbers are ints: offset by INT_MIN, they sort as unsigned. */
	for (i = 0; i < n; i++) {
		a[i].k = (uint64_t)((long long)v[i].due - INT_MIN) << 32 |
		    (uint64_t)v[i].who->rank;
		a[i].i = i;
	}
	if ((r = radix(a, b, n)) == NULL)
		goto done;
	for (i = 1; i < n; i++) {
		if (r[i].k != r[i - 1].k)
			continue;
		x = r[i];
		for (j = i; j > 0 && r[j - 1].k == x.k &&
		    cmp_tie(&v[r[j - 1].i], &v[x.i]) > 0; j--)
			r[j] = r[j - 1];
		r[j] = x;
	}
	for (i = 0; i < n; i++)
		order[i] = r[i].i;
done:
	free(a);
	free(b);
	return r != NULL ? 0 : -1;
}

int
ctp_expiring_sort(struct ctp_exp_list *l, struct ctp_error *e)
{
	free(l->order);
	l->order = NULL;
	if (rank_people(l) < 0 ||
	    (l->order = ctp_calloc(l->n + 1, sizeof(*l->order))) == NULL ||
	    ctp_exp_order_items(l->v, l->n, l->order) < 0)
		return ctp_err_nomem(e, "sort");
	return 0;
}
