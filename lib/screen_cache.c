/*
 * screen_cache.c - the exclusion lists' download cache shared by every
 * organization (screen_cache.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "fetch.h"
#include "mem.h"
#include "orgs.h"
#include "priv.h"
#include "screen_cache.h"

/* One URL asked for this run. */
struct entry {
	char *url;			/* as asked, key included */
	char *key;			/* file names' stem */
	int rc;				/* the download's failure, or 0 */
	struct ctp_error e;
	int distrust;
	struct ctp_cached_list l;
};

struct ctp_screen_cache {
	char *dir;
	struct entry *v;
	size_t n;
};

int
ctp_screen_cache_new(struct ctp_screen_cache **out, const char *dir,
    struct ctp_error *e)
{
	struct ctp_screen_cache *c;
	int in, made, rc;

	*out = NULL;
	if ((c = ctp_calloc(1, sizeof(*c))) == NULL)
		return ctp_err_nomem(e, "cache");
	if (dir != NULL)
		c->dir = ctp_strdup(dir);
	else if ((rc = ctp_cache_dir(&c->dir, e)) != 0) {
		free(c);
		return rc;
	}
	if (c->dir == NULL) {
		free(c);
		return ctp_err_nomem(e, "cache");
	}
	/* A team's cache is only reached with its group (priv.h). */
	in = ctp_priv_enter(c->dir);
	made = ctp_mkdirs(c->dir);
	ctp_priv_leave(in);
	if (made != 0) {
		rc = ctp_errf(e, CTP_CANTCREAT, c->dir, "cannot create the "
		    "list cache: %s", strerror(errno));
		free(c->dir);
		free(c);
		return rc;
	}
	*out = c;
	return 0;
}

static char *
file_of(const struct ctp_screen_cache *c, const struct entry *x,
    const char *ext)
{
	return ctp_asprintf("%s/%s.%s", c->dir, x->key, ext);
}

void
ctp_screen_cache_free(struct ctp_screen_cache *c)
{
	struct entry *x;
	char *meta;
	size_t i;
	int in;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++) {
		x = &c->v[i];
		/* Without its meta file, the next request is unconditional. */
		if (x->distrust && (meta = file_of(c, x, "meta")) != NULL) {
			in = ctp_priv_enter(meta);
			unlink(meta);
			ctp_priv_leave(in);
			free(meta);
		}
		free(x->url);
		free(x->key);
		free(x->l.path);
		free(x->l.etag);
		free(x->l.last_modified);
		free(x->l.file_name);
	}
	free(c->v);
	free(c->dir);
	free(c);
}

/*
 * The stem of a URL's files: the SHA-256 of the URL without the value of
 * its api_key (SAM's key is a credential, and the same file whoever
 * asks for it), its first 32 hex digits.
 */
static char *
url_key(const char *url)
{
	char hex[CTP_SHA256_HEX], *s, *k, *end;

	if ((s = ctp_strdup(url)) == NULL)
		return NULL;
	if ((k = strstr(s, "api_key=")) != NULL) {
		k += 8;
		end = k + strcspn(k, "&#");
		memmove(k, end, strlen(end) + 1);
	}
	ctp_sha256_hex(s, strlen(s), hex);
	free(s);
	return ctp_strndup(hex, 32);
}

static char *
json_str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v ? ctp_strdup(v) : NULL;
}

/*
 * What the cache holds of x, when its meta file matches its list file:
 * x->l's path, ETag, Last-Modified, file name and SHA-256.  0 when it
 * holds nothing usable.
 */
static int
cached(const struct ctp_screen_cache *c, struct entry *x)
{
	char *meta = file_of(c, x, "meta"), sha[CTP_SHA256_HEX];
	const char *want;
	struct ctp_error le;
	long long size;
	json_t *j = NULL;
	int ok = 0;

	if (meta == NULL || (j = json_load_file(meta, 0, NULL)) == NULL ||
	    (want = json_string_value(json_object_get(j, "sha256"))) == NULL ||
	    ctp_sha256_file(x->l.path, sha, &size, &le) != 0 ||
	    strcmp(sha, want) != 0)
		goto out;
	memcpy(x->l.sha256, sha, sizeof(sha));
	x->l.etag = json_str(j, "etag");
	x->l.last_modified = json_str(j, "last_modified");
	x->l.file_name = json_str(j, "file_name");
	ok = 1;
out:
	json_decref(j);
	free(meta);
	return ok;
}

/* x's meta file, written whole then renamed into place. */
static int
write_meta(const struct ctp_screen_cache *c, const struct entry *x,
    struct ctp_error *e)
{
	char *meta = file_of(c, x, "meta"), *tmp = NULL;
	json_t *j;
	int rc = 0;

