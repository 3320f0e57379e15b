/*
 * ctp-verify-http - the generic verifier of a board that answers JSON
 * (verify.h protocol).  Config: url (a template: {number}, {state},
 * {last_name}, {first_name}, {npi}, {kind}, each URL-escaped), the
 * dotted paths of the answer's fields (status, required; number,
 * expires, name, last_name, first_name, reference), active (the status
 * words of good standing), source, timeout (seconds), retries.  Fetched
 * through fetch.c (its one retry rule); HTTP 404 or an empty answer is
 * not_found.  Prints one answer and exits 0; 74 when the answer cannot
 * be written.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "board_check.h"
#include "buf.h"
#include "cli.h"
#include "date.h"
#include "err.h"
#include "fetch.h"
#include "priv.h"

#define ANSWER_MAX (1L << 20)	/* a board's answer about one license */

struct check {
	struct ctp_vreq r;
	char source[200];
	char today[CTP_DATE_LEN];
	char why[700];
};

/* The placeholder at p ("{name}"): its value from the request, or NULL. */
static const char *
placeholder(const struct ctp_vreq *r, const char *p, size_t *len)
{
	static const char *const names[] = { "number", "state", "last_name",
	    "first_name", "npi", "kind" };
	const char *v[] = { r->number, r->state, r->last, r->first, r->npi,
	    r->kind };
	size_t i, n;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		n = strlen(names[i]);
		if (strncmp(p + 1, names[i], n) == 0 && p[n + 1] == '}') {
			*len = n + 2;
			return v[i];
		}
	}
	return NULL;
}

/* The URL of the template, each placeholder's value escaped; NULL with
 * why set. */
static char *
make_url(struct check *k, const char *tmpl)
{
	struct ctp_buf b = { 0 };
	const char *p, *v;
	char *esc;
	size_t len;
	CURL *h;

	if (strncmp(tmpl, "http://", 7) != 0 &&
	    strncmp(tmpl, "https://", 8) != 0) {
		snprintf(k->why, sizeof(k->why), "config: url: not an http or "
		    "https address");
		return NULL;
	}
	if ((h = curl_easy_init()) == NULL) {
		snprintf(k->why, sizeof(k->why), "cannot initialize libcurl");
		return NULL;
	}
	if (ctp_secure())	/* no proxy from a hostile environment */
		curl_easy_setopt(h, CURLOPT_PROXY, "");
	for (p = tmpl; *p; p++) {
		if (*p != '{') {
			ctp_buf_putc(&b, *p);
			continue;
		}
		if ((v = placeholder(&k->r, p, &len)) == NULL) {
			snprintf(k->why, sizeof(k->why), "config: url: unknown "
			    "placeholder at \"%.20s\" (use {number}, {state}, "
			    "{last_name}, {first_name}, {npi}, {kind})", p);
			goto fail;
		}
		if ((esc = curl_easy_escape(h, v, 0)) == NULL)
			goto fail;
		ctp_buf_puts(&b, esc);
		curl_free(esc);
		p += len - 1;
	}
	curl_easy_cleanup(h);
	if (ctp_buf_putc(&b, '\0') == 0 && b.s)
		return b.s;
	snprintf(k->why, sizeof(k->why), "out of memory");
	ctp_buf_free(&b);
	return NULL;
fail:
	curl_easy_cleanup(h);
	ctp_buf_free(&b);
	return NULL;
}

/* The board's name for messages: config source, else the URL's host. */
static void
source_of(struct check *k, const char *tmpl)
{
	const char *s = ctp_vreq_config(&k->r, "source"), *h;
	size_t n;

	if (s && *s) {
		snprintf(k->source, sizeof(k->source), "%s", s);
		return;
	}
	h = strstr(tmpl, "://") + 3;
	n = strcspn(h, "/:?#{");
	snprintf(k->source, sizeof(k->source), "%.*s", (int)(n < 100 ? n :
	    100), h);
}

/*
 * The value at a dotted path of v ("license.status", "results.0.name"),
 * as text into out: 1, or 0 when there is none (missing, null, or not
 * text: an object, an array, a boolean).
 */
