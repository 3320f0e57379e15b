/*
 * verify_config.c - the organization's choice of verifiers
 * (verify_config.h): checking, setting, listing and finding them.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "date.h"
#include "db.h"
#include "input.h"
#include "mem.h"
#include "validate.h"
#include "verify_config.h"

#define PREFIX "ctp-verify-"
#define KEY_MAX 64
#define VALUE_MAX 1000

const char *const ctp_verify_checks[] = { "npi", "oig", "sam", NULL };

int
ctp_verify_is_check(const char *kind)
{
	return kind != NULL && ctp_str_index(ctp_verify_checks, kind) >= 0;
}

const char *
ctp_verify_check_program(const char *name)
{
	const char *p;

	if (strncmp(name, PREFIX, strlen(PREFIX)) != 0 ||
	    name[strlen(PREFIX)] == '\0' || strlen(name) > 64)
		goto bad;
	for (p = name + strlen(PREFIX); *p; p++) {
		if (islower((unsigned char)*p) || isdigit((unsigned char)*p) ||
		    *p == '-')
			continue;
		goto bad;
	}
	return NULL;
bad:
	return "must be ctp-verify- then lower-case letters, digits and "
	    "dashes (a name, never a path), at most 64 characters";
}

/* kind and state checked; st gets the stored state ("" for any). */
static int
check_where(const char *kind, const char *state, char st[3],
    struct ctp_error *e)
{
	if (!ctp_verify_is_check(kind) && !ctp_kind_valid(kind))
		return ctp_errf(e, CTP_DATAERR, "kind", "unknown kind (npi, "
		    "oig, sam, or a credential kind: state_license, dea, cds, "
		    "board_cert, malpractice, caqh_attestation, cme, "
		    "hospital_privileges)");
	if (state == NULL || *state == '\0' || strcmp(state, "-") == 0) {
		st[0] = '\0';
		return 0;
	}
	if (ctp_verify_is_check(kind))
		return ctp_errf(e, CTP_DATAERR, "state", "%s checks the "
		    "provider: its state is - (any)", kind);
	if (!ctp_state_valid(state))
		return ctp_errf(e, CTP_DATAERR, "state", "must be a USPS "
		    "state code in capitals (CA) or - for any state");
	memcpy(st, state, 3);
	return 0;
}

/* KEY=VALUE arguments as a JSON object (new, in *out). */
static int
config_of(char *const *kv, int n, json_t **out, struct ctp_error *e)
{
	json_t *o;
	const char *eq, *p;
	char key[KEY_MAX + 1], where[32];
	size_t klen;
	int i;

	if ((*out = o = json_object()) == NULL)
		return ctp_err_nomem(e, "verifier");
	for (i = 0; i < n; i++) {
		snprintf(where, sizeof(where), "setting %d", i + 1);
		eq = strchr(kv[i], '=');
		klen = eq ? (size_t)(eq - kv[i]) : 0;
		if (eq == NULL || klen == 0 || klen > KEY_MAX)
			goto bad;
		for (p = kv[i]; p < eq; p++)
			if (!(islower((unsigned char)*p) ||
			    isdigit((unsigned char)*p) || *p == '_'))
				goto bad;
		memcpy(key, kv[i], klen);
		key[klen] = '\0';
		if (ctp_check_text(eq + 1, VALUE_MAX) != NULL ||
		    !ctp_utf8_valid(eq + 1, strlen(eq + 1))) {
			json_decref(o);
			*out = NULL;
			return ctp_errf(e, CTP_DATAERR, key, "a value is UTF-8 "
			    "text without control characters, at most %d "
			    "bytes", VALUE_MAX);
		}
		if (json_object_set_new(o, key, json_string(eq + 1)) != 0) {
			json_decref(o);
			*out = NULL;
			return ctp_err_nomem(e, "verifier");
		}
	}
	return 0;
bad:
	json_decref(o);
	*out = NULL;
	return ctp_errf(e, CTP_DATAERR, where, "must be KEY=VALUE, KEY of "
	    "lower-case letters, digits and _ (at most %d)", KEY_MAX);
}

