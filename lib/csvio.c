#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "buf.h"
#include "csvio.h"
#include "mem.h"

struct ctp_csvp {
	struct csv_parser p;
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
ctp_csvp_new(void)
{
	struct ctp_csvp *c;

	if ((c = ctp_calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if (csv_init(&c->p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(c);
		return NULL;
	}
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

/*
 * A whole line that starts a record, ends in a newline and holds no quote
 * and no other CR is a record by itself, split at its commas as libcsv
 * would split it: built here directly, which most lines of a roster are.
 * Returns 1 when taken, 0 when libcsv must read the line, -1 when out of
 * memory.
 */
static int
plain_line(struct ctp_csvp *c, const char *s, size_t n, size_t lineno)
{
	struct ctp_csvrec *r;
	size_t len, nf = 1, i, at;
	const char *p;
	char *data, *q;

	if (c->open || n == 0 || s[n - 1] != '\n')
		return 0;
	len = n - 1;
	if (len > 0 && s[len - 1] == '\r')
		len--;
	if (len == 0)
		return 1;	/* a blank line, which libcsv skips */
	/* memchr looks at many bytes a step: a line is read three times. */
	if (memchr(s, '"', len) != NULL || memchr(s, '\r', len) != NULL)
		return 0;
	for (p = s; (p = memchr(p, ',', (size_t)(s + len - p))) != NULL; p++)
		nf++;
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
	for (i = 0, at = 0; i + 1 < nf; i++) {
		q = memchr(data + at, ',', len - at);
		*q = '\0';
		r->f[i] = data + at;
		r->len[i] = (size_t)(q - (data + at));
		at = (size_t)(q - data) + 1;
	}
	r->f[i] = data + at;
	r->len[i] = len - at;
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
