/*
 * tune.c - process settings a program asks for by name (tune.h), each
 * for a figure of scripts/bench.
 *
 * SQLite's threading mode and memory statistics: every ctp program uses
 * its connection from one thread (ctp_db_open opens it without a mutex
 * of its own), and a bulk writer calls SQLite from that thread only
 * (ctp-import reads its file on a second thread that calls nothing of
 * SQLite: import_ahead.c).  SQLITE_CONFIG_SINGLETHREAD also drops the
 * mutexes around SQLite's allocator and page cache, and the memory
 * statistics SQLite keeps by default cost a bulk write a tenth of its
 * time.
 *
 * Page faults: a run that fills tens of megabytes of new memory takes a
 * fault per 4 KB page, and on a virtual machine a fault can cost 10 us.
 * A bulk writer may have its page cache, up to cache_mb, in one block
 * from ctp_big_alloc (mem.h), backed by huge pages: a 32 MB cache is
 * some 8,000 faults in 4 KB pages and a few dozen in huge ones.  A
 * larger cache takes the rest of its pages from malloc.  ctp-npi,
 * ctp-import and ctp-screen ask for none: the import's cache is written
 * out as it goes, and the block only doubled its peak memory; the bulk
 * refresh and screening hold their figures without it.
 *
 * The reader's heap (glibc only) is grown at once by 64 MB (M_TOP_PAD)
 * and advised MADV_HUGEPAGE, since transparent huge pages are usually
 * madvise-only: the inbox over a million credentials
 * (scripts/bench/expiring) takes about 1,000 faults instead of 10,300,
 * and 20 ms less of its 250.  Best effort: with huge pages off, or
 * another malloc, nothing changes.  The reader needs no threading mode
 * of its own: with the connection's mutex gone, SQLite's global ones
 * cost it nothing measurable.
 */
#include <stdint.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <unistd.h>
#include <sys/mman.h>

#include <sqlite3.h>

#include "mem.h"
#include "tune.h"

static int single_threaded;

int
ctp_tune_single_threaded(void)
{
	return single_threaded;
}

void
ctp_tune_bulk_writer(size_t cache_mb)
{
	int hdr = 0;
	size_t line, n;
	void *buf;

	single_threaded = sqlite3_config(SQLITE_CONFIG_SINGLETHREAD) ==
	    SQLITE_OK;
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (sqlite3_config(SQLITE_CONFIG_PCACHE_HDRSZ, &hdr) != SQLITE_OK ||
	    hdr <= 0)
		return;
	/* A 4 KB page (every ctp database's) and its header, aligned. */
	line = (4096 + (size_t)hdr + 15) & ~(size_t)15;
	n = (cache_mb << 20) / line;
	if (n == 0 || (buf = ctp_big_alloc(n * line)) == NULL)
		return;
	/* Kept for the process's life: SQLite has it until it exits. */
	if (sqlite3_config(SQLITE_CONFIG_PAGECACHE, buf, (int)line, (int)n) !=
	    SQLITE_OK)
		ctp_big_free(buf, n * line);
}

#ifdef __GLIBC__
/* Grow the heap at once and advise its huge pages (see above). */
static void
huge_heap(void)
{
#ifdef MADV_HUGEPAGE
	const uintptr_t huge = 2 * 1024 * 1024;
	uintptr_t lo;
	char *p, *top;

	if ((p = malloc(1024 * 1024)) == NULL)
		return;
	top = sbrk(0);
	lo = ((uintptr_t)p + huge - 1) & ~(huge - 1);
	if (top != (void *)-1 && (uintptr_t)top > lo + huge)
		madvise((void *)lo, (uintptr_t)top - lo, MADV_HUGEPAGE);
	free(p);
#endif
}
#endif

void
ctp_tune_reader(void)
{
#ifdef __GLIBC__
	mallopt(M_TOP_PAD, 64 * 1024 * 1024);
	huge_heap();
#endif
}

/*
 * ctp-package holds each document, summary and packet.pdf of a package
 * in memory while it writes the package (up to PKG_MEM_BUDGET, 8 MB),
 * on four threads.  glibc maps every block over 128 KB on its own and
 * unmaps it when freed, so each package cost a page fault for every
 * 4 KB it held (a third of the run's system time on 1,000 packages).
 * Blocks up to 16 MB come from the heap instead, which keeps 64 MB
 * before it trims.
 */
void
ctp_tune_packager(void)
{
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, 16 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#endif
}
