/*
 * invoice.c - one organization's invoice for a month (invoice.h): the
 * seat rule over the roster's status history, the sums in whole cents,
 * the billing audit event, and the invoice as JSON, text and a CSV row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "date.h"
#include "db.h"
#include "invoice.h"
#include "mem.h"
#include "org.h"

const struct ctp_col ctp_invoice_columns[] = {
	{ "organization", CTP_COL_STR },
	{ "database", CTP_COL_STR },
	{ "month", CTP_COL_STR },
	{ "plan", CTP_COL_STR },
	{ "seats", CTP_COL_INT },
	{ "base_fee", CTP_COL_STR },
	{ "seat_price", CTP_COL_STR },
	{ "base_amount", CTP_COL_STR },
	{ "seats_amount", CTP_COL_STR },
	{ "subtotal", CTP_COL_STR },
	{ "total", CTP_COL_STR },
};

static int
active(const char *s)
{
	return s != NULL && strcmp(s, "active") == 0;
}

int
ctp_invoice_billed(long created, const char *initial,
    const struct ctp_invoice_change *ch, size_t n, long first, long last)
{
	const char *cur = initial;
	long start = created;
	size_t i;

	for (i = 0; i < n; i++) {
		/* [start, ch[i].day], both days in. */
		if (active(cur) && start <= last && ch[i].day >= first)
			return 1;
		cur = ch[i].status;
		if (ch[i].day > start)
			start = ch[i].day;
	}
	return active(cur) && start <= last;
}

int
ctp_invoice_month_parse(const char *s, int *year, int *month)
{
	int i;

	for (i = 0; i < 7; i++)
		if (i == 4 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return -1;
	if (s[7] != '\0')
		return -1;
	*year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	*month = (s[5] - '0') * 10 + (s[6] - '0');
	if (*year < 1970 || *month < 1 || *month > 12)
		return -1;
	return 0;
}

void
ctp_invoice_free(struct ctp_invoice *inv)
{
	size_t i;

	for (i = 0; i < inv->n; i++) {
		free(inv->v[i].npi);
		free(inv->v[i].last);
		free(inv->v[i].first);
	}
	free(inv->v);
	free(inv->org);
	free(inv->db);
	memset(inv, 0, sizeof(*inv));
}

static int
add_seat(struct ctp_invoice *inv, const char *npi, const char *last,
    const char *first)
{
	struct ctp_invoice_seat *v;
	size_t cap;

	if (inv->n == inv->cap) {
		cap = inv->cap ? inv->cap * 2 : 32;
		if ((v = ctp_realloc(inv->v, cap * sizeof(*v))) == NULL)
			return -1;
		inv->v = v;
		inv->cap = cap;
	}
	v = &inv->v[inv->n];
	v->npi = ctp_strdup(npi);
	v->last = ctp_strdup(last);
	v->first = ctp_strdup(first);
	if (v->npi == NULL || v->last == NULL || v->first == NULL) {
		free(v->npi);
		free(v->last);
		free(v->first);
		return -1;
	}
	inv->n++;
	return 0;
}

static int
cmp_seat(const void *a, const void *b)
{
	const struct ctp_invoice_seat *x = a, *y = b;
	int c = strcmp(x->last, y->last);

	if (c == 0)
		c = strcmp(x->first, y->first);
	return c ? c : strcmp(x->npi, y->npi);
}

/* The status changes of one provider, gathered from the history scan. */
struct changes {
	struct ctp_invoice_change *v;
	char (*s)[16];
	size_t n, cap;
	char initial[16];
};

static int
push(struct changes *h, long day, const char *status)
{
	struct ctp_invoice_change *v;
	char (*s)[16];
	size_t cap, i;

	if (h->n == h->cap) {
		cap = h->cap ? h->cap * 2 : 8;
		if ((v = ctp_realloc(h->v, cap * sizeof(*v))) == NULL)
			return -1;
		h->v = v;
		if ((s = ctp_realloc(h->s, cap * sizeof(*s))) == NULL)
			return -1;
		h->s = s;
		h->cap = cap;
		for (i = 0; i < h->n; i++)
			h->v[i].status = h->s[i];
	}
	snprintf(h->s[h->n], sizeof(h->s[0]), "%s", status);
	h->v[h->n].day = day;
	h->v[h->n].status = h->s[h->n];
	h->n++;
	return 0;
}

/*
 * Read provider pid's status changes from hs (history rows in provider
 * order, already stepped to the first row not before pid; *more 0 once
 * they are all read) into h.
 */
static int
read_changes(sqlite3_stmt *hs, int *more, long long pid, struct changes *h,
    struct ctp_error *e)
{
	const char *old;
	long day;
	int rc;

	h->n = 0;
	h->initial[0] = '\0';
	while (*more && sqlite3_column_int64(hs, 0) <= pid) {
		if (sqlite3_column_int64(hs, 0) == pid &&
		    ctp_date_parse(ctp_col_text(hs, 1), &day) == 0) {
			old = ctp_col_text(hs, 2);
			if (h->n == 0 && h->initial[0] == '\0')
				snprintf(h->initial, sizeof(h->initial), "%s",
				    *old ? old : ctp_col_text(hs, 3));
			if (push(h, day, ctp_col_text(hs, 3)) < 0)
				return ctp_err_nomem(e, "invoice");
		}
		if ((rc = sqlite3_step(hs)) != SQLITE_ROW) {
			*more = 0;
			if (rc != SQLITE_DONE)
				return ctp_db_err(sqlite3_db_handle(hs), rc,
				    "history", e);
		}
	}
	return 0;
}

static int
seats(struct ctp_ctx *c, long first, long last, struct ctp_invoice *inv,
    struct ctp_error *e)
{
	sqlite3_stmt *ps = NULL, *hs = NULL;
	struct changes h = { 0 };
	long created;
	long long pid;
	int rc, more;

	if (ctp_db_prepare(c->db, &ps, "SELECT id, npi, last_name,"
	    " first_name, status, substr(created_at, 1, 10) FROM providers"
	    " ORDER BY id", e) ||
	    ctp_db_prepare(c->db, &hs, "SELECT provider_id, substr(ts, 1, 10),"
	    " old_value, new_value FROM history WHERE field = 'status' AND"
	    " credential_id IS NULL ORDER BY provider_id, ts, id", e))
		goto done;
	rc = sqlite3_step(hs);
	more = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		ctp_db_err(c->db, rc, "history", e);
		goto done;
	}
	while ((rc = sqlite3_step(ps)) == SQLITE_ROW) {
		pid = sqlite3_column_int64(ps, 0);
		if (read_changes(hs, &more, pid, &h, e) != 0)
			goto done;
		if (ctp_date_parse(ctp_col_text(ps, 5), &created) < 0)
			continue;
		if (!ctp_invoice_billed(created, h.n ? h.initial :
		    ctp_col_text(ps, 4), h.v, h.n, first, last))
			continue;
		if (add_seat(inv, ctp_col_text(ps, 1), ctp_col_text(ps, 2),
		    ctp_col_text(ps, 3)) < 0) {
			ctp_err_nomem(e, "invoice");
			goto done;
		}
	}
	if (rc != SQLITE_DONE)
		ctp_db_err(c->db, rc, "roster", e);
done:
	sqlite3_finalize(ps);
	sqlite3_finalize(hs);
	free(h.v);
	free(h.s);
	if (e->code == 0 && inv->n > 1)
		qsort(inv->v, inv->n, sizeof(inv->v[0]), cmp_seat);
	return e->code;
}

