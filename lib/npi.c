/*
 * npi.c - the verbs of ctp-npi: refresh (the roster against the API or
 * the dissemination file), lookup, and the mismatch queue (list, accept,
 * dismiss).  See npi.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "credential.h"
#include "date.h"
#include "db.h"
#include "mem.h"
#include "names.h"
#include "npi.h"
#include "npi_bulk.h"
#include "npi_compare.h"
#include "npi_reader.h"
#include "npi_roster.h"
#include "npi_store.h"
#include "org.h"
#include "roster.h"
#include "validate.h"

/* ---- a refresh run ---- */

/* What a refresh run's two ways share. */
struct run {
	struct ctp_ctx *c;
	const struct ctp_npi_refresh *r;
	struct ctp_npi_summary *s;
	struct ctp_npi_roster ro;
	struct ctp_npi_store *w;
	int intx;		/* inside the run's transaction */
	int stored;		/* it committed */
	int journal;		/* under a rollback journal (db.h) */
};

/* Load the roster and mark who is checked: the listed, or the active. */
static int
run_roster(struct run *u, struct ctp_error *e)
{
	const struct ctp_npi_refresh *r = u->r;
	struct ctp_npi_entry *x;
	uint64_t key;
	size_t i;
	int rc;

	if ((rc = ctp_npi_roster_load(u->c->db, &u->ro, e)) != 0)
		return rc;
	if (r->npis == NULL) {
		for (i = 0; i < u->ro.n; i++)
			u->ro.e[i].want = strcmp(u->ro.e[i].p.status,
			    "inactive") != 0;
		return 0;
	}
	for (i = 0; i < r->nnpis; i++) {
		if (!ctp_npi_key(r->npis[i], &key) ||
		    (x = ctp_npi_roster_find(&u->ro, key)) == NULL)
			return ctp_errf(e, CTP_DATAERR, r->npis[i],
			    "not on the roster");
		x->want = 1;
	}
	return 0;
}

/* The roster rows of the file, as the reader gives them, checked. */
static int
bulk_checks(struct run *u, struct ctp_npi_reader *rd, struct ctp_error *e)
{
	const struct ctp_npi_rec *g = NULL;
	struct ctp_npi_entry *x;
	uint64_t key;
	int rc;

	while ((rc = ctp_npi_reader_next(rd, &g, e)) == 1) {
		if (!ctp_npi_key(ctp_npi_rec_str(g, CTP_NPI_NPI), &key) ||
		    (x = ctp_npi_roster_find(&u->ro, key)) == NULL ||
		    !x->want || x->seen)
			continue;
		x->seen = 1;
		if ((rc = ctp_npi_store_check(u->w, x, g, e)) != 0)
			return rc;
	}
	return rc;
}

/* The bulk file as one audit event. */
static int
bulk_audit(struct run *u, struct ctp_error *e)
{
	const struct ctp_npi_summary *s = u->s;
	json_t *det;
	int rc;

	det = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I}", "method", "bulk",
	    "file", u->r->bulk, "lines", (json_int_t)s->lines,
	    "checked", (json_int_t)s->checked,
	    "matched", (json_int_t)s->matched,
	    "mismatched", (json_int_t)s->mismatched,
	    "not_found", (json_int_t)s->not_found,
	    "deactivated", (json_int_t)s->deactivated);
	if (det == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(u->c, "npi.verify", "file", u->r->bulk, det, e);
	json_decref(det);
	return rc;
}

/*
 * The refresh from the dissemination file: checked and read from the
 * start, by the reader thread (npi_reader.c), while the roster loads;
 * it looks for the listed NPIs or every NPI on the roster (inactive
 * ones too, passed over here).  All in one transaction.
 */
