/*
 * names.c - person names as comparison keys, and in name case
 * (names.h).  The fold of accented letters to ASCII is a table of its
 * own, so that a key is the same in every locale and the library never
 * sets one (iconv's //TRANSLIT folds only under a UTF-8 LC_CTYPE).
 */
#include <stdio.h>
#include <strings.h>
#include <string.h>

#include "names.h"

/* Dropped when not the first part of a name. */
static const char *const suffixes[] = {
	"ANP", "APRN", "BSN", "CNM", "CNS", "CRNA", "DC", "DDS", "DMD", "DNP",
	"DO", "DPM", "DPT", "ESQ", "FACC", "FACP", "FACS", "FNP", "II", "III",
	"IV", "JR", "LCSW", "LPN", "MBBS", "MD", "MPH", "MSN", "NP", "OD",
	"OT", "PA", "PAC", "PHARMD", "PHD", "PSYD", "PT", "RN", "RPH", "SR",
	"V", NULL
};

/* Not a key on their own: DE LA CRUZ never matches LA or DE. */
static const char *const particles[] = {
	"AL", "BEN", "BIN", "DA", "DAS", "DE", "DEL", "DELA", "DELLA", "DEN",
	"DER", "DES", "DI", "DOS", "DU", "EL", "LA", "LE", "LOS", "SAN",
	"ST", "TER", "VAN", "VON", "Y", NULL
};

static void
keycpy(char *dst, const char *src)
{
	size_t l = strlen(src);

	if (l >= CTP_NAME_KEY)
		l = CTP_NAME_KEY - 1;
	memcpy(dst, src, l);
	dst[l] = '\0';
}

static int
in_set(const char *const *set, const char *w)
{
	for (; *set; set++)
		if (strcmp(*set, w) == 0)
			return 1;
	return 0;
}

/*
 * The fold of ctp_name_fold (names.h), a letter of Latin-1 Supplement
 * and Latin Extended-A (U+00C0 to U+017F) a byte: its base letter in its
 * case, or '?' where fold_other says or there is none.
 */
static const char latin1[] =
    "AAAAAA?CEEEEIIII"	/* À Á Â Ã Ä Å Æ Ç È É Ê Ë Ì Í Î Ï */
    "DNOOOOO?OUUUUY??"	/* Ð Ñ Ò Ó Ô Õ Ö × Ø Ù Ú Û Ü Ý Þ ß */
    "aaaaaa?ceeeeiiii"	/* à á â ã ä å æ ç è é ê ë ì í î ï */
    "dnooooo?ouuuuy?y"	/* ð ñ ò ó ô õ ö ÷ ø ù ú û ü ý þ ÿ */
    "AaAaAaCcCcCcCcDd"	/* Ā ā Ă ă Ą ą Ć ć Ĉ ĉ Ċ ċ Č č Ď ď */
    "DdEeEeEeEeEeGgGg"	/* Đ đ Ē ē Ĕ ĕ Ė ė Ę ę Ě ě Ĝ ĝ Ğ ğ */
    "GgGgHhHhIiIiIiIi"	/* Ġ ġ Ģ ģ Ĥ ĥ Ħ ħ Ĩ ĩ Ī ī Ĭ ĭ Į į */
    "Ii??JjKkqLlLlLlL"	/* İ ı Ĳ ĳ Ĵ ĵ Ķ ķ ĸ Ĺ ĺ Ļ ļ Ľ ľ Ŀ */
    "lLlNnNnNnnNnOoOo"	/* ŀ Ł ł Ń ń Ņ ņ Ň ň ŉ Ŋ ŋ Ō ō Ŏ ŏ */
    "Oo??RrRrRrSsSsSs"	/* Ő ő Œ œ Ŕ ŕ Ŗ ŗ Ř ř Ś ś Ŝ ŝ Ş ş */
    "SsTtTtTtUuUuUuUu"	/* Š š Ţ ţ Ť ť Ŧ ŧ Ũ ũ Ū ū Ŭ ŭ Ů ů */
    "UuUuWwYyYZzZzZzs";	/* Ű ű Ų ų Ŵ ŵ Ŷ ŷ Ÿ Ź ź Ż ż Ž ž ſ */

