/*
 * auth.c - who is calling and may they: identity, roles, the
 * authentication event of every run (auth.h).
 */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "audit.h"
#include "auth.h"
#include "db.h"
#include "mem.h"
#include "user.h"

static const char *const role_names[] = {
	"none", "auditor", "coordinator", "admin", "owner"
};

const char *
ctp_role_name(enum ctp_role r)
{
	if ((unsigned)r >= sizeof(role_names) / sizeof(role_names[0]))
		return "none";
	return role_names[r];
}

enum ctp_role
ctp_role_parse(const char *s)
{
	size_t i;

	for (i = 1; i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (s && strcmp(s, role_names[i]) == 0)
			return (enum ctp_role)i;
	return CTP_ROLE_NONE;
}

const char *
ctp_perm_name(enum ctp_perm p)
{
	switch (p) {
	case CTP_PERM_SEATLESS:
		return "any user";
	case CTP_PERM_READ:
		return "owner, admin, coordinator or auditor";
	case CTP_PERM_WORK:
		return "owner, admin or coordinator";
	case CTP_PERM_AUDIT:
		return "owner, admin or auditor";
	case CTP_PERM_ADMIN:
		return "owner or admin";
	case CTP_PERM_OWNER:
		return "owner";
	}
	return "?";
}

int
ctp_role_allows(enum ctp_role r, enum ctp_perm p)
{
	switch (p) {
	case CTP_PERM_SEATLESS:
		return 1;
	case CTP_PERM_READ:
		return r != CTP_ROLE_NONE;
	case CTP_PERM_WORK:
		return r >= CTP_ROLE_COORDINATOR;
	case CTP_PERM_AUDIT:
		return r == CTP_ROLE_AUDITOR || r >= CTP_ROLE_ADMIN;
	case CTP_PERM_ADMIN:
		return r >= CTP_ROLE_ADMIN;
	case CTP_PERM_OWNER:
		return r == CTP_ROLE_OWNER;
	}
	return 0;
}

/* The operating-system user calling: getpwuid(geteuid()). */
static int
os_user(char **user, struct ctp_error *e)
{
	struct passwd *pw;

	*user = NULL;
	if ((pw = getpwuid(geteuid())) == NULL)
		return ctp_errf(e, CTP_NOPERM, NULL,
		    "cannot tell who is calling: uid %ld has no name",
		    (long)geteuid());
	if ((*user = ctp_strdup(pw->pw_name)) == NULL)
		return ctp_err_nomem(e, "identity");
	return 0;
}

/* CTP_USER when it is set and not empty, else NULL. */
static const char *
ctp_user_env(void)
{
	/*
	 * Read even with a hostile environment (priv.h), but only to act
	 * on it for root and to refuse it to anyone else.
	 */
	const char *s = getenv("CTP_USER");

	return s != NULL && *s != '\0' ? s : NULL;
}

int
ctp_identity(char **user, struct ctp_error *e)
{
	const char *s;

	*user = NULL;
	if ((s = ctp_user_env()) == NULL)
		return os_user(user, e);
	if (geteuid() != 0)
		return ctp_errf(e, CTP_NOPERM, "CTP_USER",
		    "only root may act as another user");
	/* A name ctp-user could add: nothing else can hold a seat. */
	if (!ctp_user_name_valid(s))
		return ctp_errf(e, CTP_USAGE, "CTP_USER",
		    "not a valid user name");
	if ((*user = ctp_strdup(s)) == NULL)
		return ctp_err_nomem(e, "identity");
	return 0;
}

static int
load_role(struct ctp_ctx *c, struct ctp_error *e)
{
	sqlite3_stmt *st;
	int rc;

	c->role = CTP_ROLE_NONE;
	if (ctp_db_prepare(c->db, &st, "SELECT role FROM users "
	    "WHERE name = ?1 AND status = 'active'", e))
		return e->code;
	ctp_bind_text(st, 1, c->user);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		c->role = ctp_role_parse(ctp_col_text(st, 0));
	else if (rc != SQLITE_DONE)
		ctp_db_err(c->db, rc, c->path, e);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : e->code;
}

/*
 * The auth.denied row: what was asked and why it was refused; as, when
 * not NULL, is the name a CTP_USER refused would have acted as.  The
 * refusal is recorded even though nothing else is.
 */
static void
log_denied(struct ctp_ctx *c, const char *what, const char *why,
    const char *as)
{
	json_t *d;
	struct ctp_error ae;

	d = json_pack("{s:s, s:s, s:s, s:s, s:s*}", "prog", c->prog, "role",
	    ctp_role_name(c->role), "request", what, "reason", why, "as", as);
	ctp_db_rollback(c->db);
	ctp_audit(c, "auth.denied", "user", c->user, d, &ae);
	json_decref(d);
}

int
ctp_ctx_deny(struct ctp_ctx *c, const char *what, const char *why,
    struct ctp_error *e)
{
	log_denied(c, what, why, NULL);
	return ctp_errf(e, CTP_NOPERM, c->user, "permission denied: %s", why);
}

int
ctp_ctx_require(struct ctp_ctx *c, enum ctp_perm p, const char *what,
    struct ctp_error *e)
{
	char why[160];

	if (ctp_role_allows(c->role, p))
		return 0;
	if (c->role == CTP_ROLE_NONE)
		snprintf(why, sizeof(why), "no seat in this organization");
	else
		snprintf(why, sizeof(why), "%s needs %s, not %s", what,
		    ctp_perm_name(p), ctp_role_name(c->role));
	return ctp_ctx_deny(c, what, why, e);
}

/* ctp_ctx_wrap; os, when set, takes the operating-system user as the
 * caller whatever CTP_USER says. */
static int
wrap(struct ctp_ctx **out, const char *prog, const char *path, sqlite3 *db,
    int os, struct ctp_error *e)
{
	struct ctp_ctx *c;

	*out = NULL;
	if ((c = ctp_calloc(1, sizeof(*c))) == NULL ||
	    (c->path = ctp_strdup(path)) == NULL) {
		free(c);
		sqlite3_close(db);
		return ctp_err_nomem(e, path);
	}
	c->db = db;
	c->prog = prog;
	if (ctp_audit_attach(c, e) ||
	    (os ? os_user(&c->user, e) : ctp_identity(&c->user, e)) ||
	    load_role(c, e)) {
		ctp_ctx_close(c);
		return e->code;
	}
	*out = c;
	return 0;
}

int
ctp_ctx_wrap(struct ctp_ctx **out, const char *prog, const char *path,
    sqlite3 *db, struct ctp_error *e)
{
	return wrap(out, prog, path, db, 0, e);
}

/*
 * Someone other than root set CTP_USER: record the refusal in the
 * organization's log under their own name, with the name asked for when
 * it is one ctp-user could add (anything else is not worth keeping).
 * Best effort: a database that cannot be opened is left alone, and the
 * refusal stands either way.
 */
static void
log_ctp_user_refused(const char *prog, const char *path)
{
	struct ctp_error le;
	struct ctp_ctx *c;
	char *resolved = NULL;
	const char *as = ctp_user_env();
	sqlite3 *db;

	ctp_error_clear(&le);
	if (path == NULL) {
		if (ctp_db_resolve(NULL, &resolved, &le) != 0)
			return;
		path = resolved;
	}
	if (ctp_db_open(&db, path, &le) == 0 &&
	    wrap(&c, prog, path, db, 1, &le) == 0) {
		log_denied(c, prog, "only root may act as another user "
		    "through CTP_USER", ctp_user_name_valid(as) ? as : NULL);
		ctp_ctx_close(c);
	}
	free(resolved);
}

int
ctp_ctx_open(struct ctp_ctx **out, const char *prog, const char *path,
    enum ctp_perm perm, struct ctp_error *e)
{
	struct ctp_ctx *c;
	char *resolved = NULL, *user = NULL;
	sqlite3 *db;
	json_t *d;
	int rc;

	*out = NULL;
	/* Who is calling is settled before the database is used. */
	if ((rc = ctp_identity(&user, e)) != 0) {
		if (rc == CTP_NOPERM && ctp_user_env() != NULL)
			log_ctp_user_refused(prog, path);
		return rc;
	}
	free(user);
	if (path == NULL) {
		if ((rc = ctp_db_resolve(NULL, &resolved, e)) != 0)
			return rc;
		path = resolved;
	}
	rc = ctp_db_open(&db, path, e);
	if (rc == 0)
		rc = ctp_ctx_wrap(&c, prog, path, db, e);
	free(resolved);
	if (rc != 0)
		return rc;
	if ((rc = ctp_ctx_require(c, perm, prog, e)) != 0) {
		ctp_ctx_close(c);
		return rc;
	}
	d = json_pack("{s:s, s:s}", "prog", prog, "role",
	    ctp_role_name(c->role));
	rc = ctp_audit(c, "auth", "user", c->user, d, e);
	json_decref(d);
	if (rc != 0) {
		ctp_ctx_close(c);
		return rc;
	}
	*out = c;
	return 0;
}

void
ctp_ctx_close(struct ctp_ctx *c)
{
	if (c == NULL)
		return;
	ctp_audit_detach(c);
	if (c->db) {
		ctp_db_rollback(c->db);
		sqlite3_close(c->db);
	}
	free(c->path);
	free(c->user);
	free(c);
}
