/*
 * screen_fetch.c - downloading the LEIE and the SAM extract into the
 * list cache (screen_cache.h) and loading them (ctp_screen_fetch,
 * screen.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "fetch.h"
#include "mem.h"
#include "org.h"
#include "priv.h"
#include "screen.h"
#include "screen_cache.h"

int
ctp_screen_remembered(struct ctp_ctx *c, const char *source, char **etag,
    char **last_modified, struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	*etag = *last_modified = NULL;
	if (ctp_db_prepare(c->db, &st, "SELECT etag, last_modified FROM "
	    "screen_lists WHERE source = ?1 AND active = 1 AND kind IN "
	    "('leie','sam') ORDER BY id DESC LIMIT 1", e))
		return e->code;
	ctp_bind_text(st, 1, source);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_NULL)
			*etag = ctp_strdup(ctp_col_text(st, 0));
		if (sqlite3_column_type(st, 1) != SQLITE_NULL)
			*last_modified = ctp_strdup(ctp_col_text(st, 1));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(c->db, rc, "screen lists", e);
	return 0;
}

/*
 * One list from the cache (fetched there at most once a run) loaded
 * into c's organization; what happened in r.  An organization that holds
 * that version already is skipped (unchanged; not_modified too when the
 * server said 304).
 */
static int
fetch_one(struct ctp_ctx *c, const struct ctp_fetch_opts *o,
    enum ctp_list_kind kind, const char *url, struct ctp_fetch_list *r)
{
	struct ctp_error *e = &r->e;
	const struct ctp_cached_list *cl;
	struct ctp_load l;
	char *base;
	int in, rc;

	if ((rc = ctp_screen_cache_get(o->cache, url, r->what, o, &cl,
	    e)) != 0)
		return rc;
	memset(&l, 0, sizeof(l));
	l.kind = kind;
	l.path = cl->path;
	l.sha256 = cl->sha256;
	/* The URL's last part without a query: never the API key. */
	if ((base = ctp_strndup(url, strcspn(url, "?#"))) == NULL)
		return ctp_err_nomem(e, r->what);
	l.file_name = cl->file_name ? cl->file_name : strrchr(base, '/') ?
	    strrchr(base, '/') + 1 : base;
	l.force = o->force;
	l.url = base;
	l.etag = cl->etag;
	l.last_modified = cl->last_modified;
	/* In a team install the cache is the team's (priv.h). */
	in = ctp_priv_enter(l.path);
	rc = ctp_screen_load(c, &l, e);
	ctp_priv_leave(in);
	r->unchanged = l.unchanged;
	r->not_modified = l.unchanged && cl->not_modified;
	r->rows = l.rows;
	free(base);
	/* A list refused, or taken though it shrank, may be cut short. */
	if (rc != 0 || l.shrunk)
		ctp_screen_cache_distrust(o->cache, url);
	if (rc != 0) {
		/*
		 * A bad download is the remote source being unavailable; a
		 * list that shrank is for a person to judge (--force).
		 */
		char w[sizeof(e->what)];

		snprintf(w, sizeof(w), "%s", e->what);
		rc = l.shrunk && !l.force ? CTP_DATAERR : CTP_UNAVAILABLE;
		ctp_errf(e, rc, r->what, "downloaded file refused, previous "
		    "list kept: %s", w);
	}
	return rc;
}

static int fetch_lists(struct ctp_ctx *, const struct ctp_fetch_opts *,
    struct ctp_fetch_result *, struct ctp_error *);

int
ctp_screen_fetch(struct ctp_ctx *c, const struct ctp_fetch_opts *o,
    struct ctp_fetch_result *r, struct ctp_error *e)
{
	struct ctp_fetch_opts own;
	int rc;

	if (o->cache != NULL)
		return fetch_lists(c, o, r, e);
	memset(r, 0, sizeof(*r));
	own = *o;
	if ((rc = ctp_screen_cache_new(&own.cache, NULL, e)) != 0)
		return rc;
	rc = fetch_lists(c, &own, r, e);
	ctp_screen_cache_free(own.cache);
	return rc;
}

static int
fetch_lists(struct ctp_ctx *c, const struct ctp_fetch_opts *o,
    struct ctp_fetch_result *r, struct ctp_error *e)
{
	char *leie = NULL, *sam = NULL, *key = NULL, *url = NULL;
	const char *k;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	r->leie.what = "leie";
	r->sam.what = "sam";
	if (o->leie_url)
		leie = ctp_strdup(o->leie_url);
	else if (ctp_org_get(c->db, "leie_url", &leie, e))
		return e->code;
	if (o->sam_url)
		sam = ctp_strdup(o->sam_url);
	else if (ctp_org_get(c->db, "sam_url", &sam, e)) {
		free(leie);
		return e->code;
	}
	if ((k = o->sam_key) == NULL || *k == '\0')
		k = ctp_env("CTP_SAM_API_KEY");
	if (k && *k)
		key = ctp_strdup(k);
	else if (ctp_org_get(c->db, "sam_api_key", &key, e)) {
		free(leie);
		free(sam);
		return e->code;
	}
	if (leie == NULL || sam == NULL || key == NULL) {
		rc = ctp_err_nomem(e, "fetch");
		goto out;
	}
	if ((r->leie.tried = *leie != '\0'))
		r->leie.rc = fetch_one(c, o, CTP_LIST_LEIE, leie, &r->leie);
	if ((r->sam.tried = *sam != '\0')) {
		if (*key == '\0') {
			r->sam.rc = ctp_errf(&r->sam.e, CTP_UNAVAILABLE, "sam",
			    "no API key: set CTP_SAM_API_KEY or ctp-org set "
			    "sam_api_key");
		} else {
			url = ctp_asprintf("%s%sapi_key=%s%s", sam,
			    strchr(sam, '?') ? "&" : "?", key, strstr(sam,
			    "fileName=") || strstr(sam, "fileType=") ? "" :
			    "&fileType=EXCLUSION");
			r->sam.rc = url ? fetch_one(c, o, CTP_LIST_SAM, url,
			    &r->sam) : ctp_err_nomem(&r->sam.e, "sam");
		}
	}
	/* The first failure is the result. */
	if (r->leie.rc != 0) {
		*e = r->leie.e;
		rc = r->leie.rc;
	} else if (r->sam.rc != 0) {
		*e = r->sam.e;
		rc = r->sam.rc;
	}
out:
	free(url);
	free(leie);
	free(sam);
	free(key);
	return rc;
}
