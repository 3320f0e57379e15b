/*
 * fetch.h - download one URL to a file with libcurl.
 *
 * Conditional when the caller remembers an ETag or Last-Modified from the
 * previous download (304 -> not_modified, the file left empty); retries
 * with doubling backoff on 5xx, timeouts and dropped connections; a
 * connect timeout, a total timeout and a low-speed limit for servers that
 * stall; how far a download has come told through f->progress.
 * Messages name f->what, never the URL (it may carry an API key).
 */
#ifndef CTP_FETCH_H
#define CTP_FETCH_H

#include "err.h"
#include "progress.h"

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
 * after the retries (5xx, timeout, stall, truncated body) or at once on
 * another 4xx; CTP_CANTCREAT when dest cannot be written.
 */
int	ctp_fetch_file(struct ctp_fetch *f, struct ctp_error *e);
void	ctp_fetch_clear(struct ctp_fetch *f);

#endif
