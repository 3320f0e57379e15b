/*
 * fetch.c - one URL downloaded to a file with libcurl (fetch.h): the
 * conditional request, the retry rule both HTTP clients share
 * (ctp_fetch_retryable), timeouts and the progress callback.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "fetch.h"
#include "mem.h"
#include "priv.h"

struct xfer {
	struct ctp_fetch *f;
	FILE *out;
	int werr;
	int toolong;
};

static size_t
on_write(char *p, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;

	if (x->f->mem != NULL) {
		if (x->f->max_bytes && x->f->mem->len + size * n >
		    x->f->max_bytes) {
			x->toolong = 1;
			return 0;
		}
		if (ctp_buf_add(x->f->mem, p, size * n) < 0) {
			x->werr = ENOMEM;
			return 0;
		}
		x->f->bytes += (long long)(size * n);
		return size * n;
	}
	if (fwrite(p, size, n, x->out) != n) {
		x->werr = errno ? errno : EIO;
		return 0;
	}
	x->f->bytes += (long long)(size * n);
	return size * n;
}

/* Keep a header's value (without the line ending) in *dst. */
static void
keep_header(char **dst, const char *v, size_t n)
{
	while (n > 0 && (*v == ' ' || *v == '\t'))
		v++, n--;
	while (n > 0 && (v[n - 1] == '\r' || v[n - 1] == '\n' ||
	    v[n - 1] == ' '))
		n--;
	free(*dst);
	*dst = ctp_strndup(v, n);
}

/* filename="X" or filename=X from Content-Disposition, base name only. */
static void
keep_filename(char **dst, const char *v, size_t n)
{
	const char *f = NULL, *end = v + n, *s;
	size_t i;

	for (i = 0; i + 9 <= n; i++)
		if (strncasecmp(v + i, "filename=", 9) == 0) {
			f = v + i + 9;
			break;
		}
	if (f == NULL)
		return;
	if (f < end && *f == '"')
		f++;
	for (s = f; s < end && *s != '"' && *s != ';' && *s != '\r' &&
	    *s != '\n'; s++)
		if (*s == '/' || *s == '\\')
			f = s + 1;
	if (s > f && !(s - f <= 2 && f[0] == '.')) {
		free(*dst);
		*dst = ctp_strndup(f, (size_t)(s - f));
	}
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n;

	if (len > 20 && strncasecmp(p, "Content-Disposition:", 20) == 0)
		keep_filename(&x->f->file_name, p + 20, len - 20);
	else if (len > 5 && strncasecmp(p, "ETag:", 5) == 0)
		keep_header(&x->f->new_etag, p + 5, len - 5);
	else if (len > 14 && strncasecmp(p, "Last-Modified:", 14) == 0)
		keep_header(&x->f->new_last_modified, p + 14, len - 14);
	return len;
}

static int
on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ult,
    curl_off_t uln)
{
	struct xfer *x = arg;

	(void)ult;
	(void)uln;
	ctp_progress_tell(x->f->progress, x->f->what, CTP_PROGRESS_BYTES,
	    (long long)dlnow, (long long)dltotal, 0);
	return 0;
}

int
ctp_fetch_retryable(CURLcode cc, long status)
{
	switch (cc) {
	case CURLE_OK:
		return status == 429 || (status >= 500 && status <= 599);
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return 1;
	default:
		return 0;
	}
}

