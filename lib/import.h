/*
 * import.h - the roster file: bulk import (validated, upsert by NPI,
 * all-or-nothing by default).  ctp_roster_export (roster.h) writes the
 * same format.
 *
 * Columns (canonical names, case-insensitive; common variants are
 * recognized, and a map file renames others): ctp_import_columns.
 */
#ifndef CTP_IMPORT_H
#define CTP_IMPORT_H

#include <stdio.h>

#include "auth.h"
#include "err.h"

/* The canonical columns of the roster file, in export order. */
extern const char *const ctp_import_columns[];
#define CTP_IMPORT_NCOLUMNS 32

struct ctp_import_opts {
	const char *path;	/* "-" or NULL: standard input */
	int enc;		/* CTP_ENC_* */
	int dry_run;		/* validate and report, write nothing */
	int partial;		/* write the valid rows even if some fail */
	/*
	 * Write the valid rows, as partial does, and the rejected rows to
	 * this file (their columns and an errors column) to be fixed and
	 * imported in turn; or NULL.  Written through outfile.h: refused
	 * when it exists (unless force), is a link or is one of the
	 * inputs (the file, the map, the database); created only when a
	 * row is rejected, even in a dry run.
	 */
	const char *rejects;
	int force;		/* the rejects file may replace a file */
	const char *map;	/* CSV: source header, canonical name */
	long as_of;		/* day number for the age check; -1: today */
	FILE *msg;		/* row messages (stderr) */
};

struct ctp_import_stats {
	long long rows, added, updated, unchanged, rejected;
	long long empty;	/* rows of empty fields, skipped */
	int written;		/* 1 when the changes were committed */
};

/*
 * Import a roster file as c->user.  Returns 0 when every row was good,
 * CTP_ATTN when rows were rejected (see opts->partial and rejects), or an
 * error code (bad header, unreadable file, rejects file refused, database
 * error: nothing written).  Each problem of a rejected row goes to
 * opts->msg as "prog: FILE:LINE: column: message".
 */
int	ctp_import(struct ctp_ctx *c, const struct ctp_import_opts *opts,
	    struct ctp_import_stats *st, struct ctp_error *e);

/*
 * The run's summary, as "4 added, 1 updated, 0 unchanged, 2 rejected" or,
 * when nothing was written, "4 would be added, 1 would be updated, ...",
 * then the empty rows skipped and a note on what was (not) written, into
 * out (n bytes, truncated to fit).
 */
void	ctp_import_summary(const struct ctp_import_opts *opts,
	    const struct ctp_import_stats *st, char *out, size_t n);

/* Canonical column for a header (variants and case folded), or NULL. */
const char *ctp_import_canonical(const char *header);

#endif