static int
price(sqlite3 *db, const char *key, long long *cents, struct ctp_error *e)
{
	char *v;
	int rc;

	if ((rc = ctp_org_get(db, key, &v, e)) != 0)
		return rc;
	if (ctp_cents_parse(v, cents) < 0)
		rc = ctp_errf(e, CTP_DATAERR, "settings", "%s: not an amount",
		    key);
	free(v);
	return rc;
}

static int
audit(struct ctp_ctx *c, const struct ctp_invoice *inv, struct ctp_error *e)
{
	char base[CTP_MONEY_LEN], seat[CTP_MONEY_LEN], sub[CTP_MONEY_LEN];
	char tot[CTP_MONEY_LEN];
	json_t *d;
	int rc;

	d = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "month",
	    inv->month, "plan", inv->annual ? "annual" : "monthly", "seats",
	    (json_int_t)inv->seats, "base_fee", ctp_cents_format(inv->base,
	    base), "seat_price", ctp_cents_format(inv->seat, seat), "subtotal",
	    ctp_cents_format(inv->subtotal, sub), "total",
	    ctp_cents_format(inv->total, tot));
	if (d == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(c, "billing.invoice", "invoice", inv->month, d, e);
	json_decref(d);
	return rc;
}

int
ctp_invoice_make(struct ctp_ctx *c, int year, int mon, int annual,
    struct ctp_invoice *inv, struct ctp_error *e)
{
	const char *base;
	char *name = NULL;
	long first, last;
	int rc;

	memset(inv, 0, sizeof(*inv));
	snprintf(inv->month, sizeof(inv->month), "%04d-%02d", year, mon);
	inv->annual = annual;
	inv->months = annual ? 12 : 1;
	if ((rc = ctp_org_get(c->db, "name", &name, e)) != 0)
		return rc;
	base = strrchr(c->path, '/');
	inv->org = *name ? name : ctp_strdup(base ? base + 1 : c->path);
	if (*name == '\0')
		free(name);
	if (inv->org == NULL || (inv->db = ctp_strdup(c->path)) == NULL) {
		ctp_invoice_free(inv);
		return ctp_err_nomem(e, "invoice");
	}
	if ((rc = price(c->db, "price_base", &inv->base, e)) != 0 ||
	    (rc = price(c->db, annual ? "price_seat_annual" : "price_seat",
	    &inv->seat, e)) != 0)
		goto fail;
	first = ctp_date_from_ymd(year, mon, 1);
	last = ctp_date_add_months(first, 1) - 1;
	/* One snapshot of the roster and its history. */
	if ((rc = ctp_db_exec(c->db, "BEGIN", e)) != 0)
		goto fail;
	rc = seats(c, first, last, inv, e);
	ctp_db_rollback(c->db);
	if (rc != 0)
		goto fail;
	inv->seats = (long long)inv->n;
	inv->base_amount = inv->base * inv->months;
	inv->seats_amount = inv->seat * inv->seats * inv->months;
	inv->subtotal = inv->base_amount + inv->seats_amount;
	inv->total = inv->subtotal;
	if ((rc = audit(c, inv, e)) != 0)
		goto fail;
	return 0;
fail:
	ctp_invoice_free(inv);
	return rc;
}

