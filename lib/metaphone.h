/*
 * metaphone.h - Double Metaphone codes of a name, after Lawrence
 * Philips, "The Double Metaphone Search Algorithm", C/C++ Users Journal
 * 18(6), June 2000: a primary code for the name's most likely English
 * pronunciation and an alternate one where another reading is common
 * (Germanic, Slavic, Spanish, Italian, French and Chinese spellings), so
 * that SCHMIDT and SMITH, or JOHNSON and JOHNSTON, share a code.
 *
 * Pure functions, no state, no allocation.
 */
#ifndef CTP_METAPHONE_H
#define CTP_METAPHONE_H

/* A code: at most 4 characters of "0AFHJKLMNPRSTX" ('0' for TH), NUL. */
#define CTP_METAPHONE_LEN 5

/*
 * The codes of key, upper-case ASCII letters (names.h keys; anything
 * else is skipped), into primary and alternate; alternate is the
 * primary again when the name has one reading.  Returns 1, or 0 when
 * key gives no code (both "").
 */
int	ctp_metaphone(const char *key, char primary[CTP_METAPHONE_LEN],
	    char alternate[CTP_METAPHONE_LEN]);

#endif
