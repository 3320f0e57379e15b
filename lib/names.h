/*
 * names.h - person names reduced to comparison keys.
 *
 * A key is upper-case ASCII letters only: the name transliterated with
 * iconv (José -> JOSE, Zoë -> ZOE), apostrophes and periods dropped
 * (O'Brien -> OBRIEN), hyphens, commas and spaces separating parts,
 * suffixes and degrees (JR, III, MD, DO, NP ...) dropped when they are not
 * the first part.  A last name yields several keys: all parts joined
 * (DE LA CRUZ -> DELACRUZ) and, for a two-part or hyphenated name, each
 * part that is not a particle (GARCIA-LOPEZ -> GARCIALOPEZ, GARCIA, LOPEZ),
 * so either part matches.  A first name yields its first part: a middle
 * name or initial never blocks a match.
 *
 * Keys live in caller buffers of CTP_NAME_KEY bytes (longer names are cut).
 * Nothing returned needs freeing.
 */
#ifndef CTP_NAMES_H
#define CTP_NAMES_H

#include <stddef.h>

#define CTP_NAME_KEY 64
#define CTP_NAME_MAXKEYS 4

/*
 * Normalize s (UTF-8) to space-separated upper-case ASCII parts with the
 * suffixes and degrees dropped: "José  O'Brien-Smith, Jr." ->
 * "JOSE OBRIEN SMITH".  out receives at most n-1 bytes.  Returns the
 * number of parts.
 */
int	ctp_name_norm(const char *s, char *out, size_t n);
/* Keys of a last name (see above); returns how many (0 for none). */
int	ctp_name_last_keys(const char *last,
	    char keys[CTP_NAME_MAXKEYS][CTP_NAME_KEY]);
/* Key of a first name: its first part; 0, or -1 when empty. */
int	ctp_name_first_key(const char *first, char key[CTP_NAME_KEY]);

#endif