/* The row of kind and st, into *program and *config (NULL: none). */
static int
find_row(sqlite3 *db, const char *kind, const char *st, char **program,
    char **config, struct ctp_error *e)
{
	sqlite3_stmt *q;
	int rc;

	*program = *config = NULL;
	if (ctp_db_prepare(db, &q, "SELECT program, config FROM verifiers "
	    "WHERE kind = ?1 AND state = ?2", e))
		return e->code;
	ctp_bind_text(q, 1, kind);
	ctp_bind_text(q, 2, st);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*program = ctp_strdup(ctp_col_text(q, 0));
		*config = ctp_strdup(ctp_col_text(q, 1));
		if (*program == NULL || *config == NULL) {
			free(*program);
			free(*config);
			*program = *config = NULL;
			sqlite3_finalize(q);
			return ctp_err_nomem(e, "verifiers");
		}
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "verifiers", e);
	return 0;
}

static int
audit_change(struct ctp_ctx *c, const char *kind, const char *st,
    const char *old, const char *program, json_t *config,
    struct ctp_error *e)
{
	json_t *d;
	int rc;

	d = json_pack("{s:s, s:s, s:s?, s:s?, s:O?}", "kind", kind, "state",
	    *st ? st : "-", "old", old, "program", program, "config", config);
	if (d == NULL)
		return ctp_err_nomem(e, "verifier");
	rc = ctp_audit(c, "org.verifier", "verifier", kind, d, e);
	json_decref(d);
	return rc;
}

int
ctp_verifier_set(struct ctp_ctx *c, const char *kind, const char *state,
    const char *program, char *const *kv, int n, struct ctp_error *e)
{
	sqlite3_stmt *q = NULL;
	json_t *config = NULL;
	char st[3], ts[CTP_TS_LEN], *old = NULL, *oldc = NULL, *text = NULL;
	const char *why;
	int rc;

	if ((rc = check_where(kind, state, st, e)) != 0)
		return rc;
	if ((why = ctp_verify_check_program(program)) != NULL)
		return ctp_errf(e, CTP_DATAERR, "program", "%s", why);
	if ((rc = config_of(kv, n, &config, e)) != 0)
		return rc;
	if ((text = json_dumps(config, JSON_COMPACT | JSON_SORT_KEYS)) ==
	    NULL) {
		json_decref(config);
		return ctp_err_nomem(e, "verifier");
	}
	ctp_timestamp(ts);
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		goto out;
	if ((rc = find_row(c->db, kind, st, &old, &oldc, e)) != 0 ||
	    (rc = ctp_db_prepare(c->db, &q, "INSERT INTO verifiers (kind, "
	    "state, program, config, set_by, set_at) VALUES (?1, ?2, ?3, ?4, "
	    "?5, ?6) ON CONFLICT (kind, state) DO UPDATE SET program = ?3, "
	    "config = ?4, set_by = ?5, set_at = ?6", e)) != 0)
		goto fail;
	ctp_bind_text(q, 1, kind);
	ctp_bind_text(q, 2, st);
	ctp_bind_text(q, 3, program);
	ctp_bind_text(q, 4, text);
	ctp_bind_text(q, 5, c->user);
	ctp_bind_text(q, 6, ts);
	if ((rc = ctp_db_step_done(q, "verifiers", e)) != 0 ||
	    (rc = audit_change(c, kind, st, old, program, config, e)) != 0 ||
	    (rc = ctp_db_commit(c->db, e)) != 0)
		goto fail;
	goto out;
fail:
	ctp_db_rollback(c->db);
out:
	sqlite3_finalize(q);
	json_decref(config);
	free(text);
	free(old);
	free(oldc);
	return rc;
}

int
ctp_verifier_remove(struct ctp_ctx *c, const char *kind, const char *state,
    struct ctp_error *e)
{
	sqlite3_stmt *q = NULL;
	char st[3], *old = NULL, *oldc = NULL;
	int rc;

