/*
 * recred.c - opening a re-credentialing cycle (recred.h): every provider
 * checked before anything is written, the cycles and their document
 * requests in one transaction, then the verifiers.  Closing a cycle and
 * fulfilling a request are in recred_close.c; the listings and the mail
 * in recred_list.c and recred_mail.c.
 */
#include <stdarg.h>
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
#include "recred.h"
#include "roster.h"
#include "validate.h"
#include "verify.h"

const struct ctp_col ctp_recred_start_columns[] = {
	{ "npi", CTP_COL_STR },
	{ "cycle", CTP_COL_INT },
	{ "step", CTP_COL_STR },
	{ "id", CTP_COL_INT },
	{ "kind", CTP_COL_STR },
	{ "credential", CTP_COL_INT },
	{ "result", CTP_COL_STR },
	{ "detail", CTP_COL_STR },
	{ "due", CTP_COL_STR },
};

/* A provider of the run, as checked before the writes. */
struct start_prov {
	const char *npi;
	long long id, cycle;
	long due;
	char type[64];
	char *caqh;		/* caqh_attested, "" for none */
};

struct start_run {
	struct ctp_ctx *c;
	struct start_prov *v;
	size_t n;
	long opened;
	char opened_s[CTP_DATE_LEN];
	struct ctp_out *o;
	size_t attn;
};

static void say(void (*)(void *, const char *), void *, const char *,
    const char *, ...) __attribute__((format(printf, 4, 5)));

