/*
 * date.c - calendar dates as day numbers, and the date forms ctp
 * reads (date.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"

/* Howard Hinnant's days_from_civil / civil_from_days. */
long
ctp_date_from_ymd(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
ctp_date_to_ymd(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp, yy;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
mdays(int y, int m)
{
	static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : n[m - 1];
}

int
ctp_date_valid(int y, int m, int d)
{
	return y >= 1800 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= mdays(y, m);
}

/* Read exactly or up to n digits; returns count read. */
static int
digits(const char **sp, int min, int max, int *out)
{
	const char *s = *sp;
	int v = 0, k = 0;

	while (k < max && isdigit((unsigned char)s[k])) {
		v = v * 10 + (s[k] - '0');
		k++;
	}
	if (k < min)
		return -1;
	*out = v;
	*sp = s + k;
	return k;
}

#define TWO_DIGIT_YEAR (-2)	/* parse: a two-digit year where none may be */

/*
 * The parser behind ctp_date_parse and ctp_date_parse_expiry: yy 1 reads
 * M/D/YY as 20YY.  Returns 0, -1, or TWO_DIGIT_YEAR for M/D/YY when yy is 0
 * (a date that would be real with the year written in full).
 */
static int
parse(const char *s, int yy, long *days)
{
	int y, m, d, k;
	const char *p = s;
	size_t n;

	if (s == NULL)
		return -1;
	n = strlen(s);
	if (n == 8 && strspn(s, "0123456789") == 8) {
		y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
		    (s[2] - '0') * 10 + (s[3] - '0');
		m = (s[4] - '0') * 10 + (s[5] - '0');
		d = (s[6] - '0') * 10 + (s[7] - '0');
	} else if (n == 10 && s[4] == '-' && s[7] == '-') {
		if (digits(&p, 4, 4, &y) < 0 || *p++ != '-' ||
		    digits(&p, 2, 2, &m) < 0 || *p++ != '-' ||
		    digits(&p, 2, 2, &d) < 0 || *p != '\0')
			return -1;
	} else {
		char sep;

		/* MM/DD/YYYY, M/D/YYYY, MM-DD-YYYY; M/D/YY as Excel
		 * shortens a year */
		if (digits(&p, 1, 2, &m) < 0)
			return -1;
		sep = *p;
		if (sep != '/' && sep != '-')
			return -1;
		p++;
		if (digits(&p, 1, 2, &d) < 0 || *p++ != sep ||
		    (k = digits(&p, 2, 4, &y)) < 0 || k == 3 || *p != '\0')
			return -1;
		if (k == 2) {
			if (sep != '/')
				return -1;
			y += 2000;
			if (!yy)
				return ctp_date_valid(y, m, d) ?
				    TWO_DIGIT_YEAR : -1;
		}
	}
	if (!ctp_date_valid(y, m, d))
		return -1;
	*days = ctp_date_from_ymd(y, m, d);
	return 0;
}

int
ctp_date_parse(const char *s, long *days)
{
	return parse(s, 0, days) == 0 ? 0 : -1;
}

int
ctp_date_parse_expiry(const char *s, long *days)
{
	return parse(s, 1, days);
}

int
ctp_date_two_digit_year(const char *s)
{
	long days;

	return parse(s, 0, &days) == TWO_DIGIT_YEAR;
}

void
ctp_date_format(long days, char out[CTP_DATE_LEN])
{
	int y, m, d;
	unsigned uy, um, ud;

	ctp_date_to_ymd(days, &y, &m, &d);
	uy = (unsigned)y % 10000u;
	um = (unsigned)m % 100u;
	ud = (unsigned)d % 100u;
	snprintf(out, CTP_DATE_LEN, "%04u-%02u-%02u", uy, um, ud);
}

int
ctp_date_normalize(const char *s, char out[CTP_DATE_LEN])
{
	long days;

	if (ctp_date_parse(s, &days) < 0)
		return -1;
	ctp_date_format(days, out);
	return 0;
}

long
ctp_date_add_months(long days, int months)
{
	int y, m, d, t;

	ctp_date_to_ymd(days, &y, &m, &d);
	t = y * 12 + (m - 1) + months;
	y = t / 12;
	m = t % 12 + 1;
	if (d > mdays(y, m))
		d = mdays(y, m);
	return ctp_date_from_ymd(y, m, d);
}

long
ctp_date_today(const char *tz)
{
	time_t now = time(NULL);
	struct tm tm;
	char *old = NULL;
	const char *o;

	if (tz == NULL || *tz == '\0' || strcmp(tz, "UTC") == 0) {
		gmtime_r(&now, &tm);
	} else {
		if ((o = getenv("TZ")) != NULL)
			old = strdup(o);
		setenv("TZ", tz, 1);
		tzset();
		localtime_r(&now, &tm);
		if (old) {
			setenv("TZ", old, 1);
			free(old);
		} else
			unsetenv("TZ");
		tzset();
	}
	return ctp_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void
ctp_timestamp(char out[CTP_TS_LEN])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, CTP_TS_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int
ctp_date_years_between(long from, long to)
{
	int y1, m1, d1, y2, m2, d2, n;

	ctp_date_to_ymd(from, &y1, &m1, &d1);
	ctp_date_to_ymd(to, &y2, &m2, &d2);
	n = y2 - y1;
	if (m2 < m1 || (m2 == m1 && d2 < d1))
		n--;
	return n;
}
