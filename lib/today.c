/*
 * today.c - one organization's dashboard as a JSON object (today.h):
 * each section read by the module that owns its rule (the inbox, the
 * verification queue), or by a small query of its table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "date.h"
#include "db.h"
#include "enroll.h"
#include "expiring.h"
#include "org.h"
#include "out.h"
#include "psv_log.h"
#include "today.h"


/* Set key of o to v (stolen); -1 when v is NULL or out of memory. */
static int
set(json_t *o, const char *key, json_t *v)
{
	return v == NULL || json_object_set_new(o, key, v) != 0 ? -1 : 0;
}

/* What falls due within 90 days, by band, as ctp-expiring lists it. */
static int
due(struct ctp_ctx *c, long as_of, json_t *root, struct ctp_error *e)
{
	struct ctp_exp_query q = { 0 };
	struct ctp_exp_list l;
	struct ctp_exp_row r;
	char d[CTP_DATE_LEN];
	json_t *s, *first, *it;
	long long band[5] = { 0 };	/* overdue, 30, 60, 90, no date */
	size_t i;
	int rc;

	q.as_of = as_of;
	q.within = 90;
	ctp_expiring_init(&l);
	if ((rc = ctp_expiring_collect(c, &q, &l, e)) != 0 ||
	    (rc = ctp_expiring_sort(&l, e)) != 0) {
		ctp_expiring_free(&l);
		return rc;
	}
	first = json_array();
	for (i = 0; i < l.n && first; i++) {
		ctp_expiring_get(&l, i, &r);
		band[r.due == CTP_EXP_NODATE ? 4 : r.days_left < 0 ? 0 :
		    r.days_left <= 30 ? 1 : r.days_left <= 60 ? 2 : 3]++;
		if (i >= CTP_TODAY_FEW)
			continue;
		if (r.due != CTP_EXP_NODATE)
			ctp_date_format(r.due, d);
		it = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:o}", "npi", r.npi,
		    "last_name", r.last_name, "first_name", r.first_name,
		    "kind", r.kind,
		    "detail", r.detail, "due", r.due == CTP_EXP_NODATE ? NULL :
		    d, "days_left", r.due == CTP_EXP_NODATE ? json_null() :
		    json_integer(r.days_left));
		if (json_array_append_new(first, it) != 0) {
			json_decref(first);
			first = NULL;
		}
	}
	ctp_expiring_free(&l);
	s = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o*}", "total",
	    (json_int_t)(band[0] + band[1] + band[2] + band[3] + band[4]),
	    "overdue", (json_int_t)band[0], "30", (json_int_t)band[1], "60",
	    (json_int_t)band[2], "90", (json_int_t)band[3], "no_date",
	    (json_int_t)band[4], "first", first);
	return set(root, "due", s) ? ctp_err_nomem(e, "today") : 0;
}

/* The verification queue, through ctp_psv_queue's own JSON Lines. */
static int
psv(struct ctp_ctx *c, long as_of, json_t *root, struct ctp_error *e)
{
	struct ctp_out *o;
	char *buf = NULL, *line, *save = NULL;
	size_t n = 0;
	long long rows = 0, k = 0;
	json_t *first, *j, *it;
	FILE *f;
	int rc;

	if ((f = open_memstream(&buf, &n)) == NULL)
		return ctp_err_nomem(e, "today");
	if ((o = ctp_out_new(f, CTP_FMT_JSON, ctp_psv_queue_columns,
	    CTP_PSV_QUEUE_NCOLUMNS, 0)) == NULL) {
		fclose(f);
		free(buf);
		return ctp_err_nomem(e, "today");
	}
	rc = ctp_psv_queue(c, as_of, o, &rows, e);
	if (rc == 0)
		rc = ctp_out_close(o, e);
	else
		ctp_out_free(o);
	fclose(f);
	if (rc != 0) {
		free(buf);
		return rc;
	}
	first = json_array();
	for (line = strtok_r(buf, "\n", &save); line && first &&
	    k < CTP_TODAY_FEW; line = strtok_r(NULL, "\n", &save), k++) {
		if ((j = json_loads(line, 0, NULL)) == NULL)
			continue;
		it = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O}", "npi",
		    json_object_get(j, "npi"), "last_name",
		    json_object_get(j, "last_name"), "first_name",
		    json_object_get(j, "first_name"), "kind", json_object_get(j, "kind"), "reason",
		    json_object_get(j, "reason"), "credential_id",
		    json_object_get(j, "credential_id"));
		json_decref(j);
		if (json_array_append_new(first, it) != 0) {
			json_decref(first);
			first = NULL;
		}
	}
	free(buf);
	return set(root, "psv_queue", json_pack("{s:I, s:o*}", "count",
	    (json_int_t)rows, "first", first)) ? ctp_err_nomem(e, "today") :
	    0;
}

