/*
 * screen.h - what ctp-screen uses: exclusion lists (OIG LEIE, SAM.gov,
 * any other list) and screening the roster against them.  Loading is in
 * screen_load.c (reading the file: screen_file.c), fetching in
 * screen_fetch.c (through the download cache every organization shares:
 * screen_cache.c), the run in screen_run.c, lists, matches and review in
 * screen_review.c.
 *
 * Loading parses a whole file inside one transaction and replaces the
 * source's current version only when every row parsed and the new file
 * has no more than list_shrink_max percent (a setting) fewer rows than
 * the one it replaces (unless force).
 * Screening writes one run, one PSV entry per provider per list (stamped
 * with the run), one audit event per new match and one for the run, which
 * names its PSV entries and their digest; potential matches wait for a
 * coordinator to confirm (the provider becomes excluded) or clear them.
 * A cleared match stays cleared for that provider and that list entry (its
 * identity); so does a confirmed match an admin reinstated.
 *
 * Strings passed in are borrowed.  Nothing returned needs freeing unless
 * said.
 */
#ifndef CTP_SCREEN_H
#define CTP_SCREEN_H

#include <stddef.h>

#include "auth.h"
#include "err.h"
#include "out.h"
#include "progress.h"

#define CTP_SRC_LEIE "OIG LEIE"
#define CTP_SRC_SAM "SAM"

enum ctp_list_kind {
	CTP_LIST_LEIE,		/* UPDATED.csv: the full LEIE */
	CTP_LIST_LEIE_SUPP,	/* monthly supplement: new exclusions */
	CTP_LIST_LEIE_REIN,	/* monthly supplement: reinstatements */
	CTP_LIST_SAM,		/* SAM public extract: ZIP or CSV */
	CTP_LIST_CUSTOM		/* any CSV with a mapping file */
};

struct ctp_load {
	enum ctp_list_kind kind;
	const char *path;		/* the file */
	const char *file_name;		/* kept name; NULL: path's base */
	const char *list;		/* CTP_LIST_CUSTOM: the list's name */
	const char *map;		/* CTP_LIST_CUSTOM: mapping file */
	int force;			/* accept a list that shrank */
	const char *url;		/* fetch: where it came from */
	const char *etag;		/* fetch: remembered for next time */
	const char *last_modified;
	const char *sha256;		/* the file's, when known; NULL: read */
	/* out */
	long long version_id;
	long long rows;
	int unchanged;			/* same SHA-256 as in force */
	int shrunk;			/* shrank past list_shrink_max */
	long long rows_in_force;	/* when shrunk */
};

/*
 * Parse and load.  Bad data (header, field count, quoting, dates, a
 * field's value, a ZIP without a CSV or past its expansion limit):
 * CTP_DATAERR naming file and line; nothing changes.  A full list that
 * shrank past list_shrink_max: CTP_DATAERR with shrunk set, and audit
 * event "screen.load.refused", unless force.  Audit event "screen.load".
 */
int	ctp_screen_load(struct ctp_ctx *c, struct ctp_load *l,
	    struct ctp_error *e);

/* Remembered download state of a source's current version (new strings,
 * NULL when none). */
int	ctp_screen_remembered(struct ctp_ctx *c, const char *source,
	    char **etag, char **last_modified, struct ctp_error *e);

struct ctp_screen_cache;

struct ctp_fetch_opts {
	const char *leie_url;		/* NULL: setting leie_url */
	const char *sam_url;		/* NULL: setting sam_url */
	const char *sam_key;	/* NULL: $CTP_SAM_API_KEY, setting */
	int force;
	long timeout;			/* seconds, 0 default */
	int retries;			/* -1 default */
	struct ctp_progress progress;	/* each download's bytes */
	/*
	 * The download cache (screen_cache.h) shared by the organizations
	 * of one run; NULL: one of the call's own.
	 */
	struct ctp_screen_cache *cache;
};

/* What fetch did with one list. */
struct ctp_fetch_list {
	const char *what;		/* "leie", "sam" */
	int tried;			/* it has a URL */
	int rc;				/* 0, or its failure (e) */
	struct ctp_error e;
	int not_modified;		/* HTTP 304, and held: skipped */
	int unchanged;			/* the same SHA-256 as in force */
	long long rows;			/* the rows of the list loaded */
};

struct ctp_fetch_result {
	struct ctp_fetch_list leie, sam;
};

/*
 * Download both lists into the cache (screen_cache.h; each at most once
 * for o->cache's run) and load them, into r.  Each list is independent: a
 * failure of one leaves its previous version in force, and is in its
 * struct ctp_fetch_list (CTP_UNAVAILABLE, or CTP_DATAERR for a list
 * refused because it shrank); an unchanged list (304 or same SHA-256) is
 * not loaded again.  Returns 0, or the first failure, in e too (the
 * lists' failures are in r, a failure before either list only in e).
 */
