/*
 * verify.h - running verifiers: for each provider, the checks of the
 * provider itself (npi, oig, sam) and of each credential whose kind and
 * state the organization gave a verifier (ctp-org verifier).  A verifier
 * is a program, ctp-verify-NAME, found in ctp's libexec directory
 * (BINDIR/../libexec/ctp) and then on PATH.  It reads one JSON object on
 * stdin and prints one on stdout:
 *
 *   in:  {"provider": {"npi", "last_name", "first_name", "middle_name",
 *         "dob", "provider_type", "practice_state", "other_names"},
 *         "credential": {"id", "kind", "number", "state", "issuer",
 *         "issued", "expires"} or null (a check of the provider),
 *         "config": {"KEY": "VALUE", ...} (as given to ctp-org verifier),
 *         "as_of": "YYYY-MM-DD"}
 *   out: {"result": "verified" | "discrepancy" | "not_found" |
 *         "excluded" | "error", "source": "...", "reference": "...",
 *         "detail": "...", "source_date": "YYYY-MM-DD"}
 *
 * with CTP_DB naming the organization's database.  A verifier that is
 * missing, not executable, exits non-zero, runs past its timeout or
 * prints anything else is recorded as result "error" with the reason,
 * never as verified.
 */
#ifndef CTP_VERIFY_H
#define CTP_VERIFY_H

#include <stddef.h>

#include "auth.h"
#include "err.h"
#include "out.h"

/* One verification done (or not: result "none"). */
struct ctp_verify_result {
	const char *npi;
	long long provider_id;
	long long credential_id;	/* 0: a check of the provider */
	const char *kind;	/* credential kind, or "npi", "oig", "sam" */
	const char *state;	/* the credential's state, or NULL */
	const char *verifier;	/* "ctp-verify-npi", ...; NULL when none */
	const char *source;	/* as written to the PSV log */
	/*
	 * verified, discrepancy, not_found, excluded, error; or "none": no
	 * verifier is configured for the credential (nothing written).
	 */
	const char *result;
	const char *reference;	/* or NULL */
	const char *detail;	/* the reason of an error, or NULL */
	long long psv_id;	/* the entry written; 0 when none */
};

typedef int (*ctp_verify_fn)(const struct ctp_verify_result *r, void *arg);

struct ctp_verify_memo;

struct ctp_verify_opts {
	const char *kind;	/* only this kind ("npi", "oig", "sam" too);
				   NULL: every check */
	const char *as_of;	/* YYYY-MM-DD; NULL: the organization's today */
	/*
	 * The answers of ctp's own npi verifier in a run over several
	 * organizations: a provider of the same NPI and name, asked of the
	 * same registry address, is asked once (NULL: each time).  The
	 * other verifiers read the organization's own lists and settings,
	 * and always run.
	 */
	struct ctp_verify_memo *memo;
};

/* NULL without memory. */
struct ctp_verify_memo *ctp_verify_memo_new(void);
void	ctp_verify_memo_free(struct ctp_verify_memo *);

/*
 * Run the verifiers for the n providers pids (providers.id): the
 * provider checks, then each active credential's configured verifier.
 * Each result is written (PSV entry, audit event, the credential marked
 * verified or failed through credential.c) in its own transaction, then
 * given to fn (NULL: not called).  *unverified (may be NULL) counts the
 * results other than "verified".  Not inside a caller's transaction.
 */
int	ctp_verify_run(struct ctp_ctx *c, const long long *pids, size_t n,
	    const struct ctp_verify_opts *o, ctp_verify_fn fn, void *arg,
	    size_t *unverified, struct ctp_error *e);

/*
 * The providers to verify (*pids, new, the caller frees): those of the n
 * npis in order (an NPI not on the roster: CTP_DATAERR naming its place,
 * "npi 2"), or every active provider when n is 0.
 */
int	ctp_verify_providers(struct ctp_ctx *c, const char *const *npis,
	    size_t n, long long **pids, size_t *npids, struct ctp_error *e);

/*
 * ctp-verify's rows: npi, last_name, first_name, kind, state,
 * credential_id, verifier, result, source, reference, detail, psv_id.
 * ctp_verify_row writes r as one (the names read from the roster).
 */
extern const struct ctp_col ctp_verify_columns[];
#define CTP_VERIFY_NCOLUMNS 12
int	ctp_verify_row(struct ctp_ctx *c, struct ctp_out *o,
	    const struct ctp_verify_result *r, struct ctp_error *e);

#endif
