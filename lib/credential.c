/*
 * credential.c - the one writer of the credentials table (credential.h):
 * the checks of a credential's values, the DEA and expiry rules, add,
 * set, retire and the verification reset, the list, and the writer of
 * many that ctp-import holds for its run.  The requirements per provider
 * type are in required.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "credential.h"
#include "date.h"
#include "db.h"
#include "history.h"
#include "mem.h"
#include "roster.h"
#include "validate.h"

const struct ctp_col ctp_credential_columns[] = {
	{ "credential_id", CTP_COL_INT },
	{ "npi", CTP_COL_STR },
	{ "kind", CTP_COL_STR },
	{ "number", CTP_COL_STR },
	{ "state", CTP_COL_STR },
	{ "issuer", CTP_COL_STR },
	{ "issued", CTP_COL_STR },
	{ "expires", CTP_COL_STR },
	{ "verification", CTP_COL_STR },
	{ "status", CTP_COL_STR },
	{ "updated_at", CTP_COL_STR },
};

/* Kinds that expire: never without an expiration date. */
static const char *const expiring_kinds[] = {
	"state_license", "dea", "cds", "board_cert", "malpractice",
	"caqh_attestation", NULL
};

int
ctp_kind_expires(const char *kind)
{
	return ctp_str_index(expiring_kinds, kind) >= 0;
}

