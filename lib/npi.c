/*
 * npi.c - the NPPES registry: API client, dissemination-file reader,
 * roster comparison and the mismatch queue.  See npi.h.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <csv.h>
#include <curl/curl.h>
#include <jansson.h>

#include "address.h"
#include "audit.h"
#include "buf.h"
#include "credential.h"
#include "date.h"
#include "db.h"
#include "input.h"
#include "mem.h"
#include "names.h"
#include "npi.h"
#include "org.h"
#include "psv.h"
#include "roster.h"
#include "validate.h"
#include "version.h"

#define MAX_BODY (8 * 1024 * 1024)	/* a registry answer is a few kB */

const struct ctp_col ctp_npi_rec_columns[] = {
	{ "npi", CTP_COL_STR },
	{ "entity_type", CTP_COL_STR },
	{ "status", CTP_COL_STR },
	{ "first_name", CTP_COL_STR },
	{ "middle_name", CTP_COL_STR },
	{ "last_name", CTP_COL_STR },
	{ "organization_name", CTP_COL_STR },
	{ "credential", CTP_COL_STR },
	{ "taxonomy", CTP_COL_STR },
	{ "taxonomy_desc", CTP_COL_STR },
	{ "license", CTP_COL_STR },
	{ "license_state", CTP_COL_STR },
	{ "practice_address", CTP_COL_STR },
	{ "practice_address_2", CTP_COL_STR },
	{ "practice_city", CTP_COL_STR },
	{ "practice_state", CTP_COL_STR },
	{ "practice_zip", CTP_COL_STR },
	{ "practice_phone", CTP_COL_STR },
	{ "enumeration_date", CTP_COL_STR },
	{ "last_updated", CTP_COL_STR },
	{ "deactivation_date", CTP_COL_STR },
};

void
ctp_npi_rec_clear(struct ctp_npi_rec *r)
{
	int i;

	for (i = 0; i < CTP_NPI_NFIELDS; i++)
		free(r->buf_[i]);
	memset(r, 0, sizeof(*r));
}

/* Every field absent, the storage kept for the next row. */
static void
ctp_npi_rec_reset(struct ctp_npi_rec *r)
{
	memset(r->f, 0, sizeof(r->f));
}

/* Set field k to s (n bytes), NULL for an empty value; -1 on no memory. */
static int
ctp_npi_rec_setn(struct ctp_npi_rec *r, int k, const char *s, size_t n)
{
	char *p;
	size_t cap;

	r->f[k] = NULL;
	if (s == NULL || n == 0)
		return 0;
	if (r->cap_[k] < n + 1) {
		cap = n + 1 < 32 ? 32 : n + 1;
		if ((p = ctp_realloc(r->buf_[k], cap)) == NULL)
			return -1;
		r->buf_[k] = p;
		r->cap_[k] = cap;
	}
	/* s may be this field's own storage (rec_set_date). */
	memmove(r->buf_[k], s, n);
	r->buf_[k][n] = '\0';
	r->f[k] = r->buf_[k];
	return 0;
}

static int
ctp_npi_rec_set(struct ctp_npi_rec *r, int k, const char *s)
{
	return ctp_npi_rec_setn(r, k, s, s ? strlen(s) : 0);
}

/* A date in any accepted form as YYYY-MM-DD; other text kept as is. */
static int
ctp_npi_rec_set_date(struct ctp_npi_rec *r, int k, const char *s)
{
	char d[CTP_DATE_LEN];

	if (s && *s && ctp_date_normalize(s, d) == 0)
		return ctp_npi_rec_set(r, k, d);
	return ctp_npi_rec_set(r, k, s);
}

static const char *
ctp_npi_rec_str(const struct ctp_npi_rec *r, int k)
{
	return r->f[k] ? r->f[k] : "";
}

/*
 * The first field of r that holds a control character (C0 or DEL), or
 * -1.  A registry answer with one is refused, as one that is not JSON
 * is: an escape sequence in a name would reach the mismatch queue, and
 * through accept the roster.  An address may span lines (LF or CRLF),
 * as a roster address may.
 */
static int
ctp_npi_rec_control(const struct ctp_npi_rec *r)
{
	const unsigned char *p;
	int k, lines;

	for (k = 0; k < CTP_NPI_NFIELDS; k++) {
		lines = k == CTP_NPI_PRACTICE_ADDRESS ||
		    k == CTP_NPI_PRACTICE_ADDRESS_2;
		for (p = (const unsigned char *)r->f[k]; p && *p; p++)
			if ((*p < 0x20 || *p == 0x7f) && !(lines &&
			    (*p == '\n' || (*p == '\r' && p[1] == '\n'))))
				return k;
	}
	return -1;
}

/* ---- the API's JSON ---- */

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

/* ---- the API client ---- */

void
ctp_npi_opts_default(struct ctp_npi_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->api_url = "https://npiregistry.cms.hhs.gov/api/";
	o->parallel = 8;
	o->rate = 10;
	o->retries = 3;
	o->backoff_ms = 500;
	o->connect_timeout_ms = 10000;
	o->timeout_ms = 30000;
}

static struct ctp_npi_stats last_stats;

void
ctp_npi_last_stats(struct ctp_npi_stats *s)
{
	*s = last_stats;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct xfer {
	CURL *h;
	size_t i;
	long attempt;
	int busy;
	int toobig;
	struct ctp_buf body;
	char errbuf[CURL_ERROR_SIZE];
};

struct retry {
	size_t i;
	long attempt;
	double due;
};

static size_t
on_body(char *p, size_t sz, size_t nm, void *arg)
{
	struct xfer *x = arg;
	size_t n = sz * nm;

	if (x->body.len + n > MAX_BODY) {
		x->toobig = 1;
		return 0;
	}
	if (ctp_buf_add(&x->body, p, n) < 0)
		return 0;
	return n;
}

static int
start_xfer(CURLM *m, struct xfer *x, const struct ctp_npi_opts *o,
    const char *npi, struct ctp_error *e)
{
	char *url;
	const char *sep;

	sep = strchr(o->api_url, '?') ? "&" : "?";
	url = ctp_asprintf("%s%sversion=2.1&number=%s", o->api_url, sep, npi);
	if (url == NULL)
		return ctp_err_nomem(e, "registry request");
	ctp_buf_reset(&x->body);
	x->toobig = 0;
	x->errbuf[0] = '\0';
	curl_easy_setopt(x->h, CURLOPT_URL, url);
	free(url);
	if (curl_multi_add_handle(m, x->h) != CURLM_OK)
		return ctp_errf(e, CTP_SOFTWARE, "curl",
		    "cannot add a request");
	x->busy = 1;
	return 0;
}

static int
is_transient(CURLcode c)
{
	switch (c) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return 1;
	default:
		return 0;
	}
}

int
ctp_npi_fetch(const struct ctp_npi_opts *o, const char *const *npis,
    size_t n, int (*cb)(void *arg, struct ctp_npi_result *r), void *arg,
    const struct ctp_progress *p, struct ctp_error *e)
{
	static int inited;
	CURLM *m = NULL;
	CURLMsg *msg;
	struct xfer *xs = NULL, *x;
	struct retry *rq = NULL;
	struct ctp_npi_result res;
	double *starts = NULL, t0, now, next_slot, interval, wait, due;
	size_t nx, nrq = 0, nexti = 0, done = 0, k, j, best, nstarts = 0;
	size_t win = 0;
	long code, active = 0;
	int rc = 0, left, retry, ready, maxw;

	memset(&last_stats, 0, sizeof(last_stats));
	if (n == 0)
		return 0;
	if (!inited) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return ctp_errf(e, CTP_SOFTWARE, "curl",
			    "cannot initialize");
		inited = 1;
	}
	nx = o->parallel > 0 ? (size_t)o->parallel : 1;
	if (nx > n)
		nx = n;
	xs = ctp_calloc(nx, sizeof(*xs));
	rq = ctp_calloc(n, sizeof(*rq));
	starts = ctp_calloc(n * (size_t)(o->retries + 1) + 1, sizeof(*starts));
	if (xs == NULL || rq == NULL || starts == NULL) {
		rc = ctp_err_nomem(e, "registry requests");
		goto out;
	}
	if ((m = curl_multi_init()) == NULL) {
		rc = ctp_errf(e, CTP_SOFTWARE, "curl", "cannot initialize");
		goto out;
	}
	curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)nx);
	for (k = 0; k < nx; k++) {
		if ((xs[k].h = curl_easy_init()) == NULL) {
			rc = ctp_errf(e, CTP_SOFTWARE, "curl",
			    "cannot initialize");
			goto out;
		}
		curl_easy_setopt(xs[k].h, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(xs[k].h, CURLOPT_WRITEDATA, &xs[k]);
		curl_easy_setopt(xs[k].h, CURLOPT_PRIVATE, &xs[k]);
		curl_easy_setopt(xs[k].h, CURLOPT_ERRORBUFFER, xs[k].errbuf);
		curl_easy_setopt(xs[k].h, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(xs[k].h, CURLOPT_CONNECTTIMEOUT_MS,
		    o->connect_timeout_ms);
		curl_easy_setopt(xs[k].h, CURLOPT_TIMEOUT_MS, o->timeout_ms);
		curl_easy_setopt(xs[k].h, CURLOPT_USERAGENT,
		    "ctp-npi/" CTP_VERSION);
		curl_easy_setopt(xs[k].h, CURLOPT_ACCEPT_ENCODING, "");
		curl_easy_setopt(xs[k].h, CURLOPT_PROTOCOLS_STR, "http,https");
	}
	interval = o->rate > 0 ? 1.0 / o->rate : 0;
	t0 = now_s();
	next_slot = t0;
	while (done < n) {
		now = now_s();
		/* Start what the cap on requests per second allows. */
		for (;;) {
			if (active >= (long)nx)
				break;
			best = (size_t)-1;
			for (j = 0; j < nrq; j++)
				if (rq[j].due <= now && (best == (size_t)-1 ||
				    rq[j].due < rq[best].due))
					best = j;
			if (best == (size_t)-1 && nexti >= n)
				break;
			if (interval > 0 && now < next_slot)
				break;
			for (k = 0; k < nx && xs[k].busy; k++)
				;
			x = &xs[k];
			if (best != (size_t)-1) {
				x->i = rq[best].i;
				x->attempt = rq[best].attempt;
				rq[best] = rq[--nrq];
				last_stats.retries++;
			} else {
				x->i = nexti++;
				x->attempt = 0;
			}
			if ((rc = start_xfer(m, x, o, npis[x->i], e)) != 0)
				goto out;
			active++;
			starts[nstarts++] = now;
			last_stats.requests++;
			if (interval > 0)
				next_slot = (next_slot > now ? next_slot :
				    now) + interval;
		}
		if (curl_multi_perform(m, &left) != CURLM_OK) {
			rc = ctp_errf(e, CTP_SOFTWARE, "curl",
			    "transfer failed");
			goto out;
		}
		while ((msg = curl_multi_info_read(m, &left)) != NULL) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
			    (char **)&x);
			curl_multi_remove_handle(m, x->h);
			x->busy = 0;
			active--;
			memset(&res, 0, sizeof(res));
			res.i = x->i;
			res.attempts = x->attempt + 1;
			code = 0;
			curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &code);
			retry = 0;
			if (msg->data.result != CURLE_OK) {
				retry = is_transient(msg->data.result);
				ctp_errf(&res.err, CTP_UNAVAILABLE, npis[x->i],
				    "registry unreachable: %s", x->toobig ?
				    "answer too large" :
				    curl_easy_strerror(msg->data.result));
				res.status = CTP_UNAVAILABLE;
			} else if (code == 429 || code >= 500) {
				retry = 1;
				ctp_errf(&res.err, CTP_UNAVAILABLE, npis[x->i],
				    "registry answered HTTP %ld", code);
				res.status = CTP_UNAVAILABLE;
			} else if (code != 200) {
				ctp_errf(&res.err, CTP_UNAVAILABLE, npis[x->i],
				    "registry answered HTTP %ld", code);
				res.status = CTP_UNAVAILABLE;
			} else
				res.status = ctp_npi_parse_api(x->body.s ?
				    x->body.s : "", x->body.len, npis[x->i],
				    &res.rec, &res.found, &res.err);
			if (retry && x->attempt < o->retries) {
				due = now_s() + o->backoff_ms / 1000.0 *
				    (double)(1L << (x->attempt < 10 ?
				    x->attempt : 10));
				rq[nrq].i = x->i;
				rq[nrq].attempt = x->attempt + 1;
				rq[nrq].due = due;
				nrq++;
				continue;
			}
			if (retry && o->retries > 0) {
				size_t wl = strlen(res.err.what);

				snprintf(res.err.what + wl,
				    sizeof(res.err.what) - wl,
				    " after %ld %s", x->attempt + 1,
				    ctp_plural(x->attempt + 1, "try", "tries"));
			}
			done++;
			rc = cb(arg, &res);
			ctp_npi_rec_clear(&res.rec);
			if (rc != 0)
				goto out;
		}
		ctp_progress_tell(p, NULL, CTP_PROGRESS_ITEMS, (long long)done,
		    (long long)n, 0);
		now = now_s();
		if (done >= n)
			break;
		/* Sleep till a transfer moves, a retry is due, a slot opens. */
		wait = 0.1;
		ready = active < (long)nx && nexti < n;
		for (j = 0; j < nrq; j++) {
			if (rq[j].due <= now)
				ready = active < (long)nx;
			else if (rq[j].due - now < wait)
				wait = rq[j].due - now;
		}
		if (ready)
			wait = interval > 0 && next_slot > now ?
			    next_slot - now : 0;
		if (wait > 0.1)
			wait = 0.1;
		maxw = (int)ceil(wait * 1000);
		if (curl_multi_poll(m, NULL, 0, maxw, NULL) != CURLM_OK) {
			rc = ctp_errf(e, CTP_SOFTWARE, "curl", "poll failed");
			goto out;
		}
	}
	last_stats.seconds = now_s() - t0;
	/* Most requests started within any one second. */
	for (k = 0, win = 0; k < nstarts; k++) {
		while (starts[k] - starts[win] >= 1.0)
			win++;
		if ((double)(k - win + 1) > last_stats.max_rate)
			last_stats.max_rate = (double)(k - win + 1);
	}
