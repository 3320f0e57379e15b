/*
 * names.h - person names reduced to comparison keys.
 *
 * A key is upper-case ASCII letters only: the name folded to ASCII
 * (ctp_name_fold: José -> JOSE, Zoë -> ZOE), apostrophes and periods dropped
 * (O'Brien -> OBRIEN), hyphens, commas and spaces separating parts,
 * suffixes and degrees (JR, III, MD, DO, NP ...) dropped when they are not
 * the first part.  A last name yields several keys: all parts joined
 * (DE LA CRUZ -> DELACRUZ) and, for a two-part or hyphenated name, each
 * part that is not a particle (GARCIA-LOPEZ -> GARCIALOPEZ, GARCIA, LOPEZ),
 * so either part matches.  A first name yields its first part: a middle
 * name or initial never blocks a match.
 *
 * Keys live in caller buffers of CTP_NAME_KEY bytes (longer names are cut).
 * Nothing returned needs freeing.  Nothing here keeps state or reads the
 * locale: every function may be called from any thread at any time,
 * with no lock and no set-up.
 */
#ifndef CTP_NAMES_H
#define CTP_NAMES_H

#include <stddef.h>

#define CTP_NAME_KEY 64
#define CTP_NAME_MAXKEYS 4

/*
 * s (UTF-8) in ASCII, the same in every locale, into out (at most n-1
 * bytes; a letter that does not fit whole is left out, and what
 * follows it).  ASCII is copied.  A letter of Latin-1 Supplement, Latin
 * Extended-A or Latin Extended Additional becomes its base letter in its
 * case (á -> a, Ñ -> N, ł -> l, ễ -> e) or two (ß -> ss, Æ -> AE, Þ ->
 * TH, Œ -> OE), and so do ª, º and the Vietnamese and Romanian letters of
 * Latin Extended-B (ơ -> o, ư -> u, ș -> s, ț -> t).  A combining accent
 * (U+0300 to U+036F) is dropped; a no-break or other typographic space
 * becomes ' ' and a soft hyphen or a dash '-', so that they still part a
 * name.  Anything else, and each byte that is not UTF-8, becomes '?'.
 * Returns out.
 */
char	*ctp_name_fold(const char *s, char *out, size_t n);

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

/*
 * A name the NPI registry writes in capitals, in name case, for a roster
 * that is not: the first letter of each part upper case and the rest
 * lower case, a part beginning after a space, hyphen, apostrophe or
 * period (SMITH-JONES -> Smith-Jones, O'BRIEN -> O'Brien); Mc and Mac
 * keep the capital that follows (MCDONALD -> McDonald, MACLEOD ->
 * MacLeod) except where Mac is no prefix (MACK, MACE, MACHADO, MACIAS,
 * MACKIE ...).  Letters from the Latin-1 range (À to Þ) change case in
 * UTF-8 too; other bytes are copied.  out receives at most n-1 bytes.
 */
void	ctp_name_case(const char *s, char *out, size_t n);

/*
 * other_names (former names separated by semicolons: "LAST, FIRST", or a
 * former last name alone, worn with the current first name) with the
 * former name "last, first" added at the end, into out (n bytes).
 * Returns 1 when added, 0 when the name is there already (case and
 * surrounding spaces ignored; a former last name alone holds it too), -1
 * when the result would not fit (out unchanged).
 */
int	ctp_name_add_former(const char *others, const char *last,
	    const char *first, char *out, size_t n);

#endif
