/*
 * screen_run.c - screening the roster against the lists in force
 * (ctp_screen_run, screen.h).  One transaction writes the run, a PSV
 * entry per provider per list, a "screen.check" event per provider, a
 * row and a "screen.match" event per new match, and the "screen.run"
 * event, which seals the run's PSV entries with their digest.  An index
 * of the lists' entries by blocking keys (screen_index.c) finds the
 * entries worth judging; ctp_screen_match (screen_match.c) decides each
 * one; psv.c writes and seals the PSV entries.
 *
 * Speed.  The floor: 100,000 providers against 80,000 LEIE and 150,000
 * SAM rows, every rule on, in under 2 s (scripts/bench/screen, which
 * prints the candidate pairs judged).  What holds it:
 * - candidates come from the blocking keys, never all pairs (screen_index.c
 *   says how it is fast): about 1.8 per provider;
 * - the PSV entries and the screen.check events go 64 to a statement
 *   (psv.c's writer, ctp_audit_queue): a statement's own cost
 *   (bindings, start, end) is most of a one-row insert's;
 * - an entry's detail is the run's one clear detail unless matches
 *   count, so its JSON is built once a run and once a match;
 * - the run writes under a rollback journal when it is the only
 *   connection (ctp_db_bulk_journal): nearly every page it writes is
 *   new, and the write-ahead log would write each one twice (a run in
 *   WAL measured 1.0-1.8 s).  Other programs wait for it; a killed run
 *   leaves a hot journal that the next open rolls back (db.h).  Only a
 *   run of BULK_JOURNAL_MIN providers or more switches: the switch and
 *   the way back cost 13 of a run's 19 fdatasync calls, and a small
 *   run's second write costs less than they do on a disk other work
 *   keeps busy (20 organizations of 5,000 screened by one --db DIR
 *   run, scripts/bench/screen-orgs, make 120 syncs instead of 380);
 * - SQLite keeps a 32 MB cache for the run rather than its default 2 MB:
 *   the candidate lookups of 100,000 providers read 54,000 pages from
 *   the file instead of 218,000 (0.15 s less system time);
 * - a provider's screen.check detail depends only on each list's
 *   result, so the run builds each of the few distinct ones once
 *   (screen_memo.c) rather than through jansson per provider.
 * Counted by valgrind's callgrind, which does not vary, a run over the
 * first 20,000 providers of the bench roster executes 2.27 billion
 * instructions: building the index of the 230,000 entries 1.20 billion
 * (a cost of the lists, the same for any roster: about a fifth of a
 * 100,000-provider run), the PSV entries 20%, the audit events 17%
 * (the chain's SHA-256 8%, which looks costly there because valgrind
 * does not use the CPU's SHA instructions; the canonical JSON, built
 * once a distinct detail, under 1%), the candidate lookups and the
 * matcher 4% (on the CPU they weigh more: their cache misses).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "audit.h"
#include "date.h"
#include "db.h"
#include "mem.h"
#include "nickname.h"
#include "psv.h"
#include "screen.h"
#include "screen_index.h"
#include "screen_match.h"
#include "screen_memo.h"
#include "screen_shared.h"

/* A provider's columns, as screen_row reads them. */
#define PROVIDER_COLS "id, npi, first_name, last_name, dob, " \
	"practice_state, other_names, middle_name, suffix"

/* The fewest providers a run switches to a rollback journal for. */
#define BULK_JOURNAL_MIN 20000

struct srclist {
	char *source;
	long long version;
	char *reference;
	long long rows;
	const char *result;	/* the provider at hand's result */
};

/* An entry that matched the provider at hand: what the match row keeps. */
struct cand {
	char *source;
	char *ident;
	long long version;
	enum ctp_screen_rule rule;
	char *name_used;	/* "FIRST LAST"; NULL for the npi rule */
	char *listed_name, *listed_npi, *dob, *state, *type, *excl;
};

