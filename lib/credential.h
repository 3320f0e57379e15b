/*
 * credential.h - a provider's credentials (state license, DEA, CDS, board
 * certification, malpractice, CAQH attestation, CME, hospital privileges)
 * and the credentials each provider type requires.
 *
 * Every credential is inserted and changed here: one at a time
 * (ctp-credential, ctp-npi accept), each change with its history rows
 * (credential_id set) and an audit event in one transaction; or many in
 * the caller's transaction through struct ctp_credential_writer
 * (ctp-import, whose run is one audit event).  Credentials are never
 * deleted: retire sets status 'retired'.
 */
#ifndef CTP_CREDENTIAL_H
#define CTP_CREDENTIAL_H

#include <sqlite3.h>

#include "auth.h"
#include "err.h"
#include "history.h"
#include "out.h"

/*
 * 1 when credentials of kind expire (state_license, dea, cds, board_cert,
 * malpractice, caqh_attestation): they are never added, imported or left
 * without an expiration date, so each one reaches the inbox.
 */
int	ctp_kind_expires(const char *kind);

/*
 * A DEA registration belongs to one provider.  The NPI of another
 * provider than pid whose active DEA credential has number dea (normal
 * form) into npi, else "".  Messages name that NPI, never the number:
 * CTP_DEA_HELD with the NPI.
 */
int	ctp_credential_dea_holder(sqlite3 *db, const char *dea, long long pid,
	    char npi[11], struct ctp_error *e);
#define CTP_DEA_HELD "held by another provider (NPI %s)"

/*
 * The practice-state rule: does provider pid hold an active state license
 * of state (a USPS code)?  *yes 1 or 0.  *st is the statement, prepared
 * on first use and kept for the next call (ctp-import asks for every
 * row); the caller finalizes it.
 */
int	ctp_credential_licensed_in(sqlite3 *db, sqlite3_stmt **st,
	    long long pid, const char *state, int *yes, struct ctp_error *e);

/* The message for a kind that is none of ctp_credential_kinds. */
/*
 * A credential number of kind checked and normalized into out: a DEA
 * number by its check digit (and the holder's last name and provider
 * type, when given), any other a line of text of at most 40 characters,
 * in capitals.  NULL, or why not.  ctp-credential and ctp-import both
 * check numbers here.
 */
#define CTP_CREDENTIAL_NUMBER_MAX 64
const char *ctp_credential_number(const char *kind, const char *v,
	    const char *last, const char *ptype,
	    char out[CTP_CREDENTIAL_NUMBER_MAX]);

#define CTP_KIND_UNKNOWN "unknown credential kind (one of state_license, " \
	"dea, cds, board_cert, malpractice, caqh_attestation, cme, " \
	"hospital_privileges)"

/* Bit (1u << i) stands for ctp_credential_kinds[i] (validate.h). */
unsigned ctp_kind_bit(const char *kind);	/* 0 when unknown */

/*
 * Default requirements: MD, DO: state_license, malpractice, board_cert;
 * NP, PA, CRNA, CNM: state_license, malpractice; any other type:
 * state_license.
 */
unsigned ctp_required_default(const char *ptype);
/* The organization's requirement for ptype (its rows, else the default). */
int	ctp_required_kinds(sqlite3 *db, const char *ptype, unsigned *mask,
	    struct ctp_error *e);
/*
 * Replace the requirement for ptype with kinds ("none" alone: nothing;
 * "default" alone: back to the default).  Audit: "org.require".
 */
int	ctp_required_set(struct ctp_ctx *c, const char *ptype,
	    char *const *kinds, int n, struct ctp_error *e);
/* Every provider type with its requirement (type, kinds, source). */
int	ctp_required_list(struct ctp_ctx *c, struct ctp_out *o,
	    struct ctp_error *e);
extern const struct ctp_col ctp_required_columns[];
#define CTP_REQUIRED_NCOLUMNS 3

struct ctp_credential {
	const char *kind;
	const char *number;
	const char *state;
	const char *issuer;
	const char *issued;	/* any accepted date form */
	const char *expires;
};

/* Credentials (active and retired) of one provider, or all when npi NULL. */
int	ctp_credential_list(struct ctp_ctx *c, const char *npi,
	    struct ctp_out *o, struct ctp_error *e);
extern const struct ctp_col ctp_credential_columns[];
#define CTP_CREDENTIAL_NCOLUMNS 11

/*
 * Validate and add; *id receives the new credential id.  A kind that
 * expires needs its expiration date; a DEA number another provider holds
 * is refused.
 */
