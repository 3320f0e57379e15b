#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "date.h"
#include "db.h"
#include "expiring.h"
#include "mem.h"
#include "org.h"

/* Bit i of the kind mask is kind_names[i]. */
static const char *const kind_names[] = {
	"state_license", "dea", "cds", "board_cert", "malpractice", "cme",
	"hospital_privileges", "recred", "caqh"
};
#define NKINDS (sizeof(kind_names) / sizeof(kind_names[0]))
#define CRED_KINDS (CTP_EXP_RECRED - 1u)
#define ALL_KINDS ((CTP_EXP_CAQH << 1) - 1u)

const struct ctp_col ctp_expiring_columns[] = {
	{ "org", CTP_COL_STR },
	{ "npi", CTP_COL_STR },
	{ "provider", CTP_COL_STR },
	{ "coordinator", CTP_COL_STR },
	{ "item", CTP_COL_STR },
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

#define CHUNK_SIZE (256 * 1024)

unsigned
ctp_expiring_kind(const char *name)
{
	size_t i;

	if (name == NULL)
		return 0;
	for (i = 0; i < NKINDS; i++)
		if (strcmp(name, kind_names[i]) == 0)
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
	    "hospital_privileges, recred, caqh";
}

const char *
ctp_expiring_bucket(long days_left, const long *thr, int n,
    char out[CTP_EXP_BUCKET_LEN])
{
	long best = -1;
	int i;

	if (days_left < 0) {
		snprintf(out, CTP_EXP_BUCKET_LEN, "overdue");
		return out;
	}
	for (i = 0; i < n; i++)
		if (thr[i] >= days_left && (best < 0 || thr[i] < best))
			best = thr[i];
	if (best < 0)
		snprintf(out, CTP_EXP_BUCKET_LEN, "later");
	else
		snprintf(out, CTP_EXP_BUCKET_LEN, "%ld", best);
	return out;
}

long
ctp_expiring_recred_due(long last, long months)
{
	return ctp_date_add_months(last, (int)months);
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
	memset(l, 0, sizeof(*l));
}

/* A copy of s in l's storage; NULL when out of memory. */
static const char *
keep(struct ctp_exp_list *l, const char *s)
{
	struct ctp_exp_chunk *k = l->chunks;
	size_t n = strlen(s) + 1, cap;
	char *p;

	if (k == NULL || k->cap - k->used < n) {
		cap = n > CHUNK_SIZE ? n : CHUNK_SIZE;
		if ((k = ctp_malloc(sizeof(*k) + cap)) == NULL)
			return NULL;
		k->next = l->chunks;
		k->used = 0;
		k->cap = cap;
		l->chunks = k;
	}
	p = k->data + k->used;
	memcpy(p, s, n);
	k->used += n;
	return p;
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
	long as_of;
	long within;
	long hi;		/* largest days_left listed */
	long thr[CTP_EXP_MAX_THRESHOLDS];
	int nthr;
	long months;
	long attest;
	unsigned kinds;
	const char *coordinator;
};

/* The provider columns every query reads, from column i on. */
struct who {
	const char *npi, *provider, *coordinator;	/* kept, or NULL */
};

static void
provider_name(sqlite3_stmt *st, int i, char *out, size_t n)
{
	const char *last = ctp_col_text(st, i), *first = ctp_col_text(st, i + 1);
	const char *middle = ctp_col_text(st, i + 2);
	const char *suffix = ctp_col_text(st, i + 3);

	snprintf(out, n, "%s, %s%s%s%s%s", last, first, *middle ? " " : "",
	    middle, *suffix ? " " : "", suffix);
}

/* Keep the provider's npi, name and coordinator once for all its items. */
static int
keep_who(struct ctp_exp_list *l, sqlite3_stmt *st, int npi_col,
    int name_col, int coord_col, struct who *w)
{
	char name[512];

	if (w->npi != NULL)
		return 0;
	provider_name(st, name_col, name, sizeof(name));
	if ((w->npi = keep(l, ctp_col_text(st, npi_col))) == NULL ||
	    (w->provider = keep(l, name)) == NULL ||
	    (w->coordinator = keep(l, ctp_col_text(st, coord_col))) == NULL)
		return -1;
	return 0;
}

static int
emit(struct ctp_exp_list *l, const struct org *o, const struct who *w,
    const char *item, const char *detail, long due)
{
	struct ctp_exp_item *it;

	if ((it = add_item(l)) == NULL)
		return -1;
	it->org = o->name;
	it->npi = w->npi;
	it->provider = w->provider;
	it->coordinator = w->coordinator;
	it->item = item;
	if ((it->detail = keep(l, detail)) == NULL) {
		l->n--;
		return -1;
	}
	it->due = due;
	it->days_left = due - o->as_of;
	ctp_expiring_bucket(it->days_left, o->thr, o->nthr, it->bucket);
	return 0;
}

/* The kind name as stored in the list: the static string. */
static const char *
kind_item(unsigned bit)
{
	size_t i;

	for (i = 0; i < NKINDS; i++)
		if (bit == 1u << i)
			return kind_names[i];
	return "?";
}

static int
credentials(struct ctp_ctx *c, const struct org *o, struct ctp_exp_list *l,
    struct ctp_error *e)
{
	static const char base[] =
	    "SELECT p.npi, p.last_name, p.first_name, p.middle_name, p.suffix,"
	    " p.coordinator, c.kind, c.state, c.number, c.expires"
	    " FROM credentials c JOIN providers p ON p.id = c.provider_id"
	    " WHERE c.status = 'active' AND c.expires <= ?1"
	    " AND c.kind <> 'caqh_attestation'"
	    " AND p.status IN ('active', 'pending')";
	static const char mine[] = " AND p.coordinator = ?2";
	char sql[sizeof(base) + sizeof(mine)], hi[CTP_DATE_LEN], detail[512];
	sqlite3_stmt *st;
	struct who w;
	const char *state, *number;
	unsigned bit;
	long due;
	int rc;

	snprintf(sql, sizeof(sql), "%s%s", base, o->coordinator ? mine : "");
	if (ctp_db_prepare(c->db, &st, sql, e))
		return e->code;
	/* Stored dates are ISO, so text order is date order. */
	ctp_date_format(o->as_of + o->hi, hi);
	ctp_bind_text(st, 1, hi);
	if (o->coordinator)
		ctp_bind_text(st, 2, o->coordinator);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		bit = ctp_expiring_kind(ctp_col_text(st, 6));
		if (!(bit & o->kinds))
			continue;
		if (ctp_date_parse(ctp_col_text(st, 9), &due) < 0) {
			l->bad_dates++;
			continue;
		}
		if (due - o->as_of > o->hi)
			continue;
		state = ctp_col_text(st, 7);
		number = ctp_col_text(st, 8);
		snprintf(detail, sizeof(detail), "%s%s%s%s%s", state,
		    *state ? " " : "", kind_item(bit), *number ? " " : "",
		    number);
		w.npi = NULL;
		if (keep_who(l, st, 0, 1, 5, &w) < 0 ||
		    emit(l, o, &w, kind_item(bit), detail, due) < 0) {
			sqlite3_finalize(st);
			return ctp_err_nomem(e, "expiring");
		}
	}
	sqlite3_finalize(st);
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

static const struct attest *
find_attest(const struct attest *v, size_t n, long long id)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v[mid].id < id)
			lo = mid + 1;
		else if (v[mid].id > id)
			hi = mid;
		else
			return &v[mid];
	}
	return NULL;
}