out:
	ctp_progress_tell(p, NULL, CTP_PROGRESS_ITEMS, (long long)done,
	    (long long)n, 1);
	if (xs != NULL)
		for (k = 0; k < nx; k++) {
			if (xs[k].busy)
				curl_multi_remove_handle(m, xs[k].h);
			if (xs[k].h)
				curl_easy_cleanup(xs[k].h);
			ctp_buf_free(&xs[k].body);
		}
	if (m)
		curl_multi_cleanup(m);
	free(xs);
	free(rq);
	free(starts);
	return rc;
}

/* ---- the dissemination file ---- */

#define BULK_NCOLS 330
#define BULK_NTAX 15
#define READ_CHUNK (256 << 10)
#define MAX_LINE (16 << 20)

enum {
	R_NONE = 0,
	R_FIELD = 1,		/* + CTP_NPI_x, stored as is */
	R_ETYPE = 100,
	R_ENUM_DATE,
	R_LAST_UPD,
	R_DEACT_DATE,
	R_REACT_DATE,
	R_TAX = 200	/* + 4 * slot + (0 code, 1 license, 2 state, 3 flag) */
};

static const struct {
	const char *name;
	int role;
} bulk_cols[] = {
	{ "NPI", R_FIELD + CTP_NPI_NPI },
	{ "Entity Type Code", R_ETYPE },
	{ "Provider Organization Name (Legal Business Name)",
	    R_FIELD + CTP_NPI_ORGANIZATION_NAME },
	{ "Provider Last Name (Legal Name)", R_FIELD + CTP_NPI_LAST_NAME },
	{ "Provider First Name", R_FIELD + CTP_NPI_FIRST_NAME },
	{ "Provider Middle Name", R_FIELD + CTP_NPI_MIDDLE_NAME },
	{ "Provider Credential Text", R_FIELD + CTP_NPI_CREDENTIAL },
	{ "Provider First Line Business Practice Location Address",
	    R_FIELD + CTP_NPI_PRACTICE_ADDRESS },
	{ "Provider Second Line Business Practice Location Address",
	    R_FIELD + CTP_NPI_PRACTICE_ADDRESS_2 },
	{ "Provider Business Practice Location Address City Name",
	    R_FIELD + CTP_NPI_PRACTICE_CITY },
	{ "Provider Business Practice Location Address State Name",
	    R_FIELD + CTP_NPI_PRACTICE_STATE },
	{ "Provider Business Practice Location Address Postal Code",
	    R_FIELD + CTP_NPI_PRACTICE_ZIP },
	{ "Provider Business Practice Location Address Telephone Number",
	    R_FIELD + CTP_NPI_PRACTICE_PHONE },
	{ "Provider Enumeration Date", R_ENUM_DATE },
	{ "Last Update Date", R_LAST_UPD },
	{ "NPI Deactivation Date", R_DEACT_DATE },
	{ "NPI Reactivation Date", R_REACT_DATE },
};

struct ctp_npi_bulk {
	int fd;
	char *name;
	char *buf;
	size_t cap, start, end;
	int eof;
	long long lines;
	long long size, done_bytes;
	const struct ctp_progress *progress;
	short role[BULK_NCOLS];
	struct csv_parser p;
	/* the row being parsed */
	struct ctp_npi_rec *rec;
	size_t nf;
	int row_done;
	int nomem;
	char tax[BULK_NTAX][4][24];
	char deact[16], react[16];
};

/* Read more into the buffer; 0, or -1 with errno. */
static int
bulk_fill(struct ctp_npi_bulk *b)
{
	ssize_t r;
	char *nb;

	if (b->start > 0) {
		memmove(b->buf, b->buf + b->start, b->end - b->start);
		b->end -= b->start;
		b->start = 0;
	}
	if (b->cap - b->end < READ_CHUNK / 4) {
		if (b->cap >= MAX_LINE) {
			errno = EFBIG;
			return -1;
		}
		if ((nb = ctp_realloc(b->buf, b->cap * 2)) == NULL)
			return -1;
		b->buf = nb;
		b->cap *= 2;
	}
	do
		r = read(b->fd, b->buf + b->end, b->cap - b->end);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -1;
	if (r == 0)
		b->eof = 1;
	b->end += (size_t)r;
	b->done_bytes += r;
	ctp_progress_tell(b->progress, "reading the registry file",
	    CTP_PROGRESS_BYTES, b->done_bytes, b->size, 0);
	return 0;
}

/*
 * The next physical line (with its '\n').  1 with *p, *n and *nl (0 when
 * the file ends without a line end), 0 at the end, -1 on a read error.
 */
static int
bulk_line(struct ctp_npi_bulk *b, char **p, size_t *n, int *nl)
{
	char *q;

	for (;;) {
		q = memchr(b->buf + b->start, '\n', b->end - b->start);
		if (q != NULL) {
			*p = b->buf + b->start;
			*n = (size_t)(q - *p) + 1;
			*nl = 1;
			b->start += *n;
			b->lines++;
			return 1;
		}
		if (b->eof) {
			if (b->start == b->end)
				return 0;
			*p = b->buf + b->start;
			*n = b->end - b->start;
			*nl = 0;
			b->start = b->end;
			b->lines++;
			return 1;
		}
		if (bulk_fill(b) < 0)
			return -1;
	}
}

/*
 * The file's MM/DD/YYYY (exactly 10 bytes) as YYYY-MM-DD, what
 * ctp_date_normalize gives for a valid date, without its printf; -1 for
 * anything else (the caller then takes the general way).
 */
static int
date_mdy(const char *s, char out[CTP_DATE_LEN])
{
	static const int at[8] = { 0, 1, 3, 4, 6, 7, 8, 9 };
	int i, y, m, d;

	if (s[2] != '/' || s[5] != '/')
		return -1;
	for (i = 0; i < 8; i++)
		if (s[at[i]] < '0' || s[at[i]] > '9')
			return -1;
	m = (s[0] - '0') * 10 + (s[1] - '0');
	d = (s[3] - '0') * 10 + (s[4] - '0');
	y = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 +
	    (s[9] - '0');
	if (!ctp_date_valid(y, m, d))
		return -1;
	memcpy(out, s + 6, 4);
	out[4] = '-';
	memcpy(out + 5, s, 2);
	out[7] = '-';
	memcpy(out + 8, s + 3, 2);
	out[10] = '\0';
	return 0;
}

/* One needed field of a roster row (role not R_NONE) into the record. */
static void
bulk_value(struct ctp_npi_bulk *b, int role, const char *v, size_t n)
{
	int k, slot;
	char *dec = NULL;

	if (b->nomem)
		return;
	/* The file is Latin-1 where it is not ASCII (values are short). */
	if (!ctp_utf8_valid(v, n)) {
		if (ctp_decode(CTP_ENC_LATIN1, v, n, &dec) < 0) {
			b->nomem = 1;
			return;
		}
		v = dec;
		n = strlen(dec);
	}
	if (role >= R_TAX) {
		slot = (role - R_TAX) / 4;
		k = (role - R_TAX) % 4;
		if (n >= sizeof(b->tax[slot][k]))
			n = sizeof(b->tax[slot][k]) - 1;
		memcpy(b->tax[slot][k], v, n);
		b->tax[slot][k][n] = '\0';
	} else if (role >= R_FIELD && role < R_ETYPE) {
		if (ctp_npi_rec_setn(b->rec, role - R_FIELD, v, n) < 0)
			b->nomem = 1;
	} else if (role == R_ETYPE) {
		if (n == 1 && (*v == '1' || *v == '2'))
			b->nomem |= ctp_npi_rec_set(b->rec, CTP_NPI_ENTITY_TYPE,
			    *v == '1' ? "NPI-1" : "NPI-2") < 0;
	} else if (role == R_DEACT_DATE || role == R_REACT_DATE) {
		char *d = role == R_DEACT_DATE ? b->deact : b->react;

		if (n >= sizeof(b->deact))
			n = sizeof(b->deact) - 1;
		memcpy(d, v, n);
		d[n] = '\0';
	} else {
		char tmp[32];

		k = role == R_ENUM_DATE ? CTP_NPI_ENUMERATION_DATE :
		    CTP_NPI_LAST_UPDATED;
		if (n == 10 && date_mdy(v, tmp) == 0)
			b->nomem |= ctp_npi_rec_setn(b->rec, k, tmp, 10) < 0;
		else {
			if (n >= sizeof(tmp))
				n = sizeof(tmp) - 1;
			memcpy(tmp, v, n);
			tmp[n] = '\0';
			b->nomem |= ctp_npi_rec_set_date(b->rec, k, tmp) < 0;
		}
	}
	if (dec != NULL)
		free(dec);
}

static void
bulk_field(void *s, size_t n, void *arg)
{
	struct ctp_npi_bulk *b = arg;
	int role;

	if (b->nf >= BULK_NCOLS) {
		b->nf++;
		return;
	}
	role = b->role[b->nf++];
	if (role != R_NONE)
		bulk_value(b, role, s, n);
}

/*
 * A roster row that is one line of plain fields, without libcsv: each
 * field either "text" (no quote inside) or unquoted text with no quote
 * and no space or tab at either end, separated by commas, the line
 * ending in \n or \r\n.  For such a line libcsv would give exactly these
 * values; only the needed columns are looked at, the rest only counted.
 * 0 with b->nf set, or -1 (nothing kept) when the line is anything else:
 * a quote inside a field, a field going on to the next line, stray
 * white space, a lone \r.  The caller then parses the row with libcsv.
 */
#define EMPTY8 "\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\","

/* Eight empty fields at p: three word compares. */
static inline int
empty8(const char *p)
{
	static const char e[] = EMPTY8;
	uint64_t a[3], b[3];

	memcpy(a, p, 24);
	memcpy(b, e, 24);
	return ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2])) == 0;
}

static int
bulk_fast_row(struct ctp_npi_bulk *b, const char *p, size_t len)
{
	const char *end = p + len - 1;	/* the '\n' */
	const char *q, *v;
	size_t nf = 0, n;
	int role;

	if (end > p && end[-1] == '\r')
		end--;
	for (;;) {
		/*
		 * Most fields are empty ("" and a comma), in runs: counted
		 * eight (24 bytes, three words) or two at a time.  An empty
		 * value sets nothing (the row starts with every field
		 * absent), so none is looked at.
		 */
		while (end - p >= 24 && empty8(p)) {
			nf += 8;
			p += 24;
		}
		while (end - p >= 6 && memcmp(p, EMPTY8, 6) == 0) {
			nf += 2;
			p += 6;
		}
		if (end - p >= 3 && memcmp(p, "\"\",", 3) == 0) {
			nf++;
			p += 3;
			continue;
		}
		if (end - p == 2 && p[0] == '"' && p[1] == '"') {
			nf++;
			break;
		}
		if (*p == '"') {
			v = p + 1;
			if ((q = memchr(v, '"', (size_t)(end - v))) == NULL)
				return -1;
			n = (size_t)(q - v);
			p = q + 1;
		} else {
			v = p;
			while (p < end && *p != ',' && *p != '"' && *p != '\r')
				p++;
			n = (size_t)(p - v);
			if (n > 0 && (v[0] == ' ' || v[0] == '\t' ||
			    p[-1] == ' ' || p[-1] == '\t'))
				return -1;
		}
		if (p < end && *p != ',')
			return -1;
		if (nf < BULK_NCOLS && (role = b->role[nf]) != R_NONE)
			bulk_value(b, role, v, n);
		nf++;
		if (p == end)
			break;
		p++;
	}
	b->nf = nf;
	return 0;
}

static void
bulk_row(int term, void *arg)
{
	struct ctp_npi_bulk *b = arg;

	(void)term;
	b->row_done = 1;
}

