/*
 * npi_cache.c - the registry's answers of one run (npi_cache.h): an
 * open-addressing table keyed by the API address and the NPI, grown to
 * stay under half full.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "npi_cache.h"

struct slot {
	char *key;		/* "API\nNPI"; NULL: empty */
	int found;
	struct ctp_npi_rec rec;
};

struct ctp_npi_cache {
	struct slot *v;
	size_t cap, n;		/* cap a power of two */
};

struct ctp_npi_cache *
ctp_npi_cache_new(void)
{
	struct ctp_npi_cache *c;

	if ((c = ctp_calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->cap = 64;
	if ((c->v = ctp_calloc(c->cap, sizeof(*c->v))) == NULL) {
		free(c);
		return NULL;
	}
	return c;
}

void
ctp_npi_cache_free(struct ctp_npi_cache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->cap; i++)
		if (c->v[i].key != NULL) {
			free(c->v[i].key);
			ctp_npi_rec_clear(&c->v[i].rec);
		}
	free(c->v);
	free(c);
}

/* FNV-1a of api, a newline, npi. */
static uint64_t
hash(const char *api, const char *npi)
{
	uint64_t h = 14695981039346656037ULL;
	const unsigned char *p;

	for (p = (const unsigned char *)api; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	h = (h ^ '\n') * 1099511628211ULL;
	for (p = (const unsigned char *)npi; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h;
}

static int
same(const char *key, const char *api, const char *npi)
{
	size_t n = strlen(api);

	return strncmp(key, api, n) == 0 && key[n] == '\n' &&
	    strcmp(key + n + 1, npi) == 0;
}

/* The slot of (api, npi) in v (cap slots): its own, or the empty one. */
static struct slot *
probe(struct slot *v, size_t cap, const char *api, const char *npi)
{
	size_t i = (size_t)hash(api, npi) & (cap - 1);

	while (v[i].key != NULL && !same(v[i].key, api, npi))
		i = (i + 1) & (cap - 1);
	return &v[i];
}

static int
copy_rec(struct ctp_npi_rec *dst, const struct ctp_npi_rec *src)
{
	int k;

	for (k = 0; k < CTP_NPI_NFIELDS; k++)
		if (ctp_npi_rec_set(dst, k, src ? src->f[k] : NULL) < 0)
			return -1;
	return 0;
}

int
ctp_npi_cache_get(const struct ctp_npi_cache *c, const char *api,
    const char *npi, int *found, struct ctp_npi_rec *rec)
{
	const struct slot *s = probe(c->v, c->cap, api, npi);

	ctp_npi_rec_clear(rec);
	if (s->key == NULL)
		return 0;
	*found = s->found;
	return copy_rec(rec, s->found ? &s->rec : NULL) < 0 ? -1 : 1;
}

static int
grow(struct ctp_npi_cache *c)
{
	struct slot *v, *d;
	size_t i, cap = c->cap * 2, n;

	if ((v = ctp_calloc(cap, sizeof(*v))) == NULL)
		return -1;
	for (i = 0; i < c->cap; i++) {
		if (c->v[i].key == NULL)
			continue;
		n = strcspn(c->v[i].key, "\n");
		c->v[i].key[n] = '\0';	/* api, then npi after it */
		d = probe(v, cap, c->v[i].key, c->v[i].key + n + 1);
		c->v[i].key[n] = '\n';
		*d = c->v[i];
	}
	free(c->v);
	c->v = v;
	c->cap = cap;
	return 0;
}

int
ctp_npi_cache_put(struct ctp_npi_cache *c, const char *api, const char *npi,
    int found, const struct ctp_npi_rec *rec)
{
	struct slot *s;

	if ((c->n + 1) * 2 > c->cap && grow(c) < 0)
		return -1;
	s = probe(c->v, c->cap, api, npi);
	if (s->key == NULL) {
		if ((s->key = ctp_asprintf("%s\n%s", api, npi)) == NULL)
			return -1;
		memset(&s->rec, 0, sizeof(s->rec));
		c->n++;
	}
	s->found = found;
	return copy_rec(&s->rec, found ? rec : NULL);
}
