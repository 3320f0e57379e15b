/*
 * pdf_join.h - PDF files joined into one, in process (pdf_join.c).
 */
#ifndef CTP_PDF_JOIN_H
#define CTP_PDF_JOIN_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

/* An input: the file path, or (path NULL) n bytes at p. */
struct ctp_pdf_in {
	const char *path;
	const void *p;
	size_t n;
};

/*
 * Every page of the n inputs, in order, into the file out (created or
 * truncated) or, when out is NULL, appended to mem.  The file's ID is
 * derived from seed, text that differs when the inputs do (their
 * SHA-256s): the same inputs and seed give the same bytes.  in[0] must be
 * read; any other input that is not a PDF that can be read is left out,
 * with skipped[i] set to 1 (others 0).  *pages gets the pages written.
 * 0, or CTP_DATAERR (in[0] unreadable), CTP_IOERR (out).
 */
int	ctp_pdf_join(const struct ctp_pdf_in *in, size_t n, const char *seed,
	    const char *out, struct ctp_buf *mem, int *skipped, long *pages,
	    struct ctp_error *e);

#endif
