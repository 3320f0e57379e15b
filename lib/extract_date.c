/*
 * extract_date.c - dates and issuing authorities in a document's text
 * (extract_int.h), and the check of a proposed value (extract.h's
 * ctp_extract_normalize).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "extract.h"
#include "extract_int.h"
#include "validate.h"

int
ctp_x_blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Digits at p: their value and count (at most max), or 0. */
static size_t
digits(const char *p, const char *end, size_t max, int *v)
{
	size_t n = 0;

	*v = 0;
	while (p + n < end && n < max && isdigit((unsigned char)p[n]))
		*v = *v * 10 + (p[n++] - '0');
	if (p + n < end && isdigit((unsigned char)p[n]))
		return 0;	/* longer than max */
	return n;
}

static const char *const months[] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"
};

/* A month's name (or its first three letters, a dot allowed) at p. */
static size_t
month_at(const char *p, const char *end, int *m)
{
	size_t i, k;

	for (i = 0; i < 12; i++) {
		k = strlen(months[i]);
		if ((size_t)(end - p) >= k && strncasecmp(p, months[i], k) == 0
		    && (p + k == end || !isalpha((unsigned char)p[k]))) {
			*m = (int)i + 1;
			return k;
		}
		if (end - p >= 3 && strncasecmp(p, months[i], 3) == 0 &&
		    (p + 3 == end || !isalpha((unsigned char)p[3]))) {
			*m = (int)i + 1;
			return 3 + (p + 3 < end && p[3] == '.');
		}
	}
	return 0;
}

static size_t
spaces(const char *p, const char *end, int comma)
{
	size_t n = 0;

	while (p + n < end && (p[n] == ' ' || (comma && p[n] == ',')))
		n++;
	return n;
}

/* "July 1, 2019", "Jul. 1st 2019" or "1 July 2019" at p. */
static size_t
named_date(const char *p, const char *end, int *y, int *m, int *d)
{
	const char *q = p;
	size_t k;

	if ((k = month_at(q, end, m)) != 0) {
		q += k;
		q += spaces(q, end, 0);
		if ((k = digits(q, end, 2, d)) == 0)
			return 0;
		q += k;
		if (end - q >= 2 && (strncasecmp(q, "st", 2) == 0 ||
		    strncasecmp(q, "nd", 2) == 0 || strncasecmp(q, "rd", 2) == 0
		    || strncasecmp(q, "th", 2) == 0))
			q += 2;
		q += spaces(q, end, 1);
		if ((k = digits(q, end, 4, y)) != 4)
			return 0;
		return (size_t)(q + 4 - p);
	}
	if ((k = digits(q, end, 2, d)) == 0)
		return 0;
	q += k;
	if (spaces(q, end, 0) == 0)
		return 0;
	q += spaces(q, end, 0);
	if ((k = month_at(q, end, m)) == 0)
		return 0;
	q += k;
	q += spaces(q, end, 1);
	if ((k = digits(q, end, 4, y)) != 4)
		return 0;
	return (size_t)(q + 4 - p);
}

/* YYYY-MM-DD, M/D/YYYY or M-D-YYYY at p. */
static size_t
numeric_date(const char *p, const char *end, int *y, int *m, int *d)
{
	const char *q = p;
	size_t k;
	char sep;

	if ((k = digits(q, end, 4, y)) == 4) {
		if (end - q < 10 || q[4] != '-' || digits(q + 5, end, 2, m) != 2
		    || q[7] != '-' || digits(q + 8, end, 2, d) != 2)
			return 0;
		return 10;
	}
	if (k == 0 || k > 2 || q + k >= end)
		return 0;
	*m = *y;
	q += k;
	sep = *q++;
	if ((sep != '/' && sep != '-' && sep != '.') ||
	    (k = digits(q, end, 2, d)) == 0)
		return 0;
	q += k;
	if (q >= end || *q++ != sep || digits(q, end, 4, y) != 4)
		return 0;
	return (size_t)(q + 4 - p);
}