static void
hdr_field(void *s, size_t n, void *arg)
{
	struct ctp_npi_bulk *b = arg;
	char name[128];
	size_t i;
	int k, slot;

	if (b->nf >= BULK_NCOLS) {
		b->nf++;
		return;
	}
	snprintf(name, sizeof(name), "%.*s", (int)n, (char *)s);
	/* A UTF-8 byte order mark before the first name. */
	if (b->nf == 0 && strncmp(name, "\xef\xbb\xbf", 3) == 0)
		memmove(name, name + 3, strlen(name + 3) + 1);
	for (i = 0; i < sizeof(bulk_cols) / sizeof(bulk_cols[0]); i++)
		if (strcmp(name, bulk_cols[i].name) == 0)
			b->role[b->nf] = (short)bulk_cols[i].role;
	if (sscanf(name, "Healthcare Provider Taxonomy Code_%d", &slot) == 1)
		k = 0;
	else if (sscanf(name, "Provider License Number State Code_%d",
	    &slot) == 1)
		k = 2;
	else if (sscanf(name, "Provider License Number_%d", &slot) == 1)
		k = 1;
	else if (sscanf(name, "Healthcare Provider Primary Taxonomy Switch_%d",
	    &slot) == 1)
		k = 3;
	else
		k = -1;
	if (k >= 0 && slot >= 1 && slot <= BULK_NTAX)
		b->role[b->nf] = (short)(R_TAX + 4 * (slot - 1) + k);
	b->nf++;
}

int
ctp_npi_bulk_open(struct ctp_npi_bulk **out, const char *path,
    const struct ctp_progress *progress, struct ctp_error *e)
{
	struct ctp_npi_bulk *b;
	struct stat sb;
	char *p;
	size_t n, i, need;
	int nl, r, rc = 0, seen[256];

	*out = NULL;
	if ((b = ctp_calloc(1, sizeof(*b))) == NULL)
		return ctp_err_nomem(e, path);
	b->fd = -1;
	if ((b->name = ctp_strdup(path)) == NULL ||
	    (b->buf = ctp_malloc(READ_CHUNK)) == NULL) {
		rc = ctp_err_nomem(e, path);
		goto fail;
	}
	b->cap = READ_CHUNK;
	if ((b->fd = open(path, O_RDONLY)) < 0) {
		rc = ctp_errf(e, errno == ENOENT ? CTP_NOINPUT : CTP_IOERR,
		    path, "%s", strerror(errno));
		goto fail;
	}
	if (fstat(b->fd, &sb) == 0)
		b->size = sb.st_size;
	posix_fadvise(b->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	if (csv_init(&b->p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		rc = ctp_err_nomem(e, path);
		goto fail;
	}
	b->progress = progress;
	if ((r = bulk_line(b, &p, &n, &nl)) < 0) {
		rc = ctp_errf(e, CTP_IOERR, path, "%s", strerror(errno));
		goto fail_csv;
	}
	if (r == 0) {
		rc = ctp_errf(e, CTP_DATAERR, path, "empty file");
		goto fail_csv;
	}
	if (n >= 2 && p[0] == 'P' && p[1] == 'K') {
		rc = ctp_errf(e, CTP_DATAERR, path, "a zip archive: unzip it "
		    "and give the npidata_pfile CSV");
		goto fail_csv;
	}
	b->nf = 0;
	b->row_done = 0;
	if (csv_parse(&b->p, p, n, hdr_field, bulk_row, b) != n ||
	    (!b->row_done && csv_fini(&b->p, hdr_field, bulk_row, b) != 0)) {
		rc = ctp_errf(e, CTP_DATAERR, path,
		    "line 1: header is not valid CSV");
		goto fail_csv;
	}
	if (b->nf != BULK_NCOLS) {
		rc = ctp_errf(e, CTP_DATAERR, path, "not an NPPES "
		    "dissemination file: header has %zu %s, expected %d", b->nf,
		    ctp_plural((long long)b->nf, "column", "columns"),
		    BULK_NCOLS);
		goto fail_csv;
	}
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < BULK_NCOLS; i++)
		if (b->role[i] > 0 && b->role[i] < 256)
			seen[b->role[i]] = 1;
	need = 0;
	for (i = 0; i < sizeof(bulk_cols) / sizeof(bulk_cols[0]); i++)
		if (!seen[bulk_cols[i].role]) {
			rc = ctp_errf(e, CTP_DATAERR, path, "not an NPPES "
			    "dissemination file: no column \"%s\"",
			    bulk_cols[i].name);
			goto fail_csv;
		}
	for (i = 0; i < BULK_NCOLS; i++)
		if (b->role[i] >= R_TAX)
			need++;
	if (b->role[0] != R_FIELD + CTP_NPI_NPI || need != 4 * BULK_NTAX) {
		rc = ctp_errf(e, CTP_DATAERR, path, "not an NPPES "
		    "dissemination file: NPI is not the first column or "
		    "taxonomy columns are missing");
		goto fail_csv;
	}
	*out = b;
	return 0;
fail_csv:
	csv_free(&b->p);
fail:
	if (b->fd >= 0)
		close(b->fd);
	free(b->name);
	free(b->buf);
	free(b);
	return rc;
}

/* Ten ASCII digits at s as a number in *k: 1, or 0 if any is not a digit. */
static int
digits10(const char *s, uint64_t *k)
{
	uint64_t v = 0;
	unsigned d;
	int i;

	for (i = 0; i < 10; i++) {
		if ((d = (unsigned)(unsigned char)s[i] - '0') > 9)
			return 0;
		v = v * 10 + d;
	}
	*k = v;
	return 1;
}

/* An NPI, ten digits and the end of the string, as a number in *k; 1 or 0. */
static int
ctp_npi_key(const char *s, uint64_t *k)
{
	return digits10(s, k) && s[10] == '\0';
}

/* Is k in the set (n sorted keys)? */
static int
in_set(const uint64_t *set, size_t n, uint64_t k)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (set[mid] < k)
			lo = mid + 1;
		else if (set[mid] > k)
			hi = mid;
		else
			return 1;
	}
	return 0;
}

/* The row's primary taxonomy, license and deactivation into rec. */
static int
bulk_finish_row(struct ctp_npi_bulk *b)
{
	int i, best = -1, nonempty = 0;
	char d[CTP_DATE_LEN];
	long dd, rd;

	for (i = 0; i < BULK_NTAX; i++) {
		if (b->tax[i][0][0] == '\0')
			continue;
		nonempty++;
		if (best < 0 && strcmp(b->tax[i][3], "Y") == 0)
			best = i;
	}
	if (best < 0 && nonempty >= 1)
		for (i = 0; i < BULK_NTAX && best < 0; i++)
			if (b->tax[i][0][0])
				best = i;
	if (best >= 0 && (ctp_npi_rec_set(b->rec, CTP_NPI_TAXONOMY,
	    b->tax[best][0]) || ctp_npi_rec_set(b->rec, CTP_NPI_LICENSE,
	    b->tax[best][1]) || ctp_npi_rec_set(b->rec, CTP_NPI_LICENSE_STATE,
	    b->tax[best][2])))
		return -1;
	/* Deactivated unless reactivated on or after the deactivation. */
	if (b->deact[0] && ctp_date_parse(b->deact, &dd) == 0) {
		if (b->react[0] == '\0' || ctp_date_parse(b->react, &rd) < 0 ||
		    rd < dd) {
			ctp_date_format(dd, d);
			if (ctp_npi_rec_set(b->rec, CTP_NPI_DEACTIVATION_DATE,
			    d) ||
			    ctp_npi_rec_set(b->rec, CTP_NPI_STATUS, "D"))
				return -1;
			return 0;
		}
	}
	return ctp_npi_rec_set(b->rec, CTP_NPI_STATUS, "A");
}

/* The quoted NPI that starts a row, as a number in *k; 0 if there is none. */
static int
npi_start(const char *p, size_t n, uint64_t *k)
{
	if (n < 13 || p[0] != '"' || p[11] != '"' || p[12] != ',')
		return 0;
	return digits10(p + 1, k);
}

int
ctp_npi_bulk_next(struct ctp_npi_bulk *b, const uint64_t *set, size_t n,
    struct ctp_npi_rec *rec, struct ctp_error *e)
{
	char *p, where[300];
	size_t len, start;
	uint64_t key;
	int nl, r;

	for (;;) {
		if ((r = bulk_line(b, &p, &len, &nl)) < 0)
			return ctp_errf(e, CTP_IOERR, b->name, "%s",
			    strerror(errno));
		if (r == 0)
			return 0;
		if (!nl) {
			snprintf(where, sizeof(where), "%s:%lld", b->name,
			    b->lines);
			return ctp_errf(e, CTP_DATAERR, where, "truncated "
			    "file: the last line has no line end");
		}
		if (len == 1 || (len == 2 && p[0] == '\r'))
			continue;	/* a blank line */
		/* The cheap test: the quoted NPI at the start of the line. */
		if (!npi_start(p, len, &key)) {
			snprintf(where, sizeof(where), "%s:%lld", b->name,
			    b->lines);
			return ctp_errf(e, CTP_DATAERR, where, "no NPI at the "
			    "start of the line");
		}
		if (!in_set(set, n, key))
			continue;
		/* A roster row: parse all of it (it may span lines). */
		ctp_npi_rec_reset(rec);
		b->rec = rec;
		b->nf = 0;
		b->row_done = 0;
		b->nomem = 0;
		memset(b->tax, 0, sizeof(b->tax));
		b->deact[0] = b->react[0] = '\0';
		start = (size_t)b->lines;
		if (bulk_fast_row(b, p, len) == 0)
			b->row_done = 1;
		else {
			/* Not a plain line: start again with libcsv. */
			ctp_npi_rec_reset(rec);
			b->nf = 0;
			b->nomem = 0;
			memset(b->tax, 0, sizeof(b->tax));
			b->deact[0] = b->react[0] = '\0';
		}
		while (!b->row_done) {
			if (csv_parse(&b->p, p, len, bulk_field, bulk_row, b) !=
			    len) {
				snprintf(where, sizeof(where), "%s:%zu",
				    b->name, start);
				return ctp_errf(e, CTP_DATAERR, where,
				    "malformed CSV: %s",
				    csv_strerror(csv_error(&b->p)));
			}
			if (b->row_done)
				break;
			if ((r = bulk_line(b, &p, &len, &nl)) < 0)
				return ctp_errf(e, CTP_IOERR, b->name, "%s",
				    strerror(errno));
			if (r == 0 || !nl) {
				snprintf(where, sizeof(where), "%s:%zu",
				    b->name, start);
				return ctp_errf(e, CTP_DATAERR, where,
				    "truncated file: the record does not end");
			}
		}
		if (b->nomem || bulk_finish_row(b) < 0) {
			snprintf(where, sizeof(where), "%s:%zu", b->name,
			    start);
			return ctp_err_nomem(e, where);
		}
		if (b->nf != BULK_NCOLS) {
			snprintf(where, sizeof(where), "%s:%zu", b->name,
			    start);
			return ctp_errf(e, CTP_DATAERR, where, "%zu %s, "
			    "expected %d (truncated or not the same file "
			    "version)", b->nf, ctp_plural((long long)b->nf,
			    "column", "columns"), BULK_NCOLS);
		}
		if ((r = ctp_npi_rec_control(rec)) >= 0) {
			snprintf(where, sizeof(where), "%s:%zu", b->name,
			    start);
			return ctp_errf(e, CTP_DATAERR, where, "%s: contains "
			    "control characters", ctp_npi_rec_columns[r].name);
		}
		return 1;
	}
}

long long
ctp_npi_bulk_lines(const struct ctp_npi_bulk *b)
{
	return b->lines;
}

void
ctp_npi_bulk_close(struct ctp_npi_bulk *b)
{
	if (b == NULL)
		return;
	ctp_progress_tell(b->progress, "reading the registry file",
	    CTP_PROGRESS_BYTES, b->done_bytes, b->size, 1);
	csv_free(&b->p);
	close(b->fd);
	free(b->name);
	free(b->buf);
	free(b);
}

/* ---- comparing with the roster ---- */

/* Upper-case letters and digits only: "O'Brien" and "OBRIEN" agree. */
static void
fold(const char *s, char *out, size_t n, int strip_zeros)
{
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	for (; *p && o + 1 < n; p++) {
		if (!isalnum(*p) && *p < 0x80)
			continue;
		if (strip_zeros && o == 0 && *p == '0')
			continue;
		out[o++] = (char)toupper(*p);
	}
	out[o] = '\0';
}

/*
 * Name parts transliterated to ASCII (names.h), spaces dropped.  Non-ASCII
 * goes through the one iconv descriptor of the process (names.c), which
 * is not for two threads at once: names are compared on one thread.
 */
static void
name_key(const char *s, char *out, size_t n)
{
	char tmp[256];

	ctp_name_norm(s ? s : "", tmp, sizeof(tmp));
	fold(tmp, out, n, 0);
}

/*
 * Set up the transliteration before a second thread starts: its first
 * use calls setlocale (names.c), which is not safe while another thread
 * runs.
 */
static void
ctp_npi_name_warm(void)
{
	char k[64];

	name_key("\xc3\xa9", k, sizeof(k));
}

