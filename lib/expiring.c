#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "credential.h"
#include "date.h"
#include "db.h"
#include "expiring.h"
#include "mem.h"
#include "org.h"
#include "validate.h"

/* Bit i of the kind mask is kind_names[i]. */
static const char *const kind_names[] = {
	"state_license", "dea", "cds", "board_cert", "malpractice", "cme",
	"hospital_privileges", "recred", "caqh", "missing"
};
#define NKINDS (sizeof(kind_names) / sizeof(kind_names[0]))
#define CRED_KINDS (CTP_EXP_RECRED - 1u)
#define ALL_KINDS ((CTP_EXP_MISSING << 1) - 1u)

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

/* A hint that memory will be read soon; nothing where there is none. */
#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/*
 * A provider of some organization; rank orders them by name (key: "Last,
 * First Middle Suffix").  Kept in the list's storage with its strings
 * right after it, so that a row of the listing finds the person and its
 * strings in one place.
 */
struct ctp_exp_person {
	const char *org, *npi, *key, *last, *first, *coordinator;
	size_t rank;
	long as_of;		/* the organization's as_of */
};

unsigned
ctp_expiring_kind(const char *name)
{
	size_t i;

	if (name == NULL || *name == '\0')
		return 0;
	for (i = 0; i < NKINDS; i++)
		if (*name == *kind_names[i] && strcmp(name, kind_names[i]) == 0)
			return 1u << i;
	/* The credential kind of an attestation record is the CAQH item. */
	if (strcmp(name, "caqh_attestation") == 0)
		return CTP_EXP_CAQH;
	return 0;
}

const char *
ctp_expiring_kind_names(void)
{
	return "state_license, dea, cds, board_cert, malpractice, cme, "
	    "hospital_privileges, recred, caqh, missing";
}

int
ctp_expiring_bucket_at(long days_left, const long *thr, int n)
{
	int i, best = n;

	if (days_left < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (thr[i] >= days_left && (best == n || thr[i] < thr[best]))
			best = i;
	return best;
}

const char *
ctp_expiring_bucket(long days_left, const long *thr, int n,
    char out[CTP_EXP_BUCKET_LEN])
{
	int i = ctp_expiring_bucket_at(days_left, thr, n);

	if (i < 0)
		snprintf(out, CTP_EXP_BUCKET_LEN, "overdue");
	else if (i == n)
		snprintf(out, CTP_EXP_BUCKET_LEN, "later");
	else
		snprintf(out, CTP_EXP_BUCKET_LEN, "%ld", thr[i]);
	return out;
}

int
ctp_expiring_listed(const struct ctp_exp_rules *r, long due)
{
	return due == CTP_EXP_NODATE || due - r->as_of <= r->hi;
}

long
ctp_expiring_recred_due(long last, long months)
{
	return ctp_date_add_months(last, (int)months);
}

/* A bounded string builder for details: no printf in the hot loop. */
struct sb {
	char *p, *end;
};

static void
sb_putn(struct sb *b, const char *s, size_t n)
{
	if (n > (size_t)(b->end - b->p))
		n = (size_t)(b->end - b->p);
	memcpy(b->p, s, n);
	b->p += n;
	*b->p = '\0';
}

static void
sb_puts(struct sb *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

static void
sb_long(struct sb *b, long v)
{
	char tmp[24], *q = tmp + sizeof(tmp);
	unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;

	*--q = '\0';
	do
		*--q = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--q = '-';
	sb_puts(b, q);
}

static void
sb_date(struct sb *b, long days)
{
	char d[CTP_DATE_LEN];
	int y, m, dd;

	ctp_date_to_ymd(days, &y, &m, &dd);
	d[0] = (char)('0' + y / 1000 % 10);
	d[1] = (char)('0' + y / 100 % 10);
	d[2] = (char)('0' + y / 10 % 10);
	d[3] = (char)('0' + y % 10);
	d[4] = '-';
	d[5] = (char)('0' + m / 10);
	d[6] = (char)('0' + m % 10);
	d[7] = '-';
	d[8] = (char)('0' + dd / 10);
	d[9] = (char)('0' + dd % 10);
	d[10] = '\0';
	sb_puts(b, d);
}

static void
sb_init(struct sb *b, char *buf, size_t n)
{
	b->p = buf;
	b->end = buf + n - 1;
	*buf = '\0';
}


#define NO_RECRED_DATE "no initial or re-credentialing date"

static void
due_init(struct ctp_exp_due *d, struct sb *b)
{
	d->due = CTP_EXP_NODATE;
	d->bucket = NULL;
	d->bad = 0;
	d->len = 0;
	sb_init(b, d->detail, sizeof(d->detail));
}

int
ctp_expiring_recred(const struct ctp_exp_rules *r, const char *initial,
    const char *last, struct ctp_exp_due *d)
{
	const char *s = last, *what = "recredentialed ";
	struct sb b;
	long from;

	due_init(d, &b);
	if (*s == '\0') {
		s = initial;
		what = "initial ";
	}
	/* Never credentialed, as far as the roster knows: due, no date. */
	if (*s == '\0') {
		sb_puts(&b, NO_RECRED_DATE);
		d->bucket = "unknown";
		d->len = (size_t)(b.p - d->detail);
		return 1;
	}
	if (ctp_date_parse(s, &from) < 0) {
		d->bad = 1;
		return 0;
	}
	d->due = ctp_expiring_recred_due(from, r->months);
	if (!ctp_expiring_listed(r, d->due))
		return 0;
	sb_puts(&b, what);
	sb_date(&b, from);
	sb_puts(&b, " + ");
	sb_long(&b, r->months);
	sb_puts(&b, " months");
	d->len = (size_t)(b.p - d->detail);
	return 1;
}

int
ctp_expiring_caqh(const struct ctp_exp_rules *r, const char *caqh_id,
    const char *attested, long record, struct ctp_exp_due *d)
{
	struct sb b;
	long from = 0;
	int have = *attested != '\0';

	due_init(d, &b);
	if (have && ctp_date_parse(attested, &from) < 0) {
		d->bad = 1;
		have = 0;
	}
	if (have)
		d->due = from + r->attest;
	/* A later attestation record wins. */
	if (record != CTP_EXP_NODATE && (!have || record > d->due)) {
		d->due = record;
		have = 2;
	}
	if (!have || !ctp_expiring_listed(r, d->due))
		return 0;
	sb_puts(&b, "CAQH");
	if (*caqh_id) {
		sb_puts(&b, " ");
		sb_puts(&b, caqh_id);
	}
	if (have == 2)
		sb_puts(&b, " attestation record");
	else {
		sb_puts(&b, " attested ");
		sb_date(&b, from);
		sb_puts(&b, " + ");
		sb_long(&b, r->attest);
		sb_puts(&b, " days");
	}
	d->len = (size_t)(b.p - d->detail);
	return 1;
}

void
ctp_expiring_credential(const char *kind, const char *state,
    const char *number, const char *issuer, long expires,
    struct ctp_exp_due *d)
{
	struct sb b;

	due_init(d, &b);
	d->due = expires;
	if (*state) {
		sb_puts(&b, state);
		sb_putn(&b, " ", 1);
	}
	sb_puts(&b, kind);
	if (*number) {
		sb_putn(&b, " ", 1);
		sb_puts(&b, number);
	} else if (issuer != NULL && *issuer) {
		sb_putn(&b, " ", 1);
		sb_puts(&b, issuer);
	}
	d->len = (size_t)(b.p - d->detail);
}

unsigned
ctp_expiring_roster_holds(const char *caqh_attested)
{
	static unsigned caqh;	/* the same for every provider: found once */

	if (*caqh_attested == '\0')
		return 0;
	if (caqh == 0)
		caqh = ctp_kind_bit("caqh_attestation");
	return caqh;
}

void
ctp_expiring_missing(const char *kind, const char *type,
    struct ctp_exp_due *d)
{
	struct sb b;

	due_init(d, &b);
	sb_puts(&b, kind);
	sb_puts(&b, " required for ");
	sb_puts(&b, type);
	d->bucket = "missing";
	d->len = (size_t)(b.p - d->detail);
}

size_t
ctp_expiring_name_key(const char *last, const char *first,
    const char *middle, const char *suffix, char *out, size_t n)
{
	struct sb b;

	sb_init(&b, out, n);
	sb_puts(&b, last);
	sb_puts(&b, ", ");
	sb_puts(&b, first);
	if (*middle) {
		sb_puts(&b, " ");
		sb_puts(&b, middle);
	}
	if (*suffix) {
		sb_puts(&b, " ");
		sb_puts(&b, suffix);
	}
	return (size_t)(b.p - out);
}

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

/* n bytes of l's storage, aligned to align (a power of two); NULL: no memory. */
static char *
reserve(struct ctp_exp_list *l, size_t n, size_t align)
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
static const char *
keepn(struct ctp_exp_list *l, const char *s, size_t len)
{
	char *p;

	if ((p = reserve(l, len + 1, 1)) == NULL)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

static const char *
keep(struct ctp_exp_list *l, const char *s)
{
	return keepn(l, s, strlen(s));
}

static struct ctp_exp_item *
add_item(struct ctp_exp_list *l)
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

/* What one organization contributes, settled before its rows are read. */
struct org {
	const char *name;
	struct ctp_exp_rules rules;
	long within;
	long thr[CTP_EXP_MAX_THRESHOLDS];	/* as stored */
	const char *label[CTP_EXP_MAX_THRESHOLDS];	/* "120", "90", ... */
	int nthr;
	unsigned kinds;
	const char *coordinator;
};

/* The providers that count (active or pending), by id. */
struct prov {
	long long id;
	struct ctp_exp_person *who;
	const char *type;	/* provider type, in the list's storage */
	unsigned need, held;	/* credential kinds (ctp_kind_bit) */
};

/* A provider type met, and what the organization requires of it. */
struct ptype {
	const char *name;	/* in the list's storage */
	size_t len;
	unsigned need;
};

#define MAX_PTYPES 64	/* beyond: asked of the database each time */

struct roster {
	struct prov *v;
	size_t n, cap;
	/* When ids are dense: map[id - base] is the person, NULL for none. */
	struct ctp_exp_person **map;
	long long base;
	size_t nmap;
	struct ptype types[MAX_PTYPES];
	int ntypes;
};

/* Add the item d of who's, of this kind, in its bucket; 0 or -1 (memory). */
static int
emit(struct ctp_exp_list *l, const struct org *o,
    const struct ctp_exp_person *who, unsigned kind,
    const struct ctp_exp_due *d)
{
	struct ctp_exp_item *it;
	int i;

	if ((it = add_item(l)) == NULL)
		return -1;
	it->who = who;
	it->kind = (unsigned char)kind;
	if ((it->detail = keepn(l, d->detail, d->len)) == NULL) {
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

/* The bit number of a kind bit: its index in kind_names. */
static unsigned
kind_index(unsigned bit)
{
	unsigned i;

	for (i = 0; i < NKINDS; i++)
		if (bit == 1u << i)
			return i;
	return 0;
}

#define RECRED_INDEX 7	/* kind_names[7] is "recred" */
#define CAQH_INDEX 8	/* kind_names[8] is "caqh" */
#define MISSING_INDEX 9	/* kind_names[9] is "missing" */

/* Index the roster by id when the ids are dense enough for an array. */
static void
map_roster(struct roster *r)
{
	long long lo, hi;
	size_t i;

	if (r->n == 0)
		return;
	lo = r->v[0].id;
	hi = r->v[r->n - 1].id;
	if (hi - lo >= (long long)(4 * r->n + 4096))
		return;
	r->nmap = (size_t)(hi - lo + 1);
	if ((r->map = ctp_calloc(r->nmap, sizeof(*r->map))) == NULL) {
		r->nmap = 0;
		return;		/* binary search it is */
	}
	r->base = lo;
	for (i = 0; i < r->n; i++)
		r->map[r->v[i].id - lo] = r->v[i].who;
}

/* The provider of id, by binary search; NULL: none. */
static struct prov *
find_slot(const struct roster *r, long long id)
{
	size_t lo = 0, hi = r->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (r->v[mid].id < id)
			lo = mid + 1;
		else if (r->v[mid].id > id)
			hi = mid;
		else
			return &r->v[mid];
	}
	return NULL;
}

/* The person of provider id; NULL: none. */
static const struct ctp_exp_person *
find_prov(const struct roster *r, long long id)
{
	const struct prov *w;

	if (r->map != NULL) {
		if (id < r->base || id - r->base >= (long long)r->nmap)
			return NULL;
		return r->map[id - r->base];
	}
	w = find_slot(r, id);
	return w ? w->who : NULL;
}

/*
 * Credential expirations: one range scan of the credentials_due index,
 * which holds every column read here, so no table row is visited.  The
 * provider comes from the roster already in memory.
 */
/*
 * Where credentials() puts an item: into the list (emit), or into a
 * streaming merge.  iso: the expiration was stored as YYYY-MM-DD, in
 * date order with the rows before it.  Returns 0, or -1 to stop the scan
 * (e set, or out of memory).
 */
typedef int (*sink_fn)(void *arg, struct ctp_exp_list *l, const struct org *o,
    const struct ctp_exp_person *who, unsigned kind,
    const struct ctp_exp_due *d, int iso);

static int
emit_sink(void *arg, struct ctp_exp_list *l, const struct org *o,
    const struct ctp_exp_person *who, unsigned kind,
    const struct ctp_exp_due *d, int iso)
{
	(void)arg;
	(void)iso;
	return emit(l, o, who, kind, d);
}

/* A stored date in the form whose text order is date order. */
static int
iso_shape(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	return n == 10 && u[4] == '-' && u[7] == '-' &&
	    (unsigned)(u[0] - '0') <= 9 && (unsigned)(u[1] - '0') <= 9 &&
	    (unsigned)(u[2] - '0') <= 9 && (unsigned)(u[3] - '0') <= 9 &&
	    (unsigned)(u[5] - '0') <= 9 && (unsigned)(u[6] - '0') <= 9 &&
	    (unsigned)(u[8] - '0') <= 9 && (unsigned)(u[9] - '0') <= 9;
}

static int
credentials(struct ctp_ctx *c, const struct org *o, const struct roster *r,
    struct ctp_exp_list *l, sink_fn put, void *arg, struct ctp_error *e)
{
	char hi[CTP_DATE_LEN], lastdate[16];
	sqlite3_stmt *st, *iss = NULL;
	const struct ctp_exp_person *who;
	const char *number, *issuer, *t;
	struct ctp_exp_due d;
	unsigned bit, ki;
	size_t n, daten = SIZE_MAX;
	long due = 0;
	int rc, datebad = 0, iso = 1, prc;

	if (ctp_db_prepare(c->db, &st, "SELECT provider_id, kind, state,"
	    " number, expires, id FROM credentials"
	    " WHERE status = 'active' AND expires <= ?1"
	    " AND kind <> 'caqh_attestation'", e))
		return e->code;
	/* Without a number, the issuer says which one (a board, a carrier). */
	if (ctp_db_prepare(c->db, &iss, "SELECT issuer FROM credentials"
	    " WHERE id = ?1", e)) {
		sqlite3_finalize(st);
		return e->code;
	}
	/* Stored dates are ISO, so text order is date order. */
	ctp_date_format(o->rules.as_of + o->rules.hi, hi);
	ctp_bind_text(st, 1, hi);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		bit = ctp_expiring_kind(ctp_col_text(st, 1));
		if (!(bit & o->kinds))
			continue;
		if ((who = find_prov(r, sqlite3_column_int64(st, 0))) == NULL)
			continue;
		t = (const char *)sqlite3_column_text(st, 4);
		n = (size_t)sqlite3_column_bytes(st, 4);
		/* An empty expiration is none (a lifetime board, say). */
		if (t == NULL || *t == '\0')
			continue;
		/* Rows come in date order: each date is read once. */
		if (n != daten || memcmp(t, lastdate, n) != 0) {
			datebad = ctp_date_parse(t, &due) < 0;
			iso = iso_shape(t, n);
			daten = n < sizeof(lastdate) ? n : SIZE_MAX;
			if (daten != SIZE_MAX)
				memcpy(lastdate, t, n);
		}
		if (datebad) {
			l->bad_dates++;
			continue;
		}
		if (!ctp_expiring_listed(&o->rules, due))
			continue;
		ki = kind_index(bit);
		number = ctp_col_text(st, 3);
		issuer = NULL;
		if (*number == '\0') {
			sqlite3_reset(iss);
			sqlite3_bind_int64(iss, 1, sqlite3_column_int64(st, 5));
			if (sqlite3_step(iss) == SQLITE_ROW)
				issuer = ctp_col_text(iss, 0);
		}
		ctp_expiring_credential(kind_names[ki], ctp_col_text(st, 2),
		    number, issuer, due, &d);
		if ((prc = put(arg, l, o, who, ki, &d, iso)) != 0) {
			sqlite3_finalize(st);
			sqlite3_finalize(iss);
			if (e->code == 0)
				ctp_err_nomem(e, "expiring");
			return e->code;
		}
	}
	sqlite3_finalize(st);
	sqlite3_finalize(iss);
	if (rc != SQLITE_DONE)
		return ctp_db_err(c->db, rc, c->path, e);
	return 0;
}

/* Latest active CAQH attestation record per provider, by provider id. */
struct attest {
	long long id;
	long due;
};

static int
attestations(struct ctp_ctx *c, struct ctp_exp_list *l, struct attest **out,
    size_t *n, struct ctp_error *e)
{
	sqlite3_stmt *st;
	struct attest *v = NULL, *p;
	size_t cap = 0;
	long due;
	int rc;

	*out = NULL;
	*n = 0;
	if (ctp_db_prepare(c->db, &st, "SELECT provider_id, max(expires)"
	    " FROM credentials WHERE kind = 'caqh_attestation'"
	    " AND status = 'active' AND expires IS NOT NULL"
	    " GROUP BY provider_id ORDER BY provider_id", e))
		return e->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (ctp_date_parse(ctp_col_text(st, 1), &due) < 0) {
			l->bad_dates++;
			continue;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((p = ctp_realloc(v, cap * sizeof(*v))) == NULL) {
				free(v);
				sqlite3_finalize(st);
				return ctp_err_nomem(e, "expiring");
			}
			v = p;
		}
		v[*n].id = sqlite3_column_int64(st, 0);
		v[(*n)++].due = due;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(v);
		return ctp_db_err(c->db, rc, c->path, e);
	}
	*out = v;
	return 0;
}

/*
 * The record of provider id: providers are read in id order, so *at only
 * moves forward over v.
 */
static const struct attest *
find_attest(const struct attest *v, size_t n, size_t *at, long long id)
{
	while (*at < n && v[*at].id < id)
		(*at)++;
	return *at < n && v[*at].id == id ? &v[*at] : NULL;
}

static struct prov *
add_prov(struct roster *r, struct ctp_exp_list *l, const struct org *o,
    sqlite3_stmt *st)
{
	struct ctp_exp_person *pp, **ppv;
	struct prov *v, *w;
	char name[512], *q;
	const char *npi, *coord, *last, *first;
	size_t cap, nn, nm, nc, nl, nf;

	if (r->n == r->cap) {
		cap = r->cap ? r->cap * 2 : 256;
		if ((v = ctp_realloc(r->v, cap * sizeof(*v))) == NULL)
			return NULL;
		r->v = v;
		r->cap = cap;
	}
	last = ctp_col_text(st, 2);
	first = ctp_col_text(st, 3);
	nm = ctp_expiring_name_key(last, first, ctp_col_text(st, 4),
	    ctp_col_text(st, 5), name, sizeof(name)) + 1;
	if (l->npeople == l->cappeople) {
		cap = l->cappeople ? l->cappeople * 2 : 256;
		if ((ppv = ctp_realloc(l->people, cap * sizeof(*ppv))) == NULL)
			return NULL;
		l->people = ppv;
		l->cappeople = cap;
	}
	/* The person, then its npi, key, last, first and coordinator. */
	npi = ctp_col_text(st, 1);
	coord = ctp_col_text(st, 6);
	nn = strlen(npi) + 1;
	nl = (size_t)sqlite3_column_bytes(st, 2) + 1;
	nf = (size_t)sqlite3_column_bytes(st, 3) + 1;
	nc = strlen(coord) + 1;
	if ((q = reserve(l, sizeof(*pp) + nn + nm + nl + nf + nc,
	    _Alignof(struct ctp_exp_person))) == NULL)
		return NULL;
	pp = (struct ctp_exp_person *)(void *)q;
	q += sizeof(*pp);
	pp->npi = memcpy(q, npi, nn);
	q += nn;
	pp->key = memcpy(q, name, nm);
	q += nm;
	pp->last = memcpy(q, last, nl);
	q += nl;
	pp->first = memcpy(q, first, nf);
	q += nf;
	pp->coordinator = memcpy(q, coord, nc);
	pp->org = o->name;
	pp->rank = 0;
	pp->as_of = o->rules.as_of;
	l->people[l->npeople++] = pp;
	w = &r->v[r->n++];
	w->id = sqlite3_column_int64(st, 0);
	w->who = pp;
	w->type = NULL;
	w->need = w->held = 0;
	return w;
}

static int
recred(struct ctp_exp_list *l, const struct org *o, const struct prov *w,
    sqlite3_stmt *st)
{
	struct ctp_exp_due d;
	int listed;

	listed = ctp_expiring_recred(&o->rules, ctp_col_text(st, 9),
	    ctp_col_text(st, 10), &d);
	l->bad_dates += d.bad;
	return listed ? emit(l, o, w->who, RECRED_INDEX, &d) : 0;
}

static int
caqh(struct ctp_exp_list *l, const struct org *o, const struct prov *w,
    sqlite3_stmt *st, const struct attest *att, size_t natt, size_t *at)
{
	const struct attest *a = find_attest(att, natt, at, w->id);
	struct ctp_exp_due d;
	int listed;

	listed = ctp_expiring_caqh(&o->rules, ctp_col_text(st, 7),
	    ctp_col_text(st, 8), a ? a->due : CTP_EXP_NODATE, &d);
	l->bad_dates += d.bad;
	return listed ? emit(l, o, w->who, CAQH_INDEX, &d) : 0;
}

/*
 * What the organization requires of provider type t (n bytes) into w:
 * each type is asked of the database once (a few dozen at most).
 */
static int
requires(struct ctp_ctx *c, struct roster *r, struct ctp_exp_list *l,
    struct prov *w, const char *t, size_t n, struct ctp_error *e)
{
	struct ptype *p;
	unsigned need;
	int i, rc;

	for (i = 0; i < r->ntypes; i++) {
		p = &r->types[i];
		if (p->len == n && memcmp(p->name, t, n) == 0) {
			w->type = p->name;
			w->need = p->need;
			return 0;
		}
	}
	if ((rc = ctp_required_kinds(c->db, t, &need, e)) != 0)
		return rc;
	if ((w->type = keepn(l, t, n)) == NULL)
		return ctp_err_nomem(e, "expiring");
	w->need = need;
	if (r->ntypes < MAX_PTYPES) {
		p = &r->types[r->ntypes++];
		p->name = w->type;
		p->len = n;
		p->need = need;
	}
	return 0;
}

/*
 * Read the providers that count into r and list their re-credentialing
 * and CAQH items.  Every provider row is read: 100,000 take tens of
 * milliseconds, and a due date 36 months on with the day clamped is no
 * SQL expression an index could hold.
 */
static int
providers(struct ctp_ctx *c, const struct org *o, struct roster *r,
    struct ctp_exp_list *l, struct ctp_error *e)
{
	static const char base[] =
	    "SELECT id, npi, last_name, first_name, middle_name, suffix,"
	    " coordinator, caqh_id, caqh_attested, initial_cred_date,"
	    " last_recred_date, provider_type FROM providers"
	    " WHERE status IN ('active', 'pending')";
	static const char mine[] = " AND coordinator = ?1";
	static const char order[] = " ORDER BY id";
	char sql[sizeof(base) + sizeof(mine) + sizeof(order)];
	sqlite3_stmt *st;
	struct attest *att = NULL;
	size_t natt = 0, at = 0;
	struct prov *w;
	int rc;

	if ((o->kinds & CTP_EXP_CAQH) &&
	    (rc = attestations(c, l, &att, &natt, e)) != 0)
		return rc;
	snprintf(sql, sizeof(sql), "%s%s%s", base, o->coordinator ? mine : "",
	    order);
	if (ctp_db_prepare(c->db, &st, sql, e)) {
		free(att);
		return e->code;
	}
	if (o->coordinator)
		ctp_bind_text(st, 1, o->coordinator);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((w = add_prov(r, l, o, st)) == NULL)
			goto nomem;
		if (o->kinds & CTP_EXP_MISSING) {
			if ((rc = requires(c, r, l, w, ctp_col_text(st, 11),
			    (size_t)sqlite3_column_bytes(st, 11), e)) != 0) {
				sqlite3_finalize(st);
				free(att);
				return rc;
			}
			w->held = ctp_expiring_roster_holds(
			    ctp_col_text(st, 8));
		}
		if ((o->kinds & CTP_EXP_RECRED) && recred(l, o, w, st) < 0)
			goto nomem;
		if ((o->kinds & CTP_EXP_CAQH) &&
		    caqh(l, o, w, st, att, natt, &at) < 0)
			goto nomem;
	}
	sqlite3_finalize(st);
	free(att);
	if (rc != SQLITE_DONE)
		return ctp_db_err(c->db, rc, c->path, e);
	return 0;
nomem:
	sqlite3_finalize(st);
	free(att);
	return ctp_err_nomem(e, "expiring");
}

/*
 * What the providers hold, marked by the aggregate ctp_held(provider_id,
 * kind) as SQLite reads each active credential: a callback per row costs
 * a third less than a row handed back through sqlite3_step, and a
 * million credentials are read.  The credentials come in date order,
 * their providers at random, so when the ids are dense each provider's
 * kinds go in one byte per id (100 kB for 100,000 providers, in the
 * processor's cache), not in the roster's far larger records.
 */
struct held {
	struct roster *r;
	unsigned char *mark;	/* mark[id - r->base]; NULL: the records */
	size_t len[32];		/* strlen of each credential kind */
	int nkinds;
};

static void
held_step(sqlite3_context *cx, int argc, sqlite3_value **v)
{
	struct held *h = sqlite3_user_data(cx);
	long long id = sqlite3_value_int64(v[0]);
	const char *t = (const char *)sqlite3_value_text(v[1]);
	size_t n = (size_t)sqlite3_value_bytes(v[1]);
	struct prov *w;
	unsigned bit = 0;
	int i;

	(void)argc;
	if (t == NULL)
		return;
	for (i = 0; i < h->nkinds; i++)
		if (h->len[i] == n && *t == *ctp_credential_kinds[i] &&
		    memcmp(ctp_credential_kinds[i], t, n) == 0) {
			bit = 1u << i;
			break;
		}
	if (bit == 0)
		return;
	if (h->mark != NULL && bit <= 0xff) {
		if (id >= h->r->base && id - h->r->base < (long long)h->r->nmap)
			h->mark[id - h->r->base] |= (unsigned char)bit;
	} else if ((w = find_slot(h->r, id)) != NULL)
		w->held |= bit;
}

static void
held_final(sqlite3_context *cx)
{
	sqlite3_result_null(cx);
}

/* Mark in r what each provider holds; 0 or e->code. */
static int
read_held(struct ctp_ctx *c, struct roster *r, struct ctp_error *e)
{
	sqlite3_stmt *st = NULL;
	struct held h;
	size_t i;
	int rc;

	memset(&h, 0, sizeof(h));
	h.r = r;
	for (; ctp_credential_kinds[h.nkinds] && h.nkinds < 32; h.nkinds++)
		h.len[h.nkinds] = strlen(ctp_credential_kinds[h.nkinds]);
	if (r->map != NULL && (h.mark = ctp_calloc(r->nmap, 1)) == NULL)
		return ctp_err_nomem(e, "expiring");
	/* Only for this statement: h lives on this stack. */
	if ((rc = sqlite3_create_function_v2(c->db, "ctp_held", 2,
	    SQLITE_UTF8 | SQLITE_DIRECTONLY, &h, NULL, held_step, held_final,
	    NULL)) != SQLITE_OK) {
		free(h.mark);
		return ctp_db_err(c->db, rc, c->path, e);
	}
	if ((rc = ctp_db_prepare(c->db, &st, "SELECT ctp_held(provider_id,"
	    " kind) FROM credentials WHERE status = 'active'", e)) == 0) {
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			;
		rc = rc == SQLITE_DONE ? 0 : ctp_db_err(c->db, rc, c->path, e);
	}
	sqlite3_finalize(st);
	sqlite3_create_function_v2(c->db, "ctp_held", 2, SQLITE_UTF8 |
	    SQLITE_DIRECTONLY, NULL, NULL, NULL, NULL, NULL);
	if (rc == 0 && h.mark != NULL)
		for (i = 0; i < r->n; i++)
			r->v[i].held |= h.mark[r->v[i].id - r->base];
	free(h.mark);
	return rc;
}

/*
 * A missing item for each kind a provider's type requires that the
 * provider holds no active credential of.  A credential that has
 * expired is held: the inbox lists it as overdue, not as missing.
 */
static int
missing(struct ctp_ctx *c, const struct org *o, struct roster *r,
    struct ctp_exp_list *l, struct ctp_error *e)
{
	struct ctp_exp_due d;
	struct prov *w;
	unsigned gap;
	size_t i, k;
	int rc;

	if ((rc = read_held(c, r, e)) != 0)
		return rc;
	for (i = 0; i < r->n; i++) {
		w = &r->v[i];
		if ((gap = w->need & ~w->held) == 0)
			continue;
		for (k = 0; ctp_credential_kinds[k]; k++) {
			if (!(gap & (1u << k)))
				continue;
			ctp_expiring_missing(ctp_credential_kinds[k], w->type,
			    &d);
			if (emit(l, o, w->who, MISSING_INDEX, &d) < 0)
				return ctp_err_nomem(e, "expiring");
		}
	}
	return 0;
}

/*
 * Read c's providers that count into r, list their re-credentialing,
 * CAQH and missing items in l, and index r for the credentials.
 */
static int
roster_read(struct ctp_ctx *c, const struct org *o, struct roster *r,
    struct ctp_exp_list *l, struct ctp_error *e)
{
	int rc;

	if ((rc = providers(c, o, r, l, e)) != 0)
		return rc;
	map_roster(r);
	if (o->kinds & CTP_EXP_MISSING)
		return missing(c, o, r, l, e);
	return 0;
}

static void
roster_free(struct roster *r)
{
	free(r->v);
	free(r->map);
}

static int
settle(struct ctp_ctx *c, const struct ctp_exp_query *q, struct org *o,
    struct ctp_exp_list *l, struct ctp_error *e)
{
	char *name = NULL, num[24];
	const char *base;
	int i, rc;

	memset(o, 0, sizeof(*o));
	if ((rc = ctp_org_get(c->db, "name", &name, e)) != 0)
		return rc;
	if (*name == '\0') {
		/* An unnamed organization goes by its file name. */
		base = strrchr(c->path, '/');
		o->name = keep(l, base ? base + 1 : c->path);
	} else
		o->name = keep(l, name);
	free(name);
	if (o->name == NULL)
		return ctp_err_nomem(e, "expiring");
	if ((rc = ctp_org_get_long(c->db, "recred_months", &o->rules.months,
	    e)) || (rc = ctp_org_get_long(c->db, "caqh_attest_days",
	    &o->rules.attest, e)))
		return rc;
	o->nthr = ctp_org_thresholds(c->db, o->thr, CTP_EXP_MAX_THRESHOLDS,
	    e);
	if (o->nthr < 0)
		return e->code;
	if (o->nthr == 0)
		return ctp_errf(e, CTP_DATAERR, "settings",
		    "inbox_thresholds: no thresholds");
	for (i = 0; i < o->nthr; i++) {
		snprintf(num, sizeof(num), "%ld", o->thr[i]);
		if ((o->label[i] = keep(l, num)) == NULL)
			return ctp_err_nomem(e, "expiring");
	}
	if (q->as_of != CTP_EXP_TODAY)
		o->rules.as_of = q->as_of;
	else if ((rc = ctp_org_today(c->db, &o->rules.as_of, e)) != 0)
		return rc;
	/* Stored largest first. */
	o->within = q->within >= 0 ? q->within : o->thr[0];
	o->rules.hi = q->overdue ? -1 : o->within;
	o->kinds = q->kinds ? q->kinds & ALL_KINDS : ALL_KINDS;
	o->coordinator = q->coordinator;
	return 0;
}

static int
audit_read(struct ctp_ctx *c, const struct org *o, long long items,
    struct ctp_error *e)
{
	char asof[CTP_DATE_LEN], kinds[256] = "";
	json_t *d;
	size_t i;
	int rc;

	ctp_date_format(o->rules.as_of, asof);
	for (i = 0; i < NKINDS; i++)
		if (o->kinds != ALL_KINDS && (o->kinds & (1u << i))) {
			if (*kinds)
				strcat(kinds, ",");
			strcat(kinds, kind_names[i]);
		}
	d = json_pack("{s:s, s:I, s:b, s:s?, s:s?, s:I}", "as_of", asof,
	    "within", (json_int_t)o->within, "overdue", o->rules.hi < 0,
	    "kinds", *kinds ? kinds : NULL, "coordinator", o->coordinator,
	    "items", (json_int_t)items);
	if (d == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(c, "expiring.read", "expiring", "", d, e);
	json_decref(d);
	return rc;
}

int
ctp_expiring_collect(struct ctp_ctx *c, const struct ctp_exp_query *q,
    struct ctp_exp_list *l, struct ctp_error *e)
{
	struct org o;
	struct roster r = { 0 };
	size_t before = l->n;
	int rc;

	if ((rc = settle(c, q, &o, l, e)) != 0)
		return rc;
	if ((rc = roster_read(c, &o, &r, l, e)) != 0)
		goto fail;
	if ((o.kinds & CRED_KINDS) &&
	    (rc = credentials(c, &o, &r, l, emit_sink, NULL, e)) != 0)
		goto fail;
	if ((rc = audit_read(c, &o, (long long)(l->n - before), e)) != 0)
		goto fail;
	roster_free(&r);
	return 0;
fail:
	/* All or nothing per organization. */
	roster_free(&r);
	l->n = before;
	return rc;
}

static int
cmp_person(const void *pa, const void *pb)
{
	const struct ctp_exp_person *a = *(const struct ctp_exp_person *const *)pa;
	const struct ctp_exp_person *b = *(const struct ctp_exp_person *const *)pb;
	int r;

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
	    (r = strcmp(kind_names[a->kind], kind_names[b->kind])) != 0)
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
static int
order_items(const struct ctp_exp_item *v, size_t n, size_t *order)
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
	    order_items(l->v, l->n, l->order) < 0)
		return ctp_err_nomem(e, "sort");
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
	r->kind = kind_names[it->kind];
	r->detail = it->detail;
	r->due = it->due;
	r->days_left = it->due == CTP_EXP_NODATE ? 0 : it->due - p->as_of;
	r->bucket = it->bucket;
}

/*
 * The due date and days left written last: a listing in date order
 * formats each date once per organization (its as_of).
 */
struct rowdate {
	int have;
	long day, as_of;
	char due[CTP_DATE_LEN], left[24];
};

/* Write it as a row of o; 0 or e->code. */
static int
put_item(struct ctp_out *o, struct rowdate *d, const struct ctp_exp_item *it,
    struct ctp_error *e)
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
	row[5] = kind_names[it->kind];
	row[6] = it->detail;
	row[9] = it->bucket;
	return ctp_out_row(o, row, e);
}