/* The same for Latin Extended Additional (U+1E00 to U+1EFF). */
static const char latin_add[] =
    "AaBbBbBbCcDdDdDd"	/* Ḁ ḁ Ḃ ḃ Ḅ ḅ Ḇ ḇ Ḉ ḉ Ḋ ḋ Ḍ ḍ Ḏ ḏ */
    "DdDdEeEeEeEeEeFf"	/* Ḑ ḑ Ḓ ḓ Ḕ ḕ Ḗ ḗ Ḙ ḙ Ḛ ḛ Ḝ ḝ Ḟ ḟ */
    "GgHhHhHhHhHhIiIi"	/* Ḡ ḡ Ḣ ḣ Ḥ ḥ Ḧ ḧ Ḩ ḩ Ḫ ḫ Ḭ ḭ Ḯ ḯ */
    "KkKkKkLlLlLlLlMm"	/* Ḱ ḱ Ḳ ḳ Ḵ ḵ Ḷ ḷ Ḹ ḹ Ḻ ḻ Ḽ ḽ Ḿ ḿ */
    "MmMmNnNnNnNnOoOo"	/* Ṁ ṁ Ṃ ṃ Ṅ ṅ Ṇ ṇ Ṉ ṉ Ṋ ṋ Ṍ ṍ Ṏ ṏ */
    "OoOoPpPpRrRrRrRr"	/* Ṑ ṑ Ṓ ṓ Ṕ ṕ Ṗ ṗ Ṙ ṙ Ṛ ṛ Ṝ ṝ Ṟ ṟ */
    "SsSsSsSsSsTtTtTt"	/* Ṡ ṡ Ṣ ṣ Ṥ ṥ Ṧ ṧ Ṩ ṩ Ṫ ṫ Ṭ ṭ Ṯ ṯ */
    "TtUuUuUuUuUuVvVv"	/* Ṱ ṱ Ṳ ṳ Ṵ ṵ Ṷ ṷ Ṹ ṹ Ṻ ṻ Ṽ ṽ Ṿ ṿ */
    "WwWwWwWwWwXxXxYy"	/* Ẁ ẁ Ẃ ẃ Ẅ ẅ Ẇ ẇ Ẉ ẉ Ẋ ẋ Ẍ ẍ Ẏ ẏ */
    "ZzZzZzhtwya?ss??"	/* Ẑ ẑ Ẓ ẓ Ẕ ẕ ẖ ẗ ẘ ẙ ẚ ẛ ẜ ẝ ẞ ẟ */
    "AaAaAaAaAaAaAaAa"	/* Ạ ạ Ả ả Ấ ấ Ầ ầ Ẩ ẩ Ẫ ẫ Ậ ậ Ắ ắ */
    "AaAaAaAaEeEeEeEe"	/* Ằ ằ Ẳ ẳ Ẵ ẵ Ặ ặ Ẹ ẹ Ẻ ẻ Ẽ ẽ Ế ế */
    "EeEeEeEeIiIiOoOo"	/* Ề ề Ể ể Ễ ễ Ệ ệ Ỉ ỉ Ị ị Ọ ọ Ỏ ỏ */
    "OoOoOoOoOoOoOoOo"	/* Ố ố Ồ ồ Ổ ổ Ỗ ỗ Ộ ộ Ớ ớ Ờ ờ Ở ở */
    "OoOoUuUuUuUuUuUu"	/* Ỡ ỡ Ợ ợ Ụ ụ Ủ ủ Ứ ứ Ừ ừ Ử ử Ữ ữ */
    "UuYyYyYyYy??VvYy";	/* Ự ự Ỳ ỳ Ỵ ỵ Ỷ ỷ Ỹ ỹ Ỻ ỻ Ỽ ỽ Ỿ ỿ */

