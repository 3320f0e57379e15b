/*
 * verifier.h - the verifier's side of the protocol (verify.h), for ctp's
 * own verifiers (libexec/ctp-verify-npi, -oig, -sam): reading the
 * request, opening the organization's database read-only, and the
 * checks themselves, each a function of the request that returns the
 * reply object.  The programs print the reply; a failure of the program
 * itself (no request, no database) is an error with its exit code,
 * which the runner records as result "error".
 */
#ifndef CTP_VERIFIER_H
#define CTP_VERIFIER_H

#include <stdio.h>

#include <jansson.h>
#include <sqlite3.h>

#include "err.h"

/*
 * The request on f: one JSON object of at most 1 MB with a "provider"
 * object holding an "npi" string.  *req new (json_decref).
 * CTP_DATAERR when it is not that.
 */
int	ctp_verifier_read(FILE *f, json_t **req, struct ctp_error *e);
/* The database CTP_DB names, read-only (CTP_USAGE when unset). */
int	ctp_verifier_db(sqlite3 **db, struct ctp_error *e);
/*
 * $CTP_DB as ctp-verify set it, or NULL: read even when a team install
 * starts the verifier with its group (priv.h), since nothing else can.
 */
const char *ctp_verifier_db_path(void);
/*
 * A reply object (new; NULL without memory).  Every string but result
 * may be NULL (left out); detail is taken (json_t *, may be NULL).
 */
json_t	*ctp_verifier_reply(const char *result, const char *source,
	    const char *reference, json_t *detail, const char *source_date);
/* req's provider's member key as a string, or NULL. */
const char *ctp_verifier_provider(const json_t *req, const char *key);

/*
 * npi: the provider's NPI at NPPES through the registry API (the
 * request's config "url", else the setting nppes_api_url): verified
 * when the record is active and has the provider's first and last
 * names; discrepancy with the differences in detail; not_found; error
 * when the registry cannot be reached.
 */
int	ctp_verifier_npi(sqlite3 *db, const json_t *req, json_t **reply,
	    struct ctp_error *e);

/*
 * oig (source CTP_SRC_LEIE) and sam (CTP_SRC_SAM): the provider against
 * the list of that source in force in db, as of the request's as_of:
 * excluded when a confirmed match (ctp-screen review) or an entry with
 * the provider's NPI; discrepancy when an entry matches by name
 * (ctp_screen_match) and was not cleared, for a person to review;
 * verified when clear.  The reference names the list's version and
 * date.  Error when no list of that source is loaded.
 */
int	ctp_verifier_screen(sqlite3 *db, const char *source,
	    const json_t *req, json_t **reply, struct ctp_error *e);

/*
 * The whole of a built-in verifier's main: --version, no other
 * argument, the request from stdin, the database, check(db, source,
 * req, &reply, e) (ctp_verifier_screen's shape; source is passed on),
 * the reply on stdout.  Returns the exit code.
 */
typedef int (*ctp_verifier_check)(sqlite3 *db, const char *source,
	    const json_t *req, json_t **reply, struct ctp_error *e);
int	ctp_verifier_main(int argc, char **argv, ctp_verifier_check check,
	    const char *source);
/* ctp_verifier_npi in the shape of a ctp_verifier_check (source unused). */
int	ctp_verifier_npi_check(sqlite3 *db, const char *source,
	    const json_t *req, json_t **reply, struct ctp_error *e);

#endif
