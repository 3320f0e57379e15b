/*
 * csvio.c - the one place CSV is split (csvio.h).  libcsv reads every
 * record, strict RFC 4180, except a line that ctp_csv_split_fast can
 * prove plain: one whole record on one line, each field either "text"
 * without a quote inside or unquoted text without a quote or CR (with
 * CTP_CSV_TRIM, no space or tab at its ends).  Such lines are most lines
 * of a roster or a list and every row of the NPPES file, and are split
 * here for speed: a line with no quote at its commas with memchr, which
 * looks at many bytes a step; any other field by field, runs of empty
 * "" fields (most of an NPPES row's 330) eight at a time in three word
 * compares, only fields with text stored.  libcsv goes a byte at a time
 * through its state machine and its callbacks: with it for every row the
 * NPPES reader takes twice the CPU (npi_bulk.c).  Anything else, or
 * anything the splitter is unsure of, goes to libcsv, the one parser of
 * last resort.  That the two give the same fields, byte for byte and
 * record for record, is what the differential fuzzing proves:
 * tests/fuzz/csv_diff.c (these functions against libcsv alone, with
 * both space rules) and tests/fuzz/nppes_diff.c (the NPPES reader's
 * plain and libcsv paths), whose corpora make test replays.
 *
 * SAM's one leniency (ctp_csv_split_lenient) is here too: it is not
 * libcsv's reading and is used only where libcsv refused a record.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "buf.h"
#include "csvio.h"
#include "mem.h"

struct ctp_csvp {
	struct csv_parser p;
	int flags;			/* CTP_CSV_TRIM or 0 */
	struct ctp_csv_field *span;	/* plain_line's fields */
	size_t capspan;
	struct ctp_buf acc;		/* fields of the record being read */
	size_t *off;			/* offsets of those fields in acc */
	size_t noff, capoff;
	size_t start_line;		/* where that record started */
	size_t cur_line;
	int inquote;			/* libcsv is inside a quoted field */
	int open;			/* libcsv holds part of a record */
	struct ctp_csvrec **q;		/* complete records */
	size_t nq, capq, headq;
	int nomem;
	const char *err;
};

static int
keep_spaces(unsigned char c)
{
	(void)c;
	return 0;
}

struct ctp_csvp *
ctp_csvp_new(int flags)
{
	struct ctp_csvp *c;

	if ((c = ctp_calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if (csv_init(&c->p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(c);
		return NULL;
	}
	c->flags = flags;
	if (!(flags & CTP_CSV_TRIM))
		csv_set_space_func(&c->p, keep_spaces);
	return c;
}

void
ctp_csvp_free(struct ctp_csvp *c)
{
	size_t i;

	if (c == NULL)
		return;
	csv_free(&c->p);
	ctp_buf_free(&c->acc);
	free(c->off);
	free(c->span);
	for (i = c->headq; i < c->nq; i++)
		free(c->q[i]);
	free(c->q);
	free(c);
}

static void
on_field(void *s, size_t n, void *arg)
{
	struct ctp_csvp *c = arg;
	size_t *p;

	if (c->nomem)
		return;
	if (c->noff == c->capoff) {
		size_t cap = c->capoff ? c->capoff * 2 : 32;
		if ((p = ctp_realloc(c->off, cap * sizeof(*p))) == NULL) {
			c->nomem = 1;
			return;
		}
		c->off = p;
		c->capoff = cap;
	}
	c->off[c->noff++] = c->acc.len;
	if (ctp_buf_add(&c->acc, s, n) < 0 || ctp_buf_putc(&c->acc, '\0') < 0)
		c->nomem = 1;
}

/* Queue a complete record; 0, or -1 (and r freed) when out of memory. */
static int
enqueue(struct ctp_csvp *c, struct ctp_csvrec *r)
{
	struct ctp_csvrec **q;

	if (c->nq == c->capq) {
		if (c->headq > 0) {
			memmove(c->q, c->q + c->headq,
			    (c->nq - c->headq) * sizeof(*c->q));
			c->nq -= c->headq;
			c->headq = 0;
		}
		if (c->nq == c->capq) {
			size_t cap = c->capq ? c->capq * 2 : 8;
			if ((q = ctp_realloc(c->q, cap * sizeof(*q))) == NULL) {
				free(r);
				c->nomem = 1;
				return -1;
			}
			c->q = q;
			c->capq = cap;
		}
	}
	c->q[c->nq++] = r;
	return 0;
}

static void
on_record(int term, void *arg)
{
	struct ctp_csvp *c = arg;
	struct ctp_csvrec *r;
	size_t i, sz;
	char *data;

	(void)term;
	if (c->nomem)
		return;
	sz = sizeof(*r) + c->noff * (sizeof(char *) + sizeof(size_t)) +
	    c->acc.len + 1;
	if ((r = ctp_malloc(sz)) == NULL) {
		c->nomem = 1;
		return;
	}
	r->line = c->start_line;
	r->nf = c->noff;
	r->f = (char **)(r + 1);
	r->len = (size_t *)(r->f + c->noff);
	data = (char *)(r->len + c->noff);
	if (c->acc.len)
		memcpy(data, c->acc.s, c->acc.len);
	data[c->acc.len] = '\0';
	for (i = 0; i < c->noff; i++) {
		r->f[i] = data + c->off[i];
		r->len[i] = (i + 1 < c->noff ? c->off[i + 1] : c->acc.len) -
		    c->off[i] - 1;
	}
	if (enqueue(c, r) < 0)
		return;
	c->noff = 0;
	ctp_buf_reset(&c->acc);
	c->start_line = c->cur_line;
}

#define EMPTY8 "\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\","

/* Eight empty quoted fields at p (24 bytes): three word compares. */
static inline int
empty8(const char *p)
{
	static const char e[] = EMPTY8;
	uint64_t a[3], b[3];

	memcpy(a, p, 24);
	memcpy(b, e, 24);
	return ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2])) == 0;
}

