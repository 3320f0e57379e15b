/* names: normalization and keys for exclusion matching. */
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
	return done_testing();
}
