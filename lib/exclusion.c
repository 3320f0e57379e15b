#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>
#include <zip.h>

#include "audit.h"
#include "buf.h"
#include "csvio.h"
#include "date.h"
#include "db.h"
#include "exclusion.h"
#include "fetch.h"
#include "hash.h"
#include "input.h"
#include "mem.h"
#include "names.h"
#include "org.h"
#include "psv.h"
#include "roster.h"
#include "status.h"
#include "validate.h"

/* ------------------------------------------------------------------ */
/*
 * Lines from a plain file or from the CSV inside a ZIP, read in chunks
 * into one buffer whatever the source: memory stays the same for a list
 * of any size.  A line longer than LIST_LINE_MAX is an error, not a
 * reason to grow; a ZIP member may not expand past ZIP_RATIO_MAX times
 * its compressed size, nor past ZIP_SIZE_MAX, whatever its sizes say.
 */

#define LIST_LINE_MAX (1 << 20)
#define LINES_CHUNK 65536
#define ZIP_RATIO_MAX 200
#define ZIP_SIZE_MAX ((zip_uint64_t)2 << 30)

enum { LINES_IO = 1, LINES_NOMEM, LINES_ZIP, LINES_LONG, LINES_BOMB };

struct lines {
	FILE *f;
	zip_t *za;
	zip_file_t *zf;
	char *buf;
	size_t cap, len, pos;
	int eof;
	int err;		/* LINES_*: why lines_next failed */
	zip_uint64_t got;	/* bytes of the ZIP member read */
	zip_uint64_t limit;	/* the most it may expand to */
};

static void
lines_close(struct lines *ls)
{
	if (ls->zf)
		zip_fclose(ls->zf);
	if (ls->za)
		zip_discard(ls->za);
	if (ls->f)
		fclose(ls->f);
	free(ls->buf);
	memset(ls, 0, sizeof(*ls));
}

/*
 * The member's expansion limit, from the sizes the ZIP declares (its
 * compressed size no larger than the file): refused here when its
 * declared size is already past it.
 */
static int
zip_limit(struct lines *ls, zip_uint64_t i, const char *path,
    struct ctp_error *e)
{
	zip_stat_t zs;
	struct stat sb;
	zip_uint64_t comp;

	comp = stat(path, &sb) == 0 ? (zip_uint64_t)sb.st_size : 0;
	zip_stat_init(&zs);
	if (zip_stat_index(ls->za, i, 0, &zs) == 0 &&
	    (zs.valid & ZIP_STAT_COMP_SIZE) && zs.comp_size < comp)
		comp = zs.comp_size;
	ls->limit = comp > ZIP_SIZE_MAX / ZIP_RATIO_MAX ? ZIP_SIZE_MAX :
	    comp * ZIP_RATIO_MAX;
	if ((zs.valid & ZIP_STAT_SIZE) && zs.size > ls->limit)
		return ctp_errf(e, CTP_DATAERR, path, "refused: the CSV inside "
		    "the ZIP expands from %llu to %llu bytes (the limit is %d "
		    "times its compressed size, at most 2 GB)",
		    (unsigned long long)comp, (unsigned long long)zs.size,
		    ZIP_RATIO_MAX);
	return 0;
}

/* Open path; a file starting "PK\3\4" is read as a ZIP holding a CSV. */
static int
lines_open(struct lines *ls, const char *path, int zip_ok,
    struct ctp_error *e)
{
	unsigned char magic[4] = { 0 };
	zip_int64_t i, n;
	const char *nm;
	size_t l;
	int zerr, rc;

	memset(ls, 0, sizeof(*ls));
	if ((ls->f = fopen(path, "rb")) == NULL)
		return ctp_errf(e, errno == ENOENT ? CTP_NOINPUT : CTP_IOERR,
		    path, "%s", strerror(errno));
	if (fread(magic, 1, 4, ls->f) != 4 || memcmp(magic, "PK\3\4", 4) != 0) {
		rewind(ls->f);
		return 0;
	}
	fclose(ls->f);
	ls->f = NULL;
	if (!zip_ok)
		return ctp_errf(e, CTP_DATAERR, path, "a ZIP file, expected CSV");
	if ((ls->za = zip_open(path, ZIP_RDONLY, &zerr)) == NULL)
		return ctp_errf(e, CTP_DATAERR, path, "not a readable ZIP file "
		    "(truncated or damaged)");
	n = zip_get_num_entries(ls->za, 0);
	for (i = 0; i < n; i++) {
		if ((nm = zip_get_name(ls->za, (zip_uint64_t)i, 0)) == NULL)
			continue;
		l = strlen(nm);
		if (l > 4 && strcasecmp(nm + l - 4, ".csv") == 0 &&
		    strchr(nm, '/') == NULL)
			break;
	}
	if (i >= n) {
		lines_close(ls);
		return ctp_errf(e, CTP_DATAERR, path, "no CSV file inside the "
		    "ZIP");
	}
	if ((rc = zip_limit(ls, (zip_uint64_t)i, path, e)) != 0) {
		lines_close(ls);
		return rc;
	}
	if ((ls->zf = zip_fopen_index(ls->za, (zip_uint64_t)i, 0)) == NULL) {
		lines_close(ls);
		return ctp_errf(e, CTP_DATAERR, path, "cannot read the CSV "
		    "inside the ZIP");
	}
	return 0;
}

/* Read the next chunk after what the buffer holds: 0, or -1 (ls->err). */
static int
lines_fill(struct lines *ls)
{
	size_t want;
	zip_int64_t got;

	if (ls->cap - ls->len < LINES_CHUNK) {
		size_t cap = ls->cap ? ls->cap * 2 : 2 * LINES_CHUNK;
		char *p;

		if (cap > LIST_LINE_MAX + LINES_CHUNK)
			cap = LIST_LINE_MAX + LINES_CHUNK;
		if ((p = ctp_realloc(ls->buf, cap)) == NULL) {
			ls->err = LINES_NOMEM;
			return -1;
		}
		ls->buf = p;
		ls->cap = cap;
	}
	want = ls->cap - ls->len;
	if (ls->f) {
		got = (zip_int64_t)fread(ls->buf + ls->len, 1, want, ls->f);
		if (got == 0 && ferror(ls->f)) {
			ls->err = LINES_IO;
			return -1;
		}
	} else {
		if ((got = zip_fread(ls->zf, ls->buf + ls->len, want)) < 0) {
			ls->err = LINES_ZIP;
			return -1;
		}
		if ((ls->got += (zip_uint64_t)got) > ls->limit) {
			ls->err = LINES_BOMB;
			return -1;
		}
	}
	if (got == 0)
		ls->eof = 1;
	ls->len += (size_t)got;
	return 0;
}

/* Next line with its ending: length, 0 at the end, -1 on error. */
static ssize_t
lines_next(struct lines *ls, char **out)
{
	char *nl;
	ssize_t n;

	for (;;) {
		if (ls->pos < ls->len && (nl = memchr(ls->buf + ls->pos, '\n',
		    ls->len - ls->pos)) != NULL) {
			*out = ls->buf + ls->pos;
			n = nl + 1 - *out;
			ls->pos += (size_t)n;
			return n;
		}
		if (ls->len - ls->pos >= LIST_LINE_MAX) {
			ls->err = LINES_LONG;
			return -1;
		}
		if (ls->eof) {
			if (ls->pos >= ls->len)
				return 0;
			*out = ls->buf + ls->pos;
			n = (ssize_t)(ls->len - ls->pos);
			ls->pos = ls->len;
			return n;
		}
		if (ls->pos > 0) {
			memmove(ls->buf, ls->buf + ls->pos, ls->len - ls->pos);
			ls->len -= ls->pos;
			ls->pos = 0;
		}
		if (lines_fill(ls) < 0)
			return -1;
	}
}

/* ------------------------------------------------------------------ */
/* Records: strict RFC 4180 through ctp_csvp, with one documented
 * leniency for SAM files (see split_quoted). */

typedef int (*rec_fn)(void *arg, char **f, size_t nf, size_t line);

/*
 * SAM extracts quote every field, and a few "Additional Comments" values
 * carry quotes that are doubled where they should not be (""The ...""),
 * which no RFC 4180 parser accepts.  Such a record is split again on the
 * "," separators every field has; the caller still checks that it gives
 * exactly the header's field count.  Returns the field count.
 */
static size_t
split_quoted(char *s, char **f, size_t max)
{
	size_t n = 0, l = strlen(s);
	char *p, *sep, *w, *r;

	while (l > 0 && (s[l - 1] == '\n' || s[l - 1] == '\r'))
		s[--l] = '\0';
	if (l < 2 || s[0] != '"' || s[l - 1] != '"')
		return 0;
	s[l - 1] = '\0';
	p = s + 1;
	for (;;) {
		sep = strstr(p, "\",\"");
		if (sep)
			*sep = '\0';
		if (n < max) {
			/* Undouble the quotes that are doubled. */
			for (r = w = p; *r; r++) {
				*w++ = *r;
				if (r[0] == '"' && r[1] == '"')
					r++;
			}
			*w = '\0';
			f[n] = p;
		}
		n++;
		if (sep == NULL)
			break;
		p = sep + 3;
	}
	return n;
}

