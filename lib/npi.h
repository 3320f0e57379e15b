/*
 * npi.h - what ctp-npi uses: check the roster against the NPPES NPI
 * registry, through the registry API (npi_client.h) or the monthly
 * dissemination file (npi_bulk.h, read on a thread of its own:
 * npi_reader.h), keep the differences (npi_compare.h) as mismatches
 * (npi_store.h), and let a coordinator accept or dismiss them.
 *
 * Registry records are flattened to our field names (npi_record.h).
 * Messages never quote names or addresses; NPIs and mismatch ids only.
 */
#ifndef CTP_NPI_H
#define CTP_NPI_H

#include <stddef.h>

#include "auth.h"
#include "err.h"
#include "npi_cache.h"
#include "npi_client.h"
#include "npi_record.h"
#include "out.h"
#include "progress.h"

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
	/*
	 * The registry's answers of a run over several organizations
	 * (npi_cache.h): an NPI answered for one is not asked again for
	 * the next.  NULL: every NPI is asked.
	 */
	struct ctp_npi_cache *cache;
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
