/*
 * verifier_screen.c - the oig and sam verifiers (verifier.h): one
 * provider against one exclusion list in force, through the screening
 * rules (screen_match.c) and the entries ctp-screen loaded, read-only:
 * nothing is written to the screening tables (ctp-screen run does that).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "screen.h"
#include "nickname.h"
#include "screen_match.h"
#include "verifier.h"

/* The strongest match found, and what the reply says of it. */
struct best {
	enum ctp_screen_rule rule;
	char type[128], excl[16];
};

/* A search for the strongest match not cleared (or reinstated) for
 * the provider (cleared: ?1 provider npi, ?2 source, ?3 ident). */
struct judging {
	const struct ctp_nicknames *nick;
	const struct ctp_screen_provider *p;
	const char *as_of;
	sqlite3_stmt *cleared;
	struct best *b;
	int rc;			/* SQLite's, when a lookup failed */
};

/* Judge a candidate; keep it when stronger. */
static int
judge(void *arg, const struct ctp_screen_entry *en, long long version)
{
	struct judging *j = arg;
	struct ctp_screen_why why;
	enum ctp_screen_rule r;
	int k;

	(void)version;
	if ((r = ctp_screen_match(j->nick, j->p, en, j->as_of, &why)) <=
	    j->b->rule)
		return 0;
	ctp_bind_text(j->cleared, 3, en->ident);
	k = sqlite3_step(j->cleared);
	sqlite3_reset(j->cleared);
	if (k == SQLITE_ROW)
		return 0;
	if (k != SQLITE_DONE)
		return j->rc = k;
	j->b->rule = r;
	snprintf(j->b->type, sizeof(j->b->type), "%s", en->type);
	snprintf(j->b->excl, sizeof(j->b->excl), "%s", en->excl_date);
	return 0;
}

/* The list of source in force: its reference and date; *found 0 when
 * none is loaded. */
static int
list_in_force(sqlite3 *db, const char *source, char *ref, size_t n,
    char date[16], int *found, struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	*found = 0;
	if (ctp_db_prepare(db, &st, "SELECT id, file_date, sha256, (SELECT "
	    "count(*) FROM screen_lists x WHERE x.parent_id = l.id AND "
	    "x.active = 1) FROM screen_lists l WHERE source = ?1 AND active = "
	    "1 AND kind IN ('leie', 'sam', 'custom') ORDER BY id DESC LIMIT 1",
	    e))
		return e->code;
	ctp_bind_text(st, 1, source);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*found = 1;
		snprintf(ref, n, "%s version %lld, %s, sha256 %.12s%s", source,
		    sqlite3_column_int64(st, 0), ctp_col_text(st, 1),
		    ctp_col_text(st, 2), sqlite3_column_int(st, 3) ?
		    ", with supplements" : "");
		snprintf(date, 16, "%s", ctp_col_text(st, 1));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "screen lists", e);
	return 0;
}

/* A match an organization confirmed stands until reinstated. */
static int
confirmed(sqlite3 *db, const char *npi, const char *source, long long *n,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	if (ctp_db_prepare(db, &st, "SELECT count(*) FROM screen_matches m "
	    "JOIN providers p ON p.id = m.provider_id WHERE p.npi = ?1 AND "
	    "m.source = ?2 AND m.status = 'confirmed'", e))
		return e->code;
	ctp_bind_text(st, 1, npi);
	ctp_bind_text(st, 2, source);
	rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return ctp_db_err(db, rc, "screen matches", e);
	return 0;
}

