/*
 * psv.c - the one writer of the PSV log (psv.h).
 *
 * Entries are queued and written BATCH to a statement: a roster run
 * writes one per provider per list (screening 100,000 providers against
 * two lists writes 200,000) or one per provider (the NPI refresh), and a
 * statement's own cost (bindings, start, end) is most of a one-row
 * insert's.  The last, shorter batch gets a statement of its own size.
 * The queued entries' strings are copied into one buffer, which stops
 * growing after the first batch.  This holds screening's figure
 * (100,000 providers in under 2 s, scripts/bench/screen), of which the
 * PSV entries are about a sixth.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "db.h"
#include "mem.h"
#include "psv.h"

#define BATCH 64
#define NONE ((size_t)-1)	/* a NULL string */
#define NTEXT 6			/* the strings of an entry */
#define NPARAM (3 + NTEXT)	/* the parameters of one row */

struct queued {
	long long pid, cid, corrects;
	/* source, result, reference, detail, verified_on, note */
	size_t off[NTEXT];
};

struct ctp_psv_writer {
	sqlite3 *db;
	sqlite3_stmt *full;	/* BATCH entries, prepared when first full */
	char *actor, *method;
	char ts[CTP_TS_LEN];	/* "": each batch stamped when written */
	struct queued q[BATCH];
	size_t n;
	struct ctp_buf text;	/* the queued strings, each NUL-ended */
	/* Sealing: the digest (NULL when not sealing), the first id. */
	struct ctp_sha256 *sha;
	long long first, rows;
	struct ctp_buf line;
};

int
ctp_psv_open(struct ctp_psv_writer **out, sqlite3 *db, const char *actor,
    const char *ts, const char *method, struct ctp_error *e)
{
	struct ctp_psv_writer *w;

	if ((*out = w = ctp_calloc(1, sizeof(*w))) == NULL)
		return ctp_err_nomem(e, "psv log");
	w->db = db;
	w->actor = ctp_strdup(actor);
	w->method = ctp_strdup(method);
	if (ts != NULL)
		snprintf(w->ts, sizeof(w->ts), "%s", ts);
	if (w->actor == NULL || w->method == NULL) {
		ctp_psv_close(w);
		*out = NULL;
		return ctp_err_nomem(e, "psv log");
	}
	return 0;
}

/*
 * "INSERT ... VALUES" for n entries: ?1 actor, ?2 ts, ?3 method, then
 * NPARAM a row from ?4 (provider, credential, corrects, then the
 * strings).  An entry without its day is of the day of ts.
 */
static int
prepare(sqlite3 *db, size_t n, sqlite3_stmt **st, struct ctp_error *e)
{
	return ctp_db_prepare_rows(db, st, "INSERT INTO psv_log (provider_id, "
	    "credential_id, corrects, source, result, reference, detail, "
	    "verified_on, note, method, actor, ts) VALUES ",
	    "(#,#,#,#,#,#,#,coalesce(#,substr(?2,1,10)),#,?3,?1,?2)", n, 4, e);
}

static void
bind_id(sqlite3_stmt *st, int i, long long id)
{
	if (id)
		sqlite3_bind_int64(st, i, id);
	else
		sqlite3_bind_null(st, i);
}

static void
bind_off(sqlite3_stmt *st, int i, const struct ctp_buf *text, size_t off)
{
	if (off == NONE)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, text->s + off, -1, SQLITE_STATIC);
}

int
ctp_psv_flush(struct ctp_psv_writer *w, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char now[CTP_TS_LEN];
	size_t i;
	int rc, p, k;

	if (w->n == 0)
		return 0;
	if (w->n == BATCH && w->full == NULL &&
	    (rc = prepare(w->db, BATCH, &w->full, e)) != 0)
		return rc;
	st = w->full;
	if (w->n < BATCH && (rc = prepare(w->db, w->n, &st, e)) != 0)
		return rc;
	if (w->ts[0] == '\0')
		ctp_timestamp(now);
	/* Every parameter is bound on every use: none left from the last. */
	sqlite3_bind_text(st, 1, w->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, w->ts[0] ? w->ts : now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, w->method, -1, SQLITE_STATIC);
	for (i = 0; i < w->n; i++) {
		const struct queued *q = &w->q[i];

		p = 4 + NPARAM * (int)i;
		sqlite3_bind_int64(st, p, q->pid);
		bind_id(st, p + 1, q->cid);
		bind_id(st, p + 2, q->corrects);
		for (k = 0; k < NTEXT; k++)
			bind_off(st, p + 3 + k, &w->text, q->off[k]);
	}
	rc = sqlite3_step(st);
	if (st == w->full)
		sqlite3_reset(st);
	else
		sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		w->rows += (long long)w->n;
	w->n = 0;
	ctp_buf_reset(&w->text);
	if (rc != SQLITE_DONE)
		return ctp_db_err(w->db, rc, "psv log", e);
	return 0;
}

