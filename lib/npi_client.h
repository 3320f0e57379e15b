/*
 * npi_client.h - look NPIs up through the NPPES NPI Registry API: the
 * libcurl multi interface, several requests in flight, a cap on requests
 * per second, retries with backoff, timeouts.
 */
#ifndef CTP_NPI_CLIENT_H
#define CTP_NPI_CLIENT_H

#include <stddef.h>

#include "err.h"
#include "npi_record.h"
#include "progress.h"

struct ctp_npi_opts {
	const char *api_url;		/* "?version=2.1&number=N" added */
	long parallel;			/* requests in flight (8) */
	double rate;			/* started per second at most, 0 any */
	long retries;			/* further tries after a failure (3) */
	long backoff_ms;		/* first retry delay, doubling (500) */
	long connect_timeout_ms;	/* (10000) */
	long timeout_ms;		/* whole request (30000) */
};

void	ctp_npi_opts_default(struct ctp_npi_opts *);

/*
 * What the API said for npis[i]: status 0 with found and rec (the
 * callback takes over rec's strings, or leaves them to be cleared), else
 * the error (CTP_UNAVAILABLE after retries, CTP_DATAERR for a bad body).
 */
struct ctp_npi_result {
	size_t i;
	int status;
	int found;
	struct ctp_npi_rec rec;
	struct ctp_error err;
	long attempts;
};

/*
 * Look up n NPIs.  cb runs once per NPI, in completion order; p (may be
 * NULL) is told how many were answered.  Returns 0 when every lookup ran
 * (each result has its own status), else an error that stopped the run
 * (out of memory, curl could not start) or cb's non-zero return.
 */
int	ctp_npi_fetch(const struct ctp_npi_opts *o, const char *const *npis,
	    size_t n, int (*cb)(void *arg, struct ctp_npi_result *r),
	    void *arg, const struct ctp_progress *p, struct ctp_error *e);

/* Statistics of the last ctp_npi_fetch (for benchmarks and -v). */
struct ctp_npi_stats {
	long requests;		/* HTTP requests started, retries included */
	long retries;
	double seconds;
	double max_rate;	/* most requests started in any 1 s window */
};
void	ctp_npi_last_stats(struct ctp_npi_stats *);

#endif