struct screener {
	struct ctp_ctx *c;
	long as_of;
	char as_of_s[CTP_DATE_LEN];
	long long run;
	struct srclist *src;
	size_t nsrc;
	sqlite3_stmt *m_find, *m_ins, *m_upd, *prov;
	struct ctp_nicknames *nick;
	struct ctp_screen_use ix;	/* the index of the lists */
	const struct ctp_screen_provider *p;	/* the one at hand */
	struct cand *cand;
	size_t ncand, capcand;
	struct ctp_screen_result *r;
	struct ctp_psv_writer *psv;	/* sealed: screen.run names them */
	char *clear_detail;		/* {"run":N} */
	struct ctp_screen_memo checks;	/* screen.check details */
};

static void
cand_free(struct cand *k)
{
	free(k->source);
	free(k->ident);
	free(k->name_used);
	free(k->listed_name);
	free(k->listed_npi);
	free(k->dob);
	free(k->state);
	free(k->type);
	free(k->excl);
}

/* A copy of s, NULL for "" (stored as NULL). */
static char *
dup_or_null(const char *s)
{
	return s && *s ? ctp_strdup(s) : NULL;
}

/* A matched entry, once: found again through another name, it is the
 * same entry and the matcher said the same. */
static int
add_cand(struct screener *s, const struct ctp_screen_entry *en,
    long long version, const struct ctp_screen_why *why)
{
	const struct ctp_screen_name *nm = &why->name;
	struct cand *k;
	size_t i;

	for (i = 0; i < s->ncand; i++) {
		k = &s->cand[i];
		if (strcmp(k->ident, en->ident) == 0 &&
		    strcmp(k->source, en->source) == 0)
			return 0;
	}
	if (s->ncand == s->capcand) {
		size_t cap = s->capcand ? s->capcand * 2 : 16;
		struct cand *p = ctp_realloc(s->cand, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		s->cand = p;
		s->capcand = cap;
	}
	k = &s->cand[s->ncand++];
	memset(k, 0, sizeof(*k));
	k->source = ctp_strdup(en->source);
	k->ident = ctp_strdup(en->ident);
	k->version = version;
	k->rule = why->rule;
	if (nm->first && (k->name_used = ctp_asprintf("%.*s %.*s",
	    nm->first_len, nm->first, nm->last_len, nm->last)) == NULL)
		return -1;
	k->listed_name = ctp_asprintf("%s%s%s%s%s", en->first,
	    *en->middle ? " " : "", en->middle,
	    *en->first || *en->middle ? " " : "", en->last);
	k->listed_npi = dup_or_null(en->npi);
	k->dob = dup_or_null(en->dob);
	k->state = dup_or_null(en->state);
	k->type = dup_or_null(en->type);
	k->excl = dup_or_null(en->excl_date);
	return k->source && k->ident && k->listed_name ? 0 : -1;
}

/* Judge a candidate (ctp_screen_match); keep it when it matches. */
static int
judge_cand(void *arg, const struct ctp_screen_entry *en, long long version)
{
	struct screener *s = arg;
	struct ctp_screen_why why;

	if (ctp_screen_match(s->nick, s->p, en, s->as_of_s, &why) ==
	    CTP_MATCH_NONE)
		return 0;
	return add_cand(s, en, ctp_screen_use_version(&s->ix, version),
	    &why) < 0 ? -1 : 0;
}

/*
 * The entries worth judging (screen_index.h: those sharing a blocking
 * key with the provider); the matcher decides.
 */
static int
find_cands(struct screener *s, const struct ctp_screen_provider *p,
    struct ctp_error *e)
{
	s->p = p;
	if (ctp_screen_index_find(s->ix.ix, p, judge_cand, s) != 0)
		return ctp_err_nomem(e, "screening");
	return 0;
}

/* Screen the provider row at st (PROVIDER_COLS). */
static int
screen_row(struct screener *s, sqlite3_stmt *st, struct ctp_error *e);

static int
screen_one(struct screener *s, long long pid, struct ctp_error *e)
{
	sqlite3_stmt *st = s->prov;
	int rc;

	sqlite3_bind_int64(st, 1, pid);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return ctp_db_err(s->c->db, rc == SQLITE_DONE ? SQLITE_NOTFOUND
		    : rc, "providers", e);
	}
	rc = screen_row(s, st, e);
	sqlite3_reset(st);
	return rc;
}