/* The entry's digest line, as sqlite3 prints the row: id|source|result. */
static int
digest(struct ctp_psv_writer *w, const struct ctp_psv_entry *p,
    struct ctp_error *e)
{
	char num[CTP_LLD_LEN];
	size_t n = ctp_lld(p->provider_id, num);

	/* "%lld|%s|%s\n", without printf's cost (one an entry). */
	ctp_buf_reset(&w->line);
	if (ctp_buf_add(&w->line, num, n) < 0 ||
	    ctp_buf_putc(&w->line, '|') < 0 ||
	    ctp_buf_puts(&w->line, p->source) < 0 ||
	    ctp_buf_putc(&w->line, '|') < 0 ||
	    ctp_buf_puts(&w->line, p->result) < 0 ||
	    ctp_buf_putc(&w->line, '\n') < 0)
		return ctp_err_nomem(e, "psv log");
	if (ctp_sha256_update(w->sha, w->line.s, w->line.len) != 0)
		return ctp_errf(e, CTP_SOFTWARE, "psv log", "sha-256 failed");
	return 0;
}

int
ctp_psv_add(struct ctp_psv_writer *w, const struct ctp_psv_entry *p,
    struct ctp_error *e)
{
	const char *f[NTEXT];
	struct queued *q;
	int i, rc;

	if (p->source == NULL || p->result == NULL)
		return ctp_errf(e, CTP_SOFTWARE, "psv log", "an entry without "
		    "a source or a result");
	if (w->n == BATCH && (rc = ctp_psv_flush(w, e)) != 0)
		return rc;
	f[0] = p->source;
	f[1] = p->result;
	f[2] = p->reference;
	f[3] = p->detail;
	f[4] = p->verified_on;
	f[5] = p->note;
	q = &w->q[w->n];
	q->pid = p->provider_id;
	q->cid = p->credential_id;
	q->corrects = p->corrects;
	for (i = 0; i < NTEXT; i++) {
		q->off[i] = f[i] ? w->text.len : NONE;
		if (f[i] && ctp_buf_add(&w->text, f[i], strlen(f[i]) + 1) < 0)
			return ctp_err_nomem(e, "psv log");
	}
	if (w->sha && (rc = digest(w, p, e)) != 0)
		return rc;
	w->n++;
	return 0;
}

int
ctp_psv_seal_start(struct ctp_psv_writer *w, struct ctp_error *e)
{
	int rc;

	if ((rc = ctp_psv_flush(w, e)) != 0)
		return rc;
	/* Ids from here on: no one else writes in this transaction. */
	if ((rc = ctp_db_int(w->db, "SELECT coalesce(max(id), 0) + 1 FROM "
	    "psv_log", &w->first, "psv log", e)) != 0)
		return rc;
	w->rows = 0;
	if (w->sha == NULL && (w->sha = ctp_sha256_new()) == NULL)
		return ctp_err_nomem(e, "psv log");
	return 0;
}

int
ctp_psv_seal(struct ctp_psv_writer *w, struct ctp_psv_seal *s,
    struct ctp_error *e)
{
	long long last;
	int rc;

	memset(s, 0, sizeof(*s));
	if (w->sha == NULL)
		return ctp_errf(e, CTP_SOFTWARE, "psv log", "sealing not "
		    "started");
	if ((rc = ctp_psv_flush(w, e)) != 0 ||
	    (rc = ctp_db_int(w->db, "SELECT max(id) FROM psv_log", &last,
	    "psv log", e)) != 0)
		return rc;
	if (w->rows > 0 && last != w->first + w->rows - 1)
		return ctp_errf(e, CTP_SOFTWARE, "psv log", "entries not "
		    "consecutive");
	rc = ctp_sha256_final(w->sha, s->sha256);
	w->sha = NULL;
	if (rc != 0)
		return ctp_errf(e, CTP_SOFTWARE, "psv log", "sha-256 failed");
	s->rows = w->rows;
	s->first = w->rows ? w->first : 0;
	s->last = w->rows ? w->first + w->rows - 1 : 0;
	return 0;
}

void
ctp_psv_close(struct ctp_psv_writer *w)
{
	char hex[CTP_SHA256_HEX];

	if (w == NULL)
		return;
	sqlite3_finalize(w->full);
	if (w->sha)
		ctp_sha256_final(w->sha, hex);
	free(w->actor);
	free(w->method);
	ctp_buf_free(&w->text);
	ctp_buf_free(&w->line);
	free(w);
}

char *
ctp_psv_detail(const json_t *d)
{
	return json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
}

const char *const ctp_psv_methods[] = {
	"api", "web", "phone", "letter", "email", "file", NULL
};

const char *const ctp_psv_results[] = {
	"verified", "discrepancy", "not_found", "excluded", "error", NULL
};

const char *
ctp_psv_mark(const char *result)
{
	if (result == NULL)
		return NULL;
	if (strcmp(result, "verified") == 0)
		return "verified";
	if (strcmp(result, "discrepancy") == 0 ||
	    strcmp(result, "not_found") == 0 ||
	    strcmp(result, "excluded") == 0)
		return "failed";
	return NULL;
}
