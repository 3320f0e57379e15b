/*
 * board_check.c - the request, the comparison and the answer of the
 * license board verifiers (board_check.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "board_check.h"
#include "date.h"
#include "names.h"
#include "verifier.h"

/* A string member of o, "" when absent or null; -1 when not a string. */
static int
member(json_t *o, const char *key, const char **out)
{
	json_t *v = o ? json_object_get(o, key) : NULL;

	*out = "";
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -1;
	*out = json_string_value(v);
	return 0;
}

static int
fields(json_t *o, const char *what, const char *const *keys,
    const char **out[], size_t n, char *why, size_t wn)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (member(o, keys[i], out[i]) < 0) {
			snprintf(why, wn, "request: %s.%s: not a string", what,
			    keys[i]);
			return -1;
		}
	return 0;
}

int
ctp_vreq_read(FILE *f, struct ctp_vreq *r, char *why, size_t n)
{
	static const char *const pk[] = { "npi", "last_name", "first_name",
	    "other_names" };
	static const char *const ck[] = { "kind", "number", "state",
	    "expires" };
	const char **pv[] = { &r->npi, &r->last, &r->first,
	    &r->other_names };
	const char **cv[] = { &r->kind, &r->number, &r->state, &r->expires };
	struct ctp_error e;
	json_t *p, *c;
	char d[CTP_DATE_LEN];

	memset(r, 0, sizeof(*r));
	r->npi = r->last = r->first = r->other_names = r->kind = r->number =
	    r->state = r->expires = r->as_of = "";
	ctp_error_clear(&e);
	if (ctp_verifier_read(f, &r->root, &e) != 0) {
		snprintf(why, n, "%s: %s", e.where, e.what);
		return -1;
	}
	p = json_object_get(r->root, "provider");
	c = json_object_get(r->root, "credential");
	if (!json_is_object(p)) {
		snprintf(why, n, "request: no provider");
		return -1;
	}
	if (!json_is_object(c)) {
		snprintf(why, n, "request: no credential: a board checks "
		    "a license, not a provider");
		return -1;
	}
	if (fields(p, "provider", pk, pv, 4, why, n) < 0 ||
	    fields(c, "credential", ck, cv, 4, why, n) < 0 ||
	    member(r->root, "as_of", &r->as_of) < 0) {
		if (*why == '\0')
			snprintf(why, n, "request: as_of: not a string");
		return -1;
	}
	if (*r->number == '\0') {
		snprintf(why, n, "the credential has no number to look up");
		return -1;
	}
	if (*r->expires && ctp_date_normalize(r->expires, d) != 0) {
		snprintf(why, n, "request: credential.expires: not a date");
		return -1;
	}
	if (*r->as_of == '\0')
		r->as_of_day = ctp_date_today(NULL);
	else if (ctp_date_parse(r->as_of, &r->as_of_day) != 0) {
		snprintf(why, n, "request: as_of: not a date");
		return -1;
	}
	r->config = json_object_get(r->root, "config");
	if (r->config != NULL && !json_is_object(r->config) &&
	    !json_is_null(r->config)) {
		snprintf(why, n, "request: config: not an object");
		return -1;
	}
	return 0;
}

void
ctp_vreq_free(struct ctp_vreq *r)
{
	json_decref(r->root);
	r->root = NULL;
	r->config = NULL;
}

