/*
 * roster.c - the providers of an organization (roster.h): the rules of
 * each field, ctp-roster set, and the export in the roster file's format
 * (import_map.h).  What list, show and history print is in
 * roster_show.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "buf.h"
#include "credential.h"
#include "date.h"
#include "db.h"
#include "history.h"
#include "import.h"
#include "import_map.h"
#include "mem.h"
#include "roster.h"
#include "status.h"
#include "validate.h"

const char *const ctp_roster_fields[] = {
	"first_name", "middle_name", "last_name", "suffix", "dob",
	"provider_type", "taxonomy", "practice_address", "practice_city",
	"practice_state", "practice_zip", "phone", "email", "coordinator",
	"caqh_id", "caqh_attested", "initial_cred_date", "last_recred_date",
	"status", "other_names", NULL
};

/* Indexes into ctp_roster_fields. */
enum {
	F_FIRST, F_MIDDLE, F_LAST, F_SUFFIX, F_DOB, F_TYPE, F_TAX, F_ADDR,
	F_CITY, F_STATE, F_ZIP, F_PHONE, F_EMAIL, F_COORD, F_CAQH, F_CAQH_ATT,
	F_INIT, F_RECRED, F_STATUS, F_OTHER
};

int
ctp_roster_field_index(const char *field)
{
	return ctp_str_index(ctp_roster_fields, field);
}

int
ctp_roster_field_valid(const char *field)
{
	return ctp_roster_field_index(field) >= 0;
}

/* Copy s without surrounding white space into out (n bytes), *len long. */
static const char *
trim_into(const char *s, char *out, size_t n, size_t *len)
{
	const char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	*len = (size_t)(end - s);
	if (*len >= n)
		return "too long";
	if (*end == '\0') {
		strcpy(out, s);	/* a libc call: see the end of the check */
		return NULL;
	}
	memcpy(out, s, *len);
	out[*len] = '\0';
	return NULL;
}

/* "A ; B;;C" -> "A; B; C" */
static const char *
norm_names(char *v, size_t n)
{
	char *tmp, *p, *q, *part;
	struct ctp_buf b = CTP_BUF_INIT;
	const char *why = NULL;

	/* One name, already trimmed (no tabs: control characters are
	 * refused before): nothing to do. */
	if (strchr(v, ';') == NULL)
		return NULL;
	if ((tmp = ctp_strdup(v)) == NULL)
		return "out of memory";
	for (p = tmp; p; p = q) {
		if ((q = strchr(p, ';')) != NULL)
			*q++ = '\0';
		part = p;
		while (*part == ' ')
			part++;
		p = part + strlen(part);
		while (p > part && p[-1] == ' ')
			*--p = '\0';
		if (*part == '\0')
			continue;
		if ((b.len && ctp_buf_puts(&b, "; ")) ||
		    ctp_buf_puts(&b, part)) {
			why = "out of memory";
			break;
		}
	}
	if (why == NULL) {
		if (b.len >= n)
			why = "too long";
		else {
			memcpy(v, b.s ? b.s : "", b.len);
			v[b.len] = '\0';
		}
	}
	ctp_buf_free(&b);
	free(tmp);
	return why;
}

const char *
ctp_roster_check(const char *field, const char *value, char *out, size_t n)
{
	return ctp_roster_check_index(ctp_roster_field_index(field), value,
	    out, n);
}

