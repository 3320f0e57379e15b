/*
 * Unit tests for a coordinator with many clients: lib/orgs.c (names,
 * the data and cache directories, --org in argv), lib/npi_cache.c (the
 * registry's answers of a run) and out.c's lead column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "npi_cache.h"
#include "orgs.h"
#include "out.h"
#include "tap.h"

static void
names(void)
{
	static const char *const good[] = { "acme", "Acme-2", "a.b_c", "x",
	    "0clinic" };
	static const char *const bad[] = { "", ".hidden", "-x", "a/b", "..",
	    "../x", "a b", "a;b", "caf\xc3\xa9" };
	char long65[66], s[64];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok(ctp_org_name_why(good[i]) == NULL, "'%s' names an "
		    "organization", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(ctp_org_name_why(bad[i]) != NULL, "'%s' does not", bad[i]);
	memset(long65, 'a', 65);
	long65[65] = '\0';
	ok(ctp_org_name_why(long65) != NULL, "65 characters are too many");
	long65[64] = '\0';
	ok(ctp_org_name_why(long65) == NULL, "64 are not");
	ctp_org_short("/x/y/acme.db", s, sizeof(s));
	is_str(s, "acme", "short name: the base name without .db");
	ctp_org_short("plain", s, sizeof(s));
	is_str(s, "plain", "a name without .db stays");
	is_int(ctp_status_worst(0, 1), 1, "attention over success");
	is_int(ctp_status_worst(69, 1), 69, "a failure over attention");
	is_int(ctp_status_worst(65, 77), 77, "the larger of two failures");
}

static void
dirs(void)
{
	struct ctp_error e;
	char *d;

	setenv("XDG_DATA_HOME", "/data", 1);
	setenv("XDG_CACHE_HOME", "/cache", 1);
	ok(ctp_data_dir(&d, &e) == 0, "data directory");
	is_str(d, "/data/ctp", "under XDG_DATA_HOME");
	free(d);
	ok(ctp_cache_dir(&d, &e) == 0, "cache directory");
	is_str(d, "/cache/ctp/lists", "under XDG_CACHE_HOME");
	free(d);
	setenv("XDG_DATA_HOME", "relative", 1);
	setenv("XDG_CACHE_HOME", "", 1);
	setenv("HOME", "/home/maria", 1);
	ctp_data_dir(&d, &e);
	is_str(d, "/home/maria/.local/share/ctp", "not absolute: ~/.local/share");
	free(d);
	ctp_cache_dir(&d, &e);
	is_str(d, "/home/maria/.cache/ctp/lists", "empty: ~/.cache");
	free(d);
	setenv("XDG_DATA_HOME", "/data", 1);
	ok(ctp_org_path("acme", &d, &e) == 0, "the path of acme");
	is_str(d, "/data/ctp/acme.db", "NAME.db in the data directory");
	free(d);
	ok(ctp_org_path("../etc/x", &d, &e) == CTP_USAGE && d == NULL,
	    "a bad name: CTP_USAGE, no path");
	is_str(e.where, "--org", "named --org");
}

static void
args(void)
{
	struct ctp_error e;
	char a0[] = "ctp-x", a1[] = "--org", a2[] = "acme", a3[] = "list",
	    a4[] = "--org=beta", a5[] = "--", a6[] = "--org", a7[] = "c";
	char *v[] = { a0, a1, a2, a3, a4, a5, a6, a7, NULL };
	char b1[] = "--org", b2[] = "a/b";
	char *w[] = { a0, b1, b2, NULL };
	char c1[] = "list", c2[] = "--org";
	char *x[] = { a0, c1, c2, NULL };

	ctp_error_clear(&e);
	setenv("XDG_DATA_HOME", "/data", 1);
	unsetenv("CTP_ORG");
	setenv("CTP_DB", "/keep.db", 1);
	ok(ctp_org_args(8, v, &e) == 0, "argv with --org twice and --");
	is_str(v[1], "--db", "--org NAME becomes --db");
	is_str(v[2], "/data/ctp/acme.db", "and its path");
	is_str(v[3], "list", "the other arguments stay");
	is_str(v[4], "--db=/data/ctp/beta.db", "--org=NAME becomes --db=PATH");
	is_str(v[6], "--org", "after --, left alone");
	free(v[2]);	/* the paths ctp_org_args made */
	free(v[4]);
	is_str(getenv("CTP_DB"), "/keep.db", "no CTP_ORG: CTP_DB stays");
	ok(ctp_org_args(3, w, &e) == CTP_USAGE, "--org a/b: CTP_USAGE");
	is_str(w[1], "--org", "and argv as it was");
	ok(ctp_org_args(3, x, &e) == CTP_USAGE, "--org at the end: CTP_USAGE");
	setenv("CTP_ORG", "gamma", 1);
	ok(ctp_org_args(1, v, &e) == 0, "CTP_ORG=gamma");
	is_str(getenv("CTP_DB"), "/data/ctp/gamma.db", "becomes CTP_DB");
	ok(getenv("CTP_ORG") == NULL, "and is unset for children");
	setenv("CTP_ORG", ".x", 1);
	ok(ctp_org_args(1, v, &e) == CTP_USAGE, "CTP_ORG=.x: CTP_USAGE");
	is_str(e.where, "CTP_ORG", "named CTP_ORG");
	unsetenv("CTP_ORG");
}

