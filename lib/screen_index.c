/*
 * screen_index.c - candidate entries by blocking keys (screen_index.h).
 *
 * Speed.  Judging every provider against every entry would be 23
 * billion pairs for 100,000 providers against 230,000 entries; the
 * blocking keys leave a handful per provider (scripts/bench/screen
 * prints how many).  The entries are read in one pass of one statement
 * into a single string arena (offsets, so it may grow), and each key is
 * a 64-bit FNV-1a hash; the (hash, entry) postings are laid out by a
 * counting sort on the hash's low bits, so that a lookup reads one short
 * run of an array, and the table costs two passes over the postings to
 * build, no per-key allocation.  A provider's keys are gathered first
 * and their buckets asked of memory all at once before they are read
 * (drain): the lookups are cache misses at random in tables of
 * megabytes.  A provider's candidates are deduplicated with a stamp per
 * entry rather than a set.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "mem.h"
#include "screen_index.h"

#define NSTR 12		/* strings kept of an entry */

struct ient {
	uint32_t off[NSTR];	/* into the arena */
	long long version;
};

struct ctp_screen_index {
	const struct ctp_nicknames *nick;
	char *arena;
	size_t used, cap;
	struct ient *ent;
	size_t nent, capent;
	/* postings: hash and entry, as built, then by bucket */
	uint64_t *ph;
	uint32_t *pi;
	size_t npost, cappost;
	uint32_t *start;	/* nbucket + 1 */
	size_t nbucket;
	uint32_t *seen, stamp;
	long long examined;
};

static uint64_t
token(char tag, const char *a, const char *b)
{
	uint64_t h = 14695981039346656037ULL;

	h = (h ^ (unsigned char)tag) * 1099511628211ULL;
	for (; *a; a++)
		h = (h ^ (unsigned char)*a) * 1099511628211ULL;
	h = (h ^ 0x1f) * 1099511628211ULL;
	for (; *b; b++)
		h = (h ^ (unsigned char)*b) * 1099511628211ULL;
	return h;
}

/* A last name with a nickname group's number. */
static uint64_t
group_token(const char *last, unsigned id)
{
	uint64_t h = token('G', last, "");
	int i;

	for (i = 0; i < 4; i++, id >>= 8)
		h = (h ^ (id & 0xff)) * 1099511628211ULL;
	return h;
}

/* The tokens of one name (first-name key, its groups, a middle name's
 * key) with each last-name key, to fn. */
static int
name_tokens(const struct ctp_nicknames *nick, const struct ctp_screen_name *n,
    const char *middle, int (*fn)(void *, uint64_t), void *arg)
{
	const unsigned *ids;
	size_t ng, g;
	int i, rc;

	ng = ctp_nicknames_groups(nick, n->first_key, &ids);
	for (i = 0; i < n->nkeys; i++) {
		if ((rc = fn(arg, token('L', n->last_keys[i],
		    n->first_key))) != 0)
			return rc;
		for (g = 0; g < ng; g++)
			if ((rc = fn(arg, group_token(n->last_keys[i],
			    ids[g]))) != 0)
				return rc;
		if (*middle && (rc = fn(arg, token('L', n->last_keys[i],
		    middle))) != 0)
			return rc;
	}
	return 0;
}

static int
add_posting(void *arg, uint64_t h)
{
	struct ctp_screen_index *ix = arg;
	size_t cap;
	uint64_t *ph;
	uint32_t *pi;

	if (ix->npost == ix->cappost) {
		cap = ix->cappost ? ix->cappost * 2 : 1 << 16;
		if ((ph = ctp_realloc(ix->ph, cap * sizeof(*ph))) == NULL)
			return -1;
		ix->ph = ph;
		if ((pi = ctp_realloc(ix->pi, cap * sizeof(*pi))) == NULL)
			return -1;
		ix->pi = pi;
		ix->cappost = cap;
	}
	ix->ph[ix->npost] = h;
	ix->pi[ix->npost++] = (uint32_t)(ix->nent - 1);
	return 0;
}

/* s, n bytes, into the arena: its offset, or UINT32_MAX out of memory. */
static uint32_t
keep(struct ctp_screen_index *ix, const char *s, size_t n)
{
	size_t cap;
	char *a;

	if (n == 0)
		return 0;		/* the arena starts with "" */
	if (ix->used + n + 1 > ix->cap) {
		cap = ix->cap ? ix->cap * 2 : 1 << 20;
		while (cap < ix->used + n + 1)
			cap *= 2;
		if (cap > UINT32_MAX || (a = ctp_realloc(ix->arena, cap)) ==
		    NULL)
			return UINT32_MAX;
		ix->arena = a;
		ix->cap = cap;
	}
	memcpy(ix->arena + ix->used, s, n);
	ix->arena[ix->used + n] = '\0';
	ix->used += n + 1;
	return (uint32_t)(ix->used - n - 1);
}

