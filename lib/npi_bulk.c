/*
 * npi_bulk.c - the NPPES dissemination file (npidata_pfile_*.csv, 330
 * columns, about 9 GB), read once from start to end in reads of up to
 * 256 KB (two of lines.c's chunks of READ_CHUNK: small enough that what
 * is read is still in the cache when it is searched), never held in
 * memory.  See npi_bulk.h.
 *
 * Lines come from the one line reader (lines.c).  A row is parsed only
 * when the quoted NPI that starts its line is in the set looked for (a
 * binary search of it); the rest of the file costs what wc -l spends on
 * it, a read and a memchr per line.  A roster row that is one line of
 * plain fields, as CMS writes every row, is split by csvio.c's fast
 * splitter, any other by its libcsv parser: on the generated worst case
 * (100,000 roster rows in 1.1 GB) the reader takes 0.22 s of CPU so and
 * 0.44 s with libcsv for every row, where wc -l takes 0.09 to 0.15 s.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvio.h"
#include "date.h"
#include "input.h"
#include "lines.h"
#include "mem.h"
#include "npi_bulk.h"

#define BULK_NCOLS 330
#define BULK_NTAX 15
#define READ_CHUNK (128 << 10)
#define MAX_LINE (16 << 20)
#define MAX_SPAN 1000	/* lines an off-roster quoted field may span */

enum {
	R_NONE = 0,
	R_FIELD = 1,		/* + CTP_NPI_x, stored as is */
	R_ETYPE = 100,
	R_ENUM_DATE,
	R_LAST_UPD,
	R_DEACT_DATE,
	R_REACT_DATE,
	R_TAX = 200	/* + 4 * slot + (0 code, 1 license, 2 state, 3 flag) */
};

static const struct {
	const char *name;
	int role;
} bulk_cols[] = {
	{ "NPI", R_FIELD + CTP_NPI_NPI },
	{ "Entity Type Code", R_ETYPE },
	{ "Provider Organization Name (Legal Business Name)",
	    R_FIELD + CTP_NPI_ORGANIZATION_NAME },
	{ "Provider Last Name (Legal Name)", R_FIELD + CTP_NPI_LAST_NAME },
	{ "Provider First Name", R_FIELD + CTP_NPI_FIRST_NAME },
	{ "Provider Middle Name", R_FIELD + CTP_NPI_MIDDLE_NAME },
	{ "Provider Credential Text", R_FIELD + CTP_NPI_CREDENTIAL },
	{ "Provider First Line Business Practice Location Address",
	    R_FIELD + CTP_NPI_PRACTICE_ADDRESS },
	{ "Provider Second Line Business Practice Location Address",
	    R_FIELD + CTP_NPI_PRACTICE_ADDRESS_2 },
	{ "Provider Business Practice Location Address City Name",
	    R_FIELD + CTP_NPI_PRACTICE_CITY },
	{ "Provider Business Practice Location Address State Name",
	    R_FIELD + CTP_NPI_PRACTICE_STATE },
	{ "Provider Business Practice Location Address Postal Code",
	    R_FIELD + CTP_NPI_PRACTICE_ZIP },
	{ "Provider Business Practice Location Address Telephone Number",
	    R_FIELD + CTP_NPI_PRACTICE_PHONE },
	{ "Provider Enumeration Date", R_ENUM_DATE },
	{ "Last Update Date", R_LAST_UPD },
	{ "NPI Deactivation Date", R_DEACT_DATE },
	{ "NPI Reactivation Date", R_REACT_DATE },
};

struct ctp_npi_bulk {
	int fd;
	char *name;
	struct ctp_lines lines;
	long long size, done_bytes;
	const struct ctp_progress *progress;
	short role[BULK_NCOLS];
	struct ctp_csvp *csv;	/* rows that are not plain lines */
	struct ctp_csv_field span[BULK_NCOLS];
	/* the row being parsed */
	struct ctp_npi_rec *rec;
	size_t nf;
	int nomem;
	/* an off-roster row whose quoted field spans lines */
	int after_off, open;
	long long open_start, open_lines;
	char tax[BULK_NTAX][4][24];
	char deact[16], react[16];
};

