/*
 * Fuzz entry point for lib/input.c and lib/csvio.c (CSV and JSON Lines).
 * Build with libFuzzer:
 *   clang -g -fsanitize=fuzzer,address -Ilib -DCTP_FUZZ_MAIN \
 *     tests/fuzz/input.c build/lib/libctp.a $(pkg-config --libs ...) -lcsv
 * Saved inputs in tests/fuzz/corpus/input replay in make check
 * (tests/unit/fuzz_input.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "input.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct ctp_input *in;
	struct ctp_error e;
	FILE *f;
	size_t i;
	int enc;

	if (path[0] == '\0')
		snprintf(path, sizeof(path), "/tmp/ctp-fuzz-input.%ld",
		    (long)getpid());
	if ((f = fopen(path, "wb")) == NULL)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
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
	unlink(path);
	return 0;
}
