/*
 * nickname.c - the nickname table (nickname.h): a hash table from a
 * first-name key to the numbers of the groups that hold it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "priv.h"
#include "mem.h"
#include "names.h"
#include "nickname.h"

#ifndef CTP_SHAREDIR
#define CTP_SHAREDIR "/usr/local/share/ctp"
#endif
#ifndef CTP_SRCSHARE
#define CTP_SRCSHARE "share/ctp"
#endif

struct nkname {
	char *key;
	unsigned *ids;
	size_t nids, cap;
};

struct ctp_nicknames {
	struct nkname *slot;
	size_t nslot;		/* a power of two */
	size_t nnames;
	unsigned ngroups;
};

static size_t
hash(const char *s)
{
	size_t h = 1469598103934665603ULL & (size_t)-1;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * (size_t)1099511628211ULL;
	return h;
}

static struct nkname *
lookup(const struct ctp_nicknames *nk, const char *key)
{
	size_t i = hash(key) & (nk->nslot - 1);

	while (nk->slot[i].key != NULL) {
		if (strcmp(nk->slot[i].key, key) == 0)
			return &nk->slot[i];
		i = (i + 1) & (nk->nslot - 1);
	}
	return &nk->slot[i];
}

static int
grow(struct ctp_nicknames *nk)
{
	struct nkname *old = nk->slot, *to;
	size_t n = nk->nslot, i;

	nk->nslot = n ? n * 2 : 1024;
	if ((nk->slot = ctp_calloc(nk->nslot, sizeof(*nk->slot))) == NULL) {
		nk->slot = old;
		nk->nslot = n;
		return -1;
	}
	for (i = 0; i < n; i++)
		if (old[i].key != NULL) {
			to = lookup(nk, old[i].key);
			*to = old[i];
		}
	free(old);
	return 0;
}

int
ctp_nicknames_new(struct ctp_nicknames **nk, struct ctp_error *e)
{
	if ((*nk = ctp_calloc(1, sizeof(**nk))) == NULL || grow(*nk) < 0) {
		free(*nk);
		*nk = NULL;
		return ctp_err_nomem(e, "nicknames");
	}
	return 0;
}

void
ctp_nicknames_free(struct ctp_nicknames *nk)
{
	size_t i;

	if (nk == NULL)
		return;
	for (i = 0; i < nk->nslot; i++) {
		free(nk->slot[i].key);
		free(nk->slot[i].ids);
	}
	free(nk->slot);
	free(nk);
}

/* Name (any case, accents) into group gid; 0, or -1 out of memory. */
static int
put(struct ctp_nicknames *nk, const char *name, unsigned gid)
{
	char key[CTP_NAME_KEY];
	struct nkname *x;
	unsigned *ids;

	if (ctp_name_first_key(name, key) != 0)
		return 0;
	if ((nk->nnames + 1) * 2 > nk->nslot && grow(nk) < 0)
		return -1;
	x = lookup(nk, key);
	if (x->key == NULL) {
		if ((x->key = ctp_strdup(key)) == NULL)
			return -1;
		nk->nnames++;
	}
	if (x->nids > 0 && x->ids[x->nids - 1] == gid)
		return 0;
	if (x->nids == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 2;
		if ((ids = ctp_realloc(x->ids, x->cap * sizeof(*ids))) == NULL)
			return -1;
		x->ids = ids;
	}
	x->ids[x->nids++] = gid;
	return 0;
}

int
ctp_nicknames_add(struct ctp_nicknames *nk, const char *a, const char *b,
    struct ctp_error *e)
{
	unsigned gid = nk->ngroups++;

	if (put(nk, a, gid) < 0 || put(nk, b, gid) < 0)
		return ctp_err_nomem(e, "nicknames");
	return 0;
}

/* One line of the file: its names, comma-separated, a group. */
static int
read_line(struct ctp_nicknames *nk, char *line)
{
	unsigned gid = nk->ngroups++;
	char *tok, *save = NULL;
	int n = 0;

	for (tok = strtok_r(line, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (put(nk, tok, gid) < 0)
			return -1;
		n++;
	}
	return n;
}

int
ctp_nicknames_read(struct ctp_nicknames *nk, const char *path,
    struct ctp_error *e)
{
	char line[1024], where[600];
	size_t lineno = 0, len;
	FILE *f;
	int n;

	if ((f = fopen(path, "r")) == NULL)
		return ctp_errf(e, CTP_NOINPUT, path, "cannot open: %s",
		    strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		snprintf(where, sizeof(where), "%s:%zu", path, lineno);
		len = strlen(line);
		if (len == sizeof(line) - 1 && line[len - 1] != '\n') {
			fclose(f);
			return ctp_errf(e, CTP_DATAERR, where, "line too long");
		}
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[strspn(line, " \t")] == '\0')
			continue;
		if ((n = read_line(nk, line)) < 0) {
			fclose(f);
			return ctp_err_nomem(e, "nicknames");
		}
		if (n < 2) {
			fclose(f);
			return ctp_errf(e, CTP_DATAERR, where, "a group needs "
			    "two names or more");
		}
	}
	n = ferror(f);
	fclose(f);
	if (n)
		return ctp_errf(e, CTP_IOERR, path, "read error");
	return 0;
}

const char *
ctp_nicknames_path(void)
{
	static char path[4096];
	const char *dir = ctp_env("CTP_SHAREDIR");

	if (dir != NULL && *dir != '\0') {
		snprintf(path, sizeof(path), "%s/nicknames.csv", dir);
		return path;
	}
	snprintf(path, sizeof(path), "%s/nicknames.csv", CTP_SHAREDIR);
	if (access(path, R_OK) == 0)
		return path;
	snprintf(path, sizeof(path), "%s/nicknames.csv", CTP_SRCSHARE);
	if (access(path, R_OK) == 0)
		return path;
	snprintf(path, sizeof(path), "%s/nicknames.csv", CTP_SHAREDIR);
	return path;
}

size_t
ctp_nicknames_groups(const struct ctp_nicknames *nk, const char *a,
    const unsigned **ids)
{
	const struct nkname *x;

	*ids = NULL;
	if (nk == NULL || *a == '\0')
		return 0;
	x = lookup(nk, a);
	if (x->key == NULL)
		return 0;
	*ids = x->ids;
	return x->nids;
}

int
ctp_nicknames_same(const struct ctp_nicknames *nk, const char *a,
    const char *b)
{
	const unsigned *x, *y;
	size_t nx, ny, i = 0, j = 0;

	if (strcmp(a, b) == 0)
		return 0;
	nx = ctp_nicknames_groups(nk, a, &x);
	ny = ctp_nicknames_groups(nk, b, &y);
	while (i < nx && j < ny) {
		if (x[i] == y[j])
			return 1;
		if (x[i] < y[j])
			i++;
		else
			j++;
	}
	return 0;
}

void
ctp_nicknames_count(const struct ctp_nicknames *nk, size_t *groups,
    size_t *names)
{
	*groups = nk->ngroups;
	*names = nk->nnames;
}
