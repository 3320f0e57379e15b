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
	struct ctp_exp_roster *r;
	unsigned char *mark;	/* mark[id - r->base]; NULL: the records */
	size_t len[32];		/* strlen of each credential kind */
	int nkinds;
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
		if (id >= h->r->base && id - h->r->base < (long long)h->r->nmap)
			h->mark[id - h->r->base] |= (unsigned char)bit;
	} else if ((w = ctp_exp_find_slot(h->r, id)) != NULL)
		w->held |= bit;
}

static void
held_final(sqlite3_context *cx)
{
	sqlite3_result_null(cx);
}

/* Mark in r what each provider holds; 0 or e->code. */
int
ctp_exp_read_held(struct ctp_ctx *c, struct ctp_exp_roster *r,
    struct ctp_error *e)
{
	sqlite3_stmt *st = NULL;
	struct held h;
	size_t i;
	int rc;

	memset(&h, 0, sizeof(h));
	h.r = r;
	for (; ctp_credential_kinds[h.nkinds] && h.nkinds < 32; h.nkinds++)
		h.len[h.nkinds] = strlen(ctp_credential_kinds[h.nkinds]);
	if (r->map != NULL && (h.mark = ctp_calloc(r->nmap, 1)) == NULL)
		return ctp_err_nomem(e, "expiring");
	/* Only for this statement: h lives on this stack. */
	if ((rc = sqlite3_create_function_v2(c->db, "ctp_held", 2,
	    SQLITE_UTF8 | SQLITE_DIRECTONLY, &h, NULL, held_step, held_final,
	    NULL)) != SQLITE_OK) {
		free(h.mark);
		return ctp_db_err(c->db, rc, c->path, e);
	}
	if ((rc = ctp_db_prepare(c->db, &st, "SELECT ctp_held(provider_id,"
	    " kind) FROM credentials WHERE status = 'active'", e)) == 0) {
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			;
		rc = rc == SQLITE_DONE ? 0 : ctp_db_err(c->db, rc, c->path, e);
	}
	sqlite3_finalize(st);
	sqlite3_create_function_v2(c->db, "ctp_held", 2, SQLITE_UTF8 |
	    SQLITE_DIRECTONLY, NULL, NULL, NULL, NULL, NULL);
	if (rc == 0 && h.mark != NULL)
		for (i = 0; i < r->n; i++)
			r->v[i].held |= h.mark[r->v[i].id - r->base];
	free(h.mark);
	return rc;
}
