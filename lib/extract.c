/*
 * extract.c - values read off a document's text (extract.h), line by
 * line: a date takes its meaning from the words before it on its line
 * (or, for a date alone on its line, from the line before); a number
 * from its label; a name from its label or from the line after
 * "certifies that".  The dates are found by extract_date.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "extract.h"
#include "extract_int.h"
#include "validate.h"

const char *const ctp_xfield_names[CTP_X_N] = {
	"name", "number", "authority", "issued", "expires"
};

const char *
ctp_extract_credential_kind(const char *k)
{
	if (strcmp(k, "license") == 0)
		return "state_license";
	if (strcmp(k, "dea") == 0 || strcmp(k, "malpractice") == 0 ||
	    strcmp(k, "board_cert") == 0)
		return k;
	return NULL;
}

const char *
ctp_xfield_target(enum ctp_xfield f, const char *kind)
{
	switch (f) {
	case CTP_X_NUMBER:
		return "number";
	case CTP_X_AUTHORITY:
		return strcmp(kind, "license") == 0 ? "state" : "issuer";
	case CTP_X_ISSUED:
		return "issued";
	case CTP_X_EXPIRES:
		return "expires";
	default:
		return NULL;
	}
}

/* Case-insensitive strstr. */
const char *
ctp_x_find(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word), i;

	for (i = 0; i + w <= n; i++)
		if (strncasecmp(s + i, word, w) == 0)
			return s + i;
	return NULL;
}

/* Trim a line into dst. */
void
ctp_x_copy(char *dst, size_t size, const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)*s))
		s++, n--;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	for (; *dst; dst++)
		if ((unsigned char)*dst < 0x20 || *dst == 0x7f)
			*dst = ' ';
}

static void
propose(struct ctp_xvalue *v, const char *value, int conf, const char *line,
    size_t n)
{
	ctp_x_copy(v->value, sizeof(v->value), value, strlen(value));
	v->confidence = conf;
	ctp_x_copy(v->line, sizeof(v->line), line, n);
}

/* Where the value after a label starts: past blanks, ':', '#', "No." */
static const char *
after_label(const char *p, const char *end)
{
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == ':' ||
		    *p == '#' || *p == '.' || *p == '-'))
			p++;
		if (end - p >= 3 && strncasecmp(p, "no", 2) == 0 &&
		    (p[2] == '.' || p[2] == ':' || p[2] == ' '))
			p += 2;
		else if (end - p >= 7 && strncasecmp(p, "number", 6) == 0 &&
		    !isalnum((unsigned char)p[6]))
			p += 6;
		else
			return p;
	}
}

/* A number-like token at p: letters, digits, '.', '-', '/'; needs a digit. */
static int
token(const char *p, const char *end, char out[CTP_X_VALUE])
{
	size_t n = 0;
	int digit = 0;

	while (p < end && n + 1 < CTP_X_VALUE && (isalnum((unsigned char)*p) ||
	    ((*p == '.' || *p == '-' || *p == '/') && p + 1 < end &&
	    isalnum((unsigned char)p[1])))) {
		digit |= isdigit((unsigned char)*p);
		out[n++] = (char)toupper((unsigned char)*p++);
	}
	out[n] = '\0';
	return digit && n >= 3 ? 0 : -1;
}

static const char *const number_labels[] = {
	"license number", "license no", "license #", "lic. no", "lic no",
	"lic #", "registration number", "registration no", "dea number",
	"dea registration", "dea #", "policy number", "policy no",
	"policy #", "certificate number", "certificate no", "certificate #",
	"certification number", "cert. no", "cert no", "cert #", NULL
};

/* A DEA number anywhere on the line whose check digit holds. */
static void
dea_number(const char *s, size_t n, struct ctp_xvalue *v)
{
	char tok[CTP_X_VALUE], out[10];
	const char *p = s, *end = s + n;

	for (; p < end; p++) {
		if (p > s && isalnum((unsigned char)p[-1]))
			continue;
		if (token(p, end, tok) != 0 || strlen(tok) != 9)
			continue;
		if (ctp_check_dea(tok, NULL, NULL, out) == NULL) {
			if (v->confidence == 0)
				propose(v, out, 95, s, n);
		} else if (isalpha((unsigned char)tok[0]) &&
		    isalpha((unsigned char)tok[1]) && v->flag[0] == '\0')
			snprintf(v->flag, sizeof(v->flag), "a DEA number on "
			    "the document fails its check digit");
	}
}

static void
number(const char *s, size_t n, const char *kind, struct ctp_xvalue *v)
{
	const char *end = s + n, *p;
	char tok[CTP_X_VALUE];
	int i;

	if (strcmp(kind, "dea") == 0) {
		dea_number(s, n, v);
		return;
	}
	if (v->confidence > 0)
		return;
	for (i = 0; number_labels[i]; i++) {
		if ((p = ctp_x_find(s, n, number_labels[i])) == NULL)
			continue;
		p = after_label(p + strlen(number_labels[i]), end);
		if (token(p, end, tok) == 0)
			propose(v, tok, 90, s, n);
		return;
	}
}

/* A name after its label: letters, spaces, '.', '\'', '-', up to ','. */
static const char *const name_labels[] = {
	"licensee name", "licensee", "registrant name", "registrant",
	"named insured", "insured", "diplomate", "physician name",
	"provider name", "practitioner", "issued to", "name", NULL
};

