/*
 * status.h - a provider's status (active, inactive, pending, excluded).
 *
 * Every change of a provider's status goes through ctp_status_set,
 * whichever program asks: ctp-roster set, ctp-import, ctp-npi accept (a
 * deactivated NPI), ctp-screen review (a confirmed match), a
 * reinstatement.  The rule lives there: an excluded provider's status
 * changes only through a reinstatement, which an admin or owner makes,
 * which names its reason (a note), and which is possible only once no
 * confirmed screening match stands (ctp_screen_reinstate marks its match
 * reinstated first; a provider excluded by hand has none).
 */
#ifndef CTP_STATUS_H
#define CTP_STATUS_H

#include <sqlite3.h>

#include "auth.h"
#include "err.h"

#define CTP_STATUS_LEN 16

enum ctp_status_how {
	CTP_STATUS_CHANGE,	/* refused for an excluded provider */
	CTP_STATUS_REINSTATE	/* from excluded only: admin, note */
};

/*
 * May provider pid (npi) go from status old to status?  0, or
 * CTP_DATAERR (where "status") with a message naming the way out:
 * "provider is excluded (confirmed match 13); an admin reinstates with
 * ctp-screen review 13 --reinstate", or for a provider excluded by hand
 * "... with ctp-roster reinstate NPI --note TEXT".  Reads the database
 * only when old is excluded and status is not.  For a caller that checks
 * before it writes (ctp-import checks every row); ctp_status_set checks
 * again.
 */
int	ctp_status_check(sqlite3 *db, long long pid, const char *npi,
	    const char *old, const char *status, struct ctp_error *e);

/*
 * Set provider npi's status, inside the caller's transaction if one is
 * open, else in its own: the history row (field status, old and new
 * value, who, when, source, note) and an audit event, "roster.set"
 * ({"field":"status","source":...}) or, for a reinstatement,
 * "roster.reinstate" ({"match":...,"source":...,"status":...}).  The same
 * status again writes nothing.
 *
 * CTP_STATUS_REINSTATE: the caller is an admin or owner (else
 * CTP_NOPERM), note is required (CTP_USAGE), the provider is excluded and
 * no confirmed match stands (CTP_DATAERR, naming it).  status NULL gives
 * the provider the status it had before the exclusion (the old value of
 * the latest history row that made it excluded), or active when none is
 * known.  match is the screening match reinstated (0: none), for the
 * audit event.
 *
 * set (CTP_STATUS_LEN bytes, may be NULL) receives the status written.
 */
int	ctp_status_set(struct ctp_ctx *c, const char *npi, const char *status,
	    enum ctp_status_how how, long long match, const char *source,
	    const char *note, char *set, struct ctp_error *e);

/*
 * ctp-roster reinstate: an admin or owner reinstates a provider excluded
 * by hand (no confirmed match; else CTP_DATAERR pointing to ctp-screen
 * review ID --reinstate).  A refusal by role is audit-logged.  set as
 * for ctp_status_set.
 */
int	ctp_status_reinstate(struct ctp_ctx *c, const char *npi,
	    const char *note, char *set, struct ctp_error *e);

#endif