/* The line reader's source: read(2), the progress told; -1 with errno. */
static ssize_t
bulk_read(void *arg, char *buf, size_t want)
{
	struct ctp_npi_bulk *b = arg;
	ssize_t r;

	do
		r = read(b->fd, buf, want);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -1;
	b->done_bytes += r;
	ctp_progress_tell(b->progress, "reading the registry file",
	    CTP_PROGRESS_BYTES, b->done_bytes, b->size, 0);
	return r;
}

/*
 * The next physical line (with its '\n').  1 with *p, *n and *nl (0 when
 * the file ends without a line end), 0 at the end, -1 on a read error
 * (errno; EFBIG for a line of MAX_LINE bytes or more).
 */
static int
bulk_line(struct ctp_npi_bulk *b, char **p, size_t *n, int *nl)
{
	int r;

	if ((r = ctp_lines_next(&b->lines, p, n)) > 0)
		*nl = (*p)[*n - 1] == '\n';
	else if (r < 0 && b->lines.err == CTP_LINES_LONG)
		errno = EFBIG;
	else if (r < 0 && b->lines.err == CTP_LINES_NOMEM)
		errno = ENOMEM;
	return r;
}

/*
 * The file's MM/DD/YYYY (exactly 10 bytes) as YYYY-MM-DD, what
 * ctp_date_normalize gives for a valid date, without its printf; -1 for
 * anything else (the caller then takes the general way).  For speed
 * only: there are two dates in a roster row, and through
 * ctp_date_normalize the worst case's refresh takes 0.29 s rather than
 * 0.25 (wc -l 0.13 s; npi_reader.c).
 */
static int
date_mdy(const char *s, char out[CTP_DATE_LEN])
{
	static const int at[8] = { 0, 1, 3, 4, 6, 7, 8, 9 };
	int i, y, m, d;

	if (s[2] != '/' || s[5] != '/')
		return -1;
	for (i = 0; i < 8; i++)
		if (s[at[i]] < '0' || s[at[i]] > '9')
			return -1;
	m = (s[0] - '0') * 10 + (s[1] - '0');
	d = (s[3] - '0') * 10 + (s[4] - '0');
	y = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 +
	    (s[9] - '0');
	if (!ctp_date_valid(y, m, d))
		return -1;
	memcpy(out, s + 6, 4);
	out[4] = '-';
	memcpy(out + 5, s, 2);
	out[7] = '-';
	memcpy(out + 8, s + 3, 2);
	out[10] = '\0';
	return 0;
}

/* One needed field of a roster row (role not R_NONE) into the record. */
static void
bulk_value(struct ctp_npi_bulk *b, int role, const char *v, size_t n)
{
	int k, slot;
	char *dec = NULL;

	if (b->nomem)
		return;
	/* The file is Latin-1 where it is not ASCII (values are short). */
	if (!ctp_utf8_valid(v, n)) {
		if (ctp_decode(CTP_ENC_LATIN1, v, n, &dec) < 0) {
			b->nomem = 1;
			return;
		}
		v = dec;
		n = strlen(dec);
	}
	if (role >= R_TAX) {
		slot = (role - R_TAX) / 4;
		k = (role - R_TAX) % 4;
		if (n >= sizeof(b->tax[slot][k]))
			n = sizeof(b->tax[slot][k]) - 1;
		memcpy(b->tax[slot][k], v, n);
		b->tax[slot][k][n] = '\0';
	} else if (role >= R_FIELD && role < R_ETYPE) {
		if (ctp_npi_rec_setn(b->rec, role - R_FIELD, v, n) < 0)
			b->nomem = 1;
	} else if (role == R_ETYPE) {
		if (n == 1 && (*v == '1' || *v == '2'))
			b->nomem |= ctp_npi_rec_set(b->rec, CTP_NPI_ENTITY_TYPE,
			    *v == '1' ? "NPI-1" : "NPI-2") < 0;
	} else if (role == R_DEACT_DATE || role == R_REACT_DATE) {
		char *d = role == R_DEACT_DATE ? b->deact : b->react;

		if (n >= sizeof(b->deact))
			n = sizeof(b->deact) - 1;
		memcpy(d, v, n);
		d[n] = '\0';
	} else {
		char tmp[32];

		k = role == R_ENUM_DATE ? CTP_NPI_ENUMERATION_DATE :
		    CTP_NPI_LAST_UPDATED;
		if (n == 10 && date_mdy(v, tmp) == 0)
			b->nomem |= ctp_npi_rec_setn(b->rec, k, tmp, 10) < 0;
		else {
			if (n >= sizeof(tmp))
				n = sizeof(tmp) - 1;
			memcpy(tmp, v, n);
			tmp[n] = '\0';
			b->nomem |= ctp_npi_rec_set_date(b->rec, k, tmp) < 0;
		}
	}
	if (dec != NULL)
		free(dec);
}

