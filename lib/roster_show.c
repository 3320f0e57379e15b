/*
 * roster_show.c - what ctp-roster list, show (field,value rows or one
 * JSON object) and history print (roster.h); each read is an audit
 * event.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "buf.h"
#include "credential.h"
#include "db.h"
#include "roster.h"
#include "validate.h"

const struct ctp_col ctp_roster_list_columns[] = {
	{ "npi", CTP_COL_STR },
	{ "last_name", CTP_COL_STR },
	{ "first_name", CTP_COL_STR },
	{ "provider_type", CTP_COL_STR },
	{ "practice_state", CTP_COL_STR },
	{ "coordinator", CTP_COL_STR },
	{ "status", CTP_COL_STR },
	{ "caqh_id", CTP_COL_STR },
	{ "last_recred_date", CTP_COL_STR },
};

const struct ctp_col ctp_roster_show_columns[] = {
	{ "field", CTP_COL_STR },
	{ "value", CTP_COL_STR },
};

const struct ctp_col ctp_roster_history_columns[] = {
	{ "ts", CTP_COL_STR },
	{ "actor", CTP_COL_STR },
	{ "field", CTP_COL_STR },
	{ "old_value", CTP_COL_STR },
	{ "new_value", CTP_COL_STR },
	{ "credential_id", CTP_COL_INT },
	{ "source", CTP_COL_STR },
	{ "note", CTP_COL_STR },
};

/* A read of provider data is an audit event too. */
static int
audit_read(struct ctp_ctx *c, const char *action, const char *npi,
    long long rows, struct ctp_error *e)
{
	json_t *d;
	int rc;

	if ((d = json_pack("{s:I}", "rows", (json_int_t)rows)) == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(c, action, npi ? "provider" : "roster", npi ? npi : "",
	    d, e);
	json_decref(d);
	return rc;
}

int
ctp_roster_list(struct ctp_ctx *c, const struct ctp_roster_filter *f,
    struct ctp_out *o, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char t[8] = "", s[3] = "", stat[16] = "";
	const char *why;
	long long n = 0;

	if (f->type && *f->type && (why = ctp_check_ptype(f->type, t)) != NULL)
		return ctp_errf(e, CTP_USAGE, "--type", "%s", why);
	if (f->status && *f->status && (why = ctp_roster_check("status",
	    f->status, stat, sizeof(stat))) != NULL)
		return ctp_errf(e, CTP_USAGE, "--status", "%s", why);
	if (f->state && *f->state &&
	    (why = ctp_check_state(f->state, s)) != NULL)
		return ctp_errf(e, CTP_USAGE, "--state", "%s", why);
	if (ctp_db_prepare(c->db, &st, "SELECT npi, last_name, first_name, "
	    "provider_type, practice_state, coordinator, status, caqh_id, "
	    "last_recred_date FROM providers WHERE (?1 IS NULL OR "
	    "provider_type = ?1) AND (?2 IS NULL OR practice_state = ?2) AND "
	    "(?3 IS NULL OR coordinator = ?3) AND (?4 IS NULL OR status = ?4) "
	    "ORDER BY last_name, first_name, npi", e))
		return e->code;
	ctp_bind_text_or_null(st, 1, t);
	ctp_bind_text_or_null(st, 2, s);
	ctp_bind_text_or_null(st, 3, f->coordinator);
	ctp_bind_text_or_null(st, 4, stat);
	if (ctp_db_out_rows(st, o, CTP_ROSTER_LIST_NCOLUMNS, &n, "roster", e))
		return e->code;
	return audit_read(c, "roster.list", NULL, n, e);
}

/* The provider row of npi, stepped, in *st (the caller finalizes). */
static int
provider_row(struct ctp_ctx *c, const char *npi, long long *id,
    sqlite3_stmt **st, struct ctp_error *e)
{
	int rc;

	*st = NULL;
	if (ctp_roster_find(c->db, npi, id, e))
		return e->code;
	if ((rc = ctp_db_prepare(c->db, st, "SELECT * FROM providers "
	    "WHERE id = ?1", e)) != 0)
		return rc;
	sqlite3_bind_int64(*st, 1, *id);
	if ((rc = sqlite3_step(*st)) != SQLITE_ROW)
		return ctp_db_err(c->db, rc, "roster", e);
	return 0;
}

/* One field,value row of show. */
static int
show_row(struct ctp_out *o, const char *name, const char *value,
    struct ctp_error *e)
{
	const char *v[2] = { name, value };

	return ctp_out_row(o, v, e);
}

static const char show_credentials_sql[] = "SELECT id, kind, number, "
    "state, issuer, issued, expires, verification, status FROM credentials "
    "WHERE provider_id = ?1 ORDER BY status, kind, id";

/* A row of show_credentials_sql as show's text, into b; <0: no memory. */
static int
credential_text(sqlite3_stmt *st, struct ctp_buf *b)
{
	int i;

	ctp_buf_printf(b, "%s", ctp_col_text(st, 1));
	for (i = 2; i <= 5; i++)
		if (*ctp_col_text(st, i))
			ctp_buf_printf(b, " %s", ctp_col_text(st, i));
	if (*ctp_col_text(st, 6))
		ctp_buf_printf(b, " expires %s", ctp_col_text(st, 6));
	return ctp_buf_printf(b, " (%s, %s)", ctp_col_text(st, 8),
	    ctp_col_text(st, 7));
}

static const char show_history_sql[] = "SELECT id, ts, actor, field, "
    "old_value, new_value, source, note FROM history WHERE "
    "provider_id = ?1 ORDER BY id";

/* A row of show_history_sql as show's text, into b; <0: no memory. */
static int
history_text(sqlite3_stmt *st, struct ctp_buf *b)
{
	ctp_buf_printf(b, "%s %s %s: %s -> %s", ctp_col_text(st, 1),
	    ctp_col_text(st, 2), ctp_col_text(st, 3),
	    sqlite3_column_type(st, 4) == SQLITE_NULL ? "(none)" :
	    ctp_col_text(st, 4),
	    sqlite3_column_type(st, 5) == SQLITE_NULL ? "(none)" :
	    ctp_col_text(st, 5));
	if (*ctp_col_text(st, 6))
		ctp_buf_printf(b, " [%s]", ctp_col_text(st, 6));
	if (*ctp_col_text(st, 7))
		return ctp_buf_printf(b, " note: %s", ctp_col_text(st, 7));
	return 0;
}

/*
 * Each row of sql (provider id as ?1) as a row of show: PREFIX.ID, ID
 * its first column, and the text text makes of it in b.
 */
static int
show_rows(sqlite3 *db, long long id, const char *sql, const char *prefix,
    int (*text)(sqlite3_stmt *, struct ctp_buf *), const char *where,
    struct ctp_out *o, struct ctp_buf *b, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char name[64];
	int rc;

	if ((rc = ctp_db_prepare(db, &st, sql, e)) != 0)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ctp_buf_reset(b);
		snprintf(name, sizeof(name), "%s.%lld", prefix,
		    (long long)sqlite3_column_int64(st, 0));
		if (text(st, b) < 0 || b->s == NULL) {
			rc = ctp_err_nomem(e, "show");
			goto done;
		}
		if ((rc = show_row(o, name, b->s, e)) != 0)
			goto done;
	}
	rc = rc == SQLITE_DONE ? 0 : ctp_db_err(db, rc, where, e);
done:
	sqlite3_finalize(st);
	return rc;
}

