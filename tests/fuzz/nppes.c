/*
 * The NPPES dissemination file reader (ctp_npi_bulk_*, lib/npi_bulk.c).  The
 * input is the file after its header line (fuzz_nppes_header), or a whole
 * file when it starts with a header of its own ("NPI").  Every row that
 * starts with a quoted NPI is one of the roster's, so that each is parsed;
 * a record handed out is for one of them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "npi_bulk.h"

#define MAXSET 256

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint64_t set[MAXSET];
	struct ctp_npi_bulk *b;
	struct ctp_npi_rec rec;
	struct ctp_error e;
	const char *hdr, *path;
	uint64_t key;
	size_t hn, ns, i;
	uint8_t *file;
	long long recs = 0;
	int rc, whole;

	hdr = fuzz_nppes_header(&hn);
	whole = size >= 5 && (memcmp(data, "\"NPI\"", 5) == 0 ||
	    memcmp(data, "NPI,", 4) == 0);
	if ((file = malloc(hn + size + 1)) == NULL)
		return 0;
	if (whole)
		hn = 0;
	memcpy(file, hdr, hn);
	if (size > 0)
		memcpy(file + hn, data, size);
	ns = fuzz_line_npis(file, hn + size, set, MAXSET);
	path = fuzz_file("npidata.csv", file, hn + size);
	free(file);
	if (path == NULL)
		return 0;
	memset(&rec, 0, sizeof(rec));
	ctp_error_clear(&e);
	if (ctp_npi_bulk_open(&b, path, NULL, &e) != 0)
		return 0;
	while ((rc = ctp_npi_bulk_next(b, set, ns, &rec, &e)) == 1) {
		recs++;
		fuzz_assert(rec.f[CTP_NPI_NPI] != NULL &&
		    strlen(rec.f[CTP_NPI_NPI]) == 10, "record without its NPI");
		for (key = 0, i = 0; i < 10; i++)
			key = key * 10 + (uint64_t)(rec.f[CTP_NPI_NPI][i] - '0');
		fuzz_assert(bsearch(&key, set, ns, sizeof(*set),
		    fuzz_cmp_u64) != NULL, "record for an NPI not asked for");
		fuzz_assert(rec.f[CTP_NPI_STATUS] != NULL,
		    "record without a status");
	}
	fuzz_assert(rc == 0 || e.what[0] != '\0', "error without a message");
	fuzz_assert(ctp_npi_bulk_lines(b) >= recs + 1, "fewer lines than rows");
	ctp_npi_bulk_close(b);
	ctp_npi_rec_clear(&rec);
	return 0;
}