/*
 * The rest of the fold, by code point: the letters of two, the
 * Vietnamese and Romanian letters of Latin Extended-B, the ordinal
 * letters, and the spaces and hyphens a word processor puts in a name.
 */
static const struct {
	unsigned cp;
	char s[3];
} fold_other[] = {
	{ 0x00a0, " " }, { 0x00aa, "a" }, { 0x00ad, "-" }, { 0x00ba, "o" },
	{ 0x00c6, "AE" }, { 0x00de, "TH" }, { 0x00df, "ss" }, { 0x00e6, "ae" },
	{ 0x00fe, "th" }, { 0x0132, "IJ" }, { 0x0133, "ij" }, { 0x0152, "OE" },
	{ 0x0153, "oe" }, { 0x01a0, "O" }, { 0x01a1, "o" }, { 0x01af, "U" },
	{ 0x01b0, "u" }, { 0x0218, "S" }, { 0x0219, "s" }, { 0x021a, "T" },
	{ 0x021b, "t" }, { 0x1e9e, "SS" }, { 0x1efa, "LL" }, { 0x1efb, "ll" },
	{ 0x202f, " " },
};

/* What code point cp folds to: letters, " ", "-", "" or "?". */
static const char *
fold_cp(unsigned cp, char one[2])
{
	const char *t = NULL;
	size_t i;

	if (cp >= 0xc0 && cp <= 0x17f)
		t = latin1 + (cp - 0xc0);
	else if (cp >= 0x1e00 && cp <= 0x1eff)
		t = latin_add + (cp - 0x1e00);
	if (t != NULL && *t != '?') {
		one[0] = *t;
		one[1] = '\0';
		return one;
	}
	for (i = 0; i < sizeof(fold_other) / sizeof(fold_other[0]); i++)
		if (fold_other[i].cp == cp)
			return fold_other[i].s;
	/* A combining accent (a Mac writes é as e and U+0301) goes. */
	if (cp >= 0x300 && cp <= 0x36f)
		return "";
	if (cp >= 0x2000 && cp <= 0x200a)
		return " ";
	if (cp >= 0x2010 && cp <= 0x2015)
		return "-";
	return "?";
}

/*
 * The code point that p begins (UTF-8), its length in *len; -1 and *len
 * 1 when p begins no valid sequence (overlong forms and surrogates
 * included).
 */
static long
utf8_next(const unsigned char *p, size_t *len)
{
	unsigned cp;
	size_t n, i;

	*len = 1;
	if (p[0] < 0x80)
		return p[0];
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		cp = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		cp = p[0] & 0x07;
	} else
		return -1;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return -1;
	*len = n;
	return (long)cp;
}

char *
ctp_name_fold(const char *s, char *out, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	const char *f;
	char one[2];
	size_t o = 0, len, fl;
	long cp;

	if (n == 0)
		return out;
	while (*p) {
		cp = utf8_next(p, &len);
		p += len;
		if (cp >= 0 && cp < 0x80) {
			one[0] = (char)cp;
			one[1] = '\0';
			f = one;
		} else
			f = cp < 0 ? "?" : fold_cp((unsigned)cp, one);
		fl = strlen(f);
		if (o + fl >= n)
			break;
		memcpy(out + o, f, fl);
		o += fl;
	}
	out[o] = '\0';
	return out;
}

/* s in ASCII: itself when it is, else folded into buf (n bytes). */
static const char *
to_ascii(const char *s, char *buf, size_t n)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p && *p < 0x80; p++)
		;
	if (*p == '\0')
		return s;
	return ctp_name_fold(s, buf, n);
}

