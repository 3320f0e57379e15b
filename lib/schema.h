/*
 * schema.h - the database schema, versioned by PRAGMA user_version.
 * Each migration is one step forward; all pending steps run in one
 * transaction on open.  A module that needs tables adds a migration at the
 * end of the list in schema.c (never edits a released one).
 */
#ifndef CTP_SCHEMA_H
#define CTP_SCHEMA_H

#include <sqlite3.h>

#include "err.h"

#define CTP_SCHEMA_VERSION 14

extern const char ctp_schema_core[];	/* v1: schema.c */
extern const char ctp_schema_screen[];	/* v2: schema_screen.c */
extern const char ctp_schema_npi[];	/* v3: schema_npi.c */
extern const char ctp_schema_v4[];	/* v4: schema.c, roster indexes */
extern const char ctp_schema_screen_v5[]; /* v5: reinstated matches */
extern const char ctp_schema_v6[];	/* v6: schema.c, the PSV log */
extern const char ctp_schema_v8[];	/* v8: schema.c, verifiers */
extern const char ctp_schema_v9[];	/* v9: schema_board.c, board rosters */
extern const char ctp_schema_v10[];	/* v10: schema_doc.c, documents */
extern const char ctp_schema_v7[];	/* v7: schema.c, recred cycles */
extern const char ctp_schema_v11[];	/* v11: schema.c, enrollments */
extern const char ctp_schema_screen_v12[]; /* v12: nicknames, new rules */
extern const char ctp_schema_v13[];	/* v13: package_req.c, packages */
extern const char ctp_schema_v14[];	/* v14: schema_doc.c, extraction */

/*
 * The secondary indexes of providers and credentials (v4): name and its
 * CREATE INDEX statement; the list ends with a NULL name.  Static data.
 */
struct ctp_schema_index {
	const char *name;
	const char *create;
};
extern const struct ctp_schema_index ctp_schema_roster_indexes[];

/*
 * The audit table and its append-only triggers as ctp creates them: type
 * and name in sqlite_master, and the text it keeps for them (the CREATE
 * statement without its ';').  The list ends with a NULL name.  Static.
 */
struct ctp_schema_object {
	const char *type;
	const char *name;
	const char *sql;
};
extern const struct ctp_schema_object ctp_schema_audit[];

int	ctp_schema_migrate(sqlite3 *db, struct ctp_error *e);

#endif
