/*
 * psv_log.c - a verification done by hand, entered with its checks and
 * the credential's mark in one transaction, and the log a surveyor reads
 * (psv_log.h).  The entry itself goes through psv.c, the mark through
 * credential.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "credential.h"
#include "date.h"
#include "db.h"
#include "org.h"
#include "psv.h"
#include "psv_log.h"
#include "roster.h"
#include "validate.h"

const struct ctp_col ctp_psv_log_columns[] = {
	{ "entry_id", CTP_COL_INT },
	{ "verified_on", CTP_COL_STR },
	{ "npi", CTP_COL_STR },
	{ "last_name", CTP_COL_STR },
	{ "first_name", CTP_COL_STR },
	{ "credential_id", CTP_COL_INT },
	{ "kind", CTP_COL_STR },
	{ "source", CTP_COL_STR },
	{ "method", CTP_COL_STR },
	{ "result", CTP_COL_STR },
	{ "reference", CTP_COL_STR },
	{ "note", CTP_COL_STR },
	{ "corrects", CTP_COL_INT },
	{ "actor", CTP_COL_STR },
	{ "ts", CTP_COL_STR },
};

/* "unknown WHAT (one of a, b, c)" for a word not in list. */
static int
unknown_word(const char *where, const char *what, const char *const *list,
    struct ctp_error *e)
{
	char words[160];
	size_t k = 0;
	int i;

	words[0] = '\0';
	for (i = 0; list[i] && k < sizeof(words); i++)
		k += (size_t)snprintf(words + k, sizeof(words) - k, "%s%s",
		    i ? ", " : "", list[i]);
	return ctp_errf(e, CTP_DATAERR, where, "unknown %s (one of %s)", what,
	    words);
}

/* The values that need no database; day gets the check's day. */
static int
check_values(sqlite3 *db, const struct ctp_psv_hand *h,
    char day[CTP_DATE_LEN], struct ctp_error *e)
{
	const char *why;
	long today, d;

	if (h->method == NULL || ctp_str_index(ctp_psv_methods,
	    h->method) < 0)
		return unknown_word("--method", "method", ctp_psv_methods, e);
	if (h->result == NULL || ctp_str_index(ctp_psv_results,
	    h->result) < 0)
		return unknown_word("--result", "result", ctp_psv_results, e);
	if (h->source == NULL || *h->source == '\0')
		return ctp_errf(e, CTP_DATAERR, "--source", "empty");
	if ((why = ctp_check_text(h->source, CTP_PSV_SOURCE_MAX)) != NULL)
		return ctp_errf(e, CTP_DATAERR, "--source", "%s", why);
	if (h->reference && (why = ctp_check_text(h->reference,
	    CTP_PSV_REFERENCE_MAX)) != NULL)
		return ctp_errf(e, CTP_DATAERR, "--reference", "%s", why);
	if ((why = ctp_check_note(h->note)) != NULL)
		return ctp_errf(e, CTP_DATAERR, "--note", "%s", why);
	if (ctp_org_today(db, &today, e))
		return e->code;
	if (h->date == NULL) {
		ctp_date_format(today, day);
		return 0;
	}
	if ((why = ctp_check_date(h->date, day)) != NULL)
		return ctp_errf(e, CTP_DATAERR, "--date", "%s", why);
	if (ctp_date_parse(day, &d) < 0 || d > today)
		return ctp_errf(e, CTP_DATAERR, "--date", "in the future");
	return 0;
}

/*
 * The credential the entry is about: the provider's, active.  With no
 * --credential, a correction is about its entry's credential.
 */
