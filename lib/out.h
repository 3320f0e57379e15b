/*
 * out.h - tabular output: CSV (RFC 4180, header row, quoted only when
 * needed), JSON Lines (one compact object per line, keys in column order)
 * or, on a terminal, an aligned table.  Rows are arrays of strings, one per
 * column; NULL or "" is an empty field (null in JSON).
 *
 * Output a person opens is safe to open.  In CSV a text value that a
 * spreadsheet would take for a formula (ctp_csv_formula) is written with
 * an apostrophe first, as OWASP recommends; ctp_input removes it again.
 * JSON Lines carry every value as stored.  A terminal is never sent a
 * control character: the table, CSV and JSON Lines on a terminal show
 * them as ctp_vis does (\x1b).
 */
#ifndef CTP_OUT_H
#define CTP_OUT_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "err.h"

enum ctp_fmt { CTP_FMT_CSV, CTP_FMT_JSON, CTP_FMT_TABLE };

enum ctp_coltype {
	CTP_COL_STR,
	CTP_COL_INT,	/* JSON number when it parses as an integer */
	CTP_COL_NUM,	/* JSON number when it parses as a number */
	CTP_COL_JSON	/* the value is JSON text; embedded as is in JSON */
};

struct ctp_col {
	const char *name;
	enum ctp_coltype type;
};

struct ctp_out;

#define CTP_OUT_CRLF 1
#define CTP_OUT_NOHEADER 2	/* CSV without its header row */

/* The format for --json / --csv flags and whether f is a terminal. */
enum ctp_fmt ctp_out_choose(int json, int csv, FILE *f);

/* cols must outlive o.  NULL on failure (out of memory). */
struct ctp_out *ctp_out_new(FILE *f, enum ctp_fmt, const struct ctp_col *cols,
	    size_t ncols, int flags);
int	ctp_out_row(struct ctp_out *, const char *const *vals,
	    struct ctp_error *e);
/*
 * Output with one more column first, named lead, whose value
 * ctp_out_lead sets for the rows that follow (vals stays what cols
 * says): one listing of several organizations, each row naming its own.
 * value must live until the next ctp_out_lead or the close.
 */
struct ctp_out *ctp_out_new_lead(FILE *f, enum ctp_fmt, const char *lead,
	    const struct ctp_col *cols, size_t ncols, int flags);
void	ctp_out_lead(struct ctp_out *, const char *value);
/*
 * Rows made elsewhere (expiring_render.c): ctp_out_twin gives a writer of
 * o's format and columns to f (a buffer, say) whose bytes are the ones o
 * would write, without the header; NULL when o shows its rows on a
 * terminal, keeps them for a table, captures them or has a lead column
 * (those are written by o alone), or out of memory.  Its bytes go to
 * ctp_out_file(o) after ctp_out_header(o), which writes o's CSV header
 * unless written.
 */
struct ctp_out *ctp_out_twin(const struct ctp_out *o, FILE *f);
int	ctp_out_header(struct ctp_out *o, struct ctp_error *e);
FILE	*ctp_out_file(const struct ctp_out *o);
/*
 * Rows kept as given (ncols values each, NULL kept) on f, to be written
 * later to another output by ctp_out_replay (a worker process's rows,
 * replayed in order by the program).  0, or the error.
 */
struct ctp_out *ctp_out_new_capture(FILE *f, size_t ncols);
/* The number of values a row of o takes (the lead column not counted). */
size_t	ctp_out_ncols(const struct ctp_out *);
int	ctp_out_replay(struct ctp_out *, FILE *f, struct ctp_error *e);
/* Flush (and render a table), check for write errors, free. */
int	ctp_out_close(struct ctp_out *, struct ctp_error *e);
/* Free without writing more (after an error). */
void	ctp_out_free(struct ctp_out *);

/*
 * One JSON value as one compact line on f, keys in their order; on a
 * terminal its control characters are shown (ctp_vis).  0, or -1 on a
 * write error or out of memory.
 */
int	ctp_out_json_line(FILE *f, json_t *obj);

/*
 * A value that begins, after any apostrophes, with = + - @ TAB or CR: a
 * spreadsheet would run it.  Such a value is written with one more
 * apostrophe; a reader that removes one apostrophe from such a value
 * gets back what was written.  1 or 0.
 */
int	ctp_csv_formula(const char *s);

/*
 * Write one CSV field / record to f (quoting as needed), every field
 * taken as text: a formula gets its apostrophe.
 */
int	ctp_csv_put_field(FILE *f, const char *s);
int	ctp_csv_put_record(FILE *f, const char *const *vals, size_t n,
	    int crlf);

#endif
