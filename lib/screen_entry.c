/*
 * screen_entry.c - the records of an exclusion list made list entries
 * (screen_entry.h): the LEIE's 18 columns, SAM's columns by header name,
 * a custom list's mapped columns; dates in the lists' forms; text that
 * is not UTF-8 read as Windows-1252.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "date.h"
#include "hash.h"
#include "input.h"
#include "mem.h"
#include "screen_entry.h"

enum {
	F_LAST, F_FIRST, F_MIDDLE, F_BUS, F_NPI, F_DOB, F_STATE, F_TYPE,
	F_EXCL, F_REIN, F_END, F_CLASS, F_AGENCY, F_SAMNO, F_NF
};
_Static_assert(F_NF == CTP_SCREEN_NFIELDS, "CTP_SCREEN_NFIELDS");

static const char *const leie_header[] = {
	"LASTNAME", "FIRSTNAME", "MIDNAME", "BUSNAME", "GENERAL", "SPECIALTY",
	"UPIN", "NPI", "DOB", "ADDRESS", "CITY", "STATE", "ZIP", "EXCLTYPE",
	"EXCLDATE", "REINDATE", "WAIVERDATE", "WVRSTATE"
};

/* SAM columns by header name (every layout since 2012 has these). */
static const struct {
	int f;
	const char *name;
} sam_cols[] = {
	{ F_CLASS, "Classification" }, { F_BUS, "Name" },
	{ F_FIRST, "First" }, { F_MIDDLE, "Middle" }, { F_LAST, "Last" },
	{ F_STATE, "State / Province" }, { F_AGENCY, "Excluding Agency" },
	{ F_TYPE, "Exclusion Type" }, { F_EXCL, "Active Date" },
	{ F_END, "Termination Date" }, { F_SAMNO, "SAM Number" },
	{ F_NPI, "NPI" },
};

/* Custom lists: mapping keys. */
static const struct {
	int f;
	const char *key;
} map_keys[] = {
	{ F_LAST, "last_name" }, { F_FIRST, "first_name" },
	{ F_MIDDLE, "middle_name" }, { F_BUS, "business_name" },
	{ F_NPI, "npi" }, { F_DOB, "dob" }, { F_STATE, "state" },
	{ F_TYPE, "exclusion_type" }, { F_EXCL, "exclusion_date" },
	{ F_REIN, "reinstatement_date" },
};

static int
bad(struct ctp_screen_rows *r, size_t line, const char *fmt, const char *arg)
{
	char where[300];

	snprintf(where, sizeof(where), "%s:%zu", r->name, line);
	return ctp_errf(r->e, CTP_DATAERR, where, fmt, arg);
}

static int
is_digits(const char *s, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* A date field to ISO: 1 when set, 0 when empty/none, -1 when bad. */
static int
list_date(struct ctp_screen_rows *r, const char *s, char out[CTP_DATE_LEN])
{
	int y, m, d;

	out[0] = '\0';
	if (s == NULL || *s == '\0' || strcmp(s, "00000000") == 0 ||
	    strcasecmp(s, "Indefinite") == 0)
		return 0;
	if (r->date_fmt == 4 && sscanf(s, "%2d/%2d/%4d", &d, &m, &y) == 3) {
		if (!ctp_date_valid(y, m, d))
			return -1;
		ctp_date_format(ctp_date_from_ymd(y, m, d), out);
		return 1;
	}
	if (r->date_fmt == 1 && strchr(s, '-') == NULL)
		return -1;
	if (r->date_fmt == 2 && strchr(s, '/') == NULL)
		return -1;
	if (r->date_fmt == 3 && strlen(s) != 8)
		return -1;
	return ctp_date_normalize(s, out) == 0 ? 1 : -1;
}

static const char *
get(char **f, size_t nf, int col)
{
	if (col < 0 || (size_t)col >= nf)
		return "";
	return f[col];
}

/* b is scratch space kept across rows. */
static int
ident_of(struct ctp_buf *b, const char *source, const char *const *v,
    size_t n, char out[CTP_SHA256_HEX])
{
	size_t i;
	int rc = 0;

	ctp_buf_reset(b);
	rc |= ctp_buf_puts(b, source);
	for (i = 0; i < n; i++) {
		rc |= ctp_buf_putc(b, '\037');
		rc |= ctp_buf_puts(b, v[i] ? v[i] : "");
	}
	if (rc == 0)
		rc = ctp_sha256_hex(b->s, b->len, out);
	out[32] = '\0';	/* 128 bits identify an entry well enough */
	return rc;
}

/* Decode a Latin-1 / Windows-1252 field when it is not UTF-8. */
static const char *
text(const char *s, char **tofree)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p && *p < 0x80; p++)
		;
	if (*p == '\0' || ctp_utf8_valid(s, strlen(s)))
		return s;
	if (ctp_decode(CTP_ENC_CP1252, s, strlen(s), tofree) < 0 &&
	    ctp_decode(CTP_ENC_LATIN1, s, strlen(s), tofree) < 0)
		return s;
	return *tofree;
}

