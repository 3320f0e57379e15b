/*
 * address.c - US postal addresses normalized for comparison (address.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "address.h"

struct abbr {
	const char *word;
	const char *abbr;
};

/*
 * USPS Publication 28: common street suffixes (C1), directionals (B) and
 * secondary unit designators (C2).  Sorted by word for bsearch.
 */
static const struct abbr abbrs[] = {
	{ "ALLEY", "ALY" },
	{ "APARTMENT", "APT" },
	{ "AVENUE", "AVE" },
	{ "BASEMENT", "BSMT" },
	{ "BOULEVARD", "BLVD" },
	{ "BUILDING", "BLDG" },
	{ "CENTER", "CTR" },
	{ "CIRCLE", "CIR" },
	{ "COURT", "CT" },
	{ "COVE", "CV" },
	{ "CREEK", "CRK" },
	{ "CROSSING", "XING" },
	{ "DEPARTMENT", "DEPT" },
	{ "DRIVE", "DR" },
	{ "EAST", "E" },
	{ "EXPRESSWAY", "EXPY" },
	{ "EXTENSION", "EXT" },
	{ "FLOOR", "FL" },
	{ "FREEWAY", "FWY" },
	{ "FRONT", "FRNT" },
	{ "HANGAR", "HNGR" },
	{ "HEIGHTS", "HTS" },
	{ "HIGHWAY", "HWY" },
	{ "HOLLOW", "HOLW" },
	{ "LANE", "LN" },
	{ "LOBBY", "LBBY" },
	{ "LOWER", "LOWR" },
	{ "MOUNT", "MT" },
	{ "MOUNTAIN", "MTN" },
	{ "NORTH", "N" },
	{ "NORTHEAST", "NE" },
	{ "NORTHWEST", "NW" },
	{ "OFFICE", "OFC" },
	{ "PARKWAY", "PKWY" },
	{ "PENTHOUSE", "PH" },
	{ "PIKE", "PIKE" },
	{ "PLACE", "PL" },
	{ "PLAZA", "PLZ" },
	{ "POINT", "PT" },
	{ "ROAD", "RD" },
	{ "ROOM", "RM" },
	{ "ROUTE", "RTE" },
	{ "SOUTH", "S" },
	{ "SOUTHEAST", "SE" },
	{ "SOUTHWEST", "SW" },
	{ "SPACE", "SPC" },
	{ "SQUARE", "SQ" },
	{ "STATION", "STA" },
	{ "STREET", "ST" },
	{ "SUITE", "STE" },
	{ "TERRACE", "TER" },
	{ "TRAIL", "TRL" },
	{ "TRAILER", "TRLR" },
	{ "TURNPIKE", "TPKE" },
	{ "UPPER", "UPPR" },
	{ "VALLEY", "VLY" },
	{ "VIEW", "VW" },
	{ "VILLAGE", "VLG" },
	{ "WEST", "W" },
};

/* Secondary unit designators after abbreviation (USPS Pub. 28 C2). */
static const char *const units[] = {
	"APT", "BLDG", "BSMT", "DEPT", "FL", "FRNT", "HNGR", "KEY", "LBBY",
	"LOT", "LOWR", "OFC", "PH", "PIER", "RM", "SIDE", "SLIP", "SPC",
	"STE", "STOP", "TRLR", "UNIT", "UPPR", NULL
};

static int
is_unit(const char *w)
{
	size_t i;

	for (i = 0; units[i]; i++)
		if (strcmp(units[i], w) == 0)
			return 1;
	return 0;
}

static int
cmp_abbr(const void *k, const void *v)
{
	return strcmp(k, ((const struct abbr *)v)->word);
}

const char *
ctp_addr_abbrev(const char *word)
{
	const struct abbr *a;

	/* Every word in the table starts with a capital: numbers never do. */
	if (word[0] < 'A' || word[0] > 'Z')
		return NULL;
	a = bsearch(word, abbrs, sizeof(abbrs) / sizeof(abbrs[0]),
	    sizeof(abbrs[0]), cmp_abbr);
	return a ? a->abbr : NULL;
}

