/*
 * metaphone.c - Double Metaphone (metaphone.h), written from Lawrence
 * Philips' published description of the algorithm (C/C++ Users Journal,
 * June 2000): the name is read left to right, each letter or letter
 * group adds its sound to the primary code and, where a second reading
 * is common, another to the alternate code, until both hold four.
 * The comments name the words each case is for, as his description does.
 */
#include <stdarg.h>
#include <string.h>

#include "metaphone.h"

#define MAXNAME 64
#define CODE 4

struct dm {
	char s[MAXNAME + 8];	/* the name, then spaces past its end */
	int len, last;
	char p[CODE + 4], a[CODE + 4];
	int np, na;
	int slavo;		/* Slavo-Germanic: W, K, CZ, WITZ */
};

/* The letter at i: ' ' past the end (as the description pads the
 * name), '\0' before the start. */
static char
at(const struct dm *d, int i)
{
	return i < 0 ? '\0' : d->s[i];
}

/* One of the strings (NULL-terminated list), each n long, at start. */
static int
sat(const struct dm *d, int start, int n, ...)
{
	va_list ap;
	const char *w;
	int hit = 0;

	if (start < 0 || start + n > d->len + 5)
		return 0;
	va_start(ap, n);
	while (!hit && (w = va_arg(ap, const char *)) != NULL)
		hit = strncmp(d->s + start, w, (size_t)n) == 0;
	va_end(ap);
	return hit;
}

static int
vowel(char c)
{
	return c != '\0' && strchr("AEIOUY", c) != NULL;
}

static void
add2(struct dm *d, const char *p, const char *a)
{
	for (; *p && d->np < CODE + 2; p++)
		d->p[d->np++] = *p;
	for (; *a && d->na < CODE + 2; a++)
		d->a[d->na++] = *a;
}

static void
add(struct dm *d, const char *s)
{
	add2(d, s, s);
}

/* C: cur advanced past what it read. */
static int
letter_c(struct dm *d, int cur)
{
	/* Germanic: BACHER, MACHER, but not ACHIEVE */
	if (cur > 1 && !vowel(at(d, cur - 2)) && sat(d, cur - 1, 3, "ACH",
	    NULL) && at(d, cur + 2) != 'I' && (at(d, cur + 2) != 'E' ||
	    sat(d, cur - 2, 6, "BACHER", "MACHER", NULL))) {
		add(d, "K");
		return cur + 2;
	}
	if (cur == 0 && sat(d, cur, 6, "CAESAR", NULL)) {
		add(d, "S");
		return cur + 2;
	}
	if (sat(d, cur, 4, "CHIA", NULL)) {		/* CHIANTI */
		add(d, "K");
		return cur + 2;
	}
	if (sat(d, cur, 2, "CH", NULL)) {
		if (cur > 0 && sat(d, cur, 4, "CHAE", NULL)) {	/* MICHAEL */
			add2(d, "K", "X");
			return cur + 2;
		}
		/* Greek roots: CHEMISTRY, CHORUS */
		if (cur == 0 && (sat(d, cur + 1, 5, "HARAC", "HARIS", NULL) ||
		    sat(d, cur + 1, 3, "HOR", "HYM", "HIA", "HEM", NULL)) &&
		    !sat(d, 0, 5, "CHORE", NULL)) {
			add(d, "K");
			return cur + 2;
		}
		/* Germanic, Greek or otherwise CH for KH */
		if (sat(d, 0, 4, "VAN ", "VON ", NULL) || sat(d, 0, 3, "SCH",
		    NULL) || sat(d, cur - 2, 6, "ORCHES", "ARCHIT", "ORCHID",
		    NULL) || sat(d, cur + 2, 1, "T", "S", NULL) ||
		    ((sat(d, cur - 1, 1, "A", "O", "U", "E", NULL) ||
		    cur == 0) && sat(d, cur + 2, 1, "L", "R", "N", "M", "B",
		    "H", "F", "V", "W", " ", NULL)))
			add(d, "K");
		else if (cur > 0)
			sat(d, 0, 2, "MC", NULL) ? add(d, "K") :
			    add2(d, "X", "K");
		else
			add(d, "X");
		return cur + 2;
	}
	if (sat(d, cur, 2, "CZ", NULL) && !sat(d, cur - 2, 4, "WICZ",
	    NULL)) {					/* CZERNY */
		add2(d, "S", "X");
		return cur + 2;
	}
	if (sat(d, cur + 1, 3, "CIA", NULL)) {		/* FOCACCIA */
		add(d, "X");
		return cur + 3;
	}
	/* Double C, but not MCCLELLAN */
	if (sat(d, cur, 2, "CC", NULL) && !(cur == 1 && at(d, 0) == 'M')) {
		/* BELLOCCHIO, but not BACCHUS */
		if (sat(d, cur + 2, 1, "I", "E", "H", NULL) &&
		    !sat(d, cur + 2, 2, "HU", NULL)) {
			/* ACCIDENT, ACCEDE, SUCCEED */
			if ((cur == 1 && at(d, cur - 1) == 'A') ||
			    sat(d, cur - 1, 5, "UCCEE", "UCCES", NULL))
				add(d, "KS");
			else		/* BACCI, BERTUCCI */
				add(d, "X");
			return cur + 3;
		}
		add(d, "K");		/* Pierce's rule */
		return cur + 2;
	}
	if (sat(d, cur, 2, "CK", "CG", "CQ", NULL)) {
		add(d, "K");
		return cur + 2;
	}
	if (sat(d, cur, 2, "CI", "CE", "CY", NULL)) {
		/* Italian or English */
		if (sat(d, cur, 3, "CIO", "CIE", "CIA", NULL))
			add2(d, "S", "X");
		else
			add(d, "S");
		return cur + 2;
	}
	add(d, "K");
	/* MAC CAFFREY, MAC GREGOR */
	if (sat(d, cur + 1, 2, " C", " Q", " G", NULL))
		return cur + 3;
	if (sat(d, cur + 1, 1, "C", "K", "Q", NULL) && !sat(d, cur + 1, 2,
	    "CE", "CI", NULL))
		return cur + 2;
	return cur + 1;
}

