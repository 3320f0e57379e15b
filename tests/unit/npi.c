/*
 * Unit tests for lib/npi.c: the API's JSON (real samples in
 * tests/fixtures/samples), the dissemination-file reader, the
 * comparison helpers and the client's handling of an unreachable host.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "mem.h"
#include "npi_api.h"
#include "npi_bulk.h"
#include "npi_client.h"
#include "npi_compare.h"
#include "tap.h"

static char top[512];

/*
 * Parse the API answer in tests/fixtures/samples/name for npi.  -1 when
 * the fixture cannot be read: that is a failed test already, and the
 * caller stops (found and e are still set, so nothing reads garbage).
 */
static int
parse_file(const char *name, const char *npi, struct ctp_npi_rec *r,
    int *found, struct ctp_error *e)
{
	char rel[256];
	size_t n;
	char *b;
	int rc;

	*found = 0;
	ctp_error_clear(e);
	snprintf(rel, sizeof(rel), "tests/fixtures/samples/%s", name);
	if ((b = fixture(rel, &n)) == NULL)
		return -1;
	rc = ctp_npi_parse_api(b, n, npi, r, found, e);
	free(b);
	return rc;
}

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
test_api(void)
{
	struct ctp_npi_rec r;
	struct ctp_error e;
	int found, rc;
	const char *p;

	memset(&r, 0, sizeof(r));
	p = "nppes_api_v2.1_lookup_organization.json";
	if ((rc = parse_file(p, "1174270805", &r, &found, &e)) < 0)
		return;
	is_int(rc, 0, "organization sample parses");
	is_int(found, 1, "found");
	is_str(r.f[CTP_NPI_ENTITY_TYPE], "NPI-2", "entity type NPI-2");
	is_str(r.f[CTP_NPI_ORGANIZATION_NAME],
	    "PEACH STATE MEDICAL PRACTICE, PC", "organization name");
	is_str(r.f[CTP_NPI_TAXONOMY], "207VE0102X", "primary taxonomy");
	ok(r.f[CTP_NPI_LICENSE] == NULL, "null license is absent");
	is_str(r.f[CTP_NPI_PRACTICE_ADDRESS], "1414 WALNUT ST",
	    "LOCATION address, not MAILING");
	is_str(r.f[CTP_NPI_PRACTICE_ZIP], "191023824", "ZIP+4");
	is_str(r.f[CTP_NPI_LAST_UPDATED], "2024-05-20", "last updated");
	is_str(r.f[CTP_NPI_STATUS], "A", "status");
	ctp_npi_rec_clear(&r);

	p = "nppes_api_v2.1_search_individuals.json";
	if ((rc = parse_file(p, "1588817837", &r, &found, &e)) < 0)
		return;
	ok(rc == 0 && found, "the asked NPI among ten results");
	is_str(r.f[CTP_NPI_LAST_NAME], "DAPAAH", "its last name");
	is_str(r.f[CTP_NPI_LICENSE], "552550", "license of the primary taxonomy");
	is_str(r.f[CTP_NPI_LICENSE_STATE], "NY", "and its state");
	is_str(r.f[CTP_NPI_PRACTICE_ADDRESS_2], "APT.# 5G", "address line 2");
	ok(r.f[CTP_NPI_MIDDLE_NAME] == NULL, "absent middle name");
	ctp_npi_rec_clear(&r);
	if ((rc = parse_file(p, "1234567893", &r, &found, &e)) < 0)
		return;
	is_int(rc, CTP_DATAERR, "results for other NPIs only: an error");
	is_str(e.what, "registry answered with another NPI", "says so");

	p = "nppes_api_empty_result.json";
	if ((rc = parse_file(p, "1234567893", &r, &found, &e)) < 0)
		return;
	ok(rc == 0 && !found, "empty result set: not found");
	p = "nppes_api_error_no_criteria.json";
	if ((rc = parse_file(p, "1234567893", &r, &found, &e)) < 0)
		return;
	is_int(rc, CTP_DATAERR, "Errors array: CTP_DATAERR");
	is_str(e.what, "registry error 04: No valid search criteria provided",
	    "number and description");
	is_str(e.where, "1234567893", "the NPI is the place");
	p = "nppes_api_error_enumeration_type_only.json";
	if ((rc = parse_file(p, NULL, &r, &found, &e)) < 0)
		return;
	is_str(e.what, "registry error 09: enumeration_type requires "
	    "additional search criteria", "the other error sample");

	rc = ctp_npi_parse_api("{\"results\":[{\"number", 20, "1", &r,
	    &found, &e);
	is_int(rc, CTP_DATAERR, "invalid JSON: CTP_DATAERR");
	ok(strstr(e.what, "not valid JSON") != NULL, "says so");
	rc = ctp_npi_parse_api("[]", 2, "1", &r, &found, &e);
	is_int(rc, CTP_DATAERR, "not an object");
	rc = ctp_npi_parse_api("{\"result_count\":1}", 18, "1", &r, &found,
	    &e);
	is_int(rc, CTP_DATAERR, "no results array");
	/* Older responses: number as an integer; "--" means none. */
	{
		const char *old = "{\"result_count\":1,\"results\":[{"
		    "\"number\":1588817837,\"enumeration_type\":\"NPI-1\","
		    "\"basic\":{\"first_name\":\"A\",\"last_name\":\"B\","
		    "\"name_suffix\":\"--\",\"status\":\"A\","
		    "\"last_updated\":\"2008-10-30\"},\"taxonomies\":"
		    "[{\"code\":\"163W00000X\",\"primary\":false}]}]}";

		rc = ctp_npi_parse_api(old, strlen(old), "1588817837", &r,
		    &found, &e);
		ok(rc == 0 && found, "integer number matches");
		is_str(r.f[CTP_NPI_TAXONOMY], "163W00000X",
		    "the only taxonomy when none is primary");
		ctp_npi_rec_clear(&r);
	}
	ctp_mem_fail_after(3);
	rc = parse_file(p, "1588817837", &r, &found, &e);
	ctp_mem_fail_after(0);
	p = "nppes_api_v2.1_search_individuals.json";
	ctp_mem_fail_after(2);
	rc = parse_file(p, "1588817837", &r, &found, &e);
	ctp_mem_fail_after(0);
	is_int(rc, CTP_SOFTWARE, "out of memory while flattening");
	ok(r.f[CTP_NPI_NPI] == NULL, "nothing left behind");
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

static int
collect(void *arg, struct ctp_npi_result *r)
{
	*(struct ctp_npi_result *)arg = *r;
	return 0;
}

static void
test_fetch(void)
{
	struct ctp_npi_opts o;
	struct ctp_npi_result res;
	struct ctp_error e;
	const char *npi = "1588817837";
	int rc;

	ctp_npi_opts_default(&o);
	o.api_url = "http://127.0.0.1:1/api/";
	o.retries = 1;
	o.backoff_ms = 10;
	memset(&res, 0, sizeof(res));
	rc = ctp_npi_fetch(&o, &npi, 1, collect, &res, NULL, &e);
	is_int(rc, 0, "fetch runs against a closed port");
	is_int(res.status, CTP_UNAVAILABLE, "the NPI is unavailable");
	is_int(res.attempts, 2, "after one retry");
	ok(strstr(res.err.what, "after 2 tries") != NULL, "says how many");
}

int
main(void)
{
	const char *t = getenv("CTP_TOP");

	snprintf(top, sizeof(top), "%s", t ? t : ".");
	ok(ctp_npi_name_same("O'Brien-Smith", "OBRIENSMITH"),
	    "names: punctuation and case ignored");
	ok(!ctp_npi_name_same("Darr", "DAR"), "names: a letter differs");
	ok(ctp_npi_name_same("Zoë", "ZOE"), "names: accents transliterated");
	ok(ctp_npi_name_same("Dappah Colon", "DAPPAH-COLON"),
	    "names: hyphen or space");
	ok(ctp_npi_license_same("F-355076 01", "f35507601"),
	    "licenses: dashes, spaces, case");
	ok(ctp_npi_license_same("007744", "7744"), "licenses: leading zeros");
	ok(!ctp_npi_license_same("7744", "7745"), "licenses differ");
	ok(ctp_npi_license_same("m827036", "M827036"),
	    "licenses equal but for case");
	ok(!ctp_npi_license_same("M827036", "M827O36"),
	    "a letter O is not a zero");
	test_api();
	test_bulk();
	test_bulk_paths();
	test_fetch();
	return done_testing();
}
