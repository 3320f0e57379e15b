/*
 * board.h - state board rosters: a board's whole license list, loaded
 * from the CSV it publishes (ctp-org board load), which the board-file
 * verifier (libexec/ctp-verify-board-file.c) looks credentials up in.
 *
 * A roster has a name (the verifier's board=NAME) and a state.  Its
 * columns are found by their header (License Number, Lic No, Last Name,
 * License Status, Expiration Date ...: ctp-org(1) lists them) or named
 * by a map; a load of the same name replaces the roster in force in one
 * transaction, with an audit event "board.load".
 */
#ifndef CTP_BOARD_H
#define CTP_BOARD_H

#include <stdio.h>

#include <sqlite3.h>

#include "auth.h"
#include "err.h"
#include "hash.h"
#include "out.h"

struct ctp_board_load {
	const char *name;	/* the roster's name */
	const char *state;	/* its state, as ctp_check_state reads it */
	const char *path;	/* the board's CSV */
	/*
	 * NULL, "KEY=Column,KEY=Column...", or a file of "KEY = Column"
	 * lines (# comments); keys: number, last_name, first_name,
	 * middle_name, name, license_type, status, issued, expires.
	 */
	const char *map;
	/* out */
	long long roster_id;
	long long rows;
	long long replaced_rows;	/* of the roster it replaced, or 0 */
	char sha256[CTP_SHA256_HEX];
};

/*
 * Load l->path as roster l->name.  A header without a column for a
 * required field (number, last and first name or name, status,
 * expires) is refused with CTP_DATAERR naming the fields missing and
 * the header seen; so is a bad row (its line and field) and a file
 * without rows.  Nothing is written then.  Needs CTP_PERM_WORK.
 */
int	ctp_board_load(struct ctp_ctx *c, struct ctp_board_load *l,
	    struct ctp_error *e);

/* The rosters in force (ctp_board_columns), to o. */
int	ctp_board_list(struct ctp_ctx *c, struct ctp_out *o,
	    struct ctp_error *e);
extern const struct ctp_col ctp_board_columns[];
#define CTP_BOARD_NCOLUMNS 8

/*
 * The verifier's side: the organization's database (path; NULL:
 * ctp_db_resolve) opened read-only, without migrating it; the caller
 * closes *db with sqlite3_close.  CTP_NOINPUT when the file is missing
 * or has no board rosters.
 */
int	ctp_board_open(const char *path, sqlite3 **db, struct ctp_error *e);

struct ctp_board_roster {
	long long id;
	long long rows;
	char state[3];
	char sha256[CTP_SHA256_HEX];
	char loaded_at[32];	/* RFC 3339 */
	char file_name[256];
	char file_date[16];	/* YYYY-MM-DD or "" */
};

/* The roster in force named name: 0, or CTP_NOINPUT when none. */
int	ctp_board_roster(sqlite3 *db, const char *name,
	    struct ctp_board_roster *r, struct ctp_error *e);

/*
 * A row of a roster; strings are "" when the board gave nothing, and
 * live until the callback they are handed to returns.
 */
struct ctp_board_license {
	const char *number, *last, *first, *middle, *type, *status;
	const char *issued, *expires;	/* YYYY-MM-DD or "" */
	long long line;			/* in the file loaded */
};
typedef int (*ctp_board_license_fn)(void *arg,
    const struct ctp_board_license *l);

/*
 * Each row of roster roster_id whose number is number (compared as
 * ctp_board_number_key, board_check.h) to fn, until it returns
 * non-zero (returned).  *found (may be NULL) counts them.
 */
int	ctp_board_lookup(sqlite3 *db, long long roster_id,
	    const char *number, ctp_board_license_fn fn, void *arg,
	    long long *found, struct ctp_error *e);

#endif
