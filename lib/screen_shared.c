/*
 * screen_shared.c - one index of the lists for every organization of a
 * run across clients that holds the same lists (screen.h,
 * ctp_screen_run_shared): speed only, for 20 organizations of 5,000
 * providers screened with --db DIR in no more than 1.3 times one of
 * 100,000 (scripts/bench/screen-orgs).
 *
 * Building the index of the lists' entries (screen_index.c) costs the
 * same for any roster: 230,000 entries take 1.2 billion instructions,
 * four fifths of a 5,000-provider run.  A coordinator's clients hold the
 * same lists (ctp-screen fetch loads one download into each), so the
 * first organization of a run keeps its index, and the others use it
 * when they hold what it was built from: the same list versions (file
 * SHA-256, kind, rows, column map, parent, whether in force) loaded in
 * the same order, so that their entries are the same rows in the same
 * order, and the same nickname pairs of their own.  What differs is the
 * id of each version in each database: a candidate's version is given
 * as the organization's own (ctp_screen_use_version).  Any other
 * organization builds its own index.  The processes of a run (orgs_par.c)
 * are started after the first organization's run, and each has the index
 * as it was when they started.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "buf.h"
#include "db.h"
#include "mem.h"
#include "screen.h"
#include "screen_index.h"
#include "screen_shared.h"

struct ctp_screen_shared {
	struct ctp_screen_index *ix;
	struct ctp_nicknames *nick;
	struct ctp_screen_ident id;
};

/* A field of an identity: its bytes and a separator no value holds. */
static int
add_field(struct ctp_buf *b, sqlite3_stmt *st, int i)
{
	const void *p = sqlite3_column_blob(st, i);
	int n = sqlite3_column_bytes(st, i);

	if (n > 0 && ctp_buf_add(b, p, (size_t)n) < 0)
		return -1;
	return ctp_buf_add(b, "\037", 1);
}

static void
ident_free(struct ctp_screen_ident *id)
{
	ctp_buf_free(&id->text);
	free(id->ids);
	memset(id, 0, sizeof(*id));
}

/* Read db's identity (inside the run's transaction); 0 or e->code. */
static int
ident_read(sqlite3 *db, struct ctp_screen_ident *id, struct ctp_error *e)
{
	sqlite3_stmt *st = NULL;
	long long *v;
	int rc, i;

	memset(id, 0, sizeof(*id));
	/* The parent named by its place in the sequence, not its id. */
	if ((rc = ctp_db_prepare(db, &st, "SELECT l.id, l.source, l.kind, "
	    "l.sha256, l.rows, l.map, l.active, CASE WHEN l.parent_id IS NULL "
	    "THEN -1 ELSE (SELECT count(*) FROM screen_lists x WHERE x.id < "
	    "l.parent_id) END FROM screen_lists l ORDER BY l.id", e)) != 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((v = ctp_realloc(id->ids, (id->nids + 1) *
		    sizeof(*v))) == NULL)
			goto nomem;
		id->ids = v;
		id->ids[id->nids++] = sqlite3_column_int64(st, 0);
		for (i = 1; i < 8; i++)
			if (add_field(&id->text, st, i) < 0)
				goto nomem;
		if (ctp_buf_add(&id->text, "\036", 1) < 0)
			goto nomem;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE) {
		rc = ctp_db_err(db, rc, "screen lists", e);
		goto fail;
	}
	if ((rc = ctp_db_prepare(db, &st, "SELECT key_a, key_b FROM "
	    "screen_nicknames ORDER BY id", e)) != 0)
		goto fail;
	if (ctp_buf_add(&id->text, "\035", 1) < 0)
		goto nomem;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (add_field(&id->text, st, 0) < 0 ||
		    add_field(&id->text, st, 1) < 0)
			goto nomem;
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 0;
	rc = ctp_db_err(db, rc, "screen nicknames", e);
	goto fail;
nomem:
	sqlite3_finalize(st);
	rc = ctp_err_nomem(e, "screening");
fail:
	ident_free(id);
	return rc;
}

int
ctp_screen_use_open(struct ctp_screen_use *u, sqlite3 *db,
    struct ctp_screen_shared **sh, const struct ctp_nicknames *nick,
    struct ctp_error *e)
{
	const struct ctp_buf *a, *b = &u->id.text;
	int rc;

	memset(u, 0, sizeof(*u));
	if (sh != NULL && (rc = ident_read(db, &u->id, e)) != 0)
		return rc;
	if (sh != NULL && *sh != NULL) {
		a = &(*sh)->id.text;
		if (a->len == b->len && (*sh)->id.nids == u->id.nids &&
		    memcmp(a->s, b->s, a->len) == 0) {
			u->shared = *sh;
			u->ix = (*sh)->ix;
			u->examined0 = ctp_screen_index_examined(u->ix);
			return 0;
		}
	}
	return ctp_screen_index_build(db, NULL, nick, &u->ix, e);
}

long long
ctp_screen_use_examined(const struct ctp_screen_use *u)
{
	return u->ix ? ctp_screen_index_examined(u->ix) - u->examined0 : 0;
}

long long
ctp_screen_use_version(const struct ctp_screen_use *u, long long version)
{
	size_t i;

	if (u->shared == NULL)
		return version;
	for (i = 0; i < u->shared->id.nids; i++)
		if (u->shared->id.ids[i] == version)
			return u->id.ids[i];
	return version;
}

void
ctp_screen_use_close(struct ctp_screen_use *u,
    struct ctp_screen_shared **keep, struct ctp_nicknames **nick)
{
	struct ctp_screen_shared *sh;

	if (u->shared == NULL) {
		if (keep != NULL && *keep == NULL && u->ix != NULL &&
		    (sh = ctp_calloc(1, sizeof(*sh))) != NULL) {
			sh->ix = u->ix;
			sh->nick = *nick;
			sh->id = u->id;
			memset(&u->id, 0, sizeof(u->id));
			*keep = sh;
			*nick = NULL;
		} else
			ctp_screen_index_free(u->ix);
	}
	ident_free(&u->id);
	memset(u, 0, sizeof(*u));
}

void
ctp_screen_shared_free(struct ctp_screen_shared *sh)
{
	if (sh == NULL)
		return;
	ctp_screen_index_free(sh->ix);
	ctp_nicknames_free(sh->nick);
	ident_free(&sh->id);
	free(sh);
}
