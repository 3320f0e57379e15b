/*
 * Differential: the NPPES reader's two ways through a row (lib/npi_bulk.c):
 * a plain one-line row split by ctp_csv_split_fast (lib/csvio.c), every
 * other row by csvio.c's libcsv parser.  The input is rows after the
 * header; the first starts with a quoted NPI (one is put in front when
 * it does not).  The same file with a space before the first row's
 * second field, which libcsv skips and the fast splitter refuses, goes
 * all through libcsv: both readings must give the same records, or the
 * same error at the same line.  (csv_diff.c holds the splitter itself
 * against libcsv alone.)
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "npi_bulk.h"

#define MAXSET 64

/* The file: header, the first 13 bytes of row, a space if asked, the rest. */
static const char *
write_file(const char *name, const uint8_t *row, size_t n, int space)
{
	const char *hdr, *path;
	uint8_t *f;
	size_t hn, at;

	hdr = fuzz_nppes_header(&hn);
	if ((f = malloc(hn + n + 1)) == NULL)
		return NULL;
	memcpy(f, hdr, hn);
	memcpy(f + hn, row, 13);
	at = hn + 13;
	if (space)
		f[at++] = ' ';
	memcpy(f + at, row + 13, n - 13);
	path = fuzz_file(name, f, at + n - 13);
	free(f);
	return path;
}

/* The line number at the end of where ("file:line"), or "". */
static const char *
line_of(const struct ctp_error *e)
{
	const char *c = strrchr(e->where, ':');

	return c ? c + 1 : "";
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint64_t set[MAXSET];
	struct ctp_npi_bulk *a = NULL, *b = NULL;
	struct ctp_npi_rec ra, rb;
	struct ctp_error ea, eb;
	char pa[512];
	const char *p;
	uint8_t *row;
	size_t n, ns;
	int ca, cb, k;

	/* The first row starts "0123456789", as every real row does. */
	if (size >= 13 && data[0] == '"' && data[11] == '"' && data[12] == ',') {
		for (k = 1; k <= 10 && isdigit(data[k]); k++)
			;
	} else
		k = 0;
	n = size + (k == 11 ? 0 : 13);
	if ((row = malloc(n)) == NULL)
		return 0;
	if (k == 11)
		memcpy(row, data, size);
	else {
		memcpy(row, "\"1234567893\",", 13);
		if (size > 0)
			memcpy(row + 13, data, size);
	}
	ns = fuzz_line_npis(row, n, set, MAXSET);
	memset(&ra, 0, sizeof(ra));
	memset(&rb, 0, sizeof(rb));
	ctp_error_clear(&ea);
	ctp_error_clear(&eb);
	if ((p = write_file("plain.csv", row, n, 0)) == NULL)
		goto out;
	snprintf(pa, sizeof(pa), "%s", p);
	if ((p = write_file("spaced.csv", row, n, 1)) == NULL)
		goto out;
	fuzz_assert(ctp_npi_bulk_open(&a, pa, NULL, &ea) == 0 &&
	    ctp_npi_bulk_open(&b, p, NULL, &eb) == 0, "header refused");
	do {
		ca = ctp_npi_bulk_next(a, set, ns, &ra, &ea);
		cb = ctp_npi_bulk_next(b, set, ns, &rb, &eb);
		fuzz_assert(ca == cb, "one reading fails, the other not");
		if (ca == 1)
			for (k = 0; k < CTP_NPI_NFIELDS; k++)
				fuzz_assert((ra.f[k] == NULL) == (rb.f[k] == NULL)
				    && (ra.f[k] == NULL ||
				    strcmp(ra.f[k], rb.f[k]) == 0),
				    "a field differs");
		else if (ca != 0) {
			fuzz_assert(strcmp(ea.what, eb.what) == 0,
			    "the errors differ");
			fuzz_assert(strcmp(line_of(&ea), line_of(&eb)) == 0,
			    "the errors name other lines");
		}
	} while (ca == 1);
out:
	ctp_npi_bulk_close(a);
	ctp_npi_bulk_close(b);
	ctp_npi_rec_clear(&ra);
	ctp_npi_rec_clear(&rb);
	free(row);
	return 0;
}
