/*
 * expiring_read.c - one organization read for the inbox: its settings,
 * the providers that count and their re-credentialing (with any open
 * cycle), CAQH, missing and enrollment items, the credentials due, and
 * the expiring.read audit event.  The
 * rules (expiring.c) make each item; the list (expiring_list.c) keeps it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "credential.h"
#include "date.h"
#include "db.h"
#include "expiring_int.h"
#include "mem.h"
#include "org.h"
#include "validate.h"

/*
 * Index the roster by id when the ids are dense enough for an array: a
 * million credentials look their provider up, and by binary search they
 * cost the inbox's benchmark 225 M more instructions (a tenth).
 */
static void
map_roster(struct ctp_exp_roster *r)
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
struct ctp_exp_prov *
ctp_exp_find_slot(const struct ctp_exp_roster *r, long long id)
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
const struct ctp_exp_person *
ctp_exp_find_person(const struct ctp_exp_roster *r, long long id)
{
	const struct ctp_exp_prov *w;

	if (r->map != NULL) {
		if (id < r->base || id - r->base >= (long long)r->nmap)
			return NULL;
		return r->map[id - r->base];
	}
	w = ctp_exp_find_slot(r, id);
	return w ? w->who : NULL;
}

static int
emit_sink(void *arg, struct ctp_exp_list *l, const struct ctp_exp_org *o,
    const struct ctp_exp_person *who, unsigned kind,
    const struct ctp_exp_due *d, int iso)
{
	(void)arg;
	(void)iso;
	return ctp_exp_emit(l, o, who, kind, d);
}

/* A stored date in the form whose text order is date order. */
int
ctp_exp_iso_shape(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	return n == 10 && u[4] == '-' && u[7] == '-' &&
	    (unsigned)(u[0] - '0') <= 9 && (unsigned)(u[1] - '0') <= 9 &&
	    (unsigned)(u[2] - '0') <= 9 && (unsigned)(u[3] - '0') <= 9 &&
	    (unsigned)(u[5] - '0') <= 9 && (unsigned)(u[6] - '0') <= 9 &&
	    (unsigned)(u[8] - '0') <= 9 && (unsigned)(u[9] - '0') <= 9;
}

/*
 * Credential expirations: one range scan of the credentials_due index,
 * which holds every column read here, so no table row is visited.  The
 * provider comes from the roster already in memory.
 */
int
ctp_exp_due_open(sqlite3 *db, const struct ctp_exp_org *o,
    struct ctp_exp_dueread *d, struct ctp_error *e)
{
	char hi[CTP_DATE_LEN];

	memset(d, 0, sizeof(*d));
	if (ctp_db_prepare(db, &d->st, "SELECT provider_id, kind, state,"
	    " number, expires, id FROM credentials"
	    " WHERE status = 'active' AND expires <= ?1"
	    " AND kind <> 'caqh_attestation'", e))
		return e->code;
	/* Without a number, the issuer says which one (a board, a carrier). */
	if (ctp_db_prepare(db, &d->iss, "SELECT issuer FROM credentials"
	    " WHERE id = ?1", e)) {
		ctp_exp_due_close(d);
		return e->code;
	}
	/* Stored dates are ISO, so text order is date order. */
	ctp_date_format(o->rules.as_of + o->rules.hi, hi);
	ctp_bind_text(d->st, 1, hi);
	return 0;
}

void
ctp_exp_due_close(struct ctp_exp_dueread *d)
{
	sqlite3_finalize(d->st);
	sqlite3_finalize(d->iss);
	d->st = d->iss = NULL;
}

int
ctp_exp_due_next(sqlite3 *db, const char *where, const struct ctp_exp_org *o,
    const struct ctp_exp_roster *r, struct ctp_exp_dueread *d,
    struct ctp_exp_crow *row, struct ctp_error *e)
{
	sqlite3_stmt *st = d->st;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row->bit = ctp_expiring_kind(ctp_col_text(st, 1));
		if (!(row->bit & o->kinds))
			continue;
		row->provider_id = sqlite3_column_int64(st, 0);
		if (r != NULL && ctp_exp_find_person(r, row->provider_id) ==
		    NULL)
			continue;
		row->expires = (const char *)sqlite3_column_text(st, 4);
		row->nexpires = (size_t)sqlite3_column_bytes(st, 4);
		/* An empty expiration is none (a lifetime board, say). */
		if (row->expires == NULL || *row->expires == '\0')
			continue;
		row->state = ctp_col_text(st, 2);
		row->number = ctp_col_text(st, 3);
		row->issuer = NULL;
		if (*row->number == '\0') {
			sqlite3_reset(d->iss);
			sqlite3_bind_int64(d->iss, 1, sqlite3_column_int64(st, 5));
			if (sqlite3_step(d->iss) == SQLITE_ROW)
				row->issuer = ctp_col_text(d->iss, 0);
		}
		return 1;
	}
	if (rc != SQLITE_DONE)
		return -ctp_db_err(db, rc, where, e);
	return 0;
}

