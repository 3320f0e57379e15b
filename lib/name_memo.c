/*
 * name_memo.c - names' keys remembered (name_memo.h).  An open-addressing
 * table of 64-bit FNV-1a hashes of (kind, name), each slot pointing into
 * one arena that holds the name and its answer: the return value and the
 * keys, each NUL-ended.  No allocation per name but the arena's growth.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mem.h"
#include "name_memo.h"

struct slot {
	uint64_t h;
	uint32_t off;		/* of kind, name, answer in the arena; 0: empty */
};

struct ctp_name_memo {
	struct slot *slot;
	size_t cap, n;		/* cap a power of two */
	struct ctp_buf arena;
	int full;		/* out of memory: remember no more */
};

struct ctp_name_memo *
ctp_name_memo_new(void)
{
	struct ctp_name_memo *m;

	if ((m = ctp_calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->cap = 1 << 12;
	if ((m->slot = ctp_calloc(m->cap, sizeof(*m->slot))) == NULL ||
	    ctp_buf_putc(&m->arena, 0) < 0) {	/* offset 0: empty */
		ctp_name_memo_free(m);
		return NULL;
	}
	return m;
}

void
ctp_name_memo_free(struct ctp_name_memo *m)
{
	if (m == NULL)
		return;
	free(m->slot);
	ctp_buf_free(&m->arena);
	free(m);
}

static uint64_t
hash(char kind, const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	h = (h ^ (unsigned char)kind) * 1099511628211ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The answer kept for (kind, s): its return value at *rc, its keys
 * after; NULL when not kept.  *at: the slot to fill. */
static const char *
find(const struct ctp_name_memo *m, char kind, const char *s, uint64_t h,
    size_t *at)
{
	size_t i = (size_t)h & (m->cap - 1);
	const char *p;

	for (; m->slot[i].off; i = (i + 1) & (m->cap - 1)) {
		p = m->arena.s + m->slot[i].off;
		if (m->slot[i].h == h && p[0] == kind &&
		    strcmp(p + 1, s) == 0)
			return p + 1 + strlen(p + 1) + 1;
	}
	*at = i;
	return NULL;
}

static int
grow(struct ctp_name_memo *m)
{
	struct slot *ns;
	size_t cap = m->cap * 2, i, j;

	if ((ns = ctp_calloc(cap, sizeof(*ns))) == NULL)
		return -1;
	for (i = 0; i < m->cap; i++) {
		if (!m->slot[i].off)
			continue;
		for (j = (size_t)m->slot[i].h & (cap - 1); ns[j].off;
		    j = (j + 1) & (cap - 1))
			;
		ns[j] = m->slot[i];
	}
	free(m->slot);
	m->slot = ns;
	m->cap = cap;
	return 0;
}

/* Keep (kind, s) -> rc and its nk keys; on failure, remember no more. */
static void
keep(struct ctp_name_memo *m, char kind, const char *s, uint64_t h,
    size_t at, int rc, char keys[][CTP_NAME_KEY], int nk)
{
	size_t off = m->arena.len, len0 = m->arena.len;
	unsigned char r = (unsigned char)(rc + 1);	/* -1 .. 4 */
	int i;

	if (off > UINT32_MAX / 2 || ctp_buf_putc(&m->arena, kind) < 0 ||
	    ctp_buf_add(&m->arena, s, strlen(s) + 1) < 0 ||
	    ctp_buf_putc(&m->arena, r) < 0)
		goto full;
	for (i = 0; i < nk; i++)
		if (ctp_buf_add(&m->arena, keys[i], strlen(keys[i]) + 1) < 0)
			goto full;
	m->slot[at].h = h;
	m->slot[at].off = (uint32_t)off;
	if (++m->n * 2 > m->cap && grow(m) < 0)
		m->full = 1;
	return;
full:
	m->arena.len = len0;
	m->full = 1;
}

/* The answer p (find's): its return value, its keys into keys. */
static int
answer(const char *p, char keys[][CTP_NAME_KEY], int maxk)
{
	int rc = (unsigned char)p[0] - 1, i, nk = rc < 0 ? 0 : rc;
	size_t l;

	p++;
	for (i = 0; i < nk && i < maxk; i++) {
		l = strlen(p);
		memcpy(keys[i], p, l + 1);
		p += l + 1;
	}
	return rc;
}

int
ctp_name_memo_last_keys(struct ctp_name_memo *m, const char *last,
    char keys[CTP_NAME_MAXKEYS][CTP_NAME_KEY])
{
	const char *p;
	uint64_t h;
	size_t at = 0;
	int k;

	if (m == NULL || last == NULL || m->full)
		return ctp_name_last_keys(last, keys);
	h = hash('L', last);
	if ((p = find(m, 'L', last, h, &at)) != NULL)
		return answer(p, keys, CTP_NAME_MAXKEYS);
	k = ctp_name_last_keys(last, keys);
	keep(m, 'L', last, h, at, k, keys, k);
	return k;
}

int
ctp_name_memo_first_key(struct ctp_name_memo *m, const char *first,
    char key[CTP_NAME_KEY])
{
	char keys[1][CTP_NAME_KEY];
	const char *p;
	uint64_t h;
	size_t at = 0;
	int rc;

	if (m == NULL || first == NULL || m->full)
		return ctp_name_first_key(first, key);
	h = hash('F', first);
	if ((p = find(m, 'F', first, h, &at)) != NULL) {
		/* Kept as one key, whatever the return value. */
		rc = (unsigned char)p[0] - 1;
		p++;
		memcpy(key, p, strlen(p) + 1);
		return rc;
	}
	rc = ctp_name_first_key(first, keys[0]);
	memcpy(key, keys[0], strlen(keys[0]) + 1);
	keep(m, 'F', first, h, at, rc, keys, 1);
	return rc;
}
