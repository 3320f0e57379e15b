/*
 * psv_log.h - the PSV log as people use it (ctp-psv): a verification
 * done by hand entered in one transaction (psv_log.c), the log a
 * surveyor reads (psv_log.c), and the queue of credentials whose
 * verification is missing, old or outdated by a change (psv_queue.c).
 * Entries themselves are written by psv.c alone.
 */
#ifndef CTP_PSV_LOG_H
#define CTP_PSV_LOG_H

#include <sqlite3.h>

#include "auth.h"
#include "err.h"
#include "out.h"

/* The longest source and reference, in bytes. */
#define CTP_PSV_SOURCE_MAX 200
#define CTP_PSV_REFERENCE_MAX 200

/* A verification done by hand (a call to a board, a letter). */
struct ctp_psv_hand {
	const char *npi;
	const char *source;	/* the board, NPDB, ABMS ...: free text */
	const char *method;	/* one of ctp_psv_methods */
	const char *result;	/* one of ctp_psv_results */
	long long credential_id; /* 0: none (a correction: the entry's) */
	const char *reference;	/* confirmation number, letter date; NULL */
	const char *note;	/* NULL */
	const char *date;	/* the day of the check, any accepted form;
				   NULL: today in the organization's zone */
	long long corrects;	/* the entry this corrects, or 0 */
};

/*
 * Check h and write, in one transaction, the entry (actor: the caller),
 * an audit event "psv.add" and, when it is about a credential, the
 * credential's mark per ctp_psv_mark through credential.c (a history row
 * names the entry).  *id receives the entry's id.  Refusals are
 * CTP_DATAERR, with nothing written: an NPI not on the roster, a
 * credential of another provider or retired, an unknown method or result
 * (the message lists the words), a date that is not one or lies ahead,
 * a source empty, too long or with control characters, a reference or
 * note too long or with control characters, an entry to correct that
 * does not exist or is another provider's.
 */
int	ctp_psv_record(struct ctp_ctx *c, const struct ctp_psv_hand *h,
	    long long *id, struct ctp_error *e);

/* What ctp_psv_list reads; NULL or 0 for "any". */
struct ctp_psv_filter {
	const char *npi;
	const char *since;	/* YYYY-MM-DD, inclusive, by verified_on */
	const char *source;	/* exact, case folded (ASCII) */
	long long credential_id;
};

/*
 * The log, oldest first (by the day of the check, then entry id), to o
 * with ctp_psv_log_columns; an audit event "psv.list" with the filter
 * and the number of rows.  An NPI not on the roster, a since that is not
 * a date: CTP_DATAERR.
 */
int	ctp_psv_list(struct ctp_ctx *c, const struct ctp_psv_filter *f,
	    struct ctp_out *o, struct ctp_error *e);
extern const struct ctp_col ctp_psv_log_columns[];
#define CTP_PSV_LOG_NCOLUMNS 15
/*
 * Every entry of provider pid, as ctp_psv_list orders and writes them,
 * without an audit event: for a caller whose own event names the read
 * (a package's psv_log.csv).
 */
int	ctp_psv_rows(sqlite3 *db, long long pid, struct ctp_out *o,
	    struct ctp_error *e);

/*
 * The verification queue as of day as_of (a day number): every active
 * credential of an active or pending provider that needs a verification,
 * with the reason: never_verified (no entry of result verified for it
 * that a later entry does not correct), changed (a value changed after
 * its last verification: ctp_credential_unverify reset its mark),
 * failed (its mark is failed: the last check found a discrepancy, no
 * record or an exclusion), stale (its last verification is more than
 * verify_window_days before as_of).  Sorted by provider, kind and
 * credential id; *rows (when non-NULL) gets the count.  An audit event
 * "psv.queue".
 */
/* What ctp_psv_due decides on, about one credential. */
struct ctp_psv_state {
	long last_verified;	/* day number of the last verification, or
				   -1 when there is none */
	const char *mark;	/* verified, failed, unverified */
	int reset;		/* a value changed after that verification
				   (ctp_credential_unverify's history row) */
};
/*
 * The queue's rule: the reason a credential in state s is due on day
 * as_of with a window of window days ("never_verified", "changed",
 * "failed", "stale", in that order of precedence), or NULL when it is
 * not due.  Changed only while no verification has marked it since.
 * Static strings.
 */
const char *ctp_psv_due(const struct ctp_psv_state *s, long as_of,
	    long window);
int	ctp_psv_queue(struct ctp_ctx *c, long as_of, struct ctp_out *o,
	    long long *rows, struct ctp_error *e);
extern const struct ctp_col ctp_psv_queue_columns[];
#define CTP_PSV_QUEUE_NCOLUMNS 10

#endif
