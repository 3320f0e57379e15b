/*
 * user.c - the organization's users, roles and invitations (user.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "date.h"
#include "db.h"
#include "mem.h"
#include "out.h"
#include "user.h"

const struct ctp_col ctp_user_columns[] = {
	{ "user", CTP_COL_STR },
	{ "role", CTP_COL_STR },
	{ "status", CTP_COL_STR },
	{ "added_by", CTP_COL_STR },
	{ "added_at", CTP_COL_STR },
};

int
ctp_user_name_valid(const char *s)
{
	size_t n = 0;

	if (s == NULL || *s == '\0' || *s == '-')
		return 0;
	for (; *s; s++, n++)
		if (!isalnum((unsigned char)*s) && strchr("._-@", *s) == NULL)
			return 0;
	return n <= 64;
}

int
ctp_user_list(struct ctp_ctx *c, struct ctp_out *o, struct ctp_error *e)
{
	sqlite3_stmt *st;

	if (ctp_db_prepare(c->db, &st, "SELECT name, role, status, added_by, "
	    "added_at FROM users ORDER BY name", e))
		return e->code;
	if (ctp_db_out_rows(st, o, CTP_USER_NCOLUMNS, NULL, "users", e))
		return e->code;
	return ctp_audit(c, "user.list", "users", "", NULL, e);
}

/* Role and status of name; *role empty when not a member. */
static int
lookup(struct ctp_ctx *c, const char *name, char role[16], char status[16],
    struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	role[0] = status[0] = '\0';
	if (ctp_db_prepare(c->db, &st, "SELECT role, status FROM users "
	    "WHERE name = ?1", e))
		return e->code;
	ctp_bind_text(st, 1, name);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(role, 16, "%s", ctp_col_text(st, 0));
		snprintf(status, 16, "%s", ctp_col_text(st, 1));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ctp_db_err(c->db, rc, "users", e);
	return 0;
}

static int
active_owners(struct ctp_ctx *c, long *n, struct ctp_error *e)
{
	long long v;
	int rc;

	rc = ctp_db_int(c->db, "SELECT count(*) FROM users WHERE role = "
	    "'owner' AND status = 'active'", &v, "users", e);
	*n = (long)v;
	return rc;
}

static int
upsert(struct ctp_ctx *c, const char *name, const char *role,
    const char *status, struct ctp_error *e)
{
	sqlite3_stmt *st;
	char ts[CTP_TS_LEN];
	int rc;

	ctp_timestamp(ts);
	if (ctp_db_prepare(c->db, &st, "INSERT INTO users (name, role, status, "
	    "added_by, added_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5) "
	    "ON CONFLICT (name) DO UPDATE SET role = ?2, status = ?3, "
	    "updated_at = ?5", e))
		return e->code;
	ctp_bind_text(st, 1, name);
	ctp_bind_text(st, 2, role);
	ctp_bind_text(st, 3, status);
	ctp_bind_text(st, 4, c->user);
	ctp_bind_text(st, 5, ts);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ctp_db_err(c->db, rc, "users", e);
	return 0;
}

static int
event(struct ctp_ctx *c, const char *action, const char *name,
    const char *old_role, const char *role, const char *status,
    struct ctp_error *e)
{
	json_t *d;
	int rc;

	d = json_pack("{s:s?, s:s?, s:s?}", "old_role",
	    old_role && *old_role ? old_role : NULL, "role", role, "status",
	    status);
	rc = ctp_audit(c, action, "user", name, d, e);
	json_decref(d);
	return rc;
}

/* One change and its event, or neither. */
static int
commit_or_rollback(struct ctp_ctx *c, int rc, struct ctp_error *e)
{
	if (rc == 0)
		rc = ctp_db_commit(c->db, e);
	if (rc != 0)
		ctp_db_rollback(c->db);
	return rc;
}

static int
check_args(const char *name, const char *role, struct ctp_error *e)
{
	if (!ctp_user_name_valid(name))
		return ctp_errf(e, CTP_USAGE, "user",
		    "not a valid user name (letters, digits, . _ - @)");
	if (role && ctp_role_parse(role) == CTP_ROLE_NONE)
		return ctp_errf(e, CTP_USAGE, "role", "must be owner, admin, "
		    "coordinator or auditor");
	return 0;
}

int
ctp_user_add(struct ctp_ctx *c, const char *name, const char *role,
    int invite, struct ctp_error *e)
{
	char oldrole[16], status[16];
	int rc;

	if ((rc = check_args(name, role, e)) != 0)
		return rc;
	if (strcmp(role, "owner") == 0 && (rc = ctp_ctx_require(c,
	    CTP_PERM_OWNER, "granting the owner role", e)) != 0)
		return rc;
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		return rc;
	if ((rc = lookup(c, name, oldrole, status, e)) != 0)
		return commit_or_rollback(c, rc, e);
	if (*status && strcmp(status, "disabled") != 0) {
		ctp_db_rollback(c->db);
		return ctp_errf(e, CTP_DATAERR, name, "already %s "
		    "(use ctp-user role to change the role)",
		    strcmp(status, "invited") == 0 ? "invited" : "a member");
	}
	rc = upsert(c, name, role, invite ? "invited" : "active", e);
	if (rc == 0)
		rc = event(c, invite ? "user.invite" : "user.add", name,
		    oldrole, role, invite ? "invited" : "active", e);
	return commit_or_rollback(c, rc, e);
}