static int
header(struct ctp_screen_rows *r, char **f, size_t nf, size_t line)
{
	size_t i, j;

	r->ncols = nf;
	for (i = 0; i < F_NF; i++)
		r->col[i] = -1;
	switch (r->kind) {
	case CTP_LIST_LEIE:
	case CTP_LIST_LEIE_SUPP:
	case CTP_LIST_LEIE_REIN:
		if (nf != 18)
			return bad(r, line, "%snot an LEIE file: expected "
			    "its 18-column header", "");
		for (i = 0; i < 18; i++)
			if (strcasecmp(f[i], leie_header[i]) != 0)
				return bad(r, line, "not an LEIE file: "
				    "column %s of the header is wrong",
				    leie_header[i]);
		r->col[F_LAST] = 0;
		r->col[F_FIRST] = 1;
		r->col[F_MIDDLE] = 2;
		r->col[F_BUS] = 3;
		r->col[F_NPI] = 7;
		r->col[F_DOB] = 8;
		r->col[F_STATE] = 11;
		r->col[F_TYPE] = 13;
		r->col[F_EXCL] = 14;
		r->col[F_REIN] = 15;
		break;
	case CTP_LIST_SAM:
		for (j = 0; j < sizeof(sam_cols) / sizeof(sam_cols[0]); j++) {
			for (i = 0; i < nf; i++)
				if (strcasecmp(f[i], sam_cols[j].name) == 0)
					break;
			if (i == nf)
				return bad(r, line, "not a SAM exclusions "
				    "extract: no column \"%s\" in the header",
				    sam_cols[j].name);
			r->col[sam_cols[j].f] = (int)i;
		}
		break;
	case CTP_LIST_CUSTOM:
		for (j = 0; j < F_NF; j++) {
			if (r->mapcol[j] == NULL)
				continue;
			for (i = 0; i < nf; i++)
				if (strcasecmp(f[i], r->mapcol[j]) == 0)
					break;
			if (i == nf)
				return bad(r, line, "the mapped column \"%s\" "
				    "is not in the header", r->mapcol[j]);
			r->col[j] = (int)i;
		}
		break;
	}
	return 0;
}

/* "AGENCY: TYPE" (or TYPE) into out, cut to n - 1 bytes as snprintf. */
static void
cat_type(char *out, size_t n, const char *agency, const char *type)
{
	size_t la = strlen(agency), lt = strlen(type), w = 0;

	if (la > n - 1)
		la = n - 1;
	memcpy(out, agency, la);
	w = la;
	if (la > 0 && w < n - 1) {
		size_t k = n - 1 - w < 2 ? n - 1 - w : 2;

		memcpy(out + w, ": ", k);
		w += k;
	}
	if (lt > n - 1 - w)
		lt = n - 1 - w;
	memcpy(out + w, type, lt);
	out[w + lt] = '\0';
}

/* The fields' names in messages (values never appear there). */
static const char *const field_names[F_NF] = {
	"last name", "first name", "middle name", "business name", "NPI",
	"date of birth", "state", "exclusion type", "exclusion date",
	"reinstatement date", "termination date", "Classification",
	"Excluding Agency", "SAM Number"
};

/* Names as long as the roster allows (a business name as its other text). */
#define LIST_NAME_MAX 100
#define LIST_BUS_MAX 200

/* The field read from column i, or -1 when none is. */
static int
field_of(const struct ctp_screen_rows *r, size_t i)
{
	int k;

	for (k = 0; k < F_NF; k++)
		if (r->col[k] == (int)i)
			return k;
	return -1;
}

/*
 * No control character in a field, where a terminal or a spreadsheet
 * would act on it: only line breaks and tabs, which RFC 4180 allows in a
 * quoted field, in a column ctp neither stores nor shows (an address, a
 * comment).
 */
static int
check_controls(struct ctp_screen_rows *r, char **f, size_t nf, size_t line)
{
	const unsigned char *p;
	char what[64];
	size_t i;
	int k;

	for (i = 0; i < nf; i++)
		for (p = (const unsigned char *)f[i]; *p; p++) {
			if (*p >= 0x20 && *p != 0x7f)
				continue;
			k = field_of(r, i);
			if (k < 0 && (*p == '\t' || *p == '\r' || *p == '\n'))
				continue;
			if (k >= 0)
				snprintf(what, sizeof(what), "%s",
				    field_names[k]);
			else
				snprintf(what, sizeof(what), "column %zu",
				    i + 1);
			return bad(r, line, "%s: contains control characters",
			    what);
		}
	return 0;
}