size_t
ctp_x_date_at(const char *p, const char *end, long *day)
{
	int y = 0, m = 0, d = 0;
	size_t k;

	if (isdigit((unsigned char)*p))
		k = numeric_date(p, end, &y, &m, &d);
	else
		k = 0;
	if (k == 0)
		k = named_date(p, end, &y, &m, &d);
	if (k == 0 || y < 1900 || y > 2200 || !ctp_date_valid(y, m, d))
		return 0;
	*day = ctp_date_from_ymd(y, m, d);
	return k;
}

/* 1 when word is in s..s+n as a whole word. */
static int
has_word(const char *s, size_t n, const char *word)
{
	const char *p = s, *end = s + n;
	size_t w = strlen(word);

	while ((p = ctp_x_find(p, (size_t)(end - p), word)) != NULL) {
		if ((p == s || !isalpha((unsigned char)p[-1])) &&
		    (p + w == end || !isalpha((unsigned char)p[w])))
			return 1;
		p++;
	}
	return 0;
}

/* What the words before a date say it is. */
static int
role_of(const char *s, size_t n, int after_date)
{
	static const char *const skip[] = { "birth", "retro", "print",
	    "dob", "signed", NULL };
	static const char *const exp[] = { "expir", "exp.", "exp date",
	    "valid through", "valid thru", "valid until", "good through",
	    "renewal date", NULL };
	static const char *const exp_words[] = { "through", "thru", "until",
	    "expires", "to", NULL };
	static const char *const iss[] = { "issue", "effective", "granted",
	    "certified", "certification", "original", "period", "initial",
	    "date of", NULL };
	int i;

	for (i = 0; skip[i]; i++)
		if (ctp_x_find(s, n, skip[i]))
			return -1;
	for (i = 0; exp[i]; i++)
		if (ctp_x_find(s, n, exp[i]))
			return CTP_X_ROLE_EXPIRES;
	for (i = 0; exp_words[i]; i++)
		if (has_word(s, n, exp_words[i]))
			return CTP_X_ROLE_EXPIRES;
	if (has_word(s, n, "from"))
		return CTP_X_ROLE_ISSUED;
	for (i = 0; iss[i]; i++)
		if (ctp_x_find(s, n, iss[i]))
			return CTP_X_ROLE_ISSUED;
	/* "01/01/2026 - 01/01/2027": the second ends the period. */
	if (after_date && ctp_x_find(s, n, "-"))
		return CTP_X_ROLE_EXPIRES;
	return CTP_X_ROLE_NONE;
}

static void
keep(struct ctp_x_dates *d, long day, int role, int conf, const char *s,
    size_t n)
{
	struct ctp_x_date *x;

	if (d->n >= CTP_X_DATES)
		return;
	x = &d->d[d->n++];
	x->day = day;
	x->role = role;
	x->conf = conf;
	ctp_x_copy(x->line, sizeof(x->line), s, n);
}

void
ctp_x_dates_line(struct ctp_x_dates *d, const char *s, size_t n,
    const char *prev, size_t pn)
{
	const char *p = s, *end = s + n, *from = s;
	long day;
	size_t k;
	int role, seen = 0, prev_role = CTP_X_ROLE_NONE;

	while (p < end) {
		if ((p > s && isalnum((unsigned char)p[-1])) ||
		    (k = ctp_x_date_at(p, end, &day)) == 0) {
			p++;
			continue;
		}
		role = role_of(from, (size_t)(p - from), seen);
		if (role == CTP_X_ROLE_NONE && !seen && prev != NULL &&
		    ctp_x_blank(from, (size_t)(p - from)))
			role = role_of(prev, pn, 0);	/* a label above */
		/* "Policy Period: A to B": B ends what A begins. */
		if (role == CTP_X_ROLE_EXPIRES && seen &&
		    prev_role == CTP_X_ROLE_EXPIRES)
			role = CTP_X_ROLE_EXPIRES;
		if (role == CTP_X_ROLE_ISSUED && seen &&
		    prev_role == CTP_X_ROLE_ISSUED && ctp_x_find(from,
		    (size_t)(p - from), "-"))
			role = CTP_X_ROLE_EXPIRES;
		if (role > 0)
			keep(d, day, role, 90, s, n);
		prev_role = role;
		seen = 1;
		p += k;
		from = p;
	}
}

