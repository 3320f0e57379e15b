/*
 * recred.h - re-credentialing cycles (ctp-recred): a cycle opened for a
 * provider, the verifications it runs (verify.h), the documents it asks
 * of the provider, and its close with the committee's decision.
 *
 * A cycle is due recred_months after the provider's last
 * re-credentialing date, or after the initial credentialing date when
 * there has been none (the inbox's rule, expiring.h).  A provider has at
 * most one open cycle.  A document request is made for each active
 * credential that has expired or expires on or before the cycle's due
 * date, and for each credential the provider's type requires and the
 * provider holds none of.  A request is open until a coordinator marks
 * it fulfilled (ctp_recred_fulfil) and while its cycle is open.
 *
 * Every write here is one transaction with its audit events:
 * recred.start, recred.request, recred.fulfil, recred.complete,
 * recred.mail.  The tables recred_cycles and doc_requests are written
 * only here.
 */
#ifndef CTP_RECRED_H
#define CTP_RECRED_H

#include <stddef.h>

#include "auth.h"
#include "err.h"
#include "out.h"

/*
 * Open a cycle for each of the n NPIs on day opened (a day number; an
 * NPI named again counts once), all or nothing: every NPI is checked
 * first (on the roster, no open cycle, a credentialing date to count
 * from), and when any fails
 * nothing is written, each failure is told to warn (may be NULL;
 * "NPI: why") and CTP_DATAERR returned with the count in e.  Then the
 * cycles and their requests are written in one transaction, and the
 * verifiers run for every provider (ctp_verify_run, which writes its own
 * PSV and audit entries).  One row per step goes to o
 * (ctp_recred_start_columns); *attn (may be NULL) counts the requests
 * made and the checks other than verified.
 */
int	ctp_recred_start(struct ctp_ctx *c, const char *const *npis, size_t n,
	    long opened, void (*warn)(void *, const char *), void *warnarg,
	    struct ctp_out *o, size_t *attn, struct ctp_error *e);
extern const struct ctp_col ctp_recred_start_columns[];
#define CTP_RECRED_START_NCOLUMNS 9

/*
 * Close npi's open cycle on day date with decision "approved" or
 * "denied".  Refused (CTP_DATAERR, nothing written): no open cycle, a
 * date before the cycle opened or after today (the day number today),
 * an approval while requests of the cycle are open.  Approved: the
 * provider's last_recred_date becomes date (ctp_roster_set, a history
 * row), so the next cycle falls due recred_months later.  Denied: the
 * provider's record is left as it is.
 */
int	ctp_recred_complete(struct ctp_ctx *c, const char *npi,
	    const char *decision, long date, long today, struct ctp_error *e);

/*
 * Mark the n requests ids fulfilled on day date (no later than today, no
 * earlier than their creation) with an optional note ("received by fax",
 * "waived by the committee"), all or none.  Refused: unknown, already
 * fulfilled (or named twice), or its cycle closed.
 */
int	ctp_recred_fulfil(struct ctp_ctx *c, const long long *ids, size_t n,
	    long date, long today, const char *note, struct ctp_error *e);

/*
 * Document requests, one row per provider and document
 * (ctp_recred_request_columns), oldest cycle first; open_only: the open
 * ones; npi (may be NULL): that provider's.  Audit: recred.read.
 */
int	ctp_recred_requests(struct ctp_ctx *c, const char *npi, int open_only,
	    struct ctp_out *o, struct ctp_error *e);
extern const struct ctp_col ctp_recred_request_columns[];
#define CTP_RECRED_REQUEST_NCOLUMNS 14

/* Cycles (ctp_recred_cycle_columns); open_only: the open ones. */
int	ctp_recred_list(struct ctp_ctx *c, int open_only, struct ctp_out *o,
	    struct ctp_error *e);
extern const struct ctp_col ctp_recred_cycle_columns[];
#define CTP_RECRED_CYCLE_NCOLUMNS 9

/*
 * Mail each provider (npi: only that one) its open requests: one plain
 * text message per provider handed to sendmail -t -i (the program
 * sendmail names; the organization's setting "sendmail" when NULL).
 * The program runs with the caller's own group, never ctp's.  A
 * provider without a usable address is skipped.  One row per provider
 * to o (ctp_recred_mail_columns: sent, failed or no_address) and one
 * audit event recred.mail per message tried; *failed counts the
 * providers not mailed.  The caller ignores SIGPIPE.
 */
int	ctp_recred_mail(struct ctp_ctx *c, const char *npi,
	    const char *sendmail, struct ctp_out *o, size_t *failed,
	    struct ctp_error *e);
extern const struct ctp_col ctp_recred_mail_columns[];
#define CTP_RECRED_MAIL_NCOLUMNS 5

#endif
