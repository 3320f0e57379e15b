/*
 * tune.h - how a program sets up the process for its kind of work, by
 * name, before SQLite's first use and before any large allocation.
 * What each setting is worth, and why, is in tune.c.
 */
#ifndef CTP_TUNE_H
#define CTP_TUNE_H

#include <stddef.h>

/*
 * A program that writes in bulk (ctp-import, ctp-screen, ctp-npi): one
 * thread uses SQLite (its other threads call nothing of it), no memory
 * statistics, and SQLite's page cache, up to cache_mb, in one block of
 * huge pages; cache_mb 0 leaves the cache to malloc.  The block is kept
 * for the life of the process.
 */
void	ctp_tune_bulk_writer(size_t cache_mb);
/* Whether ctp_tune_bulk_writer left SQLite to one thread. */
int	ctp_tune_single_threaded(void);

/*
 * A program that reads one large organization or several and lists
 * them (ctp-expiring): the heap grown at once and backed by huge pages
 * where the kernel allows.
 */
void	ctp_tune_reader(void);

/*
 * A program that makes many files of a few megabytes each in memory
 * (ctp-package): buffers of that size reuse the heap instead of being
 * mapped and unmapped one by one.
 */
void	ctp_tune_packager(void);

#endif
