/*
 * Unit tests for lib/npi_compare.c: the comparison of a roster provider
 * with its registry record, without a database.  The records are the
 * fixture registry's (tests/fixtures/npi/api/NPI.json, real NPPES
 * records), read both from the API's JSON and from the same rows of
 * tests/fixtures/npi/npidata_pfile_small.csv; the providers are those
 * of tests/fixtures/npi/roster.sql, each differing from the registry in
 * one way or not at all, and variants of them for each kind of
 * difference and for values equal but for case or format.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "npi_api.h"
#include "npi_bulk.h"
#include "npi_compare.h"
#include "tap.h"

static char top[512];

#define LIC(n, s) { n, s }

/* tests/fixtures/npi/roster.sql, with its active state licenses. */
static const struct ctp_npi_license lic_dapaah[] = { LIC("552550", "NY") };
static const struct ctp_npi_license lic_darr[] = { LIC("429019", "CA") };
static const struct ctp_npi_license lic_davidson[] = {
	LIC("ALC04512", "AL") };
static const struct ctp_npi_license lic_davis[] = { LIC("7744", "NE") };
static const struct ctp_npi_license lic_josette[] = { LIC("C8107", "OR") };
static const struct ctp_npi_license lic_josepha[] = {
	LIC("F355076-01", "NJ") };

#define PROV(npi, first, last, tax, addr, city, st, zip, lic) \
	{ npi, first, last, tax, addr, city, st, zip, "active", lic, \
	    sizeof(lic) / sizeof(lic[0]) }
#define PROV0(npi, first, last, tax, addr, city, st, zip) \
	{ npi, first, last, tax, addr, city, st, zip, "active", NULL, 0 }

static const struct ctp_npi_provider roster[] = {
	PROV("1588817837", "Josephine", "Dapaah", "163W00000X",
	    "2160 Bolton Street, Apt 5G", "Bronx", "NY", "10462", lic_dapaah),
	PROV("1457485542", "Josefina", "Darr", "163W00000X",
	    "5202 University Avenue", "San Diego", "CA", "92105-2268",
	    lic_darr),
	PROV("1841008505", "Josie", "Davidson", "101YM0800X",
	    "574 Azalea Rd., Ste. 105", "Mobile", "AL", "36609", lic_davidson),
	PROV("1255782751", "Josephine", "Davis", "207R00000X",
	    "2140 Junction Ave", "Sturgis", "SD", "57785", lic_davis),
	PROV("1558827345", "Josette", "Davis", "101YP2500X", "9 Old Road",
	    "Portland", "OR", "97201", lic_josette),
	PROV("1588513683", "Josepha", "Darbouze-Auguste", "363L00000X",
	    "1 University Plaza", "Brooklyn", "NY", "11201", lic_josepha),
	PROV0("1174270805", "Fahimeh", "Sasan", "207VE0102X",
	    "1414 Walnut St", "Philadelphia", "PA", "19102"),
	PROV0("1851713903", "Josefina", "Danwing", "225400000X",
	    "18302 Westlawn St", "Hesperia", "CA", "92345"),
	PROV0("1234567893", "Pat", "Nobody", "207Q00000X", "1 Main St",
	    "Springfield", "IL", "62701"),
	PROV0("1073014460", "Joette", "Darby", "106S00000X",
	    "41521 West 11 Mile Road", "Novi", "MI", "48375"),
};
#define NROSTER (sizeof(roster) / sizeof(roster[0]))

/*
 * What each should give: the fields that differ, in order, and the
 * roster and registry values of the first.
 */
static const struct {
	const char *npi;
	const char *fields;
	const char *roster_value;
	const char *registry_value;
} want[] = {
	{ "1588817837", "", NULL, NULL },
	{ "1457485542", "last_name", "Darr", "DAR" },
	{ "1841008505", "", NULL, NULL },
	{ "1255782751", "taxonomy", "207R00000X", "207Q00000X" },
	{ "1558827345", "practice_address", "9 Old Road, Portland, OR 97201",
	    "1500 NW BETHANY BLVD STE 320, BEAVERTON, OR 97006-5238" },
	{ "1588513683", "license", "F355076-01 NJ", "F355076-01 NY" },
	{ "1174270805", "entity_type", "NPI-1", "NPI-2" },
	{ "1851713903", "deactivated", "active", "deactivated 2025-06-30" },
	{ "1234567893", "not_found", "1234567893", "" },
	{ "1073014460", "", NULL, NULL },
};

/* The fields of ds, comma-separated. */
static const char *
fields(const struct ctp_npi_diffs *ds)
{
	static char buf[256];
	int i;

	buf[0] = '\0';
	for (i = 0; i < ds->n; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
		    i ? "," : "", ds->d[i].field);
	return buf;
}

/* The apply of ds's difference i as compact sorted JSON, or "". */
static const char *
apply(const struct ctp_npi_diffs *ds, int i)
{
	static char buf[512];
	char *s;

	buf[0] = '\0';
	if (i < ds->n && ds->d[i].apply != NULL &&
	    (s = json_dumps(ds->d[i].apply, JSON_COMPACT |
	    JSON_SORT_KEYS)) != NULL) {
		snprintf(buf, sizeof(buf), "%s", s);
		free(s);
	}
	return buf;
}