const char *
ctp_roster_check_index(int field, const char *value, char *out, size_t n)
{
	char v[1024], tmp[16];
	const char *why, *src;
	size_t len;

	if (value == NULL)
		value = "";
	if ((why = trim_into(value, v, sizeof(v), &len)) != NULL)
		return why;
	if (field == F_ADDR) {
		/* A quoted address may span lines: keep them, as LF. */
		char *r, *w;

		for (r = w = v; *r; r++) {
			if (r[0] == '\r' && r[1] == '\n')
				continue;
			if (((unsigned char)*r < 0x20 && *r != '\n') ||
			    *r == 0x7f)
				return "contains control characters";
			*w++ = *r;
		}
		*w = '\0';
		len = (size_t)(w - v);
	} else if ((why = ctp_check_text_len(v, len, 1000)) != NULL)
		return why;
	if (*v == '\0') {
		if (field == F_FIRST || field == F_LAST || field == F_TYPE ||
		    field == F_STATUS)
			return "required";
		if (n)
			*out = '\0';
		return NULL;
	}
	*tmp = '\0';
	switch (field) {
	case F_DOB:
	case F_CAQH_ATT:
	case F_INIT:
	case F_RECRED:
		why = ctp_check_date(v, tmp);
		break;
	case F_TYPE:
		why = ctp_check_ptype(v, tmp);
		break;
	case F_TAX:
		why = ctp_check_taxonomy_form(v, tmp);
		break;
	case F_STATE:
		why = ctp_check_state(v, tmp);
		break;
	case F_ZIP:
		why = ctp_check_zip(v, tmp);
		break;
	case F_PHONE:
		why = ctp_check_phone(v, tmp);
		break;
	case F_EMAIL:
		why = ctp_check_email(v);
		break;
	case F_CAQH:
		why = ctp_check_caqh_id(v);
		break;
	case F_STATUS:
		for (char *p = v; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		if (strcmp(v, "active") && strcmp(v, "inactive") &&
		    strcmp(v, "pending") && strcmp(v, "excluded"))
			why = "must be active, inactive, pending or excluded";
		break;
	case F_OTHER:
		why = norm_names(v, sizeof(v));
		len = strlen(v);
		break;
	case F_FIRST:
	case F_LAST:
	case F_MIDDLE:
	case F_SUFFIX:
		why = len > 100 ? "too long" : NULL;
		break;
	default:
		if (field < 0 || field > F_OTHER)
			why = "unknown field";
		else
			why = len > 200 ? "too long" : NULL;
	}
	if (why)
		return why;
	src = v;
	if (*tmp) {
		src = tmp;
		len = strlen(tmp);
	}
	if (len >= n)
		return "too long";
	/* strcpy, a libc call: GCC copies a memcpy of a size it knows is
	 * under 8 KB with rep movsq, whose start costs more than a short
	 * value (every value of every row of an import comes here). */
	strcpy(out, src);
	return NULL;
}

int
ctp_roster_find(sqlite3 *db, const char *npi, long long *id,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	if (ctp_db_prepare(db, &st, "SELECT id FROM providers WHERE npi = ?1",
	    e))
		return e->code;
	ctp_bind_text(st, 1, npi);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return ctp_errf(e, CTP_DATAERR, npi, "not on the roster");
	return ctp_db_err(db, rc, "roster", e);
}

const char *
ctp_roster_taxonomy_check(sqlite3 *db, const char *code, const char *ptype,
    struct ctp_error *e, int *err)
{
	sqlite3_stmt *st;
	const char *why = NULL;
	int rc;

	*err = 0;
	if (ptype && *ptype && !ctp_ptype_taxonomy_agree(ptype, code))
		return "does not fit the provider type";
	if (ctp_db_prepare(db, &st, "SELECT (SELECT count(*) FROM "
	    "taxonomy_codes), (SELECT retired FROM taxonomy_codes "
	    "WHERE code = ?1)", e)) {
		*err = 1;
		return NULL;
	}
	ctp_bind_text(st, 1, code);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_int64(st, 0) > 0) {
		if (sqlite3_column_type(st, 1) == SQLITE_NULL)
			why = "not in the loaded NUCC code set";
		else if (sqlite3_column_int(st, 1))
			why = "retired NUCC code";
	} else if (rc != SQLITE_ROW) {
		ctp_db_err(db, rc, "taxonomy", e);
		*err = 1;
	}
	sqlite3_finalize(st);
	return why;
}

/*
 * A coordinator is a user of the organization whose role works the
 * roster (coordinator, admin, owner), a member or invited, not disabled.
 */
static int
works_roster(sqlite3 *db, const char *name, int *yes, struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	*yes = 0;
	if (ctp_db_prepare(db, &st, "SELECT role FROM users WHERE name = ?1 "
	    "AND status <> 'disabled'", e))
		return e->code;
	ctp_bind_text(st, 1, name);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*yes = ctp_role_allows(ctp_role_parse(ctp_col_text(st, 0)),
		    CTP_PERM_WORK);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "users", e);
	return 0;
}

/* Rules across tables for a new value of field (norm, not empty). */
static int
check_cross(struct ctp_ctx *c, long long id, const char *field,
    const char *norm, struct ctp_error *e)
{
	sqlite3_stmt *st = NULL;
	int rc, yes = 1;

	if (strcmp(field, "practice_state") == 0) {
		/* The rule ctp-import applies to a row (credential.h). */
		rc = ctp_credential_licensed_in(c->db, &st, id, norm, &yes, e);
		sqlite3_finalize(st);
		if (rc)
			return rc;
		if (!yes)
			return ctp_errf(e, CTP_DATAERR, field, "no active "
			    "license in that state (add it with ctp-credential "
			    "add --kind state_license)");
	} else if (strcmp(field, "coordinator") == 0) {
		if (works_roster(c->db, norm, &yes, e))
			return e->code;
		if (!yes)
			return ctp_errf(e, CTP_DATAERR, field, "not a user who "
			    "works the roster (a coordinator, admin or owner; "
			    "see ctp-user list)");
	}
	return 0;
}

