/*
 * The SAM loader on a ZIP (lib/screen_load.c): an input that is a ZIP
 * ("PK\3\4") is loaded as it is, anything else is first packed into one,
 * as the CSV member SAM publishes; then the roster is screened.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <zip.h>

#include "screen.h"
#include "fuzz.h"

/* The input packed as path's one CSV member: 0, or -1. */
static int
pack(const char *path, const uint8_t *data, size_t size)
{
	zip_source_t *src;
	zip_t *za;
	int err;

	remove(path);
	if ((za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err)) == NULL)
		return -1;
	if ((src = zip_source_buffer(za, data, size, 0)) == NULL ||
	    zip_file_add(za, "SAM_Exclusions_Public_Extract_V2.CSV", src,
	    ZIP_FL_OVERWRITE) < 0) {
		zip_source_free(src);
		zip_discard(za);
		return -1;
	}
	return zip_close(za) == 0 ? 0 : -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[512];
	struct ctp_ctx *c;
	const char *p;

	if (size >= 4 && memcmp(data, "PK\3\4", 4) == 0) {
		if ((p = fuzz_file("SAM.zip", data, size)) == NULL)
			return 0;
		snprintf(path, sizeof(path), "%s", p);
	} else {
		snprintf(path, sizeof(path), "%s/SAM.zip", fuzz_dir());
		if (pack(path, data, size) != 0)
			return 0;
	}
	if ((c = fuzz_org()) == NULL)
		return 0;
	if (fuzz_load(c, CTP_LIST_SAM, path, NULL, NULL) == 0)
		fuzz_screen(c);
	fuzz_org_check(c);
	fuzz_org_close(c);
	return 0;
}