/* The first date of role, how many different ones, and the line. */
static const struct ctp_x_date *
first_of(const struct ctp_x_dates *d, int role, int *distinct, long *other)
{
	const struct ctp_x_date *f = NULL;
	int i;

	*distinct = 0;
	for (i = 0; i < d->n; i++) {
		if (d->d[i].role != role)
			continue;
		if (f == NULL) {
			f = &d->d[i];
			*distinct = 1;
		} else if (d->d[i].day != f->day && *distinct == 1) {
			*distinct = 2;
			*other = d->d[i].day;
		}
	}
	return f;
}

/* The first date of its role; two different ones: doubtful, flagged. */
static void
set_date(struct ctp_xvalue *v, const struct ctp_x_date *f, int distinct,
    long other, const char *what)
{
	char a[CTP_DATE_LEN], b[CTP_DATE_LEN];

	ctp_date_format(f->day, v->value);
	v->confidence = distinct > 1 ? 40 : f->conf;
	snprintf(v->line, sizeof(v->line), "%s", f->line);
	if (distinct > 1) {
		ctp_date_format(f->day, a);
		ctp_date_format(other, b);
		snprintf(v->flag, sizeof(v->flag), "conflicting %s dates (%s, "
		    "%s)", what, a, b);
	}
}

void
ctp_x_dates_decide(const struct ctp_x_dates *d, struct ctp_extract *x)
{
	const struct ctp_x_date *iss, *exp;
	struct ctp_xvalue *ve = &x->f[CTP_X_EXPIRES];
	char a[CTP_DATE_LEN];
	long oi = 0, oe = 0;
	int ni, ne;

	iss = first_of(d, CTP_X_ROLE_ISSUED, &ni, &oi);
	exp = first_of(d, CTP_X_ROLE_EXPIRES, &ne, &oe);
	if (iss != NULL)
		set_date(&x->f[CTP_X_ISSUED], iss, ni, oi, "issue");
	if (exp == NULL)
		return;
	set_date(ve, exp, ne, oe, "expiration");
	if (iss != NULL && exp->day <= iss->day) {
		ctp_date_format(iss->day, a);
		ve->confidence = 0;
		snprintf(ve->flag, sizeof(ve->flag), "expiration date not "
		    "after the issue date (%s): not proposed", a);
	}
}

/* A state's full name starting at p (up to three words): its code. */
static int
state_at(const char *p, const char *end, char code[3])
{
	char buf[48];
	size_t len[3], k = 0, i;
	int w;

	for (w = 0; w < 3 && p + k < end; w++) {
		while (p + k < end && isalpha((unsigned char)p[k]))
			k++;
		len[w] = k;
		if (p + k >= end || p[k] != ' ' || p + k + 1 >= end ||
		    !isalpha((unsigned char)p[k + 1])) {
			w++;
			break;
		}
		k++;
	}
	for (i = (size_t)w; i > 0; i--) {
		if (len[i - 1] <= 2 || len[i - 1] >= sizeof(buf))
			continue;
		memcpy(buf, p, len[i - 1]);
		buf[len[i - 1]] = '\0';
		if (ctp_check_state(buf, code) == NULL)
			return 0;
	}
	return -1;
}

/* A license's state: "State of X", a line of a board or department. */
static void
license_state(const char *s, size_t n, struct ctp_xvalue *v)
{
	const char *p, *end = s + n;
	char code[3];
	int conf = 0;

	if ((p = ctp_x_find(s, n, "state of ")) != NULL ||
	    (p = ctp_x_find(s, n, "commonwealth of ")) != NULL) {
		p = strchr(p, ' ') + 1;
		p += strncasecmp(p, "of ", 3) == 0 ? 3 : 0;
		if (state_at(p, end, code) == 0)
			conf = 90;
	}
	if (conf == 0 && (ctp_x_find(s, n, "board") ||
	    ctp_x_find(s, n, "department") || ctp_x_find(s, n, "division")))
		for (p = s; p < end && conf == 0; p++)
			if ((p == s || p[-1] == ' ') && isupper((unsigned char)*p)
			    && state_at(p, end, code) == 0)
				conf = 75;
	if (conf == 0 && (p = ctp_x_find(s, n, "state:")) != NULL) {
		p += 6;
		while (p < end && *p == ' ')
			p++;
		if (end - p >= 2 && (p + 2 == end || p[2] == ' ')) {
			memcpy(code, p, 2);
			code[2] = '\0';
			if (ctp_check_state(code, code) == NULL)
				conf = 80;
		}
	}
	if (conf == 0)
		return;
	snprintf(v->value, sizeof(v->value), "%s", code);
	v->confidence = conf;
	ctp_x_copy(v->line, sizeof(v->line), s, n);
}