/*
 * Re-credentialing and CAQH re-attestation: computed per provider in C.
 * Reading every provider row is cheap (100,000 in tens of milliseconds)
 * and a due date 36 months on with the day clamped is no SQL expression.
 */
static int
providers(struct ctp_ctx *c, const struct org *o, struct ctp_exp_list *l,
    struct ctp_error *e)
{
	static const char base[] =
	    "SELECT id, npi, last_name, first_name, middle_name, suffix,"
	    " coordinator, caqh_id, caqh_attested, initial_cred_date,"
	    " last_recred_date FROM providers"
	    " WHERE status IN ('active', 'pending')";
	static const char mine[] = " AND coordinator = ?1";
	char sql[sizeof(base) + sizeof(mine)], detail[512], d[CTP_DATE_LEN];
	sqlite3_stmt *st;
	struct attest *att = NULL;
	const struct attest *a;
	size_t natt = 0;
	struct who w;
	const char *s, *caqh_id, *what;
	long last, due;
	int rc, have;

	if ((o->kinds & CTP_EXP_CAQH) &&
	    (rc = attestations(c, l, &att, &natt, e)) != 0)
		return rc;
	snprintf(sql, sizeof(sql), "%s%s", base, o->coordinator ? mine : "");
	if (ctp_db_prepare(c->db, &st, sql, e)) {
		free(att);
		return e->code;
	}
	if (o->coordinator)
		ctp_bind_text(st, 1, o->coordinator);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		w.npi = NULL;
		if (o->kinds & CTP_EXP_RECRED) {
			s = ctp_col_text(st, 10);
			what = "recredentialed";
			if (*s == '\0') {
				s = ctp_col_text(st, 9);
				what = "initial";
			}
			have = *s != '\0';
			if (have && ctp_date_parse(s, &last) < 0) {
				l->bad_dates++;
				have = 0;
			}
			if (have) {
				due = ctp_expiring_recred_due(last, o->months);
				ctp_date_format(last, d);
				snprintf(detail, sizeof(detail),
				    "%s %s, every %ld months", what, d,
				    o->months);
				if (due - o->as_of <= o->hi &&
				    (keep_who(l, st, 1, 2, 6, &w) < 0 ||
				    emit(l, o, &w, "recred", detail, due) < 0))
					goto nomem;
			}
		}
		if (o->kinds & CTP_EXP_CAQH) {
			caqh_id = ctp_col_text(st, 7);
			s = ctp_col_text(st, 8);
			have = *s != '\0';
			if (have && ctp_date_parse(s, &last) < 0) {
				l->bad_dates++;
				have = 0;
			}
			due = 0;
			if (have) {
				due = last + o->attest;
				ctp_date_format(last, d);
				snprintf(detail, sizeof(detail),
				    "CAQH%s%s attested %s, every %ld days",
				    *caqh_id ? " " : "", caqh_id, d,
				    o->attest);
			}
			/* A later attestation record wins. */
			a = find_attest(att, natt, sqlite3_column_int64(st, 0));
			if (a != NULL && (!have || a->due > due)) {
				due = a->due;
				have = 1;
				snprintf(detail, sizeof(detail),
				    "CAQH%s%s attestation record",
				    *caqh_id ? " " : "", caqh_id);
			}
			if (have && due - o->as_of <= o->hi &&
			    (keep_who(l, st, 1, 2, 6, &w) < 0 ||
			    emit(l, o, &w, "caqh", detail, due) < 0))
				goto nomem;
		}
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

static int
settle(struct ctp_ctx *c, const struct ctp_exp_query *q, struct org *o,
    struct ctp_exp_list *l, struct ctp_error *e)
{
	char *name = NULL, *tz = NULL;
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
	if ((rc = ctp_org_get_long(c->db, "recred_months", &o->months, e)) ||
	    (rc = ctp_org_get_long(c->db, "caqh_attest_days", &o->attest, e)))
		return rc;
	o->nthr = ctp_org_thresholds(c->db, o->thr, CTP_EXP_MAX_THRESHOLDS, e);
	if (o->nthr < 0)
		return e->code;
	if (o->nthr == 0)
		return ctp_errf(e, CTP_DATAERR, "settings",
		    "inbox_thresholds: no thresholds");
	if (q->as_of >= 0)
		o->as_of = q->as_of;
	else {
		if ((rc = ctp_org_get(c->db, "timezone", &tz, e)) != 0)
			return rc;
		o->as_of = ctp_date_today(tz);
		free(tz);
	}
	o->within = q->within;
	if (o->within < 0)
		for (i = 0; i < o->nthr; i++)
			if (o->thr[i] > o->within)
				o->within = o->thr[i];
	o->hi = q->overdue ? -1 : o->within;
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

