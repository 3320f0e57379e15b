/*
 * mem.c - the allocation wrappers every libctp allocation goes through,
 * so that tests can make allocation N fail (mem.h).
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mem.h"

#define BIG_ALIGN ((size_t)2 << 20)

/* Atomic: a first import allocates on two threads (import_ahead.c). */
static _Atomic unsigned long fail_countdown;

void
ctp_mem_fail_after(unsigned long n)
{
	atomic_store(&fail_countdown, n);
}

static int
should_fail(void)
{
	unsigned long n = atomic_load(&fail_countdown);

	while (n != 0 && !atomic_compare_exchange_weak(&fail_countdown, &n,
	    n - 1))
		;
	return n == 1;
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

#if defined(__SANITIZE_ADDRESS__)
/*
 * Under AddressSanitizer from the heap, so that it still sees every
 * access to these tables (it does not watch a mapping of our own).
 */
void *
ctp_big_alloc(size_t n)
{
	void *p;

	if (should_fail() || posix_memalign(&p, BIG_ALIGN, n ? n : 1) != 0)
		return NULL;
	return memset(p, 0, n ? n : 1);
}

void
ctp_big_free(void *p, size_t n)
{
	(void)n;
	free(p);
}
#else
/* n rounded up to whole pages. */
static size_t
big_size(size_t n)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);

	return (n + pg - 1) / pg * pg;
}

void *
ctp_big_alloc(size_t n)
{
	size_t len, lead;
	char *p, *a;

	if (should_fail())
		return NULL;
	len = big_size(n ? n : 1);
	if (len + BIG_ALIGN < len)
		return NULL;
	p = mmap(NULL, len + BIG_ALIGN, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	/* Keep the aligned part, give back the rest. */
	a = (char *)(((uintptr_t)p + BIG_ALIGN - 1) & ~(uintptr_t)(BIG_ALIGN -
	    1));
	lead = (size_t)(a - p);
	if (lead > 0)
		munmap(p, lead);
	if (BIG_ALIGN - lead > 0)
		munmap(a + len, BIG_ALIGN - lead);
#ifdef MADV_HUGEPAGE
	if (len >= BIG_ALIGN)
		(void)madvise(a, len, MADV_HUGEPAGE);
#endif
	return a;
}

void
ctp_big_free(void *p, size_t n)
{
	if (p != NULL)
		munmap(p, big_size(n ? n : 1));
}
#endif

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
