/*
 * Unit tests for lib/npi_client.c: the registry client's handling of an
 * unreachable host (retries, and what the result says).
 */
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "npi_client.h"
#include "tap.h"

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
	test_fetch();
	return done_testing();
}