int
ctp_name_norm(const char *s, char *out, size_t n)
{
	char tmp[512], word[CTP_NAME_KEY];
	const char *a;
	size_t wl = 0, ol = 0;
	int parts = 0, c, end;

	if (n == 0)
		return 0;
	out[0] = '\0';
	if (s == NULL)
		return 0;
	a = to_ascii(s, tmp, sizeof(tmp));
	for (;; a++) {
		c = (unsigned char)*a;
		end = c == '\0';
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c >= 'A' && c <= 'Z') {
			if (wl + 1 < sizeof(word))
				word[wl++] = (char)c;
			continue;
		}
		/* Apostrophes, periods, digits and the like vanish. */
		if (!end && c != ' ' && c != '-' && c != ',' && c != '/' &&
		    c != '\t' && c != '(' && c != ')' && c != '&' && c != ';')
			continue;
		if (wl > 0) {
			word[wl] = '\0';
			if (parts == 0 || !in_set(suffixes, word)) {
				if (ol + wl + 2 <= n) {
					if (ol > 0)
						out[ol++] = ' ';
					memcpy(out + ol, word, wl);
					ol += wl;
					out[ol] = '\0';
				}
				parts++;
			}
			wl = 0;
		}
		if (end)
			break;
	}
	return parts;
}

int
ctp_name_last_keys(const char *last, char keys[CTP_NAME_MAXKEYS][CTP_NAME_KEY])
{
	char norm[256], *w, *save;
	char part[CTP_NAME_MAXKEYS][CTP_NAME_KEY];
	int parts, i, k = 0, np = 0;
	size_t l = 0;

	if ((parts = ctp_name_norm(last, norm, sizeof(norm))) == 0)
		return 0;
	keys[0][0] = '\0';
	for (w = strtok_r(norm, " ", &save); w; w = strtok_r(NULL, " ",
	    &save)) {
		size_t wl = strlen(w);

		if (l + wl < CTP_NAME_KEY) {
			memcpy(keys[0] + l, w, wl + 1);
			l += wl;
		}
		if (parts > 1 && !in_set(particles, w) && strlen(w) > 1 &&
		    np < CTP_NAME_MAXKEYS) {
			keycpy(part[np], w);
			np++;
		}
	}
	k = 1;
	for (i = 0; i < np && k < CTP_NAME_MAXKEYS; i++) {
		int j, dup = 0;

		for (j = 0; j < k; j++)
			if (strcmp(keys[j], part[i]) == 0)
				dup = 1;
		if (!dup)
			keycpy(keys[k++], part[i]);
	}
	return k;
}

int
ctp_name_first_key(const char *first, char key[CTP_NAME_KEY])
{
	char norm[256], *sp;

	key[0] = '\0';
	if (ctp_name_norm(first, norm, sizeof(norm)) == 0)
		return -1;
	if ((sp = strchr(norm, ' ')) != NULL)
		*sp = '\0';
	norm[CTP_NAME_KEY - 1] = '\0';
	memcpy(key, norm, strlen(norm) + 1);
	return 0;
}

/*
 * Names in which Mac is not a prefix, though the rule below would take
 * it for one: what follows Mac, in lower case, begins with one of these.
 */
static const char *const not_mac[] = {
	"evicius", "hado", "har", "hell", "hen", "hiel", "hin", "hlin",
	"hon", "ias", "iel", "iol", "iulis", "kell", "ken", "key", "kie",
	"kintosh", "kle", "klem", "kley", "klin", "kmin", "krell", "lin",
	"omber", "quarie", NULL
};

