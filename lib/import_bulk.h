/*
 * import_bulk.h - what ctp-import does only for speed, around its one
 * transaction (import_bulk.c says what for).  Nothing here changes what
 * the import writes or what a reader or a killed run sees.
 */
#ifndef CTP_IMPORT_BULK_H
#define CTP_IMPORT_BULK_H

#include <sqlite3.h>

#include "buf.h"
#include "credential.h"
#include "err.h"

#define CTP_IMPORT_BULK_ROWS 64	/* credentials to a statement */

struct ctp_import_bulk {
	int empty;		/* the roster was empty when the run began */
	int journal;		/* under a rollback journal until the end */
	int dropped;		/* secondary indexes to build again */
	/* New credentials queued: provider, kind, and the offsets in text
	 * of number, state, issuer, issued, expires ((size_t)-1: NULL). */
	size_t n;
	long long pid[CTP_IMPORT_BULK_ROWS];
	const char *kind[CTP_IMPORT_BULK_ROWS];
	size_t off[CTP_IMPORT_BULK_ROWS][5];
	struct ctp_buf text;
};

/*
 * Before the transaction (write: the run will write): the page cache
 * for the run, and a rollback journal when the roster is empty and no
 * other connection has the database open.
 */
int	ctp_import_bulk_start(sqlite3 *db, int write,
	    struct ctp_import_bulk *b, struct ctp_error *e);
/*
 * First inside the transaction: b->empty and, for a write into an empty
 * roster, its secondary indexes dropped.
 */
int	ctp_import_bulk_empty(sqlite3 *db, int write,
	    struct ctp_import_bulk *b, struct ctp_error *e);
/*
 * A new provider's credential cr (kind a static string), for w: into an
 * empty roster queued, else written now.
 */
int	ctp_import_bulk_credential(struct ctp_import_bulk *b,
	    struct ctp_credential_writer *w, long long pid,
	    const struct ctp_credential *cr, struct ctp_error *e);
/* Before the commit: the queue written, the indexes dropped built again. */
int	ctp_import_bulk_finish(sqlite3 *db, struct ctp_import_bulk *b,
	    struct ctp_credential_writer *w, struct ctp_error *e);
/* After the commit or the rollback: back to the write-ahead log. */
void	ctp_import_bulk_end(sqlite3 *db, struct ctp_import_bulk *b);

#endif
