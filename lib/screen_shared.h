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

/* Read db's identity (inside the run's transaction); 0 or e->code. */
int	ctp_screen_ident_read(sqlite3 *db, struct ctp_screen_ident *id,
	    struct ctp_error *e);
void	ctp_screen_ident_free(struct ctp_screen_ident *id);
/*
 * Keep ix, built with nick from a database of identity id, in a new *sh
 * (all three then its own); -1 out of memory (nothing taken).
 */
int	ctp_screen_shared_keep(struct ctp_screen_shared **sh,
	    struct ctp_screen_index *ix, struct ctp_nicknames *nick,
	    struct ctp_screen_ident *id);
/* sh's index when a database of identity id may use it, else NULL. */
struct ctp_screen_index *ctp_screen_shared_index(
	    const struct ctp_screen_shared *sh,
	    const struct ctp_screen_ident *id);
/* A version id of sh's database as that of the database of id. */
long long ctp_screen_shared_version(const struct ctp_screen_shared *sh,
	    const struct ctp_screen_ident *id, long long version);

#endif