static int
refresh_bulk(struct run *u, struct ctp_error *e)
{
	struct ctp_ctx *c = u->c;
	struct ctp_npi_bulk *b = NULL;
	struct ctp_npi_reader *rd = NULL;
	uint64_t *keys = NULL;
	size_t nkeys = 0, i;
	int rc;

	if ((rc = ctp_npi_bulk_open(&b, u->r->bulk, &u->r->progress,
	    e)) != 0)
		return rc;
	/*
	 * The run writes megabytes of new pages (a PSV entry per provider):
	 * when it is the only connection, under a rollback journal rather
	 * than the WAL, which would write each page twice
	 * (ctp_db_bulk_journal; the screen does the same): the worst case's
	 * commit takes 0.02 s rather than 0.05.
	 */
	u->journal = ctp_db_bulk_journal(c->db);
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		goto out;
	u->intx = 1;
	if ((rc = ctp_npi_roster_keys(c->db, u->r->npis, u->r->nnpis, &keys,
	    &nkeys, e)) != 0 ||
	    (rc = ctp_npi_reader_start(&rd, b, keys, nkeys, e)) != 0 ||
	    (rc = run_roster(u, e)) != 0 ||
	    (rc = ctp_npi_store_open(&u->w, c, "bulk", u->r->as_of, u->s,
	    e)) != 0 || (rc = bulk_checks(u, rd, e)) != 0)
		goto out;
	ctp_npi_reader_end(rd);
	rd = NULL;
	u->s->lines = ctp_npi_bulk_lines(b);
	ctp_npi_bulk_close(b);	/* and its progress line */
	b = NULL;
	for (i = 0; i < u->ro.n; i++)
		if (u->ro.e[i].want && !u->ro.e[i].seen &&
		    (rc = ctp_npi_store_check(u->w, &u->ro.e[i], NULL,
		    e)) != 0)
			goto out;
	if ((rc = ctp_npi_store_flush(u->w, e)) != 0 ||
	    (rc = bulk_audit(u, e)) != 0 ||
	    (rc = ctp_db_commit(c->db, e)) != 0)
		goto out;
	u->intx = 0;
	u->stored = 1;
out:
	ctp_npi_reader_end(rd);
	ctp_npi_bulk_close(b);
	free(keys);
	return rc;
}

struct api_run {
	struct ctp_npi_result *res;	/* by index, filled as answers come */
	size_t *asked;			/* the index of each NPI asked */
	int *cached;			/* answered from the run's cache */
};

static int
api_result(void *arg, struct ctp_npi_result *res)
{
	struct api_run *a = arg;
	size_t i = a->asked[res->i];

	a->res[i] = *res;
	a->res[i].i = i;
	memset(&res->rec, 0, sizeof(res->rec));
	return 0;
}

/*
 * The answers the run's cache holds (a->cached), and the NPIs left to
 * ask (*ask, *nask; a->asked their indexes).
 */
static int
api_cached(const struct ctp_npi_cache *cache, const char *api,
    const char **npis, size_t nw, struct api_run *a, const char **ask,
    size_t *nask, struct ctp_error *e)
{
	size_t i;
	int k;

	*nask = 0;
	for (i = 0; i < nw; i++) {
		k = cache ? ctp_npi_cache_get(cache, api, npis[i],
		    &a->res[i].found, &a->res[i].rec) : 0;
		if (k < 0)
			return ctp_err_nomem(e, "registry answers");
		if (k > 0) {
			a->res[i].i = i;
			a->cached[i] = 1;
			continue;
		}
		a->asked[*nask] = i;
		ask[(*nask)++] = npis[i];
	}
	return 0;
}

/* The answers (not the failures) kept for the next organization. */
static int
api_keep(struct ctp_npi_cache *cache, const char *api, const char **npis,
    size_t nw, const struct api_run *a, struct ctp_error *e)
{
	size_t i;

	for (i = 0; cache != NULL && i < nw; i++)
		if (!a->cached[i] && a->res[i].status == 0 &&
		    ctp_npi_cache_put(cache, api, npis[i], a->res[i].found,
		    &a->res[i].rec) < 0)
			return ctp_err_nomem(e, "registry answers");
	return 0;
}

