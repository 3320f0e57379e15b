/*
 * expiring_sort.c - the listing's order: due date (none first), then
 * provider (name key, organization, NPI), then kind and detail.
 *
 * One stable LSD radix sort, a byte at a time, serves both steps: the
 * people are ranked by the first 16 bytes of their name key (two 64-bit
 * words, zeros past the end as strcmp sees them), then by NPI or
 * cmp_person within a run of equal prefixes (order_run); the items by a
 * 64-bit key packed from the due date and the provider's rank, then kind
 * and detail among the few that share one (insertion).  qsort over the names instead costs the inbox over a
 * million credentials 16-20 ms of its 300 (the benchmark has 224
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

/* The sort keys of one person, gathered once, in the people's order. */
struct pkey {
	uint64_t name[2], npi[2];	/* the first 16 bytes of each */
	const char *org;
	int whole;		/* name and NPI are shorter than 16 bytes */
};

/* A person among those alike in the name's first 16 bytes. */
struct runel {
	uint64_t npi[2];
	const struct ctp_exp_person *who;
	size_t at;		/* its index in the people */
};

static int
cmp_npi(const void *pa, const void *pb)
{
	const struct runel *a = pa, *b = pb;

	if (a->npi[0] != b->npi[0])
		return a->npi[0] < b->npi[0] ? -1 : 1;
	if (a->npi[1] != b->npi[1])
		return a->npi[1] < b->npi[1] ? -1 : 1;
	return 0;
}

static int
cmp_run_person(const void *pa, const void *pb)
{
	const struct runel *a = pa, *b = pb;

	return cmp_person(&a->who, &b->who);
}

/*
 * at[0..n), people alike in the first 16 bytes of the name, put in the
 * order of cmp_person: when the whole name is alike and so is the
 * organization, by the NPI, from the keys gathered; otherwise by
 * cmp_person itself.  -1 when out of memory.
 */
static int
order_run(struct ctp_exp_person *const *people, size_t *at,
    const struct pkey *pk, size_t n)
{
	struct runel *b;
	size_t i;
	int npi = 1;

	if ((b = ctp_calloc(n, sizeof(*b))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		b[i].npi[0] = pk[at[i]].npi[0];
		b[i].npi[1] = pk[at[i]].npi[1];
		b[i].who = people[at[i]];
		b[i].at = at[i];
		if (!pk[at[i]].whole || (pk[at[i]].org != pk[at[0]].org &&
		    strcmp(pk[at[i]].org, pk[at[0]].org) != 0))
			npi = 0;
	}
	qsort(b, n, sizeof(*b), npi ? cmp_npi : cmp_run_person);
	for (i = 0; i < n; i++)
		at[i] = b[i].at;
	free(b);
	return 0;
}

/*
 * Order the people as cmp_person does, and set each one's rank: by the
 * first 16 bytes of the name (zeros past its end, as strcmp sees them),
 * then, among those alike, by order_run.  The keys are read from the
 * people once, in the order they are stored, and the ranks written so:
 * each person reached in sorted order is a cache miss, and those cost
 * most of the sort.  0, or -1 when out of memory.
 */
int
ctp_exp_rank_people(struct ctp_exp_list *l)
{
	struct ctp_exp_person **p = l->people;
	struct pkey *pk = NULL;
	struct skey *a, *b, *r = NULL, *t;
	size_t i, j, n = l->npeople, *at = NULL;
	int rc = -1;

	a = ctp_calloc(n + 1, sizeof(*a));
	b = ctp_calloc(n + 1, sizeof(*b));
	if (a == NULL || b == NULL ||
	    (at = ctp_calloc(n + 1, sizeof(*at))) == NULL ||
	    (pk = ctp_calloc(n + 1, sizeof(*pk))) == NULL)
		goto done;
	for (i = 0; i < n; i++) {
		pk[i].name[0] = word(p[i]->key, 0);
		pk[i].name[1] = word(p[i]->key, 8);
		pk[i].npi[0] = word(p[i]->npi, 0);
		pk[i].npi[1] = word(p[i]->npi, 8);
		pk[i].org = p[i]->org;
		pk[i].whole = strlen(p[i]->key) < 16 && strlen(p[i]->npi) < 16;
		a[i].k = pk[i].name[1];
		a[i].i = i;
	}
	if ((r = radix(a, b, n)) == NULL)
		goto done;
	t = r == a ? b : a;
	for (i = 0; i < n; i++)
		r[i].k = pk[r[i].i].name[0];
	if ((r = radix(r, t, n)) == NULL)
		goto done;
	for (i = 0; i < n; i++)
		at[i] = r[i].i;
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && pk[at[j]].name[0] == pk[at[i]].name[0] &&
		    pk[at[j]].name[1] == pk[at[i]].name[1]; j++)
			;
		if (j - i > 1 && order_run(p, at + i, pk, j - i) < 0)
			goto done;
	}
	/* rank of the i-th person, in a's keys, then into the people. */
	for (i = 0; i < n; i++)
		a[at[i]].k = i;
	for (i = 0; i < n; i++)
		p[i]->rank = (size_t)a[i].k;
	rc = 0;
done:
	free(a);
	free(b);
	free(at);
	free(pk);
	return rc;
}

/*
 * order[0..n) = the items of v in listing order: due date (none first),
 * provider rank (ctp_exp_rank_people), then kind and detail: radix on the due
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
ctp_exp_order(struct ctp_exp_list *l, struct ctp_error *e)
{
	free(l->order);
	l->order = NULL;
	if ((l->order = ctp_calloc(l->n + 1, sizeof(*l->order))) == NULL ||
	    ctp_exp_order_items(l->v, l->n, l->order) < 0)
		return ctp_err_nomem(e, "sort");
	return 0;
}

int
ctp_expiring_sort(struct ctp_exp_list *l, struct ctp_error *e)
{
	if (ctp_exp_rank_people(l) < 0)
		return ctp_err_nomem(e, "sort");
	return ctp_exp_order(l, e);
}