static int
set_in_tx(struct ctp_ctx *c, const char *npi, const char *field,
    const char *value, const char *source, const char *note,
    struct ctp_error *e)
{
	sqlite3_stmt *st = NULL;
	char norm[1024], sql[160], ts[CTP_TS_LEN], where[64];
	char *old = NULL, *ptype = NULL;
	const char *why;
	long long id;
	json_t *d;
	int rc, err;

	snprintf(where, sizeof(where), "%s", field);
	if (!ctp_roster_field_valid(field))
		return ctp_errf(e, CTP_DATAERR, where, "unknown field (the "
		    "fields are listed in ctp-roster(1) under set)");
	if ((why = ctp_roster_check(field, value, norm, sizeof(norm))) != NULL)
		return ctp_errf(e, CTP_DATAERR, where, "%s", why);
	if (ctp_roster_find(c->db, npi, &id, e))
		return e->code;
	/* field is one of ctp_roster_fields: safe to name in SQL. */
	snprintf(sql, sizeof(sql), "SELECT %s, provider_type, taxonomy "
	    "FROM providers WHERE id = ?1", field);
	if (ctp_db_prepare(c->db, &st, sql, e))
		return e->code;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return ctp_db_err(c->db, rc, "roster", e);
	}
	old = sqlite3_column_type(st, 0) == SQLITE_NULL ? NULL :
	    ctp_strdup(ctp_col_text(st, 0));
	ptype = ctp_strdup(ctp_col_text(st, 1));
	if (ptype == NULL || (old == NULL && sqlite3_column_type(st, 0) !=
	    SQLITE_NULL)) {
		rc = ctp_err_nomem(e, "roster");
		goto done;
	}
	/* Keep type and taxonomy in agreement. */
	if (strcmp(field, "taxonomy") == 0 && *norm) {
		why = ctp_roster_taxonomy_check(c->db, norm, ptype, e, &err);
		if (err) {
			rc = e->code;
			goto done;
		}
		if (why) {
			rc = ctp_errf(e, CTP_DATAERR, where, "%s", why);
			goto done;
		}
	} else if (strcmp(field, "provider_type") == 0 &&
	    sqlite3_column_type(st, 2) != SQLITE_NULL &&
	    !ctp_ptype_taxonomy_agree(norm, ctp_col_text(st, 2))) {
		rc = ctp_errf(e, CTP_DATAERR, where,
		    "does not fit the provider's taxonomy (set taxonomy "
		    "first)");
		goto done;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (strcmp(old ? old : "", norm) == 0) {
		rc = 0;
		goto done;
	}
	if (*norm && (rc = check_cross(c, id, field, norm, e)) != 0)
		goto done;
	ctp_timestamp(ts);
	snprintf(sql, sizeof(sql), "UPDATE providers SET %s = ?1, "
	    "updated_at = ?2 WHERE id = ?3", field);
	if (ctp_db_prepare(c->db, &st, sql, e)) {
		rc = e->code;
		goto done;
	}
	ctp_bind_text_or_null(st, 1, norm);
	ctp_bind_text(st, 2, ts);
	sqlite3_bind_int64(st, 3, id);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		rc = ctp_db_err(c->db, rc, "roster", e);
		goto done;
	}
	sqlite3_finalize(st);
	st = NULL;
	if ((rc = ctp_history_add(c, id, 0, field, old, norm, source, note,
	    e)) != 0)
		goto done;
	d = json_pack("{s:s, s:s?}", "field", field, "source", source);
	if (d == NULL) {
		rc = ctp_err_nomem(e, "audit");
		goto done;
	}
	rc = ctp_audit(c, "roster.set", "provider", npi, d, e);
	json_decref(d);
done:
	sqlite3_finalize(st);
	free(old);
	free(ptype);
	return rc;
}

int
ctp_roster_set(struct ctp_ctx *c, const char *npi, const char *field,
    const char *value, const char *source, const char *note,
    struct ctp_error *e)
{
	const char *why;
	int own, rc;

