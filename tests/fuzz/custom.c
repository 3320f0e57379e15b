/*
 * A list with a mapping file (ctp_screen_load, CTP_LIST_CUSTOM): the
 * input is the list, read through a map naming every field (the map
 * itself is fuzzed by map.c), and the roster screened against it.
 */
#include <stdint.h>
#include <stdio.h>

#include "screen.h"
#include "fuzz.h"

static const char map[] =
    "# every key a list can map\n"
    "last_name = Surname\n"
    "first_name = Given\n"
    "middle_name = Middle\n"
    "business_name = Business\n"
    "npi = NPI\n"
    "dob = Birth\n"
    "state = St\n"
    "exclusion_type = Type\n"
    "exclusion_date = Excluded\n"
    "reinstatement_date = Reinstated\n"
    "date_format = auto\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ctp_list_kind k[] = { CTP_LIST_CUSTOM };
	static char mpath[512];
	const char *p;

	if (mpath[0] == '\0') {
		if ((p = fuzz_file("list.map", map, sizeof(map) - 1)) == NULL)
			return 0;
		snprintf(mpath, sizeof(mpath), "%s", p);
	}
	fuzz_list(data, size, "list.csv", k, 1, "WA Medicaid", mpath);
	return 0;
}
