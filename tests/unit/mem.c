/* Unit tests for lib/mem.c: the large-block allocator and failing on cue. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "tap.h"

/* Every byte of p[0..n) is c. */
static int
all(const unsigned char *p, size_t n, int c)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

int
main(void)
{
	size_t n = (3 << 20) + 123;
	unsigned char *p, *q;

	p = ctp_big_alloc(n);
	ok(p != NULL, "a 3 MB block");
	ok(((uintptr_t)p & ((2u << 20) - 1)) == 0,
	    "aligned to 2 MB, where a huge page can back it");
	ok(all(p, n, 0), "zeroed");
	memset(p, 0xab, n);
	ok(all(p, n, 0xab), "every byte writable");
	q = ctp_big_alloc(4096);
	ok(q != NULL && (q + 4096 <= p || q >= p + n), "a second one apart");
	ctp_big_free(p, n);
	ctp_big_free(q, 4096);
	ctp_big_free(NULL, 10);
	ok(1, "freed, and NULL is nothing to free");
	ok((p = ctp_big_alloc(0)) != NULL, "n 0 is a page");
	ctp_big_free(p, 0);
	ctp_mem_fail_after(1);
	ok(ctp_big_alloc(1 << 20) == NULL, "fails on cue like the others");
	ok((p = ctp_big_alloc(1 << 20)) != NULL, "and only once");
	ctp_big_free(p, 1 << 20);
	return done_testing();
}