/* The fixture registry's record of npi (api/NPI.json); 0 when absent. */
static int
api_record(const char *npi, struct ctp_npi_rec *r)
{
	struct ctp_error e;
	char rel[128], *b;
	size_t n;
	int found = 0;

	snprintf(rel, sizeof(rel), "tests/fixtures/npi/api/%s.json", npi);
	memset(r, 0, sizeof(*r));
	if ((b = fixture(rel, &n)) == NULL)
		return 0;
	if (ctp_npi_parse_api(b, n, npi, r, &found, &e) != 0)
		found = 0;
	free(b);
	return found;
}

/* "how npi: what" for a test's name. */
static const char *
name(const char *how, const char *npi, const char *what)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s %s: %s", how, npi, what);
	return buf;
}

/* Compare p with g, check the fields and the first one's values. */
static void
check(const struct ctp_npi_provider *p, const struct ctp_npi_rec *g,
    const char *how, const char *f, const char *rv, const char *gv)
{
	struct ctp_npi_diffs ds;

	is_int(ctp_npi_compare(p, g, &ds), 0, name(how, p->npi, "compared"));
	is_str(fields(&ds), f, name(how, p->npi, *f ? f : "matched"));
	if (rv != NULL && ds.n > 0) {
		is_str(ds.d[0].roster, rv, name(how, p->npi, "roster value"));
		is_str(ds.d[0].registry, gv, name(how, p->npi,
		    "registry value"));
	}
	ctp_npi_diffs_clear(&ds);
}

static const struct ctp_npi_provider *
provider(const char *npi)
{
	size_t i;

	for (i = 0; i < NROSTER; i++)
		if (strcmp(roster[i].npi, npi) == 0)
			return &roster[i];
	return NULL;
}

/* Each roster provider against its record from the API's JSON. */
static void
test_api_records(void)
{
	struct ctp_npi_rec g;
	size_t i;
	int found;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		/* The fixture registry has no answer for it. */
		memset(&g, 0, sizeof(g));
		found = strcmp(want[i].fields, "not_found") != 0;
		if (found && !api_record(want[i].npi, &g)) {
			ok(0, "api/%s.json", want[i].npi);
			continue;
		}
		check(provider(want[i].npi), found ? &g : NULL, "api",
		    want[i].fields, want[i].roster_value,
		    want[i].registry_value);
		ctp_npi_rec_clear(&g);
	}
}

/*
 * The real search sample (tests/fixtures/samples), ten records of which
 * three are on the roster: the same differences as their fixtures give.
 */
static void
test_sample(void)
{
	static const char *const npis[] = { "1588817837", "1457485542",
	    "1255782751" };
	struct ctp_npi_rec g;
	struct ctp_error e;
	size_t i, j, n;
	char *b;
	int found;

	if ((b = fixture("tests/fixtures/samples/"
	    "nppes_api_v2.1_search_individuals.json", &n)) == NULL)
		return;
	memset(&g, 0, sizeof(g));
	for (i = 0; i < sizeof(npis) / sizeof(npis[0]); i++) {
		if (ctp_npi_parse_api(b, n, npis[i], &g, &found, &e) != 0 ||
		    !found) {
			ok(0, "sample: %s", npis[i]);
			continue;
		}
		for (j = 0; strcmp(want[j].npi, npis[i]) != 0; j++)
			;
		check(provider(npis[i]), &g, "sample", want[j].fields,
		    want[j].roster_value, want[j].registry_value);
		ctp_npi_rec_clear(&g);
	}
	free(b);
}

/* The same providers against the same records from the bulk file. */
static void
test_bulk_records(void)
{
	struct ctp_npi_bulk *b;
	struct ctp_npi_rec g;
	struct ctp_error e;
	uint64_t set[NROSTER], t;
	char path[600];
	size_t i, j, n = 0, seen = 0;
	int rc;

	for (i = 0; i < NROSTER; i++)
		if (ctp_npi_key(roster[i].npi, &set[n]))
			n++;
	for (i = 1; i < n; i++)		/* sorted, as the reader wants */
		for (j = i; j > 0 && set[j - 1] > set[j]; j--) {
			t = set[j];
			set[j] = set[j - 1];
			set[j - 1] = t;
		}
	snprintf(path, sizeof(path),
	    "%s/tests/fixtures/npi/npidata_pfile_small.csv", top);
	memset(&g, 0, sizeof(g));
	if (ctp_npi_bulk_open(&b, path, NULL, &e) != 0) {
		ok(0, "open %s: %s", path, e.what);
		return;
	}
	while ((rc = ctp_npi_bulk_next(b, set, n, &g, &e)) == 1)
		for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
			if (strcmp(want[i].npi, g.f[CTP_NPI_NPI]) == 0) {
				seen++;
				check(provider(want[i].npi), &g, "bulk",
				    want[i].fields, want[i].roster_value,
				    want[i].registry_value);
			}
	is_int(rc, 0, "bulk: read to the end");
	is_int(seen, NROSTER - 1, "bulk: every provider but the unknown one");
	ctp_npi_bulk_close(b);
	ctp_npi_rec_clear(&g);
}