/* GH. */
static int
letter_gh(struct dm *d, int cur)
{
	if (cur > 0 && !vowel(at(d, cur - 1))) {
		add(d, "K");
		return cur + 2;
	}
	if (cur == 0) {				/* GHISLANE, GHIRADELLI */
		add(d, at(d, cur + 2) == 'I' ? "J" : "K");
		return cur + 2;
	}
	/* Parker's rule: HUGH, BOUGH, BROUGHTON */
	if ((cur > 1 && sat(d, cur - 2, 1, "B", "H", "D", NULL)) ||
	    (cur > 2 && sat(d, cur - 3, 1, "B", "H", "D", NULL)) ||
	    (cur > 3 && sat(d, cur - 4, 1, "B", "H", NULL)))
		return cur + 2;
	/* LAUGH, MCLAUGHLIN, COUGH, GOUGH, ROUGH, TOUGH */
	if (cur > 2 && at(d, cur - 1) == 'U' && sat(d, cur - 3, 1, "C",
	    "G", "L", "R", "T", NULL))
		add(d, "F");
	else if (cur > 0 && at(d, cur - 1) != 'I')
		add(d, "K");
	return cur + 2;
}

static int
letter_g(struct dm *d, int cur)
{
	if (at(d, cur + 1) == 'H')
		return letter_gh(d, cur);
	if (at(d, cur + 1) == 'N') {
		if (cur == 1 && vowel(at(d, 0)) && !d->slavo)
			add2(d, "KN", "N");
		else if (!sat(d, cur + 2, 2, "EY", NULL) &&
		    at(d, cur + 1) != 'Y' && !d->slavo)	/* not CAGNEY */
			add2(d, "N", "KN");
		else
			add(d, "KN");
		return cur + 2;
	}
	if (sat(d, cur + 1, 2, "LI", NULL) && !d->slavo) {	/* TAGLIARO */
		add2(d, "KL", "L");
		return cur + 2;
	}
	/* -GES-, -GEP-, -GEL-, -GIE- at the beginning */
	if (cur == 0 && (at(d, cur + 1) == 'Y' || sat(d, cur + 1, 2, "ES",
	    "EP", "EB", "EL", "EY", "IB", "IL", "IN", "IE", "EI", "ER",
	    NULL))) {
		add2(d, "K", "J");
		return cur + 2;
	}
	/* -GER-, -GY- */
	if ((sat(d, cur + 1, 2, "ER", NULL) || at(d, cur + 1) == 'Y') &&
	    !sat(d, 0, 6, "DANGER", "RANGER", "MANGER", NULL) &&
	    !sat(d, cur - 1, 1, "E", "I", NULL) && !sat(d, cur - 1, 3, "RGY",
	    "OGY", NULL)) {
		add2(d, "K", "J");
		return cur + 2;
	}
	/* Italian: BIAGGI */
	if (sat(d, cur + 1, 1, "E", "I", "Y", NULL) || sat(d, cur - 1, 4,
	    "AGGI", "OGGI", NULL)) {
		if (sat(d, 0, 4, "VAN ", "VON ", NULL) || sat(d, 0, 3, "SCH",
		    NULL) || sat(d, cur + 1, 2, "ET", NULL))
			add(d, "K");	/* obviously Germanic */
		else if (sat(d, cur + 1, 4, "IER ", NULL))
			add(d, "J");	/* a French ending */
		else
			add2(d, "J", "K");
		return cur + 2;
	}
	add(d, "K");
	return at(d, cur + 1) == 'G' ? cur + 2 : cur + 1;
}