int	ctp_credential_add(struct ctp_ctx *c, const char *npi,
	    const struct ctp_credential *cr, long long *id,
	    struct ctp_error *e);
/*
 * Field: number, state, issuer, issued, expires, verification.  A change
 * of a value resets a verified or failed credential to unverified
 * (ctp_credential_unverify).  Inside the caller's transaction if one is
 * open, else in its own.
 */
int	ctp_credential_set(struct ctp_ctx *c, long long id, const char *field,
	    const char *value, const char *note, struct ctp_error *e);
/* The same with the history row's source given ("document 12"). */
int	ctp_credential_set_from(struct ctp_ctx *c, long long id,
	    const char *field, const char *value, const char *source,
	    const char *note, struct ctp_error *e);
/*
 * The registry's license number (ctp-npi accept), inside the caller's
 * transaction: the number of the provider's lowest-numbered active state
 * license of that state, set as ctp_credential_set does (history source
 * given).  No license of that state: CTP_DATAERR, since the registry
 * gives no expiration date to add one with; a state that is not a USPS
 * code: CTP_DATAERR.
 */
int	ctp_credential_set_license(struct ctp_ctx *c, const char *npi,
	    const char *state, const char *number, const char *source,
	    const char *note, struct ctp_error *e);
/*
 * A verification follows its value.  After a change of a credential's
 * number, state, issuer, issued or expires (changed names them:
 * "expires", "number, expires"), a credential marked verified or failed
 * (verification: its mark before the change) goes back to unverified,
 * with a history row (KIND.verification, the old mark, unverified, note
 * "expires changed", source).  Inside the caller's transaction.  Every
 * path that changes those values calls it: ctp_credential_set (and so
 * ctp-npi accept) and ctp_credential_writer_set (ctp-import).
 */
int	ctp_credential_unverify(struct ctp_ctx *c, long long pid,
	    long long cid, const char *kind, const char *verification,
	    const char *changed, const char *source, struct ctp_error *e);
int	ctp_credential_retire(struct ctp_ctx *c, long long id,
	    const char *note, struct ctp_error *e);

/*
 * A writer of credentials for a run that writes many (ctp-import), its
 * statements prepared once, as struct ctp_history is for history rows.
 * It writes inside the caller's transaction, at h's time, from h's
 * source, and borrows h until ctp_credential_writer_close.  The values
 * are the caller's, already checked and in normal form (ctp-import's
 * checks are in import_check.c).
 */
struct ctp_credential_writer {
	struct ctp_ctx *c;
	struct ctp_history *h;
	sqlite3_stmt *ins, *upd;
	sqlite3_stmt *rows;	/* of nrows credentials (add_rows) */
	size_t nrows;
};
/*
 * The values of a credential a roster file carries, in this order in
 * ctp_credential_writer_set's arrays: number, state, issuer, expires.
 */
#define CTP_CREDENTIAL_NFILE 4

int	ctp_credential_writer_open(struct ctp_credential_writer *w,
	    struct ctp_ctx *c, struct ctp_history *h, struct ctp_error *e);
/*
 * Insert cr (values NULL or "" stored as NULL) for provider pid; *id
 * receives its id.  No history row: the caller writes the one it wants.
 */
int	ctp_credential_writer_add(struct ctp_credential_writer *w,
	    long long pid, const struct ctp_credential *cr, long long *id,
	    struct ctp_error *e);
/*
 * Insert n credentials in one statement, cr[i] for provider pid[i], in
 * that order, as ctp_credential_writer_add would one by one (their ids
 * are not returned).  The statement of the first call's n is kept for
 * the next calls of that n.
 */
int	ctp_credential_writer_add_rows(struct ctp_credential_writer *w,
	    const long long *pid, const struct ctp_credential *cr, size_t n,
	    struct ctp_error *e);
/*
 * Set credential cid (of provider pid, of kind) from old to nw (number,
 * state, issuer, expires; NULL and "" the same): one history row
 * (KIND.FIELD) per value that differs, and the verification reset
 * (ctp_credential_unverify, verification: the credential's mark).  Bit
 * (1u << i) of *changed set for each value i that differs; nothing is
 * written when none does.
 */
int	ctp_credential_writer_set(struct ctp_credential_writer *w,
	    long long pid, long long cid, const char *kind,
	    const char *const old[CTP_CREDENTIAL_NFILE],
	    const char *const nw[CTP_CREDENTIAL_NFILE],
	    const char *verification, unsigned *changed, struct ctp_error *e);
/* Finalize the statements; a writer zeroed and never opened is fine. */
void	ctp_credential_writer_close(struct ctp_credential_writer *w);

#endif