static void
npi_cache(void)
{
	struct ctp_npi_cache *c = ctp_npi_cache_new();
	struct ctp_npi_rec r, got;
	char npi[16];
	int found = -1, i, all = 1;

	memset(&r, 0, sizeof(r));
	memset(&got, 0, sizeof(got));
	ok(c != NULL, "a cache");
	is_int(ctp_npi_cache_get(c, "http://a/", "1234567893", &found, &got),
	    0, "nothing kept yet");
	ctp_npi_rec_set(&r, CTP_NPI_NPI, "1234567893");
	ctp_npi_rec_set(&r, CTP_NPI_LAST_NAME, "Lee");
	ok(ctp_npi_cache_put(c, "http://a/", "1234567893", 1, &r) == 0,
	    "an answer kept");
	ok(ctp_npi_cache_put(c, "http://a/", "1111111111", 0, NULL) == 0,
	    "a not-found kept");
	ctp_npi_rec_clear(&r);
	is_int(ctp_npi_cache_get(c, "http://a/", "1234567893", &found, &got),
	    1, "found again");
	ok(found == 1 && strcmp(ctp_npi_rec_str(&got, CTP_NPI_LAST_NAME),
	    "Lee") == 0, "with its record, a copy");
	is_int(ctp_npi_cache_get(c, "http://b/", "1234567893", &found, &got),
	    0, "another registry address: not the same question");
	is_int(ctp_npi_cache_get(c, "http://a/", "1111111111", &found, &got),
	    1, "the not-found too");
	ok(found == 0 && got.f[CTP_NPI_NPI] == NULL, "as not found");
	for (i = 0; i < 5000; i++) {
		snprintf(npi, sizeof(npi), "%010d", i);
		ctp_npi_rec_set(&r, CTP_NPI_NPI, npi);
		all &= ctp_npi_cache_put(c, "http://a/", npi, 1, &r) == 0;
	}
	for (i = 0; i < 5000; i += 7) {
		snprintf(npi, sizeof(npi), "%010d", i);
		all &= ctp_npi_cache_get(c, "http://a/", npi, &found, &got) ==
		    1 && strcmp(ctp_npi_rec_str(&got, CTP_NPI_NPI), npi) == 0;
	}
	ok(all, "5,000 kept as the table grows, each found again");
	ctp_npi_rec_clear(&r);
	ctp_npi_rec_clear(&got);
	ctp_npi_cache_free(c);
}

static void
lead(void)
{
	static const struct ctp_col cols[] = { { "npi", CTP_COL_STR },
	    { "n", CTP_COL_INT } };
	const char *row[2] = { "1234567893", "2" };
	struct ctp_error e;
	struct ctp_out *o;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	o = ctp_out_new_lead(f, CTP_FMT_CSV, "org", cols, 2, 0);
	ctp_out_lead(o, "acme");
	ctp_out_row(o, row, &e);
	ctp_out_lead(o, "beta");
	ctp_out_row(o, row, &e);
	ctp_out_close(o, &e);
	fclose(f);
	is_str(buf, "org,npi,n\nacme,1234567893,2\nbeta,1234567893,2\n",
	    "CSV: the lead column first, each row with its value");
	free(buf);
	f = open_memstream(&buf, &len);
	o = ctp_out_new_lead(f, CTP_FMT_JSON, "org", cols, 2, 0);
	ctp_out_lead(o, "acme");
	ctp_out_row(o, row, &e);
	ctp_out_close(o, &e);
	fclose(f);
	is_str(buf, "{\"org\":\"acme\",\"npi\":\"1234567893\",\"n\":2}\n",
	    "JSON: the lead key first, the other types kept");
	free(buf);
	f = open_memstream(&buf, &len);
	o = ctp_out_new(f, CTP_FMT_CSV, cols, 1, CTP_OUT_NOHEADER);
	ctp_out_row(o, row, &e);
	ctp_out_close(o, &e);
	fclose(f);
	is_str(buf, "1234567893\n", "CTP_OUT_NOHEADER: no header row");
	free(buf);
}

/* A worker's rows captured, then replayed into the listing. */
static void
capture(void)
{
	static const struct ctp_col cols[] = { { "a", CTP_COL_STR },
	    { "b", CTP_COL_STR } };
	const char *r1[2] = { "x,y", NULL }, *r2[2] = { "", "=1+1\n2" };
	struct ctp_error e;
	struct ctp_out *c, *o;
	char *buf = NULL;
	size_t len = 0;
	FILE *tmp = tmpfile(), *f = open_memstream(&buf, &len);

	c = ctp_out_new_capture(tmp, 2);
	ok(c != NULL && ctp_out_row(c, r1, &e) == 0 &&
	    ctp_out_row(c, r2, &e) == 0 && ctp_out_close(c, &e) == 0,
	    "two rows captured");
	rewind(tmp);
	o = ctp_out_new_lead(f, CTP_FMT_CSV, "org", cols, 2, 0);
	is_int(ctp_out_ncols(o), 2, "a row of the listing takes two values");
	ctp_out_lead(o, "acme");
	is_int(ctp_out_replay(o, tmp, &e), 0, "replayed");
	ctp_out_close(o, &e);
	fclose(f);
	fclose(tmp);
	is_str(buf, "org,a,b\nacme,\"x,y\",\nacme,,\"'=1+1\n2\"\n",
	    "as if written there: quoting and the formula guard applied once");
	free(buf);
}

int
main(void)
{
	names();
	dirs();
	args();
	npi_cache();
	lead();
	capture();
	return done_testing();
}
