/*
 * address.h - US postal address normalization for comparing a roster
 * address with a registry address: upper case, punctuation dropped, USPS
 * street suffixes, directionals and secondary unit designators
 * abbreviated (Street -> ST, North -> N, Suite -> STE), ZIP+4 against
 * ZIP5.  Nothing here allocates: callers pass the output buffer.
 */
#ifndef CTP_ADDRESS_H
#define CTP_ADDRESS_H

#include <stddef.h>

/*
 * Normalize a street line (or lines joined by a space) into out (n
 * bytes): words of upper-case letters and digits separated by one space,
 * '#' a word of its own, every other punctuation a separator, USPS
 * abbreviations applied.  Returns the length written; a result that does
 * not fit is cut at a word boundary and (size_t)-1 returned.
 */
size_t	ctp_addr_norm_street(const char *s, char *out, size_t n);
/* The same for a city name (upper case and punctuation only). */
size_t	ctp_addr_norm_city(const char *s, char *out, size_t n);
/* The digits of a ZIP code into out (10 bytes): "19102" or "191023824". */
void	ctp_addr_norm_zip(const char *s, char out[10]);
/* 1 when two ZIPs agree: same ZIP5, and the +4 too when both have it. */
int	ctp_addr_zip_same(const char *a, const char *b);

struct ctp_addr {
	const char *line1;	/* street; may hold the unit too */
	const char *line2;	/* unit, or NULL */
	const char *city;
	const char *state;
	const char *zip;
};

/* 1 when a and b are the same place after normalization, else 0. */
int	ctp_addr_same(const struct ctp_addr *a, const struct ctp_addr *b);

/* USPS abbreviation of one upper-case word, or NULL when none. */
const char *ctp_addr_abbrev(const char *word);

#endif
