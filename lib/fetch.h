/*
 * fetch.h - download one URL to a file with libcurl.
 *
 * Conditional when the caller remembers an ETag or Last-Modified from the
 * previous download (304 -> not_modified, the file left empty); retries
 * with doubling backoff what ctp_fetch_retryable says to retry; a
 * connect timeout, a total timeout and a low-speed limit for servers that
 * stall; how far a download has come told through f->progress.
 * Messages name f->what, never the URL (it may carry an API key).
 */
#ifndef CTP_FETCH_H
#define CTP_FETCH_H

#include <curl/curl.h>

#include "buf.h"
#include "err.h"
#include "progress.h"

/*
 * The one rule of both HTTP clients (this one and the NPI Registry's,
 * npi_client.c): whether a request is worth another try.  A transfer
 * that failed on the way (cc not CURLE_OK: the host not resolved or
 * not reached, the TLS handshake or an HTTP/2 stream broken, a timeout
 * or stall, nothing or only part received) is; else the server's
 * status decides: 429 and 5xx are, everything else (2xx, 3xx, any
 * other 4xx) is not.
 */
int	ctp_fetch_retryable(CURLcode cc, long status);

struct ctp_fetch {
	/* in */
	const char *url;
	const char *dest;		/* file written (truncated first) */
	const char *what;		/* "leie", "sam": for messages */
	const char *etag;		/* from the last download, or NULL */
	const char *last_modified;	/* HTTP date, or NULL */
	long connect_timeout;		/* seconds; 0: 30 */
	long timeout;			/* whole transfer, seconds; 0: 900 */
	long stall_time;		/* seconds under 1 byte/s; 0: min(60, timeout) */
	int retries;			/* after the first try; -1: 3 */
	long backoff_ms;		/* first wait, doubled each time; 0: 1000 */
	const struct ctp_progress *progress;	/* bytes; NULL: none */
	const char *post;		/* a POST of this body; NULL: GET */
	const char *const *headers;	/* more header lines, NULL-ended */
	struct ctp_buf *mem;		/* the body here, not in dest */
	size_t max_bytes;		/* mem: the most kept; 0: any */
	/* out: strings are the caller's to free with ctp_fetch_clear */
	long status;			/* last HTTP status */
	int not_modified;		/* 304: keep what you have */
	char *new_etag;
	char *new_last_modified;
	char *file_name;		/* Content-Disposition filename, base name only */
	long long bytes;
	int attempts;
};

/*
 * 0 on 200 (file complete) or 304 (not_modified set); CTP_UNAVAILABLE
 * after the retries (ctp_fetch_retryable) or at once on an answer not
 * worth retrying; CTP_CANTCREAT when dest cannot be written.
 */
int	ctp_fetch_file(struct ctp_fetch *f, struct ctp_error *e);
void	ctp_fetch_clear(struct ctp_fetch *f);

#endif
