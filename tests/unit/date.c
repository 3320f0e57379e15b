/* Unit tests for lib/date.c: parsing, normalizing, month arithmetic. */
#include <stdarg.h>
#include <stdio.h>

#include "date.h"
#include "tap.h"

static const char *
norm(const char *s)
{
	static char out[CTP_DATE_LEN];

	if (ctp_date_normalize(s, out) < 0)
		return "invalid";
	return out;
}

static const char *
addm(const char *s, int m)
{
	static char out[CTP_DATE_LEN];
	long d;

	if (ctp_date_parse(s, &d) < 0)
		return "invalid";
	ctp_date_format(ctp_date_add_months(d, m), out);
	return out;
}

int
main(void)
{
	long d;

	is_str(norm("2026-11-27"), "2026-11-27", "ISO date");
	is_str(norm("11/27/2026"), "2026-11-27", "US MM/DD/YYYY");
	is_str(norm("1/5/2026"), "2026-01-05", "US M/D/YYYY");
	is_str(norm("11-27-2026"), "2026-11-27", "MM-DD-YYYY (SAM API)");
	is_str(norm("20261127"), "2026-11-27", "YYYYMMDD (LEIE)");
	is_str(norm("2024-02-29"), "2024-02-29", "leap day in a leap year");
	is_str(norm("2023-02-29"), "invalid", "no Feb 29 in 2023");
	is_str(norm("1900-02-29"), "invalid", "1900 is not a leap year");
	is_str(norm("2000-02-29"), "2000-02-29", "2000 is a leap year");
	is_str(norm("2026-13-01"), "invalid", "month 13");
	is_str(norm("2026-04-31"), "invalid", "April 31");
	is_str(norm("00000000"), "invalid", "LEIE zero date is not a date");
	is_str(norm("2026-1-01"), "invalid", "ISO needs two-digit months");
	is_str(norm(""), "invalid", "empty");
	is_str(norm("2026-11-27x"), "invalid", "trailing garbage");
	is_str(norm("13/01/2026"), "invalid", "day-first is not accepted");
	ok(ctp_date_parse(NULL, &d) < 0, "NULL is not a date");
	/* Two-digit years: an expiration date only, read as 20YY. */
	is_str(norm("3/31/27"), "invalid", "M/D/YY is not a date in general");
	ok(ctp_date_two_digit_year("3/31/27"), "3/31/27 has a two-digit year");
	ok(ctp_date_two_digit_year("12/01/58"), "12/01/58 too");
	ok(!ctp_date_two_digit_year("3/31/2027"), "3/31/2027 does not");
	ok(!ctp_date_two_digit_year("2/30/27"), "2/30/27 is no date at all");
	ok(!ctp_date_two_digit_year("3-31-27"), "M-D-YY is not a form");
	ok(!ctp_date_two_digit_year("270331"), "YYMMDD is not a form");
	ok(ctp_date_parse_expiry("3/31/27", &d) == 0 &&
	    d == ctp_date_from_ymd(2027, 3, 31), "expiry 3/31/27 is 2027-03-31");
	ok(ctp_date_parse_expiry("03/31/27", &d) == 0 &&
	    d == ctp_date_from_ymd(2027, 3, 31), "expiry 03/31/27");
	ok(ctp_date_parse_expiry("1/1/00", &d) == 0 &&
	    d == ctp_date_from_ymd(2000, 1, 1), "expiry 1/1/00 is 2000");
	ok(ctp_date_parse_expiry("2027-03-31", &d) == 0 &&
	    d == ctp_date_from_ymd(2027, 3, 31), "expiry in ISO form");
	ok(ctp_date_parse_expiry("20270331", &d) == 0, "expiry YYYYMMDD");
	ok(ctp_date_parse_expiry("2/29/27", &d) < 0, "no Feb 29 in 2027");
	ok(ctp_date_parse_expiry("2/29/28", &d) == 0, "Feb 29 in 2028");
	ok(ctp_date_parse_expiry("3-31-27", &d) < 0, "expiry M-D-YY");
	ok(ctp_date_parse_expiry("3/31/027", &d) < 0, "three-digit year");
	ok(ctp_date_parse_expiry("3/31/2", &d) < 0, "one-digit year");
	ok(ctp_date_parse_expiry("3/31/27x", &d) < 0, "trailing garbage");
	is_str(addm("2024-02-29", 36), "2027-02-28", "leap day + 36 months");
	is_str(addm("2026-01-31", 1), "2026-02-28", "Jan 31 + 1 month clamps");
	is_str(addm("2026-11-27", 24), "2028-11-27", "+24 months");
	is_str(addm("2026-03-15", -3), "2025-12-15", "negative months");
	ok(ctp_date_parse("1970-01-01", &d) == 0 && d == 0, "epoch is day 0");
	ok(ctp_date_parse("2026-11-27", &d) == 0 && d == 20784,
	    "2026-11-27 is day 20784");
	is_int(ctp_date_years_between(ctp_date_from_ymd(2000, 11, 28),
	    ctp_date_from_ymd(2026, 11, 27)), 25, "age the day before birthday");
	is_int(ctp_date_years_between(ctp_date_from_ymd(2000, 11, 27),
	    ctp_date_from_ymd(2026, 11, 27)), 26, "age on the birthday");
	return done_testing();
}
