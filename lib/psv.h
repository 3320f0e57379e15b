/*
 * psv.h - the primary-source verification log: per provider (and
 * credential), every verification: source, method, result, reference,
 * who, when.  Automated checks (screening, NPPES) write it themselves.
 */
#ifndef CTP_PSV_H
#define CTP_PSV_H

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>

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

/*
 * Prepare into *st one INSERT that appends n entries (n >= 1): ?1 the
 * actor, ?2 the timestamp, ?3 the method, shared by every entry.  With
 * fixed_source, ?4 is the source of every entry and entry i takes four
 * parameters from ctp_psv_batch_param(i, 1): provider_id, result,
 * reference, detail.  Without, entry i takes five from
 * ctp_psv_batch_param(i, 0): provider_id, source, result, reference,
 * detail.  The caller finalizes *st.
 */
int	ctp_psv_prepare_batch(sqlite3 *db, size_t n, int fixed_source,
	    sqlite3_stmt **st, struct ctp_error *e);
#define ctp_psv_batch_param(i, fixed_source) \
	((fixed_source) ? 5 + 4 * (int)(i) : 4 + 5 * (int)(i))

#endif
