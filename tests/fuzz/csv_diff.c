/*
 * Differential: lib/csvio.c against libcsv alone over the same bytes,
 * with spaces kept (the rosters and lists) and with CTP_CSV_TRIM
 * (libcsv's default, the NPPES file).
 *  - ctp_csvp, which splits a plain line itself (ctp_csv_split_fast) and
 *    gives libcsv the rest: both must accept or refuse the input alike;
 *    accepted, they give the same records, field for field and byte for
 *    byte, starting on the same lines; refused, at the same line.
 *  - ctp_csv_split_fast on each line by itself: a line it takes, libcsv
 *    reads as exactly those fields (no record for a blank line), with
 *    the fields past its max counted alike.
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
	int between;		/* no byte of a record read yet */
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
	x->between = 1;
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
 * known: the line of the first byte that libcsv does not skip between
 * records (CR and LF, and with trim a space or a tab; libcsv's
 * defaults).  0, or -1 with *eline the line of the record that failed.
 */
static int
reference(const uint8_t *d, size_t n, int flags, struct ref *x,
    size_t *eline)
{
	struct csv_parser p;
	size_t i;
	int rc = 0, c;

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		abort();
	if (!(flags & CTP_CSV_TRIM))
		csv_set_space_func(&p, no_space);
	x->line = 1;
	x->between = 1;
	for (i = 0; i < n; i++) {
		c = d[i];
		if (x->between && x->cur.nf == 0)
			x->start = x->line;
		if (csv_parse(&p, d + i, 1, ref_field, ref_record, x) != 1) {
			rc = -1;
			break;
		}
		/* A record ends only on CR or LF, never on these. */
		if (c != '\r' && c != '\n' && (!(flags & CTP_CSV_TRIM) ||
		    (c != ' ' && c != '\t')))
			x->between = 0;
		if (c == '\n')
			x->line++;
	}
	if (rc == 0 && csv_fini(&p, ref_field, ref_record, x) != 0)
		rc = -1;
	*eline = x->start;
	csv_free(&p);
	return rc;
}

/* ctp_csvp over the input a line at a time against libcsv alone. */
static void
parser(const uint8_t *data, size_t size, int flags)
{
	struct ctp_csvp *c;
	struct ctp_csvrec *r;
	struct ref x;
	size_t at = 0, n, line = 0, got = 0, eline, j;
	const uint8_t *nl;
	char *buf;
	int rc = 0, want;

	memset(&x, 0, sizeof(x));
	want = reference(data, size, flags, &x, &eline);
	if ((c = ctp_csvp_new(flags)) == NULL)
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
}

/*
 * The fields f (nset of them stored, the others empty) are libcsv's
 * record r, field for field, the first nf of them.
 */
static void
same_fields(const struct ctp_csv_field *f, size_t nset, const struct rec *r,
    size_t nf, const char *what)
{
	size_t i, j = 0;

	for (i = 0; i < nf; i++) {
		if (j < nset && f[j].i == i) {
			fuzz_assert(f[j].n > 0 && f[j].n == r->len[i] &&
			    memcmp(f[j].s, r->f[i], f[j].n) == 0, what);
			j++;
		} else
			fuzz_assert(r->len[i] == 0, what);
	}
	fuzz_assert(j == nset, what);
}

/* ctp_csv_split_fast on line s (n bytes, an allocation of its own). */
static void
split_line(const char *s, size_t n, int flags)
{
	struct ctp_csv_field *f;
	struct ref x;
	size_t nf, nset, nf2, nset2, max = n + 1, eline, k;

	if ((f = calloc(max, sizeof(*f))) == NULL)
		abort();
	if (ctp_csv_split_fast(s, n, flags, f, max, &nf, &nset) != 0) {
		free(f);
		return;
	}
	memset(&x, 0, sizeof(x));
	fuzz_assert(reference((const uint8_t *)s, n, flags, &x, &eline) == 0,
	    "split a line libcsv refuses");
	fuzz_assert(x.n == (nf > 0) && (nf == 0 || x.r[0].nf == nf),
	    "split into another number of fields");
	if (nf > 0)
		same_fields(f, nset, &x.r[0], nf, "split into another field");
	/* Fewer slots than fields with text: the rest counted, not stored. */
	if (nset > 1) {
		k = nset / 2;
		memset(f, 0, max * sizeof(*f));
		fuzz_assert(ctp_csv_split_fast(s, n, flags, f, k, &nf2,
		    &nset2) == 0 && nf2 == nf && nset2 == nset,
		    "counted another way");
		fuzz_assert(f[k].s == NULL, "stored past max");
		same_fields(f, k, &x.r[0], f[k - 1].i + 1,
		    "a field differs with fewer slots");
	}
	ref_free(&x);
	free(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int flags[2] = { 0, CTP_CSV_TRIM };
	const uint8_t *nl;
	size_t at, n;
	char *buf;
	int k;

	for (k = 0; k < 2; k++) {
		parser(data, size, flags[k]);
		for (at = 0; at < size; at += n) {
			nl = memchr(data + at, '\n', size - at);
			n = nl ? (size_t)(nl - (data + at)) + 1 : size - at;
			if ((buf = malloc(n)) == NULL)
				abort();
			memcpy(buf, data + at, n);
			split_line(buf, n, flags[k]);
			free(buf);
		}
	}
	return 0;
}