/*
 * Queue a provider's event d (taken) with the run's other events: in
 * canonical form (audit.h), written 64 to a statement in chain order.
 */
static int
audit_queue(struct screener *s, const char *action, const char *npi,
    json_t *d, struct ctp_error *e)
{
	char *t;
	int rc;

	t = d ? json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS |
	    JSON_ENSURE_ASCII) : NULL;
	json_decref(d);
	if (t == NULL)
		return ctp_err_nomem(e, "screening");
	rc = ctp_audit_queue(s->c, action, "provider", npi, t, e);
	free(t);
	return rc;
}

/* A match raised for the first time: its own audit event. */
static int
audit_new_match(struct screener *s, const char *npi, const struct cand *k,
    long long mid, struct ctp_error *e)
{
	return audit_queue(s, "screen.match", npi, json_pack("{s:I, s:s, s:s, "
	    "s:s, s:s, s:I}", "match", (json_int_t)mid, "list", k->source,
	    "entry", k->ident, "rule", ctp_screen_rule_name(k->rule),
	    "result", ctp_screen_rule_result(k->rule), "run",
	    (json_int_t)s->run), e);
}

/* The screen.check detail of the results at hand: the run, the date,
 * each list's result, in canonical form. */
static char *
check_detail(const struct screener *s)
{
	json_t *d, *lists;
	char *t;
	size_t j;

	if ((lists = json_object()) == NULL)
		return NULL;
	for (j = 0; j < s->nsrc; j++)
		if (json_object_set_new(lists, s->src[j].source,
		    json_string(s->src[j].result)) != 0) {
			json_decref(lists);
			return NULL;
		}
	d = json_pack("{s:s, s:o, s:I}", "as_of", s->as_of_s, "lists", lists,
	    "run", (json_int_t)s->run);
	t = d ? json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS |
	    JSON_ENSURE_ASCII) : NULL;
	json_decref(d);
	return t;
}

/* The provider's screen.check event: its detail is one of the few the
 * run's results make, each built once (screen_memo.h). */
static int
audit_check(struct screener *s, const char *npi, struct ctp_error *e)
{
	const char *res[CTP_SCREEN_MEMO_LISTS];
	const char *t;
	char *own = NULL;
	size_t j;
	int rc;

	for (j = 0; j < s->nsrc && j < CTP_SCREEN_MEMO_LISTS; j++)
		res[j] = s->src[j].result;
	if ((t = ctp_screen_memo_get(&s->checks, res, s->nsrc)) == NULL) {
		if ((own = check_detail(s)) == NULL)
			return ctp_err_nomem(e, "screening");
		if (ctp_screen_memo_put(&s->checks, res, s->nsrc, own) == 0)
			own = NULL;
		t = ctp_screen_memo_get(&s->checks, res, s->nsrc);
		if (t == NULL)
			t = own;
	}
	rc = ctp_audit_queue(s->c, "screen.check", "provider", npi, t, e);
	free(own);
	return rc;
}

/*
 * The match row of candidate k for provider pid: raised the first time
 * (with its audit event), brought up to date after.  *status: the
 * match's, where a reinstated match stays set aside as a cleared one
 * does, until the entry changes; *mid its id.
 */