static int
letter_j(struct dm *d, int cur)
{
	/* Spanish: JOSE, SAN JACINTO */
	if (sat(d, cur, 4, "JOSE", NULL) || sat(d, 0, 4, "SAN ", NULL)) {
		if ((cur == 0 && at(d, cur + 4) == ' ') || sat(d, 0, 4, "SAN ",
		    NULL))
			add(d, "H");
		else
			add2(d, "J", "H");
		return cur + 1;
	}
	if (cur == 0)
		add2(d, "J", "A");	/* YANKELOVICH, JANKELOWICZ */
	else if (vowel(at(d, cur - 1)) && !d->slavo && (at(d, cur + 1) ==
	    'A' || at(d, cur + 1) == 'O'))
		add2(d, "J", "H");	/* Spanish: BAJADOR */
	else if (cur == d->last)
		add2(d, "J", "");
	else if (!sat(d, cur + 1, 1, "L", "T", "K", "S", "N", "M", "B", "Z",
	    NULL) && !sat(d, cur - 1, 1, "S", "K", "L", NULL))
		add(d, "J");
	return at(d, cur + 1) == 'J' ? cur + 2 : cur + 1;
}

static int
letter_s(struct dm *d, int cur)
{
	if (sat(d, cur - 1, 3, "ISL", "YSL", NULL))	/* ISLAND, CARLISLE */
		return cur + 1;
	if (cur == 0 && sat(d, cur, 5, "SUGAR", NULL)) {
		add2(d, "X", "S");
		return cur + 1;
	}
	if (sat(d, cur, 2, "SH", NULL)) {
		if (sat(d, cur + 1, 4, "HEIM", "HOEK", "HOLM", "HOLZ", NULL))
			add(d, "S");	/* Germanic */
		else
			add(d, "X");
		return cur + 2;
	}
	if (sat(d, cur, 3, "SIO", "SIA", NULL) || sat(d, cur, 4, "SIAN",
	    NULL)) {			/* Italian and Armenian */
		d->slavo ? add(d, "S") : add2(d, "S", "X");
		return cur + 3;
	}
	/* SMITH for SCHMIDT, SNIDER for SCHNEIDER; Slavic -SZ- */
	if ((cur == 0 && sat(d, cur + 1, 1, "M", "N", "L", "W", NULL)) ||
	    sat(d, cur + 1, 1, "Z", NULL)) {
		add2(d, "S", "X");
		return sat(d, cur + 1, 1, "Z", NULL) ? cur + 2 : cur + 1;
	}
	if (sat(d, cur, 2, "SC", NULL)) {
		if (at(d, cur + 2) == 'H') {	/* Schlesinger's rule */
			/* Dutch: SCHOOL, SCHOONER, SCHERMERHORN, SCHENKER */
			if (sat(d, cur + 3, 2, "OO", "ER", "EN", "UY", "ED",
			    "EM", NULL)) {
				if (sat(d, cur + 3, 2, "ER", "EN", NULL))
					add2(d, "X", "SK");
				else
					add(d, "SK");
			} else if (cur == 0 && !vowel(at(d, 3)) &&
			    at(d, 3) != 'W')
				add2(d, "X", "S");
			else
				add(d, "X");
			return cur + 3;
		}
		add(d, sat(d, cur + 2, 1, "I", "E", "Y", NULL) ? "S" : "SK");
		return cur + 3;
	}
	/* French: RESNAIS, ARTOIS */
	if (cur == d->last && sat(d, cur - 2, 2, "AI", "OI", NULL))
		add2(d, "", "S");
	else
		add(d, "S");
	return sat(d, cur + 1, 1, "S", "Z", NULL) ? cur + 2 : cur + 1;
}

