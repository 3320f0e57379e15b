/*
 * ctp_verify_reply_parse (lib/verify_reply.c): what a verifier printed.
 * An accepted reply has a result of ctp_psv_results and strings within
 * their limits without control characters; a refused one says why.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "psv.h"
#include "validate.h"
#include "verify_reply.h"

static int
clean(const char *s, size_t max)
{
	size_t i;

	if (s == NULL)
		return 1;
	if (strlen(s) > max)
		return 0;
	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctp_verify_reply r;
	char why[300];
	int rc;

	why[0] = '\0';
	rc = ctp_verify_reply_parse((const char *)data, size, &r, why,
	    sizeof(why));
	if (rc == 0) {
		fuzz_assert(r.result != NULL &&
		    ctp_str_index(ctp_psv_results, r.result) >= 0,
		    "accepted a result that is not a PSV result");
		fuzz_assert(clean(r.source, CTP_VERIFY_SOURCE_MAX) &&
		    clean(r.reference, CTP_VERIFY_REFERENCE_MAX) &&
		    clean(r.detail, CTP_VERIFY_DETAIL_MAX) &&
		    clean(r.source_date, 10), "accepted text a log must not "
		    "keep");
		fuzz_assert(r.method == NULL ||
		    ctp_str_index(ctp_psv_methods, r.method) >= 0,
		    "accepted an unknown method");
		ctp_verify_reply_free(&r);
	} else
		fuzz_assert(why[0] != '\0' && r.result == NULL,
		    "refused without a reason, or left a reply");
	return 0;
}