int
ctp_credential_dea_holder(sqlite3 *db, const char *dea, long long pid,
    char npi[11], struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	npi[0] = '\0';
	if (ctp_db_prepare(db, &st, "SELECT p.npi FROM credentials c JOIN "
	    "providers p ON p.id = c.provider_id WHERE c.kind = 'dea' AND "
	    "c.status = 'active' AND c.number = ?1 AND c.provider_id <> ?2 "
	    "ORDER BY c.id LIMIT 1", e))
		return e->code;
	ctp_bind_text(st, 1, dea);
	sqlite3_bind_int64(st, 2, pid);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		snprintf(npi, 11, "%s", ctp_col_text(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "credentials", e);
	return 0;
}

int
ctp_credential_licensed_in(sqlite3 *db, sqlite3_stmt **st, long long pid,
    const char *state, int *yes, struct ctp_error *e)
{
	int rc;

	*yes = 0;
	if (*st == NULL && ctp_db_prepare(db, st, "SELECT 1 FROM credentials "
	    "WHERE provider_id = ?1 AND kind = 'state_license' AND "
	    "status = 'active' AND state = ?2", e))
		return e->code;
	sqlite3_bind_int64(*st, 1, pid);
	sqlite3_bind_text(*st, 2, state, -1, SQLITE_STATIC);
	rc = sqlite3_step(*st);
	sqlite3_reset(*st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(db, rc, "credentials", e);
	*yes = rc == SQLITE_ROW;
	return 0;
}

unsigned
ctp_kind_bit(const char *kind)
{
	int i = ctp_str_index(ctp_credential_kinds, kind);

	return i < 0 ? 0 : 1u << i;
}

/* Provider id, last name and type by NPI. */
static int
provider_of(sqlite3 *db, const char *npi, long long *id, char **last,
    char **ptype, struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	if (ctp_db_prepare(db, &st, "SELECT id, last_name, provider_type "
	    "FROM providers WHERE npi = ?1", e))
		return e->code;
	ctp_bind_text(st, 1, npi);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*last = ctp_strdup(ctp_col_text(st, 1));
		*ptype = ctp_strdup(ctp_col_text(st, 2));
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return ctp_errf(e, CTP_DATAERR, npi, "not on the roster");
	if (rc != SQLITE_ROW)
		return ctp_db_err(db, rc, "roster", e);
	if (*last == NULL || *ptype == NULL) {
		free(*last);
		free(*ptype);
		return ctp_err_nomem(e, "credential");
	}
	return 0;
}

/* A DEA number another provider's active credential holds: refused. */
static int
dea_free(sqlite3 *db, const char *kind, const char *number, long long pid,
    struct ctp_error *e)
{
	char npi[11];

	if (strcmp(kind, "dea") != 0 || *number == '\0')
		return 0;
	if (ctp_credential_dea_holder(db, number, pid, npi, e))
		return e->code;
	if (*npi)
		return ctp_errf(e, CTP_DATAERR, "number", CTP_DEA_HELD, npi);
	return 0;
}

const char *
ctp_credential_number(const char *kind, const char *v, const char *last,
    const char *ptype, char out[CTP_CREDENTIAL_NUMBER_MAX])
{
	const char *why;
	char dea[10];
	size_t i;

	if (strcmp(kind, "dea") == 0) {
		if ((why = ctp_check_dea(v, last, ptype, dea)) != NULL)
			return why;
		memcpy(out, dea, sizeof(dea));
		return NULL;
	}
	if ((why = ctp_check_text(v, CTP_CREDENTIAL_NUMBER_MAX - 24)) != NULL)
		return why;
	for (i = 0; v[i]; i++)
		out[i] = (char)toupper((unsigned char)v[i]);
	out[i] = '\0';
	return NULL;
}

/* Normalized credential values, checked; where names the bad option. */
struct norm {
	char number[CTP_CREDENTIAL_NUMBER_MAX], state[3], issuer[201];
	char issued[11], expires[11];
};

static int
check_values(const char *kind, const struct ctp_credential *cr,
    const char *last, const char *ptype, struct norm *n, struct ctp_error *e)
{
	const char *why;

	memset(n, 0, sizeof(*n));
	if (!ctp_kind_valid(kind))
		return ctp_errf(e, CTP_DATAERR, "kind", "%s",
		    CTP_KIND_UNKNOWN);
	if (cr->number && *cr->number && (why = ctp_credential_number(kind,
	    cr->number, last, ptype, n->number)) != NULL)
		return ctp_errf(e, CTP_DATAERR, "number", "%s", why);
	if (cr->state && *cr->state &&
	    (why = ctp_check_state(cr->state, n->state)) != NULL)
		return ctp_errf(e, CTP_DATAERR, "state", "%s", why);
	if (cr->issuer && *cr->issuer) {
		if ((why = ctp_check_text(cr->issuer, 200)) != NULL)
			return ctp_errf(e, CTP_DATAERR, "issuer", "%s", why);
		snprintf(n->issuer, sizeof(n->issuer), "%s", cr->issuer);
	}
	if (cr->issued && *cr->issued &&
	    (why = ctp_check_date(cr->issued, n->issued)) != NULL)
		return ctp_errf(e, CTP_DATAERR, "issued", "%s", why);
	if (cr->expires && *cr->expires &&
	    (why = ctp_check_expiry(cr->expires, n->expires)) != NULL)
		return ctp_errf(e, CTP_DATAERR, "expires", "%s", why);
	if (*n->issued && *n->expires && strcmp(n->expires, n->issued) <= 0)
		return ctp_errf(e, CTP_DATAERR, "expires", "not after the "
		    "issue date");
	if ((strcmp(kind, "state_license") == 0 || strcmp(kind, "dea") == 0 ||
	    strcmp(kind, "cds") == 0) && (*n->number == '\0' ||
	    *n->state == '\0'))
		return ctp_errf(e, CTP_DATAERR, *n->number ? "state" : "number",
		    "required for %s", kind);
	return 0;
}

static int
history(struct ctp_ctx *c, long long pid, long long cid, const char *field,
    const char *old, const char *nw, const char *note, struct ctp_error *e)
{
	return ctp_history_add(c, pid, cid, field, old, nw, c->prog, note, e);
}

static int
cred_audit(struct ctp_ctx *c, const char *action, long long id,
    const char *npi, const char *kind, const char *field,
    struct ctp_error *e)
{
	char sid[32];
	json_t *d;
	int rc;

	snprintf(sid, sizeof(sid), "%lld", id);
	d = json_pack("{s:s, s:s, s:s?}", "npi", npi, "kind", kind, "field",
	    field);
	if (d == NULL)
		return ctp_err_nomem(e, "audit");
	rc = ctp_audit(c, action, "credential", sid, d, e);
	json_decref(d);
	return rc;
}

/* The one statement that inserts a credential. */
static int
prepare_insert(sqlite3 *db, sqlite3_stmt **st, struct ctp_error *e)
{
	return ctp_db_prepare(db, st, "INSERT INTO credentials (provider_id, "
	    "kind, number, state, issuer, issued, expires, created_at, "
	    "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)", e);
}

/* Insert cr for pid at ts with st (prepare_insert's); *id its id. */
static int
insert(sqlite3_stmt *st, long long pid, const struct ctp_credential *cr,
    const char *ts, long long *id, struct ctp_error *e)
{
	int rc;

	sqlite3_bind_int64(st, 1, pid);
	ctp_bind_static(st, 2, cr->kind);
	ctp_bind_static_or_null(st, 3, cr->number);
	ctp_bind_static_or_null(st, 4, cr->state);
	ctp_bind_static_or_null(st, 5, cr->issuer);
	ctp_bind_static_or_null(st, 6, cr->issued);
	ctp_bind_static_or_null(st, 7, cr->expires);
	ctp_bind_static(st, 8, ts);
	rc = ctp_db_step_done(st, "credentials", e);
	/* No binding outlives the call: the caller's strings may go. */
	sqlite3_clear_bindings(st);
	if (rc == 0)
		*id = sqlite3_last_insert_rowid(sqlite3_db_handle(st));
	return rc;
}

/* The statement that inserts n credentials: ?1 the time, 7 a row. */
static int
prepare_rows(sqlite3 *db, size_t n, sqlite3_stmt **st, struct ctp_error *e)
{
	return ctp_db_prepare_rows(db, st, "INSERT INTO credentials "
	    "(provider_id, kind, number, state, issuer, issued, expires, "
	    "created_at, updated_at) VALUES ", "(#,#,#,#,#,#,#,?1,?1)", n, 2,
	    e);
}

int
ctp_credential_add(struct ctp_ctx *c, const char *npi,
    const struct ctp_credential *cr, long long *id, struct ctp_error *e)
{
	sqlite3_stmt *st = NULL;
	struct ctp_credential v;
	struct norm n;
	char *last = NULL, *ptype = NULL, ts[CTP_TS_LEN];
	long long pid = 0;
	int rc;

	if ((rc = ctp_db_begin(c->db, e)) != 0)
		return rc;
	if ((rc = provider_of(c->db, npi, &pid, &last, &ptype, e)) != 0 ||
	    (rc = check_values(cr->kind, cr, last, ptype, &n, e)) != 0 ||
	    (rc = dea_free(c->db, cr->kind, n.number, pid, e)) != 0)
		goto fail;
	if (ctp_kind_expires(cr->kind) && *n.expires == '\0') {
		rc = ctp_errf(e, CTP_DATAERR, "expires", "required for %s",
		    cr->kind);
		goto fail;
	}
	ctp_timestamp(ts);
	v = (struct ctp_credential){ cr->kind, n.number, n.state, n.issuer,
	    n.issued, n.expires };
	if ((rc = prepare_insert(c->db, &st, e)) != 0 ||
	    (rc = insert(st, pid, &v, ts, id, e)) != 0)
		goto fail;
	if ((rc = history(c, pid, *id, cr->kind, NULL, *n.number ? n.number :
	    n.issuer, NULL, e)) != 0 ||
	    (rc = cred_audit(c, "credential.add", *id, npi, cr->kind, NULL,
	    e)) != 0 || (rc = ctp_db_commit(c->db, e)) != 0)
		goto fail;
	goto out;
fail:
	ctp_db_rollback(c->db);
out:
	sqlite3_finalize(st);
	free(last);
	free(ptype);
	return rc;
}

static const char *const cred_fields[] = {
	"number", "state", "issuer", "issued", "expires", "verification", NULL
};

/* Free what load_cred returned (any of it may be NULL). */
static void
free_loaded(char *kind, char *npi, char *last, char *ptype, char *status,
    char *vals[6])
{
	int f;

	free(kind);
	free(npi);
	free(last);
	free(ptype);
	free(status);
	for (f = 0; f < 6; f++)
		free(vals[f]);
}

/* Load credential id: its kind, provider, npi and the named field. */
static int
load_cred(sqlite3 *db, long long id, char **kind, long long *pid,
    char **npi, char **last, char **ptype, char *vals[6], char **status,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	char sid[32];
	int rc, i, oom = 0;

	snprintf(sid, sizeof(sid), "credential %lld", id);
	if (ctp_db_prepare(db, &st, "SELECT c.kind, c.provider_id, p.npi, "
	    "p.last_name, p.provider_type, c.number, c.state, c.issuer, "
	    "c.issued, c.expires, c.verification, c.status FROM credentials c "
	    "JOIN providers p ON p.id = c.provider_id WHERE c.id = ?1", e))
		return e->code;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*kind = ctp_strdup(ctp_col_text(st, 0));
		*pid = sqlite3_column_int64(st, 1);
		*npi = ctp_strdup(ctp_col_text(st, 2));
		*last = ctp_strdup(ctp_col_text(st, 3));
		*ptype = ctp_strdup(ctp_col_text(st, 4));
		for (i = 0; i < 6; i++) {
			vals[i] = ctp_strdup(ctp_col_text(st, 5 + i));
			oom |= vals[i] == NULL;
		}
		*status = ctp_strdup(ctp_col_text(st, 11));
		oom |= !*kind || !*npi || !*last || !*ptype || !*status;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return ctp_errf(e, CTP_DATAERR, sid, "no such credential");
	if (rc != SQLITE_ROW)
		return ctp_db_err(db, rc, "credentials", e);
	return oom ? ctp_err_nomem(e, sid) : 0;
}

int
ctp_credential_unverify(struct ctp_ctx *c, long long pid, long long cid,
    const char *kind, const char *verification, const char *changed,
    const char *source, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char hf[64], note[96];
	int rc;

	if (verification == NULL || (strcmp(verification, "verified") != 0 &&
	    strcmp(verification, "failed") != 0))
		return 0;
	if (ctp_db_prepare(c->db, &st, "UPDATE credentials SET verification "
	    "= 'unverified' WHERE id = ?1", e))
		return e->code;
	sqlite3_bind_int64(st, 1, cid);
	rc = ctp_db_step_done(st, "credentials", e);
	sqlite3_finalize(st);
	if (rc != 0)
		return rc;
	snprintf(hf, sizeof(hf), "%s.verification", kind);
	snprintf(note, sizeof(note), "%s changed", changed);
	return ctp_history_add(c, pid, cid, hf, verification, "unverified",
	    source, note, e);
}

/* ctp_credential_set inside the caller's transaction; history: source. */
static int
set_in_tx(struct ctp_ctx *c, long long id, const char *field,
    const char *value, const char *source, const char *note,
    struct ctp_error *e)
{
	sqlite3_stmt *st = NULL;
	char *kind = NULL, *npi = NULL, *last = NULL, *ptype = NULL;
	char *vals[6] = { 0 }, *status = NULL, sql[128], hf[64];
	char ts[CTP_TS_LEN];
	const char *nv;
	struct ctp_credential cr;
	struct norm n;
	const char *why;
	long long pid = 0;
	int rc, f;

	if ((why = ctp_check_note(note)) != NULL)
		return ctp_errf(e, CTP_DATAERR, "--note", "%s", why);
	for (f = 0; cred_fields[f]; f++)
		if (strcmp(cred_fields[f], field) == 0)
			break;
	if (cred_fields[f] == NULL)
		return ctp_errf(e, CTP_DATAERR, field, "unknown field (number, "
		    "state, issuer, issued, expires, verification)");
	if ((rc = load_cred(c->db, id, &kind, &pid, &npi, &last, &ptype, vals,
	    &status, e)) != 0)
		goto out;
	if (strcmp(status, "retired") == 0) {
		rc = ctp_errf(e, CTP_DATAERR, field, "credential is retired");
		goto out;
	}
	if (f == 5) {
		if (strcmp(value, "unverified") && strcmp(value, "verified") &&
		    strcmp(value, "failed")) {
			rc = ctp_errf(e, CTP_DATAERR, field, "must be "
			    "unverified, verified or failed");
			goto out;
		}
		nv = value;
	} else {
		cr.kind = kind;
		cr.number = f == 0 ? value : vals[0];
		cr.state = f == 1 ? value : vals[1];
		cr.issuer = f == 2 ? value : vals[2];
		cr.issued = f == 3 ? value : vals[3];
		cr.expires = f == 4 ? value : vals[4];
		if ((rc = check_values(kind, &cr, last, ptype, &n, e)) != 0)
			goto out;
		nv = f == 0 ? n.number : f == 1 ? n.state : f == 2 ? n.issuer :
		    f == 3 ? n.issued : n.expires;
		if (f == 0 && (rc = dea_free(c->db, kind, nv, pid, e)) != 0)
			goto out;
		if (f == 4 && *nv == '\0' && ctp_kind_expires(kind)) {
			rc = ctp_errf(e, CTP_DATAERR, field, "required for %s",
			    kind);
			goto out;
		}
	}
	if (strcmp(nv, vals[f]) == 0)
		goto out;
	ctp_timestamp(ts);
	snprintf(sql, sizeof(sql), "UPDATE credentials SET %s = ?1, "
	    "updated_at = ?2 WHERE id = ?3", cred_fields[f]);
	if ((rc = ctp_db_prepare(c->db, &st, sql, e)) != 0)
		goto out;
	ctp_bind_text_or_null(st, 1, nv);
	ctp_bind_text(st, 2, ts);
	sqlite3_bind_int64(st, 3, id);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		rc = ctp_db_err(c->db, rc, "credentials", e);
		goto out;
	}
	rc = 0;
	snprintf(hf, sizeof(hf), "%s.%s", kind, field);
	if ((rc = ctp_history_add(c, pid, id, hf, vals[f], nv, source, note,
	    e)) != 0 || (f != 5 && (rc = ctp_credential_unverify(c, pid, id,
	    kind, vals[5], field, source, e)) != 0))
		goto out;
	rc = cred_audit(c, "credential.set", id, npi, kind, field, e);
out:
	sqlite3_finalize(st);
	free_loaded(kind, npi, last, ptype, status, vals);
	return rc;
}

int
ctp_credential_set(struct ctp_ctx *c, long long id, const char *field,
    const char *value, const char *note, struct ctp_error *e)
{
	int own, rc;

	if ((rc = ctp_db_join(c->db, &own, e)) != 0)
		return rc;
	rc = set_in_tx(c, id, field, value, c->prog, note, e);
	return ctp_db_leave(c->db, own, rc, e);
}

int
ctp_credential_set_from(struct ctp_ctx *c, long long id, const char *field,
    const char *value, const char *source, const char *note,
    struct ctp_error *e)
{
	int own, rc;

	if ((rc = ctp_db_join(c->db, &own, e)) != 0)
		return rc;
	rc = set_in_tx(c, id, field, value, source, note, e);
	return ctp_db_leave(c->db, own, rc, e);
}

int
ctp_credential_set_license(struct ctp_ctx *c, const char *npi,
    const char *state, const char *number, const char *source,
    const char *note, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char s[3];
	long long cid = 0;
	int rc;

	if (state == NULL || ctp_check_state(state, s) != NULL)
		return ctp_errf(e, CTP_DATAERR, "license", "the registry's "
		    "license state is not a USPS state code");
	if (ctp_db_prepare(c->db, &st, "SELECT c.id FROM credentials c JOIN "
	    "providers p ON p.id = c.provider_id WHERE p.npi = ?1 AND "
	    "c.kind = 'state_license' AND c.status = 'active' AND "
	    "c.state = ?2 ORDER BY c.id LIMIT 1", e))
		return e->code;
	ctp_bind_text(st, 1, npi);
	ctp_bind_text(st, 2, s);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		cid = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(c->db, rc, "credentials", e);
	if (cid == 0)
		return ctp_errf(e, CTP_DATAERR, "license", "no license of that "
		    "state on the roster, and the registry gives no expiration "
		    "date: add it with ctp-credential add --expires");
	return set_in_tx(c, cid, "number", number, source, note, e);
}

int
ctp_credential_retire(struct ctp_ctx *c, long long id, const char *note,
    struct ctp_error *e)
{
	sqlite3_stmt *st = NULL;
	char *kind = NULL, *npi = NULL, *last = NULL, *ptype = NULL;
	char *vals[6] = { 0 }, *status = NULL, ts[CTP_TS_LEN], hf[64];
	const char *why;
	long long pid = 0;
	int rc;

	if ((why = ctp_check_note(note)) != NULL)
		return ctp_errf(e, CTP_DATAERR, "--note", "%s", why);
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		return rc;
	if ((rc = load_cred(c->db, id, &kind, &pid, &npi, &last, &ptype, vals,
	    &status, e)) != 0)
		goto fail;
	if (strcmp(status, "retired") == 0) {
		ctp_db_rollback(c->db);
		goto out;
	}
	ctp_timestamp(ts);
	if ((rc = ctp_db_prepare(c->db, &st, "UPDATE credentials SET status = "
	    "'retired', updated_at = ?1 WHERE id = ?2", e)) != 0)
		goto fail;
	ctp_bind_text(st, 1, ts);
	sqlite3_bind_int64(st, 2, id);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		rc = ctp_db_err(c->db, rc, "credentials", e);
		goto fail;
	}
	snprintf(hf, sizeof(hf), "%s.status", kind);
	if ((rc = history(c, pid, id, hf, "active", "retired", note, e)) != 0 ||
	    (rc = cred_audit(c, "credential.retire", id, npi, kind, NULL,
	    e)) != 0 || (rc = ctp_db_commit(c->db, e)) != 0)
		goto fail;
	goto out;
fail:
	ctp_db_rollback(c->db);
out:
	sqlite3_finalize(st);
	free_loaded(kind, npi, last, ptype, status, vals);
	return rc;
}