static int
record_match(struct screener *s, long long pid, const char *npi,
    const struct cand *k, const char *ts, const char **status,
    long long *mid, struct ctp_error *e)
{
	sqlite3_stmt *st = s->m_find;
	const char *was;
	int rc;

	*mid = 0;
	*status = NULL;
	sqlite3_bind_int64(st, 1, pid);
	ctp_bind_text(st, 2, k->source);
	ctp_bind_text(st, 3, k->ident);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*mid = sqlite3_column_int64(st, 0);
		was = ctp_col_text(st, 1);
		*status = strcmp(was, "cleared") == 0 ||
		    strcmp(was, "reinstated") == 0 ? "cleared" :
		    strcmp(was, "confirmed") == 0 ? "confirmed" : "pending";
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(s->c->db, rc, "matches", e);
	st = *mid ? s->m_upd : s->m_ins;
	sqlite3_bind_int64(st, 1, pid);
	ctp_bind_text(st, 2, k->source);
	ctp_bind_text(st, 3, k->ident);
	sqlite3_bind_int64(st, 4, k->version);
	sqlite3_bind_int64(st, 5, s->run);
	ctp_bind_text(st, 6, ctp_screen_rule_name(k->rule));
	ctp_bind_text(st, 7, ctp_screen_rule_result(k->rule));
	ctp_bind_text_or_null(st, 8, k->name_used);
	ctp_bind_text(st, 9, k->listed_name);
	ctp_bind_text_or_null(st, 10, k->listed_npi);
	ctp_bind_text_or_null(st, 11, k->dob);
	ctp_bind_text_or_null(st, 12, k->state);
	ctp_bind_text_or_null(st, 13, k->type);
	ctp_bind_text_or_null(st, 14, k->excl);
	ctp_bind_text(st, 15, ts);
	if (*mid)
		sqlite3_bind_int64(st, 16, *mid);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(s->c->db, rc, "matches", e);
	if (*mid)
		return 0;
	*mid = sqlite3_last_insert_rowid(s->c->db);
	*status = "pending";
	s->r->new_matches++;
	return audit_new_match(s, npi, k, *mid, e);
}

/*
 * A PSV entry's detail: {"run":N}, with "matches" and their "rules" (in
 * the same order) when ids is not NULL.
 */
static char *
psv_detail(const struct screener *s, json_t *ids, json_t *rules)
{
	json_t *d;
	char *t;

	d = ids ? json_pack("{s:O, s:O, s:I}", "matches", ids, "rules", rules,
	    "run", (json_int_t)s->run) : json_pack("{s:I}", "run",
	    (json_int_t)s->run);
	t = d ? ctp_psv_detail(d) : NULL;
	json_decref(d);
	return t;
}

/*
 * Provider pid's result on list j from its candidates there, and its
 * PSV entry: the run's clear detail, or the ids and rules of the matches
 * that count.
 */
static int
list_result(struct screener *s, long long pid, const char *npi, size_t j,
    const char *ts, struct ctp_error *e)
{
	struct ctp_psv_entry en;
	json_t *ids = NULL, *rules = NULL;
	char *detail = NULL;
	const char *status;
	long long mid;
	int rc = 0, pot = 0, ins = 0;
	size_t i;

	for (i = 0; i < s->ncand; i++) {
		struct cand *k = &s->cand[i];

		if (strcmp(k->source, s->src[j].source) != 0)
			continue;
		if ((rc = record_match(s, pid, npi, k, ts, &status, &mid,
		    e)) != 0)
			goto out;
		if (strcmp(status, "pending") == 0)
			s->r->pending++;
		if (strcmp(status, "cleared") == 0)
			continue;
		if (k->rule == CTP_MATCH_NAME_ONLY)
			ins = 1;
		else
			pot = 1;
		if ((ids == NULL && ((ids = json_array()) == NULL ||
		    (rules = json_array()) == NULL)) ||
		    json_array_append_new(ids, json_integer(mid)) != 0 ||
		    json_array_append_new(rules, json_string(
		    ctp_screen_rule_name(k->rule))) != 0) {
			rc = ctp_err_nomem(e, "screening");
			goto out;
		}
	}
	s->src[j].result = pot ? "potential_match" : ins ?
	    "insufficient_data" : "clear";
	if (ids != NULL && (detail = psv_detail(s, ids, rules)) == NULL) {
		rc = ctp_err_nomem(e, "screening");
		goto out;
	}
	memset(&en, 0, sizeof(en));
	en.provider_id = pid;
	en.source = s->src[j].source;
	en.result = s->src[j].result;
	en.reference = s->src[j].reference;
	en.detail = detail ? detail : s->clear_detail;
	rc = ctp_psv_add(s->psv, &en, e);
out:
	json_decref(ids);
	json_decref(rules);
	free(detail);
	return rc;
}

