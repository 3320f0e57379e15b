/*
 * npi_client.c - the NPPES NPI Registry API client: libcurl's multi
 * interface, several requests in flight, a cap on requests started per
 * second, retries with a doubling delay (of what ctp_fetch_retryable,
 * fetch.h, says to retry), timeouts.  See npi_client.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "buf.h"
#include "fetch.h"
#include "mem.h"
#include "npi_api.h"
#include "npi_client.h"
#include "priv.h"
#include "version.h"

#define MAX_BODY (8 * 1024 * 1024)	/* a registry answer is a few kB */

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

/* One ctp_npi_fetch: its transfers, retries and pace. */
struct run {
	const struct ctp_npi_opts *o;
	const char *const *npis;
	size_t n;
	CURLM *m;
	struct xfer *xs;
	size_t nx;
	struct retry *rq;	/* answers to ask again, when due */
	size_t nrq;
	double *starts;		/* when each request started */
	size_t nstarts;
	size_t nexti;		/* the first NPI not yet asked */
	size_t done;
	long active;
	double interval, next_slot;	/* the cap on requests a second */
};

/* The handles, one per request in flight; 0 or e->code. */
static int
run_open(struct run *r, struct ctp_error *e)
{
	static int inited;
	const struct ctp_npi_opts *o = r->o;
	CURL *h;
	size_t k;

	if (!inited) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return ctp_errf(e, CTP_SOFTWARE, "curl",
			    "cannot initialize");
		inited = 1;
	}
	r->nx = o->parallel > 0 ? (size_t)o->parallel : 1;
	if (r->nx > r->n)
		r->nx = r->n;
	r->xs = ctp_calloc(r->nx, sizeof(*r->xs));
	r->rq = ctp_calloc(r->n, sizeof(*r->rq));
	r->starts = ctp_calloc(r->n * (size_t)(o->retries + 1) + 1,
	    sizeof(*r->starts));
	if (r->xs == NULL || r->rq == NULL || r->starts == NULL)
		return ctp_err_nomem(e, "registry requests");
	if ((r->m = curl_multi_init()) == NULL)
		return ctp_errf(e, CTP_SOFTWARE, "curl", "cannot initialize");
	curl_multi_setopt(r->m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)r->nx);
	for (k = 0; k < r->nx; k++) {
		if ((h = r->xs[k].h = curl_easy_init()) == NULL)
			return ctp_errf(e, CTP_SOFTWARE, "curl",
			    "cannot initialize");
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(h, CURLOPT_WRITEDATA, &r->xs[k]);
		curl_easy_setopt(h, CURLOPT_PRIVATE, &r->xs[k]);
		curl_easy_setopt(h, CURLOPT_ERRORBUFFER, r->xs[k].errbuf);
		curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
		    o->connect_timeout_ms);
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, o->timeout_ms);
		curl_easy_setopt(h, CURLOPT_USERAGENT, "ctp-npi/" CTP_VERSION);
		curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
		curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
		if (ctp_secure())	/* no proxy from a hostile environment */
			curl_easy_setopt(h, CURLOPT_PROXY, "");
	}
	return 0;
}

/*
 * Start what the cap on requests per second allows, a retry that is due
 * before a new NPI; 0 or e->code.
 */
static int
run_start(struct run *r, double now, struct ctp_error *e)
{
	struct xfer *x;
	size_t j, k, best;
	int rc;

	while (r->active < (long)r->nx) {
		best = (size_t)-1;
		for (j = 0; j < r->nrq; j++)
			if (r->rq[j].due <= now && (best == (size_t)-1 ||
			    r->rq[j].due < r->rq[best].due))
				best = j;
		if (best == (size_t)-1 && r->nexti >= r->n)
			break;
		if (r->interval > 0 && now < r->next_slot)
			break;
		for (k = 0; k < r->nx && r->xs[k].busy; k++)
			;
		x = &r->xs[k];
		if (best != (size_t)-1) {
			x->i = r->rq[best].i;
			x->attempt = r->rq[best].attempt;
			r->rq[best] = r->rq[--r->nrq];
			last_stats.retries++;
		} else {
			x->i = r->nexti++;
			x->attempt = 0;
		}
		if ((rc = start_xfer(r->m, x, r->o, r->npis[x->i], e)) != 0)
			return rc;
		r->active++;
		r->starts[r->nstarts++] = now;
		last_stats.requests++;
		if (r->interval > 0)
			r->next_slot = (r->next_slot > now ? r->next_slot :
			    now) + r->interval;
	}
	return 0;
}

/*
 * A finished transfer: its answer to cb, or, when ctp_fetch_retryable
 * says so and tries are left, a retry after a doubling delay.  0, or
 * what cb returned.
 */
