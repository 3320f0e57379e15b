/*
 * history.h - the one history of providers and their credentials: each
 * change is a row (field, old value, new value, who, when, source, note).
 * Every history row is written here; triggers refuse UPDATE and DELETE
 * of it (schema.c).
 */
#ifndef CTP_HISTORY_H
#define CTP_HISTORY_H

#include <sqlite3.h>

#include "auth.h"
#include "err.h"

/*
 * A writer of history rows, its statement prepared once for a run that
 * writes many (ctp-import: one per changed field).  Every row it writes
 * has the same actor, time and source; the strings are borrowed until
 * ctp_history_close.
 */
struct ctp_history {
	sqlite3 *db;
	sqlite3_stmt *st;
	const char *actor;
	const char *ts;		/* RFC 3339 UTC */
	const char *source;	/* may be NULL */
};

/* Prepare the writer for c's database, as c->user: 0 or the error. */
int	ctp_history_open(struct ctp_history *h, struct ctp_ctx *c,
	    const char *ts, const char *source, struct ctp_error *e);
/*
 * One row for provider pid (cid: its credential, 0 for the provider
 * itself), inside the caller's transaction.  old and nw NULL or "" are
 * stored as NULL; note may be NULL.
 */
int	ctp_history_write(struct ctp_history *h, long long pid,
	    long long cid, const char *field, const char *old, const char *nw,
	    const char *note, struct ctp_error *e);
/* Finalize the statement; a writer zeroed and never opened is fine. */
void	ctp_history_close(struct ctp_history *h);

/*
 * One history row as c->user, now, from source (may be NULL), inside the
 * caller's transaction: ctp_history_open, _write and _close in one.
 */
int	ctp_history_add(struct ctp_ctx *c, long long pid, long long cid,
	    const char *field, const char *old, const char *nw,
	    const char *source, const char *note, struct ctp_error *e);

#endif