	ctp_date_format(o->as_of, asof);
	for (i = 0; i < NKINDS; i++)
		if (o->kinds != ALL_KINDS && (o->kinds & (1u << i))) {
			if (*kinds)
				strcat(kinds, ",");
			strcat(kinds, kind_names[i]);
		}
	d = json_pack("{s:s, s:I, s:b, s:s?, s:s?, s:I}", "as_of", asof,
	    "within", (json_int_t)o->within, "overdue", o->hi < 0,
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
	size_t before = l->n;
	int rc;

	if ((rc = settle(c, q, &o, l, e)) != 0)
		return rc;
	if ((o.kinds & CRED_KINDS) && (rc = credentials(c, &o, l, e)) != 0)
		goto fail;
	if ((o.kinds & (CTP_EXP_RECRED | CTP_EXP_CAQH)) &&
	    (rc = providers(c, &o, l, e)) != 0)
		goto fail;
	if ((rc = audit_read(c, &o, (long long)(l->n - before), e)) != 0)
		goto fail;
	return 0;
fail:
	/* All or nothing per organization. */
	l->n = before;
	return rc;
}

static int
cmp_item(const void *pa, const void *pb)
{
	const struct ctp_exp_item *a = pa, *b = pb;
	int r;

	if (a->due != b->due)
		return a->due < b->due ? -1 : 1;
	if ((r = strcmp(a->provider, b->provider)) != 0 ||
	    (r = strcmp(a->org, b->org)) != 0 ||
	    (r = strcmp(a->npi, b->npi)) != 0 ||
	    (r = strcmp(a->item, b->item)) != 0)
		return r;
	return strcmp(a->detail, b->detail);
}

void
ctp_expiring_sort(struct ctp_exp_list *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(l->v[0]), cmp_item);
}

int
ctp_expiring_write(const struct ctp_exp_list *l, struct ctp_out *o,
    struct ctp_error *e)
{
	const struct ctp_exp_item *it;
	const char *row[CTP_EXPIRING_NCOLUMNS];
	char due[CTP_DATE_LEN], left[24];
	size_t i;
	int rc;

	for (i = 0; i < l->n; i++) {
		it = &l->v[i];
		ctp_date_format(it->due, due);
		snprintf(left, sizeof(left), "%ld", it->days_left);
		row[0] = it->org;
		row[1] = it->npi;
		row[2] = it->provider;
		row[3] = it->coordinator;
		row[4] = it->item;
		row[5] = it->detail;
		row[6] = due;
		row[7] = left;
		row[8] = it->bucket;
		if ((rc = ctp_out_row(o, row, e)) != 0)
			return rc;
	}
	return 0;
}