int
ctp_exp_due_put(const struct ctp_exp_org *o, const struct ctp_exp_roster *r,
    struct ctp_exp_list *l, const struct ctp_exp_crow *row,
    struct ctp_exp_duestate *s, ctp_exp_sink_fn put, void *arg,
    struct ctp_error *e)
{
	const struct ctp_exp_person *who;
	struct ctp_exp_due d;
	size_t n = row->nexpires;
	unsigned ki;

	if ((who = ctp_exp_find_person(r, row->provider_id)) == NULL)
		return 0;
	/* Rows come in date order: each date is read once. */
	if (n != s->daten || memcmp(row->expires, s->lastdate, n) != 0) {
		s->datebad = ctp_date_parse(row->expires, &s->due) < 0;
		s->iso = ctp_exp_iso_shape(row->expires, n);
		s->daten = n < sizeof(s->lastdate) ? n : SIZE_MAX;
		if (s->daten != SIZE_MAX)
			memcpy(s->lastdate, row->expires, n);
	}
	if (s->datebad) {
		l->bad_dates++;
		return 0;
	}
	if (!ctp_expiring_listed(&o->rules, s->due))
		return 0;
	ki = ctp_exp_kind_index(row->bit);
	ctp_expiring_credential(ctp_exp_kind_names[ki], row->state,
	    row->number, row->issuer, s->due, &d);
	if (put(arg, l, o, who, ki, &d, s->iso) != 0) {
		if (e->code == 0)
			ctp_err_nomem(e, "expiring");
		return e->code;
	}
	return 0;
}

