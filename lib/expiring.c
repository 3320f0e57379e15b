/*
 * expiring.c - the inbox's rules: the kinds of item, which item is due
 * when and in which bucket (expiring.h), pure functions of their inputs,
 * unit-tested without a database (tests/unit/expiring.c).
 */
#include <stdio.h>
#include <string.h>

#include "credential.h"
#include "date.h"
#include "expiring_int.h"

/* Bit i of the kind mask is ctp_exp_kind_names[i]. */
const char *const ctp_exp_kind_names[CTP_EXP_NKINDS] = {
	"state_license", "dea", "cds", "board_cert", "malpractice", "cme",
	"hospital_privileges", "recred", "caqh", "missing", "enrollment"
};

unsigned
ctp_expiring_kind(const char *name)
{
	size_t i;

	if (name == NULL || *name == '\0')
		return 0;
	for (i = 0; i < CTP_EXP_NKINDS; i++)
		if (*name == *ctp_exp_kind_names[i] &&
		    strcmp(name, ctp_exp_kind_names[i]) == 0)
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
	    "hospital_privileges, recred, caqh, missing, enrollment";
}

/* The bit number of a kind bit: its index in kind_names. */
unsigned
ctp_exp_kind_index(unsigned bit)
{
	unsigned i;

	for (i = 0; i < CTP_EXP_NKINDS; i++)
		if (bit == 1u << i)
			return i;
	return 0;
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
ctp_expiring_recred_open(const struct ctp_exp_rules *r, const char *initial,
    const char *last, long opened, long requests, struct ctp_exp_due *d)
{
	struct ctp_exp_rules open = *r;
	struct sb b;

	/* Open: listed whatever the window; --overdue keeps its meaning. */
	if (open.hi >= 0)
		open.hi = LONG_MAX;
	if (!ctp_expiring_recred(&open, initial, last, d))
		return 0;
	b.p = d->detail + d->len;
	b.end = d->detail + sizeof(d->detail) - 1;
	sb_puts(&b, "; cycle open since ");
	sb_date(&b, opened);
	sb_puts(&b, ", ");
	sb_long(&b, requests);
	sb_puts(&b, requests == 1 ? " document requested" :
	    " documents requested");
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