static int
letter_t(struct dm *d, int cur)
{
	if (sat(d, cur, 4, "TION", NULL) || sat(d, cur, 3, "TIA", "TCH",
	    NULL)) {
		add(d, "X");
		return cur + 3;
	}
	if (sat(d, cur, 2, "TH", NULL) || sat(d, cur, 3, "TTH", NULL)) {
		/* THOMAS, THAMES, or Germanic */
		if (sat(d, cur + 2, 2, "OM", "AM", NULL) || sat(d, 0, 4,
		    "VAN ", "VON ", NULL) || sat(d, 0, 3, "SCH", NULL))
			add(d, "T");
		else
			add2(d, "0", "T");
		return cur + 2;
	}
	add(d, "T");
	return sat(d, cur + 1, 1, "T", "D", NULL) ? cur + 2 : cur + 1;
}

static int
letter_w(struct dm *d, int cur)
{
	if (sat(d, cur, 2, "WR", NULL)) {
		add(d, "R");
		return cur + 2;
	}
	if (cur == 0 && (vowel(at(d, cur + 1)) || sat(d, cur, 2, "WH",
	    NULL))) {
		/* WASSERMAN as VASSERMAN; UOMO as WOMO */
		if (vowel(at(d, cur + 1)))
			add2(d, "A", "F");
		else
			add(d, "A");
	}
	/* ARNOW as ARNOFF */
	if ((cur == d->last && vowel(at(d, cur - 1))) || sat(d, cur - 1, 5,
	    "EWSKI", "EWSKY", "OWSKI", "OWSKY", NULL) || sat(d, 0, 3, "SCH",
	    NULL)) {
		add2(d, "", "F");
		return cur + 1;
	}
	if (sat(d, cur, 4, "WICZ", "WITZ", NULL)) {	/* FILIPOWICZ */
		add2(d, "TS", "FX");
		return cur + 4;
	}
	return cur + 1;
}

/* The letters with few cases of their own. */
static int
letter_other(struct dm *d, int cur, char c)
{
	switch (c) {
	case 'D':
		if (sat(d, cur, 2, "DG", NULL)) {
			if (sat(d, cur + 2, 1, "I", "E", "Y", NULL)) {
				add(d, "J");		/* EDGE */
				return cur + 3;
			}
			add(d, "TK");			/* EDGAR */
			return cur + 2;
		}
		add(d, "T");
		return sat(d, cur, 2, "DT", "DD", NULL) ? cur + 2 : cur + 1;
	case 'H':
		/* Only first, or between two vowels */
		if ((cur == 0 || vowel(at(d, cur - 1))) &&
		    vowel(at(d, cur + 1))) {
			add(d, "H");
			return cur + 2;
		}
		return cur + 1;
	case 'L':
		if (at(d, cur + 1) == 'L') {
			/* Spanish: CABRILLO, GALLEGOS */
			if ((cur == d->len - 3 && sat(d, cur - 1, 4, "ILLO",
			    "ILLA", "ALLE", NULL)) || ((sat(d, d->last - 1, 2,
			    "AS", "OS", NULL) || sat(d, d->last, 1, "A", "O",
			    NULL)) && sat(d, cur - 1, 4, "ALLE", NULL)))
				add2(d, "L", "");
			else
				add(d, "L");
			return cur + 2;
		}
		add(d, "L");
		return cur + 1;
	case 'M':
		add(d, "M");
		/* DUMB, THUMB */
		if ((sat(d, cur - 1, 3, "UMB", NULL) && (cur + 1 == d->last ||
		    sat(d, cur + 2, 2, "ER", NULL))) || at(d, cur + 1) == 'M')
			return cur + 2;
		return cur + 1;
	case 'P':
		if (at(d, cur + 1) == 'H') {
			add(d, "F");
			return cur + 2;
		}
		add(d, "P");			/* CAMPBELL, RASPBERRY */
		return sat(d, cur + 1, 1, "P", "B", NULL) ? cur + 2 : cur + 1;
	case 'R':
		/* French ROGIER, but not HOCHMEIER */
		if (cur == d->last && !d->slavo && sat(d, cur - 2, 2, "IE",
		    NULL) && !sat(d, cur - 4, 2, "ME", "MA", NULL))
			add2(d, "", "R");
		else
			add(d, "R");
		return at(d, cur + 1) == 'R' ? cur + 2 : cur + 1;
	case 'X':
		/* French: BREAUX */
		if (!(cur == d->last && (sat(d, cur - 3, 3, "IAU", "EAU",
		    NULL) || sat(d, cur - 2, 2, "AU", "OU", NULL))))
			add(d, "KS");
		return sat(d, cur + 1, 1, "C", "X", NULL) ? cur + 2 : cur + 1;
	case 'Z':
		if (at(d, cur + 1) == 'H') {	/* Chinese pinyin: ZHAO */
			add(d, "J");
			return cur + 2;
		}
		if (sat(d, cur + 1, 2, "ZO", "ZI", "ZA", NULL) || (d->slavo &&
		    cur > 0 && at(d, cur - 1) != 'T'))
			add2(d, "S", "TS");
		else
			add(d, "S");
		return at(d, cur + 1) == 'Z' ? cur + 2 : cur + 1;
	}
	return cur + 1;
}

