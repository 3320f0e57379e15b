/* names: normalization and keys for exclusion matching. */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "names.h"
#include "tap.h"

static const char *
norm(const char *s)
{
	static char out[256];

	ctp_name_norm(s, out, sizeof(out));
	return out;
}

static const char *
first(const char *s)
{
	static char k[CTP_NAME_KEY];

	ctp_name_first_key(s, k);
	return k;
}

/* Keys of a last name joined with '|'. */
static const char *
lastkeys(const char *s)
{
	static char out[512];
	char k[CTP_NAME_MAXKEYS][CTP_NAME_KEY];
	int n, i;

	out[0] = '\0';
	n = ctp_name_last_keys(s, k);
	for (i = 0; i < n; i++) {
		if (i)
			strcat(out, "|");
		strcat(out, k[i]);
	}
	return out;
}

static const char *
namecase(const char *s)
{
	static char out[256];

	ctp_name_case(s, out, sizeof(out));
	return out;
}

static const char *
fold(const char *s)
{
	static char out[256];

	return ctp_name_fold(s, out, sizeof(out));
}

/* "RESULT:OUT" of ctp_name_add_former. */
static const char *
former(const char *others, const char *last, const char *first)
{
	static char out[300];
	char buf[256] = "";
	int r = ctp_name_add_former(others, last, first, buf, sizeof(buf));

	snprintf(out, sizeof(out), "%d:%s", r, r == 1 ? buf : "");
	return out;
}

