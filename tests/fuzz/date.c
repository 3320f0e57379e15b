/*
 * lib/date.c and ctp_check_date: any text either is a real date in every
 * reading (parse, normalize, check) with one normal form, or in none.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "fuzz.h"
#include "validate.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, norm[CTP_DATE_LEN], chk[11], fmt[CTP_DATE_LEN];
	const char *why;
	long days, again, later;
	int p, n, y, m, d, y2, m2, d2, k;

	s = fuzz_str(data, size);
	memset(norm, 0, sizeof(norm));
	memset(chk, 0, sizeof(chk));
	p = ctp_date_parse(s, &days);
	n = ctp_date_normalize(s, norm);
	why = ctp_check_date(s, chk);
	fuzz_assert(p == n, "parse and normalize disagree");
	fuzz_assert((p == 0) == (why == NULL), "parse and check disagree");
	if (p == 0) {
		fuzz_assert(strlen(norm) == 10 && norm[4] == '-' &&
		    norm[7] == '-', "normal form is YYYY-MM-DD");
		fuzz_assert(strcmp(norm, chk) == 0,
		    "normalize and check give other forms");
		fuzz_assert(ctp_date_parse(norm, &again) == 0 && again == days,
		    "normal form reads back as another day");
		ctp_date_format(days, fmt);
		fuzz_assert(strcmp(fmt, norm) == 0, "format differs");
		ctp_date_to_ymd(days, &y, &m, &d);
		fuzz_assert(ctp_date_valid(y, m, d), "parsed day not valid");
		fuzz_assert(ctp_date_from_ymd(y, m, d) == days,
		    "day number does not round-trip");
		/* Months from the input's length, both ways. */
		for (k = -(int)(size % 40); k <= (int)(size % 40); k += 7) {
			later = ctp_date_add_months(days, k);
			ctp_date_to_ymd(later, &y2, &m2, &d2);
			fuzz_assert((y2 * 12 + m2) - (y * 12 + m) == k,
			    "add_months lands in another month");
			fuzz_assert(d2 <= d && d2 >= 1,
			    "add_months moves the day forward");
		}
	}
	free(s);
	return 0;
}