/* New (requested in the last week) and stalled open enrollments. */
static int
enrollments(struct ctp_ctx *c, long as_of, json_t *root,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	long stale, req, changed;
	long long nnew = 0, nstalled = 0, nopen = 0;
	json_t *first, *it;
	int rc, isnew, stalled;

	if ((rc = ctp_org_get_long(c->db, "enroll_stale_days", &stale, e)))
		return rc;
	if (ctp_db_prepare(c->db, &st, "SELECT e.id, p.npi, p.last_name,"
	    " p.first_name, e.payer, e.line, e.status, e.requested, e.changed"
	    " FROM enrollments e JOIN providers p ON p.id = e.provider_id"
	    " WHERE e.status IN ('requested', 'submitted', 'in_process')"
	    " ORDER BY e.changed, e.id", e))
		return e->code;
	first = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (ctp_date_parse(ctp_col_text(st, 7), &req) < 0 ||
		    ctp_date_parse(ctp_col_text(st, 8), &changed) < 0)
			continue;
		nopen++;
		isnew = req <= as_of && as_of - req < CTP_TODAY_NEW_DAYS;
		stalled = ctp_enroll_stalls(changed, stale) <= as_of;
		nnew += isnew;
		nstalled += stalled;
		if ((!isnew && !stalled) || first == NULL ||
		    json_array_size(first) >= CTP_TODAY_FEW)
			continue;
		it = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I,"
		    " s:b, s:b}", "id", (json_int_t)sqlite3_column_int64(st, 0),
		    "npi", ctp_col_text(st, 1), "last_name", ctp_col_text(st, 2),
		    "first_name", ctp_col_text(st, 3), "payer", ctp_col_text(st, 4),
		    "line", ctp_col_text(st, 5), "status", ctp_col_text(st, 6),
		    "changed", ctp_col_text(st, 8), "days",
		    (json_int_t)(as_of - changed), "new", isnew, "stalled",
		    stalled);
		if (json_array_append_new(first, it) != 0) {
			json_decref(first);
			first = NULL;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		json_decref(first);
		return ctp_db_err(c->db, rc, "enrollments", e);
	}
	return set(root, "enrollments", json_pack("{s:I, s:I, s:I, s:o*}",
	    "new", (json_int_t)nnew, "stalled", (json_int_t)nstalled, "open",
	    (json_int_t)nopen, "first", first)) ? ctp_err_nomem(e, "today") :
	    0;
}

/* The last screening run: its day, its lists, the matches pending. */
static int
screening(struct ctp_ctx *c, json_t *root, struct ctp_error *e)
{
	sqlite3_stmt *st;
	long long pending;
	json_t *run = json_null(), *lists;
	int rc;

	if ((rc = ctp_db_int(c->db, "SELECT count(*) FROM screen_matches"
	    " WHERE status = 'pending'", &pending, "screening", e)) != 0)
		return rc;
	if (ctp_db_prepare(c->db, &st, "SELECT id, as_of, started_at,"
	    " finished_at, lists, providers FROM screen_runs"
	    " ORDER BY id DESC LIMIT 1", e))
		return e->code;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((lists = json_loads(ctp_col_text(st, 4), 0, NULL)) == NULL)
			lists = json_array();
		run = json_pack("{s:I, s:s, s:s, s:s?, s:I, s:o}", "id",
		    (json_int_t)sqlite3_column_int64(st, 0), "as_of",
		    ctp_col_text(st, 1), "started_at", ctp_col_text(st, 2),
		    "finished_at", sqlite3_column_type(st, 3) == SQLITE_NULL ?
		    NULL : ctp_col_text(st, 3), "providers",
		    (json_int_t)sqlite3_column_int64(st, 5), "lists", lists);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		json_decref(run);
		return ctp_db_err(c->db, rc, "screening", e);
	}
	return set(root, "screening", json_pack("{s:o*, s:I}", "last_run",
	    run, "pending_matches", (json_int_t)pending)) ?
	    ctp_err_nomem(e, "today") : 0;
}