/* Judge each entry st finds (j->rc: SQLite's result). */
static int
judge_rows(struct judging *j, sqlite3_stmt *st)
{
	struct ctp_screen_entry en;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ctp_screen_entry_row(st, &en);
		if (judge(j, &en, sqlite3_column_int64(st, 2)) != 0) {
			rc = j->rc;
			break;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : (j->rc = rc);
}

/*
 * Every entry worth judging, for one provider: by NPI, by each last-name
 * key of each of the provider's names and by the first name as a last
 * name (swapped_names), by the date of birth (the rules that allow
 * another last name).  A few lookups cost less than building
 * screen_index.h's index of a whole list, which pays for a whole roster.
 */
static int
search(sqlite3 *db, const char *source, const struct ctp_screen_provider *p,
    const char *as_of, struct best *b, struct ctp_error *e)
{
	struct ctp_nicknames *nick = NULL;
	sqlite3_stmt *by_npi = NULL, *by_last = NULL, *by_dob = NULL;
	struct ctp_screen_name nm;
	struct judging j;
	size_t pos = 0;
	int i, rc;

	memset(&j, 0, sizeof(j));
	if ((rc = ctp_db_prepare(db, &j.cleared, "SELECT 1 FROM screen_matches "
	    "m JOIN providers p ON p.id = m.provider_id WHERE p.npi = ?1 AND "
	    "m.source = ?2 AND m.ident = ?3 AND m.status IN ('cleared', "
	    "'reinstated')", e)) != 0 ||
	    (rc = ctp_db_prepare(db, &by_npi, "SELECT " CTP_SCREEN_ENTRY_COLS
	    " FROM screen_entries e WHERE e.npi = ?1 AND e.source = ?2 AND "
	    "e.entity = 'person'", e)) != 0 ||
	    (rc = ctp_db_prepare(db, &by_last, "SELECT " CTP_SCREEN_ENTRY_COLS
	    " FROM screen_names n JOIN screen_entries e ON e.id = n.entry_id "
	    "WHERE n.last_key = ?1 AND e.source = ?2", e)) != 0 ||
	    (rc = ctp_db_prepare(db, &by_dob, "SELECT " CTP_SCREEN_ENTRY_COLS
	    " FROM screen_entries e WHERE e.dob = ?1 AND e.source = ?2 AND "
	    "e.entity = 'person'", e)) != 0 ||
	    (rc = ctp_screen_nicknames_load(db, &nick, e)) != 0)
		goto out;
	ctp_bind_text(j.cleared, 1, p->npi);
	ctp_bind_text(j.cleared, 2, source);
	j.nick = nick;
	j.p = p;
	j.as_of = as_of;
	j.b = b;
	ctp_bind_text(by_npi, 1, p->npi);
	ctp_bind_text(by_npi, 2, source);
	ctp_bind_text(by_last, 2, source);
	ctp_bind_text(by_dob, 2, source);
	if (judge_rows(&j, by_npi) != 0)
		goto dberr;
	while (ctp_screen_next_name(p, &pos, &nm))
		for (i = -1; i < nm.nkeys; i++) {
			ctp_bind_text(by_last, 1, i < 0 ? nm.first_key :
			    nm.last_keys[i]);
			if (judge_rows(&j, by_last) != 0)
				goto dberr;
		}
	if (p->dob && *p->dob) {
		ctp_bind_text(by_dob, 1, p->dob);
		if (judge_rows(&j, by_dob) != 0)
			goto dberr;
	}
	goto out;
dberr:
	rc = ctp_db_err(db, j.rc, "screening", e);
out:
	sqlite3_finalize(j.cleared);
	sqlite3_finalize(by_npi);
	sqlite3_finalize(by_last);
	sqlite3_finalize(by_dob);
	ctp_nicknames_free(nick);
	return rc;
}

int
ctp_verifier_screen(sqlite3 *db, const char *source, const json_t *req,
    json_t **reply, struct ctp_error *e)
{
	struct ctp_screen_provider p;
	struct best b;
	const char *as_of = json_string_value(json_object_get(req, "as_of"));
	char ref[200], date[16], msg[160];
	long long nconf;
	int found, rc;

	*reply = NULL;
	memset(&p, 0, sizeof(p));
	memset(&b, 0, sizeof(b));
	p.npi = ctp_verifier_provider(req, "npi");
	p.first = ctp_verifier_provider(req, "first_name");
	p.middle = ctp_verifier_provider(req, "middle_name");
	p.suffix = ctp_verifier_provider(req, "suffix");
	p.last = ctp_verifier_provider(req, "last_name");
	p.other_names = ctp_verifier_provider(req, "other_names");
	p.dob = ctp_verifier_provider(req, "dob");
	p.state = ctp_verifier_provider(req, "practice_state");
	if (as_of == NULL)
		return ctp_errf(e, CTP_DATAERR, "request", "no as_of");
	if ((rc = list_in_force(db, source, ref, sizeof(ref), date, &found,
	    e)) != 0)
		return rc;
	if (!found) {
		snprintf(msg, sizeof(msg), "no %s list loaded (ctp-screen "
		    "fetch or ctp-screen load)", source);
		*reply = ctp_verifier_reply("error", source, NULL,
		    json_string(msg), NULL);
	} else if ((rc = confirmed(db, p.npi, source, &nconf, e)) != 0 ||
	    (rc = search(db, source, &p, as_of, &b, e)) != 0)
		return rc;
	else if (nconf > 0)
		*reply = ctp_verifier_reply("excluded", source, ref,
		    json_pack("{s:s}", "match", "confirmed (ctp-screen "
		    "matches --status confirmed)"), *date ? date : NULL);
	else if (b.rule == CTP_MATCH_NONE)
		*reply = ctp_verifier_reply("verified", source, ref, NULL,
		    *date ? date : NULL);
	else
		*reply = ctp_verifier_reply(b.rule == CTP_MATCH_NPI ?
		    "excluded" : "discrepancy", source, ref, json_pack("{s:s, "
		    "s:s, s:s, s:s}", "rule", ctp_screen_rule_name(b.rule),
		    "result", b.rule == CTP_MATCH_NPI ? "excluded" :
		    ctp_screen_rule_result(b.rule), "excl_type", b.type,
		    "excl_date", b.excl), *date ? date : NULL);
	if (*reply == NULL)
		return ctp_err_nomem(e, "screening");
	return 0;
}
