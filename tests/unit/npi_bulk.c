/*
 * Unit tests for lib/npi_bulk.c: the dissemination-file reader on the
 * fixture file (tests/fixtures/npi/npidata_pfile_small.csv) and on
 * variants of it: line ends, a row over two lines, truncated and bad
 * files, and the same rows read without and with libcsv.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "npi_bulk.h"
#include "tap.h"

static char top[512];

static void
write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		ok(0, "write %s: %s", path, strerror(errno));
		return;
	}
	fputs(s, f);
	fclose(f);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
test_bulk(void)
{
	struct ctp_npi_bulk *b;
	struct ctp_npi_rec r;
	struct ctp_error e;
	uint64_t set[3] = { 1851713903, 1588513683, 1073014460 };
	char path[600], tmp[] = "/tmp/ctp-nppes-XXXXXX", f[700], *hdr, *row;
	char *big;
	size_t n, hl;
	int rc, got = 0;
	FILE *fp;

	memset(&r, 0, sizeof(r));
	qsort(set, 3, sizeof(set[0]), cmp_u64);
	if ((big = fixture("tests/fixtures/npi/npidata_pfile_small.csv",
	    &n)) == NULL)
		return;
	snprintf(path, sizeof(path), "%s/tests/fixtures/npi/"
	    "npidata_pfile_small.csv", top);
	rc = ctp_npi_bulk_open(&b, path, NULL, &e);
	is_int(rc, 0, "small dissemination file opens");
	if (rc != 0) {
		free(big);
		return;
	}
	while ((rc = ctp_npi_bulk_next(b, set, 3, &r, &e)) == 1) {
		got++;
		if (strcmp(r.f[CTP_NPI_NPI], "1588513683") == 0) {
			is_str(r.f[CTP_NPI_LAST_NAME], "DARBOUZE-AUGUSTE",
			    "bulk: last name");
			is_str(r.f[CTP_NPI_LICENSE], "F355076-01",
			    "bulk: license of the primary slot");
			is_str(r.f[CTP_NPI_ENTITY_TYPE], "NPI-1",
			    "bulk: entity type code 1");
			is_str(r.f[CTP_NPI_LAST_UPDATED], "2026-01-23",
			    "bulk: MM/DD/YYYY to ISO");
		}
		if (strcmp(r.f[CTP_NPI_NPI], "1851713903") == 0) {
			is_str(r.f[CTP_NPI_STATUS], "D", "bulk: deactivated");
			is_str(r.f[CTP_NPI_DEACTIVATION_DATE], "2025-06-30",
			    "bulk: deactivation date");
		}
	}
	is_int(rc, 0, "clean end");
	is_int(got, 3, "only the three rows in the set");
	is_int(ctp_npi_bulk_lines(b), 12, "every line read");
	ctp_npi_bulk_close(b);
	ctp_npi_rec_clear(&r);

	/* CRLF line ends and a roster row with a quoted line break. */
	if (mkdtemp(tmp) == NULL) {
		ok(0, "mkdtemp");
		free(big);
		return;
	}
	hdr = big;
	row = strchr(big, '\n');
	*row++ = '\0';
	hl = strlen(hdr);
	snprintf(f, sizeof(f), "%s/crlf.csv", tmp);
	fp = fopen(f, "w");
	fprintf(fp, "%s\r\n", hdr);
	{
		char *line, *save = NULL, *cp = strdup(row);

		for (line = strtok_r(cp, "\n", &save); line;
		    line = strtok_r(NULL, "\n", &save))
			fprintf(fp, "%s\r\n", line);
		free(cp);
	}
	fclose(fp);
	rc = ctp_npi_bulk_open(&b, f, NULL, &e);
	got = 0;
	if (rc == 0)
		while ((rc = ctp_npi_bulk_next(b, set, 3, &r, &e)) == 1)
			got++;
	ok(rc == 0 && got == 3, "CRLF line ends");
	ctp_npi_bulk_close(b);
	ctp_npi_rec_clear(&r);

	snprintf(f, sizeof(f), "%s/nl.csv", tmp);
	fp = fopen(f, "w");
	fprintf(fp, "%s\n", hdr);
	{
		char *l = strdup(strstr(row, "\"1073014460\""));

		*strchr(l, '\n') = '\0';
		/* A line break inside the first address line. */
		l = realloc(l, strlen(l) + 4);
		{
			/* The practice location: the second copy. */
			char *q = strstr(strstr(l, "41521 W") + 1, "41521 W");

			memmove(q + 6, q + 5, strlen(q + 5) + 1);
			q[5] = '\n';
		}
		fprintf(fp, "%s\n", l);
		free(l);
	}
	fclose(fp);
	rc = ctp_npi_bulk_open(&b, f, NULL, &e);
	if (rc == 0)
		rc = ctp_npi_bulk_next(b, set, 3, &r, &e);
	is_int(rc, 1, "a roster row spanning two lines");
	is_str(r.f[CTP_NPI_PRACTICE_ADDRESS], "41521\n W 11 MILE RD",
	    "the line break kept inside the field");
	ctp_npi_bulk_close(b);
	ctp_npi_rec_clear(&r);

	snprintf(f, sizeof(f), "%s/trunc.csv", tmp);
	fp = fopen(f, "w");
	fprintf(fp, "%s\n\"1073014460\",\"1\",\"", hdr);
	fclose(fp);
	rc = ctp_npi_bulk_open(&b, f, NULL, &e);
	if (rc == 0)
		rc = ctp_npi_bulk_next(b, set, 3, &r, &e);
	is_int(rc, CTP_DATAERR, "truncated: CTP_DATAERR");
	ok(strstr(e.what, "truncated file") != NULL, "says truncated");
	ok(strstr(e.where, "trunc.csv:2") != NULL, "names file and line");
	ctp_npi_bulk_close(b);

	snprintf(f, sizeof(f), "%s/junk.csv", tmp);
	fp = fopen(f, "w");
	fprintf(fp, "%s\nnot a row\n", hdr);
	fclose(fp);
	rc = ctp_npi_bulk_open(&b, f, NULL, &e);
	if (rc == 0)
		rc = ctp_npi_bulk_next(b, set, 3, &r, &e);
	is_int(rc, CTP_DATAERR, "a line without an NPI: CTP_DATAERR");
	ctp_npi_bulk_close(b);

	/*
	 * Skipping rows not in the set and a blank line, then an NPI with a
	 * byte just outside 0-9 (':' after '9', '/' before '0', a Latin-1
	 * byte) in any place: no NPI, reported with its line.
	 */
	{
		static const char *const bad[] = { "10730144:0", "/073014460",
		    "107301446/", "1073014\xb0" "60" };
		size_t k;

		for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
			snprintf(f, sizeof(f), "%s/skip%zu.csv", tmp, k);
			fp = fopen(f, "w");
			fprintf(fp, "%s\n\"1000000004\",\"1\"\n\n"
			    "\"1000000012\",\"1\"\n\"%s\",\"1\"\n", hdr,
			    bad[k]);
			fclose(fp);
			rc = ctp_npi_bulk_open(&b, f, NULL, &e);
			if (rc == 0)
				rc = ctp_npi_bulk_next(b, set, 3, &r, &e);
			is_int(rc, CTP_DATAERR, bad[k]);
			ok(strstr(e.where, "csv:5") != NULL,
			    "the bad NPI's line, after skipped and blank lines");
			ok(strstr(e.what, "no NPI at the start") != NULL,
			    "says there is no NPI");
			ctp_npi_bulk_close(b);
		}
	}

	snprintf(f, sizeof(f), "%s/hdr.csv", tmp);
	fp = fopen(f, "w");
	fprintf(fp, "%.*s\n", (int)(hl / 2), hdr);
	fclose(fp);
	rc = ctp_npi_bulk_open(&b, f, NULL, &e);
	is_int(rc, CTP_DATAERR, "a cut header: CTP_DATAERR");
	snprintf(f, sizeof(f), "%s/empty.csv", tmp);
	write_file(f, "");
	rc = ctp_npi_bulk_open(&b, f, NULL, &e);
	is_int(rc, CTP_DATAERR, "an empty file: CTP_DATAERR");
	is_str(e.what, "empty file", "says empty");
	free(big);
	snprintf(f, sizeof(f), "rm -rf %s", tmp);
	if (system(f) != 0)
		ok(0, "cleanup");
}