int
ctp_expiring_write(const struct ctp_exp_list *l, struct ctp_out *o,
    struct ctp_error *e)
{
	struct rowdate d = { 0, 0, 0, "", "" };
	size_t i;
	int rc;

	for (i = 0; i < l->n; i++) {
		/* The person (and its strings) is read at random: ask ahead. */
		if (i + 8 < l->n)
			PREFETCH(l->v[l->order ? l->order[i + 8] : i + 8].who);
		if ((rc = put_item(o, &d, &l->v[l->order ? l->order[i] : i],
		    e)) != 0)
			return rc;
	}
	return 0;
}

/*
 * One organization listed as it is read.  The provider items (one or two
 * per provider) are gathered and sorted; the credentials come from the
 * credentials_due index already in date order, a day at a time, and each
 * day is sorted on its own and merged with the provider items while
 * writing.  Nothing of the listing is kept beyond the day at hand.
 */
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
	struct rowdate date;
	long long written;
};

static int
put_row(struct merge *m, const struct ctp_exp_item *it)
{
	m->written++;
	return put_item(m->out, &m->date, it, m->e);
}

/* Forget the day's items, keeping one chunk of storage for the next. */
static void
reset_day(struct ctp_exp_list *d)
{
	struct ctp_exp_chunk *k, *next;

	if (d->chunks != NULL) {
		for (k = d->chunks->next; k != NULL; k = next) {
			next = k->next;
			free(k);
		}
		d->chunks->next = NULL;
		d->chunks->used = 0;
	}
	d->n = 0;
}

