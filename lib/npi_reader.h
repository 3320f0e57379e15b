/*
 * npi_reader.h - the roster's rows of the dissemination file, read on a
 * second thread (npi_reader.c says why and how).
 */
#ifndef CTP_NPI_READER_H
#define CTP_NPI_READER_H

#include <stdint.h>

#include "err.h"
#include "npi_bulk.h"

struct ctp_npi_reader;

/* Start reading b for the n sorted NPIs of set; *out for the others. */
int	ctp_npi_reader_start(struct ctp_npi_reader **out,
	    struct ctp_npi_bulk *b, const uint64_t *set, size_t n,
	    struct ctp_error *e);
/*
 * The next roster row of the file: 1 with *rec (the reader's, valid
 * until the next call), 0 at the end, else an error code with e filled.
 */
int	ctp_npi_reader_next(struct ctp_npi_reader *rd,
	    const struct ctp_npi_rec **rec, struct ctp_error *e);
/* Stop the reader wherever it is and free it (NULL: nothing). */
void	ctp_npi_reader_end(struct ctp_npi_reader *rd);

#endif