int
ctp_npi_name_same(const char *a, const char *b)
{
	char fa[256], fb[256];

	/*
	 * The common case first: the same text but for case (fold keeps
	 * the same bytes upper-cased), or the same letters and digits.
	 */
	if (a != NULL && b != NULL && strcasecmp(a, b) == 0)
		return 1;
	fold(a, fa, sizeof(fa), 0);
	fold(b, fb, sizeof(fb), 0);
	if (strcmp(fa, fb) == 0)
		return 1;
	name_key(a, fa, sizeof(fa));
	name_key(b, fb, sizeof(fb));
	return strcmp(fa, fb) == 0;
}

int
ctp_npi_license_same(const char *a, const char *b)
{
	char fa[128], fb[128];

	/* Equal but for case: equal folded too (the usual case). */
	if (a != NULL && b != NULL && strcasecmp(a, b) == 0)
		return 1;
	fold(a, fa, sizeof(fa), 1);
	fold(b, fb, sizeof(fb), 1);
	return strcmp(fa, fb) == 0;
}

/*
 * A roster provider as the comparison sees it: plain strings (NULL or ""
 * when empty) and the active state licenses.  No database.
 */
struct ctp_npi_license {
	const char *number;
	const char *state;
};

struct ctp_npi_provider {
	const char *npi;
	const char *first_name;
	const char *last_name;
	const char *taxonomy;
	const char *address;		/* practice location */
	const char *city;
	const char *state;
	const char *zip;
	const char *status;		/* active, inactive, ... */
	const struct ctp_npi_license *licenses;
	size_t nlicenses;
};

/* One provider of the roster. */
struct ctp_npi_entry {
	struct ctp_npi_provider p;	/* strings in the roster's blocks */
	long long id;
	uint64_t key;			/* the NPI as a number */
	unsigned char open;		/* has open mismatches */
	unsigned char want;		/* to be checked in this run */
	unsigned char seen;		/* answered (found, absent or failed) */
};

struct ctp_npi_rkey {
	uint64_t key;
	struct ctp_npi_entry *x;
};

/* Where the roster's strings are kept: blocks that never move. */
struct ctp_npi_strblk {
	struct ctp_npi_strblk *next;
	size_t used, cap;
	char s[];
};

#define STRBLK (256 << 10)

/* The roster in id order, an index by NPI, the licenses by provider. */
struct ctp_npi_roster {
	struct ctp_npi_entry *e;
	size_t n, cap;
	struct ctp_npi_rkey *bykey;		/* sorted by key */
	struct ctp_npi_license *lic;	/* each provider's together */
	struct ctp_npi_strblk *blk;	/* the strings, newest block first */
};

static void
ctp_npi_roster_free(struct ctp_npi_roster *r)
{
	struct ctp_npi_strblk *b, *next;

	for (b = r->blk; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(r->e);
	free(r->bykey);
	free(r->lic);
	memset(r, 0, sizeof(*r));
}

/* A copy of s (n bytes) among the roster's strings; "" for none. */
static const char *
keep(struct ctp_npi_roster *r, const char *s, size_t n)
{
	struct ctp_npi_strblk *b = r->blk;
	size_t cap;
	char *p;

	if (s == NULL || n == 0)
		return "";
	if (b == NULL || b->cap - b->used < n + 1) {
		cap = n + 1 > STRBLK ? n + 1 : STRBLK;
		if ((b = ctp_malloc(sizeof(*b) + cap)) == NULL)
			return NULL;
		b->next = r->blk;
		b->used = 0;
		b->cap = cap;
		r->blk = b;
	}
	p = b->s + b->used;
	memcpy(p, s, n);
	p[n] = '\0';
	b->used += n + 1;
	return p;
}

static int
cmp_rkey(const void *a, const void *b)
{
	const struct ctp_npi_rkey *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

static int
cmp_id(const void *a, const void *b)
{
	const struct ctp_npi_entry *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static struct ctp_npi_entry *
ctp_npi_roster_find(struct ctp_npi_roster *r, uint64_t k)
{
	size_t lo = 0, hi = r->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (r->bykey[mid].key < k)
			lo = mid + 1;
		else if (r->bykey[mid].key > k)
			hi = mid;
		else
			return r->bykey[mid].x;
	}
	return NULL;
}

/* The index of the provider with this id (the roster is in id order). */
static int
by_id(const struct ctp_npi_roster *r, long long id, size_t *at)
{
	size_t lo = 0, hi = r->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (r->e[mid].id < id)
			lo = mid + 1;
		else if (r->e[mid].id > id)
			hi = mid;
		else {
			*at = mid;
			return 1;
		}
	}
	return 0;
}

/* Every provider, in id order, and the index by NPI. */
static int
load_providers(sqlite3 *db, struct ctp_npi_roster *r, struct ctp_error *e)
{
	sqlite3_stmt *st;
	struct ctp_npi_entry *x, *ne;
	const char **f[9], *v;
	size_t i, n;
	uint64_t key;
	int rc, k, in_order = 1;

	if (ctp_db_prepare(db, &st, "SELECT id, npi, first_name, last_name, "
	    "taxonomy, practice_address, practice_city, practice_state, "
	    "practice_zip, status FROM providers", e))
		return e->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		/* Checked on the way in (import, roster set). */
		if (!ctp_npi_key(ctp_col_text(st, 1), &key))
			continue;
		if (r->n == r->cap) {
			r->cap = r->cap ? r->cap * 2 : 1024;
			if ((ne = ctp_realloc(r->e, r->cap * sizeof(*ne))) ==
			    NULL)
				goto nomem;
			r->e = ne;
		}
		x = &r->e[r->n++];
		memset(x, 0, sizeof(*x));
		x->key = key;
		x->id = sqlite3_column_int64(st, 0);
		if (r->n > 1 && x[-1].id > x->id)
			in_order = 0;
		f[0] = &x->p.npi;
		f[1] = &x->p.first_name;
		f[2] = &x->p.last_name;
		f[3] = &x->p.taxonomy;
		f[4] = &x->p.address;
		f[5] = &x->p.city;
		f[6] = &x->p.state;
		f[7] = &x->p.zip;
		f[8] = &x->p.status;
		for (k = 0; k < 9; k++) {
			v = (const char *)sqlite3_column_text(st, 1 + k);
			n = (size_t)sqlite3_column_bytes(st, 1 + k);
			if ((*f[k] = keep(r, v, n)) == NULL)
				goto nomem;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "roster", e);
	/* A table is read in id order. */
	if (!in_order)
		qsort(r->e, r->n, sizeof(*r->e), cmp_id);
	if ((r->bykey = ctp_malloc((r->n + 1) * sizeof(*r->bykey))) == NULL)
		return ctp_err_nomem(e, "roster");
	for (i = 0; i < r->n; i++) {
		r->bykey[i].key = r->e[i].key;
		r->bykey[i].x = &r->e[i];
	}
	qsort(r->bykey, r->n, sizeof(*r->bykey), cmp_rkey);
	return 0;
nomem:
	sqlite3_finalize(st);
	return ctp_err_nomem(e, "roster");
}

/*
 * The active state licenses, each provider's together in table order:
 * read with the index of their provider, counted per provider, then
 * each put in its provider's place.
 */
static int
load_licenses(sqlite3 *db, struct ctp_npi_roster *r, struct ctp_error *e)
{
	struct one {
		size_t at;
		struct ctp_npi_license l;
	} *t = NULL, *nt;
	sqlite3_stmt *st;
	size_t n = 0, cap = 0, i, at, *pos = NULL;
	int rc;

	if (ctp_db_prepare(db, &st, "SELECT provider_id, number, state "
	    "FROM credentials WHERE kind = 'state_license' AND "
	    "status = 'active'", e))
		return e->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!by_id(r, sqlite3_column_int64(st, 0), &at))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			if ((nt = ctp_realloc(t, cap * sizeof(*t))) == NULL)
				goto nomem;
			t = nt;
		}
		t[n].at = at;
		if ((t[n].l.number = keep(r, (const char *)
		    sqlite3_column_text(st, 1), (size_t)sqlite3_column_bytes(st,
		    1))) == NULL || (t[n].l.state = keep(r, (const char *)
		    sqlite3_column_text(st, 2), (size_t)sqlite3_column_bytes(st,
		    2))) == NULL)
			goto nomem;
		n++;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE) {
		free(t);
		return ctp_db_err(db, rc, "credentials", e);
	}
	if ((r->lic = ctp_calloc(n + 1, sizeof(*r->lic))) == NULL ||
	    (pos = ctp_calloc(r->n + 1, sizeof(*pos))) == NULL)
		goto nomem;
	for (i = 0; i < n; i++)
		r->e[t[i].at].p.nlicenses++;
	for (i = 0, at = 0; i < r->n; i++) {
		pos[i] = at;
		r->e[i].p.licenses = r->lic + at;
		at += r->e[i].p.nlicenses;
	}
	for (i = 0; i < n; i++)
		r->lic[pos[t[i].at]++] = t[i].l;
	free(t);
	free(pos);
	return 0;
nomem:
	sqlite3_finalize(st);
	free(t);
	free(pos);
	return ctp_err_nomem(e, "roster");
}

/* Every provider, their active state licenses and open flags. */
static int
ctp_npi_roster_load(sqlite3 *db, struct ctp_npi_roster *r, struct ctp_error *e)
{
	sqlite3_stmt *st;
	size_t i;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = load_providers(db, r, e)) != 0 ||
	    (rc = load_licenses(db, r, e)) != 0)
		return rc;
	if (ctp_db_prepare(db, &st, "SELECT DISTINCT provider_id FROM "
	    "npi_mismatches WHERE status = 'open'", e))
		return e->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (by_id(r, sqlite3_column_int64(st, 0), &i))
			r->e[i].open = 1;
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "mismatches", e);
	return 0;
}

#define CTP_NPI_DIFF_MAX 8
#define CTP_NPI_VAL_MAX 400

struct ctp_npi_diff {
	const char *field;
	char roster[CTP_NPI_VAL_MAX];
	char registry[CTP_NPI_VAL_MAX];
	json_t *apply;		/* owned; NULL when nothing to write */
};

struct ctp_npi_diffs {
	struct ctp_npi_diff d[CTP_NPI_DIFF_MAX];
	int n;
};

static struct ctp_npi_diff *
add_diff(struct ctp_npi_diffs *ds, const char *field, const char *rv,
    const char *gv)
{
	struct ctp_npi_diff *d = &ds->d[ds->n++];

	d->field = field;
	snprintf(d->roster, sizeof(d->roster), "%s", rv ? rv : "");
	snprintf(d->registry, sizeof(d->registry), "%s", gv ? gv : "");
	d->apply = NULL;
	return d;
}

static void
ctp_npi_diffs_clear(struct ctp_npi_diffs *ds)
{
	int i;

	for (i = 0; i < ds->n; i++)
		json_decref(ds->d[i].apply);
	ds->n = 0;
}

static void
fmt_addr(char *out, size_t n, const char *l1, const char *l2,
    const char *city, const char *st, const char *zip)
{
	char z[10];

	ctp_addr_norm_zip(zip, z);
	snprintf(out, n, "%s%s%s, %s, %s %.5s%s%s", l1 ? l1 : "",
	    l2 && *l2 ? " " : "", l2 && *l2 ? l2 : "", city ? city : "",
	    st ? st : "", z, strlen(z) == 9 ? "-" : "",
	    strlen(z) == 9 ? z + 5 : "");
}

/* Append n bytes of s at out + len as far as they fit; the new length. */
static size_t
put(char *out, size_t size, size_t len, const char *s, size_t n)
{
	if (n > size - 1 - len)
		n = size - 1 - len;
	memcpy(out + len, s, n);
	len += n;
	out[len] = '\0';
	return len;
}

/* s, or "" for NULL. */
static const char *
str(const char *s)
{
	return s ? s : "";
}

/* A legal name part: a difference when the names are not the same. */
static int
diff_name(struct ctp_npi_diffs *ds, const char *field, const char *rv,
    const char *gv)
{
	struct ctp_npi_diff *d;

	if (ctp_npi_name_same(rv, gv))
		return 0;
	d = add_diff(ds, field, rv, gv);
	if (gv != NULL && (d->apply = json_pack("{s:s}", field, gv)) == NULL)
		return -1;
	return 0;
}

