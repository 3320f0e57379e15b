/*
 * csvio.h - the one place CSV is split: a streaming record parser over
 * libcsv (strict RFC 4180: quotes, embedded commas and newlines, CRLF;
 * blank lines skipped; surrounding spaces kept unless CTP_CSV_TRIM),
 * fed lines and popping complete records; the fast splitter of one plain
 * line that it and the bulk readers use; and SAM's one leniency.
 */
#ifndef CTP_CSVIO_H
#define CTP_CSVIO_H

#include <stddef.h>

#include "err.h"

struct ctp_csvp;

/*
 * A complete record: nf fields, each NUL-terminated, in one allocation
 * freed with free(); empty fields may share one NUL, so a field is not
 * to be written past its length.
 */
struct ctp_csvrec {
	size_t line;		/* physical line where the record starts */
	size_t nf;
	char **f;		/* points into the same allocation */
	size_t *len;
};

/*
 * Spaces and tabs around an unquoted field dropped, as libcsv does by
 * default (the NPPES file); without it they are kept.
 */
#define CTP_CSV_TRIM	1

/* flags: 0 or CTP_CSV_TRIM.  NULL when out of memory. */
struct ctp_csvp *ctp_csvp_new(int flags);
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
/* libcsv's own words for its last error ("success" when it had none). */
const char *ctp_csvp_libcsv_error(struct ctp_csvp *);

/* A field that is not empty: the i-th of its line (from 0), n bytes at s. */
struct ctp_csv_field {
	size_t i;
	const char *s;
	size_t n;
};

#define CTP_CSV_SLOW	1	/* not a plain line: libcsv must read it */

/*
 * The fields of line s (n bytes, its "\n" or "\r\n" included) without
 * libcsv, when the line is a whole record of plain fields: each either
 * "text" with no quote inside, or unquoted text with no quote or CR
 * (with CTP_CSV_TRIM, and no space or tab at either end).  For such a
 * line libcsv, strict and with the same flags, gives exactly these
 * fields.  0 with *nf, the number of fields (0 for a blank line, which
 * libcsv skips), and in f the fields that are not empty, *nset of them
 * (those past max counted, not stored); every other field is empty.
 * CTP_CSV_SLOW for any other line.
 */
int	ctp_csv_split_fast(const char *s, size_t n, int flags,
	    struct ctp_csv_field *f, size_t max, size_t *nf, size_t *nset);

/*
 * SAM's leniency, for a record libcsv refuses: every field quoted,
 * split on the "," between fields, doubled quotes undoubled, in place
 * in s (a NUL-terminated record, line end included).  The field count
 * (the first max of them in f), 0 when s is not quoted all through.
 */
size_t	ctp_csv_split_lenient(char *s, char **f, size_t max);

#endif