const char *
ctp_vreq_config(const struct ctp_vreq *r, const char *key)
{
	json_t *v;

	if (r->config == NULL || !json_is_object(r->config))
		return NULL;
	v = json_object_get(r->config, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

void
ctp_board_number_key(const char *s, char *out, size_t n)
{
	const char *p;
	size_t k = 0;
	int prev_digit = 0;

	if (n == 0)
		return;
	for (p = s ? s : ""; *p && k + 1 < n; p++) {
		if (!isalnum((unsigned char)*p))
			continue;
		/* A zero leading a run of digits: MD-0012345 is MD12345. */
		if (*p == '0' && !prev_digit && isdigit((unsigned char)p[1]))
			continue;
		prev_digit = isdigit((unsigned char)*p) != 0;
		out[k++] = (char)toupper((unsigned char)*p);
	}
	out[k] = '\0';
}

/* The first key equal, or one an initial of the other. */
static int
first_agrees(const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return 1;
	if ((a[1] == '\0' || b[1] == '\0') && a[0] == b[0])
		return 1;
	return 0;
}

/* One of the provider's last-name keys among the parts of a whole name
 * (a part, or two or three of them joined: DE LA CRUZ). */
static int
last_in_parts(char keys[CTP_NAME_MAXKEYS][CTP_NAME_KEY], int nk,
    char parts[][CTP_NAME_KEY], int np)
{
	char joined[3 * CTP_NAME_KEY];
	int i, j, k;

	for (i = 0; i < np; i++) {
		joined[0] = '\0';
		for (j = i; j < np && j < i + 3; j++) {
			strcat(joined, parts[j]);
			for (k = 0; k < nk; k++)
				if (strcmp(keys[k], joined) == 0)
					return 1;
		}
	}
	return 0;
}

int
ctp_board_name_agrees(const char *plast, const char *pfirst,
    const char *blast, const char *bfirst, const char *bname)
{
	char pk[CTP_NAME_MAXKEYS][CTP_NAME_KEY];
	char bk[CTP_NAME_MAXKEYS][CTP_NAME_KEY];
	char pf[CTP_NAME_KEY], bf[CTP_NAME_KEY], norm[256], *s, *sp;
	char parts[8][CTP_NAME_KEY];
	int np, nb, i, j;

	if ((np = ctp_name_last_keys(plast, pk)) <= 0)
		return 0;
	if (ctp_name_first_key(pfirst, pf) != 0)
		pf[0] = '\0';
	if (blast && *blast) {
		if ((nb = ctp_name_last_keys(blast, bk)) <= 0)
			return 0;
		for (i = 0; i < np; i++)
			for (j = 0; j < nb; j++)
				if (strcmp(pk[i], bk[j]) == 0)
					goto last_ok;
		return 0;
last_ok:
		if (bfirst == NULL || *bfirst == '\0' || *pf == '\0')
			return 1;
		if (ctp_name_first_key(bfirst, bf) != 0)
			return 0;
		return first_agrees(pf, bf);
	}
	if (bname == NULL || *bname == '\0')
		return 0;
	ctp_name_norm(bname, norm, sizeof(norm));
	nb = 0;
	for (s = strtok_r(norm, " ", &sp); s && nb < 8;
	    s = strtok_r(NULL, " ", &sp))
		snprintf(parts[nb++], CTP_NAME_KEY, "%s", s);
	if (!last_in_parts(pk, np, parts, nb))
		return 0;
	if (*pf == '\0')
		return 1;
	for (i = 0; i < nb; i++)
		if (strcmp(parts[i], pf) == 0)
			return 1;
	return 0;
}

/*
 * The former name of other_names ("LAST, FIRST; LAST") the board's name
 * is, into out (n bytes): 1, or 0 when none.  A former last name alone
 * is worn with the current first name.
 */
static int
former_name(const struct ctp_vreq *r, const struct ctp_board_record *b,
    char *out, size_t n)
{
	char buf[512], *item, *sp, *comma;
	const char *first;

	snprintf(buf, sizeof(buf), "%s", r->other_names);
	for (item = strtok_r(buf, ";", &sp); item;
	    item = strtok_r(NULL, ";", &sp)) {
		item += strspn(item, " ");
		first = r->first;
		if ((comma = strchr(item, ',')) != NULL) {
			*comma = '\0';
			first = comma + 1 + strspn(comma + 1, " ");
			if (*first == '\0')
				first = r->first;
		}
		if (*item && ctp_board_name_agrees(item, first, b->last,
		    b->first, b->name)) {
			snprintf(out, n, "%s, %s", item, first);
			return 1;
		}
	}
	return 0;
}

/* s is one of the comma-separated words of list (any case, spaces
 * around a word ignored). */
static int
word_in(const char *s, const char *list)
{
	size_t ls, lw;
	const char *w, *end;

	while (*s == ' ')
		s++;
	for (ls = strlen(s); ls > 0 && s[ls - 1] == ' '; ls--)
		;
	for (w = list; *w; w = *end ? end + 1 : end) {
		while (*w == ' ')
			w++;
		end = w + strcspn(w, ",");
		for (lw = (size_t)(end - w); lw > 0 && w[lw - 1] == ' '; lw--)
			;
		if (lw == ls && lw > 0 && strncasecmp(w, s, lw) == 0)
			return 1;
	}
	return 0;
}

static int
add(struct ctp_buf *b, int *n, const char *fmt, const char *a,
    const char *c)
{
	int rc = 0;

	if ((*n)++ > 0)
		rc |= ctp_buf_puts(b, "; ");
	rc |= ctp_buf_printf(b, fmt, a, c);
	return rc;
}

/* The board's expiry against the credential's and the day: 0 or -1. */
static int
expiry(const struct ctp_vreq *r, const char *bexp, struct ctp_buf *d,
    int *n)
{
	char be[CTP_DATE_LEN], ce[CTP_DATE_LEN];
	long day;
	int rc = 0;

	if (bexp == NULL || *bexp == '\0')
		return 0;
	if (ctp_date_parse_expiry(bexp, &day) != 0)
		return add(d, n, "expires: the board's date is not a date "
		    "(%s)%s", bexp, "");
	ctp_date_format(day, be);
	if (*r->expires && ctp_date_normalize(r->expires, ce) == 0 &&
	    strcmp(be, ce) != 0)
		rc |= add(d, n, "expires: the board says %s, the credential "
		    "%s", be, ce);
	if (day < r->as_of_day) {
		char asof[CTP_DATE_LEN];

		ctp_date_format(r->as_of_day, asof);
		rc |= add(d, n, "expired: the board's expiry %s is before %s",
		    be, asof);
	}
	return rc;
}

const char *
ctp_board_compare(const struct ctp_vreq *r, const struct ctp_board_record *b,
    const char *active, struct ctp_buf *d)
{
	char bk[128], ck[128], be[CTP_DATE_LEN], former[300];
	int n = 0, rc = 0;
	long day;

	if (active == NULL || *active == '\0')
		active = CTP_BOARD_ACTIVE_DEFAULT;
	if (b->number) {
		ctp_board_number_key(b->number, bk, sizeof(bk));
		ctp_board_number_key(r->number, ck, sizeof(ck));
		if (strcmp(bk, ck) != 0)
			rc |= add(d, &n, "number: the board says %s, the "
			    "credential %s", b->number, r->number);
	}
	if (b->status && !word_in(b->status, active))
		rc |= add(d, &n, "status: the board says %s (good standing: "
		    "%s)", *b->status ? b->status : "nothing", active);
	rc |= expiry(r, b->expires, d, &n);
	former[0] = '\0';
	if ((b->last || b->name) && !ctp_board_name_agrees(r->last, r->first,
	    b->last, b->first, b->name) && !former_name(r, b, former,
	    sizeof(former))) {
		char bn[300], pn[300];

		if (b->last && *b->last)
			snprintf(bn, sizeof(bn), "%s, %s", b->last,
			    b->first ? b->first : "");
		else
			snprintf(bn, sizeof(bn), "%s", b->name ? b->name : "");
		snprintf(pn, sizeof(pn), "%s, %s", r->last, r->first);
		rc |= add(d, &n, "name: the board says %s, the provider is "
		    "%s", bn, pn);
	}
	if (rc)
		return NULL;
	if (n > 0)
		return "discrepancy";
	/* Verified: say what was seen. */
	rc |= ctp_buf_printf(d, "license %s", b->number ? b->number :
	    r->number);
	if (b->status)
		rc |= ctp_buf_printf(d, ", status %s", b->status);
	if (b->expires && ctp_date_parse_expiry(b->expires, &day) == 0) {
		ctp_date_format(day, be);
		rc |= ctp_buf_printf(d, ", expires %s", be);
	}
	if (*former)
		rc |= ctp_buf_printf(d, ", under the former name %s", former);
	return rc ? NULL : "verified";
}

int
ctp_vanswer(FILE *f, const char *result, const char *method,
    const char *source, const char *reference, const char *detail,
    const char *source_date)
{
	json_t *o;
	char *s;
	int rc;

	o = ctp_verifier_reply(result, source, reference,
	    detail ? json_string(detail) : NULL, source_date);
	if (o && method && json_object_set_new(o, "method",
	    json_string(method)) != 0) {
		json_decref(o);
		o = NULL;
	}
	if (o == NULL)
		return -1;
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (s == NULL)
		return -1;
	rc = fprintf(f, "%s\n", s) < 0 || fflush(f) != 0 ? -1 : 0;
	free(s);
	return rc;
}
