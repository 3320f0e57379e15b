/*
 * money.h - amounts of money as whole cents in a long long: prices are
 * read from text ("99", "99.5", "99.00") and written back as text
 * ("99.00"), and every sum and product in between is integer
 * arithmetic, so an invoice adds up to the cent whatever it holds.  No
 * floating point anywhere.
 */
#ifndef CTP_MONEY_H
#define CTP_MONEY_H

#define CTP_MONEY_MAX 100000000000LL	/* one billion dollars, in cents */
#define CTP_MONEY_LEN 24		/* "-1000000000.00" and NUL, roomy */

/*
 * A price: digits, optionally a point and one or two more digits, from 0
 * to CTP_MONEY_MAX cents; no sign, no spaces, no thousands separator,
 * no currency sign.  0 and *cents, or -1.
 */
int	ctp_cents_parse(const char *s, long long *cents);
/* cents as "D.CC" ("-D.CC" below zero) into out; returns out. */
char	*ctp_cents_format(long long cents, char out[CTP_MONEY_LEN]);

#endif
