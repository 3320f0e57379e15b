/*
 * Mapping files: the input is the map of ctp-import --map (CSV: source
 * header, canonical name) for a roster with headers of its own, and the
 * map of ctp-screen load --map (KEY = Column lines) for a state list.
 * Either is taken or refused with 65; nothing else.
 */
#include <stdint.h>
#include <stdio.h>

#include "screen.h"
#include "fuzz.h"
#include "import.h"

static const char roster[] =
    "Prov ID,Given,Family,Born,Kind,Tax,Street,St,Lic,Lic St,Lic Until,"
    "Insurer,Ins Until,Notes\n"
    "1000009401,Ann,Lee,1980-05-06,NP,363L00000X,1 Main St,IL,IL00940,IL,"
    "2027-06-30,MedPro Group,2027-01-31,x\n";

static const char list[] =
    "Surname,Given,Middle,Business,NPI,Birth,St,Type,Excluded,Reinstated\n"
    "Clear,Ima,,,,01/01/1990,WA,fraud,03/15/2021,\n"
    "Lee,Ann,Q,,1003000126,1970-01-01,TX,,20200101,\n"
    ",,,Acme Pharmacy,,,NY,,2019-02-03,2020-02-03\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char rpath[512], lpath[512];
	struct ctp_import_stats s;
	struct ctp_ctx *c;
	const char *map, *p;

	if (rpath[0] == '\0') {
		if ((p = fuzz_file("mapped.csv", roster, sizeof(roster) - 1))
		    == NULL)
			return 0;
		snprintf(rpath, sizeof(rpath), "%s", p);
		if ((p = fuzz_file("state.csv", list, sizeof(list) - 1)) == NULL)
			return 0;
		snprintf(lpath, sizeof(lpath), "%s", p);
	}
	if ((c = fuzz_org()) == NULL)
		return 0;
	if ((map = fuzz_file("columns.map", data, size)) != NULL) {
		fuzz_import(c, rpath, map, 0, &s);
		fuzz_load(c, CTP_LIST_CUSTOM, lpath, "WA Medicaid", map);
		fuzz_screen(c);
		fuzz_org_check(c);
	}
	fuzz_org_close(c);
	return 0;
}
