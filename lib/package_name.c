/*
 * package_name.c - the names of packages and of the files in them
 * (package.h): made by ctp from a few safe bytes, and checked the way
 * an unzip on any system would take them.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "package.h"

void
ctp_package_slug(const char *s, char *out, size_t n)
{
	size_t len = 0;
	int dash = 0;

	for (; s && *s && len + 1 < n; s++) {
		unsigned char ch = (unsigned char)*s;

		if (isascii(ch) && isalnum(ch)) {
			if (dash && len > 0 && len + 2 < n)
				out[len++] = '-';
			dash = 0;
			out[len++] = (char)tolower(ch);
		} else
			dash = 1;
	}
	if (len == 0 && n > 1)
		out[len++] = 'x';
	if (n > 0)
		out[len] = '\0';
}

/* A path part a Windows unzip refuses: 1 or 0. */
static int
reserved(const char *p, size_t n)
{
	static const char *const dev[] = { "CON", "PRN", "AUX", "NUL" };
	size_t base = n, i;

	if (n > 0 && (p[n - 1] == '.' || p[n - 1] == ' '))
		return 1;
	for (i = 0; i < n; i++)
		if (p[i] == '.') {
			base = i;
			break;
		}
	for (i = 0; i < sizeof(dev) / sizeof(dev[0]); i++)
		if (base == 3 && strncasecmp(p, dev[i], 3) == 0)
			return 1;
	return base == 4 && (strncasecmp(p, "COM", 3) == 0 ||
	    strncasecmp(p, "LPT", 3) == 0) && p[3] >= '1' && p[3] <= '9';
}

const char *
ctp_package_name_check(const char *name)
{
	const char *p = name, *q;
	size_t n;

	if (*name == '\0')
		return "an empty name";
	if (*name == '/')
		return "an absolute path";
	for (q = name; *q; q++) {
		if ((unsigned char)*q < 0x20 || *q == 0x7f)
			return "a control character";
		if (*q == '\\' || *q == ':')
			return "a backslash or colon";
	}
	for (;;) {
		n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.'))
			return "an empty or \".\" part";
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return "a \"..\" part";
		if (reserved(p, n))
			return "a name Windows reserves";
		if (p[n] == '\0')
			return NULL;
		p += n + 1;
	}
}