/* Open NPI mismatches: the count and the first few. */
static int
mismatches(struct ctp_ctx *c, json_t *root, struct ctp_error *e)
{
	sqlite3_stmt *st;
	long long n = 0;
	json_t *first = json_array(), *it;
	int rc;

	if (ctp_db_prepare(c->db, &st, "SELECT m.id, p.npi, p.last_name,"
	    " p.first_name, m.field, m.roster_value, m.registry_value"
	    " FROM npi_mismatches m JOIN providers p ON p.id = m.provider_id"
	    " WHERE m.status = 'open' ORDER BY m.id", e)) {
		json_decref(first);
		return e->code;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n++ >= CTP_TODAY_FEW || first == NULL)
			continue;
		it = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
		    (json_int_t)sqlite3_column_int64(st, 0), "npi",
		    ctp_col_text(st, 1), "last_name", ctp_col_text(st, 2),
		    "first_name", ctp_col_text(st, 3), "field", ctp_col_text(st, 4),
		    "roster_value", ctp_col_text(st, 5), "registry_value",
		    ctp_col_text(st, 6));
		if (json_array_append_new(first, it) != 0) {
			json_decref(first);
			first = NULL;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		json_decref(first);
		return ctp_db_err(c->db, rc, "npi", e);
	}
	return set(root, "npi_mismatches", json_pack("{s:I, s:o*}", "open",
	    (json_int_t)n, "first", first)) ? ctp_err_nomem(e, "today") : 0;
}

/*
 * The documents added since `since` (RFC 3339) and the review queue:
 * both read the documents table, which an organization has only from
 * the schema that stores documents on; without it both sections say
 * "available": false.  The review queue counts the documents pending
 * review and the value suggestions of extraction (suggest.h) pending,
 * each also on its own.
 */
static int
documents(struct ctp_ctx *c, const char *since, const char *until,
    json_t *root, struct ctp_error *e)
{
	sqlite3_stmt *st;
	long long have = 0, recent = 0, pending = 0, sugg = 0;
	json_t *first, *it;
	int rc;

	if ((rc = ctp_db_int(c->db, "SELECT count(*) FROM sqlite_master"
	    " WHERE type = 'table' AND name = 'documents'", &have,
	    "documents", e)) != 0)
		return rc;
	if (!have)
		return set(root, "documents", json_pack("{s:b}", "available",
		    0)) || set(root, "review", json_pack("{s:b}", "available",
		    0)) ? ctp_err_nomem(e, "today") : 0;
	if ((rc = ctp_db_int(c->db, "SELECT count(*) FROM documents"
	    " WHERE review = 'pending'", &pending, "documents", e)) != 0)
		return rc;
	if ((rc = ctp_db_int(c->db, "SELECT count(*) FROM suggestions"
	    " WHERE status = 'pending'", &sugg, "suggestions", e)) != 0)
		return rc;
	if (ctp_db_prepare(c->db, &st, "SELECT d.id, p.npi, p.last_name,"
	    " p.first_name, d.kind, d.name, d.added_at FROM documents d"
	    " JOIN providers p ON p.id = d.provider_id"
	    " WHERE d.added_at >= ?1 AND d.added_at <= ?2"
	    " ORDER BY d.added_at DESC, d.id DESC", e))
		return e->code;
	ctp_bind_text(st, 1, since);
	ctp_bind_text(st, 2, until);
	first = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (recent++ >= CTP_TODAY_FEW || first == NULL)
			continue;
		it = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
		    (json_int_t)sqlite3_column_int64(st, 0), "npi",
		    ctp_col_text(st, 1), "last_name", ctp_col_text(st, 2),
		    "first_name", ctp_col_text(st, 3), "kind", ctp_col_text(st, 4),
		    "file", ctp_col_text(st, 5), "added_at",
		    ctp_col_text(st, 6));
		if (json_array_append_new(first, it) != 0) {
			json_decref(first);
			first = NULL;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		json_decref(first);
		return ctp_db_err(c->db, rc, "documents", e);
	}
	return set(root, "documents", json_pack("{s:b, s:s, s:I, s:o*}",
	    "available", 1, "since", since, "count", (json_int_t)recent,
	    "first", first)) || set(root, "review", json_pack("{s:b, s:I, "
	    "s:I, s:I}", "available", 1, "pending", (json_int_t)(pending +
	    sugg), "documents", (json_int_t)pending, "suggestions",
	    (json_int_t)sugg)) ?
	    ctp_err_nomem(e, "today") : 0;
}

