/*
 * auth.h - who is calling, and may they.
 *
 * The caller is the operating-system user; only root may act as another
 * through CTP_USER (anyone else who sets it is refused, and ctp_ctx_open
 * logs the refusal in the organization under their own name).  A ctp_ctx
 * is one program run against one organization: ctp_ctx_open opens the
 * database, identifies the caller, checks the permission the run needs
 * and writes the authentication event ("auth", or "auth.denied" with
 * CTP_NOPERM).  Free with ctp_ctx_close.
 */
#ifndef CTP_AUTH_H
#define CTP_AUTH_H

#include <sqlite3.h>

#include "err.h"

enum ctp_role {
	CTP_ROLE_NONE = 0,	/* no seat in this organization */
	CTP_ROLE_AUDITOR,
	CTP_ROLE_COORDINATOR,
	CTP_ROLE_ADMIN,
	CTP_ROLE_OWNER
};

enum ctp_perm {
	CTP_PERM_SEATLESS,	/* any identified user (ctp-user accept) */
	CTP_PERM_READ,		/* read roster, credentials, settings: all */
	CTP_PERM_WORK,		/* coordinator work: owner, admin, coordinator */
	CTP_PERM_AUDIT,		/* view/export/verify the audit log */
	CTP_PERM_ADMIN,		/* users, roles, settings */
	CTP_PERM_OWNER		/* ownership */
};

struct ctp_ctx {
	sqlite3 *db;
	char *path;		/* database file */
	const char *prog;	/* program name, for the audit detail */
	char *user;		/* the caller */
	enum ctp_role role;
	struct ctp_audit_state *audit;	/* audit.c's, for this connection */
};

const char *ctp_role_name(enum ctp_role);
/* "owner" -> CTP_ROLE_OWNER; CTP_ROLE_NONE when unknown. */
enum ctp_role ctp_role_parse(const char *);
const char *ctp_perm_name(enum ctp_perm);
int	ctp_role_allows(enum ctp_role, enum ctp_perm);

/* The caller's user name; *user is a new string. */
int	ctp_identity(char **user, struct ctp_error *e);

/* Open path (resolved with ctp_db_resolve when NULL) for prog needing perm. */
int	ctp_ctx_open(struct ctp_ctx **out, const char *prog, const char *path,
	    enum ctp_perm perm, struct ctp_error *e);
/* Wrap an already-open database (ctp-init); takes ownership of db. */
int	ctp_ctx_wrap(struct ctp_ctx **out, const char *prog, const char *path,
	    sqlite3 *db, struct ctp_error *e);
/* Check a further permission mid-run; a refusal is audit-logged. */
int	ctp_ctx_require(struct ctp_ctx *, enum ctp_perm, const char *what,
	    struct ctp_error *e);
/* Refuse with CTP_NOPERM and an "auth.denied" audit row saying why. */
int	ctp_ctx_deny(struct ctp_ctx *, const char *what, const char *why,
	    struct ctp_error *e);
void	ctp_ctx_close(struct ctp_ctx *);

#endif