/*
 * The needed fields of a row split into b->span (nf fields, nset with
 * text) to b->rec.  An empty value sets nothing (the row starts with
 * every field absent), so only the fields with text are looked at.
 */
static void
bulk_fields(struct ctp_npi_bulk *b, size_t nf, size_t nset)
{
	size_t j, k;

	for (j = 0; j < nset && j < BULK_NCOLS; j++)
		if ((k = b->span[j].i) < BULK_NCOLS && b->role[k] != R_NONE)
			bulk_value(b, b->role[k], b->span[j].s, b->span[j].n);
	b->nf = nf;
}

/*
 * A row that is not one plain line, through libcsv (csvio.c) from line
 * p on, reading on while a quoted field spans lines.  Every record that
 * ends on the line that ends the row counts towards its fields, as one
 * row.  0, or an error code.
 */
static int
bulk_slow_row(struct ctp_npi_bulk *b, char *p, size_t len, size_t start,
    struct ctp_error *e)
{
	struct ctp_csvrec *r;
	char where[300];
	size_t i, nf = 0;
	int nl, got = 0, rc;

	for (;;) {
		if (ctp_csvp_feed(b->csv, p, len,
		    (size_t)b->lines.lineno) < 0) {
			snprintf(where, sizeof(where), "%s:%zu", b->name,
			    start);
			if (strcmp(ctp_csvp_error(b->csv),
			    "out of memory") == 0)
				return ctp_err_nomem(e, where);
			return ctp_errf(e, CTP_DATAERR, where,
			    "malformed CSV: %s", ctp_csvp_libcsv_error(b->csv));
		}
		while (ctp_csvp_pop(b->csv, &r) == 1) {
			for (i = 0; i < r->nf; i++, nf++)
				if (nf < BULK_NCOLS && b->role[nf] != R_NONE)
					bulk_value(b, b->role[nf], r->f[i],
					    r->len[i]);
			free(r);
			got = 1;
		}
		if (got)
			break;
		if ((rc = bulk_line(b, &p, &len, &nl)) < 0)
			return ctp_errf(e, CTP_IOERR, b->name, "%s",
			    strerror(errno));
		if (rc == 0 || !nl) {
			snprintf(where, sizeof(where), "%s:%zu", b->name,
			    start);
			return ctp_errf(e, CTP_DATAERR, where,
			    "truncated file: the record does not end");
		}
	}
	b->nf = nf;
	return 0;
}

/* Header field b->nf, n bytes at s: the role of its column. */
static void
hdr_field(struct ctp_npi_bulk *b, const char *s, size_t n)
{
	char name[128];
	size_t i;
	int k, slot;

	if (b->nf >= BULK_NCOLS) {
		b->nf++;
		return;
	}
	snprintf(name, sizeof(name), "%.*s", (int)n, s);
	/* A UTF-8 byte order mark before the first name. */
	if (b->nf == 0 && strncmp(name, "\xef\xbb\xbf", 3) == 0)
		memmove(name, name + 3, strlen(name + 3) + 1);
	for (i = 0; i < sizeof(bulk_cols) / sizeof(bulk_cols[0]); i++)
		if (strcmp(name, bulk_cols[i].name) == 0)
			b->role[b->nf] = (short)bulk_cols[i].role;
	if (sscanf(name, "Healthcare Provider Taxonomy Code_%d", &slot) == 1)
		k = 0;
	else if (sscanf(name, "Provider License Number State Code_%d",
	    &slot) == 1)
		k = 2;
	else if (sscanf(name, "Provider License Number_%d", &slot) == 1)
		k = 1;
	else if (sscanf(name, "Healthcare Provider Primary Taxonomy Switch_%d",
	    &slot) == 1)
		k = 3;
	else
		k = -1;
	if (k >= 0 && slot >= 1 && slot <= BULK_NTAX)
		b->role[b->nf] = (short)(R_TAX + 4 * (slot - 1) + k);
	b->nf++;
}

/*
 * The header, line 1 (p, n bytes): one line of CSV, each name's column
 * given its role.  0, or CTP_DATAERR.
 */
