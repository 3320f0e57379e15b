/*
 * ctp_npi_parse_api (lib/npi_api.c): an NPPES API answer, for the first NPI
 * it names and for any NPI.  A record found is one for that NPI.
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "npi_api.h"

/* The first run of exactly ten digits in the answer, else a fixed NPI. */
static void
first_npi(const uint8_t *data, size_t size, char out[11])
{
	size_t i, j;

	for (i = 0; i < size; i = j + 1) {
		for (j = i; j < size && isdigit(data[j]); j++)
			;
		if (j - i == 10) {
			memcpy(out, data + i, 10);
			out[10] = '\0';
			return;
		}
	}
	strcpy(out, "1234567893");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctp_npi_rec rec;
	struct ctp_error e;
	char npi[11];
	int found, rc, k;

	first_npi(data, size, npi);
	memset(&rec, 0, sizeof(rec));
	ctp_error_clear(&e);
	rc = ctp_npi_parse_api((const char *)data, size, npi, &rec, &found,
	    &e);
	if (rc == 0 && found) {
		fuzz_assert(rec.f[CTP_NPI_NPI] != NULL &&
		    strcmp(rec.f[CTP_NPI_NPI], npi) == 0,
		    "found a record for another NPI");
		for (k = 0; k < CTP_NPI_NFIELDS; k++)
			if (rec.f[k] != NULL)
				(void)strlen(rec.f[k]);
	}
	fuzz_assert(rc != 0 || found || rec.f[CTP_NPI_NPI] == NULL,
	    "not found, yet a record is left");
	fuzz_assert(rc == 0 || e.what[0] != '\0', "an error without a message");
	ctp_npi_rec_clear(&rec);
	rc = ctp_npi_parse_api((const char *)data, size, NULL, &rec, &found,
	    &e);
	ctp_npi_rec_clear(&rec);
	return 0;
}
