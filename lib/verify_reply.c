/*
 * verify_reply.c - reading a verifier's output (verify_reply.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "input.h"
#include "mem.h"
#include "psv.h"
#include "validate.h"
#include "verify_reply.h"

void
ctp_verify_reply_free(struct ctp_verify_reply *r)
{
	free(r->result);
	free(r->source);
	free(r->reference);
	free(r->detail);
	free(r->source_date);
	free(r->method);
	memset(r, 0, sizeof(*r));
}

/* Text a log may keep: UTF-8, no control character, at most max bytes. */
static const char *
bad_text(const char *s, size_t len, size_t max)
{
	size_t i;

	if (len > max)
		return "too long";
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return "holds a control character";
	if (!ctp_utf8_valid(s, len))
		return "not UTF-8";
	return NULL;
}

/*
 * Member key of o as a string (absent or null: *out NULL), its text
 * checked.  0, -1 with why, -2 without memory.
 */
static int
str(json_t *o, const char *key, size_t max, char **out, char *why,
    size_t whylen)
{
	json_t *v = json_object_get(o, key);
	const char *bad;
	char *t;

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_string(v)) {
		if ((bad = bad_text(json_string_value(v),
		    json_string_length(v), max)) != NULL) {
			snprintf(why, whylen, "%s: %s", key, bad);
			return -1;
		}
		return (*out = ctp_strdup(json_string_value(v))) ? 0 : -2;
	}
	/* detail may be an object, as the PSV log keeps details. */
	if (strcmp(key, "detail") == 0 && json_is_object(v)) {
		if ((t = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS |
		    JSON_ENSURE_ASCII)) == NULL)
			return -2;
		if (strlen(t) > max) {
			free(t);
			snprintf(why, whylen, "%s: too long", key);
			return -1;
		}
		*out = t;
		return 0;
	}
	snprintf(why, whylen, "%s: not a string", key);
	return -1;
}

int
ctp_verify_reply_parse(const char *s, size_t n, struct ctp_verify_reply *r,
    char *why, size_t whylen)
{
	json_error_t je;
	json_t *o;
	char day[11];
	int rc;

	memset(r, 0, sizeof(*r));
	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\n' ||
	    *s == '\r')) {
		s++;
		n--;
	}
	if (n == 0 || *s != '{') {
		snprintf(why, whylen, "printed no JSON object");
		return -1;
	}
	if ((o = json_loadb(s, n, JSON_REJECT_DUPLICATES, &je)) == NULL) {
		snprintf(why, whylen, "printed no valid JSON object (%s)",
		    strstr(je.text, "end of file expected") ?
		    "more after the object" : "malformed");
		return -1;
	}
	if (!json_is_object(o)) {
		json_decref(o);
		snprintf(why, whylen, "printed no JSON object");
		return -1;
	}
	if ((rc = str(o, "result", 32, &r->result, why, whylen)) != 0 ||
	    (rc = str(o, "source", CTP_VERIFY_SOURCE_MAX, &r->source, why,
	    whylen)) != 0 ||
	    (rc = str(o, "reference", CTP_VERIFY_REFERENCE_MAX, &r->reference,
	    why, whylen)) != 0 ||
	    (rc = str(o, "detail", CTP_VERIFY_DETAIL_MAX, &r->detail, why,
	    whylen)) != 0 ||
	    (rc = str(o, "source_date", 32, &r->source_date, why,
	    whylen)) != 0 ||
	    (rc = str(o, "method", 32, &r->method, why, whylen)) != 0)
		goto fail;
	rc = -1;
	if (r->result == NULL) {
		snprintf(why, whylen, "result: missing");
		goto fail;
	}
	if (ctp_str_index(ctp_psv_results, r->result) < 0) {
		snprintf(why, whylen, "result: not one of verified, "
		    "discrepancy, not_found, excluded, error");
		goto fail;
	}
	if (r->source != NULL && *r->source == '\0') {
		free(r->source);
		r->source = NULL;
	}
	if (r->method != NULL && ctp_str_index(ctp_psv_methods, r->method) <
	    0) {
		snprintf(why, whylen, "method: not one of api, web, phone, "
		    "letter, email, file");
		goto fail;
	}
	if (r->source_date != NULL) {
		if (ctp_check_date(r->source_date, day) != NULL ||
		    strcmp(day, r->source_date) != 0) {
			snprintf(why, whylen, "source_date: not a date "
			    "(YYYY-MM-DD)");
			goto fail;
		}
	}
	json_decref(o);
	return 0;
fail:
	json_decref(o);
	ctp_verify_reply_free(r);
	return rc;
}
