/*
 * input.h - read records from a CSV file (header row first) or a JSON
 * Lines stream, detected from the first byte ('{' means JSON Lines).
 *
 * CSV text may be UTF-8 (with or without BOM) or Windows-1252/Latin-1:
 * everything handed out is UTF-8.  With CTP_ENC_AUTO a field that is valid
 * UTF-8 is taken as such and any other is decoded as Windows-1252; bytes
 * that fit no encoding are never replaced: the record is flagged
 * (ctp_input_record_error) and its field kept as read.
 *
 * A CSV value that begins with an apostrophe followed by what a
 * spreadsheet takes for a formula (ctp_csv_formula: = + - @ TAB CR, after
 * any further apostrophes) is handed out without that one apostrophe:
 * ctp_out writes it there, so a CSV that ctp wrote reads back as it was.
 * JSON Lines values are handed out as they are.
 */
#ifndef CTP_INPUT_H
#define CTP_INPUT_H

#include <stddef.h>

#include "err.h"

enum ctp_enc { CTP_ENC_AUTO, CTP_ENC_UTF8, CTP_ENC_CP1252, CTP_ENC_LATIN1 };

struct ctp_input;

/* "utf-8", "windows-1252" (or "cp1252"), "latin1"; -1 when unknown. */
int	ctp_encoding_parse(const char *s);

/*
 * Open path ("-" or NULL: standard input).  CSV: the header is read now.
 * Missing file: CTP_NOINPUT; standard input a terminal: CTP_USAGE (rather
 * than wait).  Free with ctp_input_close.
 */
int	ctp_input_open(struct ctp_input **out, const char *path, int enc,
	    struct ctp_error *e);
void	ctp_input_close(struct ctp_input *);

const char *ctp_input_name(const struct ctp_input *);	/* for messages */
int	ctp_input_is_json(const struct ctp_input *);

/* Columns: the CSV header, or every JSON key seen so far. */
size_t	ctp_input_ncols(const struct ctp_input *);
const char *ctp_input_colname(const struct ctp_input *, size_t i);
/* Index of a column by name (case-insensitive), -1 when absent. */
int	ctp_input_col(const struct ctp_input *, const char *name);

/* Next record: 1, 0 at the end, -1 on an error that ends the input. */
int	ctp_input_next(struct ctp_input *, struct ctp_error *e);
size_t	ctp_input_line(const struct ctp_input *);	/* of this record */
/* Fields in this record (CSV may be short or long of the header). */
size_t	ctp_input_nfields(const struct ctp_input *);
/*
 * Value of column i in this record; NULL when absent, JSON null or not
 * text.  A JSON string is text, and so is an integer (as its digits).
 */
const char *ctp_input_value(const struct ctp_input *, size_t i);
/*
 * 1 when column i of this JSON Lines record holds an object, an array,
 * true, false or a number with a fraction or exponent: not a text value.
 * A reader reports it where it wants the field ("line: field: not a text
 * value"); a field it does not read may hold anything.
 */
int	ctp_input_not_text(const struct ctp_input *, size_t i);
const char *ctp_input_get(const struct ctp_input *, const char *name);
/* An encoding problem in this record ("column X: ..."), or NULL. */
const char *ctp_input_record_error(const struct ctp_input *);

/*
 * Every npi of a CSV or JSON Lines stream with an npi column (any
 * program's output will do), in order.  *out and its strings are the
 * caller's to free with ctp_input_free_list, also after an error.
 * A record without an npi is an error naming its line.
 */
int	ctp_input_read_npis(const char *path, char ***out, size_t *n,
	    struct ctp_error *e);
void	ctp_input_free_list(char **v, size_t n);

/* Decode s (n bytes) as enc into UTF-8; *out is new.  -1 when it cannot,
 * -2 when out of memory. */
int	ctp_decode(int enc, const char *s, size_t n, char **out);
int	ctp_utf8_valid(const char *s, size_t n);

#endif
