/*
 * Differential: the list loader's splitter for lines of quoted fields
 * (ctp_screen_quoted_line, lib/exclusion.c) against ctp_csvp, the strict
 * parser it stands beside.  For every line of the input the splitter
 * takes, the strict parser reads the same line as one record with the
 * same fields, byte for byte.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "exclusion.h"
#include "fuzz.h"

static void
check_line(const char *s, size_t n)
{
	struct ctp_csvp *c;
	struct ctp_csvrec *r = NULL;
	char *out, *f[CTP_SCREEN_MAXF];
	size_t nf, i, len;

	if ((out = malloc(n + 1)) == NULL)
		abort();
	if ((nf = ctp_screen_quoted_line(s, n, out, f)) > 0) {
		fuzz_assert(nf <= CTP_SCREEN_MAXF, "more fields than f holds");
		if ((c = ctp_csvp_new()) == NULL)
			abort();
		fuzz_assert(ctp_csvp_feed(c, s, n, 1) == 0 &&
		    ctp_csvp_finish(c) == 0,
		    "the strict parser refuses a line the splitter took");
		fuzz_assert(ctp_csvp_pop(c, &r) == 1, "no record");
		fuzz_assert(r->nf == nf, "another number of fields");
		for (i = 0; i < nf; i++) {
			len = r->len[i];
			fuzz_assert(f[i] >= out && f[i] + len < out + n + 1,
			    "a field outside the buffer");
			fuzz_assert(memcmp(f[i], r->f[i], len) == 0 &&
			    f[i][len] == '\0', "a field differs");
			fuzz_assert(i + 1 == nf || f[i + 1] == f[i] + len + 1,
			    "a field is longer than the strict one");
		}
		free(r);
		fuzz_assert(ctp_csvp_pop(c, &r) == 0,
		    "the strict parser sees two records");
		ctp_csvp_free(c);
	}
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *nl;
	size_t at = 0, n;
	char *line;

	while (at < size) {
		nl = memchr(s + at, '\n', size - at);
		n = nl ? (size_t)(nl - (s + at)) + 1 : size - at;
		/* A line of its own, so that reading past it is caught. */
		if ((line = malloc(n)) == NULL)
			abort();
		memcpy(line, s + at, n);
		check_line(line, n);
		free(line);
		at += n;
	}
	return 0;
}
