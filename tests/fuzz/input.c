/*
 * lib/input.c and lib/csvio.c: a CSV or JSON Lines file read record by
 * record, in each encoding, every value looked at; and the same file
 * read as a list of NPIs.
 */
#include <stdint.h>
#include <stdio.h>

#include "fuzz.h"
#include "input.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctp_input *in;
	struct ctp_error e;
	const char *path;
	char **npis;
	size_t i, n;
	int enc;

	if ((path = fuzz_file("input", data, size)) == NULL)
		return 0;
	for (enc = CTP_ENC_AUTO; enc <= CTP_ENC_LATIN1; enc++) {
		if (ctp_input_open(&in, path, enc, &e) != 0)
			continue;
		while (ctp_input_next(in, &e) == 1) {
			for (i = 0; i < ctp_input_ncols(in) + 1; i++)
				(void)ctp_input_value(in, i);
			(void)ctp_input_get(in, "npi");
			(void)ctp_input_record_error(in);
		}
		ctp_input_close(in);
	}
	npis = NULL;
	n = 0;
	(void)ctp_input_read_npis(path, &npis, &n, &e);
	ctp_input_free_list(npis, n);
	return 0;
}
