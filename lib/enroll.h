/*
 * enroll.h - payer enrollments (ctp-enroll): a provider's application to
 * a payer (Medicare, Medicaid or a commercial plan) and its status as it
 * moves, each change kept in enrollment_events and audit-logged.
 *
 * The statuses and the changes allowed (ctp_enroll_transition):
 *
 *	requested   -> submitted, withdrawn
 *	submitted   -> in_process, approved, denied, withdrawn
 *	in_process  -> approved, denied, withdrawn
 *	denied      -> requested (the application made again)
 *	approved, withdrawn: final (a new application is a new enrollment)
 *
 * An open enrollment (requested, submitted, in_process) may also be set
 * to its own status again: a follow-up, kept as an event, which starts
 * the stale clock again.  An open enrollment with no change for
 * enroll_stale_days is stalled: ctp-expiring lists it for a follow-up
 * on the day it stalls.  An approved enrollment is due for revalidation
 * enroll_revalidate_LINE years after its approval (none when that
 * setting is empty).
 *
 * enrollments and enrollment_events are written only here.
 */
#ifndef CTP_ENROLL_H
#define CTP_ENROLL_H

#include "auth.h"
#include "err.h"
#include "out.h"

/* 1 when s is a line of business: medicare, medicaid, commercial. */
int	ctp_enroll_line_ok(const char *s);
/* 1 when s is a status. */
int	ctp_enroll_status_ok(const char *s);
/* 1 when s is an open status: requested, submitted, in_process. */
int	ctp_enroll_open(const char *s);
/*
 * May an enrollment go from status from to status to?  NULL when it may,
 * else why not (a static string naming the way out).
 */
const char *ctp_enroll_transition(const char *from, const char *to);
/* The day an open enrollment changed on day changed stalls. */
long	ctp_enroll_stalls(long changed, long stale_days);
/* The revalidation of an enrollment approved on day approved. */
long	ctp_enroll_revalidation(long approved, long years);

/* The organization's enroll_revalidate_LINE in years, 0 for none. */
int	ctp_enroll_years(sqlite3 *db, const char *line, long *years,
	    struct ctp_error *e);

/*
 * A new enrollment of provider npi with payer on line, requested on day
 * requested: its first event (none -> requested) and an enroll.add
 * audit event, one transaction.  CTP_DATAERR: not on the roster, a payer
 * name empty, too long or with control characters, an open enrollment
 * of the provider with that payer and line (named).  *id gets its id.
 */
int	ctp_enroll_add(struct ctp_ctx *c, const char *npi, const char *payer,
	    const char *line, long requested, long long *id,
	    struct ctp_error *e);
/*
 * Set enrollment id's status, effective on day effective (on or after
 * its last change, and no later than today): an event and an enroll.set
 * audit event, one transaction.  CTP_DATAERR when no such enrollment,
 * the change is not allowed (ctp_enroll_transition), or the day is out
 * of range.
 */
int	ctp_enroll_set(struct ctp_ctx *c, long long id, const char *status,
	    long effective, long today, const char *note,
	    struct ctp_error *e);

struct ctp_enroll_filter {
	int open;		/* only open enrollments */
	const char *payer;	/* only this payer (NULL: any) */
	long as_of;		/* day number: days since, stalled */
};

/*
 * The enrollments f selects, by id, with the days since their last
 * change, whether they have stalled and the revalidation date of an
 * approved one (ctp_enroll_columns); an enroll.read audit event.
 */
int	ctp_enroll_list(struct ctp_ctx *c, const struct ctp_enroll_filter *f,
	    struct ctp_out *o, struct ctp_error *e);
extern const struct ctp_col ctp_enroll_columns[];
#define CTP_ENROLL_NCOLUMNS 12

#endif
