/*
 * err.c - errors as a code, a place and a message; messages shown
 * with their control characters escaped (err.h).
 */
#include <stdio.h>
#include <string.h>

#include "err.h"

void
ctp_error_clear(struct ctp_error *e)
{
	if (e == NULL)
		return;
	e->code = 0;
	e->where[0] = '\0';
	e->what[0] = '\0';
}

int
ctp_verrf(struct ctp_error *e, int code, const char *where, const char *fmt,
    va_list ap)
{
	if (e == NULL)
		return code;
	e->code = code;
	snprintf(e->where, sizeof(e->where), "%s", where ? where : "");
	vsnprintf(e->what, sizeof(e->what), fmt, ap);
	return code;
}

int
ctp_errf(struct ctp_error *e, int code, const char *where, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctp_verrf(e, code, where, fmt, ap);
	va_end(ap);
	return code;
}

void
ctp_error_print(const char *prog, const struct ctp_error *e)
{
	if (e->where[0] != '\0')
		ctp_msgf(stderr, "%s: %s: %s", prog, e->where, e->what);
	else
		ctp_msgf(stderr, "%s: %s", prog, e->what);
}

int
ctp_err_nomem(struct ctp_error *e, const char *where)
{
	return ctp_errf(e, CTP_SOFTWARE, where, "out of memory");
}

size_t
ctp_vis(char *dst, size_t n, const char *s, int flags)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	char esc[7];
	size_t len = 0, k, m;

	for (; *p; p++) {
		k = 1;
		esc[0] = (char)*p;
		if ((*p == '\t' || *p == '\n') && flags & CTP_VIS_SPACE)
			esc[0] = ' ';
		else if ((*p == '\t' || *p == '\n') && flags & CTP_VIS_KEEP)
			;
		else if (*p < 0x20 || *p == 0x7f) {
			memcpy(esc, "\\x", 2);
			esc[2] = hex[*p >> 4];
			esc[3] = hex[*p & 0xf];
			k = 4;
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			/* U+0080 to U+009F in UTF-8: C1, CSI among them. */
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[p[1] >> 4];
			esc[5] = hex[p[1] & 0xf];
			k = 6;
			p++;
		}
		for (m = 0; m < k; m++, len++)
			if (len + 1 < n)
				dst[len] = esc[m];
	}
	if (n > 0)
		dst[len < n ? len : n - 1] = '\0';
	return len;
}

void
ctp_vmsgf(FILE *f, const char *fmt, va_list ap)
{
	char raw[2048], shown[4 * sizeof(raw)];

	vsnprintf(raw, sizeof(raw), fmt, ap);
	ctp_vis(shown, sizeof(shown), raw, 0);
	fprintf(f, "%s\n", shown);
}

void
ctp_msgf(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctp_vmsgf(f, fmt, ap);
	va_end(ap);
}

const char *
ctp_plural(long long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}
