/*
 * import.h - the roster file: bulk import (validated, upsert by NPI,
 * all-or-nothing by default) and export in exactly the same format.
 *
 * Columns (canonical names, case-insensitive; common variants are
 * recognized, and a map file renames others): ctp_import_columns.
 */
#ifndef CTP_IMPORT_H
#define CTP_IMPORT_H

#include <stdio.h>

#include "auth.h"
#include "err.h"
#include "out.h"

/* The canonical columns of the roster file, in export order. */
extern const char *const ctp_import_columns[];
#define CTP_IMPORT_NCOLUMNS 32

struct ctp_import_opts {
	const char *path;	/* "-" or NULL: standard input */
	int enc;		/* CTP_ENC_* */
	int dry_run;		/* validate and report, write nothing */
	int partial;		/* write the valid rows even if some fail */
	const char *rejects;	/* write rejected rows here, or NULL */
	const char *map;	/* CSV: source header, canonical name */
	long as_of;		/* day number: "today" for the age check */
	FILE *msg;		/* row messages and the summary (stderr) */
};

struct ctp_import_stats {
	long long rows, added, updated, unchanged, rejected;
	int written;		/* 1 when the changes were committed */
};

/*
 * Import a roster file as c->user.  Returns 0 when every row was good,
 * CTP_ATTN when rows were rejected (see opts->partial), or an error code
 * (bad header, unreadable file, database error: nothing written).  Each
 * problem of a rejected row goes to opts->msg as
 * "prog: FILE:LINE: column: message"; the summary line follows.
 */
int	ctp_import(struct ctp_ctx *c, const struct ctp_import_opts *opts,
	    struct ctp_import_stats *st, struct ctp_error *e);

/* Every provider as one row of ctp_import_columns (audit: roster.export). */
int	ctp_import_export(struct ctp_ctx *c, struct ctp_out *o,
	    struct ctp_error *e);
extern const struct ctp_col ctp_import_export_columns[];

/* Canonical column for a header (variants and case folded), or NULL. */
const char *ctp_import_canonical(const char *header);

#endif
