/*
 * npi_api.c - an answer of the NPPES NPI Registry API (version 2.1) to
 * a registry record.  See npi_api.h.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "npi_api.h"

static const char *
jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	const char *s;

	if (!json_is_string(v))
		return NULL;
	s = json_string_value(v);
	/* The registry writes "--" for "no prefix/suffix". */
	if (strcmp(s, "--") == 0)
		return NULL;
	return s;
}

static int
flatten(json_t *res, struct ctp_npi_rec *r)
{
	json_t *basic, *a, *t, *num, *best;
	const char *s;
	char nb[32];
	size_t i;
	int ok = 0;

	num = json_object_get(res, "number");
	if (json_is_string(num))
		ok |= ctp_npi_rec_set(r, CTP_NPI_NPI, json_string_value(num));
	else if (json_is_integer(num)) {
		snprintf(nb, sizeof(nb), "%lld",
		    (long long)json_integer_value(num));
		ok |= ctp_npi_rec_set(r, CTP_NPI_NPI, nb);
	}
	ok |= ctp_npi_rec_set(r, CTP_NPI_ENTITY_TYPE,
	    jstr(res, "enumeration_type"));
	basic = json_object_get(res, "basic");
	if (json_is_object(basic)) {
		ok |= ctp_npi_rec_set(r, CTP_NPI_STATUS, jstr(basic, "status"));
		ok |= ctp_npi_rec_set(r, CTP_NPI_FIRST_NAME,
		    jstr(basic, "first_name"));
		ok |= ctp_npi_rec_set(r, CTP_NPI_MIDDLE_NAME,
		    jstr(basic, "middle_name"));
		ok |= ctp_npi_rec_set(r, CTP_NPI_LAST_NAME,
		    jstr(basic, "last_name"));
		ok |= ctp_npi_rec_set(r, CTP_NPI_ORGANIZATION_NAME,
		    jstr(basic, "organization_name"));
		ok |= ctp_npi_rec_set(r, CTP_NPI_CREDENTIAL,
		    jstr(basic, "credential"));
		ok |= ctp_npi_rec_set_date(r, CTP_NPI_ENUMERATION_DATE,
		    jstr(basic, "enumeration_date"));
		ok |= ctp_npi_rec_set_date(r, CTP_NPI_LAST_UPDATED,
		    jstr(basic, "last_updated"));
		ok |= ctp_npi_rec_set_date(r, CTP_NPI_DEACTIVATION_DATE,
		    jstr(basic, "deactivation_date"));
	}
	/* The primary taxonomy, else the only one. */
	t = json_object_get(res, "taxonomies");
	best = NULL;
	if (json_is_array(t)) {
		for (i = 0; i < json_array_size(t); i++) {
			a = json_array_get(t, i);
			if (json_is_true(json_object_get(a, "primary"))) {
				best = a;
				break;
			}
		}
		if (best == NULL && json_array_size(t) == 1)
			best = json_array_get(t, 0);
	}
	if (json_is_object(best)) {
		ok |= ctp_npi_rec_set(r, CTP_NPI_TAXONOMY, jstr(best, "code"));
		ok |= ctp_npi_rec_set(r, CTP_NPI_TAXONOMY_DESC,
		    jstr(best, "desc"));
		ok |= ctp_npi_rec_set(r, CTP_NPI_LICENSE,
		    jstr(best, "license"));
		ok |= ctp_npi_rec_set(r, CTP_NPI_LICENSE_STATE,
		    jstr(best, "state"));
	}
	t = json_object_get(res, "addresses");
	if (json_is_array(t))
		for (i = 0; i < json_array_size(t); i++) {
			a = json_array_get(t, i);
			s = jstr(a, "address_purpose");
			if (s == NULL || strcmp(s, "LOCATION") != 0)
				continue;
			ok |= ctp_npi_rec_set(r, CTP_NPI_PRACTICE_ADDRESS,
			    jstr(a, "address_1"));
			ok |= ctp_npi_rec_set(r, CTP_NPI_PRACTICE_ADDRESS_2,
			    jstr(a, "address_2"));
			ok |= ctp_npi_rec_set(r, CTP_NPI_PRACTICE_CITY,
			    jstr(a, "city"));
			ok |= ctp_npi_rec_set(r, CTP_NPI_PRACTICE_STATE,
			    jstr(a, "state"));
			ok |= ctp_npi_rec_set(r, CTP_NPI_PRACTICE_ZIP,
			    jstr(a, "postal_code"));
			ok |= ctp_npi_rec_set(r, CTP_NPI_PRACTICE_PHONE,
			    jstr(a, "telephone_number"));
			break;
		}
	return ok ? -1 : 0;
}

int
ctp_npi_parse_api(const char *body, size_t len, const char *npi,
    struct ctp_npi_rec *rec, int *found, struct ctp_error *e)
{
	json_t *root, *errs, *res, *one, *x;
	json_error_t je;
	const char *num, *desc;
	size_t i;
	int rc = 0, k;

	*found = 0;
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL)
		return ctp_errf(e, CTP_DATAERR, npi,
		    "registry answer is not valid JSON (line %d column %d)",
		    je.line, je.column);
	if (!json_is_object(root)) {
		rc = ctp_errf(e, CTP_DATAERR, npi,
		    "registry answer is not a JSON object");
		goto out;
	}
	errs = json_object_get(root, "Errors");
	if (errs != NULL) {
		x = json_array_get(errs, 0);
		num = jstr(x, "number");
		desc = jstr(x, "description");
		rc = ctp_errf(e, CTP_DATAERR, npi, "registry error %s: %.200s",
		    num ? num : "?", desc ? desc : "no description");
		goto out;
	}
	res = json_object_get(root, "results");
	if (res == NULL && json_is_integer(json_object_get(root,
	    "result_count")) && json_integer_value(json_object_get(root,
	    "result_count")) == 0)
		goto out;
	if (!json_is_array(res)) {
		rc = ctp_errf(e, CTP_DATAERR, npi,
		    "registry answer has no results array");
		goto out;
	}
	for (i = 0; i < json_array_size(res); i++) {
		one = json_array_get(res, i);
		if (!json_is_object(one)) {
			rc = ctp_errf(e, CTP_DATAERR, npi,
			    "registry result %zu is not an object", i + 1);
			goto out;
		}
		ctp_npi_rec_clear(rec);
		if (flatten(one, rec) < 0) {
			rc = ctp_err_nomem(e, npi);
			goto out;
		}
		if (npi == NULL ||
		    strcmp(ctp_npi_rec_str(rec, CTP_NPI_NPI), npi) == 0) {
			if ((k = ctp_npi_rec_control(rec)) >= 0) {
				rc = ctp_errf(e, CTP_DATAERR, npi, "registry "
				    "answer: %s: contains control characters",
				    ctp_npi_rec_columns[k].name);
				goto out;
			}
			*found = 1;
			goto out;
		}
	}
	ctp_npi_rec_clear(rec);
	if (json_array_size(res) > 0)
		rc = ctp_errf(e, CTP_DATAERR, npi,
		    "registry answered with another NPI");
out:
	if (rc)
		ctp_npi_rec_clear(rec);
	json_decref(root);
	return rc;
}