static int
bulk_header(struct ctp_npi_bulk *b, const char *p, size_t n,
    struct ctp_error *e)
{
	struct ctp_csvrec *r;
	size_t i;
	int ok;

	b->nf = 0;
	ok = ctp_csvp_feed(b->csv, p, n, 1) == 0;
	if (ok && !ctp_csvp_pop(b->csv, &r))
		ok = ctp_csvp_finish(b->csv) == 0 && ctp_csvp_pop(b->csv, &r);
	if (!ok)
		return ctp_errf(e, CTP_DATAERR, b->name,
		    "line 1: header is not valid CSV");
	for (i = 0; i < r->nf; i++)
		hdr_field(b, r->f[i], r->len[i]);
	free(r);
	/* Nothing of line 1 may be left to the rows' parse. */
	while (ctp_csvp_pop(b->csv, &r) == 1) {
		for (i = 0; i < r->nf; i++)
			hdr_field(b, r->f[i], r->len[i]);
		free(r);
	}
	return 0;
}

int
ctp_npi_bulk_open(struct ctp_npi_bulk **out, const char *path,
    const struct ctp_progress *progress, struct ctp_error *e)
{
	struct ctp_npi_bulk *b;
	struct stat sb;
	char *p;
	size_t n, i, need;
	int nl, r, rc = 0, seen[256];

	*out = NULL;
	if ((b = ctp_calloc(1, sizeof(*b))) == NULL)
		return ctp_err_nomem(e, path);
	b->fd = -1;
	ctp_lines_init(&b->lines, bulk_read, b, READ_CHUNK, MAX_LINE);
	if ((b->name = ctp_strdup(path)) == NULL) {
		rc = ctp_err_nomem(e, path);
		goto fail;
	}
	if ((b->fd = open(path, O_RDONLY)) < 0) {
		rc = ctp_errf(e, errno == ENOENT ? CTP_NOINPUT : CTP_IOERR,
		    path, "%s", strerror(errno));
		goto fail;
	}
	if (fstat(b->fd, &sb) == 0)
		b->size = sb.st_size;
	posix_fadvise(b->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	if ((b->csv = ctp_csvp_new(CTP_CSV_TRIM)) == NULL) {
		rc = ctp_err_nomem(e, path);
		goto fail;
	}
	b->progress = progress;
	if ((r = bulk_line(b, &p, &n, &nl)) < 0) {
		rc = ctp_errf(e, CTP_IOERR, path, "%s", strerror(errno));
		goto fail;
	}
	if (r == 0) {
		rc = ctp_errf(e, CTP_DATAERR, path, "empty file");
		goto fail;
	}
	if (n >= 2 && p[0] == 'P' && p[1] == 'K') {
		rc = ctp_errf(e, CTP_DATAERR, path, "a zip archive: unzip it "
		    "and give the npidata_pfile CSV");
		goto fail;
	}
	if ((rc = bulk_header(b, p, n, e)) != 0)
		goto fail;
	if (b->nf != BULK_NCOLS) {
		rc = ctp_errf(e, CTP_DATAERR, path, "not an NPPES "
		    "dissemination file: header has %zu %s, expected %d", b->nf,
		    ctp_plural((long long)b->nf, "column", "columns"),
		    BULK_NCOLS);
		goto fail;
	}
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < BULK_NCOLS; i++)
		if (b->role[i] > 0 && b->role[i] < 256)
			seen[b->role[i]] = 1;
	need = 0;
	for (i = 0; i < sizeof(bulk_cols) / sizeof(bulk_cols[0]); i++)
		if (!seen[bulk_cols[i].role]) {
			rc = ctp_errf(e, CTP_DATAERR, path, "not an NPPES "
			    "dissemination file: no column \"%s\"",
			    bulk_cols[i].name);
			goto fail;
		}
	for (i = 0; i < BULK_NCOLS; i++)
		if (b->role[i] >= R_TAX)
			need++;
	if (b->role[0] != R_FIELD + CTP_NPI_NPI || need != 4 * BULK_NTAX) {
		rc = ctp_errf(e, CTP_DATAERR, path, "not an NPPES "
		    "dissemination file: NPI is not the first column or "
		    "taxonomy columns are missing");
		goto fail;
	}
	*out = b;
	return 0;
fail:
	ctp_csvp_free(b->csv);
	if (b->fd >= 0)
		close(b->fd);
	free(b->name);
	ctp_lines_free(&b->lines);
	free(b);
	return rc;
}