/* s..s+n up to a wide gap (a column of pdftotext -layout). */
static size_t
to_gap(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i++)
		if (s[i] == ' ' && s[i + 1] == ' ' && i > 0)
			return i;
	return n;
}

static void
issuer(const char *s, size_t n, const char *from, int conf,
    struct ctp_xvalue *v)
{
	const char *end = s + n;

	while (from < end && (*from == ' ' || *from == ':'))
		from++;
	if (from >= end)
		return;
	ctp_x_copy(v->value, sizeof(v->value), from, to_gap(from,
	    (size_t)(end - from)));
	ctp_x_trim_marks(v->value);
	if (strlen(v->value) < 4) {
		v->value[0] = '\0';
		return;
	}
	v->confidence = conf;
	ctp_x_copy(v->line, sizeof(v->line), s, n);
}

void
ctp_x_authority(const char *s, size_t n, const char *kind,
    struct ctp_xvalue *v)
{
	static const char *const labels[] = { "insurer:", "carrier:",
	    "insurance company:", "company:", "issued by:", NULL };
	static const char *const words[] = { "insurance company",
	    "mutual", "assurance", "indemnity", "insurance exchange", "company",
	    NULL };
	const char *p, *t = s;
	int i;

	if (v->confidence > 0)
		return;
	while (t < s + n && *t == ' ')
		t++;
	if (strcmp(kind, "license") == 0)
		license_state(s, n, v);
	else if (strcmp(kind, "dea") == 0) {
		if (ctp_x_find(s, n, "drug enforcement administration")) {
			snprintf(v->value, sizeof(v->value), "Drug "
			    "Enforcement Administration");
			v->confidence = 90;
			ctp_x_copy(v->line, sizeof(v->line), s, n);
		}
	} else if (strcmp(kind, "board_cert") == 0) {
		if (ctp_x_find(s, n, "board of") &&
		    !ctp_x_find(s, n, "certified"))
			issuer(s, n, t, 85, v);
	} else if (strcmp(kind, "malpractice") == 0) {
		for (i = 0; labels[i]; i++)
			if ((p = ctp_x_find(s, n, labels[i])) != NULL) {
				issuer(s, n, p + strlen(labels[i]), 85, v);
				return;
			}
		for (i = 0; words[i]; i++)
			if (ctp_x_find(s, n, words[i]) &&
			    !ctp_x_find(s, n, ":")) {
				issuer(s, n, t, 60, v);
				return;
			}
	}
}

int
ctp_extract_normalize(enum ctp_xfield f, const char *kind, const char *v,
    char out[CTP_X_VALUE])
{
	long day;
	size_t n = strlen(v);
	char dea[10];

	if (n == 0 || n >= CTP_X_VALUE || ctp_check_text(v, CTP_X_VALUE - 1))
		return -1;
	switch (f) {
	case CTP_X_ISSUED:
	case CTP_X_EXPIRES:
		if (ctp_x_date_at(v, v + n, &day) != n)
			return -1;
		ctp_date_format(day, out);
		return 0;
	case CTP_X_NUMBER:
		if (strcmp(kind, "dea") == 0) {
			if (ctp_check_dea(v, NULL, NULL, dea) != NULL)
				return -1;
			snprintf(out, CTP_X_VALUE, "%s", dea);
			return 0;
		}
		break;
	case CTP_X_AUTHORITY:
		if (strcmp(kind, "license") == 0)
			return ctp_check_state(v, out) == NULL ? 0 : -1;
		break;
	default:
		break;
	}
	ctp_x_copy(out, CTP_X_VALUE, v, n);
	return *out ? 0 : -1;
}
