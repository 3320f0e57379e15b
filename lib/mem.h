/*
 * mem.h - allocation wrappers.  Every allocation in libctp goes through
 * these so that a test can make the Nth one fail (ctp_mem_fail_after).
 * They return NULL on failure like malloc; the caller reports it.
 * What they return is freed with free().
 */
#ifndef CTP_MEM_H
#define CTP_MEM_H

#include <stddef.h>

void	*ctp_malloc(size_t);
void	*ctp_calloc(size_t, size_t);
void	*ctp_realloc(void *, size_t);
char	*ctp_strdup(const char *);
char	*ctp_strndup(const char *, size_t);
/* printf into a new string; NULL on failure. */
char	*ctp_asprintf(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));

/*
 * A large block (n bytes, zeroed), for tables a run fills once: mapped on
 * its own and aligned so that the kernel may back it with huge pages
 * (madvise MADV_HUGEPAGE where transparent huge pages are on for those
 * who ask).  A run that touches tens of megabytes of new memory faults
 * once per 2 MB instead of once per 4 KB; on virtual machines a fault
 * can cost 10 us.  Free with ctp_big_free and the same n.
 */
void	*ctp_big_alloc(size_t n);
void	ctp_big_free(void *, size_t n);

/* Make the n-th allocation from now fail (0 = never); for tests. */
void	ctp_mem_fail_after(unsigned long n);

#endif
