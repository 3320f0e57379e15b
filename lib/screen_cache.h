/*
 * screen_cache.h - the exclusion lists downloaded once for every client
 * (ctp-screen fetch): each list's file is kept in the cache directory
 * (ctp_cache_dir, orgs.h) with its ETag, Last-Modified and SHA-256,
 * asked for again only conditionally, and downloaded at most once a run
 * however many organizations load it.
 *
 * The files of a URL are KEY.list and KEY.meta, KEY from the URL without
 * its api_key (a credential, never written anywhere).  A download goes
 * to a temporary file there and is renamed over the old one when
 * complete; the meta file names the SHA-256 of the list it describes,
 * so a meta file that does not match its list (two fetches at once) is
 * not used and the next request is unconditional.
 */
#ifndef CTP_SCREEN_CACHE_H
#define CTP_SCREEN_CACHE_H

#include "err.h"
#include "hash.h"
#include "screen.h"

/* One list in the cache, as this run found or fetched it. */
struct ctp_cached_list {
	char *path;			/* the list file */
	char *etag, *last_modified;	/* NULL when the server gave none */
	char *file_name;		/* Content-Disposition, or NULL */
	char sha256[CTP_SHA256_HEX];
	int not_modified;		/* the server said 304 */
};

struct ctp_screen_cache;

/* dir NULL: ctp_cache_dir; created (0700) when missing. */
int	ctp_screen_cache_new(struct ctp_screen_cache **, const char *dir,
	    struct ctp_error *e);
/* Free the run's state; a list distrusted is dropped from the cache. */
void	ctp_screen_cache_free(struct ctp_screen_cache *);

/*
 * The list at url (what: "leie", "sam", for messages), fetched with o's
 * timeout and retries the first time this run asks for it (conditional
 * when the cache holds it), the same answer after: *out the cache's,
 * valid until ctp_screen_cache_free.  A failure (CTP_UNAVAILABLE,
 * CTP_CANTCREAT) is given to every caller asking for that url.
 */
int	ctp_screen_cache_get(struct ctp_screen_cache *, const char *url,
	    const char *what, const struct ctp_fetch_opts *o,
	    const struct ctp_cached_list **out, struct ctp_error *e);
/*
 * The list at url was refused or taken though it shrank: it may be a cut
 * download, so the next run asks for the whole list again.
 */
void	ctp_screen_cache_distrust(struct ctp_screen_cache *, const char *url);

#endif
