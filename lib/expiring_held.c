/*
 * expiring_held.c - which credential kinds each provider holds, for the
 * missing items: every active credential is read, a million on the
 * benchmark, so this is read for the inbox's figure (under 300 ms,
 * scripts/bench/expiring).  Stepping the rows of "SELECT provider_id,
 * kind" and finding each provider by binary search costs 440 M more
 * instructions and 110 ms more than the aggregate below.
 */
#include <stdlib.h>
#include <string.h>

#include "credential.h"
#include "db.h"
#include "expiring_int.h"
#include "mem.h"
#include "validate.h"

/*
 * What the providers hold, marked by the aggregate ctp_held(provider_id,
 * kind) as SQLite reads each active credential: a callback per row costs
 * a third less than a row handed back through sqlite3_step, and a
 * million credentials are read.  The credentials come in date order,
 * their providers at random, so when the ids are dense each provider's
 * kinds go in one byte per id (100 kB for 100,000 providers, in the
 * processor's cache), not in the roster's far larger records.
 */
struct held {
	struct ctp_exp_roster *r;	/* NULL: marks only (ctp_exp_held_marks) */
	unsigned char *mark;	/* mark[id - base]; NULL: the records */
	long long base;
	size_t nmap;
	size_t len[32];		/* strlen of each credential kind */
	int nkinds, lost;
};

static void
held_step(sqlite3_context *cx, int argc, sqlite3_value **v)
{
	struct held *h = sqlite3_user_data(cx);
	long long id = sqlite3_value_int64(v[0]);
	const char *t = (const char *)sqlite3_value_text(v[1]);
	size_t n = (size_t)sqlite3_value_bytes(v[1]);
	struct ctp_exp_prov *w;
	unsigned bit = 0;
	int i;

	(void)argc;
	if (t == NULL)
		return;
	for (i = 0; i < h->nkinds; i++)
		if (h->len[i] == n && *t == *ctp_credential_kinds[i] &&
		    memcmp(ctp_credential_kinds[i], t, n) == 0) {
			bit = 1u << i;
			break;
		}
	if (bit == 0)
		return;
	if (h->mark != NULL && bit <= 0xff) {
		if (id >= h->base && id - h->base < (long long)h->nmap)
			h->mark[id - h->base] |= (unsigned char)bit;
	} else if (h->r == NULL)
		h->lost = 1;
	else if ((w = ctp_exp_find_slot(h->r, id)) != NULL)
		w->held |= bit;
}

/* Read every active credential into h; 0 or e->code. */
static int
held_scan(sqlite3 *db, const char *where, struct held *h,
    struct ctp_error *e)
{
	for (; ctp_credential_kinds[h->nkinds] && h->nkinds < 32; h->nkinds++)
		h->len[h->nkinds] = strlen(ctp_credential_kinds[h->nkinds]);
	return ctp_db_each_row(db, "ctp_held", 2, held_step, h,
	    "SELECT ctp_held(provider_id, kind) FROM credentials"
	    " WHERE status = 'active'", NULL, where, e);
}

int
ctp_exp_held_marks(sqlite3 *db, const char *where, long long base,
    size_t n, unsigned char *mark, struct ctp_error *e)
{
	struct held h;
	int rc;

	memset(&h, 0, sizeof(h));
	h.mark = mark;
	h.base = base;
	h.nmap = n;
	if ((rc = held_scan(db, where, &h, e)) == 0 && h.lost)
		rc = 1;
	return rc;
}

void
ctp_exp_held_apply(struct ctp_exp_roster *r, long long base, size_t n,
    const unsigned char *mark)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].id >= base && r->v[i].id - base < (long long)n)
			r->v[i].held |= mark[r->v[i].id - base];
}

/* Mark in r what each provider holds; 0 or e->code. */
int
ctp_exp_read_held(struct ctp_ctx *c, struct ctp_exp_roster *r,
    struct ctp_error *e)
{
	struct held h;
	int rc;

	memset(&h, 0, sizeof(h));
	h.r = r;
	if (r->map != NULL) {
		if ((h.mark = ctp_calloc(r->nmap, 1)) == NULL)
			return ctp_err_nomem(e, "expiring");
		h.base = r->base;
		h.nmap = r->nmap;
	}
	if ((rc = held_scan(c->db, c->path, &h, e)) == 0 && h.mark != NULL)
		ctp_exp_held_apply(r, h.base, h.nmap, h.mark);
	free(h.mark);
	return rc;
}