/*
 * The fields of [p, end), which holds no quote, CR or LF: split at its
 * commas with memchr, which looks at many bytes a step (most lines of a
 * roster or a list are such).  As ctp_csv_split_fast.
 */
static int
split_unquoted(const char *p, const char *end, int flags,
    struct ctp_csv_field *f, size_t max, size_t *nf, size_t *nset)
{
	const char *q;
	size_t k = 0, m = 0, len;

	for (;; p = q + 1) {
		if ((q = memchr(p, ',', (size_t)(end - p))) == NULL)
			q = end;
		if ((len = (size_t)(q - p)) > 0) {
			if ((flags & CTP_CSV_TRIM) && (p[0] == ' ' ||
			    p[0] == '\t' || q[-1] == ' ' || q[-1] == '\t'))
				return CTP_CSV_SLOW;
			if (m < max) {
				f[m].i = k;
				f[m].s = p;
				f[m].n = len;
			}
			m++;
		}
		k++;
		if (q == end)
			break;
	}
	*nf = k;
	*nset = m;
	return 0;
}

/*
 * The plain line's fields, one pass: a line with no quote goes to
 * split_unquoted; in any other, most fields are often empty ("" and a
 * comma, as in every NPPES row), in runs, counted eight (24 bytes, three
 * words) or one at a time and not stored: only the fields with text are.
 */
int
ctp_csv_split_fast(const char *s, size_t n, int flags,
    struct ctp_csv_field *f, size_t max, size_t *nf, size_t *nset)
{
	const char *p = s, *end, *q, *v;
	size_t k = 0, m = 0, len;

	if (n == 0 || s[n - 1] != '\n')
		return CTP_CSV_SLOW;
	end = s + n - 1;
	if (end > s && end[-1] == '\r')
		end--;
	if (end == s) {
		*nf = *nset = 0;	/* a blank line, which libcsv skips */
		return 0;
	}
	if (*s != '"' && memchr(s, '"', (size_t)(end - s)) == NULL) {
		if (memchr(s, '\r', (size_t)(end - s)) != NULL ||
		    memchr(s, '\n', (size_t)(end - s)) != NULL)
			return CTP_CSV_SLOW;
		return split_unquoted(s, end, flags, f, max, nf, nset);
	}
	for (;;) {
		while (end - p >= 24 && empty8(p)) {
			k += 8;
			p += 24;
		}
		while (end - p >= 3 && memcmp(p, "\"\",", 3) == 0) {
			k++;
			p += 3;
		}
		if (*p == '"') {
			v = p + 1;
			if ((q = memchr(v, '"', (size_t)(end - v))) == NULL)
				return CTP_CSV_SLOW;
			len = (size_t)(q - v);
			p = q + 1;
		} else {
			v = p;
			while (p < end && *p != ',' && *p != '"' &&
			    *p != '\r' && *p != '\n')
				p++;
			len = (size_t)(p - v);
			if ((flags & CTP_CSV_TRIM) && len > 0 &&
			    (v[0] == ' ' || v[0] == '\t' || p[-1] == ' ' ||
			    p[-1] == '\t'))
				return CTP_CSV_SLOW;
		}
		if (p < end && *p != ',')
			return CTP_CSV_SLOW;
		if (len > 0) {
			if (m < max) {
				f[m].i = k;
				f[m].s = v;
				f[m].n = len;
			}
			m++;
		}
		k++;
		if (p == end)
			break;
		p++;
	}
	*nf = k;
	*nset = m;
	return 0;
}

/*
 * A line that starts a record and that ctp_csv_split_fast takes is a
 * record by itself, built here without libcsv.  Returns 1 when taken,
 * 0 when libcsv must read the line, -1 when out of memory.
 */