/* Letters that sound as written, once when doubled. */
static int
letter_plain(struct dm *d, int cur, char c, const char *sound)
{
	add(d, sound);
	return at(d, cur + 1) == c ? cur + 2 : cur + 1;
}

int
ctp_metaphone(const char *key, char primary[CTP_METAPHONE_LEN],
    char alternate[CTP_METAPHONE_LEN])
{
	struct dm d;
	int cur = 0;
	char c;

	memset(&d, 0, sizeof(d));
	for (; *key && d.len < MAXNAME; key++)
		if (*key >= 'A' && *key <= 'Z')
			d.s[d.len++] = *key;
	memset(d.s + d.len, ' ', 5);
	d.last = d.len - 1;
	d.slavo = strchr(d.s, 'W') != NULL || strchr(d.s, 'K') != NULL ||
	    strstr(d.s, "CZ") != NULL || strstr(d.s, "WITZ") != NULL;
	/* Silent at the start: GNOME, KNIGHT, PNEUMONIA, WRIGHT, PSYCHO */
	if (sat(&d, 0, 2, "GN", "KN", "PN", "WR", "PS", NULL))
		cur = 1;
	if (at(&d, 0) == 'X') {			/* XAVIER */
		add(&d, "S");
		cur = 1;
	}
	while ((d.np < CODE || d.na < CODE) && cur < d.len) {
		c = at(&d, cur);
		if (vowel(c)) {
			if (cur == 0)
				add(&d, "A");
			cur++;
			continue;
		}
		switch (c) {
		case 'B':
			cur = letter_plain(&d, cur, c, "P");
			break;
		case 'F':
			cur = letter_plain(&d, cur, c, "F");
			break;
		case 'K':
		case 'Q':
			cur = letter_plain(&d, cur, c, "K");
			break;
		case 'N':
			cur = letter_plain(&d, cur, c, "N");
			break;
		case 'V':
			cur = letter_plain(&d, cur, c, "F");
			break;
		case 'C':
			cur = letter_c(&d, cur);
			break;
		case 'G':
			cur = letter_g(&d, cur);
			break;
		case 'J':
			cur = letter_j(&d, cur);
			break;
		case 'S':
			cur = letter_s(&d, cur);
			break;
		case 'T':
			cur = letter_t(&d, cur);
			break;
		case 'W':
			cur = letter_w(&d, cur);
			break;
		default:
			cur = letter_other(&d, cur, c);
			break;
		}
	}
	d.p[d.np < CODE ? d.np : CODE] = '\0';
	d.a[d.na < CODE ? d.na : CODE] = '\0';
	memcpy(primary, d.p, CTP_METAPHONE_LEN);
	memcpy(alternate, d.a, CTP_METAPHONE_LEN);
	return *primary != '\0' || *alternate != '\0';
}