/*
 * Every row of the fixture written three ways: as CMS writes it (every
 * field quoted: read without libcsv), with a doubled quote in a column
 * nobody reads (read by libcsv), and with the needed values unquoted
 * where they can be (the direct scan's other branch).  The records must
 * be the same, and so must the messages for a row with a column too many.
 */
static char *
variant(const char *line, int kind)
{
	char *out = malloc(strlen(line) * 2 + 64), *o = out;
	const char *p = line;
	int col = 0;

	/* Fixture rows: "v0","v1",...,"v329" with no quote inside. */
	while (*p) {
		const char *q = strchr(p + 1, '"');
		size_t n = (size_t)(q - p - 1);

		if (col > 0)
			*o++ = ',';
		if (kind == 1 && col == 107)
			o += sprintf(o, "\"%.*sa\"\"b\"", (int)n, p + 1);
		else if (kind == 2 && col > 0 && col < 107 && n > 0 &&
		    memchr(p + 1, ',', n) == NULL && p[1] != ' ' && q[-1] != ' ')
			o += sprintf(o, "%.*s", (int)n, p + 1);
		else
			o += sprintf(o, "\"%.*s\"", (int)n, p + 1);
		if (kind == 3 && col == 329)
			o += sprintf(o, ",\"\"");
		if (kind == 4 && col == 329)
			o += sprintf(o, ",\"x\"\"\"");
		p = q + 1;
		if (*p == ',')
			p++;
		col++;
	}
	*o = '\0';
	return out;
}

