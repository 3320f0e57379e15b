/*
 * date.h - calendar dates as day numbers (days since 1970-01-01), and
 * RFC 3339 UTC timestamps.
 */
#ifndef CTP_DATE_H
#define CTP_DATE_H

#include <time.h>

#define CTP_DATE_LEN 11		/* "YYYY-MM-DD" and NUL */
#define CTP_TS_LEN 21		/* "YYYY-MM-DDTHH:MM:SSZ" and NUL */

/*
 * Parse a real calendar date: YYYY-MM-DD, MM/DD/YYYY (also M/D/YYYY),
 * MM-DD-YYYY and YYYYMMDD.  Returns 0 and sets *days, or -1.
 */
int	ctp_date_parse(const char *s, long *days);
/*
 * An expiration date: the forms of ctp_date_parse and also M/D/YY and
 * MM/DD/YY, read as 20YY (Excel's short date; what expires lies ahead).
 * Any other date keeps its year in full: a date of birth in 1/2/58 cannot
 * be read safely.  Returns 0 and sets *days, or -1.
 */
int	ctp_date_parse_expiry(const char *s, long *days);
/* 1 when s is a real date but for its two-digit year (M/D/YY), else 0. */
int	ctp_date_two_digit_year(const char *s);
/* Normalize any accepted form to YYYY-MM-DD in out; 0 or -1. */
int	ctp_date_normalize(const char *s, char out[CTP_DATE_LEN]);
void	ctp_date_format(long days, char out[CTP_DATE_LEN]);
long	ctp_date_from_ymd(int y, int m, int d);
void	ctp_date_to_ymd(long days, int *y, int *m, int *d);
int	ctp_date_valid(int y, int m, int d);
/* Add months, clamping the day to the end of the month (Jan 31 + 1 = Feb 28). */
long	ctp_date_add_months(long days, int months);
/* Today in time zone tz ("UTC", "America/Chicago"; NULL or "" = UTC). */
long	ctp_date_today(const char *tz);
/* Current UTC time as RFC 3339. */
void	ctp_timestamp(char out[CTP_TS_LEN]);
/* Whole years between two dates (age). */
int	ctp_date_years_between(long from, long to);

#endif
