/*
 * board_check.h - what the license board verifiers (libexec/
 * ctp-verify-http.c, ctp-verify-board-file.c) share: the request read
 * from standard input (verify.h), the board's record of a license held
 * against the credential and the provider, and the one answer printed.
 *
 * A board's record agrees with the credential when its number is the
 * credential's (ctp_board_number_key), its status is one of the words
 * meaning good standing, its expiry (when the board gives one) is the
 * credential's and not past the day of the check, and its name is the
 * provider's (names.h keys: case, accents, punctuation and a middle
 * name do not count) or one of the provider's former names (said in
 * the detail).  Every difference is named in the detail.
 */
#ifndef CTP_BOARD_CHECK_H
#define CTP_BOARD_CHECK_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "buf.h"

/*
 * The request.  Strings point into root and are "" when the request
 * has none; the credential's expires and as_of are YYYY-MM-DD or "".
 */
struct ctp_vreq {
	json_t *root;
	const char *npi, *last, *first;		/* the provider */
	const char *other_names;	/* "LAST, FIRST; LAST" (roster.h) */
	const char *kind, *number, *state, *expires;	/* the credential */
	const char *as_of;
	long as_of_day;
	json_t *config;		/* an object, maybe empty */
};

/*
 * Read and check one request from f into r: 0, or -1 with why (n
 * bytes) filled (not JSON, no credential, a field of the wrong type).
 * as_of defaults to today (UTC).  Free with ctp_vreq_free, also after
 * a failure.
 */
int	ctp_vreq_read(FILE *f, struct ctp_vreq *r, char *why, size_t n);
void	ctp_vreq_free(struct ctp_vreq *r);
/* A configuration value, or NULL when not given (or not text). */
const char *ctp_vreq_config(const struct ctp_vreq *r, const char *key);

/* A license as the board has it: NULL for what the board does not give. */
struct ctp_board_record {
	const char *number;
	const char *last, *first;	/* the name in parts, or */
	const char *name;		/* the whole name ("LAST, FIRST M") */
	const char *status;
	const char *expires;	/* any form ctp_date_parse_expiry reads */
};

/* The status words of good standing when a verifier is given none. */
#define CTP_BOARD_ACTIVE_DEFAULT "ACTIVE,CURRENT,CLEAR"

/*
 * Hold b against the request: "verified" or "discrepancy", with the
 * differences (or, when verified, what was seen) appended to detail.
 * active: the words meaning good standing, comma-separated, any case
 * (NULL: CTP_BOARD_ACTIVE_DEFAULT).  NULL when out of memory.
 */
const char *ctp_board_compare(const struct ctp_vreq *r,
	    const struct ctp_board_record *b, const char *active,
	    struct ctp_buf *detail);

/*
 * A license number reduced for comparison into out (n bytes): its
 * letters and digits in upper case, without the zeros that lead its
 * digits at the start or after a letter ("md-0012 345" -> "MD12345",
 * "0012345" -> "12345", "12-0034" -> "120034").
 */
void	ctp_board_number_key(const char *s, char *out, size_t n);

/* 1 when the board's name (in parts, or whole) is the provider's. */
int	ctp_board_name_agrees(const char *plast, const char *pfirst,
	    const char *blast, const char *bfirst, const char *bname);

/*
 * Print the answer (verify.h; built by ctp_verifier_reply, with the
 * PSV method when given) as one JSON line on f, NULL fields left out; 0, or -1 when it could not be written.
 */
int	ctp_vanswer(FILE *f, const char *result, const char *method,
	    const char *source,
	    const char *reference, const char *detail,
	    const char *source_date);

#endif