static void
test_bulk_paths(void)
{
	char tmp[] = "/tmp/ctp-nppes-XXXXXX", f[5][700], *big, *row, *line;
	char *save = NULL;
	uint64_t set[16];
	struct ctp_npi_bulk *b[5];
	struct ctp_npi_rec r[5];
	struct ctp_error e[5];
	size_t n, ns = 0;
	int k, i, rc[5], rows = 0, same = 1;
	FILE *fp[5];

	if ((big = fixture("tests/fixtures/npi/npidata_pfile_small.csv",
	    &n)) == NULL)
		return;
	if (mkdtemp(tmp) == NULL) {
		ok(0, "mkdtemp");
		free(big);
		return;
	}
	row = strchr(big, '\n');
	*row++ = '\0';
	for (k = 0; k < 5; k++) {
		snprintf(f[k], sizeof(f[k]), "%s/v%d.csv", tmp, k);
		fp[k] = fopen(f[k], "w");
		fprintf(fp[k], "%s\n", big);
	}
	for (line = strtok_r(row, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save)) {
		set[ns++] = strtoull(line + 1, NULL, 10);
		for (k = 0; k < 5; k++) {
			char *v = variant(line, k);

			fprintf(fp[k], "%s\n", v);
			free(v);
		}
	}
	for (k = 0; k < 5; k++)
		fclose(fp[k]);
	qsort(set, ns, sizeof(set[0]), cmp_u64);
	memset(r, 0, sizeof(r));
	for (k = 0; k < 5; k++)
		if (ctp_npi_bulk_open(&b[k], f[k], NULL, &e[k]) != 0) {
			ok(0, "open %s", f[k]);
			return;
		}
	for (;;) {
		for (k = 0; k < 3; k++)
			rc[k] = ctp_npi_bulk_next(b[k], set, ns, &r[k], &e[k]);
		if (rc[0] != 1 || rc[1] != 1 || rc[2] != 1) {
			for (k = 0; k < 3; k++)
				if (rc[k] > 1)
					printf("# %s: %s\n", e[k].where,
					    e[k].what);
			break;
		}
		rows++;
		for (k = 1; k < 3; k++)
			for (i = 0; i < CTP_NPI_NFIELDS; i++)
				if ((r[0].f[i] == NULL) != (r[k].f[i] == NULL) ||
				    (r[0].f[i] && strcmp(r[0].f[i],
				    r[k].f[i]) != 0)) {
					printf("# row %d variant %d field %d\n",
					    rows, k, i);
					same = 0;
				}
	}
	ok(rc[0] == 0 && rc[1] == 0 && rc[2] == 0, "all three read to the end");
	is_int(rows, (int)ns, "every row read");
	ok(same, "plain lines, lines for libcsv, unquoted values: same records");
	for (k = 3; k < 5; k++)
		rc[k] = ctp_npi_bulk_next(b[k], set, ns, &r[k], &e[k]);
	is_int(rc[3], CTP_DATAERR, "a column too many: CTP_DATAERR");
	is_str(e[3].what, "331 columns, expected 330 (truncated or not the "
	    "same file version)", "says how many");
	is_int(rc[4], CTP_DATAERR, "the same through libcsv");
	is_str(e[4].what, e[3].what, "the same message");
	is_str(strrchr(e[4].where, ':'), strrchr(e[3].where, ':'),
	    "the same line");
	for (k = 0; k < 5; k++) {
		ctp_npi_bulk_close(b[k]);
		ctp_npi_rec_clear(&r[k]);
	}
	free(big);
	snprintf(f[0], sizeof(f[0]), "rm -rf %s", tmp);
	if (system(f[0]) != 0)
		ok(0, "cleanup");
}

int
main(void)
{
	const char *t = getenv("CTP_TOP");

	snprintf(top, sizeof(top), "%s", t ? t : ".");
	test_bulk();
	test_bulk_paths();
	return done_testing();
}
