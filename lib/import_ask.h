/*
 * import_ask.h - the roster's answers to the row checks of an import
 * (struct ctp_import_ask, import_check.h): read from the organization's
 * database inside the import's transaction, each statement prepared once
 * for the run.
 */
#ifndef CTP_IMPORT_ASK_H
#define CTP_IMPORT_ASK_H

#include <sqlite3.h>

#include "err.h"
#include "import_check.h"

struct ctp_import_code {
	char *code;
	int retired;
};

struct ctp_import_roster {
	sqlite3 *db;
	int empty;		/* no provider when the run began: all new */
	long long taxonomies;	/* NUCC codes loaded */
	unsigned required[64];	/* by ctp_ptypes index: kinds | 1u << 31 */
	sqlite3_stmt *provider, *credentials, *licensed, *taxonomy;
	struct ctp_import_code *codes;	/* when empty: the NUCC codes */
	size_t ncodes;			/* sorted by code */
};

/*
 * Prepare r for db and point ask at it.  empty: the roster held no
 * provider as the run began (every NPI is new; nothing to read), and
 * the taxonomy codes and the kinds each provider type requires are
 * read now: ask then never calls SQLite (ctp_import_bulk_run).
 * ctp_import_roster_close finalizes what was prepared, even after an
 * error.
 */
int	ctp_import_roster_open(struct ctp_import_roster *r, sqlite3 *db,
	    int empty, struct ctp_import_ask *ask, struct ctp_error *e);
void	ctp_import_roster_close(struct ctp_import_roster *r);
/* Free the strings ask->provider gave old, and zero it. */
void	ctp_import_old_clear(struct ctp_import_old *old);

#endif
