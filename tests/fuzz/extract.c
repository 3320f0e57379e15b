/*
 * Extraction (lib/extract.h) and the model's answer
 * (ctp_extract_model_parse): the input is a document's text, its first
 * byte choosing the kind.  Whatever the text, every value proposed is
 * one ctp_extract_normalize accepts as it is (a real date, a DEA number
 * whose check digit holds, a state code), an expiration date proposed
 * beside an issue date comes after it, and no value or line holds a
 * control character.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "extract_model.h"
#include "fuzz.h"

static const char *const kinds[] = { "license", "dea", "malpractice",
    "board_cert" };

static void
check(const struct ctp_extract *x, const char *kind, int text)
{
	char out[CTP_X_VALUE];
	const unsigned char *p;
	int f;

	for (f = 0; f < CTP_X_N; f++) {
		for (p = (const unsigned char *)x->f[f].value; *p; p++)
			fuzz_assert(*p >= 0x20 && *p != 0x7f, "a control "
			    "character in a value");
		for (p = (const unsigned char *)x->f[f].line; *p; p++)
			fuzz_assert(*p >= 0x20 && *p != 0x7f, "a control "
			    "character in a line");
		if (x->f[f].confidence <= 0 || f == CTP_X_NAME ||
		    (text && f == CTP_X_AUTHORITY))
			continue;
		fuzz_assert(ctp_extract_normalize((enum ctp_xfield)f, kind,
		    x->f[f].value, out) == 0, "a value proposed that its "
		    "check refuses");
		fuzz_assert(strcmp(out, x->f[f].value) == 0, "a value "
		    "proposed not in its normal form");
	}
	if (x->f[CTP_X_ISSUED].confidence > 0 &&
	    x->f[CTP_X_EXPIRES].confidence > 0)
		fuzz_assert(strcmp(x->f[CTP_X_EXPIRES].value,
		    x->f[CTP_X_ISSUED].value) > 0, "an expiration date not "
		    "after the issue date proposed");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctp_extract x;
	const char *kind;
	char *s;

	if (size == 0 || (s = fuzz_str(data + 1, size - 1)) == NULL)
		return 0;
	kind = kinds[data[0] % 4];
	ctp_extract_text(s, kind, &x);
	check(&x, kind, 1);
	if (ctp_extract_model_parse(s, kind, &x) == 0)
		check(&x, kind, 0);
	free(s);
	return 0;
}
