/*
 * screen_shared.h - the index of the lists kept by the first organization
 * of a run across clients for the others that hold the same lists
 * (screen_shared.c says why; ctp_screen_run_shared uses it).
 */
#ifndef CTP_SCREEN_SHARED_H
#define CTP_SCREEN_SHARED_H

#include <stddef.h>

#include <sqlite3.h>

#include "buf.h"
#include "err.h"
#include "nickname.h"
#include "screen_index.h"

/*
 * What an index is built from in one database: its list versions, in id
 * order, and its own nickname pairs (text), and each version's id (ids,
 * in the same order).
 */
struct ctp_screen_ident {
	struct ctp_buf text;
	long long *ids;
	size_t nids;
};

struct ctp_screen_shared;

/* The index a run uses: its own, or a shared one (then not its to free). */
struct ctp_screen_use {
	struct ctp_screen_index *ix;
	struct ctp_screen_ident id;		/* with sh: this database's */
	const struct ctp_screen_shared *shared;	/* ix is this one's */
	long long examined0;			/* its count before the run */
};

/*
 * The index of db's lists for a run, filed with nick: *sh's when db holds
 * what it was built from, else built.  sh NULL: a run of one organization
 * (nothing shared, nothing read for it).  Inside the run's transaction;
 * ctp_screen_use_close even after an error.
 */
int	ctp_screen_use_open(struct ctp_screen_use *u, sqlite3 *db,
	    struct ctp_screen_shared **sh, const struct ctp_nicknames *nick,
	    struct ctp_error *e);
/* The candidates this run examined. */
long long ctp_screen_use_examined(const struct ctp_screen_use *u);
/* A candidate's list version, as this database's id. */
long long ctp_screen_use_version(const struct ctp_screen_use *u,
	    long long version);
/*
 * After the run.  keep (the first organization of a run across clients,
 * its run done): an index of its own goes to an empty *keep with *nick,
 * the nicknames it was built with (*nick then NULL).  Otherwise freed
 * unless shared.
 */
void	ctp_screen_use_close(struct ctp_screen_use *u,
	    struct ctp_screen_shared **keep, struct ctp_nicknames **nick);

#endif
