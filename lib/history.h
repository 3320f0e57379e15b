/*
 * history.h - the one history of providers and their credentials: each
 * change is a row (field, old value, new value, who, when, source, note).
 * Triggers refuse UPDATE and DELETE of it (schema.c).
 */
#ifndef CTP_HISTORY_H
#define CTP_HISTORY_H

#include "auth.h"
#include "err.h"

/*
 * One history row for provider pid (cid: its credential, 0 for the
 * provider itself) as c->user, now, inside the caller's transaction.
 * old and nw NULL or "" are stored as NULL; source and note may be NULL.
 * Every history row goes through here but the bulk import's, which
 * prepares its one statement once for the run.
 */
int	ctp_history_add(struct ctp_ctx *c, long long pid, long long cid,
	    const char *field, const char *old, const char *nw,
	    const char *source, const char *note, struct ctp_error *e);

#endif
