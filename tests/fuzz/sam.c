/*
 * The SAM loader (ctp_screen_load, lib/screen_load.c) on a CSV extract,
 * over the small list in force, and the roster screened against it.
 */
#include <stdint.h>

#include "screen.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ctp_list_kind k[] = { CTP_LIST_SAM };

	fuzz_list(data, size, "SAM_Exclusions.csv", k, 1, NULL, NULL);
	return 0;
}
