/*
 * screen_load.c - loading a list into the database (ctp_screen_load,
 * screen.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <curl/curl.h>
#include <jansson.h>

#include "audit.h"
#include "buf.h"
#include "date.h"
#include "db.h"
#include "hash.h"
#include "input.h"
#include "mem.h"
#include "names.h"
#include "org.h"
#include "screen.h"
#include "screen_file.h"

/* ------------------------------------------------------------------ */
/* Loading. */

/*
 * A list load writes its rows in one transaction: a cache of 32 MB, inside
 * the block ctp-screen reserves for SQLite's page cache (ctp_db_setup_bulk),
 * and no memory map of the database, so a load's peak memory is the same
 * for a list of any size (53 MB for a 1.4 million-row SAM extract, where
 * a 256 MB cache and a 1 GB map grew to 262 MB on a reload).  Spilling
 * the cache to the file as it fills measured no slower at 230,000 rows.
 */
static void
load_cache(sqlite3 *db)
{
	sqlite3_exec(db, "PRAGMA cache_size=-32000; PRAGMA mmap_size=0",
	    NULL, NULL, NULL);
}

/*
 * A first list load or a roster run writes tens of megabytes of new
 * pages: when it is the only connection, under a rollback journal
 * (ctp_db_bulk_journal, as ctp-import does for a first import).
 */
/* No version of source in force (read before the write transaction:
 * only the choice of journal depends on it). */