/* Entry i as the matcher reads it, its strings in the arena. */
static void
entry_at(const struct ctp_screen_index *ix, size_t i,
    struct ctp_screen_entry *en)
{
	const struct ient *x = &ix->ent[i];

	memset(en, 0, sizeof(*en));
	en->source = ix->arena + x->off[0];
	en->ident = ix->arena + x->off[1];
	en->last = ix->arena + x->off[2];
	en->first = ix->arena + x->off[3];
	en->middle = ix->arena + x->off[4];
	en->npi = ix->arena + x->off[5];
	en->dob = ix->arena + x->off[6];
	en->state = ix->arena + x->off[7];
	en->type = ix->arena + x->off[8];
	en->excl_date = ix->arena + x->off[9];
	en->rein_date = ix->arena + x->off[10];
	en->end_date = ix->arena + x->off[11];
	en->business = "";
	en->person = 1;
}

/* The entry at row st (CTP_SCREEN_ENTRY_COLS) kept, with its postings. */
static int
add_entry(struct ctp_screen_index *ix, sqlite3_stmt *st)
{
	static const int col[NSTR] = { 0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	struct ctp_screen_entry en;
	struct ctp_screen_name n;
	struct ient *x;
	char middle[CTP_NAME_KEY];
	const char *t;
	size_t cap;
	int i;

	if (ix->nent == ix->capent) {
		cap = ix->capent ? ix->capent * 2 : 4096;
		if ((x = ctp_realloc(ix->ent, cap * sizeof(*x))) == NULL)
			return -1;
		ix->ent = x;
		ix->capent = cap;
	}
	x = &ix->ent[ix->nent++];
	x->version = sqlite3_column_int64(st, 2);
	for (i = 0; i < NSTR; i++) {
		/* strlen, not sqlite3_column_bytes: the entry is read as C
		 * strings, and strlen costs a third of a second API call. */
		t = (const char *)sqlite3_column_text(st, col[i]);
		if ((x->off[i] = keep(ix, t, t ? strlen(t) : 0)) == UINT32_MAX)
			return -1;
	}
	entry_at(ix, ix->nent - 1, &en);
	if (*en.npi && add_posting(ix, token('N', en.npi, "")) < 0)
		return -1;
	memset(&n, 0, sizeof(n));
	if (ctp_name_first_key(en.first, n.first_key) != 0 ||
	    (n.nkeys = ctp_name_last_keys(en.last, n.last_keys)) == 0)
		return 0;
	ctp_screen_middle_key(en.middle, en.first, middle);
	if (name_tokens(ix->nick, &n, middle, add_posting, ix) < 0)
		return -1;
	if (*en.dob && add_posting(ix, token('D', en.dob, n.first_key)) < 0)
		return -1;
	return 0;
}

/* The postings laid out by bucket (a counting sort on the low bits). */
static int
lay_out(struct ctp_screen_index *ix)
{
	uint64_t *sh;
	uint32_t *si, *fill;
	size_t nb = 1024, i, b;

	while (nb < ix->npost)
		nb *= 2;
	ix->nbucket = nb;
	ix->start = ctp_calloc(nb + 1, sizeof(*ix->start));
	fill = ctp_calloc(nb, sizeof(*fill));
	sh = ctp_malloc((ix->npost + 1) * sizeof(*sh));
	si = ctp_malloc((ix->npost + 1) * sizeof(*si));
	if (ix->start == NULL || fill == NULL || sh == NULL || si == NULL) {
		free(fill);
		free(sh);
		free(si);
		return -1;
	}
	for (i = 0; i < ix->npost; i++)
		ix->start[(ix->ph[i] & (nb - 1)) + 1]++;
	for (b = 0; b < nb; b++)
		ix->start[b + 1] += ix->start[b];
	for (i = 0; i < ix->npost; i++) {
		b = ix->ph[i] & (nb - 1);
		sh[ix->start[b] + fill[b]] = ix->ph[i];
		si[ix->start[b] + fill[b]++] = ix->pi[i];
	}
	free(fill);
	free(ix->ph);
	free(ix->pi);
	ix->ph = sh;
	ix->pi = si;
	return 0;
}

int
ctp_screen_index_build(sqlite3 *db, const char *source,
    const struct ctp_nicknames *nick, struct ctp_screen_index **out,
    struct ctp_error *e)
{
	struct ctp_screen_index *ix;
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	if ((ix = ctp_calloc(1, sizeof(*ix))) == NULL)
		return ctp_err_nomem(e, "screening index");
	ix->nick = nick;
	if (keep(ix, "", 1) == UINT32_MAX) {	/* "" at 0 */
		free(ix);
		return ctp_err_nomem(e, "screening index");
	}
	if (ctp_db_prepare(db, &st, "SELECT " CTP_SCREEN_ENTRY_COLS " FROM "
	    "screen_entries e WHERE e.entity = 'person' AND (?1 IS NULL OR "
	    "e.source = ?1)", e)) {
		ctp_screen_index_free(ix);
		return e->code;
	}
	ctp_bind_text_or_null(st, 1, source);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (add_entry(ix, st) < 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	sqlite3_finalize(st);
	if (rc == SQLITE_NOMEM || (rc == SQLITE_DONE && (lay_out(ix) < 0 ||
	    (ix->seen = ctp_calloc(ix->nent + 1, sizeof(*ix->seen))) ==
	    NULL))) {
		ctp_screen_index_free(ix);
		return ctp_err_nomem(e, "screening index");
	}
	if (rc != SQLITE_DONE) {
		ctp_screen_index_free(ix);
		return ctp_db_err(db, rc, "screen entries", e);
	}
	*out = ix;
	return 0;
}

void
ctp_screen_index_free(struct ctp_screen_index *ix)
{
	if (ix == NULL)
		return;
	free(ix->arena);
	free(ix->ent);
	free(ix->ph);
	free(ix->pi);
	free(ix->start);
	free(ix->seen);
	free(ix);
}

#define NTOK 64	/* keys a search gathers before it looks them up */

/* A search under way: the provider's callback, and the keys gathered. */
struct search {
	struct ctp_screen_index *ix;
	ctp_screen_cand_fn fn;
	void *arg;
	uint64_t tok[NTOK];
	size_t ntok;
};

/* The entries filed under h, each once a provider, to the callback. */
static int
visit(void *arg, uint64_t h)
{
	struct search *s = arg;
	struct ctp_screen_index *ix = s->ix;
	struct ctp_screen_entry en;
	size_t b = h & (ix->nbucket - 1), k;
	uint32_t i;
	int rc;

	for (k = ix->start[b]; k < ix->start[b + 1]; k++) {
		if (ix->ph[k] != h || ix->seen[i = ix->pi[k]] == ix->stamp)
			continue;
		ix->seen[i] = ix->stamp;
		entry_at(ix, i, &en);
		ix->examined++;
		if ((rc = s->fn(s->arg, &en, ix->ent[i].version)) != 0)
			return rc;
	}
	return 0;
}

/*
 * The keys gathered, looked up in the order they came: their buckets and
 * postings asked of memory first, all at once (a lookup is a cache miss
 * or two at random in tables of megabytes, and waiting for each in turn
 * cost a tenth of a run).
 */
static int
drain(struct search *s)
{
	const struct ctp_screen_index *ix = s->ix;
	size_t j, n = s->ntok, b;
	int rc;

	s->ntok = 0;
	for (j = 0; j < n; j++)
		__builtin_prefetch(&ix->start[s->tok[j] & (ix->nbucket - 1)]);
	for (j = 0; j < n; j++) {
		b = ix->start[s->tok[j] & (ix->nbucket - 1)];
		__builtin_prefetch(&ix->ph[b]);
		__builtin_prefetch(&ix->pi[b]);
	}
	for (j = 0; j < n; j++)
		if ((rc = visit(s, s->tok[j])) != 0)
			return rc;
	return 0;
}

/* Key h, gathered for drain. */
static int
gather(void *arg, uint64_t h)
{
	struct search *s = arg;

	s->tok[s->ntok++] = h;
	return s->ntok == NTOK ? drain(s) : 0;
}

int
ctp_screen_index_find(struct ctp_screen_index *ix,
    const struct ctp_screen_provider *p, ctp_screen_cand_fn fn, void *arg)
{
	struct search s;
	struct ctp_screen_name n;
	char middle[CTP_NAME_KEY];
	size_t pos = 0;
	int i, rc;

	s.ix = ix;
	s.fn = fn;
	s.arg = arg;
	s.ntok = 0;
	if (++ix->stamp == 0) {		/* wrapped: start the stamps again */
		memset(ix->seen, 0, (ix->nent + 1) * sizeof(*ix->seen));
		ix->stamp = 1;
	}
	if (p->npi && *p->npi && (rc = gather(&s, token('N', p->npi,
	    ""))) != 0)
		return rc;
	ctp_screen_middle_key(p->middle, p->first, middle);
	while (ctp_screen_next_name(p, &pos, &n)) {
		if ((rc = name_tokens(ix->nick, &n, middle, gather, &s)) != 0)
			return rc;
		if (p->dob == NULL || *p->dob == '\0')
			continue;
		if ((rc = gather(&s, token('D', p->dob, n.first_key))) != 0)
			return rc;
		for (i = 0; i < n.nkeys; i++)	/* swapped_names */
			if ((rc = gather(&s, token('D', p->dob,
			    n.last_keys[i]))) != 0)
				return rc;
	}
	return drain(&s);
}

long long
ctp_screen_index_entries(const struct ctp_screen_index *ix)
{
	return (long long)ix->nent;
}

long long
ctp_screen_index_examined(const struct ctp_screen_index *ix)
{
	return ix->examined;
}
