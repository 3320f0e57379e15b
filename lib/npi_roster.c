/*
 * npi_roster.c - the roster as ctp-npi compares it: every provider with
 * their active state licenses, in memory, found by NPI.  See
 * npi_roster.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "mem.h"
#include "npi_bulk.h"
#include "npi_roster.h"

struct ctp_npi_rkey {
	uint64_t key;
	struct ctp_npi_entry *x;
};

/* Where the roster's strings are kept: blocks that never move. */
struct ctp_npi_strblk {
	struct ctp_npi_strblk *next;
	size_t used, cap;
	char s[];
};

#define STRBLK (256 << 10)

void
ctp_npi_roster_free(struct ctp_npi_roster *r)
{
	struct ctp_npi_strblk *b, *next;

	for (b = r->blk; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(r->e);
	free(r->bykey);
	free(r->lic);
	memset(r, 0, sizeof(*r));
}

/* A copy of s (n bytes) among the roster's strings; "" for none. */
static const char *
keep(struct ctp_npi_roster *r, const char *s, size_t n)
{
	struct ctp_npi_strblk *b = r->blk;
	size_t cap;
	char *p;

	if (s == NULL || n == 0)
		return "";
	if (b == NULL || b->cap - b->used < n + 1) {
		cap = n + 1 > STRBLK ? n + 1 : STRBLK;
		if ((b = ctp_malloc(sizeof(*b) + cap)) == NULL)
			return NULL;
		b->next = r->blk;
		b->used = 0;
		b->cap = cap;
		r->blk = b;
	}
	p = b->s + b->used;
	memcpy(p, s, n);
	p[n] = '\0';
	b->used += n + 1;
	return p;
}

/* Column i of st's row, kept. */
static const char *
keep_col(struct ctp_npi_roster *r, sqlite3_stmt *st, int i)
{
	return keep(r, (const char *)sqlite3_column_text(st, i),
	    (size_t)sqlite3_column_bytes(st, i));
}

static int
cmp_rkey(const void *a, const void *b)
{
	const struct ctp_npi_rkey *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

static int
cmp_id(const void *a, const void *b)
{
	const struct ctp_npi_entry *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct ctp_npi_entry *
ctp_npi_roster_find(struct ctp_npi_roster *r, uint64_t k)
{
	struct ctp_npi_rkey want, *f;

	if (r->n == 0)
		return NULL;
	want.key = k;
	f = bsearch(&want, r->bykey, r->n, sizeof(*r->bykey), cmp_rkey);
	return f != NULL ? f->x : NULL;
}

/* The index of the provider with this id (the roster is in id order). */
static int
by_id(const struct ctp_npi_roster *r, long long id, size_t *at)
{
	struct ctp_npi_entry want, *f;

	if (r->n == 0)
		return 0;
	want.id = id;
	if ((f = bsearch(&want, r->e, r->n, sizeof(*r->e), cmp_id)) == NULL)
		return 0;
	*at = (size_t)(f - r->e);
	return 1;
}

/* Every provider, in id order, and the index by NPI. */
static int
load_providers(sqlite3 *db, struct ctp_npi_roster *r, struct ctp_error *e)
{
	sqlite3_stmt *st;
	struct ctp_npi_entry *x, *ne;
	const char **f[9];
	size_t i;
	uint64_t key;
	int rc, k, in_order = 1;

	if (ctp_db_prepare(db, &st, "SELECT id, npi, first_name, last_name, "
	    "taxonomy, practice_address, practice_city, practice_state, "
	    "practice_zip, status FROM providers", e))
		return e->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		/* Checked on the way in (import, roster set). */
		if (!ctp_npi_key(ctp_col_text(st, 1), &key))
			continue;
		if (r->n == r->cap) {
			r->cap = r->cap ? r->cap * 2 : 1024;
			if ((ne = ctp_realloc(r->e, r->cap * sizeof(*ne))) ==
			    NULL)
				goto nomem;
			r->e = ne;
		}
		x = &r->e[r->n++];
		memset(x, 0, sizeof(*x));
		x->key = key;
		x->id = sqlite3_column_int64(st, 0);
		if (r->n > 1 && x[-1].id > x->id)
			in_order = 0;
		f[0] = &x->p.npi;
		f[1] = &x->p.first_name;
		f[2] = &x->p.last_name;
		f[3] = &x->p.taxonomy;
		f[4] = &x->p.address;
		f[5] = &x->p.city;
		f[6] = &x->p.state;
		f[7] = &x->p.zip;
		f[8] = &x->p.status;
		for (k = 0; k < 9; k++)
			if ((*f[k] = keep_col(r, st, 1 + k)) == NULL)
				goto nomem;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "roster", e);
	/* A table is read in id order. */
	if (!in_order)
		qsort(r->e, r->n, sizeof(*r->e), cmp_id);
	if ((r->bykey = ctp_malloc((r->n + 1) * sizeof(*r->bykey))) == NULL)
		return ctp_err_nomem(e, "roster");
	for (i = 0; i < r->n; i++) {
		r->bykey[i].key = r->e[i].key;
		r->bykey[i].x = &r->e[i];
	}
	qsort(r->bykey, r->n, sizeof(*r->bykey), cmp_rkey);
	return 0;
nomem:
	sqlite3_finalize(st);
	return ctp_err_nomem(e, "roster");
}

/*
 * The active state licenses, each provider's together in table order:
 * read with the index of their provider, counted per provider, then
 * each put in its provider's place.
 */
static int
load_licenses(sqlite3 *db, struct ctp_npi_roster *r, struct ctp_error *e)
{
	struct one {
		size_t at;
		struct ctp_npi_license l;
	} *t = NULL, *nt;
	sqlite3_stmt *st;
	size_t n = 0, cap = 0, i, at, *pos = NULL;
	int rc;

	if (ctp_db_prepare(db, &st, "SELECT provider_id, number, state "
	    "FROM credentials WHERE kind = 'state_license' AND "
	    "status = 'active'", e))
		return e->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!by_id(r, sqlite3_column_int64(st, 0), &at))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			if ((nt = ctp_realloc(t, cap * sizeof(*t))) == NULL)
				goto nomem;
			t = nt;
		}
		t[n].at = at;
		if ((t[n].l.number = keep_col(r, st, 1)) == NULL ||
		    (t[n].l.state = keep_col(r, st, 2)) == NULL)
			goto nomem;
		n++;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE) {
		free(t);
		return ctp_db_err(db, rc, "credentials", e);
	}
	if ((r->lic = ctp_calloc(n + 1, sizeof(*r->lic))) == NULL ||
	    (pos = ctp_calloc(r->n + 1, sizeof(*pos))) == NULL)
		goto nomem;
	for (i = 0; i < n; i++)
		r->e[t[i].at].p.nlicenses++;
	for (i = 0, at = 0; i < r->n; i++) {
		pos[i] = at;
		r->e[i].p.licenses = r->lic + at;
		at += r->e[i].p.nlicenses;
	}
	for (i = 0; i < n; i++)
		r->lic[pos[t[i].at]++] = t[i].l;
	free(t);
	free(pos);
	return 0;