	if ((rc = check_where(kind, state, st, e)) != 0)
		return rc;
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		return rc;
	if ((rc = find_row(c->db, kind, st, &old, &oldc, e)) != 0)
		goto fail;
	if (old == NULL) {
		rc = ctp_errf(e, CTP_DATAERR, kind, "no verifier set for %s",
		    *st ? st : "any state (-)");
		goto fail;
	}
	if ((rc = ctp_db_prepare(c->db, &q, "DELETE FROM verifiers WHERE "
	    "kind = ?1 AND state = ?2", e)) != 0)
		goto fail;
	ctp_bind_text(q, 1, kind);
	ctp_bind_text(q, 2, st);
	if ((rc = ctp_db_step_done(q, "verifiers", e)) != 0 ||
	    (rc = audit_change(c, kind, st, old, NULL, NULL, e)) != 0 ||
	    (rc = ctp_db_commit(c->db, e)) != 0)
		goto fail;
	goto out;
fail:
	ctp_db_rollback(c->db);
out:
	sqlite3_finalize(q);
	free(old);
	free(oldc);
	return rc;
}

const struct ctp_col ctp_verifier_columns[] = {
	{ "kind", CTP_COL_STR },
	{ "state", CTP_COL_STR },
	{ "program", CTP_COL_STR },
	{ "config", CTP_COL_JSON },
	{ "set_by", CTP_COL_STR },
	{ "set_at", CTP_COL_STR },
};

int
ctp_verifier_list(struct ctp_ctx *c, struct ctp_out *o, struct ctp_error *e)
{
	sqlite3_stmt *q;
	const char *v[CTP_VERIFIER_NCOLUMNS];
	char prog[64];
	long long set;
	int i, rc;

	/* The provider checks first, in their order, then the kinds. */
	if (ctp_db_prepare(c->db, &q, "SELECT kind, state, program, config, "
	    "set_by, set_at FROM "
	    "verifiers ORDER BY CASE kind WHEN 'npi' THEN 0 WHEN 'oig' THEN 1 "
	    "WHEN 'sam' THEN 2 ELSE 3 END, kind, state", e))
		return e->code;
	if ((rc = ctp_db_out_rows(q, o, CTP_VERIFIER_NCOLUMNS, NULL,
	    "verifiers", e)) != 0)
		return rc;
	for (i = 0; ctp_verify_checks[i]; i++) {
		if (ctp_db_prepare(c->db, &q, "SELECT count(*) FROM verifiers "
		    "WHERE kind = ?1", e))
			return e->code;
		ctp_bind_text(q, 1, ctp_verify_checks[i]);
		rc = sqlite3_step(q);
		set = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
		sqlite3_finalize(q);
		if (rc != SQLITE_ROW)
			return ctp_db_err(c->db, rc, "verifiers", e);
		if (set)
			continue;
		snprintf(prog, sizeof(prog), PREFIX "%s", ctp_verify_checks[i]);
		v[0] = ctp_verify_checks[i];
		v[1] = NULL;
		v[2] = prog;
		v[3] = "{}";
		v[4] = "default";
		v[5] = NULL;
		if ((rc = ctp_out_row(o, v, e)) != 0)
			return rc;
	}
	return ctp_audit(c, "org.read", "verifiers", "", NULL, e);
}

int
ctp_verifier_find(sqlite3 *db, const char *kind, const char *state,
    char **program, char **config, struct ctp_error *e)
{
	int rc;

	*program = *config = NULL;
	if (state != NULL && *state != '\0' && (rc = find_row(db, kind, state,
	    program, config, e)) != 0)
		return rc;
	if ((state == NULL || *state == '\0' || *program == NULL) &&
	    (rc = find_row(db, kind, "", program, config, e)) != 0)
		return rc;
	if (*program != NULL || !ctp_verify_is_check(kind))
		return 0;
	*program = ctp_asprintf(PREFIX "%s", kind);
	*config = ctp_strdup("{}");
	if (*program == NULL || *config == NULL) {
		free(*program);
		free(*config);
		*program = *config = NULL;
		return ctp_err_nomem(e, "verifiers");
	}
	return 0;
}
