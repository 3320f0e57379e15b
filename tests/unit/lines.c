/*
 * Unit tests for lib/lines.c (the line reader) and csvio.c's splitters
 * (ctp_csv_split_fast, ctp_csv_split_lenient).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "csvio.h"
#include "lines.h"
#include "tap.h"

/* A source over a string, step bytes a read at most; fail: -1 at 'off'. */
struct src {
	const char *s;
	size_t n, at, step, fail_at;
	int fail;
};

static ssize_t
src_read(void *arg, char *buf, size_t want)
{
	struct src *x = arg;
	size_t k = x->n - x->at;

	if (x->fail && x->at >= x->fail_at) {
		errno = EIO;
		return -1;
	}
	if (k > want)
		k = want;
	if (k > x->step)
		k = x->step;
	memcpy(buf, x->s + x->at, k);
	x->at += k;
	return (ssize_t)k;
}

/* All lines of s joined by '|', or "ERR<n>" where reading failed. */
static const char *
read_all(const char *s, size_t step, size_t chunk, size_t max, int fail,
    long long *count)
{
	static char out[4096];
	struct src x = { s, strlen(s), 0, step, 0, 0 };
	struct ctp_lines l;
	size_t n, at = 0;
	char *p;
	int r;

	x.fail = fail;
	x.fail_at = x.n / 2;
	ctp_lines_init(&l, src_read, &x, chunk, max);
	out[0] = '\0';
	while ((r = ctp_lines_next(&l, &p, &n)) > 0) {
		at += (size_t)snprintf(out + at, sizeof(out) - at, "%s%.*s",
		    at ? "|" : "", (int)n, p);
	}
	if (r < 0)
		snprintf(out + at, sizeof(out) - at, "ERR%d", l.err);
	*count = l.lineno;
	ctp_lines_free(&l);
	return out;
}

static void
test_lines(void)
{
	long long c;

	is_str(read_all("a\nbb\r\nccc", 1, 4, 64, 0, &c), "a\n|bb\r\n|ccc",
	    "lines keep their endings; the last may have none");
	is_int(c, 3, "three lines counted");
	is_str(read_all("a\nbb\r\nccc\n", 3, 4, 64, 0, &c), "a\n|bb\r\n|ccc\n",
	    "reads that split lines");
	is_str(read_all("", 8, 4, 64, 0, &c), "", "an empty source");
	is_int(c, 0, "no line in it");
	is_str(read_all("\n\n", 8, 4, 64, 0, &c), "\n|\n", "blank lines");
	is_str(read_all("0123456\nx\n", 100, 4, 8, 0, &c), "ERR3",
	    "a line of max bytes is refused");
	is_str(read_all("012345\nx\n", 100, 4, 8, 0, &c), "012345\n|x\n",
	    "a line of max - 1 bytes is read");
	is_str(read_all("0123456789abcdef", 2, 4, 8, 0, &c), "ERR3",
	    "a line with no end past max is refused, not grown into");
	is_str(read_all("line one\nline two\n", 3, 4, 64, 1, &c),
	    "line one\nERR1", "a read error is reported");
	errno = 0;
	(void)read_all("line one\nline two\n", 3, 4, 64, 1, &c);
	is_int(errno, EIO, "the source's errno is left as it set it");
}

/* The fields of line s as "nf:a|b|c" (the first max with text), or "SLOW". */
static const char *
fast(const char *s, int flags, size_t max)
{
	static char out[1024];
	struct ctp_csv_field f[64];
	size_t nf, nset, i, j = 0, at = 0;

	if (ctp_csv_split_fast(s, strlen(s), flags, f, max, &nf, &nset) != 0)
		return "SLOW";
	at += (size_t)snprintf(out, sizeof(out), "%zu:", nf);
	for (i = 0; i < nf; i++) {
		if (j < nset && j < max && f[j].i == i) {
			at += (size_t)snprintf(out + at, sizeof(out) - at,
			    "%s%.*s", i ? "|" : "", (int)f[j].n, f[j].s);
			j++;
		} else
			at += (size_t)snprintf(out + at, sizeof(out) - at,
			    "%s", i ? "|" : "");
	}
	return out;
}

static void
test_split(void)
{
	char s[128], *f[8];

	is_str(fast("a,b,c\n", 0, 64), "3:a|b|c", "plain fields");
	is_str(fast("\"a,b\",\"\",c\r\n", 0, 64), "3:a,b||c",
	    "quoted fields, CRLF");
	is_str(fast("\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",x\n", 0, 64),
	    "10:|||||||||x", "a run of empty fields");
	is_str(fast("a,\"\",b,c\n", 0, 2),
	    "4:a||b|", "fields with text past max counted, not stored");
	is_str(fast("a,\n", 0, 64), "2:a|", "an empty last field");
	is_str(fast("\r\n", 0, 64), "0:", "a blank line: no record");
	is_str(fast(" a ,b\n", 0, 64), "2: a |b", "spaces kept");
	is_str(fast(" a ,b\n", CTP_CSV_TRIM, 64), "SLOW",
	    "spaces at a field's end: libcsv trims them");
	is_str(fast("a\tb,c\n", CTP_CSV_TRIM, 64), "2:a\tb|c",
	    "a tab inside a field");
	is_str(fast("a,b", 0, 64), "SLOW", "no line end");
	is_str(fast("\"a\"\"b\",c\n", 0, 64), "SLOW", "an escaped quote");
	is_str(fast("a,\"b\n", 0, 64), "SLOW",
	    "a quoted field going on to the next line");
	is_str(fast("a\nb,c\n", 0, 64), "SLOW", "two lines given as one");
	is_str(fast("a\"b,c\n", 0, 64), "SLOW", "a quote in a plain field");
	is_str(fast("\"a\" ,c\n", 0, 64), "SLOW", "text after a quote");
	is_str(fast("a\rb,c\n", 0, 64), "SLOW", "a lone CR");
	is_str(fast("\"a\rb\",c\n", 0, 64), "2:a\rb|c", "a CR quoted");

	snprintf(s, sizeof(s), "\"A\",\"\"\"The\"\" B\",\"C\"\r\n");
	is_int(ctp_csv_split_lenient(s, f, 8), 3, "lenient: three fields");
	is_str(f[1], "\"The\" B", "lenient: doubled quotes undoubled");
	snprintf(s, sizeof(s), "A,B\n");
	is_int(ctp_csv_split_lenient(s, f, 8), 0,
	    "lenient: only for quoted records");
}

int
main(void)
{
	test_lines();
	test_split();
	return done_testing();
}
