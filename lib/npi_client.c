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

/*
 * One loop over libcurl's multi handle, longer than 100 lines because
 * its three steps share the transfers' state: start what the cap on
 * requests per second allows (a retry that is due first), take what
 * finished (an answer, a retry after a doubling delay, or a failure),
 * and sleep until a transfer moves, a retry is due or a slot opens.
 */
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
		if (ctp_secure())	/* no proxy from a hostile environment */
			curl_easy_setopt(xs[k].h, CURLOPT_PROXY, "");
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
			retry = ctp_fetch_retryable(msg->data.result, code);
			if (msg->data.result != CURLE_OK) {
				ctp_errf(&res.err, CTP_UNAVAILABLE, npis[x->i],
				    "registry unreachable: %s", x->toobig ?
				    "answer too large" :
				    curl_easy_strerror(msg->data.result));
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
