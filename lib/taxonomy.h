/*
 * taxonomy.h - the NUCC Health Care Provider Taxonomy code set.
 *
 * Loading a NUCC CSV (Code, Grouping, Classification, Specialization, ...)
 * replaces the code set in one transaction: codes in the file are current,
 * codes loaded before but missing from the file are kept as retired.
 */
#ifndef CTP_TAXONOMY_H
#define CTP_TAXONOMY_H

#include "auth.h"
#include "err.h"

struct ctp_taxonomy_stats {
	long long codes, added, retired;
};

/* Load path ("-" stdin); a bad row rejects the file (CTP_DATAERR). */
int	ctp_taxonomy_load(struct ctp_ctx *c, const char *path,
	    struct ctp_taxonomy_stats *st, struct ctp_error *e);

#endif