/* Names within their limits, an NPI of 10 digits. */
static int
check_values(struct ctp_screen_rows *r, const char *const *v, size_t line)
{
	static const int names[] = { F_LAST, F_FIRST, F_MIDDLE, F_BUS };
	size_t i, max;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		max = names[i] == F_BUS ? LIST_BUS_MAX : LIST_NAME_MAX;
		if (strlen(v[i]) > max) {
			char what[80];

			snprintf(what, sizeof(what), "%s: longer than %zu "
			    "bytes", field_names[names[i]], max);
			return bad(r, line, "%s", what);
		}
	}
	if (*v[4] && (strlen(v[4]) != 10 || !is_digits(v[4], 10)))
		return bad(r, line, "%s: not 10 digits", "NPI");
	return 0;
}

/* Custom list mapping file: "key = Column name" lines, # comments. */
int
ctp_screen_rows_map(struct ctp_screen_rows *r, const char *path,
    struct ctp_error *e)
{
	FILE *f;
	char *line = NULL, *k, *v, *eq, where[300];
	size_t cap = 0, lineno = 0, i;
	int rc = 0, any = 0;

	if ((f = fopen(path, "r")) == NULL)
		return ctp_errf(e, errno == ENOENT ? CTP_NOINPUT : CTP_IOERR,
		    path, "%s", strerror(errno));
	while (getline(&line, &cap, f) > 0) {
		lineno++;
		snprintf(where, sizeof(where), "%s:%zu", path, lineno);
		k = line + strspn(line, " \t");
		if (*k == '#' || *k == '\n' || *k == '\r' || *k == '\0')
			continue;
		if ((eq = strchr(k, '=')) == NULL) {
			rc = ctp_errf(e, CTP_DATAERR, where, "expected KEY = "
			    "COLUMN");
			break;
		}
		v = eq + 1;
		while (eq > k && (eq[-1] == ' ' || eq[-1] == '\t'))
			eq--;
		*eq = '\0';
		v += strspn(v, " \t");
		v[strcspn(v, "\r\n")] = '\0';
		for (i = strlen(v); i > 0 && (v[i - 1] == ' ' ||
		    v[i - 1] == '\t'); i--)
			v[i - 1] = '\0';
		if (strcmp(k, "date_format") == 0) {
			static const char *const fmts[] = { "auto",
			    "YYYY-MM-DD", "MM/DD/YYYY", "YYYYMMDD",
			    "DD/MM/YYYY" };

			for (i = 0; i < 5; i++)
				if (strcasecmp(v, fmts[i]) == 0)
					break;
			if (i == 5) {
				rc = ctp_errf(e, CTP_DATAERR, where,
				    "date_format: one of auto, YYYY-MM-DD, "
				    "MM/DD/YYYY, YYYYMMDD, DD/MM/YYYY");
				break;
			}
			r->date_fmt = (int)i;
			continue;
		}
		for (i = 0; i < sizeof(map_keys) / sizeof(map_keys[0]); i++)
			if (strcmp(k, map_keys[i].key) == 0)
				break;
		if (i == sizeof(map_keys) / sizeof(map_keys[0])) {
			rc = ctp_errf(e, CTP_DATAERR, where, "unknown key (use "
			    "last_name, first_name, middle_name, business_name,"
			    " npi, dob, state, exclusion_type, exclusion_date, "
			    "reinstatement_date, date_format)");
			break;
		}
		if (*v == '\0') {
			rc = ctp_errf(e, CTP_DATAERR, where, "no column named");
			break;
		}
		free(r->mapcol[map_keys[i].f]);
		if ((r->mapcol[map_keys[i].f] = ctp_strdup(v)) == NULL) {
			rc = ctp_err_nomem(e, path);
			break;
		}
		any = 1;
	}
	free(line);
	fclose(f);
	if (rc == 0 && (!any || (r->mapcol[F_LAST] == NULL &&
	    r->mapcol[F_BUS] == NULL)))
		rc = ctp_errf(e, CTP_DATAERR, path, "the map names neither "
		    "last_name nor business_name");
	if (rc == 0 && r->mapcol[F_LAST] && r->mapcol[F_FIRST] == NULL)
		rc = ctp_errf(e, CTP_DATAERR, path, "the map names last_name "
		    "but not first_name");
	return rc;
}