	if ((why = ctp_check_note(note)) != NULL)
		return ctp_errf(e, CTP_DATAERR, "--note", "%s", why);
	/* A status goes through the one door that keeps its rule. */
	if (strcmp(field, "status") == 0)
		return ctp_status_set(c, npi, value, CTP_STATUS_CHANGE, 0,
		    source, note, NULL, e);
	if ((rc = ctp_db_join(c->db, &own, e)) != 0)
		return rc;
	rc = set_in_tx(c, npi, field, value, source, note, e);
	return ctp_db_leave(c->db, own, rc, e);
}

const struct ctp_col ctp_roster_export_columns[] = {
#define CTP_IMPORT_COL(k, name) { name, CTP_COL_STR },
	CTP_IMPORT_COLUMN_LIST(CTP_IMPORT_COL)
#undef CTP_IMPORT_COL
};

int
ctp_roster_export(struct ctp_ctx *c, struct ctp_out *o, struct ctp_error *e)
{
	sqlite3_stmt *sp = NULL, *sc = NULL;
	struct ctp_buf b = CTP_BUF_INIT;
	char *row[NCANON];
	const char *vals[NCANON], *kind;
	long long n = 0;
	int i, g, rc, k, seen[NGROUPS];
	json_t *d;

	memset(row, 0, sizeof(row));
	if (ctp_buf_puts(&b, "SELECT id, npi") < 0 ||
	    ctp_import_pcols_list(&b) < 0 ||
	    ctp_buf_puts(&b, " FROM providers ORDER BY id") < 0) {
		ctp_buf_free(&b);
		return ctp_err_nomem(e, "export");
	}
	rc = ctp_db_prepare(c->db, &sp, b.s, e);
	ctp_buf_free(&b);
	if (rc)
		return rc;
	if ((rc = ctp_db_prepare(c->db, &sc, "SELECT kind, number, state, "
	    "issuer, expires FROM credentials WHERE provider_id = ?1 AND "
	    "status = 'active' AND kind IN ('state_license', 'dea', "
	    "'board_cert', 'malpractice') ORDER BY id", e)) != 0)
		goto done;
	while ((rc = sqlite3_step(sp)) == SQLITE_ROW) {
		for (k = 0; k < NCANON; k++)
			vals[k] = NULL;
		vals[C_NPI] = ctp_col_text(sp, 1);
		for (i = 0; i < NPCOLS; i++)
			vals[ctp_import_pcols[i]] = ctp_col_text(sp, i + 2);
		/* Credential texts live until the next step of sc: copy. */
		for (k = 0; k < NCANON; k++) {
			free(row[k]);
			row[k] = NULL;
		}
		memset(seen, 0, sizeof(seen));
		sqlite3_bind_int64(sc, 1, sqlite3_column_int64(sp, 0));
		while ((rc = sqlite3_step(sc)) == SQLITE_ROW) {
			kind = ctp_col_text(sc, 0);
			if ((g = ctp_import_group_index(kind)) < 0 || seen[g])
				continue;
			seen[g] = 1;
			{
				const struct ctp_import_group *gr =
				    &ctp_import_groups[g];
				int cols[4] = { gr->num, gr->st, gr->issuer,
				    gr->exp };

				for (i = 0; i < 4; i++) {
					if (cols[i] < 0)
						continue;
					row[cols[i]] = ctp_strdup(
					    ctp_col_text(sc, i + 1));
					if (row[cols[i]] == NULL) {
						sqlite3_reset(sc);
						rc = ctp_err_nomem(e,
						    "export");
						goto done;
					}
					vals[cols[i]] = row[cols[i]];
				}
			}
		}
		sqlite3_reset(sc);
		if (rc != SQLITE_DONE) {
			rc = ctp_db_err(c->db, rc, "export", e);
			goto done;
		}
		if ((rc = ctp_out_row(o, vals, e)) != 0)
			goto done;
		n++;
	}
	if (rc != SQLITE_DONE) {
		rc = ctp_db_err(c->db, rc, "export", e);
		goto done;
	}
	rc = 0;
	if ((d = json_pack("{s:I}", "providers", (json_int_t)n)) == NULL) {
		rc = ctp_err_nomem(e, "export");
		goto done;
	}
	rc = ctp_audit(c, "roster.export", "roster", "", d, e);
	json_decref(d);
done:
	for (k = 0; k < NCANON; k++)
		free(row[k]);
	sqlite3_finalize(sp);
	sqlite3_finalize(sc);
	return rc;
}
