/*
 * extract.h - the values a document's text states: expiration date,
 * issue date, license, DEA, policy or certificate number, issuing
 * authority (a license's state; another document's issuer) and the
 * provider's name.  Pure functions of the text: no database, no files,
 * no network.  Each value comes with a confidence (0-100), the line it
 * came from and, when a reviewer should look twice, a flag.
 *
 * Dates are real calendar dates (YYYY-MM-DD, M/D/YYYY, M-D-YYYY,
 * "July 1, 2019", "1 July 2019"); an expiration date that is not after
 * the issue date is not proposed; two different expiration dates are
 * both doubtful: the first is proposed with a low confidence and a
 * flag.  A DEA number is taken only when its check digit holds.
 */
#ifndef CTP_EXTRACT_H
#define CTP_EXTRACT_H

#include <stddef.h>

enum ctp_xfield {
	CTP_X_NAME,		/* the provider's name */
	CTP_X_NUMBER,		/* number, state, issuer, issued, expires: */
	CTP_X_AUTHORITY,	/* credential fields (state for a license) */
	CTP_X_ISSUED,
	CTP_X_EXPIRES,
	CTP_X_N
};

/* Names of the fields as reports show them: name, number, authority... */
extern const char *const ctp_xfield_names[CTP_X_N];

#define CTP_X_VALUE	128
#define CTP_X_LINE	256
#define CTP_X_FLAG	160

struct ctp_xvalue {
	char value[CTP_X_VALUE];	/* "" when not found */
	int confidence;			/* 0: not proposed */
	char line[CTP_X_LINE];		/* the line it came from, trimmed */
	char flag[CTP_X_FLAG];		/* "" or what to look at */
};

struct ctp_extract {
	struct ctp_xvalue f[CTP_X_N];
};

/*
 * Read text (NUL-terminated) as a document of kind (doc.h's kinds:
 * license, dea, malpractice, board_cert; any other gets only the name
 * and dates).  x is filled; fields not found are empty.
 */
void	ctp_extract_text(const char *text, const char *kind,
	    struct ctp_extract *x);

/*
 * The credential field a document field goes to for kind: "number",
 * "state" (a license's authority), "issuer", "issued", "expires"; NULL
 * for the name.
 */
const char *ctp_xfield_target(enum ctp_xfield f, const char *kind);

/* The credential kind a document kind documents, or NULL. */
const char *ctp_extract_credential_kind(const char *doc_kind);

/*
 * Two names the same person's?  The last word of each (degrees such as
 * MD dropped) compared without case, and the first when both have one.
 */
int	ctp_extract_same_name(const char *a, const char *b);

/*
 * Check and normalize a value of field f (for a document of kind) as
 * extraction and the model extractor propose it: dates to YYYY-MM-DD,
 * a DEA number by its check digit, a license state to its USPS code,
 * other text without control characters.  0 with out filled, or -1.
 */
int	ctp_extract_normalize(enum ctp_xfield f, const char *kind,
	    const char *v, char out[CTP_X_VALUE]);

#endif
