/*
 * npi_bulk.h - the NPPES dissemination file: the roster's rows of it,
 * the others turned away by the NPI at the start of their line.
 */
#ifndef CTP_NPI_BULK_H
#define CTP_NPI_BULK_H

#include <stdint.h>

#include "err.h"
#include "npi_record.h"
#include "progress.h"

/*
 * The dissemination file.  ctp_npi_bulk_open reads and checks the header
 * (330 columns, the columns we use by name); a zip archive or another
 * header is CTP_DATAERR.  progress (may be NULL) is told the bytes read,
 * from the thread that reads, and the end at ctp_npi_bulk_close.
 * ctp_npi_bulk_next returns the next row whose NPI is in set (n sorted
 * NPIs as numbers): 1 with rec filled, 0 at a clean end of file, or an
 * error code (a truncated file, a row with the wrong number of columns:
 * CTP_DATAERR).  Rows off the set are skipped by their first 13 bytes
 * without being parsed.
 */
struct ctp_npi_bulk;

int	ctp_npi_bulk_open(struct ctp_npi_bulk **b, const char *path,
	    const struct ctp_progress *progress, struct ctp_error *e);
int	ctp_npi_bulk_next(struct ctp_npi_bulk *b, const uint64_t *set,
	    size_t n, struct ctp_npi_rec *rec, struct ctp_error *e);
/* Lines read so far (the header included). */
long long ctp_npi_bulk_lines(const struct ctp_npi_bulk *b);
void	ctp_npi_bulk_close(struct ctp_npi_bulk *b);

/* An NPI, ten digits and the end of the string, as a number in *k; 1 or 0. */
int	ctp_npi_key(const char *s, uint64_t *k);

#endif