/* One attempt: 0 done (200 or 304), 1 retry, else an exit code. */
static int
attempt(CURL *h, struct ctp_fetch *f, struct ctp_error *e)
{
	struct curl_slist *hdr = NULL, *t;
	struct xfer x;
	char *line;
	CURLcode cc;
	int rc = 0, told, i;

	memset(&x, 0, sizeof(x));
	x.f = f;
	told = f->progress != NULL && f->progress->fn != NULL;
	if (f->mem != NULL)
		ctp_buf_reset(f->mem);
	else if ((x.out = fopen(f->dest, "wb")) == NULL)
		return ctp_errf(e, CTP_CANTCREAT, f->what,
		    "cannot write temporary file: %s", strerror(errno));
	f->bytes = 0;
	for (i = 0; f->headers != NULL && f->headers[i] != NULL; i++)
		if ((t = curl_slist_append(hdr, f->headers[i])) != NULL)
			hdr = t;
	if (f->etag && *f->etag) {
		line = ctp_asprintf("If-None-Match: %s", f->etag);
		if (line && (t = curl_slist_append(hdr, line)) != NULL)
			hdr = t;
		free(line);
	}
	if (f->last_modified && *f->last_modified) {
		line = ctp_asprintf("If-Modified-Since: %s", f->last_modified);
		if (line && (t = curl_slist_append(hdr, line)) != NULL)
			hdr = t;
		free(line);
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, &x);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, told ? 0L : 1L);
	cc = curl_easy_perform(h);
	if (told)
		ctp_progress_tell(f->progress, f->what, CTP_PROGRESS_BYTES,
		    f->bytes, 0, 1);
	curl_slist_free_all(hdr);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	if (x.toolong)
		return ctp_errf(e, CTP_UNAVAILABLE, f->what, "the answer is "
		    "longer than %zu bytes", f->max_bytes);
	if (x.out != NULL && fclose(x.out) != 0 && cc == CURLE_OK)
		return ctp_errf(e, CTP_IOERR, f->what,
		    "cannot write temporary file: %s", strerror(errno));
	f->status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &f->status);
	if (cc == CURLE_WRITE_ERROR && x.werr)
		return ctp_errf(e, CTP_IOERR, f->what,
		    "cannot write temporary file: %s", strerror(x.werr));
	if (cc != CURLE_OK) {
		rc = ctp_fetch_retryable(cc, 0) ? 1 : CTP_UNAVAILABLE;
		if (cc == CURLE_OPERATION_TIMEDOUT)
			ctp_errf(e, CTP_UNAVAILABLE, f->what,
			    "download timed out or stalled");
		else if (cc == CURLE_PARTIAL_FILE)
			ctp_errf(e, CTP_UNAVAILABLE, f->what,
			    "download truncated (%lld %s received)",
			    f->bytes, ctp_plural(f->bytes, "byte", "bytes"));
		else
			ctp_errf(e, CTP_UNAVAILABLE, f->what, "%s",
			    curl_easy_strerror(cc));
		return rc;
	}
	if (f->status == 304) {
		f->not_modified = 1;
		return 0;
	}
	if (f->status >= 200 && f->status < 300)
		return 0;
	ctp_errf(e, CTP_UNAVAILABLE, f->what, "server answered HTTP %ld",
	    f->status);
	return ctp_fetch_retryable(CURLE_OK, f->status) ? 1 : CTP_UNAVAILABLE;
}

int
ctp_fetch_file(struct ctp_fetch *f, struct ctp_error *e)
{
	static int inited;
	CURL *h;
	long wait;
	int rc, tries, i;
	struct timespec ts;

	if (!inited) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
			return ctp_errf(e, CTP_SOFTWARE, f->what,
			    "cannot initialize libcurl");
		inited = 1;
	}
	if ((h = curl_easy_init()) == NULL)
		return ctp_errf(e, CTP_SOFTWARE, f->what,
		    "cannot initialize libcurl");
	f->not_modified = 0;
	f->attempts = 0;
	curl_easy_setopt(h, CURLOPT_URL, f->url);
	if (f->post != NULL)
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, f->post);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https,http");
	curl_easy_setopt(h, CURLOPT_USERAGENT, "ctp (credentialing toolkit)");
	if (ctp_secure())	/* no proxy from a hostile environment */
		curl_easy_setopt(h, CURLOPT_PROXY, "");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_FAILONERROR, 0L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT,
	    f->connect_timeout > 0 ? f->connect_timeout : 30L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, f->timeout > 0 ? f->timeout : 900L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, f->stall_time > 0 ?
	    f->stall_time : f->timeout > 0 && f->timeout < 60 ? f->timeout :
	    60L);
	tries = f->retries < 0 ? 4 : f->retries + 1;
	wait = f->backoff_ms > 0 ? f->backoff_ms : 1000;
	for (i = 0;; i++) {
		f->attempts++;
		ctp_error_clear(e);
		rc = attempt(h, f, e);
		if (rc != 1 || i + 1 >= tries)
			break;
		ts.tv_sec = wait / 1000;
		ts.tv_nsec = (wait % 1000) * 1000000L;
		nanosleep(&ts, NULL);
		wait *= 2;
	}
	curl_easy_cleanup(h);
	if (rc == 1) {
		char what[sizeof(e->what)];

		snprintf(what, sizeof(what), "%s", e->what);
		ctp_errf(e, CTP_UNAVAILABLE, f->what, "%s (after %d %s)",
		    what, f->attempts, ctp_plural(f->attempts, "attempt",
		    "attempts"));
		return CTP_UNAVAILABLE;
	}
	return rc;
}

void
ctp_fetch_clear(struct ctp_fetch *f)
{
	free(f->new_etag);
	free(f->new_last_modified);
	free(f->file_name);
	f->new_etag = NULL;
	f->new_last_modified = NULL;
	f->file_name = NULL;
}