int
ctp_user_accept(struct ctp_ctx *c, struct ctp_error *e)
{
	char role[16], status[16];
	int rc;

	if ((rc = ctp_db_begin(c->db, e)) != 0)
		return rc;
	if ((rc = lookup(c, c->user, role, status, e)) != 0)
		return commit_or_rollback(c, rc, e);
	if (strcmp(status, "invited") != 0) {
		ctp_db_rollback(c->db);
		if (strcmp(status, "active") == 0)
			return ctp_errf(e, CTP_DATAERR, c->user,
			    "already a member");
		return ctp_ctx_deny(c, "accept", "no invitation for this user",
		    e);
	}
	rc = upsert(c, c->user, role, "active", e);
	if (rc == 0)
		rc = event(c, "user.accept", c->user, NULL, role, "active", e);
	rc = commit_or_rollback(c, rc, e);
	if (rc == 0)
		c->role = ctp_role_parse(role);
	return rc;
}

int
ctp_user_set_role(struct ctp_ctx *c, const char *name, const char *role,
    struct ctp_error *e)
{
	char oldrole[16], status[16];
	long owners;
	int rc;

	if ((rc = check_args(name, role, e)) != 0)
		return rc;
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		return rc;
	if ((rc = lookup(c, name, oldrole, status, e)) != 0)
		return commit_or_rollback(c, rc, e);
	if (*status == '\0') {
		ctp_db_rollback(c->db);
		return ctp_errf(e, CTP_DATAERR, name, "not a member of this "
		    "organization");
	}
	if (strcmp(oldrole, role) == 0) {
		ctp_db_rollback(c->db);
		return 0;
	}
	if ((strcmp(oldrole, "owner") == 0 || strcmp(role, "owner") == 0) &&
	    c->role != CTP_ROLE_OWNER)
		return ctp_ctx_deny(c, "role", "only an owner grants or "
		    "removes the owner role", e);
	if (strcmp(oldrole, "owner") == 0 && strcmp(status, "active") == 0) {
		if ((rc = active_owners(c, &owners, e)) != 0)
			return commit_or_rollback(c, rc, e);
		if (owners <= 1) {
			ctp_db_rollback(c->db);
			return ctp_errf(e, CTP_DATAERR, name, "is the last "
			    "owner: make another user owner first");
		}
	}
	rc = upsert(c, name, role, status, e);
	if (rc == 0)
		rc = event(c, "user.role", name, oldrole, role, status, e);
	return commit_or_rollback(c, rc, e);
}

int
ctp_user_disable(struct ctp_ctx *c, const char *name, struct ctp_error *e)
{
	char role[16], status[16];
	long owners;
	int rc;

	if ((rc = check_args(name, NULL, e)) != 0)
		return rc;
	if ((rc = ctp_db_begin(c->db, e)) != 0)
		return rc;
	if ((rc = lookup(c, name, role, status, e)) != 0)
		return commit_or_rollback(c, rc, e);
	if (*status == '\0') {
		ctp_db_rollback(c->db);
		return ctp_errf(e, CTP_DATAERR, name, "not a member of this "
		    "organization");
	}
	if (strcmp(status, "disabled") == 0) {
		ctp_db_rollback(c->db);
		return 0;
	}
	if (strcmp(role, "owner") == 0) {
		if (c->role != CTP_ROLE_OWNER)
			return ctp_ctx_deny(c, "disable", "admins cannot "
			    "remove an owner", e);
		if ((rc = active_owners(c, &owners, e)) != 0)
			return commit_or_rollback(c, rc, e);
		if (owners <= 1 && strcmp(status, "active") == 0) {
			ctp_db_rollback(c->db);
			return ctp_errf(e, CTP_DATAERR, name, "is the last "
			    "owner: make another user owner first");
		}
	}
	rc = upsert(c, name, role, "disabled", e);
	if (rc == 0)
		rc = event(c, "user.disable", name, NULL, role, "disabled", e);
	return commit_or_rollback(c, rc, e);
}

int
ctp_user_add_owner(struct ctp_ctx *c, struct ctp_error *e)
{
	int rc;

	if ((rc = upsert(c, c->user, "owner", "active", e)) != 0)
		return rc;
	c->role = CTP_ROLE_OWNER;
	return event(c, "user.add", c->user, NULL, "owner", "active", e);
}