/* The practice location, compared normalized (address.h). */
static int
diff_address(struct ctp_npi_diffs *ds, const struct ctp_npi_provider *p,
    const struct ctp_npi_rec *g)
{
	struct ctp_addr ra, ga;
	struct ctp_npi_diff *d;
	char rv[CTP_NPI_VAL_MAX], gv[CTP_NPI_VAL_MAX], line[CTP_NPI_VAL_MAX];
	char z[12];

	ra.line1 = str(p->address);
	ra.line2 = NULL;
	ra.city = str(p->city);
	ra.state = str(p->state);
	ra.zip = str(p->zip);
	ga.line1 = g->f[CTP_NPI_PRACTICE_ADDRESS];
	ga.line2 = g->f[CTP_NPI_PRACTICE_ADDRESS_2];
	ga.city = g->f[CTP_NPI_PRACTICE_CITY];
	ga.state = g->f[CTP_NPI_PRACTICE_STATE];
	ga.zip = g->f[CTP_NPI_PRACTICE_ZIP];
	if (ctp_addr_same(&ra, &ga))
		return 0;
	fmt_addr(rv, sizeof(rv), ra.line1, NULL, ra.city, ra.state, ra.zip);
	fmt_addr(gv, sizeof(gv), ga.line1, ga.line2, ga.city, ga.state,
	    ga.zip);
	snprintf(line, sizeof(line), "%s%s%s", ga.line1, ga.line2 ? " " : "",
	    ga.line2 ? ga.line2 : "");
	ctp_addr_norm_zip(ga.zip, z);
	if (strlen(z) == 9) {
		memmove(z + 6, z + 5, 5);
		z[5] = '-';
	}
	d = add_diff(ds, "practice_address", rv, gv);
	if ((d->apply = json_pack("{s:s,s:s,s:s,s:s}", "practice_address",
	    line, "practice_city", str(ga.city), "practice_state",
	    str(ga.state), "practice_zip", z)) == NULL)
		return -1;
	return 0;
}

/*
 * The registry's license for the primary taxonomy against the active
 * state licenses: a difference when none has its number (and its state,
 * when the registry gives one).
 */
static int
diff_license(struct ctp_npi_diffs *ds, const struct ctp_npi_provider *p,
    const struct ctp_npi_rec *g)
{
	const char *num, *st, *gnum = g->f[CTP_NPI_LICENSE];
	const char *gst = g->f[CTP_NPI_LICENSE_STATE];
	struct ctp_npi_diff *d;
	char rv[CTP_NPI_VAL_MAX], gv[CTP_NPI_VAL_MAX];
	size_t i, len = 0;

	rv[0] = '\0';
	for (i = 0; i < p->nlicenses; i++) {
		num = str(p->licenses[i].number);
		st = str(p->licenses[i].state);
		if (ctp_npi_license_same(num, gnum) &&
		    (gst == NULL || strcasecmp(st, gst) == 0))
			return 0;
		/* "num st; num st", cut where the buffer ends. */
		if (len > 0)
			len = put(rv, sizeof(rv), len, "; ", 2);
		len = put(rv, sizeof(rv), len, num, strlen(num));
		len = put(rv, sizeof(rv), len, " ", 1);
		len = put(rv, sizeof(rv), len, st, strlen(st));
	}
	snprintf(gv, sizeof(gv), "%s %s", gnum, str(gst));
	d = add_diff(ds, "license", rv, gv);
	if ((d->apply = json_pack("{s:{s:s,s:s}}", "license", "number", gnum,
	    "state", str(gst))) == NULL)
		return -1;
	return 0;
}

/*
 * The differences between a roster provider and its registry record (g
 * NULL: the registry does not know the NPI), in the order ctp-npi(1)
 * gives; 0, or -1 without memory (ds then holds what was found).
 */
static int
ctp_npi_compare(const struct ctp_npi_provider *p, const struct ctp_npi_rec *g,
    struct ctp_npi_diffs *ds)
{
	const char *tax;
	struct ctp_npi_diff *d;
	char gv[CTP_NPI_VAL_MAX];

	ds->n = 0;
	if (g == NULL) {
		add_diff(ds, "not_found", p->npi, "");
		return 0;
	}
	if (strcmp(ctp_npi_rec_str(g, CTP_NPI_STATUS), "A") != 0 &&
	    ctp_npi_rec_str(g, CTP_NPI_STATUS)[0] != '\0') {
		snprintf(gv, sizeof(gv), "deactivated%s%s",
		    g->f[CTP_NPI_DEACTIVATION_DATE] ? " " : "",
		    ctp_npi_rec_str(g, CTP_NPI_DEACTIVATION_DATE));
		d = add_diff(ds, "deactivated", p->status, gv);
		d->apply = json_pack("{s:s}", "status", "inactive");
		return d->apply ? 0 : -1;
	}
	if (strcmp(ctp_npi_rec_str(g, CTP_NPI_ENTITY_TYPE), "NPI-2") == 0) {
		add_diff(ds, "entity_type", "NPI-1", "NPI-2");
		return 0;
	}
	if (diff_name(ds, "first_name", str(p->first_name),
	    g->f[CTP_NPI_FIRST_NAME]) < 0 || diff_name(ds, "last_name",
	    str(p->last_name), g->f[CTP_NPI_LAST_NAME]) < 0)
		return -1;
	tax = g->f[CTP_NPI_TAXONOMY];
	if (tax != NULL && strcasecmp(str(p->taxonomy), tax) != 0) {
		d = add_diff(ds, "taxonomy", p->taxonomy, tax);
		if ((d->apply = json_pack("{s:s}", "taxonomy", tax)) == NULL)
			return -1;
	}
	if (g->f[CTP_NPI_PRACTICE_ADDRESS] && diff_address(ds, p, g) < 0)
		return -1;
	if (g->f[CTP_NPI_LICENSE] && diff_license(ds, p, g) < 0)
		return -1;
	return 0;
}

/* ---- storing a check ---- */

/*
 * PSV entries are written PSV_BATCH to a statement, stamped with the
 * run's time: one INSERT per provider was most of a bulk run's writing.
 */
#define PSV_BATCH 64

struct psvrow {
	long long pid;
	const char *result;		/* static */
	struct ctp_buf b;		/* reference, then detail (NULs after) */
	size_t det;			/* offset of the detail in b, 0 none */
	int ref;			/* has a reference */
};

struct ctp_npi_store {
	struct ctp_ctx *c;
	const char *method;
	char day[CTP_DATE_LEN];
	char ts[CTP_TS_LEN];
	sqlite3_stmt *latest, *ins, *upd, *open, *resolve, *psv;
	/*
	 * The mismatches opened or changed, as they are printed once the
	 * run is stored: every column is known here (a query per row
	 * afterwards read a provider page from disk for each).
	 */
	struct newmm *nm;
	size_t nnm, capnm;
	struct ctp_buf txt;	/* their values, NUL-terminated */
	struct ctp_npi_summary *s;
	struct psvrow row[PSV_BATCH];
	size_t nrow;
};

static void
ctp_npi_store_close(struct ctp_npi_store *w)
{
	size_t i;

	if (w == NULL)
		return;
	sqlite3_finalize(w->latest);
	sqlite3_finalize(w->ins);
	sqlite3_finalize(w->upd);
	sqlite3_finalize(w->open);
	sqlite3_finalize(w->resolve);
	sqlite3_finalize(w->psv);
	for (i = 0; i < PSV_BATCH; i++)
		ctp_buf_free(&w->row[i].b);
	free(w->nm);
	ctp_buf_free(&w->txt);
	free(w);
}

/* Write the queued PSV entries. */
static int
ctp_npi_store_flush(struct ctp_npi_store *w, struct ctp_error *e)
{
	sqlite3_stmt *st = w->psv;
	struct psvrow *r;
	size_t i;
	int rc, p;

	if (w->nrow == 0)
		return 0;
	if (w->nrow < PSV_BATCH &&
	    (rc = ctp_psv_prepare_batch(w->c->db, w->nrow, 1, &st, e)) != 0)
		return rc;
	sqlite3_bind_text(st, 1, w->c->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, w->ts, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, w->method, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, "NPPES", -1, SQLITE_STATIC);
	for (i = 0; i < w->nrow; i++) {
		r = &w->row[i];
		p = ctp_psv_batch_param(i, 1);
		sqlite3_bind_int64(st, p, r->pid);
		sqlite3_bind_text(st, p + 1, r->result, -1, SQLITE_STATIC);
		if (r->ref)
			sqlite3_bind_text(st, p + 2, r->b.s, -1,
			    SQLITE_STATIC);
		else
			sqlite3_bind_null(st, p + 2);
		if (r->det)
			sqlite3_bind_text(st, p + 3, r->b.s + r->det, -1,
			    SQLITE_STATIC);
		else
			sqlite3_bind_null(st, p + 3);
	}
	rc = sqlite3_step(st);
	if (st == w->psv)
		sqlite3_reset(st);
	else
		sqlite3_finalize(st);
	w->nrow = 0;
	if (rc != SQLITE_DONE)
		return ctp_db_err(w->c->db, rc, "psv log", e);
	return 0;
}

/* Queue one PSV entry (reference and detail copied; either NULL). */
static int
psv_queue(struct ctp_npi_store *w, long long pid, const char *result,
    const char *ref, const char *detail, struct ctp_error *e)
{
	struct psvrow *r;
	int rc;

	if (w->nrow == PSV_BATCH && (rc = ctp_npi_store_flush(w, e)) != 0)
		return rc;
	r = &w->row[w->nrow];
	r->pid = pid;
	r->result = result;
	r->ref = ref != NULL;
	r->det = 0;
	ctp_buf_reset(&r->b);
	if (ctp_buf_add(&r->b, ref ? ref : "", strlen(ref ? ref : "") + 1) < 0)
		return ctp_err_nomem(e, "psv log");
	if (detail != NULL) {
		r->det = r->b.len;
		if (ctp_buf_add(&r->b, detail, strlen(detail) + 1) < 0)
			return ctp_err_nomem(e, "psv log");
	}
	w->nrow++;
	return 0;
}

static int
ctp_npi_store_open(struct ctp_npi_store **out, struct ctp_ctx *c,
    const char *method, long as_of, struct ctp_npi_summary *s,
    struct ctp_error *e)
{
	struct ctp_npi_store *w;

	if ((*out = w = ctp_calloc(1, sizeof(*w))) == NULL)
		return ctp_err_nomem(e, "mismatches");
	w->c = c;
	w->method = method;
	w->s = s;
	ctp_date_format(as_of, w->day);
	ctp_timestamp(w->ts);
	if (ctp_db_prepare(c->db, &w->latest, "SELECT id, status, "
	    "registry_value, roster_value FROM npi_mismatches WHERE "
	    "provider_id = ?1 AND field = ?2 AND status IN ('open', "
	    "'dismissed') ORDER BY id DESC LIMIT 1", e) ||
	    ctp_db_prepare(c->db, &w->ins, "INSERT INTO npi_mismatches "
	    "(provider_id, field, roster_value, registry_value, apply, "
	    "method, registry_updated, found_on, found_at, found_by) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", e) ||
	    ctp_db_prepare(c->db, &w->upd, "UPDATE npi_mismatches SET "
	    "roster_value = ?2, registry_value = ?3, apply = ?4, method = ?5, "
	    "registry_updated = ?6, found_on = ?7, found_at = ?8, "
	    "found_by = ?9 WHERE id = ?1", e) ||
	    ctp_db_prepare(c->db, &w->open, "SELECT id, field FROM "
	    "npi_mismatches WHERE provider_id = ?1 AND status = 'open'", e) ||
	    ctp_db_prepare(c->db, &w->resolve, "UPDATE npi_mismatches SET "
	    "status = 'resolved', closed_at = ?2, closed_by = ?3 "
	    "WHERE id = ?1", e) ||
	    ctp_psv_prepare_batch(c->db, PSV_BATCH, 1, &w->psv, e)) {
		ctp_npi_store_close(w);
		*out = NULL;
		return e->code;
	}
	return 0;
}

struct newmm {
	long long id;
	const struct ctp_npi_entry *x;
	const char *field;	/* static */
	size_t rv, gv, upd;	/* offsets in txt; upd 0: none */
};

/* Add s and its NUL to w->txt; its offset (0 when s is empty or NULL). */
static int
txt_add(struct ctp_npi_store *w, const char *s, size_t *at)
{
	*at = 0;
	if (w->txt.len == 0 && ctp_buf_putc(&w->txt, '\0') < 0)
		return -1;
	if (s == NULL || *s == '\0')
		return 0;
	*at = w->txt.len;
	return ctp_buf_add(&w->txt, s, strlen(s) + 1);
}

/* Note a mismatch opened or changed, for the output. */
static int
note_mm(struct ctp_npi_store *w, long long id, const struct ctp_npi_entry *x,
    const struct ctp_npi_diff *d, const char *updated)
{
	struct newmm *n;

	if (w->nnm == w->capnm) {
		w->capnm = w->capnm ? w->capnm * 2 : 32;
		if ((n = ctp_realloc(w->nm, w->capnm * sizeof(*n))) == NULL)
			return -1;
		w->nm = n;
	}
	n = &w->nm[w->nnm];
	n->id = id;
	n->x = x;
	n->field = d->field;
	if (txt_add(w, d->roster, &n->rv) < 0 ||
	    txt_add(w, d->registry, &n->gv) < 0 ||
	    txt_add(w, updated, &n->upd) < 0)
		return -1;
	w->nnm++;
	return 0;
}

static int
step_done(struct ctp_npi_store *w, sqlite3_stmt *st, struct ctp_error *e)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return ctp_db_err(w->c->db, rc, "mismatches", e);
	return 0;
}