int
ctp_roster_show(struct ctp_ctx *c, const char *npi, struct ctp_out *o,
    struct ctp_error *e)
{
	sqlite3_stmt *st = NULL;
	struct ctp_buf b = CTP_BUF_INIT;
	const char *name;
	long long id;
	int rc, i, ncol;

	if ((rc = provider_row(c, npi, &id, &st, e)) != 0)
		goto done;
	ncol = sqlite3_column_count(st);
	for (i = 0; i < ncol; i++) {
		name = sqlite3_column_name(st, i);
		if (strcmp(name, "id") != 0 &&
		    (rc = show_row(o, name, ctp_col_text(st, i), e)) != 0)
			goto done;
	}
	sqlite3_finalize(st);
	st = NULL;
	if ((rc = show_rows(c->db, id, show_credentials_sql, "credential",
	    credential_text, "credentials", o, &b, e)) != 0 ||
	    (rc = show_rows(c->db, id, show_history_sql, "history",
	    history_text, "history", o, &b, e)) != 0)
		goto done;
	rc = audit_read(c, "roster.show", npi, 1, e);
done:
	sqlite3_finalize(st);
	ctp_buf_free(&b);
	return rc;
}

/* A provider's history, oldest first: ctp_roster_history_columns. */
static const char history_sql[] = "SELECT ts, actor, field, old_value, "
    "new_value, credential_id, source, note FROM history WHERE "
    "provider_id = ?1 ORDER BY id";

/*
 * One row of st as an object: column i under names[i] (NULL: skipped),
 * integers as numbers, NULL and empty text as null (as ctp_out writes
 * JSON).  NULL when out of memory.
 */
