/*
 * import_ahead.h - a first import's rows read and checked on a second
 * thread while the caller writes them (speed only: import_ahead.c says
 * why).  Batches go round between the two threads: the reading thread
 * fills one and hands it over for an empty one; the caller takes the
 * full ones in the order they were handed over, writes them and gives
 * them back.  What a batch holds is the caller's business.
 */
#ifndef CTP_IMPORT_AHEAD_H
#define CTP_IMPORT_AHEAD_H

#include <stddef.h>

#include "err.h"

struct ctp_import_ahead;

/*
 * Start fn(arg, e) on a thread of its own, with the n empty batches of
 * empty[] to hand out (n at most 16).  fn must call nothing of SQLite.
 * On an error (no thread) nothing was started and *a is NULL.
 */
int	ctp_import_ahead_start(struct ctp_import_ahead **a, void *const empty[],
	    size_t n, int (*fn)(void *arg, struct ctp_error *e), void *arg,
	    struct ctp_error *e);
/*
 * fn's thread: hand the full batch over and wait for an empty one.  NULL
 * when the caller has stopped (full is then the caller's).
 */
void	*ctp_import_ahead_put(struct ctp_import_ahead *a, void *full);
/* The caller: the next full batch (waits); NULL once fn has returned. */
void	*ctp_import_ahead_take(struct ctp_import_ahead *a);
/* The caller: a batch written, back to fn's thread. */
void	ctp_import_ahead_give(struct ctp_import_ahead *a, void *empty);
/*
 * The caller, at the end: when stop, tell fn's thread to stop (its next
 * ctp_import_ahead_put gives NULL); wait for it, free a.  Returns what
 * fn returned, its error in *e.
 */
int	ctp_import_ahead_join(struct ctp_import_ahead *a, int stop,
	    struct ctp_error *e);

#endif
