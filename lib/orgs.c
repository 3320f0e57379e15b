/*
 * orgs.c - organizations by short name in the data directory: where it
 * is, --org and $CTP_ORG, and the list `ctp orgs` prints (orgs.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "db.h"
#include "expiring.h"	/* ctp_expiring_dbs_add: a directory's *.db */
#include "mem.h"
#include "orgs.h"
#include "priv.h"

/* $HOME, else the password file's home of the caller; NULL when none. */
static const char *
home_dir(void)
{
	const char *home = ctp_env("HOME");
	struct passwd *pw;

	if (home != NULL && *home == '/')
		return home;
	pw = getpwuid(geteuid());
	return pw && pw->pw_dir && *pw->pw_dir == '/' ? pw->pw_dir : NULL;
}

/* $var/sub when var is an absolute path, else ~/dflt/sub. */
static int
xdg_dir(const char *var, const char *dflt, const char *sub, char **out,
    struct ctp_error *e)
{
	const char *s = ctp_env(var), *home;

	*out = NULL;
	if (s != NULL && *s == '/')
		*out = ctp_asprintf("%s/%s", s, sub);
	else if ((home = home_dir()) != NULL)
		*out = ctp_asprintf("%s/%s/%s", home, dflt, sub);
	else
		return ctp_errf(e, CTP_USAGE, NULL, "no home directory: set "
		    "%s, or give --db FILE", var);
	return *out ? 0 : ctp_err_nomem(e, var);
}

int
ctp_data_dir(char **out, struct ctp_error *e)
{
	const char *team = ctp_team_data_dir();

	if (team != NULL) {
		*out = ctp_strdup(team);
		return *out ? 0 : ctp_err_nomem(e, "data directory");
	}
	return xdg_dir("XDG_DATA_HOME", ".local/share", "ctp", out, e);
}

int
ctp_cache_dir(char **out, struct ctp_error *e)
{
	const char *team = ctp_team_cache_dir();

	if (team != NULL) {
		*out = ctp_asprintf("%s/lists", team);
		return *out ? 0 : ctp_err_nomem(e, "cache directory");
	}
	return xdg_dir("XDG_CACHE_HOME", ".cache", "ctp/lists", out, e);
}

int
ctp_mkdirs(const char *dir)
{
	char *p, *s;
	int rc = 0;

	if ((s = ctp_strdup(dir)) == NULL)
		return -1;
	for (p = s + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(s, 0700) < 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	if (mkdir(s, 0700) < 0 && errno != EEXIST)
		rc = -1;
	free(s);
	return rc;
}

const char *
ctp_org_name_why(const char *name)
{
	const char *p;

	if (*name == '\0')
		return "empty";
	if (strlen(name) > 64)
		return "longer than 64 characters";
	if (*name == '.' || *name == '-')
		return "must not start with '.' or '-'";
	for (p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.'))
			return "only letters, digits, '-', '_' and '.'";
	return NULL;
}

int
ctp_org_path(const char *name, char **out, struct ctp_error *e)
{
	const char *why;
	char *dir;
	int rc;

	*out = NULL;
	if ((why = ctp_org_name_why(name)) != NULL)
		return ctp_errf(e, CTP_USAGE, "--org", "not an organization "
		    "name: %s", why);
	if ((rc = ctp_data_dir(&dir, e)) != 0)
		return rc;
	*out = ctp_asprintf("%s/%s.db", dir, name);
	free(dir);
	return *out ? 0 : ctp_err_nomem(e, "--org");
}

void
ctp_org_short(const char *path, char *out, size_t n)
{
	const char *b = strrchr(path, '/');
	size_t len;

	b = b ? b + 1 : path;
	len = strlen(b);
	if (len > 3 && strcmp(b + len - 3, ".db") == 0)
		len -= 3;
	snprintf(out, n, "%.*s", (int)len, b);
}

void
ctp_org_where(struct ctp_error *e, const char *path)
{
	char org[128], where[sizeof(e->where)];

	ctp_org_short(path, org, sizeof(org));
	snprintf(where, sizeof(where), "%s", e->where);
	if (where[0] == '\0')
		snprintf(e->where, sizeof(e->where), "%s", org);
	else
		snprintf(e->where, sizeof(e->where), "%s: %.*s", org,
		    (int)(sizeof(e->where) - strlen(org) - 3), where);
}

int
ctp_status_worst(int a, int b)
{
	return a > b ? a : b;
}

struct ctp_out *
ctp_orgs_out(const struct ctp_exp_dbs *dbs, FILE *f, enum ctp_fmt fmt,
    const struct ctp_col *cols, size_t ncols)
{
	if (dbs->n > 1)
		return ctp_out_new_lead(f, fmt, "org", cols, ncols, 0);
	return ctp_out_new(f, fmt, cols, ncols, 0);
}

int
ctp_orgs_one(const struct ctp_orgs_run *r, const char *path, int several,
    struct ctp_out *o)
{
	struct ctp_error e;
	struct ctp_ctx *c;
	int rc;

	ctp_error_clear(&e);
	if ((rc = ctp_ctx_open(&c, r->prog, path, r->perm, &e)) == 0) {
		rc = r->fn(c, o, r->arg, &e);
		ctp_ctx_close(c);
	}
	if (rc != 0 && rc != CTP_ATTN && e.code != 0) {
		if (several)
			ctp_org_where(&e, path);
		if (r->failed != NULL)
			r->failed(r->arg, &e);
	}
	return rc;
}

int
ctp_orgs_each(const struct ctp_orgs_run *r, const struct ctp_exp_dbs *dbs)
{
	size_t i, n = dbs->n ? dbs->n : 1;
	const char *path;
	char org[256];
	int worst = 0, several = dbs->n > 1;

	if (several && r->jobs > 1)
		return ctp_orgs_par(r, dbs);
	for (i = 0; i < n; i++) {
		path = dbs->n ? dbs->v[i] : NULL;
		if (several && r->o != NULL) {
			ctp_org_short(path, org, sizeof(org));
			ctp_out_lead(r->o, org);
		}
		worst = ctp_status_worst(worst, ctp_orgs_one(r, path, several,
		    r->o));
	}
	return worst;
}

int
ctp_org_args(int argc, char **argv, struct ctp_error *e)
{
	const char *env = getenv("CTP_ORG");
	char *path;
	int i, rc;

	if (env != NULL && *env != '\0') {
		if ((rc = ctp_org_path(env, &path, e)) != 0) {
			snprintf(e->where, sizeof(e->where), "CTP_ORG");
			return rc;
		}
		setenv("CTP_DB", path, 1);
		free(path);
	}
	/* Children (verifiers) see the one database they are given. */
	unsetenv("CTP_ORG");
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--org") == 0) {
			if (i + 1 >= argc)
				return ctp_errf(e, CTP_USAGE, "--org", "needs "
				    "an organization name");
			if ((rc = ctp_org_path(argv[i + 1], &path, e)) != 0)
				return rc;
			argv[i] = "--db";
			argv[++i] = path;	/* kept for the run */
		} else if (strncmp(argv[i], "--org=", 6) == 0) {
			if ((rc = ctp_org_path(argv[i] + 6, &path, e)) != 0)
				return rc;
			argv[i] = ctp_asprintf("--db=%s", path);
			free(path);
			if (argv[i] == NULL)
				return ctp_err_nomem(e, "--org");
		}
	}
	return 0;
}

