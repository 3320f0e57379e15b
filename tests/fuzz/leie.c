/*
 * The OIG LEIE loader (ctp_screen_load, lib/exclusion.c): the input
 * loaded as a monthly supplement, as a reinstatement file, then as the
 * full list, over the small list in force, and the roster screened
 * against what was loaded.
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
	if ((path = fuzz_file("UPDATED.csv", data, size)) != NULL) {
		fuzz_load(c, CTP_LIST_LEIE_SUPP, path, NULL, NULL);
		fuzz_load(c, CTP_LIST_LEIE_REIN, path, NULL, NULL);
		fuzz_load(c, CTP_LIST_LEIE, path, NULL, NULL);
		fuzz_screen(c);
		fuzz_org_check(c);
	}
	fuzz_org_close(c);
	return 0;
}