static int
at_path(json_t *v, const char *path, char *out, size_t n)
{
	char seg[128];
	const char *p = path, *dot;
	size_t len;

	while (v && *p) {
		dot = strchr(p, '.');
		len = dot ? (size_t)(dot - p) : strlen(p);
		snprintf(seg, sizeof(seg), "%.*s", (int)(len < 127 ? len :
		    127), p);
		if (json_is_object(v))
			v = json_object_get(v, seg);
		else if (json_is_array(v) && len > 0 &&
		    strspn(seg, "0123456789") == len)
			v = json_array_get(v, strtoul(seg, NULL, 10));
		else
			v = NULL;
		p = dot ? dot + 1 : p + len;
	}
	if (json_is_string(v))
		snprintf(out, n, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(out, n, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
	else
		return 0;
	return 1;
}

/* The fields the config names, read from one record of the answer. */
enum { H_NUMBER, H_LAST, H_FIRST, H_NAME, H_STATUS, H_EXPIRES, H_REF, H_NF };
static const char *const fkeys[H_NF] = { "number", "last_name",
    "first_name", "name", "status", "expires", "reference" };

struct fields {
	const char *path[H_NF];		/* from the config, or NULL */
	char val[H_NF][256];
};

/* Read each configured field of rec: 0, or -1 with why (one missing). */
static int
read_fields(struct check *k, struct fields *fl, json_t *rec)
{
	int i;

	for (i = 0; i < H_NF; i++) {
		fl->val[i][0] = '\0';
		if (fl->path[i] == NULL)
			continue;
		if (!at_path(rec, fl->path[i], fl->val[i], sizeof(fl->val[i]))
		    && i != H_REF) {
			snprintf(k->why, sizeof(k->why), "the answer has no "
			    "text at %.100s (config %s)", fl->path[i],
			    fkeys[i]);
			return -1;
		}
	}
	return 0;
}

/* The record of the answer about this license, or NULL when none. */
static json_t *
record_of(struct check *k, struct fields *fl, json_t *root)
{
	char want[128], got[128], v[256];
	size_t i;
	json_t *el;

	if (json_is_object(root))
		return json_object_size(root) ? root : NULL;
	if (!json_is_array(root) || json_array_size(root) == 0)
		return NULL;
	if (fl->path[H_NUMBER] == NULL)
		return json_array_get(root, 0);
	ctp_board_number_key(k->r.number, want, sizeof(want));
	json_array_foreach(root, i, el) {
		if (!at_path(el, fl->path[H_NUMBER], v, sizeof(v)))
			continue;
		ctp_board_number_key(v, got, sizeof(got));
		if (strcmp(got, want) == 0)
			return el;
	}
	return NULL;
}

static int
answer(struct check *k, const char *result, const char *ref,
    const char *detail)
{
	if (ctp_vanswer(stdout, result, "api", *k->source ? k->source : NULL,
	    ref, detail, *k->today ? k->today : NULL) < 0) {
		fprintf(stderr, "ctp-verify-http: stdout: write error\n");
		return CTP_IOERR;
	}
	return 0;
}

/* Hold the answer in file path against the request. */
static int
judge(struct check *k, struct fields *fl, const char *path, long long bytes)
{
	struct ctp_board_record b = { 0 };
	struct ctp_buf d = { 0 };
	json_error_t je;
	json_t *root, *rec;
	const char *res;
	int rc;

	if (bytes > ANSWER_MAX)
		return answer(k, "error", NULL, "the answer is larger than "
		    "1 MB: not one license");
	root = json_load_file(path, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	if (root == NULL) {
		if (je.position == 0 || strstr(je.text, "end of file")) {
			FILE *f = fopen(path, "r");
			int c = EOF;

			while (f && (c = getc(f)) != EOF && isspace(c))
				;
			if (f)
				fclose(f);
			if (c == EOF)
				return answer(k, "not_found", NULL, "the board "
				    "answered nothing");
		}
		snprintf(k->why, sizeof(k->why), "the answer is not JSON: "
		    "line %d: %.200s", je.line, je.text);
		return answer(k, "error", NULL, k->why);
	}
	if ((rec = record_of(k, fl, root)) == NULL) {
		json_decref(root);
		snprintf(k->why, sizeof(k->why), "the board has no license "
		    "%.100s", k->r.number);
		return answer(k, "not_found", NULL, k->why);
	}
	if (read_fields(k, fl, rec) != 0) {
		json_decref(root);
		return answer(k, "error", NULL, k->why);
	}
	json_decref(root);
	b.number = fl->path[H_NUMBER] ? fl->val[H_NUMBER] : NULL;
	b.last = fl->path[H_LAST] ? fl->val[H_LAST] : NULL;
	b.first = fl->path[H_FIRST] ? fl->val[H_FIRST] : NULL;
	b.name = fl->path[H_NAME] ? fl->val[H_NAME] : NULL;
	b.status = fl->val[H_STATUS];
	b.expires = fl->path[H_EXPIRES] ? fl->val[H_EXPIRES] : NULL;
	if (b.expires && *b.expires == '\0')
		b.expires = NULL;
	res = ctp_board_compare(&k->r, &b, ctp_vreq_config(&k->r, "active"),
	    &d);
	rc = answer(k, res ? res : "error", *fl->val[H_REF] ? fl->val[H_REF] :
	    b.number && *b.number ? b.number : k->r.number, res ? d.s ? d.s :
	    "" : "out of memory");
	ctp_buf_free(&d);
	return rc;
}

/* A whole number config value within [min, max], or def when not given. */
static int
config_long(struct check *k, const char *key, long min, long max, long def,
    long *out)
{
	const char *s = ctp_vreq_config(&k->r, key);

	*out = def;
	if (s == NULL || *s == '\0')
		return 0;
	if (ctp_parse_long(s, min, max, out) == 0)
		return 0;
	snprintf(k->why, sizeof(k->why), "config: %s: a whole number from "
	    "%ld to %ld", key, min, max);
	return -1;
}

static int
fetch_and_judge(struct check *k, struct fields *fl, const char *url)
{
	struct ctp_fetch f;
	struct ctp_error e;
	char tmp[4096];
	const char *dir = ctp_env("TMPDIR");
	long timeout, retries;
	int fd, rc;

	if (config_long(k, "timeout", 1, 600, 10, &timeout) != 0 ||
	    config_long(k, "retries", 0, 5, 1, &retries) != 0)
		return answer(k, "error", NULL, k->why);
	snprintf(tmp, sizeof(tmp), "%s/ctp-verify-http.XXXXXX",
	    dir && *dir ? dir : "/tmp");
	if ((fd = mkstemp(tmp)) < 0)
		return answer(k, "error", NULL, "cannot make a temporary file");
	close(fd);
	memset(&f, 0, sizeof(f));
	ctp_error_clear(&e);
	f.url = url;
	f.dest = tmp;
	f.what = k->source;
	f.timeout = timeout;
	f.connect_timeout = timeout < 10 ? timeout : 10;
	f.retries = (int)retries;
	f.backoff_ms = 500;
	rc = ctp_fetch_file(&f, &e);
	if (rc == 0)
		rc = judge(k, fl, tmp, f.bytes);
	else if (f.status == 404 || f.status == 410) {
		snprintf(k->why, sizeof(k->why), "the board has no license "
		    "%.100s (HTTP %ld)", k->r.number, f.status);
		rc = answer(k, "not_found", NULL, k->why);
	} else
		rc = answer(k, "error", NULL, e.what);
	unlink(tmp);
	ctp_fetch_clear(&f);
	return rc;
}

int
main(int argc, char **argv)
{
	struct check k;
	struct fields fl;
	const char *tmpl;
	char *url = NULL;
	int rc, i;

	ctp_cli_init(argc, argv);
	if (argc > 1) {
		fprintf(stderr, "usage: ctp-verify-http < REQUEST.json "
		    "(see ctp-verifiers(7))\n");
		return CTP_USAGE;
	}
	memset(&k, 0, sizeof(k));
	memset(&fl, 0, sizeof(fl));
	ctp_date_format(ctp_date_today(NULL), k.today);
	if (ctp_vreq_read(stdin, &k.r, k.why, sizeof(k.why)) != 0) {
		rc = answer(&k, "error", NULL, k.why);
		goto done;
	}
	if ((tmpl = ctp_vreq_config(&k.r, "url")) == NULL || *tmpl == '\0') {
		rc = answer(&k, "error", NULL, "config: url=TEMPLATE is "
		    "required");
		goto done;
	}
	for (i = 0; i < H_NF; i++)
		if ((fl.path[i] = ctp_vreq_config(&k.r, fkeys[i])) != NULL &&
		    *fl.path[i] == '\0')
			fl.path[i] = NULL;
	if (fl.path[H_STATUS] == NULL) {
		rc = answer(&k, "error", NULL, "config: status=PATH is "
		    "required (where the answer says the license's status)");
		goto done;
	}
	if ((url = make_url(&k, tmpl)) == NULL) {
		rc = answer(&k, "error", NULL, k.why);
		goto done;
	}
	source_of(&k, tmpl);
	rc = fetch_and_judge(&k, &fl, url);
done:
	free(url);
	ctp_vreq_free(&k.r);
	return rc;
}
