/*
 * buf.c - a growable byte buffer (buf.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mem.h"

int
ctp_buf_grow(struct ctp_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	if ((p = ctp_realloc(b->s, cap)) == NULL)
		return -1;
	b->s = p;
	b->cap = cap;
	return 0;
}

int
ctp_buf_add(struct ctp_buf *b, const void *p, size_t n)
{
	if (ctp_buf_grow(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

int
ctp_buf_puts(struct ctp_buf *b, const char *s)
{
	return ctp_buf_add(b, s, strlen(s));
}

int
ctp_buf_putc(struct ctp_buf *b, int c)
{
	char ch = (char)c;

	return ctp_buf_add(b, &ch, 1);
}

int
ctp_buf_printf(struct ctp_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || ctp_buf_grow(b, (size_t)n) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void
ctp_buf_reset(struct ctp_buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void
ctp_buf_free(struct ctp_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

char *
ctp_buf_take(struct ctp_buf *b)
{
	char *s;

	if (b->s == NULL && ctp_buf_grow(b, 0) < 0)
		return NULL;
	s = b->s;
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

size_t
ctp_lld(long long v, char out[CTP_LLD_LEN])
{
	char tmp[CTP_LLD_LEN], *p = tmp + sizeof(tmp);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v :
	    (unsigned long long)v;
	size_t n;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	n = (size_t)(tmp + sizeof(tmp) - p);
	memcpy(out, p, n);
	out[n] = '\0';
	return n;
}
