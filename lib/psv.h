/*
 * psv.h - the primary-source verification log: per provider (and
 * credential), every verification: source, method, result, reference,
 * who, when.  Automated checks (screening, NPPES) write it themselves.
 */
#ifndef CTP_PSV_H
#define CTP_PSV_H

#include <jansson.h>

#include "auth.h"
#include "err.h"

struct ctp_psv {
	long long provider_id;
	long long credential_id;	/* 0 when not about one credential */
	const char *source;		/* "NPPES", "OIG LEIE", "SAM", ... */
	const char *method;		/* "api", "bulk file", "list file", ... */
	const char *result;		/* "clear", "potential_match", ... */
	const char *reference;		/* list version, registry date, ... */
	json_t *detail;			/* borrowed; may be NULL */
	/* Optional, for a caller that writes many entries: */
	const char *detail_text;	/* canonical JSON, used when detail is NULL */
	const char *ts;			/* RFC 3339 UTC; NULL: now */
};

/*
 * Append one entry as c->user, inside the caller's transaction.  The
 * statement is prepared once per ctx and kept (ctp_psv_finish frees it).
 * The strings in p are bound without copies: borrowed for the call only.
 */
int	ctp_psv_add(struct ctp_ctx *c, const struct ctp_psv *p,
	    struct ctp_error *e);
void	ctp_psv_finish(struct ctp_ctx *c);

#endif