/* Write what is due before dayno, then dayno's items; 0 or e->code. */
static int
flush_day(struct merge *m)
{
	const struct ctp_exp_list *l = m->l;
	struct ctp_exp_item *it;
	size_t *order, i;
	int rc;

	while (m->next < l->n && l->v[l->order[m->next]].due < m->dayno)
		if ((rc = put_row(m, &l->v[l->order[m->next++]])) != 0)
			return rc;
	while (m->next < l->n && l->v[l->order[m->next]].due == m->dayno) {
		if ((it = add_item(&m->day)) == NULL)
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
	if (order_items(m->day.v, m->day.n, m->order) < 0)
		return ctp_err_nomem(m->e, "expiring");
	for (i = 0; i < m->day.n; i++) {
		if (i + 8 < m->day.n)
			PREFETCH(m->day.v[m->order[i + 8]].who);
		if ((rc = put_row(m, &m->day.v[m->order[i]])) != 0)
			return rc;
	}
	reset_day(&m->day);
	return 0;
}

static int
stream_sink(void *arg, struct ctp_exp_list *l, const struct org *o,
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
	if (emit(&m->day, o, who, kind, d) < 0) {
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
dates_in_order(struct ctp_ctx *c, const struct org *o, struct ctp_error *e)
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
		if (!iso_shape(t, n) && ctp_date_parse(t, &day) == 0) {
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
	struct org o;
	struct roster r = { 0 };
	struct merge m;
	struct ctp_error ae;
	int rc, in_tx = 0;

	memset(&m, 0, sizeof(m));
	m.out = out;
	m.e = e;
	m.l = l;
	ctp_expiring_init(&m.day);
	if ((rc = settle(c, q, &o, l, e)) != 0)
		return rc;
	/* One snapshot: the check below holds for the rows read after it. */
	if ((rc = ctp_db_exec(c->db, "BEGIN", e)) != 0)
		return rc;
	in_tx = 1;
	if (o.kinds & CRED_KINDS) {
		if ((rc = dates_in_order(c, &o, e)) < 0) {
			rc = -rc;
			goto done;
		}
		if (rc == 0) {
			rc = -1;	/* nothing written: collect instead */
			goto done;
		}
	}
	if ((rc = roster_read(c, &o, &r, l, e)) != 0)
		goto done;
	if ((rc = ctp_expiring_sort(l, e)) != 0)
		goto done;
	if ((o.kinds & CRED_KINDS) &&
	    (rc = credentials(c, &o, &r, l, stream_sink, &m, e)) != 0)
		goto audit;
	if (m.have_day && (rc = flush_day(&m)) != 0)
		goto audit;
	while (m.next < l->n)
		if ((rc = put_row(&m, &l->v[l->order[m.next++]])) != 0)
			goto audit;
audit:
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
	    audit_read(c, &o, m.written, &ae) != 0 && rc == 0) {
		*e = ae;
		rc = e->code;
	}
done:
	if (in_tx)
		ctp_db_rollback(c->db);
	roster_free(&r);
	free(m.order);
	ctp_expiring_free(&m.day);
	return rc;
}
