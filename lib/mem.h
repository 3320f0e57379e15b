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

/* Make the n-th allocation from now fail (0 = never); for tests. */
void	ctp_mem_fail_after(unsigned long n);

#endif
