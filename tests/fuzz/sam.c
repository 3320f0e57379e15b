/*
 * The SAM loader (ctp_screen_load, lib/exclusion.c) on a CSV extract,
 * over the small list in force, and the roster screened against it.
 */
#include <stdint.h>

#include "exclusion.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctp_ctx *c;
	const char *path;

	if ((c = fuzz_org()) == NULL)
		return 0;
	if ((path = fuzz_file("SAM_Exclusions.csv", data, size)) != NULL) {
		if (fuzz_load(c, CTP_LIST_SAM, path, NULL, NULL) == 0)
			fuzz_screen(c);
		fuzz_org_check(c);
	}
	fuzz_org_close(c);
	return 0;
}
