/*
 * screen_entry.h - what a row of an exclusion list says: the records of
 * an LEIE file, a SAM extract or a list read through a mapping file,
 * made list entries, each field checked (names within the roster's
 * limits, an NPI of 10 digits, dates, no control characters).  No
 * database: ctp_screen_load stores the entries, the unit tests read the
 * evaluation lists with it.
 *
 * Use: fill the first fields of a struct ctp_screen_rows (zeroed), read
 * the map of a custom list with ctp_screen_rows_map, hand
 * ctp_screen_rows_record to ctp_screen_file_records (screen_file.h) with
 * the struct as its argument, and free it with ctp_screen_rows_free.
 */
#ifndef CTP_SCREEN_ENTRY_H
#define CTP_SCREEN_ENTRY_H

#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "screen.h"

/*
 * One list entry.  Every string is set ("" when the list has nothing
 * there) and lives until the callback it is handed to returns.
 */
struct ctp_screen_entry {
	const char *source;	/* CTP_SRC_LEIE, CTP_SRC_SAM, a name */
	int person;		/* 0: a firm, vessel or other entity */
	const char *last, *first, *middle;	/* "" for an entity */
	const char *business;
	const char *npi;	/* 10 digits, or "" (the LEIE's 0000000000) */
	const char *dob;	/* YYYY-MM-DD */
	const char *state;
	const char *type;	/* SAM: "AGENCY: TYPE" */
	const char *excl_date, *rein_date, *end_date;	/* YYYY-MM-DD */
	const char *ident;	/* identity: 32 hex digits (see below) */
};

/*
 * The identity of an entry is a hash of the fields that make it that
 * exclusion (kind, names, NPI, DOB, state, type, exclusion and end
 * dates, SAM number): a cleared match stays cleared until they change.
 */

/* Called for each entry read, with the line its record starts on. */
typedef int (*ctp_screen_entry_fn)(void *arg,
    const struct ctp_screen_entry *en, size_t line);

#define CTP_SCREEN_NFIELDS 14	/* the fields a list row may map */

struct ctp_screen_rows {
	/* in */
	enum ctp_list_kind kind;
	const char *source;	/* the entries' source */
	const char *name;	/* the file, in messages */
	ctp_screen_entry_fn fn;
	void *arg;
	struct ctp_error *e;	/* where a record's error goes */
	/* out */
	int header_done;	/* a header was read */
	/* the reading's own */
	size_t ncols;
	int col[CTP_SCREEN_NFIELDS];		/* field -> column, -1 */
	char *mapcol[CTP_SCREEN_NFIELDS];	/* custom: mapped names */
	int date_fmt;	/* custom: 0 auto, 1 ISO, 2 US, 3 compact, 4 DMY */
	struct ctp_buf scratch;
};

/*
 * A custom list's mapping file: "key = Column name" lines, # comments
 * (keys in ctp-screen(1)).  CTP_DATAERR naming path and line.
 */
int	ctp_screen_rows_map(struct ctp_screen_rows *r, const char *path,
	    struct ctp_error *e);
/*
 * A ctp_screen_rec_fn (screen_file.h), arg the struct ctp_screen_rows:
 * the first record is the header, checked against the list's layout;
 * each other becomes an entry for r->fn, or CTP_DATAERR in r->e naming
 * the file, the line and the field (never its value).
 */
int	ctp_screen_rows_record(void *arg, char **f, size_t nf, size_t line);
void	ctp_screen_rows_free(struct ctp_screen_rows *r);

#endif
