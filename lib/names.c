#include <iconv.h>
#include <locale.h>
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
 * glibc's //TRANSLIT needs a UTF-8 LC_CTYPE or it gives '?' for every
 * accented letter; the programs run in the C locale, so set C.UTF-8 for
 * character classification only (numbers and messages are unaffected).
 */
static iconv_t
translit(void)
{
	static iconv_t cd = (iconv_t)-1;
	static int tried;

	if (!tried) {
		tried = 1;
		if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
			setlocale(LC_CTYPE, "en_US.UTF-8");
		cd = iconv_open("ASCII//TRANSLIT", "UTF-8");
	}
	return cd;
}

/* s to ASCII in buf; non-ASCII that cannot be transliterated becomes '?'. */
static const char *
to_ascii(const char *s, char *buf, size_t n)
{
	const unsigned char *p;
	char *in, *o;
	size_t inleft, outleft;
	iconv_t cd;

	for (p = (const unsigned char *)s; *p && *p < 0x80; p++)
		;
	if (*p == '\0')
		return s;
	if ((cd = translit()) == (iconv_t)-1)
		return s;
	iconv(cd, NULL, NULL, NULL, NULL);
	in = (char *)s;
	inleft = strlen(s);
	o = buf;
	outleft = n - 1;
	while (inleft > 0 && outleft > 0) {
		if (iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1)
			break;
		if (outleft == 0)
			break;
		/* An invalid or unconvertible byte: skip it. */
		in++;
		inleft--;
	}
	*o = '\0';
	return buf;
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
