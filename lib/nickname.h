/*
 * nickname.h - first names that are the same person's: the nickname
 * table shipped with ctp (share/ctp/nicknames.csv: a group a line, "a
 * name, then the nicknames and short forms it goes by") and the
 * organization's own pairs (ctp-screen nicknames add), each pair a group
 * of its own.  Two first names are nicknames of each other when one
 * group holds both.  Names are compared as first-name keys (names.h).
 *
 * A loaded table is read-only: any number of readers may share it.
 * ctp_nicknames_free frees what ctp_nicknames_new returns.
 */
#ifndef CTP_NICKNAME_H
#define CTP_NICKNAME_H

#include <stddef.h>

#include "err.h"

struct ctp_nicknames;

/* An empty table (CTP_SOFTWARE when out of memory). */
int	ctp_nicknames_new(struct ctp_nicknames **nk, struct ctp_error *e);
void	ctp_nicknames_free(struct ctp_nicknames *nk);

/*
 * The groups of the file at path added to nk: CTP_NOINPUT when it cannot
 * be opened, CTP_DATAERR naming path and line for a line that is too
 * long or holds fewer than two names.
 */
int	ctp_nicknames_read(struct ctp_nicknames *nk, const char *path,
	    struct ctp_error *e);
/* One more group of two names (any case and accents). */
int	ctp_nicknames_add(struct ctp_nicknames *nk, const char *a,
	    const char *b, struct ctp_error *e);

/*
 * The shipped table's path: $CTP_SHAREDIR/nicknames.csv when set, else
 * the installed one (SHAREDIR, compiled in), else the source tree's
 * when ctp runs from its build tree.  Static storage.
 */
const char *ctp_nicknames_path(void);

/* Are the first-name keys a and b different names of one group? */
int	ctp_nicknames_same(const struct ctp_nicknames *nk, const char *a,
	    const char *b);
/*
 * The groups holding first-name key a: their count, and *ids pointing
 * at their numbers in ascending order (owned by nk).  0 when none.
 */
size_t	ctp_nicknames_groups(const struct ctp_nicknames *nk, const char *a,
	    const unsigned **ids);
/* How many groups and names the table holds. */
void	ctp_nicknames_count(const struct ctp_nicknames *nk, size_t *groups,
	    size_t *names);

#endif
