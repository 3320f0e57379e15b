/*
 * csvio.h - a streaming CSV record parser over libcsv (strict RFC 4180:
 * quotes, embedded commas and newlines, CRLF; surrounding spaces kept;
 * blank lines skipped).  Feed it lines, pop complete records.
 */
#ifndef CTP_CSVIO_H
#define CTP_CSVIO_H

#include <stddef.h>

#include "err.h"

struct ctp_csvp;

/* A complete record: nf fields, each NUL-terminated; freed with free(). */
struct ctp_csvrec {
	size_t line;		/* physical line where the record starts */
	size_t nf;
	char **f;		/* points into the same allocation */
	size_t *len;
};

struct ctp_csvp *ctp_csvp_new(void);	/* NULL when out of memory */
void	ctp_csvp_free(struct ctp_csvp *);
/* Feed physical line lineno (with its line ending); -1 on a parse error. */
int	ctp_csvp_feed(struct ctp_csvp *, const char *s, size_t n,
	    size_t lineno);
/* End of input; -1 when a quoted field is left open. */
int	ctp_csvp_finish(struct ctp_csvp *);
/* 1 and *rec (caller frees) when a record is ready, else 0. */
int	ctp_csvp_pop(struct ctp_csvp *, struct ctp_csvrec **rec);
/* Line where the failed record started, and why. */
size_t	ctp_csvp_error_line(struct ctp_csvp *);
const char *ctp_csvp_error(struct ctp_csvp *);

#endif
