/*
 * verify_reply.h - what a verifier printed (verify.h, "out"), read
 * strictly: exactly one JSON object and nothing after it; result one of
 * ctp_psv_results; source, reference and detail strings of bounded
 * length (detail may also be an object, kept as compact JSON) without
 * control characters; source_date a date; method one of
 * ctp_psv_methods.  Other keys are ignored.  No database.
 */
#ifndef CTP_VERIFY_REPLY_H
#define CTP_VERIFY_REPLY_H

#include <stddef.h>

#define CTP_VERIFY_SOURCE_MAX 200
#define CTP_VERIFY_REFERENCE_MAX 500
#define CTP_VERIFY_DETAIL_MAX 4000

/* Each string new (NULL when absent); ctp_verify_reply_free frees them. */
struct ctp_verify_reply {
	char *result;
	char *source;
	char *reference;
	char *detail;
	char *source_date;	/* YYYY-MM-DD */
	char *method;
};

/*
 * Read s (n bytes, may hold NULs).  0 with r filled; -1 with why (a
 * reason such as "printed no JSON object", "result: not one of ...") and
 * r empty; -2 when out of memory.
 */
int	ctp_verify_reply_parse(const char *s, size_t n,
	    struct ctp_verify_reply *r, char *why, size_t whylen);
void	ctp_verify_reply_free(struct ctp_verify_reply *r);

#endif