int
ctp_exp_credentials(struct ctp_ctx *c, const struct ctp_exp_org *o,
    const struct ctp_exp_roster *r, struct ctp_exp_list *l,
    ctp_exp_sink_fn put, void *arg, struct ctp_error *e)
{
	struct ctp_exp_dueread d;
	struct ctp_exp_duestate s = { .daten = SIZE_MAX, .iso = 1 };
	struct ctp_exp_crow row;
	int rc;

	if ((rc = ctp_exp_due_open(c->db, o, &d, e)) != 0)
		return rc;
	while ((rc = ctp_exp_due_next(c->db, c->path, o, r, &d, &row, e)) > 0)
		if ((rc = ctp_exp_due_put(o, r, l, &row, &s, put, arg, e)) != 0)
			break;
	ctp_exp_due_close(&d);
	return rc < 0 ? -rc : rc;
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

/*
 * The open re-credentialing cycles, by provider id: a handful of rows
 * read once, each with the count of its open requests.
 */
struct cycle {
	long long id;
	long opened, requests;
};

static int
open_cycles(struct ctp_ctx *c, struct ctp_exp_list *l, struct cycle **out,
    size_t *n, struct ctp_error *e)
{
	sqlite3_stmt *st;
	struct cycle *v = NULL, *p;
	size_t cap = 0;
	long opened;
	int rc;

	*out = NULL;
	*n = 0;
	if (ctp_db_prepare(c->db, &st, "SELECT y.provider_id, y.opened,"
	    " (SELECT count(*) FROM doc_requests r WHERE r.cycle_id = y.id"
	    " AND r.fulfilled IS NULL) FROM recred_cycles y"
	    " WHERE y.closed IS NULL ORDER BY y.provider_id", e))
		return e->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (ctp_date_parse(ctp_col_text(st, 1), &opened) < 0) {
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
		v[*n].opened = opened;
		v[(*n)++].requests = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(v);
		return ctp_db_err(c->db, rc, c->path, e);
	}
	*out = v;
	return 0;
}

/* The open cycle of provider id, moving *at forward as find_attest. */
static const struct cycle *
find_cycle(const struct cycle *v, size_t n, size_t *at, long long id)
{
	while (*at < n && v[*at].id < id)
		(*at)++;
	return *at < n && v[*at].id == id ? &v[*at] : NULL;
}

static struct ctp_exp_prov *
add_prov(struct ctp_exp_roster *r, struct ctp_exp_list *l,
    const struct ctp_exp_org *o, sqlite3_stmt *st)
{
	struct ctp_exp_person *pp, **ppv;
	struct ctp_exp_prov *v, *w;
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
	if ((q = ctp_exp_reserve(l, sizeof(*pp) + nn + nm + nl + nf + nc,
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
recred(struct ctp_exp_list *l, const struct ctp_exp_org *o,
    const struct ctp_exp_prov *w, sqlite3_stmt *st, const struct cycle *y)
{
	struct ctp_exp_due d;
	int listed;

	if (y != NULL)
		listed = ctp_expiring_recred_open(&o->rules,
		    ctp_col_text(st, 9), ctp_col_text(st, 10), y->opened,
		    y->requests, &d);
	else
		listed = ctp_expiring_recred(&o->rules, ctp_col_text(st, 9),
		    ctp_col_text(st, 10), &d);
	l->bad_dates += d.bad;
	return listed ? ctp_exp_emit(l, o, w->who, CTP_EXP_RECRED_INDEX, &d) :
	    0;
}

static int
caqh(struct ctp_exp_list *l, const struct ctp_exp_org *o,
    const struct ctp_exp_prov *w, sqlite3_stmt *st, const struct attest *att,
    size_t natt, size_t *at)
{
	const struct attest *a = find_attest(att, natt, at, w->id);
	struct ctp_exp_due d;
	int listed;

	listed = ctp_expiring_caqh(&o->rules, ctp_col_text(st, 7),
	    ctp_col_text(st, 8), a ? a->due : CTP_EXP_NODATE, &d);
	l->bad_dates += d.bad;
	return listed ? ctp_exp_emit(l, o, w->who, CTP_EXP_CAQH_INDEX, &d) : 0;
}

/*
 * What the organization requires of provider type t (n bytes) into w:
 * each type is asked of the database once (a few dozen at most).
 */
static int
requires(struct ctp_ctx *c, struct ctp_exp_roster *r, struct ctp_exp_list *l,
    struct ctp_exp_prov *w, const char *t, size_t n, struct ctp_error *e)
{
	struct ctp_exp_ptype *p;
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
	if ((w->type = ctp_exp_keepn(l, t, n)) == NULL)
		return ctp_err_nomem(e, "expiring");
	w->need = need;
	if (r->ntypes < CTP_EXP_MAX_PTYPES) {
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
providers(struct ctp_ctx *c, const struct ctp_exp_org *o,
    struct ctp_exp_roster *r, struct ctp_exp_list *l, struct ctp_error *e)
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
	struct cycle *cyc = NULL;
	size_t natt = 0, at = 0, ncyc = 0, cat = 0;
	struct ctp_exp_prov *w;
	int rc;

	if ((o->kinds & CTP_EXP_CAQH) &&
	    (rc = attestations(c, l, &att, &natt, e)) != 0)
		return rc;
	if ((o->kinds & CTP_EXP_RECRED) &&
	    (rc = open_cycles(c, l, &cyc, &ncyc, e)) != 0) {
		free(att);
		return rc;
	}
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
				free(cyc);
				return rc;
			}
			w->held = ctp_expiring_roster_holds(
			    ctp_col_text(st, 8));
		}
		if ((o->kinds & CTP_EXP_RECRED) && recred(l, o, w, st,
		    find_cycle(cyc, ncyc, &cat, w->id)) < 0)
			goto nomem;
		if ((o->kinds & CTP_EXP_CAQH) &&
		    caqh(l, o, w, st, att, natt, &at) < 0)
			goto nomem;
	}
	sqlite3_finalize(st);
	free(att);
	free(cyc);
	if (rc != SQLITE_DONE)
		return ctp_db_err(c->db, rc, c->path, e);
	return 0;
nomem:
	sqlite3_finalize(st);
	free(att);
	free(cyc);
	return ctp_err_nomem(e, "expiring");
}

/*
 * A missing item for each kind a provider's type requires that the
 * provider holds no active credential of.  A credential that has
 * expired is held: the inbox lists it as overdue, not as missing.
 */
int
ctp_exp_missing(struct ctp_ctx *c, const struct ctp_exp_org *o,
    struct ctp_exp_roster *r, struct ctp_exp_list *l,
    struct ctp_exp_ahead *a, struct ctp_error *e)
{
	struct ctp_exp_due d;
	struct ctp_exp_prov *w;
	unsigned gap;
	size_t i, k;
	int rc;

	if (!(o->kinds & CTP_EXP_MISSING))
		return 0;
	/* Read ahead on the other connection, or here. */
	rc = a != NULL ? ctp_exp_ahead_held(a, r, e) : 1;
	if (rc == 1)
		rc = ctp_exp_read_held(c, r, e);
	if (rc != 0)
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
			if (ctp_exp_emit(l, o, w->who, CTP_EXP_MISSING_INDEX,
			    &d) < 0)
				return ctp_err_nomem(e, "expiring");
		}
	}
	return 0;
}

/*
 * Read c's providers that count into r, list their re-credentialing,
 * CAQH and missing items in l, and index r for the credentials.
 */
int
ctp_exp_roster_read(struct ctp_ctx *c, const struct ctp_exp_org *o,
    struct ctp_exp_roster *r, struct ctp_exp_list *l, struct ctp_error *e)
{
	int rc;

	if ((rc = providers(c, o, r, l, e)) != 0)
		return rc;
	map_roster(r);
	if (o->kinds & CTP_EXP_ENROLLMENT)
		return ctp_exp_enrollments(c, o, r, l, e);
	return 0;
}

void
ctp_exp_roster_free(struct ctp_exp_roster *r)
{
	free(r->v);
	free(r->map);
}

int
ctp_exp_settle(struct ctp_ctx *c, const struct ctp_exp_query *q,
    struct ctp_exp_org *o, struct ctp_exp_list *l, struct ctp_error *e)
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
		o->name = ctp_exp_keep(l, base ? base + 1 : c->path);
	} else
		o->name = ctp_exp_keep(l, name);
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
		if ((o->label[i] = ctp_exp_keep(l, num)) == NULL)
			return ctp_err_nomem(e, "expiring");
	}
	if (q->as_of != CTP_EXP_TODAY)
		o->rules.as_of = q->as_of;
	else if ((rc = ctp_org_today(c->db, &o->rules.as_of, e)) != 0)
		return rc;
	/* Stored largest first. */
	o->within = q->within >= 0 ? q->within : o->thr[0];
	o->rules.hi = q->overdue ? -1 : o->within;
	o->kinds = q->kinds ? q->kinds & CTP_EXP_ALL_KINDS : CTP_EXP_ALL_KINDS;
	o->coordinator = q->coordinator;
	return 0;
}

