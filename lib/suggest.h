/*
 * suggest.h - extraction of a document's values into suggestions, and
 * the coordinator's decisions on them.
 *
 * An extraction (extract_run.c) reads a license, DEA, malpractice or
 * board document's text (doc_text.h), finds its values (extract.h, and
 * the model extractor when one is configured: extract_model.h), and
 * records one extractions row and a suggestions row for each value of
 * the credential it documents: "confirmed" when the credential already
 * holds that value, else "pending" for ctp-review.  Nothing of a
 * credential changes here.
 *
 * A decision (suggest.c) on a pending suggestion: approve (its value),
 * correct (the coordinator's value), or reject (with a note).  Approve
 * and correct are the only ways a suggestion reaches a credential:
 * through ctp_credential_set's checks, its history row and its reset of
 * the verification; each decision is audit-logged with the document's
 * SHA-256.
 */
#ifndef CTP_SUGGEST_H
#define CTP_SUGGEST_H

#include "auth.h"
#include "doc.h"
#include "err.h"
#include "extract.h"
#include "out.h"

/* Documents larger than this are stored but not read. */
#define CTP_EXTRACT_MAX_BYTES	(32LL * 1024 * 1024)

struct ctp_extract_result {
	long long extraction_id;	/* 0: the kind has no values to read */
	char status[12];		/* ok, unavailable, failed */
	char source[12];		/* pdftotext, ocr, plain */
	char reason[512];		/* why not ok */
	char model[200];		/* "", "ok" or why the model failed */
	long long pending, confirmed;	/* suggestions made */
	char credential_kind[24];
	long long credential_id;	/* 0: none found */
	struct ctp_extract x;		/* what was read (normalized) */
	struct ctp_extract m;		/* what the model said (normalized) */
	int name_match;			/* 1, 0, -1 not read */
	/* Each value of x (0) and m (1): 'p' pending, 'c' confirmed. */
	char made[2][CTP_X_N];
};

/*
 * Extract document id inside the caller's transaction (or its own).
 * Documents of kind cv, attestation or other: r->extraction_id 0,
 * nothing written.  A tool missing or failing is recorded, not an
 * error; the error is the database's (or out of memory).
 */
int	ctp_extract_run(struct ctp_ctx *c, long long id,
	    struct ctp_extract_result *r, struct ctp_error *e);
/* ctp_doc_hook running ctp_extract_run; arg: a result to fill, or NULL. */
int	ctp_extract_hook(struct ctp_ctx *c, const struct ctp_doc_added *d,
	    void *arg, struct ctp_error *e);

/*
 * ctp-doc extract's report of r (a document of kind): one row (field,
 * value, confidence, source, status, flag, line) a value read; status
 * pending, confirmed, not proposed or already pending, the name's match
 * or mismatch.
 */
int	ctp_extract_report(const struct ctp_extract_result *r,
	    const char *kind, struct ctp_out *o, struct ctp_error *e);
/*
 * ctp-doc show's rows (field, value) of document id's latest extraction:
 * extraction (status and source), extraction_reason, extraction_name,
 * extracted_at, suggestions_pending; none when it was never read.
 */
int	ctp_extract_show(sqlite3 *db, long long id, struct ctp_out *o,
	    struct ctp_error *e);
extern const struct ctp_col ctp_extract_columns[];
#define CTP_EXTRACT_NCOLUMNS 7

/* The review queue's suggestion items ("s12"): review.c's table. */
int	ctp_suggest_list(struct ctp_ctx *c, struct ctp_out *o,
	    long long *count, struct ctp_error *e);
int	ctp_suggest_approve(struct ctp_ctx *c, long long id, const char *note,
	    struct ctp_error *e);
int	ctp_suggest_correct(struct ctp_ctx *c, long long id, const char *value,
	    const char *note, struct ctp_error *e);
int	ctp_suggest_reject(struct ctp_ctx *c, long long id, const char *note,
	    struct ctp_error *e);

#endif
