/*
 * npi_api.h - the NPPES NPI Registry API's JSON to a registry record.
 */
#ifndef CTP_NPI_API_H
#define CTP_NPI_API_H

#include <stddef.h>

#include "err.h"
#include "npi_record.h"

/*
 * Parse one API response body for npi.  0 with *found 1 and rec filled,
 * 0 with *found 0 for an empty result set, CTP_DATAERR for invalid JSON,
 * an "Errors" array (its number and description in the message) or a
 * record for another NPI.
 */
int	ctp_npi_parse_api(const char *body, size_t len, const char *npi,
	    struct ctp_npi_rec *rec, int *found, struct ctp_error *e);

#endif
