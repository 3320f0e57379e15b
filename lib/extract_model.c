/*
 * extract_model.c - the model extractor (extract_model.h): one POST to
 * the chat-completions endpoint through the fetch layer (fetch.h), the
 * body kept in memory up to CTP_MODEL_ANSWER_MAX, no retry (the add
 * waits for it), the organization's timeout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "extract_model.h"
#include "fetch.h"
#include "mem.h"
#include "org.h"

static const char prompt[] =
    "You read the text of a healthcare provider's credential document "
    "(a state license, DEA registration, malpractice declarations page "
    "or board certificate). Answer with one JSON object and nothing "
    "else, with these keys, each a string or null when the text does "
    "not state it: \"name\" (the provider's name), \"number\" (the "
    "license, DEA, policy or certificate number), \"authority\" (for a "
    "license the two-letter state code, else the issuing body or "
    "insurer), \"issued\" (issue or effective date, YYYY-MM-DD), "
    "\"expires\" (expiration date, YYYY-MM-DD).";

/* Strip a ```json fence a model may put around its object. */
static const char *
unfence(const char *s, size_t *n)
{
	const char *end;

	while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
		s++;
	if (strncmp(s, "```", 3) == 0) {
		s += 3;
		while (*s && *s != '\n')
			s++;
		if ((end = strstr(s, "```")) == NULL)
			end = s + strlen(s);
	} else
		end = s + strlen(s);
	*n = (size_t)(end - s);
	return s;
}

int
ctp_extract_model_parse(const char *content, const char *kind,
    struct ctp_extract *m)
{
	struct ctp_xvalue *v;
	json_t *o, *j;
	const char *s;
	size_t n;
	int f;

	memset(m, 0, sizeof(*m));
	s = unfence(content, &n);
	if ((o = json_loadb(s, n, JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return -1;
	if (!json_is_object(o)) {
		json_decref(o);
		return -1;
	}
	for (f = 0; f < CTP_X_N; f++) {
		v = &m->f[f];
		j = json_object_get(o, ctp_xfield_names[f]);
		if (!json_is_string(j) || ctp_extract_normalize((enum ctp_xfield)f,
		    kind, json_string_value(j), v->value) != 0) {
			v->value[0] = '\0';
			continue;
		}
		v->confidence = 70;
		snprintf(v->line, sizeof(v->line), "(model)");
	}
	json_decref(o);
	/* An expiration date must come after the issue date. */
	if (m->f[CTP_X_ISSUED].confidence && m->f[CTP_X_EXPIRES].confidence &&
	    strcmp(m->f[CTP_X_EXPIRES].value, m->f[CTP_X_ISSUED].value) <= 0) {
		m->f[CTP_X_EXPIRES].confidence = 0;
		m->f[CTP_X_EXPIRES].value[0] = '\0';
	}
	return 0;
}

/* The request body: the model, the prompt, the text (cut to size). */
static char *
request(const char *model, const char *text)
{
	size_t n = strlen(text);
	json_t *b, *t;
	char *s;

	if (n > CTP_MODEL_TEXT_MAX) {
		n = CTP_MODEL_TEXT_MAX;
		while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;	/* not inside a character */
	}
	if ((t = json_stringn(text, n)) == NULL)
		return NULL;
	b = json_pack("{s:s, s:i, s:[{s:s, s:s}, {s:s, s:o}]}", "model",
	    model, "temperature", 0, "messages", "role", "system", "content",
	    prompt, "role", "user", "content", t);
	if (b == NULL)
		return NULL;
	s = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	return s;
}

/* choices[0].message.content of the answer, or NULL. */
static const char *
content_of(json_t *a)
{
	json_t *c = json_array_get(json_object_get(a, "choices"), 0);

	return json_string_value(json_object_get(json_object_get(c, "message"),
	    "content"));
}

/* One POST; why filled when it fails. */
static int
ask(const char *url, const char *model, const char *key, long timeout,
    const char *text, const char *kind, struct ctp_extract *m, char *why,
    size_t n, struct ctp_error *e)
{
	struct ctp_buf body = CTP_BUF_INIT;
	struct ctp_fetch f;
	struct ctp_error fe;
	const char *hdr[3], *content;
	char *req, *auth = NULL;
	json_t *a;

	if ((req = request(model, text)) == NULL) {
		snprintf(why, n, "the text could not be sent (not UTF-8)");
		return 0;
	}
	hdr[0] = "Content-Type: application/json";
	hdr[1] = NULL;
	if (*key && (auth = ctp_asprintf("Authorization: Bearer %s", key)) ==
	    NULL) {
		free(req);
		return ctp_err_nomem(e, "model");
	}
	hdr[1] = auth;
	hdr[2] = NULL;
	memset(&f, 0, sizeof(f));
	f.url = url;
	f.what = "model";
	f.timeout = timeout;
	f.connect_timeout = timeout < 30 ? timeout : 30;
	f.stall_time = timeout;
	f.retries = 0;
	f.post = req;
	f.headers = hdr;
	f.mem = &body;
	f.max_bytes = CTP_MODEL_ANSWER_MAX;
	ctp_error_clear(&fe);
	if (ctp_fetch_file(&f, &fe) != 0)
		snprintf(why, n, "%s", fe.what);
	else if ((a = json_loadb(body.s ? body.s : "", body.len, 0, NULL)) ==
	    NULL)
		snprintf(why, n, "the answer is not JSON");
	else {
		if ((content = content_of(a)) == NULL)
			snprintf(why, n, "the answer has no message content");
		else if (ctp_extract_model_parse(content, kind, m) != 0)
			snprintf(why, n, "the message is not a JSON object of "
			    "the fields");
		json_decref(a);
	}
	ctp_fetch_clear(&f);
	ctp_buf_free(&body);
	if (auth != NULL) {
		memset(auth, 0, strlen(auth));
		free(auth);
	}
	free(req);
	return 0;
}

int
ctp_extract_model(sqlite3 *db, const char *text, const char *kind,
    struct ctp_extract *m, int *asked, char *why, size_t n,
    struct ctp_error *e)
{
	char *url = NULL, *model = NULL, *key = NULL;
	long timeout = 30;
	int rc;

	*asked = 0;
	*why = '\0';
	memset(m, 0, sizeof(*m));
	if ((rc = ctp_org_get(db, "extract_model_url", &url, e)) != 0)
		return rc;
	if (*url == '\0') {
		free(url);
		return 0;
	}
	if ((rc = ctp_org_get(db, "extract_model", &model, e)) == 0 &&
	    (rc = ctp_org_get(db, "extract_model_key", &key, e)) == 0 &&
	    (rc = ctp_org_get_long(db, "extract_model_timeout", &timeout,
	    e)) == 0) {
		*asked = 1;
		rc = ask(url, model, key, timeout, text, kind, m, why, n, e);
	}
	if (key != NULL)
		memset(key, 0, strlen(key));
	free(url);
	free(model);
	free(key);
	return rc;
}