/* The date in field k of the record at line, in ISO form ("" none). */
static int
row_date(struct ctp_screen_rows *r, char **f, size_t nf, int k, size_t line,
    char out[CTP_DATE_LEN])
{
	const char *what = k == F_DOB ? "date of birth" : k == F_REIN ?
	    "reinstatement date" : k == F_END ? "Termination Date" :
	    r->kind == CTP_LIST_SAM ? "Active Date" : "exclusion date";

	if (list_date(r, get(f, nf, r->col[k]), out) < 0)
		return bad(r, line, "%s: not a date", what);
	return 0;
}

int
ctp_screen_rows_record(void *arg, char **f, size_t nf, size_t line)
{
	struct ctp_screen_rows *r = arg;
	struct ctp_screen_entry en;
	char dob[CTP_DATE_LEN], excl[CTP_DATE_LEN], rein[CTP_DATE_LEN];
	char end[CTP_DATE_LEN], ident[CTP_SHA256_HEX], type[256];
	const char *cls;
	const char *idv[12];
	char *fr[4] = { NULL, NULL, NULL, NULL };
	int rc = 0, i;

	if (!r->header_done) {
		r->header_done = 1;
		return header(r, f, nf, line);
	}
	if (nf != r->ncols) {
		char n[64];

		snprintf(n, sizeof(n), "%zu %s where the header has %zu",
		    nf, ctp_plural((long long)nf, "field", "fields"),
		    r->ncols);
		return bad(r, line, "%s (truncated or malformed row)", n);
	}
	if ((rc = check_controls(r, f, nf, line)) != 0)
		return rc;
	memset(&en, 0, sizeof(en));
	en.source = r->source;
	en.last = text(get(f, nf, r->col[F_LAST]), &fr[0]);
	en.first = text(get(f, nf, r->col[F_FIRST]), &fr[1]);
	en.middle = text(get(f, nf, r->col[F_MIDDLE]), &fr[2]);
	en.business = text(get(f, nf, r->col[F_BUS]), &fr[3]);
	en.npi = get(f, nf, r->col[F_NPI]);
	en.state = get(f, nf, r->col[F_STATE]);
	if (strspn(en.npi, "0") == strlen(en.npi))
		en.npi = "";	/* LEIE: 0000000000, unknown: no match */
	idv[0] = en.last;
	idv[1] = en.first;
	idv[2] = en.middle;
	idv[3] = en.business;
	idv[4] = en.npi;
	if ((rc = check_values(r, idv, line)) != 0)
		goto out;
	if ((rc = row_date(r, f, nf, F_DOB, line, dob)) != 0 ||
	    (rc = row_date(r, f, nf, F_EXCL, line, excl)) != 0 ||
	    (rc = row_date(r, f, nf, F_REIN, line, rein)) != 0 ||
	    (rc = row_date(r, f, nf, F_END, line, end)) != 0)
		goto out;
	en.dob = dob;
	en.excl_date = excl;
	en.rein_date = rein;
	en.end_date = end;
	if (r->kind == CTP_LIST_SAM) {
		cls = get(f, nf, r->col[F_CLASS]);
		en.person = strcasecmp(cls, "Individual") == 0;
		if (!en.person)
			en.last = en.first = en.middle = "";
		cat_type(type, sizeof(type), get(f, nf, r->col[F_AGENCY]),
		    get(f, nf, r->col[F_TYPE]));
	} else {
		en.person = *en.last != '\0';
		cat_type(type, sizeof(type), "", get(f, nf, r->col[F_TYPE]));
	}
	en.type = type;
	/* The fields that make this exclusion this exclusion. */
	idv[0] = en.person ? "person" : "firm";
	idv[1] = en.last;
	idv[2] = en.first;
	idv[3] = en.middle;
	idv[4] = en.business;
	idv[5] = en.npi;
	idv[6] = dob;
	idv[7] = en.state;
	idv[8] = type;
	idv[9] = excl;
	idv[10] = end;
	idv[11] = get(f, nf, r->col[F_SAMNO]);
	if (ident_of(&r->scratch, r->source, idv, 12, ident) < 0) {
		rc = ctp_errf(r->e, CTP_SOFTWARE, r->name, "sha-256 failed");
		goto out;
	}
	en.ident = ident;
	if (r->kind == CTP_LIST_LEIE_REIN && *rein == '\0') {
		rc = bad(r, line, "%s: empty in a reinstatement file",
		    "REINDATE");
		goto out;
	}
	rc = r->fn(r->arg, &en, line);
out:
	for (i = 0; i < 4; i++)
		free(fr[i]);
	return rc;
}

void
ctp_screen_rows_free(struct ctp_screen_rows *r)
{
	size_t i;

	for (i = 0; i < CTP_SCREEN_NFIELDS; i++) {
		free(r->mapcol[i]);
		r->mapcol[i] = NULL;
	}
	ctp_buf_free(&r->scratch);
}
