#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

static unsigned long fail_countdown;

void
ctp_mem_fail_after(unsigned long n)
{
	fail_countdown = n;
}

static int
should_fail(void)
{
	if (fail_countdown == 0)
		return 0;
	return --fail_countdown == 0;
}

void *
ctp_malloc(size_t n)
{
	if (should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *
ctp_calloc(size_t n, size_t sz)
{
	if (should_fail())
		return NULL;
	return calloc(n ? n : 1, sz ? sz : 1);
}

void *
ctp_realloc(void *p, size_t n)
{
	if (should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

char *
ctp_strndup(const char *s, size_t n)
{
	char *p;

	if ((p = ctp_malloc(n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
ctp_strdup(const char *s)
{
	return ctp_strndup(s, strlen(s));
}

char *
ctp_asprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (p = ctp_malloc((size_t)n + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