/* One difference: open it, refresh the open one, or leave a dismissal. */
static int
store_diff(struct ctp_npi_store *w, struct ctp_npi_entry *x,
    const struct ctp_npi_diff *d, const char *updated, struct ctp_error *e)
{
	sqlite3_stmt *st = w->latest;
	long long id = 0;
	char status[16] = "", *apply = NULL;
	int same = 0, rc;

	sqlite3_bind_int64(st, 1, x->id);
	ctp_bind_text(st, 2, d->field);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		snprintf(status, sizeof(status), "%s", ctp_col_text(st, 1));
		same = strcmp(ctp_col_text(st, 2), d->registry) == 0;
		if (strcmp(status, "open") == 0)
			same = same && strcmp(ctp_col_text(st, 3),
			    d->roster) == 0;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(w->c->db, rc, "mismatches", e);
	/* Dismissed: not reopened while the registry says the same. */
	if (id && same)
		return 0;
	if (d->apply && (apply = json_dumps(d->apply, JSON_COMPACT |
	    JSON_SORT_KEYS)) == NULL)
		return ctp_err_nomem(e, "mismatches");
	if (id && strcmp(status, "open") == 0) {
		st = w->upd;
		sqlite3_bind_int64(st, 1, id);
		ctp_bind_text(st, 2, d->roster);
		ctp_bind_text(st, 3, d->registry);
		ctp_bind_text(st, 4, apply);
		ctp_bind_text(st, 5, w->method);
		ctp_bind_text_or_null(st, 6, updated);
		ctp_bind_text(st, 7, w->day);
		ctp_bind_text(st, 8, w->ts);
		ctp_bind_text(st, 9, w->c->user);
	} else {
		st = w->ins;
		sqlite3_bind_int64(st, 1, x->id);
		ctp_bind_text(st, 2, d->field);
		ctp_bind_text(st, 3, d->roster);
		ctp_bind_text(st, 4, d->registry);
		ctp_bind_text(st, 5, apply);
		ctp_bind_text(st, 6, w->method);
		ctp_bind_text_or_null(st, 7, updated);
		ctp_bind_text(st, 8, w->day);
		ctp_bind_text(st, 9, w->ts);
		ctp_bind_text(st, 10, w->c->user);
	}
	free(apply);
	if ((rc = step_done(w, st, e)) != 0)
		return rc;
	if (id == 0 || strcmp(status, "open") != 0)
		id = sqlite3_last_insert_rowid(w->c->db);
	w->s->new_mismatches++;
	if (note_mm(w, id, x, d, updated) < 0)
		return ctp_err_nomem(e, "mismatches");
	return 0;
}

/* Open mismatches the registry no longer shows are resolved. */
static int
store_resolve(struct ctp_npi_store *w, struct ctp_npi_entry *x,
    const struct ctp_npi_diffs *ds, struct ctp_error *e)
{
	long long ids[16];
	int n = 0, i, k, keep, rc;

	if (!x->open)
		return 0;
	sqlite3_bind_int64(w->open, 1, x->id);
	while ((rc = sqlite3_step(w->open)) == SQLITE_ROW && n < 16) {
		const char *f = ctp_col_text(w->open, 1);

		keep = 0;
		for (k = 0; k < ds->n; k++)
			if (strcmp(ds->d[k].field, f) == 0)
				keep = 1;
		if (!keep)
			ids[n++] = sqlite3_column_int64(w->open, 0);
	}
	sqlite3_reset(w->open);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(w->c->db, rc, "mismatches", e);
	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(w->resolve, 1, ids[i]);
		ctp_bind_text(w->resolve, 2, w->ts);
		ctp_bind_text(w->resolve, 3, w->c->user);
		if ((rc = step_done(w, w->resolve, e)) != 0)
			return rc;
	}
	return 0;
}

/*
 * One provider's check: its registry record compared with it (g NULL:
 * the NPI is not in the registry), the differences stored, its PSV
 * entry queued.
 */
static int
ctp_npi_store_check(struct ctp_npi_store *w, struct ctp_npi_entry *x,
    const struct ctp_npi_rec *g, struct ctp_error *e)
{
	struct ctp_npi_diffs own;
	const struct ctp_npi_diffs *dsp = &own;
	json_t *det = NULL, *fields = NULL;
	char *dj = NULL;
	const char *result;
	int i, rc = 0;

	if (ctp_npi_compare(&x->p, g, &own) < 0) {
		rc = ctp_err_nomem(e, "compare");
		goto out;
	}
	for (i = 0; i < dsp->n; i++)
		if ((rc = store_diff(w, x, &dsp->d[i], g ?
		    g->f[CTP_NPI_LAST_UPDATED] : NULL, e)) != 0)
			goto out;
	if ((rc = store_resolve(w, x, dsp, e)) != 0)
		goto out;
	if (g == NULL) {
		result = "not_found";
		w->s->not_found++;
	} else if (dsp->n == 1 && strcmp(dsp->d[0].field, "deactivated") == 0) {
		result = "deactivated";
		w->s->deactivated++;
	} else if (dsp->n > 0) {
		result = "mismatch";
		w->s->mismatched++;
	} else {
		result = "matched";
		w->s->matched++;
	}
	w->s->checked++;
	/* The fields that differ; nothing more to say for a match. */
	if (dsp->n > 0 && ((det = json_pack("{s:s}", "npi",
	    x->p.npi)) == NULL ||
	    (fields = json_array()) == NULL ||
	    json_object_set_new(det, "fields", fields) < 0)) {
		rc = ctp_err_nomem(e, "psv log");
		goto out;
	}
	for (i = 0; i < dsp->n; i++)
		json_array_append_new(fields, json_string(dsp->d[i].field));
	if (det != NULL && (dj = json_dumps(det, JSON_COMPACT |
	    JSON_SORT_KEYS)) == NULL) {
		rc = ctp_err_nomem(e, "psv log");
		goto out;
	}
	rc = psv_queue(w, x->id, result, g ? g->f[CTP_NPI_LAST_UPDATED] : NULL,
	    dj, e);
out:
	free(dj);
	json_decref(det);
	ctp_npi_diffs_clear(&own);
	return rc;
}

/* ---- a refresh run ---- */

struct api_run {
	struct ctp_npi_result *res;	/* by index, filled as answers come */
};

static int
api_result(void *arg, struct ctp_npi_result *res)
{
	struct api_run *a = arg;

	a->res[res->i] = *res;
	memset(&res->rec, 0, sizeof(res->rec));
	return 0;
}