	j = json_pack("{s:s, s:s?, s:s?, s:s?}", "sha256", x->l.sha256, "etag",
	    x->l.etag, "last_modified", x->l.last_modified, "file_name",
	    x->l.file_name);
	if (meta == NULL || j == NULL ||
	    (tmp = ctp_asprintf("%s.tmp", meta)) == NULL)
		rc = ctp_err_nomem(e, "cache");
	else if (json_dump_file(j, tmp, JSON_COMPACT) != 0 ||
	    (ctp_priv_team_path(c->dir) && chmod(tmp, 0660) != 0) ||
	    rename(tmp, meta) != 0) {
		rc = ctp_errf(e, CTP_CANTCREAT, meta, "cannot write: %s",
		    strerror(errno));
		unlink(tmp);
	}
	json_decref(j);
	free(meta);
	free(tmp);
	return rc;
}

/* Download x into the cache (conditionally when it holds x). */
static int
download(struct ctp_screen_cache *c, struct entry *x, const char *what,
    const struct ctp_fetch_opts *o, struct ctp_error *e)
{
	struct ctp_fetch f;
	char *tmp;
	long long size;
	int fd, rc, have = cached(c, x);

	if ((tmp = ctp_asprintf("%s/%s.XXXXXX", c->dir, x->key)) == NULL)
		return ctp_err_nomem(e, what);
	if ((fd = mkstemp(tmp)) < 0) {
		rc = ctp_errf(e, CTP_CANTCREAT, what, "cannot create a file "
		    "in the list cache: %s", strerror(errno));
		free(tmp);
		return rc;
	}
	/* A team's cache: every member's runs read it (priv.h). */
	if (ctp_priv_team_path(c->dir))
		(void)fchmod(fd, 0660);
	close(fd);
	memset(&f, 0, sizeof(f));
	f.url = x->url;
	f.dest = tmp;
	f.what = what;
	f.etag = have ? x->l.etag : NULL;
	f.last_modified = have ? x->l.last_modified : NULL;
	f.timeout = o->timeout;
	f.retries = o->retries;
	f.progress = &o->progress;
	if ((rc = ctp_fetch_file(&f, e)) != 0 ||
	    (x->l.not_modified = f.not_modified) != 0)
		goto out;
	if (rename(tmp, x->l.path) != 0) {
		rc = ctp_errf(e, CTP_CANTCREAT, x->l.path, "cannot write: %s",
		    strerror(errno));
		goto out;
	}
	free(x->l.etag);
	free(x->l.last_modified);
	free(x->l.file_name);
	x->l.etag = f.new_etag;
	x->l.last_modified = f.new_last_modified;
	x->l.file_name = f.file_name;
	f.new_etag = f.new_last_modified = f.file_name = NULL;
	if ((rc = ctp_sha256_file(x->l.path, x->l.sha256, &size, e)) == 0)
		rc = write_meta(c, x, e);
out:
	ctp_fetch_clear(&f);
	unlink(tmp);
	free(tmp);
	return rc;
}

static struct entry *
find(struct ctp_screen_cache *c, const char *url)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->v[i].url, url) == 0)
			return &c->v[i];
	return NULL;
}

int
ctp_screen_cache_get(struct ctp_screen_cache *c, const char *url,
    const char *what, const struct ctp_fetch_opts *o,
    const struct ctp_cached_list **out, struct ctp_error *e)
{
	struct entry *x, *v;
	int in;

	*out = NULL;
	if ((x = find(c, url)) == NULL) {
		if ((v = ctp_realloc(c->v, (c->n + 1) * sizeof(*v))) == NULL)
			return ctp_err_nomem(e, what);
		c->v = v;
		x = &c->v[c->n];
		memset(x, 0, sizeof(*x));
		if ((x->url = ctp_strdup(url)) == NULL ||
		    (x->key = url_key(url)) == NULL ||
		    (x->l.path = file_of(c, x, "list")) == NULL) {
			free(x->url);
			free(x->key);
			return ctp_err_nomem(e, what);
		}
		c->n++;
		ctp_error_clear(&x->e);
		/* A team's cache is reached with its group (priv.h). */
		in = ctp_priv_enter(c->dir);
		x->rc = download(c, x, what, o, &x->e);
		ctp_priv_leave(in);
	}
	if (x->rc != 0) {
		*e = x->e;
		return x->rc;
	}
	*out = &x->l;
	return 0;
}

void
ctp_screen_cache_distrust(struct ctp_screen_cache *c, const char *url)
{
	struct entry *x = find(c, url);

	if (x != NULL)
		x->distrust = 1;
}