/* Ten ASCII digits at s as a number in *k: 1, or 0 if any is not a digit. */
static int
digits10(const char *s, uint64_t *k)
{
	uint64_t v = 0;
	unsigned d;
	int i;

	for (i = 0; i < 10; i++) {
		if ((d = (unsigned)(unsigned char)s[i] - '0') > 9)
			return 0;
		v = v * 10 + d;
	}
	*k = v;
	return 1;
}

/* An NPI, ten digits and the end of the string, as a number in *k; 1 or 0. */
int
ctp_npi_key(const char *s, uint64_t *k)
{
	return digits10(s, k) && s[10] == '\0';
}

/* Is k in the set (n sorted keys)? */
static int
in_set(const uint64_t *set, size_t n, uint64_t k)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (set[mid] < k)
			lo = mid + 1;
		else if (set[mid] > k)
			hi = mid;
		else
			return 1;
	}
	return 0;
}

/* The row's primary taxonomy, license and deactivation into rec. */
static int
bulk_finish_row(struct ctp_npi_bulk *b)
{
	int i, best = -1, nonempty = 0;
	char d[CTP_DATE_LEN];
	long dd, rd;

	for (i = 0; i < BULK_NTAX; i++) {
		if (b->tax[i][0][0] == '\0')
			continue;
		nonempty++;
		if (best < 0 && strcmp(b->tax[i][3], "Y") == 0)
			best = i;
	}
	if (best < 0 && nonempty >= 1)
		for (i = 0; i < BULK_NTAX && best < 0; i++)
			if (b->tax[i][0][0])
				best = i;
	if (best >= 0 && (ctp_npi_rec_set(b->rec, CTP_NPI_TAXONOMY,
	    b->tax[best][0]) || ctp_npi_rec_set(b->rec, CTP_NPI_LICENSE,
	    b->tax[best][1]) || ctp_npi_rec_set(b->rec, CTP_NPI_LICENSE_STATE,
	    b->tax[best][2])))
		return -1;
	/* Deactivated unless reactivated on or after the deactivation. */
	if (b->deact[0] && ctp_date_parse(b->deact, &dd) == 0) {
		if (b->react[0] == '\0' || ctp_date_parse(b->react, &rd) < 0 ||
		    rd < dd) {
			ctp_date_format(dd, d);
			if (ctp_npi_rec_set(b->rec, CTP_NPI_DEACTIVATION_DATE,
			    d) ||
			    ctp_npi_rec_set(b->rec, CTP_NPI_STATUS, "D"))
				return -1;
			return 0;
		}
	}
	return ctp_npi_rec_set(b->rec, CTP_NPI_STATUS, "A");
}

/*
 * Whether a line of len bytes (with its line end) ends a row, as every
 * row of the file does, each field quoted: in a run of k quotes at its
 * end, an odd run after a field's text closes the field, and an even
 * run after a comma is an empty field ("").  Any other end (text, an
 * opening quote) leaves a quoted field open to the next line.
 */
static int
ends_row(const char *p, size_t len)
{
	size_t k = 0;

	if (len > 0 && p[len - 1] == '\n')
		len--;
	if (len > 0 && p[len - 1] == '\r')
		len--;
	while (k < len && p[len - 1 - k] == '"')
		k++;
	if (k == 0)
		return 0;
	if (k == len || p[len - 1 - k] == ',')
		return k % 2 == 0;
	return k % 2 == 1;
}

/*
 * A line that does not start with a quoted NPI, or any line while such
 * a row is open: the rest of an off-roster row (skipped unparsed) whose
 * quoted field spans lines, or an error.  Only these lines have their
 * quotes counted: the line before the first of them must have left the
 * row open (ends_row), and the row stays open while
 * the quotes seen since are even.
 * 0, or an error.
 */
static int
off_roster_span(struct ctp_npi_bulk *b, const char *p, size_t len,
    struct ctp_error *e)
{
	char where[300];
	const char *q, *end = p + len;
	size_t quotes = 0;