/* Store the API answers (inside the transaction), in roster order. */
static int
api_store(struct ctp_ctx *c, struct ctp_npi_store *w,
    struct ctp_npi_entry **want, size_t nw, struct ctp_npi_result *res,
    int *bad, long *failed, struct ctp_error *e)
{
	json_t *det;
	const char *result;
	size_t i;
	int rc;

	for (i = 0; i < nw; i++) {
		if (res[i].status != 0) {
			if (*bad != CTP_UNAVAILABLE)
				*bad = res[i].status;
			(*failed)++;
			result = "failed";
		} else {
			if ((rc = ctp_npi_store_check(w, want[i], res[i].found ?
			    &res[i].rec : NULL, e)) != 0)
				return rc;
			result = res[i].found ? "answered" : "not_found";
		}
		det = json_pack("{s:s,s:s,s:s,s:I}", "method", "api", "npi",
		    want[i]->p.npi, "result", result, "attempts",
		    (json_int_t)res[i].attempts);
		if (det == NULL)
			return ctp_err_nomem(e, "audit");
		rc = ctp_audit(c, "npi.verify", "provider", want[i]->p.npi,
		    det, e);
		json_decref(det);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/*
 * The NPIs the reader looks for, sorted: the listed ones, or every NPI on
 * the roster (read from the NPI index alone, before the roster itself).
 */
static int
ctp_npi_roster_keys(sqlite3 *db, const struct ctp_npi_refresh *r,
    uint64_t **out, size_t *nout, struct ctp_error *e)
{
	sqlite3_stmt *st;
	uint64_t *k = NULL, *nk;
	size_t n = 0, cap = 0, i;
	int rc, in_order = 1;

	*out = NULL;
	*nout = 0;
	if (r->npis != NULL) {
		if ((k = ctp_calloc(r->nnpis + 1, sizeof(*k))) == NULL)
			return ctp_err_nomem(e, "roster");
		for (i = 0; i < r->nnpis; i++)
			if (ctp_npi_key(r->npis[i], &k[n]))
				n++;
	} else {
		/* Read in NPI order, the index's. */
		if (ctp_db_prepare(db, &st, "SELECT npi FROM providers", e)) {
			free(k);
			return e->code;
		}
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			uint64_t v;

			if (!ctp_npi_key(ctp_col_text(st, 0), &v))
				continue;
			if (n > 0 && v < k[n - 1])
				in_order = 0;
			if (n == cap) {
				cap = cap ? cap * 2 : 1024;
				if ((nk = ctp_realloc(k, cap * sizeof(*k))) ==
				    NULL) {
					sqlite3_finalize(st);
					free(k);
					return ctp_err_nomem(e, "roster");
				}
				k = nk;
			}
			k[n++] = v;
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) {
			free(k);
			return ctp_db_err(db, rc, "roster", e);
		}
	}
	if (n > 0 && (!in_order || r->npis != NULL))
		qsort(k, n, sizeof(*k), cmp_u64);
	*out = k;
	*nout = n;
	return 0;
}

/*
 * The bulk file is read by a second thread while this one loads the
 * roster and stores what was found.  The reader skips the rows off the
 * roster, parses the others and packs each record into a queue of
 * blocks (per field a byte for which and the text with its NUL, 0xff
 * at the end) that this thread takes from, in file order.  The queue
 * holds up to QUEUE_MAX bytes, a roster's worth of rows, so that the
 * reader goes on while the roster loads.  Without the thread (it could
 * not be started) the same calls run inline.
 */
#define QUEUE_MAX (24 << 20)
#define QUEUE_BLOCK (1 << 20)
/*
 * A side that waits is woken when WAKE records are ready or the queue
 * is half empty, not at each record: a wake-up per record was 20,000
 * context switches in the worst case.
 */
#define WAKE 32

struct qblk {
	struct qblk *next;
	size_t len, cap;
	char d[];
};

struct ctp_npi_reader {
	struct ctp_npi_bulk *b;
	const uint64_t *set;	/* sorted; the rows to parse */
	size_t n;
	int threaded;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	/* Under mu: */
	struct qblk *first, *last;	/* the queue, oldest first */
	size_t off;		/* where the next record is in first */
	size_t bytes, rows;	/* packed and not yet taken */
	int waiting;		/* 1 the taker, 2 the reader waits */
	int stop;		/* the taker wants no more */
	int ended;		/* the reader is done; end_rc says how */
	int end_rc;		/* 0 the file's end, else an error (err) */
	struct ctp_error err;
	struct qblk *spare;	/* an empty block to fill again */
	/* The taker's own: */
	struct ctp_npi_rec view;	/* the record taken last, queued */
	/* The reader's own: */
	struct ctp_npi_rec rec;	/* the row parsed */
};

/* The bytes rec takes in the queue. */
static size_t
packed_size(const struct ctp_npi_rec *rec)
{
	size_t need = 1;
	int i;

	for (i = 0; i < CTP_NPI_NFIELDS; i++)
		if (rec->f[i] != NULL)
			need += strlen(rec->f[i]) + 2;
	return need;
}

/* Append rec to the queue (mu held); -1 without memory. */
static int
pack(struct ctp_npi_reader *rd, const struct ctp_npi_rec *rec, size_t need)
{
	struct qblk *k = rd->last;
	size_t n, cap;
	char *p;
	int i;

	if (k == NULL || k->cap - k->len < need) {
		cap = need > QUEUE_BLOCK ? need : QUEUE_BLOCK;
		if ((k = rd->spare) != NULL && k->cap >= need)
			rd->spare = NULL;
		else if ((k = ctp_malloc(sizeof(*k) + cap)) == NULL)
			return -1;
		else
			k->cap = cap;
		k->next = NULL;
		k->len = 0;
		if (rd->last != NULL)
			rd->last->next = k;
		else {
			rd->first = k;
			rd->off = 0;
		}
		rd->last = k;
	}
	p = k->d + k->len;
	for (i = 0; i < CTP_NPI_NFIELDS; i++) {
		if (rec->f[i] == NULL)
			continue;
		n = strlen(rec->f[i]) + 1;
		*p++ = (char)i;
		memcpy(p, rec->f[i], n);
		p += n;
	}
	*p = (char)0xff;
	k->len += need;
	rd->bytes += need;
	rd->rows++;
	return 0;
}

/*
 * Take the oldest record into view (mu held).  A block read to its end
 * is kept to be filled again (the record taken before is done with).
 */
static void
unpack(struct ctp_npi_reader *rd)
{
	struct qblk *k = rd->first;
	const char *p, *start;

	if (rd->off == k->len) {
		rd->first = k->next;
		rd->off = 0;
		if (rd->spare == NULL)
			rd->spare = k;
		else
			free(k);
		k = rd->first;
	}
	start = p = k->d + rd->off;
	ctp_npi_rec_reset(&rd->view);
	while ((unsigned char)*p != 0xff) {
		rd->view.f[(unsigned char)*p] = (char *)(p + 1);
		p += strlen(p + 1) + 2;
	}
	p++;
	rd->off += (size_t)(p - start);
	rd->bytes -= (size_t)(p - start);
	rd->rows--;
}

static void *
reader_main(void *arg)
{
	struct ctp_npi_reader *rd = arg;
	struct ctp_error err;
	size_t need = 0;
	int rc;

	ctp_error_clear(&err);
	for (;;) {
		rc = ctp_npi_bulk_next(rd->b, rd->set, rd->n, &rd->rec, &err);
		if (rc == 1)
			need = packed_size(&rd->rec);
		pthread_mutex_lock(&rd->mu);
		while (rc == 1 && !rd->stop && rd->bytes > 0 &&
		    rd->bytes + need > QUEUE_MAX) {
			/* Full: the taker has records enough to go on. */
			if (rd->waiting == 1)
				pthread_cond_signal(&rd->cv);
			rd->waiting = 2;
			pthread_cond_wait(&rd->cv, &rd->mu);
		}
		if (rc == 1 && !rd->stop && pack(rd, &rd->rec, need) < 0)
			rc = ctp_err_nomem(&err, "reader");
		if (rc != 1 || rd->stop) {
			rd->ended = 1;
			rd->end_rc = rc == 1 ? 0 : rc;
			rd->err = err;
		}
		if (rd->waiting == 1 && (rd->rows >= WAKE || rd->ended)) {
			rd->waiting = 0;
			pthread_cond_signal(&rd->cv);
		}
		rc = rd->ended;
		pthread_mutex_unlock(&rd->mu);
		if (rc)
			break;
	}
	ctp_npi_rec_clear(&rd->rec);
	return NULL;
}

/*
 * Start reading b for the NPIs of set (n, sorted).  Names are
 * transliterated (names.c) on this thread only; the first call, which
 * sets up the transliteration and its locale (setlocale is not safe
 * while another thread runs), is made before the reader starts.
 */
static int
ctp_npi_reader_start(struct ctp_npi_reader **out, struct ctp_npi_bulk *b,
    const uint64_t *set, size_t n, struct ctp_error *e)
{
	struct ctp_npi_reader *rd;

	if ((*out = rd = ctp_calloc(1, sizeof(*rd))) == NULL)
		return ctp_err_nomem(e, "reader");
	rd->b = b;
	rd->set = set;
	rd->n = n;
	ctp_npi_name_warm();
	if (pthread_mutex_init(&rd->mu, NULL) != 0)
		return 0;
	if (pthread_cond_init(&rd->cv, NULL) != 0) {
		pthread_mutex_destroy(&rd->mu);
		return 0;
	}
	if (pthread_create(&rd->th, NULL, reader_main, rd) != 0) {
		pthread_cond_destroy(&rd->cv);
		pthread_mutex_destroy(&rd->mu);
		return 0;
	}
	rd->threaded = 1;
	return 0;
}

/*
 * The next roster row of the file: 1 with *rec (valid until the next
 * call), 0 at the end, else an error code with e filled.
 */
static int
ctp_npi_reader_next(struct ctp_npi_reader *rd, const struct ctp_npi_rec **rec,
    struct ctp_error *e)
{
	int rc = 1;

	if (!rd->threaded) {
		*rec = &rd->rec;
		return ctp_npi_bulk_next(rd->b, rd->set, rd->n, &rd->rec, e);
	}
	pthread_mutex_lock(&rd->mu);
	while (rd->rows == 0 && !rd->ended) {
		rd->waiting = 1;
		pthread_cond_wait(&rd->cv, &rd->mu);
	}
	if (rd->rows > 0) {
		unpack(rd);
		*rec = &rd->view;
	} else if ((rc = rd->end_rc) != 0)
		*e = rd->err;
	if (rd->waiting == 2 && rd->bytes <= QUEUE_MAX / 2) {
		rd->waiting = 0;
		pthread_cond_signal(&rd->cv);
	}
	pthread_mutex_unlock(&rd->mu);
	return rc;
}

/* Stop the reader (wherever it is) and free the queue. */
static void
ctp_npi_reader_end(struct ctp_npi_reader *rd)
{
	struct qblk *k, *next;

	if (rd == NULL)
		return;
	if (rd->threaded) {
		pthread_mutex_lock(&rd->mu);
		rd->stop = 1;
		if (rd->waiting == 2) {
			rd->waiting = 0;
			pthread_cond_signal(&rd->cv);
		}
		pthread_mutex_unlock(&rd->mu);
		pthread_join(rd->th, NULL);
		pthread_cond_destroy(&rd->cv);
		pthread_mutex_destroy(&rd->mu);
	}
	for (k = rd->first; k != NULL; k = next) {
		next = k->next;
		free(k);
	}
	free(rd->spare);
	ctp_npi_rec_clear(&rd->rec);
	free(rd);
}

/*
 * The mismatches the run opened or changed, as ctp-npi mismatches shows
 * them: status open, found today, without a note.
 */
static int
ctp_npi_store_print(const struct ctp_npi_store *w, struct ctp_out *o,
    struct ctp_error *e)
{
	const char *v[CTP_NPI_MISMATCH_NCOLUMNS];
	const struct newmm *n;
	char id[24];
	size_t i;

	for (i = 0; i < w->nnm; i++) {
		n = &w->nm[i];
		snprintf(id, sizeof(id), "%lld", n->id);
		v[0] = id;
		v[1] = n->x->p.npi;
		v[2] = n->x->p.last_name;
		v[3] = n->x->p.first_name;
		v[4] = n->field;
		v[5] = w->txt.s + n->rv;
		v[6] = w->txt.s + n->gv;
		v[7] = "open";
		v[8] = w->day;
		v[9] = n->upd ? w->txt.s + n->upd : NULL;
		v[10] = NULL;
		if (ctp_out_row(o, v, e) != 0)
			return e->code;
	}
	return 0;
}

int
ctp_npi_refresh(struct ctp_ctx *c, const struct ctp_npi_refresh *r,
    struct ctp_out *o, struct ctp_npi_summary *s, struct ctp_error *e)
{
	struct ctp_npi_roster ro;
	struct ctp_npi_store *w = NULL;
	struct ctp_npi_entry **want = NULL, *x;
	struct api_run a = { NULL };
	struct ctp_npi_bulk *b = NULL;
	const struct ctp_npi_rec *g = NULL;
	struct ctp_npi_opts opts;
	struct ctp_npi_reader *rd = NULL;
	uint64_t *keys = NULL, key;
	size_t nkeys = 0;
	const char **npis = NULL;
	char *url = NULL;
	size_t i, nw = 0;
	json_t *det;
	int rc, stored = 0, intx = 0, bad = 0, journal = 0;

	memset(s, 0, sizeof(*s));
	memset(&ro, 0, sizeof(ro));
	for (i = 0; r->npis != NULL && i < r->nnpis; i++)
		if (ctp_check_npi(r->npis[i]) != NULL) {
			rc = ctp_errf(e, CTP_DATAERR, r->npis[i],
			    "not a valid NPI: %s", ctp_check_npi(r->npis[i]));
			goto out;
		}
	/*
	 * Bulk: the file is checked and read from here on, by the reader
	 * thread, while the roster loads: it looks for the listed NPIs or
	 * every NPI on the roster (inactive ones too, skipped below).
	 */
	if (r->bulk) {
		if ((rc = ctp_npi_bulk_open(&b, r->bulk, &r->progress,
		    e)) != 0)
			goto out;
		/*
		 * The run writes megabytes of new pages (a PSV entry per
		 * provider): when it is the only connection, under a
		 * rollback journal rather than the WAL, which would write
		 * each page twice (ctp_db_bulk_journal; the screen does
		 * the same).  The commit took 0.05 s, now 0.02.
		 */
		journal = ctp_db_bulk_journal(c->db);
		if ((rc = ctp_db_begin(c->db, e)) != 0)
			goto out;
		intx = 1;
		if ((rc = ctp_npi_roster_keys(c->db, r, &keys, &nkeys, e)) != 0)
			goto out;
		if ((rc = ctp_npi_reader_start(&rd, b, keys, nkeys, e)) != 0)
			goto out;
	}
	if ((rc = ctp_npi_roster_load(c->db, &ro, e)) != 0)
		goto out;
	if (r->npis != NULL) {
		for (i = 0; i < r->nnpis; i++) {
			if (!ctp_npi_key(r->npis[i], &key) ||
			    (x = ctp_npi_roster_find(&ro, key)) == NULL) {
				rc = ctp_errf(e, CTP_DATAERR, r->npis[i],
				    "not on the roster");
				goto out;
			}
			x->want = 1;
		}
	} else
		for (i = 0; i < ro.n; i++)
			ro.e[i].want = strcmp(ro.e[i].p.status,
			    "inactive") != 0;
	if (r->bulk) {
		if ((rc = ctp_npi_store_open(&w, c, "bulk", r->as_of, s,
		    e)) != 0)
			goto out;
		while ((rc = ctp_npi_reader_next(rd, &g, e)) == 1) {
			if (!ctp_npi_key(ctp_npi_rec_str(g, CTP_NPI_NPI),
			    &key) || (x = ctp_npi_roster_find(&ro, key)) ==
			    NULL || !x->want || x->seen)
				continue;
			x->seen = 1;
			if ((rc = ctp_npi_store_check(w, x, g, e)) != 0)
				goto out;
		}
		if (rc != 0)
			goto out;
		ctp_npi_reader_end(rd);
		rd = NULL;
		s->lines = ctp_npi_bulk_lines(b);
		ctp_npi_bulk_close(b);	/* and its progress line */
		b = NULL;
		for (i = 0; i < ro.n; i++)
			if (ro.e[i].want && !ro.e[i].seen &&
			    (rc = ctp_npi_store_check(w, &ro.e[i], NULL,
			    e)) != 0)
				goto out;
		if ((rc = ctp_npi_store_flush(w, e)) != 0)
			goto out;
		det = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I}", "method",
		    "bulk", "file", r->bulk, "lines", (json_int_t)s->lines,
		    "checked", (json_int_t)s->checked,
		    "matched", (json_int_t)s->matched,
		    "mismatched", (json_int_t)s->mismatched,
		    "not_found", (json_int_t)s->not_found,
		    "deactivated", (json_int_t)s->deactivated);
		if (det == NULL) {
			rc = ctp_err_nomem(e, "audit");
			goto out;
		}
		rc = ctp_audit(c, "npi.verify", "file", r->bulk, det, e);
		json_decref(det);
		if (rc != 0 || (rc = ctp_db_commit(c->db, e)) != 0)
			goto out;
		intx = 0;
		stored = 1;
	} else {
		if ((want = ctp_calloc(ro.n + 1, sizeof(*want))) == NULL ||
		    (npis = ctp_calloc(ro.n + 1, sizeof(*npis))) == NULL) {
			rc = ctp_err_nomem(e, "roster");
			goto out;
		}
		for (i = 0; i < ro.n; i++)
			if (ro.e[i].want) {
				want[nw] = &ro.e[i];
				npis[nw] = ro.e[i].p.npi;
				nw++;
			}
		opts = r->api;
		if (opts.api_url == NULL) {
			if ((rc = ctp_org_get(c->db, "nppes_api_url", &url,
			    e)) != 0)
				goto out;
			opts.api_url = url;
		}
		if ((rc = ctp_npi_store_open(&w, c, "api", r->as_of, s,
		    e)) != 0)
			goto out;
		if ((a.res = ctp_calloc(nw + 1, sizeof(*a.res))) == NULL) {
			rc = ctp_err_nomem(e, "registry answers");
			goto out;
		}
		/*
		 * Ask first, then store every answer in one transaction: the
		 * database is not locked while the registry is slow, and a run
		 * cut short leaves the previous state.
		 */
		if ((rc = ctp_npi_fetch(&opts, npis, nw, api_result, &a,
		    &r->progress, e)) != 0)
			goto out;
		for (i = 0; i < nw; i++)
			if (a.res[i].status != 0 && r->failed != NULL)
				r->failed(r->failed_arg, &a.res[i].err);
		if ((rc = ctp_db_begin(c->db, e)) != 0)
			goto out;
		intx = 1;
		if ((rc = api_store(c, w, want, nw, a.res, &bad, &s->failed,
		    e)) != 0 || (rc = ctp_npi_store_flush(w, e)) != 0)
			goto out;
		if ((rc = ctp_db_commit(c->db, e)) != 0)
			goto out;
		intx = 0;
		stored = 1;
		if (s->failed > 0)
			rc = ctp_errf(e, bad, "refresh", "%ld of %zu %s "
			    "not checked (named above); their previous state "
			    "is kept", s->failed, nw, ctp_plural((long long)nw,
			    "provider", "providers"));
	}
