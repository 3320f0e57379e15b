/*
 * money.c - prices as whole cents (money.h): parsed and formatted by
 * hand, digit by digit, never through strtod or printf's %f.
 */
#include <stdio.h>

#include "money.h"

int
ctp_cents_parse(const char *s, long long *cents)
{
	long long v = 0;
	int digits = 0, frac = 0;

	if (s == NULL)
		return -1;
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		v = v * 10 + (*s - '0');
		if (v > CTP_MONEY_MAX / 100)
			return -1;
	}
	if (digits == 0)
		return -1;
	v *= 100;
	if (*s == '.') {
		s++;
		for (; *s >= '0' && *s <= '9' && frac < 2; s++, frac++)
			v += (*s - '0') * (frac == 0 ? 10 : 1);
		if (frac == 0)
			return -1;
	}
	if (*s != '\0' || v > CTP_MONEY_MAX)
		return -1;
	*cents = v;
	return 0;
}

char *
ctp_cents_format(long long cents, char out[CTP_MONEY_LEN])
{
	unsigned long long u;

	u = cents < 0 ? -(unsigned long long)cents : (unsigned long long)cents;
	snprintf(out, CTP_MONEY_LEN, "%s%llu.%02llu", cents < 0 ? "-" : "",
	    u / 100, u % 100);
	return out;
}