/* Store the API answers (inside the transaction), in roster order. */
static int
api_store(struct ctp_ctx *c, struct ctp_npi_store *w,
    struct ctp_npi_entry **want, size_t nw, struct ctp_npi_result *res,
    const int *cached, int *bad, long *failed, struct ctp_error *e)
{
	json_t *det;
	const char *result;
	size_t i;
	int rc;

	for (i = 0; i < nw; i++) {
		if (res[i].status != 0) {
			if (*bad != CTP_UNAVAILABLE)
				*bad = res[i].status;
			(*failed)++;
			result = "failed";
		} else {
			if ((rc = ctp_npi_store_check(w, want[i], res[i].found ?
			    &res[i].rec : NULL, e)) != 0)
				return rc;
			result = res[i].found ? "answered" : "not_found";
		}
		det = json_pack("{s:s,s:s,s:s,s:I}", "method", "api", "npi",
		    want[i]->p.npi, "result", result, "attempts",
		    (json_int_t)res[i].attempts);
		/* Asked for another organization in the same run. */
		if (det != NULL && cached[i] && json_object_set_new(det,
		    "same_run", json_true()) != 0) {
			json_decref(det);
			det = NULL;
		}
		if (det == NULL)
			return ctp_err_nomem(e, "audit");
		rc = ctp_audit(c, "npi.verify", "provider", want[i]->p.npi,
		    det, e);
		json_decref(det);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/*
 * The refresh through the API: ask first, then store every answer in
 * one transaction: the database is not locked while the registry is
 * slow, and a run cut short leaves the previous state.
 */
static int
refresh_api(struct run *u, struct ctp_error *e)
{
	const struct ctp_npi_refresh *r = u->r;
	struct ctp_npi_entry **want = NULL;
	struct api_run a = { NULL, NULL, NULL };
	struct ctp_npi_opts opts;
	const char **npis = NULL, **ask = NULL;
	char *url = NULL;
	size_t i, nw = 0, nask = 0;
	int rc, bad = 0;

	if ((rc = run_roster(u, e)) != 0)
		return rc;
	if ((want = ctp_calloc(u->ro.n + 1, sizeof(*want))) == NULL ||
	    (npis = ctp_calloc(u->ro.n + 1, sizeof(*npis))) == NULL) {
		rc = ctp_err_nomem(e, "roster");
		goto out;
	}
	for (i = 0; i < u->ro.n; i++)
		if (u->ro.e[i].want) {
			want[nw] = &u->ro.e[i];
			npis[nw] = u->ro.e[i].p.npi;
			nw++;
		}
	opts = r->api;
	if (opts.api_url == NULL) {
		if ((rc = ctp_org_get(u->c->db, "nppes_api_url", &url,
		    e)) != 0)
			goto out;
		opts.api_url = url;
	}
	if ((rc = ctp_npi_store_open(&u->w, u->c, "api", r->as_of, u->s,
	    e)) != 0)
		goto out;
	if ((a.res = ctp_calloc(nw + 1, sizeof(*a.res))) == NULL ||
	    (a.asked = ctp_calloc(nw + 1, sizeof(*a.asked))) == NULL ||
	    (a.cached = ctp_calloc(nw + 1, sizeof(*a.cached))) == NULL ||
	    (ask = ctp_calloc(nw + 1, sizeof(*ask))) == NULL) {
		rc = ctp_err_nomem(e, "registry answers");
		goto out;
	}
	if ((rc = api_cached(r->cache, opts.api_url, npis, nw, &a, ask, &nask,
	    e)) != 0 ||
	    (rc = ctp_npi_fetch(&opts, ask, nask, api_result, &a,
	    &r->progress, e)) != 0 ||
	    (rc = api_keep(r->cache, opts.api_url, npis, nw, &a, e)) != 0)
		goto out;
	for (i = 0; i < nw; i++)
		if (a.res[i].status != 0 && r->failed != NULL)
			r->failed(r->failed_arg, &a.res[i].err);
	if ((rc = ctp_db_begin(u->c->db, e)) != 0)
		goto out;
	u->intx = 1;
	if ((rc = api_store(u->c, u->w, want, nw, a.res, a.cached, &bad,
	    &u->s->failed, e)) != 0 ||
	    (rc = ctp_npi_store_flush(u->w, e)) != 0 ||
	    (rc = ctp_db_commit(u->c->db, e)) != 0)
		goto out;
	u->intx = 0;
	u->stored = 1;
	if (u->s->failed > 0)
		rc = ctp_errf(e, bad, "refresh", "%ld of %zu %s not checked "
		    "(named above); their previous state is kept",
		    u->s->failed, nw, ctp_plural((long long)nw, "provider",
		    "providers"));
out:
	free(want);
	free(npis);
	free(ask);
	free(a.asked);
	free(a.cached);
	free(url);
	if (a.res != NULL)
		for (i = 0; i < nw; i++)
			ctp_npi_rec_clear(&a.res[i].rec);
	free(a.res);
	return rc;
}

int
ctp_npi_refresh(struct ctp_ctx *c, const struct ctp_npi_refresh *r,
    struct ctp_out *o, struct ctp_npi_summary *s, struct ctp_error *e)
{
	struct run u;
	struct ctp_error pe;
	size_t i;
	int rc;

	memset(s, 0, sizeof(*s));
	memset(&u, 0, sizeof(u));
	u.c = c;
	u.r = r;
	u.s = s;
	for (i = 0; r->npis != NULL && i < r->nnpis; i++)
		if (ctp_check_npi(r->npis[i]) != NULL)
			return ctp_errf(e, CTP_DATAERR, r->npis[i],
			    "not a valid NPI: %s", ctp_check_npi(r->npis[i]));
	rc = r->bulk ? refresh_bulk(&u, e) : refresh_api(&u, e);
	if (u.intx)
		ctp_db_rollback(c->db);
	if (!u.stored)
		memset(s, 0, sizeof(*s));	/* nothing was kept */
	if (u.stored && o != NULL) {
		ctp_error_clear(&pe);
		if (ctp_npi_store_print(u.w, o, &pe) != 0 && rc == 0)
			rc = pe.code, *e = pe;
	}
	ctp_npi_store_close(u.w);
	ctp_db_wal_again(c->db, u.journal);
	ctp_npi_roster_free(&u.ro);
	return rc;
}

/* ---- lookup and the mismatch queue ---- */

struct one {
	struct ctp_npi_rec *rec;
	int *found;
	int status;
	long attempts;
	struct ctp_error err;
};

static int
one_result(void *arg, struct ctp_npi_result *res)
{
	struct one *o = arg;

	o->status = res->status;
	o->err = res->err;
	o->attempts = res->attempts;
	*o->found = res->found;
	*o->rec = res->rec;
	memset(&res->rec, 0, sizeof(res->rec));
	return 0;
}

int
ctp_npi_lookup(struct ctp_ctx *c, const struct ctp_npi_opts *opt,
    const char *npi, struct ctp_npi_rec *rec, int *found,
    struct ctp_error *e)
{
	struct ctp_npi_opts o = *opt;
	struct one one;
	char *url = NULL;
	const char *msg;
	json_t *det;
	int rc;

	*found = 0;
	if ((msg = ctp_check_npi(npi)) != NULL)
		return ctp_errf(e, CTP_DATAERR, npi, "not a valid NPI: %s",
		    msg);
	if (o.api_url == NULL) {
		if ((rc = ctp_org_get(c->db, "nppes_api_url", &url, e)) != 0)
			return rc;
		o.api_url = url;
	}
	memset(&one, 0, sizeof(one));
	one.rec = rec;
	one.found = found;
	rc = ctp_npi_fetch(&o, &npi, 1, one_result, &one, NULL, e);
	free(url);
	if (rc != 0)
		return rc;
	det = json_pack("{s:s,s:s,s:I}", "method", "api", "result",
	    one.status ? "failed" : *found ? "answered" : "not_found",
	    "attempts", (json_int_t)one.attempts);
	if (det == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(c, "npi.lookup", "npi", npi, det, e);
	json_decref(det);
	if (rc != 0)
		return rc;
	if (one.status != 0) {
		*e = one.err;
		return one.status;
	}
	return 0;
}

const struct ctp_col ctp_npi_mismatch_columns[] = {
	{ "mismatch_id", CTP_COL_INT },
	{ "npi", CTP_COL_STR },
	{ "last_name", CTP_COL_STR },
	{ "first_name", CTP_COL_STR },
	{ "field", CTP_COL_STR },
	{ "roster_value", CTP_COL_STR },
	{ "registry_value", CTP_COL_STR },
	{ "status", CTP_COL_STR },
	{ "found_on", CTP_COL_STR },
	{ "registry_updated", CTP_COL_STR },
	{ "note", CTP_COL_STR },
};

#define MM_SELECT "SELECT m.id, p.npi, p.last_name, p.first_name, m.field, " \
	"m.roster_value, m.registry_value, m.status, m.found_on, " \
	"m.registry_updated, m.note FROM npi_mismatches m " \
	"JOIN providers p ON p.id = m.provider_id "

static int
out_rows(sqlite3 *db, sqlite3_stmt *st, struct ctp_out *o,
    struct ctp_error *e)
{
	const char *v[CTP_NPI_MISMATCH_NCOLUMNS];
	int rc, k;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (k = 0; k < CTP_NPI_MISMATCH_NCOLUMNS; k++)
			v[k] = (const char *)sqlite3_column_text(st, k);
		if (ctp_out_row(o, v, e) != 0)
			return e->code;
	}
	if (rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "mismatches", e);
	return 0;
}


int
ctp_npi_mismatches(struct ctp_ctx *c, const char *status, struct ctp_out *o,
    struct ctp_error *e)
{
	static const char *const ok[] = { "open", "accepted", "dismissed",
	    "resolved", "all", NULL };
	sqlite3_stmt *st;
	json_t *det;
	int i, rc;

	if (status == NULL)
		status = "open";
	for (i = 0; ok[i] && strcmp(ok[i], status) != 0; i++)
		;
	if (ok[i] == NULL)
		return ctp_errf(e, CTP_USAGE, "--status", "must be open, "
		    "accepted, dismissed, resolved or all");
	if ((det = json_pack("{s:s}", "status", status)) == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(c, "npi.mismatches", "", "", det, e);
	json_decref(det);
	if (rc != 0)
		return rc;
	if (ctp_db_prepare(c->db, &st, MM_SELECT "WHERE ?1 = 'all' OR "
	    "m.status = ?1 ORDER BY m.id", e))
		return e->code;
	ctp_bind_text(st, 1, status);
	rc = out_rows(c->db, st, o, e);
	sqlite3_finalize(st);
	return rc;
}

struct mm {
	long long provider_id;
	char npi[16];
	char field[32];
	char status[16];
	char *apply;
};

static int
mm_load(struct ctp_ctx *c, long long id, struct mm *m, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char where[32];
	int rc;

	snprintf(where, sizeof(where), "mismatch %lld", id);
	memset(m, 0, sizeof(*m));
	if (ctp_db_prepare(c->db, &st, "SELECT m.provider_id, p.npi, m.field, "
	    "m.status, m.apply FROM npi_mismatches m JOIN providers p ON "
	    "p.id = m.provider_id WHERE m.id = ?1", e))
		return e->code;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		m->provider_id = sqlite3_column_int64(st, 0);
		snprintf(m->npi, sizeof(m->npi), "%s", ctp_col_text(st, 1));
		snprintf(m->field, sizeof(m->field), "%s", ctp_col_text(st, 2));
		snprintf(m->status, sizeof(m->status), "%s",
		    ctp_col_text(st, 3));
		if (sqlite3_column_type(st, 4) != SQLITE_NULL &&
		    (m->apply = ctp_strdup(ctp_col_text(st, 4))) == NULL) {
			sqlite3_finalize(st);
			return ctp_err_nomem(e, where);
		}
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return ctp_errf(e, CTP_DATAERR, where, "no such mismatch");
	if (rc != SQLITE_ROW)
		return ctp_db_err(c->db, rc, where, e);
	if (strcmp(m->status, "open") != 0) {
		free(m->apply);
		m->apply = NULL;
		return ctp_errf(e, CTP_DATAERR, where, "is %s, not open",
		    m->status);
	}
	return 0;
}

static int
mm_close(struct ctp_ctx *c, long long id, const char *status,
    const char *note, const struct mm *m, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char ts[CTP_TS_LEN], oid[32];
	json_t *det;
	int rc;

	ctp_timestamp(ts);
	if (ctp_db_prepare(c->db, &st, "UPDATE npi_mismatches SET "
	    "status = ?2, note = ?3, closed_at = ?4, closed_by = ?5 "
	    "WHERE id = ?1", e))
		return e->code;
	sqlite3_bind_int64(st, 1, id);
	ctp_bind_text(st, 2, status);
	ctp_bind_text_or_null(st, 3, note);
	ctp_bind_text(st, 4, ts);
	ctp_bind_text(st, 5, c->user);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(c->db, rc, "mismatches", e);
	snprintf(oid, sizeof(oid), "%lld", id);
	if ((det = json_pack("{s:s,s:s}", "npi", m->npi, "field",
	    m->field)) == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(c, strcmp(status, "accepted") == 0 ? "npi.accept" :
	    "npi.dismiss", "npi_mismatch", oid, det, e);
	json_decref(det);
	return rc;
}

/* The registry's license number into the roster's license of that state. */
static int
apply_license(struct ctp_ctx *c, const struct mm *m, json_t *lic,
    const char *note, struct ctp_error *e)
{
	const char *num, *state;

	num = json_string_value(json_object_get(lic, "number"));
	state = json_string_value(json_object_get(lic, "state"));
	if (num == NULL || state == NULL)
		return ctp_errf(e, CTP_SOFTWARE, "mismatch", "bad license");
	return ctp_credential_set_license(c, m->npi, state, num, "NPPES",
	    note, e);
}

/*
 * A last name the registry changed: the roster's name goes into
 * other_names as "LAST, FIRST" first, so screening still checks it (the
 * whole name: it stays right if the first name changes later).
 */
static int
keep_former_name(struct ctp_ctx *c, const struct mm *m, const char *note,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	char others[1024];
	int rc, added = 0;

	if (ctp_db_prepare(c->db, &st, "SELECT last_name, first_name, "
	    "other_names FROM providers WHERE id = ?1", e))
		return e->code;
	sqlite3_bind_int64(st, 1, m->provider_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		added = ctp_name_add_former(ctp_col_text(st, 2),
		    ctp_col_text(st, 0), ctp_col_text(st, 1), others,
		    sizeof(others));
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return ctp_db_err(c->db, rc == SQLITE_DONE ? SQLITE_NOTFOUND :
		    rc, "roster", e);
	if (added < 0)
		return ctp_errf(e, CTP_DATAERR, "other_names", "too long to "
		    "add the former name");
	if (added == 0)
		return 0;
	return ctp_roster_set(c, m->npi, "other_names", others, "NPPES", note,
	    e);
}

/*
 * The registry writes names in capitals; a roster whose names are not
 * all capitals gets them in name case (names.h).
 */
static int
roster_case(sqlite3 *db, const char *v, char *out, size_t n,
    struct ctp_error *e)
{
	long long lower;

	if (ctp_db_int(db, "SELECT EXISTS (SELECT 1 FROM providers WHERE "
	    "last_name GLOB '*[a-z]*' OR first_name GLOB '*[a-z]*')", &lower,
	    "roster", e))
		return e->code;
	if (lower)
		ctp_name_case(v, out, n);
	else
		snprintf(out, n, "%s", v);
	return 0;
}

/* One registry value into the roster (a license apart). */
static int
apply_field(struct ctp_ctx *c, const struct mm *m, const char *key,
    const char *v, const char *note, struct ctp_error *e)
{
	char name[256];

	if (v && (strcmp(key, "first_name") == 0 ||
	    strcmp(key, "last_name") == 0)) {
		if (roster_case(c->db, v, name, sizeof(name), e))
			return e->code;
		v = name;
		if (key[0] == 'l' && keep_former_name(c, m, note, e))
			return e->code;
	}
	return ctp_roster_set(c, m->npi, key, v, "NPPES", note, e);
}

int
ctp_npi_accept(struct ctp_ctx *c, long long id, const char *note,
    struct ctp_error *e)
{
	struct mm m;
	json_t *apply = NULL, *v;
	const char *key;
	char where[32];
	int rc;

	snprintf(where, sizeof(where), "mismatch %lld", id);
	if (ctp_check_note(note) != NULL)
		return ctp_errf(e, CTP_DATAERR, "--note", "%s",
		    ctp_check_note(note));
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		return rc;
	if ((rc = mm_load(c, id, &m, e)) != 0)
		goto out;
	if (m.apply == NULL) {
		rc = ctp_errf(e, CTP_DATAERR, where, "%s: nothing in the "
		    "registry to write into the roster; dismiss it with a note",
		    m.field);
		goto out;
	}
	if ((apply = json_loads(m.apply, 0, NULL)) == NULL) {
		rc = ctp_errf(e, CTP_SOFTWARE, where,
		    "stored change unreadable");
		goto out;
	}
	json_object_foreach(apply, key, v) {
		if (strcmp(key, "license") == 0)
			rc = apply_license(c, &m, v, note, e);
		else
			rc = apply_field(c, &m, key, json_string_value(v),
			    note, e);
		if (rc != 0)
			goto out;
	}
	rc = mm_close(c, id, "accepted", note, &m, e);
out:
	if (rc == 0)
		rc = ctp_db_commit(c->db, e);
	if (rc != 0)
		ctp_db_rollback(c->db);
	json_decref(apply);
	free(m.apply);
	return rc;
}

int
ctp_npi_dismiss(struct ctp_ctx *c, long long id, const char *note,
    struct ctp_error *e)
{
	struct mm m;
	int rc;

	memset(&m, 0, sizeof(m));
	if (note == NULL || *note == '\0')
		return ctp_errf(e, CTP_USAGE, "dismiss", "a note is required "
		    "(--note TEXT)");
	if (ctp_check_note(note) != NULL)
		return ctp_errf(e, CTP_DATAERR, "--note", "%s",
		    ctp_check_note(note));
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		return rc;
	if ((rc = mm_load(c, id, &m, e)) == 0)
		rc = mm_close(c, id, "dismissed", note, &m, e);
	if (rc == 0)
		rc = ctp_db_commit(c->db, e);
	if (rc != 0)
		ctp_db_rollback(c->db);
	free(m.apply);
	return rc;
}