static int
check_credential(sqlite3 *db, long long pid, long long cid,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	long long owner = 0;
	char status[16] = "";
	int rc;

	if (ctp_db_prepare(db, &st, "SELECT provider_id, status FROM "
	    "credentials WHERE id = ?1", e))
		return e->code;
	sqlite3_bind_int64(st, 1, cid);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		owner = sqlite3_column_int64(st, 0);
		snprintf(status, sizeof(status), "%s", ctp_col_text(st, 1));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "credentials", e);
	if (rc == SQLITE_DONE)
		return ctp_errf(e, CTP_DATAERR, "--credential", "no such "
		    "credential");
	if (owner != pid)
		return ctp_errf(e, CTP_DATAERR, "--credential", "not this "
		    "provider's credential");
	if (strcmp(status, "active") != 0)
		return ctp_errf(e, CTP_DATAERR, "--credential", "credential "
		    "is retired");
	return 0;
}

/* The entry to correct: this provider's; *cid gets its credential. */
static int
check_corrects(sqlite3 *db, long long pid, long long id, long long *cid,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	long long owner = 0;
	int rc;

	if (ctp_db_prepare(db, &st, "SELECT provider_id, credential_id FROM "
	    "psv_log WHERE id = ?1", e))
		return e->code;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		owner = sqlite3_column_int64(st, 0);
		*cid = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "psv log", e);
	if (rc == SQLITE_DONE)
		return ctp_errf(e, CTP_DATAERR, "--corrects", "no such entry");
	if (owner != pid)
		return ctp_errf(e, CTP_DATAERR, "--corrects", "an entry of "
		    "another provider");
	return 0;
}

/* The entry through psv.c's writer; *id its id. */
static int
write_entry(struct ctp_ctx *c, const struct ctp_psv_entry *en,
    const char *method, long long *id, struct ctp_error *e)
{
	struct ctp_psv_writer *w;
	int rc;

	if ((rc = ctp_psv_open(&w, c->db, c->user, NULL, method, e)) != 0)
		return rc;
	if ((rc = ctp_psv_add(w, en, e)) == 0 &&
	    (rc = ctp_psv_flush(w, e)) == 0)
		*id = sqlite3_last_insert_rowid(c->db);
	ctp_psv_close(w);
	return rc;
}

static int
add_audit(struct ctp_ctx *c, const struct ctp_psv_hand *h,
    const struct ctp_psv_entry *en, long long id, struct ctp_error *e)
{
	char sid[32];
	json_t *d;
	int rc;

	snprintf(sid, sizeof(sid), "%lld", id);
	d = json_pack("{s:s, s:s, s:s, s:s, s:s}", "npi", h->npi, "source",
	    en->source, "method", h->method, "result", en->result,
	    "verified_on", en->verified_on);
	if (d == NULL || (en->credential_id && json_object_set_new(d,
	    "credential_id", json_integer(en->credential_id)) != 0) ||
	    (en->corrects && json_object_set_new(d, "corrects",
	    json_integer(en->corrects)) != 0)) {
		json_decref(d);
		return ctp_err_nomem(e, "audit");
	}
	rc = ctp_audit(c, "psv.add", "psv_entry", sid, d, e);
	json_decref(d);
	return rc;
}

/* The credential's mark per the result, its history row naming id. */
static int
mark(struct ctp_ctx *c, long long cid, const char *result, long long id,
    struct ctp_error *e)
{
	const char *m = ctp_psv_mark(result);
	char note[64];

	if (cid == 0 || m == NULL)
		return 0;
	snprintf(note, sizeof(note), "psv entry %lld: %s", id, result);
	return ctp_credential_set(c, cid, "verification", m, note, e);
}