	if (!b->open) {
		if (!b->after_off) {
			snprintf(where, sizeof(where), "%s:%lld", b->name,
			    b->lines.lineno);
			return ctp_errf(e, CTP_DATAERR, where, "no NPI at the "
			    "start of the line");
		}
		b->open = 1;
		b->open_start = b->lines.lineno - 1;
		b->open_lines = 0;
	}
	if (++b->open_lines > MAX_SPAN) {
		snprintf(where, sizeof(where), "%s:%lld", b->name,
		    b->open_start + 1);
		return ctp_errf(e, CTP_DATAERR, where, "no NPI at the start "
		    "of the line (a quoted field would span over %d lines)",
		    MAX_SPAN);
	}
	for (q = p; (q = memchr(q, '"', (size_t)(end - q))) != NULL; q++)
		quotes++;
	if (quotes & 1) {
		b->open = 0;
		b->after_off = 0;
	}
	return 0;
}

/* The quoted NPI that starts a row, as a number in *k; 0 if there is none. */
static int
npi_start(const char *p, size_t n, uint64_t *k)
{
	if (n < 13 || p[0] != '"' || p[11] != '"' || p[12] != ',')
		return 0;
	return digits10(p + 1, k);
}

int
ctp_npi_bulk_next(struct ctp_npi_bulk *b, const uint64_t *set, size_t n,
    struct ctp_npi_rec *rec, struct ctp_error *e)
{
	char *p, where[300];
	size_t len, start, nf, nset;
	uint64_t key;
	int nl, r;

	for (;;) {
		if ((r = bulk_line(b, &p, &len, &nl)) < 0)
			return ctp_errf(e, CTP_IOERR, b->name, "%s",
			    strerror(errno));
		if (r == 0) {
			if (!b->open)
				return 0;
			snprintf(where, sizeof(where), "%s:%lld", b->name,
			    b->open_start);
			return ctp_errf(e, CTP_DATAERR, where,
			    "truncated file: the record does not end");
		}
		if (!nl) {
			snprintf(where, sizeof(where), "%s:%lld", b->name,
			    b->lines.lineno);
			return ctp_errf(e, CTP_DATAERR, where, "truncated "
			    "file: the last line has no line end");
		}
		if (len == 1 || (len == 2 && p[0] == '\r'))
			continue;	/* a blank line */
		/* The cheap test: the quoted NPI at the start of the line. */
		if (b->open || !npi_start(p, len, &key)) {
			if ((r = off_roster_span(b, p, len, e)) != 0)
				return r;
			continue;
		}
		if (!in_set(set, n, key)) {
			b->after_off = !ends_row(p, len);
			continue;
		}
		b->after_off = 0;
		/* A roster row: parse all of it (it may span lines). */
		ctp_npi_rec_reset(rec);
		b->rec = rec;
		b->nf = 0;
		b->nomem = 0;
		memset(b->tax, 0, sizeof(b->tax));
		b->deact[0] = b->react[0] = '\0';
		start = (size_t)b->lines.lineno;
		if (ctp_csv_split_fast(p, len, CTP_CSV_TRIM, b->span,
		    BULK_NCOLS, &nf, &nset) == 0)
			bulk_fields(b, nf, nset);
		else if ((r = bulk_slow_row(b, p, len, start, e)) != 0)
			return r;
		if (b->nomem || bulk_finish_row(b) < 0) {
			snprintf(where, sizeof(where), "%s:%zu", b->name,
			    start);
			return ctp_err_nomem(e, where);
		}
		if (b->nf != BULK_NCOLS) {
			snprintf(where, sizeof(where), "%s:%zu", b->name,
			    start);
			return ctp_errf(e, CTP_DATAERR, where, "%zu %s, "
			    "expected %d (truncated or not the same file "
			    "version)", b->nf, ctp_plural((long long)b->nf,
			    "column", "columns"), BULK_NCOLS);
		}
		if ((r = ctp_npi_rec_control(rec)) >= 0) {
			snprintf(where, sizeof(where), "%s:%zu", b->name,
			    start);
			return ctp_errf(e, CTP_DATAERR, where, "%s: contains "
			    "control characters", ctp_npi_rec_columns[r].name);
		}
		return 1;
	}
}

long long
ctp_npi_bulk_lines(const struct ctp_npi_bulk *b)
{
	return b->lines.lineno;
}

void
ctp_npi_bulk_close(struct ctp_npi_bulk *b)
{
	if (b == NULL)
		return;
	ctp_progress_tell(b->progress, "reading the registry file",
	    CTP_PROGRESS_BYTES, b->done_bytes, b->size, 1);
	ctp_csvp_free(b->csv);
	close(b->fd);
	free(b->name);
	ctp_lines_free(&b->lines);
	free(b);
}