out:
	if (intx)
		ctp_db_rollback(c->db);
	if (!stored)
		memset(s, 0, sizeof(*s));	/* nothing was kept */
	if (stored && o != NULL) {
		struct ctp_error pe;

		ctp_error_clear(&pe);
		if (ctp_npi_store_print(w, o, &pe) != 0 && rc == 0)
			rc = pe.code, *e = pe;
	}
	ctp_npi_store_close(w);
	ctp_psv_finish(c);
	ctp_db_wal_again(c->db, journal);
	ctp_npi_reader_end(rd);
	free(keys);
	ctp_npi_bulk_close(b);
	ctp_npi_roster_free(&ro);
	free(want);
	free(npis);
	free(url);
	if (a.res != NULL)
		for (i = 0; i < nw; i++)
			ctp_npi_rec_clear(&a.res[i].rec);
	free(a.res);
	return rc;
}

/* ---- lookup and the mismatch queue ---- */

struct one {
	struct ctp_npi_rec *rec;
	int *found;
	int status;
	long attempts;
	struct ctp_error err;
};

static int
one_result(void *arg, struct ctp_npi_result *res)
{
	struct one *o = arg;

	o->status = res->status;
	o->err = res->err;
	o->attempts = res->attempts;
	*o->found = res->found;
	*o->rec = res->rec;
	memset(&res->rec, 0, sizeof(res->rec));
	return 0;
}

int
ctp_npi_lookup(struct ctp_ctx *c, const struct ctp_npi_opts *opt,
    const char *npi, struct ctp_npi_rec *rec, int *found,
    struct ctp_error *e)
{
	struct ctp_npi_opts o = *opt;
	struct one one;
	char *url = NULL;
	const char *msg;
	json_t *det;
	int rc;

	*found = 0;
	if ((msg = ctp_check_npi(npi)) != NULL)
		return ctp_errf(e, CTP_DATAERR, npi, "not a valid NPI: %s",
		    msg);
	if (o.api_url == NULL) {
		if ((rc = ctp_org_get(c->db, "nppes_api_url", &url, e)) != 0)
			return rc;
		o.api_url = url;
	}
	memset(&one, 0, sizeof(one));
	one.rec = rec;
	one.found = found;
	rc = ctp_npi_fetch(&o, &npi, 1, one_result, &one, NULL, e);
	free(url);
	if (rc != 0)
		return rc;
	det = json_pack("{s:s,s:s,s:I}", "method", "api", "result",
	    one.status ? "failed" : *found ? "answered" : "not_found",
	    "attempts", (json_int_t)one.attempts);
	if (det == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(c, "npi.lookup", "npi", npi, det, e);
	json_decref(det);
	if (rc != 0)
		return rc;
	if (one.status != 0) {
		*e = one.err;
		return one.status;
	}
	return 0;
}

const struct ctp_col ctp_npi_mismatch_columns[] = {
	{ "mismatch_id", CTP_COL_INT },
	{ "npi", CTP_COL_STR },
	{ "last_name", CTP_COL_STR },
	{ "first_name", CTP_COL_STR },
	{ "field", CTP_COL_STR },
	{ "roster_value", CTP_COL_STR },
	{ "registry_value", CTP_COL_STR },
	{ "status", CTP_COL_STR },
	{ "found_on", CTP_COL_STR },
	{ "registry_updated", CTP_COL_STR },
	{ "note", CTP_COL_STR },
};

#define MM_SELECT "SELECT m.id, p.npi, p.last_name, p.first_name, m.field, " \
	"m.roster_value, m.registry_value, m.status, m.found_on, " \
	"m.registry_updated, m.note FROM npi_mismatches m " \
	"JOIN providers p ON p.id = m.provider_id "

static int
out_rows(sqlite3 *db, sqlite3_stmt *st, struct ctp_out *o,
    struct ctp_error *e)
{
	const char *v[CTP_NPI_MISMATCH_NCOLUMNS];
	int rc, k;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (k = 0; k < CTP_NPI_MISMATCH_NCOLUMNS; k++)
			v[k] = (const char *)sqlite3_column_text(st, k);
		if (ctp_out_row(o, v, e) != 0)
			return e->code;
	}
	if (rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "mismatches", e);
	return 0;
}


int
ctp_npi_mismatches(struct ctp_ctx *c, const char *status, struct ctp_out *o,
    struct ctp_error *e)
{
	static const char *const ok[] = { "open", "accepted", "dismissed",
	    "resolved", "all", NULL };
	sqlite3_stmt *st;
	json_t *det;
	int i, rc;

	if (status == NULL)
		status = "open";
	for (i = 0; ok[i] && strcmp(ok[i], status) != 0; i++)
		;
	if (ok[i] == NULL)
		return ctp_errf(e, CTP_USAGE, "--status", "must be open, "
		    "accepted, dismissed, resolved or all");
	if ((det = json_pack("{s:s}", "status", status)) == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(c, "npi.mismatches", "", "", det, e);
	json_decref(det);
	if (rc != 0)
		return rc;
	if (ctp_db_prepare(c->db, &st, MM_SELECT "WHERE ?1 = 'all' OR "
	    "m.status = ?1 ORDER BY m.id", e))
		return e->code;
	ctp_bind_text(st, 1, status);
	rc = out_rows(c->db, st, o, e);
	sqlite3_finalize(st);
	return rc;
}

struct mm {
	long long provider_id;
	char npi[16];
	char field[32];
	char status[16];
	char *apply;
};

static int
mm_load(struct ctp_ctx *c, long long id, struct mm *m, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char where[32];
	int rc;

	snprintf(where, sizeof(where), "mismatch %lld", id);
	memset(m, 0, sizeof(*m));
	if (ctp_db_prepare(c->db, &st, "SELECT m.provider_id, p.npi, m.field, "
	    "m.status, m.apply FROM npi_mismatches m JOIN providers p ON "
	    "p.id = m.provider_id WHERE m.id = ?1", e))
		return e->code;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		m->provider_id = sqlite3_column_int64(st, 0);
		snprintf(m->npi, sizeof(m->npi), "%s", ctp_col_text(st, 1));
		snprintf(m->field, sizeof(m->field), "%s", ctp_col_text(st, 2));
		snprintf(m->status, sizeof(m->status), "%s",
		    ctp_col_text(st, 3));
		if (sqlite3_column_type(st, 4) != SQLITE_NULL &&
		    (m->apply = ctp_strdup(ctp_col_text(st, 4))) == NULL) {
			sqlite3_finalize(st);
			return ctp_err_nomem(e, where);
		}
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return ctp_errf(e, CTP_DATAERR, where, "no such mismatch");
	if (rc != SQLITE_ROW)
		return ctp_db_err(c->db, rc, where, e);
	if (strcmp(m->status, "open") != 0) {
		free(m->apply);
		m->apply = NULL;
		return ctp_errf(e, CTP_DATAERR, where, "is %s, not open",
		    m->status);
	}
	return 0;
}

static int
mm_close(struct ctp_ctx *c, long long id, const char *status,
    const char *note, const struct mm *m, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char ts[CTP_TS_LEN], oid[32];
	json_t *det;
	int rc;

	ctp_timestamp(ts);
	if (ctp_db_prepare(c->db, &st, "UPDATE npi_mismatches SET "
	    "status = ?2, note = ?3, closed_at = ?4, closed_by = ?5 "
	    "WHERE id = ?1", e))
		return e->code;
	sqlite3_bind_int64(st, 1, id);
	ctp_bind_text(st, 2, status);
	ctp_bind_text_or_null(st, 3, note);
	ctp_bind_text(st, 4, ts);
	ctp_bind_text(st, 5, c->user);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(c->db, rc, "mismatches", e);
	snprintf(oid, sizeof(oid), "%lld", id);
	if ((det = json_pack("{s:s,s:s}", "npi", m->npi, "field",
	    m->field)) == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(c, strcmp(status, "accepted") == 0 ? "npi.accept" :
	    "npi.dismiss", "npi_mismatch", oid, det, e);
	json_decref(det);
	return rc;
}

/* The registry's license number into the roster's license of that state. */
static int
apply_license(struct ctp_ctx *c, const struct mm *m, json_t *lic,
    const char *note, struct ctp_error *e)
{
	const char *num, *state;

	num = json_string_value(json_object_get(lic, "number"));
	state = json_string_value(json_object_get(lic, "state"));
	if (num == NULL || state == NULL)
		return ctp_errf(e, CTP_SOFTWARE, "mismatch", "bad license");
	return ctp_credential_set_license(c, m->npi, state, num, "NPPES",
	    note, e);
}

/*
 * A last name the registry changed: the roster's name goes into
 * other_names as "LAST, FIRST" first, so screening still checks it (the
 * whole name: it stays right if the first name changes later).
 */
static int
keep_former_name(struct ctp_ctx *c, const struct mm *m, const char *note,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	char others[1024];
	int rc, added = 0;

	if (ctp_db_prepare(c->db, &st, "SELECT last_name, first_name, "
	    "other_names FROM providers WHERE id = ?1", e))
		return e->code;
	sqlite3_bind_int64(st, 1, m->provider_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		added = ctp_name_add_former(ctp_col_text(st, 2),
		    ctp_col_text(st, 0), ctp_col_text(st, 1), others,
		    sizeof(others));
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return ctp_db_err(c->db, rc == SQLITE_DONE ? SQLITE_NOTFOUND :
		    rc, "roster", e);
	if (added < 0)
		return ctp_errf(e, CTP_DATAERR, "other_names", "too long to "
		    "add the former name");
	if (added == 0)
		return 0;
	return ctp_roster_set(c, m->npi, "other_names", others, "NPPES", note,
	    e);
}

/*
 * The registry writes names in capitals; a roster whose names are not
 * all capitals gets them in name case (names.h).
 */
static int
roster_case(sqlite3 *db, const char *v, char *out, size_t n,
    struct ctp_error *e)
{
	long long lower;

	if (ctp_db_int(db, "SELECT EXISTS (SELECT 1 FROM providers WHERE "
	    "last_name GLOB '*[a-z]*' OR first_name GLOB '*[a-z]*')", &lower,
	    "roster", e))
		return e->code;
	if (lower)
		ctp_name_case(v, out, n);
	else
		snprintf(out, n, "%s", v);
	return 0;
}

/* One registry value into the roster (a license apart). */
static int
apply_field(struct ctp_ctx *c, const struct mm *m, const char *key,
    const char *v, const char *note, struct ctp_error *e)
{
	char name[256];

	if (v && (strcmp(key, "first_name") == 0 ||
	    strcmp(key, "last_name") == 0)) {
		if (roster_case(c->db, v, name, sizeof(name), e))
			return e->code;
		v = name;
		if (key[0] == 'l' && keep_former_name(c, m, note, e))
			return e->code;
	}
	return ctp_roster_set(c, m->npi, key, v, "NPPES", note, e);
}

int
ctp_npi_accept(struct ctp_ctx *c, long long id, const char *note,
    struct ctp_error *e)
{
	struct mm m;
	json_t *apply = NULL, *v;
	const char *key;
	char where[32];
	int rc;

	snprintf(where, sizeof(where), "mismatch %lld", id);
	if (ctp_check_note(note) != NULL)
		return ctp_errf(e, CTP_DATAERR, "--note", "%s",
		    ctp_check_note(note));
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		return rc;
	if ((rc = mm_load(c, id, &m, e)) != 0)
		goto out;
	if (m.apply == NULL) {
		rc = ctp_errf(e, CTP_DATAERR, where, "%s: nothing in the "
		    "registry to write into the roster; dismiss it with a note",
		    m.field);
		goto out;
	}
	if ((apply = json_loads(m.apply, 0, NULL)) == NULL) {
		rc = ctp_errf(e, CTP_SOFTWARE, where,
		    "stored change unreadable");
		goto out;
	}
	json_object_foreach(apply, key, v) {
		if (strcmp(key, "license") == 0)
			rc = apply_license(c, &m, v, note, e);
		else
			rc = apply_field(c, &m, key, json_string_value(v),
			    note, e);
		if (rc != 0)
			goto out;
	}
	rc = mm_close(c, id, "accepted", note, &m, e);
out:
	if (rc == 0)
		rc = ctp_db_commit(c->db, e);
	if (rc != 0)
		ctp_db_rollback(c->db);
	json_decref(apply);
	free(m.apply);
	return rc;
}

int
ctp_npi_dismiss(struct ctp_ctx *c, long long id, const char *note,
    struct ctp_error *e)
{
	struct mm m;
	int rc;

	memset(&m, 0, sizeof(m));
	if (note == NULL || *note == '\0')
		return ctp_errf(e, CTP_USAGE, "dismiss", "a note is required "
		    "(--note TEXT)");
	if (ctp_check_note(note) != NULL)
		return ctp_errf(e, CTP_DATAERR, "--note", "%s",
		    ctp_check_note(note));
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		return rc;
	if ((rc = mm_load(c, id, &m, e)) == 0)
		rc = mm_close(c, id, "dismissed", note, &m, e);
	if (rc == 0)
		rc = ctp_db_commit(c->db, e);
	if (rc != 0)
		ctp_db_rollback(c->db);
	free(m.apply);
	return rc;
}
