/*
 * required.c - the credentials each provider type requires (credential.h):
 * the default, the organization's own rows, and ctp-org require.
 */
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "credential.h"
#include "db.h"
#include "validate.h"

const struct ctp_col ctp_required_columns[] = {
	{ "provider_type", CTP_COL_STR },
	{ "kinds", CTP_COL_STR },
	{ "source", CTP_COL_STR },
};

unsigned
ctp_required_default(const char *t)
{
	unsigned lic = ctp_kind_bit("state_license");
	unsigned mal = ctp_kind_bit("malpractice");

	if (strcmp(t, "MD") == 0 || strcmp(t, "DO") == 0)
		return lic | mal | ctp_kind_bit("board_cert");
	if (ctp_ptype_midlevel(t))
		return lic | mal;
	return lic;
}

int
ctp_required_kinds(sqlite3 *db, const char *ptype, unsigned *mask,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc, rows = 0;

	*mask = 0;
	if (ctp_db_prepare(db, &st, "SELECT kind FROM required_credentials "
	    "WHERE provider_type = ?1", e))
		return e->code;
	ctp_bind_text(st, 1, ptype);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rows++;
		*mask |= ctp_kind_bit(ctp_col_text(st, 0));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "required credentials", e);
	if (rows == 0)
		*mask = ctp_required_default(ptype);
	return 0;
}

int
ctp_required_set(struct ctp_ctx *c, const char *ptype, char *const *kinds,
    int n, struct ctp_error *e)
{
	sqlite3_stmt *st = NULL;
	char t[8];
	const char *why;
	json_t *d = NULL, *arr;
	int i, rc;

	if ((why = ctp_check_ptype(ptype, t)) != NULL)
		return ctp_errf(e, CTP_DATAERR, "provider type", "%s", why);
	if (n < 1)
		return ctp_errf(e, CTP_USAGE, NULL, "no credential kinds");
	for (i = 0; i < n; i++) {
		if ((strcmp(kinds[i], "none") == 0 ||
		    strcmp(kinds[i], "default") == 0) && n == 1)
			continue;
		if (!ctp_kind_valid(kinds[i]))
			return ctp_errf(e, CTP_DATAERR, "kind", "%s",
			    CTP_KIND_UNKNOWN);
	}
	if ((arr = json_array()) == NULL)
		return ctp_err_nomem(e, "require");
	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_string(kinds[i]));
	if ((d = json_pack("{s:s, s:o}", "provider_type", t, "kinds", arr)) ==
	    NULL)
		return ctp_err_nomem(e, "require");
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		goto out;
	if ((rc = ctp_db_prepare(c->db, &st, "DELETE FROM required_credentials "
	    "WHERE provider_type = ?1", e)) != 0)
		goto fail;
	ctp_bind_text(st, 1, t);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		rc = ctp_db_err(c->db, rc, "required credentials", e);
		goto fail;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (!(n == 1 && strcmp(kinds[0], "default") == 0)) {
		if ((rc = ctp_db_prepare(c->db, &st, "INSERT OR IGNORE INTO "
		    "required_credentials (provider_type, kind) VALUES "
		    "(?1, ?2)", e)) != 0)
			goto fail;
		for (i = 0; i < n; i++) {
			ctp_bind_text(st, 1, t);
			ctp_bind_text(st, 2, kinds[i]);
			rc = sqlite3_step(st);
			sqlite3_reset(st);
			if (rc != SQLITE_DONE) {
				rc = ctp_db_err(c->db, rc,
				    "required credentials", e);
				goto fail;
			}
		}
	}
	if ((rc = ctp_audit(c, "org.require", "provider_type", t, d, e)) != 0 ||
	    (rc = ctp_db_commit(c->db, e)) != 0)
		goto fail;
	goto out;
fail:
	ctp_db_rollback(c->db);
out:
	sqlite3_finalize(st);
	json_decref(d);
	return rc;
}

int
ctp_required_list(struct ctp_ctx *c, struct ctp_out *o, struct ctp_error *e)
{
	sqlite3_stmt *st;
	unsigned mask;
	char kinds[256];
	const char *v[3];
	int i, k, rc, rows;

	if (ctp_db_prepare(c->db, &st, "SELECT count(*) FROM "
	    "required_credentials WHERE provider_type = ?1", e))
		return e->code;
	for (i = 0; ctp_ptypes[i]; i++) {
		ctp_bind_text(st, 1, ctp_ptypes[i]);
		rc = sqlite3_step(st);
		rows = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
		sqlite3_reset(st);
		if (rc != SQLITE_ROW) {
			sqlite3_finalize(st);
			return ctp_db_err(c->db, rc, "required credentials",
			    e);
		}
		if (ctp_required_kinds(c->db, ctp_ptypes[i], &mask, e)) {
			sqlite3_finalize(st);
			return e->code;
		}
		kinds[0] = '\0';
		for (k = 0; ctp_credential_kinds[k]; k++)
			if (mask & (1u << k)) {
				if (kinds[0])
					strcat(kinds, " ");
				strcat(kinds, ctp_credential_kinds[k]);
			}
		v[0] = ctp_ptypes[i];
		v[1] = kinds;
		v[2] = rows ? "organization" : "default";
		if (ctp_out_row(o, v, e)) {
			sqlite3_finalize(st);
			return e->code;
		}
	}
	sqlite3_finalize(st);
	return 0;
}