/*
 * Split s into words (letters and digits; bytes >= 0x80 kept so UTF-8
 * survives), '#' a word of its own, and write them upper-cased, one
 * space apart, abbreviated when abbrev is set.
 */
static size_t
norm(const char *s, char *out, size_t n, int abbrev)
{
	char w[64], prev[64] = "";
	const char *a;
	size_t o = 0, wl, al;
	int cut = 0;
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	if (n == 0)
		return (size_t)-1;
	out[0] = '\0';
	while (*p) {
		wl = 0;
		if (*p == '#') {
			w[wl++] = '#';
			p++;
		} else if (isalnum(*p) || *p >= 0x80) {
			while (*p && (isalnum(*p) || *p >= 0x80)) {
				if (wl < sizeof(w) - 1)
					w[wl++] = (char)toupper(*p);
				p++;
			}
		} else {
			p++;
			continue;
		}
		w[wl] = '\0';
		a = abbrev ? ctp_addr_abbrev(w) : NULL;
		if (a == NULL)
			a = w;
		/* "APT # 5G" is "APT 5G": '#' after a designator says nothing. */
		if (abbrev && strcmp(a, "#") == 0 && is_unit(prev))
			continue;
		al = strlen(a);
		memcpy(prev, a, al < sizeof(prev) ? al + 1 : sizeof(prev));
		prev[sizeof(prev) - 1] = '\0';
		al = strlen(a);
		if (o + (o > 0) + al + 1 > n) {
			cut = 1;
			break;
		}
		if (o > 0)
			out[o++] = ' ';
		memcpy(out + o, a, al);
		o += al;
		out[o] = '\0';
	}
	return cut ? (size_t)-1 : o;
}

size_t
ctp_addr_norm_street(const char *s, char *out, size_t n)
{
	return norm(s, out, n, 1);
}

size_t
ctp_addr_norm_city(const char *s, char *out, size_t n)
{
	return norm(s, out, n, 0);
}

void
ctp_addr_norm_zip(const char *s, char out[10])
{
	size_t o = 0;

	for (; s && *s && o < 9; s++)
		if (isdigit((unsigned char)*s))
			out[o++] = *s;
	out[o] = '\0';
}

int
ctp_addr_zip_same(const char *a, const char *b)
{
	char za[10], zb[10];

	ctp_addr_norm_zip(a, za);
	ctp_addr_norm_zip(b, zb);
	if (strncmp(za, zb, 5) != 0)
		return 0;
	if (strlen(za) == 9 && strlen(zb) == 9)
		return strcmp(za, zb) == 0;
	return 1;
}

static void
join(const char *l1, const char *l2, char *out, size_t n)
{
	size_t o = 0, k;

	out[0] = '\0';
	if (l1) {
		k = strlen(l1);
		if (k >= n)
			k = n - 1;
		memcpy(out, l1, k);
		o = k;
	}
	if (l2 && *l2 && o + 1 < n) {
		out[o++] = ' ';
		k = strlen(l2);
		if (o + k >= n)
			k = n - 1 - o;
		memcpy(out + o, l2, k);
		o += k;
	}
	out[o] = '\0';
}

/*
 * a and b name the same place when their normalized parts agree.  Text
 * equal but for case normalizes the same (norm upper-cases each byte
 * before anything else), so the usual case, a roster kept from the
 * registry, is settled without normalizing.
 */
static int
part_same(const char *a, const char *b, int street)
{
	char na[512], nb[512];

	if (strcasecmp(a ? a : "", b ? b : "") == 0)
		return 1;
	norm(a, na, sizeof(na), street);
	norm(b, nb, sizeof(nb), street);
	return strcmp(na, nb) == 0;
}

int
ctp_addr_same(const struct ctp_addr *a, const struct ctp_addr *b)
{
	char ja[512], jb[512];

	join(a->line1, a->line2, ja, sizeof(ja));
	join(b->line1, b->line2, jb, sizeof(jb));
	return part_same(ja, jb, 1) && part_same(a->city, b->city, 0) &&
	    part_same(a->state, b->state, 0) &&
	    ctp_addr_zip_same(a->zip, b->zip);
}