int
ctp_exp_audit_read(struct ctp_ctx *c, const struct ctp_exp_org *o,
    long long items, struct ctp_error *e)
{
	char asof[CTP_DATE_LEN], kinds[256] = "";
	json_t *d;
	size_t i;
	int rc;

	ctp_date_format(o->rules.as_of, asof);
	for (i = 0; i < CTP_EXP_NKINDS; i++)
		if (o->kinds != CTP_EXP_ALL_KINDS && (o->kinds & (1u << i))) {
			if (*kinds)
				strcat(kinds, ",");
			strcat(kinds, ctp_exp_kind_names[i]);
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
	struct ctp_exp_org o;
	struct ctp_exp_roster r = { 0 };
	size_t before = l->n;
	int rc, own;

	if ((rc = ctp_exp_settle(c, q, &o, l, e)) != 0)
		return rc;
	/* Every row read from one snapshot, unless the caller has one. */
	if ((own = sqlite3_get_autocommit(c->db)) &&
	    (rc = ctp_db_exec(c->db, "BEGIN", e)) != 0)
		return rc;
	if ((rc = ctp_exp_roster_read(c, &o, &r, l, e)) != 0 ||
	    (rc = ctp_exp_missing(c, &o, &r, l, NULL, e)) != 0)
		goto fail;
	if ((o.kinds & CTP_EXP_CRED_KINDS) &&
	    (rc = ctp_exp_credentials(c, &o, &r, l, emit_sink, NULL, e)) != 0)
		goto fail;
	if (own && (rc = ctp_db_commit(c->db, e)) != 0)
		goto fail;
	own = 0;
	if ((rc = ctp_exp_audit_read(c, &o, (long long)(l->n - before),
	    e)) != 0)
		goto fail;
	ctp_exp_roster_free(&r);
	return 0;
fail:
	/* All or nothing per organization. */
	if (own)
		ctp_db_rollback(c->db);
	ctp_exp_roster_free(&r);
	l->n = before;
	return rc;
}
