/*
 * verifier_npi.c - the npi verifier (verifier.h): one NPPES registry
 * lookup through ctp-npi's client (npi_client.c, npi_api.c) and its
 * name rule (npi_compare.c).
 */
#include <stdlib.h>
#include <string.h>

#include "npi_client.h"
#include "npi_compare.h"
#include "org.h"
#include "verifier.h"

#define SOURCE "NPPES"

struct one {
	int status, found;
	struct ctp_error err;
	struct ctp_npi_rec rec;
};

static int
one_result(void *arg, struct ctp_npi_result *res)
{
	struct one *o = arg;

	o->status = res->status;
	o->err = res->err;
	o->found = res->found;
	o->rec = res->rec;
	memset(&res->rec, 0, sizeof(res->rec));
	return 0;
}

/* A difference, {"roster": a, "registry": b}, into d under key. */
static int
differ(json_t *d, const char *key, const char *a, const char *b)
{
	return json_object_set_new(d, key, json_pack("{s:s, s:s}", "roster",
	    a ? a : "", "registry", b ? b : ""));
}

/* The reply for the record found. */
static json_t *
judge(const json_t *req, const struct ctp_npi_rec *g)
{
	const char *first = ctp_verifier_provider(req, "first_name");
	const char *last = ctp_verifier_provider(req, "last_name");
	const char *gfirst = ctp_npi_rec_str(g, CTP_NPI_FIRST_NAME);
	const char *glast = ctp_npi_rec_str(g, CTP_NPI_LAST_NAME);
	const char *status = ctp_npi_rec_str(g, CTP_NPI_STATUS);
	const char *updated = ctp_npi_rec_str(g, CTP_NPI_LAST_UPDATED);
	char ref[96];
	json_t *d;
	int bad = 0;

	if ((d = json_object()) == NULL)
		return NULL;
	if (strcmp(status, "A") != 0 ||
	    *ctp_npi_rec_str(g, CTP_NPI_DEACTIVATION_DATE) != '\0')
		bad |= differ(d, "status", "active", *status ? status :
		    "deactivated");
	if (!ctp_npi_name_same(first, gfirst))
		bad |= differ(d, "first_name", first, gfirst);
	if (!ctp_npi_name_same(last, glast))
		bad |= differ(d, "last_name", last, glast);
	if (bad) {
		json_decref(d);
		return NULL;
	}
	snprintf(ref, sizeof(ref), "NPI %s%s%s", ctp_npi_rec_str(g,
	    CTP_NPI_NPI), *updated ? ", last updated " : "", updated);
	if (json_object_size(d) == 0) {
		json_decref(d);
		return ctp_verifier_reply("verified", SOURCE, ref, NULL,
		    *updated ? updated : NULL);
	}
	return ctp_verifier_reply("discrepancy", SOURCE, ref, d,
	    *updated ? updated : NULL);
}

int
ctp_verifier_npi(sqlite3 *db, const json_t *req, json_t **reply,
    struct ctp_error *e)
{
	struct ctp_npi_opts o;
	struct one one;
	const char *npi = ctp_verifier_provider(req, "npi"), *url;
	char *setting = NULL;
	int rc;

	*reply = NULL;
	ctp_npi_opts_default(&o);
	o.parallel = 1;
	o.retries = 1;
	o.connect_timeout_ms = 5000;
	o.timeout_ms = 10000;
	url = json_string_value(json_object_get(json_object_get(req, "config"),
	    "url"));
	if (url == NULL) {
		if ((rc = ctp_org_get(db, "nppes_api_url", &setting, e)) != 0)
			return rc;
		url = setting;
	}
	o.api_url = url;
	memset(&one, 0, sizeof(one));
	rc = ctp_npi_fetch(&o, &npi, 1, one_result, &one, NULL, e);
	free(setting);
	if (rc != 0)
		return rc;
	if (one.status != 0)
		*reply = ctp_verifier_reply("error", SOURCE, NULL,
		    json_string(one.err.what), NULL);
	else if (!one.found)
		*reply = ctp_verifier_reply("not_found", SOURCE, NULL,
		    json_string("the registry has no record of this NPI"),
		    NULL);
	else
		*reply = judge(req, &one.rec);
	ctp_npi_rec_clear(&one.rec);
	if (*reply == NULL)
		return ctp_err_nomem(e, "npi");
	return 0;
}
