/*
 * The OIG LEIE loader (ctp_screen_load, lib/screen_load.c): the input
 * loaded as a monthly supplement, as a reinstatement file, then as the
 * full list, over the small list in force, and the roster screened
 * against what was loaded.
 */
#include <stdint.h>

#include "screen.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ctp_list_kind k[] = { CTP_LIST_LEIE_SUPP,
	    CTP_LIST_LEIE_REIN, CTP_LIST_LEIE };

	fuzz_list(data, size, "UPDATED.csv", k, 3, NULL, NULL);
	return 0;
}