int	ctp_screen_fetch(struct ctp_ctx *c, const struct ctp_fetch_opts *o,
	    struct ctp_fetch_result *r, struct ctp_error *e);

/* The loaded versions (ctp_screen_lists_columns). */
int	ctp_screen_lists(struct ctp_ctx *c, int all, struct ctp_out *o,
	    struct ctp_error *e);
extern const struct ctp_col ctp_screen_lists_columns[];
#define CTP_SCREEN_LISTS_NCOLUMNS 9

struct ctp_screen_result {
	long long run_id;
	long long providers;
	long long clear;		/* providers clear on every list */
	long long potential;		/* with a potential match */
	long long insufficient;		/* providers only insufficient */
	long long new_matches;		/* raised for the first time */
	long long pending;		/* this run's, awaiting review */
	long long examined;		/* candidate pairs judged */
};

/*
 * Screen the providers with these NPIs (n > 0), or the whole roster but
 * inactive providers (n == 0), as of day as_of.  An NPI not on the roster:
 * CTP_DATAERR before anything is written.  Prints each match needing a
 * person (pending or insufficient data) to o (ctp_screen_match_columns).
 * No lists loaded: CTP_NOINPUT.
 */
int	ctp_screen_run(struct ctp_ctx *c, const char *const *npis, size_t n,
	    long as_of, struct ctp_out *o, struct ctp_screen_result *r,
	    struct ctp_error *e);
/*
 * The same; with sh (a run across clients), the index of the lists is
 * shared: when *sh is NULL the run leaves its index there for the next
 * organizations, and when not it uses *sh's if this organization holds
 * the same lists and nickname pairs (screen_shared.c).  The caller frees
 * *sh with ctp_screen_shared_free.
 */
struct ctp_screen_shared;
int	ctp_screen_run_shared(struct ctp_ctx *c, struct ctp_screen_shared **sh,
	    const char *const *npis, size_t n, long as_of, struct ctp_out *o,
	    struct ctp_screen_result *r, struct ctp_error *e);
void	ctp_screen_shared_free(struct ctp_screen_shared *sh);

/*
 * The nickname table the rules use: the shipped one (nickname.h,
 * ctp_nicknames_path) and the organization's own pairs (table
 * screen_nicknames), new in *nk (ctp_nicknames_free).
 */
struct ctp_nicknames;
int	ctp_screen_nicknames_load(struct sqlite3 *db,
	    struct ctp_nicknames **nk, struct ctp_error *e);
/* Add the organization's pair a, b (a coordinator; audit event
 * "screen.nickname"); CTP_DATAERR for a name with no letters or a pair
 * of one name. */
int	ctp_screen_nickname_add(struct ctp_ctx *c, const char *a,
	    const char *b, struct ctp_error *e);
/* The organization's pairs (ctp_screen_nicknames_columns). */
int	ctp_screen_nicknames_list(struct ctp_ctx *c, struct ctp_out *o,
	    struct ctp_error *e);
extern const struct ctp_col ctp_screen_nicknames_columns[];
#define CTP_SCREEN_NICKNAMES_NCOLUMNS 4

/* Matches, optionally with this status (pending, confirmed, cleared,
 * reinstated). */
int	ctp_screen_matches(struct ctp_ctx *c, const char *status,
	    struct ctp_out *o, struct ctp_error *e);
/* The matches of run run_id still pending. */
int	ctp_screen_run_matches(struct ctp_ctx *c, long long run_id,
	    struct ctp_out *o, struct ctp_error *e);
extern const struct ctp_col ctp_screen_match_columns[];
#define CTP_SCREEN_MATCH_NCOLUMNS 18

/*
 * Confirm (the provider's status becomes excluded, with history) or clear
 * one pending match, with a note.  Audit event "screen.review".
 */
int	ctp_screen_review(struct ctp_ctx *c, long long id, int confirm,
	    const char *note, struct ctp_error *e);

/*
 * Reinstate a confirmed match (ctp-screen review ID --reinstate): an
 * admin or owner (else CTP_NOPERM, audit-logged), a note required.  The
 * match becomes reinstated, so the same list entry, unchanged, is not
 * raised again; the provider's exclusion ends (ctp_status_set, status.h)
 * unless another confirmed match stands, whose id goes to *stays (else
 * 0).  Audit event "screen.review", decision "reinstated".
 */
int	ctp_screen_reinstate(struct ctp_ctx *c, long long id,
	    const char *note, long long *stays, struct ctp_error *e);

#endif