static int
plain_line(struct ctp_csvp *c, const char *s, size_t n, size_t lineno)
{
	struct ctp_csvrec *r;
	struct ctp_csv_field *sp;
	size_t nf, nset, i, j, len;
	char *data;

	if (c->open)
		return 0;
	for (;;) {
		if (ctp_csv_split_fast(s, n, c->flags, c->span, c->capspan,
		    &nf, &nset) != 0)
			return 0;
		if (nset <= c->capspan)
			break;
		if ((sp = ctp_realloc(c->span, nset * sizeof(*sp))) == NULL)
			return -1;
		c->span = sp;
		c->capspan = nset;
	}
	if (nf == 0)
		return 1;
	/*
	 * One copy of the line; each field's text ends with a NUL where
	 * its comma, closing quote or line end was, and an empty field is
	 * the NUL after the copy.
	 */
	len = n - 1;
	if (len > 0 && s[len - 1] == '\r')
		len--;
	if ((r = ctp_malloc(sizeof(*r) + nf * (sizeof(char *) +
	    sizeof(size_t)) + len + 1)) == NULL)
		return -1;
	r->line = lineno;
	r->nf = nf;
	r->f = (char **)(r + 1);
	r->len = (size_t *)(r->f + nf);
	data = (char *)(r->len + nf);
	memcpy(data, s, len);
	data[len] = '\0';
	for (i = 0, j = 0; i < nf; i++) {
		if (j < nset && c->span[j].i == i) {
			r->f[i] = data + (c->span[j].s - s);
			r->len[i] = c->span[j].n;
			r->f[i][r->len[i]] = '\0';
			j++;
		} else {
			r->f[i] = data + len;
			r->len[i] = 0;
		}
	}
	return enqueue(c, r) < 0 ? -1 : 1;
}

/*
 * Where libcsv stands after it read s: inside a record or between two.
 * In the CSV it accepts (strict) a quote opens or closes a quoted field,
 * or is one of the two of an escaped quote, so an odd count of them
 * since a record began means a quoted field is open; outside one, CR and
 * LF end a record.  So a record is open after s when a quoted field is,
 * or when s does not end a line.
 */
static void
track(struct ctp_csvp *c, const char *s, size_t n)
{
	const char *p, *end = s + n;

	if (n == 0)
		return;
	for (p = s; (p = memchr(p, '"', (size_t)(end - p))) != NULL; p++)
		c->inquote = !c->inquote;
	c->open = c->inquote || (s[n - 1] != '\n' && s[n - 1] != '\r');
}

int
ctp_csvp_feed(struct ctp_csvp *c, const char *s, size_t n, size_t lineno)
{
	int rc;

	if ((rc = plain_line(c, s, n, lineno)) != 0) {
		if (rc > 0) {
			c->cur_line = lineno;
			c->start_line = lineno + 1;
			return 0;
		}
		c->err = "out of memory";
		return -1;
	}
	c->cur_line = lineno;
	if (!c->open)
		c->start_line = lineno;
	if (csv_parse(&c->p, s, n, on_field, on_record, c) != n) {
		c->err = csv_strerror(csv_error(&c->p));
		if (csv_error(&c->p) == CSV_EPARSE)
			c->err = "malformed CSV: stray or unbalanced quote";
		return -1;
	}
	if (c->nomem) {
		c->err = "out of memory";
		return -1;
	}
	track(c, s, n);
	/* A record that ended on this line: the next starts on the next. */
	if (!c->open)
		c->start_line = lineno + 1;
	return 0;
}

int
ctp_csvp_finish(struct ctp_csvp *c)
{
	if (csv_fini(&c->p, on_field, on_record, c) != 0) {
		c->err = "malformed CSV: quoted field not closed at end of file";
		return -1;
	}
	if (c->nomem) {
		c->err = "out of memory";
		return -1;
	}
	return 0;
}

int
ctp_csvp_pop(struct ctp_csvp *c, struct ctp_csvrec **rec)
{
	if (c->headq == c->nq)
		return 0;
	*rec = c->q[c->headq++];
	if (c->headq == c->nq)
		c->headq = c->nq = 0;
	return 1;
}

size_t
ctp_csvp_error_line(struct ctp_csvp *c)
{
	return c->start_line;
}

const char *
ctp_csvp_error(struct ctp_csvp *c)
{
	return c->err ? c->err : "malformed CSV";
}

const char *
ctp_csvp_libcsv_error(struct ctp_csvp *c)
{
	return csv_strerror(csv_error(&c->p));
}

/*
 * SAM extracts quote every field, and a few "Additional Comments" values
 * carry quotes that are doubled where they should not be (""The ...""),
 * which no RFC 4180 parser accepts.  Such a record is split again on the
 * "," separators every field has; the caller still checks that it gives
 * exactly the field count it expects.
 */
size_t
ctp_csv_split_lenient(char *s, char **f, size_t max)
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
