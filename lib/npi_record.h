/*
 * npi_record.h - one record of the NPPES registry, flattened to ctp's
 * field names (ctp-npi lookup prints it): as the API answers it
 * (npi_api.h) or a row of the dissemination file gives it (npi_bulk.h).
 */
#ifndef CTP_NPI_RECORD_H
#define CTP_NPI_RECORD_H

#include <stddef.h>

#include "out.h"

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
/* Every field absent, the storage kept for the next row. */
void	ctp_npi_rec_reset(struct ctp_npi_rec *);
/*
 * Set field k to s (n bytes, or strlen), NULL for an empty value; 0, or
 * -1 without memory.  A date in any accepted form is kept as
 * YYYY-MM-DD by ctp_npi_rec_set_date (other text as it is).
 */
int	ctp_npi_rec_setn(struct ctp_npi_rec *, int k, const char *s, size_t n);
int	ctp_npi_rec_set(struct ctp_npi_rec *, int k, const char *s);
int	ctp_npi_rec_set_date(struct ctp_npi_rec *, int k, const char *s);
/* Field k, "" when absent (the record's own storage). */
const char *ctp_npi_rec_str(const struct ctp_npi_rec *, int k);
/*
 * The first field that holds a control character (C0 or DEL; an
 * address may span lines), or -1: such a record is refused.
 */
int	ctp_npi_rec_control(const struct ctp_npi_rec *);

#endif