/* "NPI: why" to warn. */
static void
say(void (*warn)(void *, const char *), void *arg, const char *npi,
    const char *fmt, ...)
{
	char msg[320], why[256];
	va_list ap;

	if (warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(msg, sizeof(msg), "%s: %s", npi, why);
	warn(arg, msg);
}

/*
 * Check provider v[i] (its npi set): 0 when good, 1 when refused (told
 * to warn), or an error code.
 */
static int
check_one(struct start_run *r, size_t i, void (*warn)(void *, const char *),
    void *warnarg, long months, struct ctp_error *e)
{
	struct start_prov *p = &r->v[i];
	struct ctp_error fe;
	sqlite3_stmt *st;
	const char *from;
	char opened[CTP_DATE_LEN] = "";
	long day;
	int rc;

	ctp_error_clear(&fe);
	if ((rc = ctp_roster_find(r->c->db, p->npi, &p->id, &fe)) != 0) {
		if (rc != CTP_DATAERR) {
			*e = fe;
			return rc;
		}
		say(warn, warnarg, p->npi, "%s", fe.what);
		return 1;
	}
	if (ctp_db_prepare(r->c->db, &st, "SELECT opened FROM recred_cycles"
	    " WHERE provider_id = ?1 AND closed IS NULL", e))
		return e->code;
	sqlite3_bind_int64(st, 1, p->id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		snprintf(opened, sizeof(opened), "%s", ctp_col_text(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(r->c->db, rc, "recred", e);
	if (*opened) {
		say(warn, warnarg, p->npi, "a cycle is open since %s", opened);
		return 1;
	}
	if (ctp_db_prepare(r->c->db, &st, "SELECT initial_cred_date,"
	    " last_recred_date, provider_type, caqh_attested FROM providers"
	    " WHERE id = ?1", e))
		return e->code;
	sqlite3_bind_int64(st, 1, p->id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return ctp_db_err(r->c->db, rc == SQLITE_DONE ? SQLITE_CORRUPT :
		    rc, "recred", e);
	}
	from = ctp_col_text(st, 1);
	if (*from == '\0')
		from = ctp_col_text(st, 0);
	snprintf(p->type, sizeof(p->type), "%s", ctp_col_text(st, 2));
	p->caqh = ctp_strdup(ctp_col_text(st, 3));
	rc = *from == '\0' ? 2 : ctp_date_parse(from, &day) < 0 ? 3 : 0;
	sqlite3_finalize(st);
	if (p->caqh == NULL)
		return ctp_err_nomem(e, "recred");
	if (rc == 2) {
		say(warn, warnarg, p->npi, "no initial or re-credentialing "
		    "date to count from (ctp-roster set NPI "
		    "initial_cred_date DATE)");
		return 1;
	}
	if (rc == 3) {
		say(warn, warnarg, p->npi, "the credentialing date it counts "
		    "from is no date");
		return 1;
	}
	p->due = ctp_expiring_recred_due(day, months);
	return 0;
}

/* Insert one request and its audit event. */
static int
add_request(struct start_run *r, const struct start_prov *p,
    long long cred, const char *kind, const char *reason, const char *detail,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	char id[24];
	json_t *d;
	int rc;

	if (ctp_db_prepare(r->c->db, &st, "INSERT INTO doc_requests"
	    " (cycle_id, provider_id, credential_id, kind, reason, detail,"
	    " created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", e))
		return e->code;
	sqlite3_bind_int64(st, 1, p->cycle);
	sqlite3_bind_int64(st, 2, p->id);
	if (cred)
		sqlite3_bind_int64(st, 3, cred);
	ctp_bind_text(st, 4, kind);
	ctp_bind_text(st, 5, reason);
	ctp_bind_text(st, 6, detail);
	ctp_bind_text(st, 7, r->opened_s);
	rc = ctp_db_step_done(st, "recred", e);
	sqlite3_finalize(st);
	if (rc)
		return rc;
	snprintf(id, sizeof(id), "%lld",
	    (long long)sqlite3_last_insert_rowid(r->c->db));
	d = json_pack("{s:s, s:I, s:s, s:s, s:s}", "npi", p->npi, "cycle",
	    (json_int_t)p->cycle, "kind", kind, "reason", reason, "detail",
	    detail);
	if (d == NULL)
		return ctp_err_nomem(e, "audit");
	if (cred)
		json_object_set_new(d, "credential", json_integer(cred));
	rc = ctp_audit(r->c, "recred.request", "doc_request", id, d, e);
	json_decref(d);
	return rc;
}

/*
 * Each active credential expired by the day the cycle opens, or expiring
 * on or before its due date (which, for a cycle overdue, is past).
 */
static int
expiring_requests(struct start_run *r, const struct start_prov *p,
    unsigned *held, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char detail[256], due[CTP_DATE_LEN];
	const char *kind, *t, *reason;
	long day;
	int rc;

	*held = 0;
	if (ctp_db_prepare(r->c->db, &st, "SELECT id, kind, state, number,"
	    " issuer, expires FROM credentials WHERE provider_id = ?1"
	    " AND status = 'active' ORDER BY kind, id", e))
		return e->code;
	sqlite3_bind_int64(st, 1, p->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		kind = ctp_col_text(st, 1);
		*held |= ctp_kind_bit(kind);
		t = ctp_col_text(st, 5);
		/* No expiration (a lifetime board), or none that reads. */
		if (*t == '\0' || ctp_date_parse(t, &day) < 0 ||
		    (day >= r->opened && day > p->due))
			continue;
		reason = day < r->opened ? "expired" : "expiring";
		ctp_date_format(day, due);
		snprintf(detail, sizeof(detail), "%s%s%s%s%s %s %s",
		    kind, *ctp_col_text(st, 2) ? " " : "", ctp_col_text(st, 2),
		    *ctp_col_text(st, 3) ? " " : "", ctp_col_text(st, 3),
		    day < r->opened ? "expired" : "expires", due);
		if ((rc = add_request(r, p, sqlite3_column_int64(st, 0), kind,
		    reason, detail, e)) != 0) {
			sqlite3_finalize(st);
			return rc;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(r->c->db, rc, "recred", e);
	return 0;
}

/* Open p's cycle and make its requests, inside the run's transaction. */
static int
open_cycle(struct start_run *r, struct start_prov *p, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char due[CTP_DATE_LEN], ts[CTP_TS_LEN], id[24], detail[160];
	unsigned need, held, gap;
	json_t *d;
	size_t k;
	int rc;

	ctp_date_format(p->due, due);
	ctp_timestamp(ts);
	if (ctp_db_prepare(r->c->db, &st, "INSERT INTO recred_cycles"
	    " (provider_id, opened, due, opened_by, ts)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)", e))
		return e->code;
	sqlite3_bind_int64(st, 1, p->id);
	ctp_bind_text(st, 2, r->opened_s);
	ctp_bind_text(st, 3, due);
	ctp_bind_text(st, 4, r->c->user);
	ctp_bind_text(st, 5, ts);
	rc = ctp_db_step_done(st, "recred", e);
	sqlite3_finalize(st);
	if (rc)
		return rc;
	p->cycle = sqlite3_last_insert_rowid(r->c->db);
	snprintf(id, sizeof(id), "%lld", p->cycle);
	if ((d = json_pack("{s:s, s:s, s:s}", "npi", p->npi, "opened",
	    r->opened_s, "due", due)) == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(r->c, "recred.start", "recred_cycle", id, d, e);
	json_decref(d);
	if (rc)
		return rc;
	if ((rc = expiring_requests(r, p, &held, e)) != 0)
		return rc;
	if ((rc = ctp_required_kinds(r->c->db, p->type, &need, e)) != 0)
		return rc;
	held |= ctp_expiring_roster_holds(p->caqh);
	gap = need & ~held;
	for (k = 0; ctp_credential_kinds[k]; k++) {
		if (!(gap & (1u << k)))
			continue;
		snprintf(detail, sizeof(detail), "%s required for %s, none held",
		    ctp_credential_kinds[k], p->type);
		if ((rc = add_request(r, p, 0, ctp_credential_kinds[k],
		    "missing", detail, e)) != 0)
			return rc;
	}
	return 0;
}

/* The rows of p's cycle and requests, as committed. */
static int
put_cycle(struct start_run *r, const struct start_prov *p,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	char cyc[24], due[CTP_DATE_LEN], id[24], cred[24];
	const char *row[CTP_RECRED_START_NCOLUMNS];
	int rc;

	snprintf(cyc, sizeof(cyc), "%lld", p->cycle);
	ctp_date_format(p->due, due);
	row[0] = p->npi;
	row[1] = cyc;
	row[2] = "cycle";
	row[3] = cyc;
	row[4] = "";
	row[5] = "";
	row[6] = "opened";
	row[7] = r->opened_s;
	row[8] = due;
	if (ctp_out_row(r->o, row, e))
		return e->code;
	if (ctp_db_prepare(r->c->db, &st, "SELECT id, kind, credential_id,"
	    " reason, detail FROM doc_requests WHERE cycle_id = ?1"
	    " ORDER BY id", e))
		return e->code;
	sqlite3_bind_int64(st, 1, p->cycle);
	row[2] = "request";
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(id, sizeof(id), "%lld", sqlite3_column_int64(st, 0));
		snprintf(cred, sizeof(cred), "%s", ctp_col_text(st, 2));
		row[3] = id;
		row[4] = ctp_col_text(st, 1);
		row[5] = cred;
		row[6] = ctp_col_text(st, 3);
		row[7] = ctp_col_text(st, 4);
		if (ctp_out_row(r->o, row, e)) {
			sqlite3_finalize(st);
			return e->code;
		}
		r->attn++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(r->c->db, rc, "recred", e);
	return 0;
}

/* A verification done: its row, under the provider's cycle. */
static int
put_verify(const struct ctp_verify_result *v, void *arg)
{
	struct start_run *r = arg;
	const struct start_prov *p = NULL;
	const char *row[CTP_RECRED_START_NCOLUMNS];
	char cyc[24] = "", id[24] = "", cred[24] = "", due[CTP_DATE_LEN] = "";
	char detail[512];
	const char *why;
	struct ctp_error e;
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].id == v->provider_id)
			p = &r->v[i];
	if (p != NULL) {
		snprintf(cyc, sizeof(cyc), "%lld", p->cycle);
		ctp_date_format(p->due, due);
	}
	if (v->psv_id)
		snprintf(id, sizeof(id), "%lld", v->psv_id);
	if (v->credential_id)
		snprintf(cred, sizeof(cred), "%lld", v->credential_id);
	/* The source, then why (an error) or what it answered. */
	why = v->detail && *v->detail ? v->detail :
	    v->reference && *v->reference ? v->reference : "";
	snprintf(detail, sizeof(detail), "%s%s%s", v->source ? v->source : "",
	    v->source && *v->source && *why ? ": " : "", why);
	row[0] = p ? p->npi : v->npi;
	row[1] = cyc;
	row[2] = "verify";
	row[3] = id;
	row[4] = v->kind ? v->kind : "";
	row[5] = cred;
	row[6] = v->result ? v->result : "";
	row[7] = detail;
	row[8] = due;
	ctp_error_clear(&e);
	return ctp_out_row(r->o, row, &e) ? -1 : 0;
}

struct npi_at {
	const char *npi;
	size_t i;
};

static int
npi_at_cmp(const void *a, const void *b)
{
	const struct npi_at *x = a, *y = b;
	int c = strcmp(x->npi, y->npi);

	return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

/*
 * The NPIs of npis[0..n) into v, each once, in the order first named (a
 * stream names a provider once per row it has); returns the count.
 */
static size_t
unique_npis(const char *const *npis, size_t n, struct start_prov *v,
    struct ctp_error *e, int *rc)
{
	struct npi_at *s;
	unsigned char *dup;
	size_t i, m = 0;

	*rc = 0;
	s = ctp_calloc(n ? n : 1, sizeof(*s));
	dup = ctp_calloc(n ? n : 1, 1);
	if (s == NULL || dup == NULL) {
		free(s);
		free(dup);
		*rc = ctp_err_nomem(e, "recred");
		return 0;
	}
	for (i = 0; i < n; i++) {
		s[i].npi = npis[i];
		s[i].i = i;
	}
	qsort(s, n, sizeof(*s), npi_at_cmp);
	for (i = 1; i < n; i++)
		if (strcmp(s[i].npi, s[i - 1].npi) == 0)
			dup[s[i].i] = 1;
	for (i = 0; i < n; i++)
		if (!dup[i])
			v[m++].npi = npis[i];
	free(s);
	free(dup);
	return m;
}

static void
free_provs(struct start_prov *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].caqh);
	free(v);
}

/* Check every provider, then write every cycle, in one transaction. */
static int
open_all(struct start_run *r, void (*warn)(void *, const char *),
    void *warnarg, struct ctp_error *e)
{
	long months;
	size_t i, bad = 0;
	int rc;

	if ((rc = ctp_db_begin(r->c->db, e)) != 0)
		return rc;
	if ((rc = ctp_org_get_long(r->c->db, "recred_months", &months, e)))
		goto fail;
	for (i = 0; i < r->n; i++) {
		if ((rc = check_one(r, i, warn, warnarg, months, e)) > 1)
			goto fail;
		bad += (size_t)rc;
	}
	if (bad) {
		rc = ctp_errf(e, CTP_DATAERR, NULL, "%zu of %zu %s refused: "
		    "no cycle opened", bad, r->n,
		    ctp_plural((long long)r->n, "NPI", "NPIs"));
		goto fail;
	}
	for (i = 0; i < r->n; i++)
		if ((rc = open_cycle(r, &r->v[i], e)) != 0)
			goto fail;
	return ctp_db_commit(r->c->db, e);
fail:
	ctp_db_rollback(r->c->db);
	return rc;
}

int
ctp_recred_start(struct ctp_ctx *c, const char *const *npis, size_t n,
    long opened, void (*warn)(void *, const char *), void *warnarg,
    struct ctp_out *o, size_t *attn, struct ctp_error *e)
{
	struct start_run r;
	struct ctp_verify_opts vo;
	long long *pids = NULL;
	size_t i, unverified = 0;
	int rc;

	memset(&r, 0, sizeof(r));
	r.c = c;
	r.o = o;
	r.opened = opened;
	ctp_date_format(opened, r.opened_s);
	if (attn)
		*attn = 0;
	if ((r.v = ctp_calloc(n ? n : 1, sizeof(*r.v))) == NULL)
		return ctp_err_nomem(e, "recred");
	r.n = unique_npis(npis, n, r.v, e, &rc);
	if (rc != 0)
		goto done;
	if ((rc = open_all(&r, warn, warnarg, e)) != 0)
		goto done;
	for (i = 0; i < r.n; i++)
		if ((rc = put_cycle(&r, &r.v[i], e)) != 0)
			goto done;
	if ((pids = ctp_calloc(r.n ? r.n : 1, sizeof(*pids))) == NULL) {
		rc = ctp_err_nomem(e, "recred");
		goto done;
	}
	for (i = 0; i < r.n; i++)
		pids[i] = r.v[i].id;
	memset(&vo, 0, sizeof(vo));
	vo.as_of = r.opened_s;
	rc = ctp_verify_run(c, pids, r.n, &vo, put_verify, &r, &unverified,
	    e);
	r.attn += unverified;
done:
	if (attn)
		*attn = r.attn;
	free(pids);
	free_provs(r.v, r.n);
	return rc;
}
