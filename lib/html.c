/*
 * html.c - HTML escaping (html.h).
 */
#include <string.h>

#include "html.h"

/* The entity for byte sequence at s (its length in *len), or NULL. */
static const char *
entity(const unsigned char *s, size_t *len)
{
	*len = 1;
	switch (*s) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	case '\t':
	case '\n':
		return NULL;
	}
	if (*s < 0x20 || *s == 0x7f)
		return "&#xFFFD;";
	/* C1 controls, U+0080 to U+009F: C2 80 to C2 9F in UTF-8. */
	if (*s == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f) {
		*len = 2;
		return "&#xFFFD;";
	}
	return NULL;
}

size_t
ctp_html_escape(char *dst, size_t n, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	const char *ent;
	size_t out = 0, len, k, i;

	for (; *p; p += len) {
		ent = entity(p, &len);
		k = ent ? strlen(ent) : 1;
		for (i = 0; i < k; i++, out++)
			if (out + 1 < n)
				dst[out] = ent ? ent[i] : (char)*p;
	}
	if (n > 0)
		dst[out < n ? out : n - 1] = '\0';
	return out;
}

int
ctp_html_put(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	const char *ent;
	size_t len;

	for (; *p; p += len) {
		if ((ent = entity(p, &len)) != NULL) {
			if (fputs(ent, f) == EOF)
				return -1;
		} else if (putc(*p, f) == EOF)
			return -1;
	}
	return 0;
}