#define MAXF CTP_SCREEN_MAXF

/*
 * The LEIE and SAM quote every field, and almost every line is a record
 * by itself: "a","b""c",...,"z" and a newline.  Such a line is split here
 * into out (n bytes at least), doubled quotes undone, as RFC 4180 reads
 * it; anything else (an unquoted field, a quote out of place, a field
 * running on to the next line, more than MAXF fields) returns 0 and goes,
 * untouched, to the strict parser, which says what is wrong.  Returns the
 * field count or 0.
 */
size_t
ctp_screen_quoted_line(const char *s, size_t n, char *out, char **f)
{
	const char *end = s + n, *r = s, *q;
	char *w = out;
	size_t nf = 0;

	if (n < 3 || end[-1] != '\n')
		return 0;
	end--;
	if (end[-1] == '\r')
		end--;
	for (;;) {
		if (r >= end || *r != '"' || nf == MAXF)
			return 0;
		f[nf++] = w;
		r++;
		for (;;) {
			if ((q = memchr(r, '"', (size_t)(end - r))) == NULL)
				return 0;
			memcpy(w, r, (size_t)(q - r));
			w += q - r;
			r = q + 1;
			if (r < end && *r == '"') {
				*w++ = '"';	/* a doubled quote */
				r++;
				continue;
			}
			break;
		}
		*w++ = '\0';
		if (r == end)
			return nf;
		if (*r != ',')
			return 0;
		r++;
	}
}

/*
 * UTF-16, as Excel's "Unicode text" writes it: a byte order mark, or
 * ASCII with every other byte NUL.
 */
static int
utf16(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	if (n >= 2 && ((u[0] == 0xff && u[1] == 0xfe) ||
	    (u[0] == 0xfe && u[1] == 0xff)))
		return 1;
	return n >= 2 && (u[0] == 0) != (u[1] == 0);
}

static int
lines_error(const struct lines *ls, const char *name, size_t lineno,
    struct ctp_error *e)
{
	char where[300];

	switch (ls->err) {
	case LINES_NOMEM:
		return ctp_err_nomem(e, name);
	case LINES_ZIP:
		return ctp_errf(e, CTP_DATAERR, name, "the CSV inside the ZIP "
		    "is damaged or truncated");
	case LINES_LONG:
		snprintf(where, sizeof(where), "%s:%zu", name, lineno);
		return ctp_errf(e, CTP_DATAERR, where, "a line longer than "
		    "1 MB: not a list file?");
	case LINES_BOMB:
		return ctp_errf(e, CTP_DATAERR, name, "refused: the CSV inside "
		    "the ZIP expands past %d times its compressed size (or "
		    "2 GB), more than its stated size", ZIP_RATIO_MAX);
	default:
		return ctp_errf(e, CTP_IOERR, name, "read error");
	}
}