static int
run_take(struct run *r, CURLMsg *msg,
    int (*cb)(void *arg, struct ctp_npi_result *res), void *arg)
{
	const struct ctp_npi_opts *o = r->o;
	struct ctp_npi_result res;
	struct xfer *x;
	long code = 0;
	size_t wl;
	int retry, rc;

	curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
	curl_multi_remove_handle(r->m, x->h);
	x->busy = 0;
	r->active--;
	memset(&res, 0, sizeof(res));
	res.i = x->i;
	res.attempts = x->attempt + 1;
	curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &code);
	retry = ctp_fetch_retryable(msg->data.result, code);
	if (msg->data.result != CURLE_OK) {
		ctp_errf(&res.err, CTP_UNAVAILABLE, r->npis[x->i],
		    "registry unreachable: %s", x->toobig ?
		    "answer too large" : curl_easy_strerror(msg->data.result));
		res.status = CTP_UNAVAILABLE;
	} else if (code != 200) {
		ctp_errf(&res.err, CTP_UNAVAILABLE, r->npis[x->i],
		    "registry answered HTTP %ld", code);
		res.status = CTP_UNAVAILABLE;
	} else
		res.status = ctp_npi_parse_api(x->body.s ? x->body.s : "",
		    x->body.len, r->npis[x->i], &res.rec, &res.found,
		    &res.err);
	if (retry && x->attempt < o->retries) {
		r->rq[r->nrq].i = x->i;
		r->rq[r->nrq].attempt = x->attempt + 1;
		r->rq[r->nrq].due = now_s() + o->backoff_ms / 1000.0 *
		    (double)(1L << (x->attempt < 10 ? x->attempt : 10));
		r->nrq++;
		ctp_npi_rec_clear(&res.rec);
		return 0;
	}
	if (retry && o->retries > 0) {
		wl = strlen(res.err.what);
		snprintf(res.err.what + wl, sizeof(res.err.what) - wl,
		    " after %ld %s", x->attempt + 1,
		    ctp_plural(x->attempt + 1, "try", "tries"));
	}
	r->done++;
	rc = cb(arg, &res);
	ctp_npi_rec_clear(&res.rec);
	return rc;
}

/* How long to sleep: till a transfer moves, a retry is due, a slot opens. */
static int
run_wait_ms(const struct run *r, double now)
{
	double wait = 0.1;
	size_t j;
	int ready = r->active < (long)r->nx && r->nexti < r->n;

	for (j = 0; j < r->nrq; j++) {
		if (r->rq[j].due <= now)
			ready = r->active < (long)r->nx;
		else if (r->rq[j].due - now < wait)
			wait = r->rq[j].due - now;
	}
	if (ready)
		wait = r->interval > 0 && r->next_slot > now ?
		    r->next_slot - now : 0;
	if (wait > 0.1)
		wait = 0.1;
	return (int)ceil(wait * 1000);
}

static void
run_close(struct run *r)
{
	size_t k, win;

	/* Most requests started within any one second. */
	for (k = 0, win = 0; k < r->nstarts; k++) {
		while (r->starts[k] - r->starts[win] >= 1.0)
			win++;
		if ((double)(k - win + 1) > last_stats.max_rate)
			last_stats.max_rate = (double)(k - win + 1);
	}
	if (r->xs != NULL)
		for (k = 0; k < r->nx; k++) {
			if (r->xs[k].busy)
				curl_multi_remove_handle(r->m, r->xs[k].h);
			if (r->xs[k].h)
				curl_easy_cleanup(r->xs[k].h);
			ctp_buf_free(&r->xs[k].body);
		}
	if (r->m)
		curl_multi_cleanup(r->m);
	free(r->xs);
	free(r->rq);
	free(r->starts);
}

int
ctp_npi_fetch(const struct ctp_npi_opts *o, const char *const *npis,
    size_t n, int (*cb)(void *arg, struct ctp_npi_result *r), void *arg,
    const struct ctp_progress *p, struct ctp_error *e)
{
	struct run r;
	CURLMsg *msg;
	double t0;
	int rc, left;

	memset(&last_stats, 0, sizeof(last_stats));
	if (n == 0)
		return 0;
	memset(&r, 0, sizeof(r));
	r.o = o;
	r.npis = npis;
	r.n = n;
	r.interval = o->rate > 0 ? 1.0 / o->rate : 0;
	r.next_slot = t0 = now_s();
	if ((rc = run_open(&r, e)) != 0)
		goto out;
	while (r.done < n) {
		if ((rc = run_start(&r, now_s(), e)) != 0)
			goto out;
		if (curl_multi_perform(r.m, &left) != CURLM_OK) {
			rc = ctp_errf(e, CTP_SOFTWARE, "curl",
			    "transfer failed");
			goto out;
		}
		while ((msg = curl_multi_info_read(r.m, &left)) != NULL)
			if (msg->msg == CURLMSG_DONE &&
			    (rc = run_take(&r, msg, cb, arg)) != 0)
				goto out;
		ctp_progress_tell(p, NULL, CTP_PROGRESS_ITEMS,
		    (long long)r.done, (long long)n, 0);
		if (r.done >= n)
			break;
		if (curl_multi_poll(r.m, NULL, 0, run_wait_ms(&r, now_s()),
		    NULL) != CURLM_OK) {
			rc = ctp_errf(e, CTP_SOFTWARE, "curl", "poll failed");
			goto out;
		}
	}
	last_stats.seconds = now_s() - t0;
out:
	ctp_progress_tell(p, NULL, CTP_PROGRESS_ITEMS, (long long)r.done,
	    (long long)n, 1);
	run_close(&r);
	return rc;
}