const struct ctp_col ctp_orgs_columns[] = {
	{ "org", CTP_COL_STR },
	{ "name", CTP_COL_STR },
	{ "role", CTP_COL_STR },
	{ "path", CTP_COL_STR },
};

/*
 * The caller's role in the database at path and its display name, read
 * on a read-only connection: nothing is written, no schema migrated.
 * *role CTP_ROLE_NONE when it is not a ctp database or has no seat for
 * user.
 */
static void
seat(const char *path, const char *user, enum ctp_role *role, char *name,
    size_t n)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st;

	*role = CTP_ROLE_NONE;
	name[0] = '\0';
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		goto out;
	sqlite3_busy_timeout(db, CTP_BUSY_TIMEOUT_MS);
	if (sqlite3_prepare_v2(db, "SELECT role, (SELECT value FROM settings "
	    "WHERE key = 'name') FROM users WHERE name = ?1 AND status = "
	    "'active'", -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*role = ctp_role_parse(ctp_col_text(st, 0));
		snprintf(name, n, "%s", ctp_col_text(st, 1));
	}
	sqlite3_finalize(st);
out:
	sqlite3_close(db);
}

int
ctp_orgs_list(struct ctp_out *o, struct ctp_error *e)
{
	struct ctp_exp_dbs dbs = { NULL, 0, 0 };
	struct ctp_error le;
	enum ctp_role role;
	char *dir = NULL, *user = NULL, shortname[256], name[256];
	const char *v[CTP_ORGS_NCOLUMNS];
	struct stat sb;
	size_t i;
	int rc;

	if ((rc = ctp_identity(&user, e)) != 0 ||
	    (rc = ctp_data_dir(&dir, e)) != 0)
		goto out;
	ctp_error_clear(&le);
	/* No directory, or no *.db in it: no organization yet. */
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode) ||
	    ctp_expiring_dbs_add(&dbs, dir, &le) != 0)
		goto out;
	for (i = 0; i < dbs.n; i++) {
		ctp_org_short(dbs.v[i], shortname, sizeof(shortname));
		if (ctp_org_name_why(shortname) != NULL)
			continue;	/* --org could not name it */
		seat(dbs.v[i], user, &role, name, sizeof(name));
		if (role == CTP_ROLE_NONE)
			continue;
		v[0] = shortname;
		v[1] = name;
		v[2] = ctp_role_name(role);
		v[3] = dbs.v[i];
		if ((rc = ctp_out_row(o, v, e)) != 0)
			goto out;
	}
out:
	ctp_expiring_dbs_free(&dbs);
	free(dir);
	free(user);
	return rc;
}