static int
isalpha_ascii(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int
lower_ascii(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int
upper_ascii(int c)
{
	return c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c;
}

/*
 * Mac is a prefix when at least three letters follow and the last of
 * them is none of a, c, i, o, z, j (MacDonald, MacLeod; not Mack, Macey,
 * Machuca, Macario), and the name is not one of not_mac.  w points
 * after "mac", len letters long, in lower case.
 */
static int
mac_prefix(const char *w, size_t len)
{
	const char *const *x;

	if (len < 3 || strchr("aciozj", w[len - 1]) != NULL)
		return 0;
	for (x = not_mac; *x; x++)
		if (strncmp(w, *x, strlen(*x)) == 0)
			return 0;
	return 1;
}

void
ctp_name_case(const char *s, char *out, size_t n)
{
	const unsigned char *p;
	size_t o = 0, len;
	int c, first = 1;

	if (n == 0)
		return;
	for (p = (const unsigned char *)s; *p && o + 1 < n; p++) {
		c = *p;
		if (c == 0xc3 && p[1] >= 0x80 && p[1] <= 0xbe && p[1] != 0x97 &&
		    p[1] != 0xb7 && p[1] != 0x9f && o + 2 < n) {
			/* A Latin-1 letter: À-Þ upper case, à-þ lower. */
			out[o++] = (char)c;
			c = p[1] & ~0x20;
			out[o++] = (char)(first ? c : c | 0x20);
			p++;
			first = 0;
			continue;
		}
		if (isalpha_ascii(c)) {
			out[o++] = (char)(first ? upper_ascii(c) :
			    lower_ascii(c));
			first = 0;
			continue;
		}
		if (c >= 0x80 && !(c == 0xe2 && p[1] == 0x80 && p[2] == 0x99)) {
			out[o++] = (char)c;	/* part of a letter */
			first = 0;
			continue;
		}
		/* A space, hyphen, apostrophe (’ too), period ...: the next
		 * letter begins a part. */
		out[o++] = (char)c;
		if (c == 0xe2 && o + 2 < n) {
			out[o++] = (char)*++p;
			out[o++] = (char)*++p;
		}
		first = 1;
	}
	out[o] = '\0';
	/* Mc and Mac, at the start of each part. */
	for (o = 0; out[o]; o++) {
		if (o > 0 && isalpha_ascii(out[o - 1]))
			continue;
		for (len = 0; isalpha_ascii(out[o + len]); len++)
			;
		if (len > 2 && strncmp(out + o, "Mc", 2) == 0)
			out[o + 2] = (char)upper_ascii(out[o + 2]);
		else if (len > 3 && strncmp(out + o, "Mac", 3) == 0 &&
		    mac_prefix(out + o + 3, len - 3))
			out[o + 3] = (char)upper_ascii(out[o + 3]);
	}
}

/* s without surrounding spaces: its start, and its length in *len. */
static const char *
trimmed(const char *s, size_t *len)
{
	const char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*len = (size_t)(e - s);
	return s;
}

/* Are a (alen bytes, not trimmed) and b the same, case and spaces aside? */
static int
same_part(const char *a, size_t alen, const char *b)
{
	char ta[256];
	size_t la, lb;
	const char *pa, *pb;

	if (alen >= sizeof(ta))
		return 0;
	memcpy(ta, a, alen);
	ta[alen] = '\0';
	pa = trimmed(ta, &la);
	pb = trimmed(b, &lb);
	return la == lb && strncasecmp(pa, pb, la) == 0;
}

int
ctp_name_add_former(const char *others, const char *last, const char *first,
    char *out, size_t n)
{
	const char *p, *end, *comma, *o;
	size_t olen;
	int w;

	if (others == NULL)
		others = "";
	for (p = others; *p; p = *end ? end + 1 : end) {
		if ((end = strchr(p, ';')) == NULL)
			end = p + strlen(p);
		comma = memchr(p, ',', (size_t)(end - p));
		if (comma == NULL ? same_part(p, (size_t)(end - p), last) :
		    same_part(p, (size_t)(comma - p), last) &&
		    same_part(comma + 1, (size_t)(end - comma - 1), first))
			return 0;
	}
	o = trimmed(others, &olen);
	while (olen > 0 && (o[olen - 1] == ';' || o[olen - 1] == ' ' ||
	    o[olen - 1] == '\t'))
		olen--;
	w = snprintf(NULL, 0, "%.*s%s%s, %s", (int)olen, o, olen ? "; " : "",
	    last, first);
	if (w < 0 || (size_t)w >= n)
		return -1;
	snprintf(out, n, "%.*s%s%s, %s", (int)olen, o, olen ? "; " : "", last,
	    first);
	return 1;
}