static int
parse_records(struct lines *ls, const char *name, int lenient, rec_fn fn,
    void *arg, struct ctp_error *e)
{
	struct ctp_csvp *p;
	struct ctp_csvrec *rec;
	struct ctp_buf raw = CTP_BUF_INIT, split = CTP_BUF_INIT;
	char *line, *f[MAXF];
	ssize_t n;
	size_t lineno = 0, start = 0, nf, i, recstart = 0, recbytes = 0;
	int rc = 0, inq = 0;
	char where[300];

	if ((p = ctp_csvp_new()) == NULL)
		return ctp_err_nomem(e, name);
	while ((n = lines_next(ls, &line)) > 0) {
		lineno++;
		if (lineno == 1 && utf16(line, (size_t)n)) {
			rc = ctp_errf(e, CTP_DATAERR, name, "UTF-16 text: save the "
			    "file as CSV UTF-8 or CSV (comma delimited)");
			goto out;
		}
		if (lineno == 1 && n >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
			line += 3;	/* a UTF-8 byte order mark */
			n -= 3;
		}
		if (raw.len == 0)
			start = lineno;
		/* Neither parser would say it: a quoted one keeps the bytes
		 * after it from the C string, libcsv calls it a stray quote. */
		if (memchr(line, '\0', (size_t)n) != NULL) {
			snprintf(where, sizeof(where), "%s:%zu", name, lineno);
			rc = ctp_errf(e, CTP_DATAERR, where,
			    "NUL byte: not a text file");
			goto out;
		}
		/* The strict parser is between records: this line may be one. */
		if (!inq && ctp_buf_grow(&split, (size_t)n) == 0 &&
		    (nf = ctp_screen_quoted_line(line, (size_t)n, split.s, f)) > 0) {
			ctp_buf_reset(&raw);	/* a blank line at most */
			if ((rc = fn(arg, f, nf, lineno)) != 0)
				goto out;
			continue;
		}
		if (!inq) {
			recstart = lineno;
			recbytes = 0;
		}
		for (i = 0; i < (size_t)n; i++)
			inq ^= line[i] == '"';
		if (n == 0 || line[n - 1] != '\n')
			inq = 1;	/* no newline: a record may go on */
		/* A quote out of place must not make the rest one record. */
		if ((recbytes += (size_t)n) > LIST_LINE_MAX) {
			snprintf(where, sizeof(where), "%s:%zu", name, recstart);
			rc = ctp_errf(e, CTP_DATAERR, where, "a quoted field runs "
			    "on past 1 MB (a quote out of place?)");
			goto out;
		}
		if (lenient && ctp_buf_add(&raw, line, (size_t)n) < 0) {
			rc = ctp_err_nomem(e, name);
			goto out;
		}
		if (ctp_csvp_feed(p, line, (size_t)n, lineno) < 0) {
			snprintf(where, sizeof(where), "%s:%zu", name,
			    ctp_csvp_error_line(p));
			/* ctp_csvp_error says "malformed CSV: ..." itself. */
			if (!lenient) {
				rc = ctp_errf(e, CTP_DATAERR, where, "%s",
				    ctp_csvp_error(p));
				goto out;
			}
			/* The rest of the record may still be to come. */
			if (raw.len > 0 && raw.s[raw.len - 1] == '\n' &&
			    (nf = split_quoted(raw.s, f, MAXF)) > 0 && nf <= MAXF) {
				if ((rc = fn(arg, f, nf, start)) != 0)
					goto out;
			} else {
				rc = ctp_errf(e, CTP_DATAERR, where, "%s",
				    ctp_csvp_error(p));
				goto out;
			}
			ctp_csvp_free(p);
			if ((p = ctp_csvp_new()) == NULL) {
				rc = ctp_err_nomem(e, name);
				goto out;
			}
			ctp_buf_reset(&raw);
			inq = 0;
			continue;
		}
		while (ctp_csvp_pop(p, &rec) == 1) {
			rc = fn(arg, rec->f, rec->nf, rec->line);
			free(rec);
			ctp_buf_reset(&raw);
			if (rc != 0) {
				while (ctp_csvp_pop(p, &rec) == 1)
					free(rec);
				goto out;
			}
		}
	}
	if (n < 0) {
		rc = lines_error(ls, name, lineno + 1, e);
		goto out;
	}
	if (ctp_csvp_finish(p) < 0) {
		snprintf(where, sizeof(where), "%s:%zu", name,
		    ctp_csvp_error_line(p));
		rc = ctp_errf(e, CTP_DATAERR, where, "file ends inside a "
		    "quoted field (truncated?)");
		goto out;
	}
	while (ctp_csvp_pop(p, &rec) == 1) {
		if (rc == 0)
			rc = fn(arg, rec->f, rec->nf, rec->line);
		free(rec);
	}
out:
	ctp_buf_free(&raw);
	ctp_buf_free(&split);
	ctp_csvp_free(p);
	return rc;
}

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
	char *colname[MAXF];		/* custom: the header */
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
	struct lines ls;
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
	if ((rc = lines_open(&ls, l->path, l->kind == CTP_LIST_SAM, e)) != 0)
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
		lines_close(&ls);
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
		lines_close(&ls);
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
	if ((rc = parse_records(&ls, l->path, l->kind == CTP_LIST_SAM, record,
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
	lines_close(&ls);
done:
	if (fk_off)
		sqlite3_exec(c->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	ctp_db_wal_again(c->db, journal);
	for (i = 0; i < F_NF; i++)
		free(ld.mapcol[i]);
	ctp_buf_free(&ld.scratch);
	return rc;
}

int
ctp_screen_remembered(struct ctp_ctx *c, const char *source, char **etag,
    char **last_modified, struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	*etag = *last_modified = NULL;
	if (ctp_db_prepare(c->db, &st, "SELECT etag, last_modified FROM "
	    "screen_lists WHERE source = ?1 AND active = 1 AND kind IN "
	    "('leie','sam') ORDER BY id DESC LIMIT 1", e))
		return e->code;
	ctp_bind_text(st, 1, source);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_NULL)
			*etag = ctp_strdup(ctp_col_text(st, 0));
		if (sqlite3_column_type(st, 1) != SQLITE_NULL)
			*last_modified = ctp_strdup(ctp_col_text(st, 1));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(c->db, rc, "screen lists", e);
	return 0;
}

/* Fetch one list into a temporary file and load it. */
static int
fetch_one(struct ctp_ctx *c, const struct ctp_fetch_opts *o,
    enum ctp_list_kind kind, const char *what, const char *url,
    struct ctp_error *e)
{
	struct ctp_fetch f;
	struct ctp_load l;
	char *etag = NULL, *lm = NULL, tmp[] = "/tmp/ctp-screen.XXXXXX";
	const char *tmpdir = getenv("TMPDIR");
	char *path = NULL, *base;
	int fd, rc;

	memset(&f, 0, sizeof(f));
	if (tmpdir && *tmpdir)
		path = ctp_asprintf("%s/ctp-screen.XXXXXX", tmpdir);
	else
		path = ctp_strdup(tmp);
	if (path == NULL)
		return ctp_err_nomem(e, what);
	if ((fd = mkstemp(path)) < 0) {
		rc = ctp_errf(e, CTP_CANTCREAT, what, "cannot create a "
		    "temporary file: %s", strerror(errno));
		free(path);
		return rc;
	}
	close(fd);
	if ((rc = ctp_screen_remembered(c, kind == CTP_LIST_SAM ? CTP_SRC_SAM
	    : CTP_SRC_LEIE, &etag, &lm, e)) != 0)
		goto out;
	f.url = url;
	f.dest = path;
	f.what = what;
	f.etag = etag;
	f.last_modified = lm;
	f.timeout = o->timeout;
	f.retries = o->retries;
	f.progress = -1;
	if ((rc = ctp_fetch_file(&f, e)) != 0)
		goto out;
	if (f.not_modified) {
		if (o->verbose)
			fprintf(stderr, "%s: not modified since the last "
			    "download\n", what);
		goto out;
	}
	memset(&l, 0, sizeof(l));
	l.kind = kind;
	l.path = path;
	/* The URL's last part without a query: never the API key. */
	base = ctp_strndup(url, strcspn(url, "?#"));
	l.file_name = f.file_name ? f.file_name : base && strrchr(base, '/') ?
	    strrchr(base, '/') + 1 : base;
	l.force = o->force;
	l.url = base;
	l.etag = f.new_etag;
	l.last_modified = f.new_last_modified;
	rc = ctp_screen_load(c, &l, e);
	if (rc == 0 && o->verbose)
		fprintf(stderr, "%s: %s, %lld %s\n", what, l.unchanged ?
		    "unchanged" : "loaded", l.rows,
		    ctp_plural(l.rows, "row", "rows"));
	free(base);
	if (rc != 0) {
		/*
		 * A bad download is the remote source being unavailable; a
		 * list that shrank is for a person to judge (--force).
		 */
		char w[sizeof(e->what)];

		snprintf(w, sizeof(w), "%s", e->what);
		rc = l.shrunk && !l.force ? CTP_DATAERR : CTP_UNAVAILABLE;
		ctp_errf(e, rc, what, "downloaded file refused, previous list "
		    "kept: %s", w);
	}
out:
	ctp_fetch_clear(&f);
	unlink(path);
	free(path);
	free(etag);
	free(lm);
	return rc;
}

int
ctp_screen_fetch(struct ctp_ctx *c, const struct ctp_fetch_opts *o,
    struct ctp_error *e)
{
	struct ctp_error e2;
	char *leie = NULL, *sam = NULL, *key = NULL, *url = NULL;
	const char *k;
	int rc = 0, r;

	ctp_error_clear(&e2);
	if (o->leie_url)
		leie = ctp_strdup(o->leie_url);
	else if (ctp_org_get(c->db, "leie_url", &leie, e))
		return e->code;
	if (o->sam_url)
		sam = ctp_strdup(o->sam_url);
	else if (ctp_org_get(c->db, "sam_url", &sam, e)) {
		free(leie);
		return e->code;
	}
	if ((k = o->sam_key) == NULL || *k == '\0')
		k = getenv("CTP_SAM_API_KEY");
	if (k && *k)
		key = ctp_strdup(k);
	else if (ctp_org_get(c->db, "sam_api_key", &key, e)) {
		free(leie);
		free(sam);
		return e->code;
	}
	if (leie == NULL || sam == NULL || key == NULL) {
		rc = ctp_err_nomem(e, "fetch");
		goto out;
	}
	if (*leie) {
		if ((r = fetch_one(c, o, CTP_LIST_LEIE, "leie", leie, &e2)) != 0) {
			*e = e2;
			rc = r;
			ctp_error_print(c->prog, &e2);
		}
	}
	if (*sam) {
		ctp_error_clear(&e2);
		if (*key == '\0') {
			r = ctp_errf(&e2, CTP_UNAVAILABLE, "sam", "no API key: set "
			    "CTP_SAM_API_KEY or ctp-org set sam_api_key");
		} else {
			url = ctp_asprintf("%s%sapi_key=%s%s", sam,
			    strchr(sam, '?') ? "&" : "?", key, strstr(sam,
			    "fileName=") || strstr(sam, "fileType=") ? "" :
			    "&fileType=EXCLUSION");
			r = url ? fetch_one(c, o, CTP_LIST_SAM, "sam", url, &e2)
			    : ctp_err_nomem(&e2, "sam");
		}
		if (r != 0) {
			if (rc == 0) {
				*e = e2;
				rc = r;
			}
			ctp_error_print(c->prog, &e2);
		}
	}
	/* Both printed already; the caller prints nothing more. */
	if (rc != 0)
		e->where[0] = e->what[0] = '\0';
out:
	free(url);
	free(leie);
	free(sam);
	free(key);
	return rc;
}

/* ------------------------------------------------------------------ */
/* lists */

const struct ctp_col ctp_screen_lists_columns[] = {
	{ "list_id", CTP_COL_INT },
	{ "list", CTP_COL_STR },
	{ "kind", CTP_COL_STR },
	{ "file", CTP_COL_STR },
	{ "file_date", CTP_COL_STR },
	{ "sha256", CTP_COL_STR },
	{ "rows", CTP_COL_INT },
	{ "loaded_at", CTP_COL_STR },
	{ "loaded_by", CTP_COL_STR },
};

static int
out_stmt(sqlite3 *db, sqlite3_stmt *st, struct ctp_out *o, size_t ncol,
    long long *count, struct ctp_error *e)
{
	const char *v[32];
	size_t i;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < ncol; i++)
			v[i] = sqlite3_column_type(st, (int)i) == SQLITE_NULL ?
			    NULL : ctp_col_text(st, (int)i);
		if (ctp_out_row(o, v, e))
			return e->code;
		if (count)
			(*count)++;
	}
	if (rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "screening", e);
	return 0;
}