/* The 24 hours before now_ts (or before the end of day as_of). */
static void
window(long as_of, int given, const char *now_ts, char since[CTP_TS_LEN],
    char until[CTP_TS_LEN])
{
	char d[CTP_DATE_LEN];
	time_t t;
	struct tm tm;

	if (now_ts != NULL) {
		snprintf(until, CTP_TS_LEN, "%s", now_ts);
	} else if (given) {
		ctp_date_format(as_of, d);
		snprintf(until, CTP_TS_LEN, "%sT23:59:59Z", d);
	} else
		ctp_timestamp(until);
	memset(&tm, 0, sizeof(tm));
	if (sscanf(until, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
		snprintf(since, CTP_TS_LEN, "%s", until);
		return;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm) - 24 * 3600;
	gmtime_r(&t, &tm);
	strftime(since, CTP_TS_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int
head(struct ctp_ctx *c, long as_of, json_t *root, struct ctp_error *e)
{
	char *name = NULL, d[CTP_DATE_LEN];
	const char *base;
	int rc;

	if ((rc = ctp_org_get(c->db, "name", &name, e)) != 0)
		return rc;
	base = strrchr(c->path, '/');
	ctp_date_format(as_of, d);
	rc = set(root, "organization", json_string(*name ? name : base ?
	    base + 1 : c->path)) || set(root, "database",
	    json_string(c->path)) || set(root, "as_of", json_string(d));
	free(name);
	return rc ? ctp_err_nomem(e, "today") : 0;
}

int
ctp_today_read(struct ctp_ctx *c, long as_of, const char *now_ts,
    json_t **out, struct ctp_error *e)
{
	char since[CTP_TS_LEN], until[CTP_TS_LEN];
	json_t *root, *d;
	int rc, given = as_of != CTP_EXP_TODAY;

	*out = NULL;
	if (!given && (rc = ctp_org_today(c->db, &as_of, e)) != 0)
		return rc;
	window(as_of, given, now_ts, since, until);
	if ((root = json_object()) == NULL)
		return ctp_err_nomem(e, "today");
	if ((rc = head(c, as_of, root, e)) != 0 ||
	    (rc = due(c, as_of, root, e)) != 0 ||
	    (rc = psv(c, as_of, root, e)) != 0 ||
	    (rc = enrollments(c, as_of, root, e)) != 0 ||
	    (rc = screening(c, root, e)) != 0 ||
	    (rc = mismatches(c, root, e)) != 0 ||
	    (rc = documents(c, since, until, root, e)) != 0) {
		json_decref(root);
		return rc;
	}
	if ((d = json_pack("{s:O}", "as_of", json_object_get(root,
	    "as_of"))) == NULL) {
		json_decref(root);
		return ctp_err_nomem(e, "audit");
	}
	rc = ctp_audit(c, "today.read", "today", "", d, e);
	json_decref(d);
	if (rc != 0) {
		json_decref(root);
		return rc;
	}
	*out = root;
	return 0;
}
