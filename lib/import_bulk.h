/*
 * import_bulk.h - what ctp-import does only for speed, around its one
 * transaction (import_bulk.c says what for).  Nothing here changes what
 * the import writes or what a reader or a killed run sees.
 */
#ifndef CTP_IMPORT_BULK_H
#define CTP_IMPORT_BULK_H

#include <sqlite3.h>

#include "credential.h"
#include "err.h"

struct ctp_import_bulk {
	int empty;		/* the roster was empty when the run began */
	int journal;		/* under a rollback journal until the end */
	int dropped;		/* secondary indexes to build again */
	/* A first import's rows, queued (import_bulk.c). */
	struct ctp_import_bulk_rows *rows;
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
 * roster, the indexes it fills out of order dropped and b->rows set; ts,
 * the time of the run, is kept for the rows added.
 */
int	ctp_import_bulk_empty(sqlite3 *db, int write, const char *ts,
	    struct ctp_import_bulk *b, struct ctp_error *e);
/*
 * The run's reading: fn(arg, e), which reads and checks the rows and
 * hands those added to the functions below.  Into an empty roster
 * (b->rows set) fn runs on a second thread while this one writes
 * (import_ahead.c): fn then calls nothing of SQLite, and the writer's
 * error, when it fails first, is the one returned.
 */
int	ctp_import_bulk_run(struct ctp_import_bulk *b,
	    struct ctp_credential_writer *w,
	    int (*fn)(void *arg, struct ctp_error *e), void *arg,
	    struct ctp_error *e);
/*
 * Into an empty roster (b->rows set: the roster was empty and the run
 * writes), a provider added, queued: v is its npi, then the values of
 * ctp_import_pcols ("" NULL), copied.  Then its credentials
 * (ctp_import_bulk_credential), then ctp_import_bulk_provider_done.
 */
int	ctp_import_bulk_provider(struct ctp_import_bulk *b,
	    const char *const v[], struct ctp_error *e);
/*
 * A new provider's credential cr (kind a static string), for w: into an
 * empty roster queued with the provider last queued (pid unused), else
 * written now for provider pid.
 */
int	ctp_import_bulk_credential(struct ctp_import_bulk *b,
	    struct ctp_credential_writer *w, long long pid,
	    const struct ctp_credential *cr, struct ctp_error *e);
/* After a provider's credentials: a full batch written, or handed to
 * the writer. */
int	ctp_import_bulk_provider_done(struct ctp_import_bulk *b,
	    struct ctp_credential_writer *w, struct ctp_error *e);
/* Before the commit: the queue written, the indexes dropped built again. */
int	ctp_import_bulk_finish(sqlite3 *db, struct ctp_import_bulk *b,
	    struct ctp_credential_writer *w, struct ctp_error *e);
/* After the commit or the rollback: back to the write-ahead log. */
void	ctp_import_bulk_end(sqlite3 *db, struct ctp_import_bulk *b);

#endif