int
ctp_psv_record(struct ctp_ctx *c, const struct ctp_psv_hand *h,
    long long *id, struct ctp_error *e)
{
	struct ctp_psv_entry en;
	char day[CTP_DATE_LEN];
	long long pid = 0, ccid = 0;
	int rc;

	*id = 0;
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		return rc;
	memset(&en, 0, sizeof(en));
	if ((rc = check_values(c->db, h, day, e)) != 0 ||
	    (rc = ctp_roster_find(c->db, h->npi, &pid, e)) != 0 ||
	    (h->corrects && (rc = check_corrects(c->db, pid, h->corrects,
	    &ccid, e)) != 0))
		goto fail;
	en.provider_id = pid;
	en.credential_id = h->credential_id ? h->credential_id : ccid;
	if (en.credential_id &&
	    (rc = check_credential(c->db, pid, en.credential_id, e)) != 0)
		goto fail;
	en.source = h->source;
	en.result = h->result;
	en.reference = h->reference && *h->reference ? h->reference : NULL;
	en.note = h->note && *h->note ? h->note : NULL;
	en.verified_on = day;
	en.corrects = h->corrects;
	if ((rc = write_entry(c, &en, h->method, id, e)) != 0 ||
	    (rc = add_audit(c, h, &en, *id, e)) != 0 ||
	    (rc = mark(c, en.credential_id, h->result, *id, e)) != 0 ||
	    (rc = ctp_db_commit(c->db, e)) != 0)
		goto fail;
	return 0;
fail:
	ctp_db_rollback(c->db);
	*id = 0;
	return rc;
}

/* The log's rows as ctp_psv_log_columns reads them; WHERE follows. */
#define LOG_SELECT "SELECT l.id, l.verified_on, p.npi, p.last_name, " \
	"p.first_name, l.credential_id, k.kind, l.source, l.method, " \
	"l.result, l.reference, l.note, l.corrects, l.actor, l.ts FROM " \
	"psv_log l JOIN providers p ON p.id = l.provider_id LEFT JOIN " \
	"credentials k ON k.id = l.credential_id "

int
ctp_psv_rows(sqlite3 *db, long long pid, struct ctp_out *o,
    struct ctp_error *e)
{
	sqlite3_stmt *st;

	if (ctp_db_prepare(db, &st, LOG_SELECT "WHERE l.provider_id = ?1 "
	    "ORDER BY l.verified_on, l.id", e))
		return e->code;
	sqlite3_bind_int64(st, 1, pid);
	return ctp_db_out_rows(st, o, CTP_PSV_LOG_NCOLUMNS, NULL, "psv log",
	    e);
}

int
ctp_psv_list(struct ctp_ctx *c, const struct ctp_psv_filter *f,
    struct ctp_out *o, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char since[CTP_DATE_LEN];
	const char *why;
	long long pid, n = 0;
	json_t *d;
	int rc;

	if (f->since && (why = ctp_check_date(f->since, since)) != NULL)
		return ctp_errf(e, CTP_DATAERR, "--since", "%s", why);
	if (f->npi && ctp_roster_find(c->db, f->npi, &pid, e))
		return e->code;
	if (ctp_db_prepare(c->db, &st, LOG_SELECT
	    "WHERE (?1 IS NULL OR p.npi = ?1) AND "
	    "(?2 IS NULL OR l.verified_on >= ?2) AND "
	    "(?3 IS NULL OR l.source = ?3 COLLATE NOCASE) AND "
	    "(?4 IS NULL OR l.credential_id = ?4) "
	    "ORDER BY l.verified_on, l.id", e))
		return e->code;
	ctp_bind_text(st, 1, f->npi);
	ctp_bind_text(st, 2, f->since ? since : NULL);
	ctp_bind_text(st, 3, f->source);
	if (f->credential_id)
		sqlite3_bind_int64(st, 4, f->credential_id);
	if (ctp_db_out_rows(st, o, CTP_PSV_LOG_NCOLUMNS, &n, "psv log", e))
		return e->code;
	d = json_pack("{s:s?, s:s?, s:s?, s:I}", "npi", f->npi, "since",
	    f->since ? since : NULL, "source", f->source, "rows",
	    (json_int_t)n);
	if (d && f->credential_id && json_object_set_new(d, "credential_id",
	    json_integer(f->credential_id)) != 0) {
		json_decref(d);
		d = NULL;
	}
	if (d == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(c, "psv.list", "provider", f->npi ? f->npi : "", d, e);
	json_decref(d);
	return rc;
}
