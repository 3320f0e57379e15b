/* progress.c - see progress.h. */
#include <stddef.h>

#include "progress.h"

void
ctp_progress_tell(const struct ctp_progress *p, const char *what,
    enum ctp_progress_unit unit, long long done, long long total, int end)
{
	if (p != NULL && p->fn != NULL)
		p->fn(p->arg, what, unit, done, total, end);
}
