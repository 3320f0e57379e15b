/*
 * npi_roster.h - the roster in memory for a refresh: each provider as
 * the comparison takes it (npi_compare.h), found by NPI.
 */
#ifndef CTP_NPI_ROSTER_H
#define CTP_NPI_ROSTER_H

#include <stdint.h>

#include <sqlite3.h>

#include "err.h"
#include "npi_compare.h"

struct ctp_npi_rkey;
struct ctp_npi_strblk;

/* One provider of the roster. */
struct ctp_npi_entry {
	struct ctp_npi_provider p;	/* strings in the roster's blocks */
	long long id;
	uint64_t key;			/* the NPI as a number */
	unsigned char open;		/* has open mismatches */
	unsigned char want;		/* to be checked in this run */
	unsigned char seen;		/* answered (found, absent or failed) */
};

/* The roster in id order, an index by NPI, the licenses by provider. */
struct ctp_npi_roster {
	struct ctp_npi_entry *e;
	size_t n, cap;
	struct ctp_npi_rkey *bykey;		/* sorted by key */
	struct ctp_npi_license *lic;	/* each provider's together */
	struct ctp_npi_strblk *blk;	/* the strings, newest block first */
};

/* Every provider, their active state licenses and open flags. */
int	ctp_npi_roster_load(sqlite3 *db, struct ctp_npi_roster *r,
	    struct ctp_error *e);
/* Free what ctp_npi_roster_load took and zero r. */
void	ctp_npi_roster_free(struct ctp_npi_roster *r);
/* The provider with the NPI k (ctp_npi_key), or NULL. */
struct ctp_npi_entry *ctp_npi_roster_find(struct ctp_npi_roster *r,
	    uint64_t k);
/*
 * The NPIs the bulk reader looks for as numbers, sorted, in *out (the
 * caller frees it): the nnpis of npis, or with npis NULL every NPI on
 * the roster.
 */
int	ctp_npi_roster_keys(sqlite3 *db, const char *const *npis,
	    size_t nnpis, uint64_t **out, size_t *nout, struct ctp_error *e);

#endif
