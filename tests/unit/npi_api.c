/*
 * Unit tests for lib/npi_api.c: the API's JSON to a registry record,
 * from the real samples in tests/fixtures/samples.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "mem.h"
#include "npi_api.h"
#include "tap.h"

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

int
main(void)
{
	test_api();
	return done_testing();
}