/* Drop a degree (", MD", " M.D.") from the end of a name. */
static void
drop_degree(char *s)
{
	static const char *const deg[] = { "MD", "M.D.", "DO", "D.O.", "NP",
	    "PA", "PA-C", "DDS", "DMD", "CRNA", "CNM", "PHD", "Ph.D.", NULL };
	char *sp;
	int i, again = 1;

	if ((sp = strpbrk(s, ",;")) != NULL)	/* OCR reads ',' as ';' */
		*sp = '\0';
	while (again) {
		again = 0;
		if ((sp = strrchr(s, ' ')) == NULL)
			break;
		for (i = 0; deg[i]; i++)
			if (strcasecmp(sp + 1, deg[i]) == 0) {
				*sp = '\0';
				again = 1;
				break;
			}
	}
	while (*s && s[strlen(s) - 1] == ' ')
		s[strlen(s) - 1] = '\0';
}

/*
 * What OCR leaves at the edges of a line (a rule read as '|', a speck as
 * '~' or '_'): anything but a letter or a digit before the value, and
 * such marks and blanks after it.
 */
void
ctp_x_trim_marks(char *s)
{
	size_t n, k = 0;

	while (s[k] && !isalnum((unsigned char)s[k]) &&
	    (unsigned char)s[k] < 0x80)
		k++;
	memmove(s, s + k, strlen(s + k) + 1);
	n = strlen(s);
	while (n > 0 && strchr(" |_~;:,'\"`", s[n - 1]) != NULL)
		s[--n] = '\0';
}

/* 0 and the name in out when s..s+n reads as a person's name. */
static int
name_at(const char *s, size_t n, char out[CTP_X_VALUE])
{
	size_t i, words = 1, letters = 0;

	ctp_x_copy(out, CTP_X_VALUE, s, n);
	ctp_x_trim_marks(out);
	drop_degree(out);
	for (i = 0; out[i]; i++) {
		if (isalpha((unsigned char)out[i]) ||
		    (unsigned char)out[i] >= 0x80)	/* UTF-8: María */
			letters++;
		else if (out[i] == ' ')
			words += out[i + 1] != ' ' && out[i + 1] != '\0';
		else if (out[i] != '.' && out[i] != '\'' && out[i] != '-')
			return -1;
	}
	return letters >= 4 && words >= 2 && words <= 5 ? 0 : -1;
}

static void
name(const char *s, size_t n, const char *prev, size_t pn,
    struct ctp_xvalue *v)
{
	const char *end = s + n, *p, *q;
	char out[CTP_X_VALUE];
	int i;

	if (v->confidence > 0)
		return;
	if (prev != NULL && ctp_x_find(prev, pn, "certifies that") != NULL &&
	    name_at(s, n, out) == 0) {
		propose(v, out, 85, s, n);
		return;
	}
	for (i = 0; name_labels[i]; i++) {
		if ((p = ctp_x_find(s, n, name_labels[i])) == NULL)
			continue;
		if (p > s && isalpha((unsigned char)p[-1]))
			continue;
		p += strlen(name_labels[i]);
		if (p < end && *p != ':')
			continue;	/* "Name" only as a label */
		p = after_label(p, end);
		/* The name ends at a wide gap (a column of -layout). */
		for (q = p; q < end && !(q[0] == ' ' && q + 1 < end &&
		    q[1] == ' '); q++)
			;
		if (name_at(p, (size_t)(q - p), out) == 0)
			propose(v, out, 90, s, n);
		return;
	}
}

int
ctp_extract_same_name(const char *a, const char *b)
{
	char x[CTP_X_VALUE], y[CTP_X_VALUE];
	const char *lx, *ly;
	size_t fx, fy;

	ctp_x_copy(x, sizeof(x), a, strlen(a));
	ctp_x_copy(y, sizeof(y), b, strlen(b));
	drop_degree(x);
	drop_degree(y);
	lx = strrchr(x, ' ');
	ly = strrchr(y, ' ');
	if (strcasecmp(lx ? lx + 1 : x, ly ? ly + 1 : y) != 0)
		return 0;
	if (lx == NULL || ly == NULL)
		return 1;
	fx = strcspn(x, " .");
	fy = strcspn(y, " .");
	return fx == fy && strncasecmp(x, y, fx) == 0;
}

/* Each line of text with the one before it (blank lines skipped). */
void
ctp_extract_text(const char *text, const char *kind, struct ctp_extract *x)
{
	struct ctp_x_dates dates;
	const char *s = text, *nl, *prev = NULL;
	size_t n, pn = 0;

	memset(x, 0, sizeof(*x));
	memset(&dates, 0, sizeof(dates));
	for (; *s; s = *nl ? nl + 1 : nl) {
		nl = strchr(s, '\n');
		if (nl == NULL)
			nl = s + strlen(s);
		n = (size_t)(nl - s);
		if (ctp_x_blank(s, n))
			continue;
		number(s, n, kind, &x->f[CTP_X_NUMBER]);
		name(s, n, prev, pn, &x->f[CTP_X_NAME]);
		ctp_x_authority(s, n, kind, &x->f[CTP_X_AUTHORITY]);
		ctp_x_dates_line(&dates, s, n, prev, pn);
		prev = s;
		pn = n;
	}
	ctp_x_dates_decide(&dates, x);
}