int
main(void)
{
	is_str(norm("José"), "JOSE", "José -> JOSE (iconv transliteration)");
	is_str(norm("Zoë"), "ZOE", "Zoë -> ZOE");
	is_str(norm("O'Brien"), "OBRIEN", "O'Brien -> OBRIEN");
	is_str(norm("O’Brien"), "OBRIEN", "typographic apostrophe dropped too");
	is_str(norm("Nguyễn"), "NGUYEN", "Vietnamese diacritics");
	is_str(norm("Łukasz Müller"), "LUKASZ MULLER", "Polish and German letters");
	is_str(norm("smith"), "SMITH", "upper case");
	is_str(norm("Smith, Jr."), "SMITH", "suffix JR dropped");
	is_str(norm("Smith III"), "SMITH", "suffix III dropped");
	is_str(norm("Jane Smith M.D."), "JANE SMITH", "degree MD dropped");
	is_str(norm("Smith, DO"), "SMITH", "degree DO dropped after a name");
	is_str(norm("Do"), "DO", "but DO alone is a surname (Vietnamese)");
	is_str(norm("Ma NP"), "MA", "MA kept as the first part, NP dropped");
	is_str(norm("  Mary-Ann   "), "MARY ANN", "hyphen separates, spaces trimmed");
	is_str(norm(""), "", "empty stays empty");
	is_str(norm("123"), "", "digits vanish");
	is_str(lastkeys("Smith"), "SMITH", "one key for a one-part name");
	is_str(lastkeys("Garcia-Lopez"), "GARCIALOPEZ|GARCIA|LOPEZ",
	    "hyphenated: whole and each part");
	is_str(lastkeys("Garcia Lopez"), "GARCIALOPEZ|GARCIA|LOPEZ",
	    "two-part: whole and each part");
	is_str(lastkeys("de la Cruz"), "DELACRUZ|CRUZ",
	    "particles are not keys on their own");
	is_str(lastkeys("Van der Berg"), "VANDERBERG|BERG", "Dutch particles");
	is_str(lastkeys("O'Brien-Smith, Jr."), "OBRIENSMITH|OBRIEN|SMITH",
	    "apostrophe, hyphen and suffix together");
	is_str(lastkeys(""), "", "no keys for an empty name");
	is_str(first("Mary Ann"), "MARY", "first key: first part only");
	is_str(first("J."), "J", "an initial");
	is_str(first("José"), "JOSE", "first names transliterated");
	ok(ctp_name_first_key("", (char[CTP_NAME_KEY]){ 0 }) < 0,
	    "empty first name: no key");
	{
		char big[400];

		memset(big, 'A', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		ok(strlen(lastkeys(big)) == CTP_NAME_KEY - 1,
		    "a very long name is cut to the key size");
	}
	/* Name case, for registry capitals on a mixed-case roster. */
	is_str(namecase("DAR"), "Dar", "DAR -> Dar");
	is_str(namecase("SMITH-JONES"), "Smith-Jones", "hyphen begins a part");
	is_str(namecase("O'BRIEN"), "O'Brien", "apostrophe begins a part");
	is_str(namecase("D\xe2\x80\x99" "ANGELO"), "D\xe2\x80\x99" "Angelo",
	    "typographic apostrophe too");
	is_str(namecase("DE LA CRUZ"), "De La Cruz", "spaces begin parts");
	is_str(namecase("MARY ANN"), "Mary Ann", "first names");
	is_str(namecase("J."), "J.", "an initial");
	is_str(namecase("MCDONALD"), "McDonald", "Mc keeps its capital");
	is_str(namecase("MCCOY-MACLEOD"), "McCoy-MacLeod",
	    "Mc and Mac in each part");
	is_str(namecase("MACDONALD"), "MacDonald", "Mac as a prefix");
	is_str(namecase("MACMILLAN"), "MacMillan", "MacMillan");
	is_str(namecase("MACK"), "Mack", "Mack: no prefix (too short)");
	is_str(namecase("MACEY"), "Macey", "Macey: no prefix (too short)");
	is_str(namecase("MACHUCA"), "Machuca", "Machuca: ends in a");
	is_str(namecase("MACARIO"), "Macario", "Macario: ends in o");
	is_str(namecase("MACHADO"), "Machado", "Machado: a known exception");
	is_str(namecase("MACKIE"), "Mackie", "Mackie: a known exception");
	is_str(namecase("MACIAS"), "Macias", "Macias: a known exception");
	is_str(namecase("MC"), "Mc", "Mc alone is a word");
	is_str(namecase("M\xc3\x9cLLER"), "M\xc3\xbcller",
	    "Latin-1 letters in UTF-8 change case");
	is_str(namecase("\xc3\x89LODIE"), "\xc3\x89lodie",
	    "an accented first letter stays a capital");
	is_str(namecase("\xc3\xa9lodie"), "\xc3\x89lodie",
	    "and becomes one");
	is_str(namecase("peña"), "Peña", "lower case in: name case out");
	is_str(namecase(""), "", "empty stays empty");
	{
		char small[4];

		ctp_name_case("SMITH", small, sizeof(small));
		is_str(small, "Smi", "cut to the buffer");
	}

	/*
	 * The fold to ASCII.  The test runs in the C locale, where iconv's
	 * //TRANSLIT gives '?' for every accented letter: the fold needs
	 * none, and sets none.
	 */
	is_str(fold("Jos\xc3\xa9 Pe\xc3\xb1" "a"), "Jose Pena",
	    "é -> e, ñ -> n, case kept");
	is_str(fold("\xc3\x81LVAREZ"), "ALVAREZ", "Á -> A");
	is_str(fold("Stra\xc3\x9f" "e"), "Strasse", "ß -> ss");
	is_str(fold("\xc3\x86sir \xc3\xa6"), "AEsir ae", "Æ -> AE, æ -> ae");
	is_str(fold("\xc3\x9eora \xc3\xbe"), "THora th", "Þ -> TH, þ -> th");
	is_str(fold("S\xc3\xb8rensen \xc3\x98"), "Sorensen O",
	    "ø -> o, Ø -> O");
	is_str(fold("\xc5\x81ukasz Wa\xc5\x82\xc4\x99sa"), "Lukasz Walesa",
	    "Ł -> L, ł -> l, ę -> e (Latin Extended-A)");
	is_str(fold("\xc5\x92uvre \xc5\x93"), "OEuvre oe",
	    "Œ -> OE, œ -> oe");
	is_str(fold("\xc4\xb2ssel"), "IJssel", "Ĳ -> IJ");
	is_str(fold("\xc5\xa0koda \xc5\xbdi\xc5\xbe" "ek"), "Skoda Zizek",
	    "Š -> S, Ž -> Z, ž -> z");
	is_str(fold("\xc4\xb1\xc4\xb0"), "iI", "dotless i, dotted I");
	is_str(fold("Nguy\xe1\xbb\x85n Tr\xc6\xb0\xc6\xa1ng"), "Nguyen Truong",
	    "Vietnamese: ễ, ư, ơ");
	is_str(fold("\xc8\x98tef\xc4\x83nescu \xc8\x9b"), "Stefanescu t",
	    "Romanian: Ș, ă, ț");
	is_str(fold("Jose\xcc\x81"), "Jose", "a combining accent is dropped");
	is_str(fold("Mary\xc2\xa0" "Ann"), "Mary Ann",
	    "no-break space: a space");
	is_str(fold("Garc\xc3\xad" "a\xe2\x80\x93L\xc3\xb3pez"), "Garcia-Lopez",
	    "en dash: a hyphen");
	is_str(fold("Ann\xc2\xad" "a"), "Ann-a", "soft hyphen: a hyphen");
	is_str(fold("a\xc3\x97" "b\xc3\xb7" "c"), "a?b?c",
	    "× and ÷ are no letters");
	is_str(fold("\xce\x91\xce\xb8\xce\xb7\xce\xbd\xce\xac"), "?????",
	    "Greek: '?' a letter");
	is_str(fold("\xe6\x9d\x8e \xf0\x9f\x98\x80"), "? ?",
	    "CJK and emoji: '?'");
	is_str(fold("a\xff" "b\xc3"), "a?b?", "a byte that is not UTF-8: '?'");
	is_str(fold("a\xc0\xaf" "b"), "a??b", "an overlong form: '?' a byte");
	is_str(fold("a\xed\xa0\x80" "b"), "a???b", "a surrogate: '?' a byte");
	is_str(fold("O'Brien-Smith, Jr."), "O'Brien-Smith, Jr.", "ASCII as is");
	{
		char small[5];

		is_str(ctp_name_fold("Stra\xc3\x9f" "e", small, sizeof(small)),
		    "Stra", "a letter of two is cut whole");
		is_str(ctp_name_fold("abc", small, 0), "Stra",
		    "no room: out untouched");
	}
	is_str(norm("\xc3\x9eORSDOTTIR"), "THORSDOTTIR", "keys use the fold");
	is_str(setlocale(LC_CTYPE, NULL), "C", "the locale is left as it was");

	/* A former name into other_names. */
	is_str(former(NULL, "Darr", "Josefina"), "1:Darr, Josefina",
	    "the first former name");
	is_str(former("Lopez", "Darr", "Josefina"),
	    "1:Lopez; Darr, Josefina", "added after the others");
	is_str(former("Lopez ; ", "Darr", "Josefina"),
	    "1:Lopez; Darr, Josefina", "trailing separators dropped");
	is_str(former("darr, JOSEFINA", "Darr", "Josefina"), "0:",
	    "there already, in another case");
	is_str(former("Lopez; Darr", "Darr", "Josefina"), "0:",
	    "a former last name alone holds it");
	is_str(former("Darr, Jo", "Darr", "Josefina"),
	    "1:Darr, Jo; Darr, Josefina", "another first name is another name");
	{
		char small[8];

		strcpy(small, "x");
		is_int(ctp_name_add_former("Lopez", "Darr", "Josefina", small,
		    sizeof(small)), -1, "too long: -1");
		is_str(small, "x", "and out unchanged");
	}
	return done_testing();
}