int
ctp_screen_lists(struct ctp_ctx *c, int all, struct ctp_out *o,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	if (ctp_db_prepare(c->db, &st, "SELECT id, source, kind, file_name, "
	    "file_date, sha256, rows, loaded_at, loaded_by FROM screen_lists "
	    "WHERE ?1 OR active = 1 ORDER BY source, id", e))
		return e->code;
	sqlite3_bind_int(st, 1, all);
	rc = out_stmt(c->db, st, o, CTP_SCREEN_LISTS_NCOLUMNS, NULL, e);
	sqlite3_finalize(st);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Screening. */

struct srclist {
	char *source;
	long long version;
	char *reference;
	long long rows;
	char *jkey;		/* source as a JSON string, for the audit */
	const char *result;	/* the provider at hand's result */
};

/*
 * PSV entries are written PSV_BATCH to a statement: a roster run writes
 * one per provider per list, and a statement's own cost (bindings, start,
 * end) was most of a single-row insert's.  The batch's strings are the
 * lists' (source, reference), literals (result) and the rows' details,
 * all alive until the batch is written.  sha: the run's digest of what it
 * wrote, "provider_id|source|result" lines in id order (see ctp-screen(1)).
 */
#define PSV_BATCH 64

struct psvrow {
	long long pid;
	const char *source, *result, *reference, *detail;
	struct ctp_buf own;		/* a detail with match ids */
};

struct psvbatch {
	sqlite3_stmt *full;		/* PSV_BATCH rows */
	size_t n;
	struct psvrow row[PSV_BATCH];
	long long first, rows;		/* psv_log ids first .. first+rows-1 */
	struct ctp_sha256 *sha;
	char clear_detail[48];		/* {"run":N} */
};

struct cand {
	char *source;
	char *ident;
	long long version;
	int rule;		/* R_* */
	int name_idx;
	char *listed_name, *listed_npi, *dob, *state, *type, *excl;
};

enum { R_NONE, R_ONLY, R_STATE, R_DOB, R_NPI };
static const char *const rule_names[] = {
	"", "name_only", "name_state", "name_dob", "npi"
};

struct screener {
	struct ctp_ctx *c;
	long as_of;
	char as_of_s[CTP_DATE_LEN];
	long long run;
	struct srclist *src;
	size_t nsrc;
	sqlite3_stmt *by_npi, *by_name, *m_find, *m_ins, *m_upd, *prov;
	struct cand *cand;
	size_t ncand, capcand;
	char **names;		/* "FIRST LAST" used, per name index */
	struct ctp_screen_result *r;
	struct psvbatch psv;
	struct ctp_buf ids;
	char **npis;		/* NPIs of person entries, sorted */
	size_t nnpis;
	struct srclist **korder;	/* src by name: the JSON key order */
	struct ctp_buf check;	/* a provider's screen.check detail */
	char check_pre[48];	/* {"as_of":"DATE","lists":{ */
	char check_suf[40];	/* },"run":N} */
};

#define ENTRY_COLS "e.source, e.ident, e.version_id, e.last_name, " \
	"e.first_name, e.middle_name, e.npi, e.dob, e.state, e.excl_type, " \
	"e.excl_date, e.rein_date, e.end_date"

static void
cand_free(struct cand *k)
{
	free(k->source);
	free(k->ident);
	free(k->listed_name);
	free(k->listed_npi);
	free(k->dob);
	free(k->state);
	free(k->type);
	free(k->excl);
}

static char *
dupcol(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	return ctp_strdup(ctp_col_text(st, i));
}

/*
 * Judge one list entry against one provider name.  The entry must be in
 * force on the as-of date; then NPI, name and date of birth, name and
 * state (when no date of birth decides), or name alone (insufficient).
 */
static int
judge(struct screener *s, sqlite3_stmt *st, int by_npi, const char *dob,
    const char *state)
{
	const char *rein = ctp_col_text(st, 11), *end = ctp_col_text(st, 12);
	const char *edob = ctp_col_text(st, 7), *est = ctp_col_text(st, 8);
	const char *excl = ctp_col_text(st, 10), *src = ctp_col_text(st, 0);

	if (*rein && strcmp(rein, s->as_of_s) <= 0)
		return R_NONE;		/* reinstated */
	if (*end && strcmp(end, s->as_of_s) < 0)
		return R_NONE;		/* SAM: terminated */
	if (strcmp(src, CTP_SRC_SAM) == 0 && *excl &&
	    strcmp(excl, s->as_of_s) > 0)
		return R_NONE;		/* SAM: not yet active */
	if (by_npi)
		return R_NPI;
	if (*edob && dob && *dob)
		return strcmp(edob, dob) == 0 ? R_DOB : R_NONE;
	if (*est && state && *state)
		return strcasecmp(est, state) == 0 ? R_STATE : R_NONE;
	return R_ONLY;
}

static int
add_cand(struct screener *s, sqlite3_stmt *st, int rule, int name_idx)
{
	const char *src = ctp_col_text(st, 0), *ident = ctp_col_text(st, 1);
	struct cand *k;
	size_t i;

	for (i = 0; i < s->ncand; i++) {
		k = &s->cand[i];
		if (strcmp(k->ident, ident) == 0 && strcmp(k->source, src) == 0) {
			if (rule > k->rule) {
				k->rule = rule;
				k->name_idx = name_idx;
			}
			return 0;
		}
	}
	if (s->ncand == s->capcand) {
		size_t cap = s->capcand ? s->capcand * 2 : 16;
		struct cand *p = ctp_realloc(s->cand, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		s->cand = p;
		s->capcand = cap;
	}
	k = &s->cand[s->ncand++];
	memset(k, 0, sizeof(*k));
	k->source = ctp_strdup(src);
	k->ident = ctp_strdup(ident);
	k->version = sqlite3_column_int64(st, 2);
	k->rule = rule;
	k->name_idx = name_idx;
	k->listed_name = ctp_asprintf("%s%s%s%s%s", ctp_col_text(st, 4),
	    *ctp_col_text(st, 5) ? " " : "", ctp_col_text(st, 5),
	    *ctp_col_text(st, 4) || *ctp_col_text(st, 5) ? " " : "",
	    ctp_col_text(st, 3));
	k->listed_npi = dupcol(st, 6);
	k->dob = dupcol(st, 7);
	k->state = dupcol(st, 8);
	k->type = dupcol(st, 9);
	k->excl = dupcol(st, 10);
	return k->source && k->ident && k->listed_name ? 0 : -1;
}

static int
step_cands(struct screener *s, sqlite3_stmt *st, int by_npi, const char *dob,
    const char *state, int name_idx, struct ctp_error *e)
{
	int rc, rule;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((rule = judge(s, st, by_npi, dob, state)) == R_NONE)
			continue;
		if (add_cand(s, st, rule, name_idx) < 0) {
			sqlite3_reset(st);
			return ctp_err_nomem(e, "screening");
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(s->c->db, rc, "screening", e);
	return 0;
}

/*
 * Look up one name of the provider.  The name as used ("FIRST LAST") is
 * kept, at index n of s->names, only when a candidate came from it: most
 * names find nothing.
 */
static int
by_name(struct screener *s, const char *first, const char *last,
    const char *dob, const char *state, struct ctp_error *e)
{
	char keys[CTP_NAME_MAXKEYS][CTP_NAME_KEY], fk[CTP_NAME_KEY];
	char **p;
	int nk, i, rc, idx, used = 0;
	size_t n;

	if (ctp_name_first_key(first, fk) < 0 ||
	    (nk = ctp_name_last_keys(last, keys)) == 0)
		return 0;
	for (n = 0; s->names[n]; n++)
		;
	idx = (int)n;
	/* Same name, other DOB or other state: filtered in the index. */
	for (i = 0; i < nk; i++) {
		ctp_bind_text(s->by_name, 1, keys[i]);
		ctp_bind_text(s->by_name, 2, fk);
		bind_or_null(s->by_name, 3, dob);
		bind_or_null(s->by_name, 4, state);
		if ((rc = step_cands(s, s->by_name, 0, dob, state, idx, e)) != 0)
			return rc;
	}
	for (n = 0; n < s->ncand && !used; n++)
		used = s->cand[n].name_idx == idx;
	if (!used)
		return 0;
	if ((p = ctp_realloc(s->names, ((size_t)idx + 2) * sizeof(*p))) ==
	    NULL)
		return ctp_err_nomem(e, "screening");
	s->names = p;
	if ((p[idx] = ctp_asprintf("%s %s", first, last)) == NULL)
		return ctp_err_nomem(e, "screening");
	p[idx + 1] = NULL;
	return 0;
}

static void
names_reset(struct screener *s)
{
	size_t i;

	for (i = 0; s->names && s->names[i]; i++)
		free(s->names[i]);
	if (s->names)
		s->names[0] = NULL;
}

static char *
trim(char *s)
{
	size_t n;

	s += strspn(s, " \t");
	for (n = strlen(s); n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t');
	    n--)
		s[n - 1] = '\0';
	return s;
}

/*
 * Former names in other_names, separated by semicolons: "LAST, FIRST"
 * is a whole name; a name without a comma is a former last name (maiden
 * name) with the current first name.
 */
static int
other_names(struct screener *s, const char *first, const char *others,
    const char *dob, const char *state, struct ctp_error *e)
{
	char *copy, *tok, *save, *comma, *f, *l;
	int rc = 0;

	if (others == NULL || *others == '\0')
		return 0;
	if ((copy = ctp_strdup(others)) == NULL)
		return ctp_err_nomem(e, "screening");
	for (tok = strtok_r(copy, ";", &save); tok && rc == 0;
	    tok = strtok_r(NULL, ";", &save)) {
		if ((comma = strchr(tok, ',')) != NULL) {
			*comma = '\0';
			l = tok;
			f = comma + 1;
		} else {
			l = tok;
			f = (char *)first;
		}
		rc = by_name(s, trim(f), trim(l), dob, state, e);
	}
	free(copy);
	return rc;
}

/* Copy the provider row at st (id, npi, first, last, dob, state, others). */
static int
screen_row(struct screener *s, sqlite3_stmt *st, struct ctp_error *e);

static int
screen_one(struct screener *s, long long pid, struct ctp_error *e)
{
	sqlite3_stmt *st = s->prov;
	int rc;

	sqlite3_bind_int64(st, 1, pid);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return ctp_db_err(s->c->db, rc == SQLITE_DONE ? SQLITE_NOTFOUND
		    : rc, "providers", e);
	}
	rc = screen_row(s, st, e);
	sqlite3_reset(st);
	return rc;
}

/* "INSERT ... VALUES" for n PSV rows: ?1 actor, ?2 ts, ?3 method. */
static int
psv_prepare(sqlite3 *db, sqlite3_stmt **st, size_t n, struct ctp_error *e)
{
	return ctp_psv_prepare_batch(db, n, 0, st, e);
}

static int
psv_flush(struct screener *s, struct ctp_error *e)
{
	struct psvbatch *b = &s->psv;
	sqlite3_stmt *st = b->full;
	char ts[CTP_TS_LEN];
	size_t i;
	int rc, p;

	if (b->n == 0)
		return 0;
	if (b->n < PSV_BATCH && (rc = psv_prepare(s->c->db, &st, b->n, e)) != 0)
		return rc;
	ctp_timestamp(ts);
	sqlite3_bind_text(st, 1, s->c->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ts, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, "list file", -1, SQLITE_STATIC);
	for (i = 0; i < b->n; i++) {
		struct psvrow *r = &b->row[i];

		p = 4 + 5 * (int)i;
		sqlite3_bind_int64(st, p, r->pid);
		sqlite3_bind_text(st, p + 1, r->source, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, p + 2, r->result, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, p + 3, r->reference, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, p + 4, r->detail, -1, SQLITE_STATIC);
	}
	rc = sqlite3_step(st);
	if (st == b->full)
		sqlite3_reset(st);
	else
		sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(s->c->db, rc, "psv log", e);
	b->rows += (long long)b->n;
	b->n = 0;
	return 0;
}

/* Queue one PSV entry; detail NULL is the run's clear detail. */
static int
psv_queue(struct screener *s, long long pid, const struct srclist *src,
    const char *result, const char *ids, struct ctp_error *e)
{
	struct psvbatch *b = &s->psv;
	struct psvrow *r;
	char line[128], *w;
	size_t l, n;
	int rc = 0;

	if (b->n == PSV_BATCH && (rc = psv_flush(s, e)) != 0)
		return rc;
	r = &b->row[b->n++];
	r->pid = pid;
	r->source = src->source;
	r->result = result;
	r->reference = src->reference;
	r->detail = b->clear_detail;
	if (ids) {
		ctp_buf_reset(&r->own);
		if (ctp_buf_printf(&r->own, "{\"matches\":%s,\"run\":%lld}", ids,
		    s->run) < 0)
			return ctp_err_nomem(e, "psv log");
		r->detail = r->own.s;
	}
	/* The digest line, as sqlite3 prints the row: id|source|result,
	 * handed to the digest in one piece when it fits. */
	w = line + 24;
	*--w = '|';
	do {
		*--w = (char)('0' + pid % 10);
		pid /= 10;
	} while (pid > 0);
	l = strlen(src->source);
	n = strlen(result);
	if (l + n + 2 <= sizeof(line) - 24) {
		memcpy(line + 24, src->source, l);
		line[24 + l] = '|';
		memcpy(line + 25 + l, result, n);
		line[25 + l + n] = '\n';
		rc |= ctp_sha256_update(b->sha, w,
		    (size_t)(line + 26 + l + n - w));
	} else {
		rc |= ctp_sha256_update(b->sha, w, (size_t)(line + 24 - w));
		rc |= ctp_sha256_update(b->sha, src->source, l);
		rc |= ctp_sha256_update(b->sha, "|", 1);
		rc |= ctp_sha256_update(b->sha, result, n);
		rc |= ctp_sha256_update(b->sha, "\n", 1);
	}
	if (rc != 0)
		return ctp_errf(e, CTP_SOFTWARE, "psv log", "sha-256 failed");
	return 0;
}

/*
 * The digest of the run's PSV entries, after checking that they are the
 * rows first .. first + rows - 1 (what the audit event says).
 */
static int
psv_seal(struct screener *s, char hex[CTP_SHA256_HEX], struct ctp_error *e)
{
	struct psvbatch *b = &s->psv;
	long long last;
	int rc;

	if ((rc = ctp_db_int(s->c->db, "SELECT max(id) FROM psv_log", &last,
	    "psv log", e)) != 0)
		return rc;
	if (b->rows > 0 && last != b->first + b->rows - 1)
		return ctp_errf(e, CTP_SOFTWARE, "psv log", "entries not "
		    "consecutive");
	rc = ctp_sha256_final(b->sha, hex);
	b->sha = NULL;
	return rc == 0 ? 0 : ctp_errf(e, CTP_SOFTWARE, "psv log",
	    "sha-256 failed");
}

static void
psv_free(struct psvbatch *b)
{
	size_t i;
	char hex[CTP_SHA256_HEX];

	sqlite3_finalize(b->full);
	b->full = NULL;
	for (i = 0; i < PSV_BATCH; i++)
		ctp_buf_free(&b->row[i].own);
	if (b->sha)
		ctp_sha256_final(b->sha, hex);
	b->sha = NULL;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The NPIs person entries carry (a few thousand of 200,000 rows). */
static int
load_npis(struct screener *s, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char **p;
	size_t cap = 0;
	int rc;

	if (ctp_db_prepare(s->c->db, &st, "SELECT DISTINCT npi FROM "
	    "screen_entries WHERE npi IS NOT NULL AND entity = 'person' "
	    "ORDER BY npi", e))
		return e->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (s->nnpis == cap) {
			cap = cap ? cap * 2 : 256;
			if ((p = ctp_realloc(s->npis, cap * sizeof(*p))) == NULL)
				break;
			s->npis = p;
		}
		if ((s->npis[s->nnpis] = ctp_strdup(ctp_col_text(st, 0))) ==
		    NULL)
			break;
		s->nnpis++;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return ctp_err_nomem(e, "screening");
	if (rc != SQLITE_DONE)
		return ctp_db_err(s->c->db, rc, "screen entries", e);
	/* ORDER BY is SQLite's collation (BINARY): strcmp order. */
	return 0;
}

/* A match raised for the first time: its own audit event. */
static int
audit_new_match(struct screener *s, const char *npi, const struct cand *k,
    long long mid, struct ctp_error *e)
{
	json_t *d;
	char *t;
	int rc;

	d = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I}", "match",
	    (json_int_t)mid, "list", k->source, "entry", k->ident, "rule",
	    rule_names[k->rule], "result", k->rule == R_ONLY ?
	    "insufficient_data" : "potential_match", "run", (json_int_t)s->run);
	if (d == NULL)
		return ctp_err_nomem(e, "screening");
	/* Queued with the run's screen.check events: written in order. */
	t = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	json_decref(d);
	if (t == NULL)
		return ctp_err_nomem(e, "screening");
	rc = ctp_audit_queue(s->c, "screen.match", "provider", npi, t, e);
	free(t);
	return rc;
}

/*
 * The provider's screen.check event: the run, the date and each list's
 * result, in canonical JSON built here (one a provider, queued 64 to a
 * statement: ctp_audit_queue).
 */
static int
audit_check(struct screener *s, const char *npi, struct ctp_error *e)
{
	struct ctp_buf *b = &s->check;
	const struct srclist *l;
	size_t j;
	int rc;

	/* What is the same for the whole run, formatted once. */
	if (s->check_pre[0] == '\0') {
		snprintf(s->check_pre, sizeof(s->check_pre),
		    "{\"as_of\":\"%s\",\"lists\":{", s->as_of_s);
		snprintf(s->check_suf, sizeof(s->check_suf), "},\"run\":%lld}",
		    s->run);
	}
	ctp_buf_reset(b);
	rc = ctp_buf_puts(b, s->check_pre) < 0;
	for (j = 0; j < s->nsrc && rc == 0; j++) {
		l = s->korder[j];
		rc = (j > 0 && ctp_buf_putc(b, ',') < 0) ||
		    ctp_buf_puts(b, l->jkey) < 0 ||
		    ctp_buf_add(b, ":\"", 2) < 0 ||
		    ctp_buf_puts(b, l->result) < 0 ||
		    ctp_buf_putc(b, '"') < 0;
	}
	if (rc || ctp_buf_puts(b, s->check_suf) < 0)
		return ctp_err_nomem(e, "screening");
	return ctp_audit_queue(s->c, "screen.check", "provider", npi, b->s, e);
}

static int
screen_row(struct screener *s, sqlite3_stmt *st, struct ctp_error *e)
{
	char *npi = NULL, *first = NULL, *last = NULL, *dob = NULL;
	char *state = NULL, *others = NULL, ts[CTP_TS_LEN];
	const char *result;
	struct ctp_buf *ids = &s->ids;
	int rc, any_pot = 0, any_ins = 0;
	size_t i, j;
	long long pid = sqlite3_column_int64(st, 0);

	npi = dupcol(st, 1);
	first = dupcol(st, 2);
	last = dupcol(st, 3);
	dob = dupcol(st, 4);
	state = dupcol(st, 5);
	others = dupcol(st, 6);
	s->ncand = 0;
	names_reset(s);
	if (npi == NULL || first == NULL || last == NULL) {
		rc = ctp_err_nomem(e, "screening");
		goto out;
	}
	/* Few list entries carry an NPI: ask SQLite only for those. */
	if (s->nnpis > 0 && bsearch(&npi, s->npis, s->nnpis,
	    sizeof(*s->npis), cmp_str)) {
		ctp_bind_text(s->by_npi, 1, npi);
		if ((rc = step_cands(s, s->by_npi, 1, dob, state, -1, e)) != 0)
			goto out;
	}
	if ((rc = by_name(s, first, last, dob, state, e)) != 0 ||
	    (rc = other_names(s, first, others, dob, state, e)) != 0)
		goto out;
	if (s->ncand > 0)
		ctp_timestamp(ts);
	for (j = 0; j < s->nsrc; j++) {
		int pot = 0, ins = 0;

		ctp_buf_reset(ids);
		for (i = 0; i < s->ncand; i++) {
			struct cand *k = &s->cand[i];
			const char *status = NULL;
			long long mid = 0;

			if (strcmp(k->source, s->src[j].source) != 0)
				continue;
			sqlite3_bind_int64(s->m_find, 1, pid);
			ctp_bind_text(s->m_find, 2, k->source);
			ctp_bind_text(s->m_find, 3, k->ident);
			if ((rc = sqlite3_step(s->m_find)) == SQLITE_ROW) {
				mid = sqlite3_column_int64(s->m_find, 0);
				status = ctp_col_text(s->m_find, 1);
				/* A reinstated match stays set aside as a
				 * cleared one does, until the entry changes. */
				status = strcmp(status, "cleared") == 0 ||
				    strcmp(status, "reinstated") == 0 ?
				    "cleared" : strcmp(status, "confirmed")
				    == 0 ? "confirmed" : "pending";
			}
			sqlite3_reset(s->m_find);
			if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
				rc = ctp_db_err(s->c->db, rc, "matches", e);
				goto out;
			}
			st = mid ? s->m_upd : s->m_ins;
			sqlite3_bind_int64(st, 1, pid);
			ctp_bind_text(st, 2, k->source);
			ctp_bind_text(st, 3, k->ident);
			sqlite3_bind_int64(st, 4, k->version);
			sqlite3_bind_int64(st, 5, s->run);
			ctp_bind_text(st, 6, rule_names[k->rule]);
			ctp_bind_text(st, 7, k->rule == R_ONLY ?
			    "insufficient_data" : "potential_match");
			ctp_bind_text_or_null(st, 8, k->name_idx >= 0 ?
			    s->names[k->name_idx] : NULL);
			ctp_bind_text(st, 9, k->listed_name);
			ctp_bind_text_or_null(st, 10, k->listed_npi);
			ctp_bind_text_or_null(st, 11, k->dob);
			ctp_bind_text_or_null(st, 12, k->state);
			ctp_bind_text_or_null(st, 13, k->type);
			ctp_bind_text_or_null(st, 14, k->excl);
			ctp_bind_text(st, 15, ts);
			if (mid)
				sqlite3_bind_int64(st, 16, mid);
			rc = sqlite3_step(st);
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			if (rc != SQLITE_DONE) {
				rc = ctp_db_err(s->c->db, rc, "matches", e);
				goto out;
			}
			rc = 0;
			if (!mid) {
				mid = sqlite3_last_insert_rowid(s->c->db);
				s->r->new_matches++;
				status = "pending";
				if ((rc = audit_new_match(s, npi, k, mid, e)) != 0)
					goto out;
			}
			if (strcmp(status, "pending") == 0)
				s->r->pending++;
			if (strcmp(status, "cleared") == 0)
				continue;
			if (k->rule == R_ONLY)
				ins = 1;
			else
				pot = 1;
			if (ctp_buf_printf(ids, "%s%lld", ids->len ? "," : "[",
			    mid) < 0) {
				rc = ctp_err_nomem(e, "screening");
				goto out;
			}
		}
		result = pot ? "potential_match" : ins ? "insufficient_data" :
		    "clear";
		any_pot |= pot;
		any_ins |= ins;
		if (ids->len && ctp_buf_putc(ids, ']') < 0) {
			rc = ctp_err_nomem(e, "screening");
			goto out;
		}
		if ((rc = psv_queue(s, pid, &s->src[j], result, ids->len ?
		    ids->s : NULL, e)) != 0)
			goto out;
		s->src[j].result = result;
	}
	if ((rc = audit_check(s, npi, e)) != 0)
		goto out;
	s->r->providers++;
	if (any_pot)
		s->r->potential++;
	else if (any_ins)
		s->r->insufficient++;
	else
		s->r->clear++;
out:
	free(npi);
	free(first);
	free(last);
	free(dob);
	free(state);
	free(others);
	for (i = 0; i < s->ncand; i++)
		cand_free(&s->cand[i]);
	s->ncand = 0;
	return rc;
}

