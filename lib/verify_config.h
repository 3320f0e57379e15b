/*
 * verify_config.h - which verifier checks what: the organization's
 * verifiers table (ctp-org verifier), one program per credential kind
 * and state ("" for any state), or per provider check (npi, oig, sam).
 * A provider check without a row uses ctp-verify-npi, ctp-verify-oig or
 * ctp-verify-sam; a credential kind without one has no verifier.
 */
#ifndef CTP_VERIFY_CONFIG_H
#define CTP_VERIFY_CONFIG_H

#include <stddef.h>

#include <sqlite3.h>

#include "auth.h"
#include "err.h"
#include "out.h"

/* The provider checks, NULL-terminated: npi, oig, sam. */
extern const char *const ctp_verify_checks[];
/* 1 when kind is one of ctp_verify_checks. */
int	ctp_verify_is_check(const char *kind);

/*
 * A verifier's name: "ctp-verify-" and then lower-case letters, digits
 * and dashes, at most 64 bytes in all; a name, never a path.  NULL, or
 * why not.
 */
const char *ctp_verify_check_program(const char *name);

/*
 * Set the verifier of kind (a credential kind, or npi, oig, sam) in state
 * (a USPS code, or "-" or "" for any state; the provider checks take
 * only "-") to program, with config kv: n strings KEY=VALUE (KEY lower
 * case letters, digits and '_', VALUE at most 1000 bytes, no control
 * characters).  Replaces the row there was.  Audit: "org.verifier".
 * Bad input: CTP_DATAERR naming it.
 */
int	ctp_verifier_set(struct ctp_ctx *c, const char *kind, const char *state,
	    const char *program, char *const *kv, int n, struct ctp_error *e);
/* Remove it (CTP_DATAERR when there is none).  Audit: "org.verifier". */
int	ctp_verifier_remove(struct ctp_ctx *c, const char *kind,
	    const char *state, struct ctp_error *e);
/*
 * Every verifier: the rows set, then the provider checks' defaults
 * where none is set (set_by "default"); state empty for any state.
 * Audit: "org.read".
 */
int	ctp_verifier_list(struct ctp_ctx *c, struct ctp_out *o,
	    struct ctp_error *e);
extern const struct ctp_col ctp_verifier_columns[];
#define CTP_VERIFIER_NCOLUMNS 6

/*
 * The verifier of kind in state (NULL or "" for none): the row of that
 * state, else the row for any state, else for a provider check its
 * default.  *program and *config (JSON text) are new strings the caller
 * frees; both NULL when there is none.
 */
int	ctp_verifier_find(sqlite3 *db, const char *kind, const char *state,
	    char **program, char **config, struct ctp_error *e);

#endif