int
ctp_credential_list(struct ctp_ctx *c, const char *npi, struct ctp_out *o,
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	long long id, n = 0;
	int rc;
	json_t *d;

	if (npi && ctp_roster_find(c->db, npi, &id, e))
		return e->code;
	if (ctp_db_prepare(c->db, &st, "SELECT c.id, p.npi, c.kind, c.number, "
	    "c.state, c.issuer, c.issued, c.expires, c.verification, "
	    "c.status, c.updated_at FROM credentials c JOIN providers p ON "
	    "p.id = c.provider_id WHERE ?1 IS NULL OR p.npi = ?1 "
	    "ORDER BY p.npi, c.kind, c.id", e))
		return e->code;
	ctp_bind_text(st, 1, npi);
	if (ctp_db_out_rows(st, o, CTP_CREDENTIAL_NCOLUMNS, &n, "credentials",
	    e))
		return e->code;
	d = json_pack("{s:s?, s:I}", "npi", npi, "rows", (json_int_t)n);
	rc = ctp_audit(c, "credential.list", "provider", npi ? npi : "", d, e);
	json_decref(d);
	return rc;
}

int
ctp_credential_writer_open(struct ctp_credential_writer *w,
    struct ctp_ctx *c, struct ctp_history *h, struct ctp_error *e)
{
	memset(w, 0, sizeof(*w));
	w->c = c;
	w->h = h;
	if (prepare_insert(c->db, &w->ins, e))
		return e->code;
	return ctp_db_prepare(c->db, &w->upd, "UPDATE credentials SET "
	    "number = ?1, state = ?2, issuer = ?3, expires = ?4, "
	    "updated_at = ?5 WHERE id = ?6", e);
}