/* Each kind of difference from a variant of a provider that matched. */
static void
test_kinds(void)
{
	struct ctp_npi_provider p;
	struct ctp_npi_license l[2];
	struct ctp_npi_diffs ds;
	struct ctp_npi_rec g;

	if (!api_record("1588817837", &g)) {
		ok(0, "api/1588817837.json");
		return;
	}
	p = *provider("1588817837");
	p.first_name = "Josefine";
	check(&p, &g, "first name", "first_name", "Josefine", "JOSEPHINE");
	ctp_npi_compare(&p, &g, &ds);
	is_str(apply(&ds, 0), "{\"first_name\":\"JOSEPHINE\"}",
	    "first name: the registry's to write");
	ctp_npi_diffs_clear(&ds);

	p = *provider("1588817837");
	p.last_name = "Dapaah Mensah";
	check(&p, &g, "last name", "last_name", "Dapaah Mensah", "DAPAAH");

	p = *provider("1588817837");
	p.first_name = "Josefine";
	p.taxonomy = "207Q00000X";
	p.zip = "10463";
	check(&p, &g, "several", "first_name,taxonomy,practice_address",
	    "Josefine", "JOSEPHINE");
	ctp_npi_compare(&p, &g, &ds);
	is_str(apply(&ds, 2), "{\"practice_address\":\"2160 BOLTON ST "
	    "APT.# 5G\",\"practice_city\":\"BRONX\",\"practice_state\":\"NY\","
	    "\"practice_zip\":\"10462-1364\"}",
	    "address: line 2 joined, ZIP+4 written with its dash");
	is_str(ds.d[2].roster, "2160 Bolton Street, Apt 5G, Bronx, NY 10463",
	    "address: the roster's as one line");
	is_str(ds.d[2].registry, "2160 BOLTON ST APT.# 5G, BRONX, NY "
	    "10462-1364", "address: the registry's as one line");
	ctp_npi_diffs_clear(&ds);

	/* A license: another number, another state, none on the roster. */
	p = *provider("1588817837");
	l[0].number = "552551";
	l[0].state = "NY";
	l[1].number = "552550";
	l[1].state = "NJ";
	p.licenses = l;
	p.nlicenses = 2;
	check(&p, &g, "license", "license", "552551 NY; 552550 NJ",
	    "552550 NY");
	ctp_npi_compare(&p, &g, &ds);
	is_str(apply(&ds, 0), "{\"license\":{\"number\":\"552550\","
	    "\"state\":\"NY\"}}", "license: number and state to write");
	ctp_npi_diffs_clear(&ds);
	p.nlicenses = 0;
	check(&p, &g, "no license", "license", "", "552550 NY");

	/* Deactivated: nothing else is compared. */
	p = *provider("1588817837");
	p.first_name = "Someone";
	free(g.buf_[CTP_NPI_STATUS]);
	g.buf_[CTP_NPI_STATUS] = NULL;
	g.cap_[CTP_NPI_STATUS] = 0;
	ctp_npi_rec_set(&g, CTP_NPI_STATUS, "D");
	check(&p, &g, "deactivated, no date", "deactivated", "active",
	    "deactivated");
	ctp_npi_compare(&p, &g, &ds);
	is_str(apply(&ds, 0), "{\"status\":\"inactive\"}",
	    "deactivated: the roster's status to write");
	ctp_npi_diffs_clear(&ds);

	check(&p, NULL, "absent", "not_found", "1588817837", "");
	ctp_npi_rec_clear(&g);
}

/* Values equal but for case or format are no difference. */
static void
test_same(void)
{
	struct ctp_npi_provider p;
	struct ctp_npi_license l[1];
	struct ctp_npi_rec g;

	if (!api_record("1588513683", &g)) {
		ok(0, "api/1588513683.json");
		return;
	}
	p = *provider("1588513683");
	l[0].number = "F355076-01";
	l[0].state = "NY";
	p.licenses = l;
	p.nlicenses = 1;
	check(&p, &g, "the registry's values", "", NULL, NULL);
	p.first_name = "JOSEPHA";
	p.last_name = "darbouze auguste";
	p.taxonomy = "363l00000x";
	l[0].number = "f 355076 01";
	l[0].state = "ny";
	p.address = "1 University Plz.";
	p.city = "BROOKLYN";
	p.zip = "11201-5301";
	check(&p, &g, "case, spaces, dashes, abbreviations", "", NULL, NULL);
	l[0].number = "0F355076-01";
	check(&p, &g, "a leading zero", "", NULL, NULL);
	l[0].number = "F355076-0I";
	check(&p, &g, "a letter for a digit", "license", "F355076-0I ny",
	    "F355076-01 NY");
	ctp_npi_rec_clear(&g);
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
	test_api_records();
	test_sample();
	test_bulk_records();
	test_kinds();
	test_same();
	return done_testing();
}