static int
cmp_source(const void *a, const void *b)
{
	return strcmp((*(struct srclist *const *)a)->source,
	    (*(struct srclist *const *)b)->source);
}

/* Each list's name as a JSON key, and the keys' sorted order. */
static int
json_keys(struct screener *s, struct ctp_error *e)
{
	json_t *k;
	size_t j;

	if (s->nsrc == 0)
		return 0;
	if ((s->korder = ctp_calloc(s->nsrc, sizeof(*s->korder))) == NULL)
		return ctp_err_nomem(e, "screening");
	for (j = 0; j < s->nsrc; j++) {
		s->korder[j] = &s->src[j];
		if ((k = json_string(s->src[j].source)) == NULL)
			return ctp_err_nomem(e, "screening");
		s->src[j].jkey = json_dumps(k, JSON_ENCODE_ANY | JSON_COMPACT |
		    JSON_ENSURE_ASCII);
		json_decref(k);
		if (s->src[j].jkey == NULL)
			return ctp_err_nomem(e, "screening");
	}
	qsort(s->korder, s->nsrc, sizeof(*s->korder), cmp_source);
	return 0;
}

static int
load_sources(struct screener *s, struct ctp_error *e)
{
	sqlite3_stmt *st;
	struct srclist *p;
	int rc;

	if (ctp_db_prepare(s->c->db, &st, "SELECT source, id, file_date, "
	    "sha256, rows, (SELECT count(*) FROM screen_lists x WHERE "
	    "x.parent_id = l.id AND x.active = 1) FROM screen_lists l WHERE "
	    "active = 1 AND kind IN ('leie','sam','custom') ORDER BY "
	    "CASE source WHEN 'OIG LEIE' THEN 0 WHEN 'SAM' THEN 1 ELSE 2 END,"
	    " source", e))
		return e->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((p = ctp_realloc(s->src, (s->nsrc + 1) * sizeof(*p)))
		    == NULL) {
			sqlite3_finalize(st);
			return ctp_err_nomem(e, "screening");
		}
		s->src = p;
		p = &s->src[s->nsrc++];
		p->jkey = NULL;
		p->result = "clear";
		p->source = ctp_strdup(ctp_col_text(st, 0));
		p->version = sqlite3_column_int64(st, 1);
		p->rows = sqlite3_column_int64(st, 4);
		p->reference = ctp_asprintf("version %lld, %s, sha256 %.12s%s",
		    p->version, ctp_col_text(st, 2), ctp_col_text(st, 3),
		    sqlite3_column_int(st, 5) ? ", with supplements" : "");
		if (p->source == NULL || p->reference == NULL) {
			sqlite3_finalize(st);
			return ctp_err_nomem(e, "screening");
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(s->c->db, rc, "screen lists", e);
	return json_keys(s, e);
}

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

const struct ctp_col ctp_screen_match_columns[] = {
	{ "match_id", CTP_COL_INT },
	{ "npi", CTP_COL_STR },
	{ "last_name", CTP_COL_STR },
	{ "first_name", CTP_COL_STR },
	{ "list", CTP_COL_STR },
	{ "entry", CTP_COL_STR },
	{ "rule", CTP_COL_STR },
	{ "result", CTP_COL_STR },
	{ "status", CTP_COL_STR },
	{ "name_used", CTP_COL_STR },
	{ "listed_name", CTP_COL_STR },
	{ "listed_dob", CTP_COL_STR },
	{ "listed_state", CTP_COL_STR },
	{ "exclusion_type", CTP_COL_STR },
	{ "exclusion_date", CTP_COL_STR },
	{ "raised_at", CTP_COL_STR },
	{ "reviewed_by", CTP_COL_STR },
	{ "note", CTP_COL_STR },
};

#define MATCH_SELECT "SELECT m.id, p.npi, p.last_name, p.first_name, " \
	"m.source, m.ident, m.rule, m.result, m.status, m.name_used, " \
	"m.listed_name, m.listed_dob, m.listed_state, m.excl_type, " \
	"m.excl_date, m.created_at, m.reviewed_by, m.note FROM " \
	"screen_matches m JOIN providers p ON p.id = m.provider_id "

int
ctp_screen_run(struct ctp_ctx *c, const char *const *npis, size_t n,
    long as_of, struct ctp_out *o, struct ctp_screen_result *r,
    struct ctp_error *e)
{
	struct screener s;
	sqlite3_stmt *st = NULL;
	long long *ids = NULL, nids = 0, i;
	json_t *lists = NULL, *d;
	char ts[CTP_TS_LEN], *lj = NULL, where[64], psvsha[CTP_SHA256_HEX];
	int rc, k, fk_off = 0, journal = 0;
	size_t j;

	memset(&s, 0, sizeof(s));
	memset(r, 0, sizeof(*r));
	s.c = c;
	s.r = r;
	s.as_of = as_of;
	ctp_date_format(as_of, s.as_of_s);
	if ((rc = load_sources(&s, e)) != 0)
		goto out;
	if (s.nsrc == 0) {
		rc = ctp_errf(e, CTP_NOINPUT, NULL, "no exclusion list loaded: "
		    "run ctp-screen fetch or ctp-screen load first");
		goto out;
	}
	/* Who: resolve every NPI before writing anything. */
	if (n > 0) {
		if ((ids = ctp_calloc(n, sizeof(*ids))) == NULL) {
			rc = ctp_err_nomem(e, "screening");
			goto out;
		}
		if ((rc = ctp_db_prepare(c->db, &st, "SELECT id FROM providers "
		    "WHERE npi = ?1", e)) != 0)
			goto out;
		for (j = 0; j < n; j++) {
			ctp_bind_text(st, 1, npis[j]);
			k = sqlite3_step(st);
			if (k == SQLITE_ROW)
				ids[nids++] = sqlite3_column_int64(st, 0);
			sqlite3_reset(st);
			if (k != SQLITE_ROW) {
				snprintf(where, sizeof(where), "npi %zu", j + 1);
				rc = k == SQLITE_DONE ? ctp_errf(e, CTP_DATAERR,
				    where, "not on the roster") :
				    ctp_db_err(c->db, k, where, e);
				goto out;
			}
		}
		sqlite3_finalize(st);
		st = NULL;
		qsort(ids, (size_t)nids, sizeof(*ids), cmp_ll);
	} else {
		if ((rc = ctp_db_int(c->db, "SELECT count(*) FROM providers "
		    "WHERE status <> 'inactive'", &nids, "providers", e)) != 0)
			goto out;
	}
	if (nids == 0) {
		rc = 0;
		goto out;
	}
	if ((lists = json_array()) == NULL) {
		rc = ctp_err_nomem(e, "screening");
		goto out;
	}
	for (j = 0; j < s.nsrc; j++)
		json_array_append_new(lists, json_pack("{s:s, s:I, s:s}",
		    "source", s.src[j].source, "version",
		    (json_int_t)s.src[j].version, "reference",
		    s.src[j].reference));
	if ((lj = json_dumps(lists, JSON_COMPACT)) == NULL) {
		rc = ctp_err_nomem(e, "screening");
		goto out;
	}
	if ((rc = ctp_db_prepare(c->db, &s.prov, "SELECT id, npi, first_name, "
	    "last_name, dob, practice_state, other_names FROM providers WHERE "
	    "id = ?1", e)) != 0 ||
	    (rc = ctp_db_prepare(c->db, &s.by_npi, "SELECT " ENTRY_COLS " FROM "
	    "screen_entries e WHERE e.npi = ?1 AND e.entity = 'person'", e))
	    != 0 ||
	    (rc = ctp_db_prepare(c->db, &s.by_name, "SELECT " ENTRY_COLS " FROM "
	    "screen_names n JOIN screen_entries e ON e.id = n.entry_id WHERE "
	    "n.last_key = ?1 AND n.first_key = ?2 AND (n.dob = ?3 OR "
	    "((n.dob IS NULL OR ?3 IS NULL) AND (n.state IS NULL OR ?4 IS NULL"
	    " OR n.state = upper(?4))))", e)) != 0 ||
	    (rc = ctp_db_prepare(c->db, &s.m_find, "SELECT id, status FROM "
	    "screen_matches WHERE provider_id = ?1 AND source = ?2 AND "
	    "ident = ?3", e)) != 0 ||
	    (rc = ctp_db_prepare(c->db, &s.m_ins, "INSERT INTO screen_matches "
	    "(provider_id, source, ident, version_id, run_id, last_run_id, "
	    "rule, result, name_used, listed_name, listed_npi, listed_dob, "
	    "listed_state, excl_type, excl_date, created_at) VALUES (?1,?2,?3,"
	    "?4,?5,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)", e)) != 0 ||
	    (rc = ctp_db_prepare(c->db, &s.m_upd, "UPDATE screen_matches SET "
	    "version_id = ?4, last_run_id = ?5, rule = ?6, result = ?7, "
	    "name_used = ?8, listed_name = ?9, listed_npi = ?10, "
	    "listed_dob = ?11, listed_state = ?12, excl_type = ?13, "
	    "excl_date = ?14 WHERE id = ?16 AND provider_id = ?1 AND "
	    "source = ?2 AND ident = ?3 AND ?15 IS NOT NULL", e)) != 0)
		goto out;
	/*
	 * A run writes its rows once and reads the lists through the map:
	 * a 32 MB cache reuses its pages where a large one was fresh memory
	 * (a page fault each) for every page written (100,000 providers:
	 * 1.32-1.54 s -> 1.10-1.30 s).
	 */
	sqlite3_exec(c->db, "PRAGMA cache_size=-32000; PRAGMA mmap_size="
	    "1073741824", NULL, NULL, NULL);
	if ((s.names = ctp_calloc(1, sizeof(*s.names))) == NULL ||
	    (s.psv.sha = ctp_sha256_new()) == NULL) {
		rc = ctp_err_nomem(e, "screening");
		goto out;
	}
	if ((rc = psv_prepare(c->db, &s.psv.full, PSV_BATCH, e)) != 0)
		goto out;
	/*
	 * Every provider id written (PSV entries, matches) is read from
	 * providers inside this transaction, the list versions and the run
	 * too: checking each foreign key again per row cost a tenth of the
	 * run.  On again after the transaction.
	 */
	sqlite3_exec(c->db, "PRAGMA foreign_keys=OFF", NULL, NULL, NULL);
	fk_off = 1;
	journal = ctp_db_bulk_journal(c->db);
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		goto out;
	if ((rc = load_npis(&s, e)) != 0)
		goto fail;
	/* This run's PSV entries: ids from here on, no one else writing. */
	if ((rc = ctp_db_int(c->db, "SELECT coalesce(max(id), 0) + 1 FROM "
	    "psv_log", &s.psv.first, "psv log", e)) != 0)
		goto fail;
	ctp_timestamp(ts);
	if ((rc = ctp_db_prepare(c->db, &st, "INSERT INTO screen_runs "
	    "(started_at, as_of, actor, scope, lists) VALUES (?1,?2,?3,?4,?5)",
	    e)) != 0)
		goto fail;
	ctp_bind_text(st, 1, ts);
	ctp_bind_text(st, 2, s.as_of_s);
	ctp_bind_text(st, 3, c->user);
	ctp_bind_text(st, 4, n > 0 ? "providers" : "roster");
	ctp_bind_text(st, 5, lj);
	k = sqlite3_step(st);
	sqlite3_finalize(st);
	st = NULL;
	if (k != SQLITE_DONE) {
		rc = ctp_db_err(c->db, k, "screening run", e);
		goto fail;
	}
	s.run = r->run_id = sqlite3_last_insert_rowid(c->db);
	snprintf(s.psv.clear_detail, sizeof(s.psv.clear_detail),
	    "{\"run\":%lld}", s.run);
	if (n == 0) {
		/* The whole roster: one pass over providers. */
		if ((rc = ctp_db_prepare(c->db, &st, "SELECT id, npi, first_name,"
		    " last_name, dob, practice_state, other_names FROM providers"
		    " WHERE status <> 'inactive' ORDER BY id", e)) != 0)
			goto fail;
		while ((k = sqlite3_step(st)) == SQLITE_ROW)
			if ((rc = screen_row(&s, st, e)) != 0)
				goto fail;
		sqlite3_finalize(st);
		st = NULL;
		if (k != SQLITE_DONE) {
			rc = ctp_db_err(c->db, k, "providers", e);
			goto fail;
		}
	}
	for (i = 0; n > 0 && i < nids; i++) {
		if (i > 0 && ids[i] == ids[i - 1])
			continue;
		if ((rc = screen_one(&s, ids[i], e)) != 0)
			goto fail;
	}
	if ((rc = psv_flush(&s, e)) != 0)
		goto fail;
	if ((rc = psv_seal(&s, psvsha, e)) != 0)
		goto fail;
	ctp_timestamp(ts);
	if ((rc = ctp_db_prepare(c->db, &st, "UPDATE screen_runs SET "
	    "finished_at = ?1, providers = ?2, clear = ?3, potential = ?4, "
	    "insufficient = ?5, new_matches = ?6 WHERE id = ?7", e)) != 0)
		goto fail;
	ctp_bind_text(st, 1, ts);
	sqlite3_bind_int64(st, 2, r->providers);
	sqlite3_bind_int64(st, 3, r->clear);
	sqlite3_bind_int64(st, 4, r->potential);
	sqlite3_bind_int64(st, 5, r->insufficient);
	sqlite3_bind_int64(st, 6, r->new_matches);
	sqlite3_bind_int64(st, 7, s.run);
	k = sqlite3_step(st);
	sqlite3_finalize(st);
	st = NULL;
	if (k != SQLITE_DONE) {
		rc = ctp_db_err(c->db, k, "screening run", e);
		goto fail;
	}
	/*
	 * The run's one event: what was screened against which versions,
	 * the counts, and the PSV entries it wrote (id range, count and
	 * digest): the entries are sealed by the audit chain.
	 */
	d = json_pack("{s:I, s:s, s:o, s:I, s:I, s:I, s:I, s:I, s:{s:I, s:I,"
	    " s:I, s:s}}", "run",
	    (json_int_t)s.run, "as_of", s.as_of_s, "lists", json_incref(lists),
	    "providers", (json_int_t)r->providers, "clear",
	    (json_int_t)r->clear, "potential", (json_int_t)r->potential,
	    "insufficient", (json_int_t)r->insufficient, "new_matches",
	    (json_int_t)r->new_matches, "psv", "first",
	    (json_int_t)(s.psv.rows ? s.psv.first : 0), "last",
	    (json_int_t)(s.psv.rows ? s.psv.first + s.psv.rows - 1 : 0),
	    "rows", (json_int_t)s.psv.rows, "sha256", psvsha);
	rc = d ? ctp_audit(c, "screen.run", "screening_run", NULL, d, e) :
	    ctp_err_nomem(e, "screening");
	json_decref(d);
	if (rc != 0 || (rc = ctp_db_commit(c->db, e)) != 0)
		goto fail;
	sqlite3_exec(c->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	fk_off = 0;
	ctp_db_wal_again(c->db, journal);
	journal = 0;
	/* What needs a person: every match of this run still pending. */
	if (o) {
		if ((rc = ctp_db_prepare(c->db, &st, MATCH_SELECT "WHERE "
		    "m.last_run_id = ?1 AND m.status = 'pending' ORDER BY m.id",
		    e)) != 0)
			goto out;
		sqlite3_bind_int64(st, 1, s.run);
		rc = out_stmt(c->db, st, o, CTP_SCREEN_MATCH_NCOLUMNS, NULL, e);
	}
	goto out;
fail:
	ctp_db_rollback(c->db);
out:
	if (fk_off)
		sqlite3_exec(c->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	ctp_db_wal_again(c->db, journal);
	sqlite3_finalize(st);
	sqlite3_finalize(s.prov);
	sqlite3_finalize(s.by_npi);
	sqlite3_finalize(s.by_name);
	sqlite3_finalize(s.m_find);
	sqlite3_finalize(s.m_ins);
	sqlite3_finalize(s.m_upd);
	for (j = 0; j < s.nsrc; j++) {
		free(s.src[j].source);
		free(s.src[j].reference);
		free(s.src[j].jkey);
	}
	free(s.src);
	free(s.korder);
	ctp_buf_free(&s.check);
	psv_free(&s.psv);
	ctp_buf_free(&s.ids);
	for (j = 0; j < s.nnpis; j++)
		free(s.npis[j]);
	free(s.npis);
	names_reset(&s);
	free(s.names);
	free(s.cand);
	free(ids);
	free(lj);
	json_decref(lists);
	return rc;
}

int
ctp_screen_matches(struct ctp_ctx *c, const char *status, struct ctp_out *o,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	long long count = 0;
	json_t *d;
	int rc;

	if (status && strcmp(status, "pending") != 0 &&
	    strcmp(status, "confirmed") != 0 &&
	    strcmp(status, "cleared") != 0 && strcmp(status, "reinstated") != 0)
		return ctp_errf(e, CTP_USAGE, "--status", "one of pending, "
		    "confirmed, cleared, reinstated");
	if (ctp_db_prepare(c->db, &st, MATCH_SELECT "WHERE ?1 IS NULL OR "
	    "m.status = ?1 ORDER BY m.id", e))
		return e->code;
	ctp_bind_text_or_null(st, 1, status);
	rc = out_stmt(c->db, st, o, CTP_SCREEN_MATCH_NCOLUMNS, &count, e);
	sqlite3_finalize(st);
	if (rc != 0)
		return rc;
	d = json_pack("{s:s?, s:I}", "status", status, "rows",
	    (json_int_t)count);
	rc = ctp_audit(c, "screen.matches.read", "screening", NULL, d, e);
	json_decref(d);
	return rc;
}

/* A match under review, and its provider. */
struct review {
	char npi[16];
	char status[16];	/* the match's */
	char pstatus[16];	/* the provider's */
	long long other;	/* another confirmed match of the provider */
};

static int
review_load(struct ctp_ctx *c, long long id, const char *where,
    struct review *r, struct ctp_error *e)
{
	sqlite3_stmt *st;
	int k;

	if (ctp_db_prepare(c->db, &st, "SELECT p.npi, m.status, p.status, "
	    "(SELECT min(o.id) FROM screen_matches o WHERE o.provider_id = "
	    "m.provider_id AND o.status = 'confirmed' AND o.id <> m.id) FROM "
	    "screen_matches m JOIN providers p ON p.id = m.provider_id WHERE "
	    "m.id = ?1", e))
		return e->code;
	sqlite3_bind_int64(st, 1, id);
	if ((k = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(r->npi, sizeof(r->npi), "%s", ctp_col_text(st, 0));
		snprintf(r->status, sizeof(r->status), "%s",
		    ctp_col_text(st, 1));
		snprintf(r->pstatus, sizeof(r->pstatus), "%s",
		    ctp_col_text(st, 2));
		r->other = sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	if (k == SQLITE_DONE)
		return ctp_errf(e, CTP_DATAERR, where, "no such match");
	if (k != SQLITE_ROW)
		return ctp_db_err(c->db, k, where, e);
	return 0;
}

/* Its decision into the match row (reviewer and note for a first one). */
static int
review_mark(struct ctp_ctx *c, long long id, const char *status,
    const char *note, const char *where, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char ts[CTP_TS_LEN];
	int rc;

	ctp_timestamp(ts);
	if (ctp_db_prepare(c->db, &st, note ? "UPDATE screen_matches SET "
	    "status = ?1, reviewed_by = ?2, reviewed_at = ?3, note = ?4 "
	    "WHERE id = ?5" : "UPDATE screen_matches SET status = ?1 WHERE "
	    "id = ?5", e))
		return e->code;
	ctp_bind_text(st, 1, status);
	if (note) {
		ctp_bind_text(st, 2, c->user);
		ctp_bind_text(st, 3, ts);
		ctp_bind_text(st, 4, note);
	}
	sqlite3_bind_int64(st, 5, id);
	rc = ctp_db_step_done(st, where, e);
	sqlite3_finalize(st);
	return rc;
}

static int
review_event(struct ctp_ctx *c, long long id, const char *decision,
    const struct review *r, const char *where, struct ctp_error *e)
{
	json_t *d;
	int rc;

	d = json_pack("{s:I, s:s, s:s}", "match", (json_int_t)id, "decision",
	    decision, "npi", r->npi);
	if (d && strcmp(decision, "reinstated") == 0 && json_object_set_new(d,
	    "excluded_by", json_integer(r->other)) != 0) {
		json_decref(d);
		d = NULL;
	}
	if (d == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(c, "screen.review", "screen_match", where + 6, d, e);
	json_decref(d);
	return rc;
}

int
ctp_screen_review(struct ctp_ctx *c, long long id, int confirm,
    const char *note, struct ctp_error *e)
{
	struct review r;
	char where[64];
	const char *decision = confirm ? "confirmed" : "cleared";
	int rc;

	snprintf(where, sizeof(where), "match %lld", id);
	if (note == NULL || *note == '\0')
		return ctp_errf(e, CTP_USAGE, where, "--note is required");
	if (ctp_check_note(note) != NULL)
		return ctp_errf(e, CTP_DATAERR, "--note", "%s",
		    ctp_check_note(note));
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		return rc;
	if ((rc = review_load(c, id, where, &r, e)) != 0)
		goto fail;
	if (strcmp(r.status, "pending") != 0) {
		rc = ctp_errf(e, CTP_DATAERR, where, "already %s", r.status);
		goto fail;
	}
	if ((rc = review_mark(c, id, decision, note, where, e)) != 0 ||
	    (confirm && (rc = ctp_roster_set(c, r.npi, "status", "excluded",
	    "ctp-screen", note, e)) != 0) ||
	    (rc = review_event(c, id, decision, &r, where, e)) != 0 ||
	    (rc = ctp_db_commit(c->db, e)) != 0)
		goto fail;
	return 0;
fail:
	ctp_db_rollback(c->db);
	return rc;
}

int
ctp_screen_reinstate(struct ctp_ctx *c, long long id, const char *note,
    long long *stays, struct ctp_error *e)
{
	struct review r;
	char where[64];
	int rc;

	*stays = 0;
	snprintf(where, sizeof(where), "match %lld", id);
	if (note == NULL || *note == '\0')
		return ctp_errf(e, CTP_USAGE, where, "--note is required");
	if (ctp_check_note(note) != NULL)
		return ctp_errf(e, CTP_DATAERR, "--note", "%s",
		    ctp_check_note(note));
	if ((rc = ctp_ctx_require(c, CTP_PERM_ADMIN, "reinstate", e)) != 0)
		return rc;
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		return rc;
	if ((rc = review_load(c, id, where, &r, e)) != 0)
		goto fail;
	if (strcmp(r.status, "confirmed") != 0) {
		rc = ctp_errf(e, CTP_DATAERR, where, "is %s; only a confirmed "
		    "match is reinstated", r.status);
		goto fail;
	}
	/* The match keeps its reviewer and note; the reinstatement's are in
	 * the history row and the audit log. */
	if ((rc = review_mark(c, id, "reinstated", NULL, where, e)) != 0)
		goto fail;
	/* The exclusion ends when no other confirmed match stands. */
	*stays = r.other;
	if (r.other == 0 && strcmp(r.pstatus, "excluded") == 0 &&
	    (rc = ctp_status_set(c, r.npi, NULL, CTP_STATUS_REINSTATE, id,
	    "ctp-screen", note, NULL, e)) != 0)
		goto fail;
	if ((rc = review_event(c, id, "reinstated", &r, where, e)) != 0 ||
	    (rc = ctp_db_commit(c->db, e)) != 0)
		goto fail;
	return 0;
fail:
	ctp_db_rollback(c->db);
	return rc;
}