json_t *
ctp_invoice_json(const struct ctp_invoice *inv)
{
	char a[6][CTP_MONEY_LEN];
	json_t *o, *s, *lines;
	size_t i;

	if ((s = json_array()) == NULL)
		return NULL;
	for (i = 0; i < inv->n; i++)
		if (json_array_append_new(s, json_pack("{s:s, s:s, s:s}",
		    "npi", inv->v[i].npi, "last_name", inv->v[i].last,
		    "first_name", inv->v[i].first)) != 0) {
			json_decref(s);
			return NULL;
		}
	lines = json_pack("[{s:s, s:I, s:s, s:s}, {s:s, s:I, s:s, s:s}]",
	    "item", "base", "quantity", (json_int_t)inv->months, "unit",
	    ctp_cents_format(inv->base, a[0]), "amount",
	    ctp_cents_format(inv->base_amount, a[1]),
	    "item", "seats", "quantity", (json_int_t)(inv->seats * inv->months),
	    "unit", ctp_cents_format(inv->seat, a[2]), "amount",
	    ctp_cents_format(inv->seats_amount, a[3]));
	if (lines == NULL) {
		json_decref(s);
		return NULL;
	}
	o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:s, s:s, s:I,"
	    " s:o}", "organization", inv->org, "database", inv->db, "month",
	    inv->month, "plan", inv->annual ? "annual" : "monthly", "months",
	    (json_int_t)inv->months, "seats", (json_int_t)inv->seats, "lines",
	    lines, "subtotal", ctp_cents_format(inv->subtotal, a[4]), "total",
	    ctp_cents_format(inv->total, a[5]), "total_cents",
	    (json_int_t)inv->total, "billed_providers", s);
	return o;
}

int
ctp_invoice_text(FILE *f, const struct ctp_invoice *inv)
{
	char a[5][CTP_MONEY_LEN], what[64];

	fprintf(f, "Invoice %s, %s plan\n", inv->month, inv->annual ?
	    "annual (12 months)" : "monthly");
	ctp_msgf(f, "%.70s", inv->org);
	fprintf(f, "\n%-40s %8s %12s %14s\n", "", "quantity", "unit",
	    "amount");
	snprintf(what, sizeof(what), "Base fee%s", inv->annual ?
	    ", 12 months" : "");
	fprintf(f, "%-40s %8ld %12s %14s\n", what, inv->months,
	    ctp_cents_format(inv->base, a[0]),
	    ctp_cents_format(inv->base_amount, a[1]));
	if (inv->annual)
		snprintf(what, sizeof(what), "Provider seats, %lld x 12 months",
		    inv->seats);
	else
		snprintf(what, sizeof(what), "Provider seats");
	fprintf(f, "%-40s %8lld %12s %14s\n", what, inv->seats * inv->months,
	    ctp_cents_format(inv->seat, a[2]),
	    ctp_cents_format(inv->seats_amount, a[3]));
	fprintf(f, "%-62s %14s\n", "Subtotal",
	    ctp_cents_format(inv->subtotal, a[4]));
	fprintf(f, "%-62s %14s\n\n", "Total",
	    ctp_cents_format(inv->total, a[4]));
	return ferror(f) ? -1 : 0;
}

int
ctp_invoice_row(struct ctp_out *o, const struct ctp_invoice *inv,
    struct ctp_error *e)
{
	char a[6][CTP_MONEY_LEN], n[24];
	const char *v[CTP_INVOICE_NCOLUMNS];

	snprintf(n, sizeof(n), "%lld", inv->seats);
	v[0] = inv->org;
	v[1] = inv->db;
	v[2] = inv->month;
	v[3] = inv->annual ? "annual" : "monthly";
	v[4] = n;
	v[5] = ctp_cents_format(inv->base, a[0]);
	v[6] = ctp_cents_format(inv->seat, a[1]);
	v[7] = ctp_cents_format(inv->base_amount, a[2]);
	v[8] = ctp_cents_format(inv->seats_amount, a[3]);
	v[9] = ctp_cents_format(inv->subtotal, a[4]);
	v[10] = ctp_cents_format(inv->total, a[5]);
	return ctp_out_row(o, v, e);
}