static int
screen_row(struct screener *s, sqlite3_stmt *st, struct ctp_error *e)
{
	struct ctp_screen_provider p;
	char ts[CTP_TS_LEN] = "";
	int rc, any_pot = 0, any_ins = 0;
	size_t i, j;
	long long pid = sqlite3_column_int64(st, 0);

	/* st's columns stay as they are while other statements step. */
	p.npi = ctp_col_text(st, 1);
	p.first = ctp_col_text(st, 2);
	p.last = ctp_col_text(st, 3);
	p.dob = ctp_col_text(st, 4);
	p.state = ctp_col_text(st, 5);
	p.other_names = ctp_col_text(st, 6);
	p.middle = ctp_col_text(st, 7);
	p.suffix = ctp_col_text(st, 8);
	s->ncand = 0;
	if ((rc = find_cands(s, &p, e)) != 0)
		goto out;
	if (s->ncand > 0)
		ctp_timestamp(ts);
	for (j = 0; j < s->nsrc; j++) {
		if ((rc = list_result(s, pid, p.npi, j, ts, e)) != 0)
			goto out;
		any_pot |= strcmp(s->src[j].result, "potential_match") == 0;
		any_ins |= strcmp(s->src[j].result, "insufficient_data") == 0;
	}
	if ((rc = audit_check(s, p.npi, e)) != 0)
		goto out;
	s->r->providers++;
	if (any_pot)
		s->r->potential++;
	else if (any_ins)
		s->r->insufficient++;
	else
		s->r->clear++;
out:
	for (i = 0; i < s->ncand; i++)
		cand_free(&s->cand[i]);
	s->ncand = 0;
	return rc;
}