static int
first_load(sqlite3 *db, const char *source)
{
	sqlite3_stmt *st;
	int none = 0;

	if (sqlite3_prepare_v2(db, "SELECT NOT EXISTS (SELECT 1 FROM "
	    "screen_lists WHERE source = ?1 AND active = 1)", -1, &st, NULL)
	    != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		none = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return none;
}

enum {
	F_LAST, F_FIRST, F_MIDDLE, F_BUS, F_NPI, F_DOB, F_STATE, F_TYPE,
	F_EXCL, F_REIN, F_END, F_CLASS, F_AGENCY, F_SAMNO, F_NF
};

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

struct loader {
	struct ctp_ctx *c;
	struct ctp_load *l;
	struct ctp_error *e;
	const char *source;
	const char *name;		/* for messages */
	long long version;
	long long rows;
	int header_done;
	size_t ncols;
	int col[F_NF];			/* field -> column, -1 absent */
	char *colname[CTP_SCREEN_MAXF];		/* custom: the header */
	char *mapcol[F_NF];		/* custom: mapped column names */
	int date_fmt;			/* custom: 0 auto, 1 ISO, 2 US, 3 compact, 4 DMY */
	sqlite3_stmt *ins, *name_ins, *rein_upd, *rein_scan, *rein_ins;
	long long reinstated;
	struct ctp_buf scratch;
};

static int
bad(struct loader *ld, size_t line, const char *fmt, const char *arg)
{
	char where[300];

	snprintf(where, sizeof(where), "%s:%zu", ld->name, line);
	return ctp_errf(ld->e, CTP_DATAERR, where, fmt, arg);
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

/* YYYY at y, MM at m, DD at d (digits) to ISO: 1, or -1 when invalid. */
static int
iso_date(char out[CTP_DATE_LEN], const char *y, const char *m, const char *d)
{
	int yy = (y[0] - '0') * 1000 + (y[1] - '0') * 100 + (y[2] - '0') * 10 +
	    (y[3] - '0');

	if (!ctp_date_valid(yy, (m[0] - '0') * 10 + (m[1] - '0'),
	    (d[0] - '0') * 10 + (d[1] - '0')))
		return -1;
	memcpy(out, y, 4);
	out[4] = '-';
	memcpy(out + 5, m, 2);
	out[7] = '-';
	memcpy(out + 8, d, 2);
	out[10] = '\0';
	return 1;
}

/* A date field to ISO: 1 when set, 0 when empty/none, -1 when bad. */
static int
list_date(struct loader *ld, const char *s, char out[CTP_DATE_LEN])
{
	int y, m, d;

	out[0] = '\0';
	if (s == NULL || *s == '\0' || strcmp(s, "00000000") == 0 ||
	    strcasecmp(s, "Indefinite") == 0)
		return 0;
	if (ld->date_fmt == 4 && sscanf(s, "%2d/%2d/%4d", &d, &m, &y) == 3) {
		if (!ctp_date_valid(y, m, d))
			return -1;
		ctp_date_format(ctp_date_from_ymd(y, m, d), out);
		return 1;
	}
	/* The forms the LEIE (YYYYMMDD) and SAM (MM/DD/YYYY) use, without
	 * going through a day count and snprintf: a load has 4 dates a row. */
	if ((ld->date_fmt == 0 || ld->date_fmt == 3) && is_digits(s, 8) &&
	    s[8] == '\0')
		return iso_date(out, s, s + 4, s + 6);
	if ((ld->date_fmt == 0 || ld->date_fmt == 2) && is_digits(s, 2) &&
	    s[2] == '/' && is_digits(s + 3, 2) && s[5] == '/' &&
	    is_digits(s + 6, 4) && s[10] == '\0')
		return iso_date(out, s + 6, s, s + 3);
	if (ld->date_fmt == 1 && strchr(s, '-') == NULL)
		return -1;
	if (ld->date_fmt == 2 && strchr(s, '/') == NULL)
		return -1;
	if (ld->date_fmt == 3 && strlen(s) != 8)
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

/*
 * NULL for an empty value.  SQLITE_STATIC: every value bound here lives
 * until the statement has been stepped and reset (a list load binds
 * millions of them, and copying each showed in profiles).
 */
static int
bind_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL || *s == '\0')
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
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
header(struct loader *ld, char **f, size_t nf, size_t line)
{
	size_t i, j;

	ld->ncols = nf;
	for (i = 0; i < F_NF; i++)
		ld->col[i] = -1;
	switch (ld->l->kind) {
	case CTP_LIST_LEIE:
	case CTP_LIST_LEIE_SUPP:
	case CTP_LIST_LEIE_REIN:
		if (nf != 18)
			return bad(ld, line, "%snot an LEIE file: expected "
			    "its 18-column header", "");
		for (i = 0; i < 18; i++)
			if (strcasecmp(f[i], leie_header[i]) != 0)
				return bad(ld, line, "not an LEIE file: "
				    "column %s of the header is wrong",
				    leie_header[i]);
		ld->col[F_LAST] = 0;
		ld->col[F_FIRST] = 1;
		ld->col[F_MIDDLE] = 2;
		ld->col[F_BUS] = 3;
		ld->col[F_NPI] = 7;
		ld->col[F_DOB] = 8;
		ld->col[F_STATE] = 11;
		ld->col[F_TYPE] = 13;
		ld->col[F_EXCL] = 14;
		ld->col[F_REIN] = 15;
		break;
	case CTP_LIST_SAM:
		for (j = 0; j < sizeof(sam_cols) / sizeof(sam_cols[0]); j++) {
			for (i = 0; i < nf; i++)
				if (strcasecmp(f[i], sam_cols[j].name) == 0)
					break;
			if (i == nf)
				return bad(ld, line, "not a SAM exclusions "
				    "extract: no column \"%s\" in the header",
				    sam_cols[j].name);
			ld->col[sam_cols[j].f] = (int)i;
		}
		break;
	case CTP_LIST_CUSTOM:
		for (j = 0; j < F_NF; j++) {
			if (ld->mapcol[j] == NULL)
				continue;
			for (i = 0; i < nf; i++)
				if (strcasecmp(f[i], ld->mapcol[j]) == 0)
					break;
			if (i == nf)
				return bad(ld, line, "the mapped column \"%s\" "
				    "is not in the header", ld->mapcol[j]);
			ld->col[j] = (int)i;
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
field_of(const struct loader *ld, size_t i)
{
	int k;

	for (k = 0; k < F_NF; k++)
		if (ld->col[k] == (int)i)
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
check_controls(struct loader *ld, char **f, size_t nf, size_t line)
{
	const unsigned char *p;
	char what[64];
	size_t i;
	int k;

	for (i = 0; i < nf; i++)
		for (p = (const unsigned char *)f[i]; *p; p++) {
			if (*p >= 0x20 && *p != 0x7f)
				continue;
			k = field_of(ld, i);
			if (k < 0 && (*p == '\t' || *p == '\r' || *p == '\n'))
				continue;
			if (k >= 0)
				snprintf(what, sizeof(what), "%s", field_names[k]);
			else
				snprintf(what, sizeof(what), "column %zu", i + 1);
			return bad(ld, line, "%s: contains control characters",
			    what);
		}
	return 0;
}

/* Names within their limits, an NPI of 10 digits. */
static int
check_values(struct loader *ld, const char *const *v, size_t line)
{
	static const int names[] = { F_LAST, F_FIRST, F_MIDDLE, F_BUS };
	size_t i, max;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		max = names[i] == F_BUS ? LIST_BUS_MAX : LIST_NAME_MAX;
		if (strlen(v[i]) > max) {
			char what[80];

			snprintf(what, sizeof(what), "%s: longer than %zu bytes",
			    field_names[names[i]], max);
			return bad(ld, line, "%s", what);
		}
	}
	if (*v[4] && (strlen(v[4]) != 10 || !is_digits(v[4], 10)))
		return bad(ld, line, "%s: not 10 digits", "NPI");
	return 0;
}

static int
record(void *arg, char **f, size_t nf, size_t line)
{
	struct loader *ld = arg;
	struct ctp_error *e = ld->e;
	char dob[CTP_DATE_LEN], excl[CTP_DATE_LEN], rein[CTP_DATE_LEN];
	char end[CTP_DATE_LEN], ident[CTP_SHA256_HEX], type[256];
	char keys[CTP_NAME_MAXKEYS][CTP_NAME_KEY], fk[CTP_NAME_KEY];
	const char *last, *first, *middle, *bus, *npi, *state, *cls;
	const char *idv[12];
	char *fr[4] = { NULL, NULL, NULL, NULL };
	int person, rc = 0, k, i;
	long long id;

	if (!ld->header_done) {
		ld->header_done = 1;
		return header(ld, f, nf, line);
	}
	if (nf != ld->ncols) {
		char n[64];

		snprintf(n, sizeof(n), "%zu %s where the header has %zu",
		    nf, ctp_plural((long long)nf, "field", "fields"),
		    ld->ncols);
		return bad(ld, line, "%s (truncated or malformed row)", n);
	}
	if ((rc = check_controls(ld, f, nf, line)) != 0)
		return rc;
	last = text(get(f, nf, ld->col[F_LAST]), &fr[0]);
	first = text(get(f, nf, ld->col[F_FIRST]), &fr[1]);
	middle = text(get(f, nf, ld->col[F_MIDDLE]), &fr[2]);
	bus = text(get(f, nf, ld->col[F_BUS]), &fr[3]);
	npi = get(f, nf, ld->col[F_NPI]);
	state = get(f, nf, ld->col[F_STATE]);
	if (strspn(npi, "0") == strlen(npi))
		npi = "";	/* LEIE: 0000000000 = unknown, never a match */
	idv[0] = last;
	idv[1] = first;
	idv[2] = middle;
	idv[3] = bus;
	idv[4] = npi;
	if ((rc = check_values(ld, idv, line)) != 0)
		goto out;
	if (list_date(ld, get(f, nf, ld->col[F_DOB]), dob) < 0) {
		rc = bad(ld, line, "%s: not a date", "date of birth");
		goto out;
	}
	if (list_date(ld, get(f, nf, ld->col[F_EXCL]), excl) < 0) {
		rc = bad(ld, line, "%s: not a date", ld->l->kind == CTP_LIST_SAM ?
		    "Active Date" : "exclusion date");
		goto out;
	}
	if (list_date(ld, get(f, nf, ld->col[F_REIN]), rein) < 0) {
		rc = bad(ld, line, "%s: not a date", "reinstatement date");
		goto out;
	}
	if (list_date(ld, get(f, nf, ld->col[F_END]), end) < 0) {
		rc = bad(ld, line, "%s: not a date", "Termination Date");
		goto out;
	}
	if (ld->l->kind == CTP_LIST_SAM) {
		cls = get(f, nf, ld->col[F_CLASS]);
		person = strcasecmp(cls, "Individual") == 0;
		if (!person)
			last = first = middle = "";
		cat_type(type, sizeof(type), get(f, nf, ld->col[F_AGENCY]),
		    get(f, nf, ld->col[F_TYPE]));
	} else {
		person = *last != '\0';
		cat_type(type, sizeof(type), "", get(f, nf, ld->col[F_TYPE]));
	}
	/* The fields that make this exclusion this exclusion. */
	idv[0] = person ? "person" : "firm";
	idv[1] = last;
	idv[2] = first;
	idv[3] = middle;
	idv[4] = bus;
	idv[5] = npi;
	idv[6] = dob;
	idv[7] = state;
	idv[8] = type;
	idv[9] = excl;
	idv[10] = end;
	idv[11] = get(f, nf, ld->col[F_SAMNO]);
	if (ident_of(&ld->scratch, ld->source, idv, 12, ident) < 0) {
		rc = ctp_errf(e, CTP_SOFTWARE, ld->name, "sha-256 failed");
		goto out;
	}
	if (ld->l->kind == CTP_LIST_LEIE_REIN) {
		sqlite3_stmt *st = ld->rein_upd;

		if (*rein == '\0') {
			rc = bad(ld, line, "%s: empty in a reinstatement file",
			    "REINDATE");
			goto out;
		}
		ctp_bind_text(st, 1, rein);
		ctp_bind_text(st, 2, ident);
		/* A person's entry is found through its name key, not a scan. */
		if (person && ctp_name_first_key(first, fk) == 0 &&
		    ctp_name_last_keys(last, keys) > 0) {
			ctp_bind_text(st, 3, keys[0]);
			ctp_bind_text(st, 4, fk);
		} else {
			/* An entity: rare in a reinstatement file; scan. */
			st = ld->rein_scan;
			ctp_bind_text(st, 1, rein);
			ctp_bind_text(st, 2, ident);
		}
		if ((k = sqlite3_step(st)) != SQLITE_DONE) {
			sqlite3_reset(st);
			rc = ctp_db_err(ld->c->db, k, ld->name, e);
			goto out;
		}
		sqlite3_reset(st);
		k = sqlite3_changes(ld->c->db);
		ld->reinstated += k;
		st = ld->rein_ins;
		sqlite3_bind_int64(st, 1, ld->version);
		ctp_bind_text(st, 2, ident);
		bind_or_null(st, 3, last);
		bind_or_null(st, 4, first);
		bind_or_null(st, 5, bus);
		bind_or_null(st, 6, npi);
		bind_or_null(st, 7, dob);
		bind_or_null(st, 8, excl);
		ctp_bind_text(st, 9, rein);
		sqlite3_bind_int(st, 10, k);
		if ((rc = ctp_db_step_done(st, ld->name, e)) != 0)
			goto out;
		ld->rows++;
		goto out;
	}
	{
		sqlite3_stmt *st = ld->ins;

		sqlite3_bind_int64(st, 1, ld->version);
		sqlite3_bind_text(st, 2, ld->source, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, person ? "person" : "firm", -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(st, 4, ident, -1, SQLITE_STATIC);
		bind_or_null(st, 5, last);
		bind_or_null(st, 6, first);
		bind_or_null(st, 7, middle);
		bind_or_null(st, 8, bus);
		bind_or_null(st, 9, npi);
		bind_or_null(st, 10, dob);
		bind_or_null(st, 11, state);
		bind_or_null(st, 12, type);
		bind_or_null(st, 13, excl);
		bind_or_null(st, 14, rein);
		bind_or_null(st, 15, end);
		sqlite3_bind_int64(st, 16, (long long)line);
		if ((rc = ctp_db_step_done(st, ld->name, e)) != 0)
			goto out;
		id = sqlite3_last_insert_rowid(ld->c->db);
	}
	ld->rows++;
	if (person && ctp_name_first_key(first, fk) == 0) {
		int nk = ctp_name_last_keys(last, keys);

		for (i = 0; i < nk; i++) {
			sqlite3_stmt *st = ld->name_ins;

			sqlite3_bind_text(st, 1, keys[i], -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, fk, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 3, id);
			bind_or_null(st, 4, dob);
			bind_or_null(st, 5, state);
			if ((rc = ctp_db_step_done(st, ld->name, e)) != 0)
				goto out;
		}
	}
out:
	for (i = 0; i < 4; i++)
		free(fr[i]);
	return rc;
}

/* Custom list mapping file: "key = Column name" lines, # comments. */
static int
read_map(struct loader *ld, const char *path, struct ctp_error *e)
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
				rc = ctp_errf(e, CTP_DATAERR, where, "date_format:"
				    " one of auto, YYYY-MM-DD, MM/DD/YYYY, "
				    "YYYYMMDD, DD/MM/YYYY");
				break;
			}
			ld->date_fmt = (int)i;
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
		free(ld->mapcol[map_keys[i].f]);
		if ((ld->mapcol[map_keys[i].f] = ctp_strdup(v)) == NULL) {
			rc = ctp_err_nomem(e, path);
			break;
		}
		any = 1;
	}
	free(line);
	fclose(f);
	if (rc == 0 && (!any || (ld->mapcol[F_LAST] == NULL &&
	    ld->mapcol[F_BUS] == NULL)))
		rc = ctp_errf(e, CTP_DATAERR, path, "the map names neither "
		    "last_name nor business_name");
	if (rc == 0 && ld->mapcol[F_LAST] && ld->mapcol[F_FIRST] == NULL)
		rc = ctp_errf(e, CTP_DATAERR, path, "the map names last_name "
		    "but not first_name");
	return rc;
}

static const char *
kind_name(enum ctp_list_kind k)
{
	switch (k) {
	case CTP_LIST_LEIE:
		return "leie";
	case CTP_LIST_LEIE_SUPP:
		return "leie-supplement";
	case CTP_LIST_LEIE_REIN:
		return "leie-reinstatements";
	case CTP_LIST_SAM:
		return "sam";
	default:
		return "custom";
	}
}

/* The current full version of source: id, rows, sha256 (0 when none). */
static int
current(sqlite3 *db, const char *source, long long *id, long long *rows,
    char sha[CTP_SHA256_HEX], struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	*id = *rows = 0;
	if (sha)
		sha[0] = '\0';
	if (ctp_db_prepare(db, &st, "SELECT id, rows, sha256 FROM screen_lists"
	    " WHERE source = ?1 AND active = 1 AND kind IN ('leie','sam',"
	    "'custom') ORDER BY id DESC LIMIT 1", e))
		return e->code;
	ctp_bind_text(st, 1, source);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*rows = sqlite3_column_int64(st, 1);
		if (sha)
			snprintf(sha, CTP_SHA256_HEX, "%s", ctp_col_text(st, 2));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "screen lists", e);
	return 0;
}

static int
exec_bind(sqlite3 *db, const char *sql, const char *s, long long n,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	if (ctp_db_prepare(db, &st, sql, e))
		return e->code;
	if (s)
		ctp_bind_text(st, 1, s);
	else
		sqlite3_bind_int64(st, 1, n);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return ctp_db_err(db, rc, "screen lists", e);
	return 0;
}

/*
 * A new full list with fewer rows than the one in force, by more than the
 * setting list_shrink_max: most likely a download cut at a row boundary
 * (a real list changes by well under 1% a month).  l->shrunk set when so;
 * CTP_DATAERR unless l->force.
 */
static int
shrink_check(struct ctp_ctx *c, struct ctp_load *l, long long rows,
    long long currows, struct ctp_error *e)
{
	long max;
	long long drop;
	char pct[24];
	int rc;

	if (currows == 0 || rows >= currows)
		return 0;
	if ((rc = ctp_org_get_percent(c->db, "list_shrink_max", &max, e)) != 0)
		return rc;
	if (rows * 10000 >= currows * (10000 - max))
		return 0;
	l->shrunk = 1;
	l->rows = rows;
	l->rows_in_force = currows;
	if (l->force)
		return 0;
	/* The setting as a person writes it: 2, 2.5, 0.25. */
	if (max % 100 == 0)
		snprintf(pct, sizeof(pct), "%ld", max / 100);
	else if (max % 10 == 0)
		snprintf(pct, sizeof(pct), "%ld.%ld", max / 100, max % 100 / 10);
	else
		snprintf(pct, sizeof(pct), "%ld.%02ld", max / 100, max % 100);
	drop = (currows - rows) * 1000 / currows;	/* tenths of a percent */
	return ctp_errf(e, CTP_DATAERR, l->path, "refused: %lld rows where the "
	    "list in force has %lld, %lld.%lld%% fewer (list_shrink_max is "
	    "%s%%); the list in force is kept; if the list really shrank, "
	    "use --force", rows, currows, drop / 10, drop % 10, pct);
}

/* The refusal, in the audit log though nothing else is written. */
static void
shrink_audit(struct ctp_ctx *c, const struct ctp_load *l,
    const struct loader *ld, const char *file, const char *sha)
{
	struct ctp_error ae;
	json_t *d;

	d = json_pack("{s:s, s:s, s:s?, s:I, s:I, s:s}", "source", ld->source,
	    "kind", kind_name(l->kind), "file", file, "rows",
	    (json_int_t)l->rows, "rows_in_force", (json_int_t)l->rows_in_force,
	    "sha256", sha);
	ctp_audit(c, "screen.load.refused", "list", ld->source, d, &ae);
	json_decref(d);
}

int
ctp_screen_load(struct ctp_ctx *c, struct ctp_load *l, struct ctp_error *e)
{
	struct loader ld;
	struct ctp_screen_file ls;
	struct stat sb;
	sqlite3_stmt *st = NULL;
	char sha[CTP_SHA256_HEX], cursha[CTP_SHA256_HEX], fdate[CTP_DATE_LEN];
	char ts[CTP_TS_LEN];
	const char *base = NULL;
	long long curid, currows, size;
	json_t *d;
	int rc, full, k, journal = 0, fk_off = 0;
	size_t i;

	memset(&ld, 0, sizeof(ld));
	ld.c = c;
	ld.l = l;
	ld.e = e;
	ld.name = l->path;
	l->version_id = l->rows = l->rows_in_force = 0;
	l->unchanged = l->shrunk = 0;
	full = l->kind == CTP_LIST_LEIE || l->kind == CTP_LIST_SAM ||
	    l->kind == CTP_LIST_CUSTOM;
	switch (l->kind) {
	case CTP_LIST_SAM:
		ld.source = CTP_SRC_SAM;
		break;
	case CTP_LIST_CUSTOM:
		ld.source = l->list;
		if (l->list == NULL || *l->list == '\0' ||
		    strcasecmp(l->list, CTP_SRC_LEIE) == 0 ||
		    strcasecmp(l->list, CTP_SRC_SAM) == 0)
			return ctp_errf(e, CTP_USAGE, NULL, "--list needs a name "
			    "other than \"OIG LEIE\" and \"SAM\"");
		if ((rc = read_map(&ld, l->map, e)) != 0)
			goto done;
		break;
	default:
		ld.source = CTP_SRC_LEIE;
	}
	if ((rc = ctp_sha256_file(l->path, sha, &size, e)) != 0)
		goto done;
	if (stat(l->path, &sb) == 0)
		ctp_date_format((long)(sb.st_mtime / 86400), fdate);
	else
		fdate[0] = '\0';
	if (l->last_modified) {
		time_t t = curl_getdate(l->last_modified, NULL);

		if (t > 0)
			ctp_date_format((long)(t / 86400), fdate);
	}
	if ((rc = ctp_screen_file_open(&ls, l->path, l->kind == CTP_LIST_SAM, e)) != 0)
		goto done;
	load_cache(c->db);
	/* A first load writes new pages only; a reload frees as many, and
	 * measured slower under a rollback journal than in WAL. */
	if (full && first_load(c->db, ld.source))
		journal = ctp_db_bulk_journal(c->db);
	/* Every row written refers to the version written first in the same
	 * transaction: no foreign key to look up again per row. */
	sqlite3_exec(c->db, "PRAGMA foreign_keys=OFF", NULL, NULL, NULL);
	fk_off = 1;
	if ((rc = ctp_db_begin(c->db, e)) != 0) {
		ctp_screen_file_close(&ls);
		goto done;
	}
	if ((rc = current(c->db, ld.source, &curid, &currows, cursha, e)) != 0)
		goto fail;
	if (full && curid && strcmp(cursha, sha) == 0) {
		/* The same bytes: keep the version, refresh what fetch keeps. */
		l->unchanged = 1;
		l->version_id = curid;
		l->rows = currows;
		if (l->etag || l->last_modified) {
			if ((rc = ctp_db_prepare(c->db, &st, "UPDATE screen_lists"
			    " SET etag = ?1, last_modified = ?2 WHERE id = ?3",
			    e)) != 0)
				goto fail;
			bind_or_null(st, 1, l->etag);
			bind_or_null(st, 2, l->last_modified);
			sqlite3_bind_int64(st, 3, curid);
			k = sqlite3_step(st);
			sqlite3_finalize(st);
			st = NULL;
			if (k != SQLITE_DONE) {
				rc = ctp_db_err(c->db, k, "screen lists", e);
				goto fail;
			}
		}
		ctp_screen_file_close(&ls);
		if ((rc = ctp_db_commit(c->db, e)) != 0)
			ctp_db_rollback(c->db);
		goto done;
	}
	if (!full && curid == 0) {
		rc = ctp_errf(e, CTP_DATAERR, l->path, "load the full LEIE file "
		    "(UPDATED.csv) before a supplement");
		goto fail;
	}
	base = l->file_name ? l->file_name : strrchr(l->path, '/') ?
	    strrchr(l->path, '/') + 1 : l->path;
	ctp_timestamp(ts);
	if ((rc = ctp_db_prepare(c->db, &st, "INSERT INTO screen_lists (source,"
	    " kind, parent_id, file_name, file_date, sha256, rows, loaded_at,"
	    " loaded_by, active, url, etag, last_modified, map) VALUES (?1,?2,"
	    "?3,?4,?5,?6,0,?7,?8,0,?9,?10,?11,?12)", e)) != 0)
		goto fail;
	ctp_bind_text(st, 1, ld.source);
	ctp_bind_text(st, 2, kind_name(l->kind));
	if (!full)
		sqlite3_bind_int64(st, 3, curid);
	ctp_bind_text(st, 4, base);
	bind_or_null(st, 5, fdate);
	ctp_bind_text(st, 6, sha);
	ctp_bind_text(st, 7, ts);
	ctp_bind_text(st, 8, c->user);
	bind_or_null(st, 9, l->url);
	bind_or_null(st, 10, l->etag);
	bind_or_null(st, 11, l->last_modified);
	bind_or_null(st, 12, l->map);
	k = sqlite3_step(st);
	sqlite3_finalize(st);
	st = NULL;
	if (k != SQLITE_DONE) {
		rc = ctp_db_err(c->db, k, "screen lists", e);
		goto fail;
	}
	ld.version = sqlite3_last_insert_rowid(c->db);
	if ((rc = ctp_db_prepare(c->db, &ld.ins, "INSERT INTO screen_entries "
	    "(version_id, source, entity, ident, last_name, first_name, "
	    "middle_name, bus_name, npi, dob, state, excl_type, excl_date, "
	    "rein_date, end_date, line) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,"
	    "?10,?11,?12,?13,?14,?15,?16)", e)) != 0 ||
	    (rc = ctp_db_prepare(c->db, &ld.name_ins, "INSERT OR IGNORE INTO "
	    "screen_names (last_key, first_key, entry_id, dob, state) VALUES "
	    "(?1,?2,?3,?4,upper(?5))",
	    e)) != 0 ||
	    (rc = ctp_db_prepare(c->db, &ld.rein_upd, "UPDATE screen_entries "
	    "SET rein_date = ?1 WHERE id IN (SELECT entry_id FROM screen_names "
	    "WHERE last_key = ?3 AND first_key = ?4) AND source = 'OIG LEIE' "
	    "AND ident = ?2", e)) != 0 ||
	    (rc = ctp_db_prepare(c->db, &ld.rein_scan, "UPDATE screen_entries "
	    "SET rein_date = ?1 WHERE source = 'OIG LEIE' AND ident = ?2", e))
	    != 0 ||
	    (rc = ctp_db_prepare(c->db, &ld.rein_ins, "INSERT INTO "
	    "screen_reinstatements (version_id, ident, last_name, first_name,"
	    " bus_name, npi, dob, excl_date, rein_date, applied) VALUES (?1,"
	    "?2,?3,?4,?5,?6,?7,?8,?9,?10)", e)) != 0)
		goto fail;
	if (full && curid) {
		/*
		 * Retire the versions in force and their rows (a first load
		 * has none: no need to scan every list's rows for them).
		 * Before the new rows go in: the scans are shorter and the
		 * new rows take the freed pages; a file that fails to load
		 * rolls the whole transaction back, these deletes with it.
		 */
		if ((rc = exec_bind(c->db, "DELETE FROM screen_names WHERE "
		    "entry_id IN (SELECT id FROM screen_entries WHERE source = "
		    "?1 AND version_id IN (SELECT id FROM screen_lists WHERE "
		    "active = 1))", ld.source, 0, e)) != 0 ||
		    (rc = exec_bind(c->db, "DELETE FROM screen_entries WHERE "
		    "source = ?1 AND version_id IN (SELECT id FROM screen_lists"
		    " WHERE active = 1)", ld.source, 0, e)) != 0 ||
		    (rc = exec_bind(c->db, "UPDATE screen_lists SET active = 0 "
		    "WHERE source = ?1 AND active = 1", ld.source, 0, e)) != 0)
			goto fail;
	}
	if ((rc = ctp_screen_file_records(&ls, l->path, l->kind == CTP_LIST_SAM, record,
	    &ld, e)) != 0)
		goto fail;
	if (!ld.header_done) {
		rc = ctp_errf(e, CTP_DATAERR, l->path, "empty file");
		goto fail;
	}
	if (full && ld.rows == 0) {
		rc = ctp_errf(e, CTP_DATAERR, l->path, "no rows after the "
		    "header");
		goto fail;
	}
	if (full && (rc = shrink_check(c, l, ld.rows, currows, e)) != 0)
		goto fail;
	/*
	 * A list taken with --force though it shrank may be a cut download:
	 * its ETag and Last-Modified are not kept, so the next fetch asks
	 * for the whole list again rather than hear "not modified".
	 */
	if ((rc = ctp_db_prepare(c->db, &st, "UPDATE screen_lists SET active ="
	    " 1, rows = ?1, etag = iif(?3, NULL, etag), last_modified = "
	    "iif(?3, NULL, last_modified) WHERE id = ?2", e)) != 0)
		goto fail;
	sqlite3_bind_int64(st, 1, ld.rows);
	sqlite3_bind_int64(st, 2, ld.version);
	sqlite3_bind_int(st, 3, l->shrunk);
	k = sqlite3_step(st);
	sqlite3_finalize(st);
	st = NULL;
	if (k != SQLITE_DONE) {
		rc = ctp_db_err(c->db, k, "screen lists", e);
		goto fail;
	}
	d = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s}", "source", ld.source,
	    "kind", kind_name(l->kind), "file", base, "rows",
	    (json_int_t)ld.rows, "version", (json_int_t)ld.version,
	    "sha256", sha);
	if (d && l->kind == CTP_LIST_LEIE_REIN)
		json_object_set_new(d, "reinstated",
		    json_integer(ld.reinstated));
	if (d && l->shrunk)	/* taken with --force */
		json_object_set_new(d, "rows_in_force",
		    json_integer(l->rows_in_force));
	rc = ctp_audit(c, "screen.load", "list", ld.source, d, e);
	json_decref(d);
	if (rc != 0 || (rc = ctp_db_commit(c->db, e)) != 0)
		goto fail;
	l->version_id = ld.version;
	l->rows = ld.rows;
	goto close;
fail:
	ctp_db_rollback(c->db);
	if (l->shrunk && !l->force)
		shrink_audit(c, l, &ld, base, sha);
close:
	sqlite3_finalize(ld.ins);
	sqlite3_finalize(ld.name_ins);
	sqlite3_finalize(ld.rein_upd);
	sqlite3_finalize(ld.rein_scan);
	sqlite3_finalize(ld.rein_ins);
	ctp_screen_file_close(&ls);
done:
	if (fk_off)
		sqlite3_exec(c->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	ctp_db_wal_again(c->db, journal);
	for (i = 0; i < F_NF; i++)
		free(ld.mapcol[i]);
	ctp_buf_free(&ld.scratch);
	return rc;
}