static json_t *
row_object(sqlite3_stmt *st, const char *const *names, int n)
{
	json_t *o, *v;
	const char *t;
	int i;

	if ((o = json_object()) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (names[i] == NULL)
			continue;
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_INTEGER:
			v = json_integer(sqlite3_column_int64(st, i));
			break;
		case SQLITE_NULL:
			v = json_null();
			break;
		default:
			t = ctp_col_text(st, i);
			v = *t ? json_string(t) : json_null();
		}
		if (v == NULL || json_object_set_new(o, names[i], v) != 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

/* Every row of st (its first n columns under names) into array a. */
static int
rows_array(sqlite3 *db, sqlite3_stmt *st, const char *const *names, int n,
    json_t *a, const char *where, struct ctp_error *e)
{
	json_t *o;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((o = row_object(st, names, n)) == NULL ||
		    json_array_append_new(a, o) != 0)
			return ctp_err_nomem(e, "show");
	if (rc != SQLITE_DONE)
		return ctp_db_err(db, rc, where, e);
	return 0;
}

int
ctp_roster_show_json(struct ctp_ctx *c, const char *npi, json_t **out,
    struct ctp_error *e)
{
	/* ctp_credential_columns but npi: the provider's already. */
	const char *cred[CTP_CREDENTIAL_NCOLUMNS];
	const char *hist[CTP_ROSTER_HISTORY_NCOLUMNS];
	const char *prov[64], *name;
	struct ctp_buf sql = CTP_BUF_INIT;
	sqlite3_stmt *st = NULL;
	json_t *obj = NULL, *a;
	long long id;
	int rc, i, k, n, bad;

	*out = NULL;
	if ((rc = provider_row(c, npi, &id, &st, e)) != 0)
		goto done;
	n = sqlite3_column_count(st);
	if (n > (int)(sizeof(prov) / sizeof(prov[0])))
		n = (int)(sizeof(prov) / sizeof(prov[0]));
	for (i = 0; i < n; i++)
		prov[i] = strcmp(sqlite3_column_name(st, i), "id") == 0 ? NULL :
		    sqlite3_column_name(st, i);
	if ((obj = row_object(st, prov, n)) == NULL) {
		rc = ctp_err_nomem(e, "show");
		goto done;
	}
	sqlite3_finalize(st);
	st = NULL;

	/* Each name is the table's column, but credential_id is its id. */
	bad = ctp_buf_puts(&sql, "SELECT ") < 0;
	for (i = k = 0; i < CTP_CREDENTIAL_NCOLUMNS; i++) {
		name = ctp_credential_columns[i].name;
		if (strcmp(name, "npi") == 0)
			continue;
		bad |= ctp_buf_printf(&sql, "%s%s", k ? ", " : "",
		    strcmp(name, "credential_id") == 0 ? "id" : name) < 0;
		cred[k++] = name;
	}
	bad |= ctp_buf_puts(&sql, " FROM credentials WHERE provider_id = ?1 "
	    "ORDER BY status, kind, id") < 0;
	if (bad || (a = json_array()) == NULL ||
	    json_object_set_new(obj, "credentials", a) != 0) {
		rc = ctp_err_nomem(e, "show");
		goto done;
	}
	if ((rc = ctp_db_prepare(c->db, &st, sql.s, e)) != 0)
		goto done;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = rows_array(c->db, st, cred, k, a, "credentials", e)) != 0)
		goto done;
	sqlite3_finalize(st);
	st = NULL;

	for (i = 0; i < CTP_ROSTER_HISTORY_NCOLUMNS; i++)
		hist[i] = ctp_roster_history_columns[i].name;
	if ((a = json_array()) == NULL ||
	    json_object_set_new(obj, "history", a) != 0) {
		rc = ctp_err_nomem(e, "show");
		goto done;
	}
	if ((rc = ctp_db_prepare(c->db, &st, history_sql, e)) != 0)
		goto done;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = rows_array(c->db, st, hist, CTP_ROSTER_HISTORY_NCOLUMNS, a,
	    "history", e)) != 0)
		goto done;
	if ((rc = audit_read(c, "roster.show", npi, 1, e)) != 0)
		goto done;
	*out = obj;
	obj = NULL;
done:
	sqlite3_finalize(st);
	json_decref(obj);
	ctp_buf_free(&sql);
	return rc;
}

int
ctp_roster_history(struct ctp_ctx *c, const char *npi, struct ctp_out *o,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	long long id, n = 0;

	if (ctp_roster_find(c->db, npi, &id, e))
		return e->code;
	if (ctp_db_prepare(c->db, &st, history_sql, e))
		return e->code;
	sqlite3_bind_int64(st, 1, id);
	if (ctp_db_out_rows(st, o, CTP_ROSTER_HISTORY_NCOLUMNS, &n, "history",
	    e))
		return e->code;
	return audit_read(c, "roster.history", npi, n, e);
}
