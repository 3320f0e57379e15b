/*
 * npi_cache.h - the registry's answers of one run, kept in memory: a
 * refresh across several organizations (ctp-npi refresh --db DIR) asks
 * the registry once for a provider on two clients' rosters.  Only
 * answers are kept (found or not found), never a failure, which the
 * next organization asks again.  Nothing is written to disk.
 */
#ifndef CTP_NPI_CACHE_H
#define CTP_NPI_CACHE_H

#include "npi_record.h"

struct ctp_npi_cache;

/* NULL without memory. */
struct ctp_npi_cache *ctp_npi_cache_new(void);
void	ctp_npi_cache_free(struct ctp_npi_cache *);
/*
 * The answer kept for npi asked of api: 1 with *found and a copy in rec
 * (cleared first), 0 when none is kept, -1 without memory.
 */
int	ctp_npi_cache_get(const struct ctp_npi_cache *, const char *api,
	    const char *npi, int *found, struct ctp_npi_rec *rec);
/* Keep an answer (rec copied; NULL when not found): 0, or -1. */
int	ctp_npi_cache_put(struct ctp_npi_cache *, const char *api,
	    const char *npi, int found, const struct ctp_npi_rec *rec);

#endif