static int
load_sources(struct screener *s, struct ctp_error *e)
{
	sqlite3_stmt *st;
	struct srclist *p;
	int rc;

	if (ctp_db_prepare(s->c->db, &st, "SELECT source, id, file_date, "
	    "sha256, rows, (SELECT count(*) FROM screen_lists x WHERE "
	    "x.parent_id = l.id AND x.active = 1) FROM screen_lists l WHERE "
	    "active = 1 AND kind IN ('leie','sam','custom') ORDER BY "
	    "CASE source WHEN 'OIG LEIE' THEN 0 WHEN 'SAM' THEN 1 ELSE 2 END,"
	    " source", e))
		return e->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((p = ctp_realloc(s->src, (s->nsrc + 1) * sizeof(*p)))
		    == NULL) {
			sqlite3_finalize(st);
			return ctp_err_nomem(e, "screening");
		}
		s->src = p;
		p = &s->src[s->nsrc++];
		p->result = "clear";
		p->source = ctp_strdup(ctp_col_text(st, 0));
		p->version = sqlite3_column_int64(st, 1);
		p->rows = sqlite3_column_int64(st, 4);
		p->reference = ctp_asprintf("version %lld, %s, sha256 %.12s%s",
		    p->version, ctp_col_text(st, 2), ctp_col_text(st, 3),
		    sqlite3_column_int(st, 5) ? ", with supplements" : "");
		if (p->source == NULL || p->reference == NULL) {
			sqlite3_finalize(st);
			return ctp_err_nomem(e, "screening");
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(s->c->db, rc, "screen lists", e);
	return 0;
}

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/*
 * The providers with these NPIs, by id, sorted, in a new array (*ids,
 * the caller's to free): an NPI not on the roster is CTP_DATAERR.
 */
static int
resolve(struct ctp_ctx *c, const char *const *npis, size_t n,
    long long **ids, long long *nids, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char where[64];
	size_t j;
	int k;

	*nids = 0;
	if ((*ids = ctp_calloc(n, sizeof(**ids))) == NULL)
		return ctp_err_nomem(e, "screening");
	if (ctp_db_prepare(c->db, &st, "SELECT id FROM providers WHERE "
	    "npi = ?1", e))
		return e->code;
	for (j = 0; j < n; j++) {
		ctp_bind_text(st, 1, npis[j]);
		k = sqlite3_step(st);
		if (k == SQLITE_ROW)
			(*ids)[(*nids)++] = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (k != SQLITE_ROW) {
			sqlite3_finalize(st);
			snprintf(where, sizeof(where), "npi %zu", j + 1);
			if (k == SQLITE_DONE)
				return ctp_errf(e, CTP_DATAERR, where, "not on "
				    "the roster");
			return ctp_db_err(c->db, k, where, e);
		}
	}
	sqlite3_finalize(st);
	qsort(*ids, (size_t)*nids, sizeof(**ids), cmp_ll);
	return 0;
}

/* The statements a provider's screening steps. */
static int
prepare(struct screener *s, struct ctp_error *e)
{
	sqlite3 *db = s->c->db;

	if (ctp_db_prepare(db, &s->prov, "SELECT " PROVIDER_COLS " FROM "
	    "providers WHERE id = ?1", e) ||
	    ctp_db_prepare(db, &s->m_find, "SELECT id, status FROM "
	    "screen_matches WHERE provider_id = ?1 AND source = ?2 AND "
	    "ident = ?3", e) ||
	    ctp_db_prepare(db, &s->m_ins, "INSERT INTO screen_matches "
	    "(provider_id, source, ident, version_id, run_id, last_run_id, "
	    "rule, result, name_used, listed_name, listed_npi, listed_dob, "
	    "listed_state, excl_type, excl_date, created_at) VALUES (?1,?2,?3,"
	    "?4,?5,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)", e) ||
	    ctp_db_prepare(db, &s->m_upd, "UPDATE screen_matches SET "
	    "version_id = ?4, last_run_id = ?5, rule = ?6, result = ?7, "
	    "name_used = ?8, listed_name = ?9, listed_npi = ?10, "
	    "listed_dob = ?11, listed_state = ?12, excl_type = ?13, "
	    "excl_date = ?14 WHERE id = ?16 AND provider_id = ?1 AND "
	    "source = ?2 AND ident = ?3 AND ?15 IS NOT NULL", e))
		return e->code;
	return ctp_psv_open(&s->psv, db, s->c->user, NULL, "list file", e);
}

/* The run's row, with the list versions it screens against: s->run. */
static int
run_start(struct screener *s, const char *scope, json_t *lists,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	char ts[CTP_TS_LEN], *lj;
	int k;

	/* This run's PSV entries, sealed by its screen.run event. */
	if ((k = ctp_psv_seal_start(s->psv, e)) != 0)
		return k;
	if ((lj = json_dumps(lists, JSON_COMPACT)) == NULL)
		return ctp_err_nomem(e, "screening");
	ctp_timestamp(ts);
	if (ctp_db_prepare(s->c->db, &st, "INSERT INTO screen_runs "
	    "(started_at, as_of, actor, scope, lists) VALUES (?1,?2,?3,?4,?5)",
	    e)) {
		free(lj);
		return e->code;
	}
	ctp_bind_text(st, 1, ts);
	ctp_bind_text(st, 2, s->as_of_s);
	ctp_bind_text(st, 3, s->c->user);
	ctp_bind_text(st, 4, scope);
	ctp_bind_text(st, 5, lj);
	k = sqlite3_step(st);
	sqlite3_finalize(st);
	free(lj);
	if (k != SQLITE_DONE)
		return ctp_db_err(s->c->db, k, "screening run", e);
	s->run = s->r->run_id = sqlite3_last_insert_rowid(s->c->db);
	if ((s->clear_detail = psv_detail(s, NULL, NULL)) == NULL)
		return ctp_err_nomem(e, "screening");
	return 0;
}

/* The whole roster but inactive providers: one pass over providers. */
static int
screen_roster(struct screener *s, struct ctp_error *e)
{
	sqlite3_stmt *st;
	int k, rc = 0;

	if (ctp_db_prepare(s->c->db, &st, "SELECT " PROVIDER_COLS " FROM "
	    "providers WHERE status <> 'inactive' ORDER BY id", e))
		return e->code;
	while ((k = sqlite3_step(st)) == SQLITE_ROW)
		if ((rc = screen_row(s, st, e)) != 0)
			break;
	sqlite3_finalize(st);
	if (rc == 0 && k != SQLITE_DONE)
		rc = ctp_db_err(s->c->db, k, "providers", e);
	return rc;
}

/*
 * The run's counts, and its one event: what was screened against which
 * versions, the counts, and the PSV entries it wrote (id range, count
 * and digest): the entries are sealed by the audit chain.
 */
static int
run_finish(struct screener *s, json_t *lists, struct ctp_error *e)
{
	struct ctp_screen_result *r = s->r;
	sqlite3_stmt *st;
	struct ctp_psv_seal psv;
	char ts[CTP_TS_LEN];
	json_t *d;
	int k, rc;

	if ((rc = ctp_psv_seal(s->psv, &psv, e)) != 0)
		return rc;
	ctp_timestamp(ts);
	if (ctp_db_prepare(s->c->db, &st, "UPDATE screen_runs SET "
	    "finished_at = ?1, providers = ?2, clear = ?3, potential = ?4, "
	    "insufficient = ?5, new_matches = ?6 WHERE id = ?7", e))
		return e->code;
	ctp_bind_text(st, 1, ts);
	sqlite3_bind_int64(st, 2, r->providers);
	sqlite3_bind_int64(st, 3, r->clear);
	sqlite3_bind_int64(st, 4, r->potential);
	sqlite3_bind_int64(st, 5, r->insufficient);
	sqlite3_bind_int64(st, 6, r->new_matches);
	sqlite3_bind_int64(st, 7, s->run);
	k = sqlite3_step(st);
	sqlite3_finalize(st);
	if (k != SQLITE_DONE)
		return ctp_db_err(s->c->db, k, "screening run", e);
	d = json_pack("{s:I, s:s, s:O, s:I, s:I, s:I, s:I, s:I, s:{s:I, s:I,"
	    " s:I, s:s}}", "run", (json_int_t)s->run, "as_of", s->as_of_s,
	    "lists", lists, "providers", (json_int_t)r->providers, "clear",
	    (json_int_t)r->clear, "potential", (json_int_t)r->potential,
	    "insufficient", (json_int_t)r->insufficient, "new_matches",
	    (json_int_t)r->new_matches, "psv", "first", (json_int_t)psv.first,
	    "last", (json_int_t)psv.last, "rows", (json_int_t)psv.rows,
	    "sha256", psv.sha256);
	rc = d ? ctp_audit(s->c, "screen.run", "screening_run", NULL, d, e) :
	    ctp_err_nomem(e, "screening");
	json_decref(d);
	return rc;
}

int
ctp_screen_run(struct ctp_ctx *c, const char *const *npis, size_t n,
    long as_of, struct ctp_out *o, struct ctp_screen_result *r,
    struct ctp_error *e)
{
	return ctp_screen_run_shared(c, NULL, npis, n, as_of, o, r, e);
}

int
ctp_screen_run_shared(struct ctp_ctx *c, struct ctp_screen_shared **sh,
    const char *const *npis, size_t n, long as_of, struct ctp_out *o,
    struct ctp_screen_result *r, struct ctp_error *e)
{
	struct screener s;
	long long *ids = NULL, nids = 0, i;
	json_t *lists = NULL;
	int rc, journal = 0;
	size_t j;

	memset(&s, 0, sizeof(s));
	memset(r, 0, sizeof(*r));
	s.c = c;
	s.r = r;
	s.as_of = as_of;
	ctp_date_format(as_of, s.as_of_s);
	if ((rc = load_sources(&s, e)) != 0)
		goto out;
	if (s.nsrc == 0) {
		rc = ctp_errf(e, CTP_NOINPUT, NULL, "no exclusion list loaded: "
		    "run ctp-screen fetch or ctp-screen load first");
		goto out;
	}
	/* Who: resolve every NPI before writing anything. */
	if (n > 0)
		rc = resolve(c, npis, n, &ids, &nids, e);
	else
		rc = ctp_db_int(c->db, "SELECT count(*) FROM providers WHERE "
		    "status <> 'inactive'", &nids, "providers", e);
	if (rc != 0 || nids == 0)
		goto out;
	if ((lists = json_array()) == NULL) {
		rc = ctp_err_nomem(e, "screening");
		goto out;
	}
	for (j = 0; j < s.nsrc; j++)
		json_array_append_new(lists, json_pack("{s:s, s:I, s:s}",
		    "source", s.src[j].source, "version",
		    (json_int_t)s.src[j].version, "reference",
		    s.src[j].reference));
	if ((rc = prepare(&s, e)) != 0)
		goto out;
	/* A cache of 32 MB, not SQLite's 2 MB: see the opening comment. */
	sqlite3_exec(c->db, "PRAGMA cache_size=-32000", NULL, NULL, NULL);
	if (nids >= BULK_JOURNAL_MIN)
		journal = ctp_db_bulk_journal(c->db);
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		goto out;
	if ((rc = ctp_screen_nicknames_load(c->db, &s.nick, e)) != 0 ||
	    (rc = ctp_screen_use_open(&s.ix, c->db, sh, s.nick, e)) != 0)
		goto fail;
	if ((rc = run_start(&s, n > 0 ? "providers" : "roster", lists,
	    e)) != 0 || (n == 0 && (rc = screen_roster(&s, e)) != 0))
		goto fail;
	for (i = 0; n > 0 && i < nids; i++) {
		if (i > 0 && ids[i] == ids[i - 1])
			continue;
		if ((rc = screen_one(&s, ids[i], e)) != 0)
			goto fail;
	}
	r->examined = ctp_screen_use_examined(&s.ix);
	if ((rc = run_finish(&s, lists, e)) != 0 ||
	    (rc = ctp_db_commit(c->db, e)) != 0)
		goto fail;
	ctp_db_wal_again(c->db, journal);
	journal = 0;
	/* What needs a person: every match of this run still pending. */
	if (o)
		rc = ctp_screen_run_matches(c, s.run, o, e);
	goto out;
fail:
	ctp_db_rollback(c->db);
out:
	ctp_db_wal_again(c->db, journal);
	sqlite3_finalize(s.prov);
	/* The first organization of a run across clients keeps its index
	 * for the rest (screen_shared.c). */
	ctp_screen_use_close(&s.ix, rc == 0 ? sh : NULL, &s.nick);
	ctp_nicknames_free(s.nick);
	sqlite3_finalize(s.m_find);
	sqlite3_finalize(s.m_ins);
	sqlite3_finalize(s.m_upd);
	for (j = 0; j < s.nsrc; j++) {
		free(s.src[j].source);
		free(s.src[j].reference);
	}
	free(s.src);
	ctp_psv_close(s.psv);
	free(s.clear_detail);
	ctp_screen_memo_free(&s.checks);
	free(s.cand);
	free(ids);
	json_decref(lists);
	return rc;
}