int
ctp_credential_writer_add(struct ctp_credential_writer *w, long long pid,
    const struct ctp_credential *cr, long long *id, struct ctp_error *e)
{
	return insert(w->ins, pid, cr, w->h->ts, id, e);
}

int
ctp_credential_writer_add_rows(struct ctp_credential_writer *w,
    const long long *pid, const struct ctp_credential *cr, size_t n,
    struct ctp_error *e)
{
	sqlite3_stmt *st = w->rows;
	size_t i;
	int p, rc;

	if (n == 0)
		return 0;
	if (st == NULL || n != w->nrows) {
		if ((rc = prepare_rows(w->c->db, n, &st, e)) != 0)
			return rc;
		if (w->rows == NULL) {
			w->rows = st;
			w->nrows = n;
		}
	}
	ctp_bind_static(st, 1, w->h->ts);
	for (i = 0; i < n; i++) {
		p = 2 + 7 * (int)i;
		sqlite3_bind_int64(st, p, pid[i]);
		ctp_bind_static(st, p + 1, cr[i].kind);
		ctp_bind_static_or_null(st, p + 2, cr[i].number);
		ctp_bind_static_or_null(st, p + 3, cr[i].state);
		ctp_bind_static_or_null(st, p + 4, cr[i].issuer);
		ctp_bind_static_or_null(st, p + 5, cr[i].issued);
		ctp_bind_static_or_null(st, p + 6, cr[i].expires);
	}
	/* Every parameter is bound on every use: none is left from the
	 * last, and the statement kept is stepped by this call only. */
	rc = ctp_db_step_done(st, "credentials", e);
	if (st != w->rows)
		sqlite3_finalize(st);
	return rc;
}

