/*
 * import_bulk.h - what ctp-import does only for speed, around its one
 * transaction (import_bulk.c says what for).  Nothing here changes what
 * the import writes or what a reader or a killed run sees.
 */
#ifndef CTP_IMPORT_BULK_H
#define CTP_IMPORT_BULK_H

#include <sqlite3.h>

#include "err.h"

struct ctp_import_bulk {
	int empty;		/* the roster was empty when the run began */
	int journal;		/* under a rollback journal until the end */
	int dropped;		/* secondary indexes to build again */
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
/* Before the commit: the indexes dropped built again. */
int	ctp_import_bulk_finish(sqlite3 *db, struct ctp_import_bulk *b,
	    struct ctp_error *e);
/* After the commit or the rollback: back to the write-ahead log. */
void	ctp_import_bulk_end(sqlite3 *db, struct ctp_import_bulk *b);

#endif
