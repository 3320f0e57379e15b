/*
 * npi.h - the NPPES NPI registry: look providers up through the
 * registry API (libcurl multi interface, several requests in flight, a
 * cap on requests per second, retries with backoff, timeouts) or in the
 * monthly dissemination file (streamed once, rows off the roster skipped
 * before they are parsed), compare the registry with the roster, and keep
 * the differences as mismatches a coordinator accepts or dismisses.
 *
 * Registry records are flattened to our field names (ctp_npi_fields).
 * Messages never quote names or addresses; NPIs and mismatch ids only.
 */
#ifndef CTP_NPI_H
#define CTP_NPI_H

#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "err.h"
#include "out.h"
#include "progress.h"

enum {
	CTP_NPI_NPI,
	CTP_NPI_ENTITY_TYPE,		/* NPI-1 person, NPI-2 organization */
	CTP_NPI_STATUS,			/* A active, D deactivated */
	CTP_NPI_FIRST_NAME,
	CTP_NPI_MIDDLE_NAME,
	CTP_NPI_LAST_NAME,
	CTP_NPI_ORGANIZATION_NAME,
	CTP_NPI_CREDENTIAL,
	CTP_NPI_TAXONOMY,		/* primary taxonomy code */
	CTP_NPI_TAXONOMY_DESC,
	CTP_NPI_LICENSE,		/* license for the primary taxonomy */
	CTP_NPI_LICENSE_STATE,
	CTP_NPI_PRACTICE_ADDRESS,
	CTP_NPI_PRACTICE_ADDRESS_2,
	CTP_NPI_PRACTICE_CITY,
	CTP_NPI_PRACTICE_STATE,
	CTP_NPI_PRACTICE_ZIP,
	CTP_NPI_PRACTICE_PHONE,
	CTP_NPI_ENUMERATION_DATE,
	CTP_NPI_LAST_UPDATED,
	CTP_NPI_DEACTIVATION_DATE,
	CTP_NPI_NFIELDS
};

/*
 * One registry record: f[k] is the value of field k, NULL when absent.
 * The strings live in buf_ (owned, reused from row to row; private);
 * ctp_npi_rec_clear frees them.  Copying the struct moves ownership.
 */
struct ctp_npi_rec {
	char *f[CTP_NPI_NFIELDS];
	char *buf_[CTP_NPI_NFIELDS];
	size_t cap_[CTP_NPI_NFIELDS];
};

/* Column names and types for a record (CTP_NPI_NFIELDS of them). */
extern const struct ctp_col ctp_npi_rec_columns[];
/* Free the strings and zero the record. */
void	ctp_npi_rec_clear(struct ctp_npi_rec *);

/*
 * Parse one API response body for npi.  0 with *found 1 and rec filled,
 * 0 with *found 0 for an empty result set, CTP_DATAERR for invalid JSON,
 * an "Errors" array (its number and description in the message) or a
 * record for another NPI.
 */
int	ctp_npi_parse_api(const char *body, size_t len, const char *npi,
	    struct ctp_npi_rec *rec, int *found, struct ctp_error *e);

struct ctp_npi_opts {
	const char *api_url;		/* base; "?version=2.1&number=N" added */
	long parallel;			/* requests in flight (8) */
	double rate;			/* requests started per second, 0 none */
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

/*
 * The dissemination file.  ctp_npi_bulk_open reads and checks the header
 * (330 columns, the columns we use by name); a zip archive or another
 * header is CTP_DATAERR.  progress (may be NULL) is told the bytes read,
 * from the thread that reads, and the end at ctp_npi_bulk_close.  ctp_npi_bulk_next returns the next row whose
 * NPI is in set (n sorted NPIs as numbers): 1 with rec filled, 0 at a
 * clean end of file, or an error code (a truncated file, a row with the
 * wrong number of columns: CTP_DATAERR).  Rows off the set are skipped by
 * their first 13 bytes without being parsed.
 */
struct ctp_npi_bulk;

int	ctp_npi_bulk_open(struct ctp_npi_bulk **b, const char *path,
	    const struct ctp_progress *progress, struct ctp_error *e);
int	ctp_npi_bulk_next(struct ctp_npi_bulk *b, const uint64_t *set,
	    size_t n, struct ctp_npi_rec *rec, struct ctp_error *e);
/* Lines read so far (the header included). */
long long ctp_npi_bulk_lines(const struct ctp_npi_bulk *b);
void	ctp_npi_bulk_close(struct ctp_npi_bulk *b);

/* Compare helpers, exposed for tests: 1 when the same legal name part. */
int	ctp_npi_name_same(const char *a, const char *b);
/* License numbers compared without case, spaces, dashes or leading 0s. */
int	ctp_npi_license_same(const char *a, const char *b);

/* One refresh run. */
struct ctp_npi_refresh {
	const char *bulk;		/* dissemination file, else the API */
	const char *const *npis;	/* providers to check; NULL: roster */
	size_t nnpis;
	struct ctp_npi_opts api;
	long as_of;			/* day number (date.h) */
	/* told of the answers, or of the bytes of the file read */
	struct ctp_progress progress;
	/*
	 * Told of each provider the registry could not answer for, before
	 * the others are stored (the program names them); NULL: nobody.
	 */
	void	(*failed)(void *arg, const struct ctp_error *e);
	void	*failed_arg;
};

struct ctp_npi_summary {
	long checked;
	long matched;
	long mismatched;	/* providers with at least one difference */
	long not_found;
	long deactivated;
	long new_mismatches;	/* mismatches opened (or changed) this run */
	long failed;		/* providers not checked */
	long long lines;	/* bulk: lines read */
};

/*
 * Compare the roster (or the listed NPIs, which must be on it) with the
 * registry and store the differences; new and changed open mismatches are
 * written to o (ctp_npi_mismatch_columns).  One PSV entry per provider
 * checked, one audit event per registry call (each API request; the bulk
 * file as one).  Providers the registry could not answer for keep their
 * previous state, are told to r->failed, and make the return
 * CTP_UNAVAILABLE (unreachable) or CTP_DATAERR (bad answers) once the
 * others are stored.  A bad bulk file stores nothing.
 */
int	ctp_npi_refresh(struct ctp_ctx *c, const struct ctp_npi_refresh *r,
	    struct ctp_out *o, struct ctp_npi_summary *s,
	    struct ctp_error *e);

/* The registry record of one NPI (audit-logged); *found 0 when absent. */
int	ctp_npi_lookup(struct ctp_ctx *c, const struct ctp_npi_opts *o,
	    const char *npi, struct ctp_npi_rec *rec, int *found,
	    struct ctp_error *e);

extern const struct ctp_col ctp_npi_mismatch_columns[];
#define CTP_NPI_MISMATCH_NCOLUMNS 11

/* status: open, accepted, dismissed, resolved or all; NULL = open. */
int	ctp_npi_mismatches(struct ctp_ctx *c, const char *status,
	    struct ctp_out *o, struct ctp_error *e);
/* Write the registry value into the roster (history rows), close it. */
int	ctp_npi_accept(struct ctp_ctx *c, long long id, const char *note,
	    struct ctp_error *e);
/* Keep the roster value; note required. */
int	ctp_npi_dismiss(struct ctp_ctx *c, long long id, const char *note,
	    struct ctp_error *e);

#endif