nomem:
	sqlite3_finalize(st);
	free(t);
	free(pos);
	return ctp_err_nomem(e, "roster");
}

/* Every provider, their active state licenses and open flags. */
int
ctp_npi_roster_load(sqlite3 *db, struct ctp_npi_roster *r, struct ctp_error *e)
{
	sqlite3_stmt *st;
	size_t i;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = load_providers(db, r, e)) != 0 ||
	    (rc = load_licenses(db, r, e)) != 0)
		return rc;
	if (ctp_db_prepare(db, &st, "SELECT DISTINCT provider_id FROM "
	    "npi_mismatches WHERE status = 'open'", e))
		return e->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (by_id(r, sqlite3_column_int64(st, 0), &i))
			r->e[i].open = 1;
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "mismatches", e);
	return 0;
}

/*
 * The NPIs the reader looks for, sorted: the listed ones, or every NPI on
 * the roster (read from the NPI index alone, before the roster itself).
 */
int
ctp_npi_roster_keys(sqlite3 *db, const char *const *npis, size_t nnpis,
    uint64_t **out, size_t *nout, struct ctp_error *e)
{
	sqlite3_stmt *st;
	uint64_t *k = NULL, *nk;
	size_t n = 0, cap = 0, i;
	int rc, in_order = 1;

	*out = NULL;
	*nout = 0;
	if (npis != NULL) {
		if ((k = ctp_calloc(nnpis + 1, sizeof(*k))) == NULL)
			return ctp_err_nomem(e, "roster");
		for (i = 0; i < nnpis; i++)
			if (ctp_npi_key(npis[i], &k[n]))
				n++;
	} else {
		/* Read in NPI order, the index's. */
		if (ctp_db_prepare(db, &st, "SELECT npi FROM providers", e)) {
			free(k);
			return e->code;
		}
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			uint64_t v;

			if (!ctp_npi_key(ctp_col_text(st, 0), &v))
				continue;
			if (n > 0 && v < k[n - 1])
				in_order = 0;
			if (n == cap) {
				cap = cap ? cap * 2 : 1024;
				if ((nk = ctp_realloc(k, cap * sizeof(*k))) ==
				    NULL) {
					sqlite3_finalize(st);
					free(k);
					return ctp_err_nomem(e, "roster");
				}
				k = nk;
			}
			k[n++] = v;
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) {
			free(k);
			return ctp_db_err(db, rc, "roster", e);
		}
	}
	if (n > 0 && (!in_order || npis != NULL))
		qsort(k, n, sizeof(*k), cmp_u64);
	*out = k;
	*nout = n;
	return 0;
}
