/*
 * npi_compare.h - which differences between a roster provider and its
 * registry record are mismatches.  No database.
 */
#ifndef CTP_NPI_COMPARE_H
#define CTP_NPI_COMPARE_H

#include <stddef.h>

#include <jansson.h>

#include "npi_record.h"

/*
 * A roster provider as the comparison sees it: plain strings (NULL or ""
 * when empty) and the active state licenses.  No database.
 */
struct ctp_npi_license {
	const char *number;
	const char *state;
};

struct ctp_npi_provider {
	const char *npi;
	const char *first_name;
	const char *last_name;
	const char *taxonomy;
	const char *address;		/* practice location */
	const char *city;
	const char *state;
	const char *zip;
	const char *status;		/* active, inactive, ... */
	const struct ctp_npi_license *licenses;
	size_t nlicenses;
};

#define CTP_NPI_DIFF_MAX 8
#define CTP_NPI_VAL_MAX 400

struct ctp_npi_diff {
	const char *field;
	char roster[CTP_NPI_VAL_MAX];
	char registry[CTP_NPI_VAL_MAX];
	json_t *apply;		/* owned; NULL when nothing to write */
};

struct ctp_npi_diffs {
	struct ctp_npi_diff d[CTP_NPI_DIFF_MAX];
	int n;
};

/*
 * The differences between a roster provider and its registry record (g
 * NULL: the registry does not know the NPI), in the order ctp-npi(1)
 * gives; 0, or -1 without memory (ds then holds what was found).  Each
 * difference's apply is ds's: ctp_npi_diffs_clear frees them.
 */
int	ctp_npi_compare(const struct ctp_npi_provider *p,
	    const struct ctp_npi_rec *g, struct ctp_npi_diffs *ds);
void	ctp_npi_diffs_clear(struct ctp_npi_diffs *ds);
/* Compare helpers, exposed for tests: 1 when the same legal name part. */
int	ctp_npi_name_same(const char *a, const char *b);
/* License numbers compared without case, spaces, dashes or leading 0s. */
int	ctp_npi_license_same(const char *a, const char *b);

#endif
