/*
 * Differential: ctp_csvp (lib/csvio.c), which splits a plain line (no
 * quote, no CR inside) itself and gives libcsv the rest, against libcsv
 * alone over the same bytes.  Both must accept or refuse the input alike;
 * accepted, they give the same records, field for field and byte for
 * byte, starting on the same lines; refused, at the same line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "csvio.h"
#include "fuzz.h"

struct rec {
	size_t line, nf;
	char **f;
	size_t *len;
};

struct ref {
	struct rec *r;
	size_t n, cap;
	struct rec cur;
	size_t line, start;
};

static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void
ref_field(void *s, size_t n, void *arg)
{
	struct ref *x = arg;
	struct rec *c = &x->cur;

	c->f = realloc(c->f, (c->nf + 1) * sizeof(*c->f));
	c->len = realloc(c->len, (c->nf + 1) * sizeof(*c->len));
	if (c->f == NULL || c->len == NULL ||
	    (c->f[c->nf] = malloc(n + 1)) == NULL)
		abort();
	if (n > 0)
		memcpy(c->f[c->nf], s, n);
	c->f[c->nf][n] = '\0';
	c->len[c->nf++] = n;
}

static void
ref_record(int term, void *arg)
{
	struct ref *x = arg;

	(void)term;
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 8;
		if ((x->r = realloc(x->r, x->cap * sizeof(*x->r))) == NULL)
			abort();
	}
	x->cur.line = x->start;
	x->r[x->n++] = x->cur;
	memset(&x->cur, 0, sizeof(x->cur));
}

static void
ref_free(struct ref *x)
{
	size_t i, j;

	for (i = 0; i <= x->n; i++) {
		struct rec *r = i < x->n ? &x->r[i] : &x->cur;

		for (j = 0; j < r->nf; j++)
			free(r->f[j]);
		free(r->f);
		free(r->len);
	}
	free(x->r);
}

/*
 * libcsv alone, a byte at a time, so that each record's first line is
 * known: the line of the byte that took the parser out of "row not
 * begun" (0).  0, or -1 with *eline the line of the record that failed.
 */
static int
reference(const uint8_t *d, size_t n, struct ref *x, size_t *eline)
{
	struct csv_parser p;
	size_t i;
	int rc = 0;

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		abort();
	csv_set_space_func(&p, no_space);
	x->line = 1;
	for (i = 0; i < n; i++) {
		int was = p.pstate;

		if (was == 0 && x->cur.nf == 0)
			x->start = x->line;
		if (csv_parse(&p, d + i, 1, ref_field, ref_record, x) != 1) {
			rc = -1;
			break;
		}
		if (d[i] == '\n')
			x->line++;
	}
	if (rc == 0 && csv_fini(&p, ref_field, ref_record, x) != 0)
		rc = -1;
	*eline = x->start;
	csv_free(&p);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctp_csvp *c;
	struct ctp_csvrec *r;
	struct ref x;
	size_t at = 0, n, line = 0, got = 0, eline, j;
	const uint8_t *nl;
	char *buf;
	int rc = 0, want;

	memset(&x, 0, sizeof(x));
	want = reference(data, size, &x, &eline);
	if ((c = ctp_csvp_new(0)) == NULL)
		abort();
	while (rc == 0 && at < size) {
		nl = memchr(data + at, '\n', size - at);
		n = nl ? (size_t)(nl - (data + at)) + 1 : size - at;
		/* A line of its own, so that reading past it is caught. */
		if ((buf = malloc(n)) == NULL)
			abort();
		memcpy(buf, data + at, n);
		rc = ctp_csvp_feed(c, buf, n, ++line);
		free(buf);
		at += n;
		while (ctp_csvp_pop(c, &r) == 1) {
			fuzz_assert(got < x.n, "more records than libcsv");
			fuzz_assert(r->nf == x.r[got].nf,
			    "another number of fields");
			fuzz_assert(r->line == x.r[got].line,
			    "record starts on another line");
			for (j = 0; j < r->nf; j++)
				fuzz_assert(r->len[j] == x.r[got].len[j] &&
				    memcmp(r->f[j], x.r[got].f[j],
				    r->len[j]) == 0 && r->f[j][r->len[j]] ==
				    '\0', "a field differs");
			got++;
			free(r);
		}
	}
	if (rc == 0)
		rc = ctp_csvp_finish(c);
	while (rc == 0 && ctp_csvp_pop(c, &r) == 1) {
		fuzz_assert(got < x.n, "more records than libcsv at the end");
		fuzz_assert(r->nf == x.r[got].nf && r->line == x.r[got].line,
		    "the last record differs");
		for (j = 0; j < r->nf; j++)
			fuzz_assert(r->len[j] == x.r[got].len[j] &&
			    memcmp(r->f[j], x.r[got].f[j], r->len[j]) == 0,
			    "a field of the last record differs");
		got++;
		free(r);
	}
	fuzz_assert((rc != 0) == (want != 0),
	    "one accepts the input, the other refuses it");
	if (rc == 0)
		fuzz_assert(got == x.n, "fewer records than libcsv");
	else
		fuzz_assert(ctp_csvp_error_line(c) == eline,
		    "the error names another line");
	ctp_csvp_free(c);
	ref_free(&x);
	return 0;
}