static int
same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

int
ctp_credential_writer_set(struct ctp_credential_writer *w, long long pid,
    long long cid, const char *kind,
    const char *const old[CTP_CREDENTIAL_NFILE],
    const char *const nw[CTP_CREDENTIAL_NFILE], const char *verification,
    unsigned *changed, struct ctp_error *e)
{
	static const char *const names[CTP_CREDENTIAL_NFILE] = { "number",
	    "state", "issuer", "expires" };
	sqlite3_stmt *st = w->upd;
	char hf[64], list[64];
	size_t k;
	int i, rc;

	*changed = 0;
	for (i = 0; i < CTP_CREDENTIAL_NFILE; i++)
		if (!same(old[i], nw[i]))
			*changed |= 1u << i;
	if (*changed == 0)
		return 0;
	for (i = 0; i < CTP_CREDENTIAL_NFILE; i++)
		ctp_bind_static_or_null(st, i + 1, nw[i]);
	ctp_bind_static(st, 5, w->h->ts);
	sqlite3_bind_int64(st, 6, cid);
	rc = ctp_db_step_done(st, "credentials", e);
	sqlite3_clear_bindings(st);
	if (rc != 0)
		return rc;
	list[0] = '\0';
	for (i = 0; i < CTP_CREDENTIAL_NFILE; i++) {
		if (!(*changed & 1u << i))
			continue;
		snprintf(hf, sizeof(hf), "%s.%s", kind, names[i]);
		if ((rc = ctp_history_write(w->h, pid, cid, hf, old[i], nw[i],
		    NULL, e)) != 0)
			return rc;
		k = strlen(list);
		snprintf(list + k, sizeof(list) - k, "%s%s", k ? ", " : "",
		    names[i]);
	}
	/* A verification follows its value (credential.h). */
	return ctp_credential_unverify(w->c, pid, cid, kind, verification,
	    list, w->h->source, e);
}

void
ctp_credential_writer_close(struct ctp_credential_writer *w)
{
	sqlite3_finalize(w->ins);
	sqlite3_finalize(w->upd);
	sqlite3_finalize(w->rows);
	w->ins = w->upd = w->rows = NULL;
	w->nrows = 0;
}
